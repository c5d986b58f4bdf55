use std::net::SocketAddr;
use std::sync::LazyLock;

use app::model::network::{DealerInput, Money, OemInput};
use app::model::user::NewUser;
use app::server::{db, users};
use app::server::{dealers, oems};
use leptos::config::LeptosOptions;
use rand::Rng;
use reqwest::{Client, Response, StatusCode};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::Value;

pub const ADMIN_EMAIL: &str = "admin@test.example";
pub const PASSWORD: &str = "correct-horse-battery";

pub struct TestApp {
    pub base: String,
    pub db: DatabaseConnection,
    pub database_url: String,
    pub dealer_a: i64,
    pub dealer_b: i64,
    pub oem: i64,
    pub http: Client,
    /// The server's task on [`SERVERS`]: stopped with the test, so it lets
    /// go of its database connections (PostgreSQL has only so many).
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The one runtime every test's server runs on, for the whole run, as one
/// runtime serves production (on each test's own runtime the run took three
/// times as long, and pages stalled more often: see `headers::page`).
static SERVERS: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("test-servers")
        .enable_all()
        .build()
        .expect("the servers' runtime starts")
});

/// A fresh database (SQLite file or a new PostgreSQL database), migrated,
/// with an admin, two dealers and an OEM, served on a random port.
pub async fn spawn_app() -> TestApp {
    let database_url = fresh_database_url().await;
    let app = spawn_on(&database_url).await;
    let admin = NewUser {
        email: ADMIN_EMAIL.into(),
        display_name: "Test Admin".into(),
        role: "admin".into(),
        password: PASSWORD.into(),
        ..Default::default()
    };
    users::create_unchecked(&app.db, None, admin).await.expect("admin is created");
    app
}

/// Another server on an existing database (a restart, or a second instance).
pub async fn spawn_on(database_url: &str) -> TestApp {
    let db = db::open(database_url).await.expect("database opens and migrates");
    let (dealer_a, dealer_b, oem) = orgs(&db).await;
    let options = LeptosOptions::builder().output_name("aftermarket-ledger").site_root("target/site").build();
    let settings =
        app::server::state::Settings { cookie_secure: false, public_origins: vec![], data_dir: std::env::temp_dir() };
    let router = aftermarket_ledger::build_router(db.clone(), options, settings);
    let (bound, addr) = tokio::sync::oneshot::channel();
    let server = SERVERS.spawn(async move {
        let listener = aftermarket_ledger::net::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("binds");
        let _ = bound.send(axum::serve::Listener::local_addr(&listener).expect("has an address"));
        axum::serve(listener, router).await.expect("serves");
    });
    let addr: SocketAddr = addr.await.expect("the server is bound");
    TestApp {
        base: format!("http://{addr}"),
        db,
        database_url: database_url.to_string(),
        dealer_a,
        dealer_b,
        oem,
        // No test waits on a stalled response for longer than this.
        http: Client::builder()
            .cookie_store(true)
            .timeout(std::time::Duration::from_secs(120))
            .build()
            .expect("client"),
        server,
    }
}

async fn orgs(db: &DatabaseConnection) -> (i64, i64, i64) {
    use app::server::entities::{dealer, oem};
    use sea_orm::{EntityTrait, QueryOrder};
    let existing = dealer::Entity::find().order_by_asc(dealer::Column::Id).all(db).await.expect("reads dealers");
    if existing.len() >= 2 {
        let oem = oem::Entity::find().one(db).await.expect("reads oems").expect("an oem exists").id;
        return (existing[0].id, existing[1].id, oem);
    }
    let dealer = |code: &str, name: &str, country: &str, city: &str, time_zone: &str, currency: &str| DealerInput {
        code: Some(code.into()),
        name: Some(name.into()),
        country: Some(country.into()),
        city: Some(city.into()),
        time_zone: Some(time_zone.into()),
        currency: Some(currency.into()),
        labor_rate: Some(Money { amount_minor: 100_000, currency: currency.into() }),
        active: Some(true),
    };
    let a = dealers::create_unchecked(db, None, dealer("NO001", "Fjord Elbil", "NO", "Oslo", "Europe/Oslo", "NOK"))
        .await
        .expect("dealer a");
    let b = dealers::create_unchecked(db, None, dealer("TH001", "Siam EV", "TH", "Bangkok", "Asia/Bangkok", "THB"))
        .await
        .expect("dealer b");
    let oem = OemInput {
        code: Some("NVX".into()),
        name: Some("Nordvolt".into()),
        country: Some("SE".into()),
        reporting_currency: None,
    };
    let o = oems::create_unchecked(db, None, oem).await.expect("oem");
    (a.id, b.id, o.id)
}

async fn fresh_database_url() -> String {
    let target = std::env::var("TEST_DATABASE").unwrap_or_else(|_| "sqlite".into());
    let name = format!("al_test_{}", rand::rng().random::<u64>());
    if target == "sqlite" {
        let path = std::env::temp_dir().join(format!("{name}.db"));
        return format!("sqlite://{}?mode=rwc", path.display());
    }
    let admin = db::connect(&target).await.expect("PostgreSQL is reachable");
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("creates a test database");
    let (base, _) = target.rsplit_once('/').expect("a PostgreSQL URL names a database");
    format!("{base}/{name}")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    /// Signs in over the API and returns the bearer token.
    pub async fn token(&self, email: &str, password: &str) -> String {
        let response = self.login(email, password).await;
        assert_eq!(response.status(), StatusCode::OK, "login of {email}");
        let body: Value = response.json().await.expect("json");
        body["token"].as_str().expect("a token").to_string()
    }

    pub async fn admin_token(&self) -> String {
        self.token(ADMIN_EMAIL, PASSWORD).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        Client::new()
            .post(self.url("/auth/login"))
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await
            .expect("request")
    }

    pub async fn get(&self, token: &str, path: &str) -> Response {
        Client::new().get(self.url(path)).bearer_auth(token).send().await.expect("request")
    }

    pub async fn post(&self, token: &str, path: &str, body: &Value) -> Response {
        Client::new().post(self.url(path)).bearer_auth(token).json(body).send().await.expect("request")
    }

    pub async fn patch(&self, token: &str, path: &str, body: &Value) -> Response {
        Client::new().patch(self.url(path)).bearer_auth(token).json(body).send().await.expect("request")
    }

    pub async fn delete(&self, token: &str, path: &str) -> Response {
        Client::new().delete(self.url(path)).bearer_auth(token).send().await.expect("request")
    }

    /// Creates a user as the admin and returns its id.
    pub async fn create_user(&self, body: Value) -> i64 {
        let admin = self.admin_token().await;
        let response = self.post(&admin, "/users", &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "creating {body}");
        let user: Value = response.json().await.expect("json");
        user["id"].as_i64().expect("an id")
    }

    /// A dealer user of dealer A; returns (id, token).
    pub async fn dealer_user(&self, email: &str, dealer_id: i64) -> (i64, String) {
        let id = self
            .create_user(serde_json::json!({
                "email": email, "display_name": "Dealer Person", "role": "dealer",
                "password": PASSWORD, "dealer_id": dealer_id,
            }))
            .await;
        (id, self.token(email, PASSWORD).await)
    }

    /// Signs in the browser way (server function + session cookie) on the
    /// shared cookie-keeping client.
    pub async fn browser_login(&self, email: &str, password: &str) -> Response {
        self.http
            .post(format!("{}/rpc/auth/login", self.base))
            .header("Origin", &self.base)
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .expect("request")
    }
}

pub async fn json(response: Response) -> Value {
    response.json().await.expect("a JSON body")
}
