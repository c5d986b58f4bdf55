//! Sign-in throttling: attempts counted per email before a password is
//! verified, failures recorded (and a user locked) in the ledger, old
//! attempts pruned.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};
use serde_json::json;

use super::{THROTTLE_FAILURES, THROTTLE_WINDOW};
use crate::model::AppError;
use crate::server::entities::{login_failure, user};
use crate::server::ledger::{self, Change, LedgerTx};

/// A sign-in attempt as counted: its row, and how long to wait when the
/// email is throttled.
pub(super) struct Attempt {
    pub(super) id: i64,
    pub(super) throttled: Option<u64>,
}

/// Counts an attempt for `email` before its password is verified: the row
/// is written (and committed) first, then the attempts before it in the
/// window are counted. Of any number of parallel attempts, the one written
/// last sees every other that went on to verify, so at most
/// `THROTTLE_FAILURES` of them verify.
pub(super) async fn count_attempt(
    db: &DatabaseConnection,
    email: &str,
    now: DateTime<Utc>,
) -> Result<Attempt, AppError> {
    let insert = login_failure::Entity::insert(login_failure::ActiveModel {
        email: Set(email.to_string()),
        at: Set(now),
        ..Default::default()
    })
    .into_query()
    .returning_col(login_failure::Column::Id)
    .to_owned();
    let id = ledger::bookkeeping_returning(db, &insert)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the sign-in attempt was not written"))?
        .try_get::<i64>("", "id")?;
    let before = login_failure::Entity::find()
        .filter(login_failure::Column::Email.eq(email))
        .filter(login_failure::Column::At.gt(now - THROTTLE_WINDOW))
        .filter(login_failure::Column::Id.ne(id))
        .order_by_desc(login_failure::Column::At)
        .limit(THROTTLE_FAILURES)
        .all(db)
        .await?;
    if (before.len() as u64) < THROTTLE_FAILURES {
        return Ok(Attempt { id, throttled: None });
    }
    let oldest = before.last().map_or(now, |f| f.at);
    let wait = (oldest + THROTTLE_WINDOW - now).num_seconds().max(1);
    Ok(Attempt { id, throttled: Some(wait.unsigned_abs()) })
}

/// Takes back an attempt that was not a guess (throttled, or the server was
/// too busy to verify it), so it does not prolong the throttle.
pub(super) async fn forget_attempt(db: &DatabaseConnection, id: i64) -> Result<(), AppError> {
    let forget = login_failure::Entity::delete_many().filter(login_failure::Column::Id.eq(id));
    ledger::bookkeeping(db, &forget.into_query()).await?;
    Ok(())
}

/// Deletes the counted attempts older than the throttle's window: they no
/// longer count, and unknown emails would otherwise pile up. The server
/// runs this every few minutes.
///
/// # Errors
/// When the database write fails.
pub async fn prune_login_failures(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, AppError> {
    let old = login_failure::Entity::delete_many().filter(login_failure::Column::At.lte(now - THROTTLE_WINDOW));
    ledger::bookkeeping(db, &old.into_query()).await
}

/// Records a wrong password for an existing user in the ledger (its attempt
/// is already counted), and locks the user when this failure trips the
/// throttle.
pub(super) async fn record_failure(
    db: &DatabaseConnection,
    email: &str,
    user: &user::Model,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = LedgerTx::begin(db, None).await?;
    let failures = login_failure::Entity::find()
        .filter(login_failure::Column::Email.eq(email))
        .filter(login_failure::Column::At.gt(now - THROTTLE_WINDOW))
        .count(&*tx)
        .await?;
    let scope = (user.dealer_id, user.oem_id);
    tx.record(
        Change::new("user", user.id, "user.login_failed", json!({"failures_in_window": failures}))
            .scoped(scope.0, scope.1),
    );
    let locked = user.locked_until.is_some_and(|until| until > now);
    if failures >= THROTTLE_FAILURES && !locked {
        let until = now + THROTTLE_WINDOW;
        let mut active: user::ActiveModel = user.clone().into();
        active.locked_until = Set(Some(until));
        active.update(&*tx).await?;
        tx.record(Change::new("user", user.id, "user.locked", json!({"until": until})).scoped(scope.0, scope.1));
    }
    tx.commit().await
}
