//! Reading repairs: a dealer its own, a service manager those on its OEM's
//! vehicles, an admin all. Out of scope is not found.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::model::ledger::LedgerFilter;
use crate::model::repair::{
    LaborLineDto, PartDirection, RepairDto, RepairFilter, RepairPartDto, RepairStatus, StockChoice, hours_value,
    labor_amount,
};
use crate::model::stock::UnitStatus;
use crate::model::user::Page;
use crate::model::{AppError, Role, money, validate};
use crate::server::auth::Actor;
use crate::server::entities::{
    dealer, odometer_reading, part, part_unit, repair_labor, repair_order, repair_part, stock_level, stock_movement,
    vehicle, vehicle_model,
};
use crate::server::{ledger, pagination, stock};

/// One repair with its lines, stock movements and ledger timeline.
///
/// # Errors
/// `NotFound` outside the actor's scope.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<RepairDto, AppError> {
    let row = repair_order::Entity::find_by_id(id).filter(scope(actor)).one(db).await?.ok_or(AppError::NotFound)?;
    one(db, actor, row).await
}

/// One repair by its number (`RO-NO001-000042`), as [`get`].
///
/// # Errors
/// `NotFound` outside the actor's scope.
pub async fn find_by_number(db: &DatabaseConnection, actor: &Actor, number: &str) -> Result<RepairDto, AppError> {
    let row = repair_order::Entity::find()
        .filter(repair_order::Column::Number.eq(number.trim().to_uppercase()))
        .filter(scope(actor))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    one(db, actor, row).await
}

/// Repairs in scope, newest first.
///
/// # Errors
/// `Validation` for a bad filter, limit or cursor.
pub async fn list(db: &DatabaseConnection, actor: &Actor, filter: &RepairFilter) -> Result<Page<RepairDto>, AppError> {
    let limit = pagination::limit(filter.limit)?;
    let mut query = repair_order::Entity::find().filter(scope(actor));
    if let Some(status) = filter.status.as_deref().filter(|s| !s.trim().is_empty()) {
        let status = RepairStatus::parse(status).map_err(|m| AppError::field("status", m))?;
        query = query.filter(repair_order::Column::Status.eq(status.as_str()));
    }
    if let Some(number) = filter.number.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        query = query.filter(repair_order::Column::Number.eq(number.to_uppercase()));
    }
    if let Some(vehicle_id) = filter.vehicle_id {
        query = query.filter(repair_order::Column::VehicleId.eq(vehicle_id));
    }
    if let Some(dealer_id) = filter.dealer_id {
        query = query.filter(repair_order::Column::DealerId.eq(dealer_id));
    }
    if let Some(vin) = filter.vin.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        let vin = vin.to_uppercase();
        let mut vehicles = Query::select();
        vehicles
            .column(vehicle::Column::Id)
            .from(vehicle::Entity)
            .and_where(Expr::col(vehicle::Column::Vin).gte(vin.as_str()))
            .and_where(Expr::col(vehicle::Column::Vin).lt(format!("{vin}~")));
        query = query.filter(repair_order::Column::VehicleId.in_subquery(vehicles));
    }
    for (field, raw, after) in [("from", &filter.from, true), ("to", &filter.to, false)] {
        if let Some(raw) = raw.as_deref().filter(|r| !r.trim().is_empty()) {
            let day = validate::date(raw).map_err(|m| AppError::field(field, m))?;
            query = query.filter(if after {
                repair_order::Column::OpenedOn.gte(day)
            } else {
                repair_order::Column::OpenedOn.lte(day)
            });
        }
    }
    if let Some(cursor) = &filter.cursor {
        query = query.filter(repair_order::Column::Id.lt(pagination::decode_cursor(cursor)?));
    }
    let rows = query.order_by_desc(repair_order::Column::Id).limit(limit + 1).all(db).await?;
    let more = rows.len() as u64 > limit;
    let rows: Vec<repair_order::Model> = rows.into_iter().take(usize::try_from(limit).unwrap_or(usize::MAX)).collect();
    let next_cursor = if more { rows.last().map(|r| pagination::encode_cursor(r.id)) } else { None };
    Ok(Page { items: dtos(db, rows, false).await?, next_cursor })
}

/// A dealer its own repairs; a service manager those on its OEM's vehicles.
pub(crate) fn scope(actor: &Actor) -> Condition {
    match actor.role {
        Role::Admin => Condition::all(),
        Role::Dealer => Condition::all().add(repair_order::Column::DealerId.eq(actor.dealer_id.unwrap_or(-1))),
        Role::ServiceManager => {
            let mut vehicles = Query::select();
            vehicles
                .column(vehicle::Column::Id)
                .from(vehicle::Entity)
                .and_where(Expr::col(vehicle::Column::OemId).eq(actor.oem_id.unwrap_or(-1)));
            Condition::all().add(repair_order::Column::VehicleId.in_subquery(vehicles))
        }
    }
}

pub(crate) async fn one(
    db: &DatabaseConnection,
    actor: &Actor,
    row: repair_order::Model,
) -> Result<RepairDto, AppError> {
    let id = row.id;
    let mut dto = dtos(db, vec![row], true).await?.pop().ok_or_else(|| anyhow::anyhow!("repair {id} went missing"))?;
    let movements = stock_movement::Entity::find()
        .filter(stock_movement::Column::RepairId.eq(id))
        .order_by_asc(stock_movement::Column::Id)
        .all(db)
        .await?;
    dto.movements = stock::movement_dtos(db, movements).await?;
    let filter =
        LedgerFilter { entity: Some("repair".into()), entity_id: Some(id), limit: Some(500), ..Default::default() };
    dto.timeline = ledger::list(db, actor, &filter).await?.items;
    Ok(dto)
}

/// Repairs as the API shows them; `lines` adds labour and part lines.
pub(crate) async fn dtos(
    db: &DatabaseConnection,
    rows: Vec<repair_order::Model>,
    lines: bool,
) -> Result<Vec<RepairDto>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let dealers: HashMap<i64, dealer::Model> = dealer::Entity::find()
        .filter(dealer::Column::Id.is_in(rows.iter().map(|r| r.dealer_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let vehicles: HashMap<i64, vehicle::Model> = vehicle::Entity::find()
        .filter(vehicle::Column::Id.is_in(rows.iter().map(|r| r.vehicle_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let models: HashMap<i64, String> = vehicle_model::Entity::find()
        .filter(vehicle_model::Column::Id.is_in(vehicles.values().map(|v| v.model_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let flagged: Vec<i64> = odometer_reading::Entity::find()
        .select_only()
        .column(odometer_reading::Column::RepairId)
        .filter(odometer_reading::Column::RepairId.is_in(ids.clone()))
        .filter(odometer_reading::Column::Flagged.eq(true))
        .into_tuple::<Option<i64>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let mut labor: HashMap<i64, Vec<LaborLineDto>> = HashMap::new();
    let mut parts: HashMap<i64, Vec<RepairPartDto>> = HashMap::new();
    if lines {
        for l in repair_labor::Entity::find()
            .filter(repair_labor::Column::RepairId.is_in(ids.clone()))
            .order_by_asc(repair_labor::Column::Id)
            .all(db)
            .await?
        {
            labor.entry(l.repair_id).or_default().push(LaborLineDto {
                id: l.id,
                amount_minor: labor_amount(l.hours_hundredths, l.rate_minor),
                hours: hours_value(l.hours_hundredths),
                labor_code: l.labor_code,
                description: l.description,
                rate_minor: l.rate_minor,
                currency: l.currency,
            });
        }
        let part_rows = repair_part::Entity::find()
            .filter(repair_part::Column::RepairId.is_in(ids.clone()))
            .order_by_asc(repair_part::Column::Id)
            .all(db)
            .await?;
        let catalogue: HashMap<i64, part::Model> = part::Entity::find()
            .filter(part::Column::Id.is_in(part_rows.iter().map(|p| p.part_id).collect::<Vec<_>>()))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        for p in part_rows {
            let known = catalogue.get(&p.part_id);
            parts.entry(p.repair_id).or_default().push(RepairPartDto {
                id: p.id,
                part_id: p.part_id,
                part_number: known.map(|k| k.part_number.clone()).unwrap_or_default(),
                description: known.map(|k| k.description.clone()).unwrap_or_default(),
                serialized: known.is_some_and(|k| k.serialized),
                quantity: p.quantity,
                serial: p.serial,
                direction: PartDirection::parse(&p.direction).unwrap_or(PartDirection::Installed),
                price_minor: p.price_minor,
                currency: p.currency,
                movement_id: p.movement_id,
            });
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let dealer = dealers.get(&r.dealer_id);
            let vehicle = vehicles.get(&r.vehicle_id);
            let labor = labor.remove(&r.id).unwrap_or_default();
            let parts = parts.remove(&r.id).unwrap_or_default();
            RepairDto {
                id: r.id,
                status: RepairStatus::parse(&r.status).unwrap_or(RepairStatus::Open),
                dealer_id: r.dealer_id,
                dealer_code: dealer.map(|d| d.code.clone()).unwrap_or_default(),
                vehicle_id: r.vehicle_id,
                vin: vehicle.map(|v| v.vin.clone()).unwrap_or_default(),
                model_name: vehicle.and_then(|v| models.get(&v.model_id)).cloned().unwrap_or_default(),
                odometer_km: r.odometer_km,
                odometer_flagged: flagged.contains(&r.id),
                opened_on: r.opened_on,
                completed_on: r.completed_on,
                currency: dealer.map(|d| d.currency.clone()).unwrap_or_default(),
                // Lines are bounded when written; shown totals clamp, never wrap.
                labor_total_minor: money::total_clamped(labor.iter().map(|l| l.amount_minor)),
                parts_total_minor: money::total_clamped(
                    parts
                        .iter()
                        .filter(|p| {
                            p.direction == PartDirection::Installed && dealer.is_some_and(|d| d.currency == p.currency)
                        })
                        .map(|p| p.price_minor.saturating_mul(p.quantity)),
                ),
                labor,
                parts,
                number: r.number,
                complaint: r.complaint,
                cause: r.cause,
                correction: r.correction,
                movements: Vec::new(),
                timeline: Vec::new(),
            }
        })
        .collect())
}

/// The dealer's stock on hand of parts of the repair's vehicle maker, to
/// choose installed parts from (with the serials on the shelf).
///
/// # Errors
/// `NotFound` outside the dealer's repairs.
pub async fn part_choices(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Vec<StockChoice>, AppError> {
    let repair = repair_order::Entity::find_by_id(id).filter(scope(actor)).one(db).await?.ok_or(AppError::NotFound)?;
    if actor.dealer_id != Some(repair.dealer_id) {
        return Ok(Vec::new());
    }
    let oem_id = vehicle::Entity::find_by_id(repair.vehicle_id).one(db).await?.map(|v| v.oem_id).unwrap_or(-1);
    let mut of_maker = Query::select();
    of_maker.column(part::Column::Id).from(part::Entity).and_where(Expr::col(part::Column::OemId).eq(oem_id));
    let levels = stock_level::Entity::find()
        .filter(stock_level::Column::DealerId.eq(repair.dealer_id))
        .filter(stock_level::Column::OnHand.gt(0))
        .filter(stock_level::Column::PartId.in_subquery(of_maker))
        .limit(1000)
        .all(db)
        .await?;
    let parts: HashMap<i64, part::Model> = part::Entity::find()
        .filter(part::Column::Id.is_in(levels.iter().map(|l| l.part_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut serials: HashMap<i64, Vec<String>> = HashMap::new();
    for unit in part_unit::Entity::find()
        .filter(part_unit::Column::DealerId.eq(repair.dealer_id))
        .filter(part_unit::Column::Status.eq(UnitStatus::InStock.as_str()))
        .filter(part_unit::Column::PartId.is_in(parts.keys().copied().collect::<Vec<_>>()))
        .order_by_asc(part_unit::Column::Serial)
        .all(db)
        .await?
    {
        serials.entry(unit.part_id).or_default().push(unit.serial);
    }
    let mut choices: Vec<StockChoice> = levels
        .into_iter()
        .filter_map(|l| {
            let p = parts.get(&l.part_id)?;
            Some(StockChoice {
                part_id: p.id,
                part_number: p.part_number.clone(),
                description: p.description.clone(),
                serialized: p.serialized,
                on_hand: l.on_hand,
                serials: serials.remove(&p.id).unwrap_or_default(),
            })
        })
        .collect();
    choices.sort_by(|a, b| a.part_number.cmp(&b.part_number));
    Ok(choices)
}
