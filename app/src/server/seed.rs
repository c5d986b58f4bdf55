//! Demo data for a first look: two OEMs with their models, eight dealers on
//! four continents, authorizations in every state, warranty policies, and a
//! login per dealer, per OEM and for the admin. Only `seed-demo` calls this.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use super::auth::Actor;
use super::{authorizations, dealers, oems, policies, users};
use crate::model::AppError;
use crate::model::authorization::{NewAuthorization, StatusChangeKind, StatusChangeRequest};
use crate::model::network::{DealerInput, Money, NewVehicleModel, OemInput};
use crate::model::policy::NewPolicy;
use crate::model::user::NewUser;

pub const DEMO_PASSWORD: &str = "ledger-demo-2026";

/// The demo logins, as `(role, email)`.
pub const DEMO_LOGINS: [(&str, &str); 4] = [
    ("admin", "admin@demo.example"),
    ("dealer (Oslo)", "dealer.oslo@demo.example"),
    ("dealer (Bangkok)", "dealer.bangkok@demo.example"),
    ("service manager (Sinovolt)", "manager@demo.example"),
];

/// OEM, dealer code, service types, models, valid from/to, and a status change (days from today).
type Grant<'a> = (i64, &'a str, &'a [&'a str], Vec<i64>, NaiveDate, NaiveDate, Option<(StatusChangeKind, i64)>);

struct DemoDealer {
    code: &'static str,
    name: &'static str,
    country: &'static str,
    city: &'static str,
    zone: &'static str,
    currency: &'static str,
    rate: i64,
    login: &'static str,
    person: &'static str,
}

const DEALERS: [DemoDealer; 8] = [
    DemoDealer {
        code: "NO001",
        name: "Fjord Elbil Service",
        country: "NO",
        city: "Oslo",
        zone: "Europe/Oslo",
        currency: "NOK",
        rate: 125_000,
        login: "dealer.oslo",
        person: "Ola Nordmann",
    },
    DemoDealer {
        code: "SE001",
        name: "Göta Elbilsverkstad",
        country: "SE",
        city: "Göteborg",
        zone: "Europe/Stockholm",
        currency: "SEK",
        rate: 115_000,
        login: "dealer.goteborg",
        person: "Elsa Lindqvist",
    },
    DemoDealer {
        code: "HU001",
        name: "Duna E-Motor Szerviz",
        country: "HU",
        city: "Budapest",
        zone: "Europe/Budapest",
        currency: "HUF",
        rate: 2_450_000,
        login: "dealer.budapest",
        person: "Kovács Anna",
    },
    DemoDealer {
        code: "DE001",
        name: "Spree E-Mobil Werkstatt",
        country: "DE",
        city: "Berlin",
        zone: "Europe/Berlin",
        currency: "EUR",
        rate: 11_500,
        login: "dealer.berlin",
        person: "Jonas Becker",
    },
    DemoDealer {
        code: "TH001",
        name: "Siam EV Care",
        country: "TH",
        city: "Bangkok",
        zone: "Asia/Bangkok",
        currency: "THB",
        rate: 180_000,
        login: "dealer.bangkok",
        person: "Somchai Prasert",
    },
    DemoDealer {
        code: "BR001",
        name: "Paulista Elétricos",
        country: "BR",
        city: "São Paulo",
        zone: "America/Sao_Paulo",
        currency: "BRL",
        rate: 32_000,
        login: "dealer.saopaulo",
        person: "Ana Souza",
    },
    DemoDealer {
        code: "MX001",
        name: "Monterrey Autos Eléctricos",
        country: "MX",
        city: "Monterrey",
        zone: "America/Monterrey",
        currency: "MXN",
        rate: 95_000,
        login: "dealer.monterrey",
        person: "Luis Hernández",
    },
    DemoDealer {
        code: "EG001",
        name: "Nile EV Service",
        country: "EG",
        city: "Cairo",
        zone: "Africa/Cairo",
        currency: "EGP",
        rate: 150_000,
        login: "dealer.cairo",
        person: "Omar Hassan",
    },
];

/// Writes the demo network, people, authorizations and policies.
///
/// # Errors
/// `Conflict` when demo data is already there.
pub async fn seed_demo(db: &DatabaseConnection, data_dir: &std::path::Path) -> Result<(), AppError> {
    let admin = person(db, "admin@demo.example", "Ada Admin", "admin", None, None, "UTC").await?;
    let actor = Actor::command_line_admin(admin);

    let oem = |code: &str, name: &str, country: &str, reporting: &str| OemInput {
        code: Some(code.into()),
        name: Some(name.into()),
        country: Some(country.into()),
        reporting_currency: Some(reporting.into()),
    };
    // Sinovolt reports in euros, Pearl River in yuan (DESIGN §9).
    let sinovolt = oems::create(db, &actor, oem("SVM", "Sinovolt Motors", "CN", "EUR")).await?.id;
    let pearl = oems::create(db, &actor, oem("PRE", "Pearl River EV", "CN", "CNY")).await?.id;
    super::seed_field::seed_rates(db, admin).await?;
    let mut models = Vec::new();
    for (oem_id, code, name, powertrain) in [
        (sinovolt, "SV3", "Sinovolt S3", "BEV"),
        (sinovolt, "SV5", "Sinovolt S5 Touring", "BEV"),
        (sinovolt, "SVX", "Sinovolt X7", "PHEV"),
        (sinovolt, "SVR", "Sinovolt Range", "EREV"),
        (pearl, "PR1", "Pearl One", "BEV"),
        (pearl, "PR2", "Pearl Two", "BEV"),
        (pearl, "PRV", "Pearl Voyager", "PHEV"),
    ] {
        let model = NewVehicleModel { code: code.into(), name: name.into(), powertrain: powertrain.into() };
        models.push(oems::create_model(db, &actor, oem_id, model).await?.id);
    }

    let mut dealer_ids = Vec::new();
    for d in &DEALERS {
        let input = DealerInput {
            code: Some(d.code.into()),
            name: Some(d.name.into()),
            country: Some(d.country.into()),
            city: Some(d.city.into()),
            time_zone: Some(d.zone.into()),
            currency: Some(d.currency.into()),
            labor_rate: Some(Money { amount_minor: d.rate, currency: d.currency.into() }),
            active: Some(true),
        };
        let id = dealers::create(db, &actor, input).await?.id;
        person(db, &format!("{}@demo.example", d.login), d.person, "dealer", Some(id), None, d.zone).await?;
        dealer_ids.push(id);
    }
    person(db, "manager@demo.example", "Greta Lind", "service_manager", None, Some(sinovolt), "Asia/Shanghai").await?;
    person(db, "manager.pearl@demo.example", "Li Wei", "service_manager", None, Some(pearl), "Asia/Shanghai").await?;

    let today = Utc::now().date_naive();
    let days = |n: i64| today + Duration::days(n);
    let all = ["warranty_repair", "hv_battery", "body_paint", "recall_campaign", "maintenance"];
    let dealer = |code: &str| {
        DEALERS.iter().position(|d| d.code == code).and_then(|i| dealer_ids.get(i).copied()).unwrap_or_default()
    };
    let grants: [Grant; 9] = [
        (sinovolt, "NO001", &all, vec![], days(-400), days(700), None),
        (pearl, "NO001", &["warranty_repair", "hv_battery"], vec![], days(-100), days(900), None),
        (sinovolt, "TH001", &["warranty_repair", "hv_battery"], vec![], days(-300), days(20), None),
        (sinovolt, "SE001", &["warranty_repair", "maintenance"], models[..2].to_vec(), days(-60), days(300), None),
        (
            sinovolt,
            "HU001",
            &["warranty_repair", "body_paint"],
            vec![],
            days(-200),
            days(500),
            Some((StatusChangeKind::Suspended, -10)),
        ),
        (pearl, "BR001", &["warranty_repair"], vec![], days(-365), days(365), Some((StatusChangeKind::Revoked, -30))),
        (pearl, "DE001", &["warranty_repair", "hv_battery"], vec![], days(-730), days(-5), None),
        (pearl, "DE001", &["maintenance"], vec![], days(-30), days(50), None),
        (sinovolt, "MX001", &["warranty_repair", "recall_campaign"], vec![], days(-20), days(80), None),
    ];
    for (oem_id, code, types, model_ids, from, to, change) in grants {
        let input = NewAuthorization {
            oem_id,
            dealer_id: dealer(code),
            service_types: types.iter().map(|t| t.to_string()).collect(),
            model_ids,
            valid_from: from,
            valid_to: to,
        };
        let id = authorizations::create(db, &actor, input).await?.id;
        if let Some((kind, offset)) = change {
            let reason = match kind {
                StatusChangeKind::Suspended => "HV workshop audit pending",
                _ => "Service contract ended",
            };
            let request = StatusChangeRequest { effective_date: days(offset), reason: reason.into() };
            authorizations::change_status(db, &actor, id, kind, request).await?;
        }
    }

    for (oem_id, category, months, km) in [
        (sinovolt, "vehicle_basic", 36, 100_000),
        (sinovolt, "hv_battery", 96, 160_000),
        (sinovolt, "drive_unit", 60, 120_000),
        (pearl, "vehicle_basic", 48, 120_000),
        (pearl, "hv_battery", 96, 160_000),
        (pearl, "body_paint", 36, 60_000),
    ] {
        let input = NewPolicy { oem_id, model_id: None, component_category: category.into(), months, km };
        policies::create(db, &actor, input).await?;
    }
    super::seed_stock::seed_stock(db, &actor).await?;
    super::seed_repairs::seed_repairs(db).await?;
    super::seed_claims::seed_claims(db, data_dir).await?;
    super::seed_field::seed_inverter_story(db, admin).await
}

async fn person(
    db: &DatabaseConnection,
    email: &str,
    name: &str,
    role: &str,
    dealer_id: Option<i64>,
    oem_id: Option<i64>,
    zone: &str,
) -> Result<i64, AppError> {
    let input = NewUser {
        email: email.into(),
        display_name: name.into(),
        role: role.into(),
        password: DEMO_PASSWORD.into(),
        dealer_id,
        oem_id,
        locale: Some("en".into()),
        time_zone: Some(zone.into()),
        active: Some(true),
    };
    Ok(users::create_unchecked(db, None, input).await?.id)
}
/// A large data set for `scripts/bench`: `users` dealer users spread over the
/// demo dealers, written through the ledger in batches (one transaction and
/// one ledger entry per user, as the service writes them). All share one
/// password hash, so seeding is not argon2-bound.
///
/// # Errors
/// When the demo network is missing or the database fails.
pub async fn seed_bench(db: &DatabaseConnection, users: u64) -> Result<(), AppError> {
    use chrono::Utc;
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    use serde_json::json;

    use super::entities::{dealer, user};
    use super::ledger::{Change, LedgerTx};

    let dealers = dealer::Entity::find().all(db).await?;
    if dealers.is_empty() {
        return Err(AppError::conflict("Run seed-demo first: the bench spreads users over the demo dealers."));
    }
    let hash = super::auth::hash_password(DEMO_PASSWORD.to_string()).await?;
    const BATCH: u64 = 500;
    let mut written = 0;
    while written < users {
        let mut tx = LedgerTx::begin(db, None).await?;
        for i in written..(written + BATCH).min(users) {
            let home = &dealers[(i as usize) % dealers.len()];
            let now = Utc::now();
            let row = user::ActiveModel {
                email: Set(format!("bench.user{i}@bench.example")),
                display_name: Set(format!("Bench User {i}")),
                password_hash: Set(hash.clone()),
                role: Set("dealer".into()),
                dealer_id: Set(Some(home.id)),
                oem_id: Set(None),
                locale: Set("en".into()),
                time_zone: Set(home.time_zone.clone()),
                active: Set(true),
                locked_until: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&*tx)
            .await?;
            tx.record(
                Change::new(
                    "user",
                    row.id,
                    "user.created",
                    json!({"email": row.email, "role": "dealer", "dealer_id": home.id}),
                )
                .scoped(Some(home.id), None),
            );
        }
        tx.commit().await?;
        written = (written + BATCH).min(users);
    }
    Ok(())
}
