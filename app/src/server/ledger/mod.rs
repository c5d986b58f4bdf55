//! The tamper-evident ledger (DESIGN.md §5).
//!
//! Every state change goes through a [`LedgerTx`]: it opens the transaction,
//! locks the chain head, and refuses to commit unless at least one entry was
//! appended — so a change without its ledger entry cannot be committed.

use std::ops::Deref;

use chrono::{SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter,
    QueryTrait, SqliteTransactionMode, Statement, StatementBuilder, TransactionOptions, TransactionTrait,
};
use serde_json::Value;
use tokio::sync::OwnedMutexGuard;

use super::entities::{ledger_entry, ledger_head};
use crate::model::AppError;

/// The `prev_hash` of the first entry (the migration seeds the head with it).
pub use migrations::GENESIS_HASH;

mod chain;
mod read;
mod writers;

pub use chain::{Link, canonical_json, verify_chain};
pub use read::{list, recent, verify};
use writers::{Writer, write_turn};
pub(crate) use writers::{bookkeeping, bookkeeping_returning};

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

/// The chain's head: the last entry's seq and hash.
type Head = (i64, String);

/// A write transaction bound to the ledger. Use it as the connection for the
/// change's statements, `record` what changed, then `commit`.
///
/// Recorded entries, and writes [`queue`](Self::queue)d because the change
/// needs no answer from them, are sent together at commit: on SQLite in one
/// round trip to the connection's thread, so a writer holds the write lock
/// for fewer hand-offs.
pub struct LedgerTx {
    // Declared before the turn: dropping an unfinished change rolls it back
    // before the next writer is let in.
    txn: DatabaseTransaction,
    actor_id: Option<i64>,
    /// Entries recorded, to be chained and written at commit.
    recorded: Vec<Recorded>,
    /// Writes sent at commit, after the entries.
    queued: Vec<Statement>,
    /// The chain's head as this transaction sees it.
    head: Head,
    /// Whether `head` was read (and locked) in this transaction; otherwise it
    /// is the head this process committed last, checked when it is moved.
    head_read: bool,
    /// This writer's turn on a SQLite file: the writers' connection and the
    /// head its last holder committed.
    turn: Option<OwnedMutexGuard<Writer>>,
}

/// A change as recorded: when, and its data in canonical form.
struct Recorded {
    change: Change,
    at: chrono::DateTime<Utc>,
    data: String,
}

/// The columns of `ledger_entries` in the order [`LedgerTx::chain`] gives
/// their values.
const ENTRY_COLUMNS: [&str; 11] =
    ["seq", "at", "actor_id", "dealer_id", "oem_id", "entity", "entity_id", "action", "data", "prev_hash", "hash"];

impl LedgerTx {
    /// Begins a write transaction. On PostgreSQL the head's row is locked and
    /// read first: the lock serializes appends of every instance. On a SQLite
    /// file, writers of this process first queue for their turn in arrival
    /// order (see [`write_turn`]), so they neither hold pool connections
    /// while they wait nor sleep in SQLite's busy handler (which backs off up
    /// to 100 ms and left the lock idle); the transaction then begins
    /// IMMEDIATE (the write lock), and the head is the one the previous turn
    /// committed — checked, not read, when it moves (see [`Self::commit`]).
    ///
    /// # Errors
    /// When the database is unavailable.
    pub async fn begin(db: &DatabaseConnection, actor_id: Option<i64>) -> Result<Self, AppError> {
        let mut turn = match write_turn(db) {
            Some(gate) => Some(gate.lock_owned().await),
            None => None,
        };
        // Taken, not copied: a change that fails leaves no head behind it.
        let known = turn.as_mut().and_then(|writer| writer.head.take());
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let txn = turn.as_ref().map_or(db, |writer| &writer.conn).begin_with_options(options).await?;
        let (head, head_read) = match known {
            Some(head) => (head, false),
            None => (read_head(&txn).await?, true),
        };
        Ok(Self { txn, actor_id, recorded: Vec::new(), queued: Vec::new(), head, head_read, turn })
    }

    /// The user the entries are recorded for (none for the demo seed).
    pub fn actor_id(&self) -> Option<i64> {
        self.actor_id
    }

    /// Records one entry, written at commit.
    pub fn record(&mut self, change: Change) {
        self.record_all(vec![change]);
    }

    /// Records entries in order; at commit they are chained on from the head
    /// and written in multi-row inserts (an import writes 100,000 at once).
    pub fn record_all(&mut self, changes: Vec<Change>) {
        let at = Utc::now().trunc_subsecs(6);
        self.recorded.extend(changes.into_iter().map(|change| {
            let data = canonical_json(&change.data);
            Recorded { change, at, data }
        }));
    }

    /// Queues a write whose result the change does not need (rows affected,
    /// ids, returned rows), to be sent with the entries at commit. Its
    /// failure fails the commit, so queue only what valid input cannot make
    /// fail.
    pub fn queue<S: StatementBuilder>(&mut self, statement: &S) {
        self.queued.push(self.txn.get_database_backend().build(statement));
    }

    /// The rows of the recorded entries linked on from the current head, and
    /// the head after them.
    fn chain(&self) -> (Vec<Vec<sea_orm::Value>>, Head) {
        let (mut seq, mut prev) = self.head.clone();
        let mut rows = Vec::with_capacity(self.recorded.len());
        for Recorded { change, at, data } in &self.recorded {
            seq += 1;
            let link = Link {
                seq,
                at: *at,
                actor_id: self.actor_id,
                dealer_id: change.dealer_id,
                oem_id: change.oem_id,
                entity: change.entity,
                entity_id: change.entity_id,
                action: change.action,
                data,
            };
            let hash = link.hash(&prev);
            rows.push(vec![
                seq.into(),
                (*at).into(),
                self.actor_id.into(),
                change.dealer_id.into(),
                change.oem_id.into(),
                change.entity.into(),
                change.entity_id.into(),
                change.action.into(),
                data.clone().into(),
                std::mem::replace(&mut prev, hash.clone()).into(),
                hash.into(),
            ]);
        }
        (rows, (seq, prev))
    }

    /// Writes the recorded entries and the queued writes, then commits, and
    /// hands the head on to the next writer of this process.
    ///
    /// The head moves only from where this transaction believes it is: if
    /// another process wrote since this one's last turn, the head stays and
    /// the first entry's `seq` is taken by that process's entry, so the write
    /// fails before anything after it ran; the head is then read and the
    /// chain computed again. Any other failure — of an entry or of a queued
    /// write — rolls the whole change back and is answered as an error, so
    /// a change's entries are never written twice.
    ///
    /// # Errors
    /// `Internal` when nothing was recorded (a bug: the change is rolled
    /// back), or when a write or the commit fails.
    pub async fn commit(mut self) -> Result<(), AppError> {
        if self.recorded.is_empty() {
            self.txn.rollback().await?;
            return Err(anyhow::anyhow!("a write transaction tried to commit without a ledger entry").into());
        }
        let head = loop {
            let (rows, head) = self.chain();
            let first = rows.first().and_then(|row| row.last()).cloned();
            let backend = self.txn.get_database_backend();
            let move_head = ledger_head::Entity::update_many()
                .col_expr(ledger_head::Column::Seq, Expr::value(head.0))
                .col_expr(ledger_head::Column::Hash, Expr::value(head.1.clone()))
                .filter(ledger_head::Column::Id.eq(1))
                .filter(ledger_head::Column::Seq.eq(self.head.0))
                .filter(ledger_head::Column::Hash.eq(self.head.1.clone()));
            let mut statements = vec![move_head.build(backend)];
            statements.extend(super::bulk::statements(backend, "ledger_entries", &ENTRY_COLUMNS, rows));
            statements.extend(self.queued.iter().cloned());
            match send_all(&self.txn, statements).await {
                Ok(()) => break head,
                Err(error) if self.head_read => return Err(error.into()),
                Err(error) => {
                    // Another process moved the head only if an entry other
                    // than ours now holds our first seq.
                    let holder = entry_hash_at(&self.txn, self.head.0 + 1).await?;
                    if holder.is_none() || holder.map(sea_orm::Value::from) == first {
                        return Err(error.into());
                    }
                    self.head = read_head(&self.txn).await?;
                    self.head_read = true;
                }
            }
        };
        let Self { txn, turn, .. } = self;
        txn.commit().await?;
        if let Some(mut writer) = turn {
            writer.head = Some(head);
        }
        Ok(())
    }
}

/// The hash of the entry at `seq`, as this transaction sees it.
async fn entry_hash_at(txn: &DatabaseTransaction, seq: i64) -> Result<Option<String>, AppError> {
    let entry = ledger_entry::Entity::find().filter(ledger_entry::Column::Seq.eq(seq)).one(txn).await?;
    Ok(entry.map(|entry| entry.hash))
}

/// Runs `statements` in order. On SQLite they go as one multi-statement
/// query (each takes its bound values in turn), so they cost one round trip
/// to the connection's thread; larger batches (an import), and PostgreSQL,
/// whose prepared statements are single, run one by one.
async fn send_all(txn: &DatabaseTransaction, statements: Vec<Statement>) -> Result<(), sea_orm::DbErr> {
    let values: usize = statements.iter().map(|s| s.values.as_ref().map_or(0, |v| v.0.len())).sum();
    if txn.get_database_backend() != DbBackend::Sqlite || statements.len() == 1 || values > super::bulk::PARAMETERS {
        for statement in statements {
            txn.execute_raw(statement).await?;
        }
        return Ok(());
    }
    let sql = statements.iter().map(|s| s.sql.as_str()).collect::<Vec<_>>().join(";\n");
    let values: Vec<sea_orm::Value> =
        statements.into_iter().flat_map(|s| s.values.map(|v| v.0).unwrap_or_default()).collect();
    txn.execute_raw(Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)).await?;
    Ok(())
}

/// Locks the chain's head and reads it, in one statement (SQLite ≥ 3.35,
/// PostgreSQL).
async fn read_head(txn: &DatabaseTransaction) -> Result<Head, AppError> {
    let head = txn
        .query_one_raw(Statement::from_string(
            txn.get_database_backend(),
            "UPDATE ledger_head SET seq = seq WHERE id = 1 RETURNING seq, hash",
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("the ledger head row is missing"))?;
    Ok((head.try_get::<i64>("", "seq")?, head.try_get::<String>("", "hash")?))
}

impl Deref for LedgerTx {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{EntityTrait, PaginatorTrait};
    use serde_json::json;

    use super::*;
    use crate::server::db::file_db;

    #[tokio::test]
    async fn a_queued_write_that_fails_once_rolls_back_instead_of_writing_the_entries_twice() {
        // A database file: the writers' turn hands the head on, unread.
        let (db, dir) = file_db("transient").await;
        let mut tx = LedgerTx::begin(&db, Some(1)).await.expect("begins");
        tx.record(Change::new("user", 1, "user.updated", json!({"n": 1})));
        tx.commit().await.expect("the first change commits");
        let before = ledger_entry::Entity::find().count(&db).await.expect("counts");

        // Fails while the ledger holds fewer than `before + 2` entries (the
        // head's row exists, so inserting it again fails), and does nothing
        // once a second copy of the change's entry is there.
        let flaky = Statement::from_string(
            db.get_database_backend(),
            format!(
                "INSERT INTO ledger_head (id, seq, hash) SELECT 1, 0, 'x' \
                 WHERE (SELECT count(*) FROM ledger_entries) < {}",
                before + 2
            ),
        );
        let mut tx = LedgerTx::begin(&db, Some(1)).await.expect("begins");
        tx.record(Change::new("user", 2, "user.updated", json!({"n": 2})));
        tx.queued.push(flaky);
        let failed = tx.commit().await;

        let after = ledger_entry::Entity::find().count(&db).await.expect("counts");
        let report = crate::server::ledger::verify_chain(&db).await.expect("verifies");
        db.close().await.expect("closes");
        std::fs::remove_dir_all(&dir).ok();
        assert!(failed.is_err(), "the change fails with its queued write");
        assert_eq!(after, before, "nothing of the failed change was written");
        assert!(report.ok, "{report:?}");
    }
}
