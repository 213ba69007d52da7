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
    /// The diagnostics kept, each with its kind (an index into `kinds`).
    list: Vec<(usize, Diagnostic)>,
    /// The kinds in the order first seen, and where each name is.
    kinds: Vec<Kind>,
    by_name: BTreeMap<String, usize>,
    /// Errors of any kind, printed or counted.
    pub errors: u64,
}

struct Kind {
    name: String,
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
        let i = match self.by_name.get(kind) {
            Some(&i) => i,
            None => {
                self.by_name.insert(kind.to_string(), self.kinds.len());
                self.kinds.push(Kind { name: kind.to_string(), seen: 0, file: d.file.clone(), severity: d.severity });
                self.kinds.len() - 1
            }
        };
        let k = &mut self.kinds[i];
        k.seen += 1;
        if k.seen <= PER_KIND {
            self.list.push((i, d));
        }
    }

    /// Adds the diagnostics of `later`, collected from a part of a file that comes after every
    /// part added so far: the result is what one reading of the parts in order would have
    /// collected (the same diagnostics kept, in the same order, and the same counts).
    pub fn absorb(&mut self, later: Grouped) {
        let mut kept = vec![0u64; later.kinds.len()];
        let mut kept_errors = 0;
        for (i, d) in later.list {
            kept[i] += 1;
            kept_errors += u64::from(d.severity == Severity::Error);
            self.push(&later.kinds[i].name, d);
        }
        // Those `later` only counted count here too.
        for (k, kept) in later.kinds.iter().zip(kept) {
            if let (Some(&i), true) = (self.by_name.get(&k.name), k.seen > kept) {
                self.kinds[i].seen += k.seen - kept;
            }
        }
        self.errors += later.errors - kept_errors;
    }

    /// Whether any error was added.
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// Every diagnostic kept, then one line per kind that went past the limit.
    pub fn finish(self) -> Vec<Diagnostic> {
        let mut list: Vec<Diagnostic> = self.list.into_iter().map(|(_, d)| d).collect();
        for (kind, &i) in &self.by_name {
            let k = &self.kinds[i];
            if k.seen > PER_KIND {
                let word = if k.severity == Severity::Error { "errors" } else { "warnings" };
                list.push(Diagnostic::file_level(
                    k.severity,
                    &k.file,
                    format!("{} more {word} like the ones above ({kind}), {} in all", k.seen - PER_KIND, k.seen),
                    Some(format!("only the first {PER_KIND} of each kind are shown")),
                ));
            }
        }
        list
    }
}
