//! Repair orders: a dealer's record of a visit — the three Cs (complaint,
//! cause, correction), labour lines and the parts installed or removed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::FieldErrors;

/// Where a repair order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RepairStatus {
    Open,
    Completed,
    Cancelled,
}

impl RepairStatus {
    pub const ALL: [RepairStatus; 3] = [RepairStatus::Open, RepairStatus::Completed, RepairStatus::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            RepairStatus::Open => "open",
            RepairStatus::Completed => "completed",
            RepairStatus::Cancelled => "cancelled",
        }
    }

    /// # Errors
    /// A message naming the statuses.
    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or_else(|| "must be one of open, completed, cancelled".into())
    }
}

/// Whether a part line put a part into the vehicle or took one out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PartDirection {
    /// Issued from the dealer's stock into the vehicle.
    Installed,
    /// The failed part taken out of the vehicle.
    Removed,
}

impl PartDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            PartDirection::Installed => "installed",
            PartDirection::Removed => "removed",
        }
    }

    /// # Errors
    /// A message naming the directions.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim() {
            "installed" => Ok(PartDirection::Installed),
            "removed" => Ok(PartDirection::Removed),
            _ => Err("must be installed or removed".into()),
        }
    }
}

/// `RO-<dealer code>-000042`.
pub fn number(dealer_code: &str, seq: i64) -> String {
    format!("RO-{dealer_code}-{seq:06}")
}

/// The longest hours a labour line may carry.
pub const MAX_HOURS: f64 = 999.99;

/// Labour hours as hundredths: more than 0, at most 999.99, two decimals.
///
/// # Errors
/// A message saying which rule the number breaks.
pub fn hours(value: f64) -> Result<i64, String> {
    if !value.is_finite() || value <= 0.0 || value > MAX_HOURS {
        return Err(format!("must be more than 0 and at most {MAX_HOURS}"));
    }
    let hundredths = (value * 100.0).round();
    if (hundredths - value * 100.0).abs() > 1e-6 {
        return Err("must have at most two decimals".into());
    }
    // In range by the checks above.
    #[allow(clippy::cast_possible_truncation)]
    Ok(hundredths as i64)
}

/// Hundredths of an hour back to a number (`350` → `3.5`).
#[allow(clippy::cast_precision_loss)]
pub fn hours_value(hundredths: i64) -> f64 {
    hundredths as f64 / 100.0
}

/// A labour line's amount as shown: hours × rate, rounded half up to the
/// minor unit (clamped, never wrapped; lines are bounded when written — see
/// [`money::labor`](crate::model::money::labor) for the checked amount).
pub fn labor_amount(hours_hundredths: i64, rate_minor: i64) -> i64 {
    super::money::labor_clamped(hours_hundredths, rate_minor)
}

/// A labour operation code from the OEM's labour-time guide, e.g. `HV-PACK-R&R`.
///
/// # Errors
/// A message naming the allowed characters.
pub fn labor_code(raw: &str) -> Result<String, String> {
    let value = raw.trim().to_uppercase();
    let ok = (1..=20).contains(&value.len())
        && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/' | '&' | '_'));
    if ok { Ok(value) } else { Err("must be 1–20 letters, digits, '-', '.', '/', '&' or '_'".into()) }
}

/// A required line of text of at most `max` characters.
///
/// # Errors
/// "is required" or the length limit.
pub fn text(raw: &str, max: usize) -> Result<String, String> {
    let value = raw.trim();
    if value.is_empty() {
        Err("is required".into())
    } else if value.chars().count() > max {
        Err(format!("must be at most {max} characters"))
    } else {
        Ok(value.to_string())
    }
}

/// The longest complaint, cause or correction.
pub const MAX_STORY: usize = 4000;

/// One of the three Cs; may stay empty until the repair is completed.
///
/// # Errors
/// The length limit.
pub fn story(raw: &str) -> Result<String, String> {
    let value = raw.trim();
    if value.chars().count() > MAX_STORY {
        Err(format!("must be at most {MAX_STORY} characters"))
    } else {
        Ok(value.to_string())
    }
}

/// Lines and texts may change only while a repair is open.
///
/// # Errors
/// The conflict sentence naming the repair and its status.
pub fn ensure_open(number: &str, status: RepairStatus) -> Result<(), String> {
    match status {
        RepairStatus::Open => Ok(()),
        other => Err(format!("Repair {number} is {}; only open repairs can be changed.", other.as_str())),
    }
}

/// What completing a repair asks for.
pub struct Completion<'a> {
    pub complaint: &'a str,
    pub cause: &'a str,
    pub correction: &'a str,
    pub labor_lines: usize,
    pub part_lines: usize,
}

/// A repair is completed with the three Cs written and at least one line.
///
/// # Errors
/// Each missing C by field, and `lines` when there is no line.
pub fn check_completion(repair: &Completion<'_>) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    for (field, value) in [("complaint", repair.complaint), ("cause", repair.cause), ("correction", repair.correction)]
    {
        if value.trim().is_empty() {
            errors.add(field, "is required to complete the repair");
        }
    }
    if repair.labor_lines + repair.part_lines == 0 {
        errors.add("lines", "a repair needs at least one labour or part line to be completed");
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RepairDto {
    pub id: i64,
    /// `RO-<dealer code>-000042`.
    pub number: String,
    pub status: RepairStatus,
    pub dealer_id: i64,
    pub dealer_code: String,
    pub vehicle_id: i64,
    pub vin: String,
    pub model_name: String,
    pub odometer_km: i64,
    /// Lower than an earlier reading of the vehicle.
    pub odometer_flagged: bool,
    /// In the dealer's time zone.
    pub opened_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub complaint: String,
    pub cause: String,
    pub correction: String,
    /// The dealer's currency (labour and part amounts).
    pub currency: String,
    /// Filled on a single repair; empty in lists.
    pub labor: Vec<LaborLineDto>,
    pub parts: Vec<RepairPartDto>,
    pub labor_total_minor: i64,
    /// Installed parts at list price, those priced in the dealer's currency.
    pub parts_total_minor: i64,
    /// Stock movements of this repair (a single repair only).
    pub movements: Vec<crate::model::stock::MovementDto>,
    /// The repair's ledger entries, oldest first (a single repair only).
    pub timeline: Vec<crate::model::ledger::LedgerEntryDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LaborLineDto {
    pub id: i64,
    pub labor_code: String,
    pub description: String,
    pub hours: f64,
    /// The dealer's rate when the line was written, per hour.
    pub rate_minor: i64,
    pub currency: String,
    pub amount_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RepairPartDto {
    pub id: i64,
    pub part_id: i64,
    pub part_number: String,
    pub description: String,
    pub serialized: bool,
    pub quantity: i64,
    pub serial: Option<String>,
    pub direction: PartDirection,
    /// The part's list price when the line was written.
    pub price_minor: i64,
    pub currency: String,
    /// The `issue_to_repair` stock movement of an installed line.
    pub movement_id: Option<i64>,
}

/// `POST /repairs`: the vehicle by id (one in scope) or by VIN (any
/// registered vehicle: the car is in the dealer's workshop).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRepair {
    #[serde(default)]
    pub vehicle_id: Option<i64>,
    #[serde(default)]
    pub vin: Option<String>,
    pub odometer_km: i64,
    pub complaint: String,
    #[serde(default)]
    pub cause: Option<String>,
    #[serde(default)]
    pub correction: Option<String>,
}

/// `PATCH /repairs/{id}` while open.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RepairPatch {
    pub odometer_km: Option<i64>,
    pub complaint: Option<String>,
    pub cause: Option<String>,
    pub correction: Option<String>,
}

/// `POST /repairs/{id}/labor`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewLabor {
    pub labor_code: String,
    pub description: String,
    /// Up to two decimals.
    pub hours: f64,
}

/// `POST /repairs/{id}/parts`. A serialized part is one unit per line,
/// named by `serial`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRepairPart {
    pub part_id: i64,
    pub quantity: i64,
    #[serde(default)]
    pub serial: Option<String>,
    /// `installed` or `removed`.
    pub direction: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct RepairFilter {
    /// `open`, `completed` or `cancelled`.
    pub status: Option<String>,
    /// The beginning of a VIN.
    pub vin: Option<String>,
    /// A repair number, exactly.
    pub number: Option<String>,
    pub vehicle_id: Option<i64>,
    /// Admins and service managers: one dealer's repairs.
    pub dealer_id: Option<i64>,
    /// Opened on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Opened on or before (YYYY-MM-DD).
    pub to: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// A part the dealer holds for this repair's vehicle, offered while
/// choosing an installed part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StockChoice {
    pub part_id: i64,
    pub part_number: String,
    pub description: String,
    pub serialized: bool,
    pub on_hand: i64,
    /// Serials on the shelf (serialized parts).
    pub serials: Vec<String>,
}

/// What `/trace` found for a VIN, a repair number or a part serial: the
/// vehicle, its repairs with their parts and stock movements, and the unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TraceDto {
    pub query: String,
    /// `vin`, `repair` or `serial`.
    pub found: String,
    pub vehicle: Option<crate::model::vehicle::VehicleDto>,
    /// With lines, movements and timelines, newest first.
    pub repairs: Vec<RepairDto>,
    pub unit: Option<crate::model::stock::PartUnitDto>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct TraceQuery {
    /// A VIN, a repair number (`RO-…`) or a part serial.
    pub q: String,
    /// Names the part when a serial is used by several.
    pub part_id: Option<i64>,
}

#[cfg(test)]
mod tests;
