//! Dates in CRM exports (docs/import.md). Without `date_format`, each value
//! is first *classified*: an unambiguous date (ISO, `2024/01/05`, `Jan 5, 2024`) is read at
//! once; a numeric date with the year last (`1/5/2024`, `05-01-24`, `5.1.2024`) keeps its two
//! leading numbers until the whole column has been seen, because only the column can tell
//! month-first from day-first (a value with a part over 12 settles it). A column that fits
//! both is an error asking for `date_format`: the import never guesses. A time after the date
//! (`8:55`, `08:55:00 PM`, `T10:00:00Z`, ` UTC`) is accepted and ignored.

use jiff::civil::Date;

/// The years an import reads a date in: outside them a date is a placeholder ("no date"
/// written as `0001-01-01`) or a typo, and an error at its cell.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i16> = 1900..=2200;

/// One date cell, as far as it can be read on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Raw {
    /// A date with no doubt about its parts.
    Exact(Date),
    /// `first/second/year` (any of `/ . -`): which of `first` and `second` is the month is
    /// decided by the column.
    YearLast {
        /// The first number.
        first: u8,
        /// The second number.
        second: u8,
        /// The full year (two-digit years already expanded).
        year: i16,
    },
}

/// How a column's year-last dates are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// `1/5/2024` is January 5.
    MonthFirst,
    /// `1/5/2024` is May 1.
    DayFirst,
}

impl Raw {
    /// The date, with `order` deciding year-last values; `None` when it is no real day.
    pub fn resolve(self, order: Order) -> Option<Date> {
        match self {
            Raw::Exact(d) => Some(d),
            Raw::YearLast { first, second, year } => {
                let (m, d) = match order {
                    Order::MonthFirst => (first, second),
                    Order::DayFirst => (second, first),
                };
                Date::new(year, m as i8, d as i8).ok()
            }
        }
    }
}

/// POSIX `%y`: 69–99 are 19xx, 00–68 are 20xx.
fn full_year(y: u32, digits: usize) -> Option<i16> {
    match digits {
        2 if y >= 69 => Some(1900 + y as i16),
        2 => Some(2000 + y as i16),
        4 => Some(y as i16),
        _ => None,
    }
}

/// Reads 1 to `max` ASCII digits at the start of `s`; returns the number, digit count, rest.
fn digits(s: &str, max: usize) -> Option<(u32, usize, &str)> {
    // By hand, not `str::parse`: this runs for every date of a million-row export.
    let b = s.as_bytes();
    let (mut v, mut n) = (0u32, 0usize);
    while n <= max && n < b.len() && b[n].is_ascii_digit() {
        v = v * 10 + u32::from(b[n] - b'0');
        n += 1;
    }
    if n == 0 || n > max {
        return None;
    }
    Some((v, n, &s[n..]))
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTHS_FULL: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month name (`Jan`, `January`, `Sept`, any case) at the start of `s`.
fn month_name(s: &str) -> Option<(u8, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = s[..n].to_ascii_lowercase();
    let m = MONTHS_FULL
        .iter()
        .position(|f| *f == word)
        .or_else(|| MONTHS.iter().position(|a| *a == word))
        .or_else(|| if word == "sept" { Some(8) } else { None })?;
    let rest = &s[n..];
    Some((m as u8 + 1, rest.strip_prefix('.').unwrap_or(rest)))
}

/// Whether `s` is nothing, or a time of day the import ignores: ` 8:55`, `T08:55:00.123Z`,
/// ` 08:55 PM`, `+02:00`, ` UTC`.
pub fn is_time_suffix(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    let Some(mut t) = s.strip_prefix(['T', 't', ' ']) else {
        return false;
    };
    t = t.trim_start();
    let Some((h, _, rest)) = digits(t, 2) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(':') else {
        return false;
    };
    let Some((mi, 2, mut rest)) = digits(rest, 2) else {
        return false;
    };
    if h > 24 || mi > 59 {
        return false;
    }
    if let Some(r) = rest.strip_prefix(':') {
        let Some((sec, 2, r)) = digits(r, 2) else {
            return false;
        };
        if sec > 60 {
            return false;
        }
        rest = r;
        if let Some(r) = rest.strip_prefix(['.', ',']) {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return false;
            }
            rest = &r[n..];
        }
    }
    let mut rest = rest.trim_start();
    for ampm in ["am", "pm", "a.m.", "p.m."] {
        if rest.len() >= ampm.len() && rest[..ampm.len()].eq_ignore_ascii_case(ampm) {
            if h == 0 || h > 12 {
                return false;
            }
            rest = rest[ampm.len()..].trim_start();
            break;
        }
    }
    is_zone(rest)
}

/// A time zone after a time: nothing, `Z`, `UTC`, `GMT`, `+02`, `+0200`, `-05:00`.
fn is_zone(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("z") || s.eq_ignore_ascii_case("utc") || s.eq_ignore_ascii_case("gmt") {
        return true;
    }
    let Some(r) = s.strip_prefix(['+', '-']) else {
        return false;
    };
    let r = r.replace(':', "");
    (r.len() == 2 || r.len() == 4) && r.bytes().all(|b| b.is_ascii_digit())
}

/// Classifies a trimmed, non-blank cell; `None` when it is no date in any supported form.
pub fn classify(s: &str) -> Option<Raw> {
    let s = s.trim();
    if s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return month_first_name(s);
    }
    let (a, na, rest) = digits(s, 4)?;
    let sep = rest.chars().next()?;
    if !matches!(sep, '-' | '/' | '.') {
        // `5 Jan 2024`
        let rest = rest.strip_prefix(' ')?;
        let (m, rest) = month_name(rest)?;
        let (y, ny, rest) = digits(rest.strip_prefix([' ', ',']).map(str::trim_start)?, 4)?;
        let d = Date::new(full_year(y, ny)?, m as i8, a as i8).ok()?;
        return is_time_suffix(rest).then_some(Raw::Exact(d));
    }
    let rest = &rest[1..];
    let (b, _, rest) = digits(rest, 2)?;
    let rest = rest.strip_prefix(sep)?;
    if na == 4 {
        // Year first: `2024-01-05`, `2024/01/05` (and `2024.01.05`).
        let (c, _, rest) = digits(rest, 2)?;
        let d = Date::new(a as i16, b as i8, c as i8).ok()?;
        return is_time_suffix(rest).then_some(Raw::Exact(d));
    }
    if na > 2 {
        return None;
    }
    let (y, ny, rest) = digits(rest, 4)?;
    let year = full_year(y, ny)?;
    if !is_time_suffix(rest) || a == 0 || b == 0 || a > 31 || b > 31 || (a > 12 && b > 12) {
        return None;
    }
    Some(Raw::YearLast { first: a as u8, second: b as u8, year })
}

/// `Jan 5, 2024`, `January 5 2024`.
fn month_first_name(s: &str) -> Option<Raw> {
    let (m, rest) = month_name(s)?;
    let (d, _, rest) = digits(rest.strip_prefix(' ')?.trim_start(), 2)?;
    let rest = rest.strip_prefix(',').unwrap_or(rest);
    let (y, ny, rest) = digits(rest.strip_prefix(' ')?.trim_start(), 4)?;
    let date = Date::new(full_year(y, ny)?, m as i8, d as i8).ok()?;
    is_time_suffix(rest).then_some(Raw::Exact(date))
}

/// Reads a cell with an explicit strftime-style `date_format` (a time after it is ignored).
pub fn with_format(format: &str, s: &str) -> Option<Date> {
    let s = s.trim();
    if let Ok(tm) = jiff::fmt::strtime::parse(format, s) {
        return tm.to_date().ok();
    }
    let (tm, n) = jiff::fmt::strtime::BrokenDownTime::parse_prefix(format, s).ok()?;
    if !is_time_suffix(&s[n..]) {
        return None;
    }
    tm.to_date().ok()
}

/// Whether a `date_format` names a year, a month and a day (so every value is one day).
pub fn format_is_complete(format: &str) -> bool {
    let has = |codes: &[&str]| codes.iter().any(|c| format.contains(c));
    has(&["%F", "%D", "%x"])
        || (has(&["%Y", "%y", "%C"]) && has(&["%m", "%b", "%B", "%h", "%-m"]) && has(&["%d", "%e", "%-d"]))
}

/// A `date_format` that reads `example` (a year-last value) in `order`, for hints.
pub fn suggest_format(example: &str, order: Order) -> String {
    let s = example.trim();
    let sep = s.chars().find(|c| matches!(c, '/' | '.' | '-')).unwrap_or('/');
    let year_digits = s.split(sep).nth(2).map(|y| y.bytes().take_while(u8::is_ascii_digit).count()).unwrap_or(4);
    let y = if year_digits == 2 { "%y" } else { "%Y" };
    match order {
        Order::MonthFirst => format!("%m{sep}%d{sep}{y}"),
        Order::DayFirst => format!("%d{sep}%m{sep}{y}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Option<Raw> {
        Some(Raw::Exact(Date::new(y, m, day).unwrap()))
    }

    #[test]
    fn unambiguous_forms() {
        assert_eq!(classify("2024-01-05"), d(2024, 1, 5));
        assert_eq!(classify("2024-01-05 10:00:00 UTC"), d(2024, 1, 5));
        assert_eq!(classify("2024-01-05T23:59:59+02:00"), d(2024, 1, 5));
        assert_eq!(classify("2024-01-05T01:00:00.123Z"), d(2024, 1, 5));
        assert_eq!(classify("2024/01/05"), d(2024, 1, 5));
        assert_eq!(classify("Jan 5, 2024"), d(2024, 1, 5));
        assert_eq!(classify("january 5 2024 8:55 pm"), d(2024, 1, 5));
        assert_eq!(classify("5 Jan 2024"), d(2024, 1, 5));
        assert_eq!(classify("2024-02-30"), None);
        assert_eq!(classify("2024-01-05xyz"), None);
        assert_eq!(classify("2024-01-05 25:00"), None);
        assert_eq!(classify("n/a"), None);
    }

    #[test]
    fn year_last_forms_wait_for_the_column() {
        let yl = |first, second, year| Some(Raw::YearLast { first, second, year });
        assert_eq!(classify("1/5/2024"), yl(1, 5, 2024));
        assert_eq!(classify("01/05/24"), yl(1, 5, 2024));
        assert_eq!(classify("05-01-24"), yl(5, 1, 2024));
        assert_eq!(classify("5.1.2024 08:55"), yl(5, 1, 2024));
        assert_eq!(classify("1/5/69 8:55 AM"), yl(1, 5, 1969));
        assert_eq!(classify("1/5/68"), yl(1, 5, 2068));
        assert_eq!(classify("13/13/2024"), None);
        let r = classify("25/1/2024").unwrap();
        assert_eq!(r.resolve(Order::DayFirst), Date::new(2024, 1, 25).ok());
        assert_eq!(r.resolve(Order::MonthFirst), None);
    }

    #[test]
    fn explicit_formats() {
        assert_eq!(with_format("%m/%d/%Y", "1/5/2024"), Date::new(2024, 1, 5).ok());
        assert_eq!(with_format("%d/%m/%y", "05/01/24 10:00"), Date::new(2024, 1, 5).ok());
        assert_eq!(with_format("%d/%m/%Y", "31/02/2024"), None);
        assert!(format_is_complete("%d.%m.%Y"));
        assert!(!format_is_complete("%m/%Y"));
        assert_eq!(suggest_format("05-01-24", Order::DayFirst), "%d-%m-%y");
    }
}
