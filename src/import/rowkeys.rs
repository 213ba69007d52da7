//! Row-level helpers for the keys of a project fed by several exports (docs/import.md):
//! blank rows, the header below a report's title lines, the amount's own currency column,
//! rows repeated whole, and the sums of lost deals and pipeline money.

use super::csvread::{CsvReader, Record};
use crate::model::calendar::Month;
use jiff::civil::Date;
use std::collections::BTreeMap;

/// Whether every cell of a row is blank (a spreadsheet's empty line, `,,,,`): skipped silently.
pub fn is_blank(rec: &Record) -> bool {
    rec.iter().all(|c| c.trim().is_empty())
}

/// The column holding the amount's currency when the map names none: the one named
/// `<amount> Currency` or `<amount> (Currency)`, else `Currency`, ignoring case. Never another
/// column that merely mentions currency ("Amount in company currency" is an amount).
pub fn currency_column(headers: &[String], amount: &str) -> Option<usize> {
    let amount = amount.trim().to_lowercase();
    let wanted = [format!("{amount} currency"), format!("{amount} (currency)"), "currency".to_string()];
    wanted.iter().find_map(|w| headers.iter().position(|h| h.trim().to_lowercase() == *w))
}

/// Lines read to find a header below the one the map names.
pub const HEADER_SEARCH_LINES: u64 = 20;

/// The physical line (after `header_line`, within the first [`HEADER_SEARCH_LINES`]) whose
/// cells hold every name of `names`, if one does: the header of a report with title lines.
pub fn header_below<R: std::io::Read>(mut rdr: CsvReader<R>, header_line: u64, names: &[&str]) -> Option<u64> {
    let mut rec = Record::default();
    while let Ok(true) = rdr.read_record(&mut rec) {
        if rec.line > HEADER_SEARCH_LINES {
            return None;
        }
        if rec.line > header_line {
            let cells: Vec<&str> = rec.iter().map(|c| c.trim().trim_start_matches('\u{feff}')).collect();
            if names.iter().all(|n| cells.contains(n)) {
                return Some(rec.line);
            }
        }
    }
    None
}

/// A hasher for keys that are hashes already (keyed at random by `ahash`): the table needs
/// no second hash.
#[derive(Default, Clone, Copy)]
pub struct Identity(u64);

impl std::hash::Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// Rows identical in every cell to an earlier row, when the map has no `unique`: two
/// overlapping exports pasted together count their common deals twice. Each row is hashed
/// whole (64 bits, keyed at random: a collision among a million rows has odds of about 1 in 30
/// million, and would only add a warning) into a set of 8 bytes per row; the earlier line of
/// the first repeat is found afterwards by [`Repeats::is_first`], only when there is one.
#[derive(Default)]
pub struct Repeats {
    seen: std::collections::HashSet<u64, std::hash::BuildHasherDefault<Identity>>,
    /// The first repeat: its row's hash and its line.
    pub first: Option<(u64, u64)>,
    /// Rows that repeat an earlier row.
    pub count: u64,
    state: ahash::RandomState,
    /// For a part of the file after the first: each row's hash and line where it is not a
    /// repeat within the part (it may still repeat a row of an earlier part).
    order: Option<Vec<(u64, u64)>>,
}

impl Repeats {
    fn key(&self, rec: &Record) -> u64 {
        use std::hash::{BuildHasher, Hasher};
        let (text, ends) = rec.raw();
        let mut h = self.state.build_hasher();
        h.write(text.as_bytes());
        for e in ends {
            h.write_usize(*e);
        }
        h.finish()
    }

    /// Repeats hashed with `state` (so that the parts of one file, each read on its own thread,
    /// compare), keeping each row's hash in order when `later` (a part after the first).
    pub fn keyed(state: ahash::RandomState, later: bool) -> Repeats {
        Repeats { state, order: later.then(Vec::new), ..Repeats::default() }
    }

    /// Notes one row.
    pub fn see(&mut self, rec: &Record) {
        let key = self.key(rec);
        if !self.seen.insert(key) {
            self.count += 1;
            self.first.get_or_insert((key, rec.line));
        } else if let Some(order) = &mut self.order {
            order.push((key, rec.line));
        }
    }

    /// The repeats of the parts of one file (in file order, all made by [`Repeats::keyed`] with
    /// one state) as one reading of the whole file finds them: the same count, and the same
    /// first repeat. Only `first` and `count` are kept.
    pub fn merge(parts: Vec<Repeats>) -> Repeats {
        let mut parts = parts.into_iter();
        let Some(mut all) = parts.next() else { return Repeats::default() };
        let mut earlier = vec![std::mem::take(&mut all.seen)];
        for part in parts {
            let mut cross = 0;
            let mut cross_first = None;
            for &(key, line) in part.order.iter().flatten() {
                if earlier.iter().any(|s| s.contains(&key)) {
                    cross += 1;
                    cross_first.get_or_insert((key, line));
                }
            }
            all.count += part.count + cross;
            if all.first.is_none() {
                all.first = part.first.into_iter().chain(cross_first).min_by_key(|&(_, line)| line);
            }
            earlier.push(part.seen);
        }
        all
    }

    /// Whether `rec` is the row the first repeat repeats (or that repeat itself).
    pub fn is_first(&self, rec: &Record) -> bool {
        self.first.is_some_and(|(key, _)| key == self.key(rec))
    }
}

/// Lost deals and pipeline money, summed while the rows are counted.
#[derive(Default, Clone)]
pub struct Money {
    /// Per month: how the open pipeline changes at the month's end, in millionths.
    pub pipeline_delta: BTreeMap<Month, i128>,
    /// Sales cycles measured, and those of 0 days.
    pub cycles: (u64, u64),
}

impl Money {
    /// Adds the sums of another part of the file.
    pub fn absorb(&mut self, other: Money) {
        for (m, d) in other.pipeline_delta {
            *self.pipeline_delta.entry(m).or_default() += d;
        }
        self.cycles.0 += other.cycles.0;
        self.cycles.1 += other.cycles.1;
    }

    /// A row created at `from` (with `amount`) and closed at `to`: open at the end of every
    /// month from its created month up to the month before it closed.
    pub fn pipeline(&mut self, from: Date, to: Option<Date>, amount: i128) {
        let (a, b) = (Month::of(from), to.map(Month::of));
        if b.is_some_and(|b| b <= a) {
            return;
        }
        *self.pipeline_delta.entry(a).or_default() += amount;
        if let Some(b) = b {
            *self.pipeline_delta.entry(b).or_default() -= amount;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_currency_column_is_named_after_the_amount_or_is_currency() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(currency_column(&h(&["Amount", "Amount in company currency"]), "Amount"), None);
        assert_eq!(currency_column(&h(&["Amount", "Amount in company currency", "Currency"]), "Amount"), Some(2));
        assert_eq!(currency_column(&h(&["Currency", "Amount", "amount currency"]), "Amount"), Some(2));
        assert_eq!(currency_column(&h(&["Amount", "Amount (Currency)"]), "Amount"), Some(1));
    }

    #[test]
    fn pipeline_open_months() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let m = |s: &str| Month::parse(s).unwrap();
        let mut p = Money::default();
        p.pipeline(d("2024-01-10"), Some(d("2024-03-05")), 5);
        p.pipeline(d("2024-02-01"), None, 7);
        p.pipeline(d("2024-02-03"), Some(d("2024-02-20")), 100);
        let want: BTreeMap<Month, i128> = [(m("2024-01"), 5), (m("2024-02"), 7), (m("2024-03"), -5)].into();
        assert_eq!(p.pipeline_delta, want);
    }
}
