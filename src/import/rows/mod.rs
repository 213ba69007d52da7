//! Reading the rows (docs/import.md): the main CSV is streamed, each joined CSV
//! is held in memory indexed by its key, and every column the map names is resolved once to a
//! (file, column) pair. A date column's format is found from the values the import reads in
//! it: the rows are counted at once while every date read needs no order (ISO dates), and
//! when one does (`5/1/2024`), the count stops, a pass finds each date column's order
//! (month-first or day-first), and a second pass counts. Long exports (`events`) are grouped
//! by id into one wide row per id before counting (always after the pass that finds orders).
//!
//! `files` opens the CSVs (and names a wrong separator), `columns` resolves the map's columns,
//! `joins` reads the joined files, `scan` is one pass over the main file, `detect` finds each
//! date column's order, `count` sums the rows per month, `events` holds a long export's latest
//! state per id, `currencies` the currencies and decimal marks of the amounts.

use super::csvread::{Place, Record, RowError};
use super::dates::Order;
use super::map::Map;
use crate::diagnostics::{Diagnostic, Severity};

/// Hash maps keyed by cells: `ahash` (keyed at random, so crafted keys cannot collide on
/// purpose) is several times faster than std's SipHash on a million keys.
type HashMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;
use std::path::{Path, PathBuf};

mod columns;
mod count;
mod currencies;
mod detect;
mod events;
mod files;
mod joins;
mod parts;
mod scan;
mod split;

use columns::*;
use count::Acc;
pub use count::{Counted, MonthAcc};
use currencies::*;
use events::*;
pub use files::check_opens;
use files::*;
use joins::*;
use parts::Part;
use scan::*;

/// A resolved column: which file (0 = main, k = k-th join) and which cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Col {
    /// 0 for the main file, k for the k-th join.
    pub file: usize,
    /// Cell index.
    pub idx: usize,
}

/// One CSV file taking part.
pub struct Source {
    /// Where it is.
    pub path: PathBuf,
    /// How diagnostics name it.
    pub name: String,
    /// Its header row.
    pub headers: Vec<String>,
    /// The join alias (none for the main file).
    pub alias: Option<String>,
}

/// A joined file, read whole and indexed by its key.
pub struct Joined {
    rows: Vec<Record>,
    index: HashMap<String, u32>,
    left: Col,
    /// Rows whose left key was not blank.
    pub eligible: u64,
    /// Rows that found a partner.
    pub matched: u64,
}

struct StagePlan {
    id: String,
    date: Option<Col>,
    date_name: String,
    when: Vec<(Col, Vec<String>)>,
    values: Vec<String>,
}

/// The map resolved against the files.
pub struct Plan {
    /// The main file, then the joined ones.
    pub sources: Vec<Source>,
    /// The joins, in order (index k-1 is source k).
    pub joins: Vec<Joined>,
    stages: Vec<StagePlan>,
    channel: Option<Col>,
    amount: Option<(Col, String)>,
    unique: Option<(Col, String)>,
    events: Option<[Col; 3]>,
    map: Map,
    /// Each detected date column's order (a handful: looked up by a linear scan, no hashing).
    orders: Vec<(Col, Order)>,
    /// Set while counting before the date columns' orders are known, when a date needs one:
    /// the pass stops, and the orders are found first (docs/import.md).
    abandon: std::sync::atomic::AtomicBool,
    /// The amount's currency column (the map's `currency`, or the one named after the
    /// amount): amounts in two currencies are summed as written, so the import says when it
    /// sees two.
    currency: Option<Col>,
    /// `lost`: its date column and conditions.
    lost: Option<StagePlan>,
    /// `ignore`: each condition's column (in the main file) and its index in the map.
    ignore: Vec<(Col, usize)>,
}

fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn file_error(path: &Path, message: String, hint: &str) -> Box<Diagnostic> {
    Box::new(Diagnostic::file_level(Severity::Error, &display(path), message, Some(hint.to_string())))
}

/// A row hint without its "pass --skip-bad-rows" advice, for rows that flag already skipped.
fn without_skip_advice(hint: String) -> String {
    for clause in [", or pass --skip-bad-rows to skip such rows", "; pass --skip-bad-rows to skip such rows"] {
        if let Some(h) = hint.strip_suffix(clause) {
            return format!("{h} to count this row");
        }
    }
    hint
}

fn row_error(name: &str, at: Place, e: &RowError, severity: Severity) -> Diagnostic {
    let (message, hint) = e.describe();
    at_line(severity, name, at, message, hint)
}

/// A diagnostic at a CSV cell (or, at column 1, a row).
fn at_line(severity: Severity, file: &str, at: Place, message: String, hint: String) -> Diagnostic {
    // A bad row is a warning only when `--skip-bad-rows` was given: then its hint must not
    // suggest that flag again.
    let hint = if severity == Severity::Warning { without_skip_advice(hint) } else { hint };
    Diagnostic {
        severity,
        kind: crate::diagnostics::Kind::Import,
        file: file.to_string(),
        line: at.line.max(1) as usize,
        column: at.col.max(1) as usize,
        message,
        hint: if hint.is_empty() { None } else { Some(hint) },
        source_line: None,
        width: 1,
    }
}
