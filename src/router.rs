//! The one router: Leptos pages and server functions, REST API v1, static
//! files, and the layers every request passes.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
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
        .merge(assets(&leptos_options))
        .merge(pages)
        .layer(from_fn(server_fn_status))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(from_fn(limit_body))
        .layer(from_fn_with_state(state.clone(), crate::security::resolve_actor))
        .layer(from_fn_with_state(state.clone(), crate::security::check_origin))
        .layer(from_fn_with_state(headers, crate::security::security_headers))
        .layer(compression())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// How long a browser keeps a built asset whose name carries its content's hash.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The built assets under `/pkg` (the wasm, its JavaScript glue, the CSS):
/// sent from the `.br` or `.gz` file cargo-leptos wrote beside each when the
/// browser accepts one (`cargo leptos build --release --precompress`), else
/// as they are. With hashed names (`hash-files`) a browser keeps them for a
/// year and never asks again; otherwise it revalidates each time.
fn assets<S: Clone + Send + Sync + 'static>(options: &LeptosOptions) -> Router<S> {
    let dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let files = tower_http::services::ServeDir::new(dir).precompressed_br().precompressed_gzip();
    let cache = HeaderValue::from_static(if options.hash_files { IMMUTABLE } else { "no-cache" });
    let files = tower::ServiceBuilder::new()
        .map_response(move |mut response: axum::http::Response<_>| {
            // A missing file must not be remembered as missing for a year.
            if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
                response.headers_mut().insert(header::CACHE_CONTROL, cache.clone());
            }
            response
        })
        .service(files);
    Router::new().nest_service(&format!("/{}", options.site_pkg_dir), files)
}

/// Compresses what the server writes per request (pages, JSON, CSV) for
/// browsers that accept brotli or gzip, at a level cheap enough to run on
/// every answer (brotli 4 compresses HTML and JSON about as well as gzip 6,
/// at several times its speed). Answers that already carry an encoding (the
/// precompressed assets) pass as they are.
fn compression() -> tower_http::compression::CompressionLayer {
    tower_http::compression::CompressionLayer::new()
        .br(true)
        .gzip(true)
        .quality(tower_http::compression::CompressionLevel::Precise(4))
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

    /// A site root with one built asset, its brotli sibling, and options naming it.
    fn site(hashed: bool) -> (std::path::PathBuf, LeptosOptions) {
        let root = std::env::temp_dir().join(format!("al-site-{}-{hashed}", std::process::id()));
        std::fs::create_dir_all(root.join("pkg")).expect("creates the site");
        std::fs::write(root.join("pkg/app.abc123.css"), "body { color: black }").expect("writes");
        std::fs::write(root.join("pkg/app.abc123.css.br"), b"brotli bytes").expect("writes");
        let mut options = LeptosOptions::builder()
            .output_name("app")
            .site_root(root.display().to_string())
            .site_pkg_dir("pkg")
            .build();
        options.hash_files = hashed;
        (root, options)
    }

    async fn get_asset(options: &LeptosOptions, path: &str, encoding: &str) -> axum::response::Response {
        let request =
            Request::get(path).header(header::ACCEPT_ENCODING, encoding).body(Body::empty()).expect("a request");
        assets::<()>(options).oneshot(request).await.expect("an answer")
    }

    #[tokio::test]
    async fn hashed_assets_are_kept_for_a_year_and_sent_precompressed() {
        let (root, options) = site(true);
        let br = get_asset(&options, "/pkg/app.abc123.css", "gzip, br").await;
        assert_eq!(br.status(), StatusCode::OK);
        assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(br.headers()[header::CACHE_CONTROL], IMMUTABLE);
        assert!(br.headers()[header::CONTENT_TYPE].to_str().unwrap_or_default().starts_with("text/css"));
        assert_eq!(br.into_body().collect().await.expect("a body").to_bytes(), "brotli bytes");

        // No gzip sibling: sent as it is.
        let plain = get_asset(&options, "/pkg/app.abc123.css", "gzip").await;
        assert!(!plain.headers().contains_key(header::CONTENT_ENCODING));
        assert_eq!(plain.into_body().collect().await.expect("a body").to_bytes(), "body { color: black }");

        let missing = get_asset(&options, "/pkg/app.old.css", "br").await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert!(!missing.headers().contains_key(header::CACHE_CONTROL), "a miss is not remembered");
        std::fs::remove_dir_all(root).ok();
    }

    #[tokio::test]
    async fn assets_without_hashed_names_are_revalidated() {
        let (root, options) = site(false);
        let response = get_asset(&options, "/pkg/app.abc123.css", "br").await;
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache");
        std::fs::remove_dir_all(root).ok();
    }

    #[tokio::test]
    async fn answers_written_per_request_are_compressed_for_browsers_that_accept_it() {
        let page = "<li>claim</li>".repeat(200);
        let router = Router::new()
            .route(
                "/claims",
                axum::routing::get(move || async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page) }),
            )
            .layer(compression());
        let request = |encoding: &str| {
            Request::get("/claims").header(header::ACCEPT_ENCODING, encoding).body(Body::empty()).expect("a request")
        };
        let br = router.clone().oneshot(request("br;q=1, gzip;q=0.5")).await.expect("an answer");
        assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
        let size = br.into_body().collect().await.expect("a body").to_bytes().len();
        assert!(size < 200, "2,800 bytes of repeated HTML compress to {size}");
        let gzip = router.clone().oneshot(request("gzip")).await.expect("an answer");
        assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
        let plain = router.oneshot(request("identity")).await.expect("an answer");
        assert!(!plain.headers().contains_key(header::CONTENT_ENCODING));
    }
}
