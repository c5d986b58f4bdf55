//! A decided or paid claim keeps how long that took, in tenths of a day from
//! its first submission, so the cycle-time report counts integers from an
//! index instead of computing two date differences per claim on every read.
//! The reporting index carries them in place of the decision and payment
//! times it held for that computation.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The reporting index's leading columns (migration 9); its last two were
/// the decision and payment times, and become their tenths.
const LEADING: [Claims; 9] = [
    Claims::OemId,
    Claims::SubmittedAt,
    Claims::Status,
    Claims::ReportingCurrency,
    Claims::ReportingRequestedMinor,
    Claims::ReportingApprovedMinor,
    Claims::ModelId,
    Claims::CausalPartId,
    Claims::DealerId,
];

/// Migration 9's reporting index, and this one's. A new name, not the old
/// one dropped and made again: on SQLite another of the pool's connections
/// may still hold the schema in which the old name exists.
const BEFORE: &str = "idx_claims_oem_report";
const AFTER: &str = "idx_claims_oem_reporting";

async fn drop_report_index(manager: &SchemaManager<'_>, name: &str) -> Result<(), DbErr> {
    manager.drop_index(Index::drop().name(name).table(Claims::Table).to_owned()).await
}

async fn create_report_index(manager: &SchemaManager<'_>, name: &str, last: [Claims; 2]) -> Result<(), DbErr> {
    let mut covering = Index::create();
    covering.name(name).table(Claims::Table);
    for column in LEADING.into_iter().chain(last) {
        covering.col(column);
    }
    manager.create_index(covering.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Schema first, data last: the fill's statement is the last thing
        // this migration's connection does.
        drop_report_index(manager, BEFORE).await?;
        for column in [Claims::DecisionTenths, Claims::PaymentTenths] {
            manager
                .alter_table(Table::alter().table(Claims::Table).add_column(big_integer_null(column)).to_owned())
                .await?;
        }
        create_report_index(manager, AFTER, [Claims::DecisionTenths, Claims::PaymentTenths]).await?;
        fill_cycle_days(manager.get_connection()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_report_index(manager, AFTER).await?;
        create_report_index(manager, BEFORE, [Claims::DecidedAt, Claims::PaidAt]).await?;
        for column in [Claims::DecisionTenths, Claims::PaymentTenths] {
            manager.alter_table(Table::alter().table(Claims::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

/// Fills the tenths of claims decided or paid without them (rows written in
/// bulk, and every claim when this migration runs), rounded half away from
/// zero as the services round them.
///
/// # Errors
/// When the database fails.
pub async fn fill_cycle_days<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let tenths = |to: &str| match db.get_database_backend() {
        DbBackend::Postgres => format!("ROUND(EXTRACT(EPOCH FROM ({to} - submitted_at)) / 8640.0)::bigint"),
        _ => format!("CAST(ROUND((julianday({to}) - julianday(submitted_at)) * 10) AS INTEGER)"),
    };
    for (column, at) in [("decision_tenths", "decided_at"), ("payment_tenths", "paid_at")] {
        db.execute_unprepared(&format!(
            "UPDATE claims SET {column} = {} WHERE {column} IS NULL AND {at} IS NOT NULL AND submitted_at IS NOT NULL",
            tenths(at)
        ))
        .await?;
    }
    Ok(())
}

#[derive(DeriveIden, Clone, Copy)]
enum Claims {
    Table,
    OemId,
    DealerId,
    SubmittedAt,
    ModelId,
    CausalPartId,
    DecidedAt,
    PaidAt,
    Status,
    ReportingCurrency,
    ReportingRequestedMinor,
    ReportingApprovedMinor,
    DecisionTenths,
    PaymentTenths,
}
