//! The demo's numbers (DESIGN §9–10): the ECB's real rates for the demo
//! dealers' currencies, and a field-quality story — Sinovolt's traction
//! inverter starts failing in cars put into service lately, so the early
//! warning fires and its chart shows why.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::auth::Actor;
use super::entities::{dealer, oem, part, user, vehicle_model};
use super::vehicles::fleet::{self, Delivered};
use super::{claims, rates, repairs, stock};
use crate::model::claim::NewClaim;
use crate::model::field::{RECENT_COHORTS, YearMonth};
use crate::model::repair::{NewLabor, NewRepair, NewRepairPart, RepairPatch};
use crate::model::stock::NewMovement;
use crate::model::{AppError, Role};

/// The ECB's reference rates, 2020-01 to 2026-10-30, for USD, CNY and the
/// demo dealers' currencies (trimmed from `eurofxref-hist.csv`; source in
/// `app/data/README.md`).
const DEMO_RATES: &[u8] = include_bytes!("../../data/eurofxref-demo.csv");

/// Vehicles delivered per in-service month.
const FLEET_PER_MONTH: u32 = 100;
/// In-service months of the fleet, the latest matured cohort among them.
const FLEET_MONTHS: i32 = 20;

/// Loads the demo's rates, and carries the last ECB quote forward (as
/// `manual`, so it shows) to today: the file ends on 2026-10-30.
///
/// # Errors
/// When the file or a service refuses.
pub async fn seed_rates(db: &DatabaseConnection, admin_id: i64) -> Result<(), AppError> {
    rates::import_unchecked(db, Some(admin_id), DEMO_RATES.to_vec()).await?;
    rates::carry_forward_unchecked(db, Some(admin_id), Utc::now().date_naive()).await?;
    Ok(())
}

/// Sinovolt's fleet of S3 cars, and inverter claims filed by Oslo: few in
/// the twelve cohorts before, six in the latest three matured ones.
///
/// # Errors
/// When the demo network is missing or a service refuses.
pub async fn seed_inverter_story(db: &DatabaseConnection, admin_id: i64) -> Result<(), AppError> {
    let today = Utc::now().date_naive();
    let missing = |what: &str| AppError::conflict(format!("the demo's {what} is missing"));
    let maker =
        oem::Entity::find().filter(oem::Column::Code.eq("SVM")).one(db).await?.ok_or_else(|| missing("Sinovolt"))?;
    let model = vehicle_model::Entity::find()
        .filter(vehicle_model::Column::OemId.eq(maker.id))
        .order_by_asc(vehicle_model::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| missing("Sinovolt model"))?;
    let inverter = part::Entity::find()
        .filter(part::Column::OemId.eq(maker.id))
        .filter(part::Column::PartNumber.eq(format!("{}-I01", model.code)))
        .one(db)
        .await?
        .ok_or_else(|| missing("inverter"))?;
    let oslo = dealer::Entity::find()
        .filter(dealer::Column::Code.eq("NO001"))
        .one(db)
        .await?
        .ok_or_else(|| missing("Oslo dealer"))?;
    let person = user::Entity::find()
        .filter(user::Column::DealerId.eq(oslo.id))
        .filter(user::Column::Role.eq(Role::Dealer.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| missing("Oslo login"))?;
    let actor = Actor::command_line_as(&person).ok_or_else(|| missing("Oslo login"))?;

    let (recent, _) = super::reports::alerts::windows(today);
    let latest = recent.1;
    let first = latest.plus(2 - FLEET_MONTHS);
    let mut delivered = Vec::new();
    for month in (0..FLEET_MONTHS).map(|i| first.plus(i)) {
        for n in 0..FLEET_PER_MONTH {
            let day = month.first_day() + Duration::days(i64::from((n * 7) % 28));
            if day > today {
                continue;
            }
            let serial = 500_000 + (month.year as u32 % 100) * 10_000 + month.month * 500 + n;
            let model_year = day.year() + i32::from(day.month() >= 9);
            delivered.push(Delivered {
                vin: super::seed_repairs::demo_vin(&maker.code, &model.code, model_year, serial),
                oem_id: maker.id,
                model_id: model.id,
                model_year,
                in_service_date: day,
                country: "NO".into(),
            });
        }
    }
    // Claims: (cohort offset from the latest matured one, vehicle in it, days in service).
    let recent_claims = (0..6).map(|i| (-(i % RECENT_COHORTS), 10 + i * 11, 20 + i * 9));
    let baseline = [(-4, 3, 40), (-6, 50, 70), (-8, 21, 30)];
    let story: Vec<(i32, i32, i64)> = recent_claims
        .map(|(c, v, d)| (c, v, i64::from(d)))
        .chain(baseline.iter().map(|&(c, v, d)| (c, v, d)))
        .collect();
    let chosen: Vec<(Delivered, i64)> = story
        .iter()
        .filter_map(|&(cohort, index, days)| {
            let month = latest.plus(cohort);
            let vehicle = delivered.iter().filter(|d| YearMonth::of(d.in_service_date) == month).nth(index as usize)?;
            Some((vehicle.clone(), days))
        })
        .collect();
    fleet::register_unchecked(db, Some(admin_id), delivered).await?;
    for (n, (vehicle, days)) in chosen.into_iter().enumerate() {
        let day = vehicle.in_service_date + Duration::days(days);
        if day >= today {
            continue;
        }
        replaced_under_warranty(db, &actor, &inverter, &vehicle.vin, day, n).await?;
    }
    Ok(())
}

/// One serialized part (the inverter) replaced under warranty by the
/// actor's workshop on `day`, claimed and submitted — through the services,
/// as the dealer would. `n` keeps the serials apart. Answers the claim.
///
/// # Errors
/// When a service refuses (no authorization, no policy, no rate needed…).
pub async fn replaced_under_warranty(
    db: &DatabaseConnection,
    actor: &Actor,
    inverter: &part::Model,
    vin: &str,
    day: NaiveDate,
    n: usize,
) -> Result<crate::model::claim::ClaimDto, AppError> {
    let serial = format!("{}-FS-{:03}", inverter.part_number, n + 1);
    let receipt = NewMovement {
        dealer_id: actor.dealer_id,
        part_id: inverter.id,
        kind: "receipt".into(),
        quantity: 1,
        serials: Some(vec![serial.clone()]),
        reference: Some(format!("DN-INV-{:03}", n + 1)),
        ..Default::default()
    };
    stock::record_movement(db, actor, receipt).await?;
    let complaint = "Loss of drive power, inverter fault lamp on".to_string();
    let input = NewRepair { vin: Some(vin.into()), odometer_km: 900 + 37 * n as i64, complaint, ..Default::default() };
    let repair = repairs::open_on(db, actor, input, Some(day)).await?;
    let labor = NewLabor { labor_code: "DU-INV-R".into(), description: "Replace traction inverter".into(), hours: 2.4 };
    repairs::add_labor(db, actor, repair.id, labor).await?;
    let failed = format!("{}-FAILED-{:03}", inverter.part_number, n + 1);
    for (serial, direction) in [(failed, "removed"), (serial, "installed")] {
        let line =
            NewRepairPart { part_id: inverter.id, quantity: 1, serial: Some(serial), direction: direction.into() };
        repairs::add_part(db, actor, repair.id, line).await?;
    }
    let story = RepairPatch {
        cause: Some("IGBT phase fault (P0A78) in the inverter".into()),
        correction: Some("Inverter replaced, software flashed, road test passed".into()),
        ..Default::default()
    };
    repairs::update(db, actor, repair.id, story).await?;
    repairs::complete_on(db, actor, repair.id, Some(day)).await?;
    let claim =
        NewClaim { repair_id: repair.id, causal_part_id: inverter.id, failure_code: "P0A78".into(), lines: None };
    let draft = claims::create(db, actor, claim).await?;
    claims::submit(db, actor, draft.id, None).await
}
