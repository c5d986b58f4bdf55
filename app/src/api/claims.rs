//! Warranty claims in the browser: adapters over the claim services the
//! REST API calls.

use leptos::prelude::*;

use crate::model::AppError;
use crate::model::claim::{ClaimDto, ClaimFilter};
use crate::model::user::Page;

/// A page of claims, and for the review queue how long its claims have
/// waited (0–2, 3–5, more than 5 days).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ClaimList {
    pub page: Page<ClaimDto>,
    pub ages: Option<[u64; 3]>,
}

#[server(prefix = "/rpc", endpoint = "claims/list", input = leptos::server_fn::codec::Json)]
pub async fn list_claims(filter: ClaimFilter) -> Result<ClaimList, AppError> {
    use super::ctx;
    use crate::server::claims;
    ctx::respond(
        async {
            let (db, actor) = (ctx::state()?.db, ctx::actor()?);
            let ages = if filter.queue == Some(true) { Some(claims::queue_ages(&db, &actor).await?) } else { None };
            Ok(ClaimList { page: claims::list(&db, &actor, &filter).await?, ages })
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "claims/get")]
pub async fn get_claim(id: i64) -> Result<ClaimDto, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::claims::get(&ctx::state()?.db, &ctx::actor()?, id).await }.await)
}

/// A draft from a completed repair. Its lines are the repair's: labour at
/// the dealer's rate, installed parts at list price — or, for a part priced
/// in another currency, at the amount the dealer types (`amount[]`, in major
/// units, one per installed part line in `part_line_id[]`).
#[server(prefix = "/rpc", endpoint = "claims/create")]
pub async fn create_claim(
    repair_id: i64,
    causal_part_id: String,
    failure_code: String,
    #[server(default)] part_line_id: Vec<i64>,
    #[server(default)] amount: Vec<String>,
) -> Result<ClaimDto, AppError> {
    use super::ctx;
    use crate::model::claim::{NewClaim, NewClaimLine};
    use crate::model::repair::PartDirection;
    ctx::respond(
        async {
            let (db, actor) = (ctx::state()?.db, ctx::actor()?);
            let causal_part_id = crate::model::validate::optional_id(Some(&causal_part_id))
                .map_err(|m| AppError::field("causal_part_id", m))?
                .ok_or_else(|| AppError::field("causal_part_id", "is required"))?;
            let repair = crate::server::repairs::get(&db, &actor, repair_id).await?;
            let mut lines = Vec::new();
            for part in repair.parts.iter().filter(|p| p.direction == PartDirection::Installed) {
                let typed = part_line_id
                    .iter()
                    .position(|id| *id == part.id)
                    .and_then(|i| amount.get(i))
                    .map(|a| a.trim())
                    .filter(|a| !a.is_empty());
                let requested_minor = match typed {
                    Some(raw) => minor(&format!("amount-{}", part.id), raw)?,
                    None if part.currency == repair.currency => crate::model::money::line_times(
                        &format!("amount-{}", part.id),
                        part.price_minor,
                        part.quantity,
                    )?,
                    None => {
                        return Err(AppError::field(
                            &format!("amount-{}", part.id),
                            format!(
                                "is required: {} is priced in {}, the claim is in {}",
                                part.part_number, part.currency, repair.currency
                            ),
                        ));
                    }
                };
                #[allow(clippy::cast_precision_loss)]
                let quantity = Some(part.quantity as f64);
                lines.push(NewClaimLine {
                    kind: "part".into(),
                    description: format!("{} {}", part.part_number, part.description),
                    part_id: Some(part.part_id),
                    quantity,
                    requested_minor,
                });
            }
            for labor in &repair.labor {
                lines.push(NewClaimLine {
                    kind: "labor".into(),
                    description: format!("{} {}", labor.labor_code, labor.description),
                    part_id: None,
                    quantity: Some(labor.hours),
                    requested_minor: labor.amount_minor,
                });
            }
            let input = NewClaim { repair_id, causal_part_id, failure_code, lines: Some(lines) };
            crate::server::claims::create(&db, &actor, input).await
        }
        .await,
    )
}

/// A sublet line (amount typed in major units, e.g. `850.00`).
#[server(prefix = "/rpc", endpoint = "claims/add_line")]
pub async fn add_sublet_line(id: i64, description: String, amount: String) -> Result<ClaimDto, AppError> {
    use super::ctx;
    use crate::model::claim::NewClaimLine;
    ctx::respond(
        async {
            let requested_minor = minor("amount", &amount)?;
            let line =
                NewClaimLine { kind: "sublet".into(), description, part_id: None, quantity: None, requested_minor };
            crate::server::claims::add_line(&ctx::state()?.db, &ctx::actor()?, id, line).await
        }
        .await,
    )
}

/// `1250.50` → 125050 (two decimals).
#[cfg(feature = "ssr")]
fn minor(field: &str, raw: &str) -> Result<i64, AppError> {
    let value: f64 =
        raw.trim().replace(',', ".").parse().map_err(|_| AppError::field(field, "must be an amount like 850.00"))?;
    if !(0.0..=1e10).contains(&value) {
        return Err(AppError::field(field, "must be 0 or more"));
    }
    // In range by the check above.
    #[allow(clippy::cast_possible_truncation)]
    Ok((value * 100.0).round() as i64)
}

#[server(prefix = "/rpc", endpoint = "claims/remove_line")]
pub async fn remove_claim_line(id: i64, line_id: i64) -> Result<ClaimDto, AppError> {
    use super::ctx;
    ctx::respond(
        async { crate::server::claims::remove_line(&ctx::state()?.db, &ctx::actor()?, id, line_id).await }.await,
    )
}

/// The dealer's and the reviewer's actions that carry at most a comment,
/// a version and a reference: `submit` (with the form's idempotency key),
/// `withdraw`, `respond`, `appeal`, `comment`, `take`, `request_info`,
/// `mark_paid`.
#[server(prefix = "/rpc", endpoint = "claims/act")]
pub async fn claim_action(
    id: i64,
    action: String,
    version: Option<i32>,
    comment: Option<String>,
    reference: Option<String>,
    key: Option<String>,
) -> Result<ClaimDto, AppError> {
    use super::ctx;
    use crate::model::claim::{CommentInput, MarkPaidInput, RequestInfoInput, VersionInput};
    use crate::server::claims;
    ctx::respond(
        async {
            let (db, actor) = (ctx::state()?.db, ctx::actor()?);
            let comment = || CommentInput { comment: comment.clone().unwrap_or_default(), attachment_ids: None };
            let version = || version.ok_or_else(|| AppError::field("version", "is required"));
            match action.as_str() {
                "submit" => claims::submit(&db, &actor, id, key).await,
                "withdraw" => claims::withdraw(&db, &actor, id).await,
                "respond" => claims::respond(&db, &actor, id, comment()).await,
                "appeal" => claims::appeal(&db, &actor, id, comment()).await,
                "comment" => claims::comment(&db, &actor, id, comment()).await,
                "take" => claims::take(&db, &actor, id, VersionInput { version: version()? }).await,
                "request_info" => {
                    let input = RequestInfoInput { version: version()?, comment: comment().comment };
                    claims::request_info(&db, &actor, id, input).await
                }
                "mark_paid" => {
                    let input = MarkPaidInput { version: version()?, reference: reference.unwrap_or_default() };
                    claims::mark_paid(&db, &actor, id, input).await
                }
                _ => Err(AppError::field("action", "is not a claim action")),
            }
        }
        .await,
    )
}

/// The review form: one entry per line in parallel lists; amounts in major units.
#[server(prefix = "/rpc", endpoint = "claims/review")]
pub async fn review_claim(
    id: i64,
    version: i32,
    line_id: Vec<i64>,
    decision: Vec<String>,
    approved: Vec<String>,
    reason_code: Vec<String>,
    comment: Option<String>,
) -> Result<ClaimDto, AppError> {
    use super::ctx;
    use crate::model::claim::{LineDecisionInput, ReviewInput};
    ctx::respond(
        async {
            let mut lines = Vec::with_capacity(line_id.len());
            for (i, id) in line_id.iter().enumerate() {
                let text = |list: &Vec<String>| list.get(i).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
                let approved_minor = match text(&approved) {
                    Some(raw) => Some(minor(&format!("lines[{i}].approved_minor"), &raw)?),
                    None => None,
                };
                lines.push(LineDecisionInput {
                    line_id: *id,
                    decision: text(&decision).unwrap_or_default(),
                    approved_minor,
                    reason_code: text(&reason_code),
                });
            }
            let input = ReviewInput { version, lines, comment };
            crate::server::claims::review(&ctx::state()?.db, &ctx::actor()?, id, input).await
        }
        .await,
    )
}

/// The OEM asks for the failed part back (the causal part), with a note.
#[server(prefix = "/rpc", endpoint = "claims/request_return")]
pub async fn request_part_return(id: i64, note: Option<String>) -> Result<ClaimDto, AppError> {
    use super::ctx;
    use crate::model::claim::NewPartReturn;
    ctx::respond(
        async {
            let input = NewPartReturn { note, ..Default::default() };
            crate::server::claims::request_part_return(&ctx::state()?.db, &ctx::actor()?, id, input).await
        }
        .await,
    )
}

/// One step of a part return: `shipped` (tracking), `received`, `inspected` (note).
#[server(prefix = "/rpc", endpoint = "claims/update_return")]
pub async fn update_part_return(
    return_id: i64,
    status: String,
    tracking: Option<String>,
    note: Option<String>,
) -> Result<ClaimDto, AppError> {
    use super::ctx;
    use crate::model::claim::PartReturnPatch;
    ctx::respond(
        async {
            let patch = PartReturnPatch { status, tracking, note };
            crate::server::claims::update_part_return(&ctx::state()?.db, &ctx::actor()?, return_id, patch).await
        }
        .await,
    )
}
