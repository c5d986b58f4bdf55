//! Checked arithmetic on money in integer minor units (DESIGN.md §13): an
//! amount that does not fit is a 422 naming the field that made it, never a
//! wrap (release builds) or a panic (debug builds). Used by the services and
//! by the browser's server functions alike.

use super::AppError;
use super::limits::grouped;

/// The largest amount one line (a claim line, a repair's part or labour
/// line) may carry, in minor units: 10^12, ten billion in a two-decimal
/// currency. Far beyond any repair, and far enough below `i64::MAX` that
/// millions of lines still add up without overflowing.
pub const MAX_LINE_MINOR: i64 = 1_000_000_000_000;

/// The error of an amount that cannot be computed.
fn too_large(field: &str) -> AppError {
    AppError::field(field, "makes the amount too large to record")
}

/// `a × b`.
///
/// # Errors
/// A `Validation` error naming `field` when the product does not fit.
pub fn times(field: &str, a: i64, b: i64) -> Result<i64, AppError> {
    a.checked_mul(b).ok_or_else(|| too_large(field))
}

/// `a + b`.
///
/// # Errors
/// A `Validation` error naming `field` when the sum does not fit.
pub fn plus(field: &str, a: i64, b: i64) -> Result<i64, AppError> {
    a.checked_add(b).ok_or_else(|| too_large(field))
}

/// `a − b`.
///
/// # Errors
/// A `Validation` error naming `field` when the difference does not fit.
pub fn minus(field: &str, a: i64, b: i64) -> Result<i64, AppError> {
    a.checked_sub(b).ok_or_else(|| too_large(field))
}

/// The sum of `amounts`.
///
/// # Errors
/// A `Validation` error naming `field` when the sum does not fit.
pub fn checked_total(field: &str, amounts: impl IntoIterator<Item = i64>) -> Result<i64, AppError> {
    amounts.into_iter().try_fold(0i64, |sum, amount| plus(field, sum, amount))
}

/// The sum of the lines' amounts, naming the line that makes it too large:
/// `{lines}[i].{field}`, e.g. `lines[2].approved_minor`.
///
/// # Errors
/// A `Validation` error naming the first line whose amount does not fit.
pub fn lines_total(lines: &str, field: &str, amounts: impl IntoIterator<Item = i64>) -> Result<i64, AppError> {
    amounts.into_iter().enumerate().try_fold(0i64, |sum, (i, amount)| {
        sum.checked_add(amount).ok_or_else(|| too_large(&format!("{lines}[{i}].{field}")))
    })
}

/// Hours (in hundredths) × a rate per hour, rounded half up to the minor
/// unit, computed exactly (the product of two `i64` always fits an `i128`).
fn labor_exact(hours_hundredths: i64, rate_minor: i64) -> i128 {
    (i128::from(hours_hundredths) * i128::from(rate_minor) + 50).div_euclid(100)
}

/// A labour amount: hours (in hundredths) × rate per hour, rounded half up.
///
/// # Errors
/// A `Validation` error naming `field` when the amount does not fit.
pub fn labor(field: &str, hours_hundredths: i64, rate_minor: i64) -> Result<i64, AppError> {
    i64::try_from(labor_exact(hours_hundredths, rate_minor)).map_err(|_| too_large(field))
}

/// A labour amount for showing lines already written (bounded when they
/// were): clamped to the `i64` range rather than wrapped.
pub fn labor_clamped(hours_hundredths: i64, rate_minor: i64) -> i64 {
    let exact = labor_exact(hours_hundredths, rate_minor);
    i64::try_from(exact).unwrap_or(if exact < 0 { i64::MIN } else { i64::MAX })
}

/// A total for showing lines already written (bounded when they were):
/// clamped to the `i64` range rather than wrapped.
pub fn total_clamped(amounts: impl IntoIterator<Item = i64>) -> i64 {
    amounts.into_iter().fold(0i64, i64::saturating_add)
}

/// One line's amount within `0..=MAX_LINE_MINOR`.
///
/// # Errors
/// A `Validation` error naming `field` with the limit.
pub fn line_amount(field: &str, amount: i64) -> Result<i64, AppError> {
    if (0..=MAX_LINE_MINOR).contains(&amount) {
        Ok(amount)
    } else if amount < 0 {
        Err(AppError::field(field, "gives an amount below 0"))
    } else {
        Err(AppError::field(
            field,
            format!("gives an amount over {} minor units, the most one line may carry", grouped(MAX_LINE_MINOR as u64)),
        ))
    }
}

/// A line's price × quantity, within `0..=MAX_LINE_MINOR`.
///
/// # Errors
/// A `Validation` error naming `field` when the product does not fit or is
/// over the line limit.
pub fn line_times(field: &str, price_minor: i64, quantity: i64) -> Result<i64, AppError> {
    line_amount(field, times(field, price_minor, quantity)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(err: &AppError) -> Vec<String> {
        err.fields().into_keys().collect()
    }

    #[test]
    fn products_and_sums_that_fit_are_exact() {
        assert_eq!(times("quantity", 2_000_000, 3), Ok(6_000_000));
        assert_eq!(plus("requested_minor", 1, 2), Ok(3));
        assert_eq!(minus("lines", 5, 2), Ok(3));
        assert_eq!(checked_total("lines", [1, 2, 3]), Ok(6));
        assert_eq!(checked_total("lines", std::iter::empty()), Ok(0));
        assert_eq!(lines_total("lines", "amount", [i64::MAX - 1, 1]), Ok(i64::MAX));
    }

    #[test]
    fn an_overflow_is_a_field_error_never_a_wrap() {
        let err = times("quantity", i64::MAX / 2 + 1, 2).expect_err("overflows");
        assert_eq!(err.status(), 422);
        assert_eq!(field_of(&err), ["quantity"]);
        assert_eq!(err.field_message("quantity").as_deref(), Some("makes the amount too large to record"));
        assert!(times("quantity", i64::MIN, -1).is_err());
        assert_eq!(field_of(&plus("requested_minor", i64::MAX, 1).expect_err("overflows")), ["requested_minor"]);
        assert!(minus("lines", i64::MIN, 1).is_err());
        assert_eq!(field_of(&checked_total("lines", [i64::MAX, 1]).expect_err("overflows")), ["lines"]);
    }

    #[test]
    fn a_total_names_the_line_that_tips_it_over() {
        let amounts = [1, i64::MAX - 5, 4, 1, 7];
        let err = lines_total("lines", "amount", amounts).expect_err("overflows at the fourth line");
        assert_eq!(field_of(&err), ["lines[3].amount"]);
    }

    #[test]
    fn labour_is_rounded_half_up_and_checked() {
        assert_eq!(labor("hours", 350, 95_000), Ok(332_500));
        assert_eq!(labor("hours", 1, 150), Ok(2));
        assert_eq!(labor("hours", 1, 149), Ok(1));
        assert_eq!(labor("hours", 99_999, i64::MAX / 100), Err(too_large("hours")));
        // The exact product would overflow i64, but the rounded amount fits.
        assert_eq!(labor("hours", 200, i64::MAX / 2), Ok(i64::MAX - 1));
        assert_eq!(labor_clamped(i64::MAX, i64::MAX), i64::MAX);
        assert_eq!(labor_clamped(i64::MAX, i64::MIN), i64::MIN);
        assert_eq!(labor_clamped(350, 95_000), 332_500);
    }

    #[test]
    fn shown_totals_clamp_instead_of_wrapping() {
        assert_eq!(total_clamped([i64::MAX, i64::MAX]), i64::MAX);
        assert_eq!(total_clamped([2, 3]), 5);
    }

    #[test]
    fn a_line_carries_at_most_ten_to_the_twelfth() {
        assert_eq!(line_amount("amount", MAX_LINE_MINOR), Ok(MAX_LINE_MINOR));
        let over = line_amount("amount", MAX_LINE_MINOR + 1).expect_err("over");
        assert_eq!(
            over.field_message("amount").as_deref(),
            Some("gives an amount over 1,000,000,000,000 minor units, the most one line may carry")
        );
        assert!(line_amount("amount", -1).is_err());
        assert_eq!(line_times("quantity", 1_000_000, 1_000), Ok(1_000_000_000));
        assert_eq!(field_of(&line_times("quantity", MAX_LINE_MINOR, 2).expect_err("over")), ["quantity"]);
        assert_eq!(field_of(&line_times("quantity", i64::MAX, i64::MAX).expect_err("overflow")), ["quantity"]);
    }
}
