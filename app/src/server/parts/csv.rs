//! The catalogue as CSV: an all-or-nothing import that names its bad rows,
//! and a streamed export that the import reads back.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde_json::{Map, Value, json};

use super::csv_rows::{Row, line_error, parse};
use super::write_words;
use crate::model::error::FileErrors;
use crate::model::limits::CATALOGUE_EXPORT_MAX_ROWS;
use crate::model::parts::{self, CSV_COLUMNS, ImportReport};
use crate::model::{AppError, Role};
use crate::server::auth::Actor;
use crate::server::csv_export::{self, CsvExport, CsvTurns, PAGE_ROWS, Pages, Rows, cell};
use crate::server::entities::{oem, part, part_word, stock_movement};
use crate::server::ledger::{Change, LedgerTx};

/// Whether the actor may import a catalogue for `oem_id`: asked before the
/// file is read (nothing is parsed for an actor who may not import).
///
/// # Errors
/// `Forbidden` for non-admins; `Validation` on `oem_id`.
pub async fn may_import(db: &DatabaseConnection, actor: &Actor, oem_id: Option<i64>) -> Result<i64, AppError> {
    actor.require(Role::Admin)?;
    let oem_id = oem_id.ok_or_else(|| AppError::field("oem_id", "is required: the OEM whose catalogue this is"))?;
    if oem::Entity::find_by_id(oem_id).one(db).await?.is_none() {
        return Err(AppError::field("oem_id", "is not an OEM"));
    }
    Ok(oem_id)
}

/// Imports an OEM's catalogue from CSV: new part numbers are created,
/// known ones updated, all in one transaction with their ledger entries.
///
/// # Errors
/// `Forbidden` for non-admins; `Validation` on `oem_id`; `InvalidFile`
/// naming the first bad rows with their total, or for more than
/// `IMPORT_MAX_ROWS` rows (nothing is written).
#[tracing::instrument(skip(db, actor, bytes), fields(bytes = bytes.len()))]
pub async fn import_csv(
    db: &DatabaseConnection,
    actor: &Actor,
    oem_id: Option<i64>,
    bytes: Vec<u8>,
) -> Result<ImportReport, AppError> {
    let oem_id = may_import(db, actor, oem_id).await?;
    let started = std::time::Instant::now();
    let rows = tokio::task::spawn_blocking(move || parse(&bytes))
        .await
        .map_err(|e| anyhow::anyhow!("the CSV parser stopped: {e}"))??;

    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let existing: HashMap<String, part::Model> = part::Entity::find()
        .filter(part::Column::OemId.eq(oem_id))
        .all(&*tx)
        .await?
        .into_iter()
        .map(|p| (p.part_number.clone(), p))
        .collect();
    check_references(&*tx, &rows, &existing).await?.finish()?;
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
    tx.record_all(changes);
    tracing::debug!(elapsed = ?started.elapsed(), "ledger written");
    tx.commit().await?;
    tracing::info!(created = report.created, updated = report.updated, "parts imported");
    Ok(report)
}

/// Successors must be parts of this OEM (in the file or the catalogue) and
/// make no cycle; `serialized` cannot change on a part with stock movements.
/// The bad rows come back in line order.
async fn check_references(
    db: &impl sea_orm::ConnectionTrait,
    rows: &[Row],
    existing: &HashMap<String, part::Model>,
) -> Result<FileErrors, AppError> {
    let flipped: Vec<i64> = rows
        .iter()
        .filter_map(|r| existing.get(&r.number).filter(|p| p.serialized != r.serialized).map(|p| p.id))
        .collect();
    let mut moved: HashSet<i64> = HashSet::new();
    for chunk in flipped.chunks(5000) {
        let ids: Vec<i64> = stock_movement::Entity::find()
            .select_only()
            .column(stock_movement::Column::PartId)
            .distinct()
            .filter(stock_movement::Column::PartId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        moved.extend(ids);
    }
    let mut errors = FileErrors::new();
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
        if let Some(Some(target)) = &row.superseded_by {
            match index.get(target.as_str()) {
                None => errors.push(line_error(
                    row.line,
                    "superseded_by",
                    format!("{target} is not a part number of this OEM"),
                )),
                Some(&target_id) => {
                    let start = index.get(row.number.as_str()).copied().unwrap_or(-1);
                    let result = parts::chain_end(
                        start,
                        target_id,
                        |at| {
                            names
                                .get(at as usize)
                                .and_then(|n| next.get(n).copied().flatten())
                                .and_then(|n| index.get(n).copied())
                        },
                        |at| names.get(at as usize).map(|n| n.to_string()).unwrap_or_default(),
                    );
                    if let Err(message) = result {
                        errors.push(line_error(row.line, "superseded_by", message));
                    }
                }
            }
        }
        if existing.get(&row.number).is_some_and(|p| p.serialized != row.serialized && moved.contains(&p.id)) {
            let message = "cannot change: this part already has stock movements".to_string();
            errors.push(line_error(row.line, "serialized", message));
        }
    }
    Ok(errors)
}

/// One OEM's catalogue as CSV, in the import's columns, by part number:
/// streamed a page at a time, up to `CATALOGUE_EXPORT_MAX_ROWS` parts.
///
/// # Errors
/// `Validation` without `oem_id`; `NotFound` for an unknown OEM; `Busy`
/// when the server streams as many exports as it allows.
pub async fn export_csv(
    db: &DatabaseConnection,
    _actor: &Actor,
    oem_id: Option<i64>,
    exports: &CsvTurns,
) -> Result<CsvExport, AppError> {
    let oem_id = oem_id.ok_or_else(|| AppError::field("oem_id", "is required: the OEM whose catalogue to export"))?;
    oem::Entity::find_by_id(oem_id).one(db).await?.ok_or(AppError::NotFound)?;
    let pages = CataloguePages { db: db.clone(), oem_id, after: None, left: CATALOGUE_EXPORT_MAX_ROWS };
    csv_export::stream(exports, "parts.csv", &CSV_COLUMNS, pages)
}

/// The parts still to send: those after `after` (part number, id), at most `left`.
struct CataloguePages {
    db: DatabaseConnection,
    oem_id: i64,
    after: Option<(String, i64)>,
    left: u64,
}

impl Pages for CataloguePages {
    async fn next_page(&mut self) -> Result<Option<Vec<u8>>, AppError> {
        if self.left == 0 {
            return Ok(None);
        }
        let take = self.left.min(PAGE_ROWS);
        let mut query = part::Entity::find().filter(part::Column::OemId.eq(self.oem_id));
        if let Some((number, id)) = &self.after {
            query =
                query.filter(Condition::any().add(part::Column::PartNumber.gt(number.as_str())).add(
                    Condition::all().add(part::Column::PartNumber.eq(number.as_str())).add(part::Column::Id.gt(*id)),
                ));
        }
        let rows = query
            .order_by_asc(part::Column::PartNumber)
            .order_by_asc(part::Column::Id)
            .limit(take)
            .all(&self.db)
            .await?;
        let Some(last) = rows.last().map(|p| (p.part_number.clone(), p.id)) else {
            return Ok(None);
        };
        self.left = if (rows.len() as u64) < take { 0 } else { self.left - take };
        self.after = Some(last);
        let successors: Vec<i64> = rows.iter().filter_map(|p| p.superseded_by_id).collect();
        let numbers: HashMap<i64, String> = if successors.is_empty() {
            HashMap::new()
        } else {
            part::Entity::find()
                .select_only()
                .columns([part::Column::Id, part::Column::PartNumber])
                .filter(part::Column::Id.is_in(successors))
                .into_tuple::<(i64, String)>()
                .all(&self.db)
                .await?
                .into_iter()
                .collect()
        };
        let mut out = Rows::new();
        for p in &rows {
            let successor = p.superseded_by_id.and_then(|id| numbers.get(&id)).map_or("", String::as_str);
            out.row([
                &*cell(&p.part_number),
                &*cell(&p.description),
                &*cell(&p.component_category),
                &p.list_price_minor.to_string(),
                &*cell(&p.currency),
                &p.serialized.to_string(),
                &p.warranty_eligible.to_string(),
                &p.dangerous_goods.to_string(),
                &p.active.to_string(),
                &*cell(successor),
            ])?;
        }
        out.finish().map(Some)
    }
}
