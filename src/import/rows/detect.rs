//! Date detection: each date column's order (month-first or day-first), from the values the import reads in it.

use super::{at_line, Col, Plan};
use crate::diagnostics::Reported;
use crate::diagnostics::Severity;
use crate::import::csvread::Place;
use crate::import::dates::{self, Order, Raw};
use crate::import::map;
use crate::import::report::Grouped;
use jiff::civil::Date;

/// The evidence for one date column's order.
#[derive(Default, Clone)]
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

impl Evidence {
    /// Adds the evidence of a part of the file after the parts added so far.
    fn absorb(&mut self, later: Evidence) {
        self.readable += later.readable;
        self.unreadable_count += later.unreadable_count;
        self.unreadable.extend(later.unreadable);
        self.unreadable.truncate(2);
        for (mine, theirs) in [
            (&mut self.day_first, later.day_first),
            (&mut self.month_first, later.month_first),
            (&mut self.either, later.either),
        ] {
            if mine.is_none() {
                *mine = theirs;
            }
        }
    }
}

pub(super) fn place(e: &(String, String, Place)) -> String {
    format!("`{}` ({}:{})", e.0, e.1, e.2.line)
}

impl Plan {
    fn date_cols(&self) -> Vec<(Col, String)> {
        let mut out: Vec<(Col, String)> = Vec::new();
        if let (Some([_, _, d]), Some(e)) = (self.events, &self.map.events) {
            out.push((d, e.date.name.clone()));
        }
        for s in self.stages.iter().chain(self.lost.as_ref()) {
            if let Some(c) = s.date {
                if !out.iter().any(|(o, _)| *o == c) {
                    out.push((c, s.date_name.clone()));
                }
            }
        }
        out
    }

    /// First pass: finds each date column's order from the values the import reads in it.
    pub(super) fn detect(&mut self, diags: &mut Grouped, bar: &indicatif::ProgressBar) -> Result<(), Reported> {
        let cols = self.date_cols();
        let start: Vec<(Col, Evidence)> =
            cols.iter().map(|(c, n)| (*c, Evidence { name: n.clone(), ..Default::default() })).collect();
        let events = self.events;
        let merge = |parts: Vec<Vec<(Col, Evidence)>>| {
            let mut parts = parts.into_iter();
            let mut all = parts.next()?;
            for p in parts {
                for ((_, e), (_, l)) in all.iter_mut().zip(p) {
                    e.absorb(l);
                }
            }
            Some(all)
        };
        let (_, ev) = self.scan(
            diags,
            false,
            true,
            bar,
            true,
            || start.clone(),
            |plan, ctx, _, ev| {
                if let Some([_, _, d]) = events {
                    let v = ctx.cell(d);
                    if !v.is_empty() {
                        if let Some((_, e)) = ev.iter_mut().find(|(c, _)| *c == d) {
                            e.observe(v, &plan.sources[d.file].name, ctx.place(d));
                        }
                    }
                    return true;
                }
                for s in plan.stages.iter().chain(plan.lost.as_ref()) {
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
                true
            },
            merge,
        )?;
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
            Err(Reported)
        } else {
            Ok(())
        }
    }

    fn order(&self, col: Col) -> Option<Order> {
        self.orders.iter().find(|(c, _)| *c == col).map(|(_, o)| *o)
    }

    /// A column's name as the map writes it: `NAME`, or `ALIAS.NAME` in a joined file.
    pub(super) fn header(&self, col: Col) -> String {
        let src = &self.sources[col.file];
        let name = src.headers.get(col.idx).map(String::as_str).unwrap_or("");
        match &src.alias {
            Some(a) if col.file > 0 => format!("{a}.{name}"),
            _ => name.to_string(),
        }
    }

    /// The date in a cell, as written (any year).
    fn date_as_written(&self, col: Col, v: &str) -> Option<Date> {
        match &self.map.date_format {
            Some(f) => dates::with_format(f, v),
            None => dates::classify(v)?.resolve(self.order(col).unwrap_or(Order::MonthFirst)),
        }
    }

    /// The date in a cell read before the date columns' orders are known, counting in `seen`
    /// (per column) the values that read as a date and those that do not. A date whose day and
    /// month could be either way round (`5/1/2024`) sets `abandon`: the count starts again once
    /// the orders are found.
    pub(super) fn read_date_unordered(&self, col: Col, v: &str, seen: &mut Vec<(Col, u64, u64)>) -> Option<Date> {
        let i = match seen.iter().position(|(c, _, _)| *c == col) {
            Some(i) => i,
            None => {
                seen.push((col, 0, 0));
                seen.len() - 1
            }
        };
        match dates::classify(v) {
            None => {
                seen[i].2 += 1;
                None
            }
            Some(Raw::Exact(d)) => {
                seen[i].1 += 1;
                Some(d).filter(|d| dates::PLAUSIBLE_YEARS.contains(&d.year()))
            }
            Some(Raw::YearLast { .. }) => {
                seen[i].1 += 1;
                self.abandon.store(true, std::sync::atomic::Ordering::Relaxed);
                None
            }
        }
    }

    /// The date in a cell, when it is one from 1900 to 2200: `0001-01-01` (.NET's minimum)
    /// or `0000-01-05` is a placeholder for "no date", never a month of the funnel (it became
    /// `month: 0001-01`, 24,000 months before the others).
    pub(super) fn read_date(&self, col: Col, v: &str) -> Option<Date> {
        self.date_as_written(col, v).filter(|d| dates::PLAUSIBLE_YEARS.contains(&d.year()))
    }

    /// What to do about the unreadable date `v` in `col`.
    pub(super) fn date_hint(&self, col: Col, v: &str) -> String {
        if let Some(d) = self.date_as_written(col, v).filter(|d| !dates::PLAUSIBLE_YEARS.contains(&d.year())) {
            return format!(
                "{d} is {} the years {} to {} that are read: a placeholder some systems write for \"no date\" (.NET's smallest date is 0001-01-01)? Clear such cells, fix the value, or pass --skip-bad-rows to skip such rows",
                if d.year() < *dates::PLAUSIBLE_YEARS.start() { "before" } else { "after" },
                dates::PLAUSIBLE_YEARS.start(),
                dates::PLAUSIBLE_YEARS.end()
            );
        }
        self.format_hint(col)
    }

    fn format_hint(&self, col: Col) -> String {
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
