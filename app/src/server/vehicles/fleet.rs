//! Vehicles delivered by an OEM, written in bulk (the demo's fleet and the
//! bench's): one row and one ledger entry per vehicle, in one transaction.

use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use crate::model::AppError;
use crate::model::vin::Vin;
use crate::server::entities::vehicle;
use crate::server::ledger::{Change, LedgerTx};

/// A delivered vehicle, its VIN already built by the caller.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub vin: String,
    pub oem_id: i64,
    pub model_id: i64,
    pub model_year: i32,
    pub in_service_date: NaiveDate,
    pub country: String,
}

/// Writes the vehicles (batches of 5,000 per transaction); answers how
/// many were written.
///
/// # Errors
/// `Validation` on a VIN that is not valid; `Conflict` on a known VIN.
pub async fn register_unchecked(
    db: &DatabaseConnection,
    actor_id: Option<i64>,
    delivered: Vec<Delivered>,
) -> Result<u64, AppError> {
    if let Some(bad) = delivered.iter().find(|d| Vin::parse(&d.vin).is_err()) {
        return Err(AppError::field("vin", format!("{} is not a valid VIN", bad.vin)));
    }
    let mut written = 0;
    for batch in delivered.chunks(5_000) {
        let mut tx = LedgerTx::begin(db, actor_id).await?;
        let before: Option<i64> = vehicle::Entity::find()
            .select_only()
            .column(vehicle::Column::Id)
            .order_by_desc(vehicle::Column::Id)
            .limit(1)
            .into_tuple()
            .one(&*tx)
            .await?;
        let now = Utc::now();
        let rows = batch
            .iter()
            .map(|d| {
                vec![
                    d.vin.clone().into(),
                    d.oem_id.into(),
                    d.model_id.into(),
                    d.model_year.into(),
                    d.in_service_date.into(),
                    d.country.clone().into(),
                    now.into(),
                ]
            })
            .collect();
        crate::server::bulk::insert(
            &*tx,
            "vehicles",
            &["vin", "oem_id", "model_id", "model_year", "in_service_date", "country", "created_at"],
            rows,
        )
        .await
        .map_err(|_| AppError::conflict("One of these VINs is already registered."))?;
        let new = vehicle::Entity::find()
            .filter(vehicle::Column::Id.gt(before.unwrap_or(0)))
            .order_by_asc(vehicle::Column::Id)
            .all(&*tx)
            .await?;
        let changes = new
            .iter()
            .map(|row| {
                Change::new(
                    "vehicle",
                    row.id,
                    "vehicle.registered",
                    json!({"vin": row.vin, "oem_id": row.oem_id, "model_id": row.model_id, "model_year": row.model_year,
                        "in_service_date": row.in_service_date, "country": row.country, "delivered": true}),
                )
                .scoped(None, Some(row.oem_id))
            })
            .collect();
        tx.record_all(changes);
        tx.commit().await?;
        written += new.len() as u64;
    }
    Ok(written)
}
