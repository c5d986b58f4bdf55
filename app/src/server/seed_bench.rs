//! Stock at scale for `scripts/bench`: movements spread over the demo
//! dealers and the first OEM's catalogue, written in bulk with their stock
//! levels and one ledger entry per movement, so the data is what the
//! services would have written.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde_json::json;

use super::entities::{dealer, part, stock_level, stock_movement};
use super::ledger::{Change, LedgerTx};
use crate::model::AppError;

/// Writes `movements` receipts and issues in batches of 20,000.
///
/// # Errors
/// When the demo network or catalogue is missing, or the database fails.
pub async fn seed_movements(db: &DatabaseConnection, movements: u64) -> Result<(), AppError> {
    let dealers = dealer::Entity::find().order_by_asc(dealer::Column::Id).all(db).await?;
    let parts: Vec<(i64, i64)> = part::Entity::find()
        .select_only()
        .columns([part::Column::Id, part::Column::OemId])
        .filter(part::Column::Serialized.eq(false))
        .order_by_asc(part::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    if dealers.is_empty() || parts.is_empty() {
        return Err(AppError::conflict("Run seed-demo (and import a catalogue) first."));
    }
    // Each dealer stocks a slice of the catalogue: 5,000 parts at most.
    let per_dealer = parts.len().min(5000);
    let mut on_hand: HashMap<(i64, i64), i64> = HashMap::new();
    const BATCH: u64 = 20_000;
    let mut written = 0u64;
    while written < movements {
        let n = std::cmp::min(BATCH, movements - written);
        let mut tx = LedgerTx::begin(db, None).await?;
        let last: Option<i64> = stock_movement::Entity::find()
            .select_only()
            .column_as(Expr::from(Func::max(Expr::col(stock_movement::Column::Id))), "last")
            .into_tuple()
            .one(&*tx)
            .await?
            .flatten();
        let now = Utc::now();
        let mut rows = Vec::with_capacity(n as usize);
        let mut facts = Vec::with_capacity(n as usize);
        for i in written..written + n {
            let d = &dealers[(i as usize) % dealers.len()];
            let offset = (i as usize / dealers.len()) % per_dealer;
            let (part_id, oem_id) = parts[(offset + d.id as usize * 97) % parts.len()];
            let level = on_hand.entry((d.id, part_id)).or_insert(0);
            // Receipts of 1–10, and issues of one whenever there is stock.
            let (kind, quantity) =
                if *level > 0 && i % 3 == 0 { ("issue_to_repair", -1) } else { ("receipt", 1 + (i % 10) as i64) };
            *level += quantity;
            rows.push(vec![
                d.id.into(),
                part_id.into(),
                kind.into(),
                quantity.into(),
                Some(format!("BENCH-{i}")).into(),
                now.into(),
            ]);
            facts.push((d.id, part_id, oem_id, kind, quantity));
        }
        super::bulk::insert(
            &*tx,
            "stock_movements",
            &["dealer_id", "part_id", "kind", "quantity", "reference", "created_at"],
            rows,
        )
        .await?;
        let ids: Vec<i64> = stock_movement::Entity::find()
            .select_only()
            .column(stock_movement::Column::Id)
            .filter(stock_movement::Column::Id.gt(last.unwrap_or(0)))
            .order_by_asc(stock_movement::Column::Id)
            .into_tuple()
            .all(&*tx)
            .await?;
        let changes = ids
            .into_iter()
            .zip(&facts)
            .map(|(id, (dealer_id, part_id, oem_id, kind, quantity))| {
                Change::new(
                    "stock_movement",
                    id,
                    "stock_movement.recorded",
                    json!({"kind": kind, "part_id": part_id, "quantity": quantity}),
                )
                .scoped(Some(*dealer_id), Some(*oem_id))
            })
            .collect();
        tx.record_all(changes);
        tx.commit().await?;
        written += n;
    }
    // The levels, equal to the sum of the movements just written.
    let txn = LedgerTx::begin(db, None).await?;
    let levels: Vec<stock_level::ActiveModel> = on_hand
        .into_iter()
        .map(|((dealer_id, part_id), quantity)| stock_level::ActiveModel {
            dealer_id: Set(dealer_id),
            part_id: Set(part_id),
            on_hand: Set(quantity),
            reorder_point: Set(std::cmp::min(part_id % 7, 5)),
            ..Default::default()
        })
        .collect();
    let mut chunks = levels.into_iter().peekable();
    while chunks.peek().is_some() {
        let chunk: Vec<_> = chunks.by_ref().take(2000).collect();
        stock_level::Entity::insert_many(chunk)
            .on_conflict(
                sea_orm::sea_query::OnConflict::columns([stock_level::Column::DealerId, stock_level::Column::PartId])
                    .value(
                        stock_level::Column::OnHand,
                        Expr::col((stock_level::Entity, stock_level::Column::OnHand))
                            .add(Expr::cust("excluded.on_hand")),
                    )
                    .to_owned(),
            )
            .exec_without_returning(&*txn)
            .await?;
    }
    let mut txn = txn;
    txn.record(Change::new("stock_level", 0, "stock_level.bench_seeded", json!({"movements": movements})));
    txn.commit().await
}

/// Claims at scale for `scripts/bench`: `claims` claims over the demo's
/// completed repairs, in every status, each with a part and a labour line
/// and its `claim.created` ledger entry, written in bulk. The first
/// `drafts` are drafts on the Oslo dealer's recent repairs, left for the
/// submission benchmark.
///
/// # Errors
/// When the demo data is missing, or the database fails.
pub async fn seed_claims(db: &DatabaseConnection, claims: u64, drafts: u64) -> Result<(), AppError> {
    use super::entities::{claim, repair_order, repair_part, user, vehicle};
    use crate::model::claim::ClaimStatus;
    if claims == 0 {
        return Ok(());
    }
    let since = Utc::now().date_naive() - chrono::Duration::days(300);
    let repairs = repair_order::Entity::find()
        .filter(repair_order::Column::Status.eq("completed"))
        .order_by_asc(repair_order::Column::Id)
        .all(db)
        .await?;
    let vehicles: HashMap<i64, vehicle::Model> =
        vehicle::Entity::find().all(db).await?.into_iter().map(|v| (v.id, v)).collect();
    let mut causal: HashMap<i64, i64> = HashMap::new();
    for line in repair_part::Entity::find().order_by_asc(repair_part::Column::Id).all(db).await? {
        causal.entry(line.repair_id).or_insert(line.part_id);
    }
    let dealers: HashMap<i64, dealer::Model> =
        dealer::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d)).collect();
    let people: HashMap<i64, i64> = user::Entity::find()
        .filter(user::Column::Role.eq("dealer"))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|u| u.dealer_id.map(|d| (d, u.id)))
        .collect();
    let usable: Vec<&repair_order::Model> = repairs.iter().filter(|r| causal.contains_key(&r.id)).collect();
    let oslo = dealers.values().find(|d| d.code == "NO001").map(|d| d.id);
    let recent: Vec<&repair_order::Model> =
        usable.iter().copied().filter(|r| Some(r.dealer_id) == oslo && r.opened_on >= since).collect();
    if usable.is_empty() || (drafts > 0 && recent.is_empty()) {
        return Err(AppError::conflict("Run seed-demo first: the bench claims sit on its completed repairs."));
    }
    let statuses = [
        ClaimStatus::Submitted,
        ClaimStatus::InReview,
        ClaimStatus::Approved,
        ClaimStatus::PartiallyApproved,
        ClaimStatus::Rejected,
        ClaimStatus::Paid,
        ClaimStatus::Paid,
        ClaimStatus::Withdrawn,
        ClaimStatus::InfoRequested,
    ];
    let year = chrono::Datelike::year(&Utc::now());
    const BATCH: u64 = 10_000;
    let mut written = 0u64;
    while written < claims {
        let n = std::cmp::min(BATCH, claims - written);
        let mut tx = LedgerTx::begin(db, None).await?;
        let (last_id, last_seq): (Option<i64>, Option<i64>) = claim::Entity::find()
            .select_only()
            .column_as(Expr::from(Func::max(Expr::col(claim::Column::Id))), "last_id")
            .column_as(Expr::from(Func::max(Expr::col(claim::Column::Seq))), "last_seq")
            .filter(claim::Column::Year.eq(year))
            .into_tuple()
            .one(&*tx)
            .await?
            .unwrap_or((None, None));
        let last_id = match last_id {
            Some(id) => Some(id),
            None => claim::Entity::find()
                .select_only()
                .column_as(Expr::from(Func::max(Expr::col(claim::Column::Id))), "last_id")
                .into_tuple::<Option<i64>>()
                .one(&*tx)
                .await?
                .flatten(),
        };
        let now = Utc::now();
        let mut rows = Vec::with_capacity(n as usize);
        let mut facts = Vec::with_capacity(n as usize);
        for i in written..written + n {
            let draft = i < drafts;
            let repair =
                if draft { recent[(i as usize) % recent.len()] } else { usable[(i as usize * 7) % usable.len()] };
            let Some(vehicle) = vehicles.get(&repair.vehicle_id) else { continue };
            let dealer = dealers.get(&repair.dealer_id);
            let currency = dealer.map_or_else(|| "EUR".to_string(), |d| d.currency.clone());
            let status = if draft { ClaimStatus::Draft } else { statuses[(i as usize) % statuses.len()] };
            let requested = 50_000 + (i as i64 % 97) * 1_000;
            let approved = match status {
                ClaimStatus::Approved | ClaimStatus::Paid => Some(requested),
                ClaimStatus::PartiallyApproved => Some(requested / 2),
                ClaimStatus::Rejected => Some(0),
                _ => None,
            };
            let seq = last_seq.unwrap_or(0) + 1 + (i - written) as i64;
            let submitted = (!draft).then(|| now - chrono::Duration::hours((i % 240) as i64));
            let by = people.get(&repair.dealer_id).copied().unwrap_or(1);
            rows.push(vec![
                crate::model::claim::number(year, seq).into(),
                year.into(),
                seq.into(),
                repair.dealer_id.into(),
                vehicle.oem_id.into(),
                repair.id.into(),
                vehicle.id.into(),
                causal.get(&repair.id).copied().unwrap_or_default().into(),
                "BENCH-01".into(),
                status.as_str().into(),
                currency.as_str().into(),
                requested.into(),
                approved.into(),
                1i32.into(),
                false.into(),
                false.into(),
                submitted.into(),
                by.into(),
                by.into(),
                now.into(),
                now.into(),
            ]);
            // A draft's entries are the dealer's alone (DESIGN §13).
            facts.push((repair.dealer_id, (!draft).then_some(vehicle.oem_id), requested, currency));
        }
        super::bulk::insert(
            &*tx,
            "claims",
            &[
                "number",
                "year",
                "seq",
                "dealer_id",
                "oem_id",
                "repair_id",
                "vehicle_id",
                "causal_part_id",
                "failure_code",
                "status",
                "currency",
                "requested_minor",
                "approved_minor",
                "version",
                "appealed",
                "info_answered",
                "submitted_at",
                "created_by",
                "updated_by",
                "created_at",
                "updated_at",
            ],
            rows,
        )
        .await?;
        let ids: Vec<(i64, i64)> = claim::Entity::find()
            .select_only()
            .columns([claim::Column::Id, claim::Column::CausalPartId])
            .filter(claim::Column::Id.gt(last_id.unwrap_or(0)))
            .order_by_asc(claim::Column::Id)
            .into_tuple()
            .all(&*tx)
            .await?;
        let mut lines = Vec::with_capacity(ids.len() * 2);
        let mut changes = Vec::with_capacity(ids.len());
        for ((id, part_id), (dealer_id, oem_id, requested, currency)) in ids.into_iter().zip(&facts) {
            let labor = requested / 5;
            lines.push(vec![
                id.into(),
                "part".into(),
                Some(part_id).into(),
                "Bench part".into(),
                1i64.into(),
                (requested - labor).into(),
                "pending".into(),
            ]);
            lines.push(vec![
                id.into(),
                "labor".into(),
                None::<i64>.into(),
                "Bench labour".into(),
                100i64.into(),
                labor.into(),
                "pending".into(),
            ]);
            changes.push(
                Change::new("claim", id, "claim.created", json!({"requested_minor": requested, "currency": currency}))
                    .scoped(Some(*dealer_id), *oem_id),
            );
        }
        super::bulk::insert(
            &*tx,
            "claim_lines",
            &["claim_id", "kind", "part_id", "description", "quantity", "requested_minor", "decision"],
            lines,
        )
        .await?;
        tx.record_all(changes);
        tx.commit().await?;
        written += n;
    }
    Ok(())
}

/// Adds bench dealers (`BD0001`…, spread over the demo dealers' countries)
/// until there are `total`, each recorded as an admin would.
///
/// # Errors
/// When the demo network is missing, or the database fails.
pub async fn seed_dealers(db: &DatabaseConnection, total: u64) -> Result<(), AppError> {
    use crate::model::network::{DealerInput, Money};

    let existing = dealer::Entity::find().order_by_asc(dealer::Column::Id).all(db).await?;
    if existing.is_empty() {
        return Err(AppError::conflict("Run seed-demo first: bench dealers copy the demo dealers' countries."));
    }
    for n in existing.len() as u64..total {
        let like = &existing[(n as usize) % existing.len()];
        let input = DealerInput {
            code: Some(format!("BD{n:04}")),
            name: Some(format!("Bench dealer {n}")),
            country: Some(like.country.clone()),
            city: Some(like.city.clone()),
            time_zone: Some(like.time_zone.clone()),
            currency: Some(like.currency.clone()),
            labor_rate: Some(Money { amount_minor: like.labor_rate_minor, currency: like.currency.clone() }),
            active: Some(true),
        };
        super::dealers::create_unchecked(db, None, input).await?;
    }
    Ok(())
}
