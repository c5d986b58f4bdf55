//! Demo data for a first look: two OEMs, four dealers on three continents,
//! and one login per role. Only the CLI's `seed-demo` calls this.

use sea_orm::DatabaseConnection;

use super::network::{self, DealerSeed};
use super::users;
use crate::model::AppError;
use crate::model::user::NewUser;

pub const DEMO_PASSWORD: &str = "ledger-demo-2026";

/// The demo logins, as `(role, email)`.
pub const DEMO_LOGINS: [(&str, &str); 4] = [
    ("admin", "admin@demo.example"),
    ("dealer (Oslo)", "dealer.oslo@demo.example"),
    ("dealer (Bangkok)", "dealer.bangkok@demo.example"),
    ("service manager (Nordvolt)", "manager@demo.example"),
];

/// Writes the demo network and users.
///
/// # Errors
/// `Conflict` when demo data is already there.
pub async fn seed_demo(db: &DatabaseConnection) -> Result<(), AppError> {
    let nordvolt = network::insert_oem(db, "NVX", "Nordvolt Motors", "SE").await?;
    network::insert_oem(db, "SLR", "Solaris Auto", "CN").await?;
    let dealers = [
        DealerSeed {
            code: "NO001",
            name: "Fjord Elbil Service",
            country: "NO",
            city: "Oslo",
            time_zone: "Europe/Oslo",
            currency: "NOK",
            labor_rate_minor: 125_000,
        },
        DealerSeed {
            code: "HU001",
            name: "Duna E-Motor Szerviz",
            country: "HU",
            city: "Budapest",
            time_zone: "Europe/Budapest",
            currency: "HUF",
            labor_rate_minor: 2_450_000,
        },
        DealerSeed {
            code: "TH001",
            name: "Siam EV Care",
            country: "TH",
            city: "Bangkok",
            time_zone: "Asia/Bangkok",
            currency: "THB",
            labor_rate_minor: 180_000,
        },
        DealerSeed {
            code: "BR001",
            name: "Paulista Eletricos",
            country: "BR",
            city: "São Paulo",
            time_zone: "America/Sao_Paulo",
            currency: "BRL",
            labor_rate_minor: 32_000,
        },
    ];
    let mut dealer_ids = Vec::new();
    for seed in dealers {
        dealer_ids.push(network::insert_dealer(db, seed).await?.id);
    }
    let people = [
        ("admin@demo.example", "Ada Admin", "admin", None, None, "UTC"),
        ("dealer.oslo@demo.example", "Ola Nordmann", "dealer", dealer_ids.first().copied(), None, "Europe/Oslo"),
        ("dealer.bangkok@demo.example", "Somchai Prasert", "dealer", dealer_ids.get(2).copied(), None, "Asia/Bangkok"),
        ("manager@demo.example", "Greta Lind", "service_manager", None, Some(nordvolt.id), "Europe/Stockholm"),
    ];
    for (email, name, role, dealer_id, oem_id, zone) in people {
        users::create_unchecked(
            db,
            None,
            NewUser {
                email: email.into(),
                display_name: name.into(),
                role: role.into(),
                password: DEMO_PASSWORD.into(),
                dealer_id,
                oem_id,
                locale: Some("en".into()),
                time_zone: Some(zone.into()),
                active: Some(true),
            },
        )
        .await?;
    }
    Ok(())
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
            )
            .await?;
        }
        tx.commit().await?;
        written = (written + BATCH).min(users);
    }
    Ok(())
}
