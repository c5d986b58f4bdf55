//! Refused files: the bad rows of a CSV import, counted in full and named
//! up to `IMPORT_MAX_ERRORS`, and the errors that carry them.

use serde::{Deserialize, Serialize};

use super::AppError;
use crate::model::limits::{IMPORT_MAX_ERRORS, IMPORT_MAX_ROWS, grouped};

/// One bad row of a file: `line` is 1-based, the header being line 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LineError {
    pub line: u64,
    pub field: String,
    pub message: String,
}

impl AppError {
    /// A refused file with its bad rows (the first `IMPORT_MAX_ERRORS` by
    /// line are kept, all are counted).
    pub fn invalid_file(errors: Vec<LineError>) -> Self {
        let mut collected = FileErrors::new();
        for error in errors {
            collected.push(error);
        }
        collected.into_error()
    }

    /// A file refused for having more than `IMPORT_MAX_ROWS` rows; `line`
    /// is the first line past the limit.
    pub fn too_many_rows(line: u64) -> Self {
        let most = grouped(IMPORT_MAX_ROWS as u64);
        Self::InvalidFile {
            message: format!(
                "The file has more than {most} rows; nothing was imported. Split it into files of at most {most} rows."
            ),
            errors: vec![LineError { line, field: "file".into(), message: format!("has more than {most} rows") }],
            total: 1,
        }
    }

    /// A submission refused by failing checks, named in the message.
    pub fn submission_blocked(checks: Vec<crate::model::claim::CheckOutcome>) -> Self {
        let names: Vec<&str> = checks.iter().map(|c| c.check.as_str()).collect();
        let message = format!("The claim cannot be submitted: {} failed. It stays a draft.", names.join(", "));
        Self::SubmissionBlocked { message, checks }
    }

    /// The failing checks of a refused submission (empty otherwise).
    pub fn failed_checks(&self) -> &[crate::model::claim::CheckOutcome] {
        match self {
            Self::SubmissionBlocked { checks, .. } => checks,
            _ => &[],
        }
    }

    /// The bad rows of a refused file (empty otherwise).
    pub fn line_errors(&self) -> &[LineError] {
        match self {
            Self::InvalidFile { errors, .. } => errors,
            _ => &[],
        }
    }

    /// How many bad rows a refused file has, listed or not (`None` for
    /// other errors).
    pub fn line_errors_total(&self) -> Option<u64> {
        match self {
            Self::InvalidFile { total, .. } => Some(*total),
            _ => None,
        }
    }
}

/// Collects the bad rows of a file: counts every one, keeps the first
/// `IMPORT_MAX_ERRORS` by line (never more than twice that at a time).
#[derive(Debug, Default)]
pub struct FileErrors {
    kept: Vec<LineError>,
    total: u64,
    /// Once trimmed: errors on this line or later can no longer be listed.
    cutoff: Option<u64>,
}

impl FileErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, error: LineError) {
        self.total += 1;
        if self.cutoff.is_some_and(|line| error.line >= line) {
            return;
        }
        self.kept.push(error);
        if self.kept.len() >= 2 * IMPORT_MAX_ERRORS {
            self.trim();
        }
    }

    /// Every error counted so far, listed or not.
    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Sorts by line (stable: a row's errors keep their order) and keeps the first.
    fn trim(&mut self) {
        self.kept.sort_by_key(|e| e.line);
        self.kept.truncate(IMPORT_MAX_ERRORS);
        if self.kept.len() == IMPORT_MAX_ERRORS {
            self.cutoff = self.kept.last().map(|e| e.line);
        }
    }

    /// The refused file: its first bad rows and how many there are.
    pub fn into_error(mut self) -> AppError {
        self.trim();
        let total = self.total;
        let mut message = if total == 1 {
            "The file has an error on 1 row; nothing was imported.".to_string()
        } else {
            format!("The file has {} errors; nothing was imported.", grouped(total))
        };
        if total > self.kept.len() as u64 {
            message.push_str(&format!(" The first {} are listed.", grouped(self.kept.len() as u64)));
        }
        AppError::InvalidFile { message, errors: self.kept, total }
    }

    /// `Ok(())` when nothing was counted.
    ///
    /// # Errors
    /// `InvalidFile` with the first bad rows and the total.
    pub fn finish(self) -> Result<(), AppError> {
        if self.is_empty() { Ok(()) } else { Err(self.into_error()) }
    }
}
