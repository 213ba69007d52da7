//! The key-takeaway checklist for a month (docs/content.md, the checklist).

use super::is_joint;
use crate::model::calendar::{self, Month};
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
    /// A self-assessed item (no evidence to count) in a month in progress whose assessment
    /// is not recorded yet: not met so far, but not "not met" either, since the team has not
    /// said. Never true in a complete month or once the month has an entry in checklist.yaml.
    pub not_yet_assessed: bool,
}

/// The three items whose evidence the tool counts; every other item is self-assessed.
pub const EVIDENCE_ITEMS: [&str; 3] = ["communicate", "common-interests", "fill-tanks"];

/// The meetings that count in month `m`'s report: those it is the [`Meeting::report_month`]
/// of, so a review held early the next month with `reviews:` counts in the month it reviews
/// (by date, then slug: the model's order).
pub fn meetings_in(p: &Project, m: Month) -> Vec<&Meeting> {
    p.meetings.iter().filter(|mt| mt.report_month() == m).collect()
}

/// Every checklist item for month `m`.
pub fn figures(p: &Project, m: Month) -> Vec<ChecklistFigure> {
    let meetings = meetings_in(p, m);
    let recorded = p.checklist_months.iter().find(|c| c.month == m);
    let checked_ids: &[String] = recorded.map(|c| c.checked.as_slice()).unwrap_or(&[]);
    // The team records its self-assessment when the month is over (or during it): until then
    // an in-progress month's self-assessed items are not yet assessed.
    let awaiting = recorded.is_none() && calendar::is_in_progress(m, p.as_of);
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
            let not_yet_assessed = awaiting && !met && !EVIDENCE_ITEMS.contains(&item.id.as_str());
            ChecklistFigure { id: item.id, met, checked, evidence, not_yet_assessed }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChecklistMonth;

    fn state(p: &Project, m: &str, id: &str) -> (bool, bool) {
        let f = figures(p, Month::parse(m).unwrap());
        let item = f.iter().find(|c| c.id == id).unwrap();
        (item.met, item.not_yet_assessed)
    }

    #[test]
    fn self_assessed_items_of_a_month_in_progress_wait_for_their_assessment() {
        let mut p = Project { as_of: calendar::parse_date("2026-12-05").unwrap(), ..Project::default() };
        p.checklist_months = vec![ChecklistMonth {
            month: Month::parse("2026-11").unwrap(),
            checked: vec!["open-ears".into()],
            note: None,
            at: (1, 1),
        }];
        // November is complete: checked is met, unchecked is not met.
        assert_eq!(state(&p, "2026-11", "open-ears"), (true, false));
        assert_eq!(state(&p, "2026-11", "positive-intent"), (false, false));
        // December holds the as-of date and has no entry: both wait; evidence items never do.
        assert_eq!(state(&p, "2026-12", "open-ears"), (false, true));
        assert_eq!(state(&p, "2026-12", "positive-intent"), (false, true));
        assert_eq!(state(&p, "2026-12", "fill-tanks"), (false, false));
        // Once December has an entry, what it does not check is not met.
        p.checklist_months.push(ChecklistMonth {
            month: Month::parse("2026-12").unwrap(),
            checked: vec!["open-ears".into()],
            note: None,
            at: (2, 1),
        });
        assert_eq!(state(&p, "2026-12", "open-ears"), (true, false));
        assert_eq!(state(&p, "2026-12", "positive-intent"), (false, false));
    }
}
