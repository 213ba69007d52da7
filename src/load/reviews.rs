//! A meeting's `reviews: YYYY-MM` (docs/content.md, "Meetings"): the month the meeting reviews,
//! for the monthly review held in the first days of the next month. It may be the meeting's
//! own month or one of the two before it; later is a date mistake, and further back is more
//! likely a typo than a review (a review that late belongs in its own month's report).

use super::de::{At, MonthOf};
use super::reader::FileReader;
use crate::diagnostics::Reported;
use crate::model::calendar::Month;
use jiff::civil::Date;

/// How many months before its own a meeting may review.
pub const MAX_MONTHS_BACK: i64 = 2;

/// Checks a meeting's `reviews:` against its date. `Ok(None)` without the field, `Ok(month)`
/// when it is right, `Err(Reported)` when it is wrong (reported at the field's value) or could not be
/// read (reported by the reader).
pub(super) fn check(
    r: &mut FileReader,
    field: &Option<At<MonthOf>>,
    date: Option<Date>,
) -> Result<Option<Month>, Reported> {
    let Some(field) = field else { return Ok(None) };
    let Some(month) = field.value.0 else { return Err(Reported) };
    let Some(date) = date else { return Ok(Some(month)) };
    let own = Month::of(date);
    if month > own {
        r.error_at(
            field.loc,
            format!("`reviews: {month}` is after the meeting's own month, {own} (it was held on {date})"),
            format!("a meeting reviews its own month or one of the {MAX_MONTHS_BACK} before it: check the month, or the meeting's date"),
        );
        return Err(Reported);
    }
    let back = month.span_to(own) - 1;
    if back > MAX_MONTHS_BACK {
        r.error_at(
            field.loc,
            format!("`reviews: {month}` is {back} months before the meeting's own month, {own}"),
            format!(
                "a meeting reviews its own month or one of the {MAX_MONTHS_BACK} before it ({} to {own}): check the month",
                own.prev().prev()
            ),
        );
        return Err(Reported);
    }
    Ok(Some(month))
}
