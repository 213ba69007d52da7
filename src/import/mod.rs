//! `smarketing import`: CRM export rows (CSV) to a funnel file (FORMAT.md section 10, Import).
//!
//! - `map.rs` reads the map file (with line numbers for its mistakes),
//! - `csvread.rs` reads CSV rows with their physical line numbers and bounded memory,
//! - `dates.rs` and `amounts.rs` read the cells, never guessing,
//! - `rows/` resolves columns across joins, reads the rows (twice: once to find each date
//!   column's format, once to count) and sums them per month,
//! - `emit.rs` writes the funnel YAML with `serde_yaml`, `output.rs` writes it to disk safely,
//! - `report.rs` bounds the diagnostics,
//! - `unmatched.rs` finds `when` conditions that no row meets (a stage silently at zero).

mod amounts;
mod csvread;
mod dates;
mod emit;
pub mod map;
mod output;
mod report;
mod rows;
mod unmatched;

use crate::diagnostics::{self, Diagnostic, Severity};
use crate::load::reader::FileReader;
use crate::load::yaml;
use crate::model::calendar::Month;
use std::io::IsTerminal;
use std::path::Path;

fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn median(v: &mut [i64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] as f64 } else { (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0 })
}

/// What the import found, for the summary line and the output.
pub struct Outcome {
    /// The funnel YAML.
    pub yaml: String,
    /// Warnings and skipped-row reports.
    pub diags: Vec<Diagnostic>,
    /// One line saying what was read and what each option did.
    pub summary: String,
    /// Months written.
    pub months: Vec<Month>,
}

/// Reads and checks the map file.
fn read_map(map_path: &Path, text: &str) -> Result<map::Map, Vec<Diagnostic>> {
    let name = display(map_path);
    let node = match yaml::parse(text, 0) {
        Ok(Some(n)) => n,
        Ok(None) => {
            return Err(vec![Diagnostic::file_level(
                Severity::Error,
                &name,
                "the map is empty",
                Some("name a date column per stage: `stages: {mql: first_contact_date, won: won_date}`".into()),
            )])
        }
        Err(e) => {
            return Err(vec![Diagnostic::at(
                Severity::Error,
                &name,
                text,
                e.pos.line,
                e.pos.col,
                1,
                e.message,
                Some(e.hint),
            )])
        }
    };
    let mut r = FileReader::new(&name, text);
    match map::read(&mut r, &node) {
        Some(m) => Ok(m),
        None => {
            // In the order of the file, like `check`'s.
            let mut diags = r.finish();
            crate::diagnostics::sort(&mut diags);
            Err(diags)
        }
    }
}

fn plural(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Runs the import: reads, counts, and returns the funnel YAML with every diagnostic.
pub fn import(csv_path: &Path, map_path: &Path, skip_bad_rows: bool) -> Result<Outcome, Vec<Diagnostic>> {
    let map_text = crate::load::read_text(map_path).map_err(|e| {
        let mut diags = vec![e.diagnostic(&display(map_path))];
        // All problems at once: a CSV that cannot be opened either is named too.
        diags.extend(rows::check_opens(csv_path));
        diags
    })?;
    let map = read_map(map_path, &map_text)?;
    let mut r = FileReader::new(&display(map_path), &map_text);
    let spec = map.clone();
    let plan = rows::Plan::new(map, csv_path, map_path, &mut r)?;
    let size = std::fs::metadata(csv_path).map(|m| m.len()).unwrap_or(0);
    let bar = if std::io::stderr().is_terminal() && size > 8 * 1024 * 1024 {
        indicatif::ProgressBar::new(size * if spec.date_format.is_some() { 1 } else { 2 })
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut grouped = report::Grouped::default();
    let counted = plan.count(skip_bad_rows, &mut grouped, &bar);
    bar.finish_and_clear();
    let Ok(mut c) = counted else {
        return Err(grouped.finish());
    };
    if grouped.has_errors() {
        return Err(grouped.finish());
    }
    let mut diags = grouped.finish();
    let csv_name = display(csv_path);
    if c.months.is_empty() {
        let (message, hint) = if c.skipped > 0 {
            (
                format!("no row is left to count: all {} with a value were skipped", plural(c.skipped, "row")),
                "the warnings above say why; fix the map (`date_format`, `decimal`) or the export rather than skipping every row",
            )
        } else if c.stats.rows == 0 {
            ("the file has a header row but no rows".to_string(), "export the rows too")
        } else {
            (
                format!("no row has a date for any mapped stage ({} read)", plural(c.stats.rows, "row")),
                "check that `stages` names the date columns, and that `when` conditions can hold",
            )
        };
        diags.push(Diagnostic::file_level(Severity::Error, &csv_name, message, Some(hint.into())));
        return Err(diags);
    }
    // Joins that match nothing, or under 10% of the rows with a key, are likely wrong keys.
    for (spec_join, (alias, eligible, matched)) in spec.joins.iter().zip(&c.joins) {
        let problem = if *matched == 0 {
            Some(format!(
                "join `{alias}` matched no row ({} with a `{}` key)",
                plural(*eligible, "row"),
                spec_join.left.name
            ))
        } else if matched * 10 < *eligible {
            Some(format!(
                "join `{alias}` matched only {matched} of {} with a `{}` key (under 10%)",
                plural(*eligible, "row"),
                spec_join.left.name
            ))
        } else {
            None
        };
        if let Some(message) = problem {
            diags.push(Diagnostic::at(
                Severity::Warning,
                &r.rel,
                r.src,
                spec_join.csv_at.line,
                spec_join.csv_at.col,
                spec_join.csv.chars().count(),
                message,
                Some(format!(
                    "check that `{}` and `{}` hold the same ids (keys are compared trimmed, case matters); with different names write `on: {{left: NAME, right: NAME}}`",
                    spec_join.left.name, spec_join.right.name
                )),
            ));
        }
    }
    // A `when` (or with `events` a stage's values) that no row meets leaves its stage at zero
    // in every month: a warning at the value.
    for u in &c.unmatched {
        let stage = &spec.stages[u.stage];
        let (column, written, at, form) = match (&spec.events, &stage.values_written) {
            (Some(e), Some((written, at))) => (&e.stage.name, written, at, unmatched::Form::Stage(&stage.id)),
            _ => {
                let cond = &stage.when[u.cond];
                (&cond.col.name, &cond.written, &cond.at, unmatched::Form::When)
            }
        };
        let (message, hint) = u.describe(column, written, form);
        diags.push(Diagnostic::at(Severity::Warning, &r.rel, r.src, at.line, at.col, at.width, message, Some(hint)));
    }
    // Months, then from/to.
    let n = c.stage_ids.len();
    let mut out = Vec::new();
    let mut months = Vec::new();
    let mut outside = 0u64;
    for (m, acc) in c.months.iter_mut() {
        if spec.from.is_some_and(|f| *m < f) || spec.to.is_some_and(|t| *m > t) {
            outside += 1;
            continue;
        }
        if acc.counts.is_empty() {
            acc.counts = vec![0; n];
        }
        let counts = |v: &[u64]| emit::Counts(c.stage_ids.iter().cloned().zip(v.iter().copied()).collect());
        months.push(*m);
        out.push(emit::MonthOut {
            month: m.to_string(),
            stages: counts(&acc.counts),
            revenue: c.has_amount.then(|| emit::Num::micro(acc.revenue)),
            sales_cycle_days: median(&mut acc.cycle).map(emit::Num::of),
            days_to_mql: median(&mut acc.to_mql).map(emit::Num::of),
            by_channel: acc.channels.iter().map(|(k, v)| (k.clone(), counts(v))).collect(),
        });
    }
    if out.is_empty() {
        let (a, b) = (c.months.keys().next(), c.months.keys().last());
        diags.push(Diagnostic::file_level(
            Severity::Error,
            &display(map_path),
            format!(
                "no month is left to write: the rows fall in {} to {}, all outside from/to",
                a.map(|m| m.to_string()).unwrap_or_default(),
                b.map(|m| m.to_string()).unwrap_or_default()
            ),
            Some("widen `from` and `to`, or remove them".into()),
        ));
        return Err(diags);
    }
    // The summary: what was read, and what each option did.
    let mut parts = vec![match c.ids {
        Some(ids) => format!("{} read ({}, {} counted)", plural(c.stats.rows, "row"), plural(ids, "id"), c.counted),
        None => format!("{} read ({} counted)", plural(c.stats.rows, "row"), c.counted),
    }];
    for (alias, eligible, matched) in &c.joins {
        parts.push(format!("join `{alias}`: {matched} of {eligible} matched"));
    }
    for (k, s) in spec.stages.iter().enumerate() {
        if !s.when.is_empty() {
            parts.push(format!("`when` left out {} dated at `{}`", plural(c.when_out[k], "row"), s.id));
        }
    }
    if let Some(u) = &spec.unique {
        parts.push(format!("unique `{}`: {} left out", u.name, plural(c.stats.repeats, "repeated row")));
    }
    if spec.from.is_some() || spec.to.is_some() {
        parts.push(format!("from/to: {} left out", plural(outside, "month")));
    }
    parts.push(format!("{} skipped", c.skipped));
    let range = format!("{} to {}", months[0], months[months.len() - 1]);
    let summary = format!("{}; {} written ({range})", parts.join(", "), plural(months.len() as u64, "month"));
    let source = csv_name.rsplit('/').next().unwrap_or("").to_string();
    let yaml = emit::to_yaml(&source, c.stats.rows, &out);
    Ok(Outcome { yaml, diags, summary, months })
}

/// The `import` command: runs, prints diagnostics and a summary, writes the output.
pub fn run(
    csv_path: &Path,
    map_path: &Path,
    output: Option<&Path>,
    force: bool,
    skip_bad_rows: bool,
    quiet: bool,
) -> u8 {
    if let Some(o) = output {
        if o.is_dir() {
            crate::say!(
                "error: {} is a folder, and --output names the file to write\n  = help: name a file in it, like {}",
                o.display(),
                o.join("crm.yaml").display()
            );
            return 1;
        }
        if let Some(kind) = output::special_kind(o) {
            crate::say!(
                "error: {} is {kind}, not a regular file, and --output replaces the file it names\n  = help: name a regular file to write, or leave out --output to print to standard output",
                diagnostics::escape_controls(&o.display().to_string())
            );
            return 1;
        }
        let parent = o.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(p) = parent.filter(|p| !p.is_dir()) {
            crate::say!(
                "error: cannot write {}: the folder {} does not exist\n  = help: check the path, or create the folder first",
                o.display(),
                p.display()
            );
            return 1;
        }
        if std::fs::symlink_metadata(o).is_ok() && !force {
            crate::say!("error: {} already exists\n  = help: pass --force to overwrite it", o.display());
            return 1;
        }
    }
    let started = std::time::Instant::now();
    match import(csv_path, map_path, skip_bad_rows) {
        Err(diags) => {
            diagnostics::print_human(&diags);
            crate::say!("import: {}; nothing was written", diagnostics::summary(&diags));
            1
        }
        Ok(o) => {
            if !quiet {
                diagnostics::print_human(&o.diags);
            }
            match output {
                Some(path) => {
                    if let Err(e) = output::write_new(path, o.yaml.as_bytes(), force) {
                        let hint = if e.kind() == std::io::ErrorKind::AlreadyExists {
                            "\n  = help: pass --force to overwrite it"
                        } else {
                            ""
                        };
                        crate::say!("error: cannot write {}: {e}{hint}", path.display());
                        return 1;
                    }
                }
                None => crate::commands::stdout(&o.yaml),
            }
            if !quiet {
                crate::say!("import: {} in {} ms", o.summary, started.elapsed().as_millis());
            }
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&mut [5, 1, 3]), Some(3.0));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
