//! Consistent online copies of the embedded database.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use crate::model::AppError;

/// Writes a consistent copy of the SQLite database to `target` while the
/// server keeps running (`VACUUM INTO` reads one snapshot).
///
/// # Errors
/// `Validation` when `target` exists or the database is PostgreSQL (use
/// `pg_dump` there).
pub async fn backup_to(db: &DatabaseConnection, target: &str) -> Result<(), AppError> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Err(AppError::field("file", "backups of PostgreSQL are made with pg_dump"));
    }
    if std::path::Path::new(target).exists() {
        return Err(AppError::field("file", "already exists; choose a new file name"));
    }
    db.execute_raw(Statement::from_sql_and_values(DbBackend::Sqlite, "VACUUM INTO ?", [target.into()])).await?;
    Ok(())
}
