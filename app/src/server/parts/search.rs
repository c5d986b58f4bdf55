//! The catalogue's search: a part-number prefix, or the beginnings of
//! description words, read from the word index.

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};

use crate::model::AppError;
use crate::model::parts;
use crate::server::entities::{part, part_word};

/// A part-number prefix, or every word of `q` starting a description word.
pub(crate) fn matches(q: &str) -> Condition {
    let words = parts::words(q);
    let mut any = Condition::any().add(number_prefix(q));
    if !words.is_empty() {
        any = any.add(words.iter().fold(Condition::all(), |all, word| all.add(described_by(word))));
    }
    any
}

/// Above this many description words starting with each word searched for,
/// the catalogue is read in part-number order until a page is full, instead
/// of collecting and sorting every match. With m of N parts matching, a page
/// of 50 is found after about 50·N/m parts, while sorting costs m: on a
/// catalogue of about 100,000 parts the two cost the same near m = 2,000.
const COMMON_WORD: u64 = 2_000;

/// The catalogue's search for `q`: what [`matches`] finds, in a form the
/// database answers from an index in part-number order, stopping at the page.
/// A word that starts no description word leaves only part numbers to match;
/// a rare word is looked up and its few parts sorted; common words are
/// checked part by part while the part-number index is walked.
pub(super) async fn search(db: &impl ConnectionTrait, q: &str) -> Result<Condition, AppError> {
    let words = parts::words(q);
    let mut fewest = u64::MAX;
    for word in &words {
        let postings = part_word::Entity::find().filter(word_range(word)).limit(COMMON_WORD).count(db).await?;
        fewest = Ord::min(fewest, postings);
    }
    let by_number = number_prefix(q);
    if words.is_empty() || fewest == 0 {
        return Ok(by_number);
    }
    let described = words.iter().fold(Condition::all(), |all, word| {
        all.add(if fewest < COMMON_WORD { described_by(word) } else { describes_this_part(word) })
    });
    Ok(Condition::any().add(by_number).add(described))
}

/// Part numbers starting with `q`.
fn number_prefix(q: &str) -> Condition {
    let number = q.to_uppercase();
    Condition::all()
        .add(part::Column::PartNumber.gte(number.as_str()))
        .add(part::Column::PartNumber.lt(format!("{number}~")))
}

/// Description words starting with `word`: a range of the word index.
fn word_range(word: &str) -> Condition {
    Condition::all()
        .add(Expr::col((part_word::Entity, part_word::Column::Word)).gte(word))
        .add(Expr::col((part_word::Entity, part_word::Column::Word)).lt(format!("{word}{}", char::MAX)))
}

/// Parts with a description word starting with `word`, looked up in the word index.
fn described_by(word: &str) -> Condition {
    let mut sub = Query::select();
    sub.column(part_word::Column::PartId).from(part_word::Entity).cond_where(word_range(word));
    Condition::all().add(part::Column::Id.in_subquery(sub))
}

/// The part at hand has a description word starting with `word`: checked
/// per part (its few words), for a walk in part-number order.
fn describes_this_part(word: &str) -> Condition {
    let mut sub = Query::select();
    sub.expr(Expr::val(1))
        .from(part_word::Entity)
        .and_where(Expr::col((part_word::Entity, part_word::Column::PartId)).equals((part::Entity, part::Column::Id)))
        .cond_where(word_range(word));
    Condition::all().add(Expr::exists(sub))
}
