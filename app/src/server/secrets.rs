//! Secrets: argon2id password hashes and 256-bit tokens stored as SHA-256.

use std::sync::LazyLock;

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::model::AppError;

fn argon2() -> Argon2<'static> {
    // OWASP: argon2id, m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password with argon2id on the blocking pool.
///
/// # Errors
/// `Internal` when hashing fails.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        argon2().hash_password(password.as_bytes()).map(|hash: PasswordHash| hash.to_string())
    })
    .await
    .map_err(|e| anyhow::anyhow!("hashing task failed: {e}"))?
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
/// `Internal` when the blocking task fails.
pub async fn verify_password(stored: Option<String>, password: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = argon2().verify_password(password.as_bytes(), hash.as_str()).is_ok();
        known && matches
    })
    .await
    .map_err(|e| anyhow::anyhow!("verification task failed: {e}").into())
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
