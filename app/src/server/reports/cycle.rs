//! `cycle-time`: days from submission to decision and to payment, median
//! and 90th percentile, by month of submission or by dealer; and the open
//! queue's ages (DESIGN §10).

use std::collections::BTreeMap;

use chrono::Utc;
use serde_json::{Value, json};

use super::cost::{status_list, submitted_in};
use super::sql::{Sql, days_between, get, month_of};
use super::{Period, Scope, chain::Chains, one_decimal};
use crate::model::AppError;
use crate::model::claim::ClaimStatus;
use crate::model::field::{AGE_BUCKETS, age_bucket, bucket_label, percentile};
use crate::model::reporting::{QueueBucket, ReportDto, ReportName, ReportQuery};
use crate::server::reader::Reader;

const COLUMNS: [&str; 7] = [
    "group",
    "decided",
    "median_days_to_decision",
    "p90_days_to_decision",
    "paid",
    "median_days_to_payment",
    "p90_days_to_payment",
];

/// Waiting for the OEM or for the dealer's answer.
const OPEN: [ClaimStatus; 3] = [ClaimStatus::Submitted, ClaimStatus::InReview, ClaimStatus::InfoRequested];

#[derive(Debug, Default)]
struct Durations {
    to_decision: Vec<f64>,
    to_payment: Vec<f64>,
}

impl Durations {
    fn row(mut self, group: Value) -> Vec<Value> {
        self.to_decision.sort_by(f64::total_cmp);
        self.to_payment.sort_by(f64::total_cmp);
        let at = |values: &[f64], p: f64| percentile(values, p).map_or(Value::Null, one_decimal);
        vec![
            group,
            json!(self.to_decision.len()),
            at(&self.to_decision, 0.5),
            at(&self.to_decision, 0.9),
            json!(self.to_payment.len()),
            at(&self.to_payment, 0.5),
            at(&self.to_payment, 0.9),
        ]
    }
}

pub(super) async fn cycle_time(
    db: &Reader<'_>,
    scope: &Scope,
    period: &Period,
    query: &ReportQuery,
    group_by: &str,
) -> Result<ReportDto, AppError> {
    let backend = sea_orm::ConnectionTrait::get_database_backend(db);
    let key = if group_by == "dealer" { "d.code".to_string() } else { month_of(backend, "c.submitted_at") };
    let select = format!(
        "SELECT {key} AS grp, {} AS to_decision, {} AS to_payment",
        days_between(backend, "c.submitted_at", "c.decided_at"),
        days_between(backend, "c.submitted_at", "c.paid_at"),
    );
    let chains = Chains::load(db, scope.oem_id).await?;
    let mut groups: BTreeMap<String, Durations> = BTreeMap::new();
    let mut all = Durations::default();
    for row in submitted_in(scope, period, query, &chains, &select).all(db).await? {
        let group = groups.entry(get::<String>(&row, "grp")?).or_default();
        if let Some(days) = get::<Option<f64>>(&row, "to_decision")? {
            group.to_decision.push(days);
            all.to_decision.push(days);
        }
        if let Some(days) = get::<Option<f64>>(&row, "to_payment")? {
            group.to_payment.push(days);
            all.to_payment.push(days);
        }
    }
    if group_by == "month" {
        for month in period.months() {
            groups.entry(month.to_string()).or_default();
        }
    }
    let totals_row = all.row(json!("total"));
    let totals = super::totals(&COLUMNS, totals_row);
    let queue = open_queue(db, scope, query, &chains).await?;
    Ok(ReportDto {
        name: ReportName::CycleTime,
        currency: scope.currency.clone(),
        params: Value::Null,
        columns: COLUMNS.iter().map(|c| (*c).to_string()).collect(),
        rows: groups.into_iter().map(|(group, d)| d.row(json!(group))).collect(),
        totals,
        notes: vec!["Days are counted from the first submission; a claim decided again after an appeal counts its last decision.".into()],
        queue,
    })
}

/// The claims waiting now, by age since submission (whatever the period).
async fn open_queue(
    db: &Reader<'_>,
    scope: &Scope,
    query: &ReportQuery,
    chains: &Chains,
) -> Result<Vec<QueueBucket>, AppError> {
    let backend = sea_orm::ConnectionTrait::get_database_backend(db);
    let mut sql = Sql::new(&format!(
        "SELECT {} AS age FROM claims c JOIN vehicles v ON v.id = c.vehicle_id WHERE c.status IN ({})",
        days_between(backend, "c.submitted_at", "?"),
        status_list(&OPEN)
    ));
    // The select's `?` is now: the first value bound.
    sql.push("", [Utc::now().into()]);
    super::narrow(&mut sql, scope, query, chains);
    let mut counts = [0u64; AGE_BUCKETS.len()];
    for row in sql.all(db).await? {
        let days = get::<Option<f64>>(&row, "age")?.unwrap_or(0.0).floor() as i64;
        if let Some(count) = counts.get_mut(age_bucket(days)) {
            *count += 1;
        }
    }
    Ok(counts.iter().enumerate().map(|(i, &claims)| QueueBucket { label: bucket_label(i), claims }).collect())
}
