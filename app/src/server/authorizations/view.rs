//! Rows to DTOs and to the rule's `Terms`, with one `IN` query per related table.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::model::AppError;
use crate::model::authorization::{AuthorizationDto, StatusChange, StatusChangeDto, StatusChangeKind, Terms};
use crate::server::entities::{authorization, authorization_model, authorization_status_change as change, dealer, oem};

pub(super) fn build_terms(row: &authorization::Model, model_ids: Vec<i64>, changes: &[change::Model]) -> Terms {
    Terms {
        oem_id: row.oem_id,
        dealer_id: row.dealer_id,
        service_types: row.service_types.split(',').filter_map(|t| t.parse().ok()).collect(),
        model_ids,
        valid_from: row.valid_from,
        valid_to: row.valid_to,
        changes: changes
            .iter()
            .filter_map(|c| {
                StatusChangeKind::parse(&c.kind).map(|kind| StatusChange { kind, effective: c.effective_date })
            })
            .collect(),
    }
}

pub(super) async fn one(db: &DatabaseConnection, row: authorization::Model) -> Result<AuthorizationDto, AppError> {
    let mut dtos = to_dtos(db, vec![row], Utc::now().date_naive()).await?;
    dtos.pop().ok_or(AppError::NotFound)
}

/// DTOs for a batch of rows, with one `IN` query per related table.
pub(super) async fn to_dtos(
    db: &DatabaseConnection,
    rows: Vec<authorization::Model>,
    today: NaiveDate,
) -> Result<Vec<AuthorizationDto>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut models: HashMap<i64, Vec<i64>> = HashMap::new();
    for m in authorization_model::Entity::find()
        .filter(authorization_model::Column::AuthorizationId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        models.entry(m.authorization_id).or_default().push(m.model_id);
    }
    let mut changes: HashMap<i64, Vec<change::Model>> = HashMap::new();
    for c in change::Entity::find()
        .filter(change::Column::AuthorizationId.is_in(ids))
        .order_by_asc(change::Column::Id)
        .all(db)
        .await?
    {
        changes.entry(c.authorization_id).or_default().push(c);
    }
    let dealer_names: HashMap<i64, String> = dealer::Entity::find()
        .filter(dealer::Column::Id.is_in(rows.iter().map(|r| r.dealer_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let oem_names: HashMap<i64, String> = oem::Entity::find()
        .filter(oem::Column::Id.is_in(rows.iter().map(|r| r.oem_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut model_ids = models.remove(&row.id).unwrap_or_default();
            model_ids.sort_unstable();
            let row_changes = changes.remove(&row.id).unwrap_or_default();
            let terms = build_terms(&row, model_ids.clone(), &row_changes);
            AuthorizationDto {
                id: row.id,
                number: row.number,
                oem_name: oem_names.get(&row.oem_id).cloned().unwrap_or_default(),
                dealer_name: dealer_names.get(&row.dealer_id).cloned().unwrap_or_default(),
                oem_id: row.oem_id,
                dealer_id: row.dealer_id,
                status: terms.status_on(today),
                service_types: terms.service_types,
                model_ids,
                valid_from: row.valid_from,
                valid_to: row.valid_to,
                status_changes: row_changes
                    .into_iter()
                    .filter_map(|c| {
                        StatusChangeKind::parse(&c.kind).map(|kind| StatusChangeDto {
                            kind,
                            effective_date: c.effective_date,
                            reason: c.reason,
                            actor_id: c.actor_id,
                            at: c.created_at,
                        })
                    })
                    .collect(),
            }
        })
        .collect())
}
