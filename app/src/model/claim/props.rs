//! Property tests of the claim life cycle: random paths from draft follow
//! the table of DESIGN.md §4 and nothing else.

use proptest::prelude::*;

use super::ClaimAction as A;
use super::ClaimStatus as S;
use super::tests::ACTIONS;
use super::*;
use crate::model::Role;

/// DESIGN.md §4, transcribed: `draft → submitted → in_review → {info_requested,
/// approved, partially_approved, rejected}`; `info_requested → submitted`;
/// `approved | partially_approved → paid`; `draft | submitted |
/// info_requested → withdrawn`; `rejected → submitted` (once). A submitted
/// claim may also be asked for information before it is taken.
const TABLE: [(ClaimStatus, ClaimAction, ClaimStatus); 14] = [
    (S::Draft, A::Submit, S::Submitted),
    (S::Submitted, A::Take, S::InReview),
    (S::Submitted, A::RequestInfo, S::InfoRequested),
    (S::InReview, A::RequestInfo, S::InfoRequested),
    (S::InfoRequested, A::Respond, S::Submitted),
    (S::InReview, A::Decide(Outcome::Approved), S::Approved),
    (S::InReview, A::Decide(Outcome::PartiallyApproved), S::PartiallyApproved),
    (S::InReview, A::Decide(Outcome::Rejected), S::Rejected),
    (S::Approved, A::MarkPaid, S::Paid),
    (S::PartiallyApproved, A::MarkPaid, S::Paid),
    (S::Draft, A::Withdraw, S::Withdrawn),
    (S::Submitted, A::Withdraw, S::Withdrawn),
    (S::InfoRequested, A::Withdraw, S::Withdrawn),
    (S::Rejected, A::Appeal, S::Submitted),
];

/// Where the table takes `from` on `action`, if anywhere.
fn table(from: ClaimStatus, action: ClaimAction) -> Option<ClaimStatus> {
    TABLE.iter().find(|(f, a, _)| *f == from && *a == action).map(|(_, _, to)| *to)
}

/// One step of a path: an action, or — to reach deep states often — one of
/// the actions the table allows from wherever the claim is.
fn step() -> impl Strategy<Value = (bool, prop::sample::Index, ClaimAction)> {
    (any::<bool>(), any::<prop::sample::Index>(), prop::sample::select(ACTIONS.to_vec()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_path_from_draft_follows_the_table(steps in prop::collection::vec(step(), 0..60)) {
        let mut status = S::Draft;
        let mut appealed = false;
        let mut appeals = 0;
        for (prefer_legal, pick, random) in steps {
            let legal: Vec<ClaimAction> = ACTIONS.into_iter().filter(|a| table(status, *a).is_some()).collect();
            let action = if prefer_legal && !legal.is_empty() { legal[pick.index(legal.len())] } else { random };
            let before = status;
            match transition(status, action, appealed) {
                Ok(to) => {
                    prop_assert_eq!(table(status, action), Some(to), "{:?} + {:?}", status, action);
                    prop_assert!(!(action == A::Appeal && appealed), "a second appeal went through");
                    if action == A::Appeal {
                        appealed = true;
                        appeals += 1;
                    }
                    status = to;
                }
                Err(message) => {
                    let second_appeal = status == S::Rejected && action == A::Appeal && appealed;
                    prop_assert!(
                        table(status, action).is_none() || second_appeal,
                        "{:?} + {:?} is in the table but was refused: {}", status, action, message
                    );
                    let named = format!("is {}", status.words());
                    prop_assert!(message.starts_with(&named), "{:?}: {} does not name the status", status, message);
                }
            }
            if matches!(before, S::Paid | S::Withdrawn) {
                prop_assert_eq!(status, before, "nothing leaves {:?}", before);
            }
            // What the claim page offers is always allowed.
            for role in [Role::Dealer, Role::ServiceManager, Role::Admin] {
                for offered in next_actions(status, role, appealed) {
                    let decides = matches!(offered, A::Decide(_));
                    let from = if status == S::Submitted && decides { S::InReview } else { status };
                    prop_assert!(transition(from, offered, appealed).is_ok(), "{:?} offered {:?}", status, offered);
                }
            }
        }
        prop_assert!(appeals <= 1);
    }
}
