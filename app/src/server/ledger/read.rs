//! Reading the ledger: the entries an actor may see, and the chain's check.

use sea_orm::sea_query::{Expr, ExprTrait, Query};
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
use crate::server::entities::{attachment, claim, ledger_entry};
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
/// service manager its OEM's (never one about a claim that was not
/// submitted, nor about a file on one), anyone their own actions.
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
    let rows = query.order_by_desc(ledger_entry::Column::Seq).limit(Ord::min(limit, 500)).all(db).await?;
    Ok((rows.into_iter().map(to_dto).collect(), total))
}

fn scope(actor: &Actor) -> Condition {
    let own = ledger_entry::Column::ActorId.eq(actor.user_id);
    match actor.role {
        Role::Admin => Condition::all(),
        Role::Dealer => Condition::any().add(own).add(ledger_entry::Column::DealerId.eq(actor.dealer_id.unwrap_or(-1))),
        Role::ServiceManager => Condition::all()
            .add(Condition::any().add(own).add(ledger_entry::Column::OemId.eq(actor.oem_id.unwrap_or(-1))))
            .add(about_a_draft().not()),
    }
}

/// Entries about a claim that has never been submitted, or about a file on
/// one: the dealer's alone (DESIGN.md §13). They are written without the
/// OEM's id now (`claims::oem_reads`), but entries written before that
/// carry it, and the ledger is never rewritten; so a service manager's reads
/// leave them out here. Each entry costs one primary-key lookup of its
/// claim (and file), only for entries about claims and files.
fn about_a_draft() -> Condition {
    let entity = || Expr::col((ledger_entry::Entity, ledger_entry::Column::Entity));
    let entity_id = (ledger_entry::Entity, ledger_entry::Column::EntityId);
    let never_submitted = || Expr::col((claim::Entity, claim::Column::SubmittedAt)).is_null();
    let mut claim_draft = Query::select();
    claim_draft
        .column((claim::Entity, claim::Column::Id))
        .from(claim::Entity)
        .and_where(Expr::col((claim::Entity, claim::Column::Id)).equals(entity_id))
        .and_where(never_submitted());
    let mut file_on_draft = Query::select();
    file_on_draft
        .column((attachment::Entity, attachment::Column::Id))
        .from(attachment::Entity)
        .inner_join(
            claim::Entity,
            Expr::col((claim::Entity, claim::Column::Id)).equals((attachment::Entity, attachment::Column::ClaimId)),
        )
        .and_where(Expr::col((attachment::Entity, attachment::Column::Id)).equals(entity_id))
        .and_where(never_submitted());
    Condition::any()
        .add(Condition::all().add(entity().eq("claim")).add(Expr::exists(claim_draft)))
        .add(Condition::all().add(entity().eq("attachment")).add(Expr::exists(file_on_draft)))
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

#[cfg(test)]
mod tests {
    use super::super::{Change, LedgerTx};
    use super::*;
    use serde_json::json;

    const AT: &str = "'2026-01-05 10:00:00+00:00'";

    /// Claims 1 (never submitted, then withdrawn) and 2 (submitted) of
    /// dealer 3 on OEM 7's vehicles, each with a file, and entries about
    /// them all scoped to the OEM, as entries were before drafts were kept
    /// from it. Bare rows: the claims' repairs, vehicles and parts do not
    /// matter to who reads the ledger.
    async fn ledger_with_a_draft() -> DatabaseConnection {
        let db = crate::server::db::open("sqlite::memory:").await.expect("in-memory database with the real migrations");
        db.execute_unprepared("PRAGMA foreign_keys = OFF").await.expect("bare rows allowed");
        for (id, submitted_at) in [(1, "NULL"), (2, AT)] {
            db.execute_unprepared(&format!(
                "INSERT INTO claims (id, number, year, seq, dealer_id, oem_id, repair_id, vehicle_id, causal_part_id, \
                 failure_code, status, currency, requested_minor, version, appealed, info_answered, submitted_at, \
                 created_by, updated_by, created_at, updated_at) VALUES ({id}, 'CLM-{id}', 2026, {id}, 3, 7, 1, 1, 1, \
                 'HV-ISO-01', 'withdrawn', 'NOK', 100, 1, 0, 0, {submitted_at}, 1, 1, {AT}, {AT})"
            ))
            .await
            .expect("a claim");
            db.execute_unprepared(&format!(
                "INSERT INTO attachments (id, claim_id, name, content_type, size, sha256, uploaded_by, created_at) \
                 VALUES ({id}, {id}, 'label.png', 'image/png', 1, 'ab', 1, {AT})"
            ))
            .await
            .expect("a file");
        }
        let to_oem = |change: Change| change.scoped(Some(3), Some(7));
        let mut tx = LedgerTx::begin(&db, Some(1)).await.expect("begins");
        tx.record_all(vec![
            to_oem(Change::new("claim", 1, "claim.created", json!({"vin": "LSVAU2180N2183624"}))),
            to_oem(Change::new("attachment", 1, "attachment.added", json!({"claim_id": 1}))),
            to_oem(Change::new("claim", 1, "claim.withdrawn", json!({}))),
            to_oem(Change::new("claim", 2, "claim.created", json!({}))),
            to_oem(Change::new("attachment", 2, "attachment.added", json!({"claim_id": 2}))),
            to_oem(Change::new("claim", 2, "claim.submitted", json!({}))),
            // Not about the draft: another aggregate with the same id.
            to_oem(Change::new("repair", 1, "repair.completed", json!({}))),
        ]);
        tx.commit().await.expect("commits");
        db
    }

    async fn seen(db: &DatabaseConnection, actor: &Actor) -> Vec<(String, i64)> {
        let filter = LedgerFilter { limit: Some(500), ..Default::default() };
        list(db, actor, &filter).await.expect("lists").items.into_iter().map(|e| (e.entity, e.entity_id)).collect()
    }

    #[tokio::test]
    async fn a_service_manager_reads_nothing_about_a_claim_never_submitted() {
        let db = ledger_with_a_draft().await;
        let manager = Actor { role: Role::ServiceManager, oem_id: Some(7), ..Actor::command_line_admin(99) };
        let expected: Vec<(String, i64)> = [("claim", 2), ("attachment", 2), ("claim", 2), ("repair", 1)]
            .into_iter()
            .map(|(entity, id)| (entity.to_string(), id))
            .collect();
        assert_eq!(seen(&db, &manager).await, expected, "the draft, its file and its withdrawal are left out");
        let (_, total) = recent(&db, &manager, 50).await.expect("recent entries");
        assert_eq!(total, 4, "the count leaves them out too");
        let dealer = Actor { role: Role::Dealer, dealer_id: Some(3), ..Actor::command_line_admin(98) };
        assert_eq!(seen(&db, &dealer).await.len(), 7, "the dealer reads its drafts' entries");
        assert_eq!(seen(&db, &Actor::command_line_admin(97)).await.len(), 7, "the admin reads all");
    }
}
