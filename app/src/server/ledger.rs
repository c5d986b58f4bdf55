//! The tamper-evident ledger (DESIGN.md §5).
//!
//! Every state change goes through a [`LedgerTx`]: it opens the transaction,
//! locks the chain head, and refuses to commit unless at least one entry was
//! appended — so a change without its ledger entry cannot be committed.

use std::ops::Deref;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::auth::Actor;
use super::entities::{ledger_entry, ledger_head};
use crate::model::ledger::{LedgerEntryDto, LedgerFilter, VerifyReport};
use crate::model::user::Page;
use crate::model::{AppError, Role};

/// The `prev_hash` of the first entry (the migration seeds the head with it).
pub use migrations::GENESIS_HASH;

/// What one ledger entry says happened.
#[derive(Debug, Clone)]
pub struct Change {
    /// The aggregate's singular snake_case name (`user`, `claim`, …).
    pub entity: &'static str,
    pub entity_id: i64,
    /// `<entity>.<verb>`, e.g. `user.created`.
    pub action: &'static str,
    pub data: Value,
    /// Tenancy of the change: who may read the entry.
    pub dealer_id: Option<i64>,
    pub oem_id: Option<i64>,
}

impl Change {
    pub fn new(entity: &'static str, entity_id: i64, action: &'static str, data: Value) -> Self {
        Self { entity, entity_id, action, data, dealer_id: None, oem_id: None }
    }

    pub fn scoped(mut self, dealer_id: Option<i64>, oem_id: Option<i64>) -> Self {
        self.dealer_id = dealer_id;
        self.oem_id = oem_id;
        self
    }
}

/// A write transaction bound to the ledger. Use it as the connection for the
/// change's statements, `record` what changed, then `commit`.
pub struct LedgerTx {
    txn: DatabaseTransaction,
    actor_id: Option<i64>,
    appended: usize,
}

impl LedgerTx {
    /// Begins a transaction and locks the chain head first. On PostgreSQL the
    /// row lock serializes appends; on SQLite the write takes the database's
    /// write lock before anything is read, so concurrent writers queue on the
    /// busy timeout instead of failing.
    ///
    /// # Errors
    /// When the database is unavailable.
    pub async fn begin(db: &DatabaseConnection, actor_id: Option<i64>) -> Result<Self, AppError> {
        let txn = db.begin().await?;
        txn.execute_unprepared("UPDATE ledger_head SET seq = seq WHERE id = 1").await?;
        Ok(Self { txn, actor_id, appended: 0 })
    }

    /// Appends one entry to the chain, inside this transaction.
    ///
    /// # Errors
    /// When the database write fails.
    pub async fn record(&mut self, change: Change) -> Result<ledger_entry::Model, AppError> {
        let head = ledger_head::Entity::find_by_id(1)
            .one(&self.txn)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the ledger head row is missing"))?;
        let seq = head.seq + 1;
        let at = Utc::now().trunc_subsecs(6);
        let data = canonical_json(&change.data);
        let link = Link {
            seq,
            at,
            actor_id: self.actor_id,
            dealer_id: change.dealer_id,
            oem_id: change.oem_id,
            entity: change.entity,
            entity_id: change.entity_id,
            action: change.action,
            data: &data,
        };
        let hash = link.hash(&head.hash);
        let entry = ledger_entry::ActiveModel {
            seq: Set(seq),
            at: Set(at),
            actor_id: Set(self.actor_id),
            dealer_id: Set(change.dealer_id),
            oem_id: Set(change.oem_id),
            entity: Set(change.entity.to_string()),
            entity_id: Set(change.entity_id),
            action: Set(change.action.to_string()),
            data: Set(data.clone()),
            prev_hash: Set(head.hash.clone()),
            hash: Set(hash.clone()),
        }
        .insert(&self.txn)
        .await?;
        ledger_head::ActiveModel { id: Set(1), seq: Set(seq), hash: Set(hash) }.update(&self.txn).await?;
        self.appended += 1;
        Ok(entry)
    }

    /// Commits the change and its ledger entries together.
    ///
    /// # Errors
    /// `Internal` when nothing was recorded (a bug: the change is rolled
    /// back), or when the commit fails.
    pub async fn commit(self) -> Result<(), AppError> {
        if self.appended == 0 {
            self.txn.rollback().await?;
            return Err(anyhow::anyhow!("a write transaction tried to commit without a ledger entry").into());
        }
        self.txn.commit().await?;
        Ok(())
    }
}

impl Deref for LedgerTx {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

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

/// Recomputes the whole chain and names the first entry that does not match.
///
/// # Errors
/// When the database is unavailable.
pub async fn verify_chain(db: &impl ConnectionTrait) -> Result<VerifyReport, AppError> {
    let mut prev_hash = GENESIS_HASH.to_string();
    let mut expected_seq = 1i64;
    loop {
        let batch = ledger_entry::Entity::find()
            .filter(ledger_entry::Column::Seq.gte(expected_seq))
            .order_by_asc(ledger_entry::Column::Seq)
            .limit(VERIFY_BATCH)
            .all(db)
            .await?;
        let done = (batch.len() as u64) < VERIFY_BATCH;
        for entry in &batch {
            let intact = entry.seq == expected_seq
                && entry.prev_hash == prev_hash
                && Link::from(entry).hash(&prev_hash) == entry.hash;
            if !intact {
                return Ok(broken(expected_seq));
            }
            prev_hash = entry.hash.clone();
            expected_seq += 1;
        }
        if done {
            break;
        }
    }
    let head = ledger_head::Entity::find_by_id(1).one(db).await?;
    let entries = expected_seq - 1;
    match head {
        Some(head) if head.seq == entries && head.hash == prev_hash => {
            Ok(VerifyReport { ok: true, entries: Some(entries), head: Some(prev_hash), first_bad_seq: None })
        }
        // Entries were removed from the end, or the head was rewritten.
        _ => Ok(broken(expected_seq)),
    }
}

fn broken(seq: i64) -> VerifyReport {
    VerifyReport { ok: false, entries: None, head: None, first_bad_seq: Some(seq) }
}

/// Verifies the chain on behalf of an admin.
///
/// # Errors
/// `NotFound`-free: `Forbidden` for anyone but an admin.
pub async fn verify(db: &DatabaseConnection, actor: &Actor) -> Result<VerifyReport, AppError> {
    actor.require(Role::Admin)?;
    verify_chain(db).await
}

/// The entries `actor` may read: an admin all, a dealer its dealer's, a
/// service manager its OEM's, anyone their own actions.
///
/// # Errors
/// `Validation` for a bad cursor or limit.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &LedgerFilter,
) -> Result<Page<LedgerEntryDto>, AppError> {
    let limit = super::pagination::limit(filter.limit)?;
    let mut query = ledger_entry::Entity::find().filter(scope(actor));
    if let Some(entity) = &filter.entity {
        query = query.filter(ledger_entry::Column::Entity.eq(entity.as_str()));
    }
    if let Some(entity_id) = filter.entity_id {
        query = query.filter(ledger_entry::Column::EntityId.eq(entity_id));
    }
    let after = match &filter.cursor {
        Some(cursor) => Some(super::pagination::decode_cursor(cursor)?),
        None => filter.after_seq,
    };
    if let Some(after) = after {
        query = query.filter(ledger_entry::Column::Seq.gt(after));
    }
    let rows = query.order_by_asc(ledger_entry::Column::Seq).limit(limit + 1).all(db).await?;
    Ok(super::pagination::page(rows, limit, |e| e.seq, to_dto))
}

/// The newest entries `actor` may read, newest first (the admin's ledger page).
///
/// # Errors
/// When the database is unavailable.
pub async fn recent(
    db: &DatabaseConnection,
    actor: &Actor,
    limit: u64,
) -> Result<(Vec<LedgerEntryDto>, u64), AppError> {
    let query = ledger_entry::Entity::find().filter(scope(actor));
    let total = query.clone().count(db).await?;
    let rows = query.order_by_desc(ledger_entry::Column::Seq).limit(limit.min(500)).all(db).await?;
    Ok((rows.into_iter().map(to_dto).collect(), total))
}

fn scope(actor: &Actor) -> Condition {
    let own = ledger_entry::Column::ActorId.eq(actor.user_id);
    match actor.role {
        Role::Admin => Condition::all(),
        Role::Dealer => Condition::any().add(own).add(ledger_entry::Column::DealerId.eq(actor.dealer_id.unwrap_or(-1))),
        Role::ServiceManager => {
            Condition::any().add(own).add(ledger_entry::Column::OemId.eq(actor.oem_id.unwrap_or(-1)))
        }
    }
}

fn to_dto(e: ledger_entry::Model) -> LedgerEntryDto {
    let data = serde_json::from_str(&e.data).unwrap_or(Value::String(e.data.clone()));
    LedgerEntryDto {
        seq: e.seq,
        at: e.at,
        actor_id: e.actor_id,
        dealer_id: e.dealer_id,
        oem_id: e.oem_id,
        entity: e.entity,
        entity_id: e.entity_id,
        action: e.action,
        data,
        prev_hash: e.prev_hash,
        hash: e.hash,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
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
        tx.record(Change::new("user", n, "user.updated", json!({"n": n})).scoped(Some(2), None))
            .await
            .expect("records");
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

    #[test]
    fn length_prefixes_keep_field_boundaries() {
        let a = Link { entity: "ab", action: "c", ..link("{}") };
        let b = Link { entity: "a", action: "bc", ..link("{}") };
        assert_ne!(a.hash(GENESIS_HASH), b.hash(GENESIS_HASH));
    }
}
