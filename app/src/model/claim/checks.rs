//! The six checks of a submission, each with its plain-language explanation.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::model::authorization::ServiceType;
use crate::model::policy::ComponentCategory;

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
    /// In the order they run and are shown.
    pub const ALL: [CheckKind; 6] = [
        CheckKind::Authorization,
        CheckKind::CoverageTime,
        CheckKind::CoverageMileage,
        CheckKind::PartEligibility,
        CheckKind::Duplicate,
        CheckKind::Odometer,
    ];

    /// The check stored as `name`, if it is one.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

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

impl CheckResult {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckResult::Pass => "pass",
            CheckResult::Warn => "warn",
            CheckResult::Fail => "fail",
        }
    }

    /// A stored result; anything unknown reads as a failure.
    pub fn parse(name: &str) -> Self {
        match name {
            "pass" => CheckResult::Pass,
            "warn" => CheckResult::Warn,
            _ => CheckResult::Fail,
        }
    }
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
