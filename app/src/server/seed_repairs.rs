//! Demo vehicles and repair orders: about 300 vehicles with valid VINs at
//! the dealers the demo OEMs authorize, and a few hundred repairs in every
//! state, written through the vehicle and repair services as each dealer's
//! own user — so stock, part units, odometer readings and the ledger all
//! agree with what a person would have produced.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::auth::Actor;
use super::entities::{authorization, dealer, oem, part, part_unit, stock_level, user, vehicle_model};
use super::{repairs, vehicles};
use crate::model::repair::{NewLabor, NewRepair, NewRepairPart};
use crate::model::stock::UnitStatus;
use crate::model::vehicle::NewVehicle;
use crate::model::vin::check_digit;
use crate::model::{AppError, Role};

/// Vehicles per authorized (dealer, OEM) pair.
const VEHICLES_PER_PAIR: usize = 38;

/// Labour operations: (code, description, hours).
const LABOR: [(&str, &str, f64); 8] = [
    ("GEN-DIAG", "General diagnosis with scan tool", 0.5),
    ("HV-ISO-DIAG", "HV isolation fault diagnosis", 1.2),
    ("HV-PACK-RR", "HV battery pack remove and refit", 6.5),
    ("HV-CON-RR", "HV contactor replace", 2.4),
    ("DU-RES-RR", "Motor resolver replace", 3.1),
    ("EL-OBC-RR", "On-board charger replace", 2.1),
    ("BRK-PAD-F", "Front brake pads replace", 1.0),
    ("BODY-MIR", "Door mirror glass replace", 0.4),
];

const COMPLAINTS: [&str; 8] = [
    "Warning lamp: HV isolation fault",
    "Vehicle does not charge on AC",
    "Range dropped by a third in two weeks",
    "Clunk from the front axle when pulling away",
    "Brakes squeal at low speed",
    "Door mirror glass cracked",
    "Drive power reduced, turtle symbol on",
    "Charge port door does not open",
];

/// A small deterministic generator: the demo looks the same on every machine.
struct Dice(u64);

impl Dice {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// # Errors
/// When the demo network is missing or a service refuses.
pub async fn seed_repairs(db: &DatabaseConnection) -> Result<(), AppError> {
    let today = Utc::now().date_naive();
    let mut dice = Dice(20_261_125);
    let oems = oem::Entity::find().order_by_asc(oem::Column::Id).all(db).await?;
    let models = vehicle_model::Entity::find().order_by_asc(vehicle_model::Column::Id).all(db).await?;
    let grants = authorization::Entity::find().order_by_asc(authorization::Column::Id).all(db).await?;
    let mut serial = 0u32;
    for d in dealer::Entity::find().order_by_asc(dealer::Column::Id).all(db).await? {
        let Some(person) = user::Entity::find()
            .filter(user::Column::DealerId.eq(d.id))
            .filter(user::Column::Role.eq(Role::Dealer.as_str()))
            .one(db)
            .await?
        else {
            continue;
        };
        let Some(actor) = Actor::command_line_as(&person) else { continue };
        let mut oem_ids: Vec<i64> = grants.iter().filter(|g| g.dealer_id == d.id).map(|g| g.oem_id).collect();
        oem_ids.sort_unstable();
        oem_ids.dedup();
        for oem_id in oem_ids {
            let Some(maker) = oems.iter().find(|o| o.id == oem_id) else { continue };
            let of_maker: Vec<&vehicle_model::Model> = models.iter().filter(|m| m.oem_id == oem_id).collect();
            for _ in 0..VEHICLES_PER_PAIR {
                serial += 1;
                let model = of_maker[dice.next(of_maker.len() as u64) as usize];
                let in_service = today - Duration::days(60 + dice.next(5 * 365) as i64);
                let model_year = in_service.year() + i32::from(in_service.month() >= 9);
                let vin = demo_vin(&maker.code, &model.code, model_year, serial);
                vehicles::register(
                    db,
                    &actor,
                    NewVehicle {
                        vin: vin.clone(),
                        oem_id,
                        model_id: model.id,
                        model_year,
                        in_service_date: in_service.to_string(),
                        country: d.country.clone(),
                        odometer_km: None,
                    },
                )
                .await?;
                let visits = [0, 1, 1, 1, 2, 2, 3][dice.next(7) as usize];
                let (mut km, mut last) = (0i64, 0i64);
                let mut day = in_service;
                for visit in 0..visits {
                    day += Duration::days(30 + dice.next(300) as i64);
                    if day >= today {
                        break;
                    }
                    km += (day - in_service).num_days().max(1) * (25 + dice.next(35) as i64) / (visit + 1);
                    // Now and then a reading lower than the last one: kept, but flagged.
                    let reading = if last > 2_000 && dice.next(25) == 0 { last - 1_500 } else { km };
                    last = reading.max(last);
                    let ctx = Visit { actor: &actor, dealer_id: d.id, oem_id, model_code: &model.code, day, today };
                    visit_workshop(db, &ctx, &vin, reading.max(0), &mut dice).await?;
                }
            }
        }
    }
    Ok(())
}

struct Visit<'a> {
    actor: &'a Actor,
    dealer_id: i64,
    oem_id: i64,
    model_code: &'a str,
    day: NaiveDate,
    today: NaiveDate,
}

/// One repair: labour, a part or two from the shelf (a pack swap now and
/// then, with the failed pack recorded as removed), then completed,
/// cancelled or left open.
async fn visit_workshop(
    db: &DatabaseConnection,
    visit: &Visit<'_>,
    vin: &str,
    km: i64,
    dice: &mut Dice,
) -> Result<(), AppError> {
    let complaint = COMPLAINTS[dice.next(COMPLAINTS.len() as u64) as usize];
    let input = NewRepair { vin: Some(vin.into()), odometer_km: km, complaint: complaint.into(), ..Default::default() };
    let repair = repairs::open_on(db, visit.actor, input, Some(visit.day)).await?;
    let (code, description, hours) = LABOR[dice.next(LABOR.len() as u64) as usize];
    let labor = NewLabor { labor_code: code.into(), description: description.into(), hours };
    repairs::add_labor(db, visit.actor, repair.id, labor).await?;
    if let Some((part_id, _)) = plain_part_on_shelf(db, visit, dice).await? {
        if dice.next(3) == 0 {
            let failed = NewRepairPart { part_id, quantity: 1, serial: None, direction: "removed".into() };
            repairs::add_part(db, visit.actor, repair.id, failed).await?;
        }
        let line = NewRepairPart { part_id, quantity: 1, serial: None, direction: "installed".into() };
        repairs::add_part(db, visit.actor, repair.id, line).await?;
    }
    if dice.next(8) == 0
        && let Some((pack, serial)) = pack_on_shelf(db, visit).await?
    {
        let failed = format!("{}-FAIL-{}", &vin[11..], repair.id);
        let removed = NewRepairPart { part_id: pack, quantity: 1, serial: Some(failed), direction: "removed".into() };
        repairs::add_part(db, visit.actor, repair.id, removed).await?;
        let fitted = NewRepairPart { part_id: pack, quantity: 1, serial: Some(serial), direction: "installed".into() };
        repairs::add_part(db, visit.actor, repair.id, fitted).await?;
    }
    let age = (visit.today - visit.day).num_days();
    match dice.next(10) {
        _ if age < 20 => {}
        1..=3 if age < 200 => {}
        0 => {
            repairs::cancel(db, visit.actor, repair.id).await?;
        }
        _ => {
            let story = crate::model::repair::RepairPatch {
                cause: Some(format!("Found during {}", description.to_lowercase())),
                correction: Some(format!("{description}; road test passed")),
                ..Default::default()
            };
            repairs::update(db, visit.actor, repair.id, story).await?;
            let done = (visit.day + Duration::days(dice.next(3) as i64)).min(visit.today);
            repairs::complete_on(db, visit.actor, repair.id, Some(done)).await?;
        }
    }
    Ok(())
}

/// A non-serialized part of the maker with at least two on the shelf (one
/// always stays for the other demo journeys).
async fn plain_part_on_shelf(
    db: &DatabaseConnection,
    visit: &Visit<'_>,
    dice: &mut Dice,
) -> Result<Option<(i64, String)>, AppError> {
    let levels = stock_level::Entity::find()
        .filter(stock_level::Column::DealerId.eq(visit.dealer_id))
        .filter(stock_level::Column::OnHand.gte(2))
        .order_by_asc(stock_level::Column::Id)
        .all(db)
        .await?;
    let parts = part::Entity::find()
        .filter(part::Column::Id.is_in(levels.iter().map(|l| l.part_id).collect::<Vec<_>>()))
        .filter(part::Column::OemId.eq(visit.oem_id))
        .filter(part::Column::Serialized.eq(false))
        .order_by_asc(part::Column::PartNumber)
        .all(db)
        .await?;
    if parts.is_empty() {
        return Ok(None);
    }
    let p = &parts[dice.next(parts.len() as u64) as usize];
    Ok(Some((p.id, p.part_number.clone())))
}

/// A pack of the vehicle's model on the dealer's shelf, when there are two.
async fn pack_on_shelf(db: &DatabaseConnection, visit: &Visit<'_>) -> Result<Option<(i64, String)>, AppError> {
    let Some(pack) = part::Entity::find()
        .filter(part::Column::OemId.eq(visit.oem_id))
        .filter(part::Column::PartNumber.eq(format!("{}-P01", visit.model_code)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let units = part_unit::Entity::find()
        .filter(part_unit::Column::DealerId.eq(visit.dealer_id))
        .filter(part_unit::Column::PartId.eq(pack.id))
        .filter(part_unit::Column::Status.eq(UnitStatus::InStock.as_str()))
        .order_by_asc(part_unit::Column::Serial)
        .all(db)
        .await?;
    Ok(if units.len() >= 2 { units.into_iter().next().map(|u| (pack.id, u.serial)) } else { None })
}

/// A VIN of the maker's shape: WMI, the model in the descriptor, the check
/// digit, the model-year letter, plant `N` and a running number.
pub fn demo_vin(oem_code: &str, model_code: &str, model_year: i32, serial: u32) -> String {
    let wmi = if oem_code == "SVM" { "LSV" } else { "LPR" };
    let model: String = model_code.chars().filter(char::is_ascii_alphanumeric).take(3).collect();
    let year =
        "ABCDEFGHJKLMNPRSTVWXY123456789".chars().nth(((model_year - 2010).rem_euclid(30)) as usize).unwrap_or('T');
    let draft = format!("{wmi}{model:A<3}E20{year}N{serial:06}");
    let mut chars: Vec<char> = draft.chars().collect();
    chars[8] = check_digit(&draft);
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::vin::Vin;

    #[test]
    fn demo_vins_are_valid() {
        for (oem, model, year, n) in [("SVM", "SV3", 2024, 1), ("PRE", "PRV", 2021, 999_999), ("SVM", "SVX", 2026, 42)]
        {
            let vin = demo_vin(oem, model, year, n);
            assert_eq!(vin.len(), 17, "{vin}");
            assert!(Vin::parse(&vin).is_ok(), "{vin}");
        }
    }
}
