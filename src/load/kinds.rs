//! One reader per kind of YAML content file: site settings, funnel months, goals, the
//! checklist and personas (meetings and commentaries, markdown files, are in `notes.rs`). Each deserializes the file's typed records
//! ([`super::content`], through [`super::de`]), then checks every rule of the contract that
//! spans fields (a stage the site does not know, a due month before the start) at the
//! positions the records kept, and keeps going after a mistake.

use super::content;
use super::de::{self, At, List, Loc, Text};
use super::merge::{ChannelKey, Entry, Field};
use super::reader::{suggest, FileReader};
use super::yaml::{self, Node, Value};
use crate::diagnostics::{Diagnostic, Kind, Severity};
use crate::model::calendar::Month;
use crate::model::*;

/// Parses a file's YAML, reporting a syntax error as a diagnostic.
pub fn parse_yaml(r: &mut FileReader, text: &str, line_offset: usize) -> Option<Node> {
    match yaml::parse(text, line_offset) {
        Ok(Some(n)) => Some(n),
        // Settings files may be empty (every key is optional); an empty list file is a slip.
        Ok(None) if r.rel.ends_with("site.yaml") || r.rel.ends_with("site.yml") || r.rel.contains("checklist.y") => {
            None
        }
        Ok(None) => {
            r.diags.push(Diagnostic::file_level(
                Severity::Warning,
                &r.rel.clone(),
                "this file is empty",
                Some("add content or delete the file".into()),
            ));
            None
        }
        Err(e) => {
            yaml_error(r, e);
            None
        }
    }
}

pub(super) fn yaml_error(r: &mut FileReader, e: yaml::YamlError) {
    let d = Diagnostic::at(Severity::Error, &r.rel, r.src, e.pos.line, e.pos.col, 1, e.message, Some(e.hint))
        .with_kind(Kind::Syntax);
    r.diags.push(d);
}

pub(super) fn items<'n>(r: &mut FileReader, n: &'n Node, what: &str, example: &str) -> &'n [Node] {
    match &n.value {
        Value::Seq(items) => items,
        _ => {
            r.error(
                n,
                format!("expected a list of {what}, found {}", n.kind_name()),
                format!("start each entry with `- `, like `{example}`"),
            );
            &[]
        }
    }
}

/// Why `url` cannot be the site's base address (site.yaml `base_url` or `--base-url`), or
/// `None`: it must be an absolute `http(s)://host/...` address without spaces, quotes, angle
/// brackets or control characters, since it is written into `feed.xml` and `sitemap.xml`.
pub fn base_url_problem(url: &str) -> Option<&'static str> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else { return Some("must be an absolute http(s) address") };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') || host.contains('@') {
        return Some("must name a host after `://` (and no user name)");
    }
    if url.chars().any(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`' | '{' | '}' | '|' | '^')
    }) {
        return Some(
            "must not contain spaces, quotes, angle brackets, backslashes or control characters (percent-encode them)",
        );
    }
    if url.contains('?') || url.contains('#') {
        return Some("must not have a query (`?`) or fragment (`#`): page paths are added after it");
    }
    None
}

/// Longest stage label: labels repeat on every page and chart, so 5 MB of labels would
/// make hundreds of megabytes of site.
pub const MAX_LABEL_CHARS: usize = 80;

/// Most funnel stages: each is repeated on every page, chart and table of the site.
pub const MAX_STAGES: usize = 30;

/// Longest site title or organization name: both are in every page's header.
pub const MAX_TITLE_CHARS: usize = 200;

/// Reads `content/site.yaml`, filling in defaults. Also returns where `theme:` was written,
/// to point at it when the theme does not exist.
pub fn site(r: &mut FileReader, n: &Node) -> (Site, Option<Loc>) {
    let mut s = Site::default();
    let Some(file) = de::read::<content::SiteFile>(r, n, "site settings") else { return (s, None) };
    // Both are on every page: a pasted megabyte would make a site of tens of megabytes.
    let mut shown_everywhere = |field: Option<At<Text>>, what: &str| {
        let At { value: Text(v), loc, .. } = field?;
        let n = v.as_ref()?.chars().count();
        if n > MAX_TITLE_CHARS {
            r.error_at(
                loc,
                format!(
                    "the site's {what} is {n} characters long; it is shown on every page, so at most {MAX_TITLE_CHARS}"
                ),
                "shorten it; put longer text in a monthly commentary (content/reports/YYYY-MM.md)",
            );
            return None;
        }
        v
    };
    if let Some(v) = shown_everywhere(file.title, "title") {
        s.title = v;
    }
    s.organization = shown_everywhere(file.organization, "organization");
    if let Some(At { value: Text(Some(u)), loc, .. }) = file.base_url {
        match base_url_problem(&u) {
            None => s.base_url = Some(u),
            Some(problem) => r.error_at(
                loc,
                format!("base_url {problem}, found `{}`", crate::diagnostics::escape_controls(&u)),
                "write it like `https://intranet.example/smarketing/`",
            ),
        }
    }
    for item in file.keep_in_output.unwrap_or_default() {
        let Some(path) = item.value.0 else { continue };
        match super::keep::keep_path_problem(&path) {
            Some(problem) => r.error_at(
                item.loc,
                format!("keep_in_output: `{path}` {problem}"),
                "list paths inside the output folder, like `.git` or `CNAME`",
            ),
            None => s.keep_in_output.push(path.trim_end_matches('/').to_string()),
        }
    }
    s.set_channels(channel_names(r, file.channels.unwrap_or_default()));
    let theme_at = file.theme.as_ref().map(|t| t.loc);
    if let Some(v) = file.theme.and_then(|t| t.value.0) {
        s.theme = v;
    }
    if let Some(At { value: Text(Some(c)), loc, .. }) = file.currency {
        if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()) {
            s.currency = c;
        } else {
            r.error_at(
                loc,
                format!("currency must be a three-letter ISO code, found `{c}`"),
                "write it like `USD` or `EUR`",
            );
        }
    }
    for (key, team) in file.teams.unwrap_or_default().0 {
        let At { value: key, loc: key_at, .. } = key;
        if !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_') || key.is_empty()
        {
            r.error_at(
                key_at,
                format!("`{key}` is not a valid team key"),
                "use lowercase letters, digits, `-` and `_`",
            );
            continue;
        }
        let name = team.name.and_then(|t| t.0).unwrap_or_else(|| default_stage_label(&key));
        let members: Vec<String> = team.members.unwrap_or_default().into_iter().filter_map(|t| t.0).collect();
        match s.teams.iter_mut().find(|x| x.key == key) {
            Some(existing) => {
                existing.name = name;
                existing.members = members;
            }
            None => s.teams.push(Team { key, name, members }),
        }
    }
    if let Some(At { value: List(Some(items)), loc, .. }) = file.stages {
        let mut ids = Vec::new();
        let mut ok = true;
        for item in items {
            match item.value.0 {
                Some(id) if id == "spend" => {
                    r.error_at(
                        item.loc,
                        "a stage cannot be called `spend`",
                        "`spend` is reserved for channel spend; pick another id",
                    );
                    ok = false;
                }
                Some(id) if ids.contains(&id) => {
                    r.error_at(item.loc, format!("stage `{id}` is listed twice"), "list each stage once");
                    ok = false;
                }
                Some(id) => ids.push(id),
                None => ok = false,
            }
        }
        if ok && ids.len() < 2 {
            r.error_at(
                loc,
                "a funnel needs at least two stages",
                "list the stages in order, like `[leads, mql, sql, opportunities, won]`",
            );
        } else if ok && ids.len() > MAX_STAGES {
            // Every page, chart and table repeats each stage: 3,000 stages made a 279 MB site.
            r.error_at(
                loc,
                format!("this funnel has {} stages; at most {MAX_STAGES} can be shown", ids.len()),
                "keep the stages a deal passes through (a CRM's funnel has 4 to 10); other steps belong in a stage's `when` or in a report's commentary",
            );
        } else if ok {
            s.qualified_stage = ids.iter().position(|x| x == "mql").unwrap_or(1);
            s.stage_labels = ids.iter().map(|x| default_stage_label(x)).collect();
            s.stages = ids;
        }
    }
    for (key, label) in file.stage_labels.unwrap_or_default().0 {
        match s.stage_index(&key.value) {
            Some(i) => {
                let Some(l) = label.value.0 else { continue };
                // A label is shown on every page and chart: a long one multiplies.
                let n = l.chars().count();
                if n > MAX_LABEL_CHARS {
                    r.error_at(
                        label.loc,
                        format!("this stage label is {n} characters long; at most {MAX_LABEL_CHARS} are shown"),
                        "use a short name, like `MQL`; explain it in a report's commentary",
                    );
                } else {
                    s.stage_labels[i] = l;
                }
            }
            None => unknown_stage(r, key.loc, &key.value, &s),
        }
    }
    if let Some(At { value: Text(Some(id)), loc, .. }) = file.qualified_stage {
        match s.stage_index(&id) {
            Some(i) => s.qualified_stage = i,
            None => unknown_stage(r, loc, &id, &s),
        }
    }
    if let Some(v) = file.min_joint_meetings.and_then(|c| c.0) {
        s.min_joint_meetings = v;
    }
    (s, theme_at)
}

/// Reads site.yaml `channels:` (display name -> other names). A name that stands for two
/// channels is an error at its second place: which channel its numbers belong to would be a
/// guess.
fn channel_names(r: &mut FileReader, entries: de::Entries<At<List<At<Text>>>>) -> Vec<ChannelNames> {
    let mut out: Vec<ChannelNames> = Vec::new();
    // Each name (compared without case and surrounding spaces) -> its channel and line.
    let mut seen: std::collections::HashMap<String, (String, usize)> = std::collections::HashMap::new();
    for (name, aliases) in entries.0 {
        let display = name.value.trim().to_string();
        if display.is_empty() {
            r.error_at(name.loc, "a channel's name is empty", "write the name shown on pages, like `paid search`");
            continue;
        }
        let mut claim = |r: &mut FileReader, written: &str, at: Loc| -> bool {
            let key = channel_key(written);
            match seen.get(&key) {
                Some((owner, _)) if *owner == display => false,
                Some((owner, line)) => {
                    r.error_at(
                        at,
                        format!(
                            "`{}` stands for two channels: `{owner}` (line {line}) and `{display}`",
                            written.trim()
                        ),
                        "list each name under one channel: numbers under it would otherwise go to a guessed one",
                    );
                    false
                }
                None => {
                    seen.insert(key, (display.clone(), at.line));
                    true
                }
            }
        };
        if !claim(r, &display, name.loc) {
            continue;
        }
        let mut names = ChannelNames { name: display.clone(), aliases: Vec::new() };
        for alias in aliases.value.0.unwrap_or_default() {
            let Some(a) = alias.value.0 else { continue };
            if a.trim().is_empty() {
                r.error_at(alias.loc, "an empty channel name", "remove it, or write the name an export uses");
            } else if claim(r, &a, alias.loc) {
                names.aliases.push(a.trim().to_string());
            }
        }
        out.push(names);
    }
    out
}

pub(super) fn unknown_stage(r: &mut FileReader, at: Loc, id: &str, s: &Site) {
    let known: Vec<&str> = s.stages.iter().map(String::as_str).collect();
    let hint = match suggest(id, &known) {
        Some(k) => format!("did you mean `{k}`? The stages are {}", known.join(", ")),
        None => format!("the stages are {} (set in content/site.yaml `stages:`)", known.join(", ")),
    };
    r.error_at(at, format!("unknown stage `{id}`"), hint);
}

/// Reads a funnel file: a list of month entries, each with where its `month:` is and where
/// each field it gives was written. Months merge across files afterwards ([`super::merge`]);
/// the checks that span fields (a later stage larger than an earlier one) are made on the
/// merged month.
pub fn funnel(r: &mut FileReader, n: &Node, s: &Site) -> Vec<Entry> {
    let mut out = Vec::new();
    for item in items(r, n, "months", "- month: 2026-10") {
        let errors_before = r.error_count();
        let Some(e) = de::read::<content::FunnelMonthEntry>(r, item, "funnel month") else { continue };
        let mut fields: Vec<(Field, Loc)> = Vec::new();
        let mut stages = vec![None; s.stages.len()];
        for (key, count) in e.stages.map(|st| st.value.0).unwrap_or_default() {
            match s.stage_index(&key.value) {
                Some(i) => {
                    stages[i] = count.value.0;
                    if stages[i].is_some() {
                        fields.push((Field::Stage(i), key.loc));
                    }
                }
                None => unknown_stage(r, key.loc, &key.value, s),
            }
        }
        let mut amount = |a: Option<At<de::Amount>>, field: Field| {
            let a = a?;
            let v = a.value.0?;
            fields.push((field, a.loc));
            Some(v)
        };
        let revenue = amount(e.revenue, Field::Revenue);
        let pipeline_created = amount(e.pipeline_created, Field::PipelineCreated);
        let pipeline_open = amount(e.pipeline_open, Field::PipelineOpen);
        let (spend_marketing, spend_sales) = match e.spend {
            Some(sp) => (amount(sp.marketing, Field::SpendMarketing), amount(sp.sales, Field::SpendSales)),
            None => (None, None),
        };
        let sales_cycle_days = amount(e.sales_cycle_days, Field::SalesCycleDays);
        let days_to_mql = amount(e.days_to_mql, Field::DaysToMql);
        let lead_response_hours = amount(e.lead_response_hours, Field::LeadResponseHours);
        let lost = e.lost.and_then(|a| {
            let v = a.value.0?;
            fields.push((Field::Lost, a.loc));
            Some(v)
        });
        let mut customers = None;
        if let Some(c) = e.customers {
            if let (Some(start), Some(new), Some(lost)) = (c.value.start.0, c.value.new.0, c.value.lost.value.0) {
                let at = c.value.lost.loc;
                if lost > start.saturating_add(new) {
                    // More lost than there ever were: the retention rate would be below -100%.
                    r.error_at(
                        at,
                        format!("customers.lost ({lost}) is more than start plus new ({start} + {new})"),
                        "a month cannot lose more customers than it had; check the numbers",
                    );
                } else {
                    if lost > start {
                        r.warn_at(
                            at,
                            format!("customers.lost ({lost}) is more than customers.start ({start}), so the retention rate is below 0"),
                            "fine if customers won this month also left this month; otherwise check the numbers",
                        );
                    }
                    customers = Some(Customers { start, new, lost });
                    fields.push((Field::Customers, c.loc));
                }
            }
        }
        let mut channels: Vec<Channel> = Vec::new();
        let mut channel_pos: std::collections::HashMap<String, usize> = Default::default();
        let mut channel_fields: std::collections::HashSet<Field> = Default::default();
        for (name, counts) in e.by_channel.unwrap_or_default().0 {
            let resolved = s.channel_name(&name.value);
            // Two names of one channel in one entry (an alias and its display name) are one
            // channel: its keys merge like those of two files.
            let pos = match channel_pos.get(&resolved) {
                Some(p) => *p,
                None => {
                    channel_pos.insert(resolved.clone(), channels.len());
                    channels.push(Channel {
                        name: resolved.clone(),
                        stages: vec![None; s.stages.len()],
                        spend: None,
                        revenue: None,
                    });
                    channels.len() - 1
                }
            };
            for (key, v) in counts.0 {
                let ck = match key.value.as_str() {
                    "spend" => ChannelKey::Spend,
                    "revenue" => ChannelKey::Revenue,
                    id => match s.stage_index(id) {
                        Some(i) => ChannelKey::Stage(i),
                        None => {
                            unknown_channel_key(r, key.loc, id, s);
                            continue;
                        }
                    },
                };
                let field = Field::Channel(resolved.clone(), ck);
                if !channel_fields.insert(field.clone()) {
                    // The same key under two names of the channel in this entry.
                    r.error_at(
                        key.loc,
                        format!("`{}` is given twice in this month: `{}` is the channel `{resolved}`, named twice in `by_channel`", field.name(s), name.value),
                        "write each channel once per month (site.yaml `channels:` lists its other names)",
                    );
                    continue;
                }
                let Some(x) = v.value.0 else { continue };
                let c = &mut channels[pos];
                match ck {
                    ChannelKey::Spend => c.spend = Some(x),
                    ChannelKey::Revenue => c.revenue = Some(x),
                    ChannelKey::Stage(i) => match whole(r, x, v.loc, id_of(s, i)) {
                        Some(w) => c.stages[i] = Some(w),
                        None => continue,
                    },
                }
                fields.push((field, key.loc));
            }
        }
        if let Some(month) = e.month.value.0 {
            if fields.is_empty() && r.error_count() == errors_before {
                r.warn_at(
                    e.month.loc,
                    format!("month {month} gives no numbers, so it is left out"),
                    "add the month's stage counts, spend or revenue, or remove the entry",
                );
                continue;
            }
            out.push(Entry {
                month: FunnelMonth {
                    month,
                    stages,
                    revenue,
                    lost,
                    pipeline_created,
                    pipeline_open,
                    spend_marketing,
                    spend_sales,
                    customers,
                    sales_cycle_days,
                    days_to_mql,
                    lead_response_hours,
                    channels,
                    file: r.rel.clone(),
                },
                at: e.month.loc,
                fields,
            });
        }
    }
    out
}

fn id_of(s: &Site, i: usize) -> &str {
    s.stages.get(i).map(String::as_str).unwrap_or_default()
}

/// A key of a channel that is neither a stage, `spend` nor `revenue`.
fn unknown_channel_key(r: &mut FileReader, at: Loc, id: &str, s: &Site) {
    let mut known: Vec<&str> = s.stages.iter().map(String::as_str).collect();
    known.extend(["spend", "revenue"]);
    let hint = match suggest(id, &known) {
        Some(k) => {
            format!("did you mean `{k}`? A channel takes the stages ({}), `spend` and `revenue`", s.stages.join(", "))
        }
        None => format!(
            "a channel takes the stages ({}, set in content/site.yaml `stages:`), `spend` and `revenue`",
            s.stages.join(", ")
        ),
    };
    r.error_at(at, format!("unknown stage `{id}`"), hint);
}

/// A channel's stage count: read as an amount (a channel also holds `spend`), so it must be
/// whole here.
fn whole(r: &mut FileReader, x: f64, at: Loc, stage: &str) -> Option<u64> {
    if x.fract() == 0.0 && x > super::reader::MAX_COUNT as f64 {
        r.error_at(
            at,
            super::reader::too_large(&format!("stage `{stage}`"), &x.to_string()),
            super::reader::TOO_LARGE_HINT,
        );
        return None;
    }
    if x.fract() == 0.0 && x >= 0.0 {
        return Some(x as u64);
    }
    r.error_at(
        at,
        format!("expected a whole number of 0 or more for stage `{stage}`, found `{x}`"),
        "counts are written as digits, like `1900`",
    );
    None
}

/// Parses a metric name against the site's stages.
pub fn parse_metric(name: &str, s: &Site) -> Result<Metric, String> {
    let parts: Vec<&str> = name.split('.').collect();
    let stage = |id: &str| {
        s.stage_index(id)
            .ok_or_else(|| format!("unknown stage `{id}` in metric `{name}`; the stages are {}", s.stages.join(", ")))
    };
    match parts.as_slice() {
        ["stage", id] => Ok(Metric::Stage(stage(id)?)),
        ["conversion", a, b] => {
            let (ia, ib) = (stage(a)?, stage(b)?);
            if ia >= ib {
                return Err(format!("`{a}` must come before `{b}` in the funnel for a conversion"));
            }
            Ok(Metric::Conversion(ia, ib))
        }
        ["revenue"] => Ok(Metric::Revenue),
        ["cac"] => Ok(Metric::Cac),
        ["cost_per_lead"] => Ok(Metric::CostPerLead),
        ["retention"] => Ok(Metric::Retention),
        ["sales_cycle_days"] => Ok(Metric::SalesCycleDays),
        ["days_to_mql"] => Ok(Metric::DaysToMql),
        ["lead_response_hours"] => Ok(Metric::LeadResponseHours),
        ["lead_velocity_rate"] => Ok(Metric::LeadVelocityRate),
        _ => {
            let mut known: Vec<&str> = METRIC_NAMES.to_vec();
            known.extend(["stage", "conversion"]);
            let hint = match suggest(name, &known) {
                Some(k) => format!("did you mean `{k}`? "),
                None => String::new(),
            };
            Err(format!(
                "{hint}metrics are `stage.<id>`, `conversion.<a>.<b>`, {}",
                METRIC_NAMES.map(|m| format!("`{m}`")).join(", ")
            ))
        }
    }
}

/// Reads a goals file. Returns each goal with where its `id:` is.
/// Check-ins after `as_of` (the as-of month) are left out with a warning.
pub fn goals(r: &mut FileReader, n: &Node, s: &Site, as_of: Month) -> Vec<(Goal, Loc)> {
    let mut out = Vec::new();
    for item in items(r, n, "goals", "- id: mql-to-sql") {
        // Whether the goal can be taken: not with a wrong owner, metric, unit or status.
        let mut ok = true;
        let Some(g) = de::read::<content::GoalEntry>(r, item, "goal") else { continue };
        let mut owners: Vec<String> = Vec::new();
        let written = g.owners.value.0.as_deref().unwrap_or_default();
        if g.owners.key.is_some() && g.owners.value.0.as_ref().is_some_and(|o| o.is_empty()) {
            r.error_at(g.owners.loc, "a goal needs at least one owner", "list team keys, like `[marketing, sales]`");
            ok = false;
        }
        for o in written {
            let Some(key) = o.value.0.clone() else {
                ok = false;
                continue;
            };
            if owners.contains(&key) {
                r.error_at(o.loc, format!("owner `{key}` is listed twice"), "list each team once");
                ok = false;
            } else if s.team(&key).is_some() {
                owners.push(key);
            } else {
                let keys: Vec<&str> = s.teams.iter().map(|t| t.key.as_str()).collect();
                let hint = match suggest(&key, &keys) {
                    Some(k) => format!("did you mean `{k}`? Owners are team keys: {}", keys.join(", ")),
                    None => format!("owners are team keys from content/site.yaml: {}", keys.join(", ")),
                };
                r.error_at(o.loc, format!("unknown team `{key}`"), hint);
                ok = false;
            }
        }
        let mut metric = None;
        if let Some(At { value: Text(Some(name)), loc, .. }) = &g.metric {
            match parse_metric(name, s) {
                Ok(m) => metric = Some((m, name.clone())),
                Err(hint) => {
                    r.error_at(*loc, format!("unknown metric `{name}`"), hint);
                    ok = false;
                }
            }
        }
        // (v2) The unit defaults to the metric's own (docs/figures.md#goals), else `number`.
        let natural = metric.as_ref().map(|(m, _): &(Metric, String)| m.natural_unit());
        let unit = match &g.unit {
            None => Some(natural.unwrap_or(Unit::Number)),
            Some(At { value: Text(None), .. }) => None,
            Some(At { value: Text(Some(name)), loc, .. }) => match name.as_str() {
                "percent" => Some(Unit::Percent),
                "count" => Some(Unit::Count),
                "money" => Some(Unit::Money),
                "days" => Some(Unit::Days),
                "hours" => Some(Unit::Hours),
                "number" => Some(Unit::Number),
                _ => {
                    let hint = match suggest(name, &UNIT_NAMES) {
                        Some(k) => format!("did you mean `{k}`? "),
                        None => String::new(),
                    } + "units are percent, count, money, days, hours, number";
                    r.error_at(*loc, format!("unknown unit `{name}`"), hint);
                    None
                }
            },
        };
        if let (Some(u), Some(nat), Some(un), Some((_, name))) = (unit, natural, &g.unit, &metric) {
            if u != nat {
                r.warn_at(
                    un.loc,
                    format!("unit `{}` differs from the unit of `{name}`, which is `{}`", u.name(), nat.name()),
                    format!("remove `unit:` to show the goal in {}, or check the metric", nat.name()),
                );
            }
        }
        let (baseline, target) = (g.baseline.value.0, g.target.value.0);
        // Values a percent goal holds: whole percents are errors or a warning (fractions.rs).
        let mut percent_values: Vec<super::fractions::PercentValue> = Vec::new();
        if let Some(b) = baseline {
            percent_values.push(("baseline", b, g.baseline.loc));
        }
        if let Some(t) = target {
            percent_values.push(("target", t, g.target.loc));
        }
        if let (Some(b), Some(t)) = (baseline, target) {
            if b == t {
                r.error_at(
                    g.target.loc,
                    "target equals baseline, so progress cannot be measured",
                    "set a target different from the baseline",
                );
                ok = false;
            }
        }
        let (start, due) = (g.start.0, g.due.value.0);
        if let (Some(st), Some(du)) = (start, due) {
            if du < st {
                r.error_at(
                    g.due.loc,
                    format!("due ({du}) is before start ({st})"),
                    "a goal is due on or after its start month",
                );
                ok = false;
            }
        }
        let status = match &g.status {
            None | Some(At { value: Text(None), .. }) => None,
            Some(At { value: Text(Some(name)), loc, .. }) => match name.as_str() {
                "on_track" => Some(Status::OnTrack),
                "at_risk" => Some(Status::AtRisk),
                "off_track" => Some(Status::OffTrack),
                "done" => Some(Status::Done),
                _ => {
                    let hint = match suggest(name, &STATUS_NAMES) {
                        Some(k) => format!("did you mean `{k}`? "),
                        None => String::new(),
                    } + "a status override is on_track, at_risk, off_track or done";
                    r.error_at(*loc, format!("unknown status `{name}`"), hint);
                    ok = false;
                    None
                }
            },
        };
        let mut checkins: Vec<Checkin> = Vec::new();
        if let Some(list) = &g.checkins {
            if metric.is_some() {
                r.warn_at(
                    list.key.unwrap_or(list.loc),
                    "this goal has a `metric`, so its check-ins are ignored",
                    "remove the check-ins, or remove `metric` to track the goal by check-ins",
                );
            }
            for c in &list.value {
                let c = &c.value;
                if let Some(v) = c.value.value.0 {
                    percent_values.push(("check-in value", v, c.value.loc));
                }
                let (Some(month), Some(value)) = (c.month.value.0, c.value.value.0) else { continue };
                let mnode = c.month.loc;
                if checkins.iter().any(|x| x.month == month) {
                    r.error_at(mnode, format!("two check-ins for {month}"), "keep one check-in per month");
                    continue;
                }
                let outside = match (start, due) {
                    (Some(st), Some(du)) if month < st || month > du => format!(" is outside the goal's {st}..{du}"),
                    _ => String::new(),
                };
                if month > as_of {
                    let and = if outside.is_empty() { "" } else { " and" };
                    r.warn_at(
                        mnode,
                        format!("check-in month {month}{outside}{and} is after the as-of month {as_of}, so it is left out of every page"),
                        format!("build with `--as-of {}` or later to include it, or check the month", month.first_day()),
                    );
                    continue;
                }
                if !outside.is_empty() {
                    r.warn_at(mnode, format!("check-in month {month}{outside}"), "it still counts; check the month");
                }
                checkins.push(Checkin { month, value, note: c.note.clone().and_then(|t| t.0) });
            }
        }
        checkins.sort_by_key(|c| c.month);
        let metric_unit = metric.as_ref().map(|(m, name)| (name.as_str(), m.natural_unit()));
        ok &= super::fractions::check(r, &percent_values, unit, metric_unit);
        if let (true, Some(id), Some(title), Some(unit), Some(baseline), Some(target), Some(start), Some(due)) =
            (ok, g.id.value.0, g.title.0, unit, baseline, target, start, due)
        {
            out.push((
                Goal {
                    id,
                    title,
                    owners,
                    metric,
                    unit,
                    baseline,
                    target,
                    start,
                    due,
                    status,
                    checkins,
                    file: r.rel.clone(),
                },
                g.id.loc,
            ));
        }
    }
    out
}

/// Reads `content/checklist.yaml`: extra items and monthly assessments.
pub fn checklist(r: &mut FileReader, n: &Node) -> (Vec<ChecklistItem>, Vec<ChecklistMonth>) {
    let mut extra: Vec<ChecklistItem> = Vec::new();
    let mut months: Vec<ChecklistMonth> = Vec::new();
    let Some(file) = de::read::<content::ChecklistFile>(r, n, "checklist") else { return (extra, months) };
    for it in file.items.unwrap_or_default() {
        let (Some(id), Some(text)) = (it.id.value.0, it.text.0) else { continue };
        if TAKEAWAYS.iter().any(|t| t.0 == id) || extra.iter().any(|x| x.id == id) {
            r.error_at(
                it.id.loc,
                format!("checklist item `{id}` already exists"),
                "the five takeaways are built in; give extra items their own ids",
            );
            continue;
        }
        extra.push(ChecklistItem { id, text });
    }
    let mut known: Vec<String> = TAKEAWAYS.iter().map(|t| t.0.to_string()).collect();
    known.extend(extra.iter().map(|x| x.id.clone()));
    for m in file.months.unwrap_or_default() {
        let mut checked = Vec::new();
        for c in m.checked.unwrap_or_default() {
            let Some(id) = c.value.0 else { continue };
            if checked.contains(&id) {
                r.error_at(c.loc, format!("`{id}` is checked twice in this month"), "list each item once");
            } else if known.contains(&id) {
                checked.push(id);
            } else {
                let k: Vec<&str> = known.iter().map(String::as_str).collect();
                let hint = match suggest(&id, &k) {
                    Some(s) => format!("did you mean `{s}`? Items are {}", k.join(", ")),
                    None => format!("items are {}", k.join(", ")),
                };
                r.error_at(c.loc, format!("unknown checklist item `{id}`"), hint);
            }
        }
        let Some(month) = m.month.value.0 else { continue };
        if months.iter().any(|x| x.month == month) {
            r.error_at(m.month.loc, format!("{month} is assessed twice"), "keep one entry per month");
            continue;
        }
        let at = (m.month.loc.line, m.month.loc.col);
        months.push(ChecklistMonth { month, checked, note: m.note.and_then(|t| t.0), at });
    }
    months.sort_by_key(|m| m.month);
    (extra, months)
}

/// Reads a personas file. Returns each persona with where its `id:` is.
pub fn personas(r: &mut FileReader, n: &Node) -> Vec<(Persona, Loc)> {
    let mut out = Vec::new();
    for item in items(r, n, "personas", "- id: ops-lead") {
        let Some(p) = de::read::<content::PersonaEntry>(r, item, "persona") else { continue };
        if let (Some(id), Some(name)) = (p.id.value.0, p.name.0) {
            let persona = Persona {
                id,
                name,
                segment: p.segment.and_then(|t| t.0),
                sources: texts(p.sources),
                pains: texts(p.pains),
                goals: texts(p.goals),
                channels: texts(p.channels),
            };
            out.push((persona, p.id.loc));
        }
    }
    out
}

/// The texts of a list that were read (a wrong one is reported where it is).
pub(super) fn texts(list: Option<Vec<Text>>) -> Vec<String> {
    list.unwrap_or_default().into_iter().filter_map(|t| t.0).collect()
}
