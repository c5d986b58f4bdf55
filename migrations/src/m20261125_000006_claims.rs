//! Warranty claims: lines, checks, comments, attachments and part returns.

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
                    .table(Claims::Table)
                    .col(big_pk_auto(Claims::Id))
                    .col(string_len_uniq(Claims::Number, 32))
                    .col(integer(Claims::Year))
                    .col(big_integer(Claims::Seq))
                    .col(big_integer(Claims::DealerId))
                    .col(big_integer(Claims::OemId))
                    .col(big_integer(Claims::RepairId))
                    .col(big_integer(Claims::VehicleId))
                    .col(big_integer_null(Claims::AuthorizationId))
                    .col(big_integer(Claims::CausalPartId))
                    .col(string_len(Claims::FailureCode, 32))
                    .col(string_len(Claims::Status, 24))
                    .col(string_len(Claims::Currency, 3))
                    .col(big_integer(Claims::RequestedMinor))
                    .col(big_integer_null(Claims::ApprovedMinor))
                    // Every change adds one: a decision on an older version is a conflict.
                    .col(integer(Claims::Version))
                    .col(string_len_null(Claims::IdempotencyKey, 128))
                    .col(boolean(Claims::Appealed))
                    // An information request was answered: shown to the reviewer.
                    .col(boolean(Claims::InfoAnswered))
                    .col(big_integer_null(Claims::ReviewerId))
                    .col(string_len_null(Claims::PaymentReference, 64))
                    .col(timestamp_with_time_zone_null(Claims::SubmittedAt))
                    .col(timestamp_with_time_zone_null(Claims::DecidedAt))
                    .col(timestamp_with_time_zone_null(Claims::PaidAt))
                    .col(big_integer(Claims::CreatedBy))
                    .col(big_integer(Claims::UpdatedBy))
                    .col(timestamp_with_time_zone(Claims::CreatedAt))
                    .col(timestamp_with_time_zone(Claims::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create().from(Claims::Table, Claims::DealerId).to(Dealers::Table, Dealers::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Claims::Table, Claims::RepairId)
                            .to(RepairOrders::Table, RepairOrders::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(Claims::Table, Claims::VehicleId).to(Vehicles::Table, Vehicles::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(Claims::Table, Claims::CausalPartId).to(Parts::Table, Parts::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns, unique) in [
            ("uq_claims_year_seq", vec![Claims::Year, Claims::Seq], true),
            ("uq_claims_dealer_idempotency", vec![Claims::DealerId, Claims::IdempotencyKey], true),
            ("idx_claims_dealer", vec![Claims::DealerId, Claims::Id], false),
            ("idx_claims_oem_status", vec![Claims::OemId, Claims::Status, Claims::SubmittedAt], false),
            ("idx_claims_vehicle", vec![Claims::VehicleId, Claims::CausalPartId], false),
            ("idx_claims_repair", vec![Claims::RepairId], false),
        ] {
            let mut index = Index::create();
            index.name(name).table(Claims::Table);
            for column in columns {
                index.col(column);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ClaimLines::Table)
                    .col(big_pk_auto(ClaimLines::Id))
                    .col(big_integer(ClaimLines::ClaimId))
                    .col(string_len(ClaimLines::Kind, 16))
                    .col(big_integer_null(ClaimLines::PartId))
                    .col(string_len(ClaimLines::Description, 200))
                    // Parts: units; labour: hundredths of an hour; sublet: 1.
                    .col(big_integer(ClaimLines::Quantity))
                    .col(big_integer(ClaimLines::RequestedMinor))
                    .col(big_integer_null(ClaimLines::ApprovedMinor))
                    .col(string_len(ClaimLines::Decision, 16))
                    .col(string_len_null(ClaimLines::ReasonCode, 32))
                    .foreign_key(
                        ForeignKey::create().from(ClaimLines::Table, ClaimLines::ClaimId).to(Claims::Table, Claims::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_claim_lines_claim")
                    .table(ClaimLines::Table)
                    .col(ClaimLines::ClaimId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClaimChecks::Table)
                    .col(big_pk_auto(ClaimChecks::Id))
                    .col(big_integer(ClaimChecks::ClaimId))
                    .col(string_len(ClaimChecks::Check, 24))
                    .col(string_len(ClaimChecks::Result, 8))
                    .col(text(ClaimChecks::Explanation))
                    .col(timestamp_with_time_zone(ClaimChecks::RunAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ClaimChecks::Table, ClaimChecks::ClaimId)
                            .to(Claims::Table, Claims::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_claim_checks_claim")
                    .table(ClaimChecks::Table)
                    .col(ClaimChecks::ClaimId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClaimComments::Table)
                    .col(big_pk_auto(ClaimComments::Id))
                    .col(big_integer(ClaimComments::ClaimId))
                    .col(big_integer(ClaimComments::AuthorId))
                    .col(text(ClaimComments::Body))
                    .col(timestamp_with_time_zone(ClaimComments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ClaimComments::Table, ClaimComments::ClaimId)
                            .to(Claims::Table, Claims::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_claim_comments_claim")
                    .table(ClaimComments::Table)
                    .col(ClaimComments::ClaimId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Attachments::Table)
                    .col(big_pk_auto(Attachments::Id))
                    .col(big_integer(Attachments::ClaimId))
                    .col(string_len(Attachments::Name, 200))
                    .col(string_len(Attachments::ContentType, 64))
                    .col(big_integer(Attachments::Size))
                    // The bytes live under the data directory, named by this hash.
                    .col(string_len(Attachments::Sha256, 64))
                    .col(big_integer(Attachments::UploadedBy))
                    .col(timestamp_with_time_zone(Attachments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachments::Table, Attachments::ClaimId)
                            .to(Claims::Table, Claims::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_attachments_claim")
                    .table(Attachments::Table)
                    .col(Attachments::ClaimId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PartReturns::Table)
                    .col(big_pk_auto(PartReturns::Id))
                    .col(big_integer(PartReturns::ClaimId))
                    .col(big_integer_null(PartReturns::PartId))
                    .col(string_len_null(PartReturns::Serial, 64))
                    .col(string_len(PartReturns::Status, 16))
                    .col(string_len_null(PartReturns::Tracking, 64))
                    .col(text_null(PartReturns::Note))
                    .col(big_integer(PartReturns::RequestedBy))
                    .col(timestamp_with_time_zone(PartReturns::CreatedAt))
                    .col(timestamp_with_time_zone(PartReturns::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PartReturns::Table, PartReturns::ClaimId)
                            .to(Claims::Table, Claims::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_part_returns_claim")
                    .table(PartReturns::Table)
                    .col(PartReturns::ClaimId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PartReturns::Table.into_iden(),
            Attachments::Table.into_iden(),
            ClaimComments::Table.into_iden(),
            ClaimChecks::Table.into_iden(),
            ClaimLines::Table.into_iden(),
            Claims::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
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
enum RepairOrders {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Claims {
    Table,
    Id,
    Number,
    Year,
    Seq,
    DealerId,
    OemId,
    RepairId,
    VehicleId,
    AuthorizationId,
    CausalPartId,
    FailureCode,
    Status,
    Currency,
    RequestedMinor,
    ApprovedMinor,
    Version,
    IdempotencyKey,
    Appealed,
    InfoAnswered,
    ReviewerId,
    PaymentReference,
    SubmittedAt,
    DecidedAt,
    PaidAt,
    CreatedBy,
    UpdatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ClaimLines {
    Table,
    Id,
    ClaimId,
    Kind,
    PartId,
    Description,
    Quantity,
    RequestedMinor,
    ApprovedMinor,
    Decision,
    ReasonCode,
}

#[derive(DeriveIden, Clone, Copy)]
enum ClaimChecks {
    Table,
    Id,
    ClaimId,
    Check,
    Result,
    Explanation,
    RunAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ClaimComments {
    Table,
    Id,
    ClaimId,
    AuthorId,
    Body,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Attachments {
    Table,
    Id,
    ClaimId,
    Name,
    ContentType,
    Size,
    Sha256,
    UploadedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PartReturns {
    Table,
    Id,
    ClaimId,
    PartId,
    Serial,
    Status,
    Tracking,
    Note,
    RequestedBy,
    CreatedAt,
    UpdatedAt,
}
