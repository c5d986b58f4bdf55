//! `/ledger` and `/ledger/verify`.

use axum::Router;
use axum::extract::State;
use axum::routing::get;

use app::model::ledger::{LedgerEntryDto, LedgerFilter, VerifyReport};
use app::model::user::Page;
use app::server::{AppState, ledger};

use super::{ApiResult, Authed, Params};

pub fn router() -> Router<AppState> {
    Router::new().route("/ledger", get(list)).route("/ledger/verify", get(verify))
}

/// Ledger entries the caller may read, oldest first.
#[utoipa::path(get, path = "/api/v1/ledger", tag = "ledger", params(LedgerFilter),
    responses((status = 200, body = Page<LedgerEntryDto>)), security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(filter): Params<LedgerFilter>,
) -> ApiResult<axum::Json<Page<LedgerEntryDto>>> {
    Ok(axum::Json(ledger::list(&state.db, &actor, &filter).await?))
}

/// Recomputes the hash chain and names the first broken `seq`.
#[utoipa::path(get, path = "/api/v1/ledger/verify", tag = "ledger",
    responses((status = 200, body = VerifyReport), (status = 403, body = app::model::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn verify(State(state): State<AppState>, Authed(actor): Authed) -> ApiResult<axum::Json<VerifyReport>> {
    Ok(axum::Json(ledger::verify(&state.db, &actor).await?))
}
