//! Money amounts in CRM exports (docs/import.md), read exactly as integers
//! of millionths so sums never drift. The decimal mark is `.` unless the map says
//! `decimal: ","`; thousands separators (`,` or `.`, a space, a no-break space, `'`) must
//! group by three. A value that only makes sense with the other decimal mark (`1.054,00`,
//! `1054,50` under the default) is an error naming the right setting, never a silent misread.

/// Millionths of a unit per unit.
pub const SCALE: i128 = 1_000_000;

/// Why an amount could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    /// Not a number in any form.
    Unreadable,
    /// A number only with the other decimal mark: the field holds the mark that would work.
    OtherMark(char),
}

const SYMBOLS: [char; 8] = ['$', '€', '£', '¥', '₹', '₩', '₽', '¤'];

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Strips a currency symbol or a three-letter code at either end (`€1.054,00`, `1,054 USD`).
fn strip_currency(s: &str) -> &str {
    let s = s.trim_matches(|c: char| SYMBOLS.contains(&c) || is_space(c));
    let code = |w: &str| w.len() == 3 && w.bytes().all(|b| b.is_ascii_uppercase());
    let s = match s.split_once(is_space) {
        Some((w, rest)) if code(w) => rest,
        _ => s,
    };
    let s = match s.rsplit_once(is_space) {
        Some((rest, w)) if code(w) => rest,
        _ => s,
    };
    s.trim_matches(|c: char| SYMBOLS.contains(&c) || is_space(c))
}

/// Reads the digits of a non-negative amount with decimal mark `mark`.
fn unsigned(s: &str, mark: char) -> Option<i128> {
    let (int, frac) = match s.split_once(mark) {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let frac = frac.unwrap_or("");
    if !frac.bytes().all(|b| b.is_ascii_digit()) || (int.is_empty() && frac.is_empty()) {
        return None;
    }
    let seps: &[char] = if mark == '.' {
        &[',', ' ', '\u{a0}', '\u{202f}', '\u{2009}', '\'']
    } else {
        &['.', ' ', '\u{a0}', '\u{202f}', '\u{2009}', '\'']
    };
    let mut digits = String::with_capacity(int.len());
    if let Some(sep) = int.chars().find(|c| seps.contains(c)) {
        let groups: Vec<&str> = int.split(sep).collect();
        let ok = groups.iter().all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3);
        if !ok {
            return None;
        }
        groups.iter().for_each(|g| digits.push_str(g));
    } else {
        if !int.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push_str(int);
    }
    if digits.len() > 24 {
        return None;
    }
    let whole: i128 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
    let mut micro: i128 = 0;
    for (i, b) in frac.bytes().take(6).enumerate() {
        micro += i128::from(b - b'0') * 10i128.pow(5 - i as u32);
    }
    // Round half up on the seventh decimal.
    if frac.as_bytes().get(6).is_some_and(|b| *b >= b'5') {
        micro += 1;
    }
    Some(whole * SCALE + micro)
}

fn signed(s: &str, mark: char) -> Option<i128> {
    let s = strip_currency(s.trim());
    let (neg, body) = if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        (true, strip_currency(inner))
    } else if let Some(r) = s.strip_prefix(['-', '\u{2212}']) {
        (true, strip_currency(r))
    } else if let Some(r) = s.strip_prefix('+') {
        (false, strip_currency(r))
    } else {
        (false, s)
    };
    let v = unsigned(body, mark)?;
    Some(if neg { -v } else { v })
}

/// Reads an amount in millionths; `comma` is the map's `decimal: ","`.
pub fn parse(s: &str, comma: bool) -> Result<i128, AmountError> {
    let (mark, other) = if comma { (',', '.') } else { ('.', ',') };
    match signed(s, mark) {
        Some(v) => Ok(v),
        None if signed(s, other).is_some() => Err(AmountError::OtherMark(other)),
        None => Err(AmountError::Unreadable),
    }
}

/// How an amount uses the map's decimal mark, for telling whether a column's marks could be
/// thousands separators after all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkUse {
    /// The value has no decimal mark (`1200`, `1,200` under the default).
    Absent,
    /// One mark with exactly three digits after it and one to three before (`12.500` under
    /// the default): the same text is 12.5 with `.` as the decimal mark and 12500 with it as
    /// a thousands separator, as a European export writes whole amounts.
    Ambiguous,
    /// A mark that can only be a decimal mark (`12.50`, `1,234.500`, `1234.567`).
    Decimal,
}

/// How `s` (a readable amount) uses the decimal mark of the map (`comma`: `decimal: ","`).
pub fn mark_use(s: &str, comma: bool) -> MarkUse {
    let mark = if comma { ',' } else { '.' };
    let s = strip_currency(s.trim());
    let s = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')).unwrap_or(s);
    let body = strip_currency(s.trim_start_matches(['-', '\u{2212}', '+']));
    let Some((int, frac)) = body.split_once(mark) else { return MarkUse::Absent };
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if frac.len() == 3 && digits(frac) && (1..=3).contains(&int.len()) && digits(int) {
        MarkUse::Ambiguous
    } else {
        MarkUse::Decimal
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn marks_that_could_separate_thousands() {
        assert_eq!(mark_use("12.500", false), MarkUse::Ambiguous);
        assert_eq!(mark_use("€ 1.054", false), MarkUse::Ambiguous);
        assert_eq!(mark_use("-$5.000", false), MarkUse::Ambiguous);
        assert_eq!(mark_use("12.50", false), MarkUse::Decimal);
        assert_eq!(mark_use("1,234.500", false), MarkUse::Decimal);
        assert_eq!(mark_use("1234.567", false), MarkUse::Decimal);
        assert_eq!(mark_use("1,200", false), MarkUse::Absent);
        assert_eq!(mark_use("1,054", true), MarkUse::Ambiguous);
        assert_eq!(mark_use("1.054,00", true), MarkUse::Decimal);
        assert_eq!(mark_use("1.054", true), MarkUse::Absent);
    }

    use super::*;

    #[test]
    fn point_decimal_mark() {
        assert_eq!(parse("1054", false), Ok(1054 * SCALE));
        assert_eq!(parse("1,054.00", false), Ok(1054 * SCALE));
        assert_eq!(parse("1 054.00", false), Ok(1054 * SCALE));
        assert_eq!(parse("$12,000.50", false), Ok(12_000_500_000));
        assert_eq!(parse("-250", false), Ok(-250 * SCALE));
        assert_eq!(parse("(250.00)", false), Ok(-250 * SCALE));
        assert_eq!(parse("USD 99.99", false), Ok(99_990_000));
        assert_eq!(parse("1.054,00", false), Err(AmountError::OtherMark(',')));
        assert_eq!(parse("1054,50", false), Err(AmountError::OtherMark(',')));
        assert_eq!(parse("1 054,00", false), Err(AmountError::OtherMark(',')));
        assert_eq!(parse("12,00,000", false), Err(AmountError::Unreadable));
        assert_eq!(parse("abc", false), Err(AmountError::Unreadable));
    }

    #[test]
    fn comma_decimal_mark() {
        assert_eq!(parse("1.054,00", true), Ok(1054 * SCALE));
        assert_eq!(parse("€1.054,00", true), Ok(1054 * SCALE));
        assert_eq!(parse("1 054,00", true), Ok(1054 * SCALE));
        assert_eq!(parse("1\u{a0}054,5", true), Ok(1_054_500_000));
        assert_eq!(parse("1054,50 EUR", true), Ok(1_054_500_000));
        assert_eq!(parse("1,054.00", true), Err(AmountError::OtherMark('.')));
    }
}
