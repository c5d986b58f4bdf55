//! Leptos server functions: the browser's adapters over the same services
//! the REST API calls. Each gets the actor, calls one service, and answers a
//! DTO; every one checks the actor like a REST handler does.

pub mod auth;
pub mod claims;
pub mod ledger;
pub mod network;
pub mod parts;
pub mod repairs;
pub mod reports;
pub mod stock;
pub mod users;

#[cfg(feature = "ssr")]
pub(crate) mod ctx {
    use leptos::prelude::use_context;

    use crate::model::AppError;
    use crate::server::state::CurrentActor;
    use crate::server::{Actor, AppState};

    /// The application state the router provides to every server function.
    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>()
            .ok_or_else(|| anyhow::anyhow!("AppState missing from the server function context").into())
    }

    /// The signed-in actor, or `Unauthenticated`.
    pub fn actor() -> Result<Actor, AppError> {
        optional_actor()?.ok_or(AppError::Unauthenticated)
    }

    /// The actor when someone is signed in.
    pub fn optional_actor() -> Result<Option<Actor>, AppError> {
        let parts = use_context::<http::request::Parts>()
            .ok_or_else(|| AppError::from(anyhow::anyhow!("request parts missing from the server function context")))?;
        Ok(parts.extensions.get::<CurrentActor>().and_then(|current| current.0.clone()))
    }

    /// Sets the response status from the error, so server functions answer
    /// 4xx like the REST API does.
    pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(err) = &result
            && let Some(options) = use_context::<leptos_axum::ResponseOptions>()
        {
            options.set_status(
                http::StatusCode::from_u16(err.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
            );
        }
        result
    }

    /// Adds a `Set-Cookie` header to the response.
    pub fn set_cookie(value: &str) {
        if let (Some(options), Ok(value)) =
            (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(value))
        {
            options.append_header(http::header::SET_COOKIE, value);
        }
    }
}
