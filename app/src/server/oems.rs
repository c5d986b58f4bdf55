//! OEMs and their vehicle models. Admins write; everyone signed in reads the
//! catalogue of OEMs in their scope.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Map, Value, json};

use super::auth::Actor;
use super::entities::{authorization, oem, vehicle_model};
use super::error::on_unique;
use super::ledger::{Change, LedgerTx};
use crate::model::network::{self, NewVehicleModel, OemDto, OemInput, Powertrain, VehicleModelDto};
use crate::model::{AppError, FieldErrors, Role};

/// The OEMs the actor may see: all for admins, their own for service
/// managers, those that authorize them for dealers.
///
/// # Errors
/// When the database is unavailable.
pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<OemDto>, AppError> {
    let query = oem::Entity::find().order_by_asc(oem::Column::Code);
    let rows = match actor.role {
        Role::Admin => query.all(db).await?,
        Role::ServiceManager => query.filter(oem::Column::Id.eq(actor.oem_id.unwrap_or(-1))).all(db).await?,
        Role::Dealer => {
            let ids: Vec<i64> = authorization::Entity::find()
                .filter(authorization::Column::DealerId.eq(actor.dealer_id.unwrap_or(-1)))
                .all(db)
                .await?
                .into_iter()
                .map(|a| a.oem_id)
                .collect();
            query.filter(oem::Column::Id.is_in(ids)).all(db).await?
        }
    };
    Ok(rows.into_iter().map(dto).collect())
}

/// # Errors
/// `NotFound` outside the actor's scope.
pub async fn find(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<OemDto, AppError> {
    list(db, actor).await?.into_iter().find(|o| o.id == id).ok_or(AppError::NotFound)
}

/// An admin records an OEM.
///
/// # Errors
/// `Forbidden`, `Validation` per field, `Conflict` on a taken code.
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: OemInput) -> Result<OemDto, AppError> {
    actor.require(Role::Admin)?;
    create_unchecked(db, Some(actor.user_id), input).await
}

/// [`create`] without an acting user (the demo seed).
///
/// # Errors
/// `Validation` per field, `Conflict` on a taken code.
pub async fn create_unchecked(
    db: &DatabaseConnection,
    actor_id: Option<i64>,
    input: OemInput,
) -> Result<OemDto, AppError> {
    let mut errors = FieldErrors::new();
    let code = errors.check("code", network::code(input.code.as_deref().unwrap_or_default()));
    let name = errors.check("name", network::name(input.name.as_deref().unwrap_or_default()));
    let country = errors.check("country", network::country(input.country.as_deref().unwrap_or_default()));
    let reporting_currency =
        errors.check("reporting_currency", network::currency(input.reporting_currency.as_deref().unwrap_or("EUR")));
    errors.finish()?;
    let (Some(code), Some(name), Some(country), Some(reporting_currency)) = (code, name, country, reporting_currency)
    else {
        return Err(anyhow::anyhow!("validated fields went missing").into());
    };
    let mut tx = LedgerTx::begin(db, actor_id).await?;
    let row = oem::ActiveModel {
        code: Set(code),
        name: Set(name),
        country: Set(country),
        reporting_currency: Set(reporting_currency),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*tx)
    .await
    .map_err(|e| on_unique(e, "An OEM with this code already exists."))?;
    tx.record(
        Change::new(
            "oem",
            row.id,
            "oem.created",
            json!({"code": row.code, "name": row.name, "country": row.country, "reporting_currency": row.reporting_currency}),
        )
            .scoped(None, Some(row.id)),
    );
    tx.commit().await?;
    Ok(dto(row))
}

/// An admin changes an OEM's code, name or country.
///
/// # Errors
/// `Forbidden`, `NotFound`, `Validation`, `Conflict`.
pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, input: OemInput) -> Result<OemDto, AppError> {
    actor.require(Role::Admin)?;
    let mut errors = FieldErrors::new();
    let code = input.code.as_deref().and_then(|v| errors.check("code", network::code(v)));
    let name = input.name.as_deref().and_then(|v| errors.check("name", network::name(v)));
    let country = input.country.as_deref().and_then(|v| errors.check("country", network::country(v)));
    let reporting_currency =
        input.reporting_currency.as_deref().and_then(|v| errors.check("reporting_currency", network::currency(v)));
    errors.finish()?;
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let row = oem::Entity::find_by_id(id).one(&*tx).await?.ok_or(AppError::NotFound)?;
    let mut changed = Map::new();
    let mut active: oem::ActiveModel = row.clone().into();
    if let Some(v) = code.filter(|v| *v != row.code) {
        changed.insert("code".into(), json!(v));
        active.code = Set(v);
    }
    if let Some(v) = name.filter(|v| *v != row.name) {
        changed.insert("name".into(), json!(v));
        active.name = Set(v);
    }
    if let Some(v) = country.filter(|v| *v != row.country) {
        changed.insert("country".into(), json!(v));
        active.country = Set(v);
    }
    // Claims keep the currency frozen at their submission; new ones take this.
    if let Some(v) = reporting_currency.filter(|v| *v != row.reporting_currency) {
        changed.insert("reporting_currency".into(), json!(v));
        active.reporting_currency = Set(v);
    }
    if changed.is_empty() {
        return Ok(dto(row));
    }
    let row = active.update(&*tx).await.map_err(|e| on_unique(e, "An OEM with this code already exists."))?;
    tx.record(Change::new("oem", id, "oem.updated", Value::Object(changed)).scoped(None, Some(id)));
    tx.commit().await?;
    Ok(dto(row))
}

/// The models of an OEM in the actor's scope.
///
/// # Errors
/// `NotFound` outside scope.
pub async fn models(db: &DatabaseConnection, actor: &Actor, oem_id: i64) -> Result<Vec<VehicleModelDto>, AppError> {
    find(db, actor, oem_id).await?;
    let rows = vehicle_model::Entity::find()
        .filter(vehicle_model::Column::OemId.eq(oem_id))
        .order_by_asc(vehicle_model::Column::Code)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(model_dto).collect())
}

/// An admin adds a model to an OEM.
///
/// # Errors
/// `Forbidden`, `NotFound`, `Validation`, `Conflict` on a code the OEM has.
pub async fn create_model(
    db: &DatabaseConnection,
    actor: &Actor,
    oem_id: i64,
    input: NewVehicleModel,
) -> Result<VehicleModelDto, AppError> {
    actor.require(Role::Admin)?;
    create_model_unchecked(db, Some(actor.user_id), oem_id, input).await
}

/// [`create_model`] without an acting user (the demo seed).
///
/// # Errors
/// `NotFound`, `Validation`, `Conflict`.
pub async fn create_model_unchecked(
    db: &DatabaseConnection,
    actor_id: Option<i64>,
    oem_id: i64,
    input: NewVehicleModel,
) -> Result<VehicleModelDto, AppError> {
    oem::Entity::find_by_id(oem_id).one(db).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let code = errors.check("code", network::code(&input.code));
    let name = errors.check("name", network::name(&input.name));
    let powertrain = errors.check("powertrain", Powertrain::parse(&input.powertrain));
    errors.finish()?;
    let (Some(code), Some(name), Some(powertrain)) = (code, name, powertrain) else {
        return Err(anyhow::anyhow!("validated fields went missing").into());
    };
    let mut tx = LedgerTx::begin(db, actor_id).await?;
    let row = vehicle_model::ActiveModel {
        oem_id: Set(oem_id),
        code: Set(code),
        name: Set(name),
        powertrain: Set(powertrain.as_str().to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*tx)
    .await
    .map_err(|e| on_unique(e, "This OEM already has a model with this code."))?;
    tx.record(
        Change::new(
            "oem",
            oem_id,
            "oem.model_added",
            json!({"model_id": row.id, "code": row.code, "name": row.name, "powertrain": row.powertrain}),
        )
        .scoped(None, Some(oem_id)),
    );
    tx.commit().await?;
    Ok(model_dto(row))
}

fn dto(row: oem::Model) -> OemDto {
    OemDto {
        id: row.id,
        code: row.code,
        name: row.name,
        country: row.country,
        reporting_currency: row.reporting_currency,
    }
}

fn model_dto(row: vehicle_model::Model) -> VehicleModelDto {
    VehicleModelDto {
        id: row.id,
        oem_id: row.oem_id,
        code: row.code,
        name: row.name,
        powertrain: Powertrain::parse(&row.powertrain).unwrap_or(Powertrain::Bev),
    }
}
