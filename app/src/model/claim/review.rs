//! The reviewer's side: line kinds, per-line decisions with reasons, the
//! outcome they add up to, and the steps of a part return.

use serde::{Deserialize, Serialize};

use super::Outcome;
use crate::model::FieldErrors;

/// A claim line's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Part,
    Labor,
    Sublet,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Part => "part",
            LineKind::Labor => "labor",
            LineKind::Sublet => "sublet",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [LineKind::Part, LineKind::Labor, LineKind::Sublet].into_iter().find(|k| k.as_str() == raw)
    }
}

/// A reviewer's decision on one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Pending,
    Approved,
    Adjusted,
    Rejected,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Pending => "pending",
            Decision::Approved => "approved",
            Decision::Adjusted => "adjusted",
            Decision::Rejected => "rejected",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Decision::Pending, Decision::Approved, Decision::Adjusted, Decision::Rejected]
            .into_iter()
            .find(|d| d.as_str() == raw.trim())
    }
}

/// Why a line is not paid in full: a fixed list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    NotCovered,
    LaborTimeExceeded,
    PartNotReturned,
    Duplicate,
    InsufficientEvidence,
    Other,
}

impl ReasonCode {
    pub const ALL: [ReasonCode; 6] = [
        ReasonCode::NotCovered,
        ReasonCode::LaborTimeExceeded,
        ReasonCode::PartNotReturned,
        ReasonCode::Duplicate,
        ReasonCode::InsufficientEvidence,
        ReasonCode::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::NotCovered => "not_covered",
            ReasonCode::LaborTimeExceeded => "labor_time_exceeded",
            ReasonCode::PartNotReturned => "part_not_returned",
            ReasonCode::Duplicate => "duplicate",
            ReasonCode::InsufficientEvidence => "insufficient_evidence",
            ReasonCode::Other => "other",
        }
    }

    /// # Errors
    /// A message naming the codes.
    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw.trim()).ok_or_else(|| {
            "must be one of not_covered, labor_time_exceeded, part_not_returned, duplicate, insufficient_evidence, other"
                .into()
        })
    }
}

/// A line decided: the decision, the approved amount and the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineVerdict {
    pub decision: Decision,
    pub approved_minor: i64,
    pub reason: Option<ReasonCode>,
}

/// Checks one line's decision against the review rules: `approved` needs
/// nothing, `adjusted` an amount from 0 to the requested one and a reason,
/// `rejected` a reason; `other` needs the review's comment. Errors are
/// keyed `lines[i].field`.
///
/// # Errors
/// Every broken rule by field.
pub fn decide_line(
    index: usize,
    requested_minor: i64,
    decision: &str,
    approved_minor: Option<i64>,
    reason_code: Option<&str>,
    has_comment: bool,
    errors: &mut FieldErrors,
) -> Option<LineVerdict> {
    let field = |name: &str| format!("lines[{index}].{name}");
    let Some(decision) = Decision::parse(decision).filter(|d| *d != Decision::Pending) else {
        errors.add(&field("decision"), "must be approved, adjusted or rejected");
        return None;
    };
    let reason = match reason_code.map(str::trim).filter(|r| !r.is_empty()) {
        Some(raw) => match ReasonCode::parse(raw) {
            Ok(code) => Some(code),
            Err(message) => {
                errors.add(&field("reason_code"), message);
                return None;
            }
        },
        None => None,
    };
    if reason == Some(ReasonCode::Other) && !has_comment {
        errors.add("comment", "is required when a line's reason is other");
    }
    let approved = match decision {
        Decision::Approved => requested_minor,
        Decision::Rejected => 0,
        _ => match approved_minor {
            Some(amount) if (0..=requested_minor).contains(&amount) => amount,
            Some(_) => {
                errors.add(&field("approved_minor"), format!("must be from 0 to the requested {requested_minor}"));
                return None;
            }
            None => {
                errors.add(&field("approved_minor"), "is required for an adjusted line");
                return None;
            }
        },
    };
    if decision != Decision::Approved && reason.is_none() {
        errors.add(&field("reason_code"), "is required unless the line is approved in full");
        return None;
    }
    Some(LineVerdict {
        decision,
        approved_minor: approved,
        reason: if decision == Decision::Approved { None } else { reason },
    })
}

/// What the decided lines add up to: approved when every line is paid in
/// full, rejected when none is paid at all, else partially approved.
pub fn outcome(lines: &[(i64, LineVerdict)]) -> Outcome {
    if lines.iter().all(|(requested, v)| v.approved_minor == *requested && v.decision != Decision::Rejected) {
        Outcome::Approved
    } else if lines.iter().all(|(_, v)| v.decision == Decision::Rejected) {
        Outcome::Rejected
    } else {
        Outcome::PartiallyApproved
    }
}

/// Where a failed part asked back by the OEM is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReturnStatus {
    Requested,
    Shipped,
    Received,
    Inspected,
}

impl ReturnStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReturnStatus::Requested => "requested",
            ReturnStatus::Shipped => "shipped",
            ReturnStatus::Received => "received",
            ReturnStatus::Inspected => "inspected",
        }
    }

    /// # Errors
    /// A message naming the statuses.
    pub fn parse(raw: &str) -> Result<Self, String> {
        [ReturnStatus::Requested, ReturnStatus::Shipped, ReturnStatus::Received, ReturnStatus::Inspected]
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or_else(|| "must be shipped, received or inspected".into())
    }
}

/// A part return moves one step at a time: the dealer ships (with a
/// tracking reference), the OEM receives, then inspects.
///
/// # Errors
/// A sentence naming the current status, or who may take the step.
pub fn return_step(from: ReturnStatus, to: ReturnStatus, role: crate::model::Role) -> Result<(), String> {
    use crate::model::Role;
    use ReturnStatus as S;
    match (from, to, role) {
        (S::Requested, S::Shipped, Role::Dealer)
        | (S::Shipped, S::Received, Role::ServiceManager)
        | (S::Received, S::Inspected, Role::ServiceManager) => Ok(()),
        (S::Requested, S::Shipped, _) => Err("is shipped by the dealer".into()),
        (S::Shipped, S::Received, _) | (S::Received, S::Inspected, _) => Err(format!("is {} by the OEM", to.as_str())),
        _ => Err(format!("is {}, so it cannot become {}", from.as_str(), to.as_str())),
    }
}
