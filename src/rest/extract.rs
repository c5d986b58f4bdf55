//! Extractors that turn bad requests into the API's JSON errors.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use bytes::Bytes;
use serde::de::DeserializeOwned;

use app::model::AppError;
use app::server::Actor;
use app::server::state::CurrentActor;

use super::ApiError;

/// The signed-in actor; 401 without valid credentials.
pub struct Authed(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<CurrentActor>() {
            Some(CurrentActor(Some(actor))) => Ok(Self(actor.clone())),
            _ => Err(ApiError(AppError::Unauthenticated)),
        }
    }
}

/// A JSON body: 400 when it is not JSON, 413 over the size limit, 422 naming
/// the field when a field is missing, mistyped or unknown.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = declares_json(&req);
        let bytes = read_body(req, state).await?;
        if !is_json {
            return Err(ApiError(AppError::bad_request("Send the body as JSON with Content-Type: application/json.")));
        }
        parse_json(&bytes).map(Self).map_err(ApiError)
    }
}

/// Query parameters: 422 naming the parameter when one is mistyped or unknown.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer).map(Self).map_err(|err| {
            let path = err.path().to_string();
            let (field, message) = describe(&path, &err.inner().to_string());
            ApiError(AppError::field(&field, message))
        })
    }
}

/// Path parameters. One that does not parse (an id out of range, a word
/// where a number belongs) names no record: 404 with the JSON error body,
/// like any other record that is not there.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Self(value))
            .map_err(|_| ApiError(AppError::NotFound))
    }
}

/// A CSV upload: the raw bytes (the route sets its own size limit).
pub struct CsvBody(pub Vec<u8>);

impl<S: Send + Sync> FromRequest<S> for CsvBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if declares_json(&req) {
            return Err(ApiError(AppError::bad_request(
                "Send the file itself as the body, with Content-Type: text/csv.",
            )));
        }
        Ok(Self(read_body(req, state).await?.to_vec()))
    }
}

/// The body of an action that takes none: empty, or `{}`.
pub struct NoBody;

impl<S: Send + Sync> FromRequest<S> for NoBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = read_body(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self);
        }
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Empty {}
        parse_json::<Empty>(&bytes).map(|_| Self).map_err(ApiError)
    }
}

/// Whether the request says its body is JSON.
fn declares_json(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"))
}

async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError(AppError::PayloadTooLarge)
        } else {
            ApiError(AppError::bad_request(rejection.body_text()))
        }
    })
}

/// Parses JSON, naming the offending field of a well-formed body.
///
/// # Errors
/// `BadRequest` for malformed JSON, `Validation` for a wrong shape.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| AppError::bad_request(format!("The body is not valid JSON: {e}.")))?;
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let message = err.inner().to_string();
        let (field, message) = describe(&path, &message);
        AppError::field(&field, message)
    })
}

/// Turns serde's message into a field name and a sentence.
fn describe(path: &str, message: &str) -> (String, String) {
    let join = |name: &str| if path == "." { name.to_string() } else { format!("{path}.{name}") };
    let quoted = message.split('`').nth(1).unwrap_or_default();
    if message.starts_with("unknown field") {
        // The path already ends at the unknown key.
        let field = if path == "." { quoted.to_string() } else { path.to_string() };
        (field, "is not a field of this request".into())
    } else if message.starts_with("missing field") {
        (join(quoted), "is required".into())
    } else {
        let field = if path == "." { "body".to_string() } else { path.to_string() };
        (field, message.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Login {
        email: String,
        password: String,
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        let err = parse_json::<Login>(b"{\"email\":").expect_err("malformed");
        assert_eq!(err.status(), 400);
    }

    #[test]
    fn an_unknown_field_is_named() {
        let err = parse_json::<Login>(br#"{"email":"a@b.c","password":"x","admin":true}"#).expect_err("unknown");
        assert_eq!(err.status(), 422);
        assert_eq!(err.field_message("admin").as_deref(), Some("is not a field of this request"));
    }

    #[test]
    fn a_missing_field_is_required() {
        let err = parse_json::<Login>(br#"{"email":"a@b.c"}"#).expect_err("missing");
        assert_eq!(err.field_message("password").as_deref(), Some("is required"));
    }

    #[test]
    fn a_mistyped_field_is_named() {
        let err = parse_json::<Login>(br#"{"email":5,"password":"x"}"#).expect_err("mistyped");
        assert!(err.field_message("email").is_some(), "{err:?}");
    }
}
