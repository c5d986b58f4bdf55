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
mod read;
mod returns;
mod review;

pub use attachments::{add as attach, open as open_attachment};
pub use returns::{request as request_part_return, update as update_part_return};

pub use read::{export_csv, get, list, queue_ages};
pub use review::{mark_paid, request_info, review, take};

/// The largest amount one line may request, in minor units.
const MAX_AMOUNT: i64 = 1_000_000_000_000;

/// A dealer creates a draft claim from one of its completed repairs.
///
/// # Errors
/// `Forbidden` unless a dealer; `Validation` per field (a repair that is
/// not completed, a causal part not on the repair, lines priced in another
/// currency than the dealer's).
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: NewClaim) -> Result<ClaimDto, AppError> {
    let dealer = acting_dealer(db, actor).await?;
    let mut errors = FieldErrors::new();
    let failure_code = errors.check("failure_code", rules::failure_code(&input.failure_code));
    let repair = repair_order::Entity::find_by_id(input.repair_id)
        .filter(repair_order::Column::DealerId.eq(dealer.id))
        .one(db)
        .await?;
    let Some(repair) = repair else {
        errors.add("repair_id", "is not one of your repairs");
        return Err(errors.into_error());
    };
    if RepairStatus::parse(&repair.status) != Ok(RepairStatus::Completed) {
        errors.add(
            "repair_id",
            format!("repair {} is {}: only completed repairs are claimed", repair.number, repair.status),
        );
    }
    let repair_parts = repair_part::Entity::find().filter(repair_part::Column::RepairId.eq(repair.id)).all(db).await?;
    if !repair_parts.iter().any(|p| p.part_id == input.causal_part_id) {
        errors.add("causal_part_id", "must be one of the parts on the repair");
    }
    let lines = match input.lines {
        Some(given) => given_lines(&given, &repair_parts, &mut errors),
        None => repair_lines(db, &repair, &repair_parts, &dealer, &mut errors).await?,
    };
    if lines.is_empty() && errors.is_empty() {
        errors.add("lines", "a claim needs at least one line");
    }
    errors.finish()?;
    let Some(failure_code) = failure_code else { return Err(anyhow::anyhow!("validated fields went missing").into()) };
    let vehicle = vehicle::Entity::find_by_id(repair.vehicle_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("repair {} lost its vehicle", repair.id))?;
    let now = Utc::now();
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let year = now.year();
    let highest: Option<Option<i64>> = claim::Entity::find()
        .select_only()
        .column_as(Expr::from(Func::max(Expr::col(claim::Column::Seq))), "highest")
        .filter(claim::Column::Year.eq(year))
        .into_tuple()
        .one(&*tx)
        .await?;
    let seq = highest.flatten().unwrap_or(0) + 1;
    let requested: i64 = lines.iter().map(|l| l.requested_minor).sum();
    let row = claim::ActiveModel {
        number: Set(rules::number(year, seq)),
        year: Set(year),
        seq: Set(seq),
        dealer_id: Set(dealer.id),
        oem_id: Set(vehicle.oem_id),
        repair_id: Set(repair.id),
        vehicle_id: Set(vehicle.id),
        authorization_id: Set(None),
        causal_part_id: Set(input.causal_part_id),
        failure_code: Set(failure_code),
        status: Set(ClaimStatus::Draft.as_str().to_string()),
        currency: Set(dealer.currency.clone()),
        requested_minor: Set(requested),
        approved_minor: Set(None),
        version: Set(1),
        idempotency_key: Set(None),
        appealed: Set(false),
        info_answered: Set(false),
        reviewer_id: Set(None),
        payment_reference: Set(None),
        submitted_at: Set(None),
        decided_at: Set(None),
        paid_at: Set(None),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    for line in &lines {
        insert_line(&*tx, row.id, line).await?;
    }
    tx.record(
        Change::new(
            "claim",
            row.id,
            "claim.created",
            json!({
                "number": row.number, "repair_id": repair.id, "repair_number": repair.number, "vin": vehicle.vin,
                "causal_part_id": row.causal_part_id, "failure_code": row.failure_code, "currency": row.currency,
                "requested_minor": requested, "lines": lines.len(),
            }),
        )
        .scoped(Some(dealer.id), Some(vehicle.oem_id)),
    )
    .await?;
    tx.commit().await?;
    get(db, actor, row.id).await
}

/// A line before it is written.
struct LineDraft {
    kind: LineKind,
    part_id: Option<i64>,
    description: String,
    /// Units, or hundredths of an hour for labour.
    quantity: i64,
    requested_minor: i64,
}

/// The repair's own lines: installed parts at list price, labour at the
/// rate it was written with. Parts priced in another currency than the
/// dealer's cannot be taken over (no exchange rates are kept).
async fn repair_lines(
    db: &DatabaseConnection,
    repair: &repair_order::Model,
    parts: &[repair_part::Model],
    dealer: &dealer::Model,
    errors: &mut FieldErrors,
) -> Result<Vec<LineDraft>, AppError> {
    let mut lines = Vec::new();
    let catalogue = part::Entity::find()
        .filter(part::Column::Id.is_in(parts.iter().map(|p| p.part_id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    for line in parts.iter().filter(|p| p.direction == PartDirection::Installed.as_str()) {
        let Some(p) = catalogue.iter().find(|c| c.id == line.part_id) else { continue };
        if line.currency != dealer.currency {
            errors.add(
                "lines",
                format!(
                    "{} is priced in {} and the claim is in {}: give the lines yourself (no exchange rates are kept)",
                    p.part_number, line.currency, dealer.currency
                ),
            );
            continue;
        }
        lines.push(LineDraft {
            kind: LineKind::Part,
            part_id: Some(p.id),
            description: format!("{} {}", p.part_number, p.description),
            quantity: line.quantity,
            requested_minor: line.price_minor * line.quantity,
        });
    }
    for labor in repair_labor::Entity::find()
        .filter(repair_labor::Column::RepairId.eq(repair.id))
        .order_by_asc(repair_labor::Column::Id)
        .all(db)
        .await?
    {
        lines.push(LineDraft {
            kind: LineKind::Labor,
            part_id: None,
            description: format!("{} {}", labor.labor_code, labor.description),
            quantity: labor.hours_hundredths,
            requested_minor: labor_amount(labor.hours_hundredths, labor.rate_minor),
        });
    }
    Ok(lines)
}

/// Lines the dealer gives, checked one by one (`lines[i].field`).
fn given_lines(
    given: &[NewClaimLine],
    repair_parts: &[repair_part::Model],
    errors: &mut FieldErrors,
) -> Vec<LineDraft> {
    given
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let mut ok = true;
            let mut bad = |field: &str, message: &str| {
                errors.add(&format!("lines[{i}].{field}"), message);
                ok = false;
            };
            let kind = LineKind::parse(line.kind.trim());
            if kind.is_none() {
                bad("kind", "must be part, labor or sublet");
            }
            let description = line.description.trim();
            if description.is_empty() || description.chars().count() > 200 {
                bad("description", "must be 1–200 characters");
            }
            if !(0..=MAX_AMOUNT).contains(&line.requested_minor) {
                bad("requested_minor", "must be a whole amount in minor units, 0 or more");
            }
            let quantity = line.quantity.unwrap_or(1.0);
            if !(quantity.is_finite() && quantity > 0.0 && quantity <= 100_000.0) {
                bad("quantity", "must be more than 0");
            }
            if kind == Some(LineKind::Part)
                && !line.part_id.is_some_and(|id| repair_parts.iter().any(|p| p.part_id == id))
            {
                bad("part_id", "must be one of the parts on the repair");
            }
            let kind = kind?;
            // In range by the check above.
            #[allow(clippy::cast_possible_truncation)]
            let quantity =
                if kind == LineKind::Labor { (quantity * 100.0).round() as i64 } else { quantity.round() as i64 };
            ok.then(|| LineDraft {
                kind,
                part_id: if kind == LineKind::Part { line.part_id } else { None },
                description: description.to_string(),
                quantity: quantity.max(1),
                requested_minor: line.requested_minor,
            })
        })
        .collect()
}

async fn insert_line(
    db: &impl ConnectionTrait,
    claim_id: i64,
    line: &LineDraft,
) -> Result<claim_line::Model, AppError> {
    Ok(claim_line::ActiveModel {
        claim_id: Set(claim_id),
        kind: Set(line.kind.as_str().to_string()),
        part_id: Set(line.part_id),
        description: Set(line.description.clone()),
        quantity: Set(line.quantity),
        requested_minor: Set(line.requested_minor),
        approved_minor: Set(None),
        decision: Set(Decision::Pending.as_str().to_string()),
        reason_code: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Changes the failure code or the causal part of a draft.
///
/// # Errors
/// `NotFound` outside the dealer's claims; `Conflict` unless draft;
/// `Validation` per field.
pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, patch: ClaimPatch) -> Result<ClaimDto, AppError> {
    let mut errors = FieldErrors::new();
    let code = patch.failure_code.as_deref().and_then(|c| errors.check("failure_code", rules::failure_code(c)));
    errors.finish()?;
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let claim = draft_for_change(&*tx, actor, id).await?;
    let mut active: claim::ActiveModel = claim.clone().into();
    let mut changed = serde_json::Map::new();
    if let Some(code) = code.filter(|c| *c != claim.failure_code) {
        changed.insert("failure_code".into(), json!(code));
        active.failure_code = Set(code);
    }
    if let Some(part_id) = patch.causal_part_id.filter(|p| *p != claim.causal_part_id) {
        let on_repair = repair_part::Entity::find()
            .filter(repair_part::Column::RepairId.eq(claim.repair_id))
            .filter(repair_part::Column::PartId.eq(part_id))
            .one(&*tx)
            .await?;
        if on_repair.is_none() {
            return Err(AppError::field("causal_part_id", "must be one of the parts on the repair"));
        }
        changed.insert("causal_part_id".into(), json!(part_id));
        active.causal_part_id = Set(part_id);
    }
    if changed.is_empty() {
        drop(tx);
        return get(db, actor, id).await;
    }
    bump(&mut active, &claim, actor);
    active.update(&*tx).await?;
    tx.record(changed_entry(&claim, "claim.updated", serde_json::Value::Object(changed))).await?;
    tx.commit().await?;
    get(db, actor, id).await
}

/// Adds a sublet line (work bought in, e.g. towing) to a draft.
///
/// # Errors
/// `Validation` per field (`kind` must be sublet); `Conflict` unless draft.
pub async fn add_line(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    line: NewClaimLine,
) -> Result<ClaimDto, AppError> {
    if line.kind.trim() != LineKind::Sublet.as_str() {
        return Err(AppError::field("kind", "must be sublet: part and labour lines come from the repair"));
    }
    let mut errors = FieldErrors::new();
    let drafts = given_lines(std::slice::from_ref(&line), &[], &mut errors);
    if !errors.is_empty() {
        // Report the single line's fields without the `lines[0].` prefix.
        let err = errors.into_error();
        let mut plain = FieldErrors::new();
        for (field, message) in err.fields() {
            plain.add(field.trim_start_matches("lines[0]."), message);
        }
        return Err(plain.into_error());
    }
    let Some(draft) = drafts.into_iter().next() else {
        return Err(anyhow::anyhow!("a checked line went missing").into());
    };
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let claim = draft_for_change(&*tx, actor, id).await?;
    let row = insert_line(&*tx, claim.id, &draft).await?;
    let mut active: claim::ActiveModel = claim.clone().into();
    active.requested_minor = Set(claim.requested_minor + row.requested_minor);
    bump(&mut active, &claim, actor);
    active.update(&*tx).await?;
    tx.record(changed_entry(
        &claim,
        "claim.line_added",
        json!({"line_id": row.id, "kind": row.kind, "description": row.description, "requested_minor": row.requested_minor}),
    ))
    .await?;
    tx.commit().await?;
    get(db, actor, id).await
}

/// Removes a line from a draft (a claim keeps at least one).
///
/// # Errors
/// `NotFound` for a line not on this claim; `Conflict` unless draft or for
/// the last line.
pub async fn remove_line(db: &DatabaseConnection, actor: &Actor, id: i64, line_id: i64) -> Result<ClaimDto, AppError> {
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let claim = draft_for_change(&*tx, actor, id).await?;
    let lines = claim_line::Entity::find().filter(claim_line::Column::ClaimId.eq(claim.id)).all(&*tx).await?;
    let line = lines.iter().find(|l| l.id == line_id).cloned().ok_or(AppError::NotFound)?;
    if lines.len() == 1 {
        return Err(AppError::conflict(format!("{} needs at least one line; this is the last.", claim.number)));
    }
    let data = json!({"line_id": line.id, "kind": line.kind, "description": line.description, "requested_minor": line.requested_minor});
    line.clone().delete(&*tx).await?;
    let mut active: claim::ActiveModel = claim.clone().into();
    active.requested_minor = Set(claim.requested_minor - line.requested_minor);
    bump(&mut active, &claim, actor);
    active.update(&*tx).await?;
    tx.record(changed_entry(&claim, "claim.line_removed", data)).await?;
    tx.commit().await?;
    get(db, actor, id).await
}

/// Submits a draft: the six checks run and are stored. A failing check 1–4
/// keeps the claim draft and answers 422 with the checks; warnings (5–6)
/// let it through. The same `Idempotency-Key` twice returns the claim.
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
    let key = key.map(|k| k.trim().to_string()).filter(|k| !k.is_empty());
    if key.as_ref().is_some_and(|k| k.len() > 128) {
        return Err(AppError::bad_request("The Idempotency-Key header must be at most 128 characters."));
    }
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let claim = own_claim(&*tx, actor, id).await?;
    if let Some(key) = &key {
        let used = claim::Entity::find()
            .filter(claim::Column::DealerId.eq(claim.dealer_id))
            .filter(claim::Column::IdempotencyKey.eq(key.as_str()))
            .one(&*tx)
            .await?;
        match used {
            Some(same) if same.id == claim.id => {
                drop(tx);
                return get(db, actor, id).await;
            }
            Some(other) => {
                return Err(AppError::conflict(format!("This Idempotency-Key was used to submit {}.", other.number)));
            }
            None => {}
        }
    }
    let to = step(&claim, ClaimAction::Submit)?;
    let findings = checks::run(&*tx, &claim).await?;
    store_checks(&*tx, claim.id, &findings.checks).await?;
    let blocking: Vec<rules::CheckOutcome> = findings.checks.iter().filter(|c| c.blocking()).cloned().collect();
    let summary: Vec<serde_json::Value> =
        findings.checks.iter().map(|c| json!({"check": c.check.as_str(), "result": c.result})).collect();
    let mut active: claim::ActiveModel = claim.clone().into();
    bump(&mut active, &claim, actor);
    if blocking.is_empty() {
        let now = Utc::now();
        active.status = Set(to.as_str().to_string());
        active.submitted_at = Set(Some(now));
        active.idempotency_key = Set(key);
        active.authorization_id = Set(findings.authorization_id);
    }
    active.update(&*tx).await?;
    let action = if blocking.is_empty() { "claim.submitted" } else { "claim.submission_refused" };
    tx.record(changed_entry(&claim, action, json!({"checks": summary, "authorization_id": findings.authorization_id})))
        .await?;
    tx.commit().await?;
    if blocking.is_empty() { get(db, actor, id).await } else { Err(AppError::submission_blocked(blocking)) }
}

async fn store_checks(
    db: &impl ConnectionTrait,
    claim_id: i64,
    checks: &[rules::CheckOutcome],
) -> Result<(), AppError> {
    claim_check::Entity::delete_many().filter(claim_check::Column::ClaimId.eq(claim_id)).exec(db).await?;
    let now = Utc::now();
    for check in checks {
        claim_check::ActiveModel {
            claim_id: Set(claim_id),
            check: Set(check.check.as_str().to_string()),
            result: Set(serde_json::to_value(check.result)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()),
            explanation: Set(check.explanation.clone()),
            run_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
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
