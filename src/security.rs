//! Request-wide security: who is asking, where state-changing requests come
//! from, and the headers every response carries.

use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::config::{LeptosOptions, ReloadWSProtocol};
use leptos::context::{provide_context, use_context};
use leptos::nonce::Nonce;

use app::model::AppError;
use app::server::state::{CurrentActor, Settings, session_token};
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

/// `Strict-Transport-Security` when the site is served over HTTPS: a year, subdomains too.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// What the headers of every response depend on besides the request; fixed at start-up.
#[derive(Debug, Clone)]
pub struct HeaderPolicy {
    /// Send `Strict-Transport-Security`: the site is served over HTTPS (`COOKIE_SECURE`).
    pub hsts: bool,
    /// cargo-leptos' live-reload websocket, which `connect-src` names only while
    /// `cargo leptos watch` serves a debug build.
    pub live_reload: Option<String>,
}

impl HeaderPolicy {
    /// The policy of a server with `settings`. `cargo leptos watch` sets `LEPTOS_WATCH`, which
    /// is also what makes Leptos' `AutoReload` emit its script; a release build never allows
    /// the socket, whatever the environment says.
    pub fn new(settings: &Settings, options: &LeptosOptions) -> Self {
        let watching = cfg!(debug_assertions) && std::env::var_os("LEPTOS_WATCH").is_some();
        Self { hsts: settings.cookie_secure, live_reload: live_reload_source(options, watching) }
    }

    /// The CSP of one response: our own origin only, inline `<script>` and `<style>` only with
    /// this response's nonce (no `'unsafe-inline'`, so `style` attributes are refused as well),
    /// and WebAssembly compiled from our own module.
    pub fn content_security_policy(&self, nonce: &str) -> String {
        let connect = match &self.live_reload {
            Some(socket) => format!("'self' {socket}"),
            None => "'self'".to_string(),
        };
        format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; connect-src {connect}; font-src 'self'; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        )
    }
}

/// The source of cargo-leptos' live-reload websocket when `watching`: the port and protocol
/// Leptos' `AutoReload` script uses, on the address the site is served at.
pub fn live_reload_source(options: &LeptosOptions, watching: bool) -> Option<String> {
    if !watching {
        return None;
    }
    let port = u16::try_from(options.reload_external_port.unwrap_or(options.reload_port)).ok()?;
    let scheme = match options.reload_ws_protocol {
        ReloadWSProtocol::WS => "ws",
        ReloadWSProtocol::WSS => "wss",
    };
    Some(format!("{scheme}://{}", std::net::SocketAddr::new(options.site_addr.ip(), port)))
}

/// Headers on every response. Each response has a nonce of its own: it goes into the
/// request's extensions, from where [`provide_csp_nonce`] gives it to the page Leptos
/// renders (its hydration and streaming `<script>`s carry it), and into this response's
/// `Content-Security-Policy`.
pub async fn security_headers(State(policy): State<HeaderPolicy>, mut request: Request, next: Next) -> Response {
    // Pages and API answers are per-user; only the built assets may be cached.
    let cacheable = request.uri().path().starts_with("/pkg/");
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // A base64url nonce always makes a valid header; were it not to, nothing inline may run.
    let csp = HeaderValue::try_from(policy.content_security_policy(&nonce))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"));
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(csp);
    let set = |headers: &mut HeaderMap, name: &'static str, value: &'static str| {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "referrer-policy", "strict-origin-when-cross-origin");
    set(headers, "x-frame-options", "DENY");
    set(headers, "permissions-policy", "camera=(), microphone=(), geolocation=()");
    if policy.hsts {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    if !cacheable && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Gives the page Leptos renders the nonce [`security_headers`] put on its request, so its
/// scripts carry the nonce the response's CSP names. leptos_axum runs this after providing
/// its own contexts, so it replaces the nonce leptos_axum generated; for a static file there
/// is no request in context and nothing to give.
pub fn provide_csp_nonce() {
    let nonce = use_context::<Parts>().and_then(|parts| parts.extensions.get::<Nonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(nonce);
    }
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::middleware::from_fn_with_state;
    use axum::routing::get;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    use super::*;

    fn options() -> LeptosOptions {
        LeptosOptions::builder().output_name("aftermarket-ledger").build()
    }

    fn policy(hsts: bool) -> HeaderPolicy {
        HeaderPolicy { hsts, live_reload: None }
    }

    /// The sources of one directive of `csp` (`""` when it has none).
    fn directive<'a>(csp: &'a str, name: &str) -> &'a str {
        csp.split(';')
            .map(str::trim)
            .find_map(|d| d.strip_prefix(name).filter(|rest| rest.starts_with(' ')))
            .map_or("", str::trim)
    }

    /// The headers `security_headers` puts on an answer, and the nonce the handler found on
    /// its request.
    async fn answer(policy: HeaderPolicy) -> (HeaderMap, String) {
        let router = Router::new()
            .route(
                "/",
                get(|request: Request| async move {
                    request.extensions().get::<Nonce>().map(ToString::to_string).unwrap_or_default()
                }),
            )
            .layer(from_fn_with_state(policy, security_headers));
        let request = axum::http::Request::get("/").body(Body::empty()).expect("a request");
        let response = router.oneshot(request).await.expect("an answer");
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.expect("a body").to_bytes();
        (headers, String::from_utf8_lossy(&body).into_owned())
    }

    #[test]
    fn inline_code_runs_only_with_the_responses_nonce() {
        let csp = policy(false).content_security_policy("abc123");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(directive(&csp, "script-src"), "'self' 'nonce-abc123' 'wasm-unsafe-eval'");
        assert_eq!(directive(&csp, "style-src"), "'self' 'nonce-abc123'");
        assert_eq!(directive(&csp, "frame-ancestors"), "'none'");
    }

    #[test]
    fn the_live_reload_socket_is_allowed_only_while_cargo_leptos_watches() {
        assert_eq!(live_reload_source(&options(), false), None);
        let socket = live_reload_source(&options(), true);
        assert_eq!(socket.as_deref(), Some("ws://127.0.0.1:3001"));

        let released = policy(false).content_security_policy("n");
        assert_eq!(directive(&released, "connect-src"), "'self'");
        assert!(!released.contains("ws:"), "{released}");
        let watched = HeaderPolicy { hsts: false, live_reload: socket }.content_security_policy("n");
        assert_eq!(directive(&watched, "connect-src"), "'self' ws://127.0.0.1:3001");

        let mut behind_proxy = options();
        behind_proxy.reload_external_port = Some(8443);
        behind_proxy.reload_ws_protocol = ReloadWSProtocol::WSS;
        assert_eq!(live_reload_source(&behind_proxy, true).as_deref(), Some("wss://127.0.0.1:8443"));
    }

    #[tokio::test]
    async fn each_request_has_its_own_nonce_and_the_page_gets_the_one_its_csp_names() {
        let (first, seen) = answer(policy(false)).await;
        let csp = first["content-security-policy"].to_str().expect("ascii");
        assert!(!seen.is_empty(), "the handler finds the nonce on its request");
        assert_eq!(directive(csp, "script-src"), format!("'self' 'nonce-{seen}' 'wasm-unsafe-eval'"));
        let (second, _) = answer(policy(false)).await;
        assert_ne!(first["content-security-policy"], second["content-security-policy"]);
    }

    #[tokio::test]
    async fn hsts_is_sent_exactly_when_the_site_is_served_over_https() {
        let (secure, _) = answer(policy(true)).await;
        assert_eq!(secure["strict-transport-security"], "max-age=31536000; includeSubDomains");
        let (plain, _) = answer(policy(false)).await;
        assert!(!plain.contains_key("strict-transport-security"));
        assert_eq!(plain["x-frame-options"], "DENY");
    }
}
