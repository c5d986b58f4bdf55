//! `cycle-time`: days from submission to decision and to payment, median
//! and 90th percentile, by month of submission or by dealer; and the open
//! queue's ages (DESIGN §10).

use std::collections::BTreeMap;

use chrono::Utc;
use serde_json::{Value, json};

use super::cost::{Labels, group_key, status_list, submitted_in};
use super::sql::{Sql, days_between, get};
use super::{Period, Scope, chain::Chains, one_decimal};
use crate::model::AppError;
use crate::model::claim::ClaimStatus;
use crate::model::field::{AGE_BUCKETS, age_bucket, bucket_label, percentile_counted};
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

/// Days to decision and to payment as counted tenths of a day.
#[derive(Debug, Default)]
struct Durations {
    to_decision: BTreeMap<i64, u64>,
    to_payment: BTreeMap<i64, u64>,
}

impl Durations {
    fn add(&mut self, decision: Option<i64>, payment: Option<i64>, n: u64) {
        if let Some(tenths) = decision {
            *self.to_decision.entry(tenths).or_default() += n;
        }
        if let Some(tenths) = payment {
            *self.to_payment.entry(tenths).or_default() += n;
        }
    }

    fn merge(&mut self, other: &Durations) {
        for (days, n) in &other.to_decision {
            *self.to_decision.entry(*days).or_default() += n;
        }
        for (days, n) in &other.to_payment {
            *self.to_payment.entry(*days).or_default() += n;
        }
    }

    fn row(&self, group: Value) -> Vec<Value> {
        let counted = |m: &BTreeMap<i64, u64>| m.iter().map(|(d, n)| (*d as f64 / 10.0, *n)).collect::<Vec<_>>();
        let (decision, payment) = (counted(&self.to_decision), counted(&self.to_payment));
        let at = |values: &[(f64, u64)], p: f64| percentile_counted(values, p).map_or(Value::Null, one_decimal);
        let total = |m: &BTreeMap<i64, u64>| m.values().sum::<u64>();
        vec![
            group,
            json!(total(&self.to_decision)),
            at(&decision, 0.5),
            at(&decision, 0.9),
            json!(total(&self.to_payment)),
            at(&payment, 0.5),
            at(&payment, 0.9),
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
    let key = group_key(backend, group_by);
    let labels = Labels::of(db, group_by).await?;
    // Each claim keeps its days in tenths (written with the decision and the
    // payment): counted per value in the database, a few thousand rows, read
    // from the reporting index.
    let select =
        format!("SELECT {key} AS grp, c.decision_tenths AS to_decision, c.payment_tenths AS to_payment, COUNT(*) AS n");
    let chains = Chains::load(db, scope.oem_id).await?;
    let mut groups: BTreeMap<String, Durations> = BTreeMap::new();
    let mut all = Durations::default();
    let mut sql = submitted_in(scope, period, query, &chains, &select);
    sql.push("GROUP BY 1, 2, 3", []);
    for row in sql.all(db).await? {
        let n = get::<i64>(&row, "n")?.max(0) as u64;
        let (decision, payment) = (get::<Option<i64>>(&row, "to_decision")?, get::<Option<i64>>(&row, "to_payment")?);
        let key = get::<Option<String>>(&row, "grp")?.unwrap_or_default();
        groups.entry(labels.name(&key)).or_default().add(decision, payment, n);
    }
    groups.values().for_each(|g| all.merge(g));
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
        rows: groups.iter().map(|(group, d)| d.row(json!(group))).collect(),
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
        "SELECT {} AS age FROM claims c WHERE c.status IN ({})",
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
