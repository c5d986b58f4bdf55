//! The parts catalogue: part numbers, descriptions and the search words
//! taken from them, supersession chains, and the catalogue's CSV columns.

use serde::{Deserialize, Serialize};

use super::network::Money;
use super::policy::ComponentCategory;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PartDto {
    pub id: i64,
    pub oem_id: i64,
    pub oem_code: String,
    pub part_number: String,
    pub description: String,
    pub component_category: ComponentCategory,
    pub list_price: Money,
    pub serialized: bool,
    pub warranty_eligible: bool,
    pub dangerous_goods: bool,
    pub active: bool,
    pub superseded_by_id: Option<i64>,
    /// The end of the supersession chain: the part to use today (this part
    /// itself when it is not superseded).
    pub current_part_id: i64,
    pub current_part_number: String,
}

/// `POST /parts`; `PATCH /parts/{id}` takes the same fields, each optional
/// (`oem_id` and `part_number` cannot change). `superseded_by_id: 0` clears a
/// supersession.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PartInput {
    #[serde(default)]
    pub oem_id: Option<i64>,
    #[serde(default)]
    pub part_number: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub component_category: Option<String>,
    #[serde(default)]
    pub list_price: Option<Money>,
    #[serde(default)]
    pub serialized: Option<bool>,
    #[serde(default)]
    pub warranty_eligible: Option<bool>,
    #[serde(default)]
    pub superseded_by_id: Option<i64>,
    #[serde(default)]
    pub dangerous_goods: Option<bool>,
    #[serde(default)]
    pub active: Option<bool>,
}

/// `GET /parts`: `q` matches a part-number prefix or the beginnings of
/// description words (every word must match).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct PartFilter {
    pub q: Option<String>,
    pub oem_id: Option<i64>,
    pub component_category: Option<String>,
    pub active: Option<bool>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// The answer to a good CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub created: u64,
    pub updated: u64,
}

/// The catalogue's CSV columns, in export order. The first seven are
/// required in an import; the others are optional.
pub const CSV_COLUMNS: [&str; 10] = [
    "part_number",
    "description",
    "component_category",
    "list_price_minor",
    "currency",
    "serialized",
    "warranty_eligible",
    "dangerous_goods",
    "active",
    "superseded_by",
];
pub const CSV_REQUIRED: usize = 7;

/// A part number: trimmed, upper case, 2–40 letters, digits, `-`, `.`, `/`.
///
/// # Errors
/// A message saying what a part number may contain.
pub fn part_number(raw: &str) -> Result<String, String> {
    let value = raw.trim().to_uppercase();
    if value.is_empty() {
        return Err("is required".into());
    }
    let ok = (2..=40).contains(&value.len())
        && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/' | '_'));
    if ok { Ok(value) } else { Err("must be 2–40 letters, digits, '-', '.', '/' or '_'".into()) }
}

/// A description: trimmed, 1–200 characters.
///
/// # Errors
/// A message when empty or too long.
pub fn description(raw: &str) -> Result<String, String> {
    let value = raw.trim();
    match value.chars().count() {
        0 => Err("is required".into()),
        n if n > 200 => Err("must be at most 200 characters".into()),
        _ => Ok(value.to_string()),
    }
}

/// A list price: not negative, at most 10^12 minor units.
///
/// # Errors
/// A message when out of range.
pub fn list_price(minor: i64) -> Result<i64, String> {
    if (0..=1_000_000_000_000).contains(&minor) {
        Ok(minor)
    } else {
        Err("must be between 0 and 10^12 minor units".into())
    }
}

/// The distinct lower-case words of a description that search can find
/// (two characters or more, at most 40).
pub fn words(description: &str) -> Vec<String> {
    let mut words: Vec<String> = description
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(|w| w.to_lowercase().chars().take(40).collect())
        .collect();
    words.sort();
    words.dedup();
    words
}

/// A yes/no CSV cell: `true/false`, `yes/no`, `1/0`, `y/n`; empty is `default`.
///
/// # Errors
/// A message naming the accepted values.
pub fn flag(raw: &str, default: Option<bool>) -> Result<bool, String> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" => Ok(true),
        "false" | "no" | "n" | "0" => Ok(false),
        "" => default.ok_or_else(|| "is required (true or false)".into()),
        _ => Err("must be true or false".into()),
    }
}

/// Follows `next` from `start` and answers the chain's end, or the chain as
/// part numbers when it would come back to `start` (a cycle).
///
/// # Errors
/// The cycle, e.g. `A → B → A`.
pub fn chain_end(
    start: i64,
    target: i64,
    next: impl Fn(i64) -> Option<i64>,
    name: impl Fn(i64) -> String,
) -> Result<i64, String> {
    let mut seen = vec![start];
    let mut at = target;
    loop {
        if seen.contains(&at) {
            seen.push(at);
            let path: Vec<String> = seen.iter().map(|id| name(*id)).collect();
            return Err(format!("would make a supersession cycle: {}", path.join(" → ")));
        }
        seen.push(at);
        match next(at) {
            Some(following) => at = following,
            None => return Ok(at),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn part_numbers_are_trimmed_and_upper_cased() {
        assert_eq!(part_number(" sv-hv-001a "), Ok("SV-HV-001A".into()));
        assert!(part_number("").is_err());
        assert!(part_number("A").is_err());
        assert!(part_number("HAS SPACE").is_err());
        assert!(part_number(&"X".repeat(41)).is_err());
    }

    #[test]
    fn words_are_lower_case_distinct_and_skip_single_letters() {
        assert_eq!(words("HV Battery pack, 77 kWh — pack"), vec!["77", "battery", "hv", "kwh", "pack"]);
        assert!(words("a b").is_empty());
    }

    #[test]
    fn flags_accept_the_usual_spellings() {
        assert_eq!(flag("Yes", None), Ok(true));
        assert_eq!(flag("0", None), Ok(false));
        assert_eq!(flag("", Some(true)), Ok(true));
        assert!(flag("", None).is_err());
        assert!(flag("maybe", None).is_err());
    }

    #[test]
    fn supersession_chains_end_at_the_current_part_and_cycles_are_refused() {
        // 1 → 2 → 3
        let next: HashMap<i64, i64> = [(1, 2), (2, 3)].into();
        let name = |id: i64| format!("P{id}");
        assert_eq!(chain_end(9, 1, |id| next.get(&id).copied(), name), Ok(3));
        // Making 3 point at 1 would close the loop.
        let err = chain_end(3, 1, |id| next.get(&id).copied(), name).expect_err("cycle");
        assert_eq!(err, "would make a supersession cycle: P3 → P1 → P2 → P3");
        // A part cannot supersede itself.
        assert!(chain_end(4, 4, |_| None, name).is_err());
    }

    #[test]
    fn prices_are_not_negative() {
        assert!(list_price(-1).is_err());
        assert_eq!(list_price(0), Ok(0));
    }
}
