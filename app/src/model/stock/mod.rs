//! Dealer stock: movement kinds and their signs, the rules a movement must
//! meet, and the life cycle of a serialized part unit.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::FieldErrors;
use super::limits::grouped;

mod dto;
mod unit;

pub use dto::*;
pub use unit::{UnitEvent, UnitStatus, unit_transition};

/// What moved stock. Quantities are positive; the kind gives the sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    Receipt,
    IssueToRepair,
    ReturnFromRepair,
    Adjustment,
    TransferOut,
    TransferIn,
    ReturnToOem,
    Scrap,
    Recycle,
}

impl MovementKind {
    pub const ALL: [MovementKind; 9] = [
        MovementKind::Receipt,
        MovementKind::IssueToRepair,
        MovementKind::ReturnFromRepair,
        MovementKind::Adjustment,
        MovementKind::TransferOut,
        MovementKind::TransferIn,
        MovementKind::ReturnToOem,
        MovementKind::Scrap,
        MovementKind::Recycle,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Receipt => "receipt",
            MovementKind::IssueToRepair => "issue_to_repair",
            MovementKind::ReturnFromRepair => "return_from_repair",
            MovementKind::Adjustment => "adjustment",
            MovementKind::TransferOut => "transfer_out",
            MovementKind::TransferIn => "transfer_in",
            MovementKind::ReturnToOem => "return_to_oem",
            MovementKind::Scrap => "scrap",
            MovementKind::Recycle => "recycle",
        }
    }

    /// # Errors
    /// A message naming the kinds.
    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw.trim()).ok_or_else(|| {
            "must be one of receipt, issue_to_repair, return_from_repair, adjustment, transfer_out, transfer_in, \
             return_to_oem, scrap, recycle"
                .into()
        })
    }

    /// +1 when the kind adds stock, -1 when it takes stock away. An
    /// adjustment adds unless it is a decrease.
    pub fn sign(self, decrease: bool) -> i64 {
        match self {
            MovementKind::Receipt | MovementKind::ReturnFromRepair | MovementKind::TransferIn => 1,
            MovementKind::Adjustment if !decrease => 1,
            MovementKind::Adjustment
            | MovementKind::IssueToRepair
            | MovementKind::TransferOut
            | MovementKind::ReturnToOem
            | MovementKind::Scrap
            | MovementKind::Recycle => -1,
        }
    }

    /// Whether a person must say why.
    pub fn needs_reason(self) -> bool {
        matches!(self, MovementKind::Adjustment | MovementKind::Scrap)
    }
}

/// A serial number: trimmed, upper case, 1–64 letters, digits, `-`, `.`, `/`, `_`.
///
/// # Errors
/// A message saying what a serial may contain.
pub fn serial(raw: &str) -> Result<String, String> {
    let value = raw.trim().to_uppercase();
    let ok = (1..=64).contains(&value.len())
        && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/' | '_'));
    if ok { Ok(value) } else { Err(format!("'{}' must be 1–64 letters, digits, '-', '.', '/' or '_'", raw.trim())) }
}

/// Serials typed in one box: separated by commas, semicolons, spaces or lines.
pub fn split_serials(raw: &str) -> Vec<String> {
    raw.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A movement as asked for, before it touches the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovementPlan {
    pub kind: MovementKind,
    pub quantity: i64,
    /// Signed: the change to on-hand.
    pub delta: i64,
    pub serials: Vec<String>,
    pub reference: Option<String>,
    pub reason: Option<String>,
}

/// The largest quantity one movement may carry.
pub const MAX_QUANTITY: i64 = 1_000_000;

/// The most serials one movement may list: one per unit of the largest
/// quantity (DESIGN.md §13). A longer list is refused before any is read.
pub const MAX_SERIALS: usize = MAX_QUANTITY as usize;

/// Checks a movement's own fields: a positive quantity, a reason where the
/// kind needs one, and — for serialized parts — one distinct serial per unit.
///
/// # Errors
/// Every bad field, by name.
pub fn plan_movement(
    kind: MovementKind,
    quantity: i64,
    serials: &[String],
    serialized: bool,
    reference: Option<&str>,
    reason: Option<&str>,
    decrease: bool,
) -> Result<MovementPlan, FieldErrors> {
    let mut errors = FieldErrors::new();
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        errors.add("quantity", format!("must be a whole number from 1 to {MAX_QUANTITY}"));
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if kind.needs_reason() && reason.is_none() {
        errors.add("reason", format!("is required for {}", kind.as_str().replace('_', " ")));
    }
    if reason.is_some_and(|r| r.chars().count() > 500) {
        errors.add("reason", "must be at most 500 characters");
    }
    let reference = reference.map(str::trim).filter(|r| !r.is_empty());
    if reference.is_some_and(|r| r.chars().count() > 120) {
        errors.add("reference", "must be at most 120 characters");
    }
    let mut parsed = Vec::new();
    if serialized {
        if kind == MovementKind::Adjustment && decrease {
            errors.add("kind", "a serialized unit leaves stock by scrap, return to OEM or recycle, not by adjustment");
        }
        // Counted before any serial is read: the work below is bounded by
        // the quantity, whatever the size of the list.
        let listed = i64::try_from(serials.len()).ok().filter(|n| *n <= MAX_QUANTITY);
        match listed {
            None => errors.add("serials", format!("At most {} serials per movement.", grouped(MAX_SERIALS as u64))),
            Some(n) if (1..=MAX_QUANTITY).contains(&quantity) && n != quantity => errors
                .add("serials", format!("this part is serialized: give one serial per unit ({quantity}), not {n}")),
            Some(_) => parsed = distinct_serials(serials, &mut errors),
        }
    } else if !serials.is_empty() {
        errors.add("serials", "this part is not serialized: leave serials empty");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(MovementPlan {
        kind,
        quantity,
        delta: kind.sign(decrease) * quantity,
        serials: parsed,
        reference: reference.map(str::to_string),
        reason: reason.map(str::to_string),
    })
}

/// The serials, each checked, none listed twice (a set, so a long list
/// costs n log n, not n²). Stops at the first bad one.
fn distinct_serials(raw: &[String], errors: &mut FieldErrors) -> Vec<String> {
    let mut parsed = Vec::with_capacity(raw.len());
    for one in raw {
        match serial(one) {
            Ok(value) => parsed.push(value),
            Err(message) => {
                errors.add("serials", message);
                return Vec::new();
            }
        }
    }
    let twice = {
        let mut seen = BTreeSet::new();
        parsed.iter().find(|s| !seen.insert(s.as_str())).cloned()
    };
    if let Some(twice) = twice {
        errors.add("serials", format!("{twice} is listed twice"));
        return Vec::new();
    }
    parsed
}

#[cfg(test)]
mod props;

#[cfg(test)]
mod tests {
    use super::*;

    fn serials(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_kind_gives_the_sign() {
        let cases = [
            (MovementKind::Receipt, false, 1),
            (MovementKind::IssueToRepair, false, -1),
            (MovementKind::ReturnFromRepair, false, 1),
            (MovementKind::Adjustment, false, 1),
            (MovementKind::Adjustment, true, -1),
            (MovementKind::TransferOut, false, -1),
            (MovementKind::TransferIn, false, 1),
            (MovementKind::ReturnToOem, false, -1),
            (MovementKind::Scrap, false, -1),
            (MovementKind::Recycle, false, -1),
        ];
        for (kind, decrease, sign) in cases {
            assert_eq!(kind.sign(decrease), sign, "{kind:?}");
            assert_eq!(MovementKind::parse(kind.as_str()), Ok(kind));
        }
        assert!(MovementKind::parse("theft").is_err());
    }

    #[test]
    fn quantities_are_positive() {
        for quantity in [0, -3, MAX_QUANTITY + 1] {
            let err = plan_movement(MovementKind::Receipt, quantity, &[], false, None, None, false).expect_err("bad");
            assert!(err.finish().expect_err("err").field_message("quantity").is_some());
        }
        let plan = plan_movement(MovementKind::Scrap, 2, &[], false, None, Some("water damage"), false).expect("ok");
        assert_eq!(plan.delta, -2);
    }

    #[test]
    fn adjustments_and_scrap_need_a_reason() {
        for kind in [MovementKind::Adjustment, MovementKind::Scrap] {
            let err = plan_movement(kind, 1, &[], false, None, Some("  "), false).expect_err("no reason");
            assert!(err.finish().expect_err("err").field_message("reason").is_some(), "{kind:?}");
        }
        assert!(plan_movement(MovementKind::ReturnToOem, 1, &[], false, None, None, false).is_ok());
    }

    #[test]
    fn serialized_parts_need_one_distinct_serial_per_unit() {
        let ok = plan_movement(MovementKind::Receipt, 2, &serials(&[" pk-1", "PK-2"]), true, Some("DN-1"), None, false)
            .expect("two serials for two units");
        assert_eq!(ok.serials, serials(&["PK-1", "PK-2"]));
        assert_eq!(ok.reference.as_deref(), Some("DN-1"));
        let too_few = plan_movement(MovementKind::Receipt, 2, &serials(&["PK-1"]), true, None, None, false);
        assert!(too_few.is_err());
        let twice = plan_movement(MovementKind::Receipt, 2, &serials(&["PK-1", "pk-1"]), true, None, None, false)
            .expect_err("duplicate");
        assert_eq!(twice.finish().expect_err("err").field_message("serials").as_deref(), Some("PK-1 is listed twice"));
        let bad = plan_movement(MovementKind::Receipt, 1, &serials(&["PK 1"]), true, None, None, false);
        assert!(bad.is_err());
    }

    #[test]
    fn plain_parts_take_no_serials_and_serialized_ones_are_not_adjusted_down() {
        assert!(plan_movement(MovementKind::Receipt, 1, &serials(&["X1"]), false, None, None, false).is_err());
        let down = plan_movement(MovementKind::Adjustment, 1, &serials(&["X1"]), true, None, Some("count"), true);
        assert!(down.expect_err("refused").finish().expect_err("err").field_message("kind").is_some());
    }

    fn serials_message(err: FieldErrors) -> Option<String> {
        err.into_error().field_message("serials")
    }

    #[test]
    fn a_list_over_the_limit_is_refused_before_any_serial_is_read() {
        // Empty strings are not serials: had one been read, the message would say so.
        let list = vec![String::new(); MAX_SERIALS + 1];
        let err = plan_movement(MovementKind::Receipt, 1, &list, true, None, None, false).expect_err("too many");
        assert_eq!(serials_message(err).as_deref(), Some("At most 1,000,000 serials per movement."));
    }

    #[test]
    fn a_list_of_the_wrong_length_is_refused_before_any_serial_is_read() {
        let list = vec![String::new(); 3];
        let err = plan_movement(MovementKind::Receipt, 2, &list, true, None, None, false).expect_err("three for two");
        assert_eq!(
            serials_message(err).as_deref(),
            Some("this part is serialized: give one serial per unit (2), not 3")
        );
    }

    #[test]
    fn a_long_list_is_checked_for_twins_with_a_set() {
        const N: usize = 50_000;
        let mut list: Vec<String> = (0..N).map(|i| format!("SN-{i}")).collect();
        let quantity = i64::try_from(N).expect("fits");
        let plan = plan_movement(MovementKind::Receipt, quantity, &list, true, None, None, false).expect("distinct");
        assert_eq!(plan.serials.len(), N);
        list[N - 1] = " sn-17 ".into();
        let err = plan_movement(MovementKind::Receipt, quantity, &list, true, None, None, false).expect_err("twins");
        assert_eq!(serials_message(err).as_deref(), Some("SN-17 is listed twice"));
    }

    #[test]
    fn serials_split_on_commas_spaces_and_lines() {
        assert_eq!(split_serials("A1, A2;A3\nA4  "), serials(&["A1", "A2", "A3", "A4"]));
    }
}
