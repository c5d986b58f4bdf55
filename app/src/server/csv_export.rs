//! CSV exports: streamed a page of rows at a time, a bounded number at once
//! per server, and safe to open in a spreadsheet (DESIGN.md §13).

use std::borrow::Cow;
use std::future::Future;
use std::sync::Arc;

use futures_util::stream::BoxStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::model::AppError;
use crate::model::limits::{CSV_RETRY_AFTER_SECS, EXPORT_MAX_CONCURRENT};

/// Rows an export reads per statement (and sends per chunk).
pub const PAGE_ROWS: u64 = 500;

/// A text cell as a spreadsheet may open it: one that a spreadsheet would
/// run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR, after any
/// `'`s) gets a leading `'`. Only for text: numbers such as `-3` are written
/// as they are.
pub fn cell(text: &str) -> Cow<'_, str> {
    if formula_like(text) { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) }
}

/// A cell as [`cell`] wrote it, back as it was (the catalogue import reads
/// its own export): a leading `'` is dropped where `cell` would have added it.
pub fn uncell(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => text,
    }
}

/// Whether `cell` prefixes the text. The `'`s a text already starts with are
/// skipped, so `'=x` (which could have come from `=x`) is prefixed too and
/// `uncell` undoes exactly what `cell` did.
fn formula_like(text: &str) -> bool {
    matches!(text.trim_start_matches('\'').bytes().next(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'))
}

/// Turns for the long CSV jobs one server runs at once: exports streaming,
/// imports reading and writing (each a field of `AppState`).
#[derive(Clone)]
pub struct CsvTurns(Arc<Semaphore>);

impl Default for CsvTurns {
    fn default() -> Self {
        Self::new(EXPORT_MAX_CONCURRENT)
    }
}

impl CsvTurns {
    pub fn new(at_once: usize) -> Self {
        Self(Arc::new(Semaphore::new(at_once)))
    }

    /// A turn for one job: an export holds it until its stream ends or is
    /// dropped, an import until it is written.
    ///
    /// # Errors
    /// `Busy` (503 with `Retry-After`) when every turn is taken.
    pub fn start(&self) -> Result<OwnedSemaphorePermit, AppError> {
        let busy = |_| AppError::Busy { retry_after_secs: CSV_RETRY_AFTER_SECS };
        Arc::clone(&self.0).try_acquire_owned().map_err(busy)
    }
}

/// Rows written as CSV into memory: one page of an export.
pub struct Rows(csv::Writer<Vec<u8>>);

impl Default for Rows {
    fn default() -> Self {
        Self(csv::Writer::from_writer(Vec::new()))
    }
}

impl Rows {
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes one record; text cells go through [`cell`] first.
    ///
    /// # Errors
    /// `Internal` when the writer fails.
    pub fn row<I, T>(&mut self, record: I) -> Result<(), AppError>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.0.write_record(record).map_err(|e| anyhow::anyhow!("CSV export failed: {e}").into())
    }

    /// The page's bytes.
    ///
    /// # Errors
    /// `Internal` when the writer fails.
    pub fn finish(self) -> Result<Vec<u8>, AppError> {
        self.0.into_inner().map_err(|e| anyhow::anyhow!("CSV export failed: {e}").into())
    }
}

/// An export's rows, read a page at a time as the client takes them.
pub trait Pages: Send + 'static {
    /// The next page as CSV, or `None` after the last.
    fn next_page(&mut self) -> impl Future<Output = Result<Option<Vec<u8>>, AppError>> + Send;
}

/// A CSV file on its way out: its name and its bytes, page by page.
pub struct CsvExport {
    pub name: &'static str,
    stream: BoxStream<'static, Result<Vec<u8>, AppError>>,
}

impl CsvExport {
    /// The header, then the pages. An error after the first chunk can only
    /// end the download early (the status has been sent).
    pub fn into_stream(self) -> BoxStream<'static, Result<Vec<u8>, AppError>> {
        self.stream
    }
}

/// Starts an export named `name`: takes a turn of `exports` (kept until the
/// stream ends or the client goes away), then streams `header` and `pages`.
/// Callers check the actor and the filters first, so those errors answer
/// before the file starts.
///
/// # Errors
/// `Busy` when the server streams as many exports as it allows.
pub fn stream<P: Pages>(
    exports: &CsvTurns,
    name: &'static str,
    header: &[&str],
    pages: P,
) -> Result<CsvExport, AppError> {
    let turn = exports.start()?;
    let mut first = Rows::new();
    first.row(header)?;
    let first = first.finish()?;
    let stream = futures_util::stream::unfold(Some((Some(first), pages, turn)), |state| async move {
        let (header, mut pages, turn) = state?;
        if let Some(header) = header {
            return Some((Ok(header), Some((None, pages, turn))));
        }
        match pages.next_page().await {
            Ok(Some(chunk)) => Some((Ok(chunk), Some((None, pages, turn)))),
            // The turn is dropped with the state: the next export may start.
            Ok(None) => None,
            Err(err) => Some((Err(err), None)),
        }
    });
    // Fused: a body may be polled again after its end (the compression
    // layer's encoder does, to flush), and `unfold` panics when it is.
    Ok(CsvExport { name, stream: Box::pin(futures_util::StreamExt::fuse(stream)) })
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    use super::*;

    #[test]
    fn text_a_spreadsheet_would_run_gets_a_leading_quote() {
        for formula in ["=HYPERLINK(\"http://x\",\"click\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "'=x"] {
            assert_eq!(cell(formula), format!("'{formula}"), "{formula:?}");
        }
        for text in ["PAY-2026-0042", "Pack, 77 kWh", "", "a=b", "'quoted'", "电池"] {
            assert_eq!(cell(text), text, "{text:?}");
            assert!(matches!(cell(text), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn what_cell_wrote_reads_back_as_it_was() {
        for text in ["=x", "'=x", "''-1", "-3", "plain", "'plain", "", "'", "@"] {
            assert_eq!(uncell(&cell(text)), text, "{text:?}");
        }
    }

    #[test]
    fn only_so_many_exports_run_at_once_and_a_finished_one_frees_its_turn() {
        let exports = CsvTurns::new(1);
        let first = exports.start().expect("a free turn");
        assert_eq!(exports.start().err(), Some(AppError::Busy { retry_after_secs: CSV_RETRY_AFTER_SECS }));
        drop(first);
        assert!(exports.start().is_ok());
    }

    struct Numbers(u64);

    impl Pages for Numbers {
        async fn next_page(&mut self) -> Result<Option<Vec<u8>>, AppError> {
            if self.0 == 0 {
                return Ok(None);
            }
            self.0 -= 1;
            let mut rows = Rows::new();
            rows.row([&*cell("-1"), "-1"])?;
            rows.finish().map(Some)
        }
    }

    #[tokio::test]
    async fn a_stream_holds_its_turn_until_it_ends() {
        let exports = CsvTurns::new(1);
        let export = stream(&exports, "n.csv", &["text", "number"], Numbers(2)).expect("a free turn");
        assert!(exports.start().is_err(), "the stream holds the only turn");
        let chunks: Vec<Vec<u8>> = export.into_stream().map(|c| c.expect("a chunk")).collect().await;
        assert_eq!(chunks.concat(), b"text,number\n'-1,-1\n'-1,-1\n");
        assert!(exports.start().is_ok(), "the ended stream gave its turn back");

        let mut ended = stream(&exports, "n.csv", &["text"], Numbers(0)).expect("a free turn").into_stream();
        while ended.next().await.is_some() {}
        assert!(ended.next().await.is_none(), "an ended stream may be polled again");

        let dropped = stream(&exports, "n.csv", &["text", "number"], Numbers(1_000)).expect("a free turn");
        drop(dropped);
        assert!(exports.start().is_ok(), "a client that went away gave its turn back");
    }
}
