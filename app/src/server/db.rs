//! Connecting to SQLite (the embedded default) or PostgreSQL, and migrating.

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

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
                // 64 MiB of page cache per connection: large imports and the
                // ledger's indexes stay in memory instead of re-reading pages.
                // (Memory-mapping the file was measured slower under
                // concurrent writes: every checkpoint remaps it.)
                opts.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .pragma("cache_size", "-65536")
                    .pragma("temp_store", "memory")
            }
        });
    } else {
        // Ping only connections idle long enough to have been dropped by the
        // server or a proxy, not every checkout.
        options.max_connections(pool_size.unwrap_or(16)).test_before_acquire_if_idle_for(Duration::from_secs(30));
    }
    Database::connect(options).await
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
