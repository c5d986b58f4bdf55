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
    let headers = crate::security::HeaderPolicy::new(&settings, &leptos_options);
    let state = AppState {
        leptos_options: leptos_options.clone(),
        db,
        settings: Arc::new(settings),
        exports: Default::default(),
        imports: app::server::csv_export::CsvTurns::new(app::model::limits::IMPORT_MAX_CONCURRENT),
    };
    let routes = generate_route_list(App);
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, crate::security::provide_csp_nonce, {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            crate::security::provide_csp_nonce,
            shell,
        ));

    Router::new()
        .nest("/api/v1", crate::rest::router())
        .merge(pages)
        .layer(from_fn(server_fn_status))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(from_fn(limit_body))
        .layer(from_fn_with_state(state.clone(), crate::security::resolve_actor))
        .layer(from_fn_with_state(state.clone(), crate::security::check_origin))
        .layer(from_fn_with_state(headers, crate::security::security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Refuses bodies over the path's limit: by their declared length before
/// reading them (JSON under `/api`, so integrations get the usual error
/// body), and, for server functions and pages, a body sent without a length
/// (chunked) by reading at most the limit. leptos reads server functions'
/// bodies whole, past axum's `DefaultBodyLimit`, which only extractors
/// apply; a body with a declared length is held to that length by hyper.
async fn limit_body(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::body::HttpBody;

    let path = request.uri().path();
    let limit = limit_for(path);
    let api = path.starts_with("/api/");
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let too_large = || {
        let err = app::model::AppError::PayloadTooLarge;
        if api {
            return crate::rest::ApiError(err).into_response();
        }
        (axum::http::StatusCode::PAYLOAD_TOO_LARGE, err.to_string()).into_response()
    };
    if declared.is_some_and(|len| len > limit) {
        return too_large();
    }
    if declared.is_some() || api || request.body().is_end_stream() {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => next.run(axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes))).await,
        Err(err) if is_length_limit(&err) => too_large(),
        Err(_) => (axum::http::StatusCode::BAD_REQUEST, "The request body could not be read.").into_response(),
    }
}

/// Whether reading a body failed because it was over its limit.
fn is_length_limit(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(cause) = source {
        if cause.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = cause.source();
    }
    false
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
        if let Some(secs) = err.retry_after() {
            parts.headers.insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(secs));
        }
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use axum::body::{Body, Bytes, HttpBody};
    use axum::http::{Request, StatusCode};
    use axum::routing::post;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    use super::*;

    /// A body sent in chunks, without a declared length.
    struct Chunked(VecDeque<Bytes>);

    impl HttpBody for Chunked {
        type Data = Bytes;
        type Error = std::convert::Infallible;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
            Poll::Ready(self.0.pop_front().map(|chunk| Ok(http_body::Frame::data(chunk))))
        }
    }

    /// Posts `kib` KiB in 64 KiB chunks to `path` of a router whose handler,
    /// like leptos' server functions, reads whatever body it is given.
    async fn post_chunked(path: &str, kib: usize) -> (StatusCode, usize) {
        let router = Router::new()
            .route(
                path,
                post(|body: Body| async move {
                    body.collect().await.map(|b| b.to_bytes().len().to_string()).unwrap_or_default()
                }),
            )
            .layer(from_fn(limit_body));
        let chunks = (0..kib.div_ceil(64)).map(|_| Bytes::from(vec![b'x'; 64 * 1024])).collect();
        let request = Request::post(path).body(Body::new(Chunked(chunks))).expect("a request");
        let response = router.oneshot(request).await.expect("an answer");
        let status = response.status();
        let body = response.into_body().collect().await.expect("a body").to_bytes();
        (status, String::from_utf8_lossy(&body).parse().unwrap_or(0))
    }

    #[tokio::test]
    async fn a_chunked_body_over_the_limit_is_a_413_and_one_under_it_arrives_whole() {
        assert_eq!(post_chunked("/rpc/users/update", 2048).await.0, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(post_chunked("/rpc/users/update", 512).await, (StatusCode::OK, 512 * 1024));
    }
}
