//! People: admins manage users; everyone manages their own profile and password.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::{Map, Value, json};

use super::auth::{self, Actor};
use super::entities::{dealer, login_failure, oem, user};
use super::error::on_unique;
use super::ledger::{Change, LedgerTx};
use super::pagination;
use crate::model::user::{NewUser, Page, UserDto, UserFilter, UserPatch};
use crate::model::{AppError, FieldErrors, Role, validate};

/// The users an admin searches.
///
/// # Errors
/// `Forbidden` for non-admins; `Validation` for bad filters.
pub async fn list(db: &DatabaseConnection, actor: &Actor, filter: &UserFilter) -> Result<Page<UserDto>, AppError> {
    actor.require(Role::Admin)?;
    let limit = pagination::limit(filter.limit)?;
    let mut query = user::Entity::find();
    if let Some(q) = validate::search(filter.q.as_deref()).map_err(|m| AppError::field("q", m))? {
        let pattern = format!("%{}%", q.to_lowercase().replace(['\\', '%', '_'], ""));
        query = query.filter(
            Condition::any()
                .add(user::Column::Email.like(pattern.as_str()))
                .add(Expr::expr(Func::lower(Expr::col(user::Column::DisplayName))).like(pattern.as_str())),
        );
    }
    if let Some(role) = filter.role.as_deref().filter(|r| !r.is_empty()) {
        let role: Role = role.parse().map_err(|m: String| AppError::field("role", m))?;
        query = query.filter(user::Column::Role.eq(role.as_str()));
    }
    if let Some(dealer_id) = filter.dealer_id {
        query = query.filter(user::Column::DealerId.eq(dealer_id));
    }
    if let Some(oem_id) = filter.oem_id {
        query = query.filter(user::Column::OemId.eq(oem_id));
    }
    if let Some(active) = filter.active {
        query = query.filter(user::Column::Active.eq(active));
    }
    if let Some(cursor) = &filter.cursor {
        query = query.filter(user::Column::Id.gt(pagination::decode_cursor(cursor)?));
    }
    let rows = query.order_by_asc(user::Column::Id).limit(limit + 1).all(db).await?;
    let names = OrgNames::load(db, &rows).await?;
    Ok(pagination::page(rows, limit, |u| u.id, |u| names.dto(u)))
}

/// One user: admins see anyone, others only themselves (else `NotFound`).
///
/// # Errors
/// `NotFound` outside the actor's scope.
pub async fn find(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<UserDto, AppError> {
    if actor.role != Role::Admin && actor.user_id != id {
        return Err(AppError::NotFound);
    }
    let row = user::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    view(db, row).await
}

/// An admin creates a person.
///
/// # Errors
/// `Forbidden` for non-admins, `Validation` per field, `Conflict` when the
/// email is taken.
#[tracing::instrument(skip(db, input), fields(email = %input.email))]
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: NewUser) -> Result<UserDto, AppError> {
    actor.require(Role::Admin)?;
    create_unchecked(db, Some(actor.user_id), input).await
}

/// Creates a user without an acting user: the CLI's `create-admin` and the
/// demo seed. Validates exactly like [`create`].
///
/// # Errors
/// `Validation` per field, `Conflict` when the email is taken.
pub async fn create_unchecked(
    db: &DatabaseConnection,
    actor_id: Option<i64>,
    input: NewUser,
) -> Result<UserDto, AppError> {
    let mut errors = FieldErrors::new();
    let email = errors.check("email", validate::email(&input.email));
    let display_name = errors.check("display_name", validate::display_name(&input.display_name));
    let role = errors.check("role", input.role.parse::<Role>());
    if let Err(message) = validate::new_password(&input.password, email.as_deref().unwrap_or_default()) {
        errors.add("password", message);
    }
    let locale = match input.locale.as_deref() {
        Some(raw) => errors.check("locale", validate::locale(raw)),
        None => Some("en".to_string()),
    };
    let explicit_zone = match input.time_zone.as_deref() {
        Some(raw) => errors.check("time_zone", validate::time_zone(raw)),
        None => None,
    };
    let mut home_zone = None;
    match role {
        Some(Role::Dealer) => {
            if input.oem_id.is_some() {
                errors.add("oem_id", "must be empty for a dealer user");
            }
            match input.dealer_id {
                None => errors.add("dealer_id", "is required for a dealer user"),
                Some(id) => match dealer::Entity::find_by_id(id).one(db).await? {
                    Some(dealer) => home_zone = Some(dealer.time_zone),
                    None => errors.add("dealer_id", "is not a known dealer"),
                },
            }
        }
        Some(Role::ServiceManager) => {
            if input.dealer_id.is_some() {
                errors.add("dealer_id", "must be empty for a service manager");
            }
            match input.oem_id {
                None => errors.add("oem_id", "is required for a service manager"),
                Some(id) => {
                    if oem::Entity::find_by_id(id).one(db).await?.is_none() {
                        errors.add("oem_id", "is not a known OEM");
                    }
                }
            }
        }
        Some(Role::Admin) => {
            if input.dealer_id.is_some() {
                errors.add("dealer_id", "must be empty for an admin");
            }
            if input.oem_id.is_some() {
                errors.add("oem_id", "must be empty for an admin");
            }
        }
        None => {}
    }
    errors.finish()?;
    let (Some(email), Some(display_name), Some(role), Some(locale)) = (email, display_name, role, locale) else {
        return Err(anyhow::anyhow!("validated fields went missing").into());
    };
    let time_zone = explicit_zone.or(home_zone).unwrap_or_else(|| "UTC".to_string());

    let password_hash = auth::hash_password(input.password).await?;
    let now = Utc::now();
    let mut tx = LedgerTx::begin(db, actor_id).await?;
    let row = user::ActiveModel {
        email: Set(email),
        display_name: Set(display_name),
        password_hash: Set(password_hash),
        role: Set(role.as_str().to_string()),
        dealer_id: Set(input.dealer_id),
        oem_id: Set(input.oem_id),
        locale: Set(locale),
        time_zone: Set(time_zone),
        active: Set(input.active.unwrap_or(true)),
        locked_until: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await
    .map_err(|e| on_unique(e, "A user with this email already exists."))?;
    tx.record(
        Change::new(
            "user",
            row.id,
            "user.created",
            json!({
                "email": row.email, "display_name": row.display_name, "role": row.role,
                "dealer_id": row.dealer_id, "oem_id": row.oem_id, "active": row.active,
            }),
        )
        .scoped(row.dealer_id, row.oem_id),
    );
    tx.commit().await?;
    view(db, row).await
}

/// Changes a user. Admins may change anyone (and activate or deactivate);
/// everyone may change their own name, language and time zone.
///
/// # Errors
/// `NotFound` outside scope, `Forbidden` for a non-admin changing `active`,
/// `Validation` per field, `Conflict` for an admin deactivating themselves.
pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, patch: UserPatch) -> Result<UserDto, AppError> {
    if actor.role != Role::Admin && actor.user_id != id {
        return Err(AppError::NotFound);
    }
    if patch.active.is_some() && actor.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    if patch.active == Some(false) && actor.user_id == id {
        return Err(AppError::conflict("You cannot deactivate your own account."));
    }
    let mut errors = FieldErrors::new();
    let display_name =
        patch.display_name.as_deref().and_then(|v| errors.check("display_name", validate::display_name(v)));
    let locale = patch.locale.as_deref().and_then(|v| errors.check("locale", validate::locale(v)));
    let time_zone = patch.time_zone.as_deref().and_then(|v| errors.check("time_zone", validate::time_zone(v)));
    errors.finish()?;

    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let row = user::Entity::find_by_id(id).one(&*tx).await?.ok_or(AppError::NotFound)?;
    let mut changed = Map::new();
    let mut active: user::ActiveModel = row.clone().into();
    if let Some(v) = display_name.filter(|v| *v != row.display_name) {
        changed.insert("display_name".into(), json!(v));
        active.display_name = Set(v);
    }
    if let Some(v) = locale.filter(|v| *v != row.locale) {
        changed.insert("locale".into(), json!(v));
        active.locale = Set(v);
    }
    if let Some(v) = time_zone.filter(|v| *v != row.time_zone) {
        changed.insert("time_zone".into(), json!(v));
        active.time_zone = Set(v);
    }
    let activation = patch.active.filter(|v| *v != row.active);
    if let Some(v) = activation {
        changed.insert("active".into(), json!(v));
        active.active = Set(v);
    }
    if changed.is_empty() {
        drop(tx);
        return view(db, row).await;
    }
    active.updated_at = Set(Utc::now());
    let updated = active.update(&*tx).await?;
    if activation == Some(false) {
        auth::end_all_sessions(&tx, id, None).await?;
    }
    let action = match activation {
        Some(true) => "user.activated",
        Some(false) => "user.deactivated",
        None => "user.updated",
    };
    tx.record(Change::new("user", id, action, Value::Object(changed)).scoped(updated.dealer_id, updated.oem_id));
    tx.commit().await?;
    view(db, updated).await
}

/// An admin sets a new password for someone: their sessions and tokens end
/// and any sign-in lock is lifted.
///
/// # Errors
/// `Forbidden` for non-admins, `NotFound`, `Validation` on `password`.
pub async fn reset_password(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    password: String,
) -> Result<UserDto, AppError> {
    actor.require(Role::Admin)?;
    let row = user::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    auth::check_new_password("password", &password, &row.email)?;
    let updated = store_password(db, actor, row, password, NewPasswordBy::ResetByAdmin).await?;
    view(db, updated).await
}

/// A person changes their own password; their other sessions end.
///
/// # Errors
/// `Validation` on `current_password` when it is wrong, on `new_password`
/// when it breaks the policy.
pub async fn change_password(
    db: &DatabaseConnection,
    actor: &Actor,
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    let row = user::Entity::find_by_id(actor.user_id).one(db).await?.ok_or(AppError::Unauthenticated)?;
    if !auth::verify_password(Some(row.password_hash.clone()), current_password).await? {
        return Err(AppError::field("current_password", "is not your current password"));
    }
    auth::check_new_password("new_password", &new_password, &row.email)?;
    store_password(db, actor, row, new_password, NewPasswordBy::ByOwner).await?;
    Ok(())
}

enum NewPasswordBy {
    /// Every session ends and a sign-in lock is lifted.
    ResetByAdmin,
    /// The owner's other sessions end; the one they use stays.
    ByOwner,
}

/// Hashes and stores a new password, ends sessions, and records it — one
/// transaction.
async fn store_password(
    db: &DatabaseConnection,
    actor: &Actor,
    row: user::Model,
    password: String,
    change: NewPasswordBy,
) -> Result<user::Model, AppError> {
    let hash = auth::hash_password(password).await?;
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let mut active: user::ActiveModel = row.clone().into();
    active.password_hash = Set(hash);
    active.updated_at = Set(Utc::now());
    let (keep, action) = match change {
        NewPasswordBy::ResetByAdmin => {
            active.locked_until = Set(None);
            login_failure::Entity::delete_many()
                .filter(login_failure::Column::Email.eq(row.email.as_str()))
                .exec(&*tx)
                .await?;
            (None, "user.password_reset")
        }
        NewPasswordBy::ByOwner => (Some(actor.credential), "user.password_changed"),
    };
    let updated = active.update(&*tx).await?;
    auth::end_all_sessions(&tx, row.id, keep).await?;
    tx.record(Change::new("user", row.id, action, json!({})).scoped(row.dealer_id, row.oem_id));
    tx.commit().await?;
    Ok(updated)
}

/// How many users exist (the CLI's `seed-demo --if-empty`).
///
/// # Errors
/// When the database is unavailable.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, AppError> {
    Ok(user::Entity::find().count(db).await?)
}

/// What the UI and the API see of a user row.
///
/// # Errors
/// When the database is unavailable.
pub async fn view(db: &DatabaseConnection, row: user::Model) -> Result<UserDto, AppError> {
    let names = OrgNames::load(db, std::slice::from_ref(&row)).await?;
    Ok(names.dto(row))
}

/// Dealer and OEM names for a set of users, loaded with one `IN` query each.
struct OrgNames {
    dealers: HashMap<i64, String>,
    oems: HashMap<i64, String>,
}

impl OrgNames {
    async fn load(db: &DatabaseConnection, users: &[user::Model]) -> Result<Self, AppError> {
        let dealer_ids: Vec<i64> = users.iter().filter_map(|u| u.dealer_id).collect();
        let oem_ids: Vec<i64> = users.iter().filter_map(|u| u.oem_id).collect();
        let dealers = if dealer_ids.is_empty() {
            HashMap::new()
        } else {
            dealer::Entity::find()
                .filter(dealer::Column::Id.is_in(dealer_ids))
                .all(db)
                .await?
                .into_iter()
                .map(|d| (d.id, d.name))
                .collect()
        };
        let oems = if oem_ids.is_empty() {
            HashMap::new()
        } else {
            oem::Entity::find()
                .filter(oem::Column::Id.is_in(oem_ids))
                .all(db)
                .await?
                .into_iter()
                .map(|o| (o.id, o.name))
                .collect()
        };
        Ok(Self { dealers, oems })
    }

    fn dto(&self, u: user::Model) -> UserDto {
        UserDto {
            id: u.id,
            dealer_name: u.dealer_id.and_then(|id| self.dealers.get(&id).cloned()),
            oem_name: u.oem_id.and_then(|id| self.oems.get(&id).cloned()),
            email: u.email,
            display_name: u.display_name,
            role: u.role.parse().unwrap_or(Role::Dealer),
            dealer_id: u.dealer_id,
            oem_id: u.oem_id,
            locale: u.locale,
            time_zone: u.time_zone,
            active: u.active,
            locked_until: u.locked_until,
            created_at: u.created_at,
        }
    }
}
