//! Property tests of movement planning: whatever is asked, a plan keeps
//! the stock rules (a quantity in range, the kind's sign, one distinct
//! serial per unit of a serialized part) or names a field — never a panic.

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::*;

/// Serials from a small pool (so lists repeat themselves, also in another
/// case or with spaces around), and now and then something that is not a
/// serial at all.
fn raw_serial() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[A-Ca-c][0-3]",
        1 => " [a-c]-[0-3] ",
        1 => "[a-z0-9 ./_!é-]{0,6}",
    ]
}

fn quantity() -> impl Strategy<Value = i64> {
    prop_oneof![
        8 => -2i64..=12,
        1 => Just(MAX_QUANTITY),
        1 => Just(MAX_QUANTITY + 1),
        1 => Just(i64::MIN),
        1 => Just(i64::MAX),
    ]
}

const FIELDS: [&str; 5] = ["quantity", "reason", "reference", "serials", "kind"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_plan_keeps_the_stock_rules_or_names_a_field(
        kind in prop::sample::select(MovementKind::ALL.to_vec()),
        quantity in quantity(),
        serials in prop::collection::vec(raw_serial(), 0..14),
        serialized in any::<bool>(),
        reference in prop::option::of("[ -~]{0,130}"),
        reason in prop::option::of("[ a-z]{0,3}"),
        decrease in any::<bool>(),
    ) {
        let planned =
            plan_movement(kind, quantity, &serials, serialized, reference.as_deref(), reason.as_deref(), decrease);
        match planned {
            Ok(plan) => {
                prop_assert!((1..=MAX_QUANTITY).contains(&plan.quantity));
                prop_assert_eq!(plan.quantity, quantity);
                prop_assert_eq!(plan.delta, kind.sign(decrease) * quantity);
                prop_assert_eq!(plan.delta.abs(), quantity);
                if serialized {
                    prop_assert_eq!(i64::try_from(plan.serials.len()).ok(), Some(quantity));
                    let distinct: BTreeSet<&String> = plan.serials.iter().collect();
                    prop_assert_eq!(distinct.len(), plan.serials.len(), "a serial is listed twice");
                    for (raw, clean) in serials.iter().zip(&plan.serials) {
                        let parsed = serial(raw);
                        prop_assert_eq!(parsed.as_ref(), Ok(clean));
                    }
                    prop_assert!(!(kind == MovementKind::Adjustment && decrease));
                } else {
                    prop_assert!(serials.is_empty() && plan.serials.is_empty());
                }
                if kind.needs_reason() {
                    prop_assert!(plan.reason.as_deref().is_some_and(|r| !r.trim().is_empty()));
                }
            }
            Err(errors) => {
                let fields = errors.into_error().fields();
                prop_assert!(!fields.is_empty(), "a refusal names a field");
                prop_assert!(fields.keys().all(|f| FIELDS.contains(&f.as_str())), "{:?}", fields);
            }
        }
    }

    #[test]
    fn accepted_serials_do_not_depend_on_their_order(
        serials in prop::collection::vec(raw_serial(), 1..14),
        seed in any::<prop::sample::Index>(),
    ) {
        let n = i64::try_from(serials.len()).unwrap_or(i64::MAX);
        let mut turned = serials.clone();
        turned.rotate_left(seed.index(serials.len()));
        let plan = |list: &[String]| plan_movement(MovementKind::Receipt, n, list, true, None, None, false).is_ok();
        prop_assert_eq!(plan(&serials[..]), plan(&turned[..]));
    }
}
