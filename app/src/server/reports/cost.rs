//! `claims-cost`: claims submitted in the period, by model, part, dealer,
//! country or month, in the reporting currency (DESIGN §10).

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveTime};
use serde_json::{Value, json};

use super::sql::{Sql, get, month_of};
use super::{Period, Scope, chain::Chains, share};
use crate::model::AppError;
use crate::model::claim::ClaimStatus;
use crate::model::reporting::{ReportDto, ReportName, ReportQuery};
use crate::server::entities::{dealer, part, vehicle_model};
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
/// and withdrawn claims left out), aliased `c`, read from the covering
/// index alone: groups are ids, named afterwards ([`Labels`]).
pub(crate) fn submitted_in(scope: &Scope, period: &Period, query: &ReportQuery, chains: &Chains, select: &str) -> Sql {
    let start = period.from.and_time(NaiveTime::MIN).and_utc();
    let end = (period.to + Duration::days(1)).and_time(NaiveTime::MIN).and_utc();
    let mut sql = Sql::new(select);
    sql.push(
        "FROM claims c WHERE c.submitted_at IS NOT NULL AND c.status <> 'withdrawn' AND c.submitted_at >= ? AND c.submitted_at < ?",
        [start.into(), end.into()],
    );
    super::narrow(&mut sql, scope, query, chains);
    sql
}

/// The group key of a grouping, as SQL over claims `c`: an id, or a month.
pub(crate) fn group_key(backend: sea_orm::DbBackend, group_by: &str) -> String {
    match group_by {
        "part" => "CAST(c.causal_part_id AS TEXT)".into(),
        "dealer" | "country" => "CAST(c.dealer_id AS TEXT)".into(),
        "month" => month_of(backend, "c.submitted_at"),
        _ => "CAST(c.model_id AS TEXT)".into(),
    }
}

/// Names for the ids a grouping returns: model names, part numbers,
/// dealer codes or countries (a month is its own name).
pub(crate) struct Labels(HashMap<String, String>);

impl Labels {
    pub async fn of(db: &Reader<'_>, group_by: &str) -> Result<Self, AppError> {
        use sea_orm::{EntityTrait, QuerySelect};
        let pairs: Vec<(i64, String)> = match group_by {
            "month" => Vec::new(),
            "part" => return Ok(Self(HashMap::new())),
            "dealer" => {
                dealer::Entity::find()
                    .select_only()
                    .columns([dealer::Column::Id, dealer::Column::Code])
                    .into_tuple()
                    .all(db)
                    .await?
            }
            "country" => {
                dealer::Entity::find()
                    .select_only()
                    .columns([dealer::Column::Id, dealer::Column::Country])
                    .into_tuple()
                    .all(db)
                    .await?
            }
            _ => {
                vehicle_model::Entity::find()
                    .select_only()
                    .columns([vehicle_model::Column::Id, vehicle_model::Column::Name])
                    .into_tuple()
                    .all(db)
                    .await?
            }
        };
        Ok(Self(pairs.into_iter().map(|(id, name)| (id.to_string(), name)).collect()))
    }

    /// Part numbers for the part ids found (the catalogue may be large).
    pub async fn parts(db: &Reader<'_>, ids: impl Iterator<Item = i64>) -> Result<Self, AppError> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
        let pairs: Vec<(i64, String)> = part::Entity::find()
            .select_only()
            .columns([part::Column::Id, part::Column::PartNumber])
            .filter(part::Column::Id.is_in(ids.collect::<Vec<_>>()))
            .into_tuple()
            .all(db)
            .await?;
        Ok(Self(pairs.into_iter().map(|(id, name)| (id.to_string(), name)).collect()))
    }

    pub fn name(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_else(|| if key.is_empty() { "—".into() } else { key.to_string() })
    }
}

pub(super) async fn claims_cost(
    db: &Reader<'_>,
    scope: &Scope,
    period: &Period,
    query: &ReportQuery,
    group_by: &str,
) -> Result<ReportDto, AppError> {
    let backend = sea_orm::ConnectionTrait::get_database_backend(db);
    let key = group_key(backend, group_by);
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
    let rows = sql.all(db).await?;
    let keys = rows.iter().filter_map(|r| get::<Option<String>>(r, "grp").ok().flatten());
    let labels = if group_by == "part" {
        Labels::parts(db, keys.filter_map(|k| k.parse().ok())).await?
    } else {
        Labels::of(db, group_by).await?
    };
    let mut groups: BTreeMap<String, Sums> = BTreeMap::new();
    for row in rows {
        let sums = Sums {
            claims: get(&row, "claims")?,
            requested: get(&row, "requested")?,
            approved: get(&row, "approved")?,
            decided_requested: get(&row, "decided_requested")?,
            decided: get(&row, "decided")?,
            approved_claims: get(&row, "approved_claims")?,
            unconverted: get(&row, "unconverted")?,
        };
        let key = get::<Option<String>>(&row, "grp")?.unwrap_or_default();
        groups.entry(labels.name(&key)).or_default().add(&sums);
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
