//! The six checks of a submission, gathered from the database and judged by
//! the rules in `model::claim`.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::model::AppError;
use crate::model::authorization::Question;
use crate::model::claim::{self as rules, CheckOutcome, ClaimStatus, PartFacts, Policy};
use crate::model::policy::ComponentCategory;
use crate::server::entities::{
    claim, claim_line, odometer_reading, part, repair_order, vehicle, vehicle_model, warranty_policy,
};

/// What a submission found: the checks in order, the authorization that
/// covers the work (if one does), and what was read to judge them.
pub(super) struct Findings {
    pub checks: Vec<CheckOutcome>,
    pub authorization_id: Option<i64>,
    /// The claim's lines as judged.
    pub lines: Vec<claim_line::Model>,
    pub repair: repair_order::Model,
    pub vehicle: vehicle::Model,
    pub model: vehicle_model::Model,
    pub causal_part_number: String,
}

/// What a claim is about: its repair, the vehicle and its model.
pub(super) struct Subject {
    pub repair: repair_order::Model,
    pub vehicle: vehicle::Model,
    pub model: vehicle_model::Model,
}

/// Runs the checks of DESIGN §4 for `claim` as it stands, given its
/// subject: four indexed reads, whatever the number of lines or
/// authorizations (one more per link of a supersession chain).
pub(super) async fn run(
    db: &impl ConnectionTrait,
    claim: &claim::Model,
    subject: Subject,
) -> Result<Findings, AppError> {
    let missing = |what: &str| AppError::from(anyhow::anyhow!("claim {} lost its {what}", claim.id));
    let Subject { repair, vehicle, model } = subject;
    let (lines, line_parts): (Vec<claim_line::Model>, Vec<Option<part::Model>>) = claim_line::Entity::find()
        .filter(claim_line::Column::ClaimId.eq(claim.id))
        .order_by_asc(claim_line::Column::Id)
        .find_also_related(part::Entity)
        .all(db)
        .await?
        .into_iter()
        .unzip();
    let mut parts: Vec<part::Model> = line_parts.into_iter().flatten().collect();
    parts.sort_unstable_by_key(|p| p.id);
    parts.dedup_by_key(|p| p.id);
    let claimed_ids: Vec<i64> = parts.iter().map(|p| p.id).collect();
    if !claimed_ids.contains(&claim.causal_part_id) {
        parts.extend(part::Entity::find_by_id(claim.causal_part_id).one(db).await?);
    }
    let mut facts = part_facts(db, parts).await?;
    let claimed: Vec<PartFacts> = claimed_ids.iter().filter_map(|id| facts.get(id).map(|(f, _)| f.clone())).collect();
    let (causal, category) = facts.remove(&claim.causal_part_id).ok_or_else(|| missing("causal part"))?;
    let day = repair.opened_on;

    let service_type = rules::service_type_for(category);
    let question =
        Question { dealer_id: claim.dealer_id, oem_id: vehicle.oem_id, model_id: vehicle.model_id, service_type, day };
    let covering = crate::server::authorizations::covering(db, &question).await?;
    let history = history(db, claim, &repair, &vehicle, category).await?;
    let policy = history.policy;

    let checks = vec![
        rules::check_authorization(covering.as_ref().map(|a| a.number.as_str()), service_type, &model.name, day),
        rules::check_coverage_time(policy, vehicle.in_service_date, day),
        rules::check_coverage_mileage(policy, repair.odometer_km),
        rules::check_part_eligibility(&causal, &claimed),
        rules::check_duplicate(history.twin.as_ref().map(|(n, d)| (n.as_str(), *d)), &causal.part_number),
        rules::check_odometer(history.higher_earlier, repair.odometer_km),
    ];
    Ok(Findings {
        checks,
        authorization_id: covering.map(|a| a.id),
        lines,
        repair,
        vehicle,
        model,
        causal_part_number: causal.part_number,
    })
}

/// Parts as check 4 sees them, each with the current part at the end of its
/// supersession chain, and its category: one query per link of the longest
/// chain, not one per part.
async fn part_facts(
    db: &impl ConnectionTrait,
    parts: Vec<part::Model>,
) -> Result<HashMap<i64, (PartFacts, ComponentCategory)>, AppError> {
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

/// What the vehicle's history says to checks 5 and 6.
struct History {
    /// Another live claim on the same vehicle and causal part whose repair
    /// is within 30 days of this one's: its number and repair date.
    twin: Option<(String, NaiveDate)>,
    /// The highest earlier reading of the vehicle above this repair's.
    higher_earlier: Option<(i64, NaiveDate)>,
    /// The causal category's policy (the model's, else the OEM's), else the
    /// basic warranty's; none when the OEM has neither.
    policy: Option<Policy>,
}

/// These facts and the policy in one statement of eight indexed scalar
/// subqueries, however many claims, readings and policies there are.
async fn history(
    db: &impl ConnectionTrait,
    claim: &claim::Model,
    repair: &repair_order::Model,
    vehicle: &vehicle::Model,
    category: ComponentCategory,
) -> Result<History, AppError> {
    let window = Duration::days(rules::DUPLICATE_DAYS);
    let day = repair.opened_on;
    let twin = |column: Expr| {
        let mut query = Query::select();
        query
            .expr(column)
            .from(claim::Entity)
            .inner_join(
                repair_order::Entity,
                Expr::col((repair_order::Entity, repair_order::Column::Id))
                    .equals((claim::Entity, claim::Column::RepairId)),
            )
            .and_where(Expr::col((claim::Entity, claim::Column::VehicleId)).eq(claim.vehicle_id))
            .and_where(Expr::col((claim::Entity, claim::Column::CausalPartId)).eq(claim.causal_part_id))
            .and_where(Expr::col((claim::Entity, claim::Column::Id)).ne(claim.id))
            .and_where(Expr::col((claim::Entity, claim::Column::Status)).ne(ClaimStatus::Withdrawn.as_str()))
            .and_where(Expr::col((repair_order::Entity, repair_order::Column::OpenedOn)).gte(day - window))
            .and_where(Expr::col((repair_order::Entity, repair_order::Column::OpenedOn)).lte(day + window))
            .order_by((claim::Entity, claim::Column::Id), Order::Asc)
            .limit(1);
        Expr::SubQuery(None, Box::new(query.into()))
    };
    let reading = |column: odometer_reading::Column| {
        let mut query = Query::select();
        query
            .column(column)
            .from(odometer_reading::Entity)
            .and_where(Expr::col(odometer_reading::Column::VehicleId).eq(repair.vehicle_id))
            .and_where(Expr::col(odometer_reading::Column::ReadingDate).lte(day))
            .and_where(Expr::col(odometer_reading::Column::Km).gt(repair.odometer_km))
            .and_where(
                Expr::col(odometer_reading::Column::RepairId)
                    .is_null()
                    .or(Expr::col(odometer_reading::Column::RepairId).ne(repair.id)),
            )
            .order_by(odometer_reading::Column::Km, Order::Desc)
            .limit(1);
        Expr::SubQuery(None, Box::new(query.into()))
    };
    // The model's own policy sorts before the OEM's (false before true).
    let policy = |category: ComponentCategory, column: warranty_policy::Column| {
        let mut query = Query::select();
        query
            .column(column)
            .from(warranty_policy::Entity)
            .and_where(Expr::col(warranty_policy::Column::OemId).eq(vehicle.oem_id))
            .and_where(Expr::col(warranty_policy::Column::ComponentCategory).eq(category.as_str()))
            .and_where(
                Expr::col(warranty_policy::Column::ModelId)
                    .eq(vehicle.model_id)
                    .or(Expr::col(warranty_policy::Column::ModelId).is_null()),
            )
            .order_by_expr(Expr::col(warranty_policy::Column::ModelId).is_null(), Order::Asc)
            .limit(1);
        Expr::SubQuery(None, Box::new(query.into()))
    };
    let basic = ComponentCategory::VehicleBasic;
    let mut query = Query::select();
    query
        .expr_as(twin(Expr::col((claim::Entity, claim::Column::Number))), "twin_number")
        .expr_as(twin(Expr::col((repair_order::Entity, repair_order::Column::OpenedOn))), "twin_day")
        .expr_as(reading(odometer_reading::Column::Km), "reading_km")
        .expr_as(reading(odometer_reading::Column::ReadingDate), "reading_day")
        .expr_as(policy(category, warranty_policy::Column::Months), "policy_months")
        .expr_as(policy(category, warranty_policy::Column::Km), "policy_km")
        .expr_as(policy(basic, warranty_policy::Column::Months), "basic_months")
        .expr_as(policy(basic, warranty_policy::Column::Km), "basic_km");
    let row = db.query_one(&query).await?.ok_or_else(|| anyhow::anyhow!("a select without a table gave no row"))?;
    let twin_number: Option<String> = row.try_get("", "twin_number")?;
    let twin_day: Option<NaiveDate> = row.try_get("", "twin_day")?;
    let reading_km: Option<i64> = row.try_get("", "reading_km")?;
    let reading_day: Option<NaiveDate> = row.try_get("", "reading_day")?;
    let policy_of = |category: ComponentCategory, prefix: &str| -> Result<Option<Policy>, AppError> {
        let months: Option<i32> = row.try_get("", &format!("{prefix}_months"))?;
        let km: Option<i64> = row.try_get("", &format!("{prefix}_km"))?;
        Ok(months.zip(km).map(|(months, km)| Policy { category, months, km }))
    };
    let policy = match policy_of(category, "policy")? {
        Some(policy) => Some(policy),
        None => policy_of(basic, "basic")?,
    };
    Ok(History { twin: twin_number.zip(twin_day), higher_earlier: reading_km.zip(reading_day), policy })
}
