//! The OEM's numbers (DESIGN §9–10): a reporting currency per OEM, the
//! ECB's exchange rates, the reporting amounts and rate frozen on a claim at
//! submission, a claim's months in service, and early-warning alerts.
//!
//! SQLite adds one column per `ALTER TABLE`, hence one statement per column.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Oems::Table)
                    .add_column(string_len(Oems::ReportingCurrency, 3).default("EUR"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ExchangeRates::Table)
                    .col(big_pk_auto(ExchangeRates::Id))
                    .col(string_len(ExchangeRates::Currency, 3))
                    .col(date(ExchangeRates::OnDate))
                    // Exact decimal text ("389.78"): the same on SQLite and PostgreSQL.
                    .col(string_len(ExchangeRates::PerEur, 32))
                    .col(string_len(ExchangeRates::Source, 10))
                    .col(timestamp_with_time_zone(ExchangeRates::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_exchange_rates_currency_date")
                    .table(ExchangeRates::Table)
                    .col(ExchangeRates::Currency)
                    .col(ExchangeRates::OnDate)
                    .unique()
                    .to_owned(),
            )
            .await?;
        for column in [
            integer_null(Claims::Mis),
            big_integer_null(Claims::ModelId),
            string_len_null(Claims::ReportingCurrency, 3),
            big_integer_null(Claims::ReportingRequestedMinor),
            big_integer_null(Claims::ReportingApprovedMinor),
            date_null(Claims::RateDate),
            string_len_null(Claims::ClaimPerEur, 32),
            string_len_null(Claims::ReportingPerEur, 32),
            string_len_null(Claims::RateSource, 16),
        ] {
            let mut column = column;
            manager.alter_table(Table::alter().table(Claims::Table).add_column(&mut column).to_owned()).await?;
        }
        backfill(manager).await?;
        // Reports read an OEM's claims submitted in a period: every column
        // they group or sum by is in the index, so they never read the table.
        let mut covering = Index::create();
        covering.name("idx_claims_oem_report").table(Claims::Table);
        for column in [
            Claims::OemId,
            Claims::SubmittedAt,
            Claims::Status,
            Claims::ReportingCurrency,
            Claims::ReportingRequestedMinor,
            Claims::ReportingApprovedMinor,
            Claims::ModelId,
            Claims::CausalPartId,
            Claims::DealerId,
            Claims::DecidedAt,
            Claims::PaidAt,
        ] {
            covering.col(column);
        }
        manager.create_index(covering.to_owned()).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_claims_dealer_submitted")
                    .table(Claims::Table)
                    .col(Claims::DealerId)
                    .col(Claims::SubmittedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_claims_oem_mis")
                    .table(Claims::Table)
                    .col(Claims::OemId)
                    .col(Claims::Mis)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_vehicles_oem_in_service")
                    .table(Vehicles::Table)
                    .col(Vehicles::OemId)
                    .col(Vehicles::InServiceDate)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alerts::Table)
                    .col(big_pk_auto(Alerts::Id))
                    .col(big_integer(Alerts::OemId))
                    .col(big_integer(Alerts::PartId))
                    .col(string_len(Alerts::CohortFrom, 7))
                    .col(string_len(Alerts::CohortTo, 7))
                    .col(big_integer(Alerts::Vehicles))
                    .col(big_integer(Alerts::Claims))
                    .col(double(Alerts::Expected))
                    .col(double(Alerts::BaselinePer1000))
                    .col(double(Alerts::PValue))
                    .col(string_len(Alerts::Explanation, 500))
                    .col(string_len(Alerts::Status, 16))
                    .col(timestamp_with_time_zone(Alerts::RaisedAt))
                    .col(big_integer_null(Alerts::AcknowledgedBy))
                    .col(timestamp_with_time_zone_null(Alerts::AcknowledgedAt))
                    .col(string_len_null(Alerts::AckComment, 2000))
                    .foreign_key(ForeignKey::create().from(Alerts::Table, Alerts::OemId).to(Oems::Table, Oems::Id))
                    .foreign_key(ForeignKey::create().from(Alerts::Table, Alerts::PartId).to(Parts::Table, Parts::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_alerts_oem_part_cohort")
                    .table(Alerts::Table)
                    .col(Alerts::OemId)
                    .col(Alerts::PartId)
                    .col(Alerts::CohortTo)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Alerts::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name("idx_vehicles_oem_in_service").table(Vehicles::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name("idx_claims_oem_mis").table(Claims::Table).to_owned()).await?;
        for name in ["idx_claims_oem_report", "idx_claims_dealer_submitted"] {
            manager.drop_index(Index::drop().name(name).table(Claims::Table).to_owned()).await?;
        }
        for column in [
            Claims::Mis,
            Claims::ModelId,
            Claims::ReportingCurrency,
            Claims::ReportingRequestedMinor,
            Claims::ReportingApprovedMinor,
            Claims::RateDate,
            Claims::ClaimPerEur,
            Claims::ReportingPerEur,
            Claims::RateSource,
        ] {
            manager.alter_table(Table::alter().table(Claims::Table).drop_column(column).to_owned()).await?;
        }
        manager.drop_table(Table::drop().table(ExchangeRates::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Oems::Table).drop_column(Oems::ReportingCurrency).to_owned()).await
    }
}

/// Existing claims get their vehicle's model and their months in service
/// (DESIGN §10: e(d) = 12·Δyear + Δmonth, minus 1 when day(d) < day(in
/// service); MIS = e(repair date) + 1 — the rule `app::model::field::mis`
/// keeps, restated here because migrations cannot depend on the app).
async fn backfill(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use chrono::Datelike;
    use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
    let db = manager.get_connection();
    let backend = db.get_database_backend();
    db.execute_unprepared(
        "UPDATE claims SET model_id = (SELECT vehicles.model_id FROM vehicles WHERE vehicles.id = claims.vehicle_id)",
    )
    .await?;
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT claims.id AS id, vehicles.in_service_date AS in_service, repair_orders.opened_on AS opened \
             FROM claims JOIN vehicles ON vehicles.id = claims.vehicle_id \
             JOIN repair_orders ON repair_orders.id = claims.repair_id",
        ))
        .await?;
    for row in rows {
        let id: i64 = row.try_get("", "id")?;
        let in_service: chrono::NaiveDate = row.try_get("", "in_service")?;
        let opened: chrono::NaiveDate = row.try_get("", "opened")?;
        let elapsed = 12 * (opened.year() - in_service.year()) + opened.month() as i32
            - in_service.month() as i32
            - i32::from(opened.day() < in_service.day());
        let update = Query::update()
            .table(Claims::Table)
            .value(Claims::Mis, elapsed + 1)
            .and_where(Expr::col(Claims::Id).eq(id))
            .to_owned();
        db.execute(&update).await?;
    }
    Ok(())
}

#[derive(DeriveIden, Clone, Copy)]
enum Oems {
    Table,
    Id,
    ReportingCurrency,
}

#[derive(DeriveIden, Clone, Copy)]
enum Parts {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Vehicles {
    Table,
    OemId,
    InServiceDate,
}

#[derive(DeriveIden, Clone, Copy)]
enum ExchangeRates {
    Table,
    Id,
    Currency,
    OnDate,
    PerEur,
    Source,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Claims {
    Table,
    Id,
    OemId,
    DealerId,
    SubmittedAt,
    ModelId,
    CausalPartId,
    DecidedAt,
    PaidAt,
    Status,
    Mis,
    ReportingCurrency,
    ReportingRequestedMinor,
    ReportingApprovedMinor,
    RateDate,
    ClaimPerEur,
    ReportingPerEur,
    RateSource,
}

#[derive(DeriveIden, Clone, Copy)]
enum Alerts {
    Table,
    Id,
    OemId,
    PartId,
    CohortFrom,
    CohortTo,
    Vehicles,
    Claims,
    Expected,
    #[sea_orm(iden = "baseline_per_1000")]
    BaselinePer1000,
    PValue,
    Explanation,
    Status,
    RaisedAt,
    AcknowledgedBy,
    AcknowledgedAt,
    AckComment,
}
