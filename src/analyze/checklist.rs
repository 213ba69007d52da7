//! The key-takeaway checklist for a month (FORMAT.md section 6).

use super::is_joint;
use crate::model::calendar::Month;
use crate::model::{Meeting, Project};
use serde::Serialize;

/// One checklist item in one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChecklistFigure {
    /// Item id.
    pub id: String,
    /// Met: checked by the team, or its evidence holds.
    pub met: bool,
    /// Ticked in `checklist.yaml` for the month.
    pub checked: bool,
    /// The count behind the evidence, for the three items that have one.
    pub evidence: Option<u64>,
}

/// The meetings that count in month `m`'s report: those it is the [`Meeting::report_month`]
/// of, so a review held early the next month with `reviews:` counts in the month it reviews
/// (by date, then slug: the model's order).
pub fn meetings_in(p: &Project, m: Month) -> Vec<&Meeting> {
    p.meetings.iter().filter(|mt| mt.report_month() == m).collect()
}

/// Every checklist item for month `m`.
pub fn figures(p: &Project, m: Month) -> Vec<ChecklistFigure> {
    let meetings = meetings_in(p, m);
    let checked_ids: &[String] =
        p.checklist_months.iter().find(|c| c.month == m).map(|c| c.checked.as_slice()).unwrap_or(&[]);
    p.checklist()
        .into_iter()
        .map(|item| {
            let (evidence, threshold) = match item.id.as_str() {
                "communicate" => (
                    p.site
                        .both_sides_have_members()
                        .then(|| meetings.iter().filter(|mt| is_joint(&p.site, mt)).count() as u64),
                    p.site.min_joint_meetings,
                ),
                "common-interests" => {
                    (Some(p.goals.iter().filter(|g| g.is_shared() && g.start <= m && m <= g.due).count() as u64), 1)
                }
                "fill-tanks" => (Some(meetings.iter().map(|mt| mt.shoutouts.len() as u64).sum()), 1),
                _ => (None, 0),
            };
            let checked = checked_ids.contains(&item.id);
            let met = checked || evidence.is_some_and(|e| e >= threshold);
            ChecklistFigure { id: item.id, met, checked, evidence }
        })
        .collect()
}
