//! The key-takeaway checklist for a month (docs/content.md, the checklist).

use super::is_joint;
use crate::model::calendar::{self, Month};
use crate::model::{Meeting, Project};
use serde::Serialize;
use std::collections::BTreeMap;

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
    /// An item of a month in progress that is not met so far, but not "not met" either: a
    /// self-assessed item (no evidence to count) whose assessment is not recorded yet (the
    /// team has not said), or an item counted from evidence that falls short so far (the
    /// month's meetings are not all held yet). Never true in a complete month; a self-assessed
    /// item stops waiting once the month has an entry in checklist.yaml, an evidence item
    /// only when the month ends.
    pub not_yet_assessed: bool,
}

/// The meetings that count in each month's report: those it is the [`Meeting::report_month`]
/// of, so a review held early the next month with `reviews:` counts in the month it reviews
/// (by date, then slug: the model's order). One pass over the meetings for every month.
pub fn meetings_by_month(p: &Project) -> BTreeMap<Month, Vec<&Meeting>> {
    let mut by_month: BTreeMap<Month, Vec<&Meeting>> = BTreeMap::new();
    for mt in &p.meetings {
        by_month.entry(mt.report_month()).or_default().push(mt);
    }
    by_month
}

/// Every checklist item for month `m`.
pub fn figures(p: &Project, m: Month, meetings: &[&Meeting]) -> Vec<ChecklistFigure> {
    let recorded = p.checklist_months.iter().find(|c| c.month == m);
    let checked_ids: &[String] = recorded.map(|c| c.checked.as_slice()).unwrap_or(&[]);
    // The team records its self-assessment when the month is over (or during it): until then
    // an in-progress month's self-assessed items are not yet assessed. The evidence of the
    // others (joint meetings, shoutouts) grows until the month ends: one that falls short so
    // far is not yet assessed either, so it never reads as a regression mid-month.
    let in_progress = calendar::is_in_progress(m, p.as_of);
    let awaiting = recorded.is_none() && in_progress;
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
            // An evidence item that cannot be counted (a team lists no members) waits for the
            // team's word, as a self-assessed item does.
            let not_yet_assessed = !met && if evidence.is_some() { in_progress } else { awaiting };
            ChecklistFigure { id: item.id, met, checked, evidence, not_yet_assessed }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChecklistMonth;

    fn state(p: &Project, m: &str, id: &str) -> (bool, bool) {
        let m = Month::parse(m).unwrap();
        let f = figures(p, m, meetings_by_month(p).get(&m).map_or(&[], Vec::as_slice));
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
        // December holds the as-of date and has no entry: both wait; so does an evidence item
        // that falls short so far (no shoutout yet), while November's shortfall is final.
        assert_eq!(state(&p, "2026-12", "open-ears"), (false, true));
        assert_eq!(state(&p, "2026-12", "positive-intent"), (false, true));
        assert_eq!(state(&p, "2026-12", "fill-tanks"), (false, true));
        assert_eq!(state(&p, "2026-11", "fill-tanks"), (false, false));
        // Once December has an entry, what it does not check is not met.
        p.checklist_months.push(ChecklistMonth {
            month: Month::parse("2026-12").unwrap(),
            checked: vec!["open-ears".into()],
            note: None,
            at: (2, 1),
        });
        assert_eq!(state(&p, "2026-12", "open-ears"), (true, false));
        assert_eq!(state(&p, "2026-12", "positive-intent"), (false, false));
        // An evidence item waits for the month's end, entry or not.
        assert_eq!(state(&p, "2026-12", "fill-tanks"), (false, true));
    }
}
