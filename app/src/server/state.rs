//! What every request handler and server function can reach: the pool and
//! the settings. Nothing here is per-instance state another instance needs.

use std::sync::Arc;

use axum::extract::FromRef;
use chrono::{DateTime, Utc};
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

use super::auth::Actor;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    /// The CSV exports this server streams at once (`EXPORT_MAX_CONCURRENT`).
    #[from_ref(skip)]
    pub exports: super::csv_export::CsvTurns,
    /// The CSV imports this server runs at once (`IMPORT_MAX_CONCURRENT`).
    #[from_ref(skip)]
    pub imports: super::csv_export::CsvTurns,
}

/// Settings read once from the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark the session cookie `Secure` (behind HTTPS).
    pub cookie_secure: bool,
    /// Origins accepted on state-changing cookie requests besides the
    /// request's own host, e.g. `https://ledger.example.com`.
    pub public_origins: Vec<String>,
    /// Where attachments and backups live.
    pub data_dir: std::path::PathBuf,
}

pub const SESSION_COOKIE: &str = "al_session";

/// The actor resolved from the request's credentials by the auth middleware,
/// kept in the request's extensions.
#[derive(Debug, Clone)]
pub struct CurrentActor(pub Option<Actor>);

/// `Set-Cookie` for a new session: HttpOnly, SameSite=Lax, `Secure` when
/// configured, expiring with the session.
pub fn session_cookie(token: &str, expires_at: DateTime<Utc>, secure: bool) -> String {
    let max_age = (expires_at - Utc::now()).num_seconds().max(0);
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_session_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// The cookie leptos_i18n reads to pick the interface language on the server.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// `Set-Cookie` remembering the interface language (readable by the page's
/// script, which switches it without a reload).
pub fn locale_cookie(locale: &str) -> String {
    let locale = crate::model::validate::locale(locale).unwrap_or_else(|_| "en".into());
    format!("{LOCALE_COOKIE}={locale}; Path=/; SameSite=Lax; Max-Age=31536000")
}

/// The session token in a `Cookie` header, if any.
pub fn session_token(cookie_header: &str) -> Option<String> {
    cookie::Cookie::split_parse(cookie_header)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
}
