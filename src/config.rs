//! Typed configuration from the environment (and `.env`). Secrets are never
//! logged.

use std::path::PathBuf;

use app::server::state::Settings;

/// Server configuration; `LEPTOS_SITE_ADDR` and the site root come from
/// Leptos' own configuration (Cargo.toml metadata, overridable by env).
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// `sqlite://data/ledger.db?mode=rwc` (embedded) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/ledger.db?mode=rwc", hide_env_values = true)]
    pub database_url: String,
    /// Where attachments live (created when missing).
    #[arg(long, env = "DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Mark the session cookie Secure (serve behind HTTPS).
    #[arg(long, env = "COOKIE_SECURE", default_value_t = false)]
    pub cookie_secure: bool,
    /// Extra origins accepted on state-changing browser requests, comma-separated
    /// (e.g. the public https URL behind a proxy).
    #[arg(long, env = "PUBLIC_ORIGINS", value_delimiter = ',')]
    pub public_origins: Vec<String>,
}

impl Config {
    pub fn settings(&self) -> Settings {
        Settings {
            cookie_secure: self.cookie_secure,
            public_origins: self
                .public_origins
                .iter()
                .map(|o| o.trim().to_string())
                .filter(|o| !o.is_empty())
                .collect(),
            data_dir: self.data_dir.clone(),
        }
    }

    /// Creates the directory of a SQLite database file, so a fresh checkout
    /// can start without preparation.
    ///
    /// # Errors
    /// When the directory cannot be created.
    pub fn prepare_sqlite_dir(&self) -> std::io::Result<()> {
        let Some(rest) = self.database_url.strip_prefix("sqlite://") else {
            return Ok(());
        };
        let path = rest.split('?').next().unwrap_or_default();
        if path.is_empty() || path.contains(":memory:") {
            return Ok(());
        }
        match std::path::Path::new(path).parent() {
            Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir),
            _ => Ok(()),
        }
    }
}
