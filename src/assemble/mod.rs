//! Assemble: the data each page template reads, with every number already formatted for
//! display. Figures come from [`Analysis`]; nothing here computes a formula.

use crate::model::calendar::{self, Month};
use crate::model::{Goal, Meeting, Project, Status, TAKEAWAYS};
use crate::render::charts::{self, Bar, Chart, ProgressLayout, ProgressRow};
pub mod actions;
pub mod feeds;
pub mod format;
pub mod glossary;
use crate::analyze::{benefits, goals, MonthFigures};
use crate::render::markdown::Markdown;
use serde::Serialize;

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

/// A page's template context: where it sits (the prefix back to the site root), its key in
/// the navigation, its title, and its own data.
#[derive(Serialize)]
pub struct Page<T> {
    /// `../` once per folder below the site root.
    pub root: String,
    /// The navigation entry the page marks as current.
    pub page_key: &'static str,
    /// The page's title.
    pub page_title: String,
    /// The page's own data.
    #[serde(flatten)]
    pub body: T,
}

impl<T> Page<T> {
    /// A page `depth` folders below the site root.
    pub fn new(depth: usize, key: &'static str, title: impl Into<String>, body: T) -> Self {
        Page { root: root_prefix(depth), page_key: key, page_title: title.into(), body }
    }
}

/// An entry of the site-wide navigation.
#[derive(Serialize)]
pub struct NavItem {
    /// Its words.
    pub label: &'static str,
    /// Its link from the site root.
    pub href: String,
    /// The `page_key` of the page it leads to.
    pub key: &'static str,
}

/// The site-wide navigation: label, link from the site root, and the key pages compare with
/// their `page_key` to mark the current entry.
pub fn nav(a: &Analysis) -> Vec<NavItem> {
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
    items.into_iter().map(|(label, href, key)| NavItem { label, href, key }).collect()
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
    pub nav: Vec<NavItem>,
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

/// A headline card: value, change, whether the change is good for that figure, its anchor on
/// the page (benefit tiles point at it) and its glossary entry.
#[derive(Serialize)]
pub struct Card {
    /// The figure's name.
    pub label: String,
    /// Its value.
    pub value: String,
    /// Its change since last month.
    pub change: String,
    /// `good`, `bad`, `flat` or `none`.
    pub tone: &'static str,
    /// ▲, ▼ or ■.
    pub arrow: &'static str,
    /// The change in a word, for screen readers.
    pub word: &'static str,
    /// The card's anchor.
    pub id: String,
    /// Its glossary entry.
    pub term: &'static str,
}

/// A headline card: value, change, and whether the change is good for that figure. The change
/// is shown as a relative change ("+5.0%") unless `shown` words it otherwise.
fn card(
    label: &str,
    value: String,
    change: Option<f64>,
    higher_is_better: bool,
    id: String,
    term: &'static str,
) -> Card {
    card_shown(label, value, change, format::change(change), higher_is_better, id, term)
}

/// A headline card whose change is worded by the caller (retention's "−0.2 pts").
fn card_shown(
    label: &str,
    value: String,
    change: Option<f64>,
    shown: String,
    higher_is_better: bool,
    id: String,
    term: &'static str,
) -> Card {
    let (tone, arrow, word) = match change {
        Some(c) if c > 0.0 => (if higher_is_better { "good" } else { "bad" }, "▲", "up"),
        Some(c) if c < 0.0 => (if higher_is_better { "bad" } else { "good" }, "▼", "down"),
        Some(_) => ("flat", "■", "unchanged"),
        None => ("none", "", "no comparison"),
    };
    Card { label: label.to_string(), value, change: shown, tone, arrow, word, id, term }
}

fn headline_cards(a: &Analysis, m: Month) -> Vec<Card> {
    let p = a.project;
    let s = &p.site;
    let f = fig(a, m);
    let last = s.stages.len() - 1;
    let q = s.qualified_stage;
    let stage_card = |i: usize| {
        card(&s.stage_labels[i], format::count(f.stages[i]), f.mom[i], true, card_id_stage(&s.stages[i]), "stage-count")
    };
    let mut cards = vec![stage_card(0)];
    if q != 0 && q != last {
        cards.push(stage_card(q));
    }
    cards.push(stage_card(last));
    let cur = currency(a);
    cards.push(card("Revenue", format::money(f.revenue, cur), f.revenue_mom, true, "card-revenue".into(), "revenue"));
    cards.push(card("CAC", format::money(f.cac, cur), f.cac_mom, false, "card-cac".into(), "cac"));
    // A rate's change in points, like a goal's ("−0.2 pts"): a relative "−0.2%" of 98.5% is
    // easily read as points.
    cards.push(card_shown(
        "Retention",
        format::percent(f.retention),
        f.retention_change,
        format::change_in_unit(f.retention_change, crate::model::Unit::Percent, cur),
        true,
        "card-retention".into(),
        "retention",
    ));
    cards
}

/// The page anchor of a stage's headline card.
fn card_id_stage(stage: &str) -> String {
    format!("card-stage-{}", href_segment(stage))
}

/// One of the five benefits, this month against last.
#[derive(Serialize)]
pub struct BenefitTile {
    /// Its id.
    pub id: &'static str,
    /// The benefit in words.
    pub words: &'static str,
    /// The figure it is judged by.
    pub figure: &'static str,
    /// This month's value.
    pub value: String,
    /// Last month's value.
    pub previous: String,
    /// `better`, `worse`, `same` or `no data`.
    pub verdict: &'static str,
    /// A mark that does not rely on colour.
    pub icon: &'static str,
    /// The verdict as a CSS class.
    pub key: String,
    /// The headline card that shows the figure, when the page has that card.
    pub card: Option<String>,
}

/// The five benefit tiles of month `m`; `cards` are the headline cards on the same page.
fn benefit_tiles(a: &Analysis, m: Month, cards: &[Card]) -> Vec<BenefitTile> {
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
            // points at that card instead of repeating it; without the card (a month with no
            // funnel data has none) the tile shows its own value.
            let card = match b.id {
                "costs" => Some("card-cac".to_string()),
                "leads" => Some(card_id_stage(&a.project.site.stages[0])),
                "retention" => Some("card-retention".to_string()),
                _ => None,
            }
            .filter(|id| cards.iter().any(|c| &c.id == id));
            BenefitTile {
                id: b.id,
                words,
                figure,
                value: show(b.value),
                previous: show(b.previous),
                verdict,
                icon,
                key: verdict.replace(' ', "-"),
                card,
            }
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

/// One month of the trend table.
#[derive(Serialize)]
pub struct TrendRow {
    /// "Oct 2026".
    pub month: String,
    /// Count per stage.
    pub stages: Vec<String>,
    /// Conversion between adjacent stages.
    pub conversions: Vec<String>,
}

/// One small chart of the trends with its caption: the series' name (which wraps, however long
/// a CRM's stage name is), its latest value and, for a stage, the colour of its line.
#[derive(Serialize)]
pub struct TrendChart<'a> {
    /// The stage's name, or the conversion's ("Leads→MQL").
    pub name: String,
    /// The latest month's value, formatted.
    pub latest: String,
    /// The line's colour as CSS, for the legend swatch; `None` for a conversion (drawn in ink).
    pub swatch: Option<String>,
    /// The chart.
    pub chart: Chart<'a>,
}

/// The stage and conversion trends: small charts and their table.
#[derive(Serialize)]
pub struct Trend<'a> {
    /// One chart per stage.
    pub stage_charts: Vec<TrendChart<'a>>,
    /// One chart per conversion between adjacent stages.
    pub conv_charts: Vec<TrendChart<'a>>,
    /// The table.
    pub rows: Vec<TrendRow>,
    /// Stage names.
    pub stage_labels: &'a [String],
    /// Conversion names, "Leads→MQL".
    pub conv_labels: Vec<String>,
}

/// Stage trend and conversion trend charts (with their table) over `months`: one small chart
/// per stage, each on its own linear scale from 0 in the stage's colour, then one per
/// conversion between adjacent stages, in the ink colour (a ratio is no stage's series).
fn trend_block<'a>(a: &'a Analysis, months: &[Month], id: &str) -> Trend<'a> {
    let p = a.project;
    let s = &p.site;
    let labels: std::rc::Rc<[String]> = months.iter().map(|m| m.short_name()).collect();
    // A month outside the analysed ones (a gap after the last funnel month) has no figures.
    let fms: Vec<Option<&MonthFigures>> = months.iter().map(|m| a.get(*m)).collect();
    let stage = |f: &Option<&MonthFigures>, i: usize| f.and_then(|f| f.stages[i]);
    let conv = |f: &Option<&MonthFigures>, i: usize| f.and_then(|f| f.conversions[i]);
    let first = months.first().map(|m| m.short_name()).unwrap_or_default();
    let last = months.last().map(|m| m.short_name()).unwrap_or_default();
    let latest = |values: &[Option<f64>], show: &dyn Fn(Option<f64>) -> String| show(values.last().copied().flatten());
    let stage_charts: Vec<TrendChart> = (0..s.stages.len())
        .map(|i| {
            let values: Vec<Option<f64>> = fms.iter().map(|f| stage(f, i)).collect();
            TrendChart {
                name: s.stage_labels[i].clone(),
                latest: latest(&values, &format::count),
                swatch: Some(charts::css_color(charts::stage_color(i))),
                chart: Chart::Multiple {
                    id: format!("{id}-stage-{i}"),
                    title: format!("{} by month, {first} to {last}", s.stage_labels[i]),
                    months: labels.clone(),
                    series: charts::Multiple { values, color: charts::stage_color(i) },
                    percent: false,
                },
            }
        })
        .collect();
    let conv_names: Vec<String> =
        (0..s.stages.len() - 1).map(|i| format!("{}→{}", s.stage_labels[i], s.stage_labels[i + 1])).collect();
    let conv_charts: Vec<TrendChart> = (0..s.stages.len() - 1)
        .map(|i| {
            let values: Vec<Option<f64>> = fms.iter().map(|f| conv(f, i)).collect();
            TrendChart {
                name: conv_names[i].clone(),
                latest: latest(&values, &format::percent),
                swatch: None,
                chart: Chart::Multiple {
                    id: format!("{id}-conv-{i}"),
                    title: format!("Conversion {} by month, {first} to {last}", conv_names[i]),
                    months: labels.clone(),
                    series: charts::Multiple { values, color: charts::INK },
                    percent: true,
                },
            }
        })
        .collect();
    let rows = months
        .iter()
        .zip(&fms)
        .map(|(m, f)| TrendRow {
            month: m.short_name(),
            stages: (0..s.stages.len()).map(|i| format::count(stage(f, i))).collect(),
            conversions: (0..s.stages.len() - 1).map(|i| format::percent(conv(f, i))).collect(),
        })
        .collect();
    Trend { stage_charts, conv_charts, rows, stage_labels: &s.stage_labels, conv_labels: conv_names }
}

/// One stage of the funnel table.
#[derive(Serialize)]
pub struct FunnelRow<'a> {
    /// The stage's name.
    pub label: &'a str,
    /// Its count.
    pub count: String,
    /// Conversion to the next stage (empty for the last).
    pub conversion: String,
    /// Change since last month.
    pub mom: String,
}

/// A further funnel figure, with its glossary entry.
#[derive(Serialize)]
pub struct Extra {
    /// Its name.
    pub label: &'static str,
    /// Its glossary entry.
    pub term: &'static str,
    /// Its value.
    pub value: String,
}

/// The month's funnel: chart, table, further figures and the trend.
#[derive(Serialize)]
pub struct FunnelBlock<'a> {
    /// The funnel chart.
    pub chart: Chart<'a>,
    /// The table.
    pub rows: Vec<FunnelRow<'a>>,
    /// Overall conversion, lead velocity, cost per lead, ...
    pub extras: Vec<Extra>,
    /// The 12-month trend.
    pub trend: Trend<'a>,
}

fn funnel_block<'a>(a: &'a Analysis, m: Month) -> FunnelBlock<'a> {
    let p = a.project;
    let s = &p.site;
    let f = fig(a, m);
    let cur = currency(a);
    let bars: Vec<Bar> = (0..s.stages.len())
        .map(|i| Bar {
            label: s.stage_labels[i].clone(),
            value: f.stages[i].unwrap_or(0.0),
            shown: format::count(f.stages[i]),
            color: charts::stage_color(i),
        })
        .collect();
    let between: Vec<String> = f.conversions.iter().map(|c| format!("↓ {} convert", format::percent(*c))).collect();
    let chart = Chart::HBars {
        id: "funnel".into(),
        title: format!("Funnel for {}: count per stage and conversion to the next", m.long_name()),
        bars,
        between,
    };
    let rows = (0..s.stages.len())
        .map(|i| FunnelRow {
            label: &s.stage_labels[i],
            count: format::count(f.stages[i]),
            conversion: f.conversions.get(i).map(|c| format::percent(*c)).unwrap_or_default(),
            mom: format::change(f.mom[i]),
        })
        .collect();
    let fm = p.funnel_month(m);
    let or_none = |v: Option<String>| v.unwrap_or_else(|| format::NONE.into());
    let extra = |label, term, value| Extra { label, term, value };
    let extras = vec![
        extra("Overall conversion", "overall-conversion", format::percent(f.overall)),
        extra("Lead velocity rate", "lead-velocity-rate", format::change(f.lead_velocity_rate)),
        extra("Cost per lead", "cost-per-lead", format::money(f.cost_per_lead, cur)),
        extra("Win rate", "win-rate", format::percent(f.win_rate)),
        extra("Average deal", "average-deal", format::money(f.average_deal, cur)),
        extra(
            "Sales velocity",
            "sales-velocity",
            or_none(f.sales_velocity.map(|v| format!("{} / day", format::money(Some(v), cur)))),
        ),
        extra(
            "Sales cycle",
            "sales-cycle",
            or_none(f.sales_cycle_days.map(|v| format!("{} days", format::decimal(Some(v))))),
        ),
        extra(
            "Lead response",
            "lead-response",
            or_none(fm.and_then(|x| x.lead_response_hours).map(|v| format!("{} h", format::decimal(Some(v))))),
        ),
    ];
    FunnelBlock { chart, rows, extras, trend: trend_block(a, &window(p, m), "trend") }
}

/// One channel of the channels table.
#[derive(Serialize)]
pub struct ChannelRow<'a> {
    /// The channel's name.
    pub name: &'a str,
    /// Count per shown stage.
    pub values: Vec<String>,
    /// Its spend.
    pub spend: String,
    /// Bar width, 0 to 100, of the sorted-by stage.
    pub bar: String,
}

/// The month's channels, when the funnel gives any.
#[derive(Serialize)]
pub struct ChannelsBlock<'a> {
    /// The stages any channel gives.
    pub columns: Vec<&'a str>,
    /// One row per channel.
    pub rows: Vec<ChannelRow<'a>>,
    /// The stage the rows are sorted and barred by.
    pub sorted_by: &'a str,
    /// Whether any channel has spend.
    pub has_spend: bool,
}

fn channels_block<'a>(a: &'a Analysis, m: Month) -> Option<ChannelsBlock<'a>> {
    let p = a.project;
    let s = &p.site;
    let fm = p.funnel_month(m)?;
    if fm.channels.is_empty() {
        return None;
    }
    let last = s.stages.len() - 1;
    let mut chans: Vec<&crate::model::Channel> = fm.channels.iter().collect();
    chans.sort_by(|x, y| y.stages[last].unwrap_or(0).cmp(&x.stages[last].unwrap_or(0)).then(x.name.cmp(&y.name)));
    // Columns: the stages any channel gives.
    let cols: Vec<usize> = (0..s.stages.len()).filter(|i| chans.iter().any(|c| c.stages[*i].is_some())).collect();
    let sort_col = if cols.contains(&last) { last } else { *cols.last().unwrap_or(&0) };
    let max = chans.iter().filter_map(|c| c.stages[sort_col]).max().unwrap_or(0).max(1) as f64;
    let rows = chans
        .iter()
        .map(|c| {
            let v = c.stages[sort_col].unwrap_or(0) as f64;
            ChannelRow {
                name: &c.name,
                values: cols.iter().map(|i| format::count(c.stages[*i].map(|x| x as f64))).collect(),
                spend: format::money(c.spend, currency(a)),
                bar: format!("{:.1}", v / max * 100.0),
            }
        })
        .collect();
    Some(ChannelsBlock {
        columns: cols.iter().map(|i| s.stage_labels[*i].as_str()).collect(),
        rows,
        sorted_by: &s.stage_labels[sort_col],
        has_spend: chans.iter().any(|c| c.spend.is_some()),
    })
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

/// A meeting as the report and the meetings list show it.
#[derive(Serialize)]
pub struct MeetingSummary<'a> {
    /// Its page name.
    pub slug: &'a str,
    /// Its page.
    pub href: String,
    /// Title.
    pub title: &'a str,
    /// "7 Oct 2026".
    pub date: String,
    /// Whether marketing and sales were both there.
    pub joint: bool,
    /// Decisions.
    pub decisions: &'a [String],
    /// Attendees, comma-separated.
    pub attendees: String,
    /// How many action items it agreed.
    pub actions: usize,
    /// Shoutouts.
    pub shoutouts: &'a [String],
}

fn meeting_summary<'a>(a: &Analysis, mt: &'a Meeting) -> MeetingSummary<'a> {
    MeetingSummary {
        slug: &mt.slug,
        href: meeting_href(&mt.slug),
        title: &mt.title,
        date: calendar::date_label(mt.date),
        joint: a.is_joint(mt),
        decisions: &mt.decisions,
        attendees: mt.attendees.join(", "),
        actions: mt.actions.len(),
        shoutouts: &mt.shoutouts,
    }
}

/// A checklist item in a month.
#[derive(Serialize)]
pub struct ChecklistRow {
    /// Its id.
    pub id: String,
    /// Its words.
    pub text: String,
    /// Whether it was met.
    pub met: bool,
    /// Whether the team checked it.
    pub checked: bool,
    /// How it was met, in words.
    pub how: &'static str,
    /// The evidence, in words.
    pub evidence: Option<String>,
    /// What to do when it is not met.
    pub nudge: Option<&'static str>,
}

/// The month's checklist.
#[derive(Serialize)]
pub struct ChecklistBlock<'a> {
    /// The items.
    pub items: Vec<ChecklistRow>,
    /// How many were met.
    pub met: usize,
    /// How many there are.
    pub total: usize,
    /// The team's note.
    pub note: Option<&'a str>,
}

fn checklist_block<'a>(a: &'a Analysis, m: Month) -> ChecklistBlock<'a> {
    let p = a.project;
    let items = p.checklist();
    let figs = &fig(a, m).checklist;
    let note = p.checklist_months.iter().find(|c| c.month == m).and_then(|c| c.note.as_deref());
    let rows = items
        .into_iter()
        .zip(figs)
        .map(|(item, f)| {
            let evidence = match (item.id.as_str(), f.evidence) {
                ("communicate", Some(n)) => Some(format!(
                    "{n} joint meeting{} (needs {})",
                    if n == 1 { "" } else { "s" },
                    p.site.min_joint_meetings
                )),
                ("communicate", None) => Some("joint meetings cannot be counted: a team lists no members".into()),
                ("common-interests", Some(n)) => {
                    Some(format!("{n} active shared goal{}", if n == 1 { "" } else { "s" }))
                }
                ("fill-tanks", Some(n)) => Some(format!("{n} shoutout{}", if n == 1 { "" } else { "s" })),
                _ => None,
            };
            let how = match (f.checked, f.met) {
                (true, _) => "checked by the team",
                (false, true) => "shown by the evidence",
                (false, false) => "not met",
            };
            let nudge = TAKEAWAYS.iter().find(|t| t.0 == item.id).map(|t| t.2);
            ChecklistRow {
                id: item.id,
                text: item.text,
                met: f.met,
                checked: f.checked,
                how,
                evidence,
                nudge: if f.met { None } else { nudge },
            }
        })
        .collect();
    ChecklistBlock { items: rows, met: figs.iter().filter(|f| f.met).count(), total: figs.len(), note }
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

/// A month as a report names it.
#[derive(Serialize)]
pub struct MonthRef {
    /// `2026-10`.
    pub id: String,
    /// "October 2026".
    pub name: String,
    /// "Oct 2026".
    pub short: String,
}

/// A link with its words.
#[derive(Serialize)]
pub struct Link {
    /// The link from the site root.
    pub href: String,
    /// Its words.
    pub name: String,
}

/// A month's commentary.
#[derive(Serialize)]
pub struct CommentaryView<'a> {
    /// Its headline.
    pub title: Option<&'a str>,
    /// Its text (HTML once rendered).
    pub html: Markdown<'a>,
}

/// The monthly report.
#[derive(Serialize)]
pub struct ReportPage<'a> {
    /// The month.
    pub month: MonthRef,
    /// "in progress, as of 30 Nov 2026" while the month is not over.
    pub in_progress: Option<String>,
    /// The report before.
    pub prev: Option<Link>,
    /// The report after.
    pub next: Option<Link>,
    /// What the report was built from, in words.
    pub basis: String,
    /// Whether the month has funnel data.
    pub has_funnel: bool,
    /// What changed since last month.
    pub changes: ChangesView<'a>,
    /// Headline cards (none in a month without funnel data).
    pub cards: Vec<Card>,
    /// The five benefits.
    pub benefits: Vec<BenefitTile>,
    /// The funnel, when the month has data.
    pub funnel: Option<FunnelBlock<'a>>,
    /// The channels, when the funnel gives any.
    pub channels: Option<ChannelsBlock<'a>>,
    /// The goals that run in the month.
    pub goals: Vec<GoalRow<'a>>,
    /// The month's meetings.
    pub meetings: Vec<MeetingSummary<'a>>,
    /// The action items.
    pub actions: actions::ReportBlock<'a>,
    /// The checklist.
    pub checklist: ChecklistBlock<'a>,
    /// The team's commentary.
    pub commentary: Option<CommentaryView<'a>>,
    /// The month's JSON.
    pub data_href: String,
}

/// The monthly report page.
pub fn report<'a>(a: &'a Analysis, idx: usize) -> Page<ReportPage<'a>> {
    let p = a.project;
    let m = a.months[idx];
    let f = fig(a, m);
    // Only the latest report (FORMAT.md 8.0) is "Latest report" in the navigation.
    let key = if a.latest == Some(m) { "report" } else { "" };
    let meetings: &[&Meeting] = a.meetings.get(&m).map(Vec::as_slice).unwrap_or_default();
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
        .map(|x| CommentaryView { title: x.title.as_deref(), html: Markdown(&x.body) });
    let link = |n: Month| Link { href: report_href(n), name: n.short_name() };
    let cards = if f.has_funnel { headline_cards(a, m) } else { Vec::new() };
    let body = ReportPage {
        month: MonthRef { id: m.to_string(), name: m.long_name(), short: m.short_name() },
        // "in progress, as of 30 Nov 2026": the month is not over, its figures will still change.
        in_progress: f.in_progress.then(|| format!("in progress, as of {}", calendar::date_label(f.end_day))),
        prev: idx.checked_sub(1).map(|i| link(a.months[i])),
        next: a.months.get(idx + 1).map(|n| link(*n)),
        basis: format!(
            "Built from {} meeting{}, {} active goal{} and {}",
            meetings.len(),
            if meetings.len() == 1 { "" } else { "s" },
            active.len(),
            if active.len() == 1 { "" } else { "s" },
            basis
        ),
        has_funnel: f.has_funnel,
        changes: changes_view(a, m),
        benefits: benefit_tiles(a, m, &cards),
        cards,
        funnel: f.has_funnel.then(|| funnel_block(a, m)),
        channels: channels_block(a, m),
        goals: active,
        meetings: meetings.iter().map(|mt| meeting_summary(a, mt)).collect(),
        actions: actions::report_block(a, m),
        checklist: checklist_block(a, m),
        commentary,
        data_href: format!("data/{m}.json"),
    };
    Page::new(2, key, format!("Alignment report, {}", m.long_name()), body)
}

/// A month in the overview's list of reports.
#[derive(Serialize)]
pub struct ReportLink<'a> {
    /// Its report.
    pub href: String,
    /// "October 2026".
    pub name: String,
    /// Its meetings.
    pub meetings: usize,
    /// Whether it has funnel data.
    pub has_funnel: bool,
    /// Its first-stage count.
    pub leads: String,
    /// "3/5".
    pub checklist: String,
    /// Its commentary's headline.
    pub title: Option<&'a str>,
    /// Whether the month holds the as-of date: its figures are not final yet.
    pub in_progress: bool,
}

/// The overview page.
#[derive(Serialize)]
pub struct IndexPage<'a> {
    /// The latest month with funnel data.
    pub latest_funnel: Option<Link>,
    /// "in progress, as of 15 Jul 2024" when that month holds the as-of date: its cards
    /// compare a part of a month with a whole one, and say so (as its report does).
    pub latest_in_progress: Option<String>,
    /// Its headline cards.
    pub cards: Option<Vec<Card>>,
    /// Its 12-month trend.
    pub trend: Option<Trend<'a>>,
    /// The latest report's month, "October 2026".
    pub board_month: Option<String>,
    /// The goals that run in it.
    pub goals: Option<Vec<GoalRow<'a>>>,
    /// Action items at the as-of date.
    pub actions: actions::OverviewBlock<'a>,
    /// Every report, newest first.
    pub reports: Vec<ReportLink<'a>>,
    /// The first stage's name (the reports table's column).
    pub first_stage: &'a str,
}

/// The overview page.
pub fn index<'a>(a: &'a Analysis) -> Page<IndexPage<'a>> {
    let p = a.project;
    let latest_funnel = p.funnel.last().map(|f| f.month);
    let reports = a
        .months
        .iter()
        .rev()
        .map(|m| {
            let f = fig(a, *m);
            let met = f.checklist.iter().filter(|x| x.met).count();
            ReportLink {
                href: report_href(*m),
                name: m.long_name(),
                meetings: f.meetings.len(),
                has_funnel: f.has_funnel,
                leads: format::count(f.stages[0]),
                checklist: format!("{met}/{}", f.checklist.len()),
                title: p.commentaries.iter().find(|x| x.month == *m).and_then(|x| x.title.as_deref()),
                in_progress: f.in_progress,
            }
        })
        .collect();
    let body = IndexPage {
        latest_funnel: latest_funnel.map(|m| Link { href: report_href(m), name: m.long_name() }),
        latest_in_progress: latest_funnel
            .map(|m| fig(a, m))
            .filter(|f| f.in_progress)
            .map(|f| format!("in progress, as of {}", calendar::date_label(f.end_day))),
        cards: latest_funnel.map(|m| headline_cards(a, m)),
        trend: latest_funnel.map(|m| trend_block(a, &window(p, m), "home")),
        board_month: a.latest.map(|m| m.long_name()),
        goals: a.latest.map(|m| active_goal_rows(a, m)),
        actions: actions::overview_block(a),
        reports,
        first_stage: &p.site.stage_labels[0],
    };
    Page::new(0, "home", "Overview", body)
}

/// One month of the funnel history.
#[derive(Serialize)]
pub struct FunnelHistoryRow {
    /// "Oct 2026".
    pub month: String,
    /// Its report, when it has one.
    pub href: Option<String>,
    /// Whether the month holds the as-of date: its counts will still grow.
    pub in_progress: bool,
    /// Count per stage.
    pub stages: Vec<String>,
    /// Overall conversion.
    pub overall: String,
    /// Revenue.
    pub revenue: String,
    /// CAC.
    pub cac: String,
    /// Retention.
    pub retention: String,
    /// Lead velocity rate.
    pub lvr: String,
}

/// The funnel history page.
#[derive(Serialize)]
pub struct FunnelPage<'a> {
    /// The trend over the whole span.
    pub trend: Option<Trend<'a>>,
    /// Stage names.
    pub stage_labels: &'a [String],
    /// Every month of the span, newest first.
    pub rows: Vec<FunnelHistoryRow>,
}

/// The funnel history page.
pub fn funnel_page<'a>(a: &'a Analysis) -> Page<FunnelPage<'a>> {
    let p = a.project;
    let s = &p.site;
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
    let rows = months
        .iter()
        .rev()
        .map(|m| {
            // Analyze computed every month of the funnel's span.
            let f = fig(a, *m);
            FunnelHistoryRow {
                month: m.short_name(),
                href: a.months.contains(m).then(|| report_href(*m)),
                in_progress: f.in_progress,
                stages: (0..s.stages.len()).map(|i| format::count(f.stages[i])).collect(),
                overall: format::percent(f.overall),
                revenue: format::money(f.revenue, currency(a)),
                cac: format::money(f.cac, currency(a)),
                retention: format::percent(f.retention),
                lvr: format::change(f.lead_velocity_rate),
            }
        })
        .collect();
    let body = FunnelPage {
        trend: (!months.is_empty()).then(|| trend_block(a, &months, "history")),
        stage_labels: &s.stage_labels,
        rows,
    };
    Page::new(1, "funnel", "Funnel history", body)
}

/// The goals page.
#[derive(Serialize)]
pub struct GoalsPage<'a> {
    /// The month the page shows, "October 2026".
    pub month: Option<String>,
    /// The progress chart, narrow layout.
    pub chart: Option<Chart<'a>>,
    /// The progress chart, wide layout.
    pub chart_wide: Option<Chart<'a>>,
    /// Every goal.
    pub goals: Vec<GoalDetail<'a>>,
}

/// The goals page: every goal, its progress chart, status and history.
pub fn goals_page<'a>(a: &'a Analysis) -> Page<GoalsPage<'a>> {
    let p = a.project;
    let Some(m) = a.latest else {
        return Page::new(1, "goals", "Goals", GoalsPage { month: None, chart: None, chart_wide: None, goals: vec![] });
    };
    let figs = &fig(a, m).goals;
    let rows: std::rc::Rc<[ProgressRow]> = p
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
    let progress =
        |id: &str, layout| Chart::Progress { id: id.into(), title: chart_title.clone(), rows: rows.clone(), layout };
    let chart = progress("goals", ProgressLayout::Narrow);
    let chart_wide = progress("goals-wide", ProgressLayout::Wide);
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
            let values = months
                .iter()
                .map(|x| if *x <= m { a.get(*x).and_then(|f| f.goals[i].current) } else { None })
                .collect();
            let cur = currency(a);
            let history_chart = Chart::GoalHistory {
                id: format!("goal-{}-chart", g.id),
                title: format!(
                    "{}: value by month from {} to {}, with the target{}",
                    g.title,
                    g.start.short_name(),
                    g.due.short_name(),
                    if figs[i].projection.is_some() { " and the pace" } else { "" }
                ),
                months: months.iter().map(|x| x.short_name()).collect(),
                values,
                baseline: g.baseline,
                target: g.target,
                pace: figs[i].projection,
                format: Box::new(move |v| format::in_unit(Some(v), g.unit, cur)),
            };
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
    let body = GoalsPage { month: Some(m.long_name()), chart: Some(chart), chart_wide: Some(chart_wide), goals };
    Page::new(1, "goals", "Goals", body)
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
    /// The history chart: value by month, target line and dashed pace line.
    pub chart: Chart<'a>,
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

/// A month of the meetings list.
#[derive(Serialize)]
pub struct MeetingGroup<'a> {
    /// "October 2026".
    pub month: String,
    /// Its report.
    pub href: String,
    /// Its meetings, newest first.
    pub meetings: Vec<MeetingSummary<'a>>,
}

/// The meetings list.
#[derive(Serialize)]
pub struct MeetingsPage<'a> {
    /// By month, newest first.
    pub groups: Vec<MeetingGroup<'a>>,
    /// How many meetings there are.
    pub count: usize,
}

/// The meetings list, newest month first.
pub fn meetings_page<'a>(a: &'a Analysis) -> Page<MeetingsPage<'a>> {
    let p = a.project;
    let mut months: Vec<Month> = p.meetings.iter().map(|m| Month::of(m.date)).collect();
    months.dedup();
    let groups = months
        .iter()
        .rev()
        .map(|m| MeetingGroup {
            month: m.long_name(),
            href: report_href(*m),
            meetings: p
                .meetings
                .iter()
                .filter(|mt| Month::of(mt.date) == *m)
                .rev()
                .map(|mt| meeting_summary(a, mt))
                .collect(),
        })
        .collect();
    Page::new(1, "meetings", "Meetings", MeetingsPage { groups, count: p.meetings.len() })
}

/// A team as a pill: key (for its colour) and name.
#[derive(serde::Serialize)]
pub struct TeamPill<'a> {
    /// Team key (for its colour).
    pub key: &'a str,
    /// Team name.
    pub name: &'a str,
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

/// The meeting itself, borrowing from the model: its summary and what only its page shows.
#[derive(serde::Serialize)]
pub struct MeetingView<'a> {
    /// What the lists show too.
    #[serde(flatten)]
    summary: MeetingSummary<'a>,
    /// The notes (HTML once rendered).
    notes_html: Markdown<'a>,
    /// The month's report.
    report_href: String,
    /// "October 2026".
    month: String,
    /// Each attendee with their team.
    attendee_list: Vec<AttendeeView<'a>>,
    /// The action items agreed.
    action_items: Vec<ActionView<'a>>,
}

/// One meeting's page.
#[derive(serde::Serialize)]
pub struct MeetingPage<'a> {
    meeting: MeetingView<'a>,
}

/// The team a person is on, as a pill.
pub fn team_of<'a>(p: &'a Project, person: &str) -> Option<TeamPill<'a>> {
    p.site.teams.iter().find(|t| t.members.iter().any(|m| m == person)).map(|t| TeamPill { key: &t.key, name: &t.name })
}

/// One meeting's page.
pub fn meeting_page<'a>(a: &'a Analysis, mt: &'a Meeting) -> Page<MeetingPage<'a>> {
    let p = a.project;
    let m = Month::of(mt.date);
    let meeting = MeetingView {
        summary: meeting_summary(a, mt),
        notes_html: Markdown(&mt.notes),
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
    };
    Page::new(2, "meetings", mt.title.as_str(), MeetingPage { meeting })
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

/// A checklist item as the history page heads its column.
#[derive(Serialize)]
pub struct ChecklistColumn {
    /// Its id.
    pub id: String,
    /// Its words.
    pub text: String,
    /// What to do when it is not met.
    pub nudge: Option<&'static str>,
}

/// One item in one month of the checklist history.
#[derive(Serialize)]
pub struct ChecklistCell {
    /// Whether it was met.
    pub met: bool,
    /// Whether the team checked it.
    pub checked: bool,
    /// The evidence count in words.
    pub evidence: Option<String>,
}

/// One month of the checklist history.
#[derive(Serialize)]
pub struct ChecklistMonthRow<'a> {
    /// "Oct 2026".
    pub month: String,
    /// Its report.
    pub href: String,
    /// The team's note.
    pub note: Option<&'a str>,
    /// One cell per item.
    pub cells: Vec<ChecklistCell>,
    /// How many were met.
    pub met: usize,
}

/// The checklist history page.
#[derive(Serialize)]
pub struct ChecklistPage<'a> {
    /// The items.
    pub items: Vec<ChecklistColumn>,
    /// Every report month, newest first.
    pub rows: Vec<ChecklistMonthRow<'a>>,
    /// How many items there are.
    pub total: usize,
}

/// The checklist history page, month by month.
pub fn checklist_page<'a>(a: &'a Analysis) -> Page<ChecklistPage<'a>> {
    let p = a.project;
    let items = p.checklist();
    let rows = a
        .months
        .iter()
        .rev()
        .map(|m| {
            let f = &fig(a, *m).checklist;
            ChecklistMonthRow {
                month: m.short_name(),
                href: report_href(*m),
                note: p.checklist_months.iter().find(|x| x.month == *m).and_then(|x| x.note.as_deref()),
                cells: f
                    .iter()
                    .map(|x| ChecklistCell {
                        met: x.met,
                        checked: x.checked,
                        evidence: evidence_label(&x.id, x.evidence),
                    })
                    .collect(),
                met: f.iter().filter(|x| x.met).count(),
            }
        })
        .collect();
    let total = items.len();
    let items = items
        .into_iter()
        .map(|i| {
            let nudge = TAKEAWAYS.iter().find(|t| t.0 == i.id).map(|t| t.2);
            ChecklistColumn { id: i.id, text: i.text, nudge }
        })
        .collect();
    Page::new(1, "checklist", "Key-takeaway checklist", ChecklistPage { items, rows, total })
}

/// The personas page.
#[derive(Serialize)]
pub struct PersonasPage<'a> {
    /// Every persona, as written.
    pub personas: &'a [crate::model::Persona],
}

/// The personas page.
pub fn personas_page<'a>(a: &'a Analysis) -> Page<PersonasPage<'a>> {
    Page::new(1, "personas", "Buyer personas", PersonasPage { personas: &a.project.personas })
}
