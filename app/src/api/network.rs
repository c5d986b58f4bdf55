//! The dealer network in the browser: authorizations and dealers.

use leptos::prelude::*;

use crate::model::AppError;
use crate::model::authorization::{AuthorizationDto, AuthorizationFilter};
use crate::model::ledger::LedgerEntryDto;
use crate::model::network::{DealerDto, OemDto, VehicleModelDto};
use crate::model::user::Page;

#[server(prefix = "/rpc", endpoint = "authorizations/list", input = leptos::server_fn::codec::Json)]
pub async fn list_authorizations(filter: AuthorizationFilter) -> Result<Page<AuthorizationDto>, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::authorizations::list(&ctx::state()?.db, &ctx::actor()?, &filter).await }.await)
}

/// One authorization and its history, read from the ledger.
#[server(prefix = "/rpc", endpoint = "authorizations/get")]
pub async fn get_authorization(id: i64) -> Result<(AuthorizationDto, Vec<LedgerEntryDto>), AppError> {
    use super::ctx;
    use crate::model::ledger::LedgerFilter;
    ctx::respond(
        async {
            let (db, actor) = (ctx::state()?.db, ctx::actor()?);
            let authorization = crate::server::authorizations::find(&db, &actor, id).await?;
            let filter = LedgerFilter {
                entity: Some("authorization".into()),
                entity_id: Some(id),
                limit: Some(500),
                ..Default::default()
            };
            let history = crate::server::ledger::list(&db, &actor, &filter).await?.items;
            Ok((authorization, history))
        }
        .await,
    )
}

/// Form fields arrive as text; checkboxes as lists that may be absent.
#[server(prefix = "/rpc", endpoint = "authorizations/create")]
pub async fn create_authorization(
    oem_id: String,
    dealer_id: String,
    service_types: Option<Vec<String>>,
    model_ids: Option<Vec<String>>,
    valid_from: String,
    valid_to: String,
) -> Result<AuthorizationDto, AppError> {
    use super::ctx;
    use crate::model::authorization::NewAuthorization;
    use crate::model::validate::{date, optional_id};
    ctx::respond(
        async {
            let mut errors = crate::model::FieldErrors::new();
            let oem_id = errors
                .check("oem_id", optional_id(Some(&oem_id)).and_then(|id| id.ok_or_else(|| "is required".into())));
            let dealer_id = errors.check(
                "dealer_id",
                optional_id(Some(&dealer_id)).and_then(|id| id.ok_or_else(|| "is required".into())),
            );
            let valid_from = errors.check("valid_from", date(&valid_from));
            let valid_to = errors.check("valid_to", date(&valid_to));
            let model_ids: Vec<i64> = model_ids
                .unwrap_or_default()
                .iter()
                .filter_map(|id| errors.check("model_ids", optional_id(Some(id))).flatten())
                .collect();
            errors.finish()?;
            let (Some(oem_id), Some(dealer_id), Some(valid_from), Some(valid_to)) =
                (oem_id, dealer_id, valid_from, valid_to)
            else {
                return Err(AppError::bad_request("missing fields"));
            };
            let input = NewAuthorization {
                oem_id,
                dealer_id,
                service_types: service_types.unwrap_or_default(),
                model_ids,
                valid_from,
                valid_to,
            };
            crate::server::authorizations::create(&ctx::state()?.db, &ctx::actor()?, input).await
        }
        .await,
    )
}

/// Suspend, reinstate or revoke (`kind`) from a day on, with a reason.
#[server(prefix = "/rpc", endpoint = "authorizations/change_status")]
pub async fn change_authorization_status(
    id: i64,
    kind: String,
    effective_date: String,
    reason: String,
) -> Result<AuthorizationDto, AppError> {
    use super::ctx;
    use crate::model::authorization::{StatusChangeKind, StatusChangeRequest};
    ctx::respond(
        async {
            let kind = StatusChangeKind::parse(&kind)
                .ok_or_else(|| AppError::field("kind", "must be suspended, reinstated or revoked"))?;
            let effective_date =
                crate::model::validate::date(&effective_date).map_err(|m| AppError::field("effective_date", m))?;
            let request = StatusChangeRequest { effective_date, reason };
            crate::server::authorizations::change_status(&ctx::state()?.db, &ctx::actor()?, id, kind, request).await
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "network/overview")]
pub async fn network_overview() -> Result<crate::model::authorization::NetworkOverview, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::authorizations::overview(&ctx::state()?.db, &ctx::actor()?).await }.await)
}

/// Every dealer in scope (pickers).
#[server(prefix = "/rpc", endpoint = "dealers/all")]
pub async fn list_dealers() -> Result<Vec<DealerDto>, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::dealers::all(&ctx::state()?.db, &ctx::actor()?).await }.await)
}

#[server(prefix = "/rpc", endpoint = "dealers/search", input = leptos::server_fn::codec::Json)]
pub async fn search_dealers(filter: crate::model::network::DealerFilter) -> Result<Page<DealerDto>, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::dealers::list(&ctx::state()?.db, &ctx::actor()?, &filter).await }.await)
}

/// The OEMs in scope, each with its models.
#[server(prefix = "/rpc", endpoint = "oems/with_models")]
pub async fn oems_with_models() -> Result<Vec<(OemDto, Vec<VehicleModelDto>)>, AppError> {
    use super::ctx;
    ctx::respond(
        async {
            let (db, actor) = (ctx::state()?.db, ctx::actor()?);
            let mut out = Vec::new();
            for oem in crate::server::oems::list(&db, &actor).await? {
                let models = crate::server::oems::models(&db, &actor, oem.id).await?;
                out.push((oem, models));
            }
            Ok(out)
        }
        .await,
    )
}

/// The labour rate arrives in major units (`1250.50`) and is stored in minor units.
#[server(prefix = "/rpc", endpoint = "dealers/create")]
pub async fn create_dealer(
    code: String,
    name: String,
    country: String,
    city: String,
    time_zone: String,
    currency: String,
    labor_rate: String,
) -> Result<DealerDto, AppError> {
    use super::ctx;
    use crate::model::network::{DealerInput, Money, parse_amount};
    ctx::respond(
        async {
            let amount = parse_amount(&labor_rate, &currency).map_err(|m| AppError::field("labor_rate", m))?;
            let input = DealerInput {
                code: Some(code),
                name: Some(name),
                country: Some(country),
                city: Some(city),
                time_zone: Some(time_zone),
                labor_rate: Some(Money { amount_minor: amount, currency: currency.trim().to_uppercase() }),
                currency: Some(currency),
                active: Some(true),
            };
            crate::server::dealers::create(&ctx::state()?.db, &ctx::actor()?, input).await
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "oems/create")]
pub async fn create_oem(code: String, name: String, country: String) -> Result<OemDto, AppError> {
    use super::ctx;
    use crate::model::network::OemInput;
    ctx::respond(
        async {
            let input =
                OemInput { code: Some(code), name: Some(name), country: Some(country), reporting_currency: None };
            crate::server::oems::create(&ctx::state()?.db, &ctx::actor()?, input).await
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "oems/create_model")]
pub async fn create_model(
    oem_id: i64,
    code: String,
    name: String,
    powertrain: String,
) -> Result<VehicleModelDto, AppError> {
    use super::ctx;
    use crate::model::network::NewVehicleModel;
    ctx::respond(
        async {
            let input = NewVehicleModel { code, name, powertrain };
            crate::server::oems::create_model(&ctx::state()?.db, &ctx::actor()?, oem_id, input).await
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "policies/list")]
pub async fn list_policies() -> Result<Vec<crate::model::policy::PolicyDto>, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::policies::list(&ctx::state()?.db, &ctx::actor()?).await }.await)
}

/// Months and km arrive as text and are checked field by field.
#[server(prefix = "/rpc", endpoint = "policies/create")]
pub async fn create_policy(
    oem_id: i64,
    model_id: Option<String>,
    component_category: String,
    months: String,
    km: String,
) -> Result<crate::model::policy::PolicyDto, AppError> {
    use super::ctx;
    use crate::model::policy::NewPolicy;
    ctx::respond(
        async {
            let mut errors = crate::model::FieldErrors::new();
            let model_id = errors.check("model_id", crate::model::validate::optional_id(model_id.as_deref())).flatten();
            let months =
                errors.check("months", months.trim().parse::<i32>().map_err(|_| "must be a whole number".to_string()));
            let km = errors.check("km", km.trim().parse::<i64>().map_err(|_| "must be a whole number".to_string()));
            errors.finish()?;
            let (Some(months), Some(km)) = (months, km) else {
                return Err(AppError::bad_request("missing fields"));
            };
            let input = NewPolicy { oem_id, model_id, component_category, months, km };
            crate::server::policies::create(&ctx::state()?.db, &ctx::actor()?, input).await
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "dealers/get")]
pub async fn get_dealer(id: i64) -> Result<DealerDto, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::dealers::find(&ctx::state()?.db, &ctx::actor()?, id).await }.await)
}

/// Every field arrives as text; `active` is a checkbox (absent when unticked).
#[server(prefix = "/rpc", endpoint = "dealers/update")]
#[allow(clippy::too_many_arguments)]
pub async fn update_dealer(
    id: i64,
    name: String,
    country: String,
    city: String,
    time_zone: String,
    currency: String,
    labor_rate: String,
    active: Option<String>,
) -> Result<DealerDto, AppError> {
    use super::ctx;
    use crate::model::network::{DealerInput, Money, parse_amount};
    ctx::respond(
        async {
            let amount = parse_amount(&labor_rate, &currency).map_err(|m| AppError::field("labor_rate", m))?;
            let input = DealerInput {
                code: None,
                name: Some(name),
                country: Some(country),
                city: Some(city),
                time_zone: Some(time_zone),
                labor_rate: Some(Money { amount_minor: amount, currency: currency.trim().to_uppercase() }),
                currency: Some(currency),
                active: Some(active.is_some()),
            };
            crate::server::dealers::update(&ctx::state()?.db, &ctx::actor()?, id, input).await
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "oems/update")]
pub async fn update_oem(
    id: i64,
    name: String,
    country: String,
    reporting_currency: Option<String>,
) -> Result<OemDto, AppError> {
    use super::ctx;
    use crate::model::network::OemInput;
    ctx::respond(
        async {
            let input = OemInput { code: None, name: Some(name), country: Some(country), reporting_currency };
            crate::server::oems::update(&ctx::state()?.db, &ctx::actor()?, id, input).await
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "policies/update")]
pub async fn update_policy(id: i64, months: String, km: String) -> Result<crate::model::policy::PolicyDto, AppError> {
    use super::ctx;
    use crate::model::policy::PolicyPatch;
    ctx::respond(
        async {
            let mut errors = crate::model::FieldErrors::new();
            let months =
                errors.check("months", months.trim().parse::<i32>().map_err(|_| "must be a whole number".to_string()));
            let km = errors.check("km", km.trim().parse::<i64>().map_err(|_| "must be a whole number".to_string()));
            errors.finish()?;
            crate::server::policies::update(&ctx::state()?.db, &ctx::actor()?, id, PolicyPatch { months, km }).await
        }
        .await,
    )
}
