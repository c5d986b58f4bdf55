//! Vehicles: identified by VIN, no owner's personal data, with the
//! odometer history repairs add to.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VehicleDto {
    pub id: i64,
    pub vin: String,
    pub oem_id: i64,
    pub oem_code: String,
    pub model_id: i64,
    pub model_code: String,
    pub model_name: String,
    pub model_year: i32,
    /// Warranty starts here.
    pub in_service_date: NaiveDate,
    pub country: String,
    pub last_odometer_km: Option<i64>,
    pub registered_by_dealer_id: Option<i64>,
    /// Oldest first (a single vehicle only, like the fields below).
    pub odometer: Vec<OdometerDto>,
    /// Warranty left per component category, from the OEM's policies.
    pub coverage: Vec<CoverageDto>,
    /// Repairs the reader may see, newest first.
    pub repairs: Vec<crate::model::repair::RepairDto>,
    /// Parts installed in and removed from this vehicle by those repairs.
    pub parts: Vec<VehiclePartDto>,
    /// Warranty claims the reader may see, newest first.
    pub claims: Vec<crate::model::claim::ClaimDto>,
}

/// How much warranty a component category has left.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CoverageDto {
    pub component_category: crate::model::policy::ComponentCategory,
    pub months: i32,
    pub km: i64,
    /// The last day covered: the in-service date plus the policy's months.
    pub ends_on: NaiveDate,
    /// Whole months from today to `ends_on` (0 once it has passed).
    pub months_left: i32,
    /// `km` less the last odometer reading (0 once passed); unknown without a reading.
    pub km_left: Option<i64>,
    /// Still covered today by both time and distance.
    pub active: bool,
    /// The category has no policy of its own: the basic warranty applies.
    pub basic_fallback: bool,
}

/// A part line of a repair on this vehicle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VehiclePartDto {
    pub repair_id: i64,
    pub repair_number: String,
    pub date: NaiveDate,
    pub part_id: i64,
    pub part_number: String,
    pub description: String,
    pub quantity: i64,
    pub serial: Option<String>,
    pub direction: crate::model::repair::PartDirection,
}

/// Coverage left for one policy: time runs from the in-service date, the
/// distance from zero.
pub fn coverage(
    category: crate::model::policy::ComponentCategory,
    months: i32,
    km: i64,
    in_service: NaiveDate,
    odometer: Option<i64>,
    today: NaiveDate,
) -> CoverageDto {
    let end =
        in_service.checked_add_months(chrono::Months::new(u32::try_from(months).unwrap_or(0))).unwrap_or(in_service);
    let months_left = if today > end { 0 } else { whole_months(today, end) };
    let km_left = odometer.map(|o| (km - o).max(0));
    let active = today <= end && odometer.is_none_or(|o| o <= km);
    CoverageDto {
        component_category: category,
        months,
        km,
        ends_on: end,
        months_left,
        km_left,
        active,
        basic_fallback: false,
    }
}

/// Whole months from `from` to `to` (`to` ≥ `from`).
fn whole_months(from: NaiveDate, to: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut months = (to.year() - from.year()) * 12 + i32::try_from(to.month()).unwrap_or(0)
        - i32::try_from(from.month()).unwrap_or(0);
    if to.day() < from.day() {
        months -= 1;
    }
    months.max(0)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OdometerDto {
    pub km: i64,
    pub date: NaiveDate,
    pub repair_id: Option<i64>,
    /// Lower than an earlier reading: kept, but flagged.
    pub flagged: bool,
}

/// `POST /vehicles`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewVehicle {
    pub vin: String,
    pub oem_id: i64,
    pub model_id: i64,
    pub model_year: i32,
    pub in_service_date: String,
    pub country: String,
    /// A first odometer reading, on the in-service date's side of today.
    #[serde(default)]
    pub odometer_km: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct VehicleFilter {
    /// The beginning of a VIN.
    pub q: Option<String>,
    pub oem_id: Option<i64>,
    pub model_id: Option<i64>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// A model year: from 1990 to next year.
///
/// # Errors
/// A message naming the range.
pub fn model_year(year: i32, today: NaiveDate) -> Result<i32, String> {
    use chrono::Datelike;
    let last = today.year() + 1;
    if (1990..=last).contains(&year) { Ok(year) } else { Err(format!("must be between 1990 and {last}")) }
}

/// The in-service date: not in the future and not before the model year's
/// previous year.
///
/// # Errors
/// A message saying which bound it crosses.
pub fn in_service_date(date: NaiveDate, model_year: i32, today: NaiveDate) -> Result<NaiveDate, String> {
    use chrono::Datelike;
    if date > today {
        Err("cannot be in the future".into())
    } else if date.year() < model_year - 1 {
        Err(format!("cannot be before {} for a {model_year} model", model_year - 1))
    } else {
        Ok(date)
    }
}

/// A reading is flagged when it is lower than the highest earlier one.
pub fn odometer_flagged(highest_before: Option<i64>, km: i64) -> bool {
    highest_before.is_some_and(|h| km < h)
}

/// An odometer reading in km: 0 to 2,000,000.
///
/// # Errors
/// A message naming the range.
pub fn odometer_km(km: i64) -> Result<i64, String> {
    if (0..=2_000_000).contains(&km) { Ok(km) } else { Err("must be between 0 and 2000000 km".into()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn model_years_run_from_1990_to_next_year() {
        let today = day(2026, 11, 25);
        assert_eq!(model_year(2027, today), Ok(2027));
        assert!(model_year(2028, today).is_err());
        assert!(model_year(1989, today).is_err());
    }

    #[test]
    fn in_service_dates_are_not_in_the_future_nor_long_before_the_model_year() {
        let today = day(2026, 11, 25);
        assert!(in_service_date(day(2026, 11, 26), 2026, today).is_err());
        assert!(in_service_date(day(2024, 12, 31), 2026, today).is_err());
        assert_eq!(in_service_date(day(2025, 6, 1), 2026, today), Ok(day(2025, 6, 1)));
    }

    #[test]
    fn coverage_runs_out_by_time_or_distance() {
        use crate::model::policy::ComponentCategory::HvBattery;
        let start = day(2024, 3, 15);
        let c = coverage(HvBattery, 96, 160_000, start, Some(40_000), day(2026, 11, 25));
        assert_eq!(c.ends_on, day(2032, 3, 15));
        assert_eq!(c.months_left, 63);
        assert_eq!(c.km_left, Some(120_000));
        assert!(c.active);
        let worn = coverage(HvBattery, 96, 160_000, start, Some(170_000), day(2026, 11, 25));
        assert_eq!(worn.km_left, Some(0));
        assert!(!worn.active);
        let last_day = coverage(HvBattery, 12, 1_000, start, None, day(2025, 3, 15));
        assert!(last_day.active);
        assert_eq!(last_day.months_left, 0);
        let over = coverage(HvBattery, 12, 1_000, start, None, day(2025, 3, 16));
        assert!(!over.active);
        assert_eq!(over.km_left, None);
    }

    #[test]
    fn a_lower_reading_is_flagged() {
        assert!(!odometer_flagged(None, 10));
        assert!(!odometer_flagged(Some(10), 10));
        assert!(odometer_flagged(Some(10), 9));
        assert!(odometer_km(-1).is_err());
    }
}
