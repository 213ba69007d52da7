//! One reader per kind of content file: site settings, funnel months, goals, meetings,
//! the checklist, personas and commentaries. Each checks every rule of the contract that can
//! be checked inside one file and keeps going after a mistake.

use super::reader::{suggest, FileReader};
use super::split_front_matter;
use super::yaml::{self, Node, Value};
use crate::diagnostics::{Diagnostic, Severity};
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
            let d = Diagnostic::at(Severity::Error, &r.rel, r.src, e.pos.line, e.pos.col, 1, e.message, Some(e.hint));
            r.diags.push(d);
            None
        }
    }
}

fn items<'n>(r: &mut FileReader, n: &'n Node, what: &str, example: &str) -> &'n [Node] {
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

/// The fields `content/site.yaml` knows (also the JSON Schema's).
pub const SITE_FIELDS: [&str; 11] = [
    "title",
    "organization",
    "base_url",
    "theme",
    "currency",
    "teams",
    "stages",
    "stage_labels",
    "qualified_stage",
    "min_joint_meetings",
    "keep_in_output",
];

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

/// Reads `content/site.yaml`, filling in defaults.
pub fn site(r: &mut FileReader, n: &Node) -> Site {
    let mut s = Site::default();
    let Some(f) = r.fields(n, "site settings", &SITE_FIELDS) else {
        return s;
    };
    if let Some(v) = f.get("title").and_then(|v| r.text(v, "title")) {
        s.title = v;
    }
    s.organization = f.get("organization").and_then(|v| r.text(v, "organization"));
    if let Some(v) = f.get("base_url") {
        if let Some(u) = r.text(v, "base_url") {
            match base_url_problem(&u) {
                None => s.base_url = Some(u),
                Some(problem) => r.error(
                    v,
                    format!("base_url {problem}, found `{}`", crate::diagnostics::escape_controls(&u)),
                    "write it like `https://intranet.example/smarketing/`",
                ),
            }
        }
    }
    if let Some(v) = f.get("keep_in_output") {
        for item in r.list(v, "keep_in_output").unwrap_or_default() {
            let Some(path) = r.text(item, "keep_in_output") else { continue };
            match crate::write::keep_path_problem(&path) {
                Some(problem) => r.error(
                    item,
                    format!("keep_in_output: `{path}` {problem}"),
                    "list paths inside the output folder, like `.git` or `CNAME`",
                ),
                None => s.keep_in_output.push(path.trim_end_matches('/').to_string()),
            }
        }
    }
    if let Some(v) = f.get("theme").and_then(|v| r.id(v, "theme name", "_")) {
        s.theme = v;
    }
    if let Some(v) = f.get("currency") {
        if let Some(c) = r.text(v, "currency") {
            if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()) {
                s.currency = c;
            } else {
                r.error(
                    v,
                    format!("currency must be a three-letter ISO code, found `{c}`"),
                    "write it like `USD` or `EUR`",
                );
            }
        }
    }
    if let Some(v) = f.get("teams") {
        if let Some(tf) = r.fields_any(v, "teams") {
            for (key, knode, tnode) in tf {
                let Some(key) = key else { continue };
                if !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
                    || key.is_empty()
                {
                    r.error(
                        knode,
                        format!("`{key}` is not a valid team key"),
                        "use lowercase letters, digits, `-` and `_`",
                    );
                    continue;
                }
                let Some(t) = r.fields(tnode, "team", &["name", "members"]) else {
                    continue;
                };
                let name =
                    t.get("name").and_then(|v| r.text(v, "team name")).unwrap_or_else(|| default_stage_label(&key));
                let members = t.get("members").and_then(|v| r.text_list(v, "members")).unwrap_or_default();
                match s.teams.iter_mut().find(|x| x.key == key) {
                    Some(existing) => {
                        existing.name = name;
                        existing.members = members;
                    }
                    None => s.teams.push(Team { key, name, members }),
                }
            }
        }
    }
    if let Some(v) = f.get("stages") {
        if let Some(list) = r.list(v, "stages") {
            let mut ids = Vec::new();
            let mut ok = true;
            for item in list {
                match r.id(item, "stage id", "_") {
                    Some(id) if id == "spend" => {
                        r.error(
                            item,
                            "a stage cannot be called `spend`",
                            "`spend` is reserved for channel spend; pick another id",
                        );
                        ok = false;
                    }
                    Some(id) if ids.contains(&id) => {
                        r.error(item, format!("stage `{id}` is listed twice"), "list each stage once");
                        ok = false;
                    }
                    Some(id) => ids.push(id),
                    None => ok = false,
                }
            }
            if ok && ids.len() < 2 {
                r.error(
                    v,
                    "a funnel needs at least two stages",
                    "list the stages in order, like `[leads, mql, sql, opportunities, won]`",
                );
            } else if ok {
                s.qualified_stage = ids.iter().position(|x| x == "mql").unwrap_or(1);
                s.stage_labels = ids.iter().map(|x| default_stage_label(x)).collect();
                s.stages = ids;
            }
        }
    }
    if let Some(v) = f.get("stage_labels") {
        if let Some(entries) = r.fields_any(v, "stage_labels") {
            for (key, knode, lnode) in entries {
                let Some(key) = key else { continue };
                match s.stage_index(&key) {
                    Some(i) => {
                        if let Some(l) = r.text(lnode, "stage label") {
                            // A label is shown on every page and chart: a long one multiplies.
                            let n = l.chars().count();
                            if n > MAX_LABEL_CHARS {
                                r.error(
                                    lnode,
                                    format!(
                                        "this stage label is {n} characters long; at most {MAX_LABEL_CHARS} are shown"
                                    ),
                                    "use a short name, like `MQL`; explain it in a report's commentary",
                                );
                            } else {
                                s.stage_labels[i] = l;
                            }
                        }
                    }
                    None => unknown_stage(r, knode, &key, &s),
                }
            }
        }
    }
    if let Some(v) = f.get("qualified_stage") {
        if let Some(id) = r.text(v, "qualified_stage") {
            match s.stage_index(&id) {
                Some(i) => s.qualified_stage = i,
                None => unknown_stage(r, v, &id, &s),
            }
        }
    }
    if let Some(v) = f.get("min_joint_meetings").and_then(|v| r.count(v, "min_joint_meetings")) {
        s.min_joint_meetings = v;
    }
    s
}

fn unknown_stage(r: &mut FileReader, n: &Node, id: &str, s: &Site) {
    let known: Vec<&str> = s.stages.iter().map(String::as_str).collect();
    let hint = match suggest(id, &known) {
        Some(k) => format!("did you mean `{k}`? The stages are {}", known.join(", ")),
        None => format!("the stages are {} (set in content/site.yaml `stages:`)", known.join(", ")),
    };
    r.error(n, format!("unknown stage `{id}`"), hint);
}

impl FileReader<'_> {
    /// A map with free keys (team keys, stage ids, channel names): (key, key node, value node).
    pub fn fields_any<'n>(&mut self, n: &'n Node, what: &str) -> Option<Vec<(Option<String>, &'n Node, &'n Node)>> {
        match &n.value {
            Value::Map(items) => {
                let mut seen: std::collections::HashSet<String> = Default::default();
                let mut out = Vec::new();
                for (k, v) in items {
                    let key = match &k.value {
                        // Through `text`, so a control character in a key (a channel name) is
                        // replaced and reported like one in a value.
                        Value::Scalar { .. } => self.text(k, what),
                        _ => {
                            self.error(k, format!("a key in {what} must be plain text"), "");
                            None
                        }
                    };
                    if let Some(key) = &key {
                        if seen.contains(key) {
                            self.error(k, format!("`{key}` appears twice in {what}"), "keep one of them");
                            continue;
                        }
                        seen.insert(key.clone());
                    }
                    out.push((key, k, v));
                }
                Some(out)
            }
            Value::Null => Some(Vec::new()),
            _ => {
                self.error(
                    n,
                    format!("expected a map for {what}, found {}", n.kind_name()),
                    "write it as `key: value` lines or `{key: value}`",
                );
                None
            }
        }
    }
}

/// The fields of one funnel month.
pub const FUNNEL_FIELDS: [&str; 9] = [
    "month",
    "stages",
    "revenue",
    "spend",
    "customers",
    "sales_cycle_days",
    "days_to_mql",
    "lead_response_hours",
    "by_channel",
];

/// Reads stage counts (`{leads: 1900, ...}`) into a vector by stage index.
fn stage_counts<'n>(
    r: &mut FileReader,
    n: &'n Node,
    s: &Site,
    allow_spend: bool,
) -> (Vec<Option<u64>>, Option<f64>, Vec<Option<&'n Node>>) {
    let mut counts = vec![None; s.stages.len()];
    let mut keys = vec![None; s.stages.len()];
    let mut spend = None;
    if let Some(entries) = r.fields_any(n, "stages") {
        for (key, knode, v) in entries {
            let Some(key) = key else { continue };
            if allow_spend && key == "spend" {
                spend = r.amount(v, "channel spend");
                continue;
            }
            match s.stage_index(&key) {
                Some(i) => {
                    counts[i] = r.count(v, &format!("stage `{key}`"));
                    keys[i] = Some(knode);
                }
                None => unknown_stage(r, knode, &key, s),
            }
        }
    }
    (counts, spend, keys)
}

/// Reads a funnel file: a list of months. Returns each month with its `month:` node.
pub fn funnel<'n>(r: &mut FileReader, n: &'n Node, s: &Site) -> Vec<(FunnelMonth, &'n Node)> {
    let mut out = Vec::new();
    for item in items(r, n, "months", "- month: 2026-10") {
        let Some(f) = r.fields(item, "funnel month", &FUNNEL_FIELDS) else {
            continue;
        };
        let month_node = r.required(&f, "month");
        let month = month_node.and_then(|m| r.month(m, "month"));
        let stages_node = r.required(&f, "stages");
        let (stages, _, keys) = stages_node
            .map(|sn| stage_counts(r, sn, s, false))
            .unwrap_or_else(|| (vec![None; s.stages.len()], None, vec![None; s.stages.len()]));
        if let Some(sn) = stages_node {
            // Adjacent stages only: a later stage larger than the one before it.
            for i in 1..stages.len() {
                if let (Some(a), Some(b)) = (stages[i - 1], stages[i]) {
                    if b > a {
                        let msg = format!(
                            "{} ({b}) is larger than {} ({a}), the stage before it",
                            s.stages[i],
                            s.stages[i - 1]
                        );
                        r.warn(keys[i].unwrap_or(sn), msg, "allowed for monthly flows, but check the numbers");
                    }
                }
            }
        }
        let amount = |r: &mut FileReader, name: &str| f.get(name).and_then(|v| r.amount(v, name));
        let revenue = amount(r, "revenue");
        let sales_cycle_days = amount(r, "sales_cycle_days");
        let days_to_mql = amount(r, "days_to_mql");
        let lead_response_hours = amount(r, "lead_response_hours");
        let (mut spend_marketing, mut spend_sales) = (None, None);
        if let Some(sp) = f.get("spend").and_then(|v| r.fields(v, "spend", &["marketing", "sales"])) {
            spend_marketing = sp.get("marketing").and_then(|v| r.amount(v, "marketing spend"));
            spend_sales = sp.get("sales").and_then(|v| r.amount(v, "sales spend"));
        }
        let mut customers = None;
        if let Some(c) = f.get("customers").and_then(|v| r.fields(v, "customers", &["start", "new", "lost"])) {
            let mut get = |name: &str| r.required(&c, name).and_then(|v| r.count(v, &format!("customers.{name}")));
            let (start, new, lost) = (get("start"), get("new"), get("lost"));
            if let (Some(start), Some(new), Some(lost)) = (start, new, lost) {
                let at = c.get("lost").unwrap_or(item);
                if lost > start.saturating_add(new) {
                    // More lost than there ever were: the retention rate would be below -100%.
                    r.error(
                        at,
                        format!("customers.lost ({lost}) is more than start plus new ({start} + {new})"),
                        "a month cannot lose more customers than it had; check the numbers",
                    );
                } else {
                    if lost > start {
                        r.warn(
                            at,
                            format!("customers.lost ({lost}) is more than customers.start ({start}), so the retention rate is below 0"),
                            "fine if customers won this month also left this month; otherwise check the numbers",
                        );
                    }
                    customers = Some(Customers { start, new, lost });
                }
            }
        }
        let mut channels = Vec::new();
        if let Some(entries) = f.get("by_channel").and_then(|v| r.fields_any(v, "by_channel")) {
            for (name, _, v) in entries {
                let Some(name) = name else { continue };
                let (stages, spend, _) = stage_counts(r, v, s, true);
                channels.push(Channel { name, stages, spend });
            }
        }
        if let (Some(month), Some(mn), Some(_)) = (month, month_node, stages_node) {
            out.push((
                FunnelMonth {
                    month,
                    stages,
                    revenue,
                    spend_marketing,
                    spend_sales,
                    customers,
                    sales_cycle_days,
                    days_to_mql,
                    lead_response_hours,
                    channels,
                    file: r.rel.clone(),
                },
                mn,
            ));
        }
    }
    out
}

/// The fields of one goal.
pub const GOAL_FIELDS: [&str; 11] =
    ["id", "title", "owners", "metric", "unit", "baseline", "target", "start", "due", "status", "checkins"];

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

/// Reads a goals file. Returns each goal with its `id:` node.
/// Check-ins after `as_of` (the as-of month) are left out with a warning.
pub fn goals<'n>(r: &mut FileReader, n: &'n Node, s: &Site, as_of: Month) -> Vec<(Goal, &'n Node)> {
    let mut out = Vec::new();
    for item in items(r, n, "goals", "- id: mql-to-sql") {
        let Some(f) = r.fields(item, "goal", &GOAL_FIELDS) else {
            continue;
        };
        let mut ok = true;
        let id_node = r.required(&f, "id");
        let id = id_node.and_then(|v| r.id(v, "goal id", ""));
        let title = r.required(&f, "title").and_then(|v| r.text(v, "title"));
        let mut owners = Vec::new();
        if let Some(on) = r.required(&f, "owners") {
            if let Some(list) = r.list(on, "owners") {
                if list.is_empty() {
                    r.error(on, "a goal needs at least one owner", "list team keys, like `[marketing, sales]`");
                    ok = false;
                }
                for o in list {
                    if let Some(key) = r.text(o, "owner") {
                        if owners.contains(&key) {
                            r.error(o, format!("owner `{key}` is listed twice"), "list each team once");
                            ok = false;
                        } else if s.team(&key).is_some() {
                            owners.push(key);
                        } else {
                            let keys: Vec<&str> = s.teams.iter().map(|t| t.key.as_str()).collect();
                            let hint = match suggest(&key, &keys) {
                                Some(k) => format!("did you mean `{k}`? Owners are team keys: {}", keys.join(", ")),
                                None => format!("owners are team keys from content/site.yaml: {}", keys.join(", ")),
                            };
                            r.error(o, format!("unknown team `{key}`"), hint);
                            ok = false;
                        }
                    } else {
                        ok = false;
                    }
                }
            }
        }
        let mut metric = None;
        if let Some(mn) = f.get("metric") {
            if let Some(name) = r.text(mn, "metric") {
                match parse_metric(&name, s) {
                    Ok(m) => metric = Some((m, name)),
                    Err(hint) => {
                        r.error(mn, format!("unknown metric `{name}`"), hint);
                        ok = false;
                    }
                }
            }
        }
        // (v2) The unit defaults to the metric's own (FORMAT.md 8.3), else `number`.
        let natural = metric.as_ref().map(|(m, _): &(Metric, String)| m.natural_unit());
        let unit = match f.get("unit") {
            None => Some(natural.unwrap_or(Unit::Number)),
            Some(un) => match r.text(un, "unit").as_deref() {
                Some("percent") => Some(Unit::Percent),
                Some("count") => Some(Unit::Count),
                Some("money") => Some(Unit::Money),
                Some("days") => Some(Unit::Days),
                Some("hours") => Some(Unit::Hours),
                Some("number") => Some(Unit::Number),
                Some(other) => {
                    let hint = match suggest(other, &UNIT_NAMES) {
                        Some(k) => format!("did you mean `{k}`? "),
                        None => String::new(),
                    } + "units are percent, count, money, days, hours, number";
                    r.error(un, format!("unknown unit `{other}`"), hint);
                    None
                }
                None => None,
            },
        };
        if let (Some(u), Some(nat), Some(un), Some((_, name))) = (unit, natural, f.get("unit"), &metric) {
            if u != nat {
                r.warn(
                    un,
                    format!("unit `{}` differs from the unit of `{name}`, which is `{}`", u.name(), nat.name()),
                    format!("remove `unit:` to show the goal in {}, or check the metric", nat.name()),
                );
            }
        }
        let baseline_node = r.required(&f, "baseline");
        let baseline = baseline_node.and_then(|v| r.number(v, "baseline"));
        let target_node = r.required(&f, "target");
        let target = target_node.and_then(|v| r.number(v, "target"));
        // Values a percent goal holds, to warn once at the first one that is not a fraction.
        let mut percent_values: Vec<(&str, f64, &Node)> = Vec::new();
        if let (Some(b), Some(bn)) = (baseline, baseline_node) {
            percent_values.push(("baseline", b, bn));
        }
        if let (Some(t), Some(tn)) = (target, target_node) {
            percent_values.push(("target", t, tn));
        }
        if let (Some(b), Some(t), Some(tn)) = (baseline, target, target_node) {
            if b == t {
                r.error(
                    tn,
                    "target equals baseline, so progress cannot be measured",
                    "set a target different from the baseline",
                );
                ok = false;
            }
        }
        let start = r.required(&f, "start").and_then(|v| r.month(v, "start"));
        let due_node = r.required(&f, "due");
        let due = due_node.and_then(|v| r.month(v, "due"));
        if let (Some(st), Some(du), Some(dn)) = (start, due, due_node) {
            if du < st {
                r.error(dn, format!("due ({du}) is before start ({st})"), "a goal is due on or after its start month");
                ok = false;
            }
        }
        let status = match f.get("status") {
            None => None,
            Some(sn) => match r.text(sn, "status").as_deref() {
                Some("on_track") => Some(Status::OnTrack),
                Some("at_risk") => Some(Status::AtRisk),
                Some("off_track") => Some(Status::OffTrack),
                Some("done") => Some(Status::Done),
                Some(other) => {
                    let hint = match suggest(other, &STATUS_NAMES) {
                        Some(k) => format!("did you mean `{k}`? "),
                        None => String::new(),
                    } + "a status override is on_track, at_risk, off_track or done";
                    r.error(sn, format!("unknown status `{other}`"), hint);
                    ok = false;
                    None
                }
                None => None,
            },
        };
        let mut checkins: Vec<Checkin> = Vec::new();
        if let Some(cn) = f.get("checkins") {
            if metric.is_some() {
                if let Some(k) = f.key("checkins") {
                    r.warn(
                        k,
                        "this goal has a `metric`, so its check-ins are ignored",
                        "remove the check-ins, or remove `metric` to track the goal by check-ins",
                    );
                }
            }
            if let Some(list) = r.list(cn, "checkins") {
                for c in list {
                    let Some(cf) = r.fields(c, "check-in", &["month", "value", "note"]) else {
                        continue;
                    };
                    let mnode = r.required(&cf, "month");
                    let month = mnode.and_then(|v| r.month(v, "month"));
                    let value_node = r.required(&cf, "value");
                    let value = value_node.and_then(|v| r.number(v, "value"));
                    if let (Some(v), Some(vn)) = (value, value_node) {
                        percent_values.push(("check-in value", v, vn));
                    }
                    let note = cf.get("note").and_then(|v| r.text(v, "note"));
                    if let (Some(month), Some(value), Some(mnode)) = (month, value, mnode) {
                        if checkins.iter().any(|x| x.month == month) {
                            r.error(mnode, format!("two check-ins for {month}"), "keep one check-in per month");
                            continue;
                        }
                        let outside = match (start, due) {
                            (Some(st), Some(du)) if month < st || month > du => {
                                format!(" is outside the goal's {st}..{du}")
                            }
                            _ => String::new(),
                        };
                        if month > as_of {
                            let and = if outside.is_empty() { "" } else { " and" };
                            r.warn(
                                mnode,
                                format!("check-in month {month}{outside}{and} is after the as-of month {as_of}, so it is left out of every page"),
                                format!("build with `--as-of {}` or later to include it, or check the month", month.first_day()),
                            );
                            continue;
                        }
                        if !outside.is_empty() {
                            r.warn(
                                mnode,
                                format!("check-in month {month}{outside}"),
                                "it still counts; check the month",
                            );
                        }
                        checkins.push(Checkin { month, value, note });
                    }
                }
            }
        }
        checkins.sort_by_key(|c| c.month);
        if unit == Some(Unit::Percent) {
            if let Some((what, v, n)) = percent_values.iter().find(|(_, v, _)| !(-1.0..=1.0).contains(v)) {
                let shown = if v.fract() == 0.0 { format!("{v:.0}") } else { v.to_string() };
                r.warn(
                    n,
                    format!(
                        "{what} {shown} is {} with `unit: percent`: percent values are fractions: 35% is 0.35",
                        if *v > 1.0 { "above 1" } else { "below −1" }
                    ),
                    format!("write {} for {shown}%, and the same for this goal's other values", v / 100.0),
                );
            }
        }
        if let (
            true,
            Some(id),
            Some(title),
            Some(unit),
            Some(baseline),
            Some(target),
            Some(start),
            Some(due),
            Some(idn),
        ) = (ok, id, title, unit, baseline, target, start, due, id_node)
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
                idn,
            ));
        }
    }
    out
}

/// The fields of one action item in a meeting's `actions`.
pub const ACTION_FIELDS: [&str; 5] = ["task", "owner", "due", "done", "done_on"];

/// The hint for a person in no team: the closest member's name when it is a likely typo
/// ("Sam Ortis" -> "Sam Ortiz"), else where members are listed.
fn member_hint(s: &Site, name: &str) -> String {
    let members: Vec<&str> = s.teams.iter().flat_map(|t| t.members.iter().map(String::as_str)).collect();
    match suggest(name, &members) {
        Some(m) => format!("did you mean `{m}`? Or add them to a team's `members` in content/site.yaml"),
        None => "add them to a team's `members` in content/site.yaml, or check the spelling".into(),
    }
}

/// The front matter fields of a `.md` meeting (its body is the notes).
pub const MEETING_FIELDS_MD: [&str; 6] = ["title", "date", "attendees", "decisions", "actions", "shoutouts"];
/// The fields of a `.yaml` meeting (`notes:` holds the markdown).
pub const MEETING_FIELDS_YAML: [&str; 7] = ["title", "date", "attendees", "decisions", "actions", "shoutouts", "notes"];

/// Reads a meeting file (`.md` with front matter, or `.yaml`).
/// A meeting dated after `as_of` is checked like any other, then left out with a warning.
pub fn meeting(
    r: &mut FileReader,
    text: &str,
    slug: &str,
    is_md: bool,
    s: &Site,
    as_of: jiff::civil::Date,
) -> Option<Meeting> {
    let (node, body) = if is_md {
        match split_front_matter(text) {
            Some((yaml_text, offset, body)) => (parse_yaml(r, yaml_text, offset)?, body.to_string()),
            None => {
                r.diags.push(Diagnostic::file_level(
                    Severity::Error,
                    &r.rel.clone(),
                    "a meeting note needs front matter between `---` lines at the top",
                    Some("start the file with `---`, then `title:`, `date:` and `attendees:`, then `---`; or run `smarketing new meeting TITLE`".into()),
                ));
                return None;
            }
        }
    } else {
        (parse_yaml(r, text, 0)?, String::new())
    };
    let f = if is_md {
        if let Value::Map(items) = &node.value {
            if let Some((k, _)) =
                items.iter().find(|(k, _)| matches!(&k.value, Value::Scalar { text, .. } if text == "notes"))
            {
                r.error(k, "`notes:` is only for .yaml meetings; in a .md meeting the text below the front matter is the notes", "move the notes below the closing `---`");
            }
        }
        // `notes` is reported above with its own message; read the rest as usual.
        r.fields(&node, "meeting", &MEETING_FIELDS_YAML)?
    } else {
        r.fields(&node, "meeting", &MEETING_FIELDS_YAML)?
    };
    let title = r.required(&f, "title").and_then(|v| r.text(v, "title"));
    let date_node = r.required(&f, "date");
    let date = date_node.and_then(|v| r.date(v, "date"));
    let attendees = r.required(&f, "attendees").and_then(|v| r.text_list(v, "attendees"));
    if let (Some(att), Some(an)) = (&attendees, f.get("attendees")) {
        if let Value::Seq(nodes) = &an.value {
            for (name, n) in att.iter().zip(nodes) {
                if !s.is_member(name) {
                    r.warn(n, format!("attendee `{name}` is not a member of any team"), member_hint(s, name));
                }
            }
        }
    }
    let decisions = f.get("decisions").and_then(|v| r.text_list(v, "decisions")).unwrap_or_default();
    let shoutouts = f.get("shoutouts").and_then(|v| r.text_list(v, "shoutouts")).unwrap_or_default();
    let mut actions = Vec::new();
    let mut actions_ok = true;
    if let Some(an) = f.get("actions") {
        if let Some(list) = r.list(an, "actions") {
            for a in list {
                let Some(af) = r.fields(a, "action", &ACTION_FIELDS) else {
                    actions_ok = false;
                    continue;
                };
                let task = r.required(&af, "task").and_then(|v| r.text(v, "task"));
                let owner_node = r.required(&af, "owner");
                let owner = owner_node.and_then(|v| r.text(v, "owner"));
                let due = r.required(&af, "due").and_then(|v| r.date(v, "due"));
                let done_flag = match af.get("done") {
                    Some(v) => r.boolean(v, "done").map(Some),
                    None => Some(None),
                };
                let done_on_node = af.get("done_on");
                let done_on = match done_on_node {
                    Some(v) => r.date(v, "done_on").map(Some),
                    None => Some(None),
                };
                if let (Some(Some(d)), Some(dn)) = (done_on, done_on_node) {
                    if done_flag == Some(Some(false)) {
                        r.error(
                            dn,
                            format!("`done_on: {d}` says the item was finished, but `done: false` says it was not"),
                            "remove `done: false` (`done_on` implies done), or remove `done_on`",
                        );
                    }
                    if d > as_of && date.is_none_or(|md| md <= as_of) {
                        r.warn(
                            dn,
                            format!("`done_on: {d}` is after the as-of date {as_of}, so the item counts as open on every page"),
                            format!("build with `--as-of {d}` or later to count it as done, or fix the date"),
                        );
                    }
                    if let Some(md) = date {
                        if d < md {
                            r.error(
                                dn,
                                format!("`done_on: {d}` is before the meeting's date, {md}"),
                                "an item is finished on or after the meeting that agreed it: check the date",
                            );
                        }
                    }
                }
                let done = match (done_flag, done_on) {
                    (Some(Some(false)), Some(Some(_))) => None,
                    (Some(flag), Some(on)) => Some((flag.unwrap_or(false) || on.is_some(), on)),
                    _ => None,
                };
                if let (Some(o), Some(on)) = (&owner, owner_node) {
                    if !s.is_member(o) {
                        r.warn(on, format!("owner `{o}` is not a member of any team"), member_hint(s, o));
                    }
                }
                match (task, owner, due, done) {
                    (Some(task), Some(owner), Some(due), Some((done, done_on)))
                        if done_on.is_none_or(|d| date.is_none_or(|md| d >= md)) =>
                    {
                        actions.push(Action { task, owner, due, done, done_on })
                    }
                    _ => actions_ok = false,
                }
            }
        }
    }
    let notes = if is_md { body } else { f.get("notes").and_then(|v| r.text(v, "notes")).unwrap_or_default() };
    match f.get("notes") {
        Some(n) if !is_md => {
            // A block scalar's text starts on the line after its `|`; a one-line value on its own.
            let block = r.src.lines().nth(n.pos.line.saturating_sub(1)).is_some_and(|l| {
                let t = l.trim_end();
                t.ends_with('|') || t.ends_with('>') || t.ends_with("|-") || t.ends_with(">-")
            });
            warn_remote_images(r, &notes, n.pos.line + usize::from(block));
        }
        _ => warn_remote_images(r, &notes, body_line(text, &notes)),
    }
    if let (Some(d), Some(dn)) = (date, date_node) {
        if slug.len() >= 10 {
            if let Some(stem_date) = crate::model::calendar::parse_date(&slug[..10]) {
                if stem_date != d {
                    r.warn(
                        dn,
                        format!("the file name says {stem_date} but `date` is {d}"),
                        "rename the file or fix the date so they agree",
                    );
                }
            }
        }
    }
    if slug.is_empty() || slug.starts_with('.') || slug.contains(['/', '\\']) {
        r.diags.push(Diagnostic::file_level(
            Severity::Error,
            &r.rel.clone(),
            format!("`{slug}` cannot be a page name"),
            Some("rename the file to letters, digits and dashes".into()),
        ));
        return None;
    }
    if let (Some(d), Some(dn)) = (date, date_node) {
        if d > as_of {
            r.warn(
                dn,
                format!("this meeting is dated {d}, after the as-of date {as_of}, so it is left out of every page"),
                format!("build with `--as-of {d}` or later to include it, or fix the date"),
            );
            return None;
        }
    }
    match (title, date, attendees, actions_ok) {
        (Some(title), Some(date), Some(attendees), true) => Some(Meeting {
            slug: slug.to_string(),
            title,
            date,
            attendees,
            decisions,
            actions,
            shoutouts,
            notes,
            file: r.rel.clone(),
        }),
        _ => None,
    }
}

/// Reads `content/checklist.yaml`: extra items and monthly assessments.
pub fn checklist(r: &mut FileReader, n: &Node) -> (Vec<ChecklistItem>, Vec<ChecklistMonth>) {
    let mut extra: Vec<ChecklistItem> = Vec::new();
    let mut months: Vec<ChecklistMonth> = Vec::new();
    let Some(f) = r.fields(n, "checklist", &["items", "months"]) else {
        return (extra, months);
    };
    if let Some(list) = f.get("items").and_then(|v| r.list(v, "items")) {
        for it in list {
            let Some(itf) = r.fields(it, "checklist item", &["id", "text"]) else {
                continue;
            };
            let idn = r.required(&itf, "id");
            let id = idn.and_then(|v| r.id(v, "checklist item id", ""));
            let text = r.required(&itf, "text").and_then(|v| r.text(v, "text"));
            if let (Some(id), Some(text), Some(idn)) = (id, text, idn) {
                if TAKEAWAYS.iter().any(|t| t.0 == id) || extra.iter().any(|x| x.id == id) {
                    r.error(
                        idn,
                        format!("checklist item `{id}` already exists"),
                        "the five takeaways are built in; give extra items their own ids",
                    );
                    continue;
                }
                extra.push(ChecklistItem { id, text });
            }
        }
    }
    let mut known: Vec<String> = TAKEAWAYS.iter().map(|t| t.0.to_string()).collect();
    known.extend(extra.iter().map(|x| x.id.clone()));
    if let Some(list) = f.get("months").and_then(|v| r.list(v, "months")) {
        for mnode in list {
            let Some(mf) = r.fields(mnode, "checklist month", &["month", "checked", "note"]) else {
                continue;
            };
            let mn = r.required(&mf, "month");
            let month = mn.and_then(|v| r.month(v, "month"));
            let mut checked = Vec::new();
            if let Some(cn) = mf.get("checked") {
                if let Some(items) = r.list(cn, "checked") {
                    for c in items {
                        if let Some(id) = r.text(c, "checked item") {
                            if checked.contains(&id) {
                                r.error(c, format!("`{id}` is checked twice in this month"), "list each item once");
                            } else if known.contains(&id) {
                                checked.push(id);
                            } else {
                                let k: Vec<&str> = known.iter().map(String::as_str).collect();
                                let hint = match suggest(&id, &k) {
                                    Some(s) => {
                                        format!("did you mean `{s}`? Items are {}", k.join(", "))
                                    }
                                    None => format!("items are {}", k.join(", ")),
                                };
                                r.error(c, format!("unknown checklist item `{id}`"), hint);
                            }
                        }
                    }
                }
            }
            let note = mf.get("note").and_then(|v| r.text(v, "note"));
            if let (Some(month), Some(mn)) = (month, mn) {
                if months.iter().any(|x| x.month == month) {
                    r.error(mn, format!("{month} is assessed twice"), "keep one entry per month");
                    continue;
                }
                months.push(ChecklistMonth { month, checked, note, at: (mn.pos.line, mn.pos.col) });
            }
        }
    }
    months.sort_by_key(|m| m.month);
    (extra, months)
}

/// Reads a personas file. Returns each persona with its `id:` node.
pub fn personas<'n>(r: &mut FileReader, n: &'n Node) -> Vec<(Persona, &'n Node)> {
    let mut out = Vec::new();
    for item in items(r, n, "personas", "- id: ops-lead") {
        let Some(f) = r.fields(item, "persona", &["id", "name", "segment", "sources", "pains", "goals", "channels"])
        else {
            continue;
        };
        let idn = r.required(&f, "id");
        let id = idn.and_then(|v| r.id(v, "persona id", ""));
        let name = r.required(&f, "name").and_then(|v| r.text(v, "name"));
        let segment = f.get("segment").and_then(|v| r.text(v, "segment"));
        let mut list = |name: &str| f.get(name).and_then(|v| r.text_list(v, name)).unwrap_or_default();
        let (sources, pains, goals, channels) = (list("sources"), list("pains"), list("goals"), list("channels"));
        if let (Some(id), Some(name), Some(idn)) = (id, name, idn) {
            out.push((Persona { id, name, segment, sources, pains, goals, channels }, idn));
        }
    }
    out
}

/// Reads `reports/YYYY-MM.md`: optional front matter with `title`, then markdown.
pub fn commentary(r: &mut FileReader, text: &str, month: Month) -> Option<Commentary> {
    match split_front_matter(text) {
        Some((yaml_text, offset, body)) => {
            let mut title = None;
            if let Some(node) = match yaml::parse(yaml_text, offset) {
                Ok(n) => n,
                Err(e) => {
                    let d = Diagnostic::at(
                        Severity::Error,
                        &r.rel,
                        r.src,
                        e.pos.line,
                        e.pos.col,
                        1,
                        e.message,
                        Some(e.hint),
                    );
                    r.diags.push(d);
                    return None;
                }
            } {
                let f = r.fields(&node, "commentary front matter", &["title"])?;
                title = f.get("title").and_then(|v| r.text(v, "title"));
            }
            warn_remote_images(r, body, body_line(text, body));
            Some(Commentary { month, title, body: body.to_string() })
        }
        None => {
            warn_remote_images(r, text, 1);
            Some(Commentary { month, title: None, body: text.to_string() })
        }
    }
}

/// The line of `text` on which `body`, a slice at its end, starts.
fn body_line(text: &str, body: &str) -> usize {
    text[..text.len().saturating_sub(body.len())].matches('\n').count() + 1
}

/// Warns at each image of a note that is on another host: the page shows it as a link (a
/// reader's browser never loads from elsewhere). `first_line` is the file line of the note's
/// first line.
fn warn_remote_images(r: &mut FileReader, md: &str, first_line: usize) {
    if !md.contains("![") {
        return;
    }
    for (line, url) in crate::render::markdown::remote_images(md) {
        let line = first_line + line - 1;
        let source = r.src.lines().nth(line - 1).unwrap_or("");
        let col = source.find(url.as_str()).map_or(1, |i| source[..i].chars().count() + 1);
        let d = Diagnostic::at(
            Severity::Warning,
            &r.rel,
            r.src,
            line,
            col,
            url.chars().count().max(1),
            format!("image `{url}` is on another host, so the page shows it as a link"),
            Some("put the file under static/ to show it".into()),
        );
        r.diags.push(d);
    }
}
