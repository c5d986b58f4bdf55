//! Warranty policies: how long (months) and how far (km) an OEM covers a
//! component category, for one model or all of them.

use serde::{Deserialize, Serialize};

/// The component categories coverage is defined for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ComponentCategory {
    VehicleBasic,
    HvBattery,
    DriveUnit,
    Electronics,
    BodyPaint,
}

impl ComponentCategory {
    pub const ALL: [ComponentCategory; 5] = [
        ComponentCategory::VehicleBasic,
        ComponentCategory::HvBattery,
        ComponentCategory::DriveUnit,
        ComponentCategory::Electronics,
        ComponentCategory::BodyPaint,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ComponentCategory::VehicleBasic => "vehicle_basic",
            ComponentCategory::HvBattery => "hv_battery",
            ComponentCategory::DriveUnit => "drive_unit",
            ComponentCategory::Electronics => "electronics",
            ComponentCategory::BodyPaint => "body_paint",
        }
    }

    /// # Errors
    /// A message naming the categories.
    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == raw.trim())
            .ok_or_else(|| "must be one of vehicle_basic, hv_battery, drive_unit, electronics, body_paint".into())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PolicyDto {
    pub id: i64,
    pub oem_id: i64,
    pub model_id: Option<i64>,
    pub component_category: ComponentCategory,
    pub months: i32,
    pub km: i64,
}

/// `POST /warranty-policies`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPolicy {
    pub oem_id: i64,
    #[serde(default)]
    pub model_id: Option<i64>,
    pub component_category: String,
    pub months: i32,
    pub km: i64,
}

/// `PATCH /warranty-policies/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PolicyPatch {
    #[serde(default)]
    pub months: Option<i32>,
    #[serde(default)]
    pub km: Option<i64>,
}

/// # Errors
/// A message when outside 1–240 months.
pub fn months(value: i32) -> Result<i32, String> {
    if (1..=240).contains(&value) { Ok(value) } else { Err("must be between 1 and 240 months".into()) }
}

/// # Errors
/// A message when outside 1–2,000,000 km.
pub fn km(value: i64) -> Result<i64, String> {
    if (1..=2_000_000).contains(&value) { Ok(value) } else { Err("must be between 1 and 2,000,000 km".into()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_parse_from_their_names() {
        for c in ComponentCategory::ALL {
            assert_eq!(ComponentCategory::parse(c.as_str()), Ok(c));
        }
        assert!(ComponentCategory::parse("tyres").is_err());
    }

    #[test]
    fn coverage_limits_are_bounded() {
        assert!(months(0).is_err());
        assert_eq!(months(96), Ok(96));
        assert!(km(0).is_err());
        assert_eq!(km(160_000), Ok(160_000));
    }
}
