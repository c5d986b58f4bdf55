//! The network's organisations: OEMs and dealers. This issue needs them as
//! the homes of users; their full management arrives with the network issue.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, QueryOrder, Set};
use serde_json::json;

use super::auth::Actor;
use super::entities::{dealer, oem};
use super::error::on_unique;
use super::ledger::{Change, LedgerTx};
use crate::model::user::OrgOption;
use crate::model::{AppError, Role};

/// Dealers to pick from when creating a user.
///
/// # Errors
/// `Forbidden` for non-admins.
pub async fn dealer_options(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<OrgOption>, AppError> {
    actor.require(Role::Admin)?;
    let rows = dealer::Entity::find().order_by_asc(dealer::Column::Code).all(db).await?;
    Ok(rows.into_iter().map(|d| OrgOption { id: d.id, code: d.code, name: d.name }).collect())
}

/// OEMs to pick from when creating a user.
///
/// # Errors
/// `Forbidden` for non-admins.
pub async fn oem_options(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<OrgOption>, AppError> {
    actor.require(Role::Admin)?;
    let rows = oem::Entity::find().order_by_asc(oem::Column::Code).all(db).await?;
    Ok(rows.into_iter().map(|o| OrgOption { id: o.id, code: o.code, name: o.name }).collect())
}

/// A dealer as the seed writes it.
pub struct DealerSeed<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub country: &'a str,
    pub city: &'a str,
    pub time_zone: &'a str,
    pub currency: &'a str,
    pub labor_rate_minor: i64,
}

/// Records an OEM (seed data; validated management comes with the network issue).
///
/// # Errors
/// `Conflict` when the code exists.
pub async fn insert_oem(
    db: &DatabaseConnection,
    code: &str,
    name: &str,
    country: &str,
) -> Result<oem::Model, AppError> {
    let mut tx = LedgerTx::begin(db, None).await?;
    let row = oem::ActiveModel {
        code: Set(code.into()),
        name: Set(name.into()),
        country: Set(country.into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*tx)
    .await
    .map_err(|e| on_unique(e, "An OEM with this code already exists."))?;
    tx.record(
        Change::new("oem", row.id, "oem.created", json!({"code": code, "name": name, "country": country}))
            .scoped(None, Some(row.id)),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Records a dealer (seed data; validated management comes with the network issue).
///
/// # Errors
/// `Conflict` when the code exists.
pub async fn insert_dealer(db: &DatabaseConnection, seed: DealerSeed<'_>) -> Result<dealer::Model, AppError> {
    let mut tx = LedgerTx::begin(db, None).await?;
    let row = dealer::ActiveModel {
        code: Set(seed.code.into()),
        name: Set(seed.name.into()),
        country: Set(seed.country.into()),
        city: Set(seed.city.into()),
        time_zone: Set(seed.time_zone.into()),
        currency: Set(seed.currency.into()),
        labor_rate_minor: Set(seed.labor_rate_minor),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*tx)
    .await
    .map_err(|e| on_unique(e, "A dealer with this code already exists."))?;
    tx.record(
        Change::new(
            "dealer",
            row.id,
            "dealer.created",
            json!({
                "code": row.code, "name": row.name, "country": row.country, "city": row.city,
                "time_zone": row.time_zone, "currency": row.currency, "labor_rate_minor": row.labor_rate_minor,
            }),
        )
        .scoped(Some(row.id), None),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}
