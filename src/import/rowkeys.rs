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

/// How many buckets [`Repeats`] sorts the rows' hashes into: a bucket of a million-row file
/// holds about 4,000 rows, whose set fits in a core's cache.
const BUCKETS: usize = 256;

/// Rows identical in every cell to an earlier row, when the map has no `unique`: two
/// overlapping exports pasted together count their common deals twice. Each row is hashed
/// whole (64 bits, keyed at random: a collision among a million rows has odds of about 1 in 30
/// million, and would only add a warning); the earlier line of the first repeat is found
/// afterwards by [`Repeats::is_first`], only when there is one.
///
/// While a part of the file is read, each row's hash and line go to one of [`BUCKETS`] lists
/// by the hash's top byte (rows of one part in file order); [`Repeats::merge`] then compares
/// the rows of each bucket alone, on both cores. Two equal rows always share a bucket, and one
/// set the size of the whole file (16 MB for a million rows) missed the cache on nearly every
/// row.
#[derive(Default)]
pub struct Repeats {
    /// Each row's hash and line, by the hash's top byte.
    buckets: Vec<Vec<(u64, u64)>>,
    /// The first repeat: its row's hash and its line (known after [`Repeats::merge`]).
    pub first: Option<(u64, u64)>,
    /// Rows that repeat an earlier row (known after [`Repeats::merge`]).
    pub count: u64,
    state: ahash::RandomState,
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

    /// Repeats hashed with `state`, so that the parts of one file, each read on its own thread,
    /// compare.
    pub fn keyed(state: ahash::RandomState) -> Repeats {
        Repeats { state, buckets: vec![Vec::new(); BUCKETS], ..Repeats::default() }
    }

    /// Notes one row.
    pub fn see(&mut self, rec: &Record) {
        let key = self.key(rec);
        self.buckets[(key >> 56) as usize].push((key, rec.line));
    }

    /// The repeats of the parts of one file (in file order, all made by [`Repeats::keyed`] with
    /// one state), as one reading of the whole file finds them: how many rows repeat an earlier
    /// row, and the first such row (the lowest line).
    pub fn merge(parts: Vec<Repeats>) -> Repeats {
        use rayon::prelude::*;
        let state = parts.first().map(|p| p.state.clone()).unwrap_or_default();
        let (count, first) = (0..BUCKETS)
            .into_par_iter()
            .map(|b| {
                let rows = parts.iter().filter_map(|p| p.buckets.get(b)).flatten();
                let size = parts.iter().filter_map(|p| p.buckets.get(b)).map(Vec::len).sum();
                let mut seen: std::collections::HashSet<u64, std::hash::BuildHasherDefault<Identity>> =
                    std::collections::HashSet::with_capacity_and_hasher(size, Default::default());
                let (mut count, mut first): (u64, Option<(u64, u64)>) = (0, None);
                for &(key, line) in rows {
                    if !seen.insert(key) {
                        count += 1;
                        if first.is_none_or(|(_, l)| line < l) {
                            first = Some((key, line));
                        }
                    }
                }
                (count, first)
            })
            .reduce(
                || (0, None),
                |(c1, f1), (c2, f2)| (c1 + c2, f1.into_iter().chain(f2).min_by_key(|&(_, line)| line)),
            );
        Repeats { first, count, state, buckets: Vec::new() }
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

    /// The repeats of a file read in parts are the repeats of the file read whole: how many
    /// rows repeat an earlier row, and the lowest line of one, whatever the split.
    #[test]
    fn repeats_in_parts_are_the_repeats_of_the_whole_file() {
        // 3,000 rows of 40 different ones (line i holds row i % 40 for most lines), so every
        // bucket sees repeats within a part and across parts; line 2 is the first repeat of a
        // unique row (line 1).
        let mut csv = String::from("a,b\nx,0\nx,0\n");
        for i in 0..3000u64 {
            csv.push_str(&format!("r{},{}\n", (i * 7) % 40, i % 3));
        }
        let rows: Vec<Record> = {
            let mut rdr = CsvReader::new(csv.as_bytes());
            let mut out = Vec::new();
            let mut rec = Record::default();
            while let Ok(true) = rdr.read_record(&mut rec) {
                out.push(rec.clone());
            }
            out
        };
        // Whole-file answer, worked out directly: a row repeats when its text appeared on an
        // earlier line.
        let mut earlier = std::collections::HashSet::new();
        let (mut count, mut first) = (0u64, None);
        for r in &rows {
            if !earlier.insert(r.raw().0.to_string() + &format!("{:?}", r.raw().1)) {
                count += 1;
                first.get_or_insert(r.line);
            }
        }
        let state = ahash::RandomState::new();
        for cuts in [vec![], vec![1], vec![2, 3], vec![500, 501, 2999], vec![1000, 2000]] {
            let mut parts = Vec::new();
            let mut from = 0;
            for end in cuts.iter().copied().chain([rows.len()]) {
                let mut part = Repeats::keyed(state.clone());
                rows[from..end].iter().for_each(|r| part.see(r));
                parts.push(part);
                from = end;
            }
            let merged = Repeats::merge(parts);
            assert_eq!((merged.count, merged.first.map(|(_, line)| line)), (count, first), "{cuts:?}");
            assert!(merged.is_first(&rows[1]) && merged.is_first(&rows[2]) && !merged.is_first(&rows[5]));
        }
        assert_eq!(first, Some(3));
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
