//! The OEM side: a service manager of the vehicle's OEM takes a claim,
//! decides each line, asks for information and marks decided claims paid.
//! Every action carries the claim's version; a stale one is a 409 naming
//! who changed the claim.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::{add_comment_row, bump, changed_by, changed_entry, get, read, step};
use crate::model::claim::{
    self as rules, ClaimAction, ClaimDto, ClaimStatus, MarkPaidInput, Outcome, RequestInfoInput, ReviewInput,
    VersionInput,
};
use crate::model::field::tenths_of_a_day;
use crate::model::{AppError, FieldErrors, Role, money};
use crate::server::auth::Actor;
use crate::server::entities::{claim, claim_line};
use crate::server::ledger::LedgerTx;

/// `submitted` → `in_review`, assigned to this service manager.
///
/// # Errors
/// `Forbidden` unless a service manager; `NotFound` outside its OEM;
/// `Conflict` for a stale version or another status.
pub async fn take(db: &DatabaseConnection, actor: &Actor, id: i64, input: VersionInput) -> Result<ClaimDto, AppError> {
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let claim = reviewable(&*tx, actor, id, input.version).await?;
    take_in(&mut tx, actor, &claim).await?;
    tx.commit().await?;
    get(db, actor, id).await
}

/// Moves a submitted claim to review; returns the claim as it now is.
async fn take_in(tx: &mut LedgerTx, actor: &Actor, claim: &claim::Model) -> Result<claim::Model, AppError> {
    let to = step(claim, ClaimAction::Take)?;
    let mut active: claim::ActiveModel = claim.clone().into();
    active.status = Set(to.as_str().to_string());
    active.reviewer_id = Set(Some(actor.user_id));
    bump(&mut active, claim, actor);
    let updated = active.update(&**tx).await?;
    tx.record(changed_entry(claim, "claim.taken", json!({"reviewer_id": actor.user_id})));
    Ok(updated)
}

/// Decides every line: approved, adjusted (≤ requested, with a reason) or
/// rejected (with a reason). A review of a submitted claim takes it first.
/// The claim becomes approved, partially approved or rejected, and its
/// approved total is the sum of the approved lines.
///
/// # Errors
/// `Validation` naming each bad line (`lines[i].field`), a missing or
/// unknown line, or a missing comment for `other`; `Conflict` for a stale
/// version or a claim not under review.
pub async fn review(db: &DatabaseConnection, actor: &Actor, id: i64, input: ReviewInput) -> Result<ClaimDto, AppError> {
    let comment = input.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
    if comment.as_ref().is_some_and(|c| c.chars().count() > rules::MAX_COMMENT) {
        return Err(AppError::field("comment", format!("must be at most {} characters", rules::MAX_COMMENT)));
    }
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let mut claim = reviewable(&*tx, actor, id, input.version).await?;
    let lines = claim_line::Entity::find().filter(claim_line::Column::ClaimId.eq(claim.id)).all(&*tx).await?;
    let mut errors = FieldErrors::new();
    let mut verdicts = Vec::with_capacity(lines.len());
    // By id and with a set: a review of many lines stays linear.
    let by_id: HashMap<i64, &claim_line::Model> = lines.iter().map(|l| (l.id, l)).collect();
    let mut decided: HashSet<i64> = HashSet::with_capacity(lines.len());
    for (i, decision) in input.lines.iter().enumerate() {
        let Some(line) = by_id.get(&decision.line_id).copied() else {
            errors.add(&format!("lines[{i}].line_id"), "is not a line of this claim");
            continue;
        };
        if !decided.insert(line.id) {
            errors.add(&format!("lines[{i}].line_id"), "is decided twice");
            continue;
        }
        if let Some(verdict) = rules::decide_line(
            i,
            line.requested_minor,
            &decision.decision,
            decision.approved_minor,
            decision.reason_code.as_deref(),
            comment.is_some(),
            &mut errors,
        ) {
            verdicts.push((line, verdict));
        }
    }
    let undecided: Vec<String> = lines.iter().filter(|l| !decided.contains(&l.id)).map(|l| l.id.to_string()).collect();
    if !undecided.is_empty() {
        errors.add("lines", format!("every line needs a decision; missing line {}", undecided.join(", ")));
    }
    errors.finish()?;
    if claim.status == ClaimStatus::Submitted.as_str() {
        claim = take_in(&mut tx, actor, &claim).await?;
    }
    let outcome = rules::outcome(&verdicts.iter().map(|(l, v)| (l.requested_minor, *v)).collect::<Vec<_>>());
    let to = step(&claim, ClaimAction::Decide(outcome))?;
    let approved_total = money::lines_total("lines", "approved_minor", verdicts.iter().map(|(_, v)| v.approved_minor))?;
    for (line, verdict) in &verdicts {
        let mut active: claim_line::ActiveModel = (*line).clone().into();
        active.decision = Set(verdict.decision.as_str().to_string());
        active.approved_minor = Set(Some(verdict.approved_minor));
        active.reason_code = Set(verdict.reason.map(|r| r.as_str().to_string()));
        active.update(&*tx).await?;
    }
    let now = Utc::now();
    let mut active: claim::ActiveModel = claim.clone().into();
    active.status = Set(to.as_str().to_string());
    active.approved_minor = Set(Some(approved_total));
    // At the rate frozen on submission (DESIGN §9).
    active.reporting_approved_minor = Set(crate::server::rates::freeze::approved(&claim, approved_total));
    active.decided_at = Set(Some(now));
    active.decision_tenths = Set(claim.submitted_at.map(|at| tenths_of_a_day(at, now)));
    active.info_answered = Set(false);
    bump(&mut active, &claim, actor);
    active.update(&*tx).await?;
    let comment_id = match &comment {
        Some(body) => Some(add_comment_row(&*tx, claim.id, actor.user_id, body).await?.id),
        None => None,
    };
    let action = match outcome {
        Outcome::Approved => "claim.approved",
        Outcome::PartiallyApproved => "claim.partially_approved",
        Outcome::Rejected => "claim.rejected",
    };
    let decided: Vec<serde_json::Value> = verdicts
        .iter()
        .map(|(l, v)| {
            json!({"line_id": l.id, "decision": v.decision.as_str(), "approved_minor": v.approved_minor,
                "reason_code": v.reason.map(|r| r.as_str())})
        })
        .collect();
    tx.record(changed_entry(
        &claim,
        action,
        json!({"approved_minor": approved_total, "lines": decided, "comment_id": comment_id}),
    ));
    tx.commit().await?;
    get(db, actor, id).await
}

/// Asks the dealer for information (a comment says what).
///
/// # Errors
/// `Validation` for an empty comment; `Conflict` for a stale version or a
/// claim not submitted or in review.
pub async fn request_info(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    input: RequestInfoInput,
) -> Result<ClaimDto, AppError> {
    let body = super::comment_text(&input.comment)?;
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let claim = reviewable(&*tx, actor, id, input.version).await?;
    let to = step(&claim, ClaimAction::RequestInfo)?;
    let mut active: claim::ActiveModel = claim.clone().into();
    active.status = Set(to.as_str().to_string());
    active.info_answered = Set(false);
    active.reviewer_id = Set(Some(actor.user_id));
    bump(&mut active, &claim, actor);
    active.update(&*tx).await?;
    let row = add_comment_row(&*tx, claim.id, actor.user_id, &body).await?;
    tx.record(changed_entry(&claim, "claim.info_requested", json!({"comment_id": row.id, "comment": body})));
    tx.commit().await?;
    get(db, actor, id).await
}

/// Marks an approved or partially approved claim paid.
///
/// # Errors
/// `Validation` for an empty reference; `Conflict` for a stale version or
/// another status.
pub async fn mark_paid(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    input: MarkPaidInput,
) -> Result<ClaimDto, AppError> {
    let reference = input.reference.trim().to_string();
    if reference.is_empty() || reference.chars().count() > 64 {
        return Err(AppError::field("reference", "must be 1–64 characters: the payment's reference"));
    }
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let claim = reviewable(&*tx, actor, id, input.version).await?;
    let to = step(&claim, ClaimAction::MarkPaid)?;
    let mut active: claim::ActiveModel = claim.clone().into();
    active.status = Set(to.as_str().to_string());
    let now = Utc::now();
    active.paid_at = Set(Some(now));
    active.payment_tenths = Set(claim.submitted_at.map(|at| tenths_of_a_day(at, now)));
    active.payment_reference = Set(Some(reference.clone()));
    bump(&mut active, &claim, actor);
    active.update(&*tx).await?;
    tx.record(changed_entry(
        &claim,
        "claim.paid",
        json!({"reference": reference, "approved_minor": claim.approved_minor}),
    ));
    tx.commit().await?;
    get(db, actor, id).await
}

/// A claim of the service manager's OEM at the version the decision was
/// made on.
async fn reviewable(db: &impl ConnectionTrait, actor: &Actor, id: i64, version: i32) -> Result<claim::Model, AppError> {
    if actor.role != Role::ServiceManager {
        return Err(if actor.role == Role::Dealer && read::in_scope(db, actor, id).await.is_err() {
            AppError::NotFound
        } else {
            AppError::Forbidden
        });
    }
    let claim = read::in_scope(db, actor, id).await?;
    if claim.version != version {
        let who = changed_by(db, &claim).await?;
        return Err(AppError::conflict(format!(
            "{} was changed by {who} at {} (now version {}, yours {version}); reload it and decide again.",
            claim.number,
            claim.updated_at.format("%Y-%m-%d %H:%M UTC"),
            claim.version
        )));
    }
    Ok(claim)
}
