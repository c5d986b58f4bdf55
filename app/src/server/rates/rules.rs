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
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap_or(Decimal::MIN)
    }

    const TODAY: &str = "2026-11-02";

    /// The daily file as published (a few of its columns).
    const DAILY: &str = "Date, USD, JPY, HUF, NOK, THB, ZAR, \n\
        30 October 2026, 1.1172, 175.68, 366.33, 10.3120, 37.683, 18.6455, \n";

    /// The history file as published (a few of its columns).
    const HISTORY: &str = "\u{feff}Date,USD,JPY,BGN,CYP,HUF,THB,\n\
        2026-10-30,1.1172,175.68,N/A,N/A,366.33,37.683,\n\
        2026-10-29,1.113,175.92,N/A,N/A,365.95,37.569,\n";

    fn quote(rows: &[RateRow], currency: &str, on: &str) -> Option<Decimal> {
        rows.iter().find(|r| r.currency == currency && r.on_date == date(on)).map(|r| r.per_eur)
    }

    fn errors_of(text: &str) -> Vec<(u64, String)> {
        parse_ecb(text, date(TODAY)).err().unwrap_or_default().into_iter().map(|e| (e.line, e.field)).collect()
    }

    #[test]
    fn the_daily_file_is_read_by_header_name() {
        let rows = parse_ecb(DAILY, date(TODAY)).unwrap_or_default();
        assert_eq!(rows.len(), 6);
        assert_eq!(quote(&rows, "HUF", "2026-10-30"), Some(dec("366.33")));
        assert_eq!(quote(&rows, "NOK", "2026-10-30").map(|r| r.to_string()), Some("10.312".to_string()));
    }

    #[test]
    fn the_history_file_skips_na_and_the_trailing_empty_column() {
        let rows = parse_ecb(HISTORY, date(TODAY)).unwrap_or_default();
        assert_eq!(rows.len(), 8);
        assert_eq!(quote(&rows, "BGN", "2026-10-30"), None);
        assert_eq!(quote(&rows, "THB", "2026-10-29"), Some(dec("37.569")));
    }

    #[test]
    fn windows_line_endings_and_blank_lines_are_tolerated() {
        let text = "Date,USD,\r\n\r\n2026-10-30,1.1172,\r\n\r\n";
        assert_eq!(parse_ecb(text, date(TODAY)).map(|r| r.len()), Ok(1));
    }

    #[test]
    fn a_bad_number_is_named_by_line_and_currency() {
        let text = "Date,USD,HUF,\n2026-10-30,1.1172,366.33,\n2026-10-29,1.113,36x.95,\n2026-10-28,0,365.1,\n";
        assert_eq!(errors_of(text), vec![(3, "HUF".to_string()), (4, "USD".to_string())]);
    }

    #[test]
    fn a_bad_date_is_named_by_line() {
        let text = "Date,USD,\n2026-10-30,1.1,\n30/10/2026,1.1,\n2026-02-30,1.1,\n";
        assert_eq!(errors_of(text), vec![(3, "Date".to_string()), (4, "Date".to_string())]);
    }

    #[test]
    fn a_future_date_is_refused() {
        let errors = parse_ecb("Date, USD, \n03 November 2026, 1.1, \n", date(TODAY)).err().unwrap_or_default();
        assert_eq!(
            errors.iter().map(|e| (e.line, e.message.as_str())).collect::<Vec<_>>(),
            vec![(2, "is in the future")]
        );
    }

    #[test]
    fn a_repeated_date_is_refused() {
        assert_eq!(errors_of("Date,USD,\n2026-10-30,1.1,\n2026-10-30,1.2,\n"), vec![(3, "Date".to_string())]);
    }

    #[test]
    fn a_line_with_more_rates_than_the_header_is_refused() {
        assert_eq!(errors_of("Date,USD,\n2026-10-30,1.1,2.2,\n"), vec![(2, "Date".to_string())]);
    }

    #[test]
    fn a_file_that_is_not_the_ecbs_is_refused() {
        assert_eq!(errors_of("vin,part\n1HGCM82633A004352,SV-1\n"), vec![(1, "Date".to_string())]);
        assert_eq!(errors_of(""), vec![(1, "Date".to_string())]);
    }

    #[test]
    fn header_columns_must_be_currency_codes() {
        assert_eq!(
            errors_of("Date,USD,usd,EUR,USD,\n"),
            vec![(1, "usd".to_string()), (1, "EUR".to_string()), (1, "USD".to_string())]
        );
    }

    #[test]
    fn every_bad_line_is_reported() {
        let text = "Date,USD,\nnot a date,1.1,\n2026-10-29,-1,\n2026-10-28,1.1,\n2026-10-27,abc,\n";
        assert_eq!(errors_of(text).iter().map(|(line, _)| *line).collect::<Vec<_>>(), vec![2, 3, 5]);
    }

    #[test]
    fn rates_are_positive_dot_decimals() {
        assert_eq!(parse_per_eur("10.9780").map(|r| r.to_string()), Ok("10.978".to_string()));
        assert_eq!(parse_per_eur("136").map(|r| r.to_string()), Ok("136".to_string()));
        assert_eq!(parse_per_eur("0.0000000001").map(|r| r.to_string()), Ok("0.0000000001".to_string()));
        assert_eq!(
            parse_per_eur("999999999.9999999999").map(|r| r.to_string()),
            Ok("999999999.9999999999".to_string())
        );
        for bad in ["", "0", "0.000", "-1.5", "+1.5", "1,5", "1.", ".5", "1e3", "1 000", "0.00000000001", "1000000000"]
        {
            assert!(parse_per_eur(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn minor_units_follow_iso_4217() {
        assert_eq!(
            (exponent("EUR"), exponent("JPY"), exponent("BHD"), exponent("XXX"), exponent("CYP")),
            (2, 0, 3, 2, 2)
        );
    }

    #[test]
    fn huf_on_a_saturday_uses_fridays_rate() {
        let rates = [(date("2023-02-10"), dec("389.78")), (date("2023-02-09"), dec("390.5"))];
        let (day, rate) = rate_on(&rates, date("2023-02-11")).unwrap_or_default();
        assert_eq!((day, rate), (date("2023-02-10"), dec("389.78")));
        assert_eq!(convert(15_240_000, "HUF", rate, "EUR", Decimal::ONE), Some(39_099));
    }

    #[test]
    fn easter_monday_uses_the_thursday_before_good_friday() {
        let rates = [(date("2023-04-06"), dec("1.0904")), (date("2023-04-05"), dec("1.0915"))];
        assert_eq!(rate_on(&rates, date("2023-04-10")), Some((date("2023-04-06"), dec("1.0904"))));
    }

    #[test]
    fn a_rate_exactly_seven_days_back_is_found_and_eight_is_not() {
        let rates = [(date("2023-02-03"), dec("390"))];
        assert_eq!(rate_on(&rates, date("2023-02-10")).map(|(d, _)| d), Some(date("2023-02-03")));
        assert_eq!(rate_on(&rates, date("2023-02-11")), None);
        assert_eq!(lookback_start(date("2023-02-10")), date("2023-02-03"));
    }

    #[test]
    fn a_rate_dated_after_the_repair_is_never_used() {
        let rates = [(date("2023-02-13"), dec("388")), (date("2023-02-10"), dec("389.78"))];
        assert_eq!(rate_on(&rates, date("2023-02-11")).map(|(d, _)| d), Some(date("2023-02-10")));
        assert_eq!(rate_on(&rates[..1], date("2023-02-11")), None);
    }

    #[test]
    fn thb_converts_to_euro() {
        assert_eq!(convert(1_850_000, "THB", dec("36.057"), "EUR", Decimal::ONE), Some(51_308));
    }

    #[test]
    fn brl_reported_in_nok_is_rounded_once() {
        assert_eq!(convert(234_567, "BRL", dec("6.0941"), "NOK", dec("11.5865")), Some(445_974));
    }

    #[test]
    fn rounding_the_euro_amount_first_would_be_off_by_two_ore() {
        let euro_cents = convert(234_567, "BRL", dec("6.0941"), "EUR", Decimal::ONE).unwrap_or_default();
        assert_eq!(convert(euro_cents, "EUR", Decimal::ONE, "NOK", dec("11.5865")), Some(445_976));
    }

    #[test]
    fn a_yen_target_has_no_minor_units() {
        // 100.00 EUR × 175.68 = 17,568 yen; 0.05 EUR × 175.68 = 8.784 → 9 yen.
        assert_eq!(convert(10_000, "EUR", Decimal::ONE, "JPY", dec("175.68")), Some(17_568));
        assert_eq!(convert(5, "EUR", Decimal::ONE, "JPY", dec("175.68")), Some(9));
        assert_eq!(convert(17_568, "JPY", dec("175.68"), "EUR", Decimal::ONE), Some(10_000));
    }

    #[test]
    fn halves_round_away_from_zero() {
        assert_eq!(convert(1, "EUR", Decimal::ONE, "USD", dec("0.5")), Some(1));
        assert_eq!(convert(-1, "EUR", Decimal::ONE, "USD", dec("0.5")), Some(-1));
        assert_eq!(convert(3, "EUR", Decimal::ONE, "USD", dec("0.5")), Some(2));
    }

    #[test]
    fn the_same_currency_never_drifts() {
        assert_eq!(convert(12_345, "NOK", dec("11.5865"), "NOK", dec("11.5865")), Some(12_345));
        assert_eq!(convert(i64::MAX, "HUF", dec("389.78"), "HUF", dec("389.78")), Some(i64::MAX));
    }

    #[test]
    fn a_zero_rate_or_an_overflow_gives_nothing() {
        assert_eq!(convert(100, "HUF", Decimal::ZERO, "EUR", Decimal::ONE), None);
        assert_eq!(convert(100, "EUR", Decimal::ONE, "HUF", Decimal::ZERO), None);
        assert_eq!(convert(i64::MAX, "EUR", Decimal::ONE, "IDR", dec("20275.17")), None);
    }
}
