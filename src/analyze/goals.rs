//! Goal progress, elapsed share, status, outcome, change and pace (docs/figures.md, "Goals").

use super::funnel::metric_value;
use crate::model::calendar::{self, Month};
use crate::model::{Goal, Project, Status};
use serde::Serialize;

/// A goal's figures in one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalFigures {
    /// Goal id.
    pub id: String,
    /// The metric's value in the month, or the latest check-in at or before it.
    pub current: Option<f64>,
    /// (current − baseline) / (target − baseline).
    pub progress: Option<f64>,
    /// Share of the goal's months gone by, clamped to [0, 1].
    pub elapsed: f64,
    /// Computed or overridden status.
    pub status: Status,
    /// Whether start <= month <= due.
    pub active: bool,
    /// Whether the outcome is settled: past the due month, or in it once it is complete.
    #[serde(rename = "final")]
    pub is_final: bool,
    /// current(m) − current(m − 1), in the goal's unit.
    pub change: Option<f64>,
    /// Where the goal ends at the pace it has kept since `start` (the pace line): only once
    /// [`PACE_MONTHS`] months from `start` have a value.
    pub projection: Option<f64>,
    /// Whether the goal would have a pace line but too few months have a value to draw it
    /// from ("not enough months to project").
    pub too_early_to_project: bool,
}

/// How many months from `start` to the month, inclusive, must have a current value before a
/// goal is projected: a pace drawn from one or two months is a guess, not a trend.
pub const PACE_MONTHS: usize = 3;

/// The current value of a goal in month `m`: the metric's value, or the latest check-in, in
/// e = min(m, due), so a goal's figures freeze at its due month.
pub fn current(p: &Project, g: &Goal, m: Month) -> Option<f64> {
    let e = m.min(g.due);
    match &g.metric {
        Some((metric, _)) => metric_value(p, *metric, e),
        None => g.checkins.iter().filter(|c| c.month <= e).max_by_key(|c| c.month).map(|c| c.value),
    }
}

/// Whether a goal's outcome is settled in month `m` at the as-of date: m is after its due
/// month, or is the due month and that month is complete. Dates alone decide it.
pub fn is_final(g: &Goal, m: Month, as_of: jiff::civil::Date) -> bool {
    m > g.due || (m == g.due && calendar::is_complete(m, as_of))
}

/// The pace line: baseline + (progress / elapsed) × (target − baseline), for an active goal
/// that is not final and has a progress; else `None`.
pub fn projection(g: &Goal, progress: Option<f64>, elapsed: f64, active: bool, is_final: bool) -> Option<f64> {
    if !active || is_final || elapsed <= 0.0 {
        return None;
    }
    let v = g.baseline + progress? / elapsed * (g.target - g.baseline);
    v.is_finite().then_some(v)
}

/// How many months from the goal's `start` to `m`, inclusive, have a current value, counted
/// up to [`PACE_MONTHS`] (enough to decide whether the goal may be projected). A goal on a
/// metric has a value in the funnel months where the metric has one; a goal tracked by
/// check-ins has one in every month from its first check-in on (the latest check-in holds).
pub fn months_with_value(p: &Project, g: &Goal, m: Month) -> usize {
    let last = m.min(g.due);
    match &g.metric {
        Some((metric, _)) => {
            let from = p.funnel.partition_point(|f| f.month < g.start);
            p.funnel[from..]
                .iter()
                .take_while(|f| f.month <= last)
                .filter(|f| metric_value(p, *metric, f.month).is_some())
                .take(PACE_MONTHS)
                .count()
        }
        None => match g.checkins.iter().map(|c| c.month).min() {
            Some(first) => first.max(g.start).span_to(last).clamp(0, PACE_MONTHS as i64) as usize,
            None => 0,
        },
    }
}

/// Progress from baseline to target (can be below 0 or above 1).
pub fn progress(g: &Goal, current: Option<f64>) -> Option<f64> {
    let den = g.target - g.baseline;
    let v = (current? - g.baseline) / den;
    v.is_finite().then_some(v)
}

/// Months from start to m inclusive over months from start to due inclusive, in [0, 1].
pub fn elapsed(g: &Goal, m: Month) -> f64 {
    let total = g.start.span_to(g.due) as f64;
    (g.start.span_to(m) as f64 / total).clamp(0.0, 1.0)
}

/// How far below a line a figure may fall through floating-point rounding and still be on it:
/// `0.4 - 0.10` is 0.30000000000000004, so a progress of exactly 30% at 40% of the time would
/// otherwise be "at risk" while the page shows 30.0% and 40.0% and the rule says on track. Far
/// below what a page shows (0.1%).
const ON_THE_LINE: f64 = 1e-9;

/// Whether `value` reaches `line`, a value on the line counting as reaching it.
fn reaches(value: f64, line: f64) -> bool {
    value >= line - ON_THE_LINE
}

/// Status from progress and elapsed, unless overridden: a final goal is achieved or missed;
/// before that a reached target is `met` (it can slip back). On track when progress is at
/// least elapsed − 10 points, at risk down to elapsed − 25 points (docs/figures.md#goals).
pub fn status(g: &Goal, progress: Option<f64>, elapsed: f64, is_final: bool) -> Status {
    if let Some(s) = g.status {
        return s;
    }
    match progress {
        None => Status::NoData,
        Some(p) if is_final => {
            if reaches(p, 1.0) {
                Status::Achieved
            } else {
                Status::Missed
            }
        }
        Some(p) if reaches(p, 1.0) => Status::Met,
        Some(p) if reaches(p, elapsed - 0.10) => Status::OnTrack,
        Some(p) if reaches(p, elapsed - 0.25) => Status::AtRisk,
        Some(_) => Status::OffTrack,
    }
}

/// Everything about a goal in month `m`, at the project's as-of date. Before its `start` a
/// goal is not judged: its status is `not_started` and it has no value, progress, change or
/// pace (a metric's value before the goal existed is not progress towards it), whatever its
/// status override says.
pub fn figures(p: &Project, g: &Goal, m: Month) -> GoalFigures {
    if m < g.start {
        return GoalFigures {
            id: g.id.clone(),
            current: None,
            progress: None,
            elapsed: 0.0,
            status: Status::NotStarted,
            active: false,
            is_final: false,
            change: None,
            projection: None,
            too_early_to_project: false,
        };
    }
    let cur = current(p, g, m);
    let prog = progress(g, cur);
    let el = elapsed(g, m);
    let fin = is_final(g, m, p.as_of);
    let active = g.start <= m && m <= g.due;
    let pace = projection(g, prog, el, active, fin);
    let enough = pace.is_some() && months_with_value(p, g, m) >= PACE_MONTHS;
    GoalFigures {
        id: g.id.clone(),
        current: cur,
        progress: prog,
        elapsed: el,
        status: status(g, prog, el, fin),
        active,
        is_final: fin,
        change: cur.zip(current(p, g, m.prev())).map(|(a, b)| a - b).filter(|c| c.is_finite()),
        projection: pace.filter(|_| enough),
        too_early_to_project: pace.is_some() && !enough,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Checkin, Unit};

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    fn goal(baseline: f64, target: f64) -> Goal {
        Goal {
            id: "g".into(),
            title: "G".into(),
            owners: vec!["marketing".into()],
            metric: None,
            unit: Unit::Count,
            baseline,
            target,
            start: m("2026-01"),
            due: m("2026-10"),
            status: None,
            checkins: vec![
                Checkin { month: m("2026-02"), value: 30.0, note: None },
                Checkin { month: m("2026-05"), value: 50.0, note: None },
            ],
            file: String::new(),
        }
    }

    #[test]
    fn elapsed_is_inclusive_and_clamped() {
        let g = goal(0.0, 100.0);
        assert_eq!(elapsed(&g, m("2026-01")), 0.1);
        assert_eq!(elapsed(&g, m("2026-05")), 0.5);
        assert_eq!(elapsed(&g, m("2025-12")), 0.0);
        assert_eq!(elapsed(&g, m("2027-03")), 1.0);
    }

    #[test]
    fn latest_checkin_at_or_before_month() {
        let p = Project::default();
        let g = goal(0.0, 100.0);
        assert_eq!(current(&p, &g, m("2026-01")), None);
        assert_eq!(current(&p, &g, m("2026-04")), Some(30.0));
        assert_eq!(current(&p, &g, m("2026-05")), Some(50.0));
        let f = figures(&p, &g, m("2026-01"));
        assert_eq!((f.progress, f.status), (None, Status::NoData));
    }

    #[test]
    fn a_goal_is_not_judged_before_its_start() {
        // A goal on leads 1,300 → 1,500 from Oct to Dec 2026; September had 1,000 leads, which
        // would be progress −150% and "off track". Before its start it is not started, with no
        // figures, even with a status override.
        let mut p = Project::default();
        as_of(&mut p, "2026-11-30");
        p.funnel = vec![leads("2026-09", 1000), leads("2026-10", 1200)];
        let mut g = goal(1300.0, 1500.0);
        g.metric = Some((crate::model::Metric::Stage(0), "stage.leads".into()));
        (g.start, g.due) = (m("2026-10"), m("2026-12"));
        let f = figures(&p, &g, m("2026-09"));
        assert_eq!((f.status, f.active, f.is_final), (Status::NotStarted, false, false));
        assert_eq!((f.current, f.progress, f.change, f.projection), (None, None, None, None));
        g.status = Some(Status::OnTrack);
        assert_eq!(figures(&p, &g, m("2026-09")).status, Status::NotStarted);
        // October, its first month: judged (the override holds from here on).
        assert_eq!(figures(&p, &g, m("2026-10")).status, Status::OnTrack);
        g.status = None;
        let f = figures(&p, &g, m("2026-10"));
        assert_eq!((f.progress, f.status, f.active), (Some(-0.5), Status::OffTrack, true));
    }

    #[test]
    fn status_boundaries() {
        let g = goal(0.0, 100.0);
        // elapsed 0.5: exactly 0.40 is on track, exactly 0.25 at risk, below that off track.
        assert_eq!(status(&g, Some(0.5 - 0.10), 0.5, false), Status::OnTrack);
        assert_eq!(status(&g, Some(0.39), 0.5, false), Status::AtRisk);
        assert_eq!(status(&g, Some(0.5 - 0.25), 0.5, false), Status::AtRisk);
        assert_eq!(status(&g, Some(0.2499), 0.5, false), Status::OffTrack);
        assert_eq!(status(&g, Some(1.0), 0.5, false), Status::Met);
        assert_eq!(status(&g, Some(0.9999), 1.0, false), Status::OnTrack);
        assert_eq!(status(&g, Some(1.0), 1.0, true), Status::Achieved);
        assert_eq!(status(&g, Some(0.9999), 1.0, true), Status::Missed);
        assert_eq!(status(&g, None, 1.0, true), Status::NoData);
        let mut over = g.clone();
        over.status = Some(Status::AtRisk);
        assert_eq!(status(&over, Some(1.0), 0.1, false), Status::AtRisk);
        assert_eq!(status(&over, Some(1.0), 1.0, true), Status::AtRisk, "an override holds when final too");
    }

    #[test]
    fn a_goal_exactly_on_a_line_is_on_it() {
        // 0 → 400 from Jan to Oct 2026, 120 in Apr: progress 120/400 = 30.0%, elapsed 4/10 =
        // 40.0%, and 30 >= 40 − 10: on track (0.4 − 0.10 is 0.30000000000000004 in floats).
        let mut g = goal(0.0, 400.0);
        g.checkins = vec![crate::model::Checkin { month: m("2026-04"), value: 120.0, note: None }];
        let p = Project::default();
        let f = figures(&p, &g, m("2026-04"));
        assert_eq!((f.progress, f.elapsed), (Some(0.3), 0.4));
        assert_eq!(f.status, Status::OnTrack);
        // The at-risk line the same way: 15% at 40% is exactly 25 points behind.
        assert_eq!(status(&g, Some(0.15), 0.4, false), Status::AtRisk);
        assert_eq!(status(&g, Some(0.1499), 0.4, false), Status::OffTrack);
        // And the target: 0.7 of the way to 0.1 from 0 then on to it in floats.
        assert_eq!(status(&g, Some(0.1 * 3.0 / 0.3), 0.5, false), Status::Met);
        assert_eq!(status(&g, Some(0.1 * 3.0 / 0.3), 1.0, true), Status::Achieved);
    }

    #[test]
    fn lower_is_better_goal() {
        // CAC from 7400 down to 5500: at 6450 half the way is done.
        let g = goal(7400.0, 5500.0);
        assert_eq!(progress(&g, Some(6450.0)), Some(0.5));
        assert_eq!(progress(&g, Some(7600.0)).map(|p| p < 0.0), Some(true));
        assert_eq!(progress(&g, Some(5000.0)).map(|p| p > 1.0), Some(true));
    }

    fn as_of(p: &mut Project, d: &str) {
        p.as_of = crate::model::calendar::parse_date(d).unwrap();
    }

    #[test]
    fn change_and_pace_worked_by_hand() {
        // 0 → 100 over Jan..Oct 2026 (10 months); check-ins 30 in Feb, 50 in May.
        let mut p = Project::default();
        as_of(&mut p, "2026-11-30");
        let g = goal(0.0, 100.0);
        // May: current 50, progress 0.5, elapsed 5/10 = 0.5: on track; April's current is
        // February's 30, so the change is +20; the pace leads to 0 + 0.5/0.5 × 100 = 100.
        let f = figures(&p, &g, m("2026-05"));
        assert_eq!((f.current, f.progress, f.elapsed), (Some(50.0), Some(0.5), 0.5));
        assert_eq!((f.status, f.change, f.projection, f.is_final), (Status::OnTrack, Some(20.0), Some(100.0), false));
        // April: 30 again (no April check-in), progress 0.3, elapsed 0.4: change 0, and the
        // pace leads to 0.3 / 0.4 × 100 = 75.
        let f = figures(&p, &g, m("2026-04"));
        assert_eq!(f.change, Some(0.0));
        assert!((f.projection.unwrap() - 75.0).abs() < 1e-9, "{:?}", f.projection);
        // January: no value yet, so neither change nor pace.
        let f = figures(&p, &g, m("2026-01"));
        assert_eq!((f.status, f.change, f.projection), (Status::NoData, None, None));
        // February: the change needs January's value too.
        assert_eq!(figures(&p, &g, m("2026-02")).change, None);
    }

    #[test]
    fn outcome_is_final_after_the_due_month_and_figures_freeze() {
        let mut p = Project::default();
        let mut g = goal(0.0, 100.0);
        g.checkins.push(Checkin { month: m("2026-10"), value: 96.0, note: None });
        g.checkins.push(Checkin { month: m("2026-12"), value: 120.0, note: None });
        // Due month in progress (as of 15 Oct): 96% with all the time gone is still running.
        as_of(&mut p, "2026-10-15");
        let f = figures(&p, &g, m("2026-10"));
        assert_eq!((f.is_final, f.status, f.progress), (false, Status::OnTrack, Some(0.96)));
        assert_eq!(f.projection, Some(96.0), "elapsed is 1, so the pace leads to where it is");
        // On the due month's last day it is still not complete; the day after, it is.
        as_of(&mut p, "2026-10-31");
        assert!(!figures(&p, &g, m("2026-10")).is_final);
        as_of(&mut p, "2026-11-01");
        let f = figures(&p, &g, m("2026-10"));
        assert_eq!((f.is_final, f.status, f.projection), (true, Status::Missed, None));
        // December: e = min(Dec, Oct) = Oct, so the December check-in of 120 is not its value;
        // the figures stay frozen and the change is 0.
        as_of(&mut p, "2026-12-31");
        let f = figures(&p, &g, m("2026-12"));
        assert_eq!((f.current, f.change, f.status, f.active), (Some(96.0), Some(0.0), Status::Missed, false));
        // Reaching the target: met while running, achieved once final.
        g.checkins[2].value = 100.0;
        as_of(&mut p, "2026-10-15");
        assert_eq!(figures(&p, &g, m("2026-10")).status, Status::Met);
        as_of(&mut p, "2026-11-01");
        assert_eq!(figures(&p, &g, m("2026-10")).status, Status::Achieved);
        // An override holds, but `final` follows the dates.
        g.status = Some(Status::OnTrack);
        let f = figures(&p, &g, m("2026-11"));
        assert_eq!((f.status, f.is_final), (Status::OnTrack, true));
    }

    #[test]
    fn lower_is_better_pace() {
        // CAC 7400 → 5500 over 10 months; at 6925 in May progress is −475 / −1900 = 0.25 with
        // half the time gone, so the pace leads to 7400 + 0.25 / 0.5 × (−1900) = 6450. (The
        // March check-in gives March, April and May a value: three months, enough to project.)
        let mut g = goal(7400.0, 5500.0);
        g.checkins = vec![
            Checkin { month: m("2026-03"), value: 7300.0, note: None },
            Checkin { month: m("2026-05"), value: 6925.0, note: None },
        ];
        let mut p = Project::default();
        as_of(&mut p, "2026-11-30");
        let f = figures(&p, &g, m("2026-05"));
        assert_eq!((f.progress, f.projection), (Some(0.25), Some(6450.0)));
        assert_eq!(f.status, Status::AtRisk, "0.25 >= 0.5 − 0.25 exactly");
    }

    fn leads(month: &str, n: u64) -> crate::model::FunnelMonth {
        crate::model::FunnelMonth {
            stages: vec![Some(n), None, None, None, None],
            ..crate::model::FunnelMonth::empty(m(month), 5, "")
        }
    }

    #[test]
    fn no_pace_before_three_months_with_a_value() {
        // Leads 1,000 → 2,000 from Sep 2026 to Feb 2027 (6 months); August's 900 is before the
        // start and does not count. Funnel: Sep 1,100, Oct 1,200, Nov 1,300.
        let mut p = Project::default();
        as_of(&mut p, "2026-12-15");
        p.funnel = vec![leads("2026-08", 900), leads("2026-09", 1100), leads("2026-10", 1200), leads("2026-11", 1300)];
        let mut g = goal(1000.0, 2000.0);
        g.metric = Some((crate::model::Metric::Stage(0), "stage.leads".into()));
        (g.start, g.due) = (m("2026-09"), m("2027-02"));
        // October: progress 200 / 1,000 = 0.2 with 2 of 6 months gone (at risk: 0.2 is below
        // 0.333 − 0.10), but only September and October have a value: no pace, and the page
        // says why.
        let f = figures(&p, &g, m("2026-10"));
        assert_eq!((f.progress, f.status), (Some(0.2), Status::AtRisk));
        assert_eq!((f.projection, f.too_early_to_project), (None, true));
        // November, the third month with a value: progress 0.3 at 3 / 6 = 0.5 gone leads to
        // 1,000 + 0.3 / 0.5 × 1,000 = 1,600.
        let f = figures(&p, &g, m("2026-11"));
        assert!((f.projection.unwrap() - 1600.0).abs() < 1e-9, "{:?}", f.projection);
        assert!(!f.too_early_to_project);
        // A month without data is not a month with a value: without October, November has two.
        p.funnel.remove(2);
        let f = figures(&p, &g, m("2026-11"));
        assert_eq!((f.projection, f.too_early_to_project), (None, true));
        assert_eq!(months_with_value(&p, &g, m("2026-11")), 2);
        // A month without a value of its own has no pace to speak of either way.
        assert!(!figures(&p, &g, m("2026-12")).too_early_to_project);

        // By check-ins: the latest check-in holds, so a first check-in in March gives March,
        // April and May a value. In April (2 months) no pace; in May progress 0.5 at 5 / 10
        // months gone leads to 0 + 0.5 / 0.5 × 100 = 100.
        let mut g = goal(0.0, 100.0);
        g.checkins = vec![
            Checkin { month: m("2026-03"), value: 20.0, note: None },
            Checkin { month: m("2026-05"), value: 50.0, note: None },
        ];
        assert_eq!(months_with_value(&p, &g, m("2026-04")), 2);
        let f = figures(&p, &g, m("2026-04"));
        assert_eq!((f.projection, f.too_early_to_project), (None, true));
        let f = figures(&p, &g, m("2026-05"));
        assert_eq!((f.projection, f.too_early_to_project), (Some(100.0), false));
        // A final goal has no pace and nothing to explain.
        let f = figures(&p, &g, m("2026-11"));
        assert_eq!((f.projection, f.too_early_to_project), (None, false));
    }
}
