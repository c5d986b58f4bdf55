//! Dealer stock: append-only movements, the on-hand levels kept beside them
//! in the same transaction, and reorder points. Dealers move their own
//! stock, admins any dealer's; service managers read their OEM's parts.

use std::collections::HashSet;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde_json::json;

use super::auth::Actor;
use super::entities::{dealer, part, part_unit, stock_level, stock_movement};
use super::ledger::{Change, LedgerTx};
use crate::model::stock::{
    MovementKind, MovementPlan, MovementResult, NewMovement, ReorderPointInput, StockLevelDto, UnitEvent, UnitStatus,
    plan_movement,
};
use crate::model::{AppError, FieldErrors, Role};

mod csv;
mod read;
mod transfer;
mod unit_moves;
mod units;

use read::level_scope;
pub(crate) use read::{level_dtos, movement_dtos};
pub use read::{list_levels, list_movements};

pub use csv::{ReceiptRow, export_csv, import_receipts, may_import, receive};
pub use transfer::{transfer, transfer_targets};
pub(crate) use unit_moves::{UnitMove, move_unit};
pub use units::{find_unit, serials_in_stock};

/// Records a movement the actor asked for (receipts, adjustments, scrap,
/// returns to the OEM, recycling, and issues to or returns from repairs).
///
/// # Errors
/// `Forbidden` for service managers; `NotFound` for another dealer's
/// stock; `Validation` per field; `Conflict` when stock is short or a
/// serial's status does not allow the movement.
#[tracing::instrument(skip(db, actor, input), fields(actor = actor.user_id))]
pub async fn record_movement(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewMovement,
) -> Result<MovementResult, AppError> {
    let dealer_id = acting_dealer(db, actor, input.dealer_id, "dealer_id").await?;
    let kind = MovementKind::parse(&input.kind).map_err(|m| AppError::field("kind", m))?;
    if matches!(kind, MovementKind::TransferIn | MovementKind::TransferOut) {
        return Err(AppError::field("kind", "transfers between dealers go through POST /stock/transfers"));
    }
    if matches!(kind, MovementKind::IssueToRepair | MovementKind::ReturnFromRepair) {
        return Err(AppError::field(
            "kind",
            "parts go into and come back from repairs through POST /repairs/{id}/parts",
        ));
    }
    let decrease = match input.direction.as_deref().map(str::trim) {
        None | Some("" | "increase") => false,
        Some("decrease") => true,
        Some(_) => return Err(AppError::field("direction", "must be increase or decrease")),
    };
    if decrease && kind != MovementKind::Adjustment {
        return Err(AppError::field("direction", "applies to adjustments only"));
    }
    let part = part::Entity::find_by_id(input.part_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("part_id", "is not a part"))?;
    if kind == MovementKind::Receipt && !part.active {
        return Err(AppError::field(
            "part_id",
            format!("{} is no longer active and cannot be received", part.part_number),
        ));
    }
    let serials = input.serials.unwrap_or_default();
    let plan = plan_movement(
        kind,
        input.quantity,
        &serials,
        part.serialized,
        input.reference.as_deref(),
        input.reason.as_deref(),
        decrease,
    )
    .map_err(FieldErrors::into_error)?;
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let movements =
        apply(&mut tx, Posting { dealer_id, part: &part, plan: &plan, repair: None, transfer_id: None }).await?;
    let level = level_row(&*tx, dealer_id, part.id).await?;
    tx.commit().await?;
    Ok(MovementResult {
        movements: movement_dtos(db, movements).await?,
        stock: level_dtos(db, vec![level]).await?.pop().ok_or_else(|| anyhow::anyhow!("level went missing"))?,
    })
}

/// Sets the on-hand below which a part is flagged for reordering.
///
/// # Errors
/// `Forbidden` for service managers; `NotFound` for another dealer;
/// `Validation` for a negative point or an unknown part.
pub async fn set_reorder_point(
    db: &DatabaseConnection,
    actor: &Actor,
    input: ReorderPointInput,
) -> Result<StockLevelDto, AppError> {
    let dealer_id = acting_dealer(db, actor, input.dealer_id, "dealer_id").await?;
    if !(0..=1_000_000).contains(&input.reorder_point) {
        return Err(AppError::field("reorder_point", "must be a whole number from 0 to 1000000"));
    }
    let part = part::Entity::find_by_id(input.part_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("part_id", "is not a part"))?;
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    ensure_level(&*tx, dealer_id, part.id).await?;
    stock_level::Entity::update_many()
        .col_expr(stock_level::Column::ReorderPoint, Expr::value(input.reorder_point))
        .filter(stock_level::Column::DealerId.eq(dealer_id))
        .filter(stock_level::Column::PartId.eq(part.id))
        .exec(&*tx)
        .await?;
    let level = level_row(&*tx, dealer_id, part.id).await?;
    tx.record(
        Change::new(
            "stock_level",
            level.id,
            "stock_level.reorder_point_set",
            json!({"part_id": part.id, "part_number": part.part_number, "reorder_point": input.reorder_point}),
        )
        .scoped(Some(dealer_id), Some(part.oem_id)),
    );
    tx.commit().await?;
    level_dtos(db, vec![level]).await?.pop().ok_or_else(|| anyhow::anyhow!("level went missing").into())
}

/// The dealer whose stock the actor moves: a dealer its own (naming
/// another is a 404), an admin the one named in `field`.
pub(crate) async fn acting_dealer(
    db: &impl ConnectionTrait,
    actor: &Actor,
    named: Option<i64>,
    field: &str,
) -> Result<i64, AppError> {
    match actor.role {
        Role::Dealer => {
            let own = actor.dealer_id.ok_or(AppError::Forbidden)?;
            if named.is_some_and(|d| d != own) { Err(AppError::NotFound) } else { Ok(own) }
        }
        Role::Admin => {
            let id = named.ok_or_else(|| AppError::field(field, "is required: the dealer whose stock this is"))?;
            dealer::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::field(field, "is not a dealer"))?;
            Ok(id)
        }
        Role::ServiceManager => Err(AppError::Forbidden),
    }
}

/// One movement to apply inside a ledger transaction.
pub(crate) struct Posting<'a> {
    pub dealer_id: i64,
    pub part: &'a part::Model,
    pub plan: &'a MovementPlan,
    pub repair: Option<RepairRef>,
    pub transfer_id: Option<i64>,
}

/// The repair (and its vehicle) a movement issues parts to or takes them back from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RepairRef {
    pub id: i64,
    pub vehicle_id: i64,
}

/// Applies a movement: the level changes by a conditional update (never
/// below zero, whatever runs beside it), serial units change status, the
/// movement rows and their ledger entries are written.
///
/// # Errors
/// `Conflict` when stock is short or a unit's status forbids the movement.
pub(crate) async fn apply(tx: &mut LedgerTx, posting: Posting<'_>) -> Result<Vec<stock_movement::Model>, AppError> {
    let Posting { dealer_id, part, plan, repair, transfer_id } = posting;
    let repair_id = repair.map(|r| r.id);
    // Failed units taken out of vehicles leave the dealer (to the OEM, the
    // scrapyard, the recycler) without ever having been stock.
    let not_stock =
        if plan.delta < 0 { removed_units(&**tx, dealer_id, part.id, &plan.serials).await? } else { Vec::new() };
    let delta = plan.delta + i64::try_from(not_stock.len()).unwrap_or(0);
    ensure_level(&**tx, dealer_id, part.id).await?;
    let updated = stock_level::Entity::update_many()
        .col_expr(stock_level::Column::OnHand, Expr::col(stock_level::Column::OnHand).add(delta))
        .filter(stock_level::Column::DealerId.eq(dealer_id))
        .filter(stock_level::Column::PartId.eq(part.id))
        .filter(Expr::col(stock_level::Column::OnHand).add(delta).gte(0))
        .exec(&**tx)
        .await?;
    if updated.rows_affected == 0 {
        let on_hand = level_row(&**tx, dealer_id, part.id).await?.on_hand;
        return Err(AppError::conflict(format!(
            "Not enough stock of {}: {on_hand} on hand, {} asked.",
            part.part_number, plan.quantity
        )));
    }
    let now = Utc::now();
    let event = UnitEvent::of_movement(plan.kind);
    let not_stock: HashSet<&str> = not_stock.iter().map(String::as_str).collect();
    let rows: Vec<(Option<String>, i64)> = if plan.serials.is_empty() {
        vec![(None, plan.delta)]
    } else {
        plan.serials
            .iter()
            .map(|s| (Some(s.clone()), if not_stock.contains(s.as_str()) { 0 } else { plan.delta.signum() }))
            .collect()
    };
    let mut movements = Vec::with_capacity(rows.len());
    for (serial, quantity) in rows {
        let movement = stock_movement::ActiveModel {
            dealer_id: Set(dealer_id),
            part_id: Set(part.id),
            kind: Set(plan.kind.as_str().to_string()),
            quantity: Set(quantity),
            serial: Set(serial.clone()),
            repair_id: Set(repair_id),
            transfer_id: Set(transfer_id),
            reference: Set(plan.reference.clone()),
            reason: Set(plan.reason.clone()),
            actor_id: Set(tx.actor_id()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&**tx)
        .await?;
        tx.record(
            Change::new(
                "stock_movement",
                movement.id,
                "stock_movement.recorded",
                json!({
                    "kind": plan.kind.as_str(), "part_id": part.id, "part_number": part.part_number,
                    "quantity": quantity, "serial": serial, "reference": plan.reference, "reason": plan.reason,
                    "repair_id": repair_id, "transfer_id": transfer_id,
                }),
            )
            .scoped(Some(dealer_id), Some(part.oem_id)),
        );
        if let Some(serial) = serial {
            move_unit(tx, UnitMove { dealer_id, part, serial: &serial, event, repair, movement: Some(&movement) })
                .await?;
        }
        movements.push(movement);
    }
    Ok(movements)
}

/// Which of these serials are failed units the dealer took out of vehicles.
async fn removed_units(
    db: &impl ConnectionTrait,
    dealer_id: i64,
    part_id: i64,
    serials: &[String],
) -> Result<Vec<String>, AppError> {
    let mut removed = Vec::new();
    // In slices: a movement may list up to MAX_SERIALS, more than one
    // statement may bind on SQLite or PostgreSQL.
    for chunk in serials.chunks(SERIALS_PER_QUERY) {
        let found: Vec<String> = part_unit::Entity::find()
            .select_only()
            .column(part_unit::Column::Serial)
            .filter(part_unit::Column::PartId.eq(part_id))
            .filter(part_unit::Column::DealerId.eq(dealer_id))
            .filter(part_unit::Column::Status.eq(UnitStatus::Removed.as_str()))
            .filter(part_unit::Column::Serial.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        removed.extend(found);
    }
    Ok(removed)
}

/// Serials bound in one `IN (…)` list.
const SERIALS_PER_QUERY: usize = 5_000;

/// Makes sure the dealer has a level row for the part (on hand 0).
async fn ensure_level(db: &impl ConnectionTrait, dealer_id: i64, part_id: i64) -> Result<(), AppError> {
    stock_level::Entity::insert(stock_level::ActiveModel {
        dealer_id: Set(dealer_id),
        part_id: Set(part_id),
        on_hand: Set(0),
        reorder_point: Set(0),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([stock_level::Column::DealerId, stock_level::Column::PartId])
    .exec_without_returning(db)
    .await?;
    Ok(())
}

async fn level_row(db: &impl ConnectionTrait, dealer_id: i64, part_id: i64) -> Result<stock_level::Model, AppError> {
    stock_level::Entity::find()
        .filter(stock_level::Column::DealerId.eq(dealer_id))
        .filter(stock_level::Column::PartId.eq(part_id))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("stock level {dealer_id}/{part_id} is missing").into())
}
