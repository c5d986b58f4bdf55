//! Secrets: argon2id password hashes and 256-bit tokens stored as SHA-256.

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::model::AppError;

/// How long a password check waits for a free argon2 slot before the
/// request is told the server is busy (503 with `Retry-After`).
pub const ARGON2_WAIT: Duration = Duration::from_secs(5);

/// Runs argon2 at most as often at once as the machine has cores: each run
/// takes 19 MiB and a core for tens of milliseconds, so hundreds of parallel
/// sign-ins would otherwise take gigabytes and every core. Waiting requests
/// queue in arrival order for at most `wait`.
pub struct Gate {
    slots: Arc<Semaphore>,
    wait: Duration,
}

impl Gate {
    pub fn new(slots: usize, wait: Duration) -> Self {
        Self { slots: Arc::new(Semaphore::new(slots)), wait }
    }

    /// Runs `work` on the blocking pool once a slot is free. The slot is
    /// held by the blocking task itself, so a request that gives up (its
    /// client went away) does not free it while argon2 still runs.
    ///
    /// # Errors
    /// `Busy` when no slot frees up within the wait; `Internal` when the
    /// task fails.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let busy = AppError::Busy { retry_after_secs: self.wait.as_secs().max(1) };
        let permit = tokio::time::timeout(self.wait, Arc::clone(&self.slots).acquire_owned())
            .await
            .map_err(|_| busy)?
            .map_err(|e| anyhow::anyhow!("the argon2 gate is closed: {e}"))?;
        tokio::task::spawn_blocking(move || {
            let _slot = permit;
            work()
        })
        .await
        .map_err(|e| anyhow::anyhow!("argon2 task failed: {e}").into())
    }
}

/// The process's one argon2 gate, as wide as the machine's cores.
static ARGON2: LazyLock<Gate> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    Gate::new(cores, ARGON2_WAIT)
});

fn argon2() -> Argon2<'static> {
    // OWASP: argon2id, m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password with argon2id on the blocking pool, through the gate.
///
/// # Errors
/// `Busy` when every argon2 slot stays taken for `ARGON2_WAIT`; `Internal`
/// when hashing fails.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    ARGON2
        .run(move || argon2().hash_password(password.as_bytes()).map(|hash: PasswordHash| hash.to_string()))
        .await?
        .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}").into())
}

/// A valid hash of nothing anyone types, verified for unknown emails so a
/// wrong email takes as long as a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    argon2()
        .hash_password(b"no user has this password, it only burns time")
        .map(|hash: PasswordHash| hash.to_string())
        .unwrap_or_default()
});

/// Checks `password` against a stored PHC hash (or the dummy when `None`).
/// Returns `false` for `None` after spending the same time.
///
/// # Errors
/// `Busy` when every argon2 slot stays taken for `ARGON2_WAIT`; `Internal`
/// when the blocking task fails.
pub async fn verify_password(stored: Option<String>, password: String) -> Result<bool, AppError> {
    ARGON2
        .run(move || {
            let known = stored.is_some();
            let hash = stored.unwrap_or_else(|| DUMMY_HASH.clone());
            let matches = argon2().verify_password(password.as_bytes(), hash.as_str()).is_ok();
            known && matches
        })
        .await
}

/// A fresh 256-bit token, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a token: its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters() {
        let hash = hash_password("fjord-battery-77".into()).await.expect("hashes");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password(Some(hash.clone()), "fjord-battery-77".into()).await.expect("verifies"));
        assert!(!verify_password(Some(hash), "fjord-battery-78".into()).await.expect("verifies"));
    }

    #[tokio::test]
    async fn an_unknown_user_never_verifies() {
        assert!(!verify_password(None, "no user has this password, it only burns time".into()).await.expect("runs"));
    }

    #[tokio::test]
    async fn a_full_gate_answers_busy_and_a_free_slot_runs_the_work() {
        let gate = Gate::new(1, Duration::from_millis(50));
        let (started, wait_started) = tokio::sync::oneshot::channel();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let running = {
            let slots = Arc::clone(&gate.slots);
            tokio::spawn(async move {
                let gate = Gate { slots, wait: Duration::from_secs(5) };
                gate.run(move || {
                    let _ = started.send(());
                    let _ = released.recv();
                })
                .await
            })
        };
        wait_started.await.expect("the first run starts");
        assert_eq!(gate.run(|| 1).await, Err(AppError::Busy { retry_after_secs: 1 }));
        release.send(()).expect("the first run waits");
        running.await.expect("joins").expect("the first run finishes");
        assert_eq!(gate.run(|| 2).await, Ok(2));
    }

    #[test]
    fn tokens_are_256_bit_and_stored_only_as_sha256() {
        let token = new_token();
        assert_eq!(URL_SAFE_NO_PAD.decode(&token).expect("base64").len(), 32);
        assert_ne!(new_token(), token);
        let hash = token_hash(&token);
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(&token));
    }
}
