//! Reading the rows (FORMAT.md section 10, Import): the main CSV is streamed, each joined CSV
//! is held in memory indexed by its key, and every column the map names is resolved once to a
//! (file, column) pair. A date column's format is found from the values the import reads in
//! it, so the main file is read twice: once to find each date column's order (month-first
//! or day-first), once to count. Long exports (`events`) are grouped by id into one wide row
//! per id before counting.

use super::amounts::{self, AmountError};
use super::csvread::{CsvReader, Place, Record, RowError};
use super::dates::{self, Order, Raw};
use super::map::{self, ColRef, Map};
use super::report::Grouped;
use super::unmatched::{NoMatch, Probe};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::calendar::{self, Month};
use jiff::civil::Date;
use std::collections::{BTreeMap, HashSet};

/// Hash maps keyed by cells: `ahash` (keyed at random, so crafted keys cannot collide on
/// purpose) is several times faster than std's SipHash on a million keys.
type HashMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;
use std::path::{Path, PathBuf};

/// A resolved column: which file (0 = main, k = k-th join) and which cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Col {
    /// 0 for the main file, k for the k-th join.
    pub file: usize,
    /// Cell index.
    pub idx: usize,
}

/// One CSV file taking part.
pub struct Source {
    /// Where it is.
    pub path: PathBuf,
    /// How diagnostics name it.
    pub name: String,
    /// Its header row.
    pub headers: Vec<String>,
    /// The join alias (none for the main file).
    pub alias: Option<String>,
}

/// A joined file, read whole and indexed by its key.
pub struct Joined {
    rows: Vec<Record>,
    index: HashMap<String, u32>,
    left: Col,
    /// Rows whose left key was not blank.
    pub eligible: u64,
    /// Rows that found a partner.
    pub matched: u64,
}

struct StagePlan {
    id: String,
    date: Option<Col>,
    date_name: String,
    when: Vec<(Col, Vec<String>)>,
    values: Vec<String>,
}

/// The map resolved against the files.
pub struct Plan {
    /// The main file, then the joined ones.
    pub sources: Vec<Source>,
    /// The joins, in order (index k-1 is source k).
    pub joins: Vec<Joined>,
    stages: Vec<StagePlan>,
    channel: Option<Col>,
    amount: Option<(Col, String)>,
    unique: Option<(Col, String)>,
    events: Option<[Col; 3]>,
    map: Map,
    /// Each detected date column's order (a handful: looked up by a linear scan, no hashing).
    orders: Vec<(Col, Order)>,
    /// A column beside the amount whose name says "currency": amounts in two currencies are
    /// summed as written, so the import says when it sees two.
    currency: Option<Col>,
}

fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn file_error(path: &Path, message: String, hint: &str) -> Box<Diagnostic> {
    Box::new(Diagnostic::file_level(Severity::Error, &display(path), message, Some(hint.to_string())))
}

/// A row hint without its "pass --skip-bad-rows" advice, for rows that flag already skipped.
fn without_skip_advice(hint: String) -> String {
    for clause in [", or pass --skip-bad-rows to skip such rows", "; pass --skip-bad-rows to skip such rows"] {
        if let Some(h) = hint.strip_suffix(clause) {
            return format!("{h} to count this row");
        }
    }
    hint
}

fn row_error(name: &str, at: Place, e: &RowError, severity: Severity) -> Diagnostic {
    let (message, hint) = e.describe();
    at_line(severity, name, at, message, hint)
}

/// A diagnostic at a CSV cell (or, at column 1, a row).
fn at_line(severity: Severity, file: &str, at: Place, message: String, hint: String) -> Diagnostic {
    // A bad row is a warning only when `--skip-bad-rows` was given: then its hint must not
    // suggest that flag again.
    let hint = if severity == Severity::Warning { without_skip_advice(hint) } else { hint };
    Diagnostic {
        severity,
        file: file.to_string(),
        line: at.line.max(1) as usize,
        column: at.col.max(1) as usize,
        message,
        hint: if hint.is_empty() { None } else { Some(hint) },
        source_line: None,
        width: 1,
    }
}

fn open(path: &Path, delimiter: u8) -> Result<CsvReader<std::fs::File>, Box<Diagnostic>> {
    let meta = std::fs::metadata(path).map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::NotFound => {
                "check the path: a CSV named on the command line is found from the current folder"
            }
            _ => crate::load::unreadable_hint(&e),
        };
        file_error(path, format!("cannot open: {e}"), hint)
    })?;
    if !meta.is_file() {
        return Err(file_error(path, "not a regular file".into(), "name a CSV file"));
    }
    let mut f = std::fs::File::open(path)
        .map_err(|e| file_error(path, format!("cannot open: {e}"), "check the file's permissions"))?;
    // Excel's "Unicode Text" and some CRMs write UTF-16: say so, not "this row is not UTF-8".
    let mut bom = [0u8; 2];
    if std::io::Read::read_exact(&mut f, &mut bom).is_ok() && matches!(bom, [0xff, 0xfe] | [0xfe, 0xff]) {
        return Err(file_error(
            path,
            "this file is UTF-16 text (it starts with a UTF-16 byte order mark)".into(),
            "re-save it as comma-separated UTF-8 (Excel: Save As, \"CSV UTF-8 (Comma delimited)\")",
        ));
    }
    std::io::Seek::rewind(&mut f).map_err(|e| file_error(path, format!("cannot read: {e}"), "check the file"))?;
    Ok(CsvReader::with_delimiter(f, delimiter))
}

/// The error of a CSV that cannot be opened, if it cannot (checked when nothing else can be).
pub fn check_opens(path: &Path) -> Option<Diagnostic> {
    open(path, b',').err().map(|d| *d)
}

/// Opens a CSV and reads its header row.
fn open_with_headers(path: &Path, delimiter: u8) -> Result<(CsvReader<std::fs::File>, Vec<String>), Box<Diagnostic>> {
    let mut rdr = open(path, delimiter)?;
    let mut rec = Record::default();
    match rdr.read_record(&mut rec) {
        Ok(true) => {}
        Ok(false) => return Err(file_error(path, "the file is empty".into(), "the first row must name the columns")),
        Err(e) => return Err(Box::new(row_error(&display(path), rec.error_place(), &e, Severity::Error))),
    }
    let headers = rec
        .iter()
        .enumerate()
        .map(|(i, s)| if i == 0 { s.trim_start_matches('\u{feff}') } else { s }.trim().to_string())
        .collect();
    Ok((rdr, headers))
}

/// A header of one cell holding another usual separator than the map's `delimiter` (`;` in
/// Excel's CSV in a language with a decimal comma, a tab, `,`): no column of the map will match.
/// One error saying so and naming the setting, instead of one "no column" per mapped column.
fn other_separator(path: &Path, headers: &[String], delimiter: u8) -> Option<Diagnostic> {
    let [only] = headers else { return None };
    let (sep, name, written) = [(';', "semicolons", "\";\""), ('\t', "tabs", "\"\\t\""), (',', "commas", "\",\"")]
        .into_iter()
        .find(|(c, _, _)| *c as u8 != delimiter && only.contains(*c))?;
    let shown: String = only.chars().take(60).collect();
    let reads = match delimiter {
        b',' => "comma-separated CSV".to_string(),
        b'\t' => "cells separated by tabs (`delimiter`)".to_string(),
        d => format!("cells separated by `{}` (`delimiter`)", d as char),
    };
    Some(at_line(
        Severity::Error,
        &display(path),
        Place { line: 1, col: 1 },
        format!(
            "the header is one column, `{}`: the file is separated by {name}, and the import reads {reads}",
            shown.replace('\t', "\\t")
        ),
        format!(
            "write `delimiter: {written}` in the map{}",
            if sep == ';' { "; amounts like 1.054,00 then need `decimal: \",\"` too" } else { "" }
        ),
    ))
}

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
struct Width {
    /// More cells than the header: a comma outside quotes moved every cell after it into
    /// the next column, so the row's dates and statuses cannot be trusted (it is refused
    /// like an unreadable value). Fewer cells (a row cut short) are read as blanks.
    shifted: bool,
    at: Place,
    message: String,
    hint: &'static str,
}

impl Width {
    /// The problem of a row of `rec.len()` cells under a header of `width`, if any.
    fn of(rec: &Record, width: usize) -> Option<Width> {
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

/// A joined file's rows and the index of its keys.
type JoinTable = (Vec<Record>, HashMap<String, u32>);

/// Reads a joined file whole, indexing its rows by the right key.
fn read_joined(
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

impl Plan {
    /// Opens the files and resolves every column of the map; all problems at once.
    pub fn new(
        map: Map,
        csv_path: &Path,
        map_path: &Path,
        r: &mut crate::load::reader::FileReader,
    ) -> Result<Plan, Vec<Diagnostic>> {
        let (_, headers) = open_with_headers(csv_path, map.delimiter).map_err(|d| vec![*d])?;
        if let Some(d) = other_separator(csv_path, &headers, map.delimiter) {
            return Err(vec![d]);
        }
        let mut sources = vec![Source { path: csv_path.to_path_buf(), name: display(csv_path), headers, alias: None }];
        let base = map_path.parent().unwrap_or(Path::new("."));
        let mut joins = Vec::new();
        let mut fatal = Vec::new();
        for (k, j) in map.joins.iter().enumerate() {
            let path = base.join(&j.csv);
            let (mut rdr, headers) = match open_with_headers(&path, map.delimiter) {
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
        let res = |r: &mut crate::load::reader::FileReader, c: &ColRef, what: &str| -> Option<Col> {
            match resolve(&sources, visible, &c.name) {
                Ok(col) => Some(col),
                Err(e) => {
                    let (message, hint) =
                        e.describe(&c.name, what, || format!("no column `{}` ({what}) in the CSV", c.name));
                    r.error_at(c.at, message, hint);
                    None
                }
            }
        };
        let mut stages = Vec::new();
        for s in &map.stages {
            let date = s.date.as_ref().and_then(|d| res(r, d, &format!("the date of stage `{}`", s.id)));
            let when = s
                .when
                .iter()
                .filter_map(|c| {
                    res(r, &c.col, &format!("a condition of stage `{}`", s.id)).map(|col| (col, c.values.clone()))
                })
                .collect();
            stages.push(StagePlan {
                id: s.id.clone(),
                date,
                date_name: s.date.as_ref().map(|d| d.name.clone()).unwrap_or_default(),
                when,
                values: s.values.clone(),
            });
        }
        let channel = map.channel.as_ref().and_then(|c| res(r, c, "the channel"));
        let amount = map.amount.as_ref().and_then(|c| res(r, c, "the amount").map(|col| (col, c.name.clone())));
        let unique = map.unique.as_ref().and_then(|c| res(r, c, "the unique key").map(|col| (col, c.name.clone())));
        let events = map.events.as_ref().and_then(|e| {
            let id = res(r, &e.id, "the events' id");
            let st = res(r, &e.stage, "the events' stage");
            let d = res(r, &e.date, "the events' date");
            Some([id?, st?, d?])
        });
        if !r.diags.is_empty() || !fatal.is_empty() {
            let mut all = std::mem::take(&mut r.diags);
            all.extend(fatal);
            return Err(all);
        }
        let currency = amount.as_ref().and_then(|(ac, _)| {
            let headers = &sources[ac.file].headers;
            let idx = (0..headers.len()).find(|&i| i != ac.idx && headers[i].to_lowercase().contains("currency"))?;
            Some(Col { file: ac.file, idx })
        });
        Ok(Plan { sources, joins, stages, channel, amount, unique, events, map, orders: Vec::new(), currency })
    }
}

/// One main row with its partners in the joined files.
struct Ctx<'a> {
    main: &'a Record,
    partners: &'a [Option<u32>],
    joins: &'a [Joined],
}

impl Ctx<'_> {
    fn row(&self, file: usize) -> Option<&Record> {
        if file == 0 {
            Some(self.main)
        } else {
            self.partners[file - 1].map(|i| &self.joins[file - 1].rows[i as usize])
        }
    }

    fn cell(&self, c: Col) -> &str {
        self.row(c.file).and_then(|r| r.get(c.idx)).unwrap_or("").trim()
    }

    fn line(&self, c: Col) -> u64 {
        self.place(c).line
    }

    /// Where the cell `c` starts (the main row's start when a join found no partner).
    fn place(&self, c: Col) -> Place {
        self.row(c.file).map(|r| r.place(c.idx)).unwrap_or(Place { line: self.main.line, col: 1 })
    }
}

/// What one pass over the main file saw.
#[derive(Default)]
pub struct Stats {
    /// Rows read from the main file.
    pub rows: u64,
    /// Rows left out as repeats of `unique`, with the key's name.
    pub repeats: u64,
    /// Rows whose cells are not UTF-8 (skipped).
    pub bad_rows: u64,
}

impl Plan {
    /// Reads the main file once, calling `each` for every row that is not a repeat.
    fn scan(
        &mut self,
        diags: &mut Grouped,
        report: bool,
        skip_bad_rows: bool,
        bar: &indicatif::ProgressBar,
        mut each: impl FnMut(&Plan, &Ctx, &mut Grouped),
    ) -> Result<Stats, ()> {
        let path = self.sources[0].path.clone();
        let name = self.sources[0].name.clone();
        let mut rdr = match open_with_headers(&path, self.map.delimiter) {
            Ok((r, _)) => r,
            Err(d) => {
                diags.push("open", *d);
                return Err(());
            }
        };
        let mut stats = Stats::default();
        let mut seen: HashMap<String, u64> = HashMap::default();
        let mut rec = Record::default();
        let mut partners: Vec<Option<u32>> = vec![None; self.joins.len()];
        let start = bar.position();
        for j in &mut self.joins {
            j.eligible = 0;
            j.matched = 0;
        }
        loop {
            match rdr.read_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let sev = if e.recoverable() && skip_bad_rows { Severity::Warning } else { Severity::Error };
                    if report || !e.recoverable() {
                        diags.push(&format!("unreadable rows in {name}"), row_error(&name, rec.error_place(), &e, sev));
                    }
                    if !e.recoverable() {
                        return Err(());
                    }
                    stats.bad_rows += 1;
                    continue;
                }
            }
            stats.rows += 1;
            if stats.rows % 65_536 == 0 {
                bar.set_position(start + rdr.consumed);
            }
            if let Some(w) = Width::of(&rec, self.sources[0].headers.len()) {
                if report {
                    let sev = if w.shifted && !skip_bad_rows { Severity::Error } else { Severity::Warning };
                    let message =
                        if w.shifted && skip_bad_rows { format!("{}; row skipped", w.message) } else { w.message };
                    let hint = if w.shifted && !skip_bad_rows {
                        format!("{}; pass --skip-bad-rows to skip such rows", w.hint)
                    } else {
                        w.hint.to_string()
                    };
                    diags.push(
                        &format!("rows with another number of cells than the header in {name}"),
                        at_line(sev, &name, w.at, message, hint),
                    );
                }
                if w.shifted {
                    stats.bad_rows += 1;
                    continue;
                }
            }
            for k in 0..self.joins.len() {
                let ctx = Ctx { main: &rec, partners: &partners, joins: &self.joins };
                let key = ctx.cell(self.joins[k].left);
                let p = if key.is_empty() { None } else { self.joins[k].index.get(key).copied() };
                if !key.is_empty() {
                    self.joins[k].eligible += 1;
                }
                if p.is_some() {
                    self.joins[k].matched += 1;
                }
                partners[k] = p;
            }
            let ctx = Ctx { main: &rec, partners: &partners, joins: &self.joins };
            if let Some((ucol, uname)) = &self.unique {
                let key = ctx.cell(*ucol);
                if !key.is_empty() {
                    let line = ctx.line(*ucol);
                    if let Some(first) = seen.get(key) {
                        stats.repeats += 1;
                        if report {
                            let file = &self.sources[ucol.file].name;
                            diags.push(
                                &format!("repeated `{uname}` keys"),
                                at_line(
                                    Severity::Warning,
                                    file,
                                    ctx.place(*ucol),
                                    format!("`{uname}` `{key}` repeats line {first}: this row (line {line}) is left out, the first counts"),
                                    "the export has the same deal twice; `unique` counts its first row in file order".into(),
                                ),
                            );
                        }
                        continue;
                    }
                    seen.insert(key.to_string(), line);
                }
            }
            each(&*self, &ctx, diags);
        }
        bar.set_position(start + rdr.consumed);
        Ok(stats)
    }
}

/// What the whole import found.
pub struct Counted {
    /// The months, ascending.
    pub months: BTreeMap<Month, MonthAcc>,
    /// Stage ids in map order.
    pub stage_ids: Vec<String>,
    /// Whether `amount` is mapped.
    pub has_amount: bool,
    /// Pass statistics.
    pub stats: Stats,
    /// Rows skipped for unreadable values (with `--skip-bad-rows`).
    pub skipped: u64,
    /// Rows (or ids) that counted at some stage.
    pub counted: u64,
    /// Per stage: rows with a date there whose `when` did not hold.
    pub when_out: Vec<u64>,
    /// The `when` conditions no row met, with what their columns hold; with `events`, the
    /// stages whose values no row's stage holds (condition 0).
    pub unmatched: Vec<NoMatch>,
    /// Ids of a long export.
    pub ids: Option<u64>,
    /// Per join: alias, rows with a key, rows matched.
    pub joins: Vec<(String, u64, u64)>,
}

/// One month's sums.
#[derive(Default)]
pub struct MonthAcc {
    /// Rows per stage.
    pub counts: Vec<u64>,
    /// Revenue in millionths.
    pub revenue: i128,
    /// Sales cycles ending this month, in days.
    pub cycle: Vec<i64>,
    /// Days lead to MQL, for MQLs this month.
    pub to_mql: Vec<i64>,
    /// Rows per stage per channel.
    pub channels: BTreeMap<String, Vec<u64>>,
}

/// The evidence for one date column's order.
#[derive(Default)]
struct Evidence {
    name: String,
    readable: u64,
    unreadable: Vec<(String, String, Place)>,
    unreadable_count: u64,
    day_first: Option<(String, String, Place)>,
    month_first: Option<(String, String, Place)>,
    either: Option<(String, String, Place)>,
}

fn example(v: &str, file: &str, at: Place) -> (String, String, Place) {
    (v.chars().take(40).collect(), file.to_string(), at)
}

impl Evidence {
    fn observe(&mut self, v: &str, file: &str, line: Place) {
        match dates::classify(v) {
            None => {
                self.unreadable_count += 1;
                if self.unreadable.len() < 2 {
                    self.unreadable.push(example(v, file, line));
                }
            }
            Some(Raw::Exact(_)) => self.readable += 1,
            Some(Raw::YearLast { first, second, .. }) => {
                self.readable += 1;
                if first > 12 {
                    self.day_first.get_or_insert_with(|| example(v, file, line));
                } else if second > 12 {
                    self.month_first.get_or_insert_with(|| example(v, file, line));
                } else if first != second {
                    self.either.get_or_insert_with(|| example(v, file, line));
                }
            }
        }
    }
}

fn place(e: &(String, String, Place)) -> String {
    format!("`{}` ({}:{})", e.0, e.1, e.2.line)
}

impl Plan {
    fn date_cols(&self) -> Vec<(Col, String)> {
        let mut out: Vec<(Col, String)> = Vec::new();
        if let (Some([_, _, d]), Some(e)) = (self.events, &self.map.events) {
            out.push((d, e.date.name.clone()));
        }
        for s in &self.stages {
            if let Some(c) = s.date {
                if !out.iter().any(|(o, _)| *o == c) {
                    out.push((c, s.date_name.clone()));
                }
            }
        }
        out
    }

    /// First pass: finds each date column's order from the values the import reads in it.
    fn detect(&mut self, diags: &mut Grouped, bar: &indicatif::ProgressBar) -> Result<(), ()> {
        let cols = self.date_cols();
        let mut ev: Vec<(Col, Evidence)> =
            cols.iter().map(|(c, n)| (*c, Evidence { name: n.clone(), ..Default::default() })).collect();
        let events = self.events;
        self.scan(diags, false, true, bar, |plan, ctx, _| {
            if let Some([_, _, d]) = events {
                let v = ctx.cell(d);
                if !v.is_empty() {
                    if let Some((_, e)) = ev.iter_mut().find(|(c, _)| *c == d) {
                        e.observe(v, &plan.sources[d.file].name, ctx.place(d));
                    }
                }
                return;
            }
            for s in &plan.stages {
                let Some(d) = s.date else { continue };
                if !s.when.iter().all(|(c, vals)| vals.iter().any(|v| map::matches(ctx.cell(*c), v))) {
                    continue;
                }
                let v = ctx.cell(d);
                if !v.is_empty() {
                    if let Some((_, e)) = ev.iter_mut().find(|(c, _)| *c == d) {
                        e.observe(v, &plan.sources[d.file].name, ctx.place(d));
                    }
                }
            }
        })?;
        let mut failed = false;
        for (c, _) in cols {
            let e = &ev.iter().find(|(x, _)| *x == c).expect("every date column has its evidence").1;
            let err = |diags: &mut Grouped, at: &(String, String, Place), message: String, hint: String| {
                diags.push(&format!("date column `{}`", e.name), at_line(Severity::Error, &at.1, at.2, message, hint));
            };
            if e.readable == 0 && e.unreadable_count > 0 {
                let examples: Vec<String> = e.unreadable.iter().map(place).collect();
                err(
                    diags,
                    &e.unreadable[0],
                    format!(
                        "no value in column `{}` reads as a date ({} values, e.g. {})",
                        e.name,
                        e.unreadable_count,
                        examples.join(" and ")
                    ),
                    "dates are read as 2024-01-05 (with a time or not), 2024/01/05, 1/5/2024, 1/5/24, 5.1.2024, 05-01-24 or Jan 5, 2024; for another form set `date_format` (strftime style, like `%d %B %Y`), or map another column".into(),
                );
                failed = true;
            } else if let (Some(d), Some(m)) = (&e.day_first, &e.month_first) {
                err(
                    diags,
                    d,
                    format!("column `{}` mixes day-first dates like {} and month-first dates like {}", e.name, place(d), place(m)),
                    "one column must use one order: fix the export, or set `date_format` and skip the rest with --skip-bad-rows".into(),
                );
                failed = true;
            } else if e.day_first.is_some() {
                self.orders.push((c, Order::DayFirst));
            } else if e.month_first.is_some() {
                self.orders.push((c, Order::MonthFirst));
            } else if let Some(x) = &e.either {
                err(
                    diags,
                    x,
                    format!(
                        "the dates in column `{}` fit both month-first and day-first (every part is 12 or below), e.g. {}",
                        e.name,
                        place(x)
                    ),
                    format!(
                        "the import never guesses: add `date_format: \"{}\"` (month first) or `date_format: \"{}\"` (day first) to the map",
                        dates::suggest_format(&x.0, Order::MonthFirst),
                        dates::suggest_format(&x.0, Order::DayFirst)
                    ),
                );
                failed = true;
            }
        }
        if failed {
            Err(())
        } else {
            Ok(())
        }
    }

    fn order(&self, col: Col) -> Option<Order> {
        self.orders.iter().find(|(c, _)| *c == col).map(|(_, o)| *o)
    }

    /// A column's name as the map writes it: `NAME`, or `ALIAS.NAME` in a joined file.
    fn header(&self, col: Col) -> String {
        let src = &self.sources[col.file];
        let name = src.headers.get(col.idx).map(String::as_str).unwrap_or("");
        match &src.alias {
            Some(a) if col.file > 0 => format!("{a}.{name}"),
            _ => name.to_string(),
        }
    }

    fn read_date(&self, col: Col, v: &str) -> Option<Date> {
        match &self.map.date_format {
            Some(f) => dates::with_format(f, v),
            None => dates::classify(v)?.resolve(self.order(col).unwrap_or(Order::MonthFirst)),
        }
    }

    fn date_hint(&self, col: Col) -> String {
        let how = match (&self.map.date_format, self.order(col).as_ref()) {
            (Some(f), _) => format!("the map's date_format is `{f}`"),
            (None, Some(Order::DayFirst)) => "this column's dates are day-first (other values show it)".into(),
            (None, Some(Order::MonthFirst)) => "this column's dates are month-first (other values show it)".into(),
            (None, None) => {
                "dates are read as 2024-01-05, 2024/01/05, 1/5/2024, 5.1.2024, 05-01-24 or Jan 5, 2024".into()
            }
        };
        format!("{how}; fix the value, or pass --skip-bad-rows to skip such rows")
    }
}

/// Per-row values ready to count.
struct Wide<'a> {
    dates: &'a [Option<Date>],
    /// Per stage: the file and cell its date was read at, for warnings.
    places: &'a [(usize, Place)],
    names: &'a [Source],
    amount: Option<i128>,
    channel: Option<&'a str>,
}

struct Acc {
    n: usize,
    months: BTreeMap<Month, MonthAcc>,
    cycle: (usize, usize),
    to_mql: Option<(usize, usize)>,
    counted: u64,
}

impl Acc {
    fn month(&mut self, d: Date) -> &mut MonthAcc {
        let n = self.n;
        let acc = self.months.entry(Month::of(d)).or_default();
        if acc.counts.is_empty() {
            acc.counts = vec![0; n];
        }
        acc
    }

    fn add(&mut self, row: &Wide, ids: &[String], diags: &mut Grouped) {
        let mut any = false;
        for (k, d) in row.dates.iter().enumerate() {
            if let Some(d) = d {
                any = true;
                let n = self.n;
                let acc = self.month(*d);
                acc.counts[k] += 1;
                if let Some(ch) = row.channel {
                    let ch = if ch.is_empty() { "unknown" } else { ch };
                    if let Some(c) = acc.channels.get_mut(ch) {
                        c[k] += 1;
                    } else {
                        let mut c = vec![0; n];
                        c[k] += 1;
                        acc.channels.insert(ch.to_string(), c);
                    }
                }
            }
        }
        if any {
            self.counted += 1;
        }
        if let (Some(last), Some(v)) = (row.dates[self.n - 1], row.amount) {
            self.month(last).revenue += v;
        }
        let (cycle_span, to_mql) = (self.cycle, self.to_mql);
        let mut duration = |from: usize, to: usize, cycle: bool| {
            let (Some(a), Some(b)) = (row.dates[from], row.dates[to]) else { return };
            let days = calendar::days_between(a, b);
            if days < 0 {
                let place = |(f, at): (usize, Place)| format!("{}:{}", row.names[f].name, at.line);
                let (pa, pb) = (row.places[from], row.places[to]);
                let where_ = if pa == pb { place(pa) } else { format!("{} and {}", place(pa), place(pb)) };
                let (file, at) = (row.names[pb.0].name.clone(), pb.1);
                diags.push(
                    "negative durations",
                    at_line(
                        Severity::Warning,
                        &file,
                        at,
                        format!(
                            "stage `{}` ({b}) is before stage `{}` ({a}) in {where_}; left out of the medians",
                            ids[to], ids[from]
                        ),
                        "check the dates in the CRM".into(),
                    ),
                );
                return;
            }
            let acc = self.month(b);
            if cycle {
                acc.cycle.push(days);
            } else {
                acc.to_mql.push(days);
            }
        };
        if cycle_span.0 != cycle_span.1 {
            duration(cycle_span.0, cycle_span.1, true);
        }
        if let Some((l, m)) = to_mql {
            duration(l, m, false);
        }
    }
}

/// The currencies of the counted amounts: the first seen (with its line) and the first other
/// one (with its place), for one warning when revenue would sum two currencies as written.
#[derive(Default)]
struct Currencies {
    first: Option<(String, u64)>,
    other: Option<(String, String, Place)>,
}

impl Currencies {
    /// Notes the currency cell `cur` of a counted amount, at `place` of `file`.
    fn see(&mut self, cur: &str, file: &str, place: Place) {
        let cur = cur.trim();
        match &self.first {
            _ if cur.is_empty() => {}
            None => self.first = Some((cur.to_string(), place.line)),
            Some((f, _)) if !f.eq_ignore_ascii_case(cur) && self.other.is_none() => {
                self.other = Some((cur.to_string(), file.to_string(), place));
            }
            _ => {}
        }
    }
}

/// The latest state of one id of a long export.
struct IdState {
    first: Vec<Option<Date>>,
    first_place: Vec<Place>,
    latest: Date,
    latest_is_last: bool,
    latest_line: u64,
    /// Where the latest change's amount is (its cell).
    latest_amount_at: Place,
    latest_amount: String,
    /// The latest change's currency cell and where it is (when a currency column exists).
    latest_currency: (String, Place),
    latest_channel: String,
    /// The latest line's time of day, in seconds, when its date cell has one.
    latest_time: Option<u32>,
    /// A line on the latest day whose won-or-not differs from the latest line's and whose
    /// time is later: file order decided against the clock (a history sorted newest first).
    same_day_other: Option<(u64, u32, u32)>,
}

/// The time of day in a date cell (`2024-02-10T16:00:00Z`, `2/10/2024 4:00 PM`), in seconds:
/// the first `H:MM` or `HH:MM[:SS]`, with ` AM`/` PM` after it. `None` without one.
fn time_of_day(raw: &str) -> Option<u32> {
    let colon = raw.find(':')?;
    let hours: String = raw[..colon].chars().rev().take_while(|c| c.is_ascii_digit()).collect();
    let h: u32 = hours.chars().rev().collect::<String>().parse().ok()?;
    let rest = &raw[colon + 1..];
    let m: u32 = rest.get(..2)?.parse().ok()?;
    let sec: u32 = rest.get(2..3).filter(|c| *c == ":").and_then(|_| rest.get(3..5)?.parse().ok()).unwrap_or(0);
    let lower = rest.to_ascii_lowercase();
    let h = match (lower.contains("pm"), lower.contains("am")) {
        (true, _) if h < 12 => h + 12,
        (_, true) if h == 12 => 0,
        _ => h,
    };
    (h < 24 && m < 60).then_some(h * 3600 + m * 60 + sec)
}

/// How the amounts read so far use the decimal mark: a column whose every mark has three
/// digits after it (`12.500`) may be a European export's thousands separators, read 1000
/// times too small; one amount like `12.50` or `1,234.500` settles that it is a decimal mark.
#[derive(Default)]
struct Marks {
    /// Some amount can only be read with the map's decimal mark.
    settled: bool,
    /// Amounts whose mark could be either.
    ambiguous: u64,
    /// The first of them: file, cell, text and value in millionths.
    first: Option<(String, Place, String, i128)>,
}

impl Marks {
    /// The warning, when every amount with a mark could have it as a thousands separator.
    fn finish(self, name: &str, comma: bool) -> Option<Diagnostic> {
        let (file, at, raw, v) = self.first.filter(|_| !self.settled)?;
        let (mark, other) = if comma { (',', '.') } else { ('.', ',') };
        let value = v as f64 / amounts::SCALE as f64;
        let hint = if comma {
            format!("if the export writes `{mark}` between thousands (`{raw}` for {}), remove `decimal: \",\"` from the map; if these are decimals, all is well", raw.replace(mark, ""))
        } else {
            format!("if the export writes `{mark}` between thousands (`{raw}` for {}), add `decimal: \"{other}\"` to the map; if these are three decimals, all is well", raw.replace(mark, ""))
        };
        Some(at_line(
            Severity::Warning,
            &file,
            at,
            if self.ambiguous == 1 {
                format!("amount `{raw}` in column `{name}` was read as {value}, with `{mark}` as the decimal mark, but `{mark}` may separate thousands here")
            } else {
                format!(
                    "the {} amounts with a `{mark}` in column `{name}` all have three digits after it (`{raw}` was read as {value}): `{mark}` may separate thousands here",
                    self.ambiguous
                )
            },
            hint,
        ))
    }
}

impl Plan {
    fn amount_of(
        &self,
        raw: &str,
        file: &str,
        line: Place,
        skip: bool,
        diags: &mut Grouped,
        marks: &mut Marks,
    ) -> Result<Option<i128>, ()> {
        let Some((_, name)) = &self.amount else { return Ok(None) };
        if raw.is_empty() {
            // Counted at the last stage but worth nothing: the month's revenue is short of it.
            let last = self.stages.last().map(|s| s.id.as_str()).unwrap_or("");
            diags.push(
                &format!("blank amounts in column `{name}`"),
                at_line(
                    Severity::Warning,
                    file,
                    line,
                    format!("this row is counted at `{last}` but its `{name}` is blank; it adds nothing to revenue"),
                    "fill in the amount in the CRM, or the month's revenue and average deal stay low".into(),
                ),
            );
            return Ok(None);
        }
        let sev = if skip { Severity::Warning } else { Severity::Error };
        match amounts::parse(raw, self.map.decimal_comma) {
            Ok(v) => {
                match amounts::mark_use(raw, self.map.decimal_comma) {
                    amounts::MarkUse::Absent => {}
                    amounts::MarkUse::Decimal => marks.settled = true,
                    amounts::MarkUse::Ambiguous => {
                        marks.ambiguous += 1;
                        if marks.first.is_none() {
                            marks.first = Some((file.to_string(), line, raw.to_string(), v));
                        }
                    }
                }
                if v < 0 {
                    diags.push(
                        "negative amounts",
                        at_line(
                            Severity::Warning,
                            file,
                            line,
                            format!("negative amount `{raw}` in column `{name}`; it is summed into revenue as it is"),
                            "a refund or a correction lowers the month's revenue; fix the CRM if it is a typo".into(),
                        ),
                    );
                }
                Ok(Some(v))
            }
            Err(AmountError::OtherMark(m)) => {
                diags.push(
                    &format!("unreadable amounts in column `{name}`"),
                    at_line(
                        sev,
                        file,
                        line,
                        format!("amount `{raw}` in column `{name}` only reads with `{m}` as the decimal mark"),
                        format!("add `decimal: \"{m}\"` to the map if the export writes amounts like that"),
                    ),
                );
                Err(())
            }
            Err(AmountError::Unreadable) => {
                diags.push(
                    &format!("unreadable amounts in column `{name}`"),
                    at_line(
                        sev,
                        file,
                        line,
                        format!("unreadable amount `{}` in column `{name}`", raw.chars().take(40).collect::<String>()),
                        "amounts are numbers like 12000, 12,000.50 or $12,000 (with `decimal: \",\"`: 12.000,50); pass --skip-bad-rows to skip such rows".into(),
                    ),
                );
                Err(())
            }
        }
    }

    /// Runs both passes and counts every row.
    pub fn count(mut self, skip: bool, diags: &mut Grouped, bar: &indicatif::ProgressBar) -> Result<Counted, ()> {
        if self.map.date_format.is_none() {
            self.detect(diags, bar)?;
        }
        let n = self.stages.len();
        let ids: Vec<String> = self.stages.iter().map(|s| s.id.clone()).collect();
        let idx = |id: &str| ids.iter().position(|s| s == id);
        let to_mql = match (idx("leads"), idx("mql")) {
            (Some(l), Some(m)) if l < m => Some((l, m)),
            _ => None,
        };
        let mut acc = Acc { n, months: BTreeMap::new(), cycle: self.map.cycle, to_mql, counted: 0 };
        let mut when_out = vec![0u64; n];
        // Conditions no row may meet: each `when`, or with `events` each stage's values of the
        // stage column (`won: Closed-Won` on an export that says `Closed Won`).
        let mut probe =
            match self.events {
                Some([_, stc, _]) => {
                    Probe::new(self.stages.iter().enumerate().map(|(k, s)| (k, 0, stc, s.values.as_slice())))
                }
                None => Probe::new(self.stages.iter().enumerate().flat_map(|(k, s)| {
                    s.when.iter().enumerate().map(move |(i, (c, vals))| (k, i, *c, vals.as_slice()))
                })),
            };
        let mut skipped = 0u64;
        let mut marks = Marks::default();
        // The first counted amount's currency, and the first of another one.
        let mut currencies = Currencies::default();
        let mut dates: Vec<Option<Date>> = vec![None; n];
        let mut places: Vec<(usize, Place)> = vec![(0, Place::default()); n];
        let sev = if skip { Severity::Warning } else { Severity::Error };
        let skip_note = if skip { "; row skipped" } else { "" };
        // Long exports: one state per id, in first-seen order.
        let mut id_index: HashMap<String, usize> = HashMap::default();
        let mut id_states: Vec<IdState> = Vec::new();
        let mut bad_ids: HashSet<String, ahash::RandomState> = HashSet::default();
        let stats = if let Some([idc, stc, dc]) = self.events {
            self.scan(diags, true, skip, bar, |plan, ctx, diags| {
                probe.observe(|c| ctx.cell(c));
                let file = &plan.sources[0].name;
                let line = ctx.main.line;
                let id = ctx.cell(idc);
                let raw = ctx.cell(dc);
                if id.is_empty() {
                    diags.push(
                        "stage changes without an id",
                        at_line(
                            sev,
                            file,
                            ctx.place(idc),
                            format!(
                                "this stage change has no `{}`{skip_note}",
                                plan.map.events.as_ref().map(|e| e.id.name.as_str()).unwrap_or("")
                            ),
                            "every row of a stage history names its deal; pass --skip-bad-rows to skip such rows"
                                .into(),
                        ),
                    );
                    skipped += 1;
                    return;
                }
                let date = if raw.is_empty() { None } else { plan.read_date(dc, raw) };
                let Some(date) = date else {
                    let what = if raw.is_empty() {
                        "no date".to_string()
                    } else {
                        format!("unreadable date `{}`", raw.chars().take(40).collect::<String>())
                    };
                    diags.push(
                        &format!(
                            "unreadable dates in column `{}`",
                            plan.map.events.as_ref().map(|e| e.date.name.as_str()).unwrap_or("")
                        ),
                        at_line(
                            sev,
                            file,
                            ctx.place(dc),
                            format!("{what} for the stage change of `{id}`{skip_note}"),
                            plan.date_hint(dc),
                        ),
                    );
                    skipped += 1;
                    bad_ids.insert(id.to_string());
                    return;
                };
                let stage = ctx.cell(stc);
                let i = match id_index.get(id) {
                    Some(&i) => i,
                    None => {
                        id_index.insert(id.to_string(), id_states.len());
                        id_states.push(IdState {
                            first: vec![None; n],
                            first_place: vec![Place::default(); n],
                            latest: date,
                            latest_is_last: false,
                            latest_line: 0,
                            latest_amount_at: Place::default(),
                            latest_amount: String::new(),
                            latest_currency: (String::new(), Place::default()),
                            latest_channel: String::new(),
                            latest_time: None,
                            same_day_other: None,
                        });
                        id_states.len() - 1
                    }
                };
                let st = &mut id_states[i];
                let mut is_last = false;
                for (k, s) in plan.stages.iter().enumerate() {
                    if s.values.iter().any(|v| map::matches(stage, v)) {
                        if st.first[k].is_none_or(|f| date < f) {
                            st.first[k] = Some(date);
                            st.first_place[k] = ctx.place(dc);
                        }
                        if k == n - 1 {
                            is_last = true;
                        }
                    }
                }
                if st.latest_line == 0 || date >= st.latest {
                    let time = time_of_day(raw);
                    if st.latest_line == 0 || date > st.latest {
                        st.same_day_other = None;
                    } else if is_last != st.latest_is_last {
                        if let (Some(t), Some(before)) = (time, st.latest_time) {
                            if t < before {
                                st.same_day_other = Some((st.latest_line, before, t));
                            }
                        }
                    }
                    st.latest_time = time;
                    st.latest = date;
                    st.latest_line = line;
                    st.latest_is_last = is_last;
                    st.latest_amount = plan.amount.as_ref().map(|(c, _)| ctx.cell(*c).to_string()).unwrap_or_default();
                    st.latest_amount_at = plan.amount.as_ref().map(|(c, _)| ctx.place(*c)).unwrap_or_default();
                    st.latest_currency =
                        plan.currency.map(|c| (ctx.cell(c).to_string(), ctx.place(c))).unwrap_or_default();
                    st.latest_channel = plan.channel.map(|c| ctx.cell(c).to_string()).unwrap_or_default();
                }
            })?
        } else {
            self.scan(diags, true, skip, bar, |plan, ctx, diags| {
                probe.observe(|c| ctx.cell(c));
                let mut bad = false;
                for (k, s) in plan.stages.iter().enumerate() {
                    dates[k] = None;
                    let Some(dc) = s.date else { continue };
                    let raw = ctx.cell(dc);
                    if raw.is_empty() {
                        // A status that says the row reached the stage, but no date to count
                        // it by: not counted (FORMAT.md 10), and never silently.
                        if !s.when.is_empty()
                            && s.when.iter().all(|(c, vals)| vals.iter().any(|v| map::matches(ctx.cell(*c), v)))
                        {
                            let (c, _) = &s.when[0];
                            diags.push(
                                &format!("rows that meet the `when` of `{}` without a date", s.id),
                                at_line(
                                    Severity::Warning,
                                    &plan.sources[dc.file].name,
                                    ctx.place(dc),
                                    format!(
                                        "this row meets the `when` of stage `{}` (`{}` is `{}`) but its `{}` is blank; it is not counted at `{}`",
                                        s.id,
                                        plan.header(*c),
                                        ctx.cell(*c),
                                        s.date_name,
                                        s.id
                                    ),
                                    "fill in the date in the CRM: a stage is counted in the month of its date".into(),
                                ),
                            );
                        }
                        continue;
                    }
                    // Only a row with a date there can be left out by `when` (and its date is
                    // then not read at all).
                    if !s.when.iter().all(|(c, vals)| vals.iter().any(|v| map::matches(ctx.cell(*c), v))) {
                        when_out[k] += 1;
                        continue;
                    }
                    let file = &plan.sources[dc.file].name;
                    places[k] = (dc.file, ctx.place(dc));
                    match plan.read_date(dc, raw) {
                        Some(d) => dates[k] = Some(d),
                        None => {
                            diags.push(
                                &format!("unreadable dates in column `{}`", s.date_name),
                                at_line(
                                    sev,
                                    file,
                                    ctx.place(dc),
                                    format!(
                                        "unreadable date `{}` in column `{}` (stage `{}`){skip_note}",
                                        raw.chars().take(40).collect::<String>(),
                                        s.date_name,
                                        s.id
                                    ),
                                    plan.date_hint(dc),
                                ),
                            );
                            bad = true;
                        }
                    }
                }
                let mut amount = None;
                if let (Some((ac, _)), Some(_)) = (&plan.amount, dates[n - 1]) {
                    let ac = *ac;
                    let file = &plan.sources[ac.file].name;
                    match plan.amount_of(ctx.cell(ac), file, ctx.place(ac), skip, diags, &mut marks) {
                        Ok(v) => amount = v,
                        Err(()) => bad = true,
                    }
                    if let (Some(cc), Some(_)) = (plan.currency, amount) {
                        currencies.see(ctx.cell(cc), &plan.sources[cc.file].name, ctx.place(cc));
                    }
                }
                if bad {
                    skipped += 1;
                    return;
                }
                let channel = plan.channel.map(|c| ctx.cell(c));
                acc.add(&Wide { dates: &dates, places: &places, names: &plan.sources, amount, channel }, &ids, diags);
            })?
        };
        let mut id_count = None;
        if self.events.is_some() {
            id_count = Some(id_states.len() as u64);
            let file = self.sources[0].name.clone();
            let mut names: Vec<(&String, &usize)> = id_index.iter().collect();
            names.sort_by_key(|(_, i)| **i);
            for (name, &i) in names {
                let st = &id_states[i];
                if bad_ids.contains(name.as_str()) {
                    continue;
                }
                let mut dates = st.first.clone();
                if !st.latest_is_last {
                    dates[n - 1] = None;
                }
                if let Some((other, clock_later, clock_latest)) = st.same_day_other {
                    let last = &ids[n - 1];
                    let hm = |t: u32| format!("{:02}:{:02}", t / 3600, t / 60 % 60);
                    diags.push(
                        "stage changes listed newest first",
                        at_line(
                            Severity::Warning,
                            &file,
                            Place { line: st.latest_line, col: 1 },
                            format!(
                                "`{name}` changed stage twice on its last day, {}: line {} ({}) comes later in the file and decides that it is {}, but line {other} is later by the clock ({})",
                                st.latest,
                                st.latest_line,
                                hm(clock_latest),
                                if st.latest_is_last { format!("counted at `{last}`") } else { format!("not counted at `{last}`") },
                                hm(clock_later),
                            ),
                            "only the date part is compared and file order breaks ties, but this export lists newer changes first: sort it oldest first".into(),
                        ),
                    );
                }
                let places: Vec<(usize, Place)> = st.first_place.iter().map(|at| (0, *at)).collect();
                let mut amount = None;
                if dates[n - 1].is_some() {
                    match self.amount_of(&st.latest_amount, &file, st.latest_amount_at, skip, diags, &mut marks) {
                        Ok(v) => amount = v,
                        Err(()) => {
                            skipped += 1;
                            continue;
                        }
                    }
                    if self.currency.is_some() && amount.is_some() {
                        currencies.see(&st.latest_currency.0, &file, st.latest_currency.1);
                    }
                }
                let channel = self.channel.map(|_| st.latest_channel.as_str());
                acc.add(&Wide { dates: &dates, places: &places, names: &self.sources, amount, channel }, &ids, diags);
            }
        }
        if let (Some((first, first_line)), Some((other, file, at)), Some(cc), Some((_, name))) =
            (currencies.first, currencies.other, self.currency, &self.amount)
        {
            let col = &self.sources[cc.file].headers[cc.idx];
            diags.push(
                "amounts in several currencies",
                at_line(
                    Severity::Warning,
                    &file,
                    at,
                    format!(
                        "the amounts in `{name}` are in more than one currency: `{col}` is {first} on line {first_line} and {other} here; revenue sums them as written"
                    ),
                    "the import converts no currency: map an amount the CRM has already converted to one currency, or export one currency at a time".into(),
                ),
            );
        }
        if let Some((_, name)) = &self.amount {
            if let Some(d) = marks.finish(name, self.map.decimal_comma) {
                diags.push("amounts that may hold thousands separators", d);
            }
        }
        let joins = self
            .joins
            .iter()
            .enumerate()
            .map(|(k, j)| (self.sources[k + 1].alias.clone().unwrap_or_default(), j.eligible, j.matched))
            .collect();
        Ok(Counted {
            months: acc.months,
            stage_ids: ids,
            has_amount: self.amount.is_some(),
            skipped: skipped + stats.bad_rows,
            stats,
            counted: acc.counted,
            when_out,
            unmatched: probe.finish(),
            ids: id_count,
            joins,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::time_of_day;

    #[test]
    fn times_of_day_in_date_cells() {
        assert_eq!(time_of_day("2024-02-10T16:00:00Z"), Some(16 * 3600));
        assert_eq!(time_of_day("2024-02-10T09:30:15.000+0000"), Some(9 * 3600 + 30 * 60 + 15));
        assert_eq!(time_of_day("2/10/2024 4:05 PM"), Some(16 * 3600 + 5 * 60));
        assert_eq!(time_of_day("2/10/2024 12:10 am"), Some(10 * 60));
        assert_eq!(time_of_day("2/10/2024 12:10 PM"), Some(12 * 3600 + 10 * 60));
        assert_eq!(time_of_day("2024-02-10"), None);
    }
}
