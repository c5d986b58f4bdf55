//! `aftermarket-ledger`: the server and its operations commands. Every
//! subcommand applies pending migrations first, so each works on an empty
//! database.

use std::io::BufRead;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use aftermarket_ledger::config::Config;
use app::model::AppError;
use app::model::user::NewUser;
use app::server::{backup, db, ledger, seed, users};

#[derive(Parser)]
#[command(name = "aftermarket-ledger", version, about = "OEM authorization, parts repair and warranty traceability")]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and the REST API (the default).
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Create an admin; the password is read as one line from stdin.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Write the demo network and logins.
    SeedDemo {
        /// Do nothing when the database already has users.
        #[arg(long)]
        if_empty: bool,
    },
    /// Import an OEM's parts catalogue from a CSV file, all or nothing
    /// (recorded in the ledger as the first admin).
    ImportParts {
        /// The OEM's code, e.g. SVM.
        #[arg(long)]
        oem: String,
        file: String,
    },
    /// Import ECB exchange rates (`eurofxref-hist.csv` or the daily
    /// `eurofxref.csv`), all or nothing (recorded in the ledger as the
    /// first admin).
    ImportRates { file: String },
    /// Recompute the ledger's hash chain; exit 1 naming the first bad seq.
    VerifyLedger,
    /// Write a consistent copy of the SQLite database while it is in use.
    Backup { file: String },
    /// Write a large data set for `scripts/bench` (after seed-demo).
    #[command(hide = true)]
    SeedBench {
        /// Dealers in all, the demo's among them (the DRF peer's shape has 200).
        #[arg(long, default_value_t = 0)]
        dealers: u64,
        #[arg(long, default_value_t = 20_000)]
        users: u64,
        /// Stock movements over the catalogue (with levels and ledger entries).
        #[arg(long, default_value_t = 0)]
        movements: u64,
        /// Warranty claims over the demo's completed repairs (with lines and ledger entries).
        #[arg(long, default_value_t = 0)]
        claims: u64,
        /// Of those, drafts on the Oslo dealer's recent repairs, for the submission benchmark.
        #[arg(long, default_value_t = 0)]
        drafts: u64,
        /// Sinovolt vehicles over 36 in-service months, for the reports.
        #[arg(long, default_value_t = 0)]
        fleet: u64,
        /// Warranty claims over that fleet (with repairs, months in service and reporting amounts).
        #[arg(long, default_value_t = 0)]
        fleet_claims: u64,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    init_tracing();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if std::env::var("LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = cli.config;
    config.prepare_sqlite_dir()?;
    let db = db::open(&config.database_url).await?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(db, &config).await?,
        Command::Migrate => println!("migrations applied"),
        Command::CreateAdmin { email, name } => {
            let mut password = String::new();
            std::io::stdin().lock().read_line(&mut password)?;
            let password = password.strip_suffix('\n').unwrap_or(&password);
            let password = password.strip_suffix('\r').unwrap_or(password).to_string();
            let input = NewUser { email, display_name: name, role: "admin".into(), password, ..Default::default() };
            match users::create_unchecked(&db, None, input).await {
                Ok(user) => println!("created admin {} (id {})", user.email, user.id),
                Err(err) => return Ok(report(&err)),
            }
        }
        Command::SeedDemo { if_empty } => {
            if if_empty && users::count(&db).await.map_err(anyhow_of)? > 0 {
                println!("database already has users; demo data not written");
            } else {
                if let Err(err) = seed::seed_demo(&db, &config.data_dir).await {
                    return Ok(report(&err));
                }
                println!("demo data written; every demo login uses the password {}", seed::DEMO_PASSWORD);
            }
        }
        Command::ImportParts { oem, file } => {
            let bytes = std::fs::read(&file).map_err(|e| anyhow::anyhow!("cannot read {file}: {e}"))?;
            let (admin_id, oem_id) = import_target(&db, &oem).await?;
            let actor = app::server::Actor::command_line_admin(admin_id);
            match app::server::parts::import_csv(&db, &actor, Some(oem_id), bytes).await {
                Ok(r) => println!("parts imported: {} created, {} updated", r.created, r.updated),
                Err(err) => return Ok(report(&err)),
            }
        }
        Command::ImportRates { file } => {
            let bytes = std::fs::read(&file).map_err(|e| anyhow::anyhow!("cannot read {file}: {e}"))?;
            let admin_id = first_admin(&db).await?;
            match app::server::rates::import_unchecked(&db, Some(admin_id), bytes).await {
                Ok(r) => println!(
                    "rates imported: {} created, {} updated, {} unchanged; {} waiting claims converted",
                    r.created, r.updated, r.unchanged, r.claims_converted
                ),
                Err(err) => return Ok(report(&err)),
            }
        }
        Command::VerifyLedger => {
            let report = ledger::verify_chain(&db).await.map_err(anyhow_of)?;
            if report.ok {
                println!(
                    "ledger ok: {} entries, head {}",
                    report.entries.unwrap_or(0),
                    report.head.unwrap_or_default()
                );
            } else {
                println!("ledger BROKEN: first bad seq {}", report.first_bad_seq.unwrap_or(0));
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::SeedBench { dealers, users, movements, claims, drafts, fleet, fleet_claims } => {
            if let Err(err) = app::server::seed_bench::seed_dealers(&db, dealers).await {
                return Ok(report(&err));
            }
            if let Err(err) = seed::seed_bench(&db, users).await {
                return Ok(report(&err));
            }
            if let Err(err) = app::server::seed_bench::seed_movements(&db, movements).await {
                return Ok(report(&err));
            }
            if let Err(err) = app::server::seed_bench::seed_claims(&db, claims, drafts).await {
                return Ok(report(&err));
            }
            if let Err(err) = app::server::seed_fleet::seed_fleet(&db, fleet, fleet_claims).await {
                return Ok(report(&err));
            }
            println!(
                "bench data written: {users} users, {movements} stock movements, {claims} claims, {fleet} fleet vehicles with {fleet_claims} claims"
            );
        }
        Command::Backup { file } => match backup::backup_to(&db, &file).await {
            Ok(()) => println!("backup written to {file}"),
            Err(err) => return Ok(report(&err)),
        },
    }
    Ok(ExitCode::SUCCESS)
}

async fn serve(db: sea_orm::DatabaseConnection, config: &Config) -> anyhow::Result<()> {
    let conf = leptos::config::get_configuration(None)?;
    let mut options = conf.leptos_options;
    // cargo-leptos writes the assets' hashes beside the binary it built with
    // hashed asset names; the pages then name the hashed files.
    options.hash_files = options.hash_files || assets_hashed(&options.hash_file);
    let addr = options.site_addr;
    std::fs::create_dir_all(&config.data_dir)?;
    tokio::spawn(prune_login_failures(db.clone()));
    tokio::spawn(raise_alerts(db.clone()));
    let router = aftermarket_ledger::build_router(db, options, config.settings());
    let listener = aftermarket_ledger::net::bind(addr).await?;
    tracing::info!("listening on http://{addr}");
    axum::serve(listener, router).with_graceful_shutdown(shutdown()).await?;
    Ok(())
}

/// Whether the hash file cargo-leptos writes beside the binary is there.
fn assets_hashed(hash_file: &str) -> bool {
    std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join(hash_file).is_file())).unwrap_or(false)
}

/// Every five minutes, deletes the counted sign-in attempts that no longer
/// count (older than the throttle's window), so unknown emails do not pile up.
async fn prune_login_failures(db: sea_orm::DatabaseConnection) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(300));
    loop {
        every.tick().await;
        match app::server::auth::prune_login_failures(&db, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(pruned) => tracing::info!(pruned, "old sign-in failures pruned"),
            Err(err) => tracing::warn!(%err, "pruning sign-in failures failed"),
        }
    }
}

/// Every hour, runs the early-warning rule for every OEM: alerts are raised
/// (and recorded) as the calendar matures cohorts, even when nobody reads
/// them. Reading the alerts runs it too.
async fn raise_alerts(db: sea_orm::DatabaseConnection) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        match app::server::reports::alerts::refresh(&db, None, chrono::Utc::now().date_naive()).await {
            Ok(0) => {}
            Ok(raised) => tracing::info!(raised, "early-warning alerts raised"),
            Err(err) => tracing::warn!(%err, "the early-warning rule failed"),
        }
    }
}

/// Ctrl-C or SIGTERM (from a service manager or a script) ends `serve` after
/// in-flight requests.
async fn shutdown() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}

/// The first admin (who the ledger records) and the OEM named by code.
/// The first active admin: who a command-line import is recorded as.
async fn first_admin(db: &sea_orm::DatabaseConnection) -> anyhow::Result<i64> {
    use app::server::entities::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let admin = user::Entity::find()
        .filter(user::Column::Role.eq("admin"))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no admin yet: run create-admin first"))?;
    Ok(admin.id)
}

async fn import_target(db: &sea_orm::DatabaseConnection, code: &str) -> anyhow::Result<(i64, i64)> {
    use app::server::entities::oem;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let admin_id = first_admin(db).await?;
    let oem = oem::Entity::find()
        .filter(oem::Column::Code.eq(code.trim().to_uppercase()))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no OEM with code {code}"))?;
    Ok((admin_id, oem.id))
}

/// Prints an error the way a person reads it, fields included.
fn report(err: &AppError) -> ExitCode {
    eprintln!("error: {err}");
    for (field, message) in err.fields() {
        eprintln!("  {field}: {message}");
    }
    for line in err.line_errors() {
        eprintln!("  line {}: {}: {}", line.line, line.field, line.message);
    }
    ExitCode::FAILURE
}

fn anyhow_of(err: AppError) -> anyhow::Error {
    anyhow::anyhow!("{err}")
}
