//! What the API and the UI exchange about claims.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{CheckKind, CheckOutcome, ClaimStatus, Decision, LineKind, ReasonCode};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClaimDto {
    pub id: i64,
    /// `CLM-2026-000123`.
    pub number: String,
    pub status: ClaimStatus,
    pub dealer_id: i64,
    pub dealer_code: String,
    pub oem_id: i64,
    pub repair_id: i64,
    pub repair_number: String,
    pub vehicle_id: i64,
    pub vin: String,
    pub model_name: String,
    pub authorization_id: Option<i64>,
    pub causal_part_id: i64,
    pub causal_part_number: String,
    pub failure_code: String,
    /// The dealer's currency.
    pub currency: String,
    pub requested_total: crate::model::network::Money,
    pub approved_total: Option<crate::model::network::Money>,
    /// The amounts in the OEM's reporting currency, frozen at submission
    /// (DESIGN §9); `null` before submission or when no rate was found.
    pub reporting: Option<crate::model::reporting::ReportingDto>,
    /// Every change adds one; decisions carry the version they were made on.
    pub version: i32,
    pub appealed: bool,
    /// The dealer answered an information request.
    pub info_answered: bool,
    /// Warnings from the last submission (duplicate, odometer).
    pub warnings: Vec<CheckKind>,
    pub repair_date: NaiveDate,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Whole days since submission, when the claim was read.
    pub age_days: Option<i64>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    pub paid_at: Option<chrono::DateTime<chrono::Utc>>,
    pub payment_reference: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// Filled on a single claim; empty in lists.
    pub lines: Vec<ClaimLineDto>,
    pub checks: Vec<CheckOutcome>,
    pub comments: Vec<CommentDto>,
    pub attachments: Vec<AttachmentDto>,
    pub part_returns: Vec<PartReturnDto>,
    pub timeline: Vec<crate::model::ledger::LedgerEntryDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClaimLineDto {
    pub id: i64,
    pub kind: LineKind,
    pub part_id: Option<i64>,
    pub description: String,
    /// Units for parts, hours for labour, 1 for sublet work.
    pub quantity: f64,
    pub requested_minor: i64,
    pub approved_minor: Option<i64>,
    pub decision: Decision,
    pub reason_code: Option<ReasonCode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CommentDto {
    pub id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub body: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttachmentDto {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PartReturnDto {
    pub id: i64,
    pub claim_id: i64,
    pub part_id: Option<i64>,
    pub serial: Option<String>,
    /// `requested`, `shipped`, `received` or `inspected`.
    pub status: String,
    pub tracking: Option<String>,
    pub note: Option<String>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /claims`: from a completed repair. Without `lines`, the lines come
/// from the repair (installed parts at list price, labour at the dealer's rate).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewClaim {
    pub repair_id: i64,
    pub causal_part_id: i64,
    pub failure_code: String,
    #[serde(default)]
    pub lines: Option<Vec<NewClaimLine>>,
}

/// A line given by the dealer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewClaimLine {
    /// `part`, `labor` or `sublet`.
    pub kind: String,
    pub description: String,
    #[serde(default)]
    pub part_id: Option<i64>,
    /// Units for parts, hours for labour; 1 when left out.
    #[serde(default)]
    pub quantity: Option<f64>,
    pub requested_minor: i64,
}

/// `PATCH /claims/{id}` while draft.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClaimPatch {
    pub failure_code: Option<String>,
    pub causal_part_id: Option<i64>,
}

/// One line's decision in a review.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LineDecisionInput {
    pub line_id: i64,
    /// `approved`, `adjusted` or `rejected`.
    pub decision: String,
    #[serde(default)]
    pub approved_minor: Option<i64>,
    #[serde(default)]
    pub reason_code: Option<String>,
}

/// `POST /claims/{id}/review`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    pub version: i32,
    pub lines: Vec<LineDecisionInput>,
    #[serde(default)]
    pub comment: Option<String>,
}

/// `POST /claims/{id}/part-returns`: the failed part (the causal part when
/// left out), by serial when it has one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPartReturn {
    #[serde(default)]
    pub part_id: Option<i64>,
    #[serde(default)]
    pub serial: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `PATCH /part-returns/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PartReturnPatch {
    /// `shipped` (dealer, with `tracking`), `received` or `inspected` (OEM).
    pub status: String,
    #[serde(default)]
    pub tracking: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `POST /claims/{id}/take`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VersionInput {
    pub version: i32,
}

/// `POST /claims/{id}/request-info`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RequestInfoInput {
    pub version: i32,
    pub comment: String,
}

/// `POST /claims/{id}/mark-paid`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MarkPaidInput {
    pub version: i32,
    pub reference: String,
}

/// `POST /claims/{id}/respond` and `/appeal`, `POST /claims/{id}/comments` (`body`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CommentInput {
    #[serde(alias = "body")]
    pub comment: String,
    #[serde(default)]
    pub attachment_ids: Option<Vec<i64>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ClaimFilter {
    pub status: Option<String>,
    pub dealer_id: Option<i64>,
    pub model_id: Option<i64>,
    pub vehicle_id: Option<i64>,
    /// Repair date on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Repair date on or before (YYYY-MM-DD).
    pub to: Option<String>,
    /// Requested total at least, in minor units.
    pub min_amount: Option<i64>,
    /// Requested total at most, in minor units.
    pub max_amount: Option<i64>,
    /// The review queue: submitted and in review, oldest first.
    pub queue: Option<bool>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}
