//! Property tests of the chain check: random chains built in memory verify
//! when intact, and any one change — a field of one entry, two entries
//! swapped, one removed, one forged consistently — is named at its seq.

use chrono::TimeZone;
use proptest::prelude::*;

use super::*;

/// The hashed fields of one entry, before it is chained.
#[derive(Debug, Clone)]
struct Fields {
    after_micros: i64,
    actor_id: Option<i64>,
    dealer_id: Option<i64>,
    oem_id: Option<i64>,
    entity: String,
    entity_id: i64,
    action: String,
    data: String,
}

fn fields() -> impl Strategy<Value = Fields> {
    (
        0i64..5_000_000,
        proptest::option::of(1i64..1_000),
        proptest::option::of(1i64..50),
        proptest::option::of(1i64..5),
        "[a-z_]{1,12}",
        any::<i64>(),
        "[a-z_]{1,10}\\.[a-z_]{1,10}",
        "[ -~]{0,40}",
    )
        .prop_map(|(after_micros, actor_id, dealer_id, oem_id, entity, entity_id, action, data)| Fields {
            after_micros,
            actor_id,
            dealer_id,
            oem_id,
            entity,
            entity_id,
            action,
            data,
        })
}

/// The entries chained from genesis, as `LedgerTx` writes them.
fn chain(fields: &[Fields]) -> Vec<ledger_entry::Model> {
    let mut at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("a valid time");
    let mut prev_hash = GENESIS_HASH.to_string();
    let mut rows = Vec::with_capacity(fields.len());
    for (seq, f) in (1i64..).zip(fields) {
        at += chrono::Duration::microseconds(f.after_micros);
        let mut row = ledger_entry::Model {
            seq,
            at,
            actor_id: f.actor_id,
            dealer_id: f.dealer_id,
            oem_id: f.oem_id,
            entity: f.entity.clone(),
            entity_id: f.entity_id,
            action: f.action.clone(),
            data: f.data.clone(),
            prev_hash: prev_hash.clone(),
            hash: String::new(),
        };
        let hash = Link::from(&row).hash(&prev_hash);
        row.hash = hash;
        prev_hash.clone_from(&row.hash);
        rows.push(row);
    }
    rows
}

/// The head `LedgerTx` leaves after writing `rows`.
fn head_of(rows: &[ledger_entry::Model]) -> (i64, String) {
    rows.last().map_or((0, GENESIS_HASH.to_string()), |r| (r.seq, r.hash.clone()))
}

/// What `verify_chain` concludes from these rows (in seq order) and head.
fn check_links(rows: &[ledger_entry::Model], head: &(i64, String)) -> Result<(i64, String), i64> {
    let mut walk = ChainWalk::new();
    for row in rows {
        walk.step(row)?;
    }
    walk.finish(Some((head.0, head.1.as_str())))
}

/// Changes one stored column of an entry (`column` picks which of the 11).
fn tamper(row: &mut ledger_entry::Model, column: u8) {
    let flip = |v: Option<i64>| if v.is_some() { None } else { Some(1) };
    match column {
        0 => row.seq += 1_000,
        1 => row.at += chrono::Duration::microseconds(1),
        2 => row.actor_id = flip(row.actor_id),
        3 => row.dealer_id = flip(row.dealer_id),
        4 => row.oem_id = flip(row.oem_id),
        5 => row.entity.push('x'),
        6 => row.entity_id = row.entity_id.wrapping_add(1),
        7 => row.action.push('x'),
        8 => row.data.push(' '),
        9 => row.prev_hash.push('0'),
        _ => row.hash.push('0'),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn an_intact_chain_verifies_to_its_head(links in prop::collection::vec(fields(), 0..16)) {
        let rows = chain(&links);
        let head = head_of(&rows);
        prop_assert_eq!(check_links(&rows, &head), Ok(head.clone()));
        // A head that claims more than was written is named at the first missing seq.
        let ahead = (head.0 + 1, head.1.clone());
        prop_assert_eq!(check_links(&rows, &ahead), Err(head.0 + 1));
    }

    #[test]
    fn one_changed_column_is_named_at_its_entry(
        links in prop::collection::vec(fields(), 1..16),
        at in any::<prop::sample::Index>(),
        column in 0u8..11,
    ) {
        let mut rows = chain(&links);
        let head = head_of(&rows);
        let k = at.index(rows.len());
        tamper(&mut rows[k], column);
        prop_assert_eq!(check_links(&rows, &head), Err(rows_seq(k)));
    }

    #[test]
    fn two_swapped_entries_are_named_at_the_first(
        links in prop::collection::vec(fields(), 2..16),
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
        keep_seq in any::<bool>(),
    ) {
        let mut rows = chain(&links);
        let head = head_of(&rows);
        let n = rows.len();
        let i = a.index(n);
        let j = (i + 1 + b.index(n - 1)) % n;
        rows.swap(i, j);
        if keep_seq {
            // The contents moved, the seq column stayed where it was.
            let (si, sj) = (rows[i].seq, rows[j].seq);
            rows[i].seq = sj;
            rows[j].seq = si;
        }
        prop_assert_eq!(check_links(&rows, &head), Err(rows_seq(i.min(j))));
    }

    #[test]
    fn a_removed_entry_is_named_at_its_seq(
        links in prop::collection::vec(fields(), 1..16),
        at in any::<prop::sample::Index>(),
    ) {
        let mut rows = chain(&links);
        let head = head_of(&rows);
        let k = at.index(rows.len());
        rows.remove(k);
        prop_assert_eq!(check_links(&rows, &head), Err(rows_seq(k)));
    }

    #[test]
    fn an_entry_forged_with_its_own_hash_breaks_the_next_link(
        links in prop::collection::vec(fields(), 1..16),
        at in any::<prop::sample::Index>(),
    ) {
        let mut rows = chain(&links);
        let head = head_of(&rows);
        let k = at.index(rows.len());
        rows[k].data.push_str(" forged");
        let forged = Link::from(&rows[k]).hash(&rows[k].prev_hash);
        rows[k].hash = forged;
        // The next entry's prev_hash no longer matches (or, for the last, the head).
        prop_assert_eq!(check_links(&rows, &head), Err(rows_seq(k) + 1));
    }
}

/// The seq of the entry at index `k` of an intact chain.
fn rows_seq(k: usize) -> i64 {
    i64::try_from(k).map_or(i64::MAX, |k| k + 1)
}
