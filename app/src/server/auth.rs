//! Who is asking: passwords (argon2id), sign-in with throttling, browser
//! sessions and API tokens, all kept in the database.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryTrait, Set};
use serde_json::json;

use super::entities::{api_token, login_failure, session, user};
use super::ledger::{self, Change, LedgerTx};
use super::reader::Reader;
use crate::model::{AppError, Role, validate};

mod throttle;

pub use throttle::prune_login_failures;
use throttle::{count_attempt, forget_attempt, record_failure};

/// Sessions end after this long without a request…
pub const SESSION_IDLE: Duration = Duration::hours(8);
/// …and at the latest this long after sign-in.
pub const SESSION_ABSOLUTE: Duration = Duration::hours(24);
/// API tokens for integrations live this long unless revoked.
pub const API_TOKEN_LIFETIME: Duration = Duration::days(30);
/// Failures per email within `THROTTLE_WINDOW` before sign-in answers 429.
pub const THROTTLE_FAILURES: u64 = 5;
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);
/// `last_seen_at` is written at most this often per session.
const TOUCH_EVERY: Duration = Duration::seconds(60);
/// Longer passwords are refused before hashing (the policy asks for 12+).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// The signed-in person a service acts for. Every service checks role and
/// scope against it (DESIGN.md §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    pub dealer_id: Option<i64>,
    pub oem_id: Option<i64>,
    pub credential: Credential,
}

/// How the actor proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Credential {
    Session(i64),
    ApiToken(i64),
    /// The command line, acting as a named admin (demo seed, operations).
    CommandLine,
}

impl Actor {
    /// The command line acting as an existing admin user.
    pub fn command_line_admin(user_id: i64) -> Self {
        Self { user_id, role: Role::Admin, dealer_id: None, oem_id: None, credential: Credential::CommandLine }
    }

    /// The command line acting as an existing user (the demo seed writes
    /// each dealer's data as that dealer's own user).
    pub fn command_line_as(user: &user::Model) -> Option<Self> {
        Self::from_user(user, Credential::CommandLine)
    }

    /// # Errors
    /// `Forbidden` unless the actor has `role`.
    pub fn require(&self, role: Role) -> Result<(), AppError> {
        if self.role == role { Ok(()) } else { Err(AppError::Forbidden) }
    }

    fn from_user(user: &user::Model, credential: Credential) -> Option<Self> {
        let role = user.role.parse().ok()?;
        Some(Self { user_id: user.id, role, dealer_id: user.dealer_id, oem_id: user.oem_id, credential })
    }
}

pub use super::secrets::{hash_password, new_token, token_hash, verify_password};

/// What a sign-in hands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issue {
    BrowserSession,
    ApiToken,
}

#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: user::Model,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Signs a person in. Wrong email and wrong password give the identical
/// error; after `THROTTLE_FAILURES` failures for an email within
/// `THROTTLE_WINDOW` every attempt answers `RateLimited` until the window
/// passes, whatever the password.
///
/// The attempt is counted before the password is verified, so parallel
/// guesses for one email get `THROTTLE_FAILURES` verifications between
/// them, not one each; and argon2 runs through a gate as wide as the
/// machine's cores.
///
/// # Errors
/// `Validation` for an empty or malformed email (checked before any
/// hashing) or an empty or oversized password, `InvalidCredentials`,
/// `RateLimited`, `Busy` when argon2's slots stay taken.
#[tracing::instrument(skip(db, password))]
pub async fn sign_in(db: &DatabaseConnection, email: &str, password: &str, issue: Issue) -> Result<SignedIn, AppError> {
    let mut errors = crate::model::FieldErrors::new();
    let email = errors.check("email", validate::email(email));
    if password.is_empty() {
        errors.add("password", "is required");
    } else if password.len() > MAX_PASSWORD_BYTES {
        errors.add("password", format!("must be at most {MAX_PASSWORD_BYTES} characters"));
    }
    errors.finish()?;
    let email = email.unwrap_or_default();

    let now = Utc::now();
    let attempt = count_attempt(db, &email, now).await?;
    if let Some(retry_after_secs) = attempt.throttled {
        forget_attempt(db, attempt.id).await?;
        return Err(AppError::RateLimited { retry_after_secs });
    }

    let found = user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(db).await?;
    let stored = found.as_ref().map(|u| u.password_hash.clone());
    let password_ok = match verify_password(stored, password.to_string()).await {
        Ok(ok) => ok,
        Err(busy) => {
            // Not a guess: nothing was verified.
            forget_attempt(db, attempt.id).await?;
            return Err(busy);
        }
    };
    let user = match found {
        Some(user) if password_ok && user.active => user,
        other => {
            if let Some(user) = other {
                record_failure(db, &email, &user, now).await?;
            }
            return Err(AppError::InvalidCredentials);
        }
    };

    let forget = login_failure::Entity::delete_many().filter(login_failure::Column::Email.eq(email.as_str()));
    ledger::bookkeeping(db, &forget.into_query()).await?;
    let token = new_token();
    let hash = token_hash(&token);
    let mut tx = LedgerTx::begin(db, Some(user.id)).await?;
    let (entity, id, expires_at) = match issue {
        Issue::BrowserSession => {
            let expires_at = now + SESSION_ABSOLUTE;
            let row = session::ActiveModel {
                token_hash: Set(hash),
                user_id: Set(user.id),
                created_at: Set(now),
                expires_at: Set(expires_at),
                last_seen_at: Set(now),
                ..Default::default()
            }
            .insert(&*tx)
            .await?;
            ("session", row.id, expires_at)
        }
        Issue::ApiToken => {
            let expires_at = now + API_TOKEN_LIFETIME;
            let row = api_token::ActiveModel {
                user_id: Set(user.id),
                name: Set("api login".into()),
                token_hash: Set(hash),
                created_at: Set(now),
                expires_at: Set(expires_at),
                last_used_at: Set(None),
                revoked_at: Set(None),
                ..Default::default()
            }
            .insert(&*tx)
            .await?;
            ("api_token", row.id, expires_at)
        }
    };
    let action = if entity == "session" { "session.created" } else { "api_token.created" };
    tx.record(
        Change::new(entity, id, action, json!({"user_id": user.id, "expires_at": expires_at}))
            .scoped(user.dealer_id, user.oem_id),
    );
    let user = if user.locked_until.is_some() {
        let mut active: user::ActiveModel = user.into();
        active.locked_until = Set(None);
        active.update(&*tx).await?
    } else {
        user
    };
    tx.commit().await?;
    Ok(SignedIn { user, token, expires_at })
}

/// The actor behind a browser session cookie, if the session is alive.
///
/// # Errors
/// When the database is unavailable.
pub async fn resolve_session(db: &DatabaseConnection, token: &str) -> Result<Option<Actor>, AppError> {
    let now = Utc::now();
    let Some((row, user)) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .find_also_related(user::Entity)
        .one(&Reader::of(db).await?)
        .await?
    else {
        return Ok(None);
    };
    if row.expires_at <= now || row.last_seen_at + SESSION_IDLE <= now {
        let expired = session::Entity::delete_many().filter(session::Column::Id.eq(row.id)).into_query();
        later(db, Credential::Session(row.id), expired);
        return Ok(None);
    }
    let Some(user) = user.filter(|u| u.active) else {
        return Ok(None);
    };
    if row.last_seen_at + TOUCH_EVERY <= now {
        // Operational bookkeeping, not a change of the record: no ledger entry.
        let touch = session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, sea_orm::sea_query::Expr::value(now))
            .filter(session::Column::Id.eq(row.id))
            .into_query();
        later(db, Credential::Session(row.id), touch);
    }
    Ok(Actor::from_user(&user, Credential::Session(row.id)))
}

/// The actor behind a bearer token, if it is valid.
///
/// # Errors
/// When the database is unavailable.
pub async fn resolve_api_token(db: &DatabaseConnection, token: &str) -> Result<Option<Actor>, AppError> {
    let now = Utc::now();
    let Some((row, user)) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash(token)))
        .find_also_related(user::Entity)
        .one(&Reader::of(db).await?)
        .await?
    else {
        return Ok(None);
    };
    if row.revoked_at.is_some() || row.expires_at <= now {
        return Ok(None);
    }
    let Some(user) = user.filter(|u| u.active) else {
        return Ok(None);
    };
    if row.last_used_at.is_none_or(|at| at + TOUCH_EVERY <= now) {
        let touch = api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, sea_orm::sea_query::Expr::value(Some(now)))
            .filter(api_token::Column::Id.eq(row.id))
            .into_query();
        later(db, Credential::ApiToken(row.id), touch);
    }
    Ok(Actor::from_user(&user, Credential::ApiToken(row.id)))
}

/// Runs a credential's bookkeeping (its last-seen time, or deleting it once
/// expired) after the request, not in it: on a SQLite file the write waits
/// for the writers' turn, which a long change (a 100,000-row import) holds
/// for seconds, and no signed-in request should wait for that. At most one
/// such write per credential is pending; a failed one is logged, and the
/// next request tries again.
fn later<S: sea_orm::StatementBuilder + Send + 'static>(db: &DatabaseConnection, credential: Credential, statement: S) {
    static PENDING: LazyLock<std::sync::Mutex<HashSet<Credential>>> = LazyLock::new(Default::default);
    fn pending() -> std::sync::MutexGuard<'static, HashSet<Credential>> {
        PENDING.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
    /// Takes the credential off the pending set however the write ends,
    /// also when its task is dropped unfinished (the runtime shuts down).
    struct Pending(Credential);
    impl Drop for Pending {
        fn drop(&mut self) {
            pending().remove(&self.0);
        }
    }
    if !pending().insert(credential) {
        return;
    }
    let mark = Pending(credential);
    let db = db.clone();
    tokio::spawn(async move {
        let _mark = mark;
        if let Err(err) = ledger::bookkeeping(&db, &statement).await {
            tracing::warn!(?credential, %err, "credential bookkeeping failed");
        }
    });
}

/// Ends the actor's session (deleted) or revokes the API token they used.
///
/// # Errors
/// When the database is unavailable.
pub async fn sign_out(db: &DatabaseConnection, actor: &Actor) -> Result<(), AppError> {
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let change = match actor.credential {
        Credential::Session(id) => {
            session::Entity::delete_by_id(id).exec(&*tx).await?;
            Change::new("session", id, "session.ended", json!({"user_id": actor.user_id}))
        }
        Credential::ApiToken(id) => {
            api_token::Entity::update_many()
                .col_expr(api_token::Column::RevokedAt, sea_orm::sea_query::Expr::value(Some(Utc::now())))
                .filter(api_token::Column::Id.eq(id))
                .exec(&*tx)
                .await?;
            Change::new("api_token", id, "api_token.revoked", json!({"user_id": actor.user_id}))
        }
        Credential::CommandLine => return Ok(()),
    };
    tx.record(change.scoped(actor.dealer_id, actor.oem_id));
    tx.commit().await
}

/// Ends every session and API token of a user (deactivation, password
/// reset), except the session `keep`. Runs inside the caller's transaction.
///
/// # Errors
/// When the database is unavailable.
pub async fn end_all_sessions(tx: &LedgerTx, user_id: i64, keep: Option<Credential>) -> Result<(), AppError> {
    let mut sessions = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(Credential::Session(id)) = keep {
        sessions = sessions.filter(session::Column::Id.ne(id));
    }
    sessions.exec(&**tx).await?;
    let mut tokens = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, sea_orm::sea_query::Expr::value(Some(Utc::now())))
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null());
    if let Some(Credential::ApiToken(id)) = keep {
        tokens = tokens.filter(api_token::Column::Id.ne(id));
    }
    tokens.exec(&**tx).await?;
    Ok(())
}

/// Checks a new password against the policy, as a field error on `field`.
///
/// # Errors
/// `Validation` naming `field`.
pub fn check_new_password(field: &str, password: &str, email: &str) -> Result<(), AppError> {
    validate::new_password(password, email).map_err(|message| AppError::field(field, message))
}
