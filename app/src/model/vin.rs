//! The vehicle identification number: 17 characters without I, O or Q,
//! upper case, with the check digit in position 9 (ISO 3779; Chinese
//! makers carry the same digit under GB 16735). Parsed once, shared by the
//! server and the browser.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A VIN that passed every check.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Vin(String);

/// Position weights of the check-digit sum (position 9 itself weighs 0).
const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

impl Vin {
    /// Trims and upper-cases `raw`, then checks length, alphabet and check digit.
    ///
    /// # Errors
    /// A sentence that says exactly what is wrong.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let value: String = raw.trim().to_uppercase();
        let length = value.chars().count();
        if length != 17 {
            return Err(format!("must be 17 characters, not {length}"));
        }
        for (i, c) in value.chars().enumerate() {
            if matches!(c, 'I' | 'O' | 'Q') {
                return Err(format!("must not contain I, O or Q (position {} is {c})", i + 1));
            }
            if !c.is_ascii_alphanumeric() {
                return Err(format!("may contain only letters and digits (position {} is '{c}')", i + 1));
            }
        }
        let expected = check_digit(&value);
        let actual = value.chars().nth(8).unwrap_or_default();
        if actual != expected {
            return Err(format!("has a wrong check digit: position 9 should be {expected}, not {actual}"));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The world manufacturer identifier (positions 1–3).
    pub fn wmi(&self) -> &str {
        &self.0[..3]
    }
}

/// The ISO 3779 check digit of a 17-character VIN: the weighted sum of the
/// transliterated characters modulo 11, 10 written as X.
pub fn check_digit(vin: &str) -> char {
    let sum: u32 = vin.chars().zip(WEIGHTS).map(|(c, w)| transliterate(c) * w).sum();
    match sum % 11 {
        10 => 'X',
        n => char::from_digit(n, 10).unwrap_or('0'),
    }
}

fn transliterate(c: char) -> u32 {
    match c {
        '0'..='9' => c.to_digit(10).unwrap_or(0),
        'A' | 'J' => 1,
        'B' | 'K' | 'S' => 2,
        'C' | 'L' | 'T' => 3,
        'D' | 'M' | 'U' => 4,
        'E' | 'N' | 'V' => 5,
        'F' | 'W' => 6,
        'G' | 'P' | 'X' => 7,
        'H' | 'Y' => 8,
        'R' | 'Z' => 9,
        _ => 0,
    }
}

impl TryFrom<String> for Vin {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Vin> for String {
    fn from(vin: Vin) -> Self {
        vin.0
    }
}

impl fmt::Display for Vin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_vin_is_accepted_and_upper_cased() {
        // The classic example of 49 CFR 565 / ISO 3779.
        assert_eq!(Vin::parse("1M8GDM9AXKP042788").map(|v| v.to_string()), Ok("1M8GDM9AXKP042788".into()));
        assert_eq!(Vin::parse(" 1m8gdm9axkp042788 ").map(|v| v.to_string()), Ok("1M8GDM9AXKP042788".into()));
        // A Chinese maker's VIN with the GB 16735 check digit.
        let vin = format!("LSVAU2180N{}", "2183624");
        let digit = check_digit(&vin);
        let vin = format!("{}{digit}{}", &vin[..8], &vin[9..]);
        assert!(Vin::parse(&vin).is_ok(), "{vin}");
        assert_eq!(Vin::parse("1M8GDM9AXKP042788").map(|v| v.wmi().to_string()), Ok("1M8".into()));
    }

    #[test]
    fn a_wrong_length_is_named() {
        assert_eq!(Vin::parse("1M8GDM9AXKP04278"), Err("must be 17 characters, not 16".into()));
        assert_eq!(Vin::parse(""), Err("must be 17 characters, not 0".into()));
    }

    #[test]
    fn i_o_and_q_are_refused_with_their_position() {
        assert_eq!(Vin::parse("IM8GDM9AXKP042788"), Err("must not contain I, O or Q (position 1 is I)".into()));
        assert!(Vin::parse("1M8GDM9AXKP0427O8").is_err_and(|e| e.contains("position 16 is O")));
        assert!(Vin::parse("1M8GDM9AXKP04Q788").is_err());
        assert!(Vin::parse("1M8GDM9AXKP04-788").is_err_and(|e| e.contains("only letters and digits")));
    }

    #[test]
    fn a_wrong_check_digit_says_what_it_should_be() {
        assert_eq!(
            Vin::parse("1M8GDM9A1KP042788"),
            Err("has a wrong check digit: position 9 should be X, not 1".into())
        );
    }

    #[test]
    fn vins_round_trip_through_json_and_refuse_bad_ones() {
        let vin: Vin = serde_json::from_str("\"1m8gdm9axkp042788\"").expect("parses");
        assert_eq!(serde_json::to_string(&vin).expect("serializes"), "\"1M8GDM9AXKP042788\"");
        assert!(serde_json::from_str::<Vin>("\"1M8GDM9A1KP042788\"").is_err());
    }
}
