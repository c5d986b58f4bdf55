use super::*;

#[test]
fn numbers_carry_the_dealer_and_six_digits() {
    assert_eq!(number("NO001", 42), "RO-NO001-000042");
    assert_eq!(number("TH001", 1_234_567), "RO-TH001-1234567");
}

#[test]
fn hours_have_two_decimals_and_a_range() {
    assert_eq!(hours(3.5), Ok(350));
    assert_eq!(hours(0.01), Ok(1));
    assert_eq!(hours(1.15), Ok(115));
    assert_eq!(hours(999.99), Ok(99_999));
    assert_eq!(hours(1.255), Err("must have at most two decimals".into()));
    for bad in [0.0, -1.0, 1000.0, f64::NAN, f64::INFINITY] {
        assert!(hours(bad).is_err(), "{bad}");
    }
    assert!((hours_value(350) - 3.5).abs() < f64::EPSILON);
}

#[test]
fn labour_amounts_round_half_up() {
    assert_eq!(labor_amount(350, 95_000), 332_500);
    assert_eq!(labor_amount(1, 150), 2);
    assert_eq!(labor_amount(1, 149), 1);
}

#[test]
fn labour_codes_are_upper_cased_and_plain() {
    assert_eq!(labor_code(" hv-pack-r&r "), Ok("HV-PACK-R&R".into()));
    assert!(labor_code("").is_err());
    assert!(labor_code("has space").is_err());
    assert!(labor_code(&"A".repeat(21)).is_err());
}

#[test]
fn only_open_repairs_change() {
    assert!(ensure_open("RO-NO001-000001", RepairStatus::Open).is_ok());
    assert_eq!(
        ensure_open("RO-NO001-000001", RepairStatus::Completed),
        Err("Repair RO-NO001-000001 is completed; only open repairs can be changed.".into())
    );
    assert!(ensure_open("RO-NO001-000001", RepairStatus::Cancelled).is_err());
}

#[test]
fn completing_needs_the_three_cs_and_a_line() {
    let ok = Completion { complaint: "No start", cause: "Cell", correction: "Pack", labor_lines: 1, part_lines: 0 };
    assert!(check_completion(&ok).is_ok());
    let parts_only = Completion { labor_lines: 0, part_lines: 1, ..ok };
    assert!(check_completion(&parts_only).is_ok());
    let bare = Completion { complaint: "No start", cause: " ", correction: "", labor_lines: 0, part_lines: 0 };
    let err = check_completion(&bare).expect_err("incomplete").into_error();
    assert!(err.field_message("complaint").is_none());
    assert_eq!(err.field_message("cause").as_deref(), Some("is required to complete the repair"));
    assert!(err.field_message("correction").is_some());
    assert!(err.field_message("lines").is_some());
}

#[test]
fn statuses_and_directions_parse() {
    assert_eq!(RepairStatus::parse("completed"), Ok(RepairStatus::Completed));
    assert!(RepairStatus::parse("closed").is_err());
    assert_eq!(PartDirection::parse("removed"), Ok(PartDirection::Removed));
    assert_eq!(PartDirection::parse("fitted"), Err("must be installed or removed".into()));
    assert_eq!(text("  ", 10), Err("is required".into()));
    assert!(story(&"x".repeat(MAX_STORY + 1)).is_err());
}
