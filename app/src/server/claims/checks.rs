//! The six checks of a submission, gathered from the database and judged by
//! the rules in `model::claim`.

use chrono::{Duration, NaiveDate};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::model::AppError;
use crate::model::authorization::Question;
use crate::model::claim::{self as rules, CheckOutcome, ClaimStatus, PartFacts, Policy};
use crate::model::policy::ComponentCategory;
use crate::server::entities::{
    authorization, claim, claim_line, odometer_reading, part, repair_order, vehicle, vehicle_model, warranty_policy,
};

/// What a submission found: the checks in order, and the authorization
/// that covers the work (if one does).
pub(super) struct Findings {
    pub checks: Vec<CheckOutcome>,
    pub authorization_id: Option<i64>,
}

/// Runs the checks of DESIGN §4 for `claim` as it stands.
pub(super) async fn run(db: &impl ConnectionTrait, claim: &claim::Model) -> Result<Findings, AppError> {
    let missing = |what: &str| AppError::from(anyhow::anyhow!("claim {} lost its {what}", claim.id));
    let repair = repair_order::Entity::find_by_id(claim.repair_id).one(db).await?.ok_or_else(|| missing("repair"))?;
    let vehicle = vehicle::Entity::find_by_id(claim.vehicle_id).one(db).await?.ok_or_else(|| missing("vehicle"))?;
    let model = vehicle_model::Entity::find_by_id(vehicle.model_id).one(db).await?.ok_or_else(|| missing("model"))?;
    let causal = part::Entity::find_by_id(claim.causal_part_id).one(db).await?.ok_or_else(|| missing("causal part"))?;
    let category = ComponentCategory::parse(&causal.component_category).unwrap_or(ComponentCategory::VehicleBasic);
    let day = repair.opened_on;

    let service_type = rules::service_type_for(category);
    let question =
        Question { dealer_id: claim.dealer_id, oem_id: vehicle.oem_id, model_id: vehicle.model_id, service_type, day };
    let mut covering = None;
    for row in authorization::Entity::find()
        .filter(authorization::Column::DealerId.eq(claim.dealer_id))
        .filter(authorization::Column::OemId.eq(vehicle.oem_id))
        .order_by_asc(authorization::Column::Id)
        .all(db)
        .await?
    {
        if crate::server::authorizations::terms_of(db, &row).await?.covers(&question) {
            covering = Some(row);
            break;
        }
    }
    let policy = policy_for(db, &vehicle, category).await?;

    let line_parts: Vec<i64> = claim_line::Entity::find()
        .filter(claim_line::Column::ClaimId.eq(claim.id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|l| l.part_id)
        .collect();
    let mut claimed = Vec::new();
    for p in
        part::Entity::find().filter(part::Column::Id.is_in(line_parts)).order_by_asc(part::Column::Id).all(db).await?
    {
        claimed.push(facts(db, &p).await?);
    }

    let checks = vec![
        rules::check_authorization(covering.as_ref().map(|a| a.number.as_str()), service_type, &model.name, day),
        rules::check_coverage_time(policy, vehicle.in_service_date, day),
        rules::check_coverage_mileage(policy, repair.odometer_km),
        rules::check_part_eligibility(&facts(db, &causal).await?, &claimed),
        rules::check_duplicate(
            duplicate(db, claim, day).await?.as_ref().map(|(n, d)| (n.as_str(), *d)),
            &causal.part_number,
        ),
        rules::check_odometer(higher_earlier(db, &repair).await?, repair.odometer_km),
    ];
    Ok(Findings { checks, authorization_id: covering.map(|a| a.id) })
}

/// The causal category's policy (the model's, else the OEM's), else the
/// basic warranty's; none when the OEM has neither.
async fn policy_for(
    db: &impl ConnectionTrait,
    vehicle: &vehicle::Model,
    category: ComponentCategory,
) -> Result<Option<Policy>, AppError> {
    let policies =
        warranty_policy::Entity::find().filter(warranty_policy::Column::OemId.eq(vehicle.oem_id)).all(db).await?;
    let find = |category: ComponentCategory| {
        let of = || policies.iter().filter(move |p| p.component_category == category.as_str());
        of().find(|p| p.model_id == Some(vehicle.model_id)).or_else(|| of().find(|p| p.model_id.is_none()))
    };
    Ok(find(category)
        .map(|p| (category, p))
        .or_else(|| find(ComponentCategory::VehicleBasic).map(|p| (ComponentCategory::VehicleBasic, p)))
        .map(|(category, p)| Policy { category, months: p.months, km: p.km }))
}

/// A part as check 4 sees it, with the current part of its supersession chain.
async fn facts(db: &impl ConnectionTrait, p: &part::Model) -> Result<PartFacts, AppError> {
    let mut superseded_by = None;
    let mut next = p.superseded_by_id;
    for _ in 0..50 {
        let Some(id) = next else { break };
        let Some(successor) = part::Entity::find_by_id(id).one(db).await? else { break };
        next = successor.superseded_by_id;
        superseded_by = Some(successor.part_number);
    }
    Ok(PartFacts {
        part_number: p.part_number.clone(),
        warranty_eligible: p.warranty_eligible,
        active: p.active,
        superseded_by,
    })
}

/// Another live claim on the same vehicle and causal part whose repair is
/// within 30 days of this one's — one query, however many claims the
/// vehicle has.
async fn duplicate(
    db: &impl ConnectionTrait,
    claim: &claim::Model,
    day: NaiveDate,
) -> Result<Option<(String, NaiveDate)>, AppError> {
    let window = Duration::days(rules::DUPLICATE_DAYS);
    let mut near = Query::select();
    near.column(repair_order::Column::Id)
        .from(repair_order::Entity)
        .and_where(Expr::col(repair_order::Column::VehicleId).eq(claim.vehicle_id))
        .and_where(Expr::col(repair_order::Column::OpenedOn).gte(day - window))
        .and_where(Expr::col(repair_order::Column::OpenedOn).lte(day + window));
    let Some(other) = claim::Entity::find()
        .filter(claim::Column::VehicleId.eq(claim.vehicle_id))
        .filter(claim::Column::CausalPartId.eq(claim.causal_part_id))
        .filter(claim::Column::Id.ne(claim.id))
        .filter(claim::Column::Status.ne(ClaimStatus::Withdrawn.as_str()))
        .filter(claim::Column::RepairId.in_subquery(near))
        .order_by_asc(claim::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let repair = repair_order::Entity::find_by_id(other.repair_id).one(db).await?;
    Ok(repair.map(|r| (other.number, r.opened_on)))
}

/// The highest earlier reading of the vehicle above this repair's, if any.
async fn higher_earlier(
    db: &impl ConnectionTrait,
    repair: &repair_order::Model,
) -> Result<Option<(i64, NaiveDate)>, AppError> {
    let reading = odometer_reading::Entity::find()
        .filter(odometer_reading::Column::VehicleId.eq(repair.vehicle_id))
        .filter(odometer_reading::Column::ReadingDate.lte(repair.opened_on))
        .filter(odometer_reading::Column::Km.gt(repair.odometer_km))
        .filter(
            Condition::any()
                .add(odometer_reading::Column::RepairId.is_null())
                .add(odometer_reading::Column::RepairId.ne(repair.id)),
        )
        .order_by_desc(odometer_reading::Column::Km)
        .one(db)
        .await?;
    Ok(reading.map(|r| (r.km, r.reading_date)))
}
