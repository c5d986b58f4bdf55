//! Claim attachments: photos, PDFs and text/CSV diagnostics up to 10 MiB,
//! typed from their bytes, stored once under the data directory by SHA-256
//! and served only to people who may see the claim.

use std::path::{Path, PathBuf};

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{get, read};
use crate::model::claim::{self as rules, AttachmentDto, ClaimDto, ClaimStatus};
use crate::model::{AppError, Role};
use crate::server::auth::Actor;
use crate::server::entities::attachment;
use crate::server::ledger::{Change, LedgerTx};

/// Where the bytes of a file with this hash live.
fn stored_at(data_dir: &Path, sha256: &str) -> PathBuf {
    data_dir.join("attachments").join(&sha256[..2]).join(sha256)
}

/// Adds a file to a claim the actor may see (its dealer or the OEM's
/// service manager), unless the claim is withdrawn.
///
/// # Errors
/// `NotFound` outside scope; `Forbidden` for admins; `PayloadTooLarge`
/// over 10 MiB; `Validation` on `file` for a type outside the allow-list.
pub async fn add(
    db: &DatabaseConnection,
    data_dir: &Path,
    actor: &Actor,
    claim_id: i64,
    name: &str,
    bytes: Vec<u8>,
) -> Result<ClaimDto, AppError> {
    if actor.role == Role::Admin {
        return Err(AppError::Forbidden);
    }
    let claim = read::in_scope(db, actor, claim_id).await?;
    if claim.status == ClaimStatus::Withdrawn.as_str() {
        return Err(AppError::conflict(format!("{} is withdrawn; it takes no more files.", claim.number)));
    }
    if bytes.len() > rules::MAX_ATTACHMENT {
        return Err(AppError::PayloadTooLarge);
    }
    let name = rules::file_name(name);
    let content_type = rules::sniff(&bytes, &name).map_err(|m| AppError::field("file", m))?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let path = stored_at(data_dir, &sha256);
    if tokio::fs::metadata(&path).await.is_err() {
        let dir = path.parent().ok_or_else(|| anyhow::anyhow!("an attachment path has no directory"))?;
        tokio::fs::create_dir_all(dir).await.map_err(anyhow::Error::from)?;
        let partial = path.with_extension(format!("part-{}", uuid::Uuid::new_v4()));
        tokio::fs::write(&partial, &bytes).await.map_err(anyhow::Error::from)?;
        tokio::fs::rename(&partial, &path).await.map_err(anyhow::Error::from)?;
    }
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let row = attachment::ActiveModel {
        claim_id: Set(claim.id),
        name: Set(name),
        content_type: Set(content_type.to_string()),
        size: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
        sha256: Set(sha256),
        uploaded_by: Set(actor.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    tx.record(
        Change::new(
            "attachment",
            row.id,
            "attachment.added",
            json!({"claim_id": claim.id, "number": claim.number, "name": row.name, "content_type": row.content_type,
                "size": row.size, "sha256": row.sha256}),
        )
        .scoped(Some(claim.dealer_id), Some(claim.oem_id)),
    );
    tx.commit().await?;
    get(db, actor, claim.id).await
}

/// A file and its bytes, for someone who may see its claim.
///
/// # Errors
/// `NotFound` outside scope (or when the bytes are gone).
pub async fn open(
    db: &DatabaseConnection,
    data_dir: &Path,
    actor: &Actor,
    id: i64,
) -> Result<(AttachmentDto, Vec<u8>), AppError> {
    let row = attachment::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    read::in_scope(db, actor, row.claim_id).await?;
    let bytes = tokio::fs::read(stored_at(data_dir, &row.sha256)).await.map_err(|_| AppError::NotFound)?;
    Ok((
        AttachmentDto {
            id: row.id,
            name: row.name,
            content_type: row.content_type,
            size: row.size,
            sha256: row.sha256,
            created_at: row.created_at,
        },
        bytes,
    ))
}
