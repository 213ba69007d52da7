//! Calendar months and dates. Months are the unit of every report; dates come from meetings
//! and action items. Calendar arithmetic goes through `jiff`, never by hand.

use jiff::civil::Date;
use serde::{Serialize, Serializer};
use std::fmt;

/// A calendar month such as 2026-10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// Year, four digits.
    pub year: i16,
    /// Month, 1 to 12.
    pub month: i8,
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Month {
    /// Parses `YYYY-MM` strictly (four-digit year, two-digit month 01 to 12).
    pub fn parse(s: &str) -> Option<Month> {
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' || !b.iter().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit()) {
            return None;
        }
        let year: i16 = s[..4].parse().ok()?;
        let month: i8 = s[5..].parse().ok()?;
        if !(1..=12).contains(&month) || year < 1 {
            return None;
        }
        Some(Month { year, month })
    }

    /// The month a date falls in.
    pub fn of(date: Date) -> Month {
        Month { year: date.year(), month: date.month() }
    }

    /// The calendar month before this one.
    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month { year: self.year - 1, month: 12 }
        } else {
            Month { year: self.year, month: self.month - 1 }
        }
    }

    /// The calendar month after this one.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { year: self.year, month: self.month + 1 }
        }
    }

    /// Months from `self` to `other`, both included (1 when equal; 0 or less when `other` is earlier).
    pub fn span_to(self, other: Month) -> i64 {
        (other.year as i64 * 12 + other.month as i64) - (self.year as i64 * 12 + self.month as i64) + 1
    }

    /// The first day of the month.
    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month, 1).expect("a valid month has a first day")
    }

    /// The last day of the month.
    pub fn last_day(self) -> Date {
        self.first_day().last_of_month()
    }

    /// "October 2026".
    pub fn long_name(self) -> String {
        format!("{} {}", MONTH_NAMES[(self.month - 1) as usize], self.year)
    }

    /// "Oct 2026".
    pub fn short_name(self) -> String {
        format!("{} {}", &MONTH_NAMES[(self.month - 1) as usize][..3], self.year)
    }

    /// "Oct".
    pub fn abbrev(self) -> &'static str {
        &MONTH_NAMES[(self.month - 1) as usize][..3]
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Parses `YYYY-MM-DD` strictly into a real calendar date (2026-02-30 is rejected).
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if !b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()) {
        return None;
    }
    Date::new(s[..4].parse().ok()?, s[5..7].parse().ok()?, s[8..].parse().ok()?).ok()
}

/// "7 Oct 2026".
pub fn date_label(d: Date) -> String {
    format!("{} {} {}", d.day(), &MONTH_NAMES[(d.month() - 1) as usize][..3], d.year())
}

/// Whole calendar days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    (b.to_jiff_days() - a.to_jiff_days()) as i64
}

trait JiffDays {
    fn to_jiff_days(self) -> i32;
}

impl JiffDays for Date {
    fn to_jiff_days(self) -> i32 {
        // Days since 1970-01-01, through jiff's own arithmetic.
        let epoch = Date::constant(1970, 1, 1);
        epoch.until(self).map(|s| s.get_days()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_months_strictly() {
        assert_eq!(Month::parse("2026-10"), Some(Month { year: 2026, month: 10 }));
        assert_eq!(Month::parse("2026-13"), None);
        assert_eq!(Month::parse("2026-1"), None);
        assert_eq!(Month::parse("26-10"), None);
    }

    #[test]
    fn month_arithmetic() {
        let jan = Month::parse("2026-01").unwrap();
        assert_eq!(jan.prev().to_string(), "2025-12");
        assert_eq!(jan.prev().next(), jan);
        assert_eq!(jan.span_to(Month::parse("2026-12").unwrap()), 12);
        assert_eq!(Month::parse("2024-02").unwrap().last_day().day(), 29);
        assert_eq!(jan.long_name(), "January 2026");
    }

    #[test]
    fn dates() {
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-02-28").is_some());
        let a = parse_date("2026-01-31").unwrap();
        let b = parse_date("2026-03-01").unwrap();
        assert_eq!(days_between(a, b), 29);
        assert_eq!(days_between(b, a), -29);
    }
}
