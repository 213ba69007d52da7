//! What changed since last month (docs/figures.md#what-changed-since-last-month): goal statuses, checklist items and action
//! figures of month m against m − 1.

use super::MonthFigures;
use crate::model::{Goal, Status};
use serde::Serialize;

/// A goal whose status differs from last month's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalChange {
    /// Goal id.
    pub id: String,
    /// Last month's status; `None` when last month has no report or is before the goal's start.
    pub from: Option<Status>,
    /// This month's status.
    pub to: Option<Status>,
}

/// A checklist item whose `met` differs from last month's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChecklistChange {
    /// Item id.
    pub id: String,
    /// Last month's `met`; `None` when last month has no report.
    pub from: Option<bool>,
    /// This month's `met`.
    pub to: Option<bool>,
}

/// The action figures that make this month's change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ActionChanges {
    /// Items from the month's meetings.
    pub new: usize,
    /// Items done in the month.
    pub done: usize,
    /// Items overdue at D that were not overdue at the end of last month.
    pub newly_overdue: usize,
}

/// Everything that changed in a month.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Changes {
    /// Goals whose status moved, in goal order.
    pub goals: Vec<GoalChange>,
    /// Checklist items whose `met` moved, in checklist order.
    pub checklist: Vec<ChecklistChange>,
    /// New, done and newly overdue action items.
    pub actions: ActionChanges,
}

/// A goal's status in a month: `None` when the month has no report (`figures` is `None`) or
/// is before the goal's start.
fn status_in(g: &Goal, i: usize, figures: Option<&MonthFigures>) -> Option<Status> {
    let f = figures?;
    (f.month >= g.start).then(|| f.goals[i].status)
}

/// The changes of report month `cur` against `prev`, the figures of the month before when it
/// has a report (`None` otherwise). Goals are those active in either month whose status
/// differs, except moves to or from `no_data` (missing data is not movement); checklist items
/// whose `met` differs, except items not yet assessed (the same reason).
pub fn between(goals: &[Goal], prev: Option<&MonthFigures>, cur: &MonthFigures) -> Changes {
    let m = cur.month;
    let goals = goals
        .iter()
        .enumerate()
        .filter(|(_, g)| (g.start <= m && m <= g.due) || (g.start <= m.prev() && m.prev() <= g.due))
        .filter_map(|(i, g)| {
            let (from, to) = (status_in(g, i, prev), status_in(g, i, Some(cur)));
            let moved = from != to && from != Some(Status::NoData) && to != Some(Status::NoData);
            moved.then(|| GoalChange { id: g.id.clone(), from, to })
        })
        .collect();
    let checklist = cur
        .checklist
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            // An item not yet assessed has not moved: its assessment is missing, not negative.
            let waiting = c.not_yet_assessed || prev.is_some_and(|p| p.checklist[i].not_yet_assessed);
            let from = prev.map(|p| p.checklist[i].met);
            (from != Some(c.met) && !waiting).then(|| ChecklistChange { id: c.id.clone(), from, to: Some(c.met) })
        })
        .collect();
    let a = &cur.actions;
    Changes { goals, checklist, actions: ActionChanges { new: a.new, done: a.done, newly_overdue: a.newly_overdue } }
}
