//! The one router: Leptos pages and server functions, REST API v1, static
//! files, and the layers every request passes.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sea_orm::DatabaseConnection;
use tower_http::trace::TraceLayer;

use app::server::AppState;
use app::server::state::Settings;
use app::{App, shell};

/// Request bodies above this answer 413 (attachments get their own limit).
pub const BODY_LIMIT: usize = 1024 * 1024;
/// CSV imports (a whole catalogue) may be larger.
pub const IMPORT_LIMIT: usize = 64 * 1024 * 1024;

/// Claim attachments: 10 MiB of file and room for the multipart envelope.
pub const ATTACHMENT_LIMIT: usize = app::model::claim::MAX_ATTACHMENT + 64 * 1024;

/// The body limit of a path: imports and attachments take more than everything else.
fn limit_for(path: &str) -> usize {
    if !path.starts_with("/api/v1/") {
        BODY_LIMIT
    } else if path.ends_with("/import") {
        IMPORT_LIMIT
    } else if path.ends_with("/attachments") {
        ATTACHMENT_LIMIT
    } else {
        BODY_LIMIT
    }
}

/// Builds the whole application router on `db`.
pub fn build_router(db: DatabaseConnection, leptos_options: LeptosOptions, settings: Settings) -> Router {
    let state = AppState { leptos_options: leptos_options.clone(), db, settings: Arc::new(settings) };
    let routes = generate_route_list(App);
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, || (), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell));

    Router::new()
        .nest("/api/v1", crate::rest::router())
        .merge(pages)
        .layer(from_fn(server_fn_status))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(from_fn(limit_declared_length))
        .layer(from_fn_with_state(state.clone(), crate::security::resolve_actor))
        .layer(from_fn_with_state(state.clone(), crate::security::check_origin))
        .layer(from_fn(crate::security::security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Refuses bodies whose declared length is over the limit before reading
/// them (JSON under `/api`, so integrations get the usual error body).
async fn limit_declared_length(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > limit_for(request.uri().path())) {
        let err = app::model::AppError::PayloadTooLarge;
        if request.uri().path().starts_with("/api/") {
            return crate::rest::ApiError(err).into_response();
        }
        return (axum::http::StatusCode::PAYLOAD_TOO_LARGE, err.to_string()).into_response();
    }
    next.run(request).await
}

/// Server functions answer 500 for every error raised before our code runs
/// (arguments that do not deserialize, say). Their body is our `AppError`, so
/// the status is taken from it: bad input is a 4xx, never a 500.
async fn server_fn_status(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let is_server_fn = request.uri().path().starts_with("/rpc/");
    let response = next.run(request).await;
    if !is_server_fn || response.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "response body unavailable").into_response();
    };
    if let Ok(err) = serde_json::from_slice::<app::model::AppError>(&bytes) {
        parts.status = axum::http::StatusCode::from_u16(err.status()).unwrap_or(parts.status);
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}
