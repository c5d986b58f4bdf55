//! Vehicles (by VIN, no owner data) and their odometer readings.

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
                    .table(Vehicles::Table)
                    .col(big_pk_auto(Vehicles::Id))
                    .col(string_len_uniq(Vehicles::Vin, 17))
                    .col(big_integer(Vehicles::OemId))
                    .col(big_integer(Vehicles::ModelId))
                    .col(integer(Vehicles::ModelYear))
                    .col(date(Vehicles::InServiceDate))
                    .col(string_len(Vehicles::Country, 2))
                    .col(big_integer_null(Vehicles::LastOdometerKm))
                    .col(big_integer_null(Vehicles::RegisteredByDealerId))
                    .col(timestamp_with_time_zone(Vehicles::CreatedAt))
                    .foreign_key(ForeignKey::create().from(Vehicles::Table, Vehicles::OemId).to(Oems::Table, Oems::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Vehicles::Table, Vehicles::ModelId)
                            .to(VehicleModels::Table, VehicleModels::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Vehicles::Table, Vehicles::RegisteredByDealerId)
                            .to(Dealers::Table, Dealers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in
            [("idx_vehicles_oem", Vehicles::OemId), ("idx_vehicles_registered_by", Vehicles::RegisteredByDealerId)]
        {
            manager.create_index(Index::create().name(name).table(Vehicles::Table).col(column).to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(OdometerReadings::Table)
                    .col(big_pk_auto(OdometerReadings::Id))
                    .col(big_integer(OdometerReadings::VehicleId))
                    .col(big_integer(OdometerReadings::Km))
                    .col(date(OdometerReadings::ReadingDate))
                    .col(big_integer_null(OdometerReadings::DealerId))
                    .col(big_integer_null(OdometerReadings::RepairId))
                    // Lower than an earlier reading: stored, but flagged.
                    .col(boolean(OdometerReadings::Flagged))
                    .col(timestamp_with_time_zone(OdometerReadings::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OdometerReadings::Table, OdometerReadings::VehicleId)
                            .to(Vehicles::Table, Vehicles::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_odometer_vehicle")
                    .table(OdometerReadings::Table)
                    .col(OdometerReadings::VehicleId)
                    .col(OdometerReadings::ReadingDate)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(OdometerReadings::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Vehicles::Table).to_owned()).await
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
enum VehicleModels {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Vehicles {
    Table,
    Id,
    Vin,
    OemId,
    ModelId,
    ModelYear,
    InServiceDate,
    Country,
    LastOdometerKm,
    RegisteredByDealerId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum OdometerReadings {
    Table,
    Id,
    VehicleId,
    Km,
    ReadingDate,
    DealerId,
    RepairId,
    Flagged,
    CreatedAt,
}
