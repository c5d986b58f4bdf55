//! Claim lists page by id within an OEM (the service manager's list and
//! queue) and within a dealer and status; measured with 100,000 claims.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, columns) in [
            ("idx_claims_oem_id", vec![Claims::OemId, Claims::Id]),
            ("idx_claims_oem_status_id", vec![Claims::OemId, Claims::Status, Claims::Id]),
            ("idx_claims_dealer_status_id", vec![Claims::DealerId, Claims::Status, Claims::Id]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Claims::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["idx_claims_oem_id", "idx_claims_oem_status_id", "idx_claims_dealer_status_id"] {
            manager.drop_index(Index::drop().name(name).table(Claims::Table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Claims {
    Table,
    Id,
    OemId,
    DealerId,
    Status,
}
