//! This process's writers to a SQLite database file: one queue per file (a
//! fair async mutex), the connection only they write through, and the
//! ledger head the last turn committed; and bookkeeping writes (no ledger
//! entry) that take their turn in that queue.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use sea_orm::SqlxSqliteConnector;
use sea_orm::sqlx::sqlite::SqlitePoolOptions;
use sea_orm::{ConnectionTrait, DatabaseConnection, StatementBuilder};
use tokio::sync::Mutex;

use super::Head;
use crate::model::AppError;

/// This process's writer to one SQLite database file, behind the queue of
/// its writers (see [`write_turn`]).
pub(super) struct Writer {
    /// A connection only writers use. A writer never waits for a pool
    /// connection while it holds the turn, and the connection's page cache
    /// outlives its transactions: SQLite drops a connection's cache when
    /// another connection has written, which for this one is rare.
    pub(super) conn: DatabaseConnection,
    /// The head the last turn committed.
    pub(super) head: Option<Head>,
}

/// A queue of writers to one database file.
type Turn = Arc<Mutex<Writer>>;

/// Runs one bookkeeping write that is no change of a record (a session's
/// last-seen time, say: no ledger entry) in this process's queue of
/// writers. On SQLite it would otherwise wait for the write lock in the busy
/// handler, sleeping while changes come and go — and a change that begins
/// while it holds the lock would sleep there too, holding up every writer
/// queued behind it.
///
/// # Errors
/// When the database write fails.
pub(crate) async fn bookkeeping<S: StatementBuilder>(db: &DatabaseConnection, statement: &S) -> Result<u64, AppError> {
    let done = match write_turn(db) {
        Some(gate) => gate.lock().await.conn.execute(statement).await?,
        None => db.execute(statement).await?,
    };
    Ok(done.rows_affected())
}

/// Like [`bookkeeping`], for a write whose returned row the caller needs
/// (`INSERT … RETURNING id`).
///
/// # Errors
/// When the database write fails.
pub(crate) async fn bookkeeping_returning<S: StatementBuilder>(
    db: &DatabaseConnection,
    statement: &S,
) -> Result<Option<sea_orm::QueryResult>, AppError> {
    let row = match write_turn(db) {
        Some(gate) => gate.lock().await.conn.query_one(statement).await?,
        None => db.query_one(statement).await?,
    };
    Ok(row)
}

/// The queue of this process's writers to one SQLite database file (SQLite
/// has one writer at a time; a fair async mutex hands the lock on in arrival
/// order), with the connection they write through and the ledger head the
/// last turn committed. None for PostgreSQL, whose row lock on the head
/// queues writers of every instance, and for in-memory databases, whose
/// single connection already does.
pub(super) fn write_turn(db: &DatabaseConnection) -> Option<Turn> {
    static TURNS: LazyLock<std::sync::Mutex<HashMap<PathBuf, Turn>>> = LazyLock::new(Default::default);
    let file = crate::server::db::sqlite_file(db)?;
    let mut turns = TURNS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let turn = turns.entry(file).or_insert_with(|| {
        // The pool's own options: the same file, pragmas and busy timeout.
        let options = db.get_sqlite_connection_pool().connect_options();
        let pool = crate::server::db::stable_plans(SqlitePoolOptions::new())
            .max_connections(1)
            .test_before_acquire(false)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_lazy_with((*options).clone());
        Arc::new(Mutex::new(Writer { conn: SqlxSqliteConnector::from_sqlx_sqlite_pool(pool), head: None }))
    });
    Some(Arc::clone(turn))
}
