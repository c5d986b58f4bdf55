//! The parts catalogue in the browser.

use leptos::prelude::*;

use crate::model::AppError;
use crate::model::parts::{PartDto, PartFilter};
use crate::model::user::Page;

#[server(prefix = "/rpc", endpoint = "parts/search", input = leptos::server_fn::codec::Json)]
pub async fn search_parts(filter: PartFilter) -> Result<Page<PartDto>, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::parts::list(&ctx::state()?.db, &ctx::actor()?, &filter).await }.await)
}

#[server(prefix = "/rpc", endpoint = "parts/get")]
pub async fn get_part(id: i64) -> Result<PartDto, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::parts::find(&ctx::state()?.db, &ctx::actor()?, id).await }.await)
}

/// The new-part form: the price in major units, checkboxes present when ticked.
#[server(prefix = "/rpc", endpoint = "parts/create")]
#[allow(clippy::too_many_arguments)]
pub async fn create_part(
    oem_id: String,
    part_number: String,
    description: String,
    component_category: String,
    list_price: String,
    currency: String,
    serialized: Option<String>,
    warranty_eligible: Option<String>,
    dangerous_goods: Option<String>,
) -> Result<PartDto, AppError> {
    use super::ctx;
    use crate::model::parts::PartInput;
    ctx::respond(
        async {
            let oem_id = crate::model::validate::optional_id(Some(&oem_id))
                .map_err(|m| AppError::field("oem_id", m))?
                .ok_or_else(|| AppError::field("oem_id", "is required"))?;
            let input = PartInput {
                oem_id: Some(oem_id),
                part_number: Some(part_number),
                description: Some(description),
                component_category: Some(component_category),
                list_price: Some(price(&list_price, &currency)?),
                serialized: Some(serialized.is_some()),
                warranty_eligible: Some(warranty_eligible.is_some()),
                dangerous_goods: Some(dangerous_goods.is_some()),
                ..Default::default()
            };
            crate::server::parts::create(&ctx::state()?.db, &ctx::actor()?, input).await
        }
        .await,
    )
}

/// The edit form; `superseded_by` is a part number of the same OEM (empty: none).
#[server(prefix = "/rpc", endpoint = "parts/update")]
#[allow(clippy::too_many_arguments)]
pub async fn update_part(
    id: i64,
    description: String,
    component_category: String,
    list_price: String,
    currency: String,
    warranty_eligible: Option<String>,
    dangerous_goods: Option<String>,
    active: Option<String>,
    superseded_by: String,
) -> Result<PartDto, AppError> {
    use super::ctx;
    use crate::model::parts::PartInput;
    ctx::respond(
        async {
            let (db, actor) = (ctx::state()?.db, ctx::actor()?);
            let part = crate::server::parts::find(&db, &actor, id).await?;
            let superseded_by_id = match superseded_by.trim() {
                "" => 0,
                number => crate::server::parts::id_by_number(&db, part.oem_id, number, "superseded_by").await?,
            };
            let input = PartInput {
                description: Some(description),
                component_category: Some(component_category),
                list_price: Some(price(&list_price, &currency)?),
                warranty_eligible: Some(warranty_eligible.is_some()),
                dangerous_goods: Some(dangerous_goods.is_some()),
                active: Some(active.is_some()),
                superseded_by_id: Some(superseded_by_id),
                ..Default::default()
            };
            crate::server::parts::update(&db, &actor, id, input).await.map_err(|err| match err {
                AppError::Validation { message, mut fields } => {
                    if let Some(m) = fields.remove("superseded_by_id") {
                        fields.insert("superseded_by".into(), m);
                    }
                    AppError::Validation { message, fields }
                }
                other => other,
            })
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn price(amount: &str, currency: &str) -> Result<crate::model::network::Money, AppError> {
    let currency = crate::model::network::currency(currency).map_err(|m| AppError::field("currency", m))?;
    let amount_minor =
        crate::model::network::parse_amount(amount, &currency).map_err(|m| AppError::field("list_price", m))?;
    Ok(crate::model::network::Money { amount_minor, currency })
}
