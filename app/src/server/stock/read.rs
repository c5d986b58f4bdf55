//! Reading stock: levels and movements in the actor's scope, and the DTOs
//! both reads and writes answer with.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::model::policy::ComponentCategory;
use crate::model::stock::{MovementDto, MovementFilter, MovementKind, StockFilter, StockLevelDto};
use crate::model::user::Page;
use crate::model::{AppError, Role};
use crate::server::auth::Actor;
use crate::server::entities::{part, stock_level, stock_movement};
use crate::server::pagination;
use crate::server::reader::Reader;

/// Stock levels in the actor's scope, filtered, by id.
///
/// # Errors
/// `NotFound` when a dealer names another dealer; `Validation` for bad
/// filters.
pub async fn list_levels(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &StockFilter,
) -> Result<Page<StockLevelDto>, AppError> {
    let limit = pagination::limit(filter.limit)?;
    let db = &Reader::of(db).await?;
    let mut query = stock_level::Entity::find().filter(level_scope(actor, filter.dealer_id)?);
    if let Some(dealer_id) = filter.dealer_id {
        query = query.filter(stock_level::Column::DealerId.eq(dealer_id));
    }
    if let Some(part_id) = filter.part_id {
        query = query.filter(stock_level::Column::PartId.eq(part_id));
    }
    if filter.below_reorder == Some(true) {
        query = query.filter(Expr::col(stock_level::Column::OnHand).lt(Expr::col(stock_level::Column::ReorderPoint)));
    }
    let q = crate::model::validate::search(filter.q.as_deref()).map_err(|m| AppError::field("q", m))?;
    let category = filter.component_category.as_deref().filter(|c| !c.is_empty());
    if q.is_some() || category.is_some() {
        let mut parts = Condition::all();
        if let Some(q) = q {
            parts = parts.add(crate::server::parts::matches(q));
        }
        if let Some(category) = category {
            let category = ComponentCategory::parse(category).map_err(|m| AppError::field("component_category", m))?;
            parts = parts.add(part::Column::ComponentCategory.eq(category.as_str()));
        }
        let mut sub = Query::select();
        sub.column(part::Column::Id).from(part::Entity).cond_where(parts);
        query = query.filter(stock_level::Column::PartId.in_subquery(sub));
    }
    if let Some(cursor) = &filter.cursor {
        query = query.filter(stock_level::Column::Id.gt(pagination::decode_cursor(cursor)?));
    }
    let rows = query.order_by_asc(stock_level::Column::Id).limit(limit + 1).all(db).await?;
    let more = rows.len() as u64 > limit;
    let rows: Vec<stock_level::Model> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = if more { rows.last().map(|r| pagination::encode_cursor(r.id)) } else { None };
    Ok(Page { items: level_dtos(db, rows).await?, next_cursor })
}

/// Movements in the actor's scope, newest first.
///
/// # Errors
/// `NotFound` when a dealer names another dealer; `Validation` for bad
/// filters.
pub async fn list_movements(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &MovementFilter,
) -> Result<Page<MovementDto>, AppError> {
    let limit = pagination::limit(filter.limit)?;
    let db = &Reader::of(db).await?;
    let mut query = stock_movement::Entity::find();
    match actor.role {
        Role::Admin => {}
        Role::Dealer => {
            let own = actor.dealer_id.unwrap_or(-1);
            if filter.dealer_id.is_some_and(|d| d != own) {
                return Err(AppError::NotFound);
            }
            query = query.filter(stock_movement::Column::DealerId.eq(own));
        }
        Role::ServiceManager => {
            query = query.filter(stock_movement::Column::PartId.in_subquery(oem_parts(actor.oem_id.unwrap_or(-1))));
        }
    }
    if let Some(dealer_id) = filter.dealer_id {
        query = query.filter(stock_movement::Column::DealerId.eq(dealer_id));
    }
    if let Some(part_id) = filter.part_id {
        query = query.filter(stock_movement::Column::PartId.eq(part_id));
    }
    if let Some(kind) = filter.kind.as_deref().filter(|k| !k.is_empty()) {
        let kind = MovementKind::parse(kind).map_err(|m| AppError::field("kind", m))?;
        query = query.filter(stock_movement::Column::Kind.eq(kind.as_str()));
    }
    if let Some(serial) = filter.serial.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        query = query.filter(stock_movement::Column::Serial.eq(serial.to_uppercase()));
    }
    if let Some(cursor) = &filter.cursor {
        query = query.filter(stock_movement::Column::Id.lt(pagination::decode_cursor(cursor)?));
    }
    let rows = query.order_by_desc(stock_movement::Column::Id).limit(limit + 1).all(db).await?;
    let more = rows.len() as u64 > limit;
    let rows: Vec<stock_movement::Model> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = if more { rows.last().map(|r| pagination::encode_cursor(r.id)) } else { None };
    Ok(Page { items: movement_dtos(db, rows).await?, next_cursor })
}

/// Which levels the actor may read; a dealer naming another dealer gets 404.
pub(super) fn level_scope(actor: &Actor, named: Option<i64>) -> Result<Condition, AppError> {
    Ok(match actor.role {
        Role::Admin => Condition::all(),
        Role::Dealer => {
            let own = actor.dealer_id.unwrap_or(-1);
            if named.is_some_and(|d| d != own) {
                return Err(AppError::NotFound);
            }
            Condition::all().add(stock_level::Column::DealerId.eq(own))
        }
        Role::ServiceManager => {
            Condition::all().add(stock_level::Column::PartId.in_subquery(oem_parts(actor.oem_id.unwrap_or(-1))))
        }
    })
}

fn oem_parts(oem_id: i64) -> sea_orm::sea_query::SelectStatement {
    let mut sub = Query::select();
    sub.column(part::Column::Id).from(part::Entity).and_where(Expr::col(part::Column::OemId).eq(oem_id));
    sub
}

async fn parts_by_id(db: &impl ConnectionTrait, ids: Vec<i64>) -> Result<HashMap<i64, part::Model>, AppError> {
    Ok(part::Entity::find().filter(part::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|p| (p.id, p)).collect())
}

pub(crate) async fn level_dtos(
    db: &impl ConnectionTrait,
    rows: Vec<stock_level::Model>,
) -> Result<Vec<StockLevelDto>, AppError> {
    let parts = parts_by_id(db, rows.iter().map(|r| r.part_id).collect()).await?;
    let dealers = crate::server::dealers::codes(db, rows.iter().map(|r| r.dealer_id)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let part = parts.get(&r.part_id)?;
            Some(StockLevelDto {
                dealer_id: r.dealer_id,
                dealer_code: dealers.get(&r.dealer_id).cloned().unwrap_or_default(),
                part_id: r.part_id,
                part_number: part.part_number.clone(),
                description: part.description.clone(),
                component_category: ComponentCategory::parse(&part.component_category)
                    .unwrap_or(ComponentCategory::VehicleBasic),
                serialized: part.serialized,
                on_hand: r.on_hand,
                reorder_point: r.reorder_point,
                below_reorder: r.on_hand < r.reorder_point,
            })
        })
        .collect())
}

pub(crate) async fn movement_dtos(
    db: &impl ConnectionTrait,
    rows: Vec<stock_movement::Model>,
) -> Result<Vec<MovementDto>, AppError> {
    let parts = parts_by_id(db, rows.iter().map(|r| r.part_id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|m| MovementDto {
            id: m.id,
            dealer_id: m.dealer_id,
            part_id: m.part_id,
            part_number: parts.get(&m.part_id).map(|p| p.part_number.clone()).unwrap_or_default(),
            kind: MovementKind::parse(&m.kind).unwrap_or(MovementKind::Adjustment),
            quantity: m.quantity,
            serial: m.serial,
            repair_id: m.repair_id,
            transfer_id: m.transfer_id,
            reference: m.reference,
            reason: m.reason,
            actor_id: m.actor_id,
            created_at: m.created_at,
        })
        .collect())
}
