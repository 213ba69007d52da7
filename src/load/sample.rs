//! `smarketing init`'s sample funnel and sample plan (docs/content.md, "The sample funnel"):
//! the files they are written to, and how to tell that a file still holds their made-up
//! numbers. Left beside a real funnel file, the sample months would be merged into the real
//! report, and the sample plan would measure real numbers against made-up targets, so every
//! check and build warns while either is there.

use super::merge::Entry;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{PlanMonth, Site};

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

/// Where `init` writes the sample plan, relative to the project.
pub const SAMPLE_PLAN_FILE: &str = "content/plan/sample.yaml";

/// The first line of the sample plan file.
pub const SAMPLE_PLAN_FIRST_LINE: &str =
    "# SAMPLE PLAN written by `smarketing init`: replace these made-up targets with your own plan, or delete this file.";

/// The sample plan of every month: leads and won (stage ids of the default stages) and
/// revenue. The same each month, so a plan file whose every month is exactly this (and plans
/// nothing else) still holds the sample.
pub const SAMPLE_PLAN: (u64, u64, u64) = (1600, 20, 250_000);

/// Whether a plan file's months are all `init`'s sample plan.
pub fn holds_sample_plan(months: &[&PlanMonth], site: &Site) -> bool {
    let (leads, won, revenue) = SAMPLE_PLAN;
    let (Some(l), Some(w)) = (site.stage_index("leads"), site.stage_index("won")) else { return false };
    !months.is_empty()
        && months.iter().all(|pm| {
            pm.stages.iter().enumerate().all(|(i, v)| match i {
                _ if i == l => *v == Some(leads),
                _ if i == w => *v == Some(won),
                _ => v.is_none(),
            }) && pm.revenue == Some(revenue as f64)
                && pm.pipeline_created.is_none()
        })
}

/// The warning for the sample plan left beside `others` funnel files of real numbers.
pub fn plan_warning(others: usize) -> Diagnostic {
    Diagnostic::file_level(
        Severity::Warning,
        SAMPLE_PLAN_FILE,
        format!(
            "{SAMPLE_PLAN_FILE} still holds the sample plan `smarketing init` wrote, beside {others} funnel file{} of your own: your months are measured against its made-up targets (\"vs plan\", quarter to date)",
            if others == 1 { "" } else { "s" }
        ),
        Some(format!("delete {SAMPLE_PLAN_FILE} (or replace its targets with your plan)")),
    )
}
