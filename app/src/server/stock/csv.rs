//! Stock as CSV: receipts imported all-or-nothing with their bad rows
//! named, and the levels exported as a stream.

use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{Posting, acting_dealer, apply, level_scope};
use crate::model::AppError;
use crate::model::error::{FileErrors, LineError};
use crate::model::limits::{EXPORT_MAX_ROWS, IMPORT_MAX_ROWS};
use crate::model::parts::{ImportReport, part_number};
use crate::model::stock::{EXPORT_COLUMNS, MovementKind, MovementPlan, RECEIPT_COLUMNS, UnitEvent, UnitStatus};
use crate::model::stock::{plan_movement, split_serials, unit_transition};
use crate::server::auth::Actor;
use crate::server::csv_export::{self, CsvExport, CsvTurns, PAGE_ROWS, Pages, Rows, cell};
use crate::server::entities::{dealer, oem, part, part_unit, stock_level};
use crate::server::ledger::LedgerTx;

/// Whether the actor may receive goods at `dealer_id` from a file: asked
/// before the file is read (nothing is parsed for an actor who may not).
///
/// # Errors
/// `Forbidden` for service managers, `NotFound` for another dealer,
/// `Validation` on `dealer_id` for an admin who names none or no dealer.
pub async fn may_import(db: &DatabaseConnection, actor: &Actor, dealer_id: Option<i64>) -> Result<i64, AppError> {
    acting_dealer(db, actor, dealer_id, "dealer_id").await
}

/// Receives goods from a CSV file (`part_number, quantity, serials,
/// reference, oem`): one receipt per row, all in one transaction. The
/// actor is checked before the file is read.
///
/// # Errors
/// `Forbidden` for service managers, `NotFound` for another dealer,
/// `InvalidFile` naming the first bad rows with their total, or for more
/// than `IMPORT_MAX_ROWS` rows (nothing is written).
#[tracing::instrument(skip(db, actor, bytes), fields(bytes = bytes.len()))]
pub async fn import_receipts(
    db: &DatabaseConnection,
    actor: &Actor,
    dealer_id: Option<i64>,
    bytes: Vec<u8>,
) -> Result<ImportReport, AppError> {
    let dealer_id = may_import(db, actor, dealer_id).await?;
    let rows = tokio::task::spawn_blocking(move || read(&bytes))
        .await
        .map_err(|e| anyhow::anyhow!("the CSV parser stopped: {e}"))??;
    receive_at(db, actor, dealer_id, rows).await
}

/// Receives several lines of goods in one transaction (the receive form and
/// the CSV import): every bad line is named, and nothing is written then.
///
/// # Errors
/// `Forbidden` for service managers, `NotFound` for another dealer,
/// `InvalidFile` naming the first bad lines with their total, or for more
/// than `IMPORT_MAX_ROWS` lines.
pub async fn receive(
    db: &DatabaseConnection,
    actor: &Actor,
    dealer_id: Option<i64>,
    rows: Vec<ReceiptRow>,
) -> Result<ImportReport, AppError> {
    let dealer_id = acting_dealer(db, actor, dealer_id, "dealer_id").await?;
    if let Some(over) = rows.get(IMPORT_MAX_ROWS) {
        return Err(AppError::too_many_rows(over.line));
    }
    receive_at(db, actor, dealer_id, rows).await
}

/// Receives the lines at a dealer the actor may act for.
async fn receive_at(
    db: &DatabaseConnection,
    actor: &Actor,
    dealer_id: i64,
    rows: Vec<ReceiptRow>,
) -> Result<ImportReport, AppError> {
    let numbers: HashSet<&str> = rows.iter().filter_map(|r| r.number.as_deref()).collect();
    let mut candidates: HashMap<String, Vec<part::Model>> = HashMap::new();
    let numbers: Vec<&str> = numbers.into_iter().collect();
    for chunk in numbers.chunks(5000) {
        for p in part::Entity::find().filter(part::Column::PartNumber.is_in(chunk.to_vec())).all(db).await? {
            candidates.entry(p.part_number.clone()).or_default().push(p);
        }
    }
    let oems: HashMap<i64, String> = oem::Entity::find().all(db).await?.into_iter().map(|o| (o.id, o.code)).collect();

    let mut errors = FileErrors::new();
    let mut plans: Vec<(part::Model, MovementPlan)> = Vec::new();
    let mut seen_serials: HashMap<(i64, String), u64> = HashMap::new();
    for row in rows {
        let err = |field: &str, message: String| LineError { line: row.line, field: field.to_string(), message };
        let Some(number) = &row.number else {
            errors.push(err("part_number", row.number_error.clone().unwrap_or_default()));
            continue;
        };
        let matching: Vec<&part::Model> = candidates
            .get(number)
            .map(|list| {
                list.iter().filter(|p| row.oem.as_ref().is_none_or(|code| oems.get(&p.oem_id) == Some(code))).collect()
            })
            .unwrap_or_default();
        let part = match matching.as_slice() {
            [] => {
                errors.push(err("part_number", format!("{number} is not in the catalogue")));
                continue;
            }
            [one] => (*one).clone(),
            _ => {
                errors.push(err("oem", format!("several OEMs have part {number}: give the oem column")));
                continue;
            }
        };
        if !part.active {
            errors.push(err("part_number", format!("{number} is no longer active and cannot be received")));
            continue;
        }
        let quantity = match row.quantity.trim().parse::<i64>() {
            Ok(q) => q,
            Err(_) => {
                errors.push(err("quantity", "must be a whole number".into()));
                continue;
            }
        };
        let serials = split_serials(&row.serials);
        match plan_movement(
            MovementKind::Receipt,
            quantity,
            &serials,
            part.serialized,
            row.reference.as_deref(),
            None,
            false,
        ) {
            Err(field_errors) => {
                for (field, message) in field_errors.into_error().fields() {
                    errors.push(err(&field, message));
                }
            }
            Ok(plan) => {
                for s in &plan.serials {
                    if let Some(first) = seen_serials.insert((part.id, s.clone()), row.line) {
                        errors.push(err("serials", format!("{s} is already on line {first}")));
                    }
                }
                plans.push((part, plan));
            }
        }
    }
    check_units(db, &seen_serials, &mut errors).await?;
    errors.finish()?;
    if plans.is_empty() {
        return Err(AppError::invalid_file(vec![LineError {
            line: 1,
            field: "file".into(),
            message: "has no rows to receive".into(),
        }]));
    }
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let mut created = 0;
    let mut touched = HashSet::new();
    for (part, plan) in &plans {
        created +=
            apply(&mut tx, Posting { dealer_id, part, plan, repair: None, transfer_id: None }).await?.len() as u64;
        touched.insert(part.id);
    }
    tx.commit().await?;
    Ok(ImportReport { created, updated: touched.len() as u64 })
}

/// Serials in the file must be new to their part (or back from the OEM).
async fn check_units(
    db: &DatabaseConnection,
    serials: &HashMap<(i64, String), u64>,
    errors: &mut FileErrors,
) -> Result<(), AppError> {
    let all: Vec<&str> = serials.keys().map(|(_, s)| s.as_str()).collect();
    for chunk in all.chunks(5000) {
        let units = part_unit::Entity::find().filter(part_unit::Column::Serial.is_in(chunk.to_vec())).all(db).await?;
        for unit in units {
            let Some(line) = serials.get(&(unit.part_id, unit.serial.clone())) else { continue };
            if let Err(reason) = unit_transition(UnitStatus::parse(&unit.status), UnitEvent::Received) {
                errors.push(LineError {
                    line: *line,
                    field: "serials".into(),
                    message: format!("{} {reason}", unit.serial),
                });
            }
        }
    }
    Ok(())
}

/// One line of goods received, as typed or read from a file.
pub struct ReceiptRow {
    line: u64,
    number: Option<String>,
    number_error: Option<String>,
    quantity: String,
    serials: String,
    reference: Option<String>,
    oem: Option<String>,
}

impl ReceiptRow {
    /// A line of the receive form (`line` counts from 1).
    pub fn typed(line: u64, part_number: &str, quantity: &str, serials: &str, reference: Option<String>) -> Self {
        let (number, number_error) = match crate::model::parts::part_number(part_number) {
            Ok(n) => (Some(n), None),
            Err(e) => (None, Some(e)),
        };
        Self { line, number, number_error, quantity: quantity.into(), serials: serials.into(), reference, oem: None }
    }
}

/// Reads the file record by record: the rows, or its first bad lines with
/// their total, or a refusal past `IMPORT_MAX_ROWS` rows.
fn read(bytes: &[u8]) -> Result<Vec<ReceiptRow>, AppError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = ::csv::ReaderBuilder::new().flexible(true).trim(::csv::Trim::All).from_reader(bytes);
    let header_error = |field: &str, message: String| {
        AppError::invalid_file(vec![LineError { line: 1, field: field.into(), message }])
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| header_error("file", format!("is not a readable CSV file: {e}")))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let mut errors = FileErrors::new();
    for required in &RECEIPT_COLUMNS[..2] {
        if !headers.iter().any(|h| h == required) {
            errors.push(LineError { line: 1, field: (*required).into(), message: "is a required column".into() });
        }
    }
    for h in &headers {
        if !RECEIPT_COLUMNS.contains(&h.as_str()) {
            let message = format!("is not a column of the receipts file ({})", RECEIPT_COLUMNS.join(", "));
            errors.push(LineError { line: 1, field: h.clone(), message });
        }
    }
    if !errors.is_empty() {
        return Err(errors.into_error());
    }
    let index: HashMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect();
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        if n >= IMPORT_MAX_ROWS {
            let line = record.as_ref().ok().and_then(|r| r.position()).map_or(0, |p| p.line());
            return Err(AppError::too_many_rows(line));
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(LineError { line, field: "file".into(), message: format!("cannot be read: {e}") });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |name: &str| index.get(name).and_then(|i| record.get(*i)).unwrap_or_default().to_string();
        let optional = |name: &str| Some(cell(name)).filter(|v| !v.is_empty());
        let (number, number_error) = match part_number(&cell("part_number")) {
            Ok(n) => (Some(n), None),
            Err(e) => (None, Some(e)),
        };
        rows.push(ReceiptRow {
            line,
            number,
            number_error,
            quantity: cell("quantity"),
            serials: cell("serials"),
            reference: optional("reference"),
            oem: optional("oem").map(|o| o.to_uppercase()),
        });
    }
    errors.finish()?;
    Ok(rows)
}

/// Stock levels in the actor's scope as CSV (a dealer its own; an admin one
/// dealer or all), by dealer: streamed a page at a time, up to
/// `EXPORT_MAX_ROWS` levels.
///
/// # Errors
/// `NotFound` when a dealer names another dealer; `Busy` when the server
/// streams as many exports as it allows.
pub async fn export_csv(
    db: &DatabaseConnection,
    actor: &Actor,
    dealer_id: Option<i64>,
    exports: &CsvTurns,
) -> Result<CsvExport, AppError> {
    let mut scope = level_scope(actor, dealer_id)?;
    if let Some(id) = dealer_id {
        scope = scope.add(stock_level::Column::DealerId.eq(id));
    }
    let oems: HashMap<i64, String> = oem::Entity::find().all(db).await?.into_iter().map(|o| (o.id, o.code)).collect();
    let dealers: HashMap<i64, String> =
        dealer::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.code)).collect();
    let pages = LevelPages { db: db.clone(), scope, oems, dealers, after: None, left: EXPORT_MAX_ROWS };
    csv_export::stream(exports, "stock.csv", &EXPORT_COLUMNS, pages)
}

/// The levels still to send: those after `after` (dealer, id), at most `left`.
struct LevelPages {
    db: DatabaseConnection,
    scope: Condition,
    oems: HashMap<i64, String>,
    dealers: HashMap<i64, String>,
    after: Option<(i64, i64)>,
    left: u64,
}

impl Pages for LevelPages {
    async fn next_page(&mut self) -> Result<Option<Vec<u8>>, AppError> {
        if self.left == 0 {
            return Ok(None);
        }
        let take = self.left.min(PAGE_ROWS);
        let mut query = stock_level::Entity::find().filter(self.scope.clone());
        if let Some((dealer_id, id)) = self.after {
            query = query.filter(Condition::any().add(stock_level::Column::DealerId.gt(dealer_id)).add(
                Condition::all().add(stock_level::Column::DealerId.eq(dealer_id)).add(stock_level::Column::Id.gt(id)),
            ));
        }
        let levels = query
            .order_by_asc(stock_level::Column::DealerId)
            .order_by_asc(stock_level::Column::Id)
            .limit(take)
            .all(&self.db)
            .await?;
        let Some(last) = levels.last().map(|l| (l.dealer_id, l.id)) else {
            return Ok(None);
        };
        self.left = if (levels.len() as u64) < take { 0 } else { self.left - take };
        self.after = Some(last);
        let mut part_ids: Vec<i64> = levels.iter().map(|l| l.part_id).collect();
        part_ids.sort_unstable();
        part_ids.dedup();
        let parts: HashMap<i64, part::Model> = part::Entity::find()
            .filter(part::Column::Id.is_in(part_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let mut out = Rows::new();
        for level in &levels {
            let Some(part) = parts.get(&level.part_id) else { continue };
            out.row([
                &*cell(self.dealers.get(&level.dealer_id).map_or("", String::as_str)),
                &*cell(self.oems.get(&part.oem_id).map_or("", String::as_str)),
                &*cell(&part.part_number),
                &*cell(&part.description),
                &*cell(&part.component_category),
                &level.on_hand.to_string(),
                &level.reorder_point.to_string(),
                &(level.on_hand < level.reorder_point).to_string(),
            ])?;
        }
        out.finish().map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_files_need_part_number_and_quantity_columns() {
        let err = read(b"part,qty\nX,1\n").err().expect("bad header");
        let fields: Vec<String> = err.line_errors().iter().map(|e| e.field.clone()).collect();
        assert!(fields.contains(&"part_number".to_string()) && fields.contains(&"quantity".to_string()));
        let rows = read(b"part_number,quantity,serials\nsv-1,2,\"A1 A2\"\n").expect("good file");
        assert_eq!(rows[0].number.as_deref(), Some("SV-1"));
        assert_eq!(split_serials(&rows[0].serials).len(), 2);
    }

    #[test]
    fn a_file_may_have_as_many_rows_as_the_limit_and_not_one_more() {
        let mut file = String::from("part_number,quantity\n");
        file.push_str(&"NVX-1,1\n".repeat(IMPORT_MAX_ROWS));
        assert_eq!(read(file.as_bytes()).map(|rows| rows.len()).ok(), Some(IMPORT_MAX_ROWS));
        file.push_str("NVX-1,1\n");
        let err = read(file.as_bytes()).err().expect("one row too many");
        assert!(err.to_string().contains("more than 200,000 rows"), "{err}");
        assert_eq!(err.line_errors()[0].line, IMPORT_MAX_ROWS as u64 + 2);
    }
}
