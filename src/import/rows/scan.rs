//! One pass over the main file, row by row, with its partners in the joined files.

use super::{at_line, open_with_headers, row_error, Ctx, HashMap, Plan, Width};
use crate::diagnostics::Reported;
use crate::diagnostics::Severity;
use crate::import::csvread::Record;
use crate::import::report::Grouped;

/// What one pass over the main file saw.
#[derive(Default)]
pub struct Stats {
    /// Rows read from the main file.
    pub rows: u64,
    /// Rows left out as repeats of `unique`, with the key's name.
    pub repeats: u64,
    /// Rows whose cells are not UTF-8 (skipped).
    pub bad_rows: u64,
    /// Rows `ignore` left out.
    pub ignored: u64,
    /// Without `unique`: rows identical in every cell to an earlier row (the first such
    /// pair's lines, earlier first, and how many rows repeat one).
    pub repeated: Option<(u64, u64, u64)>,
}

impl Plan {
    /// Reads the main file once, calling `each` for every row that is not a repeat.
    pub(super) fn scan(
        &mut self,
        diags: &mut Grouped,
        report: bool,
        skip_bad_rows: bool,
        bar: &indicatif::ProgressBar,
        mut each: impl FnMut(&Plan, &Ctx, &mut Grouped),
    ) -> Result<Stats, Reported> {
        let path = self.sources[0].path.clone();
        let name = self.sources[0].name.clone();
        let mut rdr = match open_with_headers(&path, self.map.delimiter, self.map.more.header_row) {
            Ok((r, _)) => r,
            Err(d) => {
                diags.push("open", *d);
                return Err(Reported);
            }
        };
        let mut stats = Stats::default();
        let mut seen: HashMap<String, u64> = HashMap::default();
        // Whole-row repeats matter where no `unique` says which row counts (and a stage
        // history's repeated change counts once anyway).
        let mut repeats =
            (report && self.unique.is_none() && self.events.is_none()).then(crate::import::rowkeys::Repeats::default);
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
                        return Err(Reported);
                    }
                    stats.bad_rows += 1;
                    continue;
                }
            }
            if crate::import::rowkeys::is_blank(&rec) {
                continue;
            }
            if self.ignore.iter().any(|(c, k)| self.map.more.ignore[*k].matches(rec.get(c.idx).unwrap_or(""))) {
                stats.ignored += 1;
                continue;
            }
            stats.rows += 1;
            if stats.rows % 65_536 == 0 {
                bar.set_position(start + rdr.consumed);
            }
            if let Some(r) = repeats.as_mut() {
                r.see(&rec);
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
        if let Some(r) = repeats {
            if let Some((_, line)) = r.first {
                // The earlier of the first pair: read the file again up to it (only when a
                // repeat was found, so an export without one is read once).
                let earlier = self.first_line_like(&path, &r).unwrap_or(line);
                stats.repeated = Some((earlier, line, r.count));
            }
        }
        Ok(stats)
    }

    /// The line of the first row (not blank, not left out by `ignore`) that `r`'s first repeat
    /// repeats.
    fn first_line_like(&self, path: &std::path::Path, r: &crate::import::rowkeys::Repeats) -> Option<u64> {
        let (mut rdr, _) = open_with_headers(path, self.map.delimiter, self.map.more.header_row).ok()?;
        let mut rec = Record::default();
        loop {
            match rdr.read_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) if e.recoverable() => continue,
                Err(_) => return None,
            }
            if crate::import::rowkeys::is_blank(&rec)
                || self.ignore.iter().any(|(c, k)| self.map.more.ignore[*k].matches(rec.get(c.idx).unwrap_or("")))
            {
                continue;
            }
            if r.is_first(&rec) {
                return Some(rec.line);
            }
        }
    }
}
