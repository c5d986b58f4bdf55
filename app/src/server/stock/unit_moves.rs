//! A serialized unit's step through its life cycle (received, issued to a
//! repair, removed, returned, scrapped…), written with its ledger entry.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::RepairRef;
use crate::model::AppError;
use crate::model::stock::{UnitEvent, UnitStatus, unit_transition};
use crate::server::entities::{part, part_unit, stock_movement};
use crate::server::ledger::{Change, LedgerTx};

/// One serialized unit's step, as a stock movement or a repair line asks.
pub(crate) struct UnitMove<'a> {
    pub dealer_id: i64,
    pub part: &'a part::Model,
    pub serial: &'a str,
    pub event: UnitEvent,
    pub repair: Option<RepairRef>,
    /// The stock movement that moves it, if it moves in or out of stock.
    pub movement: Option<&'a stock_movement::Model>,
}

/// Moves one serialized unit through its life cycle and records it. Units
/// issued to a repair are installed in its vehicle; units coming back (or
/// leaving the vehicle) belong to no vehicle any more, except a removed one,
/// which stays linked to the vehicle and repair it came out of.
///
/// # Errors
/// `Conflict` naming the serial when its status or place forbids the step.
pub(crate) async fn move_unit(tx: &mut LedgerTx, step: UnitMove<'_>) -> Result<part_unit::Model, AppError> {
    let UnitMove { dealer_id, part, serial, event, repair, movement } = step;
    let repair_id = repair.map(|r| r.id);
    let unit = part_unit::Entity::find()
        .filter(part_unit::Column::PartId.eq(part.id))
        .filter(part_unit::Column::Serial.eq(serial))
        .one(&**tx)
        .await?;
    let from = unit.as_ref().and_then(|u| UnitStatus::parse(&u.status));
    let held_elsewhere = unit.as_ref().is_some_and(|u| u.dealer_id != Some(dealer_id));
    if movement.is_some_and(|m| m.quantity < 0) && held_elsewhere {
        return Err(AppError::conflict(format!("Serial {serial} of {} is not held by this dealer.", part.part_number)));
    }
    let vehicle_id = repair.map(|r| r.vehicle_id);
    match event {
        UnitEvent::ReturnedFromRepair | UnitEvent::RemovalUndone
            if unit.as_ref().is_some_and(|u| u.repair_id != repair_id || held_elsewhere) =>
        {
            return Err(AppError::conflict(format!(
                "Serial {serial} of {} is not part of this repair.",
                part.part_number
            )));
        }
        UnitEvent::Removed if unit.as_ref().is_some_and(|u| u.vehicle_id.is_some() && u.vehicle_id != vehicle_id) => {
            return Err(AppError::conflict(format!(
                "Serial {serial} of {} is installed in another vehicle.",
                part.part_number
            )));
        }
        _ => {}
    }
    let to = unit_transition(from, event)
        .map_err(|reason| AppError::conflict(format!("Serial {serial} of {} {reason}.", part.part_number)))?;
    let place = match event {
        UnitEvent::IssuedToRepair | UnitEvent::Removed | UnitEvent::RemovalUndone => vehicle_id,
        _ => None,
    };
    let now = Utc::now();
    let unit = match unit {
        None => {
            part_unit::ActiveModel {
                part_id: Set(part.id),
                serial: Set(serial.to_string()),
                status: Set(to.as_str().to_string()),
                dealer_id: Set(Some(dealer_id)),
                vehicle_id: Set(place),
                repair_id: Set(repair_id),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&**tx)
            .await?
        }
        Some(unit) => {
            let mut active: part_unit::ActiveModel = unit.into();
            active.status = Set(to.as_str().to_string());
            active.dealer_id = Set(Some(dealer_id));
            active.vehicle_id = Set(place);
            if repair_id.is_some() {
                active.repair_id = Set(repair_id);
            }
            active.updated_at = Set(now);
            active.update(&**tx).await?
        }
    };
    tx.record(
        Change::new(
            "part_unit",
            unit.id,
            event.action(),
            json!({
                "serial": serial, "part_id": part.id, "part_number": part.part_number,
                "from": from.map(UnitStatus::as_str), "to": to.as_str(), "dealer_id": dealer_id,
                "movement_id": movement.map(|m| m.id), "kind": movement.map(|m| m.kind.as_str()),
                "reference": movement.and_then(|m| m.reference.as_deref()), "repair_id": repair_id, "vehicle_id": place,
            }),
        )
        .scoped(Some(dealer_id), Some(part.oem_id)),
    );
    Ok(unit)
}
