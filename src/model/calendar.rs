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

    /// "October 2026" (month names from jiff's strftime).
    pub fn long_name(self) -> String {
        self.first_day().strftime("%B %Y").to_string()
    }

    /// "Oct 2026".
    pub fn short_name(self) -> String {
        self.first_day().strftime("%b %Y").to_string()
    }

    /// "Oct".
    pub fn abbrev(self) -> String {
        self.first_day().strftime("%b").to_string()
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

/// A calendar quarter such as 2026-Q4 (October to December 2026).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    /// Year, four digits.
    pub year: i16,
    /// Quarter, 1 to 4.
    pub quarter: i8,
}

impl Quarter {
    /// Parses `YYYY-Qn` strictly (four-digit year, capital `Q`, 1 to 4).
    pub fn parse(s: &str) -> Option<Quarter> {
        let b = s.as_bytes();
        if b.len() != 7 || &s[4..6] != "-Q" || !b[..4].iter().all(u8::is_ascii_digit) {
            return None;
        }
        let year: i16 = s[..4].parse().ok()?;
        let quarter = (b[6] as char).to_digit(10)? as i8;
        if !(1..=4).contains(&quarter) || year < 1 {
            return None;
        }
        Some(Quarter { year, quarter })
    }

    /// The quarter a month falls in.
    pub fn of(m: Month) -> Quarter {
        Quarter { year: m.year, quarter: (m.month - 1) / 3 + 1 }
    }

    /// Its three months, in order.
    pub fn months(self) -> [Month; 3] {
        let first = Month { year: self.year, month: (self.quarter - 1) * 3 + 1 };
        [first, first.next(), first.next().next()]
    }

    /// The quarter before.
    pub fn prev(self) -> Quarter {
        Quarter::of(self.months()[0].prev())
    }

    /// The quarter after.
    pub fn next(self) -> Quarter {
        Quarter::of(self.months()[2].next())
    }

    /// The same quarter a year before.
    pub fn year_before(self) -> Quarter {
        Quarter { year: self.year - 1, quarter: self.quarter }
    }

    /// "Q4 2026".
    pub fn name(self) -> String {
        format!("Q{} {}", self.quarter, self.year)
    }

    /// "Oct–Dec 2026".
    pub fn span_name(self) -> String {
        let [a, _, c] = self.months();
        format!("{}–{} {}", a.abbrev(), c.abbrev(), self.year)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.quarter)
    }
}

impl Serialize for Quarter {
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

/// Today's date in the local time zone (jiff reads the system's zone; UTC when it has none).
pub fn today() -> Date {
    jiff::Zoned::now().date()
}

/// The as-of date of a build (docs/figures.md#the-as-of-date): `--as-of YYYY-MM-DD` when given, else the UTC
/// date of `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds convention), else
/// `None`: the caller takes [`today`]. An unreadable value is an error message for exit 2.
pub fn as_of_from(arg: Option<&str>, source_date_epoch: Option<&str>) -> Result<Option<Date>, String> {
    if let Some(a) = arg {
        return parse_date(a)
            .map(Some)
            .ok_or_else(|| format!("--as-of must be a real date as YYYY-MM-DD, found `{}`", a.escape_debug()));
    }
    let Some(e) = source_date_epoch else { return Ok(None) };
    let bad = || {
        format!(
            "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, found `{}`; set it to `git log -1 --format=%ct`, unset it, or pass --as-of YYYY-MM-DD",
            e.escape_debug()
        )
    };
    let digits = e.strip_prefix('-').unwrap_or(e);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    // A whole number past the dates the tool handles is out of range, not "not a number".
    let out_of_range = || {
        format!(
            "SOURCE_DATE_EPOCH is out of range, found `{e}`: as seconds since 1970-01-01 UTC it must be between {} and {} (the years -9999 to 9999); set it to `git log -1 --format=%ct`, unset it, or pass --as-of YYYY-MM-DD",
            jiff::Timestamp::MIN.as_second(),
            jiff::Timestamp::MAX.as_second()
        )
    };
    let secs: i64 = e.parse().map_err(|_| out_of_range())?;
    let ts = jiff::Timestamp::from_second(secs).map_err(|_| out_of_range())?;
    Ok(Some(ts.to_zoned(jiff::tz::TimeZone::UTC).date()))
}

/// Whether month `m` is complete at the as-of date: its last day is before it (docs/figures.md#the-as-of-date).
pub fn is_complete(m: Month, as_of: Date) -> bool {
    m.last_day() < as_of
}

/// Whether month `m` holds the as-of date (the month in progress).
pub fn is_in_progress(m: Month, as_of: Date) -> bool {
    Month::of(as_of) == m
}

/// The end day D of month `m` (docs/figures.md#the-as-of-date): its last day when complete, the as-of date when
/// in progress. Months after the as-of month have no report; for them this is the as-of date
/// too, so nothing after the as-of date is ever counted.
pub fn end_day(m: Month, as_of: Date) -> Date {
    m.last_day().min(as_of)
}

/// "7 Oct 2026".
pub fn date_label(d: Date) -> String {
    d.strftime("%-d %b %Y").to_string()
}

/// Whole calendar days from `a` to `b` (negative when `b` is earlier), by jiff's arithmetic.
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map(|s| i64::from(s.get_days())).unwrap_or(0)
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
        assert_eq!(Month::parse("2026-10").unwrap().short_name(), "Oct 2026");
        assert_eq!(Month::parse("2026-09").unwrap().abbrev(), "Sep");
        assert_eq!(date_label(parse_date("2026-10-07").unwrap()), "7 Oct 2026");
    }

    #[test]
    fn quarters() {
        let q = Quarter::parse("2026-Q4").unwrap();
        assert_eq!(q, Quarter { year: 2026, quarter: 4 });
        assert_eq!(q.to_string(), "2026-Q4");
        for bad in ["2026-Q0", "2026-Q5", "2026-q4", "2026-4", "26-Q4", "2026-Q44"] {
            assert_eq!(Quarter::parse(bad), None, "{bad}");
        }
        let m = |s: &str| Month::parse(s).unwrap();
        assert_eq!(q.months(), [m("2026-10"), m("2026-11"), m("2026-12")]);
        assert_eq!(Quarter::of(m("2026-01")).to_string(), "2026-Q1");
        assert_eq!(Quarter::of(m("2026-03")).to_string(), "2026-Q1");
        assert_eq!(Quarter::of(m("2026-04")).to_string(), "2026-Q2");
        assert_eq!(Quarter::of(m("2026-12")), q);
        assert_eq!(q.next().to_string(), "2027-Q1");
        assert_eq!(Quarter::parse("2026-Q1").unwrap().prev().to_string(), "2025-Q4");
        assert_eq!(q.year_before().to_string(), "2025-Q4");
        assert_eq!(q.name(), "Q4 2026");
        assert_eq!(q.span_name(), "Oct–Dec 2026");
    }

    #[test]
    fn as_of_sources_in_order() {
        let d = |s: &str| parse_date(s).unwrap();
        // --as-of wins over the environment.
        assert_eq!(as_of_from(Some("2026-11-30"), Some("0")), Ok(Some(d("2026-11-30"))));
        // 1795996800 s = 20,787 days after 1970-01-01 = 2026-11-30 00:00:00 UTC; one second
        // earlier is still 29 Nov.
        assert_eq!(as_of_from(None, Some("1795996800")), Ok(Some(d("2026-11-30"))));
        assert_eq!(as_of_from(None, Some("1795996799")), Ok(Some(d("2026-11-29"))));
        assert_eq!(as_of_from(None, Some("0")), Ok(Some(d("1970-01-01"))));
        assert_eq!(as_of_from(None, None), Ok(None));
        for bad in ["", "1.5", "12s", " 1", "1e9", "99999999999999999999", "-"] {
            let e = as_of_from(None, Some(bad)).unwrap_err();
            assert!(e.contains("SOURCE_DATE_EPOCH"), "{bad}: {e}");
        }
        // 9999-12-31T23:59:59Z is a whole number past the last date handled: out of range.
        for far in ["253402300799", "-99999999999999", "99999999999999999999"] {
            let e = as_of_from(None, Some(far)).unwrap_err();
            assert!(e.contains("out of range") && !e.contains("whole number"), "{far}: {e}");
        }
        assert!(as_of_from(Some("2026-02-30"), None).unwrap_err().contains("--as-of"));
        assert!(as_of_from(Some("30.11.2026"), None).is_err());
    }

    #[test]
    fn complete_in_progress_and_end_day() {
        let d = |s: &str| parse_date(s).unwrap();
        let oct = Month::parse("2026-10").unwrap();
        let nov = oct.next();
        let as_of = d("2026-11-30");
        assert!(is_complete(oct, as_of));
        assert!(!is_complete(nov, as_of), "the month holding the as-of date is not complete, even on its last day");
        assert!(is_in_progress(nov, as_of) && !is_in_progress(oct, as_of));
        assert_eq!(end_day(oct, as_of), d("2026-10-31"));
        assert_eq!(end_day(nov, as_of), d("2026-11-30"));
        assert_eq!(end_day(nov, d("2026-11-07")), d("2026-11-07"));
        // The day after a month's last day completes it.
        assert!(is_complete(oct, d("2026-11-01")));
        assert!(!is_complete(oct, d("2026-10-31")));
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
