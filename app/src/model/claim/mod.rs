//! Warranty claims: the life cycle (one transition function), the six
//! checks run on submission with their plain-language explanations, and
//! the reviewer's per-line decisions. DESIGN.md §4 is the rule book.

use serde::{Deserialize, Serialize};

mod checks;
mod dto;
mod files;
mod review;

pub use checks::*;
pub use dto::*;
pub use files::*;
pub use review::*;

/// Where a claim is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    Draft,
    Submitted,
    InReview,
    InfoRequested,
    Approved,
    PartiallyApproved,
    Rejected,
    Paid,
    Withdrawn,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 9] = [
        ClaimStatus::Draft,
        ClaimStatus::Submitted,
        ClaimStatus::InReview,
        ClaimStatus::InfoRequested,
        ClaimStatus::Approved,
        ClaimStatus::PartiallyApproved,
        ClaimStatus::Rejected,
        ClaimStatus::Paid,
        ClaimStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Draft => "draft",
            ClaimStatus::Submitted => "submitted",
            ClaimStatus::InReview => "in_review",
            ClaimStatus::InfoRequested => "info_requested",
            ClaimStatus::Approved => "approved",
            ClaimStatus::PartiallyApproved => "partially_approved",
            ClaimStatus::Rejected => "rejected",
            ClaimStatus::Paid => "paid",
            ClaimStatus::Withdrawn => "withdrawn",
        }
    }

    /// # Errors
    /// A message naming the statuses.
    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw.trim()).ok_or_else(|| {
            "must be one of draft, submitted, in_review, info_requested, approved, partially_approved, rejected, paid, withdrawn"
                .into()
        })
    }

    fn words(self) -> &'static str {
        match self {
            ClaimStatus::InReview => "in review",
            ClaimStatus::InfoRequested => "waiting for information",
            ClaimStatus::PartiallyApproved => "partially approved",
            other => other.as_str(),
        }
    }
}

/// What a reviewer's decisions add up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Approved,
    PartiallyApproved,
    Rejected,
}

/// Everything that moves a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimAction {
    Submit,
    Take,
    RequestInfo,
    Respond,
    Decide(Outcome),
    MarkPaid,
    Withdraw,
    Appeal,
}

impl ClaimAction {
    fn words(self) -> &'static str {
        match self {
            ClaimAction::Submit => "submitted",
            ClaimAction::Take => "taken for review",
            ClaimAction::RequestInfo => "asked for information",
            ClaimAction::Respond => "answered",
            ClaimAction::Decide(_) => "decided",
            ClaimAction::MarkPaid => "marked paid",
            ClaimAction::Withdraw => "withdrawn",
            ClaimAction::Appeal => "appealed",
        }
    }
}

/// The one place claim transitions live. `appealed`: the claim was
/// appealed before (an appeal is allowed once).
///
/// # Errors
/// A sentence naming the current status, e.g. "is approved, so it cannot
/// be withdrawn".
pub fn transition(from: ClaimStatus, action: ClaimAction, appealed: bool) -> Result<ClaimStatus, String> {
    use ClaimAction as A;
    use ClaimStatus as S;
    let to = match (from, action) {
        (S::Draft, A::Submit) => S::Submitted,
        (S::Submitted, A::Take) => S::InReview,
        (S::Submitted | S::InReview, A::RequestInfo) => S::InfoRequested,
        (S::InfoRequested, A::Respond) => S::Submitted,
        (S::InReview, A::Decide(Outcome::Approved)) => S::Approved,
        (S::InReview, A::Decide(Outcome::PartiallyApproved)) => S::PartiallyApproved,
        (S::InReview, A::Decide(Outcome::Rejected)) => S::Rejected,
        (S::Approved | S::PartiallyApproved, A::MarkPaid) => S::Paid,
        (S::Draft | S::Submitted | S::InfoRequested, A::Withdraw) => S::Withdrawn,
        (S::Rejected, A::Appeal) if !appealed => S::Submitted,
        (S::Rejected, A::Appeal) => {
            return Err("is rejected and was appealed once already; a second appeal is not possible".into());
        }
        (status, action) => return Err(format!("is {}, so it cannot be {}", status.words(), action.words())),
    };
    Ok(to)
}

/// The actions a person in `role` may take on a claim in `status` — the
/// claim page shows these and no others. A review on a submitted claim
/// takes it first, so reviewing is offered there too.
pub fn next_actions(status: ClaimStatus, role: crate::model::Role, appealed: bool) -> Vec<ClaimAction> {
    use crate::model::Role;
    let candidates: &[ClaimAction] = match role {
        Role::Dealer => &[ClaimAction::Submit, ClaimAction::Respond, ClaimAction::Appeal, ClaimAction::Withdraw],
        Role::ServiceManager => &[
            ClaimAction::Take,
            ClaimAction::Decide(Outcome::Approved),
            ClaimAction::RequestInfo,
            ClaimAction::MarkPaid,
        ],
        Role::Admin => &[],
    };
    candidates
        .iter()
        .copied()
        .filter(|action| {
            let from = match (status, action) {
                (ClaimStatus::Submitted, ClaimAction::Decide(_)) => ClaimStatus::InReview,
                _ => status,
            };
            transition(from, *action, appealed).is_ok()
        })
        .collect()
}

/// `CLM-2026-000123`.
pub fn number(year: i32, seq: i64) -> String {
    format!("CLM-{year}-{seq:06}")
}

/// A failure code from the OEM's list, e.g. `P0AA6` or `HV-ISO-01`.
///
/// # Errors
/// A message naming the allowed characters.
pub fn failure_code(raw: &str) -> Result<String, String> {
    let value = raw.trim().to_uppercase();
    let ok = (2..=32).contains(&value.len())
        && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
    if ok { Ok(value) } else { Err("must be 2–32 letters, digits, '-', '.' or '_'".into()) }
}

/// The longest comment or answer.
pub const MAX_COMMENT: usize = 4000;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
