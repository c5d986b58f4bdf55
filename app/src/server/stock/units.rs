//! Serialized part units and their life, read from the ledger.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::model::ledger::LedgerFilter;
use crate::model::stock::{PartUnitDto, UnitStatus, serial as parse_serial};
use crate::model::{AppError, Role};
use crate::server::auth::Actor;
use crate::server::entities::{dealer, part, part_unit};
use crate::server::ledger;

/// A unit by serial with its timeline. Without `part_id`, a serial that
/// several parts use answers 409 naming them.
///
/// # Errors
/// `NotFound` outside the actor's scope; `Conflict` for an ambiguous serial.
pub async fn find_unit(
    db: &DatabaseConnection,
    actor: &Actor,
    serial: &str,
    part_id: Option<i64>,
) -> Result<PartUnitDto, AppError> {
    let serial = parse_serial(serial).map_err(|_| AppError::NotFound)?;
    let mut query = part_unit::Entity::find().filter(part_unit::Column::Serial.eq(serial.as_str()));
    if let Some(part_id) = part_id {
        query = query.filter(part_unit::Column::PartId.eq(part_id));
    }
    let units = query.order_by_asc(part_unit::Column::Id).all(db).await?;
    let parts: HashMap<i64, part::Model> = part::Entity::find()
        .filter(part::Column::Id.is_in(units.iter().map(|u| u.part_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let visible: Vec<part_unit::Model> = units
        .into_iter()
        .filter(|u| match actor.role {
            Role::Admin => true,
            Role::Dealer => u.dealer_id.is_some() && u.dealer_id == actor.dealer_id,
            Role::ServiceManager => parts.get(&u.part_id).is_some_and(|p| Some(p.oem_id) == actor.oem_id),
        })
        .collect();
    let unit = match visible.as_slice() {
        [] => return Err(AppError::NotFound),
        [one] => one.clone(),
        several => {
            let names: Vec<String> = several
                .iter()
                .filter_map(|u| parts.get(&u.part_id).map(|p| format!("{} (part_id {})", p.part_number, p.id)))
                .collect();
            return Err(AppError::conflict(format!(
                "Serial {serial} belongs to several parts: {}. Name one with part_id.",
                names.join(", ")
            )));
        }
    };
    let part = parts.get(&unit.part_id).ok_or_else(|| anyhow::anyhow!("the unit's part is missing"))?;
    let dealer_code = match unit.dealer_id {
        Some(id) => dealer::Entity::find_by_id(id).one(db).await?.map(|d| d.code),
        None => None,
    };
    let filter = LedgerFilter {
        entity: Some("part_unit".into()),
        entity_id: Some(unit.id),
        limit: Some(500),
        ..Default::default()
    };
    let timeline = ledger::list(db, actor, &filter).await?.items;
    Ok(PartUnitDto {
        id: unit.id,
        serial: unit.serial,
        part_id: part.id,
        part_number: part.part_number.clone(),
        description: part.description.clone(),
        status: UnitStatus::parse(&unit.status).unwrap_or(UnitStatus::InStock),
        dealer_id: unit.dealer_id,
        dealer_code,
        vehicle_id: unit.vehicle_id,
        repair_id: unit.repair_id,
        timeline,
    })
}

/// The serials a dealer holds in stock for a part (to pick from when
/// scrapping, returning or transferring).
///
/// # Errors
/// `NotFound` for another dealer's stock, or another OEM's part.
pub async fn serials_in_stock(
    db: &DatabaseConnection,
    actor: &Actor,
    dealer_id: i64,
    part_id: i64,
) -> Result<Vec<String>, AppError> {
    match actor.role {
        Role::Admin => {}
        Role::Dealer if actor.dealer_id == Some(dealer_id) => {}
        Role::ServiceManager
            if part::Entity::find_by_id(part_id).one(db).await?.is_some_and(|p| Some(p.oem_id) == actor.oem_id) => {}
        _ => return Err(AppError::NotFound),
    }
    let rows = part_unit::Entity::find()
        .filter(part_unit::Column::DealerId.eq(dealer_id))
        .filter(part_unit::Column::PartId.eq(part_id))
        .filter(part_unit::Column::Status.eq(UnitStatus::InStock.as_str()))
        .order_by_asc(part_unit::Column::Serial)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|u| u.serial).collect())
}
