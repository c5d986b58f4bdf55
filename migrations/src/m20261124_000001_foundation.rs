//! Identity, the network's organisations and the ledger: the tables every
//! later feature builds on.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The hash that precedes the first ledger entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Oems::Table)
                    .col(big_pk_auto(Oems::Id))
                    .col(string_len_uniq(Oems::Code, 20))
                    .col(string_len(Oems::Name, 120))
                    .col(string_len(Oems::Country, 2))
                    .col(timestamp_with_time_zone(Oems::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Dealers::Table)
                    .col(big_pk_auto(Dealers::Id))
                    .col(string_len_uniq(Dealers::Code, 20))
                    .col(string_len(Dealers::Name, 120))
                    .col(string_len(Dealers::Country, 2))
                    .col(string_len(Dealers::City, 120))
                    .col(string_len(Dealers::TimeZone, 64))
                    .col(string_len(Dealers::Currency, 3))
                    .col(big_integer(Dealers::LaborRateMinor))
                    .col(boolean(Dealers::Active).default(true))
                    .col(timestamp_with_time_zone(Dealers::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(string_len_uniq(Users::Email, 254))
                    .col(string_len(Users::DisplayName, 100))
                    .col(string_len(Users::PasswordHash, 200))
                    .col(string_len(Users::Role, 20))
                    .col(big_integer_null(Users::DealerId))
                    .col(big_integer_null(Users::OemId))
                    .col(string_len(Users::Locale, 8))
                    .col(string_len(Users::TimeZone, 64))
                    .col(boolean(Users::Active).default(true))
                    .col(timestamp_with_time_zone_null(Users::LockedUntil))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create().from(Users::Table, Users::DealerId).to(Dealers::Table, Dealers::Id),
                    )
                    .foreign_key(ForeignKey::create().from(Users::Table, Users::OemId).to(Oems::Table, Oems::Id))
                    .to_owned(),
            )
            .await?;
        index(manager, Users::Table, "idx_users_role", &[Users::Role]).await?;
        index(manager, Users::Table, "idx_users_dealer", &[Users::DealerId]).await?;
        index(manager, Users::Table, "idx_users_oem", &[Users::OemId]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(big_pk_auto(Sessions::Id))
                    .col(string_len_uniq(Sessions::TokenHash, 64))
                    .col(big_integer(Sessions::UserId))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, Sessions::Table, "idx_sessions_user", &[Sessions::UserId]).await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(big_pk_auto(ApiTokens::Id))
                    .col(big_integer(ApiTokens::UserId))
                    .col(string_len(ApiTokens::Name, 100))
                    .col(string_len_uniq(ApiTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone(ApiTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiTokens::Table, ApiTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, ApiTokens::Table, "idx_api_tokens_user", &[ApiTokens::UserId]).await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .col(big_pk_auto(LoginFailures::Id))
                    .col(string_len(LoginFailures::Email, 254))
                    .col(timestamp_with_time_zone(LoginFailures::At))
                    .to_owned(),
            )
            .await?;
        index(manager, LoginFailures::Table, "idx_login_failures_email_at", &[LoginFailures::Email, LoginFailures::At])
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LedgerEntries::Table)
                    .col(big_integer(LedgerEntries::Seq).primary_key())
                    .col(timestamp_with_time_zone(LedgerEntries::At))
                    .col(big_integer_null(LedgerEntries::ActorId))
                    .col(big_integer_null(LedgerEntries::DealerId))
                    .col(big_integer_null(LedgerEntries::OemId))
                    .col(string_len(LedgerEntries::Entity, 40))
                    .col(big_integer(LedgerEntries::EntityId))
                    .col(string_len(LedgerEntries::Action, 80))
                    .col(text(LedgerEntries::Data))
                    .col(string_len(LedgerEntries::PrevHash, 64))
                    .col(string_len(LedgerEntries::Hash, 64))
                    .to_owned(),
            )
            .await?;
        index(manager, LedgerEntries::Table, "idx_ledger_entity", &[LedgerEntries::Entity, LedgerEntries::EntityId])
            .await?;
        index(manager, LedgerEntries::Table, "idx_ledger_dealer", &[LedgerEntries::DealerId]).await?;
        index(manager, LedgerEntries::Table, "idx_ledger_oem", &[LedgerEntries::OemId]).await?;
        index(manager, LedgerEntries::Table, "idx_ledger_actor", &[LedgerEntries::ActorId]).await?;

        // One row: the chain head. Writers lock it first, which serializes
        // appends on PostgreSQL and takes SQLite's write lock up front.
        manager
            .create_table(
                Table::create()
                    .table(LedgerHead::Table)
                    .col(integer(LedgerHead::Id).primary_key())
                    .col(big_integer(LedgerHead::Seq))
                    .col(string_len(LedgerHead::Hash, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(LedgerHead::Table)
                    .columns([LedgerHead::Id, LedgerHead::Seq, LedgerHead::Hash])
                    .values_panic([1.into(), 0i64.into(), GENESIS_HASH.into()])
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

async fn index<T: Iden + Copy + 'static, C: Iden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    table: T,
    name: &str,
    columns: &[C],
) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for column in columns {
        stmt.col(*column);
    }
    manager.create_index(stmt.to_owned()).await
}

#[derive(DeriveIden, Clone, Copy)]
enum Oems {
    Table,
    Id,
    Code,
    Name,
    Country,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Dealers {
    Table,
    Id,
    Code,
    Name,
    Country,
    City,
    TimeZone,
    Currency,
    LaborRateMinor,
    Active,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    Role,
    DealerId,
    OemId,
    Locale,
    TimeZone,
    Active,
    LockedUntil,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
    LastSeenAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum LoginFailures {
    Table,
    Id,
    Email,
    At,
}

#[derive(DeriveIden, Clone, Copy)]
enum LedgerEntries {
    Table,
    Seq,
    At,
    ActorId,
    DealerId,
    OemId,
    Entity,
    EntityId,
    Action,
    Data,
    PrevHash,
    Hash,
}

#[derive(DeriveIden, Clone, Copy)]
enum LedgerHead {
    Table,
    Id,
    Seq,
    Hash,
}
