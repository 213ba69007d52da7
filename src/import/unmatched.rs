//! `when` conditions that match no row at all. A map written for another CRM's wording
//! (`when: {Status: Closed Won}` on an export whose `Status` holds `Won`) would otherwise give
//! zero at that stage in every month with exit 0: a silent wrong answer. While the rows are
//! counted, [`Probe`] notes which conditions some row met and, for the columns of those not
//! met yet, which values the rows hold, so the warning can list them.
//!
//! Memory stays bounded on million-row exports: a column keeps at most [`DISTINCT_CAP`]
//! distinct values (each cut to [`VALUE_CHARS`] characters); past that, new values are only
//! noted as "more". A column stops being tallied once every condition on it has matched.

use super::map;
use super::rows::Col;
use std::collections::HashMap;

/// Distinct values kept per column.
pub const DISTINCT_CAP: usize = 50;
/// Distinct values named in a warning, most frequent first.
pub const SHOWN: usize = 10;
/// Characters kept of a value (cells may be up to 1 MiB).
pub const VALUE_CHARS: usize = 80;

/// The values seen in one column, bounded.
#[derive(Default, Clone)]
struct Tally {
    counts: HashMap<String, u64>,
    blank: u64,
    /// Some value was not kept: the column has more than [`DISTINCT_CAP`] distinct values.
    more: bool,
    /// Some condition on this column has not matched yet.
    needed: bool,
}

impl Tally {
    fn observe(&mut self, cell: &str) {
        if cell.is_empty() {
            self.blank += 1;
            return;
        }
        let key = match cell.char_indices().nth(VALUE_CHARS) {
            Some((end, _)) => &cell[..end],
            None => cell,
        };
        if let Some(n) = self.counts.get_mut(key) {
            *n += 1;
        } else if self.counts.len() < DISTINCT_CAP {
            self.counts.insert(key.to_string(), 1);
        } else {
            self.more = true;
        }
    }
}

#[derive(Clone)]
struct Watched {
    stage: usize,
    cond: usize,
    col: Col,
    values: Vec<String>,
    /// Per value: some row held it.
    matched: Vec<bool>,
}

/// Watches every `when` condition over the rows counted.
#[derive(Clone)]
pub struct Probe {
    conds: Vec<Watched>,
    /// Values no row has held yet, over all conditions.
    open: usize,
    tallies: Vec<(Col, Tally)>,
}

/// A condition with a value no row held, with what its column holds.
#[derive(Debug, PartialEq)]
pub struct NoMatch {
    /// The stage's index in the map.
    pub stage: usize,
    /// The condition's index in the stage's `when`.
    pub cond: usize,
    /// The indices (in the condition's list) of the values no row held.
    pub missing: Vec<usize>,
    /// Some other value of the list was held: the condition matched rows, but not with these.
    pub partial: bool,
    /// Up to [`SHOWN`] values as written (trimmed), most frequent first, with their rows.
    pub seen: Vec<(String, u64)>,
    /// Distinct values kept but not shown.
    pub others: usize,
    /// The column held more distinct values than were kept.
    pub more: bool,
    /// Blank cells.
    pub blank: u64,
}

impl Probe {
    /// A probe of the conditions `(stage, condition, column, lowercased values)`.
    pub fn new<'v>(conds: impl IntoIterator<Item = (usize, usize, Col, &'v [String])>) -> Probe {
        let conds: Vec<Watched> = conds
            .into_iter()
            .map(|(stage, cond, col, values)| Watched {
                stage,
                cond,
                col,
                values: values.to_vec(),
                matched: vec![false; values.len()],
            })
            .collect();
        let mut tallies: Vec<(Col, Tally)> = Vec::new();
        for c in &conds {
            if !tallies.iter().any(|(t, _)| *t == c.col) {
                tallies.push((c.col, Tally { needed: true, ..Tally::default() }));
            }
        }
        Probe { open: conds.iter().map(|c| c.values.len()).sum(), conds, tallies }
    }

    /// Looks at one row; `cell` gives a column's trimmed cell.
    pub fn observe<'c>(&mut self, cell: impl Fn(Col) -> &'c str) {
        if self.open == 0 {
            return;
        }
        let mut flipped = false;
        for c in self.conds.iter_mut() {
            if c.matched.iter().all(|m| *m) {
                continue;
            }
            let v = cell(c.col);
            for (want, seen) in c.values.iter().zip(c.matched.iter_mut()) {
                if !*seen && map::matches(v, want) {
                    *seen = true;
                    self.open -= 1;
                    flipped = true;
                }
            }
        }
        if flipped {
            for (col, t) in &mut self.tallies {
                t.needed = self.conds.iter().any(|c| c.col == *col && c.matched.iter().any(|m| !m));
            }
        }
        for (col, t) in self.tallies.iter_mut().filter(|(_, t)| t.needed) {
            t.observe(cell(*col));
        }
    }

    /// Adds what `later` saw in a part of the file after the parts seen so far. False when
    /// the result could differ from one reading of the whole file: a column whose values a
    /// warning will list went past [`DISTINCT_CAP`] values (which ones are kept depends on the
    /// order they came in).
    pub fn absorb(&mut self, later: Probe) -> bool {
        for (c, l) in self.conds.iter_mut().zip(&later.conds) {
            for (m, lm) in c.matched.iter_mut().zip(&l.matched) {
                *m |= *lm;
            }
        }
        self.open = self.conds.iter().map(|c| c.matched.iter().filter(|m| !**m).count()).sum();
        for ((col, t), (_, lt)) in self.tallies.iter_mut().zip(later.tallies) {
            // A column still needed now was needed all along in every part (a condition on it
            // matched in none), so both tallies saw every row of their part.
            t.needed = self.conds.iter().any(|c| c.col == *col && c.matched.iter().any(|m| !m));
            if !t.needed {
                continue;
            }
            if t.more || lt.more {
                return false;
            }
            t.blank += lt.blank;
            for (v, n) in lt.counts {
                *t.counts.entry(v).or_default() += n;
            }
            if t.counts.len() > DISTINCT_CAP {
                return false;
            }
        }
        true
    }

    /// The conditions with a value no row held, in map order.
    pub fn finish(self) -> Vec<NoMatch> {
        let mut out = Vec::new();
        for c in self.conds.iter().filter(|c| c.matched.iter().any(|m| !m)) {
            let t = &self.tallies.iter().find(|(col, _)| *col == c.col).expect("every column has a tally").1;
            let mut seen: Vec<(String, u64)> = t.counts.iter().map(|(k, n)| (k.clone(), *n)).collect();
            seen.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let others = seen.len().saturating_sub(SHOWN);
            seen.truncate(SHOWN);
            out.push(NoMatch {
                stage: c.stage,
                cond: c.cond,
                missing: (0..c.values.len()).filter(|&i| !c.matched[i]).collect(),
                partial: c.matched.iter().any(|m| *m),
                seen,
                others,
                more: t.more,
                blank: t.blank,
            });
        }
        out
    }
}

/// A value as a YAML flow scalar: plain when that reads back the same, else double-quoted.
fn scalar(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| c.is_alphanumeric())
        && s.chars().all(|c| c.is_alphanumeric() || " _.-/()".contains(c))
        && !s.ends_with(' ')
        && !["true", "false", "yes", "no", "null", "y", "n", "on", "off"].contains(&s.to_lowercase().as_str());
    if plain {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// How the map wrote the values no row holds, for the example in the hint.
pub enum Form<'a> {
    /// A `when` condition: `when: {Status: Won}`.
    When,
    /// With `events`, a stage's values of the stage column: `won: [Closed Won]`.
    Stage(&'a str),
}

impl NoMatch {
    /// The warning's message and hint, for the column and the values as the map writes them.
    pub fn describe(&self, column: &str, written: &[String], form: Form) -> (String, String) {
        let missing: Vec<&String> = self.missing.iter().filter_map(|&i| written.get(i)).collect();
        let asked: Vec<String> = missing.iter().map(|v| format!("`{v}`")).collect();
        let asked = asked.join(" or ");
        let mut held: Vec<String> =
            self.seen.iter().map(|(v, n)| format!("{} ({n})", v.replace(['\n', '\r'], " "))).collect();
        match (self.others, self.more) {
            (0, false) => {}
            (n, false) => held.push(format!("{n} other value{}", if n == 1 { "" } else { "s" })),
            (n, true) => held.push(format!("over {n} other values")),
        }
        if self.blank > 0 {
            held.push(format!("blank ({})", self.blank));
        }
        // The value held closest to one written (`Closed-Won` → `Closed Won`), else the most
        // frequent one.
        let lowered: Vec<String> = self.seen.iter().map(|(v, _)| v.to_lowercase()).collect();
        let lowered: Vec<&str> = lowered.iter().map(String::as_str).collect();
        let closest = missing.iter().find_map(|w| {
            let near = crate::load::reader::suggest(&w.to_lowercase(), &lowered)?;
            lowered.iter().position(|l| *l == near).map(|i| self.seen[i].0.as_str())
        });
        if self.partial {
            // The list matched rows through its other values: this one is likely misspelled.
            let message = format!(
                "no row has `{column}` = {asked}, though the list's other values match rows; the column holds {}",
                held.join(", ")
            );
            let hint = match closest {
                Some(near) => format!("the closest value the column holds is `{near}`: fix the spelling, or remove the value if the export never has it"),
                None => "fix the spelling, or remove the value if the export never has it".to_string(),
            };
            return (message, hint);
        }
        let message = match self.seen.first() {
            Some(_) => format!("no row has `{column}` = {asked}; the column holds {}", held.join(", ")),
            None => format!("no row has `{column}` = {asked}; the column is blank in every row ({})", self.blank),
        };
        let hint = match closest.or(self.seen.first().map(|(v, _)| v.as_str())) {
            Some(top) => format!(
                "the stage counts no row: write one of the values the export holds, e.g. `{}` (case and surrounding spaces do not matter)",
                match form {
                    Form::When => format!("when: {{{}: {}}}", scalar(column), scalar(top)),
                    Form::Stage(id) => format!("{id}: [{}]", scalar(top)),
                }
            ),
            None => "the stage counts no row: map a column the export fills in, or fill it in the CRM".to_string(),
        };
        (message, hint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(rows: &[&str], values: &[&str]) -> Vec<NoMatch> {
        let values: Vec<String> = values.iter().map(|v| v.to_lowercase()).collect();
        let col = Col { file: 0, idx: 0 };
        let mut p = Probe::new([(0, 0, col, values.as_slice())]);
        for r in rows {
            p.observe(|_| r.trim());
        }
        p.finish()
    }

    #[test]
    fn lists_what_the_column_holds_most_frequent_first() {
        let got = probe(&["Won", "Lost", "Open", "Won", " Won ", "Lost", ""], &["Closed Won"]);
        assert_eq!(got.len(), 1);
        let (m, h) = got[0].describe("Status", &["Closed Won".into()], Form::When);
        assert_eq!(m, "no row has `Status` = `Closed Won`; the column holds Won (3), Lost (2), Open (1), blank (1)");
        assert!(h.contains("`when: {Status: Won}`"), "{h}");
    }

    #[test]
    fn a_match_anywhere_or_a_flag_word_of_the_family_is_no_warning() {
        assert!(probe(&["Lost", "closed won"], &["Closed Won"]).is_empty());
        assert!(probe(&["FALSE", "Yes"], &["true"]).is_empty());
        assert!(probe(&["1", "0"], &["no"]).is_empty());
        assert!(probe(&["Won", ""], &["false"]).is_empty(), "false words match a blank cell");
        assert_eq!(probe(&["Won", "Lost"], &["true"]).len(), 1);
    }

    #[test]
    fn a_misspelled_value_in_a_list_that_matches_is_named_with_the_closest_value() {
        let got = probe(&["Won", "Closed Won", "Lost"], &["Won", "Closd Won"]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].missing, vec![1]);
        assert!(got[0].partial);
        let (m, h) = got[0].describe("Stage", &["Won".into(), "Closd Won".into()], Form::When);
        assert!(m.starts_with("no row has `Stage` = `Closd Won`, though the list's other values match rows"), "{m}");
        assert!(h.contains("`Closed Won`"), "{h}");
        assert!(probe(&["Won", "Closed Won"], &["Won", "Closed Won"]).is_empty());
    }

    #[test]
    fn distinct_values_are_capped() {
        let rows: Vec<String> = (0..1000).map(|i| format!("S{i}")).collect();
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let got = probe(&rows, &["Won"]);
        assert_eq!(got[0].seen.len(), SHOWN);
        assert_eq!(got[0].others, DISTINCT_CAP - SHOWN);
        assert!(got[0].more);
        let (m, _) = got[0].describe("Stage", &["Won".into()], Form::When);
        assert!(m.ends_with(&format!("over {} other values", DISTINCT_CAP - SHOWN)), "{m}");
    }

    #[test]
    fn a_blank_column_says_so_and_hints_need_quotes_only_when_yaml_would_misread() {
        let (m, _) = probe(&["", " "], &["Won", "Closed Won"])[0].describe(
            "Stage",
            &["Won".into(), "Closed Won".into()],
            Form::When,
        );
        assert_eq!(m, "no row has `Stage` = `Won` or `Closed Won`; the column is blank in every row (2)");
        assert_eq!(scalar("Closed Won"), "Closed Won");
        assert_eq!(scalar("Won: yes"), "\"Won: yes\"");
        assert_eq!(scalar("No"), "\"No\"");
    }
}
