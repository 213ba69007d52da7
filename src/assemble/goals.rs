//! The goals: goal rows as the report and the goals page show them, and the goals page.

use super::archive::{self, YearLink};
use super::chart::{Chart, Figure, ProgressLayout, ProgressRow, Visitor, Visuals};
use super::{currency, fig, format, team_pills, Analysis, Page, Route, StatusView, TeamPill};
use crate::analyze::goals;
use crate::model::calendar::Month;
use crate::model::Goal;
use serde::Serialize;

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
    /// The change of the metric since last month in its own unit: "−0.5 pts", "−USD 96".
    pub change: String,
    /// Whether that change is good for the goal: see [`change_tone`].
    pub change_tone: ChangeTone,
    /// Where the pace since `start` leads by the due month, when the goal is running.
    pub pace: Option<String>,
    /// Whether the goal is running but too few months have a value for a pace ("not enough
    /// months to project").
    pub pace_too_early: bool,
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

pub(super) fn goal_row<'a>(a: &'a Analysis, g: &'a Goal, f: &goals::GoalFigures) -> GoalRow<'a> {
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
        change_tone: change_tone(f.change, g),
        pace: f.projection.map(|v| format!("{} by {}", format::in_unit(Some(v), g.unit, cur), g.due.short_name())),
        pace_too_early: f.too_early_to_project,
        start: g.start.short_name(),
        due: g.due.short_name(),
        active: f.active,
        is_final: f.is_final,
    }
}

/// The goals of month `m` that run in it, shared goals first, as table rows.
pub(super) fn active_goal_rows<'a>(a: &'a Analysis, m: Month) -> Vec<GoalRow<'a>> {
    let mut rows: Vec<(&Goal, &goals::GoalFigures)> =
        a.project.goals.iter().zip(&fig(a, m).goals).filter(|(_, f)| f.active).collect();
    rows.sort_by_key(|(g, _)| !g.is_shared());
    rows.into_iter().map(|(g, f)| goal_row(a, g, f)).collect()
}

/// The goals page.
#[derive(Serialize)]
pub struct GoalsPage<'a> {
    /// The month the page shows, "October 2026".
    pub month: Option<String>,
    /// The progress chart, narrow layout.
    pub chart: Option<Figure<'a>>,
    /// The progress chart, wide layout.
    pub chart_wide: Option<Figure<'a>>,
    /// The goals still running at the page's month (not final), in detail.
    pub goals: Vec<GoalDetail<'a>>,
    /// The goals that ended (final) and are due in `since` or later: outcome and final
    /// figures, latest due first.
    pub ended: Vec<GoalRow<'a>>,
    /// Goals due before `since`, on the archive pages.
    pub archived: usize,
    /// The first due month the page keeps, "Dec 2025".
    pub since: String,
    /// One archive page per due year of the archived goals, newest first.
    pub years: Vec<YearLink>,
}

/// The goals page: the goals still running, their progress chart, status and history; the
/// goals that ended in the last twelve months with their outcomes; links to the archive pages
/// of older goals.
pub fn goals_page<'a>(a: &'a Analysis) -> Page<GoalsPage<'a>> {
    let p = a.project;
    let since = archive::goals_since(p.as_of);
    let archived = p.goals.iter().filter(|g| archive::is_archived(g, p.as_of)).count();
    let Some(m) = a.latest else {
        let body = GoalsPage {
            month: None,
            chart: None,
            chart_wide: None,
            goals: vec![],
            ended: vec![],
            archived: 0,
            since: since.short_name(),
            years: vec![],
        };
        return Page::new(Route::Goals, a, "Goals", body);
    };
    let figs = &fig(a, m).goals;
    // In detail: the goals still running; ended ones are a table of outcomes.
    let shown = |(g, f): &(&Goal, &goals::GoalFigures)| !archive::is_archived(g, p.as_of) && !f.is_final;
    let mut ended: Vec<(&Goal, &goals::GoalFigures)> =
        p.goals.iter().zip(figs).filter(|(g, f)| !archive::is_archived(g, p.as_of) && f.is_final).collect();
    // Latest due first; a stable sort keeps goals due in one month in the order of their files.
    ended.sort_by_key(|(g, _)| std::cmp::Reverse(g.due));
    let ended = ended.into_iter().map(|(g, f)| goal_row(a, g, f)).collect();
    let rows: std::rc::Rc<[ProgressRow]> = p
        .goals
        .iter()
        .zip(figs)
        .filter(shown)
        .map(|(g, f)| ProgressRow {
            label: g.title.clone(),
            progress: f.progress,
            elapsed: f.elapsed,
            shown: match f.status {
                crate::model::Status::NotStarted => format!("starts {}", g.start.short_name()),
                s => format!("{} · {}", format::percent(f.progress), StatusView::of(s).label),
            },
        })
        .collect();
    // Two layouts of one chart; the stylesheet shows the one that fits the screen.
    let chart_title = format!("Progress of every running goal in {}, with time elapsed", m.long_name());
    let progress =
        |id: &str, layout| Chart::Progress { id: id.into(), title: chart_title.clone(), rows: rows.clone(), layout };
    let chart = progress("goals", ProgressLayout::Narrow);
    let chart_wide = progress("goals-wide", ProgressLayout::Wide);
    let goals: Vec<GoalDetail> = p
        .goals
        .iter()
        .enumerate()
        .filter(|(i, g)| !archive::is_archived(g, p.as_of) && !figs[*i].is_final)
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
                        change_tone: change_tone(f.change, g),
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
                unit: g.unit,
                currency: cur,
            };
            GoalDetail {
                chart: history_chart.into(),
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
    let body = GoalsPage {
        month: Some(m.long_name()),
        chart: Some(chart.into()),
        chart_wide: Some(chart_wide.into()),
        goals,
        ended,
        archived,
        since: since.short_name(),
        years: archive::goal_year_links(a, None),
    };
    Page::new(Route::Goals, a, "Goals", body)
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
    pub chart: Figure<'a>,
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
    /// Whether that change is good for the goal.
    pub change_tone: ChangeTone,
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

/// Whether a goal's change since last month is good news: `key` is "good" when it moves
/// toward the target, "bad" when away (a CAC goal's target is below its baseline, so a higher
/// CAC is bad), "flat" for no change, "none" without one; `word` says it to a screen reader.
#[derive(Serialize, Clone, Copy)]
pub struct ChangeTone {
    /// CSS tone: good, bad, flat or none.
    pub key: &'static str,
    /// "better", "worse" or "" (the change's own text already says "no change" or "—").
    pub word: &'static str,
}

/// The tone of `change` for goal `g`: good in the direction from baseline to target.
pub fn change_tone(change: Option<f64>, g: &Goal) -> ChangeTone {
    let toward = g.target - g.baseline;
    match change.filter(|c| c.is_finite()) {
        Some(c) if c == 0.0 || toward == 0.0 => ChangeTone { key: "flat", word: "" },
        Some(c) if (c > 0.0) == (toward > 0.0) => ChangeTone { key: "good", word: "better" },
        Some(_) => ChangeTone { key: "bad", word: "worse" },
        None => ChangeTone { key: "none", word: "" },
    }
}

impl Visuals for GoalsPage<'_> {
    fn visit(&mut self, v: &mut dyn Visitor) {
        self.chart.visit(v);
        self.chart_wide.visit(v);
        for g in &mut self.goals {
            v.chart(&mut g.chart);
        }
    }
}
