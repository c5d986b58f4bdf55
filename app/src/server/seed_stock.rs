//! Demo catalogue and stock: about 60 parts per demo OEM (packs, modules,
//! motors, inverters, chargers, sensors, body parts) imported through the
//! catalogue's own CSV import, and stock at every authorized demo dealer
//! written through the stock service — serialized packs, a transfer, and a
//! few parts below their reorder point.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::auth::Actor;
use super::entities::{authorization, dealer, oem, part};
use super::{parts, stock};
use crate::model::AppError;
use crate::model::stock::{NewMovement, NewTransfer, ReorderPointInput};

/// Parts every OEM stocks: (suffix, description, category, price in EUR cents, serialized, dangerous goods).
const COMMON: [(&str, &str, &str, i64, bool, bool); 42] = [
    ("HV-MOD-12S", "HV battery module 12s, 4.2 kWh", "hv_battery", 118_000, true, true),
    ("HV-BMS-01", "Battery management controller", "hv_battery", 64_000, true, false),
    ("HV-CMB-01", "Cell monitoring board", "hv_battery", 21_500, false, false),
    ("HV-CON-250", "HV main contactor 250 A", "hv_battery", 18_900, false, false),
    ("HV-FUSE-400", "HV fuse 400 A", "hv_battery", 6_400, false, false),
    ("HV-FUSE-400A", "HV fuse 400 A (old design)", "hv_battery", 5_900, false, false),
    ("HV-PRE-01", "Pre-charge resistor", "hv_battery", 3_200, false, false),
    ("HV-HRN-01", "HV cable harness, pack to inverter", "hv_battery", 42_000, false, false),
    ("HV-TMP-01", "Battery temperature sensor", "hv_battery", 2_450, false, false),
    ("HV-ISO-01", "Isolation monitoring unit", "hv_battery", 27_800, false, false),
    ("HV-CPL-01", "Battery coolant pump", "hv_battery", 31_000, false, false),
    ("HV-HOS-01", "Battery coolant hose set", "hv_battery", 8_900, false, false),
    ("HV-PAD-01", "Thermal interface pad kit", "hv_battery", 4_600, false, false),
    ("HV-SEAL-01", "Battery pack lid seal", "hv_battery", 7_300, false, false),
    ("DU-GBX-01", "Reduction gearbox 9.7:1", "drive_unit", 142_000, true, false),
    ("DU-MNT-01", "Drive unit mount, rear", "drive_unit", 9_800, false, false),
    ("DU-SFT-L", "Half shaft, left", "drive_unit", 38_500, false, false),
    ("DU-SFT-R", "Half shaft, right", "drive_unit", 38_500, false, false),
    ("DU-RES-01", "Motor resolver sensor", "drive_unit", 12_400, false, false),
    ("DU-OIL-01", "Drive unit oil, 1 l", "drive_unit", 1_900, false, false),
    ("EL-OBC-11", "On-board charger 11 kW", "electronics", 96_000, true, false),
    ("EL-DCDC-01", "DC-DC converter 2.5 kW", "electronics", 58_000, true, false),
    ("EL-CPA-CCS", "Charge port assembly CCS2", "electronics", 34_500, false, false),
    ("EL-CPD-01", "Charge port door actuator", "electronics", 6_700, false, false),
    ("EL-12V-60", "12 V auxiliary battery 60 Ah", "electronics", 14_900, false, true),
    ("EL-WSS-01", "Wheel speed sensor", "electronics", 4_300, false, false),
    ("EL-CUR-01", "Pack current sensor", "electronics", 9_600, false, false),
    ("EL-TCU-01", "Telematics control unit", "electronics", 41_000, true, false),
    ("EL-DSP-15", "Centre display 15.6 in", "electronics", 88_000, true, false),
    ("EL-CAM-01", "Front camera module", "electronics", 23_000, false, false),
    ("EL-RAD-01", "Front radar sensor", "electronics", 46_000, false, false),
    ("EL-PDC-01", "Parking sensor", "electronics", 3_900, false, false),
    ("EL-KEY-01", "Key fob", "electronics", 11_500, false, false),
    ("VB-WIP-D", "Wiper blade, driver side", "vehicle_basic", 2_100, false, false),
    ("VB-CAF-01", "Cabin air filter", "vehicle_basic", 2_600, false, false),
    ("VB-BRP-F", "Brake pads, front axle", "vehicle_basic", 8_400, false, false),
    ("VB-BRD-F", "Brake disc, front", "vehicle_basic", 11_200, false, false),
    ("VB-WBR-F", "Wheel bearing, front", "vehicle_basic", 9_700, false, false),
    ("VB-STR-T", "Tailgate gas strut", "vehicle_basic", 3_400, false, false),
    ("BP-MIR-L", "Door mirror glass, left", "body_paint", 5_800, false, false),
    ("BP-HDL-01", "Flush door handle", "body_paint", 15_600, false, false),
    ("BP-TUK-01", "Paint touch-up kit", "body_paint", 2_900, false, false),
];

/// Parts per model: (suffix, description, category, price, serialized, dangerous goods).
const PER_MODEL: [(&str, &str, &str, i64, bool, bool); 5] = [
    ("P", "HV battery pack", "hv_battery", 980_000, true, true),
    ("M", "Drive motor", "drive_unit", 265_000, true, false),
    ("I", "Traction inverter", "electronics", 148_000, true, false),
    ("B", "Front bumper cover, primed", "body_paint", 36_000, false, false),
    ("H", "LED headlamp, left", "electronics", 52_000, false, false),
];

/// Writes the catalogues and the dealers' stock.
///
/// # Errors
/// When the demo network is missing or a service refuses.
pub async fn seed_stock(db: &DatabaseConnection, actor: &Actor) -> Result<(), AppError> {
    let oems = oem::Entity::find().order_by_asc(oem::Column::Id).all(db).await?;
    for o in &oems {
        let models: Vec<String> = super::oems::models(db, actor, o.id).await?.into_iter().map(|m| m.code).collect();
        let prefix = &o.code[..2];
        let mut csv = String::from(
            "part_number,description,component_category,list_price_minor,currency,serialized,warranty_eligible,dangerous_goods,superseded_by\n",
        );
        for model in &models {
            for (suffix, description, category, price, serialized, dg) in PER_MODEL {
                csv.push_str(&format!(
                    "{model}-{suffix}01,\"{description}, {model}\",{category},{price},EUR,{serialized},true,{dg},\n"
                ));
            }
        }
        for (suffix, description, category, price, serialized, dg) in COMMON {
            let successor = if suffix == "HV-FUSE-400A" { format!("{prefix}-HV-FUSE-400") } else { String::new() };
            let eligible = !matches!(suffix, "DU-OIL-01" | "VB-WIP-D" | "VB-CAF-01" | "VB-BRP-F" | "BP-TUK-01");
            csv.push_str(&format!(
                "{prefix}-{suffix},\"{description}\",{category},{price},EUR,{serialized},{eligible},{dg},{successor}\n"
            ));
        }
        parts::import_csv(db, actor, Some(o.id), csv.into_bytes()).await?;
    }

    let dealers = dealer::Entity::find().order_by_asc(dealer::Column::Id).all(db).await?;
    let grants = authorization::Entity::find().all(db).await?;
    for (d_index, d) in dealers.iter().enumerate() {
        let mut oem_ids: Vec<i64> = grants.iter().filter(|a| a.dealer_id == d.id).map(|a| a.oem_id).collect();
        oem_ids.sort_unstable();
        oem_ids.dedup();
        for oem_id in oem_ids {
            let catalogue = part::Entity::find()
                .filter(part::Column::OemId.eq(oem_id))
                .filter(part::Column::Active.eq(true))
                .order_by_asc(part::Column::PartNumber)
                .all(db)
                .await?;
            for (i, p) in catalogue.iter().enumerate() {
                // A deterministic spread: about half the catalogue on the shelf.
                let pick = (i * 7 + d_index * 3) % 11;
                if pick > 5 {
                    continue;
                }
                let quantity = if p.serialized { 1 + (pick as i64 % 2) } else { 2 + (pick as i64 * 3) % 12 };
                let serials = p.serialized.then(|| {
                    (1..=quantity).map(|n| format!("{}-{}-{:03}", p.part_number, d.code, n)).collect::<Vec<_>>()
                });
                let receipt = NewMovement {
                    dealer_id: Some(d.id),
                    part_id: p.id,
                    kind: "receipt".into(),
                    quantity,
                    serials,
                    reference: Some(format!("DN-{}-{:04}", d.code, 1000 + i)),
                    ..Default::default()
                };
                stock::record_movement(db, actor, receipt).await?;
                if pick == 2 && i % 4 == 0 && !p.serialized {
                    let reorder =
                        ReorderPointInput { dealer_id: Some(d.id), part_id: p.id, reorder_point: quantity + 4 };
                    stock::set_reorder_point(db, actor, reorder).await?;
                } else if !p.serialized {
                    let reorder = ReorderPointInput { dealer_id: Some(d.id), part_id: p.id, reorder_point: 1 };
                    stock::set_reorder_point(db, actor, reorder).await?;
                }
                if pick == 4 && !p.serialized && quantity > 2 {
                    let scrap = NewMovement {
                        dealer_id: Some(d.id),
                        part_id: p.id,
                        kind: "scrap".into(),
                        quantity: 1,
                        reason: Some("Damaged in transit".into()),
                        ..Default::default()
                    };
                    stock::record_movement(db, actor, scrap).await?;
                }
            }
        }
    }
    transfer_one_pack(db, actor, &dealers).await
}

/// Oslo sends one Sinovolt pack to Bangkok, so a unit's trace shows a transfer.
async fn transfer_one_pack(db: &DatabaseConnection, actor: &Actor, dealers: &[dealer::Model]) -> Result<(), AppError> {
    let (Some(oslo), Some(bangkok)) =
        (dealers.iter().find(|d| d.code == "NO001"), dealers.iter().find(|d| d.code == "TH001"))
    else {
        return Ok(());
    };
    let mut pack = None;
    for p in part::Entity::find().filter(part::Column::PartNumber.like("SV%-P01")).all(db).await? {
        if let Some(serial) = stock::serials_in_stock(db, actor, oslo.id, p.id).await?.into_iter().next() {
            pack = Some((p.id, serial));
            break;
        }
    }
    let Some((part_id, serial)) = pack else { return Ok(()) };
    let input = NewTransfer {
        from_dealer_id: Some(oslo.id),
        to_dealer_id: bangkok.id,
        part_id,
        quantity: 1,
        serials: Some(vec![serial]),
        reference: Some("TR-NO001-TH001-0001".into()),
    };
    stock::transfer(db, actor, input).await.map(|_| ())
}
