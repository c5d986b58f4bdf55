//! Cursor pagination shared by every list: `?limit=` (default 50, max 500)
//! and an opaque `?cursor=` that names the last key already seen.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::model::AppError;
use crate::model::user::Page;

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 500;

/// # Errors
/// `Validation` on `limit` outside 1–500.
pub fn limit(requested: Option<u64>) -> Result<u64, AppError> {
    match requested {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(AppError::field("limit", format!("must be between 1 and {MAX_LIMIT}"))),
    }
}

pub fn encode_cursor(key: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("k{key}"))
}

/// # Errors
/// `Validation` on `cursor` when it was not issued by us.
pub fn decode_cursor(cursor: &str) -> Result<i64, AppError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix('k').and_then(|n| n.parse().ok()))
        .ok_or_else(|| AppError::field("cursor", "is not a cursor this server issued"))
}

/// A cursor over a text key with an id to break ties (lists sorted by name).
pub fn encode_text_cursor(key: &str, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("t{id}:{key}"))
}

/// # Errors
/// `Validation` on `cursor` when it was not issued by us.
pub fn decode_text_cursor(cursor: &str) -> Result<(String, i64), AppError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| {
            let (id, key) = text.strip_prefix('t')?.split_once(':')?;
            Some((key.to_string(), id.parse().ok()?))
        })
        .ok_or_else(|| AppError::field("cursor", "is not a cursor this server issued"))
}

/// Builds a page from `limit + 1` fetched rows: the extra row only says that
/// another page exists.
pub fn page<M, T>(mut rows: Vec<M>, limit: u64, key: impl Fn(&M) -> i64, to_dto: impl Fn(M) -> T) -> Page<T> {
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more { rows.last().map(|row| encode_cursor(key(row))) } else { None };
    Page { items: rows.into_iter().map(to_dto).collect(), next_cursor }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        assert_eq!(decode_cursor(&encode_cursor(42)), Ok(42));
        assert!(decode_cursor("42").is_err());
        assert!(decode_cursor("").is_err());
    }

    #[test]
    fn text_cursors_keep_the_key_and_the_id() {
        assert_eq!(decode_text_cursor(&encode_text_cursor("SV-HV:01", 7)), Ok(("SV-HV:01".into(), 7)));
        assert!(decode_text_cursor(&encode_cursor(7)).is_err());
    }

    #[test]
    fn limits_default_to_fifty_and_stop_at_five_hundred() {
        assert_eq!(limit(None), Ok(50));
        assert_eq!(limit(Some(500)), Ok(500));
        assert!(limit(Some(0)).is_err());
        assert!(limit(Some(501)).is_err());
    }

    #[test]
    fn a_page_names_a_cursor_only_when_more_rows_exist() {
        let full = page(vec![1, 2, 3], 2, |n| *n, |n| n);
        assert_eq!(full.items, vec![1, 2]);
        assert_eq!(full.next_cursor, Some(encode_cursor(2)));
        let last = page(vec![1, 2], 2, |n| *n, |n| n);
        assert_eq!(last.next_cursor, None);
    }
}
