//! Submitting a draft: the six checks judged outside the write turn, the
//! verdict stored in it.

use chrono::Utc;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Set};
use serde_json::json;

use super::{changed_by, changed_entry, checks, get, oem_reads, own_claim, read, step, summary};
use crate::model::claim::{self as rules, ClaimAction, ClaimDto};
use crate::model::{AppError, Role};
use crate::server::auth::Actor;
use crate::server::entities::{claim, claim_check, dealer, oem, repair_order, vehicle, vehicle_model};
use crate::server::ledger::LedgerTx;
use crate::server::rates;
use crate::server::reader::Reader;

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
        // Read on a leased connection, given back before the write turn.
        let reader = Reader::of(db).await?;
        let (claim, dealer, subject) = match to_submit(&reader, actor, id, key.as_deref()).await? {
            ToSubmit::Done => return get(db, actor, id).await,
            ToSubmit::Claim(found) => *found,
        };
        let to = step(&claim, ClaimAction::Submit)?;
        let findings = checks::run(&reader, &claim, subject).await?;
        let frozen = reporting_of(&reader, &claim, findings.repair.opened_on).await?;
        drop(reader);
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
            for (column, value) in rates::freeze::columns(frozen.as_ref()) {
                update = update.col_expr(column, Expr::value(value));
            }
        }
        let changed = update.exec_with_returning(&*tx).await.map_err(|e| {
            crate::server::error::on_unique(e, "This Idempotency-Key was used to submit another claim.")
        })?;
        let Some(changed) = changed.into_iter().next() else {
            // Changed since it was judged (or submitted by a twin request): judge again.
            continue;
        };
        tx.queue(&store_checks(claim.id, &findings.checks, now));
        let verdict: Vec<serde_json::Value> =
            findings.checks.iter().map(|c| json!({"check": c.check.as_str(), "result": c.result})).collect();
        let action = if blocking.is_empty() { "claim.submitted" } else { "claim.submission_refused" };
        let mut data = json!({"checks": verdict, "authorization_id": findings.authorization_id});
        if blocking.is_empty() {
            data["reporting"] = json!(rates::freeze::dto(&changed));
        }
        // Scoped by the claim as it now is: submitted, its OEM reads the entry;
        // refused, it is still a draft and the dealer's alone.
        tx.record(changed_entry(&claim, action, data).scoped(Some(claim.dealer_id), oem_reads(&changed)));
        tx.commit().await?;
        return if blocking.is_empty() {
            let names = summary::Names::of_one(
                &dealer,
                &findings.repair,
                &findings.vehicle,
                &findings.model,
                findings.causal_part_number,
            );
            let known = read::Known {
                checks: findings.checks,
                lines: findings.lines,
                names: Some(names),
                // A draft has no part returns: the OEM cannot see it to ask for one.
                part_returns: Some(Vec::new()),
            };
            read::detail(&Reader::of(db).await?, actor, changed, known).await
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

/// The claim's amount in its OEM's reporting currency at the repair date's
/// rate (DESIGN §9), to be frozen by the submission.
async fn reporting_of(
    db: &Reader<'_>,
    claim: &claim::Model,
    repair_date: chrono::NaiveDate,
) -> Result<Option<rates::freeze::Frozen>, AppError> {
    let target: Option<String> = oem::Entity::find_by_id(claim.oem_id)
        .select_only()
        .column(oem::Column::ReportingCurrency)
        .into_tuple()
        .one(db)
        .await?;
    let target = target.ok_or_else(|| anyhow::anyhow!("claim {} lost its OEM", claim.id))?;
    rates::freeze::freeze(db, &claim.currency, &target, repair_date, claim.requested_minor).await
}

fn key_used(number: &str) -> AppError {
    AppError::conflict(format!("This Idempotency-Key was used to submit {number}."))
}

/// The statement that replaces the claim's stored checks with this run's
/// (one row per check and claim).
fn store_checks(
    claim_id: i64,
    checks: &[rules::CheckOutcome],
    now: chrono::DateTime<Utc>,
) -> sea_orm::sea_query::InsertStatement {
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
        .into_query()
}

/// A claim as a submission finds it.
enum ToSubmit {
    /// Already submitted under this idempotency key: answered as it stands.
    Done,
    /// The dealer's own claim, the dealer, and what the claim is about.
    Claim(Box<(claim::Model, dealer::Model, checks::Subject)>),
}

/// The dealer's own claim with its dealer, repair, vehicle and model, in
/// one query. With an idempotency key, the claim submitted under it is
/// looked for in the same query: the same claim again is done, another is a
/// conflict. Keys are the dealer's own (unique on `(dealer_id,
/// idempotency_key)`): another dealer's claims are never looked at, so a key
/// tells nothing of whether another dealer used it.
async fn to_submit(db: &Reader<'_>, actor: &Actor, id: i64, key: Option<&str>) -> Result<ToSubmit, AppError> {
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
        .find_also(claim::Entity, repair_order::Entity)
        .find_also(repair_order::Entity, vehicle::Entity)
        .find_also(vehicle::Entity, vehicle_model::Entity)
        .all(db)
        .await?;
    let mut found = None;
    for (row, dealer, repair, vehicle, model) in rows {
        if key.is_some() && row.idempotency_key.as_deref() == key {
            return if row.id == id { Ok(ToSubmit::Done) } else { Err(key_used(&row.number)) };
        }
        if row.id == id {
            let missing = |what: &str| anyhow::anyhow!("claim {id} lost its {what}");
            let dealer = dealer.ok_or_else(|| missing("dealer"))?;
            let subject = checks::Subject {
                repair: repair.ok_or_else(|| missing("repair"))?,
                vehicle: vehicle.ok_or_else(|| missing("vehicle"))?,
                model: model.ok_or_else(|| missing("model"))?,
            };
            found = Some(ToSubmit::Claim(Box::new((row, dealer, subject))));
        }
    }
    found.ok_or(AppError::NotFound)
}
