//! `smarketing import`: CRM export rows (CSV) to a funnel file (docs/import.md).
//!
//! - `map.rs` reads the map file (with line numbers for its mistakes),
//! - `csvread.rs` reads CSV rows with their physical line numbers and bounded memory,
//! - `dates.rs` and `amounts.rs` read the cells, never guessing,
//! - `rows/` resolves columns across joins, reads the rows (once; twice when a date column's
//!   order of day and month must be found first) and sums them per month,
//! - `emit.rs` writes the funnel YAML with `serde_yaml`, `output.rs` writes it to disk safely,
//! - `report.rs` bounds the diagnostics,
//! - `unmatched.rs` finds `when` conditions that no row meets (a stage silently at zero).

mod amounts;
mod csvread;
mod dates;
mod emit;
pub mod map;
mod mapkeys;
mod output;
mod report;
mod rowkeys;
mod rows;
mod run;
mod unmatched;

use crate::diagnostics::{Diagnostic, Severity};
use crate::load::reader::FileReader;
use crate::load::yaml;
use crate::model::calendar::Month;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub use run::{run, Job, Options};

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
    /// The map's `output`, resolved against the map's folder.
    pub output: Option<PathBuf>,
    /// Parts of the CSV counted at once, each on its own thread (1: read on one thread).
    pub parts: usize,
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

/// One month as written: a spend import writes its spend (per channel too), a stages import
/// its counts, revenue, lost, pipeline and medians.
fn month_out(ids: &[String], spec: &map::Map, m: Month, acc: &mut rows::MonthAcc, open: i128) -> emit::MonthOut {
    use emit::Num;
    let n = ids.len();
    if acc.counts.is_empty() {
        acc.counts = vec![0; n];
    }
    let counts = |v: &[u64]| emit::Counts(ids.iter().cloned().zip(v.iter().copied()).collect());
    let money = |v: Option<&i128>| Num::micro(v.copied().unwrap_or(0));
    let mut by_channel = std::collections::BTreeMap::new();
    let channel_names = acc.channels.keys().chain(acc.channel_money.keys());
    for name in channel_names {
        if by_channel.contains_key(name) {
            continue;
        }
        let ch = match spec.more.spend {
            Some(_) => emit::ChannelOut {
                counts: emit::Counts(Vec::new()),
                revenue: None,
                spend: Some(money(acc.channel_money.get(name))),
            },
            None => emit::ChannelOut {
                counts: counts(acc.channels.get(name).map(Vec::as_slice).unwrap_or(&vec![0; n])),
                revenue: spec.amount.is_some().then(|| money(acc.channel_money.get(name))),
                spend: None,
            },
        };
        by_channel.insert(name.clone(), ch);
    }
    if let Some(into) = spec.more.spend {
        return emit::MonthOut {
            month: m.to_string(),
            stages: None,
            revenue: None,
            lost: None,
            pipeline_created: None,
            pipeline_open: None,
            spend: Some([(into.key(), Num::micro(acc.revenue))].into_iter().collect()),
            sales_cycle_days: None,
            days_to_mql: None,
            by_channel,
        };
    }
    let piped = spec.more.pipeline.is_some();
    emit::MonthOut {
        month: m.to_string(),
        stages: Some(counts(&acc.counts)),
        revenue: spec.amount.is_some().then(|| Num::micro(acc.revenue)),
        lost: spec.more.lost.is_some().then_some(acc.lost),
        pipeline_created: piped.then(|| Num::micro(acc.pipeline_created)),
        pipeline_open: piped.then(|| Num::micro(open)),
        spend: None,
        sales_cycle_days: median(&mut acc.cycle).map(Num::of),
        days_to_mql: median(&mut acc.to_mql).map(Num::of),
        by_channel,
    }
}

/// Two silent mistakes made warnings: rows repeated whole without `unique` (two overlapping
/// exports pasted together), and a sales cycle of 0 days in every row (its two dates read from
/// one column).
fn warn_repeats_and_cycles(
    c: &rows::Counted,
    spec: &map::Map,
    csv_name: &str,
    r: &FileReader,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some((first, line, count)) = c.stats.repeated {
        diags.push(Diagnostic {
            severity: Severity::Warning,
            kind: crate::diagnostics::Kind::Import,
            file: csv_name.to_string(),
            line: line as usize,
            column: 1,
            message: if count == 1 {
                format!("line {line} repeats line {first} cell for cell: it is counted again")
            } else {
                format!(
                    "line {line} repeats line {first} cell for cell, and {count} rows in all repeat an earlier row: each is counted again"
                )
            },
            hint: Some("two overlapping exports pasted together count their common rows twice: name the id column with `unique: ID` so a repeated row counts once, or remove the repeats".into()),
            source_line: None,
            width: 1,
        });
    }
    let (measured, zero) = c.cycles;
    if measured >= 10 && zero == measured {
        let (a, b) = spec.cycle;
        let (sa, sb) = (&spec.stages[a], &spec.stages[b]);
        let col = |s: &map::StageSpec| s.date.as_ref().map(|d| d.name.clone()).unwrap_or_default();
        if let Some(at) = sb.date.as_ref().map(|d| d.at) {
            let message = format!(
                    "every one of the {measured} sales cycles is 0 days: `{}` ({}) is the same day as `{}` ({}) in every row",
                    sb.id,
                    col(sb),
                    sa.id,
                col(sa)
            );
            let hint = format!(
                "the two dates are probably one column: map `{}` to the column holding the date it was reached",
                sb.id
            );
            diags.push(Diagnostic::at(
                Severity::Warning,
                &r.rel,
                r.src,
                at.line,
                at.col,
                at.width,
                message,
                Some(hint),
            ));
        }
    }
}

/// Runs the import: reads, counts, and returns the funnel YAML with every diagnostic.
/// `csv` is the CSV named on the command line; without it, the map's `csv`.
pub fn import(csv: Option<&Path>, map_path: &Path, skip_bad_rows: bool) -> Result<Outcome, Vec<Diagnostic>> {
    let map_text = crate::load::read_text(map_path).map_err(|e| {
        let mut diags = vec![e.diagnostic(&display(map_path))];
        // All problems at once: a CSV that cannot be opened either is named too.
        diags.extend(csv.and_then(rows::check_opens));
        diags
    })?;
    let map = read_map(map_path, &map_text)?;
    let mut r = FileReader::new(&display(map_path), &map_text);
    let base = map_path.parent().unwrap_or(Path::new(""));
    // `imports/../content/funnel/crm.yaml` is named `content/funnel/crm.yaml`.
    let tidy = |p: &str| {
        let mut out = PathBuf::new();
        for c in base.join(p).components() {
            match c {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir
                    if matches!(out.components().next_back(), Some(std::path::Component::Normal(_))) =>
                {
                    out.pop();
                }
                other => out.push(other),
            }
        }
        out
    };
    let csv_buf: PathBuf = match (csv, &map.more.csv) {
        (Some(c), _) => c.to_path_buf(),
        (None, Some((p, _))) => tidy(p),
        (None, None) => {
            return Err(vec![Diagnostic::file_level(
                Severity::Error,
                &display(map_path),
                "the map names no `csv`, and the command line names no CSV",
                Some("write the export's path in the map, relative to it: `csv: ../exports/crm.csv`".into()),
            )])
        }
    };
    let csv_path = csv_buf.as_path();
    let output = map.more.output.as_ref().map(|(p, _)| tidy(p));
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
        // The stages, then `lost`.
        let Some(stage) = spec.stages.get(u.stage).or(spec.more.lost.as_ref()) else { continue };
        let (column, written, at, form) = match (&spec.events, &stage.values_written) {
            (Some(e), Some((written, at))) => (&e.stage.name, written, at, unmatched::Form::Stage(&stage.id)),
            _ => {
                let cond = &stage.when[u.cond];
                // A misspelled value of a list that matches otherwise: at that value.
                let at = match u.missing.first().and_then(|&i| cond.value_at.get(i)) {
                    Some(v) if u.partial => v,
                    _ => &cond.at,
                };
                (&cond.col.name, &cond.written, at, unmatched::Form::When)
            }
        };
        let (message, hint) = u.describe(column, written, form);
        diags.push(Diagnostic::at(Severity::Warning, &r.rel, r.src, at.line, at.col, at.width, message, Some(hint)));
    }
    warn_repeats_and_cycles(&c, &spec, &csv_name, &r, &mut diags);
    // Months, then from/to.
    let mut out = Vec::new();
    let mut months = Vec::new();
    let mut outside = 0u64;
    let mut open: i128 = 0;
    let mut deltas = c.pipeline_delta.iter().peekable();
    for (m, acc) in c.months.iter_mut() {
        // The pipeline open at the month's end: every change up to and including the month.
        while let Some((_, d)) = deltas.next_if(|(dm, _)| *dm <= m) {
            open += d;
        }
        if spec.from.is_some_and(|f| *m < f) || spec.to.is_some_and(|t| *m > t) {
            outside += 1;
            continue;
        }
        months.push(*m);
        out.push(month_out(&c.stage_ids, &spec, *m, acc, open));
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
    if spec.more.lost.as_ref().is_some_and(|l| !l.when.is_empty()) {
        let out = c.when_out.get(spec.stages.len()).copied().unwrap_or(0);
        parts.push(format!("`when` left out {} dated at `lost`", plural(out, "row")));
    }
    if let Some(u) = &spec.unique {
        parts.push(format!("unique `{}`: {} left out", u.name, plural(c.stats.repeats, "repeated row")));
    }
    if !spec.more.ignore.is_empty() {
        parts.push(format!("ignore left out {}", plural(c.stats.ignored, "row")));
    }
    if spec.from.is_some() || spec.to.is_some() {
        parts.push(format!("from/to: {} left out", plural(outside, "month")));
    }
    parts.push(format!("{} skipped", c.skipped));
    let range = format!("{} to {}", months[0], months[months.len() - 1]);
    let summary = format!("{}; {} written ({range})", parts.join(", "), plural(months.len() as u64, "month"));
    let source = csv_name.rsplit('/').next().unwrap_or("").to_string();
    let map_name = display(map_path).rsplit('/').next().unwrap_or("").to_string();
    let yaml = emit::to_yaml(&source, &map_name, c.stats.rows, &out).map_err(|e| {
        vec![Diagnostic::file_level(
            Severity::Error,
            &display(map_path),
            format!("cannot write the funnel file as YAML: {e}"),
            Some("this is a bug in smarketing: please report it with the export and the map".into()),
        )]
    })?;
    Ok(Outcome { yaml, diags, summary, months, output, parts: c.stats.parts })
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
