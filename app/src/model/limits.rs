//! What no client can do to the others (DESIGN.md §13): the bounds of
//! imports, searches and exports, in one place so the README quotes them.

/// Data rows a CSV import may have (the header not counted); a file with
/// more is refused after reading one row past the limit.
pub const IMPORT_MAX_ROWS: usize = 200_000;

/// Row errors a refused file reports; the rest are only counted.
pub const IMPORT_MAX_ERRORS: usize = 1_000;

/// Words a search term (`q`) may have.
pub const SEARCH_MAX_WORDS: usize = 10;

/// Characters a search term (`q`) may have.
pub const SEARCH_MAX_CHARS: usize = 200;

/// Rows of a claims or stock CSV export: narrow the filters for the rest.
pub const EXPORT_MAX_ROWS: u64 = 100_000;

/// Rows of a catalogue export: as many as one import may write, so a
/// catalogue exports whole and imports back.
pub const CATALOGUE_EXPORT_MAX_ROWS: u64 = IMPORT_MAX_ROWS as u64;

/// CSV exports one server streams at once; one more answers 503 `busy`
/// with `Retry-After`.
pub const EXPORT_MAX_CONCURRENT: usize = 2;

/// CSV imports one server reads and writes at once (each body up to
/// 64 MiB in memory); one more answers 503 `busy` with `Retry-After`.
pub const IMPORT_MAX_CONCURRENT: usize = 2;

/// Seconds a refused export or import is told to wait.
pub const CSV_RETRY_AFTER_SECS: u64 = 5;

/// A count with thousands separators, as the messages quote limits: `200,000`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(200_000), "200,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
}
