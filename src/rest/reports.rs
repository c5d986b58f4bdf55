//! The OEM's numbers: `/exchange-rates`, `/reports/{name}` (and `.csv`),
//! `/alerts`.

use axum::Json;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::{FromRequest, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use app::model::Role;
use app::model::reporting::{
    AcknowledgeInput, AlertDto, AlertFilter, NewRate, RateDto, RateFilter, RateImportDto, ReportDto, ReportQuery,
};
use app::model::user::Page;
use app::server::reports::{self, alerts};
use app::server::{AppState, rates};

use super::{ApiResult, Authed, CsvBody, JsonBody, Params, Path};
use crate::router::IMPORT_LIMIT;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/exchange-rates", get(list_rates).post(set_rate))
        .route("/exchange-rates/import", post(import_rates).layer(DefaultBodyLimit::max(IMPORT_LIMIT)))
        .route("/reports/{name}", get(report))
        .route("/alerts", get(list_alerts))
        .route("/alerts/{id}/acknowledge", post(acknowledge))
}

/// Units of each currency per 1 EUR, newest first; every signed-in role.
#[utoipa::path(get, path = "/api/v1/exchange-rates", tag = "reports", params(RateFilter),
    responses((status = 200, body = Page<RateDto>)), security(("bearer" = [])))]
pub async fn list_rates(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(filter): Params<RateFilter>,
) -> ApiResult<Json<Page<RateDto>>> {
    Ok(Json(rates::list(&state.db, &actor, &filter).await?))
}

/// A manual rate (`source = manual`), for a currency the ECB does not quote.
#[utoipa::path(post, path = "/api/v1/exchange-rates", tag = "reports", request_body = NewRate,
    responses((status = 201, body = RateDto)), security(("bearer" = [])))]
pub async fn set_rate(
    State(state): State<AppState>,
    Authed(actor): Authed,
    JsonBody(body): JsonBody<NewRate>,
) -> ApiResult<(StatusCode, Json<RateDto>)> {
    Ok((StatusCode::CREATED, Json(rates::set_manual(&state.db, &actor, body).await?)))
}

/// An ECB file as the body (`eurofxref-hist.csv` or `eurofxref.csv`,
/// text/csv). All or nothing: bad rows are named by line and column.
#[utoipa::path(post, path = "/api/v1/exchange-rates/import", tag = "reports", request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = RateImportDto), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn import_rates(
    State(state): State<AppState>,
    Authed(actor): Authed,
    request: Request,
) -> ApiResult<Json<RateImportDto>> {
    actor.require(Role::Admin)?;
    let _turn = state.imports.start()?;
    let CsvBody(bytes) = CsvBody::from_request(request, &state).await?;
    Ok(Json(rates::import(&state.db, &actor, bytes).await?))
}

/// `claims-cost`, `cycle-time` or `failure-rate`; with `.csv` after the
/// name, the same rows as CSV (header row, no totals).
#[utoipa::path(get, path = "/api/v1/reports/{name}", tag = "reports", params(("name" = String, Path), ReportQuery),
    responses((status = 200, description = "The report; as CSV when the name ends in `.csv`",
        content((ReportDto = "application/json"), (String = "text/csv"))), (status = 404, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn report(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(name): Path<String>,
    Params(query): Params<ReportQuery>,
) -> ApiResult<Response> {
    if let Some(name) = name.strip_suffix(".csv") {
        let report = reports::report(&state.db, &actor, name, &query).await?;
        let disposition = format!("attachment; filename=\"{name}.csv\"");
        let csv = reports::to_csv(&report)?;
        return Ok((
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
            csv,
        )
            .into_response());
    }
    Ok(Json(reports::report(&state.db, &actor, &name, &query).await?).into_response())
}

/// Early-warning alerts, open first [service_manager: its OEM; admin].
#[utoipa::path(get, path = "/api/v1/alerts", tag = "reports", params(AlertFilter),
    responses((status = 200, body = Vec<AlertDto>)), security(("bearer" = [])))]
pub async fn list_alerts(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(filter): Params<AlertFilter>,
) -> ApiResult<Json<Vec<AlertDto>>> {
    Ok(Json(alerts::list(&state.db, &actor, &filter).await?))
}

/// Acknowledges an open alert with a comment (a ledger entry).
#[utoipa::path(post, path = "/api/v1/alerts/{id}/acknowledge", tag = "reports", params(("id" = i64, Path)), request_body = AcknowledgeInput,
    responses((status = 200, body = AlertDto), (status = 409, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn acknowledge(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<AcknowledgeInput>,
) -> ApiResult<Json<AlertDto>> {
    Ok(Json(alerts::acknowledge(&state.db, &actor, id, body).await?))
}
