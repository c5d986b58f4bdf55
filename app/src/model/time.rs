//! Times are UTC inside and shown in the user's time zone.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// `2026-11-24 21:35` in the given zone (UTC when the zone is unknown).
pub fn local_minutes(at: DateTime<Utc>, zone: &str) -> String {
    let tz: Tz = zone.parse().unwrap_or(Tz::UTC);
    at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// The calendar date at that instant in the given zone (a repair's date is
/// the dealer's).
pub fn local_date(at: DateTime<Utc>, zone: &str) -> chrono::NaiveDate {
    let tz: Tz = zone.parse().unwrap_or(Tz::UTC);
    at.with_timezone(&tz).date_naive()
}

/// The zone's abbreviation at that instant, e.g. `CET` or `+07`.
pub fn zone_label(at: DateTime<Utc>, zone: &str) -> String {
    let tz: Tz = zone.parse().unwrap_or(Tz::UTC);
    format!("{} ({})", tz.name(), at.with_timezone(&tz).format("%Z"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_are_shown_in_the_users_zone() {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 21, 35, 0).single().expect("valid");
        assert_eq!(local_minutes(at, "Asia/Bangkok"), "2026-11-25 04:35");
        assert_eq!(local_minutes(at, "Europe/Oslo"), "2026-11-24 22:35");
        assert_eq!(local_minutes(at, "nowhere"), "2026-11-24 21:35");
        assert_eq!(local_date(at, "Asia/Bangkok").to_string(), "2026-11-25");
        assert_eq!(local_date(at, "America/Sao_Paulo").to_string(), "2026-11-24");
    }
}
