//! Exchange rates (DESIGN §9): the ECB's files and manual rates, listed,
//! imported, and looked up for a claim's repair date.

pub mod freeze;
pub mod rules;

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use super::auth::Actor;
use super::entities::exchange_rate;
use super::ledger::{Change, LedgerTx};
use super::pagination;
use crate::model::limits::IMPORT_MAX_ROWS;
use crate::model::reporting::{NewRate, RateDto, RateFilter, RateImportDto};
use crate::model::user::Page;
use crate::model::{AppError, FieldErrors, Role, network};

pub use rules::RateRow;

/// Rates newest first, by currency and period. Rates are public reference
/// data: every signed-in role reads them.
///
/// # Errors
/// `Validation` on a bad currency, limit or cursor.
pub async fn list(db: &DatabaseConnection, _actor: &Actor, filter: &RateFilter) -> Result<Page<RateDto>, AppError> {
    let limit = pagination::limit(filter.limit)?;
    let mut query = exchange_rate::Entity::find();
    if let Some(currency) = filter.currency.as_deref().filter(|c| !c.trim().is_empty()) {
        let currency = network::currency(currency).map_err(|m| AppError::field("currency", m))?;
        query = query.filter(exchange_rate::Column::Currency.eq(currency));
    }
    if let Some(from) = filter.from {
        query = query.filter(exchange_rate::Column::OnDate.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(exchange_rate::Column::OnDate.lte(to));
    }
    if let Some(cursor) = &filter.cursor {
        query = query.filter(exchange_rate::Column::Id.lt(pagination::decode_cursor(cursor)?));
    }
    // Ids grow with each import, and the newest dates come first in the
    // ECB's files; ordering by id keeps the cursor simple and stable.
    let rows = query
        .order_by_desc(exchange_rate::Column::OnDate)
        .order_by_desc(exchange_rate::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    Ok(pagination::page(rows, limit, |r| r.id, dto))
}

fn dto(row: exchange_rate::Model) -> RateDto {
    RateDto { currency: row.currency, on_date: row.on_date, per_eur: row.per_eur, source: row.source }
}

/// An admin enters a rate the ECB does not publish (EGP, say), or
/// corrects one.
///
/// # Errors
/// `Forbidden`; `Validation` per field (a future date, a bad decimal).
pub async fn set_manual(db: &DatabaseConnection, actor: &Actor, input: NewRate) -> Result<RateDto, AppError> {
    actor.require(Role::Admin)?;
    let mut errors = FieldErrors::new();
    let currency = errors.check("currency", network::currency(&input.currency));
    if currency.as_deref() == Some("EUR") {
        errors.add("currency", "is the euro: every rate is units per euro");
    }
    let per_eur = errors.check("per_eur", rules::parse_per_eur(&input.per_eur));
    if input.on_date > Utc::now().date_naive() {
        errors.add("on_date", "is in the future");
    }
    errors.finish()?;
    let (Some(currency), Some(per_eur)) = (currency, per_eur) else {
        return Err(anyhow::anyhow!("validated fields went missing").into());
    };
    let row = RateRow { currency, on_date: input.on_date, per_eur };
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    upsert(&*tx, std::slice::from_ref(&row), "manual").await?;
    tx.record(Change::new(
        "exchange_rate",
        0,
        "exchange_rate.set",
        json!({"currency": row.currency, "on_date": row.on_date, "per_eur": row.per_eur.to_string(), "source": "manual"}),
    ));
    let converted = freeze::convert_waiting(&*tx).await?;
    if converted > 0 {
        tracing::info!(converted, "claims converted with the new rate");
    }
    tx.commit().await?;
    Ok(RateDto {
        currency: row.currency,
        on_date: row.on_date,
        per_eur: row.per_eur.to_string(),
        source: "manual".into(),
    })
}

/// An admin imports an ECB file (`eurofxref-hist.csv` or `eurofxref.csv`):
/// all or nothing, bad rows named by line and column.
///
/// # Errors
/// `Forbidden`; `InvalidFile` with the bad rows.
pub async fn import(db: &DatabaseConnection, actor: &Actor, bytes: Vec<u8>) -> Result<RateImportDto, AppError> {
    actor.require(Role::Admin)?;
    import_unchecked(db, Some(actor.user_id), bytes).await
}

/// [`import`] without an acting user (the CLI and the demo seed).
///
/// # Errors
/// `InvalidFile` with the bad rows.
pub async fn import_unchecked(
    db: &DatabaseConnection,
    actor_id: Option<i64>,
    bytes: Vec<u8>,
) -> Result<RateImportDto, AppError> {
    let today = Utc::now().date_naive();
    let rows = tokio::task::spawn_blocking(move || parse(&bytes, today))
        .await
        .map_err(|e| anyhow::anyhow!("the rates parser stopped: {e}"))??;

    let mut tx = LedgerTx::begin(db, actor_id).await?;
    let known = existing(&*tx, &rows).await?;
    let mut report = RateImportDto::default();
    let mut changed = Vec::new();
    for row in &rows {
        match known.get(&(row.currency.clone(), row.on_date)) {
            Some((per_eur, source)) if *per_eur == row.per_eur && source == "ecb" => report.unchanged += 1,
            found => {
                if found.is_some() {
                    report.updated += 1;
                } else {
                    report.created += 1;
                }
                changed.push(row.clone());
            }
        }
    }
    for chunk in changed.chunks(1000) {
        upsert(&*tx, chunk, "ecb").await?;
    }
    let (first, last) = (rows.iter().map(|r| r.on_date).min(), rows.iter().map(|r| r.on_date).max());
    let mut currencies: Vec<&str> = rows.iter().map(|r| r.currency.as_str()).collect();
    currencies.sort_unstable();
    currencies.dedup();
    report.claims_converted = freeze::convert_waiting(&*tx).await?;
    tx.record(Change::new(
        "exchange_rate",
        0,
        "exchange_rates.imported",
        json!({"created": report.created, "updated": report.updated, "unchanged": report.unchanged,
            "from": first, "to": last, "currencies": currencies, "claims_converted": report.claims_converted}),
    ));
    tx.commit().await?;
    Ok(report)
}

/// Carries each currency's latest rate forward to `until`, one `manual`
/// rate per working day after it (the demo, whose file ends before today).
/// Answers how many rates were written.
///
/// # Errors
/// When the database is unavailable.
pub async fn carry_forward_unchecked(
    db: &DatabaseConnection,
    actor_id: Option<i64>,
    until: NaiveDate,
) -> Result<u64, AppError> {
    use chrono::{Datelike, Weekday};
    let mut latest: HashMap<String, (NaiveDate, Decimal)> = HashMap::new();
    for row in exchange_rate::Entity::find().order_by_asc(exchange_rate::Column::OnDate).all(db).await? {
        if let Ok(rate) = row.per_eur.parse::<Decimal>() {
            latest.insert(row.currency, (row.on_date, rate));
        }
    }
    let mut rows = Vec::new();
    for (currency, (last, rate)) in &latest {
        let mut day = *last + chrono::Duration::days(1);
        while day <= until {
            if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                rows.push(RateRow { currency: currency.clone(), on_date: day, per_eur: *rate });
            }
            day += chrono::Duration::days(1);
        }
    }
    if rows.is_empty() {
        return Ok(0);
    }
    let mut tx = LedgerTx::begin(db, actor_id).await?;
    for chunk in rows.chunks(1000) {
        upsert(&*tx, chunk, "manual").await?;
    }
    let mut currencies: Vec<&String> = latest.keys().collect();
    currencies.sort_unstable();
    tx.record(Change::new(
        "exchange_rate",
        0,
        "exchange_rates.carried_forward",
        json!({"currencies": currencies, "until": until, "rates": rows.len()}),
    ));
    tx.commit().await?;
    Ok(rows.len() as u64)
}

fn parse(bytes: &[u8], today: NaiveDate) -> Result<Vec<RateRow>, AppError> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        AppError::invalid_file(vec![crate::model::error::LineError {
            line: 1,
            field: "file".into(),
            message: "is not UTF-8 text: upload the ECB's CSV file as it was downloaded".into(),
        }])
    })?;
    if let Some(line) = text.lines().nth(IMPORT_MAX_ROWS + 1).map(|_| IMPORT_MAX_ROWS as u64 + 2) {
        return Err(AppError::too_many_rows(line));
    }
    let rows = rules::parse_ecb(text, today).map_err(AppError::invalid_file)?;
    if rows.is_empty() {
        return Err(AppError::invalid_file(vec![crate::model::error::LineError {
            line: 2,
            field: "Date".into(),
            message: "the file has no rates".into(),
        }]));
    }
    Ok(rows)
}

/// The stored rates of the file's currencies over its period.
async fn existing(
    db: &impl ConnectionTrait,
    rows: &[RateRow],
) -> Result<HashMap<(String, NaiveDate), (Decimal, String)>, AppError> {
    let (Some(first), Some(last)) = (rows.iter().map(|r| r.on_date).min(), rows.iter().map(|r| r.on_date).max()) else {
        return Ok(HashMap::new());
    };
    let stored =
        exchange_rate::Entity::find().filter(exchange_rate::Column::OnDate.between(first, last)).all(db).await?;
    Ok(stored
        .into_iter()
        .filter_map(|r| Some(((r.currency, r.on_date), (r.per_eur.parse::<Decimal>().ok()?.normalize(), r.source))))
        .collect())
}

/// Inserts or replaces rates by (currency, date).
async fn upsert(db: &impl ConnectionTrait, rows: &[RateRow], source: &str) -> Result<(), AppError> {
    if rows.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let models = rows.iter().map(|r| exchange_rate::ActiveModel {
        currency: Set(r.currency.clone()),
        on_date: Set(r.on_date),
        per_eur: Set(r.per_eur.normalize().to_string()),
        source: Set(source.to_string()),
        updated_at: Set(now),
        ..Default::default()
    });
    exchange_rate::Entity::insert_many(models)
        .on_conflict(
            OnConflict::columns([exchange_rate::Column::Currency, exchange_rate::Column::OnDate])
                .update_columns([
                    exchange_rate::Column::PerEur,
                    exchange_rate::Column::Source,
                    exchange_rate::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A currency's rates from `from` to `to`, newest first, with their source.
pub(crate) async fn window(
    db: &impl ConnectionTrait,
    currency: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, Decimal, String)>, AppError> {
    let rows = exchange_rate::Entity::find()
        .filter(exchange_rate::Column::Currency.eq(currency))
        .filter(exchange_rate::Column::OnDate.between(from, to))
        .order_by_desc(exchange_rate::Column::OnDate)
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|r| Some((r.on_date, r.per_eur.parse::<Decimal>().ok()?, r.source))).collect())
}
