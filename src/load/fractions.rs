//! Percent values are fractions (docs/content.md, "Goals"): 35% is written 0.35. A goal on a
//! percent metric (`conversion.*`, `retention`, `lead_velocity_rate`) with a value above 1 or
//! below −1 would publish "3,000.0%" for a `baseline: 30` meant as 30%, so each such value is an
//! error at its position, unless the goal sets `unit:` to something other than percent. A
//! goal tracked by check-ins with `unit: percent` may have a reason for a big value (a growth
//! of 250%), so there it stays one warning per goal.

use super::de::Loc;
use super::reader::FileReader;
use crate::model::Unit;

/// A value of a goal that is shown in percent: which field ("baseline", "target", "check-in
/// value"), the number as read, and where it is.
pub type PercentValue<'a> = (&'a str, f64, Loc);

/// Checks a goal's values against "percent values are fractions". `unit` is the goal's unit
/// (`None` when it could not be read), `metric` the metric's name and natural unit when the
/// goal has one. Returns `false` when it reported an error.
pub fn check(r: &mut FileReader, values: &[PercentValue], unit: Option<Unit>, metric: Option<(&str, Unit)>) -> bool {
    if unit != Some(Unit::Percent) {
        return true;
    }
    let whole = |v: &f64| !(-1.0..=1.0).contains(v);
    match metric {
        Some((name, Unit::Percent)) => {
            let mut ok = true;
            for (what, v, at) in values.iter().filter(|(_, v, _)| whole(v)) {
                r.error_at(
                    *at,
                    format!("{what} {} means {}%; write {}", plain(*v), plain(v * 100.0), plain(v / 100.0)),
                    format!(
                        "`{name}` is a percent metric and percent values are fractions: 35% is 0.35 (set `unit:` to something else only if the goal is not in percent)"
                    ),
                );
                ok = false;
            }
            ok
        }
        _ => {
            if let Some((what, v, at)) = values.iter().find(|(_, v, _)| whole(v)) {
                r.warn_at(
                    *at,
                    format!(
                        "{what} {} is {} with `unit: percent`: percent values are fractions: 35% is 0.35",
                        plain(*v),
                        if *v > 1.0 { "above 1" } else { "below −1" }
                    ),
                    format!("write {} for {}%, and the same for this goal's other values", plain(v / 100.0), plain(*v)),
                );
            }
            true
        }
    }
}

/// A number as a person writes it: at most nine decimals, no trailing zeros, thousands
/// grouped with commas (`2,800`, `0.28`, `−1,250.5`).
fn plain(v: f64) -> String {
    let s = format!("{:.9}", v.abs());
    let s = s.trim_end_matches('0').trim_end_matches('.');
    let (int, frac) = s.split_once('.').map_or((s, ""), |(i, f)| (i, f));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 && s != "0" { "−" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(plain(28.0), "28");
        assert_eq!(plain(2800.0), "2,800");
        assert_eq!(plain(0.28), "0.28");
        assert_eq!(plain(33.3 * 100.0), "3,330");
        assert_eq!(plain(33.3 / 100.0), "0.333");
        assert_eq!(plain(-1250.5), "−1,250.5");
        assert_eq!(plain(1234567.0), "1,234,567");
        assert_eq!(plain(-0.0), "0");
    }

    fn loc(line: usize) -> Loc {
        Loc { line, col: 11, width: 2 }
    }

    #[test]
    fn whole_percents_on_a_percent_metric_are_errors_at_each_value() {
        let mut r = FileReader::new("content/goals/g.yaml", "");
        let values = [("baseline", 30.0, loc(6)), ("target", 0.4, loc(7)), ("check-in value", 28.0, loc(9))];
        let metric = Some(("conversion.mql.sql", Unit::Percent));
        assert!(!check(&mut r, &values, Some(Unit::Percent), metric));
        let d = r.finish();
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!(d[0].message, "baseline 30 means 3,000%; write 0.3");
        assert_eq!(d[1].message, "check-in value 28 means 2,800%; write 0.28");
        assert_eq!(d[1].line, 9);
        // `unit: number` on the same metric is a choice (warned about elsewhere), not a slip.
        let mut r = FileReader::new("content/goals/g.yaml", "");
        assert!(check(&mut r, &values, Some(Unit::Number), metric));
        assert!(r.finish().is_empty());
        // Fractions, −1 and 1 included, are fine.
        let mut r = FileReader::new("content/goals/g.yaml", "");
        let fine = [("baseline", -1.0, loc(6)), ("target", 1.0, loc(7))];
        assert!(check(&mut r, &fine, Some(Unit::Percent), metric));
        assert!(r.finish().is_empty());
    }

    #[test]
    fn a_checkin_goal_in_percent_gets_one_warning() {
        let mut r = FileReader::new("content/goals/g.yaml", "");
        let values = [("baseline", 28.0, loc(6)), ("target", 35.0, loc(7))];
        assert!(check(&mut r, &values, Some(Unit::Percent), None));
        let d = r.finish();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, crate::diagnostics::Severity::Warning);
        assert!(d[0].hint.as_deref().unwrap().contains("write 0.28 for 28%"));
    }
}
