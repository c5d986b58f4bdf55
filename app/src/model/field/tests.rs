use super::*;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

fn month(year: i32, month: u32) -> YearMonth {
    YearMonth { year, month }
}

fn close(actual: f64, expected: f64, within: f64) -> bool {
    (actual - expected).abs() <= within
}

#[test]
fn months_add_across_years_and_know_their_days() {
    assert_eq!(month(2025, 11).plus(3), month(2026, 2));
    assert_eq!(month(2026, 2).plus(-14), month(2024, 12));
    assert_eq!(month(2025, 11).months_until(month(2026, 2)), 3);
    assert_eq!(month(2026, 2).months_until(month(2025, 11)), -3);
    assert_eq!((month(2024, 2).first_day(), month(2024, 2).last_day()), (date("2024-02-01"), date("2024-02-29")));
    assert_eq!(month(2026, 12).last_day(), date("2026-12-31"));
    assert_eq!(YearMonth::of(date("2026-03-17")), month(2026, 3));
}

#[test]
fn a_month_reads_and_writes_as_year_dash_month() {
    assert_eq!(month(2026, 3).to_string(), "2026-03");
    assert_eq!("2026-03".parse::<YearMonth>(), Ok(month(2026, 3)));
    for bad in ["2026-13", "2026-00", "2026-3", "26-03", "2026/03", "2026-03-01", ""] {
        assert!(bad.parse::<YearMonth>().is_err(), "{bad:?} was accepted");
    }
}

#[test]
fn a_repair_one_day_short_of_a_month_is_still_mis_1() {
    assert_eq!(mis(date("2025-01-15"), date("2025-02-14")), 1);
    assert_eq!(mis(date("2025-01-15"), date("2025-02-15")), 2);
    assert_eq!(mis(date("2025-01-15"), date("2025-01-15")), 1);
    assert_eq!(elapsed_months(date("2025-01-15"), date("2025-01-14")), -1);
}

#[test]
fn a_vehicle_in_service_on_the_31st_completes_a_month_on_a_later_31st_or_the_1st_after() {
    assert_eq!(mis(date("2025-01-31"), date("2025-02-28")), 1);
    assert_eq!(mis(date("2025-01-31"), date("2025-03-01")), 2);
    assert_eq!(mis(date("2025-01-31"), date("2025-03-31")), 3);
}

#[test]
fn a_vehicle_matures_thirty_days_after_reaching_the_months() {
    // 3 months on 2026-05-15; matured from 2026-06-14.
    assert!(!matured(date("2026-02-15"), date("2026-06-13"), 3));
    assert!(matured(date("2026-02-15"), date("2026-06-14"), 3));
}

#[test]
fn the_latest_matured_cohort_needs_its_last_day_matured() {
    // Reference 2026-05-31: in service on 2026-02-28 has 3 months, on 2026-03-01 not.
    assert_eq!(latest_matured_cohort(date("2026-06-30"), 3), month(2026, 2));
    // Reference 2026-05-30: 2026-02-28 has 3 months too (day 30 ≥ 28).
    assert_eq!(latest_matured_cohort(date("2026-06-29"), 3), month(2026, 2));
    // Reference 2026-05-27: 2026-02-28 has only 2.
    assert_eq!(latest_matured_cohort(date("2026-06-26"), 3), month(2026, 1));
    assert_eq!(latest_matured_cohort(date("2026-12-03"), 3), month(2026, 7));
}

#[test]
fn claims_per_1000_need_vehicles() {
    assert_eq!(per_1000(21, 6_000), Some(3.5));
    assert_eq!(per_1000(0, 0), None);
}

#[test]
fn the_poisson_tail_matches_known_values() {
    assert_eq!(poisson_tail(9.0, 0), 1.0);
    assert!(close(poisson_tail(1.2, 1), 1.0 - (-1.2f64).exp(), 1e-15));
    assert!(close(poisson_tail(0.01, 3), 1.654_216_527e-7, 1e-15));
    assert!(close(poisson_tail(1000.0, 900), 0.999_377_402, 1e-8));
    assert!(poisson_tail(10.0, 200) > 0.0);
    assert_eq!(poisson_tail(0.0, 1), 0.0);
}

#[test]
fn twenty_one_claims_where_nine_were_due_alert() {
    let verdict = judge(24_000, 36, 6_000, 21);
    assert!(verdict.is_some_and(|v| close(v.expected, 9.0, 1e-9) && close(v.p_value, 0.000_439_25, 1e-8) && v.alert));
    assert_eq!(verdict.map(|v| v.baseline_per_1000), Some(1.5));
}

#[test]
fn twenty_claims_where_nine_were_due_do_not() {
    let verdict = judge(24_000, 36, 6_000, 20);
    assert!(verdict.is_some_and(|v| close(v.p_value, 0.001_055_95, 1e-8) && !v.alert));
}

#[test]
fn seven_claims_where_one_point_two_were_due_alert_and_six_do_not() {
    let six = judge(24_000, 36, 800, 6);
    assert!(six.is_some_and(|v| close(v.expected, 1.2, 1e-9) && close(v.p_value, 0.001_500_23, 1e-8) && !v.alert));
    let seven = judge(24_000, 36, 800, 7);
    assert!(seven.is_some_and(|v| close(v.p_value, 0.000_251_11, 1e-8) && v.alert));
}

#[test]
fn two_claims_never_alert_however_unlikely() {
    let two = judge(100_000, 1, 1_000, 2);
    assert!(two.is_some_and(|v| close(v.expected, 0.01, 1e-12) && v.p_value < ALERT_P && !v.alert));
    assert!(judge(100_000, 1, 1_000, 3).is_some_and(|v| v.alert));
}

#[test]
fn a_baseline_without_claims_counts_as_one() {
    assert!(judge(24_000, 0, 6_000, 1).is_some_and(|v| close(v.expected, 0.25, 1e-12)));
    assert_eq!(judge(0, 0, 6_000, 5), None);
    assert_eq!(judge(24_000, 36, 0, 0), None);
}

#[test]
fn an_alert_explains_itself_in_one_sentence() {
    let text = explain("SV-INV-200", 21, 6_000, month(2026, 3), month(2026, 5), 9.0, 0.000_439_25);
    assert_eq!(
        text,
        "SV-INV-200: 21 claims within 3 months in service on 6,000 vehicles in service 2026-03…05; \
         the 12 months before would predict 9.0 (p = 0.0004)"
    );
    let text = explain("P-1", 1_234, 1_250_000, month(2025, 12), month(2026, 2), 0.04, 1e-9);
    assert!(text.contains("1,234 claims") && text.contains("1,250,000 vehicles"), "{text}");
    assert!(text.ends_with("2025-12…2026-02; the 12 months before would predict 0.0 (p < 0.000001)"), "{text}");
}

#[test]
fn p_values_keep_one_significant_digit() {
    assert_eq!(p_text(0.000_439), "p = 0.0004");
    assert_eq!(p_text(0.000_251_1), "p = 0.0003");
    assert_eq!(p_text(0.001_056), "p = 0.001");
    assert_eq!(p_text(0.000_96), "p = 0.001");
    assert_eq!(p_text(0.36), "p = 0.4");
    assert_eq!(p_text(1.0), "p = 1");
    assert_eq!(p_text(0.000_001), "p = 0.000001");
    assert_eq!(p_text(0.000_000_9), "p < 0.000001");
}

#[test]
fn percentiles_interpolate_between_closest_ranks() {
    let ten: Vec<f64> = (1..=10).map(f64::from).collect();
    assert_eq!(percentile(&[], 0.5), None);
    assert_eq!(percentile(&[4.0], 0.9), Some(4.0));
    assert_eq!(median(&[1.0, 2.0, 4.0, 10.0]), Some(3.0));
    assert!(percentile(&ten, 0.9).is_some_and(|p| close(p, 9.1, 1e-9)));
    assert_eq!((percentile(&ten, 0.0), percentile(&ten, 1.0)), (Some(1.0), Some(10.0)));
    assert_eq!(percentile(&ten, 1.5), None);
}

#[test]
fn open_claims_fall_in_age_buckets_by_whole_days() {
    let buckets: Vec<usize> = [-1, 0, 7, 8, 14, 15, 30, 31, 400].into_iter().map(age_bucket).collect();
    assert_eq!(buckets, vec![0, 0, 0, 1, 1, 2, 2, 3, 3]);
    let labels: Vec<String> = (0..AGE_BUCKETS.len()).map(bucket_label).collect();
    assert_eq!(labels, ["0–7 days", "8–14 days", "15–30 days", "over 30 days"]);
    assert_eq!(bucket_label(4), "");
}

#[test]
fn a_counted_percentile_equals_the_percentile_of_the_values_it_counts() {
    let values = [1.0, 1.0, 2.5, 2.5, 2.5, 4.0, 9.0, 9.0, 9.0, 9.0];
    let counted = [(1.0, 2), (2.5, 3), (4.0, 1), (9.0, 4)];
    for p in [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0] {
        assert_eq!(percentile_counted(&counted, p), percentile(&values, p), "p = {p}");
    }
    assert_eq!(percentile_counted(&[], 0.5), None);
    assert_eq!(percentile_counted(&[(3.0, 0)], 0.5), None);
}

#[test]
fn days_are_kept_in_tenths_rounded_half_away_from_zero() {
    use chrono::{Duration, TimeZone, Utc};
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).single().expect("a time");
    assert_eq!(tenths_of_a_day(at, at), 0);
    assert_eq!(tenths_of_a_day(at, at + Duration::hours(36)), 15);
    // 0.25 of a day is 2.5 tenths: away from zero.
    assert_eq!(tenths_of_a_day(at, at + Duration::hours(6)), 3);
    assert_eq!(tenths_of_a_day(at, at + Duration::hours(6) - Duration::seconds(1)), 2);
    assert_eq!(tenths_of_a_day(at + Duration::hours(6), at), -3);
    assert_eq!(tenths_of_a_day(at, at + Duration::days(400)), 4_000);
}
