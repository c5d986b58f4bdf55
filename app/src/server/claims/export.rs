//! The claim list as CSV, with the list's filters: streamed 500 claims at a
//! time, newest first.

use sea_orm::{ColumnTrait, DatabaseConnection, QueryFilter, QueryOrder, QuerySelect, Select};

use super::read::filtered;
use super::summary::dtos;
use crate::model::AppError;
use crate::model::claim::ClaimFilter;
use crate::model::limits::EXPORT_MAX_ROWS;
use crate::server::auth::Actor;
use crate::server::csv_export::{self, CsvExport, CsvTurns, PAGE_ROWS, Pages, Rows, cell};
use crate::server::entities::claim;
use crate::server::reader::Reader;

const COLUMNS: [&str; 17] = [
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
];

/// Every matching claim (up to `EXPORT_MAX_ROWS`) as CSV, newest first,
/// read and sent a page at a time.
///
/// # Errors
/// `Validation` for a bad filter; `Busy` when the server streams as many
/// exports as it allows.
pub async fn export_csv(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &ClaimFilter,
    exports: &CsvTurns,
) -> Result<CsvExport, AppError> {
    let query = filtered(actor, filter)?;
    let pages = ClaimPages { db: db.clone(), query, before: None, left: EXPORT_MAX_ROWS };
    csv_export::stream(exports, "claims.csv", &COLUMNS, pages)
}

/// The claims still to send: those below `before` (by id), at most `left`.
struct ClaimPages {
    db: DatabaseConnection,
    query: Select<claim::Entity>,
    before: Option<i64>,
    left: u64,
}

impl Pages for ClaimPages {
    async fn next_page(&mut self) -> Result<Option<Vec<u8>>, AppError> {
        if self.left == 0 {
            return Ok(None);
        }
        let take = self.left.min(PAGE_ROWS);
        let mut query = self.query.clone();
        if let Some(before) = self.before {
            query = query.filter(claim::Column::Id.lt(before));
        }
        // A reader per page: none is held while the client takes its time.
        let reader = Reader::of(&self.db).await?;
        let rows = query.order_by_desc(claim::Column::Id).limit(take).all(&reader).await?;
        let Some(last) = rows.last().map(|c| c.id) else {
            return Ok(None);
        };
        self.left = if (rows.len() as u64) < take { 0 } else { self.left - take };
        self.before = Some(last);
        let claims = dtos(&reader, rows).await?;
        drop(reader);

        let time = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
        let mut out = Rows::new();
        for c in claims {
            let warnings: Vec<&str> = c.warnings.iter().map(|w| w.as_str()).collect();
            out.row([
                &*cell(&c.number),
                c.status.as_str(),
                &*cell(&c.dealer_code),
                &*cell(&c.vin),
                &*cell(&c.model_name),
                &*cell(&c.repair_number),
                &c.repair_date.to_string(),
                &*cell(&c.causal_part_number),
                &*cell(&c.failure_code),
                &*cell(&c.currency),
                &c.requested_total.amount_minor.to_string(),
                &c.approved_total.as_ref().map(|a| a.amount_minor.to_string()).unwrap_or_default(),
                &warnings.join(" "),
                &time(c.submitted_at),
                &time(c.decided_at),
                &time(c.paid_at),
                &*cell(c.payment_reference.as_deref().unwrap_or_default()),
            ])?;
        }
        out.finish().map(Some)
    }
}
