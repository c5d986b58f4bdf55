//! Reading the ledger: the entries an actor may see, and the chain's check.

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::Value;

use super::verify_chain;
use crate::model::ledger::{LedgerEntryDto, LedgerFilter, VerifyReport};
use crate::model::user::Page;
use crate::model::{AppError, Role};
use crate::server::auth::Actor;
use crate::server::entities::ledger_entry;
use crate::server::pagination;

/// Verifies the chain on behalf of an admin.
///
/// # Errors
/// `NotFound`-free: `Forbidden` for anyone but an admin.
pub async fn verify(db: &DatabaseConnection, actor: &Actor) -> Result<VerifyReport, AppError> {
    actor.require(Role::Admin)?;
    verify_chain(db).await
}

/// The entries `actor` may read: an admin all, a dealer its dealer's, a
/// service manager its OEM's, anyone their own actions.
///
/// # Errors
/// `Validation` for a bad cursor or limit.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &LedgerFilter,
) -> Result<Page<LedgerEntryDto>, AppError> {
    let limit = pagination::limit(filter.limit)?;
    let mut query = ledger_entry::Entity::find().filter(scope(actor));
    if let Some(entity) = &filter.entity {
        query = query.filter(ledger_entry::Column::Entity.eq(entity.as_str()));
    }
    if let Some(entity_id) = filter.entity_id {
        query = query.filter(ledger_entry::Column::EntityId.eq(entity_id));
    }
    let after = match &filter.cursor {
        Some(cursor) => Some(pagination::decode_cursor(cursor)?),
        None => filter.after_seq,
    };
    if let Some(after) = after {
        query = query.filter(ledger_entry::Column::Seq.gt(after));
    }
    let rows = query.order_by_asc(ledger_entry::Column::Seq).limit(limit + 1).all(db).await?;
    Ok(pagination::page(rows, limit, |e| e.seq, to_dto))
}

/// The newest entries `actor` may read, newest first (the admin's ledger page).
///
/// # Errors
/// When the database is unavailable.
pub async fn recent(
    db: &DatabaseConnection,
    actor: &Actor,
    limit: u64,
) -> Result<(Vec<LedgerEntryDto>, u64), AppError> {
    let query = ledger_entry::Entity::find().filter(scope(actor));
    let total = query.clone().count(db).await?;
    let rows = query.order_by_desc(ledger_entry::Column::Seq).limit(limit.min(500)).all(db).await?;
    Ok((rows.into_iter().map(to_dto).collect(), total))
}

fn scope(actor: &Actor) -> Condition {
    let own = ledger_entry::Column::ActorId.eq(actor.user_id);
    match actor.role {
        Role::Admin => Condition::all(),
        Role::Dealer => Condition::any().add(own).add(ledger_entry::Column::DealerId.eq(actor.dealer_id.unwrap_or(-1))),
        Role::ServiceManager => {
            Condition::any().add(own).add(ledger_entry::Column::OemId.eq(actor.oem_id.unwrap_or(-1)))
        }
    }
}

fn to_dto(e: ledger_entry::Model) -> LedgerEntryDto {
    let data = serde_json::from_str(&e.data).unwrap_or(Value::String(e.data.clone()));
    LedgerEntryDto {
        seq: e.seq,
        at: e.at,
        actor_id: e.actor_id,
        dealer_id: e.dealer_id,
        oem_id: e.oem_id,
        entity: e.entity,
        entity_id: e.entity_id,
        action: e.action,
        data,
        prev_hash: e.prev_hash,
        hash: e.hash,
    }
}
