//! Vehicles by VIN. Dealers and admins register them; a dealer sees the
//! vehicles it registered or serviced, a service manager its OEM's, an
//! admin all.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::auth::Actor;
use super::entities::{odometer_reading, oem, part, repair_part, vehicle, vehicle_model, warranty_policy};
use super::pagination;
use crate::model::policy::ComponentCategory;
use crate::model::repair::{PartDirection, RepairFilter, RepairStatus};
use crate::model::user::Page;
use crate::model::vehicle::{self as rules, CoverageDto, OdometerDto, VehicleDto, VehicleFilter, VehiclePartDto};
use crate::model::vin::Vin;
use crate::model::{AppError, Role, validate};

pub mod fleet;
mod register;
mod view;

pub(crate) use register::{Checked, check, insert, maker_of};
pub use register::{record_odometer, register};

use view::{coverage, parts};

/// One vehicle by VIN, with its odometer history.
///
/// # Errors
/// `NotFound` for a VIN outside the actor's scope (or not a VIN at all).
pub async fn find_by_vin(db: &DatabaseConnection, actor: &Actor, vin: &str) -> Result<VehicleDto, AppError> {
    let vin = Vin::parse(vin).map_err(|_| AppError::NotFound)?;
    let row = vehicle::Entity::find()
        .filter(vehicle::Column::Vin.eq(vin.as_str()))
        .filter(scope(actor))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut dto = one(db, row).await?;
    dto.coverage = coverage(db, &dto).await?;
    let filter = RepairFilter { vehicle_id: Some(dto.id), limit: Some(500), ..Default::default() };
    dto.repairs = super::repairs::list(db, actor, &filter).await?.items;
    dto.parts = parts(db, &dto).await?;
    let claims = crate::model::claim::ClaimFilter { vehicle_id: Some(dto.id), limit: Some(500), ..Default::default() };
    dto.claims = super::claims::list(db, actor, &claims).await?.items;
    Ok(dto)
}

/// A vehicle by its whole VIN, for opening a repair: the car is in the
/// dealer's workshop, so its model, year and in-service date are shown even
/// before the dealer has serviced it (nothing more: no history).
///
/// # Errors
/// `Forbidden` for service managers; `Validation` for a bad VIN.
pub async fn lookup(db: &DatabaseConnection, actor: &Actor, vin: &str) -> Result<Option<VehicleDto>, AppError> {
    if actor.role == Role::ServiceManager {
        return Err(AppError::Forbidden);
    }
    let vin = Vin::parse(vin).map_err(|m| AppError::field("vin", m))?;
    let Some(row) = vehicle::Entity::find().filter(vehicle::Column::Vin.eq(vin.as_str())).one(db).await? else {
        return Ok(None);
    };
    let mut dto = one(db, row).await?;
    dto.odometer.clear();
    dto.registered_by_dealer_id = None;
    Ok(Some(dto))
}

/// A vehicle by id when the actor may see it.
///
/// # Errors
/// When the database fails.
pub(crate) async fn find_in_scope(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<Option<vehicle::Model>, AppError> {
    Ok(vehicle::Entity::find_by_id(id).filter(scope(actor)).one(db).await?)
}

/// Corrects the reading a repair recorded (the repair's odometer changed
/// while open): flagged again against the other readings, and the
/// vehicle's last reading follows.
///
/// # Errors
/// When the database fails.
pub(crate) async fn correct_odometer(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    repair_id: i64,
    km: i64,
) -> Result<(), AppError> {
    let highest: Option<Option<i64>> = odometer_reading::Entity::find()
        .select_only()
        .column_as(Expr::from(Func::max(Expr::col(odometer_reading::Column::Km))), "highest")
        .filter(odometer_reading::Column::VehicleId.eq(vehicle_id))
        .filter(
            Condition::any()
                .add(odometer_reading::Column::RepairId.is_null())
                .add(odometer_reading::Column::RepairId.ne(repair_id)),
        )
        .into_tuple()
        .one(db)
        .await?;
    odometer_reading::Entity::update_many()
        .col_expr(odometer_reading::Column::Km, Expr::value(km))
        .col_expr(odometer_reading::Column::Flagged, Expr::value(rules::odometer_flagged(highest.flatten(), km)))
        .filter(odometer_reading::Column::RepairId.eq(repair_id))
        .exec(db)
        .await?;
    let latest = odometer_reading::Entity::find()
        .filter(odometer_reading::Column::VehicleId.eq(vehicle_id))
        .order_by_desc(odometer_reading::Column::ReadingDate)
        .order_by_desc(odometer_reading::Column::Id)
        .one(db)
        .await?;
    vehicle::Entity::update_many()
        .col_expr(vehicle::Column::LastOdometerKm, Expr::value(latest.map(|r| r.km)))
        .filter(vehicle::Column::Id.eq(vehicle_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Vehicles in scope, by id; `q` is the beginning of a VIN.
///
/// # Errors
/// `Validation` for a bad limit or cursor.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &VehicleFilter,
) -> Result<Page<VehicleDto>, AppError> {
    let limit = pagination::limit(filter.limit)?;
    let mut query = vehicle::Entity::find().filter(scope(actor));
    if let Some(q) = validate::search(filter.q.as_deref()).map_err(|m| AppError::field("q", m))? {
        let q = q.to_uppercase();
        query = query.filter(vehicle::Column::Vin.gte(q.as_str())).filter(vehicle::Column::Vin.lt(format!("{q}~")));
    }
    if let Some(oem_id) = filter.oem_id {
        query = query.filter(vehicle::Column::OemId.eq(oem_id));
    }
    if let Some(model_id) = filter.model_id {
        query = query.filter(vehicle::Column::ModelId.eq(model_id));
    }
    if let Some(cursor) = &filter.cursor {
        query = query.filter(vehicle::Column::Id.gt(pagination::decode_cursor(cursor)?));
    }
    let rows = query.order_by_asc(vehicle::Column::Id).limit(limit + 1).all(db).await?;
    let more = rows.len() as u64 > limit;
    let rows: Vec<vehicle::Model> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = if more { rows.last().map(|r| pagination::encode_cursor(r.id)) } else { None };
    Ok(Page { items: dtos(db, rows, false).await?, next_cursor })
}

/// Admins all; service managers their OEM's; dealers what they registered
/// or have an odometer reading of (every repair writes one).
pub(crate) fn scope(actor: &Actor) -> Condition {
    match actor.role {
        Role::Admin => Condition::all(),
        Role::ServiceManager => Condition::all().add(vehicle::Column::OemId.eq(actor.oem_id.unwrap_or(-1))),
        Role::Dealer => {
            let dealer = actor.dealer_id.unwrap_or(-1);
            let mut serviced = Query::select();
            serviced
                .column(odometer_reading::Column::VehicleId)
                .from(odometer_reading::Entity)
                .and_where(Expr::col(odometer_reading::Column::DealerId).eq(dealer));
            Condition::any()
                .add(vehicle::Column::RegisteredByDealerId.eq(dealer))
                .add(vehicle::Column::Id.in_subquery(serviced))
        }
    }
}

async fn one(db: &DatabaseConnection, row: vehicle::Model) -> Result<VehicleDto, AppError> {
    dtos(db, vec![row], true).await?.pop().ok_or_else(|| anyhow::anyhow!("a vehicle went missing").into())
}

async fn dtos(db: &DatabaseConnection, rows: Vec<vehicle::Model>, history: bool) -> Result<Vec<VehicleDto>, AppError> {
    let oems: HashMap<i64, String> = oem::Entity::find().all(db).await?.into_iter().map(|o| (o.id, o.code)).collect();
    let models: HashMap<i64, vehicle_model::Model> = vehicle_model::Entity::find()
        .filter(vehicle_model::Column::Id.is_in(rows.iter().map(|r| r.model_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mut readings: HashMap<i64, Vec<OdometerDto>> = HashMap::new();
    if history {
        for r in odometer_reading::Entity::find()
            .filter(odometer_reading::Column::VehicleId.is_in(rows.iter().map(|r| r.id).collect::<Vec<_>>()))
            .order_by_asc(odometer_reading::Column::ReadingDate)
            .order_by_asc(odometer_reading::Column::Id)
            .all(db)
            .await?
        {
            readings.entry(r.vehicle_id).or_default().push(OdometerDto {
                km: r.km,
                date: r.reading_date,
                repair_id: r.repair_id,
                flagged: r.flagged,
            });
        }
    }
    Ok(rows
        .into_iter()
        .map(|v| {
            let model = models.get(&v.model_id);
            VehicleDto {
                id: v.id,
                oem_code: oems.get(&v.oem_id).cloned().unwrap_or_default(),
                model_code: model.map(|m| m.code.clone()).unwrap_or_default(),
                model_name: model.map(|m| m.name.clone()).unwrap_or_default(),
                odometer: readings.remove(&v.id).unwrap_or_default(),
                vin: v.vin,
                oem_id: v.oem_id,
                model_id: v.model_id,
                model_year: v.model_year,
                in_service_date: v.in_service_date,
                country: v.country,
                last_odometer_km: v.last_odometer_km,
                registered_by_dealer_id: v.registered_by_dealer_id,
                coverage: Vec::new(),
                repairs: Vec::new(),
                parts: Vec::new(),
                claims: Vec::new(),
            }
        })
        .collect())
}
