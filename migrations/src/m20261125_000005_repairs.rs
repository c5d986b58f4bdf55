//! Repair orders: the dealer's record of a visit, with labour and part lines.

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
                    .table(RepairOrders::Table)
                    .col(big_pk_auto(RepairOrders::Id))
                    .col(string_len_uniq(RepairOrders::Number, 32))
                    .col(big_integer(RepairOrders::DealerId))
                    // Per-dealer running number behind `RO-<dealer>-000042`.
                    .col(big_integer(RepairOrders::Seq))
                    .col(big_integer(RepairOrders::VehicleId))
                    .col(big_integer(RepairOrders::OdometerKm))
                    .col(date(RepairOrders::OpenedOn))
                    .col(date_null(RepairOrders::CompletedOn))
                    .col(text(RepairOrders::Complaint))
                    .col(text(RepairOrders::Cause))
                    .col(text(RepairOrders::Correction))
                    .col(string_len(RepairOrders::Status, 16))
                    .col(big_integer(RepairOrders::CreatedBy))
                    .col(timestamp_with_time_zone(RepairOrders::CreatedAt))
                    .col(timestamp_with_time_zone(RepairOrders::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RepairOrders::Table, RepairOrders::DealerId)
                            .to(Dealers::Table, Dealers::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RepairOrders::Table, RepairOrders::VehicleId)
                            .to(Vehicles::Table, Vehicles::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_repair_orders_dealer_seq")
                    .table(RepairOrders::Table)
                    .col(RepairOrders::DealerId)
                    .col(RepairOrders::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_repair_orders_vehicle")
                    .table(RepairOrders::Table)
                    .col(RepairOrders::VehicleId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_repair_orders_dealer_status")
                    .table(RepairOrders::Table)
                    .col(RepairOrders::DealerId)
                    .col(RepairOrders::Status)
                    .col(RepairOrders::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RepairLabor::Table)
                    .col(big_pk_auto(RepairLabor::Id))
                    .col(big_integer(RepairLabor::RepairId))
                    .col(string_len(RepairLabor::LaborCode, 20))
                    .col(string_len(RepairLabor::Description, 200))
                    .col(big_integer(RepairLabor::HoursHundredths))
                    // The dealer's rate when the line was written, in minor units.
                    .col(big_integer(RepairLabor::RateMinor))
                    .col(string_len(RepairLabor::Currency, 3))
                    .col(timestamp_with_time_zone(RepairLabor::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RepairLabor::Table, RepairLabor::RepairId)
                            .to(RepairOrders::Table, RepairOrders::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_repair_labor_repair")
                    .table(RepairLabor::Table)
                    .col(RepairLabor::RepairId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RepairParts::Table)
                    .col(big_pk_auto(RepairParts::Id))
                    .col(big_integer(RepairParts::RepairId))
                    .col(big_integer(RepairParts::PartId))
                    .col(big_integer(RepairParts::Quantity))
                    .col(string_len_null(RepairParts::Serial, 64))
                    .col(string_len(RepairParts::Direction, 16))
                    // List price when the line was written.
                    .col(big_integer(RepairParts::PriceMinor))
                    .col(string_len(RepairParts::Currency, 3))
                    // The issue_to_repair movement of an installed line.
                    .col(big_integer_null(RepairParts::MovementId))
                    .col(timestamp_with_time_zone(RepairParts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RepairParts::Table, RepairParts::RepairId)
                            .to(RepairOrders::Table, RepairOrders::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(RepairParts::Table, RepairParts::PartId).to(Parts::Table, Parts::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_repair_parts_repair")
                    .table(RepairParts::Table)
                    .col(RepairParts::RepairId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_stock_movements_repair")
                    .table(StockMovements::Table)
                    .col(StockMovements::RepairId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_part_units_vehicle")
                    .table(PartUnits::Table)
                    .col(PartUnits::VehicleId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_part_units_vehicle").table(PartUnits::Table).to_owned()).await?;
        manager
            .drop_index(Index::drop().name("idx_stock_movements_repair").table(StockMovements::Table).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(RepairParts::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(RepairLabor::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(RepairOrders::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Dealers {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Vehicles {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Parts {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum StockMovements {
    Table,
    RepairId,
}

#[derive(DeriveIden, Clone, Copy)]
enum PartUnits {
    Table,
    VehicleId,
}

#[derive(DeriveIden, Clone, Copy)]
enum RepairOrders {
    Table,
    Id,
    Number,
    DealerId,
    Seq,
    VehicleId,
    OdometerKm,
    OpenedOn,
    CompletedOn,
    Complaint,
    Cause,
    Correction,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RepairLabor {
    Table,
    Id,
    RepairId,
    LaborCode,
    Description,
    HoursHundredths,
    RateMinor,
    Currency,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RepairParts {
    Table,
    Id,
    RepairId,
    PartId,
    Quantity,
    Serial,
    Direction,
    PriceMinor,
    Currency,
    MovementId,
    CreatedAt,
}
