//! What the counting pass adds up, per part of the main file read on its own thread, and how
//! the parts make one result in file order (docs/import.md).

use super::{Acc, Col, Currencies, HashMap, IdState, Marks};
use crate::import::csvread::Place;
use crate::import::unmatched::Probe;
use jiff::civil::Date;
use std::collections::HashSet;

/// The counting pass's sums and findings over some rows.
#[derive(Clone)]
pub(super) struct Part {
    pub(super) acc: Acc,
    /// Per stage: rows with a date there whose `when` did not hold.
    pub(super) when_out: Vec<u64>,
    pub(super) probe: Probe,
    /// Rows skipped for unreadable values.
    pub(super) skipped: u64,
    pub(super) marks: Marks,
    pub(super) currencies: Currencies,
    /// One row's dates and their places (reused from row to row).
    pub(super) dates: Vec<Option<Date>>,
    pub(super) places: Vec<(usize, Place)>,
    /// A long export's ids in first-seen order, their states, and those with a bad row.
    pub(super) id_index: HashMap<String, usize>,
    pub(super) id_states: Vec<IdState>,
    pub(super) bad_ids: HashSet<String, ahash::RandomState>,
    /// Counting before the date columns' orders are known: per date column, the values that
    /// read as a date and those that do not.
    pub(super) dated: Option<Vec<(Col, u64, u64)>>,
}

impl Part {
    /// The parts, in file order, as one: `None` when that could differ from one reading of
    /// the whole file (then the file is read again on one thread).
    pub(super) fn merge(parts: Vec<Part>) -> Option<Part> {
        let mut parts = parts.into_iter();
        let mut all = parts.next()?;
        for p in parts {
            // A stage history is never split (its rows depend on the rows before them).
            if !p.id_states.is_empty() || !all.id_states.is_empty() || !all.probe.absorb(p.probe) {
                return None;
            }
            for (a, b) in all.when_out.iter_mut().zip(p.when_out) {
                *a += b;
            }
            all.skipped += p.skipped;
            all.marks.absorb(p.marks);
            all.currencies.absorb(p.currencies);
            all.acc.absorb(p.acc);
            if let (Some(all), Some(later)) = (all.dated.as_mut(), p.dated) {
                for (col, r, u) in later {
                    match all.iter_mut().find(|(c, _, _)| *c == col) {
                        Some(x) => {
                            x.1 += r;
                            x.2 += u;
                        }
                        None => all.push((col, r, u)),
                    }
                }
            }
        }
        Some(all)
    }
}
