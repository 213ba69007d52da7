//! Diagnostics of the import, bounded: past [`PER_KIND`] diagnostics of one kind (say,
//! unreadable dates in one column) the rest are only counted, and one line says how many,
//! so three million bad dates print twenty errors and a count, not 600 MB.

use crate::diagnostics::{Diagnostic, Severity};
use std::collections::BTreeMap;

/// How many diagnostics of one kind are printed.
pub const PER_KIND: u64 = 20;

/// Collects diagnostics, counting those past the limit per kind.
#[derive(Default)]
pub struct Grouped {
    list: Vec<Diagnostic>,
    kinds: BTreeMap<String, Kind>,
    /// Errors of any kind, printed or counted.
    pub errors: u64,
}

struct Kind {
    seen: u64,
    file: String,
    severity: Severity,
}

impl Grouped {
    /// Adds a diagnostic of `kind` (a phrase like "unreadable dates in column `Created`").
    pub fn push(&mut self, kind: &str, d: Diagnostic) {
        if d.severity == Severity::Error {
            self.errors += 1;
        }
        let k = self.kinds.entry(kind.to_string()).or_insert_with(|| Kind {
            seen: 0,
            file: d.file.clone(),
            severity: d.severity,
        });
        k.seen += 1;
        if k.seen <= PER_KIND {
            self.list.push(d);
        }
    }

    /// Whether any error was added.
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// Every diagnostic kept, then one line per kind that went past the limit.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        for (kind, k) in self.kinds {
            if k.seen > PER_KIND {
                let word = if k.severity == Severity::Error { "errors" } else { "warnings" };
                self.list.push(Diagnostic::file_level(
                    k.severity,
                    &k.file,
                    format!("{} more {word} like the ones above ({kind}), {} in all", k.seen - PER_KIND, k.seen),
                    Some(format!("only the first {PER_KIND} of each kind are shown")),
                ));
            }
        }
        self.list
    }
}
