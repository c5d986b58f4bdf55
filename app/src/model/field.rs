//! Field quality math (DESIGN §10): months in service, maturity, claims per
//! 1,000 vehicles, percentiles, and the early-warning rule. Shared with the
//! browser, so plain floats and dates only.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::model::limits::grouped;

/// Days a vehicle keeps being watched after reaching m months in service
/// before it counts at m: claims reach the OEM weeks after the repair.
pub const MATURITY_LAG_DAYS: i64 = 30;

/// Early warning: the cohorts judged, the cohorts they are judged against,
/// and the months in service the claims are counted at.
pub const RECENT_COHORTS: i32 = 3;
pub const BASELINE_COHORTS: i32 = 12;
pub const ALERT_MIS: i32 = 3;

/// Early warning: below this many claims a surge is too small to act on,
/// however unlikely (a part that never fails fails twice).
pub const ALERT_MIN_CLAIMS: u64 = 3;

/// Early warning: how unlikely the claims must be under the baseline rate.
/// Strict, because every part is tested every month.
pub const ALERT_P: f64 = 0.001;

/// Open-queue age buckets in whole days, bounds inclusive; the last is open.
pub const AGE_BUCKETS: [(u32, Option<u32>); 4] = [(0, Some(7)), (8, Some(14)), (15, Some(30)), (31, None)];

/// A calendar month: a cohort of vehicles put in service in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct YearMonth {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

impl YearMonth {
    pub fn of(date: NaiveDate) -> Self {
        Self { year: date.year(), month: date.month() }
    }

    /// Months since year 0, so months add like numbers.
    fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    fn from_index(index: i64) -> Self {
        let year = index.div_euclid(12).clamp(i64::from(i32::MIN), i64::from(i32::MAX));
        Self { year: year as i32, month: index.rem_euclid(12) as u32 + 1 }
    }

    /// The 1st; dates beyond chrono's range clamp to its ends.
    pub fn first_day(self) -> NaiveDate {
        let month = Self::from_index(self.index());
        let beyond = if month.year < 0 { NaiveDate::MIN } else { NaiveDate::MAX };
        NaiveDate::from_ymd_opt(month.year, month.month, 1).unwrap_or(beyond)
    }

    pub fn last_day(self) -> NaiveDate {
        self.plus(1).first_day().pred_opt().unwrap_or(NaiveDate::MIN)
    }

    /// The month `months` later (earlier when negative).
    pub fn plus(self, months: i32) -> Self {
        Self::from_index(self.index() + i64::from(months))
    }

    /// Months from `self` to `other`: negative when `other` is earlier.
    pub fn months_until(self, other: Self) -> i32 {
        saturate(other.index() - self.index())
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = String;

    /// `2026-03`, as [`Display`](fmt::Display) writes it.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || "must be a month like 2026-03".to_string();
        let (year, month) = s.trim().split_once('-').ok_or_else(bad)?;
        let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(month, 2) {
            return Err(bad());
        }
        let (year, month) = (year.parse().map_err(|_| bad())?, month.parse().map_err(|_| bad())?);
        if !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Self { year, month })
    }
}

fn saturate(n: i64) -> i32 {
    n.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// e(d): whole months from the in-service date to `d`, a month being
/// complete on the same day of the month (so a vehicle in service on the
/// 31st completes its first month on the 1st of the month after next when
/// the next month is shorter). Negative before the in-service date.
pub fn elapsed_months(in_service: NaiveDate, d: NaiveDate) -> i32 {
    let months = YearMonth::of(in_service).months_until(YearMonth::of(d));
    if d.day() < in_service.day() { months - 1 } else { months }
}

/// A claim's months in service: a repair within the first month is MIS 1.
pub fn mis(in_service: NaiveDate, repair_date: NaiveDate) -> i32 {
    elapsed_months(in_service, repair_date).saturating_add(1)
}

/// The date maturity is measured on: claims for repairs up to it have had
/// [`MATURITY_LAG_DAYS`] to arrive.
fn maturity_reference(today: NaiveDate) -> NaiveDate {
    today.checked_sub_days(Days::new(MATURITY_LAG_DAYS.unsigned_abs())).unwrap_or(NaiveDate::MIN)
}

/// Whether a vehicle counts at `m` months in service: it reached them at
/// least [`MATURITY_LAG_DAYS`] ago, so its claims up to MIS m are in.
pub fn matured(in_service: NaiveDate, today: NaiveDate, m: i32) -> bool {
    elapsed_months(in_service, maturity_reference(today)) >= m
}

/// The latest in-service month all of whose vehicles have matured at `m`:
/// its last day has, and earlier in-service dates have more months.
pub fn latest_matured_cohort(today: NaiveDate, m: i32) -> YearMonth {
    // e(last day of a month) is its distance in months, or one less.
    let candidate = YearMonth::of(maturity_reference(today)).plus(m.saturating_neg());
    if matured(candidate.last_day(), today, m) { candidate } else { candidate.plus(-1) }
}

/// Claims per 1,000 vehicles; `None` for no vehicles rather than a 0 that
/// would read as "no failures".
pub fn per_1000(claims: u64, vehicles: u64) -> Option<f64> {
    (vehicles > 0).then(|| 1000.0 * claims as f64 / vehicles as f64)
}

/// ln(k!): summed while exact enough, by Stirling's series beyond.
fn ln_factorial(k: u64) -> f64 {
    if k < 256 {
        return (2..=k).map(|i| (i as f64).ln()).sum();
    }
    let n = k as f64;
    n * n.ln() - n + 0.5 * (2.0 * std::f64::consts::PI * n).ln() + 1.0 / (12.0 * n) - 1.0 / (360.0 * n.powi(3))
}

/// ln P(Poisson(e) = k), so huge counts neither overflow nor underflow.
fn ln_pmf(e: f64, k: u64) -> f64 {
    -e + k as f64 * e.ln() - ln_factorial(k)
}

/// Σ of the pmf from `k` on (upward) or down to 0, relative to pmf(k): the
/// terms shrink geometrically from there, so few are needed.
fn relative_sum(e: f64, k: u64, upward: bool) -> f64 {
    let (mut sum, mut term, mut i) = (1.0, 1.0, k);
    loop {
        term *= if upward { e / (i + 1) as f64 } else { i as f64 / e };
        sum += term;
        if term <= sum * f64::EPSILON * 0.01 || (!upward && i <= 1) {
            return sum;
        }
        i = if upward { i + 1 } else { i - 1 };
    }
}

/// P(Poisson(expected) ≥ x): the chance of at least `x` claims where
/// `expected` were due. The smaller side is summed directly so small
/// p-values keep their precision (1 − CDF would lose it).
pub fn poisson_tail(expected: f64, x: u64) -> f64 {
    if x == 0 {
        return 1.0;
    }
    if expected.is_nan() || expected <= 0.0 {
        return 0.0;
    }
    if expected.is_infinite() {
        return 1.0;
    }
    if x as f64 > expected {
        (ln_pmf(expected, x).exp() * relative_sum(expected, x, true)).min(1.0)
    } else {
        let below = ln_pmf(expected, x - 1).exp() * relative_sum(expected, x - 1, false);
        (1.0 - below).clamp(0.0, 1.0)
    }
}

/// The early warning's finding for one part.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Verdict {
    /// Claims the baseline rate predicts for the recent vehicles.
    pub expected: f64,
    /// The baseline rate used, per 1,000 vehicles (1/N0 when there were no
    /// baseline claims), so `expected` = this × N / 1,000.
    pub baseline_per_1000: f64,
    /// P(Poisson(expected) ≥ claims).
    pub p_value: f64,
    pub alert: bool,
}

/// The early-warning rule (Wu & Meeker 2002): the recent cohorts' claims
/// `x` on `n` vehicles against the baseline's `x0` on `n0`. A baseline
/// without claims counts as one: a rate of zero would make any claim
/// infinitely unlikely. `None` when either side has no vehicles.
pub fn judge(n0: u64, x0: u64, n: u64, x: u64) -> Option<Verdict> {
    if n0 == 0 || n == 0 {
        return None;
    }
    let rate = x0.max(1) as f64 / n0 as f64;
    let expected = rate * n as f64;
    let p_value = poisson_tail(expected, x);
    Some(Verdict {
        expected,
        baseline_per_1000: 1000.0 * rate,
        p_value,
        alert: x >= ALERT_MIN_CLAIMS && p_value <= ALERT_P,
    })
}

/// An alert in one sentence with its numbers, e.g. `SV-INV-200: 21 claims
/// within 3 months in service on 6,000 vehicles in service 2026-03…05; the
/// 12 months before would predict 9.0 (p = 0.0004)`.
pub fn explain(
    part_number: &str,
    claims: u64,
    vehicles: u64,
    from: YearMonth,
    to: YearMonth,
    expected: f64,
    p_value: f64,
) -> String {
    format!(
        "{part_number}: {} within {ALERT_MIS} months in service on {} in service {}; \
         the {BASELINE_COHORTS} months before would predict {expected:.1} ({})",
        counted(claims, "claim"),
        counted(vehicles, "vehicle"),
        span(from, to),
        p_text(p_value),
    )
}

fn counted(n: u64, noun: &str) -> String {
    format!("{} {noun}{}", grouped(n), if n == 1 { "" } else { "s" })
}

/// `2026-03…05` within a year, `2025-12…2026-02` across one.
fn span(from: YearMonth, to: YearMonth) -> String {
    if from == to {
        from.to_string()
    } else if from.year == to.year {
        format!("{from}…{:02}", to.month)
    } else {
        format!("{from}…{to}")
    }
}

/// A p-value to one significant digit, as a decimal (`p = 0.0004`); below
/// one in a million only the bound is meaningful.
fn p_text(p: f64) -> String {
    if p.is_nan() || p < 0.000_001 {
        return "p < 0.000001".into();
    }
    // `{:.0e}` rounds the exact binary value correctly: "4e-4", "1e-3".
    let scientific = format!("{p:.0e}");
    let (digit, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let decimal = if exponent >= 0 {
        format!("{digit}{}", "0".repeat(exponent.unsigned_abs() as usize))
    } else {
        format!("0.{}{digit}", "0".repeat(exponent.unsigned_abs() as usize - 1))
    };
    format!("p = {decimal}")
}

/// The `p` quantile (0 to 1) of ascending values, interpolating linearly
/// between the closest ranks: R's type 7, numpy's default and Excel's
/// PERCENTILE.INC, so a spreadsheet check of an export agrees. `None` for
/// no values or `p` outside 0 to 1.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let rank = (sorted.len() - 1) as f64 * p;
    let (below, above) = (rank.floor() as usize, rank.ceil() as usize);
    let (low, high) = (*sorted.get(below)?, *sorted.get(above)?);
    Some(low + (rank - below as f64) * (high - low))
}

/// The time from `from` to `to` in tenths of a day, rounded half away from
/// zero: how a claim keeps its days to decision and to payment (the cycle
/// times are shown to one decimal).
pub fn tenths_of_a_day(from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>) -> i64 {
    ((to - from).num_milliseconds() as f64 / 8_640_000.0).round() as i64
}

/// [`percentile`] of values given as ascending `(value, count)` pairs (a
/// histogram, as the database counts them), without expanding them.
pub fn percentile_counted(sorted: &[(f64, u64)], p: f64) -> Option<f64> {
    let total: u64 = sorted.iter().map(|(_, n)| n).sum();
    if total == 0 || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let rank = (total - 1) as f64 * p;
    let (below, above) = (rank.floor() as u64, rank.ceil() as u64);
    // The value at a 0-based rank: the one whose run of counts covers it.
    let at = |k: u64| {
        let mut seen = 0;
        sorted.iter().find(|(_, n)| {
            seen += n;
            k < seen
        })
    };
    let (low, high) = (at(below)?.0, at(above)?.0);
    Some(low + (rank - below as f64) * (high - low))
}

/// The 50th percentile, by the same definition.
pub fn median(sorted: &[f64]) -> Option<f64> {
    percentile(sorted, 0.5)
}

/// The index in [`AGE_BUCKETS`] of a claim open `days`; a negative age
/// (clocks apart) counts as new.
pub fn age_bucket(days: i64) -> usize {
    let days = u64::try_from(days).unwrap_or(0);
    AGE_BUCKETS
        .iter()
        .position(|(_, last)| last.is_none_or(|last| days <= u64::from(last)))
        .unwrap_or(AGE_BUCKETS.len() - 1)
}

/// `0–7 days` … `over 30 days`; empty for an index past the buckets.
pub fn bucket_label(i: usize) -> String {
    match AGE_BUCKETS.get(i) {
        Some((first, Some(last))) => format!("{first}–{last} days"),
        Some((first, None)) => format!("over {} days", first.saturating_sub(1)),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
