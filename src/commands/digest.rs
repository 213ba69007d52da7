//! `smarketing digest`: a report's first screen in words, on standard output.

use super::{stdout, Verbosity};
use crate::assemble::digest::{digest, Period};
use crate::cli::DigestFormat;
use crate::model::calendar::{Month, Quarter};
use crate::{diagnostics, load};
use std::path::Path;

/// Loads and analyses the project as `build` does, then prints the digest of `period` (default:
/// the latest report) in `format`. Exit 1 on content errors or a period without a report, 2 on
/// a period that is neither `YYYY-MM` nor `YYYY-Qn`.
pub fn run(root: &Path, period: Option<&str>, format: DigestFormat, as_of: jiff::civil::Date, v: Verbosity) -> u8 {
    let wanted = match period {
        None => None,
        Some(s) => match (Month::parse(s), Quarter::parse(s)) {
            (Some(m), _) => Some(Period::Month(m)),
            (None, Some(q)) => Some(Period::Quarter(q)),
            _ => {
                crate::say!(
                    "error: expected a month as YYYY-MM or a quarter as YYYY-Qn, like 2026-10 or 2026-Q3, found `{}`",
                    diagnostics::escape_controls(s)
                );
                return 2;
            }
        },
    };
    let mut loaded = load::load(root, as_of);
    diagnostics::sort(&mut loaded.diags);
    if !v.quiet || loaded.has_errors() {
        diagnostics::print_human(&loaded.diags);
    }
    if loaded.has_errors() {
        crate::say!("digest: {}; nothing printed", diagnostics::summary(&loaded.diags));
        return 1;
    }
    let analysis = crate::analyze::Analysis::new(&loaded.project, loaded.files);
    let Some(period) = wanted.or(analysis.latest.map(Period::Month)) else {
        return super::refuse(
            "the project has no report yet",
            "add funnel numbers or a meeting for a month, then run this again",
        );
    };
    let Some(d) = digest(&analysis, period) else {
        let months: Vec<String> = analysis.months.iter().map(ToString::to_string).collect();
        let quarters: Vec<String> = analysis.quarters.iter().map(|q| q.quarter.to_string()).collect();
        return super::refuse(
            &format!("no report for {}", period_name(period)),
            &format!("reports exist for {}; quarters for {}", list(&months), list(&quarters)),
        );
    };
    let Some(templates) = loaded.templates.as_ref() else {
        return super::refuse("the templates were not loaded", "run `smarketing check` to see why");
    };
    let name = match format {
        DigestFormat::Markdown => "digest.md",
        DigestFormat::Text => "digest.txt",
    };
    match crate::render::digest::render_digest(templates, name, &d) {
        Ok(text) => {
            stdout(&text);
            0
        }
        Err(diags) => {
            diagnostics::print_human(&diags);
            crate::say!("digest: {}; nothing printed", diagnostics::summary(&diags));
            1
        }
    }
}

fn period_name(p: Period) -> String {
    match p {
        Period::Month(m) => m.to_string(),
        Period::Quarter(q) => q.to_string(),
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}
