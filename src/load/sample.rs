//! `smarketing init`'s sample funnel (docs/content.md, "The sample funnel"): the file it is
//! written to, and how to tell that a file still holds its made-up numbers. Left beside a real
//! funnel file, those months would be merged into the real report, so every check and build
//! warns while it is there.

use super::merge::Entry;
use crate::diagnostics::{Diagnostic, Severity};

/// Where `init` writes the sample funnel, relative to the project.
pub const SAMPLE_FILE: &str = "content/funnel/sample.yaml";

/// The first line of the sample funnel file.
pub const SAMPLE_FIRST_LINE: &str =
    "# SAMPLE DATA written by `smarketing init`: replace these made-up numbers with your own, or delete this file.";

/// The sample's months, oldest first: the counts of the default stages (leads, mql, sql,
/// opportunities, won) and the revenue. A file whose every month gives exactly one of these
/// still holds the sample.
pub const SAMPLE_MONTHS: [([u64; 5], u64); 3] =
    [([1500, 450, 130, 70, 18], 216_000), ([1620, 500, 150, 78, 21], 256_000), ([1710, 540, 175, 85, 24], 290_000)];

/// Whether a funnel file's months are all `init`'s sample months (whatever months they are
/// dated: the sample is dated around the day `init` ran).
pub fn holds_sample(entries: &[Entry]) -> bool {
    !entries.is_empty()
        && entries.iter().all(|e| {
            SAMPLE_MONTHS.iter().any(|(stages, revenue)| {
                e.month.stages.len() == stages.len()
                    && e.month.stages.iter().zip(stages).all(|(got, want)| *got == Some(*want))
                    && e.month.revenue == Some(*revenue as f64)
            })
        })
}

/// The warning for a sample file left beside `others` other funnel files.
pub fn warning(others: usize) -> Diagnostic {
    Diagnostic::file_level(
        Severity::Warning,
        SAMPLE_FILE,
        format!(
            "{SAMPLE_FILE} still holds the sample numbers `smarketing init` wrote, beside {others} other funnel file{}: its made-up months are merged into your reports",
            if others == 1 { "" } else { "s" }
        ),
        Some(format!("delete {SAMPLE_FILE} (or replace its numbers with your own)")),
    )
}
