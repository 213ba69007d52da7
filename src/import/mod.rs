//! `smarketing import`: CRM export rows (CSV) to a funnel file (FORMAT.md section 10, Import).
//! Streams the main CSV once; the optional joined CSV is indexed by its key first. Rows are
//! counted in the month of each stage's date; medians of durations are per month.

mod csvread;
mod output;

use crate::diagnostics::{self, Diagnostic, Severity};
use crate::load::reader::FileReader;
use crate::load::yaml::{self, Node};
use crate::model::calendar::{self, Month};
use csvread::{CsvReader, Record, RowError};
use jiff::civil::Date;
use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Where a mapped column lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Src {
    Main(usize),
    Joined(usize),
}

/// The map, resolved against the CSV headers.
struct Plan {
    stages: Vec<(String, Src)>,
    channel: Option<Src>,
    amount: Option<Src>,
    join: Option<JoinPlan>,
}

struct JoinPlan {
    path: PathBuf,
    main_key: usize,
    rows: HashMap<String, (u64, Vec<String>)>,
}

/// The map file as written.
struct MapSpec<'n> {
    stages: Vec<(String, String, &'n Node)>,
    channel: Option<(String, &'n Node)>,
    amount: Option<(String, &'n Node)>,
    join: Option<(String, String, &'n Node, &'n Node)>,
}

fn read_map<'n>(r: &mut FileReader, n: &'n Node) -> Option<MapSpec<'n>> {
    let f = r.fields(n, "import map", &["stages", "channel", "amount", "join"])?;
    let mut stages = Vec::new();
    if let Some(sn) = r.required(&f, "stages") {
        for (k, _, v) in r.fields_any(sn, "stages").unwrap_or_default() {
            if let (Some(k), Some(col)) = (k, r.text(v, "a column name")) {
                stages.push((k, col, v));
            }
        }
        if stages.is_empty() {
            r.error(sn, "the map names no stage", "map each stage id to the column holding the date the row reached it, like `{mql: first_contact_date, won: won_date}`");
        }
    }
    let channel = f.get("channel").and_then(|v| r.text(v, "channel").map(|t| (t, v)));
    let amount = f.get("amount").and_then(|v| r.text(v, "amount").map(|t| (t, v)));
    let mut join = None;
    if let Some(jn) = f.get("join") {
        if let Some(jf) = r.fields(jn, "join", &["csv", "on"]) {
            let csv = r.required(&jf, "csv").and_then(|v| r.text(v, "csv").map(|t| (t, v)));
            let on = r.required(&jf, "on").and_then(|v| r.text(v, "on").map(|t| (t, v)));
            if let (Some((csv, cn)), Some((on, on_node))) = (csv, on) {
                join = Some((csv, on, cn, on_node));
            }
        }
    }
    Some(MapSpec { stages, channel, amount, join })
}

/// Reads a date as `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` or RFC 3339; the time is ignored.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let (d, rest) = if s.len() > 10 { (s.get(..10)?, &s[10..]) } else { (s, "") };
    if !rest.is_empty() {
        let mut chars = rest.chars();
        let sep = chars.next()?;
        if sep != 'T' && sep != ' ' && sep != 't' {
            return None;
        }
        if !chars.all(|c| c.is_ascii_digit() || ":.+-Zz ".contains(c)) {
            return None;
        }
    }
    calendar::parse_date(d)
}

fn parse_amount(s: &str) -> Option<f64> {
    let cleaned: String = s.chars().filter(|c| !matches!(c, ',' | '$' | '€' | '£' | ' ' | '\u{a0}')).collect();
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn median(v: &mut [i64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] as f64 } else { (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0 })
}

#[derive(Default)]
struct MonthAcc {
    counts: Vec<u64>,
    revenue: f64,
    has_revenue: bool,
    cycle: Vec<i64>,
    to_mql: Vec<i64>,
    channels: BTreeMap<String, Vec<u64>>,
}

/// What the import found, for the summary line and the output.
pub struct Outcome {
    /// The funnel YAML.
    pub yaml: String,
    /// Warnings and skipped-row reports.
    pub diags: Vec<Diagnostic>,
    /// Rows read from the main file.
    pub rows: u64,
    /// Rows that found a partner in the joined file.
    pub joined: u64,
    /// Rows skipped for bad values.
    pub skipped: u64,
    /// Months written.
    pub months: Vec<Month>,
}

fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn open_csv(path: &Path) -> Result<CsvReader<std::fs::File>, Vec<Diagnostic>> {
    let f = std::fs::File::open(path).map_err(|e| {
        vec![Diagnostic::file_level(
            Severity::Error,
            &display(path),
            format!("cannot open: {e}"),
            Some("check the path (paths in the map are relative to the map file)".into()),
        )]
    })?;
    Ok(CsvReader::new(f))
}

fn headers(rdr: &mut CsvReader<std::fs::File>, path: &Path) -> Result<Vec<String>, Vec<Diagnostic>> {
    let mut rec = Record::default();
    match rdr.read_record(&mut rec) {
        Ok(true) => {}
        Ok(false) => {
            return Err(vec![Diagnostic::file_level(
                Severity::Error,
                &display(path),
                "the file is empty",
                Some("the first row must name the columns".into()),
            )])
        }
        Err(e) => return Err(vec![row_error(path, rec.line, &e)]),
    }
    Ok(rec
        .iter()
        .enumerate()
        .map(|(i, s)| if i == 0 { s.trim_start_matches('\u{feff}').to_string() } else { s.to_string() })
        .collect())
}

fn row_error(path: &Path, line: u64, e: &RowError) -> Diagnostic {
    let (message, hint) = e.describe();
    Diagnostic {
        severity: Severity::Error,
        file: display(path),
        line: line as usize,
        column: 1,
        message,
        hint: Some(hint),
        source_line: None,
        width: 1,
    }
}

/// Runs the import: reads, counts, and returns the funnel YAML with every diagnostic.
pub fn import(csv_path: &Path, map_path: &Path, skip_bad_rows: bool) -> Result<Outcome, Vec<Diagnostic>> {
    let map_text = crate::load::read_text(map_path)
        .map_err(|(m, h)| vec![Diagnostic::file_level(Severity::Error, &display(map_path), m, Some(h))])?;
    let mut r = FileReader::new(&display(map_path), &map_text);
    let node = match yaml::parse(&map_text, 0) {
        Ok(Some(n)) => n,
        Ok(None) => {
            return Err(vec![Diagnostic::file_level(
                Severity::Error,
                &display(map_path),
                "the map is empty",
                Some("name a date column per stage: `stages: {mql: first_contact_date, won: won_date}`".into()),
            )])
        }
        Err(e) => {
            return Err(vec![Diagnostic::at(
                Severity::Error,
                &display(map_path),
                &map_text,
                e.pos.line,
                e.pos.col,
                1,
                e.message,
                Some(e.hint),
            )])
        }
    };
    let spec = read_map(&mut r, &node);
    let spec = spec.filter(|_| r.diags.is_empty() && !r.has_missing());
    let Some(spec) = spec else {
        return Err(r.finish());
    };

    let mut main = open_csv(csv_path)?;
    let main_headers = headers(&mut main, csv_path)?;
    let base = map_path.parent().unwrap_or(Path::new("."));
    let mut join_headers: Vec<String> = Vec::new();
    let mut join_reader = None;
    let mut join_path = PathBuf::new();
    if let Some((csv, _, cn, _)) = &spec.join {
        join_path = base.join(csv);
        match open_csv(&join_path) {
            Ok(mut rdr) => match headers(&mut rdr, &join_path) {
                Ok(h) => {
                    join_headers = h;
                    join_reader = Some(rdr);
                }
                Err(d) => return Err(d),
            },
            Err(d) => {
                let rel = d.first().map(|x| x.message.clone()).unwrap_or_default();
                let d = Diagnostic::at(
                    Severity::Error,
                    &r.rel,
                    r.src,
                    cn.pos.line,
                    cn.pos.col,
                    csv.len(),
                    format!("cannot open the joined file {}: {rel}", display(&join_path)),
                    Some("the path is relative to the map file".into()),
                );
                return Err(vec![d]);
            }
        }
    }
    // Resolve every column: the main file's first, `join.NAME` or a joined-only name next.
    let list = |h: &[String]| h.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
    let resolve = |r: &mut FileReader, name: &str, at: &Node, what: &str| -> Option<Src> {
        if let Some(j) = name.strip_prefix("join.") {
            if let Some(i) = join_headers.iter().position(|h| h == j) {
                return Some(Src::Joined(i));
            }
        } else if let Some(i) = main_headers.iter().position(|h| h == name) {
            return Some(Src::Main(i));
        } else if let Some(i) = join_headers.iter().position(|h| h == name) {
            return Some(Src::Joined(i));
        }
        let mut hint = format!("{} has the columns {}", display(csv_path), list(&main_headers));
        if !join_headers.is_empty() {
            hint.push_str(&format!("; {} has {}", display(&join_path), list(&join_headers)));
        }
        let all: Vec<&str> = main_headers.iter().chain(join_headers.iter()).map(String::as_str).collect();
        if let Some(s) = crate::load::reader::suggest(name.trim_start_matches("join."), &all) {
            hint = format!("did you mean `{s}`? {hint}");
        }
        r.error(at, format!("no column `{name}` ({what}) in the CSV"), hint);
        None
    };
    let mut stages = Vec::new();
    for (id, col, at) in &spec.stages {
        if let Some(s) = resolve(&mut r, col, at, &format!("the date of stage `{id}`")) {
            stages.push((id.clone(), s));
        }
    }
    let channel = spec.channel.as_ref().and_then(|(c, at)| resolve(&mut r, c, at, "the channel"));
    let amount = spec.amount.as_ref().and_then(|(c, at)| resolve(&mut r, c, at, "the amount"));
    let mut join_plan = None;
    if let (Some((_, on, _, on_node)), Some(mut jr)) = (&spec.join, join_reader) {
        let main_key = main_headers.iter().position(|h| h == on);
        let join_key = join_headers.iter().position(|h| h == on);
        match (main_key, join_key) {
            (Some(mk), Some(jk)) => {
                let mut rows: HashMap<String, (u64, Vec<String>)> = HashMap::new();
                let mut rec = Record::default();
                loop {
                    match jr.read_record(&mut rec) {
                        Ok(false) => break,
                        Ok(true) => {
                            let line = rec.line;
                            let key = rec.get(jk).unwrap_or("").trim().to_string();
                            if key.is_empty() {
                                continue;
                            }
                            if let Some((first, _)) = rows.get(&key) {
                                r.diags.push(Diagnostic {
                                    severity: Severity::Error,
                                    file: display(&join_path),
                                    line: line as usize,
                                    column: 1,
                                    message: format!(
                                        "key `{key}` appears twice in the joined file: lines {first} and {line}"
                                    ),
                                    hint: Some(format!(
                                        "each `{on}` may appear once in {}; remove the duplicate row",
                                        display(&join_path)
                                    )),
                                    source_line: None,
                                    width: 1,
                                });
                                continue;
                            }
                            rows.insert(key, (line, rec.iter().map(str::to_string).collect()));
                        }
                        Err(e) => {
                            r.diags.push(row_error(&join_path, rec.line, &e));
                            if !e.recoverable() {
                                break;
                            }
                        }
                    }
                }
                join_plan = Some(JoinPlan { path: join_path.clone(), main_key: mk, rows });
            }
            _ => r.error(
                on_node,
                format!("the join key `{on}` must be a column of both files"),
                format!(
                    "{} has {}; {} has {}",
                    display(csv_path),
                    list(&main_headers),
                    display(&join_path),
                    list(&join_headers)
                ),
            ),
        }
    }
    let diags = r.finish();
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(diags);
    }
    let plan = Plan { stages, channel, amount, join: join_plan };
    count_rows(main, csv_path, &plan, skip_bad_rows, diags)
}

fn count_rows(
    mut main: CsvReader<std::fs::File>,
    csv_path: &Path,
    plan: &Plan,
    skip_bad_rows: bool,
    mut diags: Vec<Diagnostic>,
) -> Result<Outcome, Vec<Diagnostic>> {
    let n = plan.stages.len();
    let idx_leads = plan.stages.iter().position(|(id, _)| id == "leads");
    let idx_mql = plan.stages.iter().position(|(id, _)| id == "mql");
    let mut months: BTreeMap<Month, MonthAcc> = BTreeMap::new();
    let (mut rows, mut joined, mut skipped) = (0u64, 0u64, 0u64);
    let mut bad_rows = 0u64;
    let size = std::fs::metadata(csv_path).map(|m| m.len()).unwrap_or(0);
    let bar = if std::io::stderr().is_terminal() && size > 8 * 1024 * 1024 {
        indicatif::ProgressBar::new(size)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let empty: Vec<String> = Vec::new();
    let mut rec = Record::default();
    let mut dates: Vec<Option<Date>> = vec![None; n];
    loop {
        match main.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                diags.push(row_error(csv_path, rec.line, &e));
                if !e.recoverable() {
                    return Err(diags);
                }
                bad_rows += 1;
                continue;
            }
        }
        rows += 1;
        if rows % 65_536 == 0 {
            bar.set_position(main.consumed);
        }
        let line = rec.line;
        let partner: Option<&(u64, Vec<String>)> =
            plan.join.as_ref().and_then(|j| j.rows.get(rec.get(j.main_key).unwrap_or("").trim()));
        if partner.is_some() {
            joined += 1;
        }
        let get = |s: Src| -> &str {
            match s {
                Src::Main(i) => rec.get(i).unwrap_or(""),
                Src::Joined(i) => partner.map(|p| &p.1).unwrap_or(&empty).get(i).map(String::as_str).unwrap_or(""),
            }
        };
        let where_is = |s: Src| -> (String, u64) {
            match (s, partner, &plan.join) {
                (Src::Joined(_), Some(p), Some(j)) => (display(&j.path), p.0),
                _ => (display(csv_path), line),
            }
        };
        let mut bad = false;
        for (k, (id, src)) in plan.stages.iter().enumerate() {
            let raw = get(*src).trim();
            dates[k] = None;
            if raw.is_empty() {
                continue;
            }
            match parse_date(raw) {
                Some(d) => dates[k] = Some(d),
                None => {
                    let (file, l) = where_is(*src);
                    diags.push(Diagnostic {
                        severity: if skip_bad_rows { Severity::Warning } else { Severity::Error },
                        file,
                        line: l as usize,
                        column: 1,
                        message: format!("unreadable date `{}` for stage `{id}`{}", raw.chars().take(40).collect::<String>(), if skip_bad_rows { "; row skipped" } else { "" }),
                        hint: Some("dates are YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or RFC 3339; pass --skip-bad-rows to skip such rows".into()),
                        source_line: None,
                        width: 1,
                    });
                    bad = true;
                }
            }
        }
        let amount = match plan.amount.map(|a| get(a).trim()) {
            Some(raw) if !raw.is_empty() => match parse_amount(raw) {
                Some(v) => Some(v),
                None => {
                    let (file, l) = where_is(plan.amount.unwrap_or(Src::Main(0)));
                    diags.push(Diagnostic {
                        severity: if skip_bad_rows { Severity::Warning } else { Severity::Error },
                        file,
                        line: l as usize,
                        column: 1,
                        message: format!("unreadable amount `{}`", raw.chars().take(40).collect::<String>()),
                        hint: Some("amounts are plain numbers like 12000 or 12,000.50".into()),
                        source_line: None,
                        width: 1,
                    });
                    bad = true;
                    None
                }
            },
            _ => None,
        };
        if bad {
            bad_rows += 1;
            skipped += 1;
            continue;
        }
        let channel = plan.channel.map(|c| {
            let v = get(c).trim();
            if v.is_empty() {
                "unknown".to_string()
            } else {
                v.to_string()
            }
        });
        for (k, d) in dates.iter().enumerate() {
            if let Some(d) = d {
                let acc = months.entry(Month::of(*d)).or_default();
                if acc.counts.is_empty() {
                    acc.counts = vec![0; n];
                }
                acc.counts[k] += 1;
                if let Some(ch) = &channel {
                    let c = acc.channels.entry(ch.clone()).or_insert_with(|| vec![0; n]);
                    c[k] += 1;
                }
            }
        }
        if let (Some(last), Some(v)) = (dates[n - 1], amount) {
            let acc = months.entry(Month::of(last)).or_default();
            acc.revenue += v;
            acc.has_revenue = true;
        }
        let mut duration = |from: usize, to: usize, into_cycle: bool| {
            if let (Some(a), Some(b)) = (dates[from], dates[to]) {
                let days = calendar::days_between(a, b);
                if days < 0 {
                    let mut at = format!("{}:{line}", display(csv_path));
                    if let (Some(p), Some(j)) = (partner, &plan.join) {
                        at.push_str(&format!(" and {}:{}", display(&j.path), p.0));
                    }
                    diags.push(Diagnostic {
                        severity: Severity::Warning,
                        file: display(csv_path),
                        line: line as usize,
                        column: 1,
                        message: format!(
                            "stage `{}` ({b}) is before stage `{}` ({a}) in {at}; left out of the medians",
                            plan.stages[to].0, plan.stages[from].0
                        ),
                        hint: Some("check the dates in the CRM".into()),
                        source_line: None,
                        width: 1,
                    });
                    return;
                }
                let acc = months.entry(Month::of(b)).or_default();
                if into_cycle {
                    acc.cycle.push(days);
                } else {
                    acc.to_mql.push(days);
                }
            }
        };
        if n >= 2 {
            duration(0, n - 1, true);
        }
        if let (Some(l), Some(m)) = (idx_leads, idx_mql) {
            if l < m {
                duration(l, m, false);
            }
        }
    }
    bar.finish_and_clear();
    if !skip_bad_rows && diags.iter().any(|d| d.severity == Severity::Error) {
        let _ = bad_rows;
        return Err(diags);
    }
    let mut out = String::new();
    out.push_str(&format!(
        "# Imported by `smarketing import` from {} ({} rows).\n",
        display(csv_path).rsplit('/').next().unwrap_or(""),
        rows
    ));
    let mut written = Vec::new();
    for (m, acc) in months.iter_mut() {
        if acc.counts.is_empty() {
            acc.counts = vec![0; n];
        }
        written.push(*m);
        let stages: Vec<String> =
            plan.stages.iter().zip(&acc.counts).map(|((id, _), c)| format!("{id}: {c}")).collect();
        out.push_str(&format!("- month: {m}\n  stages: {{{}}}\n", stages.join(", ")));
        if acc.has_revenue {
            out.push_str(&format!("  revenue: {}\n", number(acc.revenue)));
        }
        if let Some(v) = median(&mut acc.cycle) {
            out.push_str(&format!("  sales_cycle_days: {}\n", number(v)));
        }
        if let Some(v) = median(&mut acc.to_mql) {
            out.push_str(&format!("  days_to_mql: {}\n", number(v)));
        }
        if !acc.channels.is_empty() {
            out.push_str("  by_channel:\n");
            for (name, counts) in &acc.channels {
                let st: Vec<String> = plan.stages.iter().zip(counts).map(|((id, _), c)| format!("{id}: {c}")).collect();
                out.push_str(&format!("    {}: {{{}}}\n", yaml_quote(name), st.join(", ")));
            }
        }
    }
    if written.is_empty() {
        out.push_str("[]\n");
    }
    Ok(Outcome { yaml: out, diags, rows, joined, skipped, months: written })
}

/// A number as YAML: whole numbers without decimals.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A double-quoted YAML string.
fn yaml_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
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
                let range = match (o.months.first(), o.months.last()) {
                    (Some(a), Some(b)) => format!("{a} to {b}"),
                    _ => "no dates".into(),
                };
                crate::say!(
                    "import: {} rows read, {} joined, {} skipped; {} months written ({range}) in {} ms",
                    o.rows,
                    o.joined,
                    o.skipped,
                    o.months.len(),
                    started.elapsed().as_millis()
                );
            }
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_forms() {
        let d = calendar::parse_date("2026-10-07");
        assert_eq!(parse_date("2026-10-07"), d);
        assert_eq!(parse_date("2026-10-07 23:59:59"), d);
        assert_eq!(parse_date("2026-10-07T23:59:59+02:00"), d);
        assert_eq!(parse_date("2026-10-07T01:00:00Z"), d);
        assert_eq!(parse_date("07/10/2026"), None);
        assert_eq!(parse_date("2026-10-07xyz"), None);
        assert_eq!(parse_date("2026-02-30"), None);
    }

    #[test]
    fn medians() {
        assert_eq!(median(&mut [5, 1, 3]), Some(3.0));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
