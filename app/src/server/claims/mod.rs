//! Warranty claims. Dealers create them from completed repairs, edit them
//! while draft and submit them (the six checks run and are stored);
//! service managers of the vehicle's OEM take, review line by line, ask for
//! information and mark them paid. Every transition goes through
//! `model::claim::transition` and is one transaction with its ledger entry.

use chrono::{Datelike, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, ModelTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use super::auth::Actor;
use super::entities::{
    claim, claim_comment, claim_line, dealer, part, repair_labor, repair_order, repair_part, user, vehicle,
};
use super::ledger::{Change, LedgerTx};
use crate::model::claim::{
    self as rules, ClaimAction, ClaimDto, ClaimPatch, ClaimStatus, CommentInput, Decision, LineKind, NewClaim,
    NewClaimLine,
};
use crate::model::repair::{PartDirection, RepairStatus};
use crate::model::{AppError, FieldErrors, Role};

mod attachments;
mod checks;
mod drafts;
mod export;
mod read;
mod returns;
mod review;
mod submit;
mod summary;

pub use attachments::{add as attach, open as open_attachment};
pub use drafts::{add_line, create, remove_line, update};
pub use returns::{request as request_part_return, update as update_part_return};

pub use export::export_csv;
pub use read::{get, list, queue_ages};
pub use review::{mark_paid, request_info, review, take};
pub use submit::submit;

/// The dealer withdraws a draft, submitted or info-requested claim.
///
/// # Errors
/// `Conflict` naming the current status otherwise.
pub async fn withdraw(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<ClaimDto, AppError> {
    dealer_step(db, actor, id, ClaimAction::Withdraw, None).await
}

/// The dealer answers an information request: back to submitted, flagged
/// as answered for the reviewer.
///
/// # Errors
/// `Validation` for an empty comment; `Conflict` unless info_requested.
pub async fn respond(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    input: CommentInput,
) -> Result<ClaimDto, AppError> {
    dealer_step(db, actor, id, ClaimAction::Respond, Some(input)).await
}

/// The dealer appeals a rejection, once.
///
/// # Errors
/// `Validation` for an empty comment; `Conflict` unless rejected and not
/// appealed before.
pub async fn appeal(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    input: CommentInput,
) -> Result<ClaimDto, AppError> {
    dealer_step(db, actor, id, ClaimAction::Appeal, Some(input)).await
}

async fn dealer_step(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    action: ClaimAction,
    input: Option<CommentInput>,
) -> Result<ClaimDto, AppError> {
    let comment = match &input {
        Some(input) => Some(comment_text(&input.comment)?),
        None => None,
    };
    let attachment_ids = input.as_ref().and_then(|i| i.attachment_ids.clone()).unwrap_or_default();
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let claim = own_claim(&*tx, actor, id).await?;
    if !attachment_ids.is_empty() {
        let known = super::entities::attachment::Entity::find()
            .filter(super::entities::attachment::Column::ClaimId.eq(claim.id))
            .filter(super::entities::attachment::Column::Id.is_in(attachment_ids.clone()))
            .count(&*tx)
            .await?;
        if known != attachment_ids.len() as u64 {
            return Err(AppError::field("attachment_ids", "must be files uploaded to this claim"));
        }
    }
    let to = step(&claim, action)?;
    let mut active: claim::ActiveModel = claim.clone().into();
    active.status = Set(to.as_str().to_string());
    match action {
        ClaimAction::Respond => active.info_answered = Set(true),
        ClaimAction::Appeal => {
            active.appealed = Set(true);
            active.submitted_at = Set(Some(Utc::now()));
        }
        _ => {}
    }
    bump(&mut active, &claim, actor);
    active.update(&*tx).await?;
    let comment_id = match &comment {
        Some(body) => Some(add_comment_row(&*tx, claim.id, actor.user_id, body).await?.id),
        None => None,
    };
    let verb = match action {
        ClaimAction::Respond => "claim.info_answered",
        ClaimAction::Appeal => "claim.appealed",
        _ => "claim.withdrawn",
    };
    let data =
        json!({"from": claim.status, "to": to.as_str(), "comment_id": comment_id, "attachment_ids": attachment_ids});
    tx.record(changed_entry(&claim, verb, data));
    tx.commit().await?;
    get(db, actor, id).await
}

/// A comment on the claim's thread, by its dealer or the OEM's service
/// manager.
///
/// # Errors
/// `NotFound` outside scope; `Forbidden` for admins; `Validation` for an
/// empty or too long comment.
pub async fn comment(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    input: CommentInput,
) -> Result<ClaimDto, AppError> {
    if actor.role == Role::Admin {
        return Err(AppError::Forbidden);
    }
    let body = comment_text(&input.comment)?;
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let claim = read::in_scope(&*tx, actor, id).await?;
    let row = add_comment_row(&*tx, claim.id, actor.user_id, &body).await?;
    tx.record(changed_entry(&claim, "claim.commented", json!({"comment_id": row.id, "body": body})));
    tx.commit().await?;
    get(db, actor, id).await
}

fn comment_text(raw: &str) -> Result<String, AppError> {
    crate::model::repair::text(raw, rules::MAX_COMMENT).map_err(|m| AppError::field("comment", m))
}

async fn add_comment_row(
    db: &impl ConnectionTrait,
    claim_id: i64,
    author_id: i64,
    body: &str,
) -> Result<claim_comment::Model, AppError> {
    Ok(claim_comment::ActiveModel {
        claim_id: Set(claim_id),
        author_id: Set(author_id),
        body: Set(body.to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The next status by the one transition function, or a 409 naming the
/// claim and its current status.
fn step(claim: &claim::Model, action: ClaimAction) -> Result<ClaimStatus, AppError> {
    let from = ClaimStatus::parse(&claim.status).map_err(|_| anyhow::anyhow!("claim {} has a bad status", claim.id))?;
    rules::transition(from, action, claim.appealed)
        .map_err(|reason| AppError::conflict(format!("{} {reason}.", claim.number)))
}

/// Every change moves the version on and names who made it.
fn bump(active: &mut claim::ActiveModel, claim: &claim::Model, actor: &Actor) {
    active.version = Set(claim.version + 1);
    active.updated_by = Set(actor.user_id);
    active.updated_at = Set(Utc::now());
}

/// An entry about the claim, read by its dealer and, once the claim has
/// been submitted, by its OEM (see [`oem_reads`]).
fn changed_entry(claim: &claim::Model, action: &'static str, data: serde_json::Value) -> Change {
    let mut data = data;
    if let Some(map) = data.as_object_mut() {
        map.insert("number".into(), json!(claim.number));
        map.insert("version".into(), json!(claim.version + 1));
    }
    Change::new("claim", claim.id, action, data).scoped(Some(claim.dealer_id), oem_reads(claim))
}

/// The OEM whose service managers may read a ledger entry about this
/// claim: none while it has never been submitted — a draft, a refused
/// submission, a draft withdrawn, its comments and files are the dealer's
/// alone (DESIGN.md §13) and stay so once it is submitted — its OEM from the
/// first submission on. `submitted_at` is set by that submission and never
/// cleared (an appeal moves it on).
fn oem_reads(claim: &claim::Model) -> Option<i64> {
    claim.submitted_at.is_some().then_some(claim.oem_id)
}

/// Only dealers write their claims.
async fn acting_dealer(db: &impl ConnectionTrait, actor: &Actor) -> Result<dealer::Model, AppError> {
    if actor.role != Role::Dealer {
        return Err(AppError::Forbidden);
    }
    let id = actor.dealer_id.ok_or(AppError::Forbidden)?;
    dealer::Entity::find_by_id(id).one(db).await?.ok_or(AppError::Forbidden)
}

/// The dealer's own claim (read inside the changing transaction).
async fn own_claim(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<claim::Model, AppError> {
    match actor.role {
        Role::Dealer => {}
        Role::Admin => return Err(AppError::Forbidden),
        // The OEM sees the claim but does not act for the dealer; others' claims stay unknown.
        Role::ServiceManager => {
            return Err(if read::in_scope(db, actor, id).await.is_ok() {
                AppError::Forbidden
            } else {
                AppError::NotFound
            });
        }
    }
    claim::Entity::find_by_id(id)
        .filter(claim::Column::DealerId.eq(actor.dealer_id.unwrap_or(-1)))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The dealer's own draft.
async fn draft_for_change(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<claim::Model, AppError> {
    let claim = own_claim(db, actor, id).await?;
    if claim.status != ClaimStatus::Draft.as_str() {
        return Err(AppError::conflict(format!(
            "{} is {}; only drafts can be edited.",
            claim.number,
            claim.status.replace('_', " ")
        )));
    }
    Ok(claim)
}

/// The display name of whoever last changed a claim.
pub(crate) async fn changed_by(db: &impl ConnectionTrait, claim: &claim::Model) -> Result<String, AppError> {
    Ok(user::Entity::find_by_id(claim.updated_by).one(db).await?.map_or_else(|| "someone".into(), |u| u.display_name))
}
