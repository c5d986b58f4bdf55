//! Dealer stock in the browser: levels, movements, receipts, transfers and
//! part units.

use leptos::prelude::*;

use crate::model::AppError;
use crate::model::parts::{ImportReport, PartDto};
use crate::model::stock::{
    MovementDto, MovementFilter, MovementResult, PartUnitDto, StockFilter, StockLevelDto, TransferResult,
};
use crate::model::user::{OrgOption, Page};

#[server(prefix = "/rpc", endpoint = "stock/list", input = leptos::server_fn::codec::Json)]
pub async fn list_stock(filter: StockFilter) -> Result<Page<StockLevelDto>, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::stock::list_levels(&ctx::state()?.db, &ctx::actor()?, &filter).await }.await)
}

#[server(prefix = "/rpc", endpoint = "stock/movements", input = leptos::server_fn::codec::Json)]
pub async fn list_movements(filter: MovementFilter) -> Result<Page<MovementDto>, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::stock::list_movements(&ctx::state()?.db, &ctx::actor()?, &filter).await }.await)
}

/// One part at one dealer: the part, its level, the serials on the shelf,
/// recent movements and where it may be transferred.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StockItemView {
    pub part: PartDto,
    pub level: Option<StockLevelDto>,
    pub serials: Vec<String>,
    pub movements: Vec<MovementDto>,
    pub targets: Vec<OrgOption>,
}

#[server(prefix = "/rpc", endpoint = "stock/item")]
pub async fn stock_item(dealer_id: Option<i64>, part_id: i64) -> Result<StockItemView, AppError> {
    use super::ctx;
    use crate::server::stock;
    ctx::respond(
        async {
            let (db, actor) = (ctx::state()?.db, ctx::actor()?);
            let dealer_id = dealer_id.or(actor.dealer_id).ok_or_else(|| AppError::field("dealer_id", "is required"))?;
            let part = crate::server::parts::find(&db, &actor, part_id).await?;
            let levels = StockFilter { dealer_id: Some(dealer_id), part_id: Some(part_id), ..Default::default() };
            let level = stock::list_levels(&db, &actor, &levels).await?.items.pop();
            let moves = MovementFilter {
                dealer_id: Some(dealer_id),
                part_id: Some(part_id),
                limit: Some(20),
                ..Default::default()
            };
            let movements = stock::list_movements(&db, &actor, &moves).await?.items;
            let serials = stock::serials_in_stock(&db, &actor, dealer_id, part_id).await?;
            let targets = match actor.role {
                crate::model::Role::ServiceManager => Vec::new(),
                _ => stock::transfer_targets(&db, &actor, part_id)
                    .await?
                    .into_iter()
                    .filter(|d| d.id != dealer_id)
                    .collect(),
            };
            Ok(StockItemView { part, level, serials, movements, targets })
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn number(field: &str, raw: &str) -> Result<i64, AppError> {
    raw.trim().parse().map_err(|_| AppError::field(field, "must be a whole number"))
}

#[cfg(feature = "ssr")]
fn dealer(raw: Option<String>) -> Result<Option<i64>, AppError> {
    crate::model::validate::optional_id(raw.as_deref()).map_err(|m| AppError::field("dealer_id", m))
}

/// Adjust, scrap, return to the OEM or recycle, from the stock item page.
#[server(prefix = "/rpc", endpoint = "stock/move")]
#[allow(clippy::too_many_arguments)]
pub async fn move_stock(
    dealer_id: Option<String>,
    part_id: i64,
    kind: String,
    quantity: String,
    serials: Option<String>,
    reference: Option<String>,
    reason: Option<String>,
    direction: Option<String>,
) -> Result<MovementResult, AppError> {
    use super::ctx;
    use crate::model::stock::{NewMovement, split_serials};
    ctx::respond(
        async {
            let input = NewMovement {
                dealer_id: dealer(dealer_id)?,
                part_id,
                kind,
                quantity: number("quantity", &quantity)?,
                serials: Some(split_serials(&serials.unwrap_or_default())),
                reference,
                reason,
                direction,
            };
            crate::server::stock::record_movement(&ctx::state()?.db, &ctx::actor()?, input).await
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "stock/transfer")]
pub async fn transfer_stock(
    dealer_id: Option<String>,
    part_id: i64,
    to_dealer_id: String,
    quantity: String,
    serials: Option<String>,
    reference: Option<String>,
) -> Result<TransferResult, AppError> {
    use super::ctx;
    use crate::model::stock::{NewTransfer, split_serials};
    ctx::respond(
        async {
            let to_dealer_id = crate::model::validate::optional_id(Some(&to_dealer_id))
                .map_err(|m| AppError::field("to_dealer_id", m))?
                .ok_or_else(|| AppError::field("to_dealer_id", "is required"))?;
            let input = NewTransfer {
                from_dealer_id: dealer(dealer_id)?,
                to_dealer_id,
                part_id,
                quantity: number("quantity", &quantity)?,
                serials: Some(split_serials(&serials.unwrap_or_default())),
                reference,
            };
            crate::server::stock::transfer(&ctx::state()?.db, &ctx::actor()?, input).await
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "stock/reorder_point")]
pub async fn set_reorder_point(
    dealer_id: Option<String>,
    part_id: i64,
    reorder_point: String,
) -> Result<StockLevelDto, AppError> {
    use super::ctx;
    use crate::model::stock::ReorderPointInput;
    ctx::respond(
        async {
            let input = ReorderPointInput {
                dealer_id: dealer(dealer_id)?,
                part_id,
                reorder_point: number("reorder_point", &reorder_point)?,
            };
            crate::server::stock::set_reorder_point(&ctx::state()?.db, &ctx::actor()?, input).await
        }
        .await,
    )
}

/// The receive-goods form: parallel lists, one entry per line; empty lines
/// are skipped.
#[server(prefix = "/rpc", endpoint = "stock/receive")]
pub async fn receive_goods(
    dealer_id: Option<String>,
    reference: String,
    part_number: Vec<String>,
    quantity: Vec<String>,
    serials: Vec<String>,
) -> Result<ImportReport, AppError> {
    use super::ctx;
    use crate::server::stock::ReceiptRow;
    ctx::respond(
        async {
            let reference = Some(reference.trim().to_string()).filter(|r| !r.is_empty());
            let rows: Vec<ReceiptRow> = part_number
                .iter()
                .enumerate()
                .filter(|(i, n)| !n.trim().is_empty() || quantity.get(*i).is_some_and(|q| !q.trim().is_empty()))
                .map(|(i, n)| {
                    let text = |list: &Vec<String>| list.get(i).cloned().unwrap_or_default();
                    ReceiptRow::typed(i as u64 + 1, n, &text(&quantity), &text(&serials), reference.clone())
                })
                .collect();
            crate::server::stock::receive(&ctx::state()?.db, &ctx::actor()?, dealer(dealer_id)?, rows).await
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "part_units/get")]
pub async fn get_part_unit(serial: String, part_id: Option<i64>) -> Result<PartUnitDto, AppError> {
    use super::ctx;
    ctx::respond(
        async { crate::server::stock::find_unit(&ctx::state()?.db, &ctx::actor()?, &serial, part_id).await }.await,
    )
}
