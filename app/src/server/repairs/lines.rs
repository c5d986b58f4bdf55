//! Labour and part lines of an open repair. Installed parts leave the
//! dealer's stock through the stock ledger; removed units are linked to the
//! vehicle and repair they came out of.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, ModelTrait, QueryFilter, Set};
use serde_json::json;

use super::{acting_dealer, get, open_for_change};
use crate::model::repair::{self as rules, NewLabor, NewRepairPart, PartDirection, RepairDto};
use crate::model::stock::{MovementKind, UnitEvent, plan_movement, serial as parse_serial};
use crate::model::{AppError, FieldErrors, money};
use crate::server::auth::Actor;
use crate::server::entities::{part, repair_labor, repair_order, repair_part, vehicle};
use crate::server::ledger::{Change, LedgerTx};
use crate::server::stock::{Posting, RepairRef, UnitMove, apply, move_unit};

/// Adds a labour line at the dealer's current rate.
///
/// # Errors
/// `NotFound` outside the dealer's repairs; `Conflict` unless open;
/// `Validation` per field.
pub async fn add_labor(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    input: NewLabor,
) -> Result<RepairDto, AppError> {
    let dealer = acting_dealer(db, actor).await?;
    let mut errors = FieldErrors::new();
    let code = errors.check("labor_code", rules::labor_code(&input.labor_code));
    let description = errors.check("description", rules::text(&input.description, 200));
    let hours = errors.check("hours", rules::hours(input.hours));
    errors.finish()?;
    let (Some(code), Some(description), Some(hours)) = (code, description, hours) else {
        return Err(anyhow::anyhow!("validated fields went missing").into());
    };
    // A line's amount is bounded, so the repair's and its claim's totals add up.
    money::line_amount("hours", money::labor("hours", hours, dealer.labor_rate_minor)?)?;
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let (repair, vehicle) = open_for_change(&*tx, actor, id).await?;
    let line = repair_labor::ActiveModel {
        repair_id: Set(repair.id),
        labor_code: Set(code),
        description: Set(description),
        hours_hundredths: Set(hours),
        rate_minor: Set(dealer.labor_rate_minor),
        currency: Set(dealer.currency.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    tx.record(
        Change::new(
            "repair",
            repair.id,
            "repair.labor_added",
            json!({
                "line_id": line.id, "labor_code": line.labor_code, "description": line.description,
                "hours": rules::hours_value(hours), "rate_minor": line.rate_minor, "currency": line.currency,
            }),
        )
        .scoped(Some(repair.dealer_id), Some(vehicle.oem_id)),
    );
    tx.commit().await?;
    get(db, actor, id).await
}

/// Removes a labour line of an open repair.
///
/// # Errors
/// `NotFound` for a line not on this repair; `Conflict` unless open.
pub async fn remove_labor(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    line_id: i64,
) -> Result<RepairDto, AppError> {
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let (repair, vehicle) = open_for_change(&*tx, actor, id).await?;
    let line = repair_labor::Entity::find_by_id(line_id)
        .filter(repair_labor::Column::RepairId.eq(repair.id))
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let data =
        json!({"line_id": line.id, "labor_code": line.labor_code, "hours": rules::hours_value(line.hours_hundredths)});
    line.delete(&*tx).await?;
    tx.record(
        Change::new("repair", repair.id, "repair.labor_removed", data)
            .scoped(Some(repair.dealer_id), Some(vehicle.oem_id)),
    );
    tx.commit().await?;
    get(db, actor, id).await
}

/// Adds a part line. `installed` issues the quantity from the dealer's
/// stock (a serialized unit becomes installed in this vehicle); `removed`
/// records the failed part (a serialized unit becomes removed, linked to
/// the vehicle and repair; a serial never seen before is created removed).
///
/// # Errors
/// `Validation` per field (a part of another OEM than the vehicle's, a
/// serial missing or misplaced); `Conflict` when stock is short or the
/// unit's status forbids the step — nothing is written then.
pub async fn add_part(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    input: NewRepairPart,
) -> Result<RepairDto, AppError> {
    acting_dealer(db, actor).await?;
    let mut errors = FieldErrors::new();
    let direction = errors.check("direction", PartDirection::parse(&input.direction));
    let part = part::Entity::find_by_id(input.part_id).one(db).await?;
    if part.is_none() {
        errors.add("part_id", "is not a part");
    }
    let serial = match input.serial.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(raw) => errors.check("serial", parse_serial(raw)),
        None => None,
    };
    if let Some(part) = &part {
        if part.serialized {
            if input.serial.as_deref().is_none_or(|s| s.trim().is_empty()) {
                errors.add("serial", format!("is required: {} is serialized (one unit per line)", part.part_number));
            }
            if input.quantity != 1 {
                errors.add("quantity", "must be 1 for a serialized part: one line per unit");
            }
        } else if serial.is_some() {
            errors.add("serial", format!("applies to serialized parts only; {} is not one", part.part_number));
        }
    }
    errors.finish()?;
    let (Some(direction), Some(part)) = (direction, part) else {
        return Err(anyhow::anyhow!("validated fields went missing").into());
    };
    let serials: Vec<String> = serial.iter().cloned().collect();
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let (repair, vehicle) = open_for_change(&*tx, actor, id).await?;
    // The quantity's range by the stock rules; the repair number is the reference.
    let kind = MovementKind::IssueToRepair;
    let plan = plan_movement(kind, input.quantity, &serials, part.serialized, Some(&repair.number), None, false)
        .map_err(FieldErrors::into_error)?;
    money::line_times("quantity", part.list_price_minor, input.quantity)?;
    if part.oem_id != vehicle.oem_id {
        return Err(AppError::field("part_id", format!("{} is not a part of this vehicle's maker", part.part_number)));
    }
    let here = RepairRef { id: repair.id, vehicle_id: vehicle.id };
    let movement_id = match direction {
        PartDirection::Installed => {
            let posting = Posting {
                dealer_id: repair.dealer_id,
                part: &part,
                plan: &plan,
                repair: Some(here),
                transfer_id: None,
            };
            apply(&mut tx, posting).await?.first().map(|m| m.id)
        }
        PartDirection::Removed => {
            if let Some(serial) = &serial {
                let step = UnitMove {
                    dealer_id: repair.dealer_id,
                    part: &part,
                    serial,
                    event: UnitEvent::Removed,
                    repair: Some(here),
                    movement: None,
                };
                move_unit(&mut tx, step).await?;
            }
            None
        }
    };
    let line = repair_part::ActiveModel {
        repair_id: Set(repair.id),
        part_id: Set(part.id),
        quantity: Set(input.quantity),
        serial: Set(serial),
        direction: Set(direction.as_str().to_string()),
        price_minor: Set(part.list_price_minor),
        currency: Set(part.currency.clone()),
        movement_id: Set(movement_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    let action = match direction {
        PartDirection::Installed => "repair.part_installed",
        PartDirection::Removed => "repair.part_removed",
    };
    tx.record(
        Change::new(
            "repair",
            repair.id,
            action,
            json!({
                "line_id": line.id, "part_id": part.id, "part_number": part.part_number, "quantity": line.quantity,
                "serial": line.serial, "movement_id": movement_id,
            }),
        )
        .scoped(Some(repair.dealer_id), Some(vehicle.oem_id)),
    );
    tx.commit().await?;
    get(db, actor, id).await
}

/// Removes a part line of an open repair: an installed part goes back to
/// stock, a removal is undone.
///
/// # Errors
/// `NotFound` for a line not on this repair; `Conflict` unless open.
pub async fn remove_part(db: &DatabaseConnection, actor: &Actor, id: i64, line_id: i64) -> Result<RepairDto, AppError> {
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let (repair, vehicle) = open_for_change(&*tx, actor, id).await?;
    let line = repair_part::Entity::find_by_id(line_id)
        .filter(repair_part::Column::RepairId.eq(repair.id))
        .one(&*tx)
        .await?
        .ok_or(AppError::NotFound)?;
    reverse(&mut tx, &repair, &vehicle, &line).await?;
    let data = json!({"line_id": line.id, "part_id": line.part_id, "quantity": line.quantity, "serial": line.serial,
        "direction": line.direction});
    line.delete(&*tx).await?;
    tx.record(
        Change::new("repair", repair.id, "repair.part_line_removed", data)
            .scoped(Some(repair.dealer_id), Some(vehicle.oem_id)),
    );
    tx.commit().await?;
    get(db, actor, id).await
}

/// Undoes what a part line did: installed stock comes back with a
/// `return_from_repair` movement, a removed unit is back in the vehicle.
pub(super) async fn reverse(
    tx: &mut LedgerTx,
    repair: &repair_order::Model,
    vehicle: &vehicle::Model,
    line: &repair_part::Model,
) -> Result<(), AppError> {
    let part = part::Entity::find_by_id(line.part_id)
        .one(&**tx)
        .await?
        .ok_or_else(|| anyhow::anyhow!("repair line {} lost its part", line.id))?;
    let here = RepairRef { id: repair.id, vehicle_id: vehicle.id };
    let serials: Vec<String> = line.serial.iter().cloned().collect();
    match PartDirection::parse(&line.direction)
        .map_err(|_| anyhow::anyhow!("repair line {} has a bad direction", line.id))?
    {
        PartDirection::Installed => {
            let kind = MovementKind::ReturnFromRepair;
            let plan = plan_movement(kind, line.quantity, &serials, part.serialized, Some(&repair.number), None, false)
                .map_err(FieldErrors::into_error)?;
            let posting = Posting {
                dealer_id: repair.dealer_id,
                part: &part,
                plan: &plan,
                repair: Some(here),
                transfer_id: None,
            };
            apply(tx, posting).await?;
        }
        PartDirection::Removed => {
            if let Some(serial) = &line.serial {
                let step = UnitMove {
                    dealer_id: repair.dealer_id,
                    part: &part,
                    serial,
                    event: UnitEvent::RemovalUndone,
                    repair: Some(here),
                    movement: None,
                };
                move_unit(tx, step).await?;
            }
        }
    }
    Ok(())
}
