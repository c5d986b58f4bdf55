//! `failure-rate`: claims per 1,000 vehicles at m months in service, per
//! in-service cohort, for a part (its supersession chain as one) or a
//! model; without either, the 50 parts with most claims (DESIGN §10).

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde_json::{Value, json};

use super::cost::status_list;
use super::sql::{Sql, get};
use super::{Period, Scope, chain::Chains};
use crate::model::AppError;
use crate::model::claim::ClaimStatus;
use crate::model::field::{MATURITY_LAG_DAYS, YearMonth, elapsed_months, per_1000};
use crate::model::reporting::{ReportDto, ReportName, ReportQuery};
use crate::server::entities::part;
use crate::server::reader::Reader;

/// Parts listed when no part or model is asked for.
const TOP_PARTS: usize = 50;

/// The latest in-service date whose vehicles have matured at `mis` months
/// by `today`: e(today − 30 days) ≥ mis. Elapsed months only shrink as the
/// in-service date moves later, so every earlier date has matured too.
pub(crate) fn matured_until(today: NaiveDate, mis: i32) -> NaiveDate {
    let reference = today - Duration::days(MATURITY_LAG_DAYS);
    let mut day = reference;
    // At most (mis + 1) months back: a few hundred steps.
    while elapsed_months(day, reference) < mis {
        day -= Duration::days(1);
    }
    day
}

/// Vehicles in service per day in `[from, to]`, within the scope (a
/// dealer's: the vehicles it repaired).
async fn vehicles_by_day(
    db: &Reader<'_>,
    scope: &Scope,
    query: &ReportQuery,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, i64)>, AppError> {
    let mut sql = Sql::new(
        "SELECT v.in_service_date AS day, COUNT(*) AS n FROM vehicles v WHERE v.in_service_date >= ? AND v.in_service_date <= ?",
    );
    sql.push("", [from.into(), to.into()]);
    if let Some(oem) = scope.oem_id {
        sql.push("AND v.oem_id = ?", [oem.into()]);
    }
    if let Some(dealer) = scope.dealer_id {
        sql.push("AND v.id IN (SELECT r.vehicle_id FROM repair_orders r WHERE r.dealer_id = ?)", [dealer.into()]);
    }
    if let Some(model) = query.model_id {
        sql.push("AND v.model_id = ?", [model.into()]);
    }
    sql.push("GROUP BY v.in_service_date", []);
    sql.all(db).await?.iter().map(|row| Ok((get(row, "day")?, get(row, "n")?))).collect()
}

/// Claims at MIS ≤ `mis` on vehicles in service in `[from, to]`, aliased
/// `c` and `v`, ready for a `GROUP BY`.
fn claims_at(
    scope: &Scope,
    query: &ReportQuery,
    chains: &Chains,
    mis: i32,
    from: NaiveDate,
    to: NaiveDate,
    select: &str,
) -> Sql {
    let mut sql = Sql::new(select);
    sql.push(
        "FROM claims c JOIN vehicles v ON v.id = c.vehicle_id \
         WHERE c.submitted_at IS NOT NULL AND c.status <> 'withdrawn' AND c.mis <= ? \
         AND v.in_service_date >= ? AND v.in_service_date <= ?",
        [mis.into(), from.into(), to.into()],
    );
    super::narrow(&mut sql, scope, query, chains);
    sql
}

pub(super) async fn failure_rate(
    db: &Reader<'_>,
    scope: &Scope,
    period: &Period,
    query: &ReportQuery,
    mis: i32,
    today: NaiveDate,
) -> Result<ReportDto, AppError> {
    let chains = Chains::load(db, scope.oem_id).await?;
    if let Some(part) = query.part_id {
        check_part(db, scope, part).await?;
    }
    let matured = matured_until(today, mis);
    let from = YearMonth::of(period.from).first_day();
    let to = period.to.min(matured);
    let vehicles = vehicles_by_day(db, scope, query, from, to).await?;
    let mut notes = vec![format!(
        "A vehicle counts once matured: 30 days after reaching {mis} months in service (in service on or before {matured}). \
         Claims are every submitted claim but withdrawn ones, a causal part and the parts it supersedes counted as one."
    )];
    if period.to > matured {
        notes
            .push(format!("Cohorts after {} have not matured at {mis} months in service yet.", YearMonth::of(matured)));
    }
    let mut report = if query.part_id.is_some() || query.model_id.is_some() {
        by_cohort(db, scope, period, query, &chains, mis, (from, to), &vehicles).await?
    } else {
        top_parts(db, scope, query, &chains, mis, (from, to), &vehicles).await?
    };
    report.notes.append(&mut notes);
    Ok(report)
}

/// A part asked for must be one of the OEM's in scope.
async fn check_part(db: &Reader<'_>, scope: &Scope, part_id: i64) -> Result<(), AppError> {
    let owner: Option<i64> =
        part::Entity::find_by_id(part_id).select_only().column(part::Column::OemId).into_tuple().one(db).await?;
    match (owner, scope.oem_id) {
        (None, _) => Err(AppError::field("part_id", "is not a part of the catalogue")),
        (Some(owner), Some(oem)) if owner != oem => Err(AppError::NotFound),
        _ => Ok(()),
    }
}

#[allow(clippy::too_many_arguments)]
async fn by_cohort(
    db: &Reader<'_>,
    scope: &Scope,
    period: &Period,
    query: &ReportQuery,
    chains: &Chains,
    mis: i32,
    (from, to): (NaiveDate, NaiveDate),
    vehicles: &[(NaiveDate, i64)],
) -> Result<ReportDto, AppError> {
    let converted = format!("c.reporting_currency = {}", scope.currency_literal());
    let approved = status_list(&[ClaimStatus::Approved, ClaimStatus::PartiallyApproved, ClaimStatus::Paid]);
    let select = format!(
        "SELECT v.in_service_date AS day, COUNT(*) AS n, \
         CAST(COALESCE(SUM(CASE WHEN {converted} AND c.status IN ({approved}) THEN c.reporting_approved_minor ELSE 0 END), 0) AS BIGINT) AS cost"
    );
    let mut sql = claims_at(scope, query, chains, mis, from, to, &select);
    sql.push("GROUP BY v.in_service_date", []);
    let mut cohorts: BTreeMap<YearMonth, (i64, i64, i64)> =
        period.months().into_iter().map(|m| (m, (0, 0, 0))).collect();
    for (day, n) in vehicles {
        cohorts.entry(YearMonth::of(*day)).or_default().0 += n;
    }
    for row in sql.all(db).await? {
        let cohort = cohorts.entry(YearMonth::of(get(&row, "day")?)).or_default();
        cohort.1 += get::<i64>(&row, "n")?;
        cohort.2 += get::<i64>(&row, "cost")?;
    }
    let row = |label: Value, (vehicles, claims, cost): (i64, i64, i64)| {
        let rate = per_1000(claims.max(0) as u64, vehicles.max(0) as u64);
        let cost_per_vehicle = (vehicles > 0).then(|| (cost as f64 / vehicles as f64).round() as i64);
        vec![label, json!(vehicles), json!(claims), rate.map_or(Value::Null, round2), json!(cost_per_vehicle)]
    };
    let total = cohorts.values().fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
    let columns = ["cohort", "vehicles", "claims", "per_1000", "cost_per_vehicle_minor"];
    let totals = super::totals(&columns, row(Value::Null, total));
    Ok(ReportDto {
        name: ReportName::FailureRate,
        currency: scope.currency.clone(),
        params: Value::Null,
        columns: columns.iter().map(|c| (*c).to_string()).collect(),
        rows: cohorts.into_iter().map(|(m, sums)| row(json!(m.to_string()), sums)).collect(),
        totals,
        notes: Vec::new(),
        queue: Vec::new(),
    })
}

async fn top_parts(
    db: &Reader<'_>,
    scope: &Scope,
    query: &ReportQuery,
    chains: &Chains,
    mis: i32,
    (from, to): (NaiveDate, NaiveDate),
    vehicles: &[(NaiveDate, i64)],
) -> Result<ReportDto, AppError> {
    let mut sql = claims_at(scope, query, chains, mis, from, to, "SELECT c.causal_part_id AS part, COUNT(*) AS n");
    sql.push("GROUP BY c.causal_part_id", []);
    let mut by_chain: HashMap<i64, i64> = HashMap::new();
    for row in sql.all(db).await? {
        *by_chain.entry(chains.head(get(&row, "part")?)).or_default() += get::<i64>(&row, "n")?;
    }
    let mut ranked: Vec<(i64, i64)> = by_chain.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(TOP_PARTS);
    let numbers: HashMap<i64, String> = part::Entity::find()
        .select_only()
        .columns([part::Column::Id, part::Column::PartNumber])
        .filter(part::Column::Id.is_in(ranked.iter().map(|(id, _)| *id)))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let fleet: i64 = vehicles.iter().map(|(_, n)| n).sum();
    let rate = |claims: i64| per_1000(claims.max(0) as u64, fleet.max(0) as u64).map_or(Value::Null, round2);
    let rows = ranked
        .iter()
        .map(|(id, claims)| {
            vec![json!(numbers.get(id).cloned().unwrap_or_default()), json!(fleet), json!(claims), rate(*claims)]
        })
        .collect();
    let claims: i64 = ranked.iter().map(|(_, n)| n).sum();
    Ok(ReportDto {
        name: ReportName::FailureRate,
        currency: scope.currency.clone(),
        params: Value::Null,
        columns: ["part_number", "vehicles", "claims", "per_1000"].iter().map(|c| (*c).to_string()).collect(),
        rows,
        totals: json!({"vehicles": fleet, "claims": claims, "per_1000": rate(claims)}),
        notes: Vec::new(),
        queue: Vec::new(),
    })
}

fn round2(v: f64) -> Value {
    json!((v * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::from_str(s).unwrap_or_default()
    }

    #[test]
    fn vehicles_mature_thirty_days_after_reaching_the_months_in_service() {
        // Reference 2026-11-03: in service on or before 2026-08-03 has 3 months.
        assert_eq!(matured_until(date("2026-12-03"), 3), date("2026-08-03"));
        assert_eq!(elapsed_months(date("2026-08-04"), date("2026-11-03")), 2);
        assert_eq!(matured_until(date("2026-12-03"), 1), date("2026-10-03"));
    }
}
