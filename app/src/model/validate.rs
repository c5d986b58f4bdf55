//! Parse, don't validate: each function turns raw input into a clean value or
//! a sentence saying what is wrong. Used by the browser and the server alike.

use chrono_tz::Tz;

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Passwords people pick first; refused whatever their length.
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "password1234",
    "password12345",
    "passwordpassword",
    "qwertyuiopas",
    "qwerty123456",
    "qwertyuiop123",
    "111111111111",
    "000000000000",
    "abcdefghijkl",
    "abc123456789",
    "iloveyou1234",
    "letmein12345",
    "welcome12345",
    "administrator",
    "adminadmin123",
    "changeme1234",
    "trustno11234",
    "football1234",
    "baseball1234",
    "monkey123456",
    "dragon123456",
    "sunshine1234",
    "princess1234",
    "superman1234",
    "1q2w3e4r5t6y",
    "zaq12wsxcde3",
    "aaaaaaaaaaaa",
    "passw0rd1234",
    "p@ssw0rd1234",
    "mustang12345",
    "shadow123456",
    "master123456",
];

/// An email address, trimmed and lower-cased.
///
/// # Errors
/// A message when the text is not an email address.
pub fn email(raw: &str) -> Result<String, String> {
    let value = raw.trim().to_lowercase();
    if value.is_empty() {
        return Err("is required".into());
    }
    if value.len() > 254 || !email_address::EmailAddress::is_valid(&value) {
        return Err("must be an email address like name@example.com".into());
    }
    Ok(value)
}

/// Checks a new password against the policy (length, common passwords).
///
/// # Errors
/// A message naming the rule the password breaks.
pub fn new_password(password: &str, email: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(format!("must be at least {PASSWORD_MIN_CHARS} characters"));
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(format!("must be at most {PASSWORD_MAX_CHARS} characters"));
    }
    let lowered = password.to_lowercase();
    if COMMON_PASSWORDS.contains(&lowered.as_str()) {
        return Err("is too common; choose one that is hard to guess".into());
    }
    let distinct = {
        let mut seen: Vec<char> = lowered.chars().collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    };
    if distinct < 4 {
        return Err("is too easy to guess; use more different characters".into());
    }
    let local_part = email.split('@').next().unwrap_or_default();
    if !email.is_empty()
        && (lowered == email.to_lowercase() || (local_part.len() >= 4 && lowered.contains(&local_part.to_lowercase())))
    {
        return Err("must not contain your email address".into());
    }
    Ok(())
}

/// A person's display name: trimmed, 1–100 characters.
///
/// # Errors
/// A message when empty or too long.
pub fn display_name(raw: &str) -> Result<String, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err("is required".into());
    }
    if value.chars().count() > 100 {
        return Err("must be at most 100 characters".into());
    }
    if value.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    Ok(value.to_string())
}

/// The interface languages we ship.
pub const LOCALES: [&str; 2] = ["en", "zh"];

/// # Errors
/// A message when the locale is not one we ship.
pub fn locale(raw: &str) -> Result<String, String> {
    let value = raw.trim();
    if LOCALES.contains(&value) { Ok(value.to_string()) } else { Err(format!("must be one of {}", LOCALES.join(", "))) }
}

/// An IANA time zone name such as `Europe/Oslo`.
///
/// # Errors
/// A message when the zone is unknown.
pub fn time_zone(raw: &str) -> Result<String, String> {
    raw.trim()
        .parse::<Tz>()
        .map(|tz| tz.name().to_string())
        .map_err(|_| "must be an IANA time zone such as Europe/Oslo".into())
}

/// A calendar date `YYYY-MM-DD`.
///
/// # Errors
/// A message when the text is not such a date.
pub fn date(raw: &str) -> Result<chrono::NaiveDate, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err("is required".into());
    }
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| "must be a date like 2026-11-24".into())
}

/// An optional id from a form field: empty means none.
///
/// # Errors
/// A message when the text is not a number.
pub fn optional_id(raw: Option<&str>) -> Result<Option<i64>, String> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| "must be chosen from the list".into()),
    }
}

/// A search term (`q`): trimmed, empty meaning none, at most
/// [`SEARCH_MAX_WORDS`](crate::model::limits::SEARCH_MAX_WORDS) words and
/// [`SEARCH_MAX_CHARS`](crate::model::limits::SEARCH_MAX_CHARS) characters.
///
/// # Errors
/// A message naming the bound the term is over.
pub fn search(raw: Option<&str>) -> Result<Option<&str>, String> {
    use crate::model::limits::{SEARCH_MAX_CHARS, SEARCH_MAX_WORDS};
    let Some(term) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    // Counted lazily: a long term is refused without walking all of it.
    if term.chars().nth(SEARCH_MAX_CHARS).is_some() {
        return Err(format!("Search for at most {SEARCH_MAX_CHARS} characters."));
    }
    if term.split_whitespace().nth(SEARCH_MAX_WORDS).is_some() {
        return Err(format!("Search for at most {SEARCH_MAX_WORDS} words."));
    }
    Ok(Some(term))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(email("  Ola.Nordmann@Example.NO "), Ok("ola.nordmann@example.no".into()));
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in ["", "   ", "no-at-sign", "a@", "@b.com", "a b@c.com"] {
            assert!(email(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn a_password_needs_twelve_characters() {
        assert!(new_password("short-pass1", "").is_err());
        assert!(new_password("twelve-chars", "").is_ok());
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        // Eleven Chinese characters are 33 bytes but still too short.
        assert!(new_password("电动车保修服务经销商网络", "").is_ok());
        assert!(new_password("电动车保修服务经销商网", "").is_err());
    }

    #[test]
    fn common_passwords_are_refused_whatever_the_case() {
        assert!(new_password("Password1234", "").is_err());
        assert!(new_password("QWERTY123456", "").is_err());
    }

    #[test]
    fn repetitive_passwords_are_refused() {
        assert!(new_password("abababababab", "").is_err());
    }

    #[test]
    fn a_password_may_not_contain_the_email() {
        assert!(new_password("ola.nordmann-2026", "ola.nordmann@example.no").is_err());
        assert!(new_password("fjord-battery-77", "ola.nordmann@example.no").is_ok());
    }

    #[test]
    fn very_long_passwords_are_refused() {
        assert!(new_password(&"ab1-".repeat(40), "").is_err());
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(display_name("  Kari  "), Ok("Kari".into()));
        assert!(display_name("").is_err());
        assert!(display_name(&"x".repeat(101)).is_err());
    }

    #[test]
    fn only_shipped_locales_are_accepted() {
        assert!(locale("en").is_ok());
        assert!(locale("zh").is_ok());
        assert!(locale("fr").is_err());
    }

    #[test]
    fn dates_are_iso_calendar_dates() {
        assert_eq!(date("2026-02-28").map(|d| d.to_string()), Ok("2026-02-28".into()));
        assert!(date("2026-02-30").is_err());
        assert!(date("24.11.2026").is_err());
        assert_eq!(date(""), Err("is required".into()));
    }

    #[test]
    fn optional_ids_treat_empty_as_none() {
        assert_eq!(optional_id(None), Ok(None));
        assert_eq!(optional_id(Some(" ")), Ok(None));
        assert_eq!(optional_id(Some("12")), Ok(Some(12)));
        assert!(optional_id(Some("twelve")).is_err());
    }

    #[test]
    fn time_zones_are_iana_names() {
        assert_eq!(time_zone("Asia/Bangkok"), Ok("Asia/Bangkok".into()));
        assert!(time_zone("Mars/Olympus").is_err());
    }

    #[test]
    fn an_empty_search_is_none_and_a_term_is_trimmed() {
        assert_eq!(search(None), Ok(None));
        assert_eq!(search(Some("   ")), Ok(None));
        assert_eq!(search(Some("  pack 77 ")), Ok(Some("pack 77")));
    }

    #[test]
    fn a_search_has_at_most_ten_words() {
        let ten = ["w"; 10].join(" ");
        assert_eq!(search(Some(ten.as_str())), Ok(Some(ten.as_str())));
        let eleven = ["w"; 11].join("  ");
        assert_eq!(search(Some(eleven.as_str())), Err("Search for at most 10 words.".into()));
    }

    #[test]
    fn a_search_has_at_most_two_hundred_characters_not_bytes() {
        let most = "电".repeat(200);
        assert!(search(Some(most.as_str())).is_ok());
        let over = "a".repeat(201);
        assert_eq!(search(Some(over.as_str())), Err("Search for at most 200 characters.".into()));
    }
}
