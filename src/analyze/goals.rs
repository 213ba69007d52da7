//! Goal progress, elapsed share and status (FORMAT.md 8.7).

use super::funnel::metric_value;
use crate::model::calendar::Month;
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
}

/// The current value of a goal in month `m`.
pub fn current(p: &Project, g: &Goal, m: Month) -> Option<f64> {
    match &g.metric {
        Some((metric, _)) => metric_value(p, *metric, m),
        None => g.checkins.iter().filter(|c| c.month <= m).max_by_key(|c| c.month).map(|c| c.value),
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

/// Status from progress and elapsed, unless overridden.
pub fn status(g: &Goal, progress: Option<f64>, elapsed: f64) -> Status {
    if let Some(s) = g.status {
        return s;
    }
    match progress {
        None => Status::NoData,
        Some(p) if p >= 1.0 => Status::Done,
        Some(p) if p >= elapsed - 0.10 => Status::OnTrack,
        Some(p) if p >= elapsed - 0.25 => Status::AtRisk,
        Some(_) => Status::OffTrack,
    }
}

/// Everything about a goal in month `m`.
pub fn figures(p: &Project, g: &Goal, m: Month) -> GoalFigures {
    let cur = current(p, g, m);
    let prog = progress(g, cur);
    let el = elapsed(g, m);
    GoalFigures {
        id: g.id.clone(),
        current: cur,
        progress: prog,
        elapsed: el,
        status: status(g, prog, el),
        active: g.start <= m && m <= g.due,
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
    fn status_boundaries() {
        let g = goal(0.0, 100.0);
        // elapsed 0.5: exactly 0.40 is on track, exactly 0.25 at risk, below that off track.
        assert_eq!(status(&g, Some(0.5 - 0.10), 0.5), Status::OnTrack);
        assert_eq!(status(&g, Some(0.39), 0.5), Status::AtRisk);
        assert_eq!(status(&g, Some(0.5 - 0.25), 0.5), Status::AtRisk);
        assert_eq!(status(&g, Some(0.2499), 0.5), Status::OffTrack);
        assert_eq!(status(&g, Some(1.0), 0.5), Status::Done);
        assert_eq!(status(&g, Some(0.9999), 1.0), Status::OnTrack);
        let mut over = g.clone();
        over.status = Some(Status::AtRisk);
        assert_eq!(status(&over, Some(1.0), 0.1), Status::AtRisk);
    }

    #[test]
    fn lower_is_better_goal() {
        // CAC from 7400 down to 5500: at 6450 half the way is done.
        let g = goal(7400.0, 5500.0);
        assert_eq!(progress(&g, Some(6450.0)), Some(0.5));
        assert_eq!(progress(&g, Some(7600.0)).map(|p| p < 0.0), Some(true));
        assert_eq!(progress(&g, Some(5000.0)).map(|p| p > 1.0), Some(true));
    }
}
