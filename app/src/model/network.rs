//! Validation of the network's organisations, with kept crates for countries
//! (ISO 3166-1), currencies (ISO 4217) and time zones (IANA).

use serde::{Deserialize, Serialize};

/// How a vehicle model is driven.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Powertrain {
    #[serde(rename = "BEV")]
    Bev,
    #[serde(rename = "PHEV")]
    Phev,
    #[serde(rename = "EREV")]
    Erev,
}

impl Powertrain {
    pub const ALL: [Powertrain; 3] = [Powertrain::Bev, Powertrain::Phev, Powertrain::Erev];

    pub fn as_str(self) -> &'static str {
        match self {
            Powertrain::Bev => "BEV",
            Powertrain::Phev => "PHEV",
            Powertrain::Erev => "EREV",
        }
    }

    /// # Errors
    /// A message naming the accepted values.
    pub fn parse(raw: &str) -> Result<Self, String> {
        Powertrain::ALL.into_iter().find(|p| p.as_str() == raw.trim()).ok_or_else(|| "must be BEV, PHEV or EREV".into())
    }
}

/// Money: integer minor units and an ISO 4217 code, never floats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Money {
    pub amount_minor: i64,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OemDto {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub country: String,
    /// ISO 4217: reports and claims' reporting amounts are in it (DESIGN §9).
    pub reporting_currency: String,
}

/// `POST /oems`; `PATCH /oems/{id}` takes the same fields, each optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OemInput {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    /// Default EUR.
    #[serde(default)]
    pub reporting_currency: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VehicleModelDto {
    pub id: i64,
    pub oem_id: i64,
    pub code: String,
    pub name: String,
    pub powertrain: Powertrain,
}

/// `POST /oems/{id}/models`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewVehicleModel {
    pub code: String,
    pub name: String,
    pub powertrain: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DealerDto {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub country: String,
    pub city: String,
    pub time_zone: String,
    pub currency: String,
    pub labor_rate: Money,
    pub active: bool,
}

/// Filters of `GET /dealers`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
pub struct DealerFilter {
    /// Matches code, name or city, case-insensitively.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub limit: Option<u64>,
    #[serde(default)]
    pub cursor: Option<String>,
}

/// `POST /dealers`; `PATCH /dealers/{id}` takes the same fields, each optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DealerInput {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub labor_rate: Option<Money>,
    #[serde(default)]
    pub active: Option<bool>,
}

/// A short code such as `NO001` or `NVX`: 2–20 capital letters, digits or `-`.
///
/// # Errors
/// A message saying what a code may contain.
pub fn code(raw: &str) -> Result<String, String> {
    let value = raw.trim().to_uppercase();
    let ok = (2..=20).contains(&value.len()) && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok { Ok(value) } else { Err("must be 2–20 letters, digits or '-'".into()) }
}

/// A name of a company, model or city: trimmed, 1–120 characters.
///
/// # Errors
/// A message when empty or too long.
pub fn name(raw: &str) -> Result<String, String> {
    let value = raw.trim();
    match value.chars().count() {
        0 => Err("is required".into()),
        n if n > 120 => Err("must be at most 120 characters".into()),
        _ => Ok(value.to_string()),
    }
}

/// An ISO 3166-1 alpha-2 country code, e.g. `NO`.
///
/// # Errors
/// A message when the code is not an assigned country.
pub fn country(raw: &str) -> Result<String, String> {
    let value = raw.trim().to_uppercase();
    rust_iso3166::from_alpha2(&value)
        .map(|c| c.alpha2.to_string())
        .ok_or_else(|| "must be an ISO 3166-1 alpha-2 country code such as NO or TH".into())
}

/// An ISO 4217 currency code, e.g. `NOK`.
///
/// # Errors
/// A message when the code is not a currency.
pub fn currency(raw: &str) -> Result<String, String> {
    let value = raw.trim().to_uppercase();
    iso_currency::Currency::from_code(&value)
        .map(|c| c.code().to_string())
        .ok_or_else(|| "must be an ISO 4217 currency code such as NOK or THB".into())
}

/// A labour rate per hour in minor units: not negative, at most 10^12.
///
/// # Errors
/// A message when out of range.
pub fn labor_rate(minor: i64) -> Result<i64, String> {
    if (0..=1_000_000_000_000).contains(&minor) {
        Ok(minor)
    } else {
        Err("must be between 0 and 10^12 minor units".into())
    }
}

/// An amount typed in major units (`1250`, `1250.5`, `1 250,50`) as minor
/// units of `currency` (NOK has 2 decimals, HUF 2, JPY 0).
///
/// # Errors
/// A message when the text is not an amount in that currency.
pub fn parse_amount(raw: &str, currency: &str) -> Result<i64, String> {
    let exponent = iso_currency::Currency::from_code(currency.trim().to_uppercase().as_str())
        .and_then(|c| c.exponent())
        .ok_or_else(|| "needs a valid currency first".to_string())? as usize;
    let cleaned: String =
        raw.trim().chars().filter(|c| !c.is_whitespace()).map(|c| if c == ',' { '.' } else { c }).collect();
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || (!fraction.is_empty() && !digits(fraction)) || fraction.len() > exponent {
        return Err(format!("must be an amount with at most {exponent} decimals, like 1250.50"));
    }
    let padded = format!("{whole}{fraction:0<exponent$}");
    padded.parse().map_err(|_| "is too large".to_string())
}

/// Minor units shown in major units with the currency's decimals and the
/// thousands grouped: `1,250.50 NOK` (English and Chinese group alike).
pub fn format_amount(minor: i64, currency: &str) -> String {
    let exponent = iso_currency::Currency::from_code(currency).and_then(|c| c.exponent()).unwrap_or(2) as u32;
    let unit = 10u64.pow(exponent);
    let sign = if minor < 0 { "-" } else { "" };
    // Unsigned: `i64::MIN` has no positive `i64`.
    let (whole, fraction) = (minor.unsigned_abs() / unit, minor.unsigned_abs() % unit);
    let whole = crate::model::limits::grouped(whole);
    if exponent == 0 {
        format!("{sign}{whole} {currency}")
    } else {
        format!("{sign}{whole}.{fraction:0width$} {currency}", width = exponent as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_uppercased_and_bounded() {
        assert_eq!(code(" no001 "), Ok("NO001".into()));
        assert!(code("N").is_err());
        assert!(code("NO 001").is_err());
        assert!(code(&"A".repeat(21)).is_err());
    }

    #[test]
    fn countries_are_iso_3166_alpha_2() {
        assert_eq!(country("no"), Ok("NO".into()));
        assert_eq!(country("EG"), Ok("EG".into()));
        assert!(country("XX").is_err());
        assert!(country("NOR").is_err());
    }

    #[test]
    fn currencies_are_iso_4217() {
        assert_eq!(currency("huf"), Ok("HUF".into()));
        assert_eq!(currency("BRL"), Ok("BRL".into()));
        assert!(currency("ABC").is_err());
    }

    #[test]
    fn powertrains_are_the_three_kinds() {
        assert_eq!(Powertrain::parse("PHEV"), Ok(Powertrain::Phev));
        assert!(Powertrain::parse("ICE").is_err());
    }

    #[test]
    fn labor_rates_are_not_negative() {
        assert!(labor_rate(-1).is_err());
        assert_eq!(labor_rate(125_000), Ok(125_000));
    }

    #[test]
    fn amounts_become_minor_units_of_the_currency() {
        assert_eq!(parse_amount("1250.5", "NOK"), Ok(125_050));
        assert_eq!(parse_amount("1 250,50", "EUR"), Ok(125_050));
        assert_eq!(parse_amount("1800", "THB"), Ok(180_000));
        assert_eq!(parse_amount("5000", "JPY"), Ok(5000));
        assert!(parse_amount("12.345", "EUR").is_err());
        assert!(parse_amount("-5", "EUR").is_err());
        assert!(parse_amount("5", "XYZ").is_err());
    }

    #[test]
    fn amounts_are_shown_with_the_currencys_decimals() {
        assert_eq!(format_amount(125_050, "NOK"), "1,250.50 NOK");
        assert_eq!(format_amount(5000, "JPY"), "5,000 JPY");
        assert_eq!(format_amount(-5, "EUR"), "-0.05 EUR");
        assert_eq!(format_amount(i64::MIN, "EUR"), "-92,233,720,368,547,758.08 EUR");
        assert_eq!(format_amount(i64::MAX, "JPY"), "9,223,372,036,854,775,807 JPY");
    }

    #[test]
    fn names_are_required() {
        assert!(name("  ").is_err());
        assert_eq!(name(" Oslo "), Ok("Oslo".into()));
    }
}
