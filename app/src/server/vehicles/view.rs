//! What the vehicle page adds to a vehicle: warranty left per component
//! category and the parts its repairs put in and took out.

use super::*;

/// Coverage left per category: the model's policy, else the OEM's.
pub(super) async fn coverage(db: &DatabaseConnection, vehicle: &VehicleDto) -> Result<Vec<CoverageDto>, AppError> {
    let policies =
        warranty_policy::Entity::find().filter(warranty_policy::Column::OemId.eq(vehicle.oem_id)).all(db).await?;
    let today = Utc::now().date_naive();
    let policy_for = |category: ComponentCategory| {
        let of_category = || policies.iter().filter(move |p| p.component_category == category.as_str());
        of_category()
            .find(|p| p.model_id == Some(vehicle.model_id))
            .or_else(|| of_category().find(|p| p.model_id.is_none()))
    };
    Ok(ComponentCategory::ALL
        .into_iter()
        .filter_map(|category| {
            // A category without its own policy falls back to the basic warranty (DESIGN §4).
            let (policy, basic) = match policy_for(category) {
                Some(own) => (own, false),
                None => (policy_for(ComponentCategory::VehicleBasic)?, true),
            };
            let mut left = rules::coverage(
                category,
                policy.months,
                policy.km,
                vehicle.in_service_date,
                vehicle.last_odometer_km,
                today,
            );
            left.basic_fallback = basic;
            Some(left)
        })
        .collect())
}

/// Part lines of the vehicle's repairs the reader may see (cancelled
/// repairs left out: their parts went back).
pub(super) async fn parts(db: &DatabaseConnection, vehicle: &VehicleDto) -> Result<Vec<VehiclePartDto>, AppError> {
    let repairs: HashMap<i64, &crate::model::repair::RepairDto> =
        vehicle.repairs.iter().filter(|r| r.status != RepairStatus::Cancelled).map(|r| (r.id, r)).collect();
    let lines = repair_part::Entity::find()
        .filter(repair_part::Column::RepairId.is_in(repairs.keys().copied().collect::<Vec<_>>()))
        .order_by_asc(repair_part::Column::Id)
        .all(db)
        .await?;
    let catalogue: HashMap<i64, part::Model> = part::Entity::find()
        .filter(part::Column::Id.is_in(lines.iter().map(|l| l.part_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(lines
        .into_iter()
        .filter_map(|l| {
            let repair = repairs.get(&l.repair_id)?;
            let known = catalogue.get(&l.part_id);
            Some(VehiclePartDto {
                repair_id: repair.id,
                repair_number: repair.number.clone(),
                date: repair.completed_on.unwrap_or(repair.opened_on),
                part_id: l.part_id,
                part_number: known.map(|p| p.part_number.clone()).unwrap_or_default(),
                description: known.map(|p| p.description.clone()).unwrap_or_default(),
                quantity: l.quantity,
                serial: l.serial,
                direction: PartDirection::parse(&l.direction).unwrap_or(PartDirection::Installed),
            })
        })
        .collect())
}
