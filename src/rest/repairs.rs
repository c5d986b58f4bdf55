//! `/repairs`: dealers open repair orders, write labour and part lines while
//! open, and complete or cancel them; service managers and admins read.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};

use app::model::repair::{NewLabor, NewRepair, NewRepairPart, RepairDto, RepairFilter, RepairPatch};
use app::model::user::Page;
use app::server::{AppState, repairs};

use super::{ApiResult, Authed, JsonBody, NoBody, Params, Path};

type Created = ApiResult<(StatusCode, Json<RepairDto>)>;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/repairs", get(list).post(open))
        .route("/repairs/{id}", get(find).patch(update))
        .route("/repairs/{id}/labor", post(add_labor))
        .route("/repairs/{id}/labor/{line_id}", delete(remove_labor))
        .route("/repairs/{id}/parts", post(add_part))
        .route("/repairs/{id}/parts/{line_id}", delete(remove_part))
        .route("/repairs/{id}/complete", post(complete))
        .route("/repairs/{id}/cancel", post(cancel))
}

/// Newest first; filters `status`, `vin` (prefix), `number`, `vehicle_id`, `dealer_id`, `from`, `to`.
#[utoipa::path(get, path = "/api/v1/repairs", tag = "repairs", params(RepairFilter),
    responses((status = 200, body = Page<RepairDto>), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(filter): Params<RepairFilter>,
) -> ApiResult<Json<Page<RepairDto>>> {
    Ok(Json(repairs::list(&state.db, &actor, &filter).await?))
}

/// Opens a repair today in the dealer's time zone; the vehicle by `vehicle_id` or `vin`.
#[utoipa::path(post, path = "/api/v1/repairs", tag = "repairs", request_body = NewRepair,
    responses((status = 201, body = RepairDto), (status = 403, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn open(
    State(state): State<AppState>,
    Authed(actor): Authed,
    JsonBody(body): JsonBody<NewRepair>,
) -> Created {
    Ok((StatusCode::CREATED, Json(repairs::open(&state.db, &actor, body).await?)))
}

/// With labour and part lines, stock movements and the ledger timeline.
#[utoipa::path(get, path = "/api/v1/repairs/{id}", tag = "repairs", params(("id" = i64, Path)),
    responses((status = 200, body = RepairDto), (status = 404, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn find(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
) -> ApiResult<Json<RepairDto>> {
    Ok(Json(repairs::get(&state.db, &actor, id).await?))
}

/// Odometer and the three Cs, while open.
#[utoipa::path(patch, path = "/api/v1/repairs/{id}", tag = "repairs", params(("id" = i64, Path)), request_body = RepairPatch,
    responses((status = 200, body = RepairDto), (status = 409, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<RepairPatch>,
) -> ApiResult<Json<RepairDto>> {
    Ok(Json(repairs::update(&state.db, &actor, id, body).await?))
}

/// Adds a labour line at the dealer's rate; answers the repair with the line.
#[utoipa::path(post, path = "/api/v1/repairs/{id}/labor", tag = "repairs", params(("id" = i64, Path)), request_body = NewLabor,
    responses((status = 201, body = RepairDto), (status = 409, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn add_labor(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewLabor>,
) -> Created {
    Ok((StatusCode::CREATED, Json(repairs::add_labor(&state.db, &actor, id, body).await?)))
}

#[utoipa::path(delete, path = "/api/v1/repairs/{id}/labor/{line_id}", tag = "repairs", params(("id" = i64, Path), ("line_id" = i64, Path)),
    responses((status = 200, body = RepairDto), (status = 404, body = app::model::error::ErrorBody), (status = 409, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn remove_labor(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path((id, line_id)): Path<(i64, i64)>,
) -> ApiResult<Json<RepairDto>> {
    Ok(Json(repairs::remove_labor(&state.db, &actor, id, line_id).await?))
}

/// `installed` issues stock (409 when short, nothing written); `removed` records the failed unit.
#[utoipa::path(post, path = "/api/v1/repairs/{id}/parts", tag = "repairs", params(("id" = i64, Path)), request_body = NewRepairPart,
    responses((status = 201, body = RepairDto), (status = 409, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn add_part(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewRepairPart>,
) -> Created {
    Ok((StatusCode::CREATED, Json(repairs::add_part(&state.db, &actor, id, body).await?)))
}

/// An installed part goes back to stock; a removal is undone.
#[utoipa::path(delete, path = "/api/v1/repairs/{id}/parts/{line_id}", tag = "repairs", params(("id" = i64, Path), ("line_id" = i64, Path)),
    responses((status = 200, body = RepairDto), (status = 404, body = app::model::error::ErrorBody), (status = 409, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn remove_part(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path((id, line_id)): Path<(i64, i64)>,
) -> ApiResult<Json<RepairDto>> {
    Ok(Json(repairs::remove_part(&state.db, &actor, id, line_id).await?))
}

/// Needs the three Cs and at least one line (422 naming what is missing).
#[utoipa::path(post, path = "/api/v1/repairs/{id}/complete", tag = "repairs", params(("id" = i64, Path)),
    responses((status = 200, body = RepairDto), (status = 409, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn complete(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    _: NoBody,
) -> ApiResult<Json<RepairDto>> {
    Ok(Json(repairs::complete(&state.db, &actor, id).await?))
}

/// Installed parts return to stock (`return_from_repair`); removals are undone.
#[utoipa::path(post, path = "/api/v1/repairs/{id}/cancel", tag = "repairs", params(("id" = i64, Path)),
    responses((status = 200, body = RepairDto), (status = 409, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn cancel(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    _: NoBody,
) -> ApiResult<Json<RepairDto>> {
    Ok(Json(repairs::cancel(&state.db, &actor, id).await?))
}
