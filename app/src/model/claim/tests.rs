use chrono::NaiveDate;

use super::*;
use crate::model::FieldErrors;
use crate::model::authorization::ServiceType;
use crate::model::policy::ComponentCategory;

/// Every action a claim can be asked to take (the property tests draw from it too).
pub(super) const ACTIONS: [ClaimAction; 10] = [
    ClaimAction::Submit,
    ClaimAction::Take,
    ClaimAction::RequestInfo,
    ClaimAction::Respond,
    ClaimAction::Decide(Outcome::Approved),
    ClaimAction::Decide(Outcome::PartiallyApproved),
    ClaimAction::Decide(Outcome::Rejected),
    ClaimAction::MarkPaid,
    ClaimAction::Withdraw,
    ClaimAction::Appeal,
];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

#[test]
fn stored_checks_read_back_as_written() {
    for kind in CheckKind::ALL {
        assert_eq!(CheckKind::parse(kind.as_str()), Some(kind));
    }
    assert_eq!(CheckKind::parse("vin"), None);
    for result in [CheckResult::Pass, CheckResult::Warn, CheckResult::Fail] {
        assert_eq!(CheckResult::parse(result.as_str()), result);
    }
    assert_eq!(CheckResult::parse("???"), CheckResult::Fail, "an unreadable result never reads as a pass");
    assert!(CheckKind::ALL.iter().filter(|k| !k.blocks()).eq([CheckKind::Duplicate, CheckKind::Odometer].iter()));
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
    let actions = ACTIONS;
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
    assert_eq!(transition(ClaimStatus::Paid, A::MarkPaid, false), Err("is paid, so it cannot be marked paid".into()));
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
    assert_eq!(outcome(&[(10, v(Decision::Approved, 10)), (5, v(Decision::Adjusted, 3))]), Outcome::PartiallyApproved);
    assert_eq!(outcome(&[(10, v(Decision::Rejected, 0)), (5, v(Decision::Rejected, 0))]), Outcome::Rejected);
    assert_eq!(outcome(&[(10, v(Decision::Rejected, 0)), (5, v(Decision::Approved, 5))]), Outcome::PartiallyApproved);
    assert_eq!(number(2026, 123), "CLM-2026-000123");
}
