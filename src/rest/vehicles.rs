//! `/vehicles`: register a vehicle by VIN, list and read them in scope.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use app::model::repair::{TraceDto, TraceQuery};
use app::model::user::Page;
use app::model::vehicle::{NewVehicle, VehicleDto, VehicleFilter};
use app::server::{AppState, trace, vehicles};

use super::{ApiResult, Authed, JsonBody, Params, Path};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/vehicles", get(list).post(register))
        .route("/vehicles/{vin}", get(find))
        .route("/trace", get(trace_chain))
}

#[utoipa::path(get, path = "/api/v1/vehicles", tag = "vehicles", params(VehicleFilter), responses((status = 200, body = Page<VehicleDto>)), security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(filter): Params<VehicleFilter>,
) -> ApiResult<Json<Page<VehicleDto>>> {
    Ok(Json(vehicles::list(&state.db, &actor, &filter).await?))
}

/// The VIN is checked (17 characters, no I/O/Q, check digit) and must be new.
#[utoipa::path(post, path = "/api/v1/vehicles", tag = "vehicles", request_body = NewVehicle,
    responses((status = 201, body = VehicleDto), (status = 409, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn register(
    State(state): State<AppState>,
    Authed(actor): Authed,
    JsonBody(body): JsonBody<NewVehicle>,
) -> ApiResult<(StatusCode, Json<VehicleDto>)> {
    Ok((StatusCode::CREATED, Json(vehicles::register(&state.db, &actor, body).await?)))
}

#[utoipa::path(get, path = "/api/v1/vehicles/{vin}", tag = "vehicles", params(("vin" = String, Path)),
    responses((status = 200, body = VehicleDto), (status = 404, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn find(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(vin): Path<String>,
) -> ApiResult<Json<VehicleDto>> {
    Ok(Json(vehicles::find_by_vin(&state.db, &actor, &vin).await?))
}

/// A VIN, a repair number (`RO-…`) or a part serial → the vehicle, its repairs with parts and
/// stock movements, and the unit's life, each as far as the caller may see.
#[utoipa::path(get, path = "/api/v1/trace", tag = "vehicles", params(TraceQuery),
    responses((status = 200, body = TraceDto), (status = 404, body = app::model::error::ErrorBody), (status = 409, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn trace_chain(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(query): Params<TraceQuery>,
) -> ApiResult<Json<TraceDto>> {
    Ok(Json(trace::trace(&state.db, &actor, &query).await?))
}
