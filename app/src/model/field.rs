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
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    fn month(year: i32, month: u32) -> YearMonth {
        YearMonth { year, month }
    }

    fn close(actual: f64, expected: f64, within: f64) -> bool {
        (actual - expected).abs() <= within
    }

    #[test]
    fn months_add_across_years_and_know_their_days() {
        assert_eq!(month(2025, 11).plus(3), month(2026, 2));
        assert_eq!(month(2026, 2).plus(-14), month(2024, 12));
        assert_eq!(month(2025, 11).months_until(month(2026, 2)), 3);
        assert_eq!(month(2026, 2).months_until(month(2025, 11)), -3);
        assert_eq!((month(2024, 2).first_day(), month(2024, 2).last_day()), (date("2024-02-01"), date("2024-02-29")));
        assert_eq!(month(2026, 12).last_day(), date("2026-12-31"));
        assert_eq!(YearMonth::of(date("2026-03-17")), month(2026, 3));
    }

    #[test]
    fn a_month_reads_and_writes_as_year_dash_month() {
        assert_eq!(month(2026, 3).to_string(), "2026-03");
        assert_eq!("2026-03".parse::<YearMonth>(), Ok(month(2026, 3)));
        for bad in ["2026-13", "2026-00", "2026-3", "26-03", "2026/03", "2026-03-01", ""] {
            assert!(bad.parse::<YearMonth>().is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn a_repair_one_day_short_of_a_month_is_still_mis_1() {
        assert_eq!(mis(date("2025-01-15"), date("2025-02-14")), 1);
        assert_eq!(mis(date("2025-01-15"), date("2025-02-15")), 2);
        assert_eq!(mis(date("2025-01-15"), date("2025-01-15")), 1);
        assert_eq!(elapsed_months(date("2025-01-15"), date("2025-01-14")), -1);
    }

    #[test]
    fn a_vehicle_in_service_on_the_31st_completes_a_month_on_a_later_31st_or_the_1st_after() {
        assert_eq!(mis(date("2025-01-31"), date("2025-02-28")), 1);
        assert_eq!(mis(date("2025-01-31"), date("2025-03-01")), 2);
        assert_eq!(mis(date("2025-01-31"), date("2025-03-31")), 3);
    }

    #[test]
    fn a_vehicle_matures_thirty_days_after_reaching_the_months() {
        // 3 months on 2026-05-15; matured from 2026-06-14.
        assert!(!matured(date("2026-02-15"), date("2026-06-13"), 3));
        assert!(matured(date("2026-02-15"), date("2026-06-14"), 3));
    }

    #[test]
    fn the_latest_matured_cohort_needs_its_last_day_matured() {
        // Reference 2026-05-31: in service on 2026-02-28 has 3 months, on 2026-03-01 not.
        assert_eq!(latest_matured_cohort(date("2026-06-30"), 3), month(2026, 2));
        // Reference 2026-05-30: 2026-02-28 has 3 months too (day 30 ≥ 28).
        assert_eq!(latest_matured_cohort(date("2026-06-29"), 3), month(2026, 2));
        // Reference 2026-05-27: 2026-02-28 has only 2.
        assert_eq!(latest_matured_cohort(date("2026-06-26"), 3), month(2026, 1));
        assert_eq!(latest_matured_cohort(date("2026-12-03"), 3), month(2026, 7));
    }

    #[test]
    fn claims_per_1000_need_vehicles() {
        assert_eq!(per_1000(21, 6_000), Some(3.5));
        assert_eq!(per_1000(0, 0), None);
    }

    #[test]
    fn the_poisson_tail_matches_known_values() {
        assert_eq!(poisson_tail(9.0, 0), 1.0);
        assert!(close(poisson_tail(1.2, 1), 1.0 - (-1.2f64).exp(), 1e-15));
        assert!(close(poisson_tail(0.01, 3), 1.654_216_527e-7, 1e-15));
        assert!(close(poisson_tail(1000.0, 900), 0.999_377_402, 1e-8));
        assert!(poisson_tail(10.0, 200) > 0.0);
        assert_eq!(poisson_tail(0.0, 1), 0.0);
    }

    #[test]
    fn twenty_one_claims_where_nine_were_due_alert() {
        let verdict = judge(24_000, 36, 6_000, 21);
        assert!(
            verdict.is_some_and(|v| close(v.expected, 9.0, 1e-9) && close(v.p_value, 0.000_439_25, 1e-8) && v.alert)
        );
        assert_eq!(verdict.map(|v| v.baseline_per_1000), Some(1.5));
    }

    #[test]
    fn twenty_claims_where_nine_were_due_do_not() {
        let verdict = judge(24_000, 36, 6_000, 20);
        assert!(verdict.is_some_and(|v| close(v.p_value, 0.001_055_95, 1e-8) && !v.alert));
    }

    #[test]
    fn seven_claims_where_one_point_two_were_due_alert_and_six_do_not() {
        let six = judge(24_000, 36, 800, 6);
        assert!(six.is_some_and(|v| close(v.expected, 1.2, 1e-9) && close(v.p_value, 0.001_500_23, 1e-8) && !v.alert));
        let seven = judge(24_000, 36, 800, 7);
        assert!(seven.is_some_and(|v| close(v.p_value, 0.000_251_11, 1e-8) && v.alert));
    }

    #[test]
    fn two_claims_never_alert_however_unlikely() {
        let two = judge(100_000, 1, 1_000, 2);
        assert!(two.is_some_and(|v| close(v.expected, 0.01, 1e-12) && v.p_value < ALERT_P && !v.alert));
        assert!(judge(100_000, 1, 1_000, 3).is_some_and(|v| v.alert));
    }

    #[test]
    fn a_baseline_without_claims_counts_as_one() {
        assert!(judge(24_000, 0, 6_000, 1).is_some_and(|v| close(v.expected, 0.25, 1e-12)));
        assert_eq!(judge(0, 0, 6_000, 5), None);
        assert_eq!(judge(24_000, 36, 0, 0), None);
    }

    #[test]
    fn an_alert_explains_itself_in_one_sentence() {
        let text = explain("SV-INV-200", 21, 6_000, month(2026, 3), month(2026, 5), 9.0, 0.000_439_25);
        assert_eq!(
            text,
            "SV-INV-200: 21 claims within 3 months in service on 6,000 vehicles in service 2026-03…05; \
             the 12 months before would predict 9.0 (p = 0.0004)"
        );
        let text = explain("P-1", 1_234, 1_250_000, month(2025, 12), month(2026, 2), 0.04, 1e-9);
        assert!(text.contains("1,234 claims") && text.contains("1,250,000 vehicles"), "{text}");
        assert!(text.ends_with("2025-12…2026-02; the 12 months before would predict 0.0 (p < 0.000001)"), "{text}");
    }

    #[test]
    fn p_values_keep_one_significant_digit() {
        assert_eq!(p_text(0.000_439), "p = 0.0004");
        assert_eq!(p_text(0.000_251_1), "p = 0.0003");
        assert_eq!(p_text(0.001_056), "p = 0.001");
        assert_eq!(p_text(0.000_96), "p = 0.001");
        assert_eq!(p_text(0.36), "p = 0.4");
        assert_eq!(p_text(1.0), "p = 1");
        assert_eq!(p_text(0.000_001), "p = 0.000001");
        assert_eq!(p_text(0.000_000_9), "p < 0.000001");
    }

    #[test]
    fn percentiles_interpolate_between_closest_ranks() {
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[4.0], 0.9), Some(4.0));
        assert_eq!(median(&[1.0, 2.0, 4.0, 10.0]), Some(3.0));
        assert!(percentile(&ten, 0.9).is_some_and(|p| close(p, 9.1, 1e-9)));
        assert_eq!((percentile(&ten, 0.0), percentile(&ten, 1.0)), (Some(1.0), Some(10.0)));
        assert_eq!(percentile(&ten, 1.5), None);
    }

    #[test]
    fn open_claims_fall_in_age_buckets_by_whole_days() {
        let buckets: Vec<usize> = [-1, 0, 7, 8, 14, 15, 30, 31, 400].into_iter().map(age_bucket).collect();
        assert_eq!(buckets, vec![0, 0, 0, 1, 1, 2, 2, 3, 3]);
        let labels: Vec<String> = (0..AGE_BUCKETS.len()).map(bucket_label).collect();
        assert_eq!(labels, ["0–7 days", "8–14 days", "15–30 days", "over 30 days"]);
        assert_eq!(bucket_label(4), "");
    }
}
