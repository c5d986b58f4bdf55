//! Reading the catalogue's CSV: every bad cell becomes a line error.

use std::collections::HashMap;

use crate::model::AppError;
use crate::model::error::{FileErrors, LineError};
use crate::model::limits::IMPORT_MAX_ROWS;
use crate::model::network;
use crate::model::parts::{self, CSV_COLUMNS, CSV_REQUIRED};
use crate::model::policy::ComponentCategory;
use crate::server::csv_export::uncell;

/// One good row of the file.
pub(super) struct Row {
    pub(super) line: u64,
    pub(super) number: String,
    pub(super) description: String,
    pub(super) category: ComponentCategory,
    pub(super) price: i64,
    pub(super) currency: String,
    pub(super) serialized: bool,
    pub(super) warranty_eligible: bool,
    pub(super) dangerous_goods: Option<bool>,
    pub(super) active: Option<bool>,
    /// `Some(None)`: the column is there and empty (no successor).
    pub(super) superseded_by: Option<Option<String>>,
}

pub(super) fn line_error(line: u64, field: &str, message: String) -> LineError {
    LineError { line, field: field.to_string(), message }
}

/// Reads the file record by record; every bad cell becomes a line error
/// (the first `IMPORT_MAX_ERRORS` are kept, all are counted). A cell our
/// export prefixed with `'` (see `csv_export::cell`) reads as it was.
///
/// # Errors
/// `InvalidFile` for bad rows, or more than `IMPORT_MAX_ROWS` of them.
pub(super) fn parse(bytes: &[u8]) -> Result<Vec<Row>, AppError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = ::csv::ReaderBuilder::new().flexible(true).trim(::csv::Trim::All).from_reader(bytes);
    let mut errors = FileErrors::new();
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_ascii_lowercase()).collect(),
        Err(e) => {
            let message = format!("is not a readable CSV file: {e}");
            return Err(AppError::invalid_file(vec![line_error(1, "file", message)]));
        }
    };
    let column: HashMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect();
    for name in &CSV_COLUMNS[..CSV_REQUIRED] {
        if !column.contains_key(name) {
            errors.push(line_error(1, name, "is a required column".into()));
        }
    }
    for header in &headers {
        if !CSV_COLUMNS.contains(&header.as_str()) {
            errors.push(line_error(
                1,
                header,
                format!("is not a column of the parts file ({})", CSV_COLUMNS.join(", ")),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors.into_error());
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (index, record) in reader.records().enumerate() {
        if index >= IMPORT_MAX_ROWS {
            let line = record.as_ref().ok().and_then(|r| r.position()).map_or(0, |p| p.line());
            return Err(AppError::too_many_rows(line));
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(line_error(line, "file", format!("cannot be read: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != headers.len() {
            errors.push(line_error(
                line,
                "row",
                format!("has {} cells; the header has {}", record.len(), headers.len()),
            ));
            continue;
        }
        let cell = |name: &str| column.get(name).and_then(|i| record.get(*i)).map(uncell);
        let before = errors.total();
        macro_rules! check {
            ($field:expr, $result:expr $(,)?) => {
                match $result {
                    Ok(value) => Some(value),
                    Err(message) => {
                        errors.push(line_error(line, $field, message));
                        None
                    }
                }
            };
        }
        let number = check!("part_number", parts::part_number(cell("part_number").unwrap_or_default()));
        let description = check!("description", parts::description(cell("description").unwrap_or_default()));
        let category =
            check!("component_category", ComponentCategory::parse(cell("component_category").unwrap_or_default()));
        let price = check!(
            "list_price_minor",
            cell("list_price_minor")
                .unwrap_or_default()
                .parse::<i64>()
                .map_err(|_| "must be a whole number of minor units, like 125000".to_string())
                .and_then(parts::list_price),
        );
        let currency = check!("currency", network::currency(cell("currency").unwrap_or_default()));
        let serialized = check!("serialized", parts::flag(cell("serialized").unwrap_or_default(), None));
        let eligible = check!("warranty_eligible", parts::flag(cell("warranty_eligible").unwrap_or_default(), None));
        let optional_flag = |name: &str| cell(name).filter(|v| !v.is_empty()).map(|v| parts::flag(v, None));
        let dangerous = match optional_flag("dangerous_goods") {
            Some(r) => check!("dangerous_goods", r),
            None => None,
        };
        let active = match optional_flag("active") {
            Some(r) => check!("active", r),
            None => None,
        };
        let superseded_by: Option<Option<String>> = match cell("superseded_by") {
            None => None,
            Some("") => Some(None),
            Some(v) => match parts::part_number(v) {
                Ok(n) => Some(Some(n)),
                Err(message) => {
                    errors.push(line_error(line, "superseded_by", message));
                    None
                }
            },
        };
        if let Some(number) = &number {
            if let Some(first) = seen.insert(number.clone(), line) {
                errors.push(line_error(line, "part_number", format!("{number} is already on line {first}")));
            }
            if superseded_by.as_ref().and_then(|s| s.as_ref()) == Some(number) {
                errors.push(line_error(line, "superseded_by", "cannot be the part itself".into()));
            }
        }
        if errors.total() > before {
            continue;
        }
        let (
            Some(number),
            Some(description),
            Some(category),
            Some(price),
            Some(currency),
            Some(serialized),
            Some(eligible),
        ) = (number, description, category, price, currency, serialized, eligible)
        else {
            continue;
        };
        rows.push(Row {
            line,
            number,
            description,
            category,
            price,
            currency,
            serialized,
            warranty_eligible: eligible,
            dangerous_goods: dangerous,
            active,
            superseded_by,
        });
    }
    errors.finish()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "part_number,description,component_category,list_price_minor,currency,serialized,warranty_eligible";

    #[test]
    fn a_good_file_parses_every_row() {
        let file =
            format!("{HEADER}\nsv-1,HV pack,hv_battery,100,eur,true,yes\nSV-2,Wiper,vehicle_basic,5,EUR,no,no\n");
        let rows = parse(file.as_bytes()).expect("good file");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].number, "SV-1");
        assert_eq!(rows[0].currency, "EUR");
        assert!(rows[0].serialized);
    }

    #[test]
    fn every_bad_row_is_named_with_its_line_and_field() {
        let file = format!(
            "{HEADER}\nSV-1,ok,hv_battery,100,EUR,true,true\nSV-2,bad,rocket,-5,EUR,true,true\nSV-1,dup,hv_battery,1,EUR,true,true\n"
        );
        let err = parse(file.as_bytes()).err().expect("bad rows");
        let named: Vec<(u64, &str)> = err.line_errors().iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(named, vec![(3, "component_category"), (3, "list_price_minor"), (4, "part_number")]);
    }

    #[test]
    fn missing_and_unknown_columns_are_errors_on_the_header() {
        let err = parse(b"part_number,colour\nX1,red\n").err().expect("bad header");
        let errors = err.line_errors();
        assert!(errors.iter().all(|e| e.line == 1));
        assert!(errors.iter().any(|e| e.field == "description"));
        assert!(errors.iter().any(|e| e.field == "colour"));
    }

    #[test]
    fn a_short_row_is_refused() {
        let file = format!("{HEADER}\nSV-1,HV pack\n");
        let err = parse(file.as_bytes()).err().expect("short row");
        let errors = err.line_errors();
        assert_eq!((errors[0].line, errors[0].field.as_str()), (2, "row"));
    }
}
