//! Claims as lists show them: each with its dealer's code, repair, vehicle,
//! model, causal part and warnings, read for a whole page in one statement.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};

use crate::model::AppError;
use crate::model::claim::{CheckKind, CheckResult, ClaimDto, ClaimStatus};
use crate::model::network::Money;
use crate::server::entities::{claim, claim_check, dealer, part, repair_order, vehicle, vehicle_model};

/// Claims as the API shows them, without their details.
pub(crate) async fn dtos(db: &impl ConnectionTrait, rows: Vec<claim::Model>) -> Result<Vec<ClaimDto>, AppError> {
    let mut names = Names::load(db, rows.iter().map(|r| r.id)).await?;
    Ok(rows
        .into_iter()
        .map(|c| {
            let names = names.remove(&c.id).unwrap_or_default();
            names.summary(c)
        })
        .collect())
}

/// What a claim's summary names besides the claim's own row: its dealer's
/// code, its repair, vehicle and model, its causal part's number, and the
/// checks that warned.
#[derive(Default)]
pub(super) struct Names {
    dealer_code: String,
    repair_number: String,
    repair_date: NaiveDate,
    vin: String,
    model_name: String,
    causal_part_number: String,
    pub warnings: Vec<CheckKind>,
}

/// Claims named per statement: well below every backend's limit on bound
/// parameters, so a CSV export of 100,000 claims reads in pages.
const NAMES_PER_STATEMENT: usize = 500;

impl Names {
    /// Reads them for the claims `ids`: one statement (joins and one
    /// indexed lookup per check) per 500 claims.
    pub(super) async fn load(
        db: &impl ConnectionTrait,
        ids: impl IntoIterator<Item = i64>,
    ) -> Result<HashMap<i64, Self>, AppError> {
        let ids: Vec<i64> = ids.into_iter().collect();
        let mut names = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(NAMES_PER_STATEMENT) {
            for row in db.query_all(&names_of(chunk)).await? {
                let mut warnings = Vec::new();
                for (index, check) in CheckKind::ALL.into_iter().enumerate() {
                    if row.try_get::<bool>("", &format!("warn_{index}"))? {
                        warnings.push(check);
                    }
                }
                let found = Self {
                    dealer_code: row.try_get("", "dealer_code")?,
                    repair_number: row.try_get("", "repair_number")?,
                    repair_date: row.try_get("", "repair_date")?,
                    vin: row.try_get("", "vin")?,
                    model_name: row.try_get("", "model_name")?,
                    causal_part_number: row.try_get("", "causal_part_number")?,
                    warnings,
                };
                names.insert(row.try_get::<i64>("", "id")?, found);
            }
        }
        Ok(names)
    }

    /// What one claim's caller has already read (its warnings are set from
    /// its checks).
    pub(super) fn of_one(
        dealer: &dealer::Model,
        repair: &repair_order::Model,
        vehicle: &vehicle::Model,
        model: &vehicle_model::Model,
        causal_part_number: String,
    ) -> Self {
        Self {
            dealer_code: dealer.code.clone(),
            repair_number: repair.number.clone(),
            repair_date: repair.opened_on,
            vin: vehicle.vin.clone(),
            model_name: model.name.clone(),
            causal_part_number,
            warnings: Vec::new(),
        }
    }

    pub(super) fn summary(self, c: claim::Model) -> ClaimDto {
        ClaimDto {
            id: c.id,
            status: ClaimStatus::parse(&c.status).unwrap_or(ClaimStatus::Draft),
            dealer_id: c.dealer_id,
            dealer_code: self.dealer_code,
            oem_id: c.oem_id,
            repair_id: c.repair_id,
            repair_number: self.repair_number,
            repair_date: self.repair_date,
            vehicle_id: c.vehicle_id,
            vin: self.vin,
            model_name: self.model_name,
            authorization_id: c.authorization_id,
            causal_part_id: c.causal_part_id,
            causal_part_number: self.causal_part_number,
            requested_total: Money { amount_minor: c.requested_minor, currency: c.currency.clone() },
            approved_total: c.approved_minor.map(|a| Money { amount_minor: a, currency: c.currency.clone() }),
            warnings: self.warnings,
            reporting: crate::server::rates::freeze::dto(&c),
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

/// The statement naming the claims `ids`: each claim joined to its dealer,
/// repair, vehicle, model and causal part, with one `EXISTS` per check
/// (`warn_0` … `warn_5`, in [`CheckKind::ALL`]'s order) on the
/// `(claim_id, check)` key.
fn names_of(ids: &[i64]) -> SelectStatement {
    let mut query = Query::select();
    query
        .expr_as(Expr::col((claim::Entity, claim::Column::Id)), Alias::new("id"))
        .expr_as(Expr::col((dealer::Entity, dealer::Column::Code)), Alias::new("dealer_code"))
        .expr_as(Expr::col((repair_order::Entity, repair_order::Column::Number)), Alias::new("repair_number"))
        .expr_as(Expr::col((repair_order::Entity, repair_order::Column::OpenedOn)), Alias::new("repair_date"))
        .expr_as(Expr::col((vehicle::Entity, vehicle::Column::Vin)), Alias::new("vin"))
        .expr_as(Expr::col((vehicle_model::Entity, vehicle_model::Column::Name)), Alias::new("model_name"))
        .expr_as(Expr::col((part::Entity, part::Column::PartNumber)), Alias::new("causal_part_number"))
        .from(claim::Entity)
        .inner_join(
            dealer::Entity,
            Expr::col((dealer::Entity, dealer::Column::Id)).equals((claim::Entity, claim::Column::DealerId)),
        )
        .inner_join(
            repair_order::Entity,
            Expr::col((repair_order::Entity, repair_order::Column::Id))
                .equals((claim::Entity, claim::Column::RepairId)),
        )
        .inner_join(
            vehicle::Entity,
            Expr::col((vehicle::Entity, vehicle::Column::Id)).equals((claim::Entity, claim::Column::VehicleId)),
        )
        .inner_join(
            vehicle_model::Entity,
            Expr::col((vehicle_model::Entity, vehicle_model::Column::Id))
                .equals((vehicle::Entity, vehicle::Column::ModelId)),
        )
        .inner_join(
            part::Entity,
            Expr::col((part::Entity, part::Column::Id)).equals((claim::Entity, claim::Column::CausalPartId)),
        )
        .and_where(Expr::col((claim::Entity, claim::Column::Id)).is_in(ids.iter().copied()));
    for (index, check) in CheckKind::ALL.into_iter().enumerate() {
        let mut warned = Query::select();
        warned
            .expr(Expr::val(1))
            .from(claim_check::Entity)
            .and_where(
                Expr::col((claim_check::Entity, claim_check::Column::ClaimId))
                    .equals((claim::Entity, claim::Column::Id)),
            )
            .and_where(Expr::col((claim_check::Entity, claim_check::Column::Check)).eq(check.as_str()))
            .and_where(Expr::col((claim_check::Entity, claim_check::Column::Result)).eq(CheckResult::Warn.as_str()));
        query.expr_as(Expr::exists(warned), Alias::new(format!("warn_{index}")));
    }
    query
}
