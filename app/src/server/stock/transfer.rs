//! Transfers between two dealers of one OEM's network: the transfer_out and
//! the transfer_in are one transaction.

use chrono::Utc;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use super::{Posting, acting_dealer, apply, level_dtos, level_row, movement_dtos};
use crate::model::stock::{MovementKind, NewTransfer, TransferResult, plan_movement};
use crate::model::user::OrgOption;
use crate::model::{AppError, Role};
use crate::server::auth::Actor;
use crate::server::authorizations::in_network;
use crate::server::entities::{authorization, dealer, part, stock_movement};
use crate::server::ledger::{Change, LedgerTx};

/// Moves stock from one dealer to another of the part's OEM network.
///
/// # Errors
/// `Forbidden` for service managers; `NotFound` for another dealer's stock;
/// `Validation` per field (a dealer outside the network among them);
/// `Conflict` when stock is short.
#[tracing::instrument(skip(db, actor, input), fields(actor = actor.user_id))]
pub async fn transfer(db: &DatabaseConnection, actor: &Actor, input: NewTransfer) -> Result<TransferResult, AppError> {
    let from = acting_dealer(db, actor, input.from_dealer_id, "from_dealer_id").await?;
    let to = dealer::Entity::find_by_id(input.to_dealer_id)
        .one(db)
        .await?
        .filter(|d| d.active)
        .ok_or_else(|| AppError::field("to_dealer_id", "is not an active dealer"))?;
    if to.id == from {
        return Err(AppError::field("to_dealer_id", "must be another dealer"));
    }
    let part = part::Entity::find_by_id(input.part_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("part_id", "is not a part"))?;
    let today = Utc::now().date_naive();
    if !in_network(db, part.oem_id, from, today).await? {
        return Err(AppError::field("from_dealer_id", "is not authorized by this part's OEM today"));
    }
    if !in_network(db, part.oem_id, to.id, today).await? {
        return Err(AppError::field("to_dealer_id", format!("{} is not authorized by this part's OEM today", to.code)));
    }
    let serials = input.serials.unwrap_or_default();
    let plan = |kind| {
        plan_movement(kind, input.quantity, &serials, part.serialized, input.reference.as_deref(), None, false)
            .map_err(crate::model::FieldErrors::into_error)
    };
    let (out, inbound) = (plan(MovementKind::TransferOut)?, plan(MovementKind::TransferIn)?);

    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    // Appends are serialized by the ledger head lock, so the next number is ours.
    let last: Option<Option<i64>> = stock_movement::Entity::find()
        .select_only()
        .column_as(Expr::from(Func::max(Expr::col(stock_movement::Column::TransferId))), "last")
        .into_tuple()
        .one(&*tx)
        .await?;
    let transfer_id = last.flatten().unwrap_or(0) + 1;
    let mut movements = apply(
        &mut tx,
        Posting { dealer_id: from, part: &part, plan: &out, repair: None, transfer_id: Some(transfer_id) },
    )
    .await?;
    movements.extend(
        apply(
            &mut tx,
            Posting { dealer_id: to.id, part: &part, plan: &inbound, repair: None, transfer_id: Some(transfer_id) },
        )
        .await?,
    );
    tx.record(
        Change::new(
            "stock_movement",
            transfer_id,
            "stock_movement.transferred",
            json!({
                "transfer_id": transfer_id, "from_dealer_id": from, "to_dealer_id": to.id, "part_id": part.id,
                "part_number": part.part_number, "quantity": input.quantity, "serials": out.serials,
            }),
        )
        .scoped(Some(from), Some(part.oem_id)),
    );
    let (from_level, to_level) = (level_row(&*tx, from, part.id).await?, level_row(&*tx, to.id, part.id).await?);
    tx.commit().await?;
    let mut levels = level_dtos(db, vec![from_level, to_level]).await?.into_iter();
    let (Some(from), Some(to)) = (levels.next(), levels.next()) else {
        return Err(anyhow::anyhow!("transfer levels went missing").into());
    };
    Ok(TransferResult { transfer_id, movements: movement_dtos(db, movements).await?, from, to })
}

/// The dealers a part can be transferred to: the other dealers its OEM
/// authorizes today.
///
/// # Errors
/// `Forbidden` for service managers; `Validation` for an unknown part.
pub async fn transfer_targets(
    db: &DatabaseConnection,
    actor: &Actor,
    part_id: i64,
) -> Result<Vec<OrgOption>, AppError> {
    if actor.role == Role::ServiceManager {
        return Err(AppError::Forbidden);
    }
    let part =
        part::Entity::find_by_id(part_id).one(db).await?.ok_or_else(|| AppError::field("part_id", "is not a part"))?;
    let today = Utc::now().date_naive();
    let candidates: Vec<i64> = authorization::Entity::find()
        .filter(authorization::Column::OemId.eq(part.oem_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.dealer_id)
        .collect();
    let mut options = Vec::new();
    for d in dealer::Entity::find()
        .filter(dealer::Column::Id.is_in(candidates))
        .filter(dealer::Column::Active.eq(true))
        .order_by_asc(dealer::Column::Code)
        .all(db)
        .await?
    {
        if Some(d.id) != actor.dealer_id && in_network(db, part.oem_id, d.id, today).await? {
            options.push(OrgOption { id: d.id, code: d.code, name: d.name });
        }
    }
    Ok(options)
}
