//! Counting: the pass over the main file (after the one finding the date orders, when a date
//! needs one) summing each stage and amount per month.

use super::{at_line, time_of_day, Ctx, Currencies, HashMap, IdState, Marks, Part, Plan, Source, Stats};
use crate::diagnostics::Reported;
use crate::diagnostics::Severity;
use crate::import::amounts::{self, AmountError};
use crate::import::csvread::Place;
use crate::import::map;
use crate::import::report::Grouped;
use crate::import::unmatched::{NoMatch, Probe};
use crate::model::calendar::{self, Month};
use jiff::civil::Date;
use std::collections::{BTreeMap, HashSet};

/// What the whole import found.
pub struct Counted {
    /// The months, ascending.
    pub months: BTreeMap<Month, MonthAcc>,
    /// Stage ids in map order.
    pub stage_ids: Vec<String>,
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
    /// With `pipeline`: per month, how the open pipeline changes at its end (a row's amount
    /// enters in its created month and leaves in its closed month), in millionths.
    pub pipeline_delta: BTreeMap<Month, i128>,
    /// Sales cycles measured, and those of 0 days.
    pub cycles: (u64, u64),
}

/// One month's sums.
#[derive(Default, Clone)]
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
    /// Per channel: revenue (or, in a spend import, spend) in millionths.
    pub channel_money: BTreeMap<String, i128>,
    /// Deals lost (with `lost`).
    pub lost: u64,
    /// Amounts of the rows created this month at `pipeline.from`, in millionths.
    pub pipeline_created: i128,
}

/// Per-row values ready to count.
struct Wide<'a> {
    dates: &'a [Option<Date>],
    /// Per stage: the file and cell its date was read at, for warnings.
    places: &'a [(usize, Place)],
    names: &'a [Source],
    amount: Option<i128>,
    channel: Option<&'a str>,
    /// The date the row was lost (with `lost`).
    lost: Option<Date>,
}

#[derive(Clone)]
pub(super) struct Acc {
    n: usize,
    months: BTreeMap<Month, MonthAcc>,
    cycle: (usize, usize),
    to_mql: Option<(usize, usize)>,
    counted: u64,
    /// `pipeline`: the stages it is created at and closed at.
    pipeline: Option<(usize, usize)>,
    money: crate::import::rowkeys::Money,
}

impl Acc {
    /// Adds the sums of a part of the file after the parts added so far.
    pub(super) fn absorb(&mut self, later: Acc) {
        for (m, la) in later.months {
            let a = self.months.entry(m).or_default();
            if a.counts.is_empty() {
                a.counts = vec![0; self.n];
            }
            for (c, lc) in a.counts.iter_mut().zip(&la.counts) {
                *c += lc;
            }
            a.revenue += la.revenue;
            a.cycle.extend(la.cycle);
            a.to_mql.extend(la.to_mql);
            for (ch, lc) in la.channels {
                let c = a.channels.entry(ch).or_insert_with(|| vec![0; lc.len()]);
                for (x, y) in c.iter_mut().zip(lc) {
                    *x += y;
                }
            }
            for (ch, v) in la.channel_money {
                *a.channel_money.entry(ch).or_default() += v;
            }
            a.lost += la.lost;
            a.pipeline_created += la.pipeline_created;
        }
        self.counted += later.counted;
        self.money.absorb(later.money);
    }

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
                    let ch = channel_key(ch);
                    if let Some(c) = acc.channels.get_mut(ch.as_ref()) {
                        c[k] += 1;
                    } else {
                        let mut c = vec![0; n];
                        c[k] += 1;
                        acc.channels.insert(ch.into_owned(), c);
                    }
                }
            }
        }
        if let Some(d) = row.lost {
            any = true;
            self.month(d).lost += 1;
        }
        if any {
            self.counted += 1;
        }
        if let (Some(last), Some(v)) = (row.dates[self.n - 1], row.amount) {
            let acc = self.month(last);
            acc.revenue += v;
            if let Some(ch) = row.channel {
                let ch = channel_key(ch);
                match acc.channel_money.get_mut(ch.as_ref()) {
                    Some(m) => *m += v,
                    None => {
                        acc.channel_money.insert(ch.into_owned(), v);
                    }
                }
            }
        }
        if let Some((a, b)) = self.pipeline {
            if let Some(created) = row.dates[a] {
                let v = row.amount.unwrap_or(0);
                self.month(created).pipeline_created += v;
                self.money.pipeline(created, row.dates[b], v);
            }
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
            if cycle {
                self.money.cycles.0 += 1;
                self.money.cycles.1 += u64::from(days == 0);
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

impl Plan {
    /// A row counted in the pipeline (and not won) whose amount is blank: a warning, since
    /// the month's pipeline is short of it.
    fn blank_pipeline_amount(&self, file: &str, at: Place, diags: &mut Grouped) {
        let Some((_, name)) = &self.amount else { return };
        let from = self.map.more.pipeline.map(|(a, _)| self.stages[a].id.as_str()).unwrap_or("");
        diags.push(
            &format!("blank amounts in column `{name}` in the pipeline"),
            at_line(
                Severity::Warning,
                file,
                at,
                format!("this row is in the pipeline from `{from}` on but its `{name}` is blank; it adds nothing to the pipeline"),
                "fill in the amount in the CRM, or the pipeline created and open stay low".into(),
            ),
        );
    }

    fn amount_of(
        &self,
        raw: &str,
        file: &str,
        line: Place,
        skip: bool,
        diags: &mut Grouped,
        marks: &mut Marks,
    ) -> Result<Option<i128>, Reported> {
        let Some((_, name)) = &self.amount else { return Ok(None) };
        if raw.is_empty() && self.map.more.spend.is_some() {
            diags.push(
                &format!("blank amounts in column `{name}`"),
                at_line(
                    Severity::Warning,
                    file,
                    line,
                    format!("this row's `{name}` is blank; it adds nothing to the month's spend"),
                    "a cost report writes 0 for a day without spend: check that the export is complete".into(),
                ),
            );
            return Ok(None);
        }
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
                Err(Reported)
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
                Err(Reported)
            }
        }
    }

    /// Runs both passes and counts every row.
    pub fn count(mut self, skip: bool, diags: &mut Grouped, bar: &indicatif::ProgressBar) -> Result<Counted, Reported> {
        if self.map.date_format.is_none() && self.events.is_some() {
            self.detect(diags, bar)?;
        }
        let n = self.stages.len();
        let ids: Vec<String> = self.stages.iter().map(|s| s.id.clone()).collect();
        let idx = |id: &str| ids.iter().position(|s| s == id);
        let to_mql = match (idx("leads"), idx("mql")) {
            (Some(l), Some(m)) if l < m => Some((l, m)),
            _ => None,
        };
        let acc = Acc {
            n,
            months: BTreeMap::new(),
            cycle: self.map.cycle,
            to_mql,
            counted: 0,
            pipeline: self.map.more.pipeline,
            money: crate::import::rowkeys::Money::default(),
        };
        // One slot per stage, then one for `lost`.
        let slots = n + usize::from(self.lost.is_some());
        let when_out = vec![0u64; slots];
        // Conditions no row may meet: each `when`, or with `events` each stage's values of the
        // stage column (`won: Closed-Won` on an export that says `Closed Won`).
        let probe = match self.events {
            Some([_, stc, _]) => Probe::new(
                self.stages.iter().chain(self.lost.as_ref()).enumerate().map(|(k, s)| (k, 0, stc, s.values.as_slice())),
            ),
            None => {
                Probe::new(self.stages.iter().chain(self.lost.as_ref()).enumerate().flat_map(|(k, s)| {
                    s.when.iter().enumerate().map(move |(i, (c, vals))| (k, i, *c, vals.as_slice()))
                }))
            }
        };
        // What the rows add up to (one per part of the file read on its own thread).
        let start = Part {
            acc,
            when_out,
            probe,
            skipped: 0,
            marks: Marks::default(),
            // The first counted amount's currency, and the first of another one.
            currencies: Currencies::default(),
            dates: vec![None; slots],
            places: vec![(0, Place::default()); slots],
            // Long exports: one state per id, in first-seen order.
            id_index: HashMap::default(),
            id_states: Vec::new(),
            bad_ids: HashSet::default(),
            dated: None,
        };
        let sev = if skip { Severity::Warning } else { Severity::Error };
        let skip_note = if skip { "; row skipped" } else { "" };
        let init = || start.clone();
        let (stats, part) = if let Some([idc, stc, dc]) = self.events {
            // A stage history is read on one thread: a row's meaning depends on the id's rows before it.
            self.scan(
                diags,
                true,
                skip,
                bar,
                false,
                init,
                |plan, ctx, diags, t| {
                    let Part { probe, skipped, id_index, id_states, bad_ids, .. } = t;
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
                        *skipped += 1;
                        return false;
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
                                plan.date_hint(dc, raw),
                            ),
                        );
                        *skipped += 1;
                        bad_ids.insert(id.to_string());
                        return false;
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
                                latest_is_lost: false,
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
                        st.latest_is_lost =
                            plan.lost.as_ref().is_some_and(|l| l.values.iter().any(|v| map::matches(stage, v)));
                        st.latest_amount =
                            plan.amount.as_ref().map(|(c, _)| ctx.cell(*c).to_string()).unwrap_or_default();
                        st.latest_amount_at = plan.amount.as_ref().map(|(c, _)| ctx.place(*c)).unwrap_or_default();
                        st.latest_currency =
                            plan.currency.map(|c| (ctx.cell(c).to_string(), ctx.place(c))).unwrap_or_default();
                        st.latest_channel = plan.channel.map(|c| ctx.cell(c).to_string()).unwrap_or_default();
                    }
                    true
                },
                Part::merge,
            )?
        } else {
            let each = |plan: &Plan, ctx: &Ctx, diags: &mut Grouped, t: &mut Part| {
                let Part { probe, skipped, when_out, marks, currencies, dates, places, acc, dated, .. } = t;
                probe.observe(|c| ctx.cell(c));
                let mut bad = false;
                for (k, s) in plan.stages.iter().chain(plan.lost.as_ref()).enumerate() {
                    dates[k] = None;
                    let Some(dc) = s.date else { continue };
                    let raw = ctx.cell(dc);
                    if raw.is_empty() {
                        // A status that says the row reached the stage, but no date to count
                        // it by: not counted (docs/import.md), and never silently.
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
                    let date = match dated.as_mut() {
                        Some(seen) => plan.read_date_unordered(dc, raw, seen),
                        None => plan.read_date(dc, raw),
                    };
                    match date {
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
                                    plan.date_hint(dc, raw),
                                ),
                            );
                            bad = true;
                        }
                    }
                }
                let mut amount = None;
                // The amount counts for revenue (at the last stage) and for pipeline (from its
                // `from` stage on).
                let piped = plan.map.more.pipeline.is_some_and(|(a, _)| dates[a].is_some());
                if let (Some((ac, _)), true) = (&plan.amount, dates[n - 1].is_some() || piped) {
                    let ac = *ac;
                    let file = &plan.sources[ac.file].name;
                    let raw = ctx.cell(ac);
                    let result = if raw.is_empty() && dates[n - 1].is_none() {
                        plan.blank_pipeline_amount(file, ctx.place(ac), diags);
                        Ok(None)
                    } else {
                        plan.amount_of(raw, file, ctx.place(ac), skip, diags, marks)
                    };
                    match result {
                        Ok(v) => amount = v,
                        Err(Reported) => bad = true,
                    }
                    if let (Some(cc), Some(_)) = (plan.currency, amount) {
                        currencies.see(ctx.cell(cc), &plan.sources[cc.file].name, ctx.place(cc));
                    }
                }
                if bad {
                    *skipped += 1;
                    return false;
                }
                let channel = plan.channel.map(|c| ctx.cell(c)).or(plan.map.more.channel_value.as_deref());
                let lost = dates.get(n).copied().flatten();
                let row = Wide { dates: &dates[..n], places, names: &plan.sources, amount, channel, lost };
                acc.add(&row, &ids, diags);
                true
            };
            // Most exports write dates whose reading needs no order of day and month (ISO
            // dates): count at once, and find the orders first (a pass of their own) only when
            // some date needs one or a date column reads as no date at all.
            let mut done = None;
            if self.map.date_format.is_none() {
                let mut scratch = Grouped::default();
                let unordered = Part { dated: Some(Vec::new()), ..start.clone() };
                let got = self.scan(&mut scratch, true, skip, bar, true, || unordered.clone(), each, Part::merge);
                *self.abandon.get_mut() = false;
                if let Ok((stats, part)) = got {
                    if part.dated.as_ref().is_some_and(|d| d.iter().all(|&(_, read, unread)| read > 0 || unread == 0)) {
                        diags.absorb(scratch);
                        done = Some((stats, part));
                    }
                }
            }
            match done {
                Some(done) => done,
                None => {
                    if self.map.date_format.is_none() {
                        self.detect(diags, bar)?;
                    }
                    self.scan(diags, true, skip, bar, true, init, each, Part::merge)?
                }
            }
        };
        let Part {
            mut acc, when_out, probe, mut skipped, mut marks, mut currencies, id_index, id_states, bad_ids, ..
        } = part;
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
                let piped = self.map.more.pipeline.is_some_and(|(a, _)| dates[a].is_some());
                if dates[n - 1].is_none() && piped && st.latest_amount.trim().is_empty() {
                    self.blank_pipeline_amount(&file, st.latest_amount_at, diags);
                } else if dates[n - 1].is_some() || piped {
                    match self.amount_of(&st.latest_amount, &file, st.latest_amount_at, skip, diags, &mut marks) {
                        Ok(v) => amount = v,
                        Err(Reported) => {
                            skipped += 1;
                            continue;
                        }
                    }
                    if self.currency.is_some() && amount.is_some() {
                        currencies.see(&st.latest_currency.0, &file, st.latest_currency.1);
                    }
                }
                let channel =
                    self.channel.map(|_| st.latest_channel.as_str()).or(self.map.more.channel_value.as_deref());
                // Lost when its latest change is a lost one, on that change's date.
                let lost = st.latest_is_lost.then_some(st.latest);
                let row = Wide { dates: &dates, places: &places, names: &self.sources, amount, channel, lost };
                acc.add(&row, &ids, diags);
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
            skipped: skipped + stats.bad_rows,
            stats,
            counted: acc.counted,
            when_out,
            unmatched: probe.finish(),
            ids: id_count,
            joins,
            pipeline_delta: acc.money.pipeline_delta,
            cycles: acc.money.cycles,
        })
    }
}

/// A row's channel as the month counts it: "unknown" when blank, in Unicode's composed form
/// (NFC) so `Réseau` typed on a Mac (decomposed) and elsewhere is one channel, as when the
/// written file is read back.
fn channel_key(ch: &str) -> std::borrow::Cow<'_, str> {
    if ch.is_empty() {
        return "unknown".into();
    }
    if unicode_normalization::is_nfc_quick(ch.chars()) == unicode_normalization::IsNormalized::Yes {
        ch.into()
    } else {
        crate::load::yaml::nfc(ch.to_string()).into()
    }
}
