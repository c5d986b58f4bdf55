//! A claim's amounts in its OEM's reporting currency (DESIGN §9): the rate
//! found for the repair date is frozen on the claim at submission, and its
//! approved amount is converted at the same rate.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{rules, window};
use crate::model::AppError;
use crate::model::reporting::ReportingDto;
use crate::server::entities::{claim, exchange_rate, oem, repair_order};

/// What is frozen on a claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Frozen {
    pub currency: String,
    pub requested_minor: i64,
    pub rate_date: NaiveDate,
    pub claim_per_eur: Decimal,
    pub reporting_per_eur: Decimal,
    /// `ecb`, `manual` (either rate entered by hand) or `same_currency`.
    pub source: String,
}

/// One currency's rates by date, with their source.
type Series = BTreeMap<NaiveDate, (Decimal, String)>;

/// Rates by currency, loaded once for many claims.
pub type Rates = HashMap<String, Series>;

/// Every stored rate (bulk writers: the bench's claims).
///
/// # Errors
/// When the database is unavailable.
pub async fn all_rates(db: &impl ConnectionTrait) -> Result<Rates, AppError> {
    let mut rates = Rates::new();
    for row in exchange_rate::Entity::find().all(db).await? {
        if let Ok(rate) = row.per_eur.parse::<Decimal>() {
            rates.entry(row.currency).or_default().insert(row.on_date, (rate, row.source));
        }
    }
    Ok(rates)
}

/// The rate date and both rates for a repair date: the latest date at most
/// `LOOKBACK_DAYS` before it on which both currencies are quoted (`None`
/// series = the euro, quoted every day at 1).
fn pick(
    claim: Option<&Series>,
    reporting: Option<&Series>,
    repair_date: NaiveDate,
) -> Option<(NaiveDate, Decimal, Decimal, String)> {
    let euro = (Decimal::ONE, "ecb".to_string());
    (0..=rules::LOOKBACK_DAYS).map(|back| repair_date - Duration::days(back)).find_map(|day| {
        let of = |series: Option<&Series>| match series {
            None => Some(euro.clone()),
            Some(s) => s.get(&day).cloned(),
        };
        let (claim_rate, claim_source) = of(claim)?;
        let (reporting_rate, reporting_source) = of(reporting)?;
        let source = if claim_source == "manual" || reporting_source == "manual" { "manual" } else { "ecb" };
        Some((day, claim_rate, reporting_rate, source.to_string()))
    })
}

/// Converts `requested_minor` of `claim_currency` at the rate of the repair
/// date; `None` when no rate is found (the claim stays unconverted).
pub fn frozen_with(
    claim_currency: &str,
    reporting_currency: &str,
    repair_date: NaiveDate,
    requested_minor: i64,
    rates: &Rates,
) -> Option<Frozen> {
    if claim_currency == reporting_currency {
        return Some(Frozen {
            currency: reporting_currency.to_string(),
            requested_minor,
            rate_date: repair_date,
            claim_per_eur: Decimal::ONE,
            reporting_per_eur: Decimal::ONE,
            source: "same_currency".into(),
        });
    }
    let series = |currency: &str| if currency == "EUR" { Ok(None) } else { rates.get(currency).map(Some).ok_or(()) };
    let (claim_series, reporting_series) = (series(claim_currency).ok()?, series(reporting_currency).ok()?);
    let (rate_date, claim_per_eur, reporting_per_eur, source) = pick(claim_series, reporting_series, repair_date)?;
    let converted =
        rules::convert(requested_minor, claim_currency, claim_per_eur, reporting_currency, reporting_per_eur)?;
    Some(Frozen {
        currency: reporting_currency.to_string(),
        requested_minor: converted,
        rate_date,
        claim_per_eur,
        reporting_per_eur,
        source,
    })
}

/// The amounts to freeze on a claim being submitted.
///
/// # Errors
/// When the database is unavailable.
pub async fn freeze(
    db: &impl ConnectionTrait,
    claim_currency: &str,
    reporting_currency: &str,
    repair_date: NaiveDate,
    requested_minor: i64,
) -> Result<Option<Frozen>, AppError> {
    let mut rates = HashMap::new();
    for currency in [claim_currency, reporting_currency] {
        if currency != "EUR" && !rates.contains_key(currency) {
            let found = window(db, currency, rules::lookback_start(repair_date), repair_date).await?;
            rates.insert(currency.to_string(), found.into_iter().map(|(d, r, s)| (d, (r, s))).collect());
        }
    }
    Ok(frozen_with(claim_currency, reporting_currency, repair_date, requested_minor, &rates))
}

/// A claim's approved amount in its reporting currency, at its frozen rate.
pub fn approved(claim: &claim::Model, approved_minor: i64) -> Option<i64> {
    let currency = claim.reporting_currency.as_deref()?;
    let claim_rate: Decimal = claim.claim_per_eur.as_deref()?.parse().ok()?;
    let reporting_rate: Decimal = claim.reporting_per_eur.as_deref()?.parse().ok()?;
    if currency == claim.currency {
        return Some(approved_minor);
    }
    rules::convert(approved_minor, &claim.currency, claim_rate, currency, reporting_rate)
}

/// The frozen amounts as the API shows them (`None`: no rate was found).
pub fn dto(claim: &claim::Model) -> Option<ReportingDto> {
    let claim_rate: Decimal = claim.claim_per_eur.as_deref()?.parse().ok()?;
    let reporting_rate: Decimal = claim.reporting_per_eur.as_deref()?.parse().ok()?;
    let rate =
        if claim_rate.is_zero() { Decimal::ZERO } else { (reporting_rate / claim_rate).round_dp(10).normalize() };
    Some(ReportingDto {
        currency: claim.reporting_currency.clone()?,
        requested_minor: claim.reporting_requested_minor?,
        approved_minor: claim.reporting_approved_minor,
        rate_date: claim.rate_date?,
        claim_per_eur: claim_rate.normalize().to_string(),
        reporting_per_eur: reporting_rate.normalize().to_string(),
        rate: rate.to_string(),
        source: claim.rate_source.clone()?,
    })
}

/// The column values that store `frozen` on a claim (all `NULL` for none).
pub fn columns(frozen: Option<&Frozen>) -> Vec<(claim::Column, sea_orm::Value)> {
    vec![
        (claim::Column::ReportingCurrency, frozen.map(|f| f.currency.clone()).into()),
        (claim::Column::ReportingRequestedMinor, frozen.map(|f| f.requested_minor).into()),
        (claim::Column::RateDate, frozen.map(|f| f.rate_date).into()),
        (claim::Column::ClaimPerEur, frozen.map(|f| f.claim_per_eur.normalize().to_string()).into()),
        (claim::Column::ReportingPerEur, frozen.map(|f| f.reporting_per_eur.normalize().to_string()).into()),
        (claim::Column::RateSource, frozen.map(|f| f.source.clone()).into()),
    ]
}

/// Submitted claims that found no rate when submitted, converted now that
/// rates were added (an upgrade, or rates loaded late). Runs inside the
/// import's transaction; answers how many were converted.
///
/// # Errors
/// When the database is unavailable.
pub async fn convert_waiting(db: &impl ConnectionTrait) -> Result<u64, AppError> {
    let waiting: Vec<(i64, String, i64, Option<i64>, i64, NaiveDate)> = claim::Entity::find()
        .select_only()
        .columns([
            claim::Column::Id,
            claim::Column::Currency,
            claim::Column::RequestedMinor,
            claim::Column::ApprovedMinor,
            claim::Column::OemId,
        ])
        .column(repair_order::Column::OpenedOn)
        .inner_join(repair_order::Entity)
        .filter(claim::Column::SubmittedAt.is_not_null())
        .filter(claim::Column::ReportingCurrency.is_null())
        .into_tuple()
        .all(db)
        .await?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let reporting: HashMap<i64, String> = oem::Entity::find()
        .select_only()
        .columns([oem::Column::Id, oem::Column::ReportingCurrency])
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let (first, last) = waiting.iter().fold((NaiveDate::MAX, NaiveDate::MIN), |(a, b), w| (a.min(w.5), b.max(w.5)));
    let mut rates = Rates::new();
    for row in exchange_rate::Entity::find()
        .filter(exchange_rate::Column::OnDate.between(rules::lookback_start(first), last))
        .all(db)
        .await?
    {
        if let Ok(rate) = row.per_eur.parse::<Decimal>() {
            rates.entry(row.currency).or_default().insert(row.on_date, (rate, row.source));
        }
    }
    let mut converted = 0;
    for (id, currency, requested, approved_minor, oem_id, repair_date) in waiting {
        let Some(target) = reporting.get(&oem_id) else { continue };
        let Some(frozen) = frozen_with(&currency, target, repair_date, requested, &rates) else { continue };
        let mut update = claim::Entity::update_many().filter(claim::Column::Id.eq(id));
        for (column, value) in columns(Some(&frozen)) {
            update = update.col_expr(column, Expr::value(value));
        }
        let approved_reporting = approved_minor.and_then(|a| {
            rules::convert(a, &currency, frozen.claim_per_eur, &frozen.currency, frozen.reporting_per_eur)
        });
        update.col_expr(claim::Column::ReportingApprovedMinor, Expr::value(approved_reporting)).exec(db).await?;
        converted += 1;
    }
    Ok(converted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::from_str(s).unwrap_or_default()
    }

    fn series(points: &[(&str, &str, &str)]) -> Series {
        points.iter().map(|(d, r, s)| (date(d), (Decimal::from_str(r).unwrap_or_default(), (*s).to_string()))).collect()
    }

    #[test]
    fn brl_reported_in_nok_takes_both_rates_of_one_day() {
        let rates = HashMap::from([
            ("BRL".to_string(), series(&[("2024-11-25", "6.0941", "ecb"), ("2024-11-22", "6.1", "ecb")])),
            ("NOK".to_string(), series(&[("2024-11-25", "11.5865", "ecb")])),
        ]);
        let frozen = frozen_with("BRL", "NOK", date("2024-11-26"), 234_567, &rates);
        assert_eq!(frozen.as_ref().map(|f| f.requested_minor), Some(445_974));
        assert_eq!(frozen.map(|f| f.rate_date), Some(date("2024-11-25")));
    }

    #[test]
    fn a_day_missing_in_either_currency_is_skipped() {
        let rates = HashMap::from([
            ("EGP".to_string(), series(&[("2024-11-20", "52.1", "manual")])),
            ("NOK".to_string(), series(&[("2024-11-25", "11.5865", "ecb"), ("2024-11-20", "11.7", "ecb")])),
        ]);
        let frozen = frozen_with("EGP", "NOK", date("2024-11-26"), 100_000, &rates);
        assert_eq!(frozen.as_ref().map(|f| (f.rate_date, f.source.as_str())), Some((date("2024-11-20"), "manual")));
    }

    #[test]
    fn no_rate_within_seven_days_leaves_the_claim_unconverted() {
        let rates = HashMap::from([("HUF".to_string(), series(&[("2023-02-02", "389.78", "ecb")]))]);
        assert_eq!(frozen_with("HUF", "EUR", date("2023-02-10"), 100, &rates), None);
        assert_eq!(frozen_with("THB", "EUR", date("2023-02-10"), 100, &rates), None);
        let in_reach = frozen_with("HUF", "EUR", date("2023-02-09"), 15_240_000, &rates);
        assert_eq!(in_reach.map(|f| f.requested_minor), Some(39_099));
    }

    #[test]
    fn a_claim_in_the_reporting_currency_needs_no_rate() {
        let frozen = frozen_with("NOK", "NOK", date("2024-11-26"), 12_345, &HashMap::new());
        assert_eq!(frozen.map(|f| (f.requested_minor, f.source)), Some((12_345, "same_currency".to_string())));
    }
}
