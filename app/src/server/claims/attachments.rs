//! Claim attachments: photos, PDFs and text/CSV diagnostics up to 10 MiB,
//! typed from their bytes, stored once under the data directory by SHA-256
//! and served only to people who may see the claim.

use std::path::{Path, PathBuf};

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{get, oem_reads, read};
use crate::model::claim::{self as rules, AttachmentDto, ClaimDto, ClaimStatus};
use crate::model::{AppError, Role};
use crate::server::auth::Actor;
use crate::server::entities::attachment;
use crate::server::ledger::{Change, LedgerTx};

/// Where the bytes of a file with this hash live.
fn stored_at(data_dir: &Path, sha256: &str) -> PathBuf {
    data_dir.join("attachments").join(&sha256[..2]).join(sha256)
}

/// A claim takes at most this many files.
pub const MAX_ATTACHMENTS_PER_CLAIM: u64 = 50;

/// Adds a file to a claim the actor may see (its dealer or the OEM's
/// service manager), unless the claim is withdrawn or has its
/// `MAX_ATTACHMENTS_PER_CLAIM` files.
///
/// The bytes are written to a file of their own before the writers' turn
/// (the slow part); inside it the claim's state and file count are
/// decided, and the file is put in place. A change that fails leaves no
/// file behind that no attachment names.
///
/// # Errors
/// `NotFound` outside scope; `Forbidden` for admins; `PayloadTooLarge`
/// over 10 MiB; `Validation` on `file` for a type outside the allow-list
/// or one file too many; `Conflict` for a withdrawn claim.
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
    read::in_scope(db, actor, claim_id).await?;
    if bytes.len() > rules::MAX_ATTACHMENT {
        return Err(AppError::PayloadTooLarge);
    }
    let name = rules::file_name(name);
    let content_type = rules::sniff(&bytes, &name).map_err(|m| AppError::field("file", m))?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let path = stored_at(data_dir, &sha256);
    let dir = path.parent().ok_or_else(|| anyhow::anyhow!("an attachment path has no directory"))?;
    tokio::fs::create_dir_all(dir).await.map_err(anyhow::Error::from)?;
    let partial = path.with_extension(format!("part-{}", uuid::Uuid::new_v4()));
    tokio::fs::write(&partial, &bytes).await.map_err(anyhow::Error::from)?;
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    drop(bytes);
    let file = NewFile { name, content_type, size, sha256, partial: &partial, path: &path };
    match insert(db, actor, claim_id, &file).await {
        Ok(claim_id) => get(db, actor, claim_id).await,
        Err(err) => {
            let _ = tokio::fs::remove_file(&partial).await;
            forget_unnamed(db, &path, &file.sha256).await;
            Err(err)
        }
    }
}

/// A file on its way into a claim.
struct NewFile<'a> {
    name: String,
    content_type: &'static str,
    size: i64,
    sha256: String,
    /// Where its bytes are now…
    partial: &'a Path,
    /// …and where they go (shared by every attachment with these bytes).
    path: &'a Path,
}

/// The file's row and ledger entry, in one transaction that decides on the
/// claim as it is then.
async fn insert(db: &DatabaseConnection, actor: &Actor, claim_id: i64, file: &NewFile<'_>) -> Result<i64, AppError> {
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let claim = read::in_scope(&*tx, actor, claim_id).await?;
    if claim.status == ClaimStatus::Withdrawn.as_str() {
        return Err(AppError::conflict(format!("{} is withdrawn; it takes no more files.", claim.number)));
    }
    let count = attachment::Entity::find().filter(attachment::Column::ClaimId.eq(claim.id)).count(&*tx).await?;
    if count >= MAX_ATTACHMENTS_PER_CLAIM {
        return Err(AppError::field(
            "file",
            format!(
                "{} already has {count} files, the most a claim takes; put further documents into one PDF.",
                claim.number
            ),
        ));
    }
    // Writers take turns, so no other change puts these bytes in place or
    // forgets them meanwhile.
    if tokio::fs::metadata(file.path).await.is_ok() {
        tokio::fs::remove_file(file.partial).await.map_err(anyhow::Error::from)?;
    } else {
        tokio::fs::rename(file.partial, file.path).await.map_err(anyhow::Error::from)?;
    }
    let row = attachment::ActiveModel {
        claim_id: Set(claim.id),
        name: Set(file.name.clone()),
        content_type: Set(file.content_type.to_string()),
        size: Set(file.size),
        sha256: Set(file.sha256.clone()),
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
        // A draft's file is the dealer's alone, its name and hash included.
        .scoped(Some(claim.dealer_id), oem_reads(&claim)),
    );
    tx.commit().await?;
    Ok(claim.id)
}

/// Removes the stored bytes when no attachment names them (a failed change
/// put them in place), deciding in a writers' turn of its own. A failure is
/// logged: an unnamed file is harmless, a missing named one is not.
async fn forget_unnamed(db: &DatabaseConnection, path: &Path, sha256: &str) {
    let forgotten = async {
        let turn = LedgerTx::begin(db, None).await?;
        let named = attachment::Entity::find().filter(attachment::Column::Sha256.eq(sha256)).count(&*turn).await?;
        if named == 0 && tokio::fs::metadata(path).await.is_ok() {
            tokio::fs::remove_file(path).await.map_err(anyhow::Error::from)?;
        }
        Ok::<(), AppError>(())
    };
    if let Err(err) = forgotten.await {
        tracing::warn!(%err, sha256, "an attachment file of a failed change was not removed");
    }
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
