//! REST API v1 (../shared/API.md): thin handlers that parse, call one
//! service in `app::server`, and map the result. Every rule lives in the
//! services, so the API enforces exactly what the UI does.

mod auth;
mod authorizations;
mod claims;
mod extract;
mod ledger;
mod network;
mod openapi;
mod parts;
mod repairs;
mod reports;
mod stock;
mod system;
mod users;
mod vehicles;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use app::model::AppError;
use app::model::error::ErrorBody;
use app::server::AppState;

pub use extract::{Authed, CsvBody, JsonBody, NoBody, Params, Path};
pub use openapi::ApiDoc;

/// Every `/api/v1` route; unknown paths answer a JSON 404.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(system::router())
        .merge(auth::router())
        .merge(authorizations::router())
        .merge(users::router())
        .merge(ledger::router())
        .merge(network::router())
        .merge(parts::router())
        .merge(repairs::router())
        .merge(reports::router())
        .merge(claims::router())
        .merge(stock::router())
        .merge(vehicles::router())
        .fallback(|| async { ApiError(AppError::NotFound) })
        .method_not_allowed_fallback(|| async {
            ApiError(AppError::BadRequest { message: "This method is not allowed on this resource.".into() })
        })
}

/// An `AppError` on its way out as `{"error":{"code","message","fields"}}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        Self(err)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(ErrorBody::from(&self.0))).into_response();
        if let Some(retry_after_secs) = self.0.retry_after()
            && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
