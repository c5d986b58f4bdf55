//! Recall and service campaigns (DESIGN §11): the campaign claim's amount,
//! the conditions under which it is approved without review, and the
//! completion rates an OEM reports. Pure rules, shared by the server and the
//! browser; the services that store campaigns call them.

use serde::{Deserialize, Serialize};

use super::AppError;
use super::money::{labor, line_amount, plus};

/// The longest handling surcharge a campaign may pay on its kit, in percent.
pub const MAX_HANDLING_PCT: i64 = 100;

/// One part of a campaign's kit, as the claim prices it: the part's list
/// price (in the dealer's currency, §9) and how many the remedy takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KitLine {
    pub part_id: i64,
    pub list_price_minor: i64,
    pub quantity: i64,
}

/// A kit line's amount with the handling surcharge: price × quantity ×
/// (100 + handling %) / 100, rounded half up to the minor unit.
fn kit_amount(line: &KitLine, handling_pct: i64) -> Result<i64, AppError> {
    let exact = i128::from(line.list_price_minor) * i128::from(line.quantity) * i128::from(100 + handling_pct);
    let rounded = (exact + 50).div_euclid(100);
    line_amount(
        "parts",
        i64::try_from(rounded).map_err(|_| AppError::field("parts", "gives an amount that does not fit"))?,
    )
}

/// The campaign claim's amount (§11): the labour (standard plus admin hours,
/// in hundredths) at the dealer's rate, rounded half up, plus each kit part
/// at its list price with the handling surcharge.
///
/// # Errors
/// A `Validation` error naming `handling_pct` outside 0–100, or the field
/// whose amount does not fit.
pub fn claim_amount(
    labor_hundredths: i64,
    admin_hundredths: i64,
    rate_minor: i64,
    kit: &[KitLine],
    handling_pct: i64,
) -> Result<i64, AppError> {
    if !(0..=MAX_HANDLING_PCT).contains(&handling_pct) {
        return Err(AppError::field("handling_pct", format!("must be between 0 and {MAX_HANDLING_PCT}")));
    }
    let hours = plus("labor_hours", labor_hundredths, admin_hundredths)?;
    let mut total = labor("labor_hours", hours, rate_minor)?;
    for line in kit {
        total = plus("parts", total, kit_amount(line, handling_pct)?)?;
    }
    Ok(total)
}

/// What the automatic approval of a campaign claim looks at (§11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimFacts {
    /// The VIN is in the campaign and still open there.
    pub vin_open: bool,
    /// The dealer holds a `recall_campaign` authorization effective that day.
    pub authorized: bool,
    /// Labour claimed, and the campaign's standard plus admin hours (hundredths).
    pub labor_hundredths: i64,
    pub allowed_hundredths: i64,
    /// Parts claimed and the kit, as (part, quantity).
    pub parts: Vec<(i64, i64)>,
    pub kit: Vec<(i64, i64)>,
}

/// One condition of the automatic approval, and whether it held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub condition: String,
    pub held: bool,
    pub explanation: String,
}

fn hours(hundredths: i64) -> String {
    format!("{}.{:02} h", hundredths / 100, hundredths % 100)
}

/// Each condition of §11 with what was found: approved automatically when
/// every one holds, otherwise the claim goes to line review saying which
/// failed. Time and mileage coverage are not conditions of a campaign.
pub fn approval_conditions(facts: &ClaimFacts) -> Vec<Condition> {
    let within_kit = facts.parts.iter().all(|(part, quantity)| {
        let allowed: i64 = facts.kit.iter().filter(|(k, _)| k == part).map(|(_, q)| *q).sum();
        let claimed: i64 = facts.parts.iter().filter(|(p, _)| p == part).map(|(_, q)| *q).sum();
        *quantity > 0 && claimed <= allowed
    });
    vec![
        Condition {
            condition: "vin_open".into(),
            held: facts.vin_open,
            explanation: if facts.vin_open {
                "The VIN is open in this campaign.".into()
            } else {
                "The VIN is not open in this campaign (not listed, or already closed).".into()
            },
        },
        Condition {
            condition: "authorization".into(),
            held: facts.authorized,
            explanation: if facts.authorized {
                "The dealer holds a recall campaign authorization effective that day.".into()
            } else {
                "No recall campaign authorization of the dealer is effective that day.".into()
            },
        },
        Condition {
            condition: "labor_time".into(),
            held: facts.labor_hundredths <= facts.allowed_hundredths,
            explanation: format!(
                "{} claimed against {} standard and admin time.",
                hours(facts.labor_hundredths),
                hours(facts.allowed_hundredths)
            ),
        },
        Condition {
            condition: "parts_in_kit".into(),
            held: within_kit,
            explanation: if within_kit {
                "Every part claimed is in the campaign's kit, within its quantity.".into()
            } else {
                "A part claimed is not in the campaign's kit, or more of it than the kit holds.".into()
            },
        },
    ]
}

/// Whether every condition held.
pub fn approved_automatically(conditions: &[Condition]) -> bool {
    conditions.iter().all(|c| c.held)
}

/// A campaign's VIN counts (cumulative, NHTSA Part 573.7 style).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    pub involved: u64,
    pub remedied: u64,
    pub inspected_ok: u64,
    pub unreachable: u64,
}

impl Completion {
    /// VINs neither closed nor unreachable.
    pub fn open(&self) -> u64 {
        self.involved.saturating_sub(self.remedied + self.inspected_ok + self.unreachable)
    }

    /// Remedied ÷ involved (`None` with no VIN).
    pub fn statutory_rate(&self) -> Option<f64> {
        (self.involved > 0).then(|| self.remedied as f64 / self.involved as f64)
    }

    /// (Remedied + inspected) ÷ (involved − unreachable) (`None` when every
    /// VIN is unreachable).
    pub fn adjusted_rate(&self) -> Option<f64> {
        let reachable = self.involved.saturating_sub(self.unreachable);
        (reachable > 0).then(|| (self.remedied + self.inspected_ok) as f64 / reachable as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_design_example_pays_sek_1641() {
        // SEK 1 150.00/h × (0.40 + 0.10) h + part SEK 820.00 × 1.30 = SEK 1 641.00.
        let kit = [KitLine { part_id: 7, list_price_minor: 82_000, quantity: 1 }];
        assert_eq!(claim_amount(40, 10, 115_000, &kit, 30), Ok(164_100));
    }

    #[test]
    fn labour_and_surcharge_round_half_up_and_limits_are_named() {
        // 0.01 h at 0.50/h is 0.005: half up to 0.01.
        assert_eq!(claim_amount(1, 0, 50, &[], 0), Ok(1));
        // 3 × 0.33 with 10 % is 1.089: 1.09.
        let kit = [KitLine { part_id: 1, list_price_minor: 33, quantity: 3 }];
        assert_eq!(claim_amount(0, 0, 0, &kit, 10), Ok(109));
        let err = claim_amount(0, 0, 0, &kit, 101).expect_err("over 100 %");
        assert_eq!(err.fields().into_keys().collect::<Vec<_>>(), vec!["handling_pct".to_string()]);
        let huge = [KitLine { part_id: 1, list_price_minor: i64::MAX, quantity: 2 }];
        assert!(claim_amount(0, 0, 0, &huge, 0).is_err(), "an amount that does not fit is refused");
    }

    fn facts() -> ClaimFacts {
        ClaimFacts {
            vin_open: true,
            authorized: true,
            labor_hundredths: 50,
            allowed_hundredths: 50,
            parts: vec![(7, 1)],
            kit: vec![(7, 1)],
        }
    }

    #[test]
    fn a_claim_within_every_condition_is_approved_and_each_failing_alone_sends_it_to_review() {
        assert!(approved_automatically(&approval_conditions(&facts())));
        let failing: [(&str, ClaimFacts); 5] = [
            ("vin_open", ClaimFacts { vin_open: false, ..facts() }),
            ("authorization", ClaimFacts { authorized: false, ..facts() }),
            ("labor_time", ClaimFacts { labor_hundredths: 51, ..facts() }),
            ("parts_in_kit", ClaimFacts { parts: vec![(8, 1)], ..facts() }),
            ("parts_in_kit", ClaimFacts { parts: vec![(7, 2)], ..facts() }),
        ];
        for (name, facts) in failing {
            let conditions = approval_conditions(&facts);
            assert!(!approved_automatically(&conditions), "{name}");
            let failed: Vec<&str> = conditions.iter().filter(|c| !c.held).map(|c| c.condition.as_str()).collect();
            assert_eq!(failed, vec![name], "only {name} fails");
        }
        let labour = &approval_conditions(&ClaimFacts { labor_hundredths: 51, ..facts() })[2];
        assert_eq!(labour.explanation, "0.51 h claimed against 0.50 h standard and admin time.");
    }

    #[test]
    fn completion_rates_follow_the_design_example() {
        let c = Completion { involved: 1_200, remedied: 780, inspected_ok: 20, unreachable: 30 };
        assert_eq!(c.open(), 370);
        assert_eq!(c.statutory_rate().map(|r| (r * 1000.0).round() / 10.0), Some(65.0));
        assert_eq!(c.adjusted_rate().map(|r| (r * 1000.0).round() / 10.0), Some(68.4));
        let none = Completion::default();
        assert_eq!((none.statutory_rate(), none.adjusted_rate()), (None, None));
        let lost = Completion { involved: 3, unreachable: 3, ..Completion::default() };
        assert_eq!(lost.adjusted_rate(), None);
    }
}
