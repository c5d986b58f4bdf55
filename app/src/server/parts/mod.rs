//! The parts catalogue: admins write, everyone signed in reads. Part numbers
//! are unique per OEM; a superseded part leads to the one that replaces it.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::{Map, Value, json};

use super::auth::Actor;
use super::entities::{oem, part, part_word, stock_movement};
use super::error::on_unique;
use super::ledger::{Change, LedgerTx};
use super::pagination;
use super::reader::Reader;
use crate::model::network::{self, Money};
use crate::model::parts::{self, PartDto, PartFilter, PartInput};
use crate::model::policy::ComponentCategory;
use crate::model::user::Page;
use crate::model::{AppError, FieldErrors, Role};

mod csv;
mod csv_rows;
mod search;

pub use csv::{export_csv, import_csv, may_import};
pub(crate) use search::matches;
use search::search;

const TAKEN: &str = "This OEM already has a part with this number.";

/// The catalogue, by part number: `q` is a part-number prefix or the
/// beginnings of description words.
///
/// # Errors
/// `Validation` for a bad limit, cursor or category.
pub async fn list(db: &DatabaseConnection, _actor: &Actor, filter: &PartFilter) -> Result<Page<PartDto>, AppError> {
    let limit = pagination::limit(filter.limit)?;
    let db = &Reader::of(db).await?;
    let mut query = part::Entity::find();
    if let Some(q) = crate::model::validate::search(filter.q.as_deref()).map_err(|m| AppError::field("q", m))? {
        query = query.filter(search(db, q).await?);
    }
    if let Some(oem_id) = filter.oem_id {
        query = query.filter(part::Column::OemId.eq(oem_id));
    }
    if let Some(category) = filter.component_category.as_deref().filter(|c| !c.is_empty()) {
        let category = ComponentCategory::parse(category).map_err(|m| AppError::field("component_category", m))?;
        query = query.filter(part::Column::ComponentCategory.eq(category.as_str()));
    }
    if let Some(active) = filter.active {
        query = query.filter(part::Column::Active.eq(active));
    }
    if let Some(cursor) = &filter.cursor {
        let (number, id) = pagination::decode_text_cursor(cursor)?;
        query = query.filter(
            Condition::any()
                .add(part::Column::PartNumber.gt(number.as_str()))
                .add(Condition::all().add(part::Column::PartNumber.eq(number.as_str())).add(part::Column::Id.gt(id))),
        );
    }
    let rows =
        query.order_by_asc(part::Column::PartNumber).order_by_asc(part::Column::Id).limit(limit + 1).all(db).await?;
    let more = rows.len() as u64 > limit;
    let rows: Vec<part::Model> = rows.into_iter().take(limit as usize).collect();
    let next_cursor =
        if more { rows.last().map(|p| pagination::encode_text_cursor(&p.part_number, p.id)) } else { None };
    Ok(Page { items: dtos(db, rows).await?, next_cursor })
}

/// # Errors
/// `NotFound` when there is no such part.
pub async fn find(db: &DatabaseConnection, _actor: &Actor, id: i64) -> Result<PartDto, AppError> {
    let row = part::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    one(db, row).await
}

/// The id of an OEM's part by its number (forms name parts by number).
///
/// # Errors
/// `Validation` on `field` when the OEM has no such part.
pub async fn id_by_number(db: &DatabaseConnection, oem_id: i64, number: &str, field: &str) -> Result<i64, AppError> {
    let number = parts::part_number(number).map_err(|m| AppError::field(field, m))?;
    part::Entity::find()
        .filter(part::Column::OemId.eq(oem_id))
        .filter(part::Column::PartNumber.eq(number.as_str()))
        .one(db)
        .await?
        .map(|p| p.id)
        .ok_or_else(|| AppError::field(field, format!("{number} is not a part of this OEM")))
}

/// An admin adds a part to an OEM's catalogue.
///
/// # Errors
/// `Forbidden`, `Validation` per field, `Conflict` on a taken part number.
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: PartInput) -> Result<PartDto, AppError> {
    actor.require(Role::Admin)?;
    let mut errors = FieldErrors::new();
    let oem_id = match input.oem_id {
        None => {
            errors.add("oem_id", "is required");
            None
        }
        Some(id) if oem::Entity::find_by_id(id).one(db).await?.is_none() => {
            errors.add("oem_id", "is not an OEM");
            None
        }
        Some(id) => Some(id),
    };
    let number = errors.check("part_number", parts::part_number(input.part_number.as_deref().unwrap_or_default()));
    let description = errors.check("description", parts::description(input.description.as_deref().unwrap_or_default()));
    let category = errors
        .check("component_category", ComponentCategory::parse(input.component_category.as_deref().unwrap_or_default()));
    let price = match &input.list_price {
        None => {
            errors.add("list_price", "is required");
            None
        }
        Some(money) => check_price(&mut errors, money),
    };
    for (field, value) in [("serialized", input.serialized), ("warranty_eligible", input.warranty_eligible)] {
        if value.is_none() {
            errors.add(field, "is required (true or false)");
        }
    }
    errors.finish()?;
    let (Some(oem_id), Some(number), Some(description), Some(category), Some((price, currency))) =
        (oem_id, number, description, category, price)
    else {
        return Err(anyhow::anyhow!("validated fields went missing").into());
    };
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let superseded_by = match input.superseded_by_id.filter(|id| *id != 0) {
        Some(target) => Some(check_supersession(&*tx, oem_id, None, &number, target).await?),
        None => None,
    };
    let row = part::ActiveModel {
        oem_id: Set(oem_id),
        part_number: Set(number),
        description: Set(description),
        component_category: Set(category.as_str().to_string()),
        list_price_minor: Set(price),
        currency: Set(currency),
        serialized: Set(input.serialized.unwrap_or(false)),
        warranty_eligible: Set(input.warranty_eligible.unwrap_or(false)),
        dangerous_goods: Set(input.dangerous_goods.unwrap_or(false)),
        active: Set(input.active.unwrap_or(true)),
        superseded_by_id: Set(superseded_by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*tx)
    .await
    .map_err(|e| on_unique(e, TAKEN))?;
    write_words(&*tx, &[(row.id, row.description.clone())]).await?;
    tx.record(Change::new("part", row.id, "part.created", snapshot(&row)).scoped(None, Some(oem_id)));
    tx.commit().await?;
    one(db, row).await
}

/// An admin changes a part. `serialized` cannot change once the part has
/// stock movements.
///
/// # Errors
/// `Forbidden`, `NotFound`, `Validation` (a supersession cycle among them),
/// `Conflict`.
pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, input: PartInput) -> Result<PartDto, AppError> {
    actor.require(Role::Admin)?;
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let row = part::Entity::find_by_id(id).one(&*tx).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    if input.oem_id.is_some_and(|o| o != row.oem_id) {
        errors.add("oem_id", "cannot change: add the part to the other OEM instead");
    }
    if input.part_number.as_deref().is_some_and(|n| parts::part_number(n).ok().as_deref() != Some(&row.part_number)) {
        errors.add("part_number", "cannot change: add a new part and supersede this one");
    }
    let description = input.description.as_deref().and_then(|d| errors.check("description", parts::description(d)));
    let category = input
        .component_category
        .as_deref()
        .and_then(|c| errors.check("component_category", ComponentCategory::parse(c)));
    let price = input.list_price.as_ref().and_then(|m| check_price(&mut errors, m));
    errors.finish()?;
    if input.serialized.is_some_and(|s| s != row.serialized)
        && stock_movement::Entity::find().filter(stock_movement::Column::PartId.eq(id)).count(&*tx).await? > 0
    {
        return Err(AppError::field("serialized", "cannot change: this part already has stock movements"));
    }
    let superseded_by = match input.superseded_by_id {
        Some(0) => Some(None),
        Some(target) => Some(Some(check_supersession(&*tx, row.oem_id, Some(id), &row.part_number, target).await?)),
        None => None,
    };

    let mut changed = Map::new();
    let mut active: part::ActiveModel = row.clone().into();
    macro_rules! apply {
        ($value:expr, $field:ident, $name:literal) => {
            if let Some(v) = $value.filter(|v| *v != row.$field) {
                changed.insert($name.into(), json!(v));
                active.$field = Set(v);
            }
        };
    }
    apply!(description, description, "description");
    apply!(category.map(|c| c.as_str().to_string()), component_category, "component_category");
    apply!(price.as_ref().map(|p| p.0), list_price_minor, "list_price_minor");
    apply!(price.map(|p| p.1), currency, "currency");
    apply!(input.serialized, serialized, "serialized");
    apply!(input.warranty_eligible, warranty_eligible, "warranty_eligible");
    apply!(input.dangerous_goods, dangerous_goods, "dangerous_goods");
    apply!(input.active, active, "active");
    apply!(superseded_by, superseded_by_id, "superseded_by_id");
    if changed.is_empty() {
        return one(db, row).await;
    }
    let row = active.update(&*tx).await?;
    if changed.contains_key("description") {
        part_word::Entity::delete_many().filter(part_word::Column::PartId.eq(id)).exec(&*tx).await?;
        write_words(&*tx, &[(id, row.description.clone())]).await?;
    }
    let action = if changed.contains_key("superseded_by_id") { "part.superseded" } else { "part.updated" };
    changed.insert("part_number".into(), json!(row.part_number));
    tx.record(Change::new("part", id, action, Value::Object(changed)).scoped(None, Some(row.oem_id)));
    tx.commit().await?;
    one(db, row).await
}

/// The target of a supersession, checked: a part of the same OEM, not the
/// part itself, and no cycle.
async fn check_supersession(
    db: &impl ConnectionTrait,
    oem_id: i64,
    id: Option<i64>,
    number: &str,
    target: i64,
) -> Result<i64, AppError> {
    let field = |m: String| AppError::field("superseded_by_id", m);
    let target_row = part::Entity::find_by_id(target).one(db).await?.ok_or_else(|| field("is not a part".into()))?;
    if target_row.oem_id != oem_id {
        return Err(field("must be a part of the same OEM".into()));
    }
    let Some(id) = id else { return Ok(target) };
    let graph = supersession_graph(db, oem_id).await?;
    let names: HashMap<i64, String> = graph.iter().map(|(id, (name, _))| (*id, name.clone())).collect();
    parts::chain_end(
        id,
        target,
        |at| graph.get(&at).and_then(|(_, next)| *next),
        |at| names.get(&at).cloned().unwrap_or_else(|| number.to_string()),
    )
    .map_err(field)?;
    Ok(target)
}

/// Every superseded part of an OEM and its successor (id → (number, next)).
async fn supersession_graph(
    db: &impl ConnectionTrait,
    oem_id: i64,
) -> Result<HashMap<i64, (String, Option<i64>)>, AppError> {
    let rows: Vec<(i64, String, Option<i64>)> = part::Entity::find()
        .select_only()
        .columns([part::Column::Id, part::Column::PartNumber, part::Column::SupersededById])
        .filter(part::Column::OemId.eq(oem_id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, number, next)| (id, (number, next))).collect())
}

fn check_price(errors: &mut FieldErrors, money: &Money) -> Option<(i64, String)> {
    let currency = errors.check("list_price", network::currency(&money.currency))?;
    let amount = errors.check("list_price", parts::list_price(money.amount_minor))?;
    Some((amount, currency))
}

/// Indexes the words of each `(part id, description)`.
pub(crate) async fn write_words(db: &impl ConnectionTrait, items: &[(i64, String)]) -> Result<(), AppError> {
    let rows: Vec<Vec<sea_orm::Value>> = items
        .iter()
        .flat_map(|(id, description)| {
            parts::words(description).into_iter().map(move |word| vec![word.into(), (*id).into()])
        })
        .collect();
    super::bulk::insert(db, "part_words", &["word", "part_id"], rows).await?;
    Ok(())
}

/// The ledger's record of a part as it is.
pub(crate) fn snapshot(row: &part::Model) -> Value {
    json!({
        "part_number": row.part_number, "description": row.description,
        "component_category": row.component_category, "list_price_minor": row.list_price_minor,
        "currency": row.currency, "serialized": row.serialized, "warranty_eligible": row.warranty_eligible,
        "dangerous_goods": row.dangerous_goods, "active": row.active, "superseded_by_id": row.superseded_by_id,
    })
}

async fn one(db: &DatabaseConnection, row: part::Model) -> Result<PartDto, AppError> {
    dtos(db, vec![row]).await?.pop().ok_or_else(|| anyhow::anyhow!("a part went missing").into())
}

/// DTOs with OEM codes and the end of each supersession chain, in a few
/// `IN` queries whatever the page size.
pub(crate) async fn dtos(db: &impl ConnectionTrait, rows: Vec<part::Model>) -> Result<Vec<PartDto>, AppError> {
    let oems: HashMap<i64, String> = oem::Entity::find().all(db).await?.into_iter().map(|o| (o.id, o.code)).collect();
    let mut known: HashMap<i64, (String, Option<i64>)> =
        rows.iter().map(|p| (p.id, (p.part_number.clone(), p.superseded_by_id))).collect();
    for _ in 0..32 {
        let missing: Vec<i64> =
            known.values().filter_map(|(_, next)| *next).filter(|id| !known.contains_key(id)).collect();
        if missing.is_empty() {
            break;
        }
        let found: Vec<(i64, String, Option<i64>)> = part::Entity::find()
            .select_only()
            .columns([part::Column::Id, part::Column::PartNumber, part::Column::SupersededById])
            .filter(part::Column::Id.is_in(missing))
            .into_tuple()
            .all(db)
            .await?;
        known.extend(found.into_iter().map(|(id, number, next)| (id, (number, next))));
    }
    let current = |start: i64| {
        let mut at = start;
        for _ in 0..64 {
            match known.get(&at).and_then(|(_, next)| *next) {
                Some(next) if known.contains_key(&next) => at = next,
                _ => break,
            }
        }
        (at, known.get(&at).map(|(n, _)| n.clone()).unwrap_or_default())
    };
    Ok(rows
        .into_iter()
        .map(|row| {
            let (current_part_id, current_part_number) = current(row.id);
            PartDto {
                id: row.id,
                oem_id: row.oem_id,
                oem_code: oems.get(&row.oem_id).cloned().unwrap_or_default(),
                component_category: ComponentCategory::parse(&row.component_category)
                    .unwrap_or(ComponentCategory::VehicleBasic),
                list_price: Money { amount_minor: row.list_price_minor, currency: row.currency },
                part_number: row.part_number,
                description: row.description,
                serialized: row.serialized,
                warranty_eligible: row.warranty_eligible,
                dangerous_goods: row.dangerous_goods,
                active: row.active,
                superseded_by_id: row.superseded_by_id,
                current_part_id,
                current_part_number,
            }
        })
        .collect())
}
