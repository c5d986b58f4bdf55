//! Warranty claims: the life cycle (one transition function), the six
//! checks run on submission with their plain-language explanations, and
//! the reviewer's per-line decisions. DESIGN.md §4 is the rule book.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::FieldErrors;
use super::authorization::ServiceType;
use super::policy::ComponentCategory;

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
        (S::Rejected, A::Appeal) => return Err("was appealed once already; a second appeal is not possible".into()),
        (status, action) => return Err(format!("is {}, so it cannot be {}", status.words(), action.words())),
    };
    Ok(to)
}

/// The actions a person in `role` may take on a claim in `status` — the
/// claim page shows these and no others. A review on a submitted claim
/// takes it first, so reviewing is offered there too.
pub fn next_actions(status: ClaimStatus, role: super::Role, appealed: bool) -> Vec<ClaimAction> {
    use super::Role;
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

/// The six checks of a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    Authorization,
    CoverageTime,
    CoverageMileage,
    PartEligibility,
    Duplicate,
    Odometer,
}

impl CheckKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Authorization => "authorization",
            CheckKind::CoverageTime => "coverage_time",
            CheckKind::CoverageMileage => "coverage_mileage",
            CheckKind::PartEligibility => "part_eligibility",
            CheckKind::Duplicate => "duplicate",
            CheckKind::Odometer => "odometer",
        }
    }

    /// Checks 1–4 block a submission when they fail; 5–6 only warn.
    pub fn blocks(self) -> bool {
        !matches!(self, CheckKind::Duplicate | CheckKind::Odometer)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckResult {
    Pass,
    Warn,
    Fail,
}

/// One check's result and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CheckOutcome {
    pub check: CheckKind,
    pub result: CheckResult,
    pub explanation: String,
}

impl CheckOutcome {
    fn new(check: CheckKind, result: CheckResult, explanation: String) -> Self {
        Self { check, result, explanation }
    }

    /// A failed check that stops the submission.
    pub fn blocking(&self) -> bool {
        self.result == CheckResult::Fail && self.check.blocks()
    }
}

/// The service type a claim's authorization must cover, from the causal
/// part's category.
pub fn service_type_for(category: ComponentCategory) -> ServiceType {
    match category {
        ComponentCategory::HvBattery => ServiceType::HvBattery,
        ComponentCategory::BodyPaint => ServiceType::BodyPaint,
        _ => ServiceType::WarrantyRepair,
    }
}

fn category_words(category: ComponentCategory) -> &'static str {
    match category {
        ComponentCategory::VehicleBasic => "basic",
        ComponentCategory::HvBattery => "HV battery",
        ComponentCategory::DriveUnit => "drive unit",
        ComponentCategory::Electronics => "electronics",
        ComponentCategory::BodyPaint => "body and paint",
    }
}

/// 12345 → "12,345".
fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Check 1: `covering` is the number of an authorization that covers the
/// work on the repair date, if one does.
pub fn check_authorization(
    covering: Option<&str>,
    service_type: ServiceType,
    model_name: &str,
    repair_date: NaiveDate,
) -> CheckOutcome {
    let work = service_type.as_str().replace('_', " ");
    match covering {
        Some(number) => CheckOutcome::new(
            CheckKind::Authorization,
            CheckResult::Pass,
            format!("Authorization {number} covers {work} work on the {model_name} on {repair_date}."),
        ),
        None => CheckOutcome::new(
            CheckKind::Authorization,
            CheckResult::Fail,
            format!("No authorization of this dealer covers {work} work on the {model_name} on {repair_date}."),
        ),
    }
}

/// The policy that applies to a claim: the causal category's (the model's,
/// else the OEM's), else the basic warranty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub category: ComponentCategory,
    pub months: i32,
    pub km: i64,
}

/// Check 2: the repair date is on or before the in-service date plus the
/// policy's months.
pub fn check_coverage_time(policy: Option<Policy>, in_service: NaiveDate, repair_date: NaiveDate) -> CheckOutcome {
    let Some(policy) = policy else {
        return CheckOutcome::new(
            CheckKind::CoverageTime,
            CheckResult::Fail,
            "No warranty policy covers this part's category or the basic warranty: nothing covers this repair.".into(),
        );
    };
    let months = u32::try_from(policy.months).unwrap_or(0);
    let ends = in_service.checked_add_months(Months::new(months)).unwrap_or(in_service);
    let name = format!("{}-month {} warranty", policy.months, category_words(policy.category));
    if repair_date <= ends {
        return CheckOutcome::new(
            CheckKind::CoverageTime,
            CheckResult::Pass,
            format!("Repair on {repair_date} is within the {name}, which runs to {ends}."),
        );
    }
    let late = months_between(ends, repair_date);
    let after = if late >= 1 {
        format!("{late} month{}", if late == 1 { "" } else { "s" })
    } else {
        let days = (repair_date - ends).num_days();
        format!("{days} day{}", if days == 1 { "" } else { "s" })
    };
    CheckOutcome::new(
        CheckKind::CoverageTime,
        CheckResult::Fail,
        format!("Repair on {repair_date} is {after} after the {name} ended on {ends}."),
    )
}

/// Whole months from `from` to `to` (`to` after `from`).
fn months_between(from: NaiveDate, to: NaiveDate) -> i64 {
    use chrono::Datelike;
    let mut months = i64::from(to.year() - from.year()) * 12 + i64::from(to.month()) - i64::from(from.month());
    if to.day() < from.day() {
        months -= 1;
    }
    months.max(0)
}

/// Check 3: the repair's odometer is at most the policy's km.
pub fn check_coverage_mileage(policy: Option<Policy>, odometer_km: i64) -> CheckOutcome {
    let Some(policy) = policy else {
        return CheckOutcome::new(
            CheckKind::CoverageMileage,
            CheckResult::Fail,
            "No warranty policy covers this part's category or the basic warranty: no distance is covered.".into(),
        );
    };
    let name = format!("{} km {} warranty", grouped(policy.km), category_words(policy.category));
    if odometer_km <= policy.km {
        CheckOutcome::new(
            CheckKind::CoverageMileage,
            CheckResult::Pass,
            format!("Odometer {} km is within the {name}.", grouped(odometer_km)),
        )
    } else {
        CheckOutcome::new(
            CheckKind::CoverageMileage,
            CheckResult::Fail,
            format!("Odometer {} km is {} km over the {name}.", grouped(odometer_km), grouped(odometer_km - policy.km)),
        )
    }
}

/// What check 4 needs to know of a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartFacts {
    pub part_number: String,
    pub warranty_eligible: bool,
    pub active: bool,
    /// The current part at the end of its supersession chain, if superseded.
    pub superseded_by: Option<String>,
}

/// Check 4: the causal part and every claimed part are warranty-eligible
/// and active; a superseded part is accepted and named.
pub fn check_part_eligibility(causal: &PartFacts, claimed: &[PartFacts]) -> CheckOutcome {
    let mut all: Vec<&PartFacts> = vec![causal];
    all.extend(claimed.iter().filter(|p| p.part_number != causal.part_number));
    let not_eligible: Vec<&str> = all.iter().filter(|p| !p.warranty_eligible).map(|p| p.part_number.as_str()).collect();
    let inactive: Vec<&str> =
        all.iter().filter(|p| !p.active && p.superseded_by.is_none()).map(|p| p.part_number.as_str()).collect();
    let superseded: Vec<String> = all
        .iter()
        .filter_map(|p| {
            p.superseded_by.as_ref().map(|to| format!("{} is superseded by {to} (accepted)", p.part_number))
        })
        .collect();
    let mut problems = Vec::new();
    if !not_eligible.is_empty() {
        problems.push(format!("{} {} not warranty-eligible", not_eligible.join(", "), is_are(not_eligible.len())));
    }
    if !inactive.is_empty() {
        problems.push(format!("{} {} no longer active", inactive.join(", "), is_are(inactive.len())));
    }
    let note = if superseded.is_empty() { String::new() } else { format!(" {}.", superseded.join("; ")) };
    if problems.is_empty() {
        let others = all.len() - 1;
        let subject = match others {
            0 => format!("{} is", causal.part_number),
            1 => format!("{} and 1 other claimed part are", causal.part_number),
            n => format!("{} and {n} other claimed parts are", causal.part_number),
        };
        CheckOutcome::new(CheckKind::PartEligibility, CheckResult::Pass, format!("{subject} warranty-eligible.{note}"))
    } else {
        CheckOutcome::new(CheckKind::PartEligibility, CheckResult::Fail, format!("{}.{note}", problems.join("; ")))
    }
}

fn is_are(n: usize) -> &'static str {
    if n == 1 { "is" } else { "are" }
}

/// The days within which a second claim on a VIN and causal part is a duplicate.
pub const DUPLICATE_DAYS: i64 = 30;

/// Check 5: `other` is another non-withdrawn claim on the same VIN and
/// causal part (its number and repair date) within 30 days, if any.
pub fn check_duplicate(other: Option<(&str, NaiveDate)>, causal_part: &str) -> CheckOutcome {
    match other {
        Some((number, day)) => CheckOutcome::new(
            CheckKind::Duplicate,
            CheckResult::Warn,
            format!(
                "Claim {number} on this VIN for {causal_part} has a repair on {day}, within {DUPLICATE_DAYS} days of this one."
            ),
        ),
        None => CheckOutcome::new(
            CheckKind::Duplicate,
            CheckResult::Pass,
            format!("No other claim on this VIN for {causal_part} within {DUPLICATE_DAYS} days."),
        ),
    }
}

/// Check 6: `higher_earlier` is an earlier reading of the vehicle above
/// this repair's (km and date), if any.
pub fn check_odometer(higher_earlier: Option<(i64, NaiveDate)>, odometer_km: i64) -> CheckOutcome {
    match higher_earlier {
        Some((km, day)) => CheckOutcome::new(
            CheckKind::Odometer,
            CheckResult::Warn,
            format!("Odometer {} km is lower than {} km read on {day}.", grouped(odometer_km), grouped(km)),
        ),
        None => CheckOutcome::new(
            CheckKind::Odometer,
            CheckResult::Pass,
            format!("Odometer {} km is not lower than any earlier reading.", grouped(odometer_km)),
        ),
    }
}

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
pub fn return_step(from: ReturnStatus, to: ReturnStatus, role: super::Role) -> Result<(), String> {
    use super::Role;
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

/// The largest attachment: 10 MiB.
pub const MAX_ATTACHMENT: usize = 10 * 1024 * 1024;

/// The content type of an attachment, judged from its bytes (never from
/// what the client says): JPEG, PNG, PDF, or UTF-8 text — CSV when the
/// name ends in `.csv`.
///
/// # Errors
/// A message naming the allowed types.
pub fn sniff(bytes: &[u8], name: &str) -> Result<&'static str, String> {
    const REFUSED: &str = "must be a photo (JPEG, PNG), a PDF or a text/CSV diagnostic file";
    if bytes.is_empty() {
        return Err("is empty".into());
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok("image/jpeg");
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        return Ok("image/png");
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok("application/pdf");
    }
    let text = std::str::from_utf8(bytes).map_err(|_| REFUSED.to_string())?;
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(REFUSED.into());
    }
    Ok(if name.to_ascii_lowercase().ends_with(".csv") { "text/csv" } else { "text/plain" })
}

/// A file name safe to keep and to send back: no directories, no control
/// characters, at most 200 characters.
pub fn file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control() && *c != '"').take(200).collect();
    let clean = clean.trim().to_string();
    if clean.is_empty() { "attachment".into() } else { clean }
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
    pub requested_total: super::network::Money,
    pub approved_total: Option<super::network::Money>,
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
    pub timeline: Vec<super::ledger::LedgerEntryDto>,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn every_legal_transition() {
        use ClaimAction as A;
        use ClaimStatus as S;
        let legal = [
            (S::Draft, A::Submit, false, S::Submitted),
            (S::Submitted, A::Take, false, S::InReview),
            (S::Submitted, A::RequestInfo, false, S::InfoRequested),
            (S::InReview, A::RequestInfo, false, S::InfoRequested),
            (S::InfoRequested, A::Respond, false, S::Submitted),
            (S::InReview, A::Decide(Outcome::Approved), false, S::Approved),
            (S::InReview, A::Decide(Outcome::PartiallyApproved), false, S::PartiallyApproved),
            (S::InReview, A::Decide(Outcome::Rejected), false, S::Rejected),
            (S::Approved, A::MarkPaid, false, S::Paid),
            (S::PartiallyApproved, A::MarkPaid, false, S::Paid),
            (S::Draft, A::Withdraw, false, S::Withdrawn),
            (S::Submitted, A::Withdraw, false, S::Withdrawn),
            (S::InfoRequested, A::Withdraw, false, S::Withdrawn),
            (S::Rejected, A::Appeal, false, S::Submitted),
        ];
        for (from, action, appealed, to) in legal {
            assert_eq!(transition(from, action, appealed), Ok(to), "{from:?} + {action:?}");
        }
    }

    #[test]
    fn every_other_transition_is_refused_with_the_current_state() {
        use ClaimAction as A;
        let actions = [
            A::Submit,
            A::Take,
            A::RequestInfo,
            A::Respond,
            A::Decide(Outcome::Approved),
            A::Decide(Outcome::PartiallyApproved),
            A::Decide(Outcome::Rejected),
            A::MarkPaid,
            A::Withdraw,
            A::Appeal,
        ];
        let mut legal = 0;
        for from in ClaimStatus::ALL {
            for action in actions {
                match transition(from, action, false) {
                    Ok(_) => legal += 1,
                    Err(message) => assert!(message.starts_with("is "), "{from:?} + {action:?}: {message}"),
                }
            }
        }
        assert_eq!(legal, 14, "exactly the transitions of DESIGN §4");
        assert_eq!(
            transition(ClaimStatus::Approved, A::Withdraw, false),
            Err("is approved, so it cannot be withdrawn".into())
        );
        assert_eq!(
            transition(ClaimStatus::Paid, A::MarkPaid, false),
            Err("is paid, so it cannot be marked paid".into())
        );
        assert!(transition(ClaimStatus::Rejected, A::Appeal, true).expect_err("once").contains("appealed once"));
    }

    #[test]
    fn each_side_is_offered_only_its_legal_actions() {
        use crate::model::Role;
        use ClaimAction as A;
        assert_eq!(next_actions(ClaimStatus::Draft, Role::Dealer, false), [A::Submit, A::Withdraw]);
        assert_eq!(next_actions(ClaimStatus::Rejected, Role::Dealer, false), [A::Appeal]);
        assert!(next_actions(ClaimStatus::Rejected, Role::Dealer, true).is_empty());
        assert_eq!(
            next_actions(ClaimStatus::Submitted, Role::ServiceManager, false),
            [A::Take, A::Decide(Outcome::Approved), A::RequestInfo]
        );
        assert_eq!(next_actions(ClaimStatus::PartiallyApproved, Role::ServiceManager, false), [A::MarkPaid]);
        assert!(next_actions(ClaimStatus::Submitted, Role::Admin, false).is_empty());
        assert!(next_actions(ClaimStatus::Draft, Role::ServiceManager, false).is_empty());
    }

    #[test]
    fn coverage_by_time_at_its_edges() {
        let basic = Some(Policy { category: ComponentCategory::VehicleBasic, months: 36, km: 100_000 });
        let start = day(2023, 2, 1);
        assert_eq!(check_coverage_time(basic, start, day(2026, 2, 1)).result, CheckResult::Pass, "the last day");
        let late = check_coverage_time(basic, start, day(2026, 2, 2));
        assert_eq!(late.result, CheckResult::Fail);
        assert_eq!(
            late.explanation,
            "Repair on 2026-02-02 is 1 day after the 36-month basic warranty ended on 2026-02-01."
        );
        assert_eq!(
            check_coverage_time(basic, start, day(2026, 5, 2)).explanation,
            "Repair on 2026-05-02 is 3 months after the 36-month basic warranty ended on 2026-02-01."
        );
        let pass = check_coverage_time(basic, start, day(2025, 1, 1));
        assert_eq!(
            pass.explanation,
            "Repair on 2025-01-01 is within the 36-month basic warranty, which runs to 2026-02-01."
        );
        assert_eq!(check_coverage_time(None, start, day(2025, 1, 1)).result, CheckResult::Fail);
    }

    #[test]
    fn coverage_by_mileage_at_its_edges() {
        let pack = Some(Policy { category: ComponentCategory::HvBattery, months: 96, km: 160_000 });
        assert_eq!(check_coverage_mileage(pack, 160_000).result, CheckResult::Pass);
        let over = check_coverage_mileage(pack, 172_000);
        assert_eq!(over.result, CheckResult::Fail);
        assert_eq!(over.explanation, "Odometer 172,000 km is 12,000 km over the 160,000 km HV battery warranty.");
        assert_eq!(check_coverage_mileage(None, 10).result, CheckResult::Fail);
    }

    #[test]
    fn parts_must_be_eligible_and_active_but_superseded_ones_pass() {
        let part = |n: &str, eligible: bool, active: bool, by: Option<&str>| PartFacts {
            part_number: n.into(),
            warranty_eligible: eligible,
            active,
            superseded_by: by.map(Into::into),
        };
        let pack = part("SV3-P01", true, true, None);
        let ok = check_part_eligibility(&pack, &[part("SV-HV-FUSE-400", true, true, None)]);
        assert_eq!(ok.result, CheckResult::Pass);
        assert_eq!(ok.explanation, "SV3-P01 and 1 other claimed part are warranty-eligible.");
        let old = check_part_eligibility(&pack, &[part("SV-HV-FUSE-400A", true, false, Some("SV-HV-FUSE-400"))]);
        assert_eq!(old.result, CheckResult::Pass);
        assert!(old.explanation.contains("SV-HV-FUSE-400A is superseded by SV-HV-FUSE-400 (accepted)"));
        let wiper = check_part_eligibility(&part("SV-VB-WIP-D", false, true, None), &[]);
        assert_eq!(wiper.result, CheckResult::Fail);
        assert_eq!(wiper.explanation, "SV-VB-WIP-D is not warranty-eligible.");
        let gone = check_part_eligibility(&pack, &[part("X-1", true, false, None)]);
        assert_eq!((gone.result, gone.explanation.as_str()), (CheckResult::Fail, "X-1 is no longer active."));
        assert!(gone.blocking());
    }

    #[test]
    fn duplicates_and_odometer_only_warn() {
        let dup = check_duplicate(Some(("CLM-2026-000007", day(2026, 4, 20))), "SV3-P01");
        assert_eq!(dup.result, CheckResult::Warn);
        assert!(!dup.blocking());
        assert_eq!(check_duplicate(None, "SV3-P01").result, CheckResult::Pass);
        let lower = check_odometer(Some((21_500, day(2026, 3, 1))), 18_000);
        assert_eq!(lower.explanation, "Odometer 18,000 km is lower than 21,500 km read on 2026-03-01.");
        assert!(!lower.blocking());
        let auth = check_authorization(None, ServiceType::HvBattery, "Sinovolt S3", day(2026, 5, 2));
        assert_eq!(
            auth.explanation,
            "No authorization of this dealer covers hv battery work on the Sinovolt S3 on 2026-05-02."
        );
        assert!(auth.blocking());
        assert_eq!(service_type_for(ComponentCategory::DriveUnit), ServiceType::WarrantyRepair);
        assert_eq!(service_type_for(ComponentCategory::HvBattery), ServiceType::HvBattery);
    }

    #[test]
    fn line_decisions_follow_the_review_rules() {
        let mut errors = FieldErrors::new();
        let approved = decide_line(0, 1000, "approved", None, None, false, &mut errors).expect("approved");
        assert_eq!((approved.approved_minor, approved.reason), (1000, None));
        let adjusted = decide_line(1, 1000, "adjusted", Some(600), Some("labor_time_exceeded"), false, &mut errors);
        assert_eq!(adjusted.map(|v| v.approved_minor), Some(600));
        let rejected = decide_line(2, 1000, "rejected", None, Some("not_covered"), false, &mut errors);
        assert_eq!(rejected.map(|v| v.approved_minor), Some(0));
        assert!(errors.is_empty());

        let mut errors = FieldErrors::new();
        assert!(decide_line(0, 1000, "adjusted", Some(1001), Some("other"), true, &mut errors).is_none());
        assert!(decide_line(1, 1000, "rejected", None, None, false, &mut errors).is_none());
        assert!(decide_line(2, 1000, "maybe", None, None, false, &mut errors).is_none());
        decide_line(3, 1000, "rejected", None, Some("other"), false, &mut errors);
        let err = errors.into_error();
        assert!(err.field_message("lines[0].approved_minor").is_some());
        assert_eq!(
            err.field_message("lines[1].reason_code").as_deref(),
            Some("is required unless the line is approved in full")
        );
        assert!(err.field_message("lines[2].decision").is_some());
        assert!(err.field_message("comment").is_some());
    }

    #[test]
    fn attachments_are_judged_by_their_bytes() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0], "x.jpg"), Ok("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....", "photo.png"), Ok("image/png"));
        assert_eq!(sniff(b"%PDF-1.7 ...", "report.pdf"), Ok("application/pdf"));
        assert_eq!(sniff(b"cell,volts\n1,3.9\n", "cells.CSV"), Ok("text/csv"));
        assert_eq!(sniff("isolation 12 kΩ\n".as_bytes(), "log.txt"), Ok("text/plain"));
        assert!(sniff(b"MZ\x90\x00\x03", "photo.jpg").is_err(), "an executable named .jpg");
        assert!(sniff(b"<html>\x00</html>", "a.txt").is_err());
        assert!(sniff(b"", "a.txt").is_err());
        assert_eq!(file_name("C:\\Users\\me\\pack \"7\".jpg"), "pack 7.jpg");
        assert_eq!(file_name("../../etc/passwd"), "passwd");
        assert_eq!(file_name("  "), "attachment");
    }

    #[test]
    fn part_returns_move_one_step_by_the_right_side() {
        use crate::model::Role;
        use ReturnStatus as S;
        assert!(return_step(S::Requested, S::Shipped, Role::Dealer).is_ok());
        assert!(return_step(S::Shipped, S::Received, Role::ServiceManager).is_ok());
        assert!(return_step(S::Received, S::Inspected, Role::ServiceManager).is_ok());
        assert_eq!(return_step(S::Requested, S::Shipped, Role::ServiceManager), Err("is shipped by the dealer".into()));
        assert_eq!(return_step(S::Shipped, S::Received, Role::Dealer), Err("is received by the OEM".into()));
        assert_eq!(
            return_step(S::Requested, S::Inspected, Role::ServiceManager),
            Err("is requested, so it cannot become inspected".into())
        );
        assert!(return_step(S::Inspected, S::Shipped, Role::Dealer).is_err());
    }

    #[test]
    fn outcomes_add_up() {
        let v = |decision, approved_minor| LineVerdict { decision, approved_minor, reason: None };
        assert_eq!(outcome(&[(10, v(Decision::Approved, 10)), (5, v(Decision::Adjusted, 5))]), Outcome::Approved);
        assert_eq!(
            outcome(&[(10, v(Decision::Approved, 10)), (5, v(Decision::Adjusted, 3))]),
            Outcome::PartiallyApproved
        );
        assert_eq!(outcome(&[(10, v(Decision::Rejected, 0)), (5, v(Decision::Rejected, 0))]), Outcome::Rejected);
        assert_eq!(
            outcome(&[(10, v(Decision::Rejected, 0)), (5, v(Decision::Approved, 5))]),
            Outcome::PartiallyApproved
        );
        assert_eq!(number(2026, 123), "CLM-2026-000123");
    }
}
