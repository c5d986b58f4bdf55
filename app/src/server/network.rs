//! Pickers: the dealers and OEMs an admin chooses from in forms.

use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};

use super::auth::Actor;
use super::entities::{dealer, oem};
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
