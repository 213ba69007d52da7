//! Assemble: the data each page template reads, with every number already formatted for
//! display. Figures come from [`Analysis`]; nothing here computes a formula.

use crate::model::calendar::{self, Month};
use crate::model::{Goal, Meeting, Project, Status, TAKEAWAYS};
use crate::render::charts::{self, Bar, ProgressLayout, ProgressRow};
pub mod actions;
pub mod format;
pub mod glossary;
use crate::analyze::{self, benefits, goals, is_joint, MonthFigures};
use crate::render::markdown;
use serde::Serialize;
use serde_json::{json, Value};

pub use crate::analyze::Analysis;

fn currency<'a>(a: &'a Analysis) -> &'a str {
    &a.project.site.currency
}

fn fig<'a>(a: &'a Analysis, m: Month) -> &'a MonthFigures {
    &a.figures[&m]
}

/// Relative prefix from a page at `depth` folders below the site root.
pub fn root_prefix(depth: usize) -> String {
    "../".repeat(depth)
}

/// Percent-encodes a path segment for use in an `href`.
pub fn href_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The link to a month's report from the site root.
pub fn report_href(m: Month) -> String {
    format!("reports/{m}/index.html")
}

/// The link to a meeting's page from the site root.
pub fn meeting_href(slug: &str) -> String {
    format!("meetings/{}/index.html", href_segment(slug))
}

/// The site-wide navigation: label, link from the site root, and the key pages compare with
/// their `page_key` to mark the current entry.
pub fn nav(a: &Analysis) -> Value {
    let mut items = vec![("Overview", "index.html".to_string(), "home")];
    if let Some(latest) = a.latest {
        items.push(("Latest report", report_href(latest), "report"));
    }
    items.extend([
        ("Funnel", "funnel/index.html".to_string(), "funnel"),
        ("Goals", "goals/index.html".to_string(), "goals"),
        ("Meetings", "meetings/index.html".to_string(), "meetings"),
        ("Checklist", "checklist/index.html".to_string(), "checklist"),
        ("Actions", actions::ACTIONS_HREF.to_string(), "actions"),
    ]);
    if !a.project.personas.is_empty() {
        items.push(("Personas", "personas/index.html".to_string(), "personas"));
    }
    items.push(("Glossary", "glossary/index.html".to_string(), "glossary"));
    Value::Array(
        items.into_iter().map(|(label, href, key)| json!({"label": label, "href": href, "key": key})).collect(),
    )
}

/// The site settings every page shows.
#[derive(Serialize)]
pub struct SiteView<'a> {
    /// The site's title.
    pub title: &'a str,
    /// The organisation, when given.
    pub organization: Option<&'a str>,
    /// The currency code.
    pub currency: &'a str,
}

/// A date as pages show it.
#[derive(Serialize)]
pub struct DateView {
    /// `2026-11-30`.
    pub iso: String,
    /// `30 Nov 2026`.
    pub label: String,
}

impl DateView {
    /// Both forms of a date.
    pub fn of(d: jiff::civil::Date) -> Self {
        DateView { iso: d.to_string(), label: calendar::date_label(d) }
    }
}

/// What a site was built from and when "now" was, for every page's footer.
#[derive(Serialize)]
pub struct Built {
    /// What the site was built from, in words: "67 content files (12 funnel months, 20
    /// meetings, 9 goals)".
    pub from: String,
    /// The as-of date of the build (FORMAT.md 8.0).
    pub as_of: DateView,
}

/// What every page shares, set once per build as the templates' global context.
#[derive(Serialize)]
pub struct Globals<'a> {
    /// Site settings.
    pub site: SiteView<'a>,
    /// The navigation.
    pub nav: Value,
    /// Content files read.
    pub files: usize,
    /// What the site was built from, as of when.
    pub built: Built,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The global context of every page.
pub fn globals<'a>(a: &'a Analysis) -> Globals<'a> {
    let p = a.project;
    let s = &p.site;
    Globals {
        site: SiteView { title: &s.title, organization: s.organization.as_deref(), currency: &s.currency },
        nav: nav(a),
        files: a.files,
        built: Built {
            from: format!(
                "{} ({}, {}, {})",
                plural(a.files, "content file", "content files"),
                plural(p.funnel.len(), "funnel month", "funnel months"),
                plural(p.meetings.len(), "meeting", "meetings"),
                plural(p.goals.len(), "goal", "goals"),
            ),
            as_of: DateView::of(p.as_of),
        },
    }
}

/// Fields of one page: its root prefix, its key (for the navigation) and its title.
pub fn common(depth: usize, current: &str, title: &str) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    m.insert("root".into(), json!(root_prefix(depth)));
    m.insert("page_key".into(), json!(current));
    m.insert("page_title".into(), json!(title));
    m
}

fn team_pills<'a>(p: &'a Project, owners: &'a [String]) -> Vec<TeamPill<'a>> {
    owners.iter().map(|k| TeamPill { key: k, name: p.site.team(k).map(|t| t.name.as_str()).unwrap_or(k) }).collect()
}

/// A goal status as pages show it: its key (for the CSS class), words and icon.
#[derive(Serialize)]
pub struct StatusView {
    /// `on_track`, `met`, `achieved`, ...
    pub key: Status,
    /// "on track", "target met", "achieved", ...
    pub label: &'static str,
    /// A mark that does not rely on colour.
    pub icon: &'static str,
}

impl StatusView {
    /// The words of a status (FORMAT.md 8.7).
    pub fn of(s: Status) -> Self {
        let (label, icon) = match s {
            Status::OnTrack => ("on track", "●"),
            Status::AtRisk => ("at risk", "▲"),
            Status::OffTrack => ("off track", "✕"),
            Status::Met => ("target met", "✓"),
            Status::Achieved => ("achieved", "★"),
            Status::Missed => ("missed", "✗"),
            Status::Done => ("done", "✓"),
            Status::NoData => ("no data", "—"),
        };
        StatusView { key: s, label, icon }
    }
}

/// A headline card: value, change, and whether the change is good for that figure.
fn card(label: &str, value: String, change: Option<f64>, higher_is_better: bool) -> Value {
    let (tone, arrow, word) = match change {
        Some(c) if c > 0.0 => (if higher_is_better { "good" } else { "bad" }, "▲", "up"),
        Some(c) if c < 0.0 => (if higher_is_better { "bad" } else { "good" }, "▼", "down"),
        Some(_) => ("flat", "■", "unchanged"),
        None => ("none", "", "no comparison"),
    };
    json!({"label": label, "value": value, "change": format::change(change), "tone": tone, "arrow": arrow, "word": word})
}

fn headline_cards(a: &Analysis, m: Month) -> Value {
    let p = a.project;
    let s = &p.site;
    let f = fig(a, m);
    let last = s.stages.len() - 1;
    let q = s.qualified_stage;
    // Each card: its anchor on the page (benefit tiles point at it) and its glossary entry.
    let stage_card = |i: usize| {
        with_keys(
            card(&s.stage_labels[i], format::count(f.stages[i]), f.mom[i], true),
            &card_id_stage(&s.stages[i]),
            "stage-count",
        )
    };
    let mut cards = vec![stage_card(0)];
    if q != 0 && q != last {
        cards.push(stage_card(q));
    }
    cards.push(stage_card(last));
    cards.push(with_keys(
        card("Revenue", format::money(f.revenue, currency(a)), f.revenue_mom, true),
        "card-revenue",
        "revenue",
    ));
    cards.push(with_keys(card("CAC", format::money(f.cac, currency(a)), f.cac_mom, false), "card-cac", "cac"));
    cards.push(with_keys(
        card("Retention", format::percent(f.retention), f.retention_mom, true),
        "card-retention",
        "retention",
    ));
    Value::Array(cards)
}

/// The page anchor of a stage's headline card.
fn card_id_stage(stage: &str) -> String {
    format!("card-stage-{}", href_segment(stage))
}

/// Adds a card's page anchor (`id`) and glossary entry (`term`).
fn with_keys(mut card: Value, id: &str, term: &str) -> Value {
    if let Value::Object(o) = &mut card {
        o.insert("id".into(), json!(id));
        o.insert("term".into(), json!(term));
    }
    card
}

fn benefit_tiles(a: &Analysis, m: Month) -> Value {
    let cur = currency(a).to_string();
    fig(a, m)
        .benefits
        .iter()
        .zip(benefits::BENEFITS.iter())
        .map(|(b, (_, words, figure, _))| {
            let show = |v: Option<f64>| match b.id {
                "costs" => format::money(v, &cur),
                "leads" => format::count(v),
                "retention" => format::percent(v),
                _ => v.map(|x| format!("{} days", format::decimal(Some(x)))).unwrap_or_else(|| format::NONE.into()),
            };
            let (verdict, icon) = match b.verdict {
                Some(benefits::Verdict::Better) => ("better", "✓"),
                Some(benefits::Verdict::Worse) => ("worse", "✗"),
                Some(benefits::Verdict::Same) => ("same", "="),
                None => ("no data", "—"),
            };
            // Each figure has one home on the page: a benefit whose figure is a headline card
            // points at that card instead of repeating it.
            let card = match b.id {
                "costs" => Some("card-cac".to_string()),
                "leads" => Some(card_id_stage(&a.project.site.stages[0])),
                "retention" => Some("card-retention".to_string()),
                _ => None,
            };
            json!({"id": b.id, "words": words, "figure": figure, "value": show(b.value), "previous": show(b.previous),
                   "verdict": verdict, "icon": icon, "key": verdict.replace(' ', "-"), "card": card})
        })
        .collect()
}

/// The months of the 12-month window ending at `m`, starting no earlier than the first
/// month with funnel data (a young project's chart is not mostly empty).
fn window(p: &Project, m: Month) -> Vec<Month> {
    let first = p.funnel.first().map(|f| f.month).unwrap_or(m);
    let mut out = vec![m];
    while out.len() < 12 && out[0] > first {
        let p = out[0].prev();
        out.insert(0, p);
    }
    out
}

/// Stage trend and conversion trend charts (with their table) over `months`: one small chart
/// per stage, each on its own linear scale from 0 in the stage's colour, then one per
/// conversion between adjacent stages, in the ink colour (a ratio is no stage's series).
fn trend_block(a: &Analysis, months: &[Month], id: &str) -> Value {
    let p = a.project;
    let s = &p.site;
    let labels: Vec<String> = months.iter().map(|m| m.short_name()).collect();
    // A month outside the analysed ones (a gap after the last funnel month) has no figures.
    let fms: Vec<Option<&MonthFigures>> = months.iter().map(|m| a.get(*m)).collect();
    let stage = |f: &Option<&MonthFigures>, i: usize| f.and_then(|f| f.stages[i]);
    let conv = |f: &Option<&MonthFigures>, i: usize| f.and_then(|f| f.conversions[i]);
    let first = months.first().map(|m| m.short_name()).unwrap_or_default();
    let last = months.last().map(|m| m.short_name()).unwrap_or_default();
    let latest = |values: &[Option<f64>], show: &dyn Fn(Option<f64>) -> String| show(values.last().copied().flatten());
    let stage_charts: Vec<String> = (0..s.stages.len())
        .map(|i| {
            let values: Vec<Option<f64>> = fms.iter().map(|f| stage(f, i)).collect();
            let m = charts::Multiple {
                name: s.stage_labels[i].clone(),
                latest: latest(&values, &format::count),
                values,
                color: charts::stage_color(i),
            };
            charts::multiple(
                &format!("{id}-stage-{i}"),
                &format!("{} by month, {first} to {last}", s.stage_labels[i]),
                &labels,
                &m,
                false,
            )
        })
        .collect();
    let conv_names: Vec<String> =
        (0..s.stages.len() - 1).map(|i| format!("{}→{}", s.stage_labels[i], s.stage_labels[i + 1])).collect();
    let conv_charts: Vec<String> = (0..s.stages.len() - 1)
        .map(|i| {
            let values: Vec<Option<f64>> = fms.iter().map(|f| conv(f, i)).collect();
            let m = charts::Multiple {
                name: conv_names[i].clone(),
                latest: latest(&values, &format::percent),
                values,
                color: charts::INK,
            };
            charts::multiple(
                &format!("{id}-conv-{i}"),
                &format!("Conversion {} by month, {first} to {last}", conv_names[i]),
                &labels,
                &m,
                true,
            )
        })
        .collect();
    let rows: Vec<Value> = months
        .iter()
        .zip(&fms)
        .map(|(m, f)| {
            json!({"month": m.short_name(),
                   "stages": (0..s.stages.len()).map(|i| format::count(stage(f, i))).collect::<Vec<_>>(),
                   "conversions": (0..s.stages.len() - 1).map(|i| format::percent(conv(f, i))).collect::<Vec<_>>()})
        })
        .collect();
    json!({"stage_charts": stage_charts, "conv_charts": conv_charts, "rows": rows,
           "stage_labels": s.stage_labels, "conv_labels": conv_names})
}

fn funnel_block(a: &Analysis, m: Month) -> Value {
    let p = a.project;
    let s = &p.site;
    let f = fig(a, m);
    let bars: Vec<Bar> = (0..s.stages.len())
        .map(|i| Bar {
            label: s.stage_labels[i].clone(),
            value: f.stages[i].unwrap_or(0.0),
            shown: format::count(f.stages[i]),
            color: charts::stage_color(i),
        })
        .collect();
    let between: Vec<String> = f.conversions.iter().map(|c| format!("↓ {} convert", format::percent(*c))).collect();
    let chart = charts::hbars(
        "funnel",
        &format!("Funnel for {}: count per stage and conversion to the next", m.long_name()),
        &bars,
        &between,
    );
    let rows: Vec<Value> = (0..s.stages.len())
        .map(|i| {
            json!({"label": s.stage_labels[i], "count": format::count(f.stages[i]),
                   "conversion": f.conversions.get(i).map(|c| format::percent(*c)).unwrap_or_default(),
                   "mom": format::change(f.mom[i])})
        })
        .collect();
    let fm = p.funnel_month(m);
    let extras = vec![
        json!({"label": "Overall conversion", "term": "overall-conversion", "value": format::percent(f.overall)}),
        json!({"label": "Lead velocity rate", "term": "lead-velocity-rate", "value": format::change(f.lead_velocity_rate)}),
        json!({"label": "Cost per lead", "term": "cost-per-lead", "value": format::money(f.cost_per_lead, currency(a))}),
        json!({"label": "Win rate", "term": "win-rate", "value": format::percent(f.win_rate)}),
        json!({"label": "Average deal", "term": "average-deal", "value": format::money(f.average_deal, currency(a))}),
        json!({"label": "Sales velocity", "term": "sales-velocity", "value": f.sales_velocity.map(|v| format!("{} / day", format::money(Some(v), currency(a)))).unwrap_or_else(|| format::NONE.into())}),
        json!({"label": "Sales cycle", "term": "sales-cycle", "value": f.sales_cycle_days.map(|v| format!("{} days", format::decimal(Some(v)))).unwrap_or_else(|| format::NONE.into())}),
        json!({"label": "Lead response", "term": "lead-response", "value": fm.and_then(|x| x.lead_response_hours).map(|v| format!("{} h", format::decimal(Some(v)))).unwrap_or_else(|| format::NONE.into())}),
    ];
    json!({"chart": chart, "rows": rows, "extras": extras, "trend": trend_block(a, &window(p, m), "trend")})
}

fn channels_block(a: &Analysis, m: Month) -> Value {
    let p = a.project;
    let s = &p.site;
    let Some(fm) = p.funnel_month(m) else {
        return Value::Null;
    };
    if fm.channels.is_empty() {
        return Value::Null;
    }
    let last = s.stages.len() - 1;
    let mut chans: Vec<&crate::model::Channel> = fm.channels.iter().collect();
    chans.sort_by(|x, y| y.stages[last].unwrap_or(0).cmp(&x.stages[last].unwrap_or(0)).then(x.name.cmp(&y.name)));
    // Columns: the stages any channel gives.
    let cols: Vec<usize> = (0..s.stages.len()).filter(|i| chans.iter().any(|c| c.stages[*i].is_some())).collect();
    let sort_col = if cols.contains(&last) { last } else { *cols.last().unwrap_or(&0) };
    let max = chans.iter().filter_map(|c| c.stages[sort_col]).max().unwrap_or(0).max(1) as f64;
    let rows: Vec<Value> = chans
        .iter()
        .map(|c| {
            let v = c.stages[sort_col].unwrap_or(0) as f64;
            json!({"name": c.name, "values": cols.iter().map(|i| format::count(c.stages[*i].map(|x| x as f64))).collect::<Vec<_>>(),
                   "spend": format::money(c.spend, currency(a)), "bar": format!("{:.1}", v / max * 100.0)})
        })
        .collect();
    json!({"columns": cols.iter().map(|i| s.stage_labels[*i].clone()).collect::<Vec<_>>(), "rows": rows,
           "sorted_by": s.stage_labels[sort_col], "has_spend": chans.iter().any(|c| c.spend.is_some())})
}

/// One goal in a month, as the goal tables show it.
#[derive(Serialize)]
pub struct GoalRow<'a> {
    /// Goal id (the goals page anchors on it).
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Owning teams.
    pub owners: Vec<TeamPill<'a>>,
    /// Owned by marketing and sales.
    pub shared: bool,
    /// The metric's name, or "check-ins".
    pub metric: &'a str,
    /// Baseline in the goal's unit.
    pub baseline: String,
    /// Target in the goal's unit.
    pub target: String,
    /// The value in the month (frozen at the due month).
    pub current: String,
    /// Progress as a percentage.
    pub progress: String,
    /// Progress bar width, 0 to 100.
    pub progress_width: String,
    /// Time elapsed as a percentage.
    pub elapsed: String,
    /// Time-elapsed mark position, 0 to 100.
    pub elapsed_pos: String,
    /// Target mark position, 0 to 100 (below 100 when the goal is past its target).
    pub target_pos: String,
    /// Status words.
    pub status: StatusView,
    /// The change of the metric since last month in its own unit: "−0.5 pts", "−96 USD".
    pub change: String,
    /// Where the pace since `start` leads by the due month, when the goal is running.
    pub pace: Option<String>,
    /// First month, "Jan 2026".
    pub start: String,
    /// Due month.
    pub due: String,
    /// Whether the goal runs in the month.
    pub active: bool,
    /// Whether the outcome is settled.
    #[serde(rename = "final")]
    pub is_final: bool,
}

fn goal_row<'a>(a: &'a Analysis, g: &'a Goal, f: &goals::GoalFigures) -> GoalRow<'a> {
    let p = a.project;
    let cur = currency(a);
    // The bullet's scale runs from the baseline to the target, and past it (up to twice the
    // way) when the goal is past its target, so a bar is never clipped while its label says
    // more; the target keeps its own mark.
    let scale = f.progress.map_or(1.0, |p| p.clamp(1.0, 2.0));
    let pct = |v: f64| format!("{:.1}", (v / scale).clamp(0.0, 1.0) * 100.0);
    GoalRow {
        id: &g.id,
        title: &g.title,
        owners: team_pills(p, &g.owners),
        shared: g.is_shared(),
        metric: g.metric.as_ref().map(|(_, n)| n.as_str()).unwrap_or("check-ins"),
        baseline: format::in_unit(Some(g.baseline), g.unit, cur),
        target: format::in_unit(Some(g.target), g.unit, cur),
        current: format::in_unit(f.current, g.unit, cur),
        progress: format::percent(f.progress),
        progress_width: f.progress.map(pct).unwrap_or_else(|| "0".into()),
        elapsed: format::percent(Some(f.elapsed)),
        elapsed_pos: pct(f.elapsed),
        target_pos: pct(1.0),
        status: StatusView::of(f.status),
        change: format::change_in_unit(f.change, g.unit, cur),
        pace: f.projection.map(|v| format!("{} by {}", format::in_unit(Some(v), g.unit, cur), g.due.short_name())),
        start: g.start.short_name(),
        due: g.due.short_name(),
        active: f.active,
        is_final: f.is_final,
    }
}

/// The goals of month `m` that run in it, shared goals first, as table rows.
fn active_goal_rows<'a>(a: &'a Analysis, m: Month) -> Vec<GoalRow<'a>> {
    let mut rows: Vec<(&Goal, &goals::GoalFigures)> =
        a.project.goals.iter().zip(&fig(a, m).goals).filter(|(_, f)| f.active).collect();
    rows.sort_by_key(|(g, _)| !g.is_shared());
    rows.into_iter().map(|(g, f)| goal_row(a, g, f)).collect()
}

fn meeting_summary(p: &Project, mt: &Meeting) -> Value {
    json!({"slug": mt.slug, "href": meeting_href(&mt.slug), "title": mt.title, "date": calendar::date_label(mt.date),
           "joint": is_joint(&p.site, mt), "decisions": mt.decisions, "attendees": mt.attendees.join(", "),
           "actions": mt.actions.len(), "shoutouts": mt.shoutouts})
}

fn checklist_block(a: &Analysis, m: Month) -> Value {
    let p = a.project;
    let items = p.checklist();
    let figs = &fig(a, m).checklist;
    let note = p.checklist_months.iter().find(|c| c.month == m).and_then(|c| c.note.clone());
    let rows: Vec<Value> = items
        .iter()
        .zip(figs)
        .map(|(item, f)| {
            let evidence = match (item.id.as_str(), f.evidence) {
                ("communicate", Some(n)) => Some(format!("{n} joint meeting{} (needs {})", if n == 1 { "" } else { "s" }, p.site.min_joint_meetings)),
                ("communicate", None) => Some("joint meetings cannot be counted: a team lists no members".into()),
                ("common-interests", Some(n)) => Some(format!("{n} active shared goal{}", if n == 1 { "" } else { "s" })),
                ("fill-tanks", Some(n)) => Some(format!("{n} shoutout{}", if n == 1 { "" } else { "s" })),
                _ => None,
            };
            let how = match (f.checked, f.met) {
                (true, _) => "checked by the team",
                (false, true) => "shown by the evidence",
                (false, false) => "not met",
            };
            let nudge = TAKEAWAYS.iter().find(|t| t.0 == item.id).map(|t| t.2.to_string());
            json!({"id": item.id, "text": item.text, "met": f.met, "checked": f.checked, "how": how, "evidence": evidence,
                   "nudge": if f.met { None } else { nudge }})
        })
        .collect();
    let met = figs.iter().filter(|f| f.met).count();
    json!({"items": rows, "met": met, "total": figs.len(), "note": note})
}

/// A goal whose status moved since last month, as the report lists it.
#[derive(Serialize)]
pub struct GoalChangeView<'a> {
    /// Goal title.
    pub title: &'a str,
    /// Its entry on the goals page.
    pub href: String,
    /// Last month's status (`None`: no status then).
    pub from: Option<StatusView>,
    /// This month's status.
    pub to: Option<StatusView>,
}

/// A checklist item whose `met` moved since last month.
#[derive(Serialize)]
pub struct ItemChangeView<'a> {
    /// The item's text.
    pub text: &'a str,
    /// "met", "not met" or `None` (no report last month).
    pub from: Option<&'static str>,
    /// "met" or "not met".
    pub to: Option<&'static str>,
    /// Whether the item is met now (for the mark).
    pub met: bool,
}

/// "What changed since last month" (FORMAT.md 8.10) in words.
#[derive(Serialize)]
pub struct ChangesView<'a> {
    /// "Sep 2026": the month compared with.
    pub prev_name: String,
    /// Whether last month has a report (otherwise every status is new).
    pub prev_has_report: bool,
    /// Goals whose status moved.
    pub goals: Vec<GoalChangeView<'a>>,
    /// Checklist items whose `met` moved.
    pub checklist: Vec<ItemChangeView<'a>>,
    /// New, done and newly overdue action items.
    pub actions: crate::analyze::changes::ActionChanges,
}

fn changes_view<'a>(a: &'a Analysis, m: Month) -> ChangesView<'a> {
    let p = a.project;
    let c = &fig(a, m).changes;
    let met = |b: bool| if b { "met" } else { "not met" };
    let items = p.checklist();
    ChangesView {
        prev_name: m.prev().short_name(),
        prev_has_report: a.months.binary_search(&m.prev()).is_ok(),
        goals: c
            .goals
            .iter()
            .filter_map(|gc| {
                let g = p.goals.iter().find(|g| g.id == gc.id)?;
                Some(GoalChangeView {
                    title: &g.title,
                    href: format!("goals/index.html#goal-{}", href_segment(&g.id)),
                    from: gc.from.map(StatusView::of),
                    to: gc.to.map(StatusView::of),
                })
            })
            .collect(),
        checklist: c
            .checklist
            .iter()
            .filter_map(|cc| {
                let item = items.iter().position(|i| i.id == cc.id)?;
                let text = TAKEAWAYS
                    .get(item)
                    .map(|t| t.1)
                    .or_else(|| p.checklist_items.get(item - TAKEAWAYS.len()).map(|i| i.text.as_str()))?;
                Some(ItemChangeView { text, from: cc.from.map(met), to: cc.to.map(met), met: cc.to == Some(true) })
            })
            .collect(),
        actions: c.actions,
    }
}

/// The monthly report page.
pub fn report(a: &Analysis, idx: usize) -> Value {
    let p = a.project;
    let m = a.months[idx];
    let f = fig(a, m);
    // Only the latest report (FORMAT.md 8.0) is "Latest report" in the navigation.
    let key = if a.latest == Some(m) { "report" } else { "" };
    let mut c = common(2, key, &format!("Alignment report, {}", m.long_name()));
    let meetings: Vec<&Meeting> = analyze::checklist::meetings_in(p, m);
    let active = active_goal_rows(a, m);
    // The funnel the page rests on: this month and the one before it, when present.
    let basis = match (f.has_funnel, a.figures.get(&m.prev()).is_some_and(|x| x.has_funnel)) {
        (true, true) if m.prev().year == m.year => {
            format!("the funnel of {}–{}", m.prev().abbrev(), m.short_name())
        }
        (true, true) => format!("the funnel of {}–{}", m.prev().short_name(), m.short_name()),
        (true, false) => format!("the funnel of {}", m.short_name()),
        _ => "no funnel data for this month".into(),
    };
    let commentary = p
        .commentaries
        .iter()
        .find(|x| x.month == m)
        .map(|x| json!({"title": x.title, "html": markdown::render(&x.body)}));
    c.insert("month".into(), json!({"id": m.to_string(), "name": m.long_name(), "short": m.short_name()}));
    // "in progress, as of 30 Nov 2026": the month is not over, its figures will still change.
    c.insert(
        "in_progress".into(),
        if f.in_progress {
            json!(format!("in progress, as of {}", calendar::date_label(f.end_day)))
        } else {
            Value::Null
        },
    );
    c.insert(
        "prev".into(),
        idx.checked_sub(1)
            .map(|i| json!({"href": report_href(a.months[i]), "name": a.months[i].short_name()}))
            .unwrap_or(Value::Null),
    );
    c.insert(
        "next".into(),
        a.months.get(idx + 1).map(|n| json!({"href": report_href(*n), "name": n.short_name()})).unwrap_or(Value::Null),
    );
    c.insert(
        "basis".into(),
        json!(format!(
            "Built from {} meeting{}, {} active goal{} and {}",
            meetings.len(),
            if meetings.len() == 1 { "" } else { "s" },
            active.len(),
            if active.len() == 1 { "" } else { "s" },
            basis
        )),
    );
    c.insert("has_funnel".into(), json!(f.has_funnel));
    c.insert("changes".into(), json!(changes_view(a, m)));
    c.insert("cards".into(), headline_cards(a, m));
    c.insert("benefits".into(), benefit_tiles(a, m));
    c.insert("funnel".into(), if f.has_funnel { funnel_block(a, m) } else { Value::Null });
    c.insert("channels".into(), channels_block(a, m));
    c.insert("goals".into(), json!(active));
    c.insert("meetings".into(), Value::Array(meetings.iter().map(|mt| meeting_summary(p, mt)).collect()));
    c.insert("actions".into(), actions::report_block(a, m));
    c.insert("checklist".into(), checklist_block(a, m));
    c.insert("commentary".into(), commentary.unwrap_or(Value::Null));
    c.insert("data_href".into(), json!(format!("data/{m}.json")));
    Value::Object(c)
}

/// The overview page.
pub fn index(a: &Analysis) -> Value {
    let p = a.project;
    let mut c = common(0, "home", "Overview");
    let latest = a.latest;
    let latest_funnel = p.funnel.last().map(|f| f.month);
    if let Some(m) = latest_funnel {
        c.insert("latest_funnel".into(), json!({"name": m.long_name(), "href": report_href(m)}));
        c.insert("cards".into(), headline_cards(a, m));
        c.insert("trend".into(), trend_block(a, &window(p, m), "home"));
    }
    if let Some(m) = latest {
        c.insert("board_month".into(), json!(m.long_name()));
        c.insert("goals".into(), json!(active_goal_rows(a, m)));
    }
    c.insert("actions".into(), actions::overview_block(a));
    let reports: Vec<Value> = a
        .months
        .iter()
        .rev()
        .map(|m| {
            let f = fig(a, *m);
            let met = f.checklist.iter().filter(|x| x.met).count();
            json!({"href": report_href(*m), "name": m.long_name(), "meetings": f.meetings.len(), "has_funnel": f.has_funnel,
                   "leads": format::count(f.stages[0]), "checklist": format!("{met}/{}", f.checklist.len()),
                   "title": p.commentaries.iter().find(|x| x.month == *m).and_then(|x| x.title.clone())})
        })
        .collect();
    c.insert("reports".into(), Value::Array(reports));
    Value::Object(c)
}

/// The funnel history page.
pub fn funnel_page(a: &Analysis) -> Value {
    let p = a.project;
    let s = &p.site;
    let mut c = common(1, "funnel", "Funnel history");
    let months: Vec<Month> = match (p.funnel.first(), p.funnel.last()) {
        (Some(f), Some(l)) => {
            let mut v = vec![f.month];
            while *v.last().unwrap_or(&l.month) < l.month {
                let n = v[v.len() - 1].next();
                v.push(n);
            }
            v
        }
        _ => vec![],
    };
    if !months.is_empty() {
        c.insert("trend".into(), trend_block(a, &months, "history"));
    }
    let rows: Vec<Value> = months
        .iter()
        .rev()
        .map(|m| {
            // Analyze computed every month of the funnel's span.
            let f = fig(a, *m);
            json!({"month": m.short_name(), "href": if a.months.contains(m) { Some(report_href(*m)) } else { None },
                   "stages": (0..s.stages.len()).map(|i| format::count(f.stages[i])).collect::<Vec<_>>(),
                   "overall": format::percent(f.overall), "revenue": format::money(f.revenue, currency(a)),
                   "cac": format::money(f.cac, currency(a)), "retention": format::percent(f.retention),
                   "lvr": format::change(f.lead_velocity_rate)})
        })
        .collect();
    c.insert("stage_labels".into(), json!(s.stage_labels));
    c.insert("rows".into(), Value::Array(rows));
    Value::Object(c)
}

/// The goals page: every goal, its progress chart, status and history.
pub fn goals_page(a: &Analysis) -> Value {
    let p = a.project;
    let mut c = common(1, "goals", "Goals");
    let Some(m) = a.latest else {
        c.insert("goals".into(), json!([]));
        return Value::Object(c);
    };
    let figs = &fig(a, m).goals;
    let rows: Vec<ProgressRow> = p
        .goals
        .iter()
        .zip(figs)
        .map(|(g, f)| ProgressRow {
            label: g.title.clone(),
            progress: f.progress,
            elapsed: f.elapsed,
            shown: format!("{} · {}", format::percent(f.progress), StatusView::of(f.status).label),
        })
        .collect();
    // Two layouts of one chart; the stylesheet shows the one that fits the screen.
    let chart_title = format!("Progress of every goal in {}, with time elapsed", m.long_name());
    let chart = charts::progress("goals", &chart_title, &rows, ProgressLayout::Narrow);
    let chart_wide = charts::progress("goals-wide", &chart_title, &rows, ProgressLayout::Wide);
    let goals: Vec<GoalDetail> = p
        .goals
        .iter()
        .enumerate()
        .map(|(i, g)| {
            // Every report month in the goal's dates, newest first.
            let history = a
                .months
                .iter()
                .rev()
                .filter(|x| **x >= g.start && **x <= g.due.max(g.start))
                .map(|hm| {
                    let f = &fig(a, *hm).goals[i];
                    GoalHistoryRow {
                        month: hm.short_name(),
                        current: format::in_unit(f.current, g.unit, currency(a)),
                        change: format::change_in_unit(f.change, g.unit, currency(a)),
                        progress: format::percent(f.progress),
                        elapsed: format::percent(Some(f.elapsed)),
                        status: StatusView::of(f.status),
                    }
                })
                .collect();
            // The value month by month from start to due (up to the page's month), the target
            // and the pace line.
            let months: Vec<Month> = std::iter::successors(Some(g.start), |x| Some(x.next()))
                .take_while(|x| *x <= g.due)
                .take(1200)
                .collect();
            let labels: Vec<String> = months.iter().map(|x| x.short_name()).collect();
            let values = months
                .iter()
                .map(|x| if *x <= m { a.get(*x).and_then(|f| f.goals[i].current) } else { None })
                .collect();
            let history_chart = charts::goal_history(
                &format!("goal-{}-chart", g.id),
                &format!(
                    "{}: value by month from {} to {}, with the target{}",
                    g.title,
                    g.start.short_name(),
                    g.due.short_name(),
                    if figs[i].projection.is_some() { " and the pace" } else { "" }
                ),
                &charts::GoalHistory {
                    months: &labels,
                    values,
                    baseline: g.baseline,
                    target: g.target,
                    pace: figs[i].projection,
                },
                &|v| format::in_unit(Some(v), g.unit, currency(a)),
            );
            GoalDetail {
                chart: history_chart,
                row: goal_row(a, g, &figs[i]),
                history,
                unit: g.unit.name(),
                checkins: g
                    .checkins
                    .iter()
                    .map(|ci| CheckinView {
                        month: ci.month.short_name(),
                        value: format::in_unit(Some(ci.value), g.unit, currency(a)),
                        note: ci.note.as_deref(),
                    })
                    .collect(),
            }
        })
        .collect();
    c.insert("month".into(), json!(m.long_name()));
    c.insert("chart".into(), json!(chart));
    c.insert("chart_wide".into(), json!(chart_wide));
    c.insert("goals".into(), json!(goals));
    Value::Object(c)
}

/// A goal on the goals page: its row, its month-by-month history and its check-ins.
#[derive(Serialize)]
pub struct GoalDetail<'a> {
    /// The goal's row at the page's month.
    #[serde(flatten)]
    pub row: GoalRow<'a>,
    /// Report months in the goal's dates, newest first.
    pub history: Vec<GoalHistoryRow>,
    /// The unit's name.
    pub unit: &'static str,
    /// The history chart: value by month, target line and dashed pace line (SVG).
    pub chart: String,
    /// Check-ins as written.
    pub checkins: Vec<CheckinView<'a>>,
}

/// One month of a goal's history.
#[derive(Serialize)]
pub struct GoalHistoryRow {
    /// "Oct 2026".
    pub month: String,
    /// The value.
    pub current: String,
    /// The change since the month before, in the goal's unit.
    pub change: String,
    /// Progress.
    pub progress: String,
    /// Time elapsed.
    pub elapsed: String,
    /// Status.
    pub status: StatusView,
}

/// A check-in as the goals page lists it.
#[derive(Serialize)]
pub struct CheckinView<'a> {
    /// "Oct 2026".
    pub month: String,
    /// The value in the goal's unit.
    pub value: String,
    /// The note.
    pub note: Option<&'a str>,
}

/// The meetings list, newest month first.
pub fn meetings_page(a: &Analysis) -> Value {
    let p = a.project;
    let mut c = common(1, "meetings", "Meetings");
    let mut groups: Vec<Value> = Vec::new();
    let mut months: Vec<Month> = p.meetings.iter().map(|m| Month::of(m.date)).collect();
    months.dedup();
    for m in months.iter().rev() {
        let list: Vec<Value> =
            p.meetings.iter().filter(|mt| Month::of(mt.date) == *m).rev().map(|mt| meeting_summary(p, mt)).collect();
        groups.push(json!({"month": m.long_name(), "href": report_href(*m), "meetings": list}));
    }
    c.insert("groups".into(), Value::Array(groups));
    c.insert("count".into(), json!(p.meetings.len()));
    Value::Object(c)
}

/// A team as a pill: key (for its colour) and name.
#[derive(serde::Serialize)]
pub struct TeamPill<'a> {
    key: &'a str,
    name: &'a str,
}

/// A person at a meeting.
#[derive(serde::Serialize)]
pub struct AttendeeView<'a> {
    name: &'a str,
    team: Option<TeamPill<'a>>,
}

/// An action item as a meeting page shows it.
#[derive(serde::Serialize)]
pub struct ActionView<'a> {
    task: &'a str,
    owner: &'a str,
    due: String,
    done: bool,
}

/// The meeting itself, borrowing from the model (meeting pages are most of a site, so this
/// path avoids building an intermediate JSON value).
#[derive(serde::Serialize)]
pub struct MeetingView<'a> {
    slug: &'a str,
    href: String,
    title: &'a str,
    date: String,
    joint: bool,
    decisions: &'a [String],
    attendees: String,
    actions: usize,
    shoutouts: &'a [String],
    notes_html: String,
    report_href: String,
    month: String,
    attendee_list: Vec<AttendeeView<'a>>,
    action_items: Vec<ActionView<'a>>,
}

/// One meeting's page.
#[derive(serde::Serialize)]
pub struct MeetingPage<'a> {
    root: &'static str,
    page_key: &'static str,
    page_title: &'a str,
    meeting: MeetingView<'a>,
}

fn team_of<'a>(p: &'a Project, person: &str) -> Option<TeamPill<'a>> {
    p.site.teams.iter().find(|t| t.members.iter().any(|m| m == person)).map(|t| TeamPill { key: &t.key, name: &t.name })
}

/// One meeting's page.
pub fn meeting_page<'a>(a: &'a Analysis, mt: &'a Meeting) -> MeetingPage<'a> {
    let p = a.project;
    let m = Month::of(mt.date);
    MeetingPage {
        root: "../../",
        page_key: "meetings",
        page_title: &mt.title,
        meeting: MeetingView {
            slug: &mt.slug,
            href: meeting_href(&mt.slug),
            title: &mt.title,
            date: calendar::date_label(mt.date),
            joint: is_joint(&p.site, mt),
            decisions: &mt.decisions,
            attendees: mt.attendees.join(", "),
            actions: mt.actions.len(),
            shoutouts: &mt.shoutouts,
            notes_html: markdown::render(&mt.notes),
            report_href: report_href(m),
            month: m.long_name(),
            attendee_list: mt.attendees.iter().map(|x| AttendeeView { name: x, team: team_of(p, x) }).collect(),
            action_items: mt
                .actions
                .iter()
                .map(|x| ActionView {
                    task: &x.task,
                    owner: &x.owner,
                    due: calendar::date_label(x.due),
                    done: x.done_by(p.as_of),
                })
                .collect(),
        },
    }
}

/// The evidence count in words: "3 joint meetings", "1 shared goal", "2 shoutouts".
fn evidence_label(id: &str, n: Option<u64>) -> Option<String> {
    let n = n?;
    let (one, many) = match id {
        "communicate" => ("joint meeting", "joint meetings"),
        "common-interests" => ("shared goal", "shared goals"),
        "fill-tanks" => ("shoutout", "shoutouts"),
        _ => return Some(n.to_string()),
    };
    Some(format!("{n} {}", if n == 1 { one } else { many }))
}

/// The checklist history page, month by month.
pub fn checklist_page(a: &Analysis) -> Value {
    let p = a.project;
    let mut c = common(1, "checklist", "Key-takeaway checklist");
    let items = p.checklist();
    let rows: Vec<Value> = a
        .months
        .iter()
        .rev()
        .map(|m| {
            let f = &fig(a, *m).checklist;
            let note = p.checklist_months.iter().find(|x| x.month == *m).and_then(|x| x.note.clone());
            json!({"month": m.short_name(), "href": report_href(*m), "note": note,
                   "cells": f.iter().map(|x| json!({"met": x.met, "checked": x.checked, "evidence": evidence_label(&x.id, x.evidence)})).collect::<Vec<_>>(),
                   "met": f.iter().filter(|x| x.met).count()})
        })
        .collect();
    c.insert(
        "items".into(),
        items
            .iter()
            .map(|i| json!({"id": i.id, "text": i.text, "nudge": TAKEAWAYS.iter().find(|t| t.0 == i.id).map(|t| t.2)}))
            .collect(),
    );
    c.insert("rows".into(), Value::Array(rows));
    c.insert("total".into(), json!(items.len()));
    Value::Object(c)
}

/// The personas page.
pub fn personas_page(a: &Analysis) -> Value {
    let mut c = common(1, "personas", "Buyer personas");
    c.insert("personas".into(), serde_json::to_value(&a.project.personas).unwrap_or_default());
    Value::Object(c)
}
