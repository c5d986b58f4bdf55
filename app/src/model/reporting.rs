//! What the API and the UI exchange about the OEM's numbers: exchange rates,
//! a claim's frozen reporting amounts, reports and early-warning alerts
//! (DESIGN §9–10). Decimals travel as exact text (`"389.78"`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One rate: units of `currency` per 1 EUR on `on_date`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RateDto {
    pub currency: String,
    pub on_date: NaiveDate,
    /// Exact decimal text, e.g. `"389.78"`.
    pub per_eur: String,
    /// `ecb` or `manual`.
    pub source: String,
}

/// `GET /exchange-rates`: newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct RateFilter {
    pub currency: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// `POST /exchange-rates`: a manual rate (currencies the ECB does not quote).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRate {
    pub currency: String,
    pub on_date: NaiveDate,
    /// A decimal string, e.g. `"52.1034"`.
    pub per_eur: String,
}

/// What an import changed, counted in (currency, date) pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RateImportDto {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Submitted claims that had no rate and now have one.
    pub claims_converted: u64,
}

/// A claim's amounts in its OEM's reporting currency, frozen at submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportingDto {
    pub currency: String,
    pub requested_minor: i64,
    pub approved_minor: Option<i64>,
    /// The rate date used (the repair date when no rate was needed).
    pub rate_date: NaiveDate,
    /// Both rates of `rate_date`, units per EUR (`"1"` for EUR).
    pub claim_per_eur: String,
    pub reporting_per_eur: String,
    /// Units of the reporting currency per unit of the claim's (informative).
    pub rate: String,
    /// `ecb`, `manual` or `same_currency`.
    pub source: String,
}

/// The reports there are (`GET /reports/{name}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ReportName {
    ClaimsCost,
    CycleTime,
    FailureRate,
}

impl ReportName {
    pub const ALL: [ReportName; 3] = [ReportName::ClaimsCost, ReportName::CycleTime, ReportName::FailureRate];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportName::ClaimsCost => "claims-cost",
            ReportName::CycleTime => "cycle-time",
            ReportName::FailureRate => "failure-rate",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.as_str() == raw)
    }

    /// The groupings a report accepts, the default first.
    pub fn groupings(self) -> &'static [&'static str] {
        match self {
            ReportName::ClaimsCost => &["model", "part", "dealer", "country", "month"],
            ReportName::CycleTime => &["month", "dealer"],
            ReportName::FailureRate => &[],
        }
    }
}

/// The parameters every report takes (each optional; the period defaults
/// to the last 12 months).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub oem_id: Option<i64>,
    pub dealer_id: Option<i64>,
    pub model_id: Option<i64>,
    pub part_id: Option<i64>,
    /// A part by its number instead of its id (the report page's field).
    pub part_number: Option<String>,
    pub group_by: Option<String>,
    /// Months in service (failure-rate), 1–36, default 3.
    pub mis: Option<i32>,
}

/// A report: columns and rows as the CSV has them, plus totals and notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportDto {
    pub name: ReportName,
    /// The reporting currency of amounts (`*_minor` columns).
    pub currency: String,
    /// The parameters as applied (defaults filled in).
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub params: Value,
    pub columns: Vec<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Vec<Object>>))]
    pub rows: Vec<Vec<Value>>,
    /// Keyed by column.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub totals: Value,
    /// What is incomplete (unconverted claims, immature cohorts…).
    pub notes: Vec<String>,
    /// `cycle-time` only: the open queue by age.
    #[serde(default)]
    pub queue: Vec<QueueBucket>,
}

impl ReportDto {
    /// One column as chart points labelled by the first column (`None`
    /// values are left out).
    pub fn series(&self, column: &str) -> Vec<(String, f64)> {
        let Some(index) = self.columns.iter().position(|c| c == column) else {
            return Vec::new();
        };
        self.rows
            .iter()
            .filter_map(|row| {
                let label = match row.first()? {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                Some((label, row.get(index)?.as_f64()?))
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QueueBucket {
    pub label: String,
    pub claims: u64,
}

/// An early-warning alert (DESIGN §10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AlertDto {
    pub id: i64,
    pub oem_id: i64,
    pub oem_code: String,
    pub part_id: i64,
    pub part_number: String,
    pub cohorts: CohortSpan,
    pub vehicles: i64,
    pub claims: i64,
    pub expected: f64,
    pub baseline_per_1000: f64,
    pub p_value: f64,
    pub explanation: String,
    /// `open` or `acknowledged`.
    pub status: String,
    pub raised_at: chrono::DateTime<chrono::Utc>,
    pub acknowledged_by_name: Option<String>,
    pub acknowledged_at: Option<chrono::DateTime<chrono::Utc>>,
    pub comment: Option<String>,
}

/// In-service months, `2026-03` to `2026-05`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CohortSpan {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct AlertFilter {
    pub oem_id: Option<i64>,
    /// `open` or `acknowledged`; both when left out.
    pub status: Option<String>,
}

/// `POST /alerts/{id}/acknowledge`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeInput {
    pub comment: String,
}

/// The page of an alert's failure-rate chart.
pub fn failure_rate_link(part_id: i64, oem_id: i64) -> String {
    format!("/reports/failure-rate?part_id={part_id}&oem_id={oem_id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn report_names_round_trip_through_their_path_segment() {
        for name in ReportName::ALL {
            assert_eq!(ReportName::parse(name.as_str()), Some(name));
        }
        assert_eq!(ReportName::parse("battery"), None);
    }

    #[test]
    fn a_series_is_one_column_labelled_by_the_first() {
        let report = ReportDto {
            name: ReportName::ClaimsCost,
            currency: "EUR".into(),
            params: json!({}),
            columns: vec!["group".into(), "claims".into()],
            rows: vec![vec![json!("Aurora"), json!(3)], vec![json!("Borealis"), Value::Null]],
            totals: json!({}),
            notes: vec![],
            queue: vec![],
        };
        assert_eq!(report.series("claims"), vec![("Aurora".to_string(), 3.0)]);
        assert!(report.series("nope").is_empty());
    }
}
