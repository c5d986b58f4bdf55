//! HV battery packs under the EU Battery Regulation 2023/1542 (DESIGN §12):
//! the condition a pack is removed in, who takes it back, and the take-back
//! figures an OEM reports per country and period. Pure rules, shared by the
//! server and the browser.

use serde::{Deserialize, Serialize};

/// The state a pack comes out of a vehicle in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PackCondition {
    Intact,
    Damaged,
    ThermalEvent,
}

impl PackCondition {
    pub const ALL: [PackCondition; 3] = [PackCondition::Intact, PackCondition::Damaged, PackCondition::ThermalEvent];

    pub fn as_str(self) -> &'static str {
        match self {
            PackCondition::Intact => "intact",
            PackCondition::Damaged => "damaged",
            PackCondition::ThermalEvent => "thermal_event",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    /// A damaged or burnt pack ships as dangerous goods (ADR special
    /// provision 376), not as an ordinary waste battery.
    pub fn dangerous_goods(self) -> bool {
        self != PackCondition::Intact
    }
}

/// Who a removed or returned pack is handed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsigneeKind {
    /// The OEM itself (the unit becomes `returned_to_oem`).
    Oem,
    /// A producer responsibility organisation acting for the OEM.
    Pro,
    Recycler,
}

impl ConsigneeKind {
    pub const ALL: [ConsigneeKind; 3] = [ConsigneeKind::Oem, ConsigneeKind::Pro, ConsigneeKind::Recycler];

    pub fn as_str(self) -> &'static str {
        match self {
            ConsigneeKind::Oem => "oem",
            ConsigneeKind::Pro => "pro",
            ConsigneeKind::Recycler => "recycler",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }
}

/// A state of health in whole percent, 0–100.
///
/// # Errors
/// A sentence for the field when outside 0–100.
pub fn state_of_health(pct: i64) -> Result<i64, String> {
    if (0..=100).contains(&pct) { Ok(pct) } else { Err("must be a percentage between 0 and 100".into()) }
}

/// One country's take-back in a period, in kilograms (§12).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct TakeBack {
    pub removed_kg: f64,
    pub returned_kg: f64,
    pub recycled_kg: f64,
    /// Removed packs whose part carries no mass: the figures are incomplete.
    pub units_without_mass: u64,
}

impl TakeBack {
    /// Removed and not yet returned at the period's end.
    pub fn open_kg(&self) -> f64 {
        (self.removed_kg - self.returned_kg).max(0.0)
    }

    /// Returned ÷ removed (`None` when nothing was removed).
    pub fn ratio(&self) -> Option<f64> {
        (self.removed_kg > 0.0).then(|| self.returned_kg / self.removed_kg)
    }

    pub fn complete(&self) -> bool {
        self.units_without_mass == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_design_example_leaves_520_kg_open_and_a_ratio_of_63_4_percent() {
        // NO, Q1 2026: removed 450 + 450 + 520 kg, returned 900 kg.
        let no = TakeBack { removed_kg: 450.0 + 450.0 + 520.0, returned_kg: 900.0, ..TakeBack::default() };
        assert_eq!(no.open_kg(), 520.0);
        assert_eq!(no.ratio().map(|r| (r * 1000.0).round() / 10.0), Some(63.4));
        assert!(no.complete());
        assert_eq!(TakeBack::default().ratio(), None, "nothing removed: no ratio");
        assert!(!TakeBack { units_without_mass: 1, ..no }.complete());
    }

    #[test]
    fn conditions_and_consignees_round_trip_and_damage_is_dangerous_goods() {
        for c in PackCondition::ALL {
            assert_eq!(PackCondition::parse(c.as_str()), Some(c));
        }
        for k in ConsigneeKind::ALL {
            assert_eq!(ConsigneeKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(PackCondition::parse("burnt"), None);
        assert!(!PackCondition::Intact.dangerous_goods());
        assert!(PackCondition::Damaged.dangerous_goods() && PackCondition::ThermalEvent.dangerous_goods());
        assert_eq!(state_of_health(100), Ok(100));
        assert!(state_of_health(101).is_err() && state_of_health(-1).is_err());
    }
}
