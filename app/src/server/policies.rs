//! Warranty policies. Admins write; service managers read their OEM's,
//! dealers those of the OEMs that authorize them.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use super::auth::Actor;
use super::entities::{oem, vehicle_model, warranty_policy};
use super::ledger::{Change, LedgerTx};
use crate::model::policy::{self, ComponentCategory, NewPolicy, PolicyDto, PolicyPatch};
use crate::model::{AppError, FieldErrors, Role};

/// # Errors
/// When the database is unavailable.
pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<PolicyDto>, AppError> {
    let oem_ids: Vec<i64> = super::oems::list(db, actor).await?.into_iter().map(|o| o.id).collect();
    let rows = warranty_policy::Entity::find()
        .filter(warranty_policy::Column::OemId.is_in(oem_ids))
        .order_by_asc(warranty_policy::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(dto).collect())
}

/// An admin sets coverage for an OEM (and optionally one of its models).
///
/// # Errors
/// `Forbidden`, `Validation` per field.
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: NewPolicy) -> Result<PolicyDto, AppError> {
    actor.require(Role::Admin)?;
    let mut errors = FieldErrors::new();
    if oem::Entity::find_by_id(input.oem_id).one(db).await?.is_none() {
        errors.add("oem_id", "is not a known OEM");
    }
    if let Some(model_id) = input.model_id {
        let model = vehicle_model::Entity::find_by_id(model_id).one(db).await?;
        if model.is_none_or(|m| m.oem_id != input.oem_id) {
            errors.add("model_id", "must be a model of the chosen OEM");
        }
    }
    let category = errors.check("component_category", ComponentCategory::parse(&input.component_category));
    let months = errors.check("months", policy::months(input.months));
    let km = errors.check("km", policy::km(input.km));
    errors.finish()?;
    let (Some(category), Some(months), Some(km)) = (category, months, km) else {
        return Err(anyhow::anyhow!("validated fields went missing").into());
    };
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let row = warranty_policy::ActiveModel {
        oem_id: Set(input.oem_id),
        model_id: Set(input.model_id),
        component_category: Set(category.as_str().to_string()),
        months: Set(months),
        km: Set(km),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    tx.record(
        Change::new(
            "warranty_policy",
            row.id,
            "warranty_policy.created",
            json!({"oem_id": row.oem_id, "model_id": row.model_id, "component_category": row.component_category, "months": months, "km": km}),
        )
        .scoped(None, Some(row.oem_id)),
    );
    tx.commit().await?;
    Ok(dto(row))
}

/// An admin changes months or km.
///
/// # Errors
/// `Forbidden`, `NotFound`, `Validation`.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    patch: PolicyPatch,
) -> Result<PolicyDto, AppError> {
    actor.require(Role::Admin)?;
    let mut errors = FieldErrors::new();
    let months = patch.months.and_then(|v| errors.check("months", policy::months(v)));
    let km = patch.km.and_then(|v| errors.check("km", policy::km(v)));
    errors.finish()?;
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let row = warranty_policy::Entity::find_by_id(id).one(&*tx).await?.ok_or(AppError::NotFound)?;
    let mut active: warranty_policy::ActiveModel = row.clone().into();
    if let Some(v) = months {
        active.months = Set(v);
    }
    if let Some(v) = km {
        active.km = Set(v);
    }
    let updated = active.update(&*tx).await?;
    tx.record(
        Change::new(
            "warranty_policy",
            id,
            "warranty_policy.updated",
            json!({"months": updated.months, "km": updated.km}),
        )
        .scoped(None, Some(row.oem_id)),
    );
    tx.commit().await?;
    Ok(dto(updated))
}

fn dto(row: warranty_policy::Model) -> PolicyDto {
    PolicyDto {
        id: row.id,
        oem_id: row.oem_id,
        model_id: row.model_id,
        component_category: ComponentCategory::parse(&row.component_category)
            .unwrap_or(ComponentCategory::VehicleBasic),
        months: row.months,
        km: row.km,
    }
}
