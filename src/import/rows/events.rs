//! Long exports (`events`): the latest state of each id, and the time of day in a date cell.

use crate::import::csvread::Place;
use jiff::civil::Date;

/// The latest state of one id of a long export.
#[derive(Clone)]
pub(super) struct IdState {
    pub(super) first: Vec<Option<Date>>,
    pub(super) first_place: Vec<Place>,
    pub(super) latest: Date,
    pub(super) latest_is_last: bool,
    /// The latest change is one of `lost`'s values.
    pub(super) latest_is_lost: bool,
    pub(super) latest_line: u64,
    /// Where the latest change's amount is (its cell).
    pub(super) latest_amount_at: Place,
    pub(super) latest_amount: String,
    /// The latest change's currency cell and where it is (when a currency column exists).
    pub(super) latest_currency: (String, Place),
    pub(super) latest_channel: String,
    /// The latest line's time of day, in seconds, when its date cell has one.
    pub(super) latest_time: Option<u32>,
    /// A line on the latest day whose won-or-not differs from the latest line's and whose
    /// time is later: file order decided against the clock (a history sorted newest first).
    pub(super) same_day_other: Option<(u64, u32, u32)>,
}

/// The time of day in a date cell (`2024-02-10T16:00:00Z`, `2/10/2024 4:00 PM`), in seconds:
/// the first `H:MM` or `HH:MM[:SS]`, with ` AM`/` PM` after it. `None` without one.
pub(super) fn time_of_day(raw: &str) -> Option<u32> {
    let colon = raw.find(':')?;
    let hours: String = raw[..colon].chars().rev().take_while(|c| c.is_ascii_digit()).collect();
    let h: u32 = hours.chars().rev().collect::<String>().parse().ok()?;
    let rest = &raw[colon + 1..];
    let m: u32 = rest.get(..2)?.parse().ok()?;
    let sec: u32 = rest.get(2..3).filter(|c| *c == ":").and_then(|_| rest.get(3..5)?.parse().ok()).unwrap_or(0);
    let lower = rest.to_ascii_lowercase();
    let h = match (lower.contains("pm"), lower.contains("am")) {
        (true, _) if h < 12 => h + 12,
        (_, true) if h == 12 => 0,
        _ => h,
    };
    (h < 24 && m < 60).then_some(h * 3600 + m * 60 + sec)
}

#[cfg(test)]
mod tests {
    use super::time_of_day;

    #[test]
    fn times_of_day_in_date_cells() {
        assert_eq!(time_of_day("2024-02-10T16:00:00Z"), Some(16 * 3600));
        assert_eq!(time_of_day("2024-02-10T09:30:15.000+0000"), Some(9 * 3600 + 30 * 60 + 15));
        assert_eq!(time_of_day("2/10/2024 4:05 PM"), Some(16 * 3600 + 5 * 60));
        assert_eq!(time_of_day("2/10/2024 12:10 am"), Some(10 * 60));
        assert_eq!(time_of_day("2/10/2024 12:10 PM"), Some(12 * 3600 + 10 * 60));
        assert_eq!(time_of_day("2024-02-10"), None);
    }
}
