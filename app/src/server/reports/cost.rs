//! `claims-cost`: claims submitted in the period, by model, part, dealer,
//! country or month, in the reporting currency (DESIGN §10).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveTime};
use serde_json::{Value, json};

use super::sql::{Sql, get, month_of};
use super::{Period, Scope, chain::Chains, share};
use crate::model::AppError;
use crate::model::claim::ClaimStatus;
use crate::model::reporting::{ReportDto, ReportName, ReportQuery};
use crate::server::reader::Reader;

/// Decided: a decision was made (paid claims were approved first).
pub(crate) const DECIDED: [ClaimStatus; 4] =
    [ClaimStatus::Approved, ClaimStatus::PartiallyApproved, ClaimStatus::Rejected, ClaimStatus::Paid];
/// Approved in whole or in part.
const APPROVED: [ClaimStatus; 3] = [ClaimStatus::Approved, ClaimStatus::PartiallyApproved, ClaimStatus::Paid];

pub(crate) fn status_list(statuses: &[ClaimStatus]) -> String {
    statuses.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(",")
}

/// One group's sums.
#[derive(Debug, Default, Clone, Copy)]
struct Sums {
    claims: i64,
    requested: i64,
    approved: i64,
    decided_requested: i64,
    decided: i64,
    approved_claims: i64,
    unconverted: i64,
}

impl Sums {
    fn add(&mut self, other: &Sums) {
        self.claims += other.claims;
        self.requested += other.requested;
        self.approved += other.approved;
        self.decided_requested += other.decided_requested;
        self.decided += other.decided;
        self.approved_claims += other.approved_claims;
        self.unconverted += other.unconverted;
    }

    fn row(&self, group: Value) -> Vec<Value> {
        vec![
            group,
            json!(self.claims),
            json!(self.requested),
            json!(self.approved),
            share(self.approved, self.decided_requested),
            share(self.approved_claims, self.decided),
            json!(self.unconverted),
        ]
    }
}

pub(crate) const COLUMNS: [&str; 7] = [
    "group",
    "claims",
    "requested_minor",
    "approved_minor",
    "approval_rate_amount",
    "approval_rate_claims",
    "unconverted",
];

/// The claims of the scope submitted in the period (never-submitted drafts
/// and withdrawn claims left out), aliased `c` with `v`, `m`, `p`, `d`.
pub(crate) fn submitted_in(scope: &Scope, period: &Period, query: &ReportQuery, chains: &Chains, select: &str) -> Sql {
    let start = period.from.and_time(NaiveTime::MIN).and_utc();
    let end = (period.to + Duration::days(1)).and_time(NaiveTime::MIN).and_utc();
    let mut sql = Sql::new(select);
    sql.push(
        "FROM claims c JOIN vehicles v ON v.id = c.vehicle_id JOIN vehicle_models m ON m.id = v.model_id \
         JOIN parts p ON p.id = c.causal_part_id JOIN dealers d ON d.id = c.dealer_id \
         WHERE c.submitted_at IS NOT NULL AND c.status <> 'withdrawn' AND c.submitted_at >= ? AND c.submitted_at < ?",
        [start.into(), end.into()],
    );
    super::narrow(&mut sql, scope, query, chains);
    sql
}

pub(super) async fn claims_cost(
    db: &Reader<'_>,
    scope: &Scope,
    period: &Period,
    query: &ReportQuery,
    group_by: &str,
) -> Result<ReportDto, AppError> {
    let backend = sea_orm::ConnectionTrait::get_database_backend(db);
    let key = match group_by {
        "part" => "p.part_number".to_string(),
        "dealer" => "d.code".to_string(),
        "country" => "d.country".to_string(),
        "month" => month_of(backend, "c.submitted_at"),
        _ => "m.name".to_string(),
    };
    let currency = scope.currency_literal();
    let (decided, approved) = (status_list(&DECIDED), status_list(&APPROVED));
    let converted = format!("c.reporting_currency = {currency}");
    let select = format!(
        "SELECT {key} AS grp, COUNT(*) AS claims, \
         CAST(COALESCE(SUM(CASE WHEN {converted} THEN c.reporting_requested_minor ELSE 0 END), 0) AS BIGINT) AS requested, \
         CAST(COALESCE(SUM(CASE WHEN {converted} AND c.status IN ({approved}) THEN c.reporting_approved_minor ELSE 0 END), 0) AS BIGINT) AS approved, \
         CAST(COALESCE(SUM(CASE WHEN {converted} AND c.status IN ({decided}) THEN c.reporting_requested_minor ELSE 0 END), 0) AS BIGINT) AS decided_requested, \
         CAST(SUM(CASE WHEN c.status IN ({decided}) THEN 1 ELSE 0 END) AS BIGINT) AS decided, \
         CAST(SUM(CASE WHEN c.status IN ({approved}) THEN 1 ELSE 0 END) AS BIGINT) AS approved_claims, \
         CAST(SUM(CASE WHEN {converted} THEN 0 ELSE 1 END) AS BIGINT) AS unconverted"
    );
    let chains = Chains::load(db, scope.oem_id).await?;
    let mut sql = submitted_in(scope, period, query, &chains, &select);
    sql.push(&format!("GROUP BY {key}"), []);
    let mut groups: BTreeMap<String, Sums> = BTreeMap::new();
    for row in sql.all(db).await? {
        let sums = Sums {
            claims: get(&row, "claims")?,
            requested: get(&row, "requested")?,
            approved: get(&row, "approved")?,
            decided_requested: get(&row, "decided_requested")?,
            decided: get(&row, "decided")?,
            approved_claims: get(&row, "approved_claims")?,
            unconverted: get(&row, "unconverted")?,
        };
        groups.entry(get::<String>(&row, "grp")?).or_default().add(&sums);
    }
    if group_by == "month" {
        // Every month of the period, so a chart shows the quiet ones too.
        for month in period.months() {
            groups.entry(month.to_string()).or_default();
        }
    }
    let mut total = Sums::default();
    groups.values().for_each(|s| total.add(s));
    let mut ordered: Vec<(String, Sums)> = groups.into_iter().collect();
    if group_by != "month" {
        ordered.sort_by(|a, b| b.1.requested.cmp(&a.1.requested).then(a.0.cmp(&b.0)));
    }
    let totals_row = total.row(json!("total"));
    let totals = super::totals(&COLUMNS, totals_row);
    let mut notes = Vec::new();
    if total.unconverted > 0 {
        notes.push(format!(
            "{} of {} claims have no amount in {}: no exchange rate was found for their repair date; they are counted, but not in the amounts.",
            total.unconverted, total.claims, scope.currency
        ));
    }
    Ok(ReportDto {
        name: ReportName::ClaimsCost,
        currency: scope.currency.clone(),
        params: Value::Null,
        columns: COLUMNS.iter().map(|c| (*c).to_string()).collect(),
        rows: ordered.into_iter().map(|(group, sums)| sums.row(json!(group))).collect(),
        totals,
        notes,
        queue: Vec::new(),
    })
}
