//! The OEM's numbers (DESIGN §10): read models over the claims and vehicles,
//! scoped like every read. Each report is plain SQL aggregated in the
//! database (the same text on SQLite and PostgreSQL), finished in Rust where
//! a rule needs it (percentiles, maturation, supersession chains).

pub mod alerts;
mod chain;
mod cost;
mod cycle;
mod failure;
mod scope;
mod sql;

use chrono::{NaiveDate, Utc};
use serde_json::{Value, json};

use super::auth::Actor;
use crate::model::AppError;
use crate::model::field::YearMonth;
use crate::model::reporting::{ReportDto, ReportName, ReportQuery};
use crate::server::csv_export::cell;

pub use scope::Scope;

/// Months in service a failure-rate report may ask for.
pub const MAX_MIS: i32 = 36;

/// A report by name, for the actor's scope.
///
/// # Errors
/// `NotFound` for an unknown name or a scope outside the actor's;
/// `Validation` naming a bad parameter.
pub async fn report(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    name: &str,
    query: &ReportQuery,
) -> Result<ReportDto, AppError> {
    let name = ReportName::parse(name).ok_or(AppError::NotFound)?;
    let today = Utc::now().date_naive();
    let period = Period::of(query, today)?;
    let group_by = grouping(name, query.group_by.as_deref())?;
    let reader = crate::server::reader::Reader::of(db).await?;
    let scope = Scope::of(&reader, actor, query).await?;
    let resolved;
    let query = match query.part_number.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(number) if query.part_id.is_none() => {
            resolved = ReportQuery { part_id: Some(scope.part_numbered(&reader, number).await?), ..query.clone() };
            &resolved
        }
        _ => query,
    };
    let mut params = json!({
        "from": period.from, "to": period.to, "oem_id": scope.oem_id, "dealer_id": scope.dealer_id,
        "model_id": query.model_id, "part_id": query.part_id,
    });
    if let Some(group_by) = group_by {
        params["group_by"] = json!(group_by);
    }
    let mut report = match name {
        ReportName::ClaimsCost => {
            cost::claims_cost(&reader, &scope, &period, query, group_by.unwrap_or("model")).await?
        }
        ReportName::CycleTime => {
            cycle::cycle_time(&reader, &scope, &period, query, group_by.unwrap_or("month")).await?
        }
        ReportName::FailureRate => {
            let mis = query.mis.unwrap_or(3);
            if !(1..=MAX_MIS).contains(&mis) {
                return Err(AppError::field("mis", format!("must be between 1 and {MAX_MIS} months in service")));
            }
            params["mis"] = json!(mis);
            failure::failure_rate(&reader, &scope, &period, query, mis, today).await?
        }
    };
    report.params = params;
    Ok(report)
}

/// A report as CSV: its header row and rows, no totals.
///
/// # Errors
/// Only if writing to memory fails.
pub fn to_csv(report: &ReportDto) -> Result<String, AppError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| anyhow::anyhow!("writing the report's CSV: {e}");
    writer.write_record(report.columns.iter().map(|c| cell(c).into_owned())).map_err(failed)?;
    for row in &report.rows {
        writer.write_record(row.iter().map(csv_value)).map_err(failed)?;
    }
    let bytes = writer.into_inner().map_err(|e| anyhow::anyhow!("writing the report's CSV: {e}"))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn csv_value(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => cell(s).into_owned(),
        other => other.to_string(),
    }
}

/// The reporting period, both ends included.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// Defaults to the last 12 months: this month and the eleven before.
    fn of(query: &ReportQuery, today: NaiveDate) -> Result<Self, AppError> {
        let sane = |field: &str, date: Option<NaiveDate>| match date {
            Some(d) if !(1990..=2100).contains(&chrono::Datelike::year(&d)) => {
                Err(AppError::field(field, "must be a date between 1990 and 2100"))
            }
            _ => Ok(date),
        };
        let to = sane("to", query.to)?.unwrap_or(today);
        let from = sane("from", query.from)?.unwrap_or_else(|| YearMonth::of(to).plus(-11).first_day());
        if from > to {
            return Err(AppError::field("from", "must not be after `to`"));
        }
        if (to - from).num_days() > 366 * 10 {
            return Err(AppError::field("from", "the period is at most ten years"));
        }
        Ok(Self { from, to })
    }

    /// The months the period touches, oldest first.
    pub fn months(&self) -> Vec<YearMonth> {
        let (first, last) = (YearMonth::of(self.from), YearMonth::of(self.to));
        (0..=first.months_until(last)).map(|i| first.plus(i)).collect()
    }
}

fn grouping(name: ReportName, raw: Option<&str>) -> Result<Option<&'static str>, AppError> {
    let allowed = name.groupings();
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(allowed.first().copied()),
        Some(raw) => allowed.iter().copied().find(|g| *g == raw).map(Some).ok_or_else(|| {
            let choices = if allowed.is_empty() {
                "nothing: this report has no grouping".to_string()
            } else {
                allowed.join(", ")
            };
            AppError::field("group_by", format!("must be one of {choices}"))
        }),
    }
}

/// Narrows claims aliased `c` to the scope, the
/// model and the part's supersession chain asked for.
pub(crate) fn narrow(sql: &mut sql::Sql, scope: &Scope, query: &ReportQuery, chains: &chain::Chains) {
    scope.claims(sql);
    if let Some(model) = query.model_id {
        sql.push("AND c.model_id = ?", [model.into()]);
    }
    if let Some(part) = query.part_id {
        sql.ids_in("c.causal_part_id", &chains.members(part));
    }
}

/// A totals row (its first cell the label) keyed by column.
pub(crate) fn totals(columns: &[&str], row: Vec<Value>) -> Value {
    Value::Object(columns.iter().skip(1).zip(row.into_iter().skip(1)).map(|(c, v)| ((*c).to_string(), v)).collect())
}

/// A share as a fraction with four decimals (`None` for 0 ÷ 0).
pub(crate) fn share(part: i64, whole: i64) -> Value {
    if whole == 0 {
        return Value::Null;
    }
    json!(((part as f64 / whole as f64) * 10_000.0).round() / 10_000.0)
}

/// A figure rounded to one decimal.
pub(crate) fn one_decimal(v: f64) -> Value {
    json!((v * 10.0).round() / 10.0)
}
