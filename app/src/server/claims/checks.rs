//! The six checks of a submission, gathered from the database and judged by
//! the rules in `model::claim`.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::model::AppError;
use crate::model::authorization::Question;
use crate::model::claim::{self as rules, CheckOutcome, ClaimStatus, PartFacts, Policy};
use crate::model::policy::ComponentCategory;
use crate::server::entities::{
    claim, claim_line, odometer_reading, part, repair_order, vehicle, vehicle_model, warranty_policy,
};

/// What a submission found: the checks in order, and the authorization
/// that covers the work (if one does).
pub(super) struct Findings {
    pub checks: Vec<CheckOutcome>,
    pub authorization_id: Option<i64>,
    /// The claim's lines as judged.
    pub lines: Vec<claim_line::Model>,
}

/// Runs the checks of DESIGN §4 for `claim` as it stands: a dozen indexed
/// reads, whatever the number of lines, authorizations or supersessions.
pub(super) async fn run(db: &impl ConnectionTrait, claim: &claim::Model) -> Result<Findings, AppError> {
    let missing = |what: &str| AppError::from(anyhow::anyhow!("claim {} lost its {what}", claim.id));
    let (repair, vehicle, model) = repair_order::Entity::find_by_id(claim.repair_id)
        .find_also_related(vehicle::Entity)
        .and_also_related(vehicle_model::Entity)
        .one(db)
        .await?
        .ok_or_else(|| missing("repair"))?;
    let vehicle = vehicle.ok_or_else(|| missing("vehicle"))?;
    let model = model.ok_or_else(|| missing("model"))?;
    let lines = claim_line::Entity::find()
        .filter(claim_line::Column::ClaimId.eq(claim.id))
        .order_by_asc(claim_line::Column::Id)
        .all(db)
        .await?;
    let mut part_ids: Vec<i64> = lines.iter().filter_map(|l| l.part_id).collect();
    part_ids.sort_unstable();
    part_ids.dedup();
    let mut facts = part_facts(db, part_ids.iter().copied().chain([claim.causal_part_id]).collect()).await?;
    let claimed: Vec<PartFacts> = part_ids.iter().filter_map(|id| facts.get(id).map(|(f, _)| f.clone())).collect();
    let (causal, category) = facts.remove(&claim.causal_part_id).ok_or_else(|| missing("causal part"))?;
    let day = repair.opened_on;

    let service_type = rules::service_type_for(category);
    let question =
        Question { dealer_id: claim.dealer_id, oem_id: vehicle.oem_id, model_id: vehicle.model_id, service_type, day };
    let covering = crate::server::authorizations::covering(db, &question).await?;
    let policy = policy_for(db, &vehicle, category).await?;

    let checks = vec![
        rules::check_authorization(covering.as_ref().map(|a| a.number.as_str()), service_type, &model.name, day),
        rules::check_coverage_time(policy, vehicle.in_service_date, day),
        rules::check_coverage_mileage(policy, repair.odometer_km),
        rules::check_part_eligibility(&causal, &claimed),
        rules::check_duplicate(
            duplicate(db, claim, day).await?.as_ref().map(|(n, d)| (n.as_str(), *d)),
            &causal.part_number,
        ),
        rules::check_odometer(higher_earlier(db, &repair).await?, repair.odometer_km),
    ];
    Ok(Findings { checks, authorization_id: covering.map(|a| a.id), lines })
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

/// Parts as check 4 sees them, each with the current part at the end of its
/// supersession chain, and its category: one query per link of the longest
/// chain, not one per part.
async fn part_facts(
    db: &impl ConnectionTrait,
    ids: Vec<i64>,
) -> Result<HashMap<i64, (PartFacts, ComponentCategory)>, AppError> {
    let parts = part::Entity::find().filter(part::Column::Id.is_in(ids)).all(db).await?;
    let mut known: HashMap<i64, part::Model> = HashMap::new();
    let mut wanted: Vec<i64> = parts.iter().filter_map(|p| p.superseded_by_id).collect();
    // Chains are acyclic (the catalogue refuses loops); the bound is a guard.
    for _ in 0..50 {
        wanted.retain(|id| !known.contains_key(id));
        if wanted.is_empty() {
            break;
        }
        let successors = part::Entity::find().filter(part::Column::Id.is_in(wanted.clone())).all(db).await?;
        wanted = successors.iter().filter_map(|p| p.superseded_by_id).collect();
        known.extend(successors.into_iter().map(|p| (p.id, p)));
    }
    let current = |p: &part::Model| {
        let mut at = p.superseded_by_id.and_then(|id| known.get(&id));
        let mut last = None;
        for _ in 0..50 {
            let Some(successor) = at else { break };
            last = Some(successor.part_number.clone());
            at = successor.superseded_by_id.and_then(|id| known.get(&id));
        }
        last
    };
    Ok(parts
        .iter()
        .map(|p| {
            let facts = PartFacts {
                part_number: p.part_number.clone(),
                warranty_eligible: p.warranty_eligible,
                active: p.active,
                superseded_by: current(p),
            };
            let category = ComponentCategory::parse(&p.component_category).unwrap_or(ComponentCategory::VehicleBasic);
            (p.id, (facts, category))
        })
        .collect())
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
