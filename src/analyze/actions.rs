//! The action lifecycle (docs/content.md and docs/figures.md#meetings-action-items-and-the-checklist): which items are open, overdue, new and done at a
//! day D, as pure functions of the model and D. A month's figures use its end day
//! ([`crate::model::calendar::end_day`]); the actions page and `actions.ics` use the as-of date.

use crate::model::calendar::{days_between, Month};
use crate::model::{Action, Meeting, Project};
use jiff::civil::Date;
use jiff::ToSpan;

/// How many days overdue an item may be and still be listed one by one in a report; older
/// overdue items are one count per owner.
pub const LIST_OVERDUE_DAYS: i64 = 90;
/// How many days ahead a report lists the open items that fall due.
pub const LIST_AHEAD_DAYS: i64 = 30;
/// The actions page lists items done within this many days up to D.
pub const RECENT_DONE_DAYS: i64 = 30;
/// How many days overdue an item may be and still be listed on the actions page; older
/// overdue items are a count per owner there, listed on the page of older items.
pub const PAGE_OVERDUE_DAYS: i64 = 365;

/// An item open at some day D, with the meeting it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OpenItem<'a> {
    /// The item.
    pub action: &'a Action,
    /// The meeting that agreed it.
    pub meeting: &'a Meeting,
    /// Days past its due date at D (`D − due`), when it is overdue; `None` when it is not.
    pub days_overdue: Option<i64>,
}

impl OpenItem<'_> {
    /// Whether the item is overdue at D.
    pub fn overdue(&self) -> bool {
        self.days_overdue.is_some()
    }

    /// Whether the item is overdue by more than [`PAGE_OVERDUE_DAYS`] at D: the actions page
    /// counts it, the page of older items lists it.
    pub fn long_overdue(&self) -> bool {
        self.days_overdue.is_some_and(|n| n > PAGE_OVERDUE_DAYS)
    }
}

/// Whether an item exists and is not done at `d`: its meeting is dated on or before `d` and it
/// is not done by `d` (see [`Action::done_by`]).
pub fn is_open(meeting: &Meeting, action: &Action, d: Date) -> bool {
    meeting.date <= d && !action.done_by(d)
}

/// Days overdue at `d`: `Some(d − due)` when the item is open at `d` and due before `d` (an item
/// due on `d` itself is not overdue yet), else `None`.
pub fn days_overdue(meeting: &Meeting, action: &Action, d: Date) -> Option<i64> {
    (is_open(meeting, action, d) && action.due < d).then(|| days_between(action.due, d))
}

/// Meetings dated on or before `d` (the model keeps meetings sorted by date).
fn meetings_until(p: &Project, d: Date) -> &[Meeting] {
    &p.meetings[..p.meetings.partition_point(|m| m.date <= d)]
}

/// Every item open at `d`, in meeting order (date, then slug), then file order.
pub fn open_at(p: &Project, d: Date) -> Vec<OpenItem<'_>> {
    meetings_until(p, d)
        .iter()
        .flat_map(|meeting| meeting.actions.iter().map(move |action| (meeting, action)))
        .filter(|(_, a)| !a.done_by(d))
        .map(|(meeting, action)| OpenItem { action, meeting, days_overdue: days_overdue(meeting, action, d) })
        .collect()
}

/// A month's action figures at its end day D (docs/figures.md#meetings-action-items-and-the-checklist).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// Items open at D.
    pub open: usize,
    /// Items overdue at D.
    pub overdue: usize,
    /// Items from the month's meetings dated on or before D.
    pub new: usize,
    /// Items whose `done_on` falls in the month, on or before D.
    pub done: usize,
    /// Items overdue at D that were not overdue on the last day of the month before.
    pub newly_overdue: usize,
}

/// The action figures of month `m` at its end day `d` (a day in `m`).
pub fn figures(p: &Project, m: Month, d: Date) -> Figures {
    let prev_end = m.prev().last_day();
    let mut f = Figures::default();
    for meeting in meetings_until(p, d) {
        let in_month = Month::of(meeting.date) == m;
        for action in &meeting.actions {
            if in_month {
                f.new += 1;
            }
            if action.done_on.is_some_and(|on| Month::of(on) == m && on <= d) {
                f.done += 1;
            }
            if action.done_by(d) {
                continue;
            }
            f.open += 1;
            if action.due < d {
                f.overdue += 1;
                if is_newly_overdue(meeting, action, prev_end, d) {
                    f.newly_overdue += 1;
                }
            }
        }
    }
    f
}

/// Whether an item is overdue at `d` but was not at `since` (the last day of the month, or
/// quarter, before): FORMAT's "newly overdue".
pub fn is_newly_overdue(meeting: &Meeting, action: &Action, since: Date, d: Date) -> bool {
    days_overdue(meeting, action, d).is_some() && days_overdue(meeting, action, since).is_none()
}

/// The items overdue at `d` that were not at `since`, grouped by owner (owners and items in the
/// report's order: owners by name, most days overdue first): who has newly overdue items.
pub fn newly_overdue_by_owner(p: &Project, since: Date, d: Date) -> Vec<OwnerGroup<'_>> {
    group(open_at(p, d).into_iter().filter(|i| is_newly_overdue(i.meeting, i.action, since, d)).map(|i| (i, true)))
}

/// One owner's part of an action list.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnerGroup<'a> {
    /// The owner's name as written.
    pub owner: &'a str,
    /// The items listed one by one: overdue first (most days first), then by due date,
    /// meeting date and task.
    pub items: Vec<OpenItem<'a>>,
    /// Items overdue by more than [`LIST_OVERDUE_DAYS`], counted, not listed (reports only).
    pub older_overdue: usize,
}

/// The order of a list: overdue first (most days first), then due date, meeting date, task,
/// and the meeting's slug so that equal rows still have one order.
fn list_order(a: &OpenItem, b: &OpenItem) -> std::cmp::Ordering {
    (std::cmp::Reverse(a.days_overdue), a.action.due, a.meeting.date, &a.action.task, &a.meeting.slug).cmp(&(
        std::cmp::Reverse(b.days_overdue),
        b.action.due,
        b.meeting.date,
        &b.action.task,
        &b.meeting.slug,
    ))
}

/// Groups items by owner (names as written, in Unicode code point order) and sorts each group.
fn group<'a>(items: impl IntoIterator<Item = (OpenItem<'a>, bool)>) -> Vec<OwnerGroup<'a>> {
    let mut by_owner: std::collections::BTreeMap<&'a str, OwnerGroup<'a>> = std::collections::BTreeMap::new();
    for (it, listed) in items {
        let g = by_owner.entry(it.action.owner.as_str()).or_insert_with(|| OwnerGroup {
            owner: &it.action.owner,
            items: Vec::new(),
            older_overdue: 0,
        });
        if listed {
            g.items.push(it);
        } else {
            g.older_overdue += 1;
        }
    }
    let mut groups: Vec<OwnerGroup> = by_owner.into_values().collect();
    for g in &mut groups {
        g.items.sort_by(list_order);
    }
    groups
}

/// A report's bounded action list at its end day, with what it leaves out.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportList<'a> {
    /// The day the list is for (the month's end day).
    pub day: Date,
    /// The last due day listed: `day` + [`LIST_AHEAD_DAYS`].
    pub ahead_day: Date,
    /// The owners' groups.
    pub groups: Vec<OwnerGroup<'a>>,
    /// Items listed one by one.
    pub listed: usize,
    /// Items overdue by more than [`LIST_OVERDUE_DAYS`], counted per owner.
    pub older_overdue: usize,
    /// Open items due after `ahead_day`: neither listed nor counted per owner.
    pub not_listed: usize,
}

/// The report's bounded list at `d` (docs/figures.md#meetings-action-items-and-the-checklist): every item overdue by
/// [`LIST_OVERDUE_DAYS`] days or fewer and every open item due from `d` to `d` +
/// [`LIST_AHEAD_DAYS`] days, by owner; older overdue items are counted per owner. Items due
/// later are neither listed nor counted. So a report's size does not grow with the project's
/// history.
pub fn report_list(p: &Project, d: Date) -> ReportList<'_> {
    let ahead = d.checked_add(LIST_AHEAD_DAYS.days()).unwrap_or(Date::MAX);
    let open = open_at(p, d);
    let all = open.len();
    let groups = group(open.into_iter().filter_map(|it| match it.days_overdue {
        Some(n) => Some((it, n <= LIST_OVERDUE_DAYS)),
        None if it.action.due <= ahead => Some((it, true)),
        None => None,
    }));
    let listed: usize = groups.iter().map(|g| g.items.len()).sum();
    let older_overdue: usize = groups.iter().map(|g| g.older_overdue).sum();
    let ahead_day = d.checked_add(LIST_AHEAD_DAYS.days()).unwrap_or(d);
    ReportList { day: d, ahead_day, groups, listed, older_overdue, not_listed: all - listed - older_overdue }
}

/// Every item open at `d` by owner, in the report's order (the actions page and calendar).
pub fn open_by_owner(p: &Project, d: Date) -> Vec<OwnerGroup<'_>> {
    group(open_at(p, d).into_iter().map(|it| (it, true)))
}

/// An item that was finished, with its meeting and the day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DoneItem<'a> {
    /// The item.
    pub action: &'a Action,
    /// The meeting that agreed it.
    pub meeting: &'a Meeting,
    /// Its `done_on`.
    pub done_on: Date,
}

/// Items whose `done_on` is after `d` − [`RECENT_DONE_DAYS`] and on or before `d`, most recent
/// first, then by owner and task.
pub fn done_recently(p: &Project, d: Date) -> Vec<DoneItem<'_>> {
    let from = d.checked_sub(RECENT_DONE_DAYS.days()).unwrap_or(Date::MIN);
    let mut out: Vec<DoneItem> = meetings_until(p, d)
        .iter()
        .flat_map(|meeting| meeting.actions.iter().map(move |action| (meeting, action)))
        .filter_map(|(meeting, action)| {
            let on = action.done_on?;
            (from < on && on <= d).then_some(DoneItem { action, meeting, done_on: on })
        })
        .collect();
    out.sort_by(|a, b| {
        (std::cmp::Reverse(a.done_on), &a.action.owner, &a.action.task, &a.meeting.slug).cmp(&(
            std::cmp::Reverse(b.done_on),
            &b.action.owner,
            &b.action.task,
            &b.meeting.slug,
        ))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::parse_date;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    /// An action: (owner, task, due, done, done_on).
    type A<'s> = (&'s str, &'s str, &'s str, bool, Option<&'s str>);

    fn meeting(slug: &str, date: &str, actions: &[A]) -> Meeting {
        Meeting {
            slug: slug.into(),
            title: slug.into(),
            date: d(date),
            attendees: vec![],
            decisions: vec![],
            actions: actions
                .iter()
                .map(|&(owner, task, due, done, done_on)| Action {
                    task: task.into(),
                    owner: owner.into(),
                    due: d(due),
                    done: done || done_on.is_some(),
                    done_on: done_on.map(d),
                })
                .collect(),
            shoutouts: vec![],
            notes: String::new(),
            file: String::new(),
            reviews: None,
        }
    }

    fn project(meetings: Vec<Meeting>) -> Project {
        Project { meetings, ..Project::default() }
    }

    #[test]
    fn due_on_d_is_not_overdue_due_the_day_before_is_one_day_overdue() {
        let mt = meeting("m", "2026-10-01", &[("Sam", "t", "2026-10-31", false, None)]);
        let a = &mt.actions[0];
        assert_eq!(days_overdue(&mt, a, d("2026-10-31")), None);
        assert_eq!(days_overdue(&mt, a, d("2026-11-01")), Some(1));
        // 31 Oct to 30 Nov: 30 days.
        assert_eq!(days_overdue(&mt, a, d("2026-11-30")), Some(30));
    }

    #[test]
    fn done_on_d_is_done_at_d_and_open_the_day_before() {
        let mt = meeting("m", "2026-10-01", &[("Sam", "t", "2026-10-10", false, Some("2026-10-20"))]);
        let a = &mt.actions[0];
        assert!(is_open(&mt, a, d("2026-10-19")));
        assert_eq!(days_overdue(&mt, a, d("2026-10-19")), Some(9));
        assert!(!is_open(&mt, a, d("2026-10-20")));
        assert_eq!(days_overdue(&mt, a, d("2026-10-20")), None);
        // done_on after D: still open at D (the as-of rule leaves such a date out).
        assert!(is_open(&mt, a, d("2026-10-15")));
    }

    #[test]
    fn done_without_done_on_is_done_in_every_month() {
        let mt = meeting("m", "2026-10-01", &[("Sam", "t", "2026-10-10", true, None)]);
        assert!(!is_open(&mt, &mt.actions[0], d("2026-10-01")));
        assert!(!is_open(&mt, &mt.actions[0], d("2027-10-01")));
    }

    #[test]
    fn items_from_meetings_after_d_do_not_exist_yet() {
        let p = project(vec![meeting("late", "2026-11-02", &[("Dana", "t", "2026-10-15", false, None)])]);
        assert!(open_at(&p, d("2026-11-01")).is_empty());
        assert_eq!(figures(&p, Month::parse("2026-10").unwrap(), d("2026-10-31")), Figures::default());
        let nov = figures(&p, Month::parse("2026-11").unwrap(), d("2026-11-30"));
        // Due before its own meeting: overdue from the day it exists, 46 days at 30 Nov
        // (15 Oct to 30 Nov: 16 + 30), and new to November's overdue list.
        assert_eq!(nov, Figures { open: 1, overdue: 1, new: 1, done: 0, newly_overdue: 1 });
        assert_eq!(open_at(&p, d("2026-11-30"))[0].days_overdue, Some(46));
    }

    /// Two months worked out by hand.
    /// Sep meeting (2026-09-20): a (Ann, due 09-25, done_on 10-05), b (Bob, due 10-31),
    ///   c (Ann, due 10-10, done: true).
    /// Oct meeting (2026-10-07): d (Bob, due 10-20, done_on 11-03), e (Ann, due 11-15),
    ///   f (Ann, due 10-07, done_on 10-07).
    /// Nov meeting (2026-11-10): g (Bob, due 11-12).
    #[test]
    fn month_figures_by_hand() {
        let p = project(vec![
            meeting(
                "sep",
                "2026-09-20",
                &[
                    ("Ann", "a", "2026-09-25", false, Some("2026-10-05")),
                    ("Bob", "b", "2026-10-31", false, None),
                    ("Ann", "c", "2026-10-10", true, None),
                ],
            ),
            meeting(
                "oct",
                "2026-10-07",
                &[
                    ("Bob", "d", "2026-10-20", false, Some("2026-11-03")),
                    ("Ann", "e", "2026-11-15", false, None),
                    ("Ann", "f", "2026-10-07", false, Some("2026-10-07")),
                ],
            ),
            meeting("nov", "2026-11-10", &[("Bob", "g", "2026-11-12", false, None)]),
        ]);
        let sep = Month::parse("2026-09").unwrap();
        // 30 Sep: a (overdue 5 days), b open; c done. Nothing overdue on 31 Aug.
        assert_eq!(
            figures(&p, sep, d("2026-09-30")),
            Figures { open: 2, overdue: 1, new: 3, done: 0, newly_overdue: 1 }
        );
        // 31 Oct: a done 10-05, f done 10-07 (done in October: 2). Open: b (due on D, not
        // overdue), d (overdue since 10-20), e. Overdue on 30 Sep: a only, so d is new to the
        // overdue list.
        let oct = sep.next();
        assert_eq!(
            figures(&p, oct, d("2026-10-31")),
            Figures { open: 3, overdue: 1, new: 3, done: 2, newly_overdue: 1 }
        );
        // In progress, as of 12 Nov: d done 11-03; open b (overdue 12 days), e, g (due on D).
        // b became overdue after 31 Oct.
        let nov = oct.next();
        assert_eq!(
            figures(&p, nov, d("2026-11-12")),
            Figures { open: 3, overdue: 1, new: 1, done: 1, newly_overdue: 1 }
        );
        // 30 Nov: b (30 days), e (15 days), g (18 days) overdue; of the three, none was
        // overdue on 31 Oct (d was, but it is done now).
        assert_eq!(
            figures(&p, nov, d("2026-11-30")),
            Figures { open: 3, overdue: 3, new: 1, done: 1, newly_overdue: 3 }
        );
    }

    #[test]
    fn report_list_is_bounded_grouped_and_ordered() {
        // D = 2026-11-30. Ann: overdue 91 days (counted), 90 days (listed), due D+30 (listed),
        // due D+31 (neither). Bob: overdue 200 days only (a group with a count). "Åsa" sorts
        // after "Bob" in code point order; "ann" after both capitals.
        let p = project(vec![
            meeting(
                "m1",
                "2026-01-05",
                &[
                    ("Bob", "ancient", "2026-05-14", false, None),
                    ("Ann", "91", "2026-08-31", false, None),
                    ("Ann", "90", "2026-09-01", false, None),
                ],
            ),
            meeting(
                "m2",
                "2026-11-02",
                &[
                    ("Ann", "ahead-b", "2026-12-30", false, None),
                    ("Ann", "ahead-a", "2026-12-30", false, None),
                    ("Ann", "too far", "2026-12-31", false, None),
                    ("Ann", "today", "2026-11-30", false, None),
                    ("Åsa", "x", "2026-11-29", false, None),
                    ("ann", "y", "2026-11-29", false, None),
                ],
            ),
        ]);
        let list = report_list(&p, d("2026-11-30"));
        // Ann's four, Åsa's and ann's one each; Ann's and Bob's 91-day items counted; "too far"
        // (due after D + 30) neither listed nor counted per owner.
        assert_eq!((list.listed, list.older_overdue, list.not_listed), (6, 2, 1));
        assert_eq!(list.ahead_day, d("2026-12-30"));
        let g = &list.groups;
        let owners: Vec<&str> = g.iter().map(|g| g.owner).collect();
        assert_eq!(owners, ["Ann", "Bob", "ann", "Åsa"]);
        let ann: Vec<(&str, Option<i64>)> =
            g[0].items.iter().map(|i| (i.action.task.as_str(), i.days_overdue)).collect();
        assert_eq!(ann, [("90", Some(90)), ("today", None), ("ahead-a", None), ("ahead-b", None)]);
        assert_eq!(g[0].older_overdue, 1);
        assert!(g[1].items.is_empty());
        assert_eq!(g[1].older_overdue, 1);
        assert_eq!(g[3].items[0].days_overdue, Some(1));
        // The actions page lists every open item.
        let all = open_by_owner(&p, d("2026-11-30"));
        assert_eq!(all.iter().map(|g| g.items.len()).sum::<usize>(), 9);
        assert_eq!(all[0].items[0].action.task, "91");
    }

    #[test]
    fn done_in_the_last_30_days() {
        // D = 2026-11-30: after 10-31 and on or before 11-30.
        let p = project(vec![meeting(
            "m",
            "2026-10-01",
            &[
                ("Ann", "on 10-31", "2026-10-05", false, Some("2026-10-31")),
                ("Ann", "on 11-01", "2026-10-05", false, Some("2026-11-01")),
                ("Bob", "on 11-30", "2026-10-05", false, Some("2026-11-30")),
                ("Bob", "on 12-01", "2026-10-05", false, Some("2026-12-01")),
                ("Bob", "done, no day", "2026-10-05", true, None),
            ],
        )]);
        let r: Vec<&str> = done_recently(&p, d("2026-11-30")).iter().map(|x| x.action.task.as_str()).collect();
        assert_eq!(r, ["on 11-30", "on 11-01"]);
    }
}
