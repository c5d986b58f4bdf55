//! Trace: from a VIN, a repair number or a part serial to the chain around
//! it — the vehicle, its repairs with parts installed and removed, their
//! stock movements and dealers, and the unit's life from the ledger. Each
//! piece is read in the actor's scope.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::auth::Actor;
use super::entities::{repair_order, vehicle};
use super::{repairs, stock, vehicles};
use crate::model::AppError;
use crate::model::repair::{TraceDto, TraceQuery};
use crate::model::vin::Vin;

/// How many of a vehicle's repairs the trace shows in full.
const REPAIRS_SHOWN: u64 = 20;

/// # Errors
/// `Validation` for an empty query; `NotFound` when nothing in scope
/// matches; `Conflict` for a serial several parts use (without `part_id`).
pub async fn trace(db: &DatabaseConnection, actor: &Actor, query: &TraceQuery) -> Result<TraceDto, AppError> {
    crate::model::validate::search(Some(query.q.as_str())).map_err(|m| AppError::field("q", m))?;
    let q = query.q.trim().to_uppercase();
    if q.is_empty() {
        return Err(AppError::field("q", "type a VIN, a repair number or a part serial"));
    }
    let mut found = TraceDto { query: q.clone(), found: String::new(), vehicle: None, repairs: Vec::new(), unit: None };
    if q.starts_with("RO-") {
        let repair = repairs::find_by_number(db, actor, &q).await?;
        found.found = "repair".into();
        found.vehicle = vehicle_of(db, actor, repair.vehicle_id).await?;
        found.repairs = vec![repair];
        return Ok(found);
    }
    if let Ok(vin) = Vin::parse(&q) {
        match vehicles::find_by_vin(db, actor, vin.as_str()).await {
            Ok(vehicle) => {
                found.found = "vin".into();
                found.repairs = full_repairs(db, actor, vehicle.id, None).await?;
                found.vehicle = Some(vehicle);
                return Ok(found);
            }
            Err(AppError::NotFound) => {}
            Err(other) => return Err(other),
        }
    }
    let unit = stock::find_unit(db, actor, &q, query.part_id).await?;
    found.found = "serial".into();
    if let Some(vehicle_id) = unit.vehicle_id {
        found.vehicle = vehicle_of(db, actor, vehicle_id).await?;
    }
    if let Some(repair_id) = unit.repair_id {
        found.repairs = full_repairs(db, actor, unit.vehicle_id.unwrap_or(-1), Some(repair_id)).await?;
    }
    found.unit = Some(unit);
    Ok(found)
}

/// The vehicle with its coverage, repairs and parts, when in scope.
async fn vehicle_of(
    db: &DatabaseConnection,
    actor: &Actor,
    vehicle_id: i64,
) -> Result<Option<crate::model::vehicle::VehicleDto>, AppError> {
    let Some(row) = vehicle::Entity::find_by_id(vehicle_id).one(db).await? else { return Ok(None) };
    match vehicles::find_by_vin(db, actor, &row.vin).await {
        Ok(v) => Ok(Some(v)),
        Err(AppError::NotFound) => Ok(None),
        Err(other) => Err(other),
    }
}

/// A vehicle's repairs in scope (newest first), or one repair, in full.
async fn full_repairs(
    db: &DatabaseConnection,
    actor: &Actor,
    vehicle_id: i64,
    only: Option<i64>,
) -> Result<Vec<crate::model::repair::RepairDto>, AppError> {
    let mut query = repair_order::Entity::find().filter(repairs::scope(actor));
    query = match only {
        Some(id) => query.filter(repair_order::Column::Id.eq(id)),
        None => query.filter(repair_order::Column::VehicleId.eq(vehicle_id)),
    };
    let rows = query.order_by_desc(repair_order::Column::Id).limit(REPAIRS_SHOWN).all(db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(repairs::one(db, actor, row).await?);
    }
    Ok(out)
}
