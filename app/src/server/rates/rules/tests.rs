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
    assert_eq!(errors.iter().map(|e| (e.line, e.message.as_str())).collect::<Vec<_>>(), vec![(2, "is in the future")]);
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
    assert_eq!(parse_per_eur("999999999.9999999999").map(|r| r.to_string()), Ok("999999999.9999999999".to_string()));
    for bad in ["", "0", "0.000", "-1.5", "+1.5", "1,5", "1.", ".5", "1e3", "1 000", "0.00000000001", "1000000000"] {
        assert!(parse_per_eur(bad).is_err(), "{bad:?} was accepted");
    }
}

#[test]
fn minor_units_follow_iso_4217() {
    assert_eq!((exponent("EUR"), exponent("JPY"), exponent("BHD"), exponent("XXX"), exponent("CYP")), (2, 0, 3, 2, 2));
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
