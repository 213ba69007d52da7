//! Columns: resolving each column the map names to one (file, column) pair, and rows whose width is not the header's.

use super::{
    at_line, display, open, open_with_headers, other_separator, read_joined, Col, Joined, Plan, Source, StagePlan,
};
use crate::diagnostics::{Diagnostic, Severity};
use crate::import::csvread::{Place, Record};
use crate::import::map::{self, ColRef, Map};

use std::path::Path;

fn list(h: &[String]) -> String {
    let shown: Vec<String> = h.iter().take(40).map(|c| format!("`{c}`")).collect();
    let more = if h.len() > 40 { format!(" and {} more", h.len() - 40) } else { String::new() };
    format!("{}{more}", shown.join(", "))
}

/// Why a column name does not name exactly one column.
enum Unresolved {
    /// No file has it; the hint lists the columns there are.
    Missing(String),
    /// A header names it twice: which file and which columns. The import never guesses
    /// which of two same-named columns the map means (an export with a "Created Date" of the
    /// opportunity and one of its account would otherwise be read from the wrong one).
    Twice(String),
}

impl Unresolved {
    /// The diagnostic's message and hint, for a column of the map described by `what`.
    fn describe(self, name: &str, what: &str, missing: impl FnOnce() -> String) -> (String, String) {
        match self {
            Unresolved::Missing(hint) => (missing(), hint),
            Unresolved::Twice(which) => (
                format!("column `{}` ({what}) is ambiguous: {which}", name.trim()),
                "rename or remove one of them in the export; the import does not guess which one is meant".into(),
            ),
        }
    }
}

/// The one column of `src` named `name`: `None` when it has none, an error when it has two.
fn position(src: &Source, name: &str) -> Result<Option<usize>, Unresolved> {
    let mut found = src.headers.iter().enumerate().filter(|(_, h)| *h == name).map(|(i, _)| i);
    match (found.next(), found.next()) {
        (Some(a), Some(b)) => Err(Unresolved::Twice(format!(
            "{} has two columns named `{name}` (columns {} and {})",
            src.name,
            a + 1,
            b + 1
        ))),
        (a, _) => Ok(a),
    }
}

/// Resolves a column name among the first `visible` sources.
fn resolve(sources: &[Source], visible: usize, name: &str) -> Result<Col, Unresolved> {
    let name = name.trim();
    if let Some((prefix, rest)) = name.split_once('.') {
        let k = if prefix == "join" && visible > 1 && sources[1].alias.as_deref() != Some("join") {
            Some(1)
        } else {
            (1..visible).find(|&k| sources[k].alias.as_deref() == Some(prefix))
        };
        if let Some(k) = k {
            return match position(&sources[k], rest)? {
                Some(idx) => Ok(Col { file: k, idx }),
                None => {
                    let known: Vec<&str> = sources[k].headers.iter().map(String::as_str).collect();
                    let guess = crate::load::reader::suggest(rest, &known)
                        .map(|s| format!("did you mean `{prefix}.{s}`? "))
                        .unwrap_or_default();
                    Err(Unresolved::Missing(format!(
                        "{guess}{} has the columns {}",
                        sources[k].name,
                        list(&sources[k].headers)
                    )))
                }
            };
        }
    }
    if let Some(idx) = position(&sources[0], name)? {
        return Ok(Col { file: 0, idx });
    }
    let mut found = Vec::new();
    for (k, src) in sources.iter().enumerate().take(visible).skip(1) {
        if let Some(idx) = position(src, name)? {
            found.push(Col { file: k, idx });
        }
    }
    match found.as_slice() {
        [one] => Ok(*one),
        [] => {
            let mut hint = String::new();
            let known: Vec<String> = (0..visible)
                .flat_map(|k| {
                    sources[k].headers.iter().map(move |h| match &sources[k].alias {
                        Some(a) if k > 0 => format!("{a}.{h}"),
                        _ => h.clone(),
                    })
                })
                .collect();
            let known_ref: Vec<&str> = known.iter().map(String::as_str).collect();
            if let Some(s) = crate::load::reader::suggest(name, &known_ref) {
                hint.push_str(&format!("did you mean `{s}`? "));
            }
            let files: Vec<String> = (0..visible)
                .map(|k| format!("{} has the columns {}", sources[k].name, list(&sources[k].headers)))
                .collect();
            hint.push_str(&files.join("; "));
            Err(Unresolved::Missing(hint))
        }
        many => {
            let names: Vec<String> =
                many.iter().map(|c| format!("`{}.{name}`", sources[c.file].alias.as_deref().unwrap_or(""))).collect();
            Err(Unresolved::Missing(format!("several joined files have it: write {}", names.join(" or "))))
        }
    }
}

/// A row whose number of cells is not the header's.
pub(super) struct Width {
    /// More cells than the header: a comma outside quotes moved every cell after it into
    /// the next column, so the row's dates and statuses cannot be trusted (it is refused
    /// like an unreadable value). Fewer cells (a row cut short) are read as blanks.
    pub(super) shifted: bool,
    pub(super) at: Place,
    pub(super) message: String,
    pub(super) hint: &'static str,
}

impl Width {
    /// The problem of a row of `rec.len()` cells under a header of `width`, if any.
    pub(super) fn of(rec: &Record, width: usize) -> Option<Width> {
        let n = rec.len();
        if n == width || width == 0 {
            return None;
        }
        let plural = |k: usize| if k == 1 { "cell" } else { "cells" };
        if n > width {
            Some(Width {
                shifted: true,
                at: rec.place(width),
                message: format!(
                    "this row has {n} {} but the header has {width}: a comma outside quotes moves every cell after it to the next column",
                    plural(n)
                ),
                hint: "quote cells that hold a comma (`\"Acme, Inc\"`), as a CRM's own export does",
            })
        } else {
            Some(Width {
                shifted: false,
                at: Place { line: rec.line, col: 1 },
                message: format!(
                    "this row has {n} {} but the header has {width}; the missing cells are read as blank",
                    plural(n)
                ),
                hint: "a row cut short, or a line break outside quotes, loses cells: check the export",
            })
        }
    }
}

impl Plan {
    /// Opens the files and resolves every column of the map; all problems at once.
    pub fn new(
        map: Map,
        csv_path: &Path,
        map_path: &Path,
        r: &mut crate::load::reader::FileReader,
    ) -> Result<Plan, Vec<Diagnostic>> {
        let (_, headers) = open_with_headers(csv_path, map.delimiter, map.more.header_row).map_err(|d| vec![*d])?;
        if let Some(d) = other_separator(csv_path, &headers, map.delimiter) {
            return Err(vec![d]);
        }
        let mut sources = vec![Source { path: csv_path.to_path_buf(), name: display(csv_path), headers, alias: None }];
        let base = map_path.parent().unwrap_or(Path::new("."));
        let mut joins = Vec::new();
        let mut fatal = Vec::new();
        for (k, j) in map.joins.iter().enumerate() {
            let path = base.join(&j.csv);
            let (mut rdr, headers) = match open_with_headers(&path, map.delimiter, 1) {
                Ok(x) => x,
                Err(d) => {
                    r.error_at(
                        j.csv_at,
                        format!("cannot read the joined file {}: {}", display(&path), d.message),
                        "the path is relative to the map file",
                    );
                    break;
                }
            };
            sources.push(Source { path: path.clone(), name: display(&path), headers, alias: Some(j.alias.clone()) });
            let left = match resolve(&sources, k + 1, &j.left.name) {
                Ok(c) => Some(c),
                Err(e) => {
                    let what = format!("the left key of join `{}`", j.alias);
                    let (message, hint) = e.describe(&j.left.name, &what, || {
                        format!("no column `{}` ({what}) in the files before it", j.left.name)
                    });
                    r.error_at(j.left.at, message, hint);
                    None
                }
            };
            let right_name = j.right.name.trim();
            let right_name = right_name.strip_prefix(&format!("{}.", j.alias)).unwrap_or(right_name);
            let right = match position(&sources[k + 1], right_name) {
                Ok(Some(i)) => Some(i),
                found => {
                    let what = format!("the right key of join `{}`", j.alias);
                    let e = found.err().unwrap_or_else(|| {
                        Unresolved::Missing(format!(
                            "{} has the columns {}",
                            display(&path),
                            list(&sources[k + 1].headers)
                        ))
                    });
                    let (message, hint) = e.describe(right_name, &what, || {
                        format!("no column `{right_name}` ({what}) in {}", display(&path))
                    });
                    r.error_at(j.right.at, message, hint);
                    None
                }
            };
            let (Some(left), Some(right)) = (left, right) else { break };
            match read_joined(&sources[k + 1], &mut rdr, right, right_name) {
                Ok((rows, index)) => joins.push(Joined { rows, index, left, eligible: 0, matched: 0 }),
                Err(d) => fatal.extend(d),
            }
        }
        let visible = sources.len();
        // Every column asked for, and those no file has: a header hint when they are all on a
        // later line (a report's title lines above the header).
        let mut asked: Vec<String> = Vec::new();
        let mut missing = 0;
        let mut res = |r: &mut crate::load::reader::FileReader, c: &ColRef, what: &str| -> Option<Col> {
            asked.push(c.name.trim().to_string());
            match resolve(&sources, visible, &c.name) {
                Ok(col) => Some(col),
                Err(e) => {
                    missing += usize::from(matches!(e, Unresolved::Missing(_)));
                    let (message, hint) =
                        e.describe(&c.name, what, || format!("no column `{}` ({what}) in the CSV", c.name));
                    r.error_at(c.at, message, hint);
                    None
                }
            }
        };
        let mut stage_plan = |r: &mut crate::load::reader::FileReader, s: &map::StageSpec| {
            let date = s.date.as_ref().and_then(|d| res(r, d, &format!("the date of stage `{}`", s.id)));
            let when = s
                .when
                .iter()
                .filter_map(|c| {
                    res(r, &c.col, &format!("a condition of stage `{}`", s.id)).map(|col| (col, c.values.clone()))
                })
                .collect();
            StagePlan {
                id: s.id.clone(),
                date,
                date_name: s.date.as_ref().map(|d| d.name.clone()).unwrap_or_default(),
                when,
                values: s.values.clone(),
            }
        };
        let stages: Vec<StagePlan> = map.stages.iter().map(|s| stage_plan(r, s)).collect();
        let lost = map.more.lost.as_ref().map(|s| stage_plan(r, s));
        let channel = map.channel.as_ref().and_then(|c| res(r, c, "the channel"));
        let amount = map.amount.as_ref().and_then(|c| res(r, c, "the amount").map(|col| (col, c.name.clone())));
        let unique = map.unique.as_ref().and_then(|c| res(r, c, "the unique key").map(|col| (col, c.name.clone())));
        let events = map.events.as_ref().and_then(|e| {
            let id = res(r, &e.id, "the events' id");
            let st = res(r, &e.stage, "the events' stage");
            let d = res(r, &e.date, "the events' date");
            Some([id?, st?, d?])
        });
        let named_currency = map.more.currency.as_ref().map(|c| res(r, c, "the currency"));
        let mut ignore = Vec::new();
        for (k, ig) in map.more.ignore.iter().enumerate() {
            match res(r, &ig.col, "an `ignore` column") {
                Some(c) if c.file == 0 => ignore.push((c, k)),
                Some(_) => r.error_at(
                    ig.col.at,
                    "an `ignore` column must be a column of the main export",
                    "rows are left out before the joins; name a column of the CSV the map reads",
                ),
                None => {}
            }
        }
        if missing > 0 && sources.len() == 1 {
            let names: Vec<&str> = asked.iter().map(String::as_str).collect();
            let found = open(csv_path, map.delimiter)
                .ok()
                .and_then(|rdr| crate::import::rowkeys::header_below(rdr, map.more.header_row, &names));
            if let Some(line) = found {
                let at = map.more.header_row;
                return Err(vec![at_line(
                    Severity::Error,
                    &display(csv_path),
                    Place { line, col: 1 },
                    format!(
                        "the header is not on line {at}: line {line} holds every column the map names"
                    ),
                    format!(
                        "add `header_row: {line}` to the map; the lines above it (a report's title, its date range) are skipped"
                    ),
                )]);
            }
        }
        if !r.diags.is_empty() || !fatal.is_empty() {
            let mut all = std::mem::take(&mut r.diags);
            all.extend(fatal);
            return Err(all);
        }
        let currency = match named_currency {
            Some(c) => c,
            None => amount.as_ref().and_then(|(ac, name)| {
                let headers = &sources[ac.file].headers;
                let bare = name.trim().rsplit_once('.').filter(|_| ac.file > 0).map(|(_, n)| n).unwrap_or(name);
                let idx = crate::import::rowkeys::currency_column(headers, bare).filter(|&i| i != ac.idx)?;
                Some(Col { file: ac.file, idx })
            }),
        };
        Ok(Plan {
            sources,
            joins,
            stages,
            channel,
            amount,
            unique,
            events,
            map,
            orders: Vec::new(),
            abandon: std::sync::atomic::AtomicBool::new(false),
            currency,
            lost,
            ignore,
        })
    }
}
