//! A claim keeps one stored result per check: a new submission replaces the
//! last one's in a single upsert.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_claim_checks_claim").table(ClaimChecks::Table).to_owned()).await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_claim_checks_claim_check")
                    .table(ClaimChecks::Table)
                    .col(ClaimChecks::ClaimId)
                    .col(ClaimChecks::Check)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("uq_claim_checks_claim_check").table(ClaimChecks::Table).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_claim_checks_claim")
                    .table(ClaimChecks::Table)
                    .col(ClaimChecks::ClaimId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum ClaimChecks {
    Table,
    ClaimId,
    Check,
}
