//! Reading claims: a dealer its own, a service manager its OEM's once
//! submitted (drafts, and drafts withdrawn unsubmitted, stay with the
//! dealer), an admin all.

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::model::claim::{
    AttachmentDto, CheckKind, CheckOutcome, CheckResult, ClaimDto, ClaimFilter, ClaimLineDto, ClaimStatus, CommentDto,
    Decision, LineKind, PartReturnDto, ReasonCode,
};
use crate::model::ledger::LedgerFilter;
use crate::model::user::Page;
use crate::model::{AppError, Role, validate};
use crate::server::auth::Actor;
use crate::server::entities::{
    attachment, claim, claim_check, claim_comment, claim_line, part_return, repair_order, user, vehicle,
};
use crate::server::reader::Reader;
use crate::server::{ledger, pagination};

use super::summary::{Names, dtos};

/// The review queue's statuses.
const QUEUE: [ClaimStatus; 2] = [ClaimStatus::Submitted, ClaimStatus::InReview];

/// One claim with its lines, checks, comments, attachments, part returns
/// and ledger timeline.
///
/// # Errors
/// `NotFound` outside the actor's scope.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<ClaimDto, AppError> {
    let db = &Reader::of(db).await?;
    let row = in_scope(db, actor, id).await?;
    let checks = checks_of(db, id).await?;
    let lines = claim_line::Entity::find()
        .filter(claim_line::Column::ClaimId.eq(id))
        .order_by_asc(claim_line::Column::Id)
        .all(db)
        .await?;
    detail(db, actor, row, Known { checks, lines, names: None, part_returns: None }).await
}

/// What a caller of [`detail`] has already read.
pub(super) struct Known {
    pub checks: Vec<CheckOutcome>,
    pub lines: Vec<claim_line::Model>,
    /// None: read them.
    pub names: Option<Names>,
    /// None: read them.
    pub part_returns: Option<Vec<part_return::Model>>,
}

/// A claim the actor may see, in full, given what the caller has read.
pub(super) async fn detail(
    db: &impl ConnectionTrait,
    actor: &Actor,
    row: claim::Model,
    known: Known,
) -> Result<ClaimDto, AppError> {
    let Known { checks, lines, names, part_returns } = known;
    let id = row.id;
    let mut names = match names {
        Some(names) => names,
        None => {
            Names::load(db, [id]).await?.remove(&id).ok_or_else(|| anyhow::anyhow!("claim {id} lost a relation"))?
        }
    };
    names.warnings = checks.iter().filter(|c| c.result == CheckResult::Warn).map(|c| c.check).collect();
    let mut dto = names.summary(row);
    dto.checks = checks;
    dto.lines = lines
        .into_iter()
        .map(|l| {
            let kind = LineKind::parse(&l.kind).unwrap_or(LineKind::Sublet);
            // Whole units, hundredths of an hour for labour.
            #[allow(clippy::cast_precision_loss)]
            let quantity = if kind == LineKind::Labor { l.quantity as f64 / 100.0 } else { l.quantity as f64 };
            ClaimLineDto {
                id: l.id,
                kind,
                part_id: l.part_id,
                description: l.description,
                quantity,
                requested_minor: l.requested_minor,
                approved_minor: l.approved_minor,
                decision: Decision::parse(&l.decision).unwrap_or(Decision::Pending),
                reason_code: l.reason_code.as_deref().and_then(|r| ReasonCode::parse(r).ok()),
            }
        })
        .collect();
    dto.comments = claim_comment::Entity::find()
        .filter(claim_comment::Column::ClaimId.eq(id))
        .order_by_asc(claim_comment::Column::Id)
        .find_also_related(user::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(c, author)| CommentDto {
            id: c.id,
            author_id: c.author_id,
            author_name: author.map(|u| u.display_name).unwrap_or_default(),
            body: c.body,
            created_at: c.created_at,
        })
        .collect();
    dto.attachments = attachment::Entity::find()
        .filter(attachment::Column::ClaimId.eq(id))
        .order_by_asc(attachment::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| AttachmentDto {
            id: a.id,
            name: a.name,
            content_type: a.content_type,
            size: a.size,
            sha256: a.sha256,
            created_at: a.created_at,
        })
        .collect();
    let part_returns = match part_returns {
        Some(rows) => rows,
        None => {
            part_return::Entity::find()
                .filter(part_return::Column::ClaimId.eq(id))
                .order_by_asc(part_return::Column::Id)
                .all(db)
                .await?
        }
    };
    dto.part_returns = part_returns
        .into_iter()
        .map(|r| PartReturnDto {
            id: r.id,
            claim_id: r.claim_id,
            part_id: r.part_id,
            serial: r.serial,
            status: r.status,
            tracking: r.tracking,
            note: r.note,
            updated_at: r.updated_at,
        })
        .collect();
    let filter =
        LedgerFilter { entity: Some("claim".into()), entity_id: Some(id), limit: Some(500), ..Default::default() };
    dto.timeline = ledger::list(db, actor, &filter).await?.items;
    Ok(dto)
}

/// The claims in scope that match the filter (no order, no page).
pub(super) fn filtered(actor: &Actor, filter: &ClaimFilter) -> Result<sea_orm::Select<claim::Entity>, AppError> {
    let mut query = claim::Entity::find().filter(scope(actor));
    if filter.queue == Some(true) {
        query = query.filter(claim::Column::Status.is_in(QUEUE.map(ClaimStatus::as_str)));
    }
    if let Some(status) = filter.status.as_deref().filter(|s| !s.trim().is_empty()) {
        let status = ClaimStatus::parse(status).map_err(|m| AppError::field("status", m))?;
        query = query.filter(claim::Column::Status.eq(status.as_str()));
    }
    if let Some(dealer_id) = filter.dealer_id {
        query = query.filter(claim::Column::DealerId.eq(dealer_id));
    }
    if let Some(vehicle_id) = filter.vehicle_id {
        query = query.filter(claim::Column::VehicleId.eq(vehicle_id));
    }
    if let Some(model_id) = filter.model_id {
        let mut of_model = Query::select();
        of_model
            .column(vehicle::Column::Id)
            .from(vehicle::Entity)
            .and_where(Expr::col(vehicle::Column::ModelId).eq(model_id));
        query = query.filter(claim::Column::VehicleId.in_subquery(of_model));
    }
    for (field, raw, after) in [("from", &filter.from, true), ("to", &filter.to, false)] {
        if let Some(raw) = raw.as_deref().filter(|r| !r.trim().is_empty()) {
            let day = validate::date(raw).map_err(|m| AppError::field(field, m))?;
            let mut repairs = Query::select();
            repairs.column(repair_order::Column::Id).from(repair_order::Entity).and_where(if after {
                Expr::col(repair_order::Column::OpenedOn).gte(day)
            } else {
                Expr::col(repair_order::Column::OpenedOn).lte(day)
            });
            query = query.filter(claim::Column::RepairId.in_subquery(repairs));
        }
    }
    if let Some(min) = filter.min_amount {
        query = query.filter(claim::Column::RequestedMinor.gte(min));
    }
    if let Some(max) = filter.max_amount {
        query = query.filter(claim::Column::RequestedMinor.lte(max));
    }
    Ok(query)
}

/// Claims in scope: newest first, or the review queue (submitted and in
/// review, oldest first).
///
/// # Errors
/// `Validation` for a bad filter, limit or cursor.
pub async fn list(db: &DatabaseConnection, actor: &Actor, filter: &ClaimFilter) -> Result<Page<ClaimDto>, AppError> {
    let db = &Reader::of(db).await?;
    let limit = pagination::limit(filter.limit)?;
    let take = usize::try_from(limit).unwrap_or(usize::MAX);
    let after = filter.cursor.as_deref().map(pagination::decode_cursor).transpose()?;
    let rows = if filter.queue == Some(true) {
        // One index range per queue status, merged by id: one query over both
        // statuses would walk the OEM's claims in id order past all others.
        // (No `IN` term beside the status: it steers SQLite's planner to the
        // `(oem_id, id)` index.)
        let asked = match filter.status.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(raw) => Some(ClaimStatus::parse(raw).map_err(|m| AppError::field("status", m))?),
            None => None,
        };
        let mut rows = Vec::new();
        for status in QUEUE.into_iter().filter(|s| asked.is_none_or(|a| a == *s)) {
            let one = ClaimFilter { queue: None, status: Some(status.as_str().to_string()), ..filter.clone() };
            let mut query = filtered(actor, &one)?;
            if let Some(key) = after {
                query = query.filter(claim::Column::Id.gt(key));
            }
            // Once a full page is in hand, only claims before its end can still be on it.
            if rows.len() > take {
                rows.sort_unstable_by_key(|r: &claim::Model| r.id);
                rows.truncate(take.saturating_add(1));
                if let Some(last) = rows.last() {
                    query = query.filter(claim::Column::Id.lt(last.id));
                }
            }
            rows.extend(query.order_by_asc(claim::Column::Id).limit(limit + 1).all(db).await?);
        }
        rows.sort_unstable_by_key(|r| r.id);
        rows.truncate(take.saturating_add(1));
        rows
    } else {
        let mut query = filtered(actor, filter)?;
        if let Some(key) = after {
            query = query.filter(claim::Column::Id.lt(key));
        }
        query.order_by_desc(claim::Column::Id).limit(limit + 1).all(db).await?
    };
    let more = rows.len() > take;
    let rows: Vec<claim::Model> = rows.into_iter().take(take).collect();
    let next_cursor = if more { rows.last().map(|r| pagination::encode_cursor(r.id)) } else { None };
    Ok(Page { items: dtos(db, rows).await?, next_cursor })
}

/// How long the review queue's claims have waited since submission:
/// 0–2 days, 3–5 days, more than 5 days.
///
/// # Errors
/// When the database is unavailable.
pub async fn queue_ages(db: &DatabaseConnection, actor: &Actor) -> Result<[u64; 3], AppError> {
    let submitted: Vec<Option<chrono::DateTime<chrono::Utc>>> = claim::Entity::find()
        .select_only()
        .column(claim::Column::SubmittedAt)
        .filter(scope(actor))
        .filter(claim::Column::Status.is_in(QUEUE.map(ClaimStatus::as_str)))
        .into_tuple()
        .all(db)
        .await?;
    let now = chrono::Utc::now();
    let mut buckets = [0u64; 3];
    for at in submitted.into_iter().flatten() {
        let days = (now - at).num_days();
        buckets[match days {
            ..=2 => 0,
            3..=5 => 1,
            _ => 2,
        }] += 1;
    }
    Ok(buckets)
}

/// The claim when the actor may see it.
pub(crate) async fn in_scope(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<claim::Model, AppError> {
    claim::Entity::find_by_id(id).filter(scope(actor)).one(db).await?.ok_or(AppError::NotFound)
}

/// The claims an actor may see: an admin all, a dealer its own, a service
/// manager its OEM's that have been submitted at least once. Not "every
/// status but draft": a draft withdrawn before it was ever submitted is
/// `withdrawn` and still the dealer's alone. `submitted_at` is set by the
/// first submission and never cleared.
pub(crate) fn scope(actor: &Actor) -> Condition {
    match actor.role {
        Role::Admin => Condition::all(),
        Role::Dealer => Condition::all().add(claim::Column::DealerId.eq(actor.dealer_id.unwrap_or(-1))),
        Role::ServiceManager => Condition::all()
            .add(claim::Column::OemId.eq(actor.oem_id.unwrap_or(-1)))
            .add(claim::Column::SubmittedAt.is_not_null()),
    }
}

async fn checks_of(db: &impl ConnectionTrait, claim_id: i64) -> Result<Vec<CheckOutcome>, AppError> {
    Ok(claim_check::Entity::find()
        .filter(claim_check::Column::ClaimId.eq(claim_id))
        .order_by_asc(claim_check::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|c| {
            Some(CheckOutcome {
                check: CheckKind::parse(&c.check)?,
                result: CheckResult::parse(&c.result),
                explanation: c.explanation,
            })
        })
        .collect())
}
