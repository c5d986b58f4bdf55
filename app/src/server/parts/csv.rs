//! The catalogue as CSV: an all-or-nothing import that names every bad row,
//! and an export that the import reads back.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::{Map, Value, json};

use super::write_words;
use crate::model::error::LineError;
use crate::model::network;
use crate::model::parts::{self, CSV_COLUMNS, CSV_REQUIRED, ImportReport};
use crate::model::policy::ComponentCategory;
use crate::model::{AppError, Role};
use crate::server::auth::Actor;
use crate::server::entities::{oem, part, part_word, stock_movement};
use crate::server::ledger::{Change, LedgerTx};

/// One good row of the file.
struct Row {
    line: u64,
    number: String,
    description: String,
    category: ComponentCategory,
    price: i64,
    currency: String,
    serialized: bool,
    warranty_eligible: bool,
    dangerous_goods: Option<bool>,
    active: Option<bool>,
    /// `Some(None)`: the column is there and empty (no successor).
    superseded_by: Option<Option<String>>,
}

/// Imports an OEM's catalogue from CSV: new part numbers are created,
/// known ones updated, all in one transaction with their ledger entries.
///
/// # Errors
/// `Forbidden` for non-admins; `Validation` on `oem_id`; `InvalidFile`
/// naming every bad row (nothing is written).
#[tracing::instrument(skip(db, actor, bytes), fields(bytes = bytes.len()))]
pub async fn import_csv(
    db: &DatabaseConnection,
    actor: &Actor,
    oem_id: Option<i64>,
    bytes: Vec<u8>,
) -> Result<ImportReport, AppError> {
    actor.require(Role::Admin)?;
    let oem_id = oem_id.ok_or_else(|| AppError::field("oem_id", "is required: the OEM whose catalogue this is"))?;
    if oem::Entity::find_by_id(oem_id).one(db).await?.is_none() {
        return Err(AppError::field("oem_id", "is not an OEM"));
    }
    let started = std::time::Instant::now();
    let rows = tokio::task::spawn_blocking(move || parse(&bytes))
        .await
        .map_err(|e| anyhow::anyhow!("the CSV parser stopped: {e}"))?
        .map_err(AppError::invalid_file)?;

    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let existing: HashMap<String, part::Model> = part::Entity::find()
        .filter(part::Column::OemId.eq(oem_id))
        .all(&*tx)
        .await?
        .into_iter()
        .map(|p| (p.part_number.clone(), p))
        .collect();
    check_references(&*tx, &rows, &existing).await.map_err(AppError::invalid_file)?;
    tracing::debug!(elapsed = ?started.elapsed(), rows = rows.len(), "parsed and checked");

    let now = Utc::now();
    let (new, known): (Vec<&Row>, Vec<&Row>) = rows.iter().partition(|r| !existing.contains_key(&r.number));
    let inserts: Vec<Vec<sea_orm::Value>> = new
        .iter()
        .map(|r| {
            vec![
                oem_id.into(),
                r.number.clone().into(),
                r.description.clone().into(),
                r.category.as_str().into(),
                r.price.into(),
                r.currency.clone().into(),
                r.serialized.into(),
                r.warranty_eligible.into(),
                r.dangerous_goods.unwrap_or(false).into(),
                r.active.unwrap_or(true).into(),
                now.into(),
            ]
        })
        .collect();
    crate::server::bulk::insert(
        &*tx,
        "parts",
        &[
            "oem_id",
            "part_number",
            "description",
            "component_category",
            "list_price_minor",
            "currency",
            "serialized",
            "warranty_eligible",
            "dangerous_goods",
            "active",
            "created_at",
        ],
        inserts,
    )
    .await?;
    tracing::debug!(elapsed = ?started.elapsed(), "parts inserted");
    let ids: HashMap<String, i64> = part::Entity::find()
        .select_only()
        .columns([part::Column::PartNumber, part::Column::Id])
        .filter(part::Column::OemId.eq(oem_id))
        .into_tuple::<(String, i64)>()
        .all(&*tx)
        .await?
        .into_iter()
        .collect();
    let id_of = |number: &str| ids.get(number).copied().ok_or_else(|| anyhow::anyhow!("part {number} went missing"));

    let mut changes = Vec::with_capacity(rows.len());
    let mut words = Vec::new();
    for row in &new {
        let id = id_of(&row.number)?;
        words.push((id, row.description.clone()));
        let mut data = json!({
            "part_number": row.number, "description": row.description, "component_category": row.category.as_str(),
            "list_price_minor": row.price, "currency": row.currency, "serialized": row.serialized,
            "warranty_eligible": row.warranty_eligible, "dangerous_goods": row.dangerous_goods.unwrap_or(false),
            "active": row.active.unwrap_or(true), "import": true,
        });
        if let Some(Some(next)) = &row.superseded_by {
            let next_id = id_of(next)?;
            part::Entity::update_many()
                .col_expr(part::Column::SupersededById, next_id.into())
                .filter(part::Column::Id.eq(id))
                .exec(&*tx)
                .await?;
            data["superseded_by_id"] = json!(next_id);
        }
        changes.push(Change::new("part", id, "part.created", data).scoped(None, Some(oem_id)));
    }
    let mut updated = 0;
    for row in known {
        let Some(old) = existing.get(&row.number) else { continue };
        let mut active: part::ActiveModel = old.clone().into();
        let mut changed = Map::new();
        macro_rules! apply {
            ($value:expr, $field:ident) => {
                if let Some(v) = $value.filter(|v| *v != old.$field) {
                    changed.insert(stringify!($field).into(), json!(v));
                    active.$field = Set(v);
                }
            };
        }
        apply!(Some(row.description.clone()), description);
        apply!(Some(row.category.as_str().to_string()), component_category);
        apply!(Some(row.price), list_price_minor);
        apply!(Some(row.currency.clone()), currency);
        apply!(Some(row.serialized), serialized);
        apply!(Some(row.warranty_eligible), warranty_eligible);
        apply!(row.dangerous_goods, dangerous_goods);
        apply!(row.active, active);
        let next = match &row.superseded_by {
            Some(Some(number)) => Some(Some(id_of(number)?)),
            Some(None) => Some(None),
            None => None,
        };
        apply!(next, superseded_by_id);
        if changed.is_empty() {
            continue;
        }
        active.update(&*tx).await?;
        if changed.contains_key("description") {
            part_word::Entity::delete_many().filter(part_word::Column::PartId.eq(old.id)).exec(&*tx).await?;
            words.push((old.id, row.description.clone()));
        }
        changed.insert("part_number".into(), json!(row.number));
        changed.insert("import".into(), Value::Bool(true));
        changes.push(Change::new("part", old.id, "part.updated", Value::Object(changed)).scoped(None, Some(oem_id)));
        updated += 1;
    }
    let report = ImportReport { created: new.len() as u64, updated };
    if changes.is_empty() {
        // An identical file changes nothing; the transaction rolls back.
        return Ok(report);
    }
    tracing::debug!(elapsed = ?started.elapsed(), "parts updated");
    write_words(&*tx, &words).await?;
    tracing::debug!(elapsed = ?started.elapsed(), "words written");
    tx.record_all(changes).await?;
    tracing::debug!(elapsed = ?started.elapsed(), "ledger written");
    tx.commit().await?;
    tracing::info!(created = report.created, updated = report.updated, "parts imported");
    Ok(report)
}

/// Successors must be parts of this OEM (in the file or the catalogue) and
/// make no cycle; `serialized` cannot change on a part with stock movements.
async fn check_references(
    db: &impl sea_orm::ConnectionTrait,
    rows: &[Row],
    existing: &HashMap<String, part::Model>,
) -> Result<(), Vec<LineError>> {
    let mut errors = Vec::new();
    let mut next: HashMap<&str, Option<&str>> = HashMap::new();
    let by_id: HashMap<i64, &str> = existing.values().map(|p| (p.id, p.part_number.as_str())).collect();
    for p in existing.values() {
        next.insert(&p.part_number, p.superseded_by_id.and_then(|id| by_id.get(&id).copied()));
    }
    for row in rows {
        match &row.superseded_by {
            Some(target) => {
                next.insert(&row.number, target.as_deref());
            }
            None => {
                next.entry(&row.number).or_insert(None);
            }
        }
    }
    let names: Vec<&str> = next.keys().copied().collect();
    let index: HashMap<&str, i64> = names.iter().enumerate().map(|(i, n)| (*n, i as i64)).collect();
    for row in rows {
        let Some(Some(target)) = &row.superseded_by else { continue };
        let Some(&target_id) = index.get(target.as_str()) else {
            errors.push(line_error(row.line, "superseded_by", format!("{target} is not a part number of this OEM")));
            continue;
        };
        let start = index.get(row.number.as_str()).copied().unwrap_or(-1);
        let result = parts::chain_end(
            start,
            target_id,
            |at| {
                names.get(at as usize).and_then(|n| next.get(n).copied().flatten()).and_then(|n| index.get(n).copied())
            },
            |at| names.get(at as usize).map(|n| n.to_string()).unwrap_or_default(),
        );
        if let Err(message) = result {
            errors.push(line_error(row.line, "superseded_by", message));
        }
    }
    let flipped: HashMap<i64, u64> = rows
        .iter()
        .filter_map(|r| existing.get(&r.number).filter(|p| p.serialized != r.serialized).map(|p| (p.id, r.line)))
        .collect();
    if !flipped.is_empty() {
        let moved: Vec<i64> = stock_movement::Entity::find()
            .select_only()
            .column(stock_movement::Column::PartId)
            .distinct()
            .filter(stock_movement::Column::PartId.is_in(flipped.keys().copied()))
            .into_tuple()
            .all(db)
            .await
            .unwrap_or_default();
        for id in moved {
            if let Some(line) = flipped.get(&id) {
                errors.push(line_error(
                    *line,
                    "serialized",
                    "cannot change: this part already has stock movements".into(),
                ));
            }
        }
    }
    errors.sort_by_key(|e| e.line);
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

fn line_error(line: u64, field: &str, message: String) -> LineError {
    LineError { line, field: field.to_string(), message }
}

/// Reads the file; every bad cell becomes a line error.
fn parse(bytes: &[u8]) -> Result<Vec<Row>, Vec<LineError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = ::csv::ReaderBuilder::new().flexible(true).trim(::csv::Trim::All).from_reader(bytes);
    let mut errors = Vec::new();
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_ascii_lowercase()).collect(),
        Err(e) => return Err(vec![line_error(1, "file", format!("is not a readable CSV file: {e}"))]),
    };
    let column: HashMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect();
    for name in &CSV_COLUMNS[..CSV_REQUIRED] {
        if !column.contains_key(name) {
            errors.push(line_error(1, name, "is a required column".into()));
        }
    }
    for header in &headers {
        if !CSV_COLUMNS.contains(&header.as_str()) {
            errors.push(line_error(
                1,
                header,
                format!("is not a column of the parts file ({})", CSV_COLUMNS.join(", ")),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(line_error(line, "file", format!("cannot be read: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != headers.len() {
            errors.push(line_error(
                line,
                "row",
                format!("has {} cells; the header has {}", record.len(), headers.len()),
            ));
            continue;
        }
        let cell = |name: &str| column.get(name).and_then(|i| record.get(*i));
        let before = errors.len();
        macro_rules! check {
            ($field:expr, $result:expr $(,)?) => {
                match $result {
                    Ok(value) => Some(value),
                    Err(message) => {
                        errors.push(line_error(line, $field, message));
                        None
                    }
                }
            };
        }
        let number = check!("part_number", parts::part_number(cell("part_number").unwrap_or_default()));
        let description = check!("description", parts::description(cell("description").unwrap_or_default()));
        let category =
            check!("component_category", ComponentCategory::parse(cell("component_category").unwrap_or_default()));
        let price = check!(
            "list_price_minor",
            cell("list_price_minor")
                .unwrap_or_default()
                .parse::<i64>()
                .map_err(|_| "must be a whole number of minor units, like 125000".to_string())
                .and_then(parts::list_price),
        );
        let currency = check!("currency", network::currency(cell("currency").unwrap_or_default()));
        let serialized = check!("serialized", parts::flag(cell("serialized").unwrap_or_default(), None));
        let eligible = check!("warranty_eligible", parts::flag(cell("warranty_eligible").unwrap_or_default(), None));
        let optional_flag = |name: &str| cell(name).filter(|v| !v.is_empty()).map(|v| parts::flag(v, None));
        let dangerous = match optional_flag("dangerous_goods") {
            Some(r) => check!("dangerous_goods", r),
            None => None,
        };
        let active = match optional_flag("active") {
            Some(r) => check!("active", r),
            None => None,
        };
        let superseded_by: Option<Option<String>> = match cell("superseded_by") {
            None => None,
            Some("") => Some(None),
            Some(v) => match parts::part_number(v) {
                Ok(n) => Some(Some(n)),
                Err(message) => {
                    errors.push(line_error(line, "superseded_by", message));
                    None
                }
            },
        };
        if let Some(number) = &number {
            if let Some(first) = seen.insert(number.clone(), line) {
                errors.push(line_error(line, "part_number", format!("{number} is already on line {first}")));
            }
            if superseded_by.as_ref().and_then(|s| s.as_ref()) == Some(number) {
                errors.push(line_error(line, "superseded_by", "cannot be the part itself".into()));
            }
        }
        if errors.len() > before {
            continue;
        }
        let (
            Some(number),
            Some(description),
            Some(category),
            Some(price),
            Some(currency),
            Some(serialized),
            Some(eligible),
        ) = (number, description, category, price, currency, serialized, eligible)
        else {
            continue;
        };
        rows.push(Row {
            line,
            number,
            description,
            category,
            price,
            currency,
            serialized,
            warranty_eligible: eligible,
            dangerous_goods: dangerous,
            active,
            superseded_by,
        });
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// One OEM's catalogue as CSV, in the import's columns.
///
/// # Errors
/// `Validation` without `oem_id`; `NotFound` for an unknown OEM.
pub async fn export_csv(db: &DatabaseConnection, _actor: &Actor, oem_id: Option<i64>) -> Result<String, AppError> {
    let oem_id = oem_id.ok_or_else(|| AppError::field("oem_id", "is required: the OEM whose catalogue to export"))?;
    oem::Entity::find_by_id(oem_id).one(db).await?.ok_or(AppError::NotFound)?;
    let rows = part::Entity::find()
        .filter(part::Column::OemId.eq(oem_id))
        .order_by_asc(part::Column::PartNumber)
        .all(db)
        .await?;
    let numbers: HashMap<i64, String> = rows.iter().map(|p| (p.id, p.part_number.clone())).collect();
    let mut writer = ::csv::Writer::from_writer(Vec::with_capacity(rows.len() * 100));
    let write = |w: &mut ::csv::Writer<Vec<u8>>, record: &[String]| {
        w.write_record(record).map_err(|e| AppError::from(anyhow::anyhow!("CSV export failed: {e}")))
    };
    write(&mut writer, &CSV_COLUMNS.map(str::to_string))?;
    for p in &rows {
        let successor = p.superseded_by_id.and_then(|id| numbers.get(&id).cloned()).unwrap_or_default();
        write(
            &mut writer,
            &[
                p.part_number.clone(),
                p.description.clone(),
                p.component_category.clone(),
                p.list_price_minor.to_string(),
                p.currency.clone(),
                p.serialized.to_string(),
                p.warranty_eligible.to_string(),
                p.dangerous_goods.to_string(),
                p.active.to_string(),
                successor,
            ],
        )?;
    }
    let bytes = writer.into_inner().map_err(|e| AppError::from(anyhow::anyhow!("CSV export failed: {e}")))?;
    String::from_utf8(bytes).map_err(|e| anyhow::anyhow!("CSV export is not UTF-8: {e}").into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "part_number,description,component_category,list_price_minor,currency,serialized,warranty_eligible";

    #[test]
    fn a_good_file_parses_every_row() {
        let file =
            format!("{HEADER}\nsv-1,HV pack,hv_battery,100,eur,true,yes\nSV-2,Wiper,vehicle_basic,5,EUR,no,no\n");
        let rows = parse(file.as_bytes()).expect("good file");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].number, "SV-1");
        assert_eq!(rows[0].currency, "EUR");
        assert!(rows[0].serialized);
    }

    #[test]
    fn every_bad_row_is_named_with_its_line_and_field() {
        let file = format!(
            "{HEADER}\nSV-1,ok,hv_battery,100,EUR,true,true\nSV-2,bad,rocket,-5,EUR,true,true\nSV-1,dup,hv_battery,1,EUR,true,true\n"
        );
        let errors = parse(file.as_bytes()).err().expect("bad rows");
        let named: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(named, vec![(3, "component_category"), (3, "list_price_minor"), (4, "part_number")]);
    }

    #[test]
    fn missing_and_unknown_columns_are_errors_on_the_header() {
        let errors = parse(b"part_number,colour\nX1,red\n").err().expect("bad header");
        assert!(errors.iter().all(|e| e.line == 1));
        assert!(errors.iter().any(|e| e.field == "description"));
        assert!(errors.iter().any(|e| e.field == "colour"));
    }

    #[test]
    fn a_short_row_is_refused() {
        let file = format!("{HEADER}\nSV-1,HV pack\n");
        let errors = parse(file.as_bytes()).err().expect("short row");
        assert_eq!((errors[0].line, errors[0].field.as_str()), (2, "row"));
    }
}
