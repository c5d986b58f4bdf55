//! Claims as lists show them: each with its dealer's code, repair, vehicle,
//! model, causal part and warnings, read for a whole page at once.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use crate::model::AppError;
use crate::model::claim::{CheckKind, CheckResult, ClaimDto, ClaimStatus};
use crate::model::network::Money;
use crate::server::entities::{claim, claim_check, dealer, part, repair_order, vehicle, vehicle_model};

/// Claims as the API shows them, without their details.
pub(crate) async fn dtos(db: &DatabaseConnection, rows: Vec<claim::Model>) -> Result<Vec<ClaimDto>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut warnings: HashMap<i64, Vec<CheckKind>> = HashMap::new();
    for (claim_id, check) in claim_check::Entity::find()
        .select_only()
        .column(claim_check::Column::ClaimId)
        .column(claim_check::Column::Check)
        .filter(claim_check::Column::ClaimId.is_in(ids))
        .filter(claim_check::Column::Result.eq(CheckResult::Warn.as_str()))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
    {
        warnings.entry(claim_id).or_default().extend(CheckKind::parse(&check));
    }
    summaries(db, rows, warnings).await
}

/// The claims with their dealer, repair, vehicle, model and causal part,
/// given their warnings.
async fn summaries(
    db: &DatabaseConnection,
    rows: Vec<claim::Model>,
    mut warnings: HashMap<i64, Vec<CheckKind>>,
) -> Result<Vec<ClaimDto>, AppError> {
    let related = Related::load(db, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|c| {
            let warnings = warnings.remove(&c.id).unwrap_or_default();
            related.summary(c, warnings)
        })
        .collect())
}

/// What a claim's summary names besides the claim's own row: its dealer's
/// code, its repair, vehicle and model, its causal part's number.
#[derive(Default)]
pub(super) struct Related {
    dealers: HashMap<i64, String>,
    repairs: HashMap<i64, repair_order::Model>,
    vehicles: HashMap<i64, vehicle::Model>,
    models: HashMap<i64, String>,
    parts: HashMap<i64, String>,
}

impl Related {
    /// Reads them for `rows` in three queries, however many rows.
    pub(super) async fn load(db: &DatabaseConnection, rows: &[claim::Model]) -> Result<Self, AppError> {
        let dealers = crate::server::dealers::codes(db, rows.iter().map(|r| r.dealer_id)).await?;
        let mut related = Self { dealers, ..Self::default() };
        for (repair, vehicle, model) in repair_order::Entity::find()
            .filter(repair_order::Column::Id.is_in(rows.iter().map(|r| r.repair_id).collect::<Vec<_>>()))
            .find_also_related(vehicle::Entity)
            .and_also_related(vehicle_model::Entity)
            .all(db)
            .await?
        {
            related.add_repair(repair, vehicle, model);
        }
        related.parts = part::Entity::find()
            .filter(part::Column::Id.is_in(rows.iter().map(|r| r.causal_part_id).collect::<Vec<_>>()))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.part_number))
            .collect();
        Ok(related)
    }

    /// What one claim's caller has already read.
    pub(super) fn of_one(
        dealer: &dealer::Model,
        repair: repair_order::Model,
        vehicle: vehicle::Model,
        model: vehicle_model::Model,
        causal_part: (i64, String),
    ) -> Self {
        let mut related = Self::default();
        related.dealers.insert(dealer.id, dealer.code.clone());
        related.add_repair(repair, Some(vehicle), Some(model));
        related.parts.insert(causal_part.0, causal_part.1);
        related
    }

    fn add_repair(
        &mut self,
        repair: repair_order::Model,
        vehicle: Option<vehicle::Model>,
        model: Option<vehicle_model::Model>,
    ) {
        if let Some(model) = model {
            self.models.insert(model.id, model.name);
        }
        if let Some(vehicle) = vehicle {
            self.vehicles.insert(vehicle.id, vehicle);
        }
        self.repairs.insert(repair.id, repair);
    }

    pub(super) fn summary(&self, c: claim::Model, warnings: Vec<CheckKind>) -> ClaimDto {
        let repair = self.repairs.get(&c.repair_id);
        let vehicle = self.vehicles.get(&c.vehicle_id);
        ClaimDto {
            id: c.id,
            status: ClaimStatus::parse(&c.status).unwrap_or(ClaimStatus::Draft),
            dealer_id: c.dealer_id,
            dealer_code: self.dealers.get(&c.dealer_id).cloned().unwrap_or_default(),
            oem_id: c.oem_id,
            repair_id: c.repair_id,
            repair_number: repair.map(|r| r.number.clone()).unwrap_or_default(),
            repair_date: repair.map(|r| r.opened_on).unwrap_or_default(),
            vehicle_id: c.vehicle_id,
            vin: vehicle.map(|v| v.vin.clone()).unwrap_or_default(),
            model_name: vehicle.and_then(|v| self.models.get(&v.model_id)).cloned().unwrap_or_default(),
            authorization_id: c.authorization_id,
            causal_part_id: c.causal_part_id,
            causal_part_number: self.parts.get(&c.causal_part_id).cloned().unwrap_or_default(),
            requested_total: Money { amount_minor: c.requested_minor, currency: c.currency.clone() },
            approved_total: c.approved_minor.map(|a| Money { amount_minor: a, currency: c.currency.clone() }),
            warnings,
            number: c.number,
            failure_code: c.failure_code,
            currency: c.currency,
            version: c.version,
            appealed: c.appealed,
            info_answered: c.info_answered,
            age_days: c.submitted_at.map(|at| (chrono::Utc::now() - at).num_days()),
            submitted_at: c.submitted_at,
            decided_at: c.decided_at,
            paid_at: c.paid_at,
            payment_reference: c.payment_reference,
            created_at: c.created_at,
            updated_at: c.updated_at,
            lines: Vec::new(),
            checks: Vec::new(),
            comments: Vec::new(),
            attachments: Vec::new(),
            part_returns: Vec::new(),
            timeline: Vec::new(),
        }
    }
}
