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
        DealerSeed { code: "NO001", name: "Fjord Elbil Service", country: "NO", city: "Oslo", time_zone: "Europe/Oslo", currency: "NOK", labor_rate_minor: 125_000 },
        DealerSeed { code: "HU001", name: "Duna E-Motor Szerviz", country: "HU", city: "Budapest", time_zone: "Europe/Budapest", currency: "HUF", labor_rate_minor: 2_450_000 },
        DealerSeed { code: "TH001", name: "Siam EV Care", country: "TH", city: "Bangkok", time_zone: "Asia/Bangkok", currency: "THB", labor_rate_minor: 180_000 },
        DealerSeed { code: "BR001", name: "Paulista Eletricos", country: "BR", city: "São Paulo", time_zone: "America/Sao_Paulo", currency: "BRL", labor_rate_minor: 32_000 },
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
