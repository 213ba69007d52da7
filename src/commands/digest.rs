//! `smarketing digest`: a report's first screen in words, on standard output.

use super::Verbosity;
use crate::assemble::digest::{digest, Period};
use crate::cli::DigestFormat;
use crate::diagnostics::to_stdout as stdout;
use crate::model::calendar::{Month, Quarter};
use crate::{diagnostics, load};
use std::path::Path;

/// The e-mail's sender and recipients (`--from`, `--to`), used by `--format email` only.
pub struct Mail<'a> {
    /// `--from`, if given.
    pub from: Option<&'a str>,
    /// Every `--to`.
    pub to: &'a [String],
}

/// The sender when `--from` is not given.
const DEFAULT_FROM: &str = "smarketing <smarketing@localhost>";

/// Why `mailbox` cannot go into a header as given, if it cannot: a line break would let it
/// add headers of its own; anything but printable ASCII would need encoding we do not do for
/// addresses; without `@` it is no address.
fn mailbox_problem(mailbox: &str) -> Option<&'static str> {
    if mailbox.chars().any(|c| c == '\r' || c == '\n') {
        Some("it holds a line break")
    } else if !mailbox.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
        Some("it is not printable ASCII (write the name without accents, or leave the name out)")
    } else if !mailbox.contains('@') {
        Some("it has no `@`")
    } else {
        None
    }
}

/// Loads and analyses the project as `build` does, then prints the digest of `period` (default:
/// the latest report) in `format`. Exit 1 on content errors or a period without a report, 2 on
/// a period that is neither `YYYY-MM` nor `YYYY-Qn` or a `--from`/`--to` that is no mailbox.
pub fn run(
    root: &Path,
    period: Option<&str>,
    format: DigestFormat,
    mail: &Mail,
    as_of: jiff::civil::Date,
    v: Verbosity,
) -> u8 {
    for (flag, mailbox) in mail.from.iter().map(|f| ("--from", *f)).chain(mail.to.iter().map(|t| ("--to", t.as_str())))
    {
        if let Some(problem) = mailbox_problem(mailbox) {
            crate::say!(
                "error: {flag} `{}` is not a mailbox: {problem}; write it as `name@example.com` or `Name <name@example.com>`",
                diagnostics::escape_controls(mailbox)
            );
            return 2;
        }
    }
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
    let rendered = match format {
        DigestFormat::Markdown => crate::render::digest::render_digest(templates, "digest.md", &d.for_markdown()),
        DigestFormat::Text => crate::render::digest::render_digest(templates, "digest.txt", &d),
        DigestFormat::Email => {
            let envelope = crate::render::email::Envelope {
                from: mail.from.unwrap_or(DEFAULT_FROM),
                to: mail.to,
                subject: &format!("{}: {}", d.site, d.period),
                date: as_of,
            };
            crate::render::digest::render_email(templates, &d, &envelope)
        }
    };
    match rendered {
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
