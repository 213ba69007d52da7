//! The funnel: the month's funnel and channels blocks, and the funnel history page.

use super::chart::{self, Bar, Chart, Figure, Visitor, Visuals};
use super::{currency, fig, format, report_href, trend_block, window, Analysis, Page, Route, Trend};
use crate::model::calendar::Month;
use serde::Serialize;

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
    pub chart: Figure<'a>,
    /// The table.
    pub rows: Vec<FunnelRow<'a>>,
    /// Overall conversion, lead velocity, cost per lead, ...
    pub extras: Vec<Extra>,
    /// The trend over the last 12 months (fewer in a young project).
    pub trend: Trend<'a>,
}

pub(super) fn funnel_block<'a>(a: &'a Analysis, m: Month) -> FunnelBlock<'a> {
    let p = a.project;
    let s = &p.site;
    let f = fig(a, m);
    let cur = currency(a);
    let bars: Vec<Bar> = (0..s.stages.len())
        .map(|i| Bar {
            label: s.stage_labels[i].clone(),
            value: f.stages[i].unwrap_or(0.0),
            shown: format::count(f.stages[i]),
            color: chart::stage_color(i),
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
        extra("Win rate", "win-rate", win_rate_words(a, fig(a, m).win_rate, fig(a, m).win_rate_basis)),
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
    FunnelBlock { chart: chart.into(), rows, extras, trend: trend_block(a, &window(p, m), "trend") }
}

/// A win rate (a month's or a quarter's) with its basis: "32.4% of closed deals", or "28.3%
/// (Won ÷ Opportunities)" when the period gives no lost deals.
pub fn win_rate_words(a: &Analysis, rate: Option<f64>, basis: Option<crate::analyze::funnel::WinRateBasis>) -> String {
    use crate::analyze::funnel::WinRateBasis;
    let s = &a.project.site;
    let v = format::percent(rate);
    match (rate, basis) {
        (Some(_), Some(WinRateBasis::Closed)) => format!("{v} of closed deals"),
        (Some(_), Some(WinRateBasis::Stages)) => {
            let n = s.stages.len();
            format!("{v} ({} ÷ {})", s.stage_labels[n - 1], s.stage_labels[n - 2])
        }
        _ => v,
    }
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
    /// Deals closed lost ("—" when the month does not give them).
    pub lost: String,
    /// Pipeline created in the month (money, "—" when not given).
    pub pipeline_created: String,
    /// Pipeline open at the month's last day (money, "—" when not given).
    pub pipeline_open: String,
}

/// How many months, up to the last one with funnel data, the funnel page's charts and month
/// table show; earlier months are links to their reports, so the page stays small however old
/// the project (a 30-year project's table of every month was 445 KB).
pub const CHART_MONTHS: usize = 120;

/// The months before the funnel page's window in one year: links to their reports.
#[derive(Serialize)]
pub struct EarlierYear {
    /// The year.
    pub year: i16,
    /// Its months with a report, in order: ("Jan", "reports/2001-01/index.html").
    pub months: Vec<(String, String)>,
}

/// The funnel history page.
#[derive(Serialize)]
pub struct FunnelPage<'a> {
    /// The trend over the last [`CHART_MONTHS`] months of the span.
    pub trend: Option<Trend<'a>>,
    /// The first month the charts draw, "Jan 2017", when the span is longer than they are.
    pub charts_from: Option<String>,
    /// Stage names.
    pub stage_labels: &'a [String],
    /// The months of the window (the last [`CHART_MONTHS`] of the span), newest first.
    pub rows: Vec<FunnelHistoryRow>,
    /// The months before the window, newest year first: each links to its report.
    pub earlier: Vec<EarlierYear>,
    /// The channels of the latest report's month, when it gives any.
    pub channels: Option<super::ChannelsBlock<'a>>,
    /// Whether any month gives lost deals: the table then has a Lost column.
    pub has_lost: bool,
    /// Whether any month gives pipeline created or open: the table then has both columns.
    pub has_pipeline: bool,
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
    let charted = &months[months.len().saturating_sub(CHART_MONTHS)..];
    let before = &months[..months.len() - charted.len()];
    let mut earlier: Vec<EarlierYear> = Vec::new();
    for m in before.iter().rev().filter(|m| a.months.contains(m)) {
        if earlier.last().is_none_or(|y| y.year != m.year) {
            earlier.push(EarlierYear { year: m.year, months: Vec::new() });
        }
        if let Some(y) = earlier.last_mut() {
            y.months.insert(0, (m.abbrev(), report_href(*m)));
        }
    }
    let rows = charted
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
                lost: format::count(f.lost),
                pipeline_created: format::money(f.pipeline_created, currency(a)),
                pipeline_open: format::money(f.pipeline_open, currency(a)),
            }
        })
        .collect();
    let body = FunnelPage {
        trend: (!months.is_empty()).then(|| trend_block(a, charted, "history")),
        charts_from: (charted.len() < months.len()).then(|| charted[0].short_name()),
        stage_labels: &s.stage_labels,
        rows,
        earlier,
        channels: a.latest.and_then(|m| super::channels::channels_block(a, m)),
        // Columns only for figures the project gives at all; a month without them shows "—".
        has_lost: p.funnel.iter().any(|f| f.lost.is_some()),
        has_pipeline: p.funnel.iter().any(|f| f.pipeline_created.is_some() || f.pipeline_open.is_some()),
    };
    Page::new(Route::Funnel, a, "Funnel history", body)
}

impl Visuals for FunnelBlock<'_> {
    fn visit(&mut self, v: &mut dyn Visitor) {
        v.chart(&mut self.chart);
        self.trend.visit(v);
    }
}

impl Visuals for FunnelPage<'_> {
    fn visit(&mut self, v: &mut dyn Visitor) {
        self.trend.visit(v);
    }
}
