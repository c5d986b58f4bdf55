//! Exchange-rate rules (DESIGN §9): reading the ECB's files, picking the
//! rate of a repair date, and converting through the euro. No database here,
//! so every rule is tested on its own.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::{Days, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::model::error::LineError;

/// How many days before a repair date its rate may come from: the ECB
/// quotes working days only, and a weekend next to the TARGET holidays
/// (Good Friday to Easter Monday) is the longest gap.
pub const LOOKBACK_DAYS: i64 = 7;

/// Most decimals a rate may have. The ECB publishes at most 4; room is left
/// for manual rates of currencies it does not quote.
const MAX_DECIMALS: usize = 10;

/// Most digits before the decimal point: rates stay below 10⁹ units per
/// euro, which no currency in use comes near.
const MAX_WHOLE_DIGITS: usize = 9;

const RATE_SHAPE: &str = "must be a positive decimal number of units per euro, like 389.78";

/// One quote: units of `currency` per 1 EUR on `on_date`.
#[derive(Debug, Clone, PartialEq)]
pub struct RateRow {
    pub currency: String,
    pub on_date: NaiveDate,
    pub per_eur: Decimal,
}

/// Reads either ECB file: `eurofxref-hist.csv` (`Date,USD,…,ZAR,`, ISO
/// dates, `N/A` for no quote) or the daily `eurofxref.csv` (`Date, USD, …`
/// with dates like `30 October 2026`). Columns are found by header name, so
/// the currencies the ECB added or dropped over the years need no special
/// case. All or nothing: every bad line is reported, not just the first.
///
/// A date given twice is refused rather than one row silently winning: the
/// file would be ambiguous, and a single upsert cannot write a row twice.
///
/// # Errors
/// Every bad line, 1-based with the header as line 1, named by column
/// (`Date` or the currency code). A bad header is reported alone, since the
/// rows cannot be read without it.
pub fn parse_ecb(text: &str, today: NaiveDate) -> Result<Vec<RateRow>, Vec<LineError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = (1u64..).zip(text.lines()).filter(|(_, line)| !line.trim().is_empty());
    let Some((header_line, header_text)) = lines.next() else {
        return Err(vec![not_ecb(1)]);
    };
    let currencies = header(header_text, header_line)?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<NaiveDate, u64> = HashMap::new();
    for (line, text) in lines {
        let parsed = row(text, line, &currencies, today);
        errors.extend(parsed.errors);
        let Some(date) = parsed.date else { continue };
        match seen.entry(date) {
            Entry::Occupied(first) => {
                errors.push(line_error(
                    line,
                    "Date",
                    format!("repeats the date of line {}: give each date once", first.get()),
                ));
            }
            Entry::Vacant(slot) => {
                slot.insert(line);
                rows.extend(parsed.rates);
            }
        }
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// The cells of a line, trimmed: the daily file separates with `, `.
fn cells(text: &str) -> Vec<&str> {
    text.split(',').map(str::trim).collect()
}

fn line_error(line: u64, field: &str, message: impl Into<String>) -> LineError {
    LineError { line, field: field.to_string(), message: message.into() }
}

fn not_ecb(line: u64) -> LineError {
    line_error(
        line,
        "Date",
        "is not an ECB rates file: the first column must be Date (upload eurofxref-hist.csv or eurofxref.csv as downloaded)",
    )
}

/// The currency codes of the header, in column order.
fn header(text: &str, line: u64) -> Result<Vec<&str>, Vec<LineError>> {
    let mut names = cells(text);
    // The ECB ends every line with a comma: an empty last column.
    while names.len() > 1 && names.last().is_some_and(|n| n.is_empty()) {
        names.pop();
    }
    if names.first() != Some(&"Date") {
        return Err(vec![not_ecb(line)]);
    }
    let currencies: Vec<&str> = names.into_iter().skip(1).collect();
    let errors: Vec<LineError> = currencies
        .iter()
        .enumerate()
        .filter_map(|(i, code)| currency_column(code, &currencies[..i]).err().map(|m| (i, code, m)))
        .map(|(i, code, message)| {
            let field = if code.is_empty() { format!("column {}", i + 2) } else { (*code).to_string() };
            LineError { line, field, message }
        })
        .collect();
    if errors.is_empty() { Ok(currencies) } else { Err(errors) }
}

/// A currency column's name: three capital letters, not the euro (every rate
/// is per euro), and not repeated.
fn currency_column(code: &str, before: &[&str]) -> Result<(), String> {
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err("is not a currency code: every column after Date is three capital letters, like USD".into());
    }
    if code == "EUR" {
        return Err("is the euro: every rate is units per euro".into());
    }
    if before.contains(&code) {
        return Err("appears twice in the header".into());
    }
    Ok(())
}

/// What one data line gave: its date when readable, its quotes, its faults.
struct Row {
    date: Option<NaiveDate>,
    rates: Vec<RateRow>,
    errors: Vec<LineError>,
}

/// A line gives one value per header currency (empty or `N/A` for none):
/// a short line is as suspect as a long one, so both are refused.
fn row(text: &str, line: u64, currencies: &[&str], today: NaiveDate) -> Row {
    let mut values = cells(text);
    while values.len() > currencies.len() + 1 && values.last().is_some_and(|v| v.is_empty()) {
        values.pop();
    }
    let mut errors = Vec::new();
    let date = match rate_date(values.first().copied().unwrap_or_default(), today) {
        Ok(date) => Some(date),
        Err(message) => {
            errors.push(line_error(line, "Date", message));
            None
        }
    };
    let given = values.len().saturating_sub(1);
    if given != currencies.len() {
        let message =
            format!("has {given} values after the date, but the header has {} currency columns", currencies.len());
        errors.push(line_error(line, "Date", message));
        return Row { date: None, rates: Vec::new(), errors };
    }
    let mut quotes = Vec::new();
    for (currency, raw) in currencies.iter().zip(values.iter().skip(1)) {
        if raw.is_empty() || raw.eq_ignore_ascii_case("N/A") {
            continue;
        }
        match parse_per_eur(raw) {
            Ok(per_eur) => quotes.push((*currency, per_eur)),
            Err(message) => errors.push(line_error(line, currency, message)),
        }
    }
    let Some(on_date) = date.filter(|_| errors.is_empty()) else {
        return Row { date: None, rates: Vec::new(), errors };
    };
    let rates = quotes
        .into_iter()
        .map(|(currency, per_eur)| RateRow { currency: currency.to_string(), on_date, per_eur })
        .collect();
    Row { date: Some(on_date), rates, errors }
}

/// A rate's date in either file's form; a quote from the future cannot
/// have been published.
fn rate_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d %B %Y"))
        .map_err(|_| "must be a date like 2026-10-30 or 30 October 2026".to_string())?;
    if date > today {
        return Err("is in the future".into());
    }
    Ok(date)
}

/// A rate as typed or published: digits with an optional dot and at most
/// ten decimals, positive, below 10⁹. Trailing zeros are dropped so
/// `10.9780` and `10.978` store and compare the same.
///
/// # Errors
/// A sentence for the field when the text is not such a rate.
pub fn parse_per_eur(raw: &str) -> Result<Decimal, String> {
    let raw = raw.trim();
    let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (raw.contains('.') && !digits(fraction)) {
        return Err(RATE_SHAPE.into());
    }
    if fraction.len() > MAX_DECIMALS {
        return Err(format!("must have at most {MAX_DECIMALS} decimals, like 389.78"));
    }
    let whole = match whole.trim_start_matches('0') {
        "" => "0",
        significant => significant,
    };
    if whole.len() > MAX_WHOLE_DIGITS {
        return Err("must be less than 1,000,000,000 units per euro".into());
    }
    // Leading zeros gone, at most 20 digits are left: exact in a Decimal.
    // The appended 0 makes `136` read as `136.0`.
    let rate: Decimal = format!("{whole}.{fraction}0").parse().map_err(|_| RATE_SHAPE.to_string())?;
    if rate.is_zero() {
        return Err(RATE_SHAPE.into());
    }
    Ok(rate.normalize())
}

/// The currency's ISO 4217 minor units (JPY 0, EUR 2, BHD 3); 2 for a code
/// the standard gives none, as most currencies have.
pub fn exponent(currency: &str) -> u32 {
    iso_currency::Currency::from_code(currency).and_then(|c| c.exponent()).map_or(2, u32::from)
}

/// The first date whose rate may serve `repair_date`: the lower bound of
/// the query that fetches the candidates for [`rate_on`].
pub fn lookback_start(repair_date: NaiveDate) -> NaiveDate {
    repair_date.checked_sub_days(Days::new(LOOKBACK_DAYS.unsigned_abs())).unwrap_or(NaiveDate::MIN)
}

/// The rate of a repair date: the latest quote on or before it, at most
/// [`LOOKBACK_DAYS`] earlier. `None` leaves the claim unconverted rather
/// than guessing from an old rate. The quotes may come in any order.
pub fn rate_on(rates: &[(NaiveDate, Decimal)], repair_date: NaiveDate) -> Option<(NaiveDate, Decimal)> {
    let earliest = lookback_start(repair_date);
    rates.iter().filter(|(day, _)| (earliest..=repair_date).contains(day)).max_by_key(|(day, _)| *day).copied()
}

/// `minor` units of `from` in minor units of `to`, through the euro:
/// EUR = amount ÷ `from_per_eur`, then × `to_per_eur` unrounded, and rounded
/// once, half away from zero, to `to`'s minor units. Rounding the euro
/// amount first would move the result by a few minor units. Pass 1 as the
/// euro's rate. The same currency comes back unchanged, whatever the rates.
///
/// `None` on a rate that is not positive or an amount out of range.
pub fn convert(minor: i64, from: &str, from_per_eur: Decimal, to: &str, to_per_eur: Decimal) -> Option<i64> {
    if from == to {
        return Some(minor);
    }
    if from_per_eur <= Decimal::ZERO || to_per_eur <= Decimal::ZERO {
        return None;
    }
    let amount = Decimal::try_new(minor, exponent(from)).ok()?;
    let target = amount.checked_div(from_per_eur)?.checked_mul(to_per_eur)?;
    let places = exponent(to);
    let rounded = target.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    rounded.checked_mul(Decimal::from(10u64.checked_pow(places)?))?.to_i64()
}

#[cfg(test)]
mod tests;
