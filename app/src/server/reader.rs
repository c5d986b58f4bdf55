//! A request's reads on a SQLite file, without sqlx's check-in round trip.
//!
//! sqlx's pool tests every connection it takes back: on SQLite that is a
//! ping, one more round trip to the connection's thread after every query
//! (two thread hand-offs, in a task of its own). A [`Reader`] leases one
//! connection from a small pool kept here for as many queries as the
//! request makes, and puts it back as it is. Readers only read: their
//! connections refuse writes (`PRAGMA query_only`); changes go through
//! `LedgerTx`. On PostgreSQL and in-memory SQLite a reader is the app's pool.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sea_orm::sqlx::{self, AssertSqlSafe, ConnectOptions as _};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr, Statement};
use sea_query_sqlx::SqlxValues;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Where a request's reads go: a leased SQLite connection, or the pool.
pub enum Reader<'a> {
    /// PostgreSQL, or SQLite in memory (one connection holds the database).
    Pool(&'a DatabaseConnection),
    /// A connection to a SQLite file, this request's until dropped.
    Leased(Lease),
}

impl<'a> Reader<'a> {
    /// A reader for `db`: on a SQLite file, a connection leased from the
    /// file's readers (waiting while all are leased).
    ///
    /// # Errors
    /// When a new connection cannot be opened.
    pub async fn of(db: &'a DatabaseConnection) -> Result<Self, DbErr> {
        match readers(db) {
            Some(readers) => Ok(Reader::Leased(readers.lease().await?)),
            None => Ok(Reader::Pool(db)),
        }
    }
}

/// The readers of one SQLite file.
struct Readers {
    options: SqliteConnectOptions,
    idle: Mutex<Vec<SqliteConnection>>,
    /// One permit per connection the file's readers may hold open.
    permits: Arc<Semaphore>,
}

impl Readers {
    async fn lease(self: &Arc<Self>) -> Result<Lease, DbErr> {
        let permit = Arc::clone(&self.permits).acquire_owned().await.map_err(|e| DbErr::Custom(e.to_string()))?;
        let idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let conn = match idle {
            Some(conn) => conn,
            None => {
                let mut conn = self.options.connect().await.map_err(conn_err)?;
                super::db::keep_plans(&mut conn).await.map_err(conn_err)?;
                conn
            }
        };
        Ok(Lease {
            conn: Some(tokio::sync::Mutex::new(conn)),
            broken: AtomicBool::new(false),
            readers: Arc::clone(self),
            _permit: permit,
        })
    }
}

/// A leased connection. Dropped, it goes back to the idle ones unless a
/// query found it broken, then its permit is released.
pub struct Lease {
    /// Locked per query: the lease is one request's, so never contended.
    conn: Option<tokio::sync::Mutex<SqliteConnection>>,
    /// Set when a query failed for another reason than the statement.
    broken: AtomicBool,
    readers: Arc<Readers>,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Lease {
    fn drop(&mut self) {
        if self.broken.load(Ordering::Relaxed) {
            return;
        }
        if let Some(conn) = self.conn.take() {
            self.readers.idle.lock().unwrap_or_else(PoisonError::into_inner).push(conn.into_inner());
        }
    }
}

impl Lease {
    /// The connection, or an error once it is gone (never: taken on drop).
    async fn conn(&self) -> Result<tokio::sync::MutexGuard<'_, SqliteConnection>, DbErr> {
        match &self.conn {
            Some(conn) => Ok(conn.lock().await),
            None => Err(DbErr::Custom("a reader was used after it was put back".into())),
        }
    }

    /// Maps a query's error, marking the connection broken unless the
    /// statement itself failed.
    fn failed(&self, error: sqlx::Error) -> DbErr {
        let statement = matches!(
            error,
            sqlx::Error::Database(_)
                | sqlx::Error::RowNotFound
                | sqlx::Error::ColumnNotFound(_)
                | sqlx::Error::ColumnIndexOutOfBounds { .. }
                | sqlx::Error::ColumnDecode { .. }
                | sqlx::Error::Decode(_)
                | sqlx::Error::TypeNotFound { .. }
        );
        if !statement {
            self.broken.store(true, Ordering::Relaxed);
        }
        DbErr::Query(RuntimeErr::SqlxError(Arc::new(error)))
    }
}

fn conn_err(error: sqlx::Error) -> DbErr {
    DbErr::Conn(RuntimeErr::SqlxError(Arc::new(error)))
}

/// The statement with its values bound, as sea-orm's own driver binds them.
fn bound(stmt: &Statement) -> sqlx::query::Query<'_, sqlx::Sqlite, SqlxValues> {
    let values = stmt.values.clone().unwrap_or_else(|| sea_orm::sea_query::Values(Vec::new()));
    sqlx::query_with(AssertSqlSafe(stmt.sql.as_str()), SqlxValues(values))
}

#[async_trait::async_trait]
impl ConnectionTrait for Reader<'_> {
    fn get_database_backend(&self) -> DbBackend {
        match self {
            Reader::Pool(db) => db.get_database_backend(),
            Reader::Leased(_) => DbBackend::Sqlite,
        }
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        match self {
            Reader::Pool(db) => db.execute_raw(stmt).await,
            Reader::Leased(lease) => {
                let mut conn = lease.conn().await?;
                bound(&stmt).execute(&mut *conn).await.map(ExecResult::from).map_err(|e| lease.failed(e))
            }
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        match self {
            Reader::Pool(db) => db.execute_unprepared(sql).await,
            Reader::Leased(lease) => {
                let mut conn = lease.conn().await?;
                sqlx::raw_sql(AssertSqlSafe(sql))
                    .execute(&mut *conn)
                    .await
                    .map(ExecResult::from)
                    .map_err(|e| lease.failed(e))
            }
        }
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        match self {
            Reader::Pool(db) => db.query_one_raw(stmt).await,
            Reader::Leased(lease) => {
                let mut conn = lease.conn().await?;
                let row = bound(&stmt).fetch_optional(&mut *conn).await.map_err(|e| lease.failed(e))?;
                Ok(row.map(QueryResult::from))
            }
        }
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match self {
            Reader::Pool(db) => db.query_all_raw(stmt).await,
            Reader::Leased(lease) => {
                let mut conn = lease.conn().await?;
                let rows = bound(&stmt).fetch_all(&mut *conn).await.map_err(|e| lease.failed(e))?;
                Ok(rows.into_iter().map(QueryResult::from).collect())
            }
        }
    }
}

/// The readers of `db`'s file, made on first use with the pool's own options
/// (file, pragmas, busy timeout) and as many connections as the pool may
/// open; None for PostgreSQL and in-memory SQLite.
fn readers(db: &DatabaseConnection) -> Option<Arc<Readers>> {
    static READERS: LazyLock<Mutex<HashMap<PathBuf, Arc<Readers>>>> = LazyLock::new(Default::default);
    let file = super::db::sqlite_file(db)?;
    let mut all = READERS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(readers) = all.get(&file) {
        return Some(Arc::clone(readers));
    }
    // An in-memory database has a name but no file: its one connection is it.
    if !file.is_file() {
        return None;
    }
    let pool = db.get_sqlite_connection_pool();
    let size = usize::try_from(pool.options().get_max_connections()).unwrap_or(8);
    let readers = Arc::new(Readers {
        options: (*pool.connect_options()).clone().pragma("query_only", "ON"),
        idle: Mutex::new(Vec::with_capacity(size)),
        permits: Arc::new(Semaphore::new(size)),
    });
    all.insert(file, Arc::clone(&readers));
    Some(readers)
}

#[cfg(test)]
mod tests {
    use sea_orm::{EntityTrait, PaginatorTrait};
    use serde_json::json;

    use super::*;
    use crate::server::db::{connect, file_db, stable_plans_on};
    use crate::server::entities::ledger_entry;
    use crate::server::ledger::{Change, LedgerTx};

    fn idle(db: &DatabaseConnection) -> usize {
        readers(db).expect("a file's readers").idle.lock().expect("not poisoned").len()
    }

    #[tokio::test]
    async fn a_reader_of_a_file_sees_what_was_committed_and_goes_back_idle() {
        let (db, dir) = file_db("reader").await;
        let mut tx = LedgerTx::begin(&db, Some(1)).await.expect("begins");
        tx.record(Change::new("user", 7, "user.updated", json!({"n": 7})));
        tx.commit().await.expect("commits");

        let reader = Reader::of(&db).await.expect("a reader");
        assert!(matches!(reader, Reader::Leased(_)), "a file's reads go through a leased connection");
        assert_eq!(ledger_entry::Entity::find().count(&reader).await.expect("counts"), 1);
        assert_eq!(idle(&db), 0);
        drop(reader);
        assert_eq!(idle(&db), 1, "the connection goes back as it is");

        let again = Reader::of(&db).await.expect("a reader");
        assert_eq!(idle(&db), 0, "the idle connection is leased again");
        let Reader::Leased(lease) = &again else { panic!("leased") };
        assert_eq!(stable_plans_on(&mut lease.conn().await.expect("its connection")).await, 1);
        let refused = again.execute_unprepared("DELETE FROM ledger_entries").await.expect_err("readers only read");
        assert!(refused.to_string().contains("readonly"), "{refused}");
        drop(again);
        assert_eq!(idle(&db), 1, "a refused statement leaves the connection usable");
        assert_eq!(ledger_entry::Entity::find().count(&db).await.expect("counts"), 1);
        std::fs::remove_dir_all(dir).expect("removes the directory");
    }

    #[tokio::test]
    async fn in_memory_reads_go_through_the_pool() {
        let db = connect("sqlite::memory:").await.expect("in-memory database");
        assert!(matches!(Reader::of(&db).await.expect("a reader"), Reader::Pool(_)));
        assert!(readers(&db).is_none());
    }
}
