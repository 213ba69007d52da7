//! Months merge across funnel files (docs/content.md, "One month from several files"): a
//! month may have one entry in each of several funnel files, and its record is the union of
//! the entries' fields. A field given by two entries is an error naming both places. The
//! merged month is all later stages ever see, so every figure is computed once, from it.

use super::de::Loc;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::calendar::Month;
use crate::model::{channel_key, Channel, FunnelMonth, Site};
use std::collections::{BTreeMap, HashMap};

/// One field of a month: the smallest part of a month's record that one funnel file gives.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    /// `stages.<id>`, by stage index.
    Stage(usize),
    /// `revenue`.
    Revenue,
    /// `lost`.
    Lost,
    /// `pipeline_created`.
    PipelineCreated,
    /// `pipeline_open`.
    PipelineOpen,
    /// `spend.marketing`.
    SpendMarketing,
    /// `spend.sales`.
    SpendSales,
    /// `customers`: its three numbers together.
    Customers,
    /// `sales_cycle_days`.
    SalesCycleDays,
    /// `days_to_mql`.
    DaysToMql,
    /// `lead_response_hours`.
    LeadResponseHours,
    /// `by_channel.<name>.<key>`, by the channel's resolved name.
    Channel(String, ChannelKey),
}

/// One key of a channel's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelKey {
    /// A stage count, by stage index.
    Stage(usize),
    /// `spend`.
    Spend,
    /// `revenue`.
    Revenue,
}

impl Field {
    /// The field as written in a funnel file (`stages.leads`, `by_channel.paid search.spend`).
    pub fn name(&self, site: &Site) -> String {
        let stage = |i: &usize| site.stages.get(*i).cloned().unwrap_or_default();
        match self {
            Field::Stage(i) => format!("stages.{}", stage(i)),
            Field::Revenue => "revenue".into(),
            Field::Lost => "lost".into(),
            Field::PipelineCreated => "pipeline_created".into(),
            Field::PipelineOpen => "pipeline_open".into(),
            Field::SpendMarketing => "spend.marketing".into(),
            Field::SpendSales => "spend.sales".into(),
            Field::Customers => "customers".into(),
            Field::SalesCycleDays => "sales_cycle_days".into(),
            Field::DaysToMql => "days_to_mql".into(),
            Field::LeadResponseHours => "lead_response_hours".into(),
            Field::Channel(name, key) => {
                let key = match key {
                    ChannelKey::Stage(i) => stage(i),
                    ChannelKey::Spend => "spend".into(),
                    ChannelKey::Revenue => "revenue".into(),
                };
                format!("by_channel.{name}.{key}")
            }
        }
    }
}

/// One month's entry in one funnel file: its numbers (fields it does not give are `None`),
/// where its `month:` is, and where each field it gives was written.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The entry's numbers; channels by resolved name.
    pub month: FunnelMonth,
    /// Where the `month:` value is.
    pub at: Loc,
    /// Each field the entry gives, with where it was written: the key of a stage or channel
    /// key, the value of any other field.
    pub fields: Vec<(Field, Loc)>,
}

/// A place in a funnel file.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// The file, relative to the project.
    pub file: String,
    /// Where in it.
    pub loc: Loc,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.loc.line, self.loc.col)
    }
}

/// A field one entry gives that an earlier entry of the same month already gave.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// The field.
    pub field: Field,
    /// Where the earlier entry gives it.
    pub first: Place,
    /// Where this entry gives it.
    pub here: Loc,
}

/// One month merged from its entries: the record, where its first entry is, and where each
/// field came from (for the checks that span fields, made on the merged record).
#[derive(Debug, Clone)]
pub struct Merged {
    /// The merged record.
    pub month: FunnelMonth,
    /// The first entry's `month:` (files are merged in path order).
    pub first: Place,
    /// Where each field was given.
    pub places: HashMap<Field, Place>,
    /// Each channel's position in `month.channels`, so a month of many channels merges in
    /// linear time.
    channel_pos: HashMap<String, usize>,
}

/// Merges entries, in the order given (files in path order, entries in file order).
#[derive(Debug, Default)]
pub struct Merger {
    months: BTreeMap<Month, Merged>,
}

impl Merger {
    /// Adds an entry of the file `file`; returns the fields an earlier entry of the same month
    /// already gave (they keep the earlier value).
    pub fn add(&mut self, file: &str, entry: Entry) -> Vec<Conflict> {
        let Entry { month: from, at, fields } = entry;
        let merged = self.months.entry(from.month).or_insert_with(|| Merged {
            month: FunnelMonth::empty(from.month, from.stages.len(), file),
            first: Place { file: file.to_string(), loc: at },
            places: HashMap::new(),
            channel_pos: HashMap::new(),
        });
        let from_pos: HashMap<&str, usize> =
            from.channels.iter().enumerate().map(|(i, c)| (c.name.as_str(), i)).collect();
        let mut conflicts = Vec::new();
        for (field, loc) in fields {
            if let Some(first) = merged.places.get(&field) {
                conflicts.push(Conflict { field, first: first.clone(), here: loc });
                continue;
            }
            absorb(merged, &from, &from_pos, &field);
            merged.places.insert(field, Place { file: file.to_string(), loc });
        }
        conflicts
    }

    /// The merged months in month order, each month's channels in the site's order (those
    /// `channels:` names first, in its order, then the others by name), so the record is the
    /// same however its numbers were split across files.
    pub fn finish(self, site: &Site) -> Vec<Merged> {
        let mut out: Vec<Merged> = self.months.into_values().collect();
        for m in &mut out {
            m.month
                .channels
                .sort_by_cached_key(|c| (site.channel_index(&c.name).unwrap_or(usize::MAX), c.name.clone()));
        }
        out
    }
}

/// Copies field `f` of `from` (whose channels are at `from_pos`) into the merged month, which
/// does not have it yet.
fn absorb(merged: &mut Merged, from: &FunnelMonth, from_pos: &HashMap<&str, usize>, f: &Field) {
    let into = &mut merged.month;
    match f {
        Field::Stage(i) => into.stages[*i] = from.stages[*i],
        Field::Revenue => into.revenue = from.revenue,
        Field::Lost => into.lost = from.lost,
        Field::PipelineCreated => into.pipeline_created = from.pipeline_created,
        Field::PipelineOpen => into.pipeline_open = from.pipeline_open,
        Field::SpendMarketing => into.spend_marketing = from.spend_marketing,
        Field::SpendSales => into.spend_sales = from.spend_sales,
        Field::Customers => into.customers = from.customers,
        Field::SalesCycleDays => into.sales_cycle_days = from.sales_cycle_days,
        Field::DaysToMql => into.days_to_mql = from.days_to_mql,
        Field::LeadResponseHours => into.lead_response_hours = from.lead_response_hours,
        Field::Channel(name, key) => {
            let Some(src) = from_pos.get(name.as_str()).map(|&i| &from.channels[i]) else { return };
            let pos = *merged.channel_pos.entry(name.clone()).or_insert_with(|| {
                into.channels.push(Channel {
                    name: name.clone(),
                    stages: vec![None; src.stages.len()],
                    spend: None,
                    revenue: None,
                });
                into.channels.len() - 1
            });
            let dst = &mut into.channels[pos];
            match key {
                ChannelKey::Stage(i) => dst.stages[*i] = src.stages[*i],
                ChannelKey::Spend => dst.spend = src.spend,
                ChannelKey::Revenue => dst.revenue = src.revenue,
            }
        }
    }
}

/// Adds the entries of one funnel file (path `file`, text `text`) to `merger`, reporting
/// into `diags`: a month after the as-of month (kept out of the pages, still merged so that a
/// conflict is reported), a month written twice in the file (the second entry is skipped), and
/// each field an earlier file already gave for the month.
pub fn add_file(
    merger: &mut Merger,
    file: &str,
    text: &str,
    entries: Vec<Entry>,
    site: &Site,
    as_of: jiff::civil::Date,
    diags: &mut Vec<Diagnostic>,
) {
    // Quoted in one pass at the end: quoting each on its own reads the file up to its line,
    // which is quadratic for a file with thousands of mistakes.
    let at = |sev: Severity, loc: Loc, msg: String, hint: String| {
        Diagnostic::at_unquoted(sev, file, (loc.line, loc.col, loc.width), msg, Some(hint))
    };
    let mut found = Vec::new();
    let as_of_month = Month::of(as_of);
    let mut lines: HashMap<Month, usize> = HashMap::new();
    for entry in entries {
        let month = entry.month.month;
        if let Some(line) = lines.get(&month) {
            found.push(at(
                Severity::Error,
                entry.at,
                format!("month {month} appears twice in this file: also at line {line}"),
                "write each month once per file: put the numbers of both entries in one".into(),
            ));
            continue;
        }
        lines.insert(month, entry.at.line);
        if month > as_of_month {
            found.push(at(
                Severity::Warning,
                entry.at,
                format!("month {month} is after the as-of month {as_of_month} (as of {as_of}), so it is left out of every page"),
                format!("build with `--as-of {}` or later to include it, or check the month", month.first_day()),
            ));
        }
        for c in merger.add(file, entry) {
            let here = Place { file: file.to_string(), loc: c.here };
            found.push(at(
                Severity::Error,
                c.here,
                format!("month {month} gives `{}` twice: in {} and in {here}", c.field.name(site), c.first),
                "a month's numbers may come from several funnel files, but each number from one: remove it from one of them".into(),
            ));
        }
    }
    crate::diagnostics::quote_lines(&mut found, text);
    diags.append(&mut found);
}

/// The checks that span a month's fields, made on the merged record (its fields may come from
/// different files): a later stage larger than the stage before it, and revenue in a month
/// that won nothing. `texts` holds each funnel file's text, to quote the line.
pub fn checks(merged: &[Merged], site: &Site, texts: &HashMap<String, String>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut warn = |place: &Place, msg: String, hint: String| {
        let l = place.loc;
        diags.push(Diagnostic::at_unquoted(Severity::Warning, &place.file, (l.line, l.col, l.width), msg, Some(hint)));
    };
    // Two channel names that differ only in case or spaces (and that site.yaml does not name)
    // are two rows: said once per pair, at the first month that has both.
    let mut pairs_seen: std::collections::HashSet<(String, String)> = Default::default();
    for m in merged {
        // Channels by their compared name: only a group of two or more is looked at.
        let mut groups: HashMap<String, Vec<&Channel>> = HashMap::new();
        for c in &m.month.channels {
            groups.entry(channel_key(&c.name)).or_default().push(c);
        }
        let mut groups: Vec<Vec<&Channel>> = groups.into_values().filter(|g| g.len() > 1).collect();
        groups.sort_by(|x, y| x[0].name.cmp(&y[0].name));
        // Where each channel is first given (in path order), once per month that needs it.
        let mut first_places: HashMap<&str, &Place> = HashMap::new();
        if !groups.is_empty() {
            for (f, p) in &m.places {
                if let Field::Channel(n, _) = f {
                    let e = first_places.entry(n.as_str()).or_insert(p);
                    if (&p.file, p.loc.line, p.loc.col) < (&e.file, e.loc.line, e.loc.col) {
                        *e = p;
                    }
                }
            }
        }
        for group in groups {
            let (a, b) = (group[0], group[1]);
            let pair = (a.name.clone(), b.name.clone());
            if pairs_seen.contains(&pair) {
                continue;
            }
            if let (Some(pa), Some(pb)) = (
                first_places.get(a.name.as_str()).copied().cloned(),
                first_places.get(b.name.as_str()).copied().cloned(),
            ) {
                let (here, other) =
                    if (&pa.file, pa.loc.line) <= (&pb.file, pb.loc.line) { (pb, pa) } else { (pa, pb) };
                warn(
                    &here,
                    format!(
                        "channels `{}` and `{}` differ only in case or spaces, so they are two channels (the other is at {other})",
                        a.name, b.name
                    ),
                    format!("write them the same, or list one under the other in site.yaml: `channels: {{{}: [{}]}}`", a.name, b.name),
                );
            }
            pairs_seen.insert(pair);
        }
        let st = &m.month.stages;
        // Adjacent stages only: a later stage larger than the one before it.
        for i in 1..st.len() {
            if let (Some(a), Some(b), Some(place)) = (st[i - 1], st[i], m.places.get(&Field::Stage(i))) {
                if b > a {
                    warn(
                        place,
                        format!(
                            "{} ({b}) is larger than {} ({a}), the stage before it",
                            site.stages[i],
                            site.stages[i - 1]
                        ),
                        "allowed for monthly flows, but check the numbers".into(),
                    );
                }
            }
        }
        if let (Some(rev), Some(Some(0)), Some(place)) = (m.month.revenue, st.last(), m.places.get(&Field::Revenue)) {
            if rev > 0.0 {
                let last = site.stages.last().map(String::as_str).unwrap_or_default();
                warn(
                    place,
                    format!(
                        "revenue is {rev} but `{last}` is 0 this month, so there is no average deal or sales velocity"
                    ),
                    format!("revenue is the value of the deals won this month: check `{last}` or `revenue`"),
                );
            }
        }
    }
    // Each file's lines quoted in one pass.
    diags.sort_by(|a, b| a.file.cmp(&b.file));
    for group in diags.chunk_by_mut(|a, b| a.file == b.file) {
        let text = texts.get(&group[0].file).map(String::as_str).unwrap_or_default();
        crate::diagnostics::quote_lines(group, text);
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChannelNames, Customers};

    fn empty(n: usize) -> FunnelMonth {
        FunnelMonth::empty(Month::parse("2026-10").unwrap(), n, "")
    }

    fn at(line: usize) -> Loc {
        Loc { line, col: 3, width: 1 }
    }

    fn channel(name: &str, n: usize) -> Channel {
        Channel { name: name.into(), stages: vec![None; n], spend: None, revenue: None }
    }

    #[test]
    fn fields_from_three_entries_make_one_month() {
        let mut site = Site::default();
        site.set_channels(vec![ChannelNames { name: "paid search".into(), aliases: vec!["Google Ads".into()] }]);
        let mut crm = empty(5);
        crm.stages = vec![Some(100), Some(40), None, None, Some(5)];
        crm.revenue = Some(50_000.0);
        let mut c = channel("paid search", 5);
        c.stages[0] = Some(60);
        crm.channels = vec![channel("events", 5), c];
        crm.channels[0].stages[4] = Some(1);
        let crm_fields = vec![
            (Field::Stage(0), at(2)),
            (Field::Stage(1), at(2)),
            (Field::Stage(4), at(2)),
            (Field::Revenue, at(3)),
            (Field::Channel("events".into(), ChannelKey::Stage(4)), at(5)),
            (Field::Channel("paid search".into(), ChannelKey::Stage(0)), at(6)),
        ];
        let mut ads = empty(5);
        ads.spend_marketing = Some(9_000.0);
        let mut c = channel("paid search", 5);
        c.spend = Some(6_000.0);
        ads.channels = vec![c];
        let ads_fields =
            vec![(Field::SpendMarketing, at(2)), (Field::Channel("paid search".into(), ChannelKey::Spend), at(4))];
        let mut finance = empty(5);
        finance.spend_sales = Some(20_000.0);
        finance.customers = Some(Customers { start: 10, new: 5, lost: 1 });
        let mut m = Merger::default();
        assert!(m.add("content/funnel/crm.yaml", Entry { month: crm, at: at(1), fields: crm_fields }).is_empty());
        assert!(m.add("content/funnel/ads.yaml", Entry { month: ads, at: at(1), fields: ads_fields }).is_empty());
        let fin_fields = vec![(Field::SpendSales, at(2)), (Field::Customers, at(3))];
        assert!(m.add("content/funnel/fin.yaml", Entry { month: finance, at: at(1), fields: fin_fields }).is_empty());
        let out = m.finish(&site);
        assert_eq!(out.len(), 1);
        let fm = &out[0].month;
        assert_eq!(fm.stages, vec![Some(100), Some(40), None, None, Some(5)]);
        assert_eq!((fm.revenue, fm.spend_marketing, fm.spend_sales), (Some(50_000.0), Some(9_000.0), Some(20_000.0)));
        assert_eq!(fm.customers, Some(Customers { start: 10, new: 5, lost: 1 }));
        // The named channel first, then the others by name; one channel from two files.
        let names: Vec<&str> = fm.channels.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["paid search", "events"]);
        assert_eq!((fm.channels[0].stages[0], fm.channels[0].spend), (Some(60), Some(6_000.0)));
        assert_eq!(out[0].first.to_string(), "content/funnel/crm.yaml:1:3");
        assert_eq!(out[0].places[&Field::SpendSales].file, "content/funnel/fin.yaml");
    }

    #[test]
    fn a_field_given_twice_is_a_conflict_and_keeps_the_first_value() {
        let mut a = empty(5);
        a.revenue = Some(1.0);
        let mut b = empty(5);
        b.revenue = Some(2.0);
        b.spend_sales = Some(3.0);
        let mut m = Merger::default();
        assert!(m.add("a.yaml", Entry { month: a, at: at(1), fields: vec![(Field::Revenue, at(4))] }).is_empty());
        let conflicts = m.add(
            "b.yaml",
            Entry { month: b, at: at(1), fields: vec![(Field::Revenue, at(7)), (Field::SpendSales, at(8))] },
        );
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].field.name(&Site::default()), "revenue");
        assert_eq!(conflicts[0].first.to_string(), "a.yaml:4:3");
        assert_eq!(conflicts[0].here, at(7));
        let out = m.finish(&Site::default());
        assert_eq!((out[0].month.revenue, out[0].month.spend_sales), (Some(1.0), Some(3.0)));
    }
}
