//! Open and overdue action items (FORMAT.md 8.8).

use crate::model::calendar::Month;
use crate::model::{Action, Meeting, Project};

/// An open action item with the meeting it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenAction<'a> {
    /// The item.
    pub action: &'a Action,
    /// The meeting it was agreed in.
    pub meeting: &'a Meeting,
    /// Due on or before the month's last day.
    pub overdue: bool,
}

/// Open items from meetings dated on or before the month's end, grouped by owner (owners in
/// name order), overdue first, then by due date, meeting and task.
pub fn open_by_owner(p: &Project, m: Month) -> Vec<(String, Vec<OpenAction<'_>>)> {
    let end = m.last_day();
    let mut items: Vec<OpenAction> = p
        .meetings
        .iter()
        .filter(|mt| mt.date <= end)
        .flat_map(|mt| mt.actions.iter().map(move |a| (mt, a)))
        .filter(|(_, a)| !a.done_by(end))
        .map(|(meeting, action)| OpenAction { action, meeting, overdue: action.due <= end })
        .collect();
    items.sort_by(|a, b| {
        (&a.action.owner, !a.overdue, a.action.due, &a.meeting.slug, &a.action.task).cmp(&(
            &b.action.owner,
            !b.overdue,
            b.action.due,
            &b.meeting.slug,
            &b.action.task,
        ))
    });
    let mut groups: Vec<(String, Vec<OpenAction>)> = Vec::new();
    for it in items {
        match groups.last_mut() {
            Some((owner, list)) if *owner == it.action.owner => list.push(it),
            _ => groups.push((it.action.owner.clone(), vec![it])),
        }
    }
    groups
}

/// (open, overdue) counts for the month.
pub fn counts(groups: &[(String, Vec<OpenAction<'_>>)]) -> (usize, usize) {
    let open = groups.iter().map(|(_, l)| l.len()).sum();
    let overdue = groups.iter().flat_map(|(_, l)| l).filter(|a| a.overdue).count();
    (open, overdue)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::parse_date;

    fn meeting(slug: &str, date: &str, actions: Vec<(&str, &str, bool)>) -> Meeting {
        Meeting {
            slug: slug.into(),
            title: slug.into(),
            date: parse_date(date).unwrap(),
            attendees: vec![],
            decisions: vec![],
            actions: actions
                .into_iter()
                .map(|(owner, due, done)| Action {
                    task: format!("t-{due}"),
                    owner: owner.into(),
                    due: parse_date(due).unwrap(),
                    done,
                    done_on: None,
                })
                .collect(),
            shoutouts: vec![],
            notes: String::new(),
            file: String::new(),
        }
    }

    #[test]
    fn overdue_on_last_day_and_later_meetings_excluded() {
        let p = Project {
            meetings: vec![
                meeting(
                    "a",
                    "2026-10-07",
                    vec![("Sam", "2026-10-31", false), ("Sam", "2026-11-01", false), ("Dana", "2026-10-01", true)],
                ),
                meeting("b", "2026-11-02", vec![("Dana", "2026-10-15", false)]),
            ],
            ..Project::default()
        };
        let oct = Month::parse("2026-10").unwrap();
        let g = open_by_owner(&p, oct);
        assert_eq!(counts(&g), (2, 1));
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].0, "Sam");
        assert!(g[0].1[0].overdue, "due on the last day of the month is overdue");
        assert!(!g[0].1[1].overdue);
        let nov = open_by_owner(&p, oct.next());
        assert_eq!(counts(&nov), (3, 3));
        assert_eq!(nov[0].0, "Dana");
    }
}
