//! One pass over the main file, row by row, with its partners in the joined files.

use super::{at_line, open_with_headers, row_error, Ctx, HashMap, Plan, Width};
use crate::diagnostics::Reported;
use crate::diagnostics::Severity;
use crate::import::csvread::Record;
use crate::import::csvread::{CsvReader, RowError};
use crate::import::report::Grouped;
use rayon::prelude::*;

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
    /// Parts of the file read at once, each on its own thread (1: read on one thread).
    pub parts: usize,
}

/// How a part's reading ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    /// At the end of the file.
    Eof,
    /// At the first row the next part holds: its byte offset.
    Next(u64),
    /// At a row that stops the import (too long, too wide, unreadable file).
    Fatal,
}

/// What one part of the main file saw, on its own thread.
struct PartOut {
    diags: Grouped,
    stats: Stats,
    /// Per join: rows with a key, rows matched.
    joins: Vec<(u64, u64)>,
    repeats: Option<crate::import::rowkeys::Repeats>,
    ended: Ended,
}

impl Stats {
    fn add(&mut self, other: &Stats) {
        self.rows += other.rows;
        self.repeats += other.repeats;
        self.bad_rows += other.bad_rows;
        self.ignored += other.ignored;
    }
}

impl Plan {
    /// Reads the main file once, calling `each` for every row that is not a repeat, with the
    /// state `init` makes; `each` says whether it counted the row (rows it skips are left out
    /// of the check for rows repeated whole). With `parallel` (and no `unique` or `events`, whose rows depend on
    /// the rows before them), the rows are read in parts on every thread, each part with its
    /// own state, and `merge` makes one state of them in file order; it returns `None` when
    /// it cannot give exactly what one reading would, and then the file is read again on one
    /// thread, as it is when a part does not start at a row (docs/import.md). Either way the
    /// diagnostics, their order, their lines and the state are those of one reading.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn scan<S: Send>(
        &mut self,
        diags: &mut Grouped,
        report: bool,
        skip_bad_rows: bool,
        bar: &indicatif::ProgressBar,
        parallel: bool,
        init: impl Fn() -> S + Sync,
        each: impl Fn(&Plan, &Ctx, &mut Grouped, &mut S) -> bool + Sync,
        merge: impl FnOnce(Vec<S>) -> Option<S>,
    ) -> Result<(Stats, S), Reported> {
        let path = self.sources[0].path.clone();
        let open = |diags: &mut Grouped| match open_with_headers(&path, self.map.delimiter, self.map.more.header_row) {
            Ok((r, _)) => Ok(r),
            Err(d) => {
                diags.push("open", *d);
                Err(Reported)
            }
        };
        let rdr = open(diags)?;
        // Whole-row repeats matter where no `unique` says which row counts (and a stage
        // history's repeated change counts once anyway).
        let repeats = report && self.unique.is_none() && self.events.is_none();
        let state = ahash::RandomState::new();
        let starts = if parallel && self.unique.is_none() && self.events.is_none() {
            super::split::starts(&path, rdr.consumed)
        } else {
            Vec::new()
        };
        let mut outs = None;
        if !starts.is_empty() {
            let mut readers = vec![(rdr, starts.first().map(|s| s.offset))];
            for (k, s) in starts.iter().enumerate() {
                let Ok(mut f) = std::fs::File::open(&path) else { break };
                if std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(s.offset)).is_err() {
                    break;
                }
                let r = CsvReader::starting_at(f, self.map.delimiter, s.offset, s.line);
                readers.push((r, starts.get(k + 1).map(|s| s.offset)));
            }
            if readers.len() == starts.len() + 1 {
                let this = &*self;
                let parts: Vec<(S, PartOut)> = readers
                    .into_par_iter()
                    .map(|(mut r, end)| {
                        let rep = repeats.then(|| crate::import::rowkeys::Repeats::keyed(state.clone()));
                        this.scan_part(&mut r, end, report, skip_bad_rows, bar, rep, init(), &each)
                    })
                    .collect();
                outs = Self::joined(parts, &starts, merge);
            }
        }
        let (mut parts, state) = match outs {
            Some(done) => done,
            None => {
                let mut r = open(diags)?;
                let rep = repeats.then(|| crate::import::rowkeys::Repeats::keyed(state));
                let (state, part) = self.scan_part(&mut r, None, report, skip_bad_rows, bar, rep, init(), &each);
                (vec![part], state)
            }
        };
        let mut stats = Stats { parts: parts.len(), ..Stats::default() };
        let mut joins = vec![(0u64, 0u64); self.joins.len()];
        let mut fatal = false;
        let mut reps = Vec::new();
        for part in parts.drain(..) {
            diags.absorb(part.diags);
            stats.add(&part.stats);
            for (sum, (e, m)) in joins.iter_mut().zip(&part.joins) {
                sum.0 += e;
                sum.1 += m;
            }
            reps.extend(part.repeats);
            fatal |= part.ended == Ended::Fatal;
        }
        for (j, (e, m)) in self.joins.iter_mut().zip(joins) {
            j.eligible = e;
            j.matched = m;
        }
        if fatal {
            return Err(Reported);
        }
        if repeats {
            let r = crate::import::rowkeys::Repeats::merge(reps);
            if let Some((_, line)) = r.first {
                // The earlier of the first pair: read the file again up to it (only when a
                // repeat was found, so an export without one is read once).
                let earlier = self.first_line_like(&path, &r).unwrap_or(line);
                stats.repeated = Some((earlier, line, r.count));
            }
        }
        Ok((stats, state))
    }

    /// The parts read in parallel, when each started at a row (the part before it ended
    /// exactly there) and their states merge exactly: the parts up to the first that stopped
    /// the import, and the merged state.
    #[allow(clippy::type_complexity)]
    fn joined<S>(
        mut parts: Vec<(S, PartOut)>,
        starts: &[super::split::Start],
        merge: impl FnOnce(Vec<S>) -> Option<S>,
    ) -> Option<(Vec<PartOut>, S)> {
        let mut keep = parts.len();
        for (k, (_, part)) in parts.iter().enumerate() {
            match (part.ended, starts.get(k)) {
                (Ended::Fatal, _) => {
                    keep = k + 1;
                    break;
                }
                (Ended::Next(at), Some(next)) if at == next.offset => {}
                (Ended::Eof, None) => {}
                _ => return None,
            }
        }
        parts.truncate(keep);
        let (states, parts): (Vec<S>, Vec<PartOut>) = parts.into_iter().unzip();
        Some((parts, merge(states)?))
    }

    /// Reads rows from `rdr` up to the row starting at byte `end` (the next part's first) or
    /// the end of the file.
    #[allow(clippy::too_many_arguments)]
    fn scan_part<S>(
        &self,
        rdr: &mut CsvReader<std::fs::File>,
        end: Option<u64>,
        report: bool,
        skip_bad_rows: bool,
        bar: &indicatif::ProgressBar,
        mut repeats: Option<crate::import::rowkeys::Repeats>,
        mut state: S,
        each: &impl Fn(&Plan, &Ctx, &mut Grouped, &mut S) -> bool,
    ) -> (S, PartOut) {
        let name = &self.sources[0].name;
        let mut diags = Grouped::default();
        let mut stats = Stats::default();
        let mut seen: HashMap<String, u64> = HashMap::default();
        let mut rec = Record::default();
        let mut partners: Vec<Option<u32>> = vec![None; self.joins.len()];
        let mut joins = vec![(0u64, 0u64); self.joins.len()];
        let mut shown = rdr.consumed;
        let ended = loop {
            if self.abandon.load(std::sync::atomic::Ordering::Relaxed) {
                break Ended::Fatal;
            }
            let read = rdr.read_record(&mut rec);
            if let (
                Some(end),
                Ok(true)
                | Err(RowError::NotUtf8 | RowError::TooLong | RowError::TooManyColumns | RowError::UnclosedQuote),
            ) = (end, &read)
            {
                if rec.offset >= end {
                    break Ended::Next(rec.offset);
                }
            }
            match read {
                Ok(false) => break Ended::Eof,
                Ok(true) => {}
                Err(e) => {
                    let sev = if e.recoverable() && skip_bad_rows { Severity::Warning } else { Severity::Error };
                    if report || !e.recoverable() {
                        diags.push(&format!("unreadable rows in {name}"), row_error(name, rec.error_place(), &e, sev));
                    }
                    if !e.recoverable() {
                        break Ended::Fatal;
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
                bar.inc(rdr.consumed - shown);
                shown = rdr.consumed;
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
                        at_line(sev, name, w.at, message, hint),
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
                    joins[k].0 += 1;
                }
                if p.is_some() {
                    joins[k].1 += 1;
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
            // Only counted rows can be counted again: a skipped row repeated is not a repeat.
            if each(self, &ctx, &mut diags, &mut state) {
                if let Some(r) = repeats.as_mut() {
                    r.see(&rec);
                }
            }
        };
        bar.inc(rdr.consumed.saturating_sub(shown));
        (state, PartOut { diags, stats, joins, repeats, ended })
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
