//! The monthly report page, with its "what changed since last month" block.

use super::chart::{Markdown, Visitor, Visuals};
use super::{
    actions, active_goal_rows, benefit_tiles, channels_block, checklist_block, fig, funnel_block, headline_cards,
    href_segment, meeting_summary, report_href, Analysis, BenefitTile, Card, ChannelsBlock, ChecklistBlock,
    FunnelBlock, GoalRow, MeetingSummary, Page, Route, StatusView,
};
use crate::model::calendar::{self, Month};
use crate::model::{Meeting, TAKEAWAYS};
use serde::Serialize;

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

/// "What changed since last month" (docs/figures.md#what-changed-since-last-month) in words.
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
    /// Pipeline created and open, and coverage, when the funnel gives them.
    pub pipeline: Option<super::PipelineBlock>,
    /// The review of the month's quarter, when it has one.
    pub quarter: Option<Link>,
    /// The channels, when the funnel gives any.
    pub channels: Option<ChannelsBlock<'a>>,
    /// The goals that run in the month, shared goals first.
    pub goals: Vec<GoalRow<'a>>,
    /// Of those, the goals owned by marketing and sales both ("Shared goals").
    pub shared_goals: Vec<GoalRow<'a>>,
    /// The goals of one team ("Team goals").
    pub team_goals: Vec<GoalRow<'a>>,
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
pub fn report<'a>(a: &'a Analysis, m: Month) -> Page<ReportPage<'a>> {
    let p = a.project;
    let idx = a.months.iter().position(|x| *x == m);
    let f = fig(a, m);
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
        .map(|x| CommentaryView { title: x.title.as_deref(), html: Markdown::new(&x.body) });
    let link = |n: Month| Link { href: report_href(n), name: n.short_name() };
    let cards = if f.has_funnel { headline_cards(a, m) } else { Vec::new() };
    let body = ReportPage {
        month: MonthRef { id: m.to_string(), name: m.long_name(), short: m.short_name() },
        // "in progress, as of 30 Nov 2026": the month is not over, its figures will still change.
        in_progress: f.in_progress.then(|| format!("in progress, as of {}", calendar::date_label(f.end_day))),
        prev: idx.and_then(|i| i.checked_sub(1)).map(|i| link(a.months[i])),
        next: idx.and_then(|i| a.months.get(i + 1)).map(|n| link(*n)),
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
        pipeline: super::pipeline_block(a, m),
        quarter: super::quarter_link(a, m),
        channels: channels_block(a, m),
        shared_goals: active_goal_rows(a, m).into_iter().filter(|g| g.shared).collect(),
        team_goals: active_goal_rows(a, m).into_iter().filter(|g| !g.shared).collect(),
        goals: active,
        meetings: meetings.iter().map(|mt| meeting_summary(a, mt)).collect(),
        actions: actions::report_block(a, m),
        checklist: checklist_block(a, m),
        commentary,
        data_href: format!("data/{m}.json"),
    };
    Page::new(Route::Report(m), a, format!("Alignment report, {}", m.long_name()), body)
}

impl Visuals for ReportPage<'_> {
    fn visit(&mut self, v: &mut dyn Visitor) {
        self.funnel.visit(v);
        if let Some(c) = &mut self.commentary {
            v.markdown(&mut c.html);
        }
    }
}
