//! The parts catalogue, dealer stock (append-only movements and the levels
//! kept beside them) and serialized part units.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Parts::Table)
                    .col(big_pk_auto(Parts::Id))
                    .col(big_integer(Parts::OemId))
                    .col(string_len(Parts::PartNumber, 40))
                    .col(string_len(Parts::Description, 200))
                    .col(string_len(Parts::ComponentCategory, 20))
                    .col(big_integer(Parts::ListPriceMinor))
                    .col(string_len(Parts::Currency, 3))
                    .col(boolean(Parts::Serialized))
                    .col(boolean(Parts::WarrantyEligible))
                    .col(boolean(Parts::DangerousGoods))
                    .col(boolean(Parts::Active))
                    .col(big_integer_null(Parts::SupersededById))
                    .col(timestamp_with_time_zone(Parts::CreatedAt))
                    .foreign_key(ForeignKey::create().from(Parts::Table, Parts::OemId).to(Oems::Table, Oems::Id))
                    .foreign_key(
                        ForeignKey::create().from(Parts::Table, Parts::SupersededById).to(Parts::Table, Parts::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_parts_oem_number")
                    .table(Parts::Table)
                    .col(Parts::OemId)
                    .col(Parts::PartNumber)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_parts_number")
                    .table(Parts::Table)
                    .col(Parts::PartNumber)
                    .col(Parts::Id)
                    .to_owned(),
            )
            .await?;

        // The description's words, lower case: an inverted index that works
        // the same on SQLite and PostgreSQL (prefix ranges on a B-tree).
        let mut words = Table::create();
        words
            .table(PartWords::Table)
            .col(string_len(PartWords::Word, 40))
            .col(big_integer(PartWords::PartId))
            .primary_key(Index::create().col(PartWords::Word).col(PartWords::PartId))
            .foreign_key(ForeignKey::create().from(PartWords::Table, PartWords::PartId).to(Parts::Table, Parts::Id));
        if manager.get_database_backend() == sea_orm_migration::sea_orm::DatabaseBackend::Sqlite {
            // The key is the whole row: one B-tree instead of a table and its key index.
            words.extra("WITHOUT ROWID");
        }
        manager.create_table(words.to_owned()).await?;
        manager
            .create_index(
                Index::create().name("idx_part_words_part").table(PartWords::Table).col(PartWords::PartId).to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StockLevels::Table)
                    .col(big_pk_auto(StockLevels::Id))
                    .col(big_integer(StockLevels::DealerId))
                    .col(big_integer(StockLevels::PartId))
                    .col(big_integer(StockLevels::OnHand).check(Expr::col(StockLevels::OnHand).gte(0)))
                    .col(big_integer(StockLevels::ReorderPoint).check(Expr::col(StockLevels::ReorderPoint).gte(0)))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StockLevels::Table, StockLevels::DealerId)
                            .to(Dealers::Table, Dealers::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(StockLevels::Table, StockLevels::PartId).to(Parts::Table, Parts::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_stock_levels_dealer_part")
                    .table(StockLevels::Table)
                    .col(StockLevels::DealerId)
                    .col(StockLevels::PartId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_stock_levels_part")
                    .table(StockLevels::Table)
                    .col(StockLevels::PartId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StockMovements::Table)
                    .col(big_pk_auto(StockMovements::Id))
                    .col(big_integer(StockMovements::DealerId))
                    .col(big_integer(StockMovements::PartId))
                    .col(string_len(StockMovements::Kind, 20))
                    // Signed: the kind gives the sign.
                    .col(big_integer(StockMovements::Quantity))
                    .col(string_len_null(StockMovements::Serial, 64))
                    .col(big_integer_null(StockMovements::RepairId))
                    .col(big_integer_null(StockMovements::TransferId))
                    .col(string_len_null(StockMovements::Reference, 120))
                    .col(string_len_null(StockMovements::Reason, 500))
                    .col(big_integer_null(StockMovements::ActorId))
                    .col(timestamp_with_time_zone(StockMovements::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StockMovements::Table, StockMovements::DealerId)
                            .to(Dealers::Table, Dealers::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(StockMovements::Table, StockMovements::PartId)
                            .to(Parts::Table, Parts::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("idx_stock_movements_dealer", vec![StockMovements::DealerId, StockMovements::Id]),
            ("idx_stock_movements_part", vec![StockMovements::PartId, StockMovements::Id]),
        ] {
            let mut index = Index::create();
            index.name(name).table(StockMovements::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(PartUnits::Table)
                    .col(big_pk_auto(PartUnits::Id))
                    .col(big_integer(PartUnits::PartId))
                    .col(string_len(PartUnits::Serial, 64))
                    .col(string_len(PartUnits::Status, 20))
                    .col(big_integer_null(PartUnits::DealerId))
                    .col(big_integer_null(PartUnits::VehicleId))
                    .col(big_integer_null(PartUnits::RepairId))
                    .col(timestamp_with_time_zone(PartUnits::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create().from(PartUnits::Table, PartUnits::PartId).to(Parts::Table, Parts::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PartUnits::Table, PartUnits::DealerId)
                            .to(Dealers::Table, Dealers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_part_units_part_serial")
                    .table(PartUnits::Table)
                    .col(PartUnits::PartId)
                    .col(PartUnits::Serial)
                    .unique()
                    .to_owned(),
            )
            .await?;
        for (name, column) in
            [("idx_part_units_serial", PartUnits::Serial), ("idx_part_units_dealer", PartUnits::DealerId)]
        {
            manager.create_index(Index::create().name(name).table(PartUnits::Table).col(column).to_owned()).await?;
        }
        // Prefix searches are byte ranges: on PostgreSQL the columns compare
        // bytewise (as SQLite's do) whatever the database's locale.
        if manager.get_database_backend() == sea_orm_migration::sea_orm::DatabaseBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared(r#"ALTER TABLE parts ALTER COLUMN part_number TYPE varchar(40) COLLATE "C""#).await?;
            db.execute_unprepared(r#"ALTER TABLE part_words ALTER COLUMN word TYPE varchar(40) COLLATE "C""#).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [PartUnits::Table.into_iden(), StockMovements::Table.into_iden(), StockLevels::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager.drop_table(Table::drop().table(PartWords::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Parts::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Oems {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Dealers {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Parts {
    Table,
    Id,
    OemId,
    PartNumber,
    Description,
    ComponentCategory,
    ListPriceMinor,
    Currency,
    Serialized,
    WarrantyEligible,
    DangerousGoods,
    Active,
    SupersededById,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PartWords {
    Table,
    Word,
    PartId,
}

#[derive(DeriveIden, Clone, Copy)]
enum StockLevels {
    Table,
    Id,
    DealerId,
    PartId,
    OnHand,
    ReorderPoint,
}

#[derive(DeriveIden, Clone, Copy)]
enum StockMovements {
    Table,
    Id,
    DealerId,
    PartId,
    Kind,
    Quantity,
    Serial,
    RepairId,
    TransferId,
    Reference,
    Reason,
    ActorId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PartUnits {
    Table,
    Id,
    PartId,
    Serial,
    Status,
    DealerId,
    VehicleId,
    RepairId,
    UpdatedAt,
}
