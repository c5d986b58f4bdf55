//! `/stock` and `/part-units`: levels, movements, transfers, reorder
//! points, receipts by CSV, and serialized units with their timeline.

use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use serde::Deserialize;

use app::model::parts::ImportReport;
use app::model::stock::{
    MovementDto, MovementFilter, MovementResult, NewMovement, NewTransfer, PartUnitDto, ReorderPointInput, StockFilter,
    StockLevelDto, TransferResult,
};
use app::model::user::Page;
use app::server::{AppState, stock};

use super::parts::csv_download;
use super::{ApiResult, Authed, CsvBody, JsonBody, Params, Path};
use crate::router::IMPORT_LIMIT;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stock", get(levels))
        .route("/stock/movements", get(movements).post(record))
        .route("/stock/transfers", post(transfer))
        .route("/stock/reorder-point", put(reorder_point))
        .route("/stock/import", post(import).layer(DefaultBodyLimit::max(IMPORT_LIMIT)))
        .route("/stock/export", get(export))
        .route("/part-units/{serial}", get(unit))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DealerParam {
    /// Admins name the dealer; a dealer's own is implied.
    pub dealer_id: Option<i64>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PartParam {
    /// Needed when several parts use the serial.
    pub part_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/stock", tag = "stock", params(StockFilter), responses((status = 200, body = Page<StockLevelDto>)), security(("bearer" = [])))]
pub async fn levels(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(filter): Params<StockFilter>,
) -> ApiResult<Json<Page<StockLevelDto>>> {
    Ok(Json(stock::list_levels(&state.db, &actor, &filter).await?))
}

#[utoipa::path(get, path = "/api/v1/stock/movements", tag = "stock", params(MovementFilter), responses((status = 200, body = Page<MovementDto>)), security(("bearer" = [])))]
pub async fn movements(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(filter): Params<MovementFilter>,
) -> ApiResult<Json<Page<MovementDto>>> {
    Ok(Json(stock::list_movements(&state.db, &actor, &filter).await?))
}

/// Not enough stock, or a serial whose status forbids the movement: 409.
#[utoipa::path(post, path = "/api/v1/stock/movements", tag = "stock", request_body = NewMovement,
    responses((status = 201, body = MovementResult), (status = 409, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn record(
    State(state): State<AppState>,
    Authed(actor): Authed,
    JsonBody(body): JsonBody<NewMovement>,
) -> ApiResult<(StatusCode, Json<MovementResult>)> {
    Ok((StatusCode::CREATED, Json(stock::record_movement(&state.db, &actor, body).await?)))
}

#[utoipa::path(post, path = "/api/v1/stock/transfers", tag = "stock", request_body = NewTransfer,
    responses((status = 201, body = TransferResult), (status = 409, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn transfer(
    State(state): State<AppState>,
    Authed(actor): Authed,
    JsonBody(body): JsonBody<NewTransfer>,
) -> ApiResult<(StatusCode, Json<TransferResult>)> {
    Ok((StatusCode::CREATED, Json(stock::transfer(&state.db, &actor, body).await?)))
}

#[utoipa::path(put, path = "/api/v1/stock/reorder-point", tag = "stock", request_body = ReorderPointInput,
    responses((status = 200, body = StockLevelDto), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn reorder_point(
    State(state): State<AppState>,
    Authed(actor): Authed,
    JsonBody(body): JsonBody<ReorderPointInput>,
) -> ApiResult<Json<StockLevelDto>> {
    Ok(Json(stock::set_reorder_point(&state.db, &actor, body).await?))
}

/// Receipts from CSV (`part_number, quantity, serials, reference, oem`), all or nothing.
/// The actor and the dealer are checked before the body is read; busy with
/// other imports, 503 with `Retry-After`.
#[utoipa::path(post, path = "/api/v1/stock/import", tag = "stock", params(DealerParam), request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 403, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn import(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(param): Params<DealerParam>,
    request: Request,
) -> ApiResult<Json<ImportReport>> {
    stock::may_import(&state.db, &actor, param.dealer_id).await?;
    // Held until the import is written: at most so many bodies in memory.
    let _turn = state.imports.start()?;
    let CsvBody(bytes) = CsvBody::from_request(request, &state).await?;
    Ok(Json(stock::import_receipts(&state.db, &actor, param.dealer_id, bytes).await?))
}

/// Streamed; busy with other exports, 503 with `Retry-After`.
#[utoipa::path(get, path = "/api/v1/stock/export", tag = "stock", params(DealerParam),
    responses((status = 200, body = String, content_type = "text/csv"), (status = 503, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn export(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(param): Params<DealerParam>,
) -> ApiResult<Response> {
    Ok(csv_download(stock::export_csv(&state.db, &actor, param.dealer_id, &state.exports).await?))
}

#[utoipa::path(get, path = "/api/v1/part-units/{serial}", tag = "stock", params(("serial" = String, Path), PartParam),
    responses((status = 200, body = PartUnitDto), (status = 404, body = app::model::error::ErrorBody), (status = 409, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn unit(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(serial): Path<String>,
    Params(param): Params<PartParam>,
) -> ApiResult<Json<PartUnitDto>> {
    Ok(Json(stock::find_unit(&state.db, &actor, &serial, param.part_id).await?))
}
