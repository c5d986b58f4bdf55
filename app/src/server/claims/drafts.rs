//! Drafts: a claim created from a completed repair (its lines taken over,
//! or given by the dealer), and the edits allowed until it is submitted.

use super::*;
use crate::model::money;

/// The largest amount one line may request, in minor units.
const MAX_AMOUNT: i64 = money::MAX_LINE_MINOR;

/// A dealer creates a draft claim from one of its completed repairs.
///
/// # Errors
/// `Forbidden` unless a dealer; `Validation` per field (a repair that is
/// not completed, a causal part not on the repair, a part priced in another
/// currency with no rate for the repair date).
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
    let requested = money::lines_total("lines", "requested_minor", lines.iter().map(|l| l.requested_minor))?;
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
        decision_tenths: Set(None),
        payment_tenths: Set(None),
        mis: Set(Some(crate::model::field::mis(vehicle.in_service_date, repair.opened_on))),
        model_id: Set(Some(vehicle.model_id)),
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
        // A draft: the dealer's alone until it is submitted.
        .scoped(Some(dealer.id), oem_reads(&row)),
    );
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
/// rate it was written with. A part priced in another currency than the
/// dealer's is converted at the repair date's rate (DESIGN §9).
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
        let mut price_minor = line.price_minor;
        if line.currency != dealer.currency {
            let converted = crate::server::rates::freeze::freeze(
                db,
                &line.currency,
                &dealer.currency,
                repair.opened_on,
                line.price_minor,
            )
            .await?;
            let Some(converted) = converted else {
                errors.add(
                    "lines",
                    format!(
                        "{} is priced in {} and the claim is in {}: no exchange rate within 7 days before {} (ask an admin to load the rates, or give the lines yourself)",
                        p.part_number, line.currency, dealer.currency, repair.opened_on
                    ),
                );
                continue;
            };
            price_minor = converted.requested_minor;
        }
        lines.push(LineDraft {
            kind: LineKind::Part,
            part_id: Some(p.id),
            description: format!("{} {}", p.part_number, p.description),
            quantity: line.quantity,
            requested_minor: money::line_times("lines", price_minor, line.quantity)?,
        });
    }
    for labor in repair_labor::Entity::find()
        .filter(repair_labor::Column::RepairId.eq(repair.id))
        .order_by_asc(repair_labor::Column::Id)
        .all(db)
        .await?
    {
        let amount = money::labor("lines", labor.hours_hundredths, labor.rate_minor)?;
        lines.push(LineDraft {
            kind: LineKind::Labor,
            part_id: None,
            description: format!("{} {}", labor.labor_code, labor.description),
            quantity: labor.hours_hundredths,
            requested_minor: money::line_amount("lines", amount)?,
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
                let most = crate::model::limits::grouped(MAX_AMOUNT.unsigned_abs());
                bad("requested_minor", &format!("must be a whole amount in minor units from 0 to {most}"));
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
    tx.record(changed_entry(&claim, "claim.updated", serde_json::Value::Object(changed)));
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
    active.requested_minor = Set(money::plus("requested_minor", claim.requested_minor, row.requested_minor)?);
    bump(&mut active, &claim, actor);
    active.update(&*tx).await?;
    tx.record(changed_entry(
        &claim,
        "claim.line_added",
        json!({"line_id": row.id, "kind": row.kind, "description": row.description, "requested_minor": row.requested_minor}),
    ));
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
    active.requested_minor = Set(money::minus("lines", claim.requested_minor, line.requested_minor)?);
    bump(&mut active, &claim, actor);
    active.update(&*tx).await?;
    tx.record(changed_entry(&claim, "claim.line_removed", data));
    tx.commit().await?;
    get(db, actor, id).await
}
