//! `/health` and `/openapi.json`: no authentication.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use sea_orm::ConnectionTrait;
use serde::Serialize;
use utoipa::OpenApi;

use app::server::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health)).route("/openapi.json", get(openapi))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    status: &'static str,
    db: &'static str,
}

/// Liveness with a database round trip.
#[utoipa::path(get, path = "/api/v1/health", tag = "system", responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn health(State(state): State<AppState>) -> (axum::http::StatusCode, axum::Json<Health>) {
    match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => (axum::http::StatusCode::OK, axum::Json(Health { status: "ok", db: "ok" })),
        Err(err) => {
            tracing::error!(error = %err, "health check: database unavailable");
            (axum::http::StatusCode::SERVICE_UNAVAILABLE, axum::Json(Health { status: "degraded", db: "unavailable" }))
        }
    }
}

/// The OpenAPI 3.1 document, generated from the handlers' annotations.
pub async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(super::ApiDoc::openapi())
}
