//! Stock as CSV: receipts imported all-or-nothing with every bad row named,
//! and the levels exported.

use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{Posting, acting_dealer, apply, level_scope};
use crate::model::AppError;
use crate::model::error::LineError;
use crate::model::parts::{ImportReport, part_number};
use crate::model::stock::{EXPORT_COLUMNS, MovementKind, MovementPlan, RECEIPT_COLUMNS, UnitEvent, UnitStatus};
use crate::model::stock::{plan_movement, split_serials, unit_transition};
use crate::server::auth::Actor;
use crate::server::entities::{dealer, oem, part, part_unit, stock_level};
use crate::server::ledger::LedgerTx;

/// Receives goods from a CSV file (`part_number, quantity, serials,
/// reference, oem`): one receipt per row, all in one transaction.
///
/// # Errors
/// `Forbidden` for service managers, `NotFound` for another dealer,
/// `InvalidFile` naming every bad row (nothing is written).
#[tracing::instrument(skip(db, actor, bytes), fields(bytes = bytes.len()))]
pub async fn import_receipts(
    db: &DatabaseConnection,
    actor: &Actor,
    dealer_id: Option<i64>,
    bytes: Vec<u8>,
) -> Result<ImportReport, AppError> {
    let rows = read(&bytes)?;
    receive(db, actor, dealer_id, rows).await
}

/// Receives several lines of goods in one transaction (the receive form and
/// the CSV import): every bad line is named, and nothing is written then.
///
/// # Errors
/// `Forbidden` for service managers, `NotFound` for another dealer,
/// `InvalidFile` naming every bad line.
pub async fn receive(
    db: &DatabaseConnection,
    actor: &Actor,
    dealer_id: Option<i64>,
    rows: Vec<ReceiptRow>,
) -> Result<ImportReport, AppError> {
    let dealer_id = acting_dealer(db, actor, dealer_id, "dealer_id").await?;
    let numbers: HashSet<&str> = rows.iter().filter_map(|r| r.number.as_deref()).collect();
    let mut candidates: HashMap<String, Vec<part::Model>> = HashMap::new();
    let numbers: Vec<&str> = numbers.into_iter().collect();
    for chunk in numbers.chunks(5000) {
        for p in part::Entity::find().filter(part::Column::PartNumber.is_in(chunk.to_vec())).all(db).await? {
            candidates.entry(p.part_number.clone()).or_default().push(p);
        }
    }
    let oems: HashMap<i64, String> = oem::Entity::find().all(db).await?.into_iter().map(|o| (o.id, o.code)).collect();

    let mut errors = Vec::new();
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
                let fields = field_errors.into_error().fields();
                errors.extend(fields.into_iter().map(|(field, message)| err(&field, message)));
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
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(AppError::invalid_file(errors));
    }
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
    errors: &mut Vec<LineError>,
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
    let mut errors = Vec::new();
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
        return Err(AppError::invalid_file(errors));
    }
    let index: HashMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect();
    let mut rows = Vec::new();
    for record in reader.records() {
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
    if !errors.is_empty() {
        return Err(AppError::invalid_file(errors));
    }
    Ok(rows)
}

/// Stock levels in the actor's scope as CSV (a dealer its own; an admin one
/// dealer or all).
///
/// # Errors
/// `NotFound` when a dealer names another dealer.
pub async fn export_csv(db: &DatabaseConnection, actor: &Actor, dealer_id: Option<i64>) -> Result<String, AppError> {
    let mut query = stock_level::Entity::find().filter(level_scope(actor, dealer_id)?);
    if let Some(id) = dealer_id {
        query = query.filter(stock_level::Column::DealerId.eq(id));
    }
    let levels =
        query.order_by_asc(stock_level::Column::DealerId).order_by_asc(stock_level::Column::Id).all(db).await?;
    let mut part_ids: Vec<i64> = levels.iter().map(|l| l.part_id).collect();
    part_ids.sort_unstable();
    part_ids.dedup();
    let mut parts: HashMap<i64, part::Model> = HashMap::new();
    for chunk in part_ids.chunks(5000) {
        parts.extend(
            part::Entity::find()
                .filter(part::Column::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?
                .into_iter()
                .map(|p| (p.id, p)),
        );
    }
    let oems: HashMap<i64, String> = oem::Entity::find().all(db).await?.into_iter().map(|o| (o.id, o.code)).collect();
    let dealers: HashMap<i64, String> =
        dealer::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.code)).collect();
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| AppError::from(anyhow::anyhow!("CSV export failed: {e}"));
    writer.write_record(EXPORT_COLUMNS).map_err(fail)?;
    for level in levels {
        let Some(part) = parts.get(&level.part_id) else { continue };
        writer
            .write_record([
                dealers.get(&level.dealer_id).cloned().unwrap_or_default(),
                oems.get(&part.oem_id).cloned().unwrap_or_default(),
                part.part_number.clone(),
                part.description.clone(),
                part.component_category.clone(),
                level.on_hand.to_string(),
                level.reorder_point.to_string(),
                (level.on_hand < level.reorder_point).to_string(),
            ])
            .map_err(fail)?;
    }
    let bytes = writer.into_inner().map_err(|e| AppError::from(anyhow::anyhow!("CSV export failed: {e}")))?;
    String::from_utf8(bytes).map_err(|e| anyhow::anyhow!("CSV export is not UTF-8: {e}").into())
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
}
