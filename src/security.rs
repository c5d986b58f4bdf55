//! Request-wide security: who is asking, where state-changing requests come
//! from, and the headers every response carries.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::model::AppError;
use app::server::state::{CurrentActor, session_token};
use app::server::{AppState, auth};

use crate::rest::ApiError;

/// Resolves the bearer token or the session cookie into the request's
/// `CurrentActor`. A bearer token, when present, decides alone.
pub async fn resolve_actor(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let headers = request.headers();
    let resolved = if let Some(token) = bearer_token(headers) {
        auth::resolve_api_token(&state.db, &token).await
    } else if let Some(token) = cookie_token(headers) {
        auth::resolve_session(&state.db, &token).await
    } else {
        Ok(None)
    };
    match resolved {
        Ok(actor) => {
            request.extensions_mut().insert(CurrentActor(actor));
            next.run(request).await
        }
        Err(err) => error_response(request.uri().path(), err),
    }
}

/// Refuses state-changing requests that ride on the session cookie (or come
/// from a browser at all) unless their `Origin` is ours. Bearer-token
/// requests need no Origin.
pub async fn check_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let headers = request.headers();
    if safe || bearer_token(headers).is_some() {
        return next.run(request).await;
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let allowed = match origin {
        Some(origin) => origin_is_ours(origin, headers, &state.settings.public_origins),
        // Browsers send Origin on every POST; a cookie without one is not a
        // request we trust to change state.
        None => cookie_token(headers).is_none(),
    };
    if allowed {
        next.run(request).await
    } else {
        tracing::warn!(?origin, path = %request.uri().path(), "refused a cross-origin state-changing request");
        error_response(request.uri().path(), AppError::Forbidden)
    }
}

fn origin_is_ours(origin: &str, headers: &HeaderMap, configured: &[String]) -> bool {
    if configured.iter().any(|c| c.trim_end_matches('/') == origin) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let authority = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    !host.is_empty() && authority == Some(host)
}

fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string()).filter(|t| !t.is_empty())
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(session_token)
}

/// JSON under `/api`, plain text elsewhere.
fn error_response(path: &str, err: AppError) -> Response {
    if path.starts_with("/api/") {
        ApiError(err).into_response()
    } else {
        let status =
            axum::http::StatusCode::from_u16(err.status()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        (status, err.to_string()).into_response()
    }
}

/// Headers on every response. The CSP allows our own scripts and wasm only;
/// Leptos' hydration bootstrap is inline, so scripts carry `'unsafe-inline'`
/// alongside `'self'` (no third-party origin is allowed anywhere).
pub async fn security_headers(request: Request, next: Next) -> Response {
    // Pages and API answers are per-user; only the built assets may be cached.
    let cacheable = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name: &'static str, value: &'static str| {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(
        headers,
        "content-security-policy",
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self' ws://127.0.0.1:3001; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "referrer-policy", "strict-origin-when-cross-origin");
    set(headers, "x-frame-options", "DENY");
    set(headers, "permissions-policy", "camera=(), microphone=(), geolocation=()");
    if !cacheable && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
