//! Warranty claims. Dealers create them from completed repairs, edit them
//! while draft and submit them (the six checks run and are stored);
//! service managers of the vehicle's OEM take, review line by line, ask for
//! information and mark them paid. Every transition goes through
//! `model::claim::transition` and is one transaction with its ledger entry.

use chrono::{Datelike, Utc};
use sea_orm::sea_query::{Expr, Func, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, ModelTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use super::auth::Actor;
use super::entities::{
    claim, claim_check, claim_comment, claim_line, dealer, part, repair_labor, repair_order, repair_part, user, vehicle,
};
use super::ledger::{Change, LedgerTx};
use crate::model::claim::{
    self as rules, ClaimAction, ClaimDto, ClaimPatch, ClaimStatus, CommentInput, Decision, LineKind, NewClaim,
    NewClaimLine,
};
use crate::model::repair::{PartDirection, RepairStatus, labor_amount};
use crate::model::{AppError, FieldErrors, Role};

mod attachments;
mod checks;
mod drafts;
mod export;
mod read;
mod returns;
mod review;

pub use attachments::{add as attach, open as open_attachment};
pub use drafts::{add_line, create, remove_line, update};
pub use returns::{request as request_part_return, update as update_part_return};

pub use export::export_csv;
pub use read::{get, list, queue_ages};
pub use review::{mark_paid, request_info, review, take};

/// Submits a draft: the six checks run and are stored. A failing check 1–4
/// keeps the claim draft and answers 422 with the checks; warnings (5–6)
/// let it through. The same `Idempotency-Key` twice returns the claim.
///
/// The checks read before the write turn is taken, so submissions judge in
/// parallel and hold the ledger's write lock only to store the verdict. The
/// verdict is stored only if the claim is still at the version that was
/// judged; otherwise it is judged again.
///
/// # Errors
/// `SubmissionBlocked` with the checks; `Conflict` unless draft, or for a
/// key used on another claim.
pub async fn submit(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    key: Option<String>,
) -> Result<ClaimDto, AppError> {
    const ATTEMPTS: usize = 3;
    let key = key.map(|k| k.trim().to_string()).filter(|k| !k.is_empty());
    if key.as_ref().is_some_and(|k| k.len() > 128) {
        return Err(AppError::bad_request("The Idempotency-Key header must be at most 128 characters."));
    }
    for _ in 0..ATTEMPTS {
        let (claim, dealer) = match to_submit(db, actor, id, key.as_deref()).await? {
            ToSubmit::Done => return get(db, actor, id).await,
            ToSubmit::Claim(found) => *found,
        };
        let to = step(&claim, ClaimAction::Submit)?;
        let findings = checks::run(db, &claim).await?;
        let blocking: Vec<rules::CheckOutcome> = findings.checks.iter().filter(|c| c.blocking()).cloned().collect();

        let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
        let now = Utc::now();
        let mut update = claim::Entity::update_many()
            .col_expr(claim::Column::Version, Expr::value(claim.version + 1))
            .col_expr(claim::Column::UpdatedBy, Expr::value(actor.user_id))
            .col_expr(claim::Column::UpdatedAt, Expr::value(now))
            .filter(claim::Column::Id.eq(claim.id))
            .filter(claim::Column::Version.eq(claim.version));
        if blocking.is_empty() {
            update = update
                .col_expr(claim::Column::Status, Expr::value(to.as_str()))
                .col_expr(claim::Column::SubmittedAt, Expr::value(Some(now)))
                .col_expr(claim::Column::IdempotencyKey, Expr::value(key.clone()))
                .col_expr(claim::Column::AuthorizationId, Expr::value(findings.authorization_id));
        }
        let changed = update
            .exec_with_returning(&*tx)
            .await
            .map_err(|e| super::error::on_unique(e, "This Idempotency-Key was used to submit another claim."))?;
        let Some(changed) = changed.into_iter().next() else {
            // Changed since it was judged (or submitted by a twin request): judge again.
            continue;
        };
        store_checks(&*tx, claim.id, &findings.checks, now).await?;
        let summary: Vec<serde_json::Value> =
            findings.checks.iter().map(|c| json!({"check": c.check.as_str(), "result": c.result})).collect();
        let action = if blocking.is_empty() { "claim.submitted" } else { "claim.submission_refused" };
        let data = json!({"checks": summary, "authorization_id": findings.authorization_id});
        tx.record(changed_entry(&claim, action, data)).await?;
        tx.commit().await?;
        return if blocking.is_empty() {
            let causal = (claim.causal_part_id, findings.causal_part_number);
            let known = read::Known {
                checks: findings.checks,
                lines: findings.lines,
                related: Some(read::Related::of_one(
                    &dealer,
                    findings.repair,
                    findings.vehicle,
                    findings.model,
                    causal,
                )),
                // A draft has no part returns: the OEM cannot see it to ask for one.
                part_returns: Some(Vec::new()),
            };
            read::detail(db, actor, changed, known).await
        } else {
            Err(AppError::submission_blocked(blocking))
        };
    }
    let claim = own_claim(db, actor, id).await?;
    Err(AppError::conflict(format!(
        "{} was changed by {} while it was being submitted; reload it and submit again.",
        claim.number,
        changed_by(db, &claim).await?
    )))
}

fn key_used(number: &str) -> AppError {
    AppError::conflict(format!("This Idempotency-Key was used to submit {number}."))
}

/// Replaces the claim's stored checks with this run's, in one statement
/// (one row per check and claim).
async fn store_checks(
    db: &impl ConnectionTrait,
    claim_id: i64,
    checks: &[rules::CheckOutcome],
    now: chrono::DateTime<Utc>,
) -> Result<(), AppError> {
    let rows = checks.iter().map(|check| claim_check::ActiveModel {
        claim_id: Set(claim_id),
        check: Set(check.check.as_str().to_string()),
        result: Set(check.result.as_str().to_string()),
        explanation: Set(check.explanation.clone()),
        run_at: Set(now),
        ..Default::default()
    });
    claim_check::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([claim_check::Column::ClaimId, claim_check::Column::Check])
                .update_columns([
                    claim_check::Column::Result,
                    claim_check::Column::Explanation,
                    claim_check::Column::RunAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

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
    tx.record(changed_entry(&claim, verb, data)).await?;
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
    tx.record(changed_entry(&claim, "claim.commented", json!({"comment_id": row.id, "body": body}))).await?;
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

fn changed_entry(claim: &claim::Model, action: &'static str, data: serde_json::Value) -> Change {
    let mut data = data;
    if let Some(map) = data.as_object_mut() {
        map.insert("number".into(), json!(claim.number));
        map.insert("version".into(), json!(claim.version + 1));
    }
    Change::new("claim", claim.id, action, data).scoped(Some(claim.dealer_id), Some(claim.oem_id))
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

/// A claim as a submission finds it.
enum ToSubmit {
    /// Already submitted under this idempotency key: answered as it stands.
    Done,
    /// The dealer's own claim and the dealer.
    Claim(Box<(claim::Model, dealer::Model)>),
}

/// The dealer's own claim with its dealer, in one query. With an
/// idempotency key, the claim submitted under it is looked for in the same
/// query: the same claim again is done, another is a conflict.
async fn to_submit(db: &DatabaseConnection, actor: &Actor, id: i64, key: Option<&str>) -> Result<ToSubmit, AppError> {
    if actor.role != Role::Dealer {
        // Not theirs to submit: unknown, or forbidden when they may see it.
        return Err(own_claim(db, actor, id).await.err().unwrap_or(AppError::Forbidden));
    }
    let mut wanted = Condition::any().add(claim::Column::Id.eq(id));
    if let Some(key) = key {
        wanted = wanted.add(claim::Column::IdempotencyKey.eq(key));
    }
    let rows = claim::Entity::find()
        .filter(claim::Column::DealerId.eq(actor.dealer_id.unwrap_or(-1)))
        .filter(wanted)
        .find_also_related(dealer::Entity)
        .all(db)
        .await?;
    let mut found = None;
    for (row, dealer) in rows {
        if key.is_some() && row.idempotency_key.as_deref() == key {
            return if row.id == id { Ok(ToSubmit::Done) } else { Err(key_used(&row.number)) };
        }
        if row.id == id {
            let dealer = dealer.ok_or_else(|| anyhow::anyhow!("claim {id} lost its dealer"))?;
            found = Some(ToSubmit::Claim(Box::new((row, dealer))));
        }
    }
    found.ok_or(AppError::NotFound)
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
