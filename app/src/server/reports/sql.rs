//! Report queries as SQL text with `?` placeholders, numbered for
//! PostgreSQL. Only values travel as parameters; the few literals spliced
//! in (ids, a currency code) are checked before.

use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};

use crate::model::AppError;

/// A query and its parameters, built up clause by clause.
#[derive(Debug, Default)]
pub(crate) struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Self { text: text.to_string(), values: Vec::new() }
    }

    /// Appends text whose `?` take `values` in order.
    pub fn push(&mut self, text: &str, values: impl IntoIterator<Item = Value>) -> &mut Self {
        self.text.push(' ');
        self.text.push_str(text);
        self.values.extend(values);
        self
    }

    /// `AND column IN (…)` over ids (none matches nothing).
    pub fn ids_in(&mut self, column: &str, ids: &[i64]) -> &mut Self {
        if ids.is_empty() {
            return self.push("AND 1 = 0", []);
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        self.push(&format!("AND {column} IN ({})", list.join(",")), [])
    }

    pub async fn all(&self, db: &impl ConnectionTrait) -> Result<Vec<QueryResult>, AppError> {
        let backend = db.get_database_backend();
        let text = match backend {
            DbBackend::Postgres => numbered(&self.text),
            _ => self.text.clone(),
        };
        Ok(db.query_all_raw(Statement::from_sql_and_values(backend, text, self.values.clone())).await?)
    }
}

/// The `YYYY-MM` of a timestamp column, in UTC.
pub(crate) fn month_of(backend: DbBackend, column: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')"),
        _ => format!("substr({column}, 1, 7)"),
    }
}

/// Days from one timestamp column to another, with the fraction (`NULL`
/// when either is).
pub(crate) fn days_between(backend: DbBackend, from: &str, to: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("(EXTRACT(EPOCH FROM ({to} - {from})) / 86400.0)::float8"),
        _ => format!("(julianday({to}) - julianday({from}))"),
    }
}

/// `?` → `$1`, `$2`… (the reports' SQL has no `?` inside literals).
fn numbered(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut n = 0;
    for c in text.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// A column of a result row, as the type asked for.
pub(crate) fn get<T: sea_orm::TryGetable>(row: &QueryResult, column: &str) -> Result<T, AppError> {
    Ok(row.try_get::<T>("", column)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order_for_postgres() {
        assert_eq!(numbered("a = ? AND b IN (?, ?)"), "a = $1 AND b IN ($2, $3)");
    }
}
