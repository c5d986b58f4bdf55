//! The OEM's numbers in the browser: reports, alerts and exchange rates.

use leptos::prelude::*;

use crate::model::AppError;
use crate::model::reporting::{AlertDto, AlertFilter, RateDto, RateFilter, ReportDto, ReportQuery};
use crate::model::user::Page;

/// A report by name (`claims-cost`, `cycle-time`, `failure-rate`).
#[server(prefix = "/rpc", endpoint = "reports/get", input = leptos::server_fn::codec::Json)]
pub async fn get_report(name: String, query: ReportQuery) -> Result<ReportDto, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::reports::report(&ctx::state()?.db, &ctx::actor()?, &name, &query).await }.await)
}

#[server(prefix = "/rpc", endpoint = "alerts/list", input = leptos::server_fn::codec::Json)]
pub async fn list_alerts(filter: AlertFilter) -> Result<Vec<AlertDto>, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::reports::alerts::list(&ctx::state()?.db, &ctx::actor()?, &filter).await }.await)
}

#[server(prefix = "/rpc", endpoint = "alerts/acknowledge")]
pub async fn acknowledge_alert(id: i64, comment: String) -> Result<AlertDto, AppError> {
    use super::ctx;
    ctx::respond(
        async {
            let input = crate::model::reporting::AcknowledgeInput { comment };
            crate::server::reports::alerts::acknowledge(&ctx::state()?.db, &ctx::actor()?, id, input).await
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "rates/list", input = leptos::server_fn::codec::Json)]
pub async fn list_rates(filter: RateFilter) -> Result<Page<RateDto>, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::rates::list(&ctx::state()?.db, &ctx::actor()?, &filter).await }.await)
}

/// An admin enters a manual rate; `on_date` as typed (`YYYY-MM-DD`).
#[server(prefix = "/rpc", endpoint = "rates/set")]
pub async fn set_rate(currency: String, on_date: String, per_eur: String) -> Result<RateDto, AppError> {
    use super::ctx;
    ctx::respond(
        async {
            let on_date = crate::model::validate::date(&on_date).map_err(|m| AppError::field("on_date", m))?;
            let input = crate::model::reporting::NewRate { currency, on_date, per_eur };
            crate::server::rates::set_manual(&ctx::state()?.db, &ctx::actor()?, input).await
        }
        .await,
    )
}
