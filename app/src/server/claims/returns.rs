//! Part returns: the OEM asks for the failed part back; the dealer ships it
//! with a tracking reference; the OEM receives and inspects it.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::{get, read};
use crate::model::claim::{self as rules, ClaimDto, ClaimStatus, NewPartReturn, PartReturnPatch, ReturnStatus};
use crate::model::stock::serial as parse_serial;
use crate::model::stock::{UnitEvent, UnitStatus};
use crate::model::{AppError, Role};
use crate::server::auth::Actor;
use crate::server::entities::{claim, part, part_return, part_unit, repair_part};
use crate::server::ledger::{Change, LedgerTx};
use crate::server::stock::{self, UnitMove};

/// The OEM's service manager asks for a part of the claim's repair back.
///
/// # Errors
/// `Forbidden` unless the OEM's service manager; `Conflict` for a draft or
/// withdrawn claim; `Validation` for a part not on the repair.
pub async fn request(
    db: &DatabaseConnection,
    actor: &Actor,
    claim_id: i64,
    input: NewPartReturn,
) -> Result<ClaimDto, AppError> {
    let claim = read::in_scope(db, actor, claim_id).await?;
    if actor.role != Role::ServiceManager {
        return Err(AppError::Forbidden);
    }
    if matches!(ClaimStatus::parse(&claim.status), Ok(ClaimStatus::Draft | ClaimStatus::Withdrawn)) {
        return Err(AppError::conflict(format!("{} is {}; no part can be asked back.", claim.number, claim.status)));
    }
    let part_id = input.part_id.unwrap_or(claim.causal_part_id);
    let lines = repair_part::Entity::find()
        .filter(repair_part::Column::RepairId.eq(claim.repair_id))
        .filter(repair_part::Column::PartId.eq(part_id))
        .all(db)
        .await?;
    if lines.is_empty() {
        return Err(AppError::field("part_id", "must be one of the parts on the claim's repair"));
    }
    let serial = match input.serial.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(raw) => Some(parse_serial(raw).map_err(|m| AppError::field("serial", m))?),
        // The failed unit the repair took out, when it has a serial.
        None => lines.iter().find(|l| l.direction == "removed").and_then(|l| l.serial.clone()),
    };
    let note = note(input.note.as_deref())?;
    let now = Utc::now();
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let row = part_return::ActiveModel {
        claim_id: Set(claim.id),
        part_id: Set(Some(part_id)),
        serial: Set(serial),
        status: Set(ReturnStatus::Requested.as_str().to_string()),
        tracking: Set(None),
        note: Set(note),
        requested_by: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    tx.record(
        Change::new(
            "part_return",
            row.id,
            "part_return.requested",
            json!({"claim_id": claim.id, "number": claim.number, "part_id": part_id, "serial": row.serial, "note": row.note}),
        )
        .scoped(Some(claim.dealer_id), Some(claim.oem_id)),
    );
    tx.commit().await?;
    get(db, actor, claim.id).await
}

/// One step of a return: shipped by the dealer (tracking required),
/// received and inspected by the OEM.
///
/// # Errors
/// `NotFound` outside scope; `Conflict` for a step out of order or by the
/// wrong side; `Validation` for a missing tracking reference.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    patch: PartReturnPatch,
) -> Result<ClaimDto, AppError> {
    let row = part_return::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let claim = read::in_scope(db, actor, row.claim_id).await?;
    let to = ReturnStatus::parse(&patch.status).map_err(|m| AppError::field("status", m))?;
    let from = ReturnStatus::parse(&row.status).map_err(|_| anyhow::anyhow!("part return {id} has a bad status"))?;
    rules::return_step(from, to, actor.role)
        .map_err(|reason| AppError::conflict(format!("This part return {reason}.")))?;
    let tracking = patch.tracking.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
    if to == ReturnStatus::Shipped && tracking.as_ref().is_none_or(|t| t.chars().count() > 64) {
        return Err(AppError::field("tracking", "is required: the carrier's tracking reference (up to 64 characters)"));
    }
    let note = note(patch.note.as_deref())?;
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    // The step is taken only from the status it was judged from: of two
    // concurrent requests for the same step, the second finds it taken.
    let mut step = part_return::Entity::update_many()
        .col_expr(part_return::Column::Status, Expr::value(to.as_str()))
        .col_expr(part_return::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(part_return::Column::Id.eq(row.id))
        .filter(part_return::Column::Status.eq(row.status.as_str()));
    if let Some(tracking) = &tracking {
        step = step.col_expr(part_return::Column::Tracking, Expr::value(tracking.as_str()));
    }
    if let Some(note) = &note {
        step = step.col_expr(part_return::Column::Note, Expr::value(note.as_str()));
    }
    if step.exec(&*tx).await?.rows_affected == 0 {
        return Err(AppError::conflict(format!(
            "This part return changed meanwhile; it is no longer {}. Reload the claim.",
            row.status
        )));
    }
    if to == ReturnStatus::Shipped {
        ship_unit(&mut tx, &claim, &row).await?;
    }
    let action = match to {
        ReturnStatus::Shipped => "part_return.shipped",
        ReturnStatus::Received => "part_return.received",
        ReturnStatus::Inspected => "part_return.inspected",
        ReturnStatus::Requested => "part_return.requested",
    };
    tx.record(
        Change::new(
            "part_return",
            row.id,
            action,
            json!({"claim_id": claim.id, "number": claim.number, "tracking": tracking, "note": note}),
        )
        .scoped(Some(claim.dealer_id), Some(claim.oem_id)),
    );
    tx.commit().await?;
    get(db, actor, claim.id).await
}

/// The failed unit the dealer ships leaves it for the OEM: its life goes on
/// as `returned_to_oem` (a unit already elsewhere in its life is left as is).
async fn ship_unit(tx: &mut LedgerTx, claim: &claim::Model, row: &part_return::Model) -> Result<(), AppError> {
    let (Some(part_id), Some(serial)) = (row.part_id, row.serial.as_deref()) else {
        return Ok(());
    };
    let removed = part_unit::Entity::find()
        .filter(part_unit::Column::PartId.eq(part_id))
        .filter(part_unit::Column::Serial.eq(serial))
        .filter(part_unit::Column::DealerId.eq(claim.dealer_id))
        .filter(part_unit::Column::Status.eq(UnitStatus::Removed.as_str()))
        .one(&**tx)
        .await?;
    let part = part::Entity::find_by_id(part_id).one(&**tx).await?;
    if let (Some(_), Some(part)) = (removed, part) {
        let step = UnitMove {
            dealer_id: claim.dealer_id,
            part: &part,
            serial,
            event: UnitEvent::ReturnedToOem,
            repair: None,
            movement: None,
        };
        stock::move_unit(tx, step).await?;
    }
    Ok(())
}

fn note(raw: Option<&str>) -> Result<Option<String>, AppError> {
    match raw.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) if n.chars().count() > 2000 => Err(AppError::field("note", "must be at most 2000 characters")),
        Some(n) => Ok(Some(n.to_string())),
        None => Ok(None),
    }
}
