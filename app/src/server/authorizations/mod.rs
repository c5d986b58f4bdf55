//! OEM authorizations: admins grant, suspend, reinstate and revoke them;
//! dealers see their own, service managers their OEM's.

mod view;

use view::{build_terms, one, to_dtos};

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;

use super::auth::Actor;
use super::entities::{
    authorization, authorization_model, authorization_status_change as change, dealer, oem, vehicle_model,
};
use super::ledger::{Change, LedgerTx};
use super::pagination;
use crate::model::authorization::{
    AuthorizationDto, AuthorizationFilter, AuthorizationStatus, NetworkOverview, NewAuthorization, Question,
    ServiceType, StatusChangeKind, StatusChangeRequest, Terms,
};
use crate::model::user::Page;
use crate::model::{AppError, FieldErrors, Role};

/// Authorizations the actor may see, filtered; status filters apply as of today.
///
/// # Errors
/// `Validation` for bad filters.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &AuthorizationFilter,
) -> Result<Page<AuthorizationDto>, AppError> {
    let limit = pagination::limit(filter.limit)?;
    let status = filter
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(AuthorizationStatus::parse)
        .transpose()
        .map_err(|m| AppError::field("status", m))?;
    let today = Utc::now().date_naive();
    let mut query = scoped(actor);
    if let Some(dealer_id) = filter.dealer_id {
        query = query.filter(authorization::Column::DealerId.eq(dealer_id));
    }
    if let Some(oem_id) = filter.oem_id {
        query = query.filter(authorization::Column::OemId.eq(oem_id));
    }
    if let Some(days) = filter.expiring_within_days {
        if !(0..=3650).contains(&days) {
            return Err(AppError::field("expiring_within_days", "must be between 0 and 3650"));
        }
        query = query
            .filter(authorization::Column::ValidTo.gte(today))
            .filter(authorization::Column::ValidTo.lte(today + chrono::Duration::days(days)));
    }
    let mut after = filter.cursor.as_deref().map(pagination::decode_cursor).transpose()?.unwrap_or(0);
    // Status depends on today and the status history, so it is filtered
    // here, batch by batch, keeping the pages exact.
    let mut matches = Vec::new();
    loop {
        let batch = query
            .clone()
            .filter(authorization::Column::Id.gt(after))
            .order_by_asc(authorization::Column::Id)
            .limit(500)
            .all(db)
            .await?;
        let exhausted = batch.len() < 500;
        let Some(last) = batch.last() else { break };
        after = last.id;
        let dtos = to_dtos(db, batch, today).await?;
        matches.extend(dtos.into_iter().filter(|a| status.is_none_or(|s| a.status == s)));
        if exhausted || matches.len() as u64 > limit {
            break;
        }
    }
    Ok(pagination::page(matches, limit, |a| a.id, |a| a))
}

/// One authorization in the actor's scope.
///
/// # Errors
/// `NotFound` outside scope.
pub async fn find(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<AuthorizationDto, AppError> {
    let row = scoped(actor).filter(authorization::Column::Id.eq(id)).one(db).await?.ok_or(AppError::NotFound)?;
    one(db, row).await
}

/// An admin grants an authorization.
///
/// # Errors
/// `Forbidden` for non-admins; `Validation` per field.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewAuthorization,
) -> Result<AuthorizationDto, AppError> {
    actor.require(Role::Admin)?;
    let mut errors = FieldErrors::new();
    if oem::Entity::find_by_id(input.oem_id).one(db).await?.is_none() {
        errors.add("oem_id", "is not a known OEM");
    }
    if dealer::Entity::find_by_id(input.dealer_id).one(db).await?.is_none() {
        errors.add("dealer_id", "is not a known dealer");
    }
    let mut types = Vec::new();
    for raw in &input.service_types {
        if let Some(t) = errors.check("service_types", raw.parse::<ServiceType>())
            && !types.contains(&t)
        {
            types.push(t);
        }
    }
    if input.service_types.is_empty() {
        errors.add("service_types", "must name at least one service type");
    }
    types.sort();
    let mut model_ids = input.model_ids.clone();
    model_ids.sort_unstable();
    model_ids.dedup();
    if !model_ids.is_empty() {
        let known = vehicle_model::Entity::find()
            .filter(vehicle_model::Column::Id.is_in(model_ids.clone()))
            .filter(vehicle_model::Column::OemId.eq(input.oem_id))
            .all(db)
            .await?;
        if known.len() != model_ids.len() {
            errors.add("model_ids", "must all be models of the chosen OEM");
        }
    }
    if input.valid_to < input.valid_from {
        errors.add("valid_to", "must not be before valid_from");
    }
    errors.finish()?;

    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let service_types = types.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(",");
    let row = authorization::ActiveModel {
        // Replaced below by the number derived from the id.
        number: Set(format!("PENDING-{}", uuid::Uuid::new_v4().simple())),
        oem_id: Set(input.oem_id),
        dealer_id: Set(input.dealer_id),
        service_types: Set(service_types),
        valid_from: Set(input.valid_from),
        valid_to: Set(input.valid_to),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    let mut numbered: authorization::ActiveModel = row.clone().into();
    numbered.number = Set(format!("AUTH-{}-{:06}", row.created_at.year(), row.id));
    let row = numbered.update(&*tx).await?;
    for model_id in &model_ids {
        authorization_model::ActiveModel { authorization_id: Set(row.id), model_id: Set(*model_id) }
            .insert(&*tx)
            .await?;
    }
    tx.record(
        Change::new(
            "authorization",
            row.id,
            "authorization.created",
            json!({
                "number": row.number, "oem_id": row.oem_id, "dealer_id": row.dealer_id,
                "service_types": types, "model_ids": model_ids,
                "valid_from": row.valid_from, "valid_to": row.valid_to,
            }),
        )
        .scoped(Some(row.dealer_id), Some(row.oem_id)),
    );
    tx.commit().await?;
    one(db, row).await
}

/// Suspends, reinstates or revokes an authorization from a day on.
///
/// # Errors
/// `Forbidden` for non-admins, `NotFound`, `Validation` on `reason`,
/// `Conflict` when the change makes no sense in the current state (named).
pub async fn change_status(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    kind: StatusChangeKind,
    request: StatusChangeRequest,
) -> Result<AuthorizationDto, AppError> {
    actor.require(Role::Admin)?;
    let reason = request.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::field("reason", "is required (at most 500 characters)"));
    }
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let row = authorization::Entity::find_by_id(id).one(&*tx).await?.ok_or(AppError::NotFound)?;
    let terms = terms_for(&*tx, std::slice::from_ref(&row)).await?.pop().ok_or(AppError::NotFound)?;
    let state = terms.status_on(request.effective_date);
    let refused = match (kind, state) {
        (_, AuthorizationStatus::Revoked) => Some("it is revoked"),
        (StatusChangeKind::Suspended, AuthorizationStatus::Suspended) => Some("it is already suspended on that day"),
        (StatusChangeKind::Reinstated, s) if s != AuthorizationStatus::Suspended => {
            Some("it is not suspended on that day")
        }
        _ => None,
    };
    if let Some(why) = refused {
        return Err(AppError::conflict(format!(
            "This authorization cannot be {} from {}: {why} (status {}).",
            kind.as_str(),
            request.effective_date,
            state.as_str()
        )));
    }
    change::ActiveModel {
        authorization_id: Set(id),
        kind: Set(kind.as_str().to_string()),
        effective_date: Set(request.effective_date),
        reason: Set(reason.clone()),
        actor_id: Set(actor.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    let action = match kind {
        StatusChangeKind::Suspended => "authorization.suspended",
        StatusChangeKind::Reinstated => "authorization.reinstated",
        StatusChangeKind::Revoked => "authorization.revoked",
    };
    tx.record(
        Change::new("authorization", id, action, json!({"effective_date": request.effective_date, "reason": reason}))
            .scoped(Some(row.dealer_id), Some(row.oem_id)),
    );
    tx.commit().await?;
    one(db, row).await
}

/// Is the dealer authorized for this OEM, model and service type on that
/// day? The one rule (`Terms::covers`) over all the dealer's authorizations.
///
/// # Errors
/// When the database is unavailable.
pub async fn is_authorized(db: &impl ConnectionTrait, question: &Question) -> Result<bool, AppError> {
    Ok(covering(db, question).await?.is_some())
}

/// The dealer's first authorization (by id) that covers the question: the
/// authorizations with their models and status changes in one query.
///
/// # Errors
/// When the database is unavailable.
pub(crate) async fn covering(
    db: &impl ConnectionTrait,
    question: &Question,
) -> Result<Option<authorization::Model>, AppError> {
    let rows = authorization::Entity::find()
        .filter(authorization::Column::DealerId.eq(question.dealer_id))
        .filter(authorization::Column::OemId.eq(question.oem_id))
        .find_also_related(authorization_model::Entity)
        .find_also(authorization::Entity, change::Entity)
        .order_by_asc(authorization::Column::Id)
        .all(db)
        .await?;
    // One row per model and change of each authorization, gathered back.
    let mut found: Vec<(authorization::Model, BTreeSet<i64>, BTreeMap<i64, change::Model>)> = Vec::new();
    for (row, model, change) in rows {
        if found.last().is_none_or(|(last, ..)| last.id != row.id) {
            found.push((row, BTreeSet::new(), BTreeMap::new()));
        }
        if let Some((_, models, changes)) = found.last_mut() {
            models.extend(model.map(|m| m.model_id));
            changes.extend(change.map(|c| (c.id, c)));
        }
    }
    Ok(found
        .into_iter()
        .find(|(row, models, changes)| {
            let changes: Vec<change::Model> = changes.values().cloned().collect();
            build_terms(row, models.iter().copied().collect(), &changes).covers(question)
        })
        .map(|(row, ..)| row))
}

/// Is the dealer part of the OEM's network on `day`: does it hold an
/// authorization of that OEM that is active then?
///
/// # Errors
/// When the database is unavailable.
pub async fn in_network(
    db: &impl ConnectionTrait,
    oem_id: i64,
    dealer_id: i64,
    day: NaiveDate,
) -> Result<bool, AppError> {
    let rows = authorization::Entity::find()
        .filter(authorization::Column::DealerId.eq(dealer_id))
        .filter(authorization::Column::OemId.eq(oem_id))
        .all(db)
        .await?;
    Ok(terms_for(db, &rows).await?.iter().any(|terms| terms.status_on(day) == AuthorizationStatus::Active))
}

/// Expiring and suspended authorizations and unauthorized dealers, for the
/// admin's home page.
///
/// # Errors
/// `Forbidden` for non-admins.
pub async fn overview(db: &DatabaseConnection, actor: &Actor) -> Result<NetworkOverview, AppError> {
    actor.require(Role::Admin)?;
    let today = Utc::now().date_naive();
    let all = to_dtos(db, authorization::Entity::find().all(db).await?, today).await?;
    let active: Vec<&AuthorizationDto> = all.iter().filter(|a| a.status == AuthorizationStatus::Active).collect();
    let expiring = [30, 60, 90].map(|days| {
        let limit = today + chrono::Duration::days(days);
        (days, active.iter().filter(|a| a.valid_to <= limit).count())
    });
    let suspended = all.iter().filter(|a| a.status == AuthorizationStatus::Suspended).count();
    let dealers_without_active = dealer::Entity::find()
        .filter(dealer::Column::Active.eq(true))
        .order_by_asc(dealer::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .filter(|d| !active.iter().any(|a| a.dealer_id == d.id))
        .map(|d| (d.id, d.code, d.name))
        .collect();
    Ok(NetworkOverview { expiring, suspended, dealers_without_active })
}

fn scoped(actor: &Actor) -> sea_orm::Select<authorization::Entity> {
    let query = authorization::Entity::find();
    match actor.role {
        Role::Admin => query,
        Role::Dealer => query.filter(authorization::Column::DealerId.eq(actor.dealer_id.unwrap_or(-1))),
        Role::ServiceManager => query.filter(authorization::Column::OemId.eq(actor.oem_id.unwrap_or(-1))),
    }
}

/// The terms of each row, in order, with one `IN` query per related table.
pub(crate) async fn terms_for(
    db: &impl ConnectionTrait,
    rows: &[authorization::Model],
) -> Result<Vec<Terms>, AppError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut models: HashMap<i64, Vec<i64>> = HashMap::new();
    for m in authorization_model::Entity::find()
        .filter(authorization_model::Column::AuthorizationId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        models.entry(m.authorization_id).or_default().push(m.model_id);
    }
    let mut changes = changes_of(db, ids).await?;
    Ok(rows
        .iter()
        .map(|row| {
            build_terms(row, models.remove(&row.id).unwrap_or_default(), &changes.remove(&row.id).unwrap_or_default())
        })
        .collect())
}

/// The status changes of each authorization, in the order they were made.
async fn changes_of(db: &impl ConnectionTrait, ids: Vec<i64>) -> Result<HashMap<i64, Vec<change::Model>>, AppError> {
    let mut changes: HashMap<i64, Vec<change::Model>> = HashMap::new();
    if ids.is_empty() {
        return Ok(changes);
    }
    for c in change::Entity::find()
        .filter(change::Column::AuthorizationId.is_in(ids))
        .order_by_asc(change::Column::Id)
        .all(db)
        .await?
    {
        changes.entry(c.authorization_id).or_default().push(c);
    }
    Ok(changes)
}
