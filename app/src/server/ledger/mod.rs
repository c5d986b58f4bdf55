//! The tamper-evident ledger (DESIGN.md §5).
//!
//! Every state change goes through a [`LedgerTx`]: it opens the transaction,
//! locks the chain head, and refuses to commit unless at least one entry was
//! appended — so a change without its ledger entry cannot be committed.

use std::collections::HashMap;
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use chrono::{SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, SqliteTransactionMode, Statement, StatementBuilder,
    TransactionOptions, TransactionTrait,
};
use serde_json::Value;
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::auth::Actor;
use super::entities::{ledger_entry, ledger_head};
use crate::model::ledger::{LedgerEntryDto, LedgerFilter, VerifyReport};
use crate::model::user::Page;
use crate::model::{AppError, Role};

/// The `prev_hash` of the first entry (the migration seeds the head with it).
pub use migrations::GENESIS_HASH;

mod chain;

pub use chain::{Link, canonical_json, verify_chain};

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

/// A queue of writers, holding the head its last writer committed.
type Turn = Arc<Mutex<Option<Head>>>;

/// A write transaction bound to the ledger. Use it as the connection for the
/// change's statements, `record` what changed, then `commit`.
pub struct LedgerTx {
    // Declared before the turn: dropping an unfinished change rolls it back
    // before the next writer is let in.
    txn: DatabaseTransaction,
    actor_id: Option<i64>,
    appended: usize,
    /// The chain's head as this transaction sees it.
    head: Head,
    /// Whether `head` was read (and locked) in this transaction; otherwise it
    /// is the head this process committed last, checked when it is moved.
    head_read: bool,
    /// This writer's turn, holding the head its last holder committed.
    turn: Option<OwnedMutexGuard<Option<Head>>>,
}

impl LedgerTx {
    /// Begins a write transaction. On PostgreSQL the head's row is locked and
    /// read first: the lock serializes appends of every instance. On a SQLite
    /// file, writers of this process first queue for their turn in arrival
    /// order (see [`write_turn`]), so they neither hold pool connections
    /// while they wait nor sleep in SQLite's busy handler (which backs off up
    /// to 100 ms and left the lock idle); the transaction then begins
    /// IMMEDIATE (the write lock), and the head is the one the previous turn
    /// committed — checked, not read, when it moves (see [`Self::record_all`]).
    ///
    /// # Errors
    /// When the database is unavailable.
    pub async fn begin(db: &DatabaseConnection, actor_id: Option<i64>) -> Result<Self, AppError> {
        let mut turn = match write_turn(db) {
            Some(gate) => Some(gate.lock_owned().await),
            None => None,
        };
        // Taken, not copied: a change that fails leaves no head behind it.
        let known = turn.as_mut().and_then(|head| head.take());
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let txn = db.begin_with_options(options).await?;
        let (head, head_read) = match known {
            Some(head) => (head, false),
            None => (read_head(&txn).await?, true),
        };
        Ok(Self { txn, actor_id, appended: 0, head, head_read, turn })
    }

    /// The user the entries are recorded for (none for the demo seed).
    pub fn actor_id(&self) -> Option<i64> {
        self.actor_id
    }

    /// Appends one entry to the chain, inside this transaction.
    ///
    /// # Errors
    /// When the database write fails.
    pub async fn record(&mut self, change: Change) -> Result<(), AppError> {
        self.record_all(vec![change]).await
    }

    /// Appends entries in order: the chain is computed here, the head moved
    /// only if it is still where this transaction believes (else it is read
    /// and the chain computed again), and the rows are written in multi-row
    /// inserts (an import writes 100,000 at once).
    ///
    /// # Errors
    /// When the database write fails.
    pub async fn record_all(&mut self, changes: Vec<Change>) -> Result<(), AppError> {
        if changes.is_empty() {
            return Ok(());
        }
        let at = Utc::now().trunc_subsecs(6);
        let data: Vec<String> = changes.iter().map(|change| canonical_json(&change.data)).collect();
        let (rows, head) = loop {
            let (rows, head) = self.chain(&changes, &data, at);
            if self.move_head(&head).await? {
                break (rows, head);
            }
            if self.head_read {
                return Err(anyhow::anyhow!("the ledger head moved inside a transaction that locked it").into());
            }
            // Another process wrote since this one's last turn.
            self.head = read_head(&self.txn).await?;
            self.head_read = true;
        };
        super::bulk::insert(
            &self.txn,
            "ledger_entries",
            &[
                "seq",
                "at",
                "actor_id",
                "dealer_id",
                "oem_id",
                "entity",
                "entity_id",
                "action",
                "data",
                "prev_hash",
                "hash",
            ],
            rows,
        )
        .await?;
        self.appended += changes.len();
        self.head = head;
        Ok(())
    }

    /// The rows of `changes` linked on from the current head, and the head
    /// after them.
    fn chain(
        &self,
        changes: &[Change],
        data: &[String],
        at: chrono::DateTime<Utc>,
    ) -> (Vec<Vec<sea_orm::Value>>, Head) {
        let (mut seq, mut prev) = self.head.clone();
        let mut rows = Vec::with_capacity(changes.len());
        for (change, data) in changes.iter().zip(data) {
            seq += 1;
            let link = Link {
                seq,
                at,
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
                at.into(),
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

    /// Moves the head from where this transaction believes it is to `to`;
    /// false when it is elsewhere.
    async fn move_head(&self, to: &Head) -> Result<bool, AppError> {
        let moved = ledger_head::Entity::update_many()
            .col_expr(ledger_head::Column::Seq, Expr::value(to.0))
            .col_expr(ledger_head::Column::Hash, Expr::value(to.1.clone()))
            .filter(ledger_head::Column::Id.eq(1))
            .filter(ledger_head::Column::Seq.eq(self.head.0))
            .filter(ledger_head::Column::Hash.eq(self.head.1.clone()))
            .exec(&self.txn)
            .await?;
        Ok(moved.rows_affected == 1)
    }

    /// Commits the change and its ledger entries together, and hands the
    /// head on to the next writer of this process.
    ///
    /// # Errors
    /// `Internal` when nothing was recorded (a bug: the change is rolled
    /// back), or when the commit fails.
    pub async fn commit(self) -> Result<(), AppError> {
        let Self { txn, appended, head, turn, .. } = self;
        if appended == 0 {
            txn.rollback().await?;
            return Err(anyhow::anyhow!("a write transaction tried to commit without a ledger entry").into());
        }
        txn.commit().await?;
        if let Some(mut turn) = turn {
            *turn = Some(head);
        }
        Ok(())
    }
}

/// Runs one bookkeeping write that is no change of a record (a session's
/// last-seen time, say: no ledger entry) in this process's queue of
/// writers. On SQLite it would otherwise wait for the write lock in the busy
/// handler, sleeping while changes come and go — and a change that begins
/// while it holds the lock would sleep there too, holding up every writer
/// queued behind it.
///
/// # Errors
/// When the database write fails.
pub(crate) async fn bookkeeping<S: StatementBuilder>(db: &DatabaseConnection, statement: &S) -> Result<u64, AppError> {
    let _turn = match write_turn(db) {
        Some(gate) => Some(gate.lock_owned().await),
        None => None,
    };
    Ok(db.execute(statement).await?.rows_affected())
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

/// The queue of this process's writers to one SQLite database file (SQLite
/// has one writer at a time; a fair async mutex hands the lock on in arrival
/// order), holding the ledger head the last turn committed. None for
/// PostgreSQL, whose row lock on the head queues writers of every instance,
/// and for in-memory databases, whose single connection already does.
fn write_turn(db: &DatabaseConnection) -> Option<Turn> {
    static TURNS: LazyLock<std::sync::Mutex<HashMap<PathBuf, Turn>>> = LazyLock::new(Default::default);
    if db.get_database_backend() != DbBackend::Sqlite {
        return None;
    }
    let file = db.get_sqlite_connection_pool().connect_options().get_filename().to_path_buf();
    if file.as_os_str() == ":memory:" || file.as_os_str().is_empty() {
        return None;
    }
    let mut turns = TURNS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    Some(Arc::clone(turns.entry(file).or_default()))
}

impl Deref for LedgerTx {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &Self::Target {
        &self.txn
    }
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
