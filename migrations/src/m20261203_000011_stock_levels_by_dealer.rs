//! A dealer's stock levels in id order straight from an index: the list
//! pages by id, and the unique (dealer, part) index orders a dealer's rows
//! by part, so every page sorted all of them (5,000 rows for a dealer
//! carrying 5,000 parts) to return 50.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "idx_stock_levels_dealer_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(StockLevels::Table)
                    .col(StockLevels::DealerId)
                    .col(StockLevels::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(NAME).table(StockLevels::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum StockLevels {
    Table,
    Id,
    DealerId,
}
