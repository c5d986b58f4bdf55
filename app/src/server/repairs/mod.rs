//! Repair orders: a dealer opens one for a vehicle in its workshop, writes
//! labour and part lines while it is open (installed parts leave its stock,
//! removed units are linked to the vehicle), then completes or cancels it.
//! Every action is one transaction with its ledger entry.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
};
use serde_json::json;

use super::auth::Actor;
use super::entities::{dealer, repair_labor, repair_order, repair_part, vehicle};
use super::ledger::{Change, LedgerTx};
use super::vehicles;
use crate::model::repair::{self as rules, Completion, NewRepair, RepairDto, RepairPatch, RepairStatus};
use crate::model::time::local_date;
use crate::model::vehicle::{NewVehicle, odometer_km};
use crate::model::vin::Vin;
use crate::model::{AppError, FieldErrors, Role};

mod lines;
mod read;

pub use lines::{add_labor, add_part, remove_labor, remove_part};
pub use read::{find_by_number, get, list, part_choices};
pub(crate) use read::{one, scope};

/// Opens a repair today (in the dealer's time zone).
///
/// # Errors
/// `Forbidden` unless a dealer; `Validation` per field.
pub async fn open(db: &DatabaseConnection, actor: &Actor, input: NewRepair) -> Result<RepairDto, AppError> {
    open_on(db, actor, input, None).await
}

/// Opens a repair on `day` (today in the dealer's zone when `None`; the
/// demo seed gives past days). The odometer reading is recorded with it.
///
/// # Errors
/// `Forbidden` unless a dealer; `Validation` per field.
pub async fn open_on(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewRepair,
    day: Option<NaiveDate>,
) -> Result<RepairDto, AppError> {
    open_with(db, actor, input, None, day).await
}

/// Opens a repair today for a vehicle seen for the first time: the vehicle
/// (its maker taken from its model) is registered and the repair opened in
/// one transaction, so a refused repair leaves no vehicle behind.
///
/// # Errors
/// `Forbidden` unless a dealer; `Validation` per field of either;
/// `Conflict` for a VIN already registered.
pub async fn open_registering(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewRepair,
    mut vehicle: NewVehicle,
) -> Result<RepairDto, AppError> {
    vehicle.vin = input.vin.clone().unwrap_or_default();
    vehicle.oem_id = vehicles::maker_of(db, vehicle.model_id).await?;
    open_with(db, actor, input, Some(vehicle), None).await
}

/// The vehicle a repair is opened on.
enum Target {
    Known(vehicle::Model),
    New(vehicles::Checked),
}

async fn open_with(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewRepair,
    new_vehicle: Option<NewVehicle>,
    day: Option<NaiveDate>,
) -> Result<RepairDto, AppError> {
    let dealer = acting_dealer(db, actor).await?;
    let mut errors = FieldErrors::new();
    let km = errors.check("odometer_km", odometer_km(input.odometer_km));
    let complaint = errors.check("complaint", rules::text(&input.complaint, rules::MAX_STORY));
    let cause = errors.check("cause", rules::story(input.cause.as_deref().unwrap_or_default()));
    let correction = errors.check("correction", rules::story(input.correction.as_deref().unwrap_or_default()));
    let target = match new_vehicle {
        Some(new) => vehicles::check(db, actor, new, &mut errors).await?.map(Target::New),
        None => known_vehicle(db, actor, &input, &mut errors).await?.map(Target::Known),
    };
    errors.finish()?;
    let (Some(km), Some(complaint), Some(cause), Some(correction), Some(target)) =
        (km, complaint, cause, correction, target)
    else {
        return Err(anyhow::anyhow!("validated fields went missing").into());
    };
    let today = local_date(Utc::now(), &dealer.time_zone);
    let day = day.unwrap_or(today);
    let in_service = match &target {
        Target::Known(vehicle) => vehicle.in_service_date,
        Target::New(checked) => checked.in_service_date,
    };
    if day < in_service {
        return Err(AppError::field(
            "vin",
            format!("this vehicle entered service on {in_service}, after the repair date {day}"),
        ));
    }
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let vehicle = match target {
        Target::Known(vehicle) => vehicle,
        Target::New(checked) => vehicles::insert(&mut tx, actor, checked).await?,
    };
    let highest: Option<Option<i64>> = repair_order::Entity::find()
        .select_only()
        .column_as(Expr::from(Func::max(Expr::col(repair_order::Column::Seq))), "highest")
        .filter(repair_order::Column::DealerId.eq(dealer.id))
        .into_tuple()
        .one(&*tx)
        .await?;
    let seq = highest.flatten().unwrap_or(0) + 1;
    let now = Utc::now();
    let row = repair_order::ActiveModel {
        number: Set(rules::number(&dealer.code, seq)),
        dealer_id: Set(dealer.id),
        seq: Set(seq),
        vehicle_id: Set(vehicle.id),
        odometer_km: Set(km),
        opened_on: Set(day),
        completed_on: Set(None),
        complaint: Set(complaint),
        cause: Set(cause),
        correction: Set(correction),
        status: Set(RepairStatus::Open.as_str().to_string()),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    let flagged = vehicles::record_odometer(&*tx, vehicle.id, km, day, Some(dealer.id), Some(row.id)).await?;
    tx.record(
        Change::new(
            "repair",
            row.id,
            "repair.opened",
            json!({
                "number": row.number, "vehicle_id": vehicle.id, "vin": vehicle.vin, "odometer_km": km,
                "odometer_flagged": flagged, "opened_on": day, "complaint": row.complaint,
            }),
        )
        .scoped(Some(dealer.id), Some(vehicle.oem_id)),
    );
    tx.commit().await?;
    get(db, actor, row.id).await
}

/// Changes the odometer or the three Cs of an open repair.
///
/// # Errors
/// `NotFound` outside the dealer's repairs; `Conflict` unless open;
/// `Validation` per field.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    patch: RepairPatch,
) -> Result<RepairDto, AppError> {
    let mut errors = FieldErrors::new();
    let km = patch.odometer_km.and_then(|km| errors.check("odometer_km", odometer_km(km)));
    let complaint = patch.complaint.and_then(|c| errors.check("complaint", rules::text(&c, rules::MAX_STORY)));
    let cause = patch.cause.and_then(|c| errors.check("cause", rules::story(&c)));
    let correction = patch.correction.and_then(|c| errors.check("correction", rules::story(&c)));
    errors.finish()?;
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let (repair, vehicle) = open_for_change(&*tx, actor, id).await?;
    let mut changed = serde_json::Map::new();
    let mut active: repair_order::ActiveModel = repair.clone().into();
    if let Some(km) = km.filter(|km| *km != repair.odometer_km) {
        vehicles::correct_odometer(&*tx, vehicle.id, repair.id, km).await?;
        active.odometer_km = Set(km);
        changed.insert("odometer_km".into(), json!(km));
    }
    for (field, value, current, column) in [
        ("complaint", complaint, &repair.complaint, &mut active.complaint),
        ("cause", cause, &repair.cause, &mut active.cause),
        ("correction", correction, &repair.correction, &mut active.correction),
    ] {
        if let Some(value) = value.filter(|v| v != current) {
            changed.insert(field.into(), json!(value));
            *column = Set(value);
        }
    }
    if changed.is_empty() {
        drop(tx);
        return get(db, actor, id).await;
    }
    active.updated_at = Set(Utc::now());
    active.update(&*tx).await?;
    tx.record(
        Change::new("repair", repair.id, "repair.updated", serde_json::Value::Object(changed))
            .scoped(Some(repair.dealer_id), Some(vehicle.oem_id)),
    );
    tx.commit().await?;
    get(db, actor, id).await
}

/// Completes an open repair that has the three Cs and at least one line.
///
/// # Errors
/// `Conflict` unless open; `Validation` naming each missing C or `lines`.
pub async fn complete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<RepairDto, AppError> {
    complete_on(db, actor, id, None).await
}

/// Completes on `day` (today in the dealer's zone when `None`).
///
/// # Errors
/// As [`complete`]; `Validation` for a day before the repair was opened.
pub async fn complete_on(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    day: Option<NaiveDate>,
) -> Result<RepairDto, AppError> {
    let dealer = acting_dealer(db, actor).await?;
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let (repair, vehicle) = open_for_change(&*tx, actor, id).await?;
    let labor_lines = repair_labor::Entity::find().filter(repair_labor::Column::RepairId.eq(id)).count(&*tx).await?;
    let part_lines = repair_part::Entity::find().filter(repair_part::Column::RepairId.eq(id)).count(&*tx).await?;
    rules::check_completion(&Completion {
        complaint: &repair.complaint,
        cause: &repair.cause,
        correction: &repair.correction,
        labor_lines: usize::try_from(labor_lines).unwrap_or(usize::MAX),
        part_lines: usize::try_from(part_lines).unwrap_or(usize::MAX),
    })
    .map_err(FieldErrors::into_error)?;
    let day = day.unwrap_or_else(|| local_date(Utc::now(), &dealer.time_zone)).max(repair.opened_on);
    let mut active: repair_order::ActiveModel = repair.clone().into();
    active.status = Set(RepairStatus::Completed.as_str().to_string());
    active.completed_on = Set(Some(day));
    active.updated_at = Set(Utc::now());
    active.update(&*tx).await?;
    tx.record(
        Change::new(
            "repair",
            repair.id,
            "repair.completed",
            json!({"number": repair.number, "completed_on": day, "labor_lines": labor_lines, "part_lines": part_lines}),
        )
        .scoped(Some(repair.dealer_id), Some(vehicle.oem_id)),
    );
    tx.commit().await?;
    get(db, actor, id).await
}

/// Cancels an open repair: installed parts go back to stock
/// (`return_from_repair`), removals are undone.
///
/// # Errors
/// `Conflict` unless open (or when a unit cannot go back).
pub async fn cancel(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<RepairDto, AppError> {
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let (repair, vehicle) = open_for_change(&*tx, actor, id).await?;
    let parts = repair_part::Entity::find().filter(repair_part::Column::RepairId.eq(id)).all(&*tx).await?;
    for line in &parts {
        lines::reverse(&mut tx, &repair, &vehicle, line).await?;
    }
    let mut active: repair_order::ActiveModel = repair.clone().into();
    active.status = Set(RepairStatus::Cancelled.as_str().to_string());
    active.updated_at = Set(Utc::now());
    active.update(&*tx).await?;
    tx.record(
        Change::new(
            "repair",
            repair.id,
            "repair.cancelled",
            json!({"number": repair.number, "part_lines_reversed": parts.len()}),
        )
        .scoped(Some(repair.dealer_id), Some(vehicle.oem_id)),
    );
    tx.commit().await?;
    get(db, actor, id).await
}

/// The dealer writing repairs: only dealers write them.
/// The registered vehicle a repair names by `vin` (any registered vehicle:
/// the car is in the dealer's workshop) or by `vehicle_id` (one the dealer
/// already sees); what is wrong goes into `errors`.
async fn known_vehicle(
    db: &DatabaseConnection,
    actor: &Actor,
    input: &NewRepair,
    errors: &mut FieldErrors,
) -> Result<Option<vehicle::Model>, AppError> {
    Ok(match (input.vehicle_id, input.vin.as_deref().map(str::trim).filter(|v| !v.is_empty())) {
        (_, Some(vin)) => match Vin::parse(vin) {
            Ok(vin) => {
                let found = vehicle::Entity::find().filter(vehicle::Column::Vin.eq(vin.as_str())).one(db).await?;
                if found.is_none() {
                    errors.add("vin", "is not registered yet: register the vehicle first");
                }
                found
            }
            Err(message) => {
                errors.add("vin", message);
                None
            }
        },
        (Some(id), None) => {
            let found = vehicles::find_in_scope(db, actor, id).await?;
            if found.is_none() {
                errors.add("vehicle_id", "is not a vehicle you know; give its vin instead");
            }
            found
        }
        (None, None) => {
            errors.add("vin", "is required (or vehicle_id)");
            None
        }
    })
}

async fn acting_dealer(db: &impl ConnectionTrait, actor: &Actor) -> Result<dealer::Model, AppError> {
    if actor.role != Role::Dealer {
        return Err(AppError::Forbidden);
    }
    let id = actor.dealer_id.ok_or(AppError::Forbidden)?;
    dealer::Entity::find_by_id(id).one(db).await?.ok_or(AppError::Forbidden)
}

/// The actor's own repair, open, with its vehicle — read inside the
/// transaction that changes it.
async fn open_for_change(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<(repair_order::Model, vehicle::Model), AppError> {
    if actor.role != Role::Dealer {
        return Err(AppError::Forbidden);
    }
    let repair = repair_order::Entity::find_by_id(id)
        .filter(repair_order::Column::DealerId.eq(actor.dealer_id.unwrap_or(-1)))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = RepairStatus::parse(&repair.status).map_err(|_| anyhow::anyhow!("repair {id} has a bad status"))?;
    rules::ensure_open(&repair.number, status).map_err(AppError::conflict)?;
    let vehicle = vehicle::Entity::find_by_id(repair.vehicle_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("repair {id} lost its vehicle"))?;
    Ok((repair, vehicle))
}
