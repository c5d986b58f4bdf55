//! Dealers: admins write; a dealer reads itself, a service manager the
//! dealers its OEM has authorized.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Select, Set,
};
use serde_json::{Map, Value, json};

use super::auth::Actor;
use super::entities::{authorization, dealer};
use super::error::on_unique;
use super::ledger::{Change, LedgerTx};
use super::pagination;
use crate::model::network::{self, DealerDto, DealerFilter, DealerInput, Money};
use crate::model::user::Page;
use crate::model::{AppError, FieldErrors, Role, validate};

/// The codes of the given dealers, by id (for lists that name them; no
/// scope check: callers show dealers of records already in scope).
///
/// # Errors
/// When the database is unavailable.
pub(crate) async fn codes(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, AppError> {
    Ok(dealer::Entity::find()
        .filter(dealer::Column::Id.is_in(ids.into_iter().collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.code))
        .collect())
}

/// The dealers in the actor's scope, filtered and paged by id.
///
/// # Errors
/// `Validation` for a bad limit or cursor.
pub async fn list(db: &DatabaseConnection, actor: &Actor, filter: &DealerFilter) -> Result<Page<DealerDto>, AppError> {
    let limit = pagination::limit(filter.limit)?;
    let mut query = scoped(db, actor).await?;
    if let Some(q) = validate::search(filter.q.as_deref()).map_err(|m| AppError::field("q", m))? {
        let pattern = format!("%{}%", q.to_lowercase().replace(['\\', '%', '_'], ""));
        query = query.filter(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(dealer::Column::Code))).like(pattern.as_str()))
                .add(Expr::expr(Func::lower(Expr::col(dealer::Column::Name))).like(pattern.as_str()))
                .add(Expr::expr(Func::lower(Expr::col(dealer::Column::City))).like(pattern.as_str())),
        );
    }
    if let Some(country) = filter.country.as_deref().filter(|c| !c.is_empty()) {
        query = query.filter(dealer::Column::Country.eq(country.to_uppercase()));
    }
    if let Some(active) = filter.active {
        query = query.filter(dealer::Column::Active.eq(active));
    }
    if let Some(cursor) = &filter.cursor {
        query = query.filter(dealer::Column::Id.gt(pagination::decode_cursor(cursor)?));
    }
    let rows = query.order_by_asc(dealer::Column::Id).limit(limit + 1).all(db).await?;
    Ok(pagination::page(rows, limit, |d| d.id, dto))
}

/// Every dealer in scope, by code (pickers in forms).
///
/// # Errors
/// When the database is unavailable.
pub async fn all(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<DealerDto>, AppError> {
    let rows = scoped(db, actor).await?.order_by_asc(dealer::Column::Code).all(db).await?;
    Ok(rows.into_iter().map(dto).collect())
}

/// # Errors
/// `NotFound` outside the actor's scope.
pub async fn find(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<DealerDto, AppError> {
    let row = scoped(db, actor).await?.filter(dealer::Column::Id.eq(id)).one(db).await?.ok_or(AppError::NotFound)?;
    Ok(dto(row))
}

/// Admins see every dealer, a dealer itself, a service manager the dealers
/// its OEM has authorized.
async fn scoped(db: &DatabaseConnection, actor: &Actor) -> Result<Select<dealer::Entity>, AppError> {
    let query = dealer::Entity::find();
    Ok(match actor.role {
        Role::Admin => query,
        Role::Dealer => query.filter(dealer::Column::Id.eq(actor.dealer_id.unwrap_or(-1))),
        Role::ServiceManager => {
            let ids: Vec<i64> = authorization::Entity::find()
                .filter(authorization::Column::OemId.eq(actor.oem_id.unwrap_or(-1)))
                .all(db)
                .await?
                .into_iter()
                .map(|a| a.dealer_id)
                .collect();
            query.filter(dealer::Column::Id.is_in(ids))
        }
    })
}

/// An admin records a dealer.
///
/// # Errors
/// `Forbidden`, `Validation` per field, `Conflict` on a taken code.
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: DealerInput) -> Result<DealerDto, AppError> {
    actor.require(Role::Admin)?;
    create_unchecked(db, Some(actor.user_id), input).await
}

/// [`create`] without an acting user (the demo seed).
///
/// # Errors
/// `Validation` per field, `Conflict` on a taken code.
pub async fn create_unchecked(
    db: &DatabaseConnection,
    actor_id: Option<i64>,
    input: DealerInput,
) -> Result<DealerDto, AppError> {
    let mut errors = FieldErrors::new();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let code = errors.check("code", network::code(&text(&input.code)));
    let name = errors.check("name", network::name(&text(&input.name)));
    let country = errors.check("country", network::country(&text(&input.country)));
    let city = errors.check("city", network::name(&text(&input.city)));
    let time_zone = errors.check("time_zone", validate::time_zone(&text(&input.time_zone)));
    let currency = errors.check("currency", network::currency(&text(&input.currency)));
    let rate = match input.labor_rate {
        None => {
            errors.add("labor_rate", "is required");
            None
        }
        Some(money) => check_rate(&mut errors, money, currency.as_deref()),
    };
    errors.finish()?;
    let (Some(code), Some(name), Some(country), Some(city), Some(time_zone), Some(currency), Some(rate)) =
        (code, name, country, city, time_zone, currency, rate)
    else {
        return Err(anyhow::anyhow!("validated fields went missing").into());
    };
    let mut tx = LedgerTx::begin(db, actor_id).await?;
    let row = dealer::ActiveModel {
        code: Set(code),
        name: Set(name),
        country: Set(country),
        city: Set(city),
        time_zone: Set(time_zone),
        currency: Set(currency),
        labor_rate_minor: Set(rate),
        active: Set(input.active.unwrap_or(true)),
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
                "active": row.active,
            }),
        )
        .scoped(Some(row.id), None),
    );
    tx.commit().await?;
    Ok(dto(row))
}

/// An admin changes a dealer; the labour rate must be in the dealer's currency.
///
/// # Errors
/// `Forbidden`, `NotFound`, `Validation`, `Conflict`.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    input: DealerInput,
) -> Result<DealerDto, AppError> {
    actor.require(Role::Admin)?;
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let row = dealer::Entity::find_by_id(id).one(&*tx).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let code = input.code.as_deref().and_then(|v| errors.check("code", network::code(v)));
    let name = input.name.as_deref().and_then(|v| errors.check("name", network::name(v)));
    let country = input.country.as_deref().and_then(|v| errors.check("country", network::country(v)));
    let city = input.city.as_deref().and_then(|v| errors.check("city", network::name(v)));
    let time_zone = input.time_zone.as_deref().and_then(|v| errors.check("time_zone", validate::time_zone(v)));
    let currency = input.currency.as_deref().and_then(|v| errors.check("currency", network::currency(v)));
    let effective_currency = currency.clone().unwrap_or_else(|| row.currency.clone());
    let rate = input.labor_rate.and_then(|money| check_rate(&mut errors, money, Some(&effective_currency)));
    if currency.as_ref().is_some_and(|c| *c != row.currency) && rate.is_none() {
        errors.add("labor_rate", "must be given again in the new currency");
    }
    errors.finish()?;

    let mut changed = Map::new();
    let mut active: dealer::ActiveModel = row.clone().into();
    macro_rules! apply {
        ($value:expr, $field:ident, $name:literal) => {
            if let Some(v) = $value.filter(|v| *v != row.$field) {
                changed.insert($name.into(), json!(v));
                active.$field = Set(v);
            }
        };
    }
    apply!(code, code, "code");
    apply!(name, name, "name");
    apply!(country, country, "country");
    apply!(city, city, "city");
    apply!(time_zone, time_zone, "time_zone");
    apply!(currency, currency, "currency");
    apply!(rate, labor_rate_minor, "labor_rate_minor");
    apply!(input.active, active, "active");
    if changed.is_empty() {
        return Ok(dto(row));
    }
    let row = active.update(&*tx).await.map_err(|e| on_unique(e, "A dealer with this code already exists."))?;
    let action = match changed.get("active") {
        Some(Value::Bool(false)) => "dealer.deactivated",
        Some(Value::Bool(true)) => "dealer.activated",
        _ => "dealer.updated",
    };
    tx.record(Change::new("dealer", id, action, Value::Object(changed)).scoped(Some(id), None));
    tx.commit().await?;
    Ok(dto(row))
}

fn check_rate(errors: &mut FieldErrors, money: Money, currency: Option<&str>) -> Option<i64> {
    if currency.is_some_and(|c| c != money.currency) {
        errors.add("labor_rate", "must be in the dealer's currency");
        return None;
    }
    errors.check("labor_rate", network::labor_rate(money.amount_minor))
}

fn dto(row: dealer::Model) -> DealerDto {
    DealerDto {
        id: row.id,
        labor_rate: Money { amount_minor: row.labor_rate_minor, currency: row.currency.clone() },
        code: row.code,
        name: row.name,
        country: row.country,
        city: row.city,
        time_zone: row.time_zone,
        currency: row.currency,
        active: row.active,
    }
}
