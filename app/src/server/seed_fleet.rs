//! Field data at scale for `scripts/bench` (DESIGN §10): Sinovolt vehicles
//! over 36 in-service months and warranty claims spread over them — each
//! on a completed repair, with its months in service and its amounts frozen
//! in the reporting currency, as a submission would — and one emerging
//! part planted in the latest matured cohorts, so the early warning has
//! something to find. Written in bulk, one ledger entry per claim.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use super::entities::{claim, dealer, oem, part, repair_order, user, vehicle, vehicle_model};
use super::ledger::{Change, LedgerTx};
use super::rates::freeze;
use super::vehicles::fleet::{self, Delivered};
use crate::model::AppError;
use crate::model::claim::ClaimStatus;
use crate::model::field::{self, YearMonth};

/// In-service months the bench fleet spans.
const MONTHS: i64 = 36;
/// Claims written per transaction.
const BATCH: usize = 5_000;

/// A small deterministic generator (the bench is the same every run).
struct Dice(u64);

impl Dice {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Writes `vehicles` Sinovolt vehicles and `claims` claims over them.
///
/// # Errors
/// When the demo network is missing, or the database fails.
pub async fn seed_fleet(db: &DatabaseConnection, vehicles: u64, claims: u64) -> Result<(), AppError> {
    if vehicles == 0 {
        return Ok(());
    }
    let missing = || AppError::conflict("Run seed-demo first: the bench fleet is Sinovolt's, serviced by its dealers.");
    let maker = oem::Entity::find().filter(oem::Column::Code.eq("SVM")).one(db).await?.ok_or_else(missing)?;
    let models = vehicle_model::Entity::find().filter(vehicle_model::Column::OemId.eq(maker.id)).all(db).await?;
    let today = Utc::now().date_naive();
    let first = YearMonth::of(today).plus(-(MONTHS as i32));
    let mut dice = Dice(20_261_203);
    let delivered: Vec<Delivered> = (0..vehicles)
        .filter_map(|i| {
            let model = models.get((i % models.len().max(1) as u64) as usize)?;
            let month = first.plus((i % MONTHS as u64) as i32);
            let day = month.first_day() + Duration::days((i * 13 % 28) as i64);
            let model_year = day.year() + i32::from(day.month() >= 9);
            let vin = super::seed_repairs::demo_vin(&maker.code, &model.code, model_year, 100_000 + i as u32);
            Some(Delivered {
                vin,
                oem_id: maker.id,
                model_id: model.id,
                model_year,
                in_service_date: day,
                country: "NO".into(),
            })
        })
        .collect();
    fleet::register_unchecked(db, None, delivered).await?;
    let fleet: Vec<(i64, i64, NaiveDate)> = vehicle::Entity::find()
        .select_only()
        .columns([vehicle::Column::Id, vehicle::Column::ModelId, vehicle::Column::InServiceDate])
        .filter(vehicle::Column::OemId.eq(maker.id))
        .filter(vehicle::Column::Vin.like("LSV%"))
        .order_by_asc(vehicle::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let parts: Vec<i64> = part::Entity::find()
        .select_only()
        .column(part::Column::Id)
        .filter(part::Column::OemId.eq(maker.id))
        .filter(part::Column::WarrantyEligible.eq(true))
        .order_by_asc(part::Column::PartNumber)
        .into_tuple()
        .all(db)
        .await?;
    let servicing: Vec<(dealer::Model, i64)> = dealers_of(db, maker.id).await?;
    if fleet.is_empty() || parts.len() < 2 || servicing.is_empty() {
        return Err(missing());
    }
    let rates = freeze::all_rates(db).await?;
    let planted = parts[parts.len() / 2];
    let (recent_from, latest) = crate::server::reports::alerts::windows(today).0;
    let mut written = 0usize;
    while (written as u64) < claims {
        let n = BATCH.min(claims as usize - written);
        let mut batch = Vec::with_capacity(n);
        let mut i = written;
        while batch.len() < n {
            i += 1;
            let (vehicle_id, model_id, in_service) = fleet[dice.next(fleet.len() as u64) as usize];
            let age = (today - in_service).num_days();
            if age < 12 {
                continue;
            }
            let cohort = YearMonth::of(in_service);
            // One claim in 40 is the planted part, early in the life of the latest matured cars.
            let emerging = i.is_multiple_of(40) && cohort >= recent_from && cohort <= latest;
            let span = if emerging { 70 } else { 1_000 };
            let days = 5 + dice.next(span.min(age as u64 - 6)) as i64;
            let repaired = in_service + Duration::days(days);
            let part = if emerging { planted } else { parts[dice.next(parts.len() as u64) as usize] };
            let (dealer, person) = &servicing[dice.next(servicing.len() as u64) as usize];
            batch.push(Planned {
                vehicle_id,
                model_id,
                in_service,
                repaired,
                part,
                dealer: dealer.clone(),
                person: *person,
                roll: dice.next(100),
            });
        }
        write_batch(db, maker.id, &maker.reporting_currency, &batch, &rates, today).await?;
        written += n;
    }
    Ok(())
}

/// The dealers Sinovolt authorizes, each with a dealer login.
async fn dealers_of(db: &DatabaseConnection, oem_id: i64) -> Result<Vec<(dealer::Model, i64)>, AppError> {
    use super::entities::authorization;
    let ids: Vec<i64> = authorization::Entity::find()
        .select_only()
        .column(authorization::Column::DealerId)
        .filter(authorization::Column::OemId.eq(oem_id))
        .into_tuple()
        .all(db)
        .await?;
    let people: HashMap<i64, i64> = user::Entity::find()
        .filter(user::Column::Role.eq("dealer"))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|u| Some((u.dealer_id?, u.id)))
        .collect();
    Ok(dealer::Entity::find()
        .filter(dealer::Column::Id.is_in(ids))
        .order_by_asc(dealer::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|d| Some((people.get(&d.id).copied()?, d)).map(|(p, d)| (d, p)))
        .collect())
}

/// One claim to write.
struct Planned {
    vehicle_id: i64,
    model_id: i64,
    in_service: NaiveDate,
    repaired: NaiveDate,
    part: i64,
    dealer: dealer::Model,
    person: i64,
    roll: u64,
}

/// The claim's state and its dates: most decided, some paid, some waiting.
fn fate(roll: u64) -> (ClaimStatus, u64) {
    match roll {
        0..=9 => (ClaimStatus::Submitted, 0),
        10..=14 => (ClaimStatus::InReview, 0),
        15..=17 => (ClaimStatus::InfoRequested, 0),
        18..=19 => (ClaimStatus::Withdrawn, 0),
        20..=29 => (ClaimStatus::Rejected, 1),
        30..=39 => (ClaimStatus::PartiallyApproved, 1),
        40..=59 => (ClaimStatus::Approved, 1),
        _ => (ClaimStatus::Paid, 2),
    }
}

async fn write_batch(
    db: &DatabaseConnection,
    oem_id: i64,
    reporting: &str,
    batch: &[Planned],
    rates: &freeze::Rates,
    today: NaiveDate,
) -> Result<(), AppError> {
    let mut tx = LedgerTx::begin(db, None).await?;
    let year = today.year();
    let highest = |column: claim::Column| {
        claim::Entity::find().select_only().column_as(Expr::from(Func::max(Expr::col(column))), "m")
    };
    let last_claim = highest(claim::Column::Id).into_tuple::<Option<i64>>().one(&*tx).await?.flatten().unwrap_or(0);
    let last_seq = highest(claim::Column::Seq)
        .filter(claim::Column::Year.eq(year))
        .into_tuple::<Option<i64>>()
        .one(&*tx)
        .await?
        .flatten()
        .unwrap_or(0);
    let last_repair: i64 = repair_order::Entity::find()
        .select_only()
        .column_as(Expr::from(Func::max(Expr::col(repair_order::Column::Id))), "m")
        .into_tuple::<Option<i64>>()
        .one(&*tx)
        .await?
        .flatten()
        .unwrap_or(0);
    let now = Utc::now();
    let repairs = batch
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let seq = 5_000_000 + last_repair + i as i64;
            vec![
                crate::model::repair::number(&p.dealer.code, seq).into(),
                p.dealer.id.into(),
                seq.into(),
                p.vehicle_id.into(),
                (1_000 + (p.repaired - p.in_service).num_days() * 40).into(),
                p.repaired.into(),
                Some(p.repaired).into(),
                "Bench complaint".into(),
                "Bench cause".into(),
                "Bench correction".into(),
                "completed".into(),
                p.person.into(),
                now.into(),
                now.into(),
            ]
        })
        .collect();
    super::bulk::insert(
        &*tx,
        "repair_orders",
        &[
            "number",
            "dealer_id",
            "seq",
            "vehicle_id",
            "odometer_km",
            "opened_on",
            "completed_on",
            "complaint",
            "cause",
            "correction",
            "status",
            "created_by",
            "created_at",
            "updated_at",
        ],
        repairs,
    )
    .await?;
    let repair_ids: Vec<i64> = repair_order::Entity::find()
        .select_only()
        .column(repair_order::Column::Id)
        .filter(repair_order::Column::Id.gt(last_repair))
        .order_by_asc(repair_order::Column::Id)
        .into_tuple()
        .all(&*tx)
        .await?;
    let mut rows = Vec::with_capacity(batch.len());
    let mut facts = Vec::with_capacity(batch.len());
    for (i, (p, repair_id)) in batch.iter().zip(&repair_ids).enumerate() {
        let (status, steps) = fate(p.roll);
        let requested = 40_000 + (p.roll as i64 * 997) % 200_000;
        let approved = match status {
            ClaimStatus::Approved | ClaimStatus::Paid => Some(requested),
            ClaimStatus::PartiallyApproved => Some(requested * 3 / 4),
            ClaimStatus::Rejected => Some(0),
            _ => None,
        };
        let submitted =
            (p.repaired + Duration::days(2)).and_hms_opt(9, 0, 0).map(|t| t.and_utc()).unwrap_or(now).min(now);
        let decided = (steps >= 1).then(|| (submitted + Duration::hours(6 + (p.roll as i64 * 37) % 700)).min(now));
        let paid = (steps >= 2)
            .then(|| decided.map(|d| (d + Duration::hours(48 + (p.roll as i64 * 53) % 500)).min(now)))
            .flatten();
        let frozen = freeze::frozen_with(&p.dealer.currency, reporting, p.repaired, requested, rates);
        let approved_reporting = frozen.as_ref().zip(approved).and_then(|(f, a)| {
            super::rates::rules::convert(a, &p.dealer.currency, f.claim_per_eur, &f.currency, f.reporting_per_eur)
        });
        let seq = last_seq + 1 + i as i64;
        let mut row: Vec<sea_orm::Value> = vec![
            crate::model::claim::number(year, seq).into(),
            year.into(),
            seq.into(),
            p.dealer.id.into(),
            oem_id.into(),
            (*repair_id).into(),
            p.vehicle_id.into(),
            p.part.into(),
            "BENCH-01".into(),
            status.as_str().into(),
            p.dealer.currency.clone().into(),
            requested.into(),
            approved.into(),
            1i32.into(),
            false.into(),
            false.into(),
            Some(submitted).into(),
            decided.into(),
            paid.into(),
            Some(field::mis(p.in_service, p.repaired)).into(),
            Some(p.model_id).into(),
            approved_reporting.into(),
            p.person.into(),
            p.person.into(),
            now.into(),
            now.into(),
        ];
        row.extend(freeze::columns(frozen.as_ref()).into_iter().map(|(_, v)| v));
        rows.push(row);
        facts.push((p.dealer.id, requested, p.dealer.currency.clone()));
    }
    let mut columns = vec![
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
        "decided_at",
        "paid_at",
        "mis",
        "model_id",
        "reporting_approved_minor",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
    ];
    columns.extend([
        "reporting_currency",
        "reporting_requested_minor",
        "rate_date",
        "claim_per_eur",
        "reporting_per_eur",
        "rate_source",
    ]);
    super::bulk::insert(&*tx, "claims", &columns, rows).await?;
    // Their days to decision and to payment, as the services keep them.
    migrations::fill_cycle_days(&*tx).await?;
    let ids: Vec<i64> = claim::Entity::find()
        .select_only()
        .column(claim::Column::Id)
        .filter(claim::Column::Id.gt(last_claim))
        .order_by_asc(claim::Column::Id)
        .into_tuple()
        .all(&*tx)
        .await?;
    let changes = ids
        .iter()
        .zip(&facts)
        .map(|(id, (dealer_id, requested, currency))| {
            Change::new(
                "claim",
                *id,
                "claim.created",
                json!({"requested_minor": requested, "currency": currency, "bench": true}),
            )
            .scoped(Some(*dealer_id), Some(oem_id))
        })
        .collect();
    tx.record_all(changes);
    tx.commit().await
}
