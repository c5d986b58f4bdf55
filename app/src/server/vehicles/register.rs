//! Registering a vehicle, and its odometer readings.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde_json::json;

use crate::model::vehicle::{self as rules, NewVehicle, VehicleDto};
use crate::model::vin::Vin;
use crate::model::{AppError, FieldErrors, Role, network, validate};
use crate::server::auth::Actor;
use crate::server::entities::{odometer_reading, oem, vehicle, vehicle_model};
use crate::server::error::on_unique;
use crate::server::ledger::{Change, LedgerTx};

use super::one;

/// Registers a vehicle (dealers for themselves, admins for nobody in
/// particular), with a first odometer reading when one is given.
///
/// # Errors
/// `Forbidden` for service managers; `Validation` per field (the VIN's
/// message says what is wrong with it); `Conflict` for a VIN already known.
pub async fn register(db: &DatabaseConnection, actor: &Actor, input: NewVehicle) -> Result<VehicleDto, AppError> {
    let mut errors = FieldErrors::new();
    let checked = check(db, actor, input, &mut errors).await?;
    errors.finish()?;
    let checked = checked.ok_or_else(|| anyhow::anyhow!("validated fields went missing"))?;
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let row = insert(&mut tx, actor, checked).await?;
    tx.commit().await?;
    one(db, row).await
}

/// A vehicle to register whose fields were checked.
pub(crate) struct Checked {
    vin: Vin,
    input: NewVehicle,
    year: i32,
    pub(crate) in_service_date: NaiveDate,
    country: String,
    km: Option<i64>,
}

/// Checks a vehicle to register, recording what is wrong in `errors`
/// (`None` then).
///
/// # Errors
/// `Forbidden` for service managers; when the database is unavailable.
pub(crate) async fn check(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: NewVehicle,
    errors: &mut FieldErrors,
) -> Result<Option<Checked>, AppError> {
    if actor.role == Role::ServiceManager {
        return Err(AppError::Forbidden);
    }
    let today = Utc::now().date_naive();
    let vin = errors.check("vin", Vin::parse(&input.vin));
    let model = vehicle_model::Entity::find_by_id(input.model_id).one(db).await?;
    match &model {
        None => errors.add("model_id", "is not a vehicle model"),
        Some(m) if m.oem_id != input.oem_id => errors.add("model_id", "is not a model of this OEM"),
        Some(_) => {}
    }
    if oem::Entity::find_by_id(input.oem_id).one(db).await?.is_none() {
        errors.add("oem_id", "is not an OEM");
    }
    let year = errors.check("model_year", rules::model_year(input.model_year, today));
    let date = errors.check("in_service_date", validate::date(&input.in_service_date));
    let date = match (date, year) {
        (Some(d), Some(y)) => errors.check("in_service_date", rules::in_service_date(d, y, today)),
        _ => None,
    };
    let country = errors.check("country", network::country(&input.country));
    let km = match input.odometer_km {
        Some(km) => errors.check("odometer_km", rules::odometer_km(km)).map(Some),
        None => Some(None),
    };
    Ok(match (vin, year, date, country, km) {
        (Some(vin), Some(year), Some(in_service_date), Some(country), Some(km)) => {
            Some(Checked { vin, input, year, in_service_date, country, km })
        }
        _ => None,
    })
}

/// The maker of a vehicle model, for a vehicle registered by its model alone.
///
/// # Errors
/// `Validation` on `model_id` when there is no such model.
pub(crate) async fn maker_of(db: &impl ConnectionTrait, model_id: i64) -> Result<i64, AppError> {
    let model = vehicle_model::Entity::find_by_id(model_id).one(db).await?;
    model.map(|m| m.oem_id).ok_or_else(|| AppError::field("model_id", "is not a vehicle model"))
}

/// Writes a checked vehicle, with its first odometer reading, in the
/// caller's transaction.
///
/// # Errors
/// `Conflict` for a VIN already known; when the database fails.
pub(crate) async fn insert(tx: &mut LedgerTx, actor: &Actor, checked: Checked) -> Result<vehicle::Model, AppError> {
    let Checked { vin, input, year, in_service_date, country, km } = checked;
    let today = Utc::now().date_naive();
    let dealer_id = if actor.role == Role::Dealer { actor.dealer_id } else { None };
    let row = vehicle::ActiveModel {
        vin: Set(vin.to_string()),
        oem_id: Set(input.oem_id),
        model_id: Set(input.model_id),
        model_year: Set(year),
        in_service_date: Set(in_service_date),
        country: Set(country),
        last_odometer_km: Set(km),
        registered_by_dealer_id: Set(dealer_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&**tx)
    .await
    .map_err(|e| on_unique(e, "A vehicle with this VIN is already registered."))?;
    if let Some(km) = km {
        record_odometer(&**tx, row.id, km, today, dealer_id, None).await?;
    }
    tx.record(
        Change::new(
            "vehicle",
            row.id,
            "vehicle.registered",
            json!({
                "vin": row.vin, "oem_id": row.oem_id, "model_id": row.model_id, "model_year": row.model_year,
                "in_service_date": row.in_service_date, "country": row.country, "odometer_km": km,
            }),
        )
        .scoped(dealer_id, Some(row.oem_id)),
    );
    Ok(row)
}

/// Adds an odometer reading: a reading lower than an earlier one is kept
/// and flagged; the vehicle's last reading follows the newest.
///
/// # Errors
/// When the database fails.
pub async fn record_odometer(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    km: i64,
    date: NaiveDate,
    dealer_id: Option<i64>,
    repair_id: Option<i64>,
) -> Result<bool, AppError> {
    let highest: Option<Option<i64>> = odometer_reading::Entity::find()
        .select_only()
        .column_as(Expr::from(Func::max(Expr::col(odometer_reading::Column::Km))), "highest")
        .filter(odometer_reading::Column::VehicleId.eq(vehicle_id))
        .into_tuple()
        .one(db)
        .await?;
    let flagged = rules::odometer_flagged(highest.flatten(), km);
    odometer_reading::ActiveModel {
        vehicle_id: Set(vehicle_id),
        km: Set(km),
        reading_date: Set(date),
        dealer_id: Set(dealer_id),
        repair_id: Set(repair_id),
        flagged: Set(flagged),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    vehicle::Entity::update_many()
        .col_expr(vehicle::Column::LastOdometerKm, Expr::value(km))
        .filter(vehicle::Column::Id.eq(vehicle_id))
        .exec(db)
        .await?;
    Ok(flagged)
}
