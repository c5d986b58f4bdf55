//! Connecting to SQLite (the embedded default) or PostgreSQL, and migrating.

use std::ffi::c_int;
use std::path::PathBuf;
use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend, DbErr};

/// A SQLite connection's page cache, in KiB (negative: SQLite's unit for KiB).
const PAGE_CACHE: &str = "-8192";

/// Opens a pool on `url`. SQLite runs in WAL mode with foreign keys on and a
/// busy timeout, so readers never wait for the single writer.
/// `DATABASE_MAX_CONNECTIONS` overrides the pool size (SQLite 8, PostgreSQL
/// 16 per instance).
///
/// # Errors
/// When the database cannot be reached or opened.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_string());
    options.sqlx_logging(false).acquire_timeout(Duration::from_secs(10));
    let pool_size =
        std::env::var("DATABASE_MAX_CONNECTIONS").ok().and_then(|n| n.parse::<u32>().ok()).filter(|n| *n > 0);
    if url.starts_with("sqlite:") {
        // A local file cannot drop a connection: no ping before each query
        // (on SQLite that ping is a round trip to the connection's thread).
        options.test_before_acquire(false);
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        if in_memory {
            // Each connection would get its own empty database.
            options.max_connections(1);
        } else {
            options.max_connections(pool_size.unwrap_or(8));
        }
        options.map_sqlx_sqlite_opts(move |opts: SqliteConnectOptions| {
            let opts = opts.foreign_keys(true).busy_timeout(Duration::from_secs(10));
            if in_memory {
                opts
            } else {
                // Every commit is on disk before it is acknowledged
                // (`synchronous=FULL`: the WAL is synced at each commit), so
                // a power loss keeps every change a user was told was saved.
                // 8 MiB of page cache per connection: the operating system
                // keeps the file's pages as well, and a reader or writer
                // re-reading one from there costs a copy; 64 MiB across
                // seventeen connections made the server's memory grow to
                // several hundred MiB without making it faster.
                opts.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(synchronous())
                    .pragma("cache_size", PAGE_CACHE)
                    .pragma("temp_store", "memory")
            }
        });
        options.map_sqlx_sqlite_pool_opts(stable_plans);
    } else {
        // Ping only connections idle long enough to have been dropped by the
        // server or a proxy, not every checkout.
        options.max_connections(pool_size.unwrap_or(16)).test_before_acquire_if_idle_for(Duration::from_secs(30));
    }
    Database::connect(options).await
}

/// `synchronous=FULL` unless `DATABASE_SYNCHRONOUS=normal` trades the last
/// commits before a power loss (never a process crash's) for fewer syncs.
fn synchronous() -> SqliteSynchronous {
    match std::env::var("DATABASE_SYNCHRONOUS").map(|v| v.to_ascii_lowercase()) {
        Ok(v) if v == "normal" => SqliteSynchronous::Normal,
        _ => SqliteSynchronous::Full,
    }
}

/// Turns on SQLite's query planner stability guarantee for every connection
/// of the pool: a statement's plan no longer depends on the values bound to
/// it, so a prepared statement stays prepared.
///
/// Without it SQLite (since 3.47) reads a bound `LIMIT ?` while planning and
/// compiles the statement again each time that value is bound. sea-query
/// binds every limit, so every `.one()`, every paged list and every scalar
/// subquery with a limit was parsed and planned on each run: 6 % of a claim
/// submission's CPU. The guarantee also stops plans from following a bound
/// `LIKE` prefix or `ANALYZE` statistics; this database has neither (its
/// `LIKE`s search inside lowercased text, which no index serves).
pub fn stable_plans(options: SqlitePoolOptions) -> SqlitePoolOptions {
    options.after_connect(|conn, _| Box::pin(keep_plans(conn)))
}

/// Turns the planner stability guarantee on for one connection (see
/// [`stable_plans`]).
///
/// # Errors
/// When the connection is gone, or SQLite refuses the setting.
pub async fn keep_plans(conn: &mut SqliteConnection) -> Result<(), sea_orm::sqlx::Error> {
    planner_setting(conn, 1).await.map(|_| ())
}

/// Sets the planner stability guarantee of one connection (1 on, 0 off, -1
/// leaves it) and answers the setting it then has.
async fn planner_setting(conn: &mut SqliteConnection, value: c_int) -> Result<c_int, sea_orm::sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let mut now: c_int = -1;
    // SAFETY: `lock_handle` keeps sqlx's worker thread off the connection
    // while the handle lives; `ENABLE_QPSG` takes an int and a pointer to an
    // int that receives the setting.
    let rc = unsafe {
        libsqlite3_sys::sqlite3_db_config(
            handle.as_raw_handle().as_ptr(),
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            value,
            &raw mut now,
        )
    };
    if rc == libsqlite3_sys::SQLITE_OK {
        Ok(now)
    } else {
        Err(sea_orm::sqlx::Error::Configuration(format!("SQLite refused the planner setting (code {rc})").into()))
    }
}

/// The path sqlx opens for a SQLite database (for an in-memory one, the
/// name its connections share), or None for PostgreSQL.
pub fn sqlite_file(db: &DatabaseConnection) -> Option<PathBuf> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return None;
    }
    let file = db.get_sqlite_connection_pool().connect_options().get_filename().to_path_buf();
    (file.as_os_str() != ":memory:" && !file.as_os_str().is_empty()).then_some(file)
}

/// Applies every pending migration.
///
/// # Errors
/// When a migration fails.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Connects and migrates: what every entry point does first.
///
/// # Errors
/// When connecting or migrating fails.
pub async fn open(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = connect(url).await?;
    migrate(&db).await?;
    Ok(db)
}

/// A fresh, migrated database file in its own directory (removed by the
/// caller): on a file, unlike in memory, writers take their turn and keep
/// the ledger's head, and readers lease connections of their own.
#[cfg(test)]
pub(crate) async fn file_db(name: &str) -> (DatabaseConnection, PathBuf) {
    let dir = std::env::temp_dir().join(format!("al-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("creates a directory");
    let url = format!("sqlite://{}?mode=rwc", dir.join("ledger.db").display());
    (open(&url).await.expect("opens a database file"), dir)
}

/// The planner setting as a connection reports it.
#[cfg(test)]
pub(crate) async fn stable_plans_on(conn: &mut SqliteConnection) -> i32 {
    planner_setting(conn, -1).await.expect("reads the setting")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_sqlite_connection_keeps_its_plans() {
        let db = connect("sqlite::memory:").await.expect("in-memory database");
        let mut conn = db.get_sqlite_connection_pool().acquire().await.expect("a connection");
        assert_eq!(stable_plans_on(&mut conn).await, 1);
    }
}
