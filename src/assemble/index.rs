//! The overview page.

use super::chart::{Visitor, Visuals};
use super::{
    actions, active_goal_rows, fig, format, headline_cards, report_href, trend_block, window, Analysis, Card, GoalRow,
    Link, Page, Route, Trend,
};
use crate::model::calendar::{self};
use serde::Serialize;

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
    /// Its pipeline and coverage, when the funnel gives them.
    pub pipeline: Option<super::PipelineBlock>,
    /// Its trend over the last 12 months (fewer in a young project).
    pub trend: Option<Trend<'a>>,
    /// The latest report's month, "October 2026".
    pub board_month: Option<String>,
    /// The goals that run in it.
    pub goals: Option<Vec<GoalRow<'a>>>,
    /// Action items at the as-of date.
    pub actions: actions::OverviewBlock<'a>,
    /// Every report, newest first.
    pub reports: Vec<ReportLink<'a>>,
    /// Every quarter review, newest first.
    pub quarters: Vec<super::QuarterLink>,
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
        pipeline: latest_funnel.and_then(|m| super::pipeline_block(a, m)),
        quarters: super::quarter_links(a),
        trend: latest_funnel.map(|m| trend_block(a, &window(p, m), "home")),
        board_month: a.latest.map(|m| m.long_name()),
        goals: a.latest.map(|m| active_goal_rows(a, m)),
        actions: actions::overview_block(a),
        reports,
        first_stage: &p.site.stage_labels[0],
    };
    Page::new(Route::Index, a, "Overview", body)
}

impl Visuals for IndexPage<'_> {
    fn visit(&mut self, v: &mut dyn Visitor) {
        self.trend.visit(v);
    }
}
