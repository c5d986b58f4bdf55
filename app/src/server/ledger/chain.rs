//! The hash chain itself: what an entry's hash covers, canonical JSON, and
//! recomputing the whole chain.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::GENESIS_HASH;
use crate::model::AppError;
use crate::model::ledger::VerifyReport;
use crate::server::entities::{ledger_entry, ledger_head};

/// The hashed fields of one entry.
#[derive(Debug, Clone, Copy)]
pub struct Link<'a> {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub dealer_id: Option<i64>,
    pub oem_id: Option<i64>,
    pub entity: &'a str,
    pub entity_id: i64,
    pub action: &'a str,
    pub data: &'a str,
}

impl Link<'_> {
    /// `sha256(prev_hash ‖ seq ‖ at ‖ actor ‖ dealer ‖ oem ‖ entity ‖ entity_id
    /// ‖ action ‖ data)`, each field length-prefixed so no two different
    /// entries can encode to the same bytes. The tenancy columns are hashed too,
    /// so moving an entry to another dealer is detected.
    pub fn hash(&self, prev_hash: &str) -> String {
        let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        let fields = [
            prev_hash.to_string(),
            self.seq.to_string(),
            self.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            opt(self.actor_id),
            opt(self.dealer_id),
            opt(self.oem_id),
            self.entity.to_string(),
            self.entity_id.to_string(),
            self.action.to_string(),
            self.data.to_string(),
        ];
        let mut hasher = Sha256::new();
        for field in &fields {
            hasher.update((field.len() as u64).to_be_bytes());
            hasher.update(field.as_bytes());
        }
        hex::encode(hasher.finalize())
    }
}

impl<'a> From<&'a ledger_entry::Model> for Link<'a> {
    fn from(e: &'a ledger_entry::Model) -> Self {
        Self {
            seq: e.seq,
            at: e.at,
            actor_id: e.actor_id,
            dealer_id: e.dealer_id,
            oem_id: e.oem_id,
            entity: &e.entity,
            entity_id: e.entity_id,
            action: &e.action,
            data: &e.data,
        }
    }
}

/// JSON with object keys sorted at every level and no insignificant space:
/// the same value always gives the same bytes.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(key) {
                    write_canonical(v, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

const VERIFY_BATCH: u64 = 2000;

/// A walk along the stored chain from genesis, one entry at a time: what
/// `verify_chain` checks, without the database (batches of rows go in).
#[derive(Debug, Clone)]
struct ChainWalk {
    /// The hash the next entry must chain onto.
    prev_hash: String,
    /// The seq the next entry must have.
    expected_seq: i64,
}

impl ChainWalk {
    fn new() -> Self {
        Self { prev_hash: GENESIS_HASH.to_string(), expected_seq: 1 }
    }

    /// Steps over the next stored entry.
    ///
    /// # Errors
    /// The seq expected here when the entry is not the next intact link.
    fn step(&mut self, entry: &ledger_entry::Model) -> Result<(), i64> {
        let intact = entry.seq == self.expected_seq
            && entry.prev_hash == self.prev_hash
            && Link::from(entry).hash(&self.prev_hash) == entry.hash;
        if !intact {
            return Err(self.expected_seq);
        }
        self.prev_hash.clone_from(&entry.hash);
        self.expected_seq += 1;
        Ok(())
    }

    /// Ends the walk at the recorded head (`seq`, `hash`): the number of
    /// entries and the head's hash.
    ///
    /// # Errors
    /// The seq after the last intact entry when the head disagrees: entries
    /// were removed from the end, or the head was rewritten.
    fn finish(self, head: Option<(i64, &str)>) -> Result<(i64, String), i64> {
        let entries = self.expected_seq - 1;
        match head {
            Some((seq, hash)) if seq == entries && hash == self.prev_hash => Ok((entries, self.prev_hash)),
            _ => Err(self.expected_seq),
        }
    }
}

/// Recomputes the whole chain and names the first entry that does not match.
///
/// # Errors
/// When the database is unavailable.
pub async fn verify_chain(db: &impl ConnectionTrait) -> Result<VerifyReport, AppError> {
    let mut walk = ChainWalk::new();
    loop {
        let batch = ledger_entry::Entity::find()
            .filter(ledger_entry::Column::Seq.gte(walk.expected_seq))
            .order_by_asc(ledger_entry::Column::Seq)
            .limit(VERIFY_BATCH)
            .all(db)
            .await?;
        let done = (batch.len() as u64) < VERIFY_BATCH;
        for entry in &batch {
            if let Err(seq) = walk.step(entry) {
                return Ok(broken(seq));
            }
        }
        if done {
            break;
        }
    }
    let head = ledger_head::Entity::find_by_id(1).one(db).await?;
    match walk.finish(head.as_ref().map(|h| (h.seq, h.hash.as_str()))) {
        Ok((entries, hash)) => {
            Ok(VerifyReport { ok: true, entries: Some(entries), head: Some(hash), first_bad_seq: None })
        }
        Err(seq) => Ok(broken(seq)),
    }
}

fn broken(seq: i64) -> VerifyReport {
    VerifyReport { ok: false, entries: None, head: None, first_bad_seq: Some(seq) }
}

#[cfg(test)]
mod tests {
    use super::super::{Change, LedgerTx};
    use super::*;
    use crate::server::db::file_db;
    use chrono::{SubsecRound, TimeZone};
    use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};
    use serde_json::json;

    fn link(data: &str) -> Link<'_> {
        Link {
            seq: 1,
            at: Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).single().expect("valid"),
            actor_id: Some(7),
            dealer_id: None,
            oem_id: None,
            entity: "user",
            entity_id: 7,
            action: "user.created",
            data,
        }
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let value = json!({"b": 1, "a": {"z": [3, {"y": 2, "x": 1}], "c": null}});
        assert_eq!(canonical_json(&value), r#"{"a":{"c":null,"z":[3,{"x":1,"y":2}]},"b":1}"#);
    }

    #[test]
    fn the_hash_is_deterministic_and_covers_every_field() {
        let base = link("{}");
        let hash = base.hash(GENESIS_HASH);
        assert_eq!(hash, base.hash(GENESIS_HASH));
        assert_eq!(hash.len(), 64);
        let changed = [
            Link { seq: 2, ..base },
            Link { actor_id: None, ..base },
            Link { dealer_id: Some(1), ..base },
            Link { oem_id: Some(1), ..base },
            Link { entity: "users", ..base },
            Link { entity_id: 8, ..base },
            Link { action: "user.updated", ..base },
            Link { data: r#"{"a":1}"#, ..base },
            Link { at: base.at + chrono::Duration::microseconds(1), ..base },
        ];
        for other in changed {
            assert_ne!(other.hash(GENESIS_HASH), hash, "{other:?}");
        }
        assert_ne!(base.hash(&"1".repeat(64)), hash);
    }

    async fn memory_db() -> DatabaseConnection {
        crate::server::db::open("sqlite::memory:").await.expect("in-memory database with the real migrations")
    }

    async fn append(db: &DatabaseConnection, n: i64) {
        let mut tx = LedgerTx::begin(db, Some(1)).await.expect("begins");
        tx.record(Change::new("user", n, "user.updated", json!({"n": n})).scoped(Some(2), None));
        tx.commit().await.expect("commits");
    }

    #[tokio::test]
    async fn an_intact_chain_verifies_and_a_changed_row_is_named() {
        let db = memory_db().await;
        for n in 1..=4 {
            append(&db, n).await;
        }
        let report = verify_chain(&db).await.expect("verifies");
        assert!(report.ok);
        assert_eq!(report.entries, Some(4));

        db.execute_unprepared("UPDATE ledger_entries SET dealer_id = 3 WHERE seq = 2").await.expect("tampers");
        let report = verify_chain(&db).await.expect("verifies");
        assert!(!report.ok);
        assert_eq!(report.first_bad_seq, Some(2));
    }

    #[tokio::test]
    async fn a_rewritten_hash_breaks_the_next_link() {
        let db = memory_db().await;
        for n in 1..=3 {
            append(&db, n).await;
        }
        // Rewriting entry 2 consistently (data and its own hash) still breaks entry 3's prev_hash.
        let entry = ledger_entry::Entity::find_by_id(2).one(&db).await.expect("reads").expect("exists");
        let forged_data = r#"{"n":99}"#;
        let forged_hash = Link { data: forged_data, ..Link::from(&entry) }.hash(&entry.prev_hash);
        db.execute_unprepared(&format!(
            "UPDATE ledger_entries SET data = '{forged_data}', hash = '{forged_hash}' WHERE seq = 2"
        ))
        .await
        .expect("tampers");
        assert_eq!(verify_chain(&db).await.expect("verifies").first_bad_seq, Some(3));
    }

    #[tokio::test]
    async fn a_write_without_a_ledger_entry_cannot_commit() {
        let db = memory_db().await;
        let tx = LedgerTx::begin(&db, Some(1)).await.expect("begins");
        assert!(matches!(tx.commit().await, Err(AppError::Internal { .. })));
        assert_eq!(verify_chain(&db).await.expect("verifies").entries, Some(0));
    }

    #[tokio::test]
    async fn an_entry_written_behind_the_process_s_back_is_chained_onto() {
        // A database file: this process's writers queue for it and keep the
        // head they committed; another process's entries move it unseen.
        let (db, dir) = file_db("head").await;
        append(&db, 1).await;

        let head = ledger_head::Entity::find_by_id(1).one(&db).await.expect("reads").expect("exists");
        let at = Utc::now().trunc_subsecs(6);
        let other = Link { seq: head.seq + 1, at, actor_id: None, entity_id: 9, ..link("{}") };
        let hash = other.hash(&head.hash);
        let entry = ledger_entry::ActiveModel {
            seq: Set(other.seq),
            at: Set(at),
            actor_id: Set(None),
            dealer_id: Set(None),
            oem_id: Set(None),
            entity: Set(other.entity.into()),
            entity_id: Set(other.entity_id),
            action: Set(other.action.into()),
            data: Set(other.data.into()),
            prev_hash: Set(head.hash.clone()),
            hash: Set(hash.clone()),
        };
        entry.insert(&db).await.expect("another process appends");
        ledger_head::ActiveModel { id: Set(1), seq: Set(other.seq), hash: Set(hash) }
            .update(&db)
            .await
            .expect("and moves the head");

        append(&db, 3).await;
        let report = verify_chain(&db).await.expect("verifies");
        db.close().await.expect("closes");
        std::fs::remove_dir_all(&dir).ok();
        assert!(report.ok, "{report:?}");
        assert_eq!(report.entries, Some(3));
    }

    #[tokio::test]
    async fn a_queued_write_that_fails_takes_the_entries_with_it() {
        // A database file, so the entries and the queued write go in one
        // multi-statement round trip.
        let (db, dir) = file_db("queue").await;
        append(&db, 1).await;

        let mut tx = LedgerTx::begin(&db, Some(1)).await.expect("begins");
        tx.record(Change::new("user", 2, "user.updated", json!({"n": 2})));
        // The head's row exists: inserting it again fails.
        let twin = ledger_head::ActiveModel { id: Set(1), seq: Set(0), hash: Set(GENESIS_HASH.into()) };
        tx.queue(&sea_orm::QueryTrait::into_query(ledger_head::Entity::insert(twin)));
        let failed = tx.commit().await;

        append(&db, 3).await;
        let report = verify_chain(&db).await.expect("verifies");
        let actions: Vec<i64> = ledger_entry::Entity::find()
            .order_by_asc(ledger_entry::Column::Seq)
            .all(&db)
            .await
            .expect("reads")
            .into_iter()
            .map(|e| e.entity_id)
            .collect();
        db.close().await.expect("closes");
        std::fs::remove_dir_all(&dir).ok();
        assert!(failed.is_err(), "the commit fails with its queued write");
        assert!(report.ok, "{report:?}");
        assert_eq!(actions, vec![1, 3], "the failed change left no entry and the next one chains on");
    }

    #[test]
    fn length_prefixes_keep_field_boundaries() {
        let a = Link { entity: "ab", action: "c", ..link("{}") };
        let b = Link { entity: "a", action: "bc", ..link("{}") };
        assert_ne!(a.hash(GENESIS_HASH), b.hash(GENESIS_HASH));
    }
}

#[cfg(test)]
mod props;
