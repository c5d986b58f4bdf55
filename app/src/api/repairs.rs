//! Vehicles, repair orders and the trace in the browser: adapters over the
//! services the REST API calls.

use leptos::prelude::*;

use crate::model::AppError;
use crate::model::repair::{RepairDto, RepairFilter, StockChoice, TraceDto};
use crate::model::user::Page;
use crate::model::vehicle::{VehicleDto, VehicleFilter};

#[server(prefix = "/rpc", endpoint = "repairs/list", input = leptos::server_fn::codec::Json)]
pub async fn list_repairs(filter: RepairFilter) -> Result<Page<RepairDto>, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::repairs::list(&ctx::state()?.db, &ctx::actor()?, &filter).await }.await)
}

/// A repair with the dealer's stock to choose installed parts from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RepairView {
    pub repair: RepairDto,
    pub choices: Vec<StockChoice>,
}

#[server(prefix = "/rpc", endpoint = "repairs/get")]
pub async fn get_repair(id: i64) -> Result<RepairView, AppError> {
    use super::ctx;
    use crate::server::repairs;
    ctx::respond(
        async {
            let (db, actor) = (ctx::state()?.db, ctx::actor()?);
            let repair = repairs::get(&db, &actor, id).await?;
            let choices = repairs::part_choices(&db, &actor, id).await?;
            Ok(RepairView { repair, choices })
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "vehicles/lookup")]
pub async fn lookup_vin(vin: String) -> Result<Option<VehicleDto>, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::vehicles::lookup(&ctx::state()?.db, &ctx::actor()?, &vin).await }.await)
}

/// Opens a repair by VIN; a VIN not registered yet is registered from the
/// form's vehicle fields in the same transaction.
#[server(prefix = "/rpc", endpoint = "repairs/open")]
#[allow(clippy::too_many_arguments)]
pub async fn open_repair(
    vin: String,
    odometer_km: String,
    complaint: String,
    model_id: Option<String>,
    model_year: Option<String>,
    in_service_date: Option<String>,
    country: Option<String>,
) -> Result<RepairDto, AppError> {
    use super::ctx;
    use crate::model::repair::NewRepair;
    use crate::model::vehicle::NewVehicle;
    use crate::model::{FieldErrors, validate};
    use crate::server::{repairs, vehicles};
    ctx::respond(
        async {
            let (db, actor) = (ctx::state()?.db, ctx::actor()?);
            let mut errors = FieldErrors::new();
            let km = errors.check("odometer_km", whole("must be a whole number of km", &odometer_km));
            let new_vehicle = vehicles::lookup(&db, &actor, &vin).await?.is_none();
            let vehicle = if new_vehicle {
                let model_id =
                    errors.check("model_id", validate::optional_id(model_id.as_deref())).flatten().or_else(|| {
                        errors.add("model_id", "is required for a vehicle seen for the first time");
                        None
                    });
                let year = errors
                    .check("model_year", whole("must be a year like 2025", model_year.as_deref().unwrap_or_default()));
                let year = year.and_then(|y| {
                    errors.check("model_year", i32::try_from(y).map_err(|_| "is out of range".to_string()))
                });
                Some(NewVehicle {
                    vin: vin.clone(),
                    oem_id: 0,
                    model_id: model_id.unwrap_or_default(),
                    model_year: year.unwrap_or_default(),
                    in_service_date: in_service_date.unwrap_or_default(),
                    country: country.unwrap_or_default(),
                    odometer_km: None,
                })
            } else {
                None
            };
            errors.finish()?;
            let input =
                NewRepair { vin: Some(vin), odometer_km: km.unwrap_or_default(), complaint, ..Default::default() };
            match vehicle {
                Some(vehicle) => repairs::open_registering(&db, &actor, input, vehicle).await,
                None => repairs::open(&db, &actor, input).await,
            }
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn whole(message: &str, raw: &str) -> Result<i64, String> {
    raw.trim().parse().map_err(|_| message.to_string())
}

#[server(prefix = "/rpc", endpoint = "repairs/update")]
pub async fn update_repair(
    id: i64,
    odometer_km: String,
    complaint: String,
    cause: String,
    correction: String,
) -> Result<RepairDto, AppError> {
    use super::ctx;
    use crate::model::repair::RepairPatch;
    ctx::respond(
        async {
            let km =
                whole("must be a whole number of km", &odometer_km).map_err(|m| AppError::field("odometer_km", m))?;
            let patch = RepairPatch {
                odometer_km: Some(km),
                complaint: Some(complaint),
                cause: Some(cause),
                correction: Some(correction),
            };
            crate::server::repairs::update(&ctx::state()?.db, &ctx::actor()?, id, patch).await
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "repairs/labor")]
pub async fn add_labor_line(
    id: i64,
    labor_code: String,
    description: String,
    hours: String,
) -> Result<RepairDto, AppError> {
    use super::ctx;
    use crate::model::repair::NewLabor;
    ctx::respond(
        async {
            let hours: f64 = hours
                .trim()
                .replace(',', ".")
                .parse()
                .map_err(|_| AppError::field("hours", "must be a number like 1.5"))?;
            let input = NewLabor { labor_code, description, hours };
            crate::server::repairs::add_labor(&ctx::state()?.db, &ctx::actor()?, id, input).await
        }
        .await,
    )
}

/// A part line named by part number (the dealer types or picks it).
#[server(prefix = "/rpc", endpoint = "repairs/part")]
pub async fn add_part_line(
    id: i64,
    part_number: String,
    quantity: String,
    serial: Option<String>,
    direction: String,
) -> Result<RepairDto, AppError> {
    use super::ctx;
    use crate::model::repair::NewRepairPart;
    use crate::server::{parts, repairs, vehicles};
    ctx::respond(
        async {
            let (db, actor) = (ctx::state()?.db, ctx::actor()?);
            let repair = repairs::get(&db, &actor, id).await?;
            let oem_id = vehicles::find_in_scope(&db, &actor, repair.vehicle_id)
                .await?
                .map(|v| v.oem_id)
                .ok_or(AppError::NotFound)?;
            let part_id = parts::id_by_number(&db, oem_id, &part_number, "part_number").await?;
            let quantity = whole("must be a whole number", &quantity).map_err(|m| AppError::field("quantity", m))?;
            let input = NewRepairPart { part_id, quantity, serial, direction };
            repairs::add_part(&db, &actor, id, input).await
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "repairs/remove_line")]
pub async fn remove_line(id: i64, kind: String, line_id: i64) -> Result<RepairDto, AppError> {
    use super::ctx;
    use crate::server::repairs;
    ctx::respond(
        async {
            let (db, actor) = (ctx::state()?.db, ctx::actor()?);
            match kind.as_str() {
                "labor" => repairs::remove_labor(&db, &actor, id, line_id).await,
                "part" => repairs::remove_part(&db, &actor, id, line_id).await,
                _ => Err(AppError::field("kind", "must be labor or part")),
            }
        }
        .await,
    )
}

/// `complete` or `cancel`.
#[server(prefix = "/rpc", endpoint = "repairs/finish")]
pub async fn finish_repair(id: i64, action: String) -> Result<RepairDto, AppError> {
    use super::ctx;
    use crate::server::repairs;
    ctx::respond(
        async {
            let (db, actor) = (ctx::state()?.db, ctx::actor()?);
            match action.as_str() {
                "complete" => repairs::complete(&db, &actor, id).await,
                "cancel" => repairs::cancel(&db, &actor, id).await,
                _ => Err(AppError::field("action", "must be complete or cancel")),
            }
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "vehicles/list", input = leptos::server_fn::codec::Json)]
pub async fn list_vehicles(filter: VehicleFilter) -> Result<Page<VehicleDto>, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::vehicles::list(&ctx::state()?.db, &ctx::actor()?, &filter).await }.await)
}

#[server(prefix = "/rpc", endpoint = "vehicles/get")]
pub async fn get_vehicle(vin: String) -> Result<VehicleDto, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::vehicles::find_by_vin(&ctx::state()?.db, &ctx::actor()?, &vin).await }.await)
}

#[server(prefix = "/rpc", endpoint = "trace")]
pub async fn trace(q: String, part_id: Option<i64>) -> Result<TraceDto, AppError> {
    use super::ctx;
    use crate::model::repair::TraceQuery;
    ctx::respond(
        async { crate::server::trace::trace(&ctx::state()?.db, &ctx::actor()?, &TraceQuery { q, part_id }).await }
            .await,
    )
}
