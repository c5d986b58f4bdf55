//! The dealer network: vehicle models, OEM authorizations with their status
//! history, and warranty policies.

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
                    .table(VehicleModels::Table)
                    .col(big_pk_auto(VehicleModels::Id))
                    .col(big_integer(VehicleModels::OemId))
                    .col(string_len(VehicleModels::Code, 20))
                    .col(string_len(VehicleModels::Name, 120))
                    .col(string_len(VehicleModels::Powertrain, 4))
                    .col(timestamp_with_time_zone(VehicleModels::CreatedAt))
                    .foreign_key(
                        ForeignKey::create().from(VehicleModels::Table, VehicleModels::OemId).to(Oems::Table, Oems::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_vehicle_models_oem_code")
                    .table(VehicleModels::Table)
                    .col(VehicleModels::OemId)
                    .col(VehicleModels::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Authorizations::Table)
                    .col(big_pk_auto(Authorizations::Id))
                    .col(string_len_uniq(Authorizations::Number, 40))
                    .col(big_integer(Authorizations::OemId))
                    .col(big_integer(Authorizations::DealerId))
                    // Comma-separated service types, e.g. `hv_battery,warranty_repair`.
                    .col(string_len(Authorizations::ServiceTypes, 120))
                    .col(date(Authorizations::ValidFrom))
                    .col(date(Authorizations::ValidTo))
                    .col(timestamp_with_time_zone(Authorizations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Authorizations::Table, Authorizations::OemId)
                            .to(Oems::Table, Oems::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Authorizations::Table, Authorizations::DealerId)
                            .to(Dealers::Table, Dealers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_authorizations_dealer", Authorizations::DealerId),
            ("idx_authorizations_oem", Authorizations::OemId),
            ("idx_authorizations_valid_to", Authorizations::ValidTo),
        ] {
            manager
                .create_index(Index::create().name(name).table(Authorizations::Table).col(column).to_owned())
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(AuthorizationModels::Table)
                    .col(big_integer(AuthorizationModels::AuthorizationId))
                    .col(big_integer(AuthorizationModels::ModelId))
                    .primary_key(
                        Index::create().col(AuthorizationModels::AuthorizationId).col(AuthorizationModels::ModelId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuthorizationModels::Table, AuthorizationModels::AuthorizationId)
                            .to(Authorizations::Table, Authorizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuthorizationModels::Table, AuthorizationModels::ModelId)
                            .to(VehicleModels::Table, VehicleModels::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuthorizationStatusChanges::Table)
                    .col(big_pk_auto(AuthorizationStatusChanges::Id))
                    .col(big_integer(AuthorizationStatusChanges::AuthorizationId))
                    .col(string_len(AuthorizationStatusChanges::Kind, 20))
                    .col(date(AuthorizationStatusChanges::EffectiveDate))
                    .col(string_len(AuthorizationStatusChanges::Reason, 500))
                    .col(big_integer(AuthorizationStatusChanges::ActorId))
                    .col(timestamp_with_time_zone(AuthorizationStatusChanges::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuthorizationStatusChanges::Table, AuthorizationStatusChanges::AuthorizationId)
                            .to(Authorizations::Table, Authorizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_authorization_status_changes_authorization")
                    .table(AuthorizationStatusChanges::Table)
                    .col(AuthorizationStatusChanges::AuthorizationId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WarrantyPolicies::Table)
                    .col(big_pk_auto(WarrantyPolicies::Id))
                    .col(big_integer(WarrantyPolicies::OemId))
                    .col(big_integer_null(WarrantyPolicies::ModelId))
                    .col(string_len(WarrantyPolicies::ComponentCategory, 20))
                    .col(integer(WarrantyPolicies::Months))
                    .col(big_integer(WarrantyPolicies::Km))
                    .col(timestamp_with_time_zone(WarrantyPolicies::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WarrantyPolicies::Table, WarrantyPolicies::OemId)
                            .to(Oems::Table, Oems::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(WarrantyPolicies::Table, WarrantyPolicies::ModelId)
                            .to(VehicleModels::Table, VehicleModels::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_warranty_policies_oem")
                    .table(WarrantyPolicies::Table)
                    .col(WarrantyPolicies::OemId)
                    .to_owned(),
            )
            .await
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
    OemId,
    Code,
    Name,
    Powertrain,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Authorizations {
    Table,
    Id,
    Number,
    OemId,
    DealerId,
    ServiceTypes,
    ValidFrom,
    ValidTo,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AuthorizationModels {
    Table,
    AuthorizationId,
    ModelId,
}

#[derive(DeriveIden, Clone, Copy)]
enum AuthorizationStatusChanges {
    Table,
    Id,
    AuthorizationId,
    Kind,
    EffectiveDate,
    Reason,
    ActorId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum WarrantyPolicies {
    Table,
    Id,
    OemId,
    ModelId,
    ComponentCategory,
    Months,
    Km,
    CreatedAt,
}
