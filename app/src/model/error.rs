//! The one error type of the application (DESIGN.md §6).
//!
//! It crosses into server functions as a typed error the UI shows beside the
//! field, and into REST as `{"error":{"code","message","fields"}}`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

mod files;

pub use files::{FileErrors, LineError};

/// Field name → a sentence a dealer understands.
pub type Fields = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AppError {
    #[error("{message}")]
    Validation { message: String, fields: Fields },
    /// A refused file (CSV import): nothing was written; the first bad rows
    /// (at most `IMPORT_MAX_ERRORS`, by line) are named, `total` counts all.
    #[error("{message}")]
    InvalidFile {
        message: String,
        errors: Vec<LineError>,
        #[serde(default)]
        total: u64,
    },
    /// A submission stopped by failing checks (authorization, coverage,
    /// eligibility); the claim stays draft.
    #[error("{message}")]
    SubmissionBlocked { message: String, checks: Vec<crate::model::claim::CheckOutcome> },
    #[error("Please sign in.")]
    Unauthenticated,
    /// Sign-in failed; the same answer whether the email exists or not.
    #[error("The email or password is not correct.")]
    InvalidCredentials,
    #[error("You do not have permission to do this.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    #[error("{message}")]
    Conflict { message: String },
    #[error("Too many attempts. Try again in {} minutes.", retry_after_secs.div_ceil(60))]
    RateLimited { retry_after_secs: u64 },
    #[error("{message}")]
    BadRequest { message: String },
    #[error("The request is larger than the server accepts.")]
    PayloadTooLarge,
    #[error("The server could not be reached: {message}")]
    Unavailable { message: String },
    /// Too many requests of a costly kind (sign-ins, exports) are running
    /// at once on this server; nothing was done.
    #[error("The server is busy. Try again in {retry_after_secs} seconds.")]
    Busy { retry_after_secs: u64 },
    #[error("Something went wrong on our side. Quote error id {id} to support.")]
    Internal { id: String },
}

impl AppError {
    /// A validation error on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut fields = Fields::new();
        fields.insert(field.to_string(), message.into());
        Self::Validation { message: "Please correct the marked fields.".into(), fields }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict { message: message.into() }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::BadRequest { message: message.into() }
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            Self::Validation { .. } | Self::InvalidFile { .. } | Self::SubmissionBlocked { .. } => 422,
            Self::Unauthenticated | Self::InvalidCredentials => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Conflict { .. } => 409,
            Self::RateLimited { .. } => 429,
            Self::BadRequest { .. } => 400,
            Self::PayloadTooLarge => 413,
            Self::Unavailable { .. } | Self::Busy { .. } => 503,
            Self::Internal { .. } => 500,
        }
    }

    /// The stable machine-readable code of the REST error body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation { .. } | Self::InvalidFile { .. } | Self::SubmissionBlocked { .. } => "validation",
            Self::Unauthenticated | Self::InvalidCredentials => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Conflict { .. } => "conflict",
            Self::RateLimited { .. } => "rate_limited",
            Self::BadRequest { .. } => "bad_request",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Unavailable { .. } => "unavailable",
            Self::Busy { .. } => "busy",
            Self::Internal { .. } => "internal",
        }
    }

    /// Seconds the client should wait before trying again (`Retry-After`).
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::RateLimited { retry_after_secs } | Self::Busy { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }

    /// The message for one field, if this is a validation error naming it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            Self::Validation { fields, .. } => fields.get(field).cloned(),
            _ => None,
        }
    }

    /// The field-level messages of a validation error (empty otherwise).
    pub fn fields(&self) -> Fields {
        match self {
            Self::Validation { fields, .. } => fields.clone(),
            _ => Fields::new(),
        }
    }
}

/// Collects field errors; `finish` turns them into one `Validation` error.
#[derive(Debug, Default)]
pub struct FieldErrors(Fields);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the error of a check, keeping the first message per field.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.entry(field.to_string()).or_insert_with(|| message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The recorded fields as one `Validation` error (for a caller that
    /// already knows something was recorded).
    pub fn into_error(self) -> AppError {
        AppError::Validation { message: "Please correct the marked fields.".into(), fields: self.0 }
    }

    /// `Ok(())` when nothing was recorded.
    ///
    /// # Errors
    /// A `Validation` error naming every recorded field.
    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() { Ok(()) } else { Err(self.into_error()) }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Request(message) | E::Response(message) => Self::Unavailable { message },
            other => Self::BadRequest { message: other.to_string() },
        }
    }
}

/// The REST error body: `{"error":{"code","message","fields"}}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: Fields,
    /// The bad rows of a refused file (the first `IMPORT_MAX_ERRORS` by line).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<LineError>,
    /// How many bad rows a refused file has, listed in `errors` or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors_total: Option<u64>,
    /// The failing checks of a refused claim submission.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<crate::model::claim::CheckOutcome>,
}

impl From<&AppError> for ErrorBody {
    fn from(err: &AppError) -> Self {
        Self {
            error: ErrorDetail {
                code: err.code().to_string(),
                message: err.to_string(),
                fields: err.fields(),
                errors: err.line_errors().to_vec(),
                errors_total: err.line_errors_total(),
                checks: err.failed_checks().to_vec(),
            },
        }
    }
}

impl fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error.code, self.error.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_maps_to_its_status_and_code() {
        let cases = [
            (AppError::field("email", "bad"), 422, "validation"),
            (AppError::Unauthenticated, 401, "unauthenticated"),
            (AppError::InvalidCredentials, 401, "unauthenticated"),
            (AppError::Forbidden, 403, "forbidden"),
            (AppError::NotFound, 404, "not_found"),
            (AppError::conflict("taken"), 409, "conflict"),
            (AppError::RateLimited { retry_after_secs: 61 }, 429, "rate_limited"),
            (AppError::bad_request("x"), 400, "bad_request"),
            (AppError::PayloadTooLarge, 413, "payload_too_large"),
            (AppError::Busy { retry_after_secs: 2 }, 503, "busy"),
            (AppError::Internal { id: "abc".into() }, 500, "internal"),
        ];
        for (err, status, code) in cases {
            assert_eq!(err.status(), status, "{err:?}");
            assert_eq!(err.code(), code, "{err:?}");
        }
    }

    #[test]
    fn the_error_body_names_each_bad_field() {
        let mut errors = FieldErrors::new();
        errors.add("email", "must be an email address");
        errors.add("email", "second message is ignored");
        errors.add("password", "too short");
        let err = errors.finish().expect_err("two fields were recorded");
        let body = serde_json::to_value(ErrorBody::from(&err)).expect("serializes");
        assert_eq!(body["error"]["code"], "validation");
        assert_eq!(body["error"]["fields"]["email"], "must be an email address");
        assert_eq!(body["error"]["fields"]["password"], "too short");
    }

    #[test]
    fn an_internal_error_shows_only_its_id() {
        let err = AppError::Internal { id: "7f3a".into() };
        assert_eq!(err.to_string(), "Something went wrong on our side. Quote error id 7f3a to support.");
    }

    #[test]
    fn rate_limited_rounds_minutes_up() {
        assert!(AppError::RateLimited { retry_after_secs: 61 }.to_string().contains("2 minutes"));
    }

    #[test]
    fn errors_round_trip_through_the_server_function_encoding() {
        let err = AppError::field("password", "too short");
        let json = serde_json::to_string(&err).expect("serializes");
        assert_eq!(serde_json::from_str::<AppError>(&json).expect("parses"), err);
    }

    fn bad(line: u64) -> LineError {
        LineError { line, field: "quantity".into(), message: "must be a whole number".into() }
    }

    #[test]
    fn a_file_lists_its_first_thousand_bad_rows_and_counts_them_all() {
        let mut errors = FileErrors::new();
        // Out of order, as a second pass over the rows adds them.
        for line in (2..1_502).rev() {
            errors.push(bad(line));
        }
        let err = errors.into_error();
        assert_eq!(err.line_errors().len(), 1_000);
        assert_eq!(err.line_errors()[0].line, 2);
        assert_eq!(err.line_errors()[999].line, 1_001);
        assert_eq!(err.line_errors_total(), Some(1_500));
        assert_eq!(err.to_string(), "The file has 1,500 errors; nothing was imported. The first 1,000 are listed.");
        let body = serde_json::to_value(ErrorBody::from(&err)).expect("serializes");
        assert_eq!(body["error"]["errors_total"], 1_500);
        assert!(
            serde_json::to_value(ErrorBody::from(&AppError::NotFound)).expect("serializes")["error"]
                .get("errors_total")
                .is_none()
        );
    }

    #[test]
    fn a_file_over_the_row_limit_says_so() {
        let err = AppError::too_many_rows(200_002);
        assert_eq!(err.status(), 422);
        assert!(err.to_string().contains("more than 200,000 rows"), "{err}");
        assert_eq!(err.line_errors()[0].field, "file");
    }
}
