//! The admin's view of the ledger.

use leptos::prelude::*;

use crate::model::AppError;
use crate::model::ledger::{LedgerEntryDto, VerifyReport};

#[server(prefix = "/rpc", endpoint = "ledger/verify")]
pub async fn verify_ledger() -> Result<VerifyReport, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::ledger::verify(&ctx::state()?.db, &ctx::actor()?).await }.await)
}

/// The newest entries the actor may read, and how many there are in all.
#[server(prefix = "/rpc", endpoint = "ledger/recent")]
pub async fn recent_ledger() -> Result<(Vec<LedgerEntryDto>, u64), AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::ledger::recent(&ctx::state()?.db, &ctx::actor()?, 50).await }.await)
}
