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
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement, TransactionTrait,
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

/// A write transaction bound to the ledger. Use it as the connection for the
/// change's statements, `record` what changed, then `commit`.
pub struct LedgerTx {
    // Declared before the turn: dropping an unfinished change rolls it back
    // before the next writer is let in.
    txn: DatabaseTransaction,
    actor_id: Option<i64>,
    appended: usize,
    /// The chain's head as this transaction sees it: (seq, hash).
    head: (i64, String),
    _turn: Option<OwnedMutexGuard<()>>,
}

impl LedgerTx {
    /// Begins a transaction and locks the chain head first. On PostgreSQL the
    /// row lock serializes appends. On SQLite the write takes the database's
    /// write lock before anything is read; writers of this process first
    /// queue for their turn in arrival order (see [`write_turn`]), so they
    /// neither hold pool connections while they wait nor sleep in SQLite's
    /// busy handler (which backs off up to 100 ms and left the lock idle).
    ///
    /// # Errors
    /// When the database is unavailable.
    pub async fn begin(db: &DatabaseConnection, actor_id: Option<i64>) -> Result<Self, AppError> {
        let turn = match write_turn(db) {
            Some(gate) => Some(gate.lock_owned().await),
            None => None,
        };
        let txn = db.begin().await?;
        // Locks the head and reads it in one statement (SQLite ≥ 3.35, PostgreSQL).
        let head = txn
            .query_one_raw(Statement::from_string(
                txn.get_database_backend(),
                "UPDATE ledger_head SET seq = seq WHERE id = 1 RETURNING seq, hash",
            ))
            .await?
            .ok_or_else(|| anyhow::anyhow!("the ledger head row is missing"))?;
        let head = (head.try_get::<i64>("", "seq")?, head.try_get::<String>("", "hash")?);
        Ok(Self { txn, actor_id, appended: 0, head, _turn: turn })
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

    /// Appends entries in order: the chain is computed here and the rows are
    /// written in multi-row inserts (an import writes 100,000 at once).
    ///
    /// # Errors
    /// When the database write fails.
    pub async fn record_all(&mut self, changes: Vec<Change>) -> Result<(), AppError> {
        if changes.is_empty() {
            return Ok(());
        }
        let (mut seq, mut prev) = self.head.clone();
        let at = Utc::now().trunc_subsecs(6);
        let mut rows = Vec::with_capacity(changes.len());
        for change in changes {
            seq += 1;
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
                data.into(),
                std::mem::replace(&mut prev, hash.clone()).into(),
                hash.into(),
            ]);
            self.appended += 1;
        }
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
        ledger_head::ActiveModel { id: Set(1), seq: Set(seq), hash: Set(prev.clone()) }.update(&self.txn).await?;
        self.head = (seq, prev);
        Ok(())
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

/// The queue of this process's writers to one SQLite database file (SQLite
/// has one writer at a time; a fair async mutex hands the lock on in arrival
/// order). None for PostgreSQL, whose row lock on the head queues writers
/// of every instance, and for in-memory databases, whose single connection
/// already does.
fn write_turn(db: &DatabaseConnection) -> Option<Arc<Mutex<()>>> {
    static TURNS: LazyLock<std::sync::Mutex<HashMap<PathBuf, Arc<Mutex<()>>>>> = LazyLock::new(Default::default);
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
