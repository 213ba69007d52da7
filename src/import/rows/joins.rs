//! Joins: each joined file read whole and indexed by its key, and one main row with its partners.

use super::{at_line, row_error, Col, HashMap, Joined, Source, Width};
use crate::diagnostics::{Diagnostic, Severity};
use crate::import::csvread::{CsvReader, Place, Record};
use crate::import::report::Grouped;

/// A joined file's rows and the index of its keys.
type JoinTable = (Vec<Record>, HashMap<String, u32>);

/// Reads a joined file whole, indexing its rows by the right key.
pub(super) fn read_joined(
    src: &Source,
    rdr: &mut CsvReader<std::fs::File>,
    right: usize,
    right_name: &str,
) -> Result<JoinTable, Vec<Diagnostic>> {
    let mut rows = Vec::new();
    let mut index: HashMap<String, u32> = HashMap::default();
    let mut errors = Grouped::default();
    let mut rec = Record::default();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                if let Some(w) = Width::of(&rec, src.headers.len()).filter(|w| w.shifted) {
                    errors.push(
                        &format!("rows with another number of cells than the header in {}", src.name),
                        at_line(Severity::Error, &src.name, w.at, w.message, w.hint.to_string()),
                    );
                    continue;
                }
                let key = rec.get(right).unwrap_or("").trim();
                if !key.is_empty() {
                    if let Some(&first) = index.get(key) {
                        let first_line: u64 = rows.get(first as usize).map(|r: &Record| r.line).unwrap_or(0);
                        errors.push(
                            &format!("repeated keys in {}", src.name),
                            at_line(
                                Severity::Error,
                                &src.name,
                                rec.place(right),
                                format!(
                                    "key `{key}` appears twice in the joined file: lines {first_line} and {}",
                                    rec.line
                                ),
                                format!(
                                    "each `{right_name}` may appear once in {}; remove the duplicate row",
                                    src.name
                                ),
                            ),
                        );
                    } else {
                        index.insert(key.to_string(), rows.len() as u32);
                    }
                }
                rows.push(rec.clone());
            }
            Err(e) => {
                errors.push(
                    &format!("unreadable rows in {}", src.name),
                    row_error(&src.name, rec.error_place(), &e, Severity::Error),
                );
                if !e.recoverable() {
                    break;
                }
            }
        }
    }
    if errors.has_errors() {
        return Err(errors.finish());
    }
    Ok((rows, index))
}

/// One main row with its partners in the joined files.
pub(super) struct Ctx<'a> {
    pub(super) main: &'a Record,
    pub(super) partners: &'a [Option<u32>],
    pub(super) joins: &'a [Joined],
}

impl Ctx<'_> {
    fn row(&self, file: usize) -> Option<&Record> {
        if file == 0 {
            Some(self.main)
        } else {
            self.partners[file - 1].map(|i| &self.joins[file - 1].rows[i as usize])
        }
    }

    pub(super) fn cell(&self, c: Col) -> &str {
        self.row(c.file).and_then(|r| r.get(c.idx)).unwrap_or("").trim()
    }

    pub(super) fn line(&self, c: Col) -> u64 {
        self.place(c).line
    }

    /// Where the cell `c` starts (the main row's start when a join found no partner).
    pub(super) fn place(&self, c: Col) -> Place {
        self.row(c.file).map(|r| r.place(c.idx)).unwrap_or(Place { line: self.main.line, col: 1 })
    }
}
