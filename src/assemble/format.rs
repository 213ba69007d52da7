//! Display formatting of numbers: thousands separators, money with the currency code,
//! percentages with one decimal, signed changes, and "—" for no value. Pages only; the JSON
//! keeps full precision.
//!
//! One style for signs: a negative figure has a true minus sign (U+2212, "−296.7%"), never a
//! hyphen, and [`number`] alone writes it; a change has "+" or "−" in front, and a change of
//! money puts the sign before the currency as the figure puts the currency before the number
//! ("+USD 96" beside "USD 5,378"): [`signed_money`] alone writes that.

/// The minus sign of every negative figure shown (U+2212).
pub const MINUS: char = '−';

/// The mark for "no value".
pub const NONE: &str = "—";

/// Appends the digits `int_part` grouped by three with commas: "1234567" -> "1,234,567".
fn push_grouped(out: &mut String, int_part: &str) {
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
}

/// A number with `decimals` decimals and thousands separators, a half rounded away from zero
/// as a spreadsheet or a CRM rounds it (23,984.5 shows as 23,985; Rust's own formatting would
/// round it to the even 23,984).
/// A value that is not finite (a ratio of two huge figures overflows to infinity) is "—", never
/// "inf". It is written into one string (pages show tens of thousands of figures).
pub fn number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return NONE.into();
    }
    let (negative, digits) = rounded_digits(v, decimals);
    let (int_part, decimals) = match digits.split_once('.') {
        Some((i, d)) => (i, Some(d)),
        None => (digits.as_str(), None),
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 4);
    if negative {
        out.push(MINUS);
    }
    push_grouped(&mut out, int_part);
    if let Some(d) = decimals {
        out.push('.');
        out.push_str(d);
    }
    out
}

/// The digits of finite `v` rounded half away from zero to `decimals` decimals ("1234.50"),
/// without a sign, and whether the rounded value is below zero (one that rounds to zero shows
/// no sign: "0.0", not "−0.0").
fn rounded_digits(v: f64, decimals: usize) -> (bool, String) {
    let scale = 10f64.powi(decimals as i32);
    let scaled = (v * scale).round();
    // Below 2^53 the rounded figure times 10^decimals is a whole number a float holds exactly:
    // its digits are an integer's, with the point put `decimals` digits from the right. This
    // is what std's exact float formatting writes for it, at a fraction of the cost (a large
    // project's pages show a hundred thousand figures); a unit test compares the two.
    if scaled.abs() < 9_007_199_254_740_992.0 && decimals <= 15 {
        let n = scaled as i64;
        let mut digits = n.unsigned_abs().to_string();
        if decimals > 0 {
            if digits.len() <= decimals {
                digits.insert_str(0, &"0".repeat(decimals + 1 - digits.len()));
            }
            digits.insert(digits.len() - decimals, '.');
        }
        return (n < 0, digits);
    }
    let rounded = scaled / scale;
    let v = if rounded.is_finite() { rounded } else { v };
    let s = format!("{:.*}", decimals, v);
    match s.strip_prefix('-') {
        Some(d) => (!d.bytes().all(|c| c == b'0' || c == b'.'), d.to_string()),
        None => (false, s),
    }
}

/// `v` when it is a finite number: an infinite or NaN figure is shown as no value ("—").
fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// A count: "1,900".
pub fn count(v: Option<f64>) -> String {
    finite(v).map(|x| number(x, 0)).unwrap_or_else(|| NONE.into())
}

/// Money: "USD 412,000" (cents shown below 100); a negative sum "−USD 1,200", its sign in
/// front as a change's is.
pub fn money(v: Option<f64>, currency: &str) -> String {
    match finite(v) {
        Some(x) if x < 0.0 && number(x, 2).starts_with(MINUS) => signed_money(x, currency, 100.0),
        Some(x) if x.abs() < 100.0 && x.fract() != 0.0 => format!("{currency}\u{a0}{}", number(x, 2)),
        Some(x) => format!("{currency}\u{a0}{}", number(x, 0)),
        None => NONE.into(),
    }
}

/// A signed sum of money, the sign before the currency: "+USD 96", "−USD 4.50" ("USD 0" for
/// zero). Cents are shown when the sum is below `cents_below` and not whole.
pub fn signed_money(x: f64, currency: &str, cents_below: f64) -> String {
    let sign = if x > 0.0 {
        "+".to_string()
    } else if x < 0.0 {
        MINUS.to_string()
    } else {
        String::new()
    };
    let a = x.abs();
    let n = if a < cents_below && a.fract() != 0.0 { number(a, 2) } else { number(a, 0) };
    format!("{sign}{currency}\u{a0}{n}")
}

/// A fraction as a percentage with one decimal: 0.3263 -> "32.6%".
pub fn percent(v: Option<f64>) -> String {
    finite(v.map(|x| x * 100.0)).map(|x| format!("{}%", number(x, 1))).unwrap_or_else(|| NONE.into())
}

/// A signed change as a percentage: 0.05 -> "+5.0%".
pub fn change(v: Option<f64>) -> String {
    match finite(v.map(|x| x * 100.0)) {
        Some(x) => {
            let s = number(x, 1);
            if s.starts_with(MINUS) || s == "0.0" {
                format!("{s}%")
            } else {
                format!("+{s}%")
            }
        }
        None => NONE.into(),
    }
}

/// A ratio as a multiple, two decimals: a ROAS of 3.5 is "3.50×"; "—" for no value.
pub fn times(v: Option<f64>) -> String {
    finite(v).map(|x| format!("{}×", number(x, 2))).unwrap_or_else(|| NONE.into())
}

/// A duration or plain figure with one decimal: "41.5".
pub fn decimal(v: Option<f64>) -> String {
    finite(v).map(|x| if x.fract() == 0.0 { number(x, 0) } else { number(x, 1) }).unwrap_or_else(|| NONE.into())
}

/// A value in a goal's unit.
pub fn in_unit(v: Option<f64>, unit: crate::model::Unit, currency: &str) -> String {
    use crate::model::Unit;
    let v = finite(v);
    match unit {
        Unit::Percent => percent(v),
        Unit::Count => count(v),
        Unit::Money => money(v, currency),
        Unit::Days => v.map(|x| format!("{} days", decimal(Some(x)))).unwrap_or_else(|| NONE.into()),
        Unit::Hours => v.map(|x| format!("{} h", decimal(Some(x)))).unwrap_or_else(|| NONE.into()),
        Unit::Number => v.map(|x| number(x, if x.fract() == 0.0 { 0 } else { 2 })).unwrap_or_else(|| NONE.into()),
    }
}

/// A change of a goal's value in its own unit: percent goals in points ("−0.5 pts"), money
/// with the sign and currency in front as the figure shows it ("−USD 96"), counts, days and
/// hours as such; "no change" for exactly 0.
pub fn change_in_unit(v: Option<f64>, unit: crate::model::Unit, currency: &str) -> String {
    use crate::model::Unit;
    let Some(x) = finite(v) else { return NONE.into() };
    if unit == crate::model::Unit::Percent && !(x * 100.0).is_finite() {
        return NONE.into();
    }
    if x == 0.0 {
        return "no change".into();
    }
    let sign = if x > 0.0 { '+' } else { MINUS };
    let a = x.abs();
    let one = |a: f64| if a.fract() == 0.0 { number(a, 0) } else { number(a, 1) };
    match unit {
        Unit::Percent => format!("{sign}{}\u{a0}pts", number(a * 100.0, 1)),
        // Whole units as a reader says them ("+USD 96", not "+USD 96.33"); cents only for a
        // change under 10, where they are most of the figure.
        Unit::Money => signed_money(x, currency, 10.0),
        Unit::Count => format!("{sign}{}", number(a, 0)),
        Unit::Days => format!("{sign}{}\u{a0}days", one(a)),
        Unit::Hours => format!("{sign}{}\u{a0}h", one(a)),
        Unit::Number => format!("{sign}{}", number(a, if a.fract() == 0.0 { 0 } else { 2 })),
    }
}

/// A compact axis label for money: 950, 12.5k, 1.2M.
pub fn compact(v: f64) -> String {
    let (x, unit) = if v.abs() >= 1e9 {
        (v / 1e9, "B")
    } else if v.abs() >= 1e6 {
        (v / 1e6, "M")
    } else if v.abs() >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let s = if (x - x.round()).abs() < 1e-9 { format!("{}", x.round() as i64) } else { format!("{x:.1}") };
    format!("{s}{unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_round_away_from_zero_like_a_spreadsheet() {
        // $1,234.00 + $22,750.50 = 23,984.50: a sales lead's CRM says 23,985.
        assert_eq!(money(Some(23984.5), "USD"), "USD\u{a0}23,985");
        assert_eq!(money(Some(23985.5), "USD"), "USD\u{a0}23,986");
        assert_eq!(count(Some(2.5)), "3");
        assert_eq!(number(-2.5, 0), "−3");
        assert_eq!(number(0.125, 2), "0.13");
        assert_eq!(money(Some(12.345), "EUR"), "EUR\u{a0}12.35");
        assert_eq!(number(-0.4, 0), "0", "no minus zero");
        assert_eq!(number(1e300, 0).len(), 401, "huge values still print");
    }

    /// The digits as std's exact float formatting writes the rounded value.
    fn digits_by_std(v: f64, decimals: usize) -> (bool, String) {
        let scale = 10f64.powi(decimals as i32);
        let rounded = (v * scale).round() / scale;
        let v = if rounded.is_finite() { rounded } else { v };
        let s = format!("{:.*}", decimals, v);
        match s.strip_prefix('-') {
            Some(d) => (!d.bytes().all(|c| c == b'0' || c == b'.'), d.to_string()),
            None => (false, s),
        }
    }

    #[test]
    fn whole_number_digits_are_what_std_writes_for_the_rounded_float() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut values =
            vec![0.0, -0.0, 0.5, -0.5, 0.125, 2.675, 1.005, -1.005, 23984.5, 1e15, 9.007e15, -4.4e15, 1e-9];
        for _ in 0..200_000 {
            let r = next();
            // Magnitudes from 1e-6 to 1e16, both signs, and halves at every scale.
            let mag = 10f64.powi((r % 23) as i32 - 6);
            let v = (next() as f64 / u64::MAX as f64) * mag;
            values.push(if r & 1 == 0 { v } else { -v });
            values.push(((next() % 2_000_000) as f64 - 1_000_000.0) / 2f64.powi((r % 5) as i32));
        }
        for v in values {
            for d in 0..=4 {
                assert_eq!(rounded_digits(v, d), digits_by_std(v, d), "{v:e} to {d} decimals");
            }
        }
    }

    #[test]
    fn formats() {
        assert_eq!(count(Some(1234567.0)), "1,234,567");
        assert_eq!(count(None), "—");
        assert_eq!(money(Some(6029.4117), "USD"), "USD\u{a0}6,029");
        assert_eq!(money(Some(44.736), "EUR"), "EUR\u{a0}44.74");
        assert_eq!(percent(Some(0.32631)), "32.6%");
        assert_eq!(change(Some(0.05)), "+5.0%");
        assert_eq!(change(Some(-0.0312)), "−3.1%");
        assert_eq!(change(Some(-0.00001)), "0.0%");
        assert_eq!(number(-1234.5, 1), "−1,234.5", "a true minus, never a hyphen");
        assert_eq!(percent(Some(-2.967)), "−296.7%");
        assert_eq!(money(Some(-1200.0), "USD"), "−USD\u{a0}1,200");
        assert_eq!(money(Some(-0.001), "USD"), "USD\u{a0}0.00", "no minus zero");
    }

    #[test]
    fn figures_past_the_largest_float_are_no_value_never_inf() {
        use crate::model::Unit;
        // 1.8e306 as a percent is 1.8e308: past f64::MAX, it printed "inf%".
        assert_eq!(percent(Some(1.8e306)), "—");
        assert_eq!(change(Some(1.8e306)), "—");
        assert_eq!(change_in_unit(Some(1.8e306), Unit::Percent, "USD"), "—");
        assert_eq!(in_unit(Some(f64::INFINITY), Unit::Money, "USD"), "—");
        assert_eq!(count(Some(f64::NAN)), "—");
        assert_eq!(decimal(Some(f64::NEG_INFINITY)), "—");
        assert_eq!(number(f64::INFINITY, 1), "—");
    }

    #[test]
    fn changes_in_the_goals_unit() {
        use crate::model::Unit;
        // 0.3387 − 0.3437 = −0.005: half a percentage point.
        assert_eq!(change_in_unit(Some(0.3387 - 0.3437), Unit::Percent, "USD"), "−0.5\u{a0}pts");
        // Money changes read like the figure ("USD 5,378"): sign, currency, number.
        assert_eq!(change_in_unit(Some(-96.0), Unit::Money, "USD"), "−USD\u{a0}96");
        assert_eq!(change_in_unit(Some(96.33), Unit::Money, "USD"), "+USD\u{a0}96");
        assert_eq!(change_in_unit(Some(-4.5), Unit::Money, "USD"), "−USD\u{a0}4.50");
        assert_eq!(change_in_unit(Some(1250.4), Unit::Money, "EUR"), "+EUR\u{a0}1,250");
        assert_eq!(change_in_unit(Some(12.0), Unit::Count, "USD"), "+12");
        assert_eq!(change_in_unit(Some(-2.5), Unit::Days, "USD"), "−2.5\u{a0}days");
        assert_eq!(change_in_unit(Some(0.0), Unit::Percent, "USD"), "no change");
        assert_eq!(change_in_unit(None, Unit::Count, "USD"), "—");
    }
}
