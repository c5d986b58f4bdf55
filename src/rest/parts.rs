//! `/parts`: the catalogue, its CSV import and export.

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use app::model::parts::{ImportReport, PartDto, PartFilter, PartInput};
use app::model::user::Page;
use app::server::csv_export::CsvExport;
use app::server::{AppState, parts};

use super::{ApiResult, Authed, CsvBody, JsonBody, Params, Path};
use crate::router::IMPORT_LIMIT;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/parts", get(list).post(create))
        .route("/parts/import", post(import).layer(DefaultBodyLimit::max(IMPORT_LIMIT)))
        .route("/parts/export", get(export))
        .route("/parts/{id}", get(find).patch(update))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OemParam {
    pub oem_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/parts", tag = "parts", params(PartFilter), responses((status = 200, body = Page<PartDto>)), security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(filter): Params<PartFilter>,
) -> ApiResult<Json<Page<PartDto>>> {
    Ok(Json(parts::list(&state.db, &actor, &filter).await?))
}

#[utoipa::path(post, path = "/api/v1/parts", tag = "parts", request_body = PartInput,
    responses((status = 201, body = PartDto), (status = 409, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Authed(actor): Authed,
    JsonBody(body): JsonBody<PartInput>,
) -> ApiResult<(StatusCode, Json<PartDto>)> {
    Ok((StatusCode::CREATED, Json(parts::create(&state.db, &actor, body).await?)))
}

#[utoipa::path(get, path = "/api/v1/parts/{id}", tag = "parts", params(("id" = i64, Path)),
    responses((status = 200, body = PartDto), (status = 404, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn find(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
) -> ApiResult<Json<PartDto>> {
    Ok(Json(parts::find(&state.db, &actor, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/parts/{id}", tag = "parts", params(("id" = i64, Path)), request_body = PartInput,
    responses((status = 200, body = PartDto), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<PartInput>,
) -> ApiResult<Json<PartDto>> {
    Ok(Json(parts::update(&state.db, &actor, id, body).await?))
}

/// All or nothing: a file with any bad row answers 422 with `error.errors`
/// (the first 1,000 by line) and `error.errors_total`. The actor and the OEM
/// are checked before the body is read; busy with other imports, 503 with
/// `Retry-After`.
#[utoipa::path(post, path = "/api/v1/parts/import", tag = "parts", params(OemParam), request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 403, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn import(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(param): Params<OemParam>,
    request: Request,
) -> ApiResult<Json<ImportReport>> {
    parts::may_import(&state.db, &actor, param.oem_id).await?;
    // Held until the import is written: at most so many bodies in memory.
    let _turn = state.imports.start()?;
    let CsvBody(bytes) = CsvBody::from_request(request, &state).await?;
    Ok(Json(parts::import_csv(&state.db, &actor, param.oem_id, bytes).await?))
}

/// Streamed; busy with other exports, 503 with `Retry-After`.
#[utoipa::path(get, path = "/api/v1/parts/export", tag = "parts", params(OemParam),
    responses((status = 200, body = String, content_type = "text/csv"), (status = 503, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn export(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(param): Params<OemParam>,
) -> ApiResult<Response> {
    Ok(csv_download(parts::export_csv(&state.db, &actor, param.oem_id, &state.exports).await?))
}

/// A CSV file the browser saves, sent as it is read (no `Content-Length`).
pub fn csv_download(export: CsvExport) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", export.name);
    (
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        Body::from_stream(export.into_stream()),
    )
        .into_response()
}
