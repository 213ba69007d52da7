//! The quarter review page (`reports/YYYY-Qn/index.html`), the monthly report's sibling: the
//! commentary first, the quarter's headline figures against the previous quarter, the same
//! quarter a year before and the plan, its months against plan, every figure in a table, the
//! medians per month and the goals at the quarter's last report. Figures come from
//! `analyze::quarter`; this file only words and formats them.

use super::chart::{Chart, Figure, Markdown, PlanGroup, Visitor, Visuals};
use super::format::compact;
use super::{
    active_goal_rows, currency, format, headline_card_stages, plan_lines, report_href, Analysis, CommentaryView,
    GoalRow, Link, Page, PlanLine, Route,
};
use crate::analyze::quarter::{QuarterFigures, Totals};
use crate::model::calendar::{self, Month, Quarter};
use crate::model::Unit;
use serde::Serialize;

/// The link to a quarter's review from the site root.
pub fn quarter_href(q: Quarter) -> String {
    format!("reports/{q}/index.html")
}

/// A quarter review in a list of links.
#[derive(Serialize)]
pub struct QuarterLink {
    /// Its page.
    pub href: String,
    /// "Q4 2026".
    pub name: String,
    /// "Oct–Dec 2026".
    pub span: String,
    /// Whether it holds the as-of date.
    pub in_progress: bool,
    /// Its revenue.
    pub revenue: String,
    /// Its revenue as a share of plan, when it has one.
    pub vs_plan: String,
}

/// Every quarter review, newest first (the overview lists them).
pub(super) fn quarter_links(a: &Analysis) -> Vec<QuarterLink> {
    let cur = currency(a);
    a.quarters
        .iter()
        .rev()
        .map(|q| QuarterLink {
            href: quarter_href(q.quarter),
            name: q.quarter.name(),
            span: q.quarter.span_name(),
            in_progress: q.in_progress,
            revenue: format::money(q.totals.revenue, cur),
            vs_plan: format::percent(q.attainment.as_ref().and_then(|x| x.revenue)),
        })
        .collect()
}

/// The link from month `m`'s report to its quarter's review, when the quarter has one.
pub(super) fn quarter_link(a: &Analysis, m: Month) -> Option<Link> {
    let q = Quarter::of(m);
    a.quarters.iter().any(|x| x.quarter == q).then(|| Link { href: quarter_href(q), name: q.name() })
}

/// A change against another quarter, worded like a card's.
#[derive(Serialize)]
pub struct ChangeLine {
    /// "+5.0%" or "−0.4 pts".
    pub change: String,
    /// `good`, `bad`, `flat` or `none`.
    pub tone: &'static str,
    /// ▲, ▼ or ■.
    pub arrow: &'static str,
    /// The change in a word.
    pub word: &'static str,
    /// "Q3 2026".
    pub vs: String,
}

/// A headline card of the quarter: the value, its change against the previous quarter and the
/// same quarter a year before, and where it stands against the quarter's plan.
#[derive(Serialize)]
pub struct QuarterCard {
    /// The figure's name.
    pub label: String,
    /// Its value.
    pub value: String,
    /// Its glossary entry.
    pub term: &'static str,
    /// Against the previous quarter, then the same quarter last year.
    pub changes: Vec<ChangeLine>,
    /// Against the quarter's plan (empty without one).
    pub plan: Vec<PlanLine>,
}

/// One figure of the quarter's table.
#[derive(Serialize)]
pub struct FigureRow {
    /// Its name.
    pub label: String,
    /// Its glossary entry.
    pub term: &'static str,
    /// The quarter's value.
    pub value: String,
    /// Change against the previous quarter.
    pub vs_previous: String,
    /// Change against the same quarter last year.
    pub vs_last_year: String,
    /// Share of plan, when planned.
    pub vs_plan: String,
}

/// One month of the quarter against plan.
#[derive(Serialize)]
pub struct MonthRow {
    /// The month's report (none for a month without one).
    pub month: Link,
    /// Whether it has a report.
    pub has_report: bool,
    /// First stage count.
    pub first: String,
    /// Last stage count.
    pub last: String,
    /// Revenue.
    pub revenue: String,
    /// Revenue plan.
    pub plan: String,
    /// Revenue as a share of plan.
    pub vs_plan: String,
    /// Pipeline created.
    pub pipeline_created: String,
    /// Pipeline open at the month's end.
    pub pipeline_open: String,
    /// Median sales cycle.
    pub sales_cycle: String,
    /// Median days to MQL.
    pub days_to_mql: String,
    /// Median lead response.
    pub lead_response: String,
}

/// The quarter review page.
#[derive(Serialize)]
pub struct QuarterPage<'a> {
    /// `2026-Q4`.
    pub id: String,
    /// "Q4 2026".
    pub name: String,
    /// "Oct–Dec 2026".
    pub span: String,
    /// "as of 30 Nov 2026: 2 of its 3 months …" while the quarter is not over.
    pub in_progress: Option<String>,
    /// Months of a past quarter without funnel data, in words.
    pub gaps: Option<String>,
    /// The quarter review before (with data).
    pub prev: Option<Link>,
    /// The quarter review after.
    pub next: Option<Link>,
    /// The monthly reports of the quarter.
    pub month_links: Vec<Link>,
    /// What the page rests on.
    pub basis: String,
    /// The quarter's commentary.
    pub commentary: Option<CommentaryView<'a>>,
    /// Headline cards.
    pub cards: Vec<QuarterCard>,
    /// "Q3 2026".
    pub prev_name: String,
    /// "Q4 2025".
    pub year_name: String,
    /// Whether the previous quarter has funnel data.
    pub prev_has_data: bool,
    /// Whether the same quarter a year before has funnel data.
    pub year_has_data: bool,
    /// Whether every month has a plan.
    pub has_plan: bool,
    /// Whether any month has a plan revenue (the month table's plan columns).
    pub any_plan: bool,
    /// The months against plan; `None` when no month of the quarter gives revenue or a plan
    /// revenue (nothing to draw: the page says so instead of showing an empty chart).
    pub chart: Option<Figure<'a>>,
    /// The months, one row each.
    pub months: Vec<MonthRow>,
    /// Stage labels for the month table.
    pub first_label: &'a str,
    /// The last stage's label.
    pub last_label: &'a str,
    /// Every figure of the quarter.
    pub figures: Vec<FigureRow>,
    /// The month whose goals are shown, "November 2026".
    pub goals_month: Option<String>,
    /// The goals active then.
    pub goals: Vec<GoalRow<'a>>,
    /// Each channel over the quarter (sums, and rates from the sums), when its months give
    /// channels.
    pub channels: Option<super::ChannelsBlock<'a>>,
    /// The quarter's JSON.
    pub data_href: String,
}

/// A change line against `vs`; `points` words a rate's change in points. A quarter in
/// progress (`partial`) is not judged on a count or an amount: part of a quarter is smaller
/// than a whole one, so its change is shown without arrow or colour, "so far".
fn change_line(
    a: &Analysis,
    change: Option<f64>,
    higher: bool,
    points: bool,
    vs: Quarter,
    partial: bool,
) -> ChangeLine {
    let shown =
        if points { format::change_in_unit(change, Unit::Percent, currency(a)) } else { format::change(change) };
    if partial && change.is_some() {
        return ChangeLine {
            change: shown,
            tone: "none",
            arrow: "",
            word: "so far",
            vs: format!("{} so far", vs.name()),
        };
    }
    let c = super::card("", String::new(), change, higher, String::new(), "");
    ChangeLine { change: shown, tone: c.tone, arrow: c.arrow, word: c.word, vs: vs.name() }
}

/// The quarter's headline cards: the monthly report's figures, over the quarter.
fn cards(a: &Analysis, q: &QuarterFigures) -> Vec<QuarterCard> {
    let s = &a.project.site;
    let cur = currency(a);
    let (t, prev, year) = (&q.totals, &q.vs_previous_quarter, &q.vs_last_year);
    // A quarter without data gives no line on a card (the page's lede says so).
    // `rate`: a ratio (CAC, retention) compares as it stands even while the quarter runs.
    let both = |pick: &dyn Fn(&Totals) -> Option<f64>, higher: bool, points: bool, rate: bool| {
        [prev, year]
            .into_iter()
            .filter(|c| c.has_data)
            .map(|c| change_line(a, pick(&c.change), higher, points, c.quarter, q.in_progress && !rate))
            .collect::<Vec<_>>()
    };
    let planned = |pick: &dyn Fn(&crate::analyze::plan::Attainment) -> Option<f64>| {
        plan_lines(q.attainment.as_ref().and_then(pick), None, q.in_progress)
    };
    let mut out: Vec<QuarterCard> = headline_card_stages(a)
        .into_iter()
        .map(|i| QuarterCard {
            label: s.stage_labels[i].clone(),
            value: format::count(t.stages[i]),
            term: "stage-count",
            changes: both(&|x| x.stages.get(i).copied().flatten(), true, false, false),
            plan: planned(&|x| x.stages.get(i).copied().flatten()),
        })
        .collect();
    out.push(QuarterCard {
        label: "Revenue".into(),
        value: format::money(t.revenue, cur),
        term: "revenue",
        changes: both(&|x| x.revenue, true, false, false),
        plan: planned(&|x| x.revenue),
    });
    out.push(QuarterCard {
        label: "CAC".into(),
        value: format::money(t.cac, cur),
        term: "cac",
        changes: both(&|x| x.cac, false, false, true),
        plan: Vec::new(),
    });
    out.push(QuarterCard {
        label: "Retention".into(),
        value: format::percent(t.retention),
        term: "retention",
        changes: both(&|x| x.retention, true, true, true),
        plan: Vec::new(),
    });
    out
}

/// Every figure of the quarter, with its changes and its share of plan.
fn figure_rows(a: &Analysis, q: &QuarterFigures) -> Vec<FigureRow> {
    let s = &a.project.site;
    let cur = currency(a);
    let (t, prev, year) = (&q.totals, &q.vs_previous_quarter.change, &q.vs_last_year.change);
    let att = q.attainment.as_ref();
    let mut rows = Vec::new();
    let mut row = |label: String,
                   term: &'static str,
                   value: String,
                   pick: &dyn Fn(&Totals) -> Option<f64>,
                   points: bool,
                   plan: Option<f64>| {
        let ch = |x: &Totals| {
            if points {
                format::change_in_unit(pick(x), Unit::Percent, cur)
            } else {
                format::change(pick(x))
            }
        };
        let vs_plan = if plan.is_some() { format!("{} of plan", format::percent(plan)) } else { String::new() };
        rows.push(FigureRow { label, term, value, vs_previous: ch(prev), vs_last_year: ch(year), vs_plan });
    };
    for (i, label) in s.stage_labels.iter().enumerate() {
        let plan = att.and_then(|x| x.stages[i]);
        row(
            label.clone(),
            "stage-count",
            format::count(t.stages[i]),
            &|x| x.stages.get(i).copied().flatten(),
            false,
            plan,
        );
    }
    for i in 0..t.conversions.len() {
        let label = format!("{} → {}", s.stage_labels[i], s.stage_labels[i + 1]);
        row(
            label,
            "conversion",
            format::percent(t.conversions[i]),
            &|x| x.conversions.get(i).copied().flatten(),
            true,
            None,
        );
    }
    row("Overall conversion".into(), "overall-conversion", format::percent(t.overall), &|x| x.overall, true, None);
    row("Lost deals".into(), "win-rate", format::count(t.lost), &|x| x.lost, false, None);
    let win_rate = super::funnel::win_rate_words(a, q.totals.win_rate, Some(q.win_rate_basis));
    row("Win rate".into(), "win-rate", win_rate, &|x| x.win_rate, true, None);
    let rev_plan = att.and_then(|x| x.revenue);
    row("Revenue".into(), "revenue", format::money(t.revenue, cur), &|x| x.revenue, false, rev_plan);
    row("Average deal".into(), "average-deal", format::money(t.average_deal, cur), &|x| x.average_deal, false, None);
    let pc_plan = att.and_then(|x| x.pipeline_created);
    let pc = format::money(t.pipeline_created, cur);
    row("Pipeline created".into(), "pipeline", pc, &|x| x.pipeline_created, false, pc_plan);
    let po = format::money(t.pipeline_open, cur);
    row("Pipeline open at the end".into(), "pipeline", po, &|x| x.pipeline_open, false, None);
    let sm = format::money(t.spend_marketing, cur);
    row(format!("{} spend", team(a, "marketing")), "cac", sm, &|x| x.spend_marketing, false, None);
    row(
        format!("{} spend", team(a, "sales")),
        "cac",
        format::money(t.spend_sales, cur),
        &|x| x.spend_sales,
        false,
        None,
    );
    row(
        "Cost per lead".into(),
        "cost-per-lead",
        format::money(t.cost_per_lead, cur),
        &|x| x.cost_per_lead,
        false,
        None,
    );
    row("CAC".into(), "cac", format::money(t.cac, cur), &|x| x.cac, false, None);
    let start = format::count(t.customers_start);
    row("Customers at the start".into(), "retention", start, &|x| x.customers_start, false, None);
    row("New customers".into(), "cac", format::count(t.customers_new), &|x| x.customers_new, false, None);
    row("Customers lost".into(), "retention", format::count(t.customers_lost), &|x| x.customers_lost, false, None);
    row("Retention".into(), "retention", format::percent(t.retention), &|x| x.retention, true, None);
    rows
}

fn team(a: &Analysis, key: &str) -> String {
    a.project.site.team(key).map(|t| t.name.clone()).unwrap_or_else(|| key.to_string())
}

/// The months of the quarter against plan, one row each.
fn month_rows(a: &Analysis, q: &QuarterFigures) -> Vec<MonthRow> {
    let s = &a.project.site;
    let cur = currency(a);
    let last = s.stages.len() - 1;
    let days = |v: Option<f64>, unit: &str| match v {
        Some(x) => format!("{} {unit}", format::decimal(Some(x))),
        None => format::NONE.into(),
    };
    q.quarter
        .months()
        .into_iter()
        .map(|m| {
            let f = a.get(m).filter(|f| f.has_funnel);
            let pick = |g: &dyn Fn(&crate::analyze::MonthFigures) -> Option<f64>| f.and_then(g);
            MonthRow {
                month: Link { href: report_href(m), name: m.short_name() },
                has_report: a.months.binary_search(&m).is_ok(),
                first: format::count(pick(&|f| f.stages[0])),
                last: format::count(pick(&|f| f.stages[last])),
                revenue: format::money(pick(&|f| f.revenue), cur),
                plan: format::money(a.project.plan_month(m).and_then(|p| p.revenue), cur),
                vs_plan: format::percent(pick(&|f| f.attainment.revenue)),
                pipeline_created: format::money(pick(&|f| f.pipeline_created), cur),
                pipeline_open: format::money(pick(&|f| f.pipeline_open), cur),
                sales_cycle: days(pick(&|f| f.sales_cycle_days), "days"),
                days_to_mql: days(pick(&|f| f.days_to_mql), "days"),
                lead_response: days(pick(&|f| f.lead_response_hours), "h"),
            }
        })
        .collect()
}

/// The chart of the quarter's months: revenue against plan, when a month has either.
fn chart<'a>(a: &Analysis, q: &QuarterFigures) -> Option<Chart<'a>> {
    let groups = q
        .quarter
        .months()
        .into_iter()
        .enumerate()
        .map(|(k, m)| {
            let actual = a.get(m).filter(|f| f.has_funnel).and_then(|f| f.revenue);
            let plan = a.project.plan_month(m).and_then(|p| p.revenue);
            let share = crate::analyze::funnel::ratio(actual, plan);
            let shown = match (actual, share) {
                (Some(v), Some(r)) => format!("{} · {}", compact(v), format::percent(Some(r))),
                (Some(v), None) => compact(v),
                (None, _) => "—".into(),
            };
            // The year on the first and the last month ("Apr 2025", "May", "Jun 2025"), as on
            // every month axis: the last label never reads as a bare month.
            let label = if k == 1 { m.abbrev() } else { m.short_name() };
            PlanGroup { label, actual, plan, shown }
        })
        .collect::<Vec<PlanGroup>>();
    if groups.iter().all(|g| g.actual.is_none() && g.plan.is_none()) {
        return None;
    }
    Some(Chart::MonthsVsPlan {
        id: "quarter-months".into(),
        title: format!("Revenue by month against plan, {}", q.quarter.name()),
        groups,
    })
}

/// The quarter review page of `a.quarters[idx]`.
pub fn quarter_page<'a>(a: &'a Analysis, idx: usize) -> Page<QuarterPage<'a>> {
    let p = a.project;
    let q = &a.quarters[idx];
    let qq = q.quarter;
    let link = |x: &QuarterFigures| Link { href: quarter_href(x.quarter), name: x.quarter.name() };
    let n = q.months.len();
    let span = |ms: &[Month]| match (ms.first(), ms.last()) {
        (Some(f), Some(l)) if f == l => f.short_name(),
        (Some(f), Some(l)) => format!("{}–{}", f.abbrev(), l.short_name()),
        _ => String::new(),
    };
    let in_progress = q.in_progress.then(|| {
        format!(
            "as of {}: {} of its 3 months have funnel data so far, and its totals are compared with whole quarters",
            calendar::date_label(p.as_of),
            n
        )
    });
    let missing: Vec<String> = qq
        .months()
        .into_iter()
        .filter(|m| !q.months.contains(m) && m.last_day() < p.as_of)
        .map(|m| m.long_name())
        .collect();
    let gaps = (!missing.is_empty()).then(|| {
        format!(
            "No funnel data for {}: the quarter's totals leave that out, and flows summed over fewer months read low.",
            missing.join(" and ")
        )
    });
    let goals_month = q.goals_month;
    let body = QuarterPage {
        id: qq.to_string(),
        name: qq.name(),
        span: qq.span_name(),
        in_progress,
        gaps,
        prev: idx.checked_sub(1).map(|i| link(&a.quarters[i])),
        next: a.quarters.get(idx + 1).map(link),
        month_links: a
            .months
            .iter()
            .filter(|m| Quarter::of(**m) == qq)
            .map(|m| Link { href: report_href(*m), name: m.short_name() })
            .collect(),
        basis: format!("Built from the funnel of {}", span(&q.months)),
        commentary: p
            .quarter_commentaries
            .iter()
            .find(|c| c.quarter == qq)
            .map(|c| CommentaryView { title: c.title.as_deref(), html: Markdown::new(&c.body) }),
        cards: cards(a, q),
        prev_name: q.vs_previous_quarter.quarter.name(),
        year_name: q.vs_last_year.quarter.name(),
        prev_has_data: q.vs_previous_quarter.has_data,
        year_has_data: q.vs_last_year.has_data,
        has_plan: q.plan.is_some(),
        any_plan: qq.months().iter().any(|m| p.plan_month(*m).is_some_and(|pm| pm.revenue.is_some())),
        chart: chart(a, q).map(Figure::from),
        months: month_rows(a, q),
        first_label: &p.site.stage_labels[0],
        last_label: &p.site.stage_labels[p.site.stages.len() - 1],
        figures: figure_rows(a, q),
        goals_month: goals_month.map(|m| m.long_name()),
        goals: goals_month.filter(|m| a.figures.contains_key(m)).map(|m| active_goal_rows(a, m)).unwrap_or_default(),
        channels: super::channels::channels_table(a, &q.channels, qq.name(), quarter_href(qq)),
        data_href: format!("data/{qq}.json"),
    };
    Page::new(Route::Quarter(qq), a, format!("Quarter review, {}", qq.name()), body)
}

impl Visuals for QuarterPage<'_> {
    fn visit(&mut self, v: &mut dyn Visitor) {
        self.chart.visit(v);
        if let Some(c) = &mut self.commentary {
            v.markdown(&mut c.html);
        }
    }
}
