//! The claim list as CSV, with the list's filters.

use sea_orm::{DatabaseConnection, QueryOrder, QuerySelect};

use super::read::filtered;
use super::summary::dtos;
use crate::model::AppError;
use crate::model::claim::ClaimFilter;
use crate::server::auth::Actor;
use crate::server::entities::claim;

/// Every matching claim (up to 100,000) as CSV, newest first.
///
/// # Errors
/// `Validation` for a bad filter.
pub async fn export_csv(db: &DatabaseConnection, actor: &Actor, filter: &ClaimFilter) -> Result<String, AppError> {
    let rows = filtered(actor, filter)?.order_by_desc(claim::Column::Id).limit(100_000).all(db).await?;
    let claims = dtos(db, rows).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let csv_error = |e: csv::Error| AppError::from(anyhow::anyhow!(e));
    out.write_record([
        "number",
        "status",
        "dealer",
        "vin",
        "model",
        "repair",
        "repair_date",
        "causal_part",
        "failure_code",
        "currency",
        "requested_minor",
        "approved_minor",
        "warnings",
        "submitted_at",
        "decided_at",
        "paid_at",
        "payment_reference",
    ])
    .map_err(csv_error)?;
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
    for c in claims {
        let warnings: Vec<&str> = c.warnings.iter().map(|w| w.as_str()).collect();
        out.write_record([
            c.number,
            c.status.as_str().to_string(),
            c.dealer_code,
            c.vin,
            c.model_name,
            c.repair_number,
            c.repair_date.to_string(),
            c.causal_part_number,
            c.failure_code,
            c.currency,
            c.requested_total.amount_minor.to_string(),
            c.approved_total.map(|a| a.amount_minor.to_string()).unwrap_or_default(),
            warnings.join(" "),
            time(c.submitted_at),
            time(c.decided_at),
            time(c.paid_at),
            c.payment_reference.unwrap_or_default(),
        ])
        .map_err(csv_error)?;
    }
    let bytes = out.into_inner().map_err(|e| AppError::from(anyhow::anyhow!(e.to_string())))?;
    String::from_utf8(bytes).map_err(|e| AppError::from(anyhow::anyhow!(e)))
}
