//! Whose numbers a report shows: a dealer its own, a service manager its
//! OEM's, an admin any OEM's — and in which reporting currency.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::sql::Sql;
use crate::model::reporting::ReportQuery;
use crate::model::{AppError, Role};
use crate::server::auth::Actor;
use crate::server::entities::{claim, oem};

#[derive(Debug, Clone)]
pub struct Scope {
    /// One OEM, or every OEM (an admin, or a dealer working for several).
    pub oem_id: Option<i64>,
    /// A dealer's own numbers, or one dealer chosen by the OEM side.
    pub dealer_id: Option<i64>,
    /// The reporting currency of the amounts.
    pub currency: String,
}

impl Scope {
    /// # Errors
    /// `NotFound` for an OEM or dealer outside the actor's reach;
    /// `Validation` on `oem_id` when the OEMs in scope report in
    /// different currencies.
    pub async fn of(db: &impl ConnectionTrait, actor: &Actor, query: &ReportQuery) -> Result<Self, AppError> {
        let (oem_id, dealer_id) = match actor.role {
            Role::Admin => (query.oem_id, query.dealer_id),
            Role::ServiceManager => {
                let own = actor.oem_id.ok_or(AppError::Forbidden)?;
                if query.oem_id.is_some_and(|o| o != own) {
                    return Err(AppError::NotFound);
                }
                (Some(own), query.dealer_id)
            }
            Role::Dealer => {
                let own = actor.dealer_id.ok_or(AppError::Forbidden)?;
                if query.dealer_id.is_some_and(|d| d != own) {
                    return Err(AppError::NotFound);
                }
                (query.oem_id, Some(own))
            }
        };
        let mut oems = oem::Entity::find();
        if let Some(id) = oem_id {
            oems = oems.filter(oem::Column::Id.eq(id));
        } else if let Some(dealer) = dealer_id {
            let worked_for = claim::Entity::find()
                .select_only()
                .column(claim::Column::OemId)
                .distinct()
                .filter(claim::Column::DealerId.eq(dealer));
            oems = oems.filter(oem::Column::Id.in_subquery(sea_orm::QueryTrait::into_query(worked_for)));
        }
        let found: Vec<(i64, String)> =
            oems.select_only().columns([oem::Column::Id, oem::Column::ReportingCurrency]).into_tuple().all(db).await?;
        if oem_id.is_some() && found.is_empty() {
            return Err(AppError::NotFound);
        }
        let mut currencies: Vec<String> = found.into_iter().map(|(_, c)| c).collect();
        currencies.sort_unstable();
        currencies.dedup();
        let currency = match currencies.as_slice() {
            [] => "EUR".to_string(),
            [one] => one.clone(),
            many => {
                return Err(AppError::field(
                    "oem_id",
                    format!(
                        "the OEMs in this report use different reporting currencies ({}): choose one",
                        many.join(", ")
                    ),
                ));
            }
        };
        Ok(Self { oem_id, dealer_id, currency })
    }

    /// The id of the part with this number among the OEMs in scope.
    ///
    /// # Errors
    /// `Validation` on `part_number` when no part (or more than one
    /// OEM's) has it.
    pub async fn part_numbered(&self, db: &impl ConnectionTrait, number: &str) -> Result<i64, AppError> {
        use crate::server::entities::part;
        let mut query = part::Entity::find()
            .select_only()
            .column(part::Column::Id)
            .filter(part::Column::PartNumber.eq(number.to_uppercase()));
        if let Some(oem) = self.oem_id {
            query = query.filter(part::Column::OemId.eq(oem));
        }
        let ids: Vec<i64> = query.limit(2).into_tuple().all(db).await?;
        match ids.as_slice() {
            [one] => Ok(*one),
            [] => Err(AppError::field("part_number", "is not a part number of the catalogue")),
            _ => Err(AppError::field("part_number", "is used by several OEMs: choose the OEM first")),
        }
    }

    /// `AND` clauses limiting the claims aliased `c` to the scope.
    pub(crate) fn claims(&self, sql: &mut Sql) {
        if let Some(oem) = self.oem_id {
            sql.push("AND c.oem_id = ?", [oem.into()]);
        }
        if let Some(dealer) = self.dealer_id {
            sql.push("AND c.dealer_id = ?", [dealer.into()]);
        }
    }

    /// The currency as a SQL literal: three letters, checked when stored.
    pub(crate) fn currency_literal(&self) -> String {
        let letters: String = self.currency.chars().filter(char::is_ascii_uppercase).take(3).collect();
        format!("'{letters}'")
    }
}
