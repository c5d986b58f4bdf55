//! How server-side failures become the public `AppError`: one place that logs
//! the full chain and hands the user only an id.

use sea_orm::{DbErr, SqlErr};

use crate::model::AppError;

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        internal(&err)
    }
}

impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        internal(err.as_ref())
    }
}

/// Logs the error with a fresh id and returns `Internal { id }`.
pub fn internal(err: &(dyn std::error::Error + 'static)) -> AppError {
    let id = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
    let mut chain = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    tracing::error!(error_id = %id, error = %chain, "internal error");
    AppError::Internal { id }
}

/// Turns a unique-constraint violation into a 409 with `message`; any other
/// database error stays internal.
pub fn on_unique(err: DbErr, message: &str) -> AppError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => AppError::conflict(message),
        _ => err.into(),
    }
}
