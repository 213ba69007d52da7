//! Page data for action items: the report's bounded list (docs/figures.md#meetings-action-items-and-the-checklist), the overview's
//! counts, the actions page (who owes what at the as-of date) and the `actions.ics` calendar.
//! The lists themselves are computed once by [`crate::analyze`]; this only formats them.

use super::{href_segment, meeting_href, team_of, Analysis, TeamPill};
use crate::analyze::actions::{
    OpenItem, OwnerGroup, LIST_AHEAD_DAYS, LIST_OVERDUE_DAYS, PAGE_OVERDUE_DAYS, RECENT_DONE_DAYS,
};
use crate::model::calendar::{self, Month};
use crate::model::{Meeting, Project};
use jiff::civil::Date;
use serde::Serialize;

/// The link to the actions page from the site root.
pub const ACTIONS_HREF: &str = "actions/index.html";
/// The calendar file, from the site root.
pub const ICS_HREF: &str = "actions.ics";
/// The page of items overdue by more than [`PAGE_OVERDUE_DAYS`], from the site root.
pub const OLDER_HREF: &str = "actions/older/index.html";

/// "1 day", "12 days".
fn days(n: i64) -> String {
    format!("{n} day{}", if n == 1 { "" } else { "s" })
}

/// An open item in a list.
#[derive(Serialize)]
pub struct ItemView<'a> {
    /// Its anchor, the same on every page that lists it: `action-<meeting slug>-<n>`, n
    /// counting the meeting's items from 1.
    pub id: String,
    /// What is to be done.
    pub task: &'a str,
    /// The meeting that agreed it.
    pub meeting: &'a str,
    /// Its page.
    pub meeting_href: String,
    /// "7 Oct 2026".
    pub meeting_date: String,
    /// "14 Oct 2026".
    pub due: String,
    /// Whether it is overdue at the list's day.
    pub overdue: bool,
    /// Days past due.
    pub days_overdue: Option<i64>,
    /// "12 days".
    pub days_label: Option<String>,
}

fn item<'a>(it: &OpenItem<'a>) -> ItemView<'a> {
    let n = it.meeting.actions.iter().position(|x| std::ptr::eq(x, it.action)).unwrap_or(0) + 1;
    ItemView {
        id: format!("action-{}-{n}", href_segment(&it.meeting.slug)),
        task: &it.action.task,
        meeting: &it.meeting.title,
        meeting_href: meeting_href(&it.meeting.slug),
        meeting_date: calendar::date_label(it.meeting.date),
        due: calendar::date_label(it.action.due),
        overdue: it.overdue(),
        days_overdue: it.days_overdue,
        days_label: it.days_overdue.map(days),
    }
}

/// One owner's items.
#[derive(Serialize)]
pub struct GroupView<'a> {
    /// The owner, their team and counts.
    #[serde(flatten)]
    pub counts: OwnerCount<'a>,
    /// Older overdue items, counted only (reports: over [`LIST_OVERDUE_DAYS`]; the actions
    /// page: over [`PAGE_OVERDUE_DAYS`]).
    pub older_overdue: usize,
    /// The items.
    pub items: Vec<ItemView<'a>>,
}

/// The owners' groups, listing the items `listed` accepts and counting the others as older
/// overdue items; an owner left with nothing to list or count is left out.
fn groups<'a>(p: &'a Project, groups: &[OwnerGroup<'a>], listed: fn(&OpenItem) -> bool) -> Vec<GroupView<'a>> {
    groups
        .iter()
        .map(|g| GroupView {
            counts: owner_count(p, g),
            older_overdue: g.older_overdue + g.items.iter().filter(|it| !listed(it)).count(),
            items: g.items.iter().filter(|it| listed(it)).map(item).collect(),
        })
        .filter(|g| !g.items.is_empty() || g.older_overdue > 0)
        .collect()
}

/// The report's action section.
#[derive(Serialize)]
pub struct ReportBlock<'a> {
    /// Items open at the month's end day.
    pub open: usize,
    /// Of those, overdue.
    pub overdue: usize,
    /// Items agreed in the month.
    pub new: usize,
    /// Items finished in the month.
    pub done: usize,
    /// Items that became overdue in the month.
    pub newly_overdue: usize,
    /// The month's end day, "31 Oct 2026".
    pub end_day: String,
    /// The build's as-of date.
    pub as_of: String,
    /// The last due day listed.
    pub ahead_day: String,
    /// [`LIST_AHEAD_DAYS`].
    pub ahead_days: i64,
    /// [`LIST_OVERDUE_DAYS`].
    pub overdue_days: i64,
    /// Items listed one by one.
    pub listed: usize,
    /// Older overdue items, counted.
    pub older_overdue: usize,
    /// Open items due later, not listed.
    pub not_listed: usize,
    /// By owner.
    pub groups: Vec<GroupView<'a>>,
    /// The actions page.
    pub href: &'static str,
}

/// The report's action section for month `m`: the month's figures at its end day D and the
/// bounded list (overdue by at most 90 days, or due within 30 days of D), by owner.
pub fn report_block<'a>(a: &'a Analysis, m: Month) -> ReportBlock<'a> {
    let p = a.project;
    let f = &a.figures[&m].actions;
    let list = &a.action_lists[&m];
    ReportBlock {
        open: f.open,
        overdue: f.overdue,
        new: f.new,
        done: f.done,
        newly_overdue: f.newly_overdue,
        end_day: calendar::date_label(list.day),
        as_of: calendar::date_label(p.as_of),
        ahead_day: calendar::date_label(list.ahead_day),
        ahead_days: LIST_AHEAD_DAYS,
        overdue_days: LIST_OVERDUE_DAYS,
        listed: list.listed,
        older_overdue: list.older_overdue,
        not_listed: list.not_listed,
        groups: groups(p, &list.groups, |_| true),
        href: ACTIONS_HREF,
    }
}

/// One owner's counts on the overview.
#[derive(Serialize)]
pub struct OwnerCount<'a> {
    /// The owner as written.
    pub owner: &'a str,
    /// The owner's team.
    pub team: Option<TeamPill<'a>>,
    /// Items open.
    pub count: usize,
    /// Of those, overdue.
    pub overdue: usize,
}

fn owner_count<'a>(p: &'a Project, g: &OwnerGroup<'a>) -> OwnerCount<'a> {
    OwnerCount {
        owner: g.owner,
        team: team_of(p, g.owner),
        count: g.items.len(),
        overdue: g.items.iter().filter(|i| i.overdue()).count(),
    }
}

/// The overview's action counts.
#[derive(Serialize)]
pub struct OverviewBlock<'a> {
    /// Items open at the as-of date.
    pub open: usize,
    /// Of those, overdue.
    pub overdue: usize,
    /// The as-of date.
    pub as_of: String,
    /// By owner.
    pub groups: Vec<OwnerCount<'a>>,
    /// The actions page.
    pub href: &'static str,
}

/// Items open and overdue in a list.
fn totals(groups: &[OwnerGroup]) -> (usize, usize) {
    let open = groups.iter().map(|g| g.items.len()).sum();
    let overdue = groups.iter().flat_map(|g| &g.items).filter(|i| i.overdue()).count();
    (open, overdue)
}

/// The overview's counts: items open at the as-of date, per owner (the same figures as the
/// actions page and the in-progress month's report).
pub fn overview_block<'a>(a: &'a Analysis) -> OverviewBlock<'a> {
    let p = a.project;
    let (open, overdue) = totals(&a.open_now);
    OverviewBlock {
        open,
        overdue,
        as_of: calendar::date_label(p.as_of),
        groups: a.open_now.iter().map(|g| owner_count(p, g)).collect(),
        href: ACTIONS_HREF,
    }
}

/// An item finished recently.
#[derive(Serialize)]
pub struct DoneView<'a> {
    /// What was done.
    pub task: &'a str,
    /// By whom.
    pub owner: &'a str,
    /// Their team.
    pub team: Option<TeamPill<'a>>,
    /// The meeting that agreed it.
    pub meeting: &'a str,
    /// Its page.
    pub meeting_href: String,
    /// When it was due.
    pub due: String,
    /// When it was done.
    pub done_on: String,
}

/// The actions page.
#[derive(Serialize)]
pub struct ActionsPage<'a> {
    /// The as-of date.
    pub as_of: String,
    /// Items open.
    pub open: usize,
    /// Of those, overdue.
    pub overdue: usize,
    /// By owner: items overdue by at most [`PAGE_OVERDUE_DAYS`] and items not yet due;
    /// older ones counted.
    pub groups: Vec<GroupView<'a>>,
    /// Items overdue by more than [`PAGE_OVERDUE_DAYS`], counted here.
    pub older_overdue: usize,
    /// [`PAGE_OVERDUE_DAYS`].
    pub older_days: i64,
    /// The page listing the older items.
    pub older_href: &'static str,
    /// Done in the last [`RECENT_DONE_DAYS`] days.
    pub done: Vec<DoneView<'a>>,
    /// [`RECENT_DONE_DAYS`].
    pub recent_days: i64,
    /// The calendar file.
    pub ics_href: &'static str,
}

/// The actions page: every item open at the as-of date by owner (those overdue by more than
/// [`PAGE_OVERDUE_DAYS`] as a count per owner), and the items done in the 30 days up to it.
pub fn page<'a>(a: &'a Analysis) -> super::Page<ActionsPage<'a>> {
    let p = a.project;
    let (open, overdue) = totals(&a.open_now);
    let done = a
        .done_recently
        .iter()
        .map(|x| DoneView {
            task: &x.action.task,
            owner: &x.action.owner,
            team: team_of(p, &x.action.owner),
            meeting: &x.meeting.title,
            meeting_href: meeting_href(&x.meeting.slug),
            due: calendar::date_label(x.action.due),
            done_on: calendar::date_label(x.done_on),
        })
        .collect();
    super::Page::new(
        super::Route::Actions,
        a,
        "Action items",
        ActionsPage {
            as_of: calendar::date_label(p.as_of),
            open,
            overdue,
            groups: groups(p, &a.open_now, |it| !it.long_overdue()),
            older_overdue: a.open_now.iter().flat_map(|g| &g.items).filter(|it| it.long_overdue()).count(),
            older_days: PAGE_OVERDUE_DAYS,
            older_href: OLDER_HREF,
            done,
            recent_days: RECENT_DONE_DAYS,
            ics_href: ICS_HREF,
        },
    )
}

/// The page of older overdue items.
#[derive(Serialize)]
pub struct OlderPage<'a> {
    /// The as-of date.
    pub as_of: String,
    /// Items listed.
    pub count: usize,
    /// [`PAGE_OVERDUE_DAYS`].
    pub older_days: i64,
    /// By owner, only the items overdue by more than [`PAGE_OVERDUE_DAYS`].
    pub groups: Vec<GroupView<'a>>,
}

/// The page of older items (`actions/older/index.html`): every item open at the as-of date
/// and overdue by more than [`PAGE_OVERDUE_DAYS`], by owner, in the actions page's order.
pub fn older_page<'a>(a: &'a Analysis) -> super::Page<OlderPage<'a>> {
    let mut groups = groups(a.project, &a.open_now, |it| it.long_overdue());
    groups.retain(|g| !g.items.is_empty());
    for g in &mut groups {
        // The items that are not listed here are on the actions page, not older ones.
        g.older_overdue = 0;
    }
    let count = groups.iter().map(|g| g.items.len()).sum();
    let body = OlderPage { as_of: calendar::date_label(a.project.as_of), count, older_days: PAGE_OVERDUE_DAYS, groups };
    super::Page::new(super::Route::ActionsOlder, a, "Action items overdue by more than a year", body)
}

/// Escapes text for an iCalendar TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma
/// and line breaks; other control characters (which a TEXT value may not hold) are dropped.
pub fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A 64-bit FNV-1a hash: fixed by its definition, so a UID made from it is the same in every
/// build and every version of Rust.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The stable UID of an item: its meeting's slug and its task (with the task's occurrence in
/// the meeting, when a meeting lists the same task twice). Independent of the as-of date,
/// the due date and the owner, so a calendar updates the event instead of adding one.
pub fn uid(meeting: &Meeting, index: usize) -> String {
    let task = &meeting.actions[index].task;
    let nth = meeting.actions[..index].iter().filter(|a| &a.task == task).count();
    let suffix = if nth == 0 { String::new() } else { format!("-{}", nth + 1) };
    format!("{}-{:016x}{suffix}@smarketing", meeting.slug, fnv1a(task))
}

fn ics_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// One event of `actions.ics`, every text already escaped for iCalendar.
#[derive(Serialize)]
pub struct EventView {
    /// Stable id.
    pub uid: String,
    /// The due day, `YYYYMMDD`.
    pub start: String,
    /// The day after; `None` for an item due on the last day the calendar holds (9999-12-31),
    /// which has no day after: the event then has no `DTEND`, and RFC 5545 makes an all-day
    /// event without one last that day (a `DTEND` equal to `DTSTART` is a zero-length event).
    pub end: Option<String>,
    /// "Task (Owner)".
    pub summary: String,
    /// Where it was agreed, and how overdue.
    pub description: String,
}

/// The data of `actions.ics`.
#[derive(Serialize)]
pub struct CalendarView {
    /// The as-of date as a timestamp.
    pub stamp: String,
    /// The calendar's name.
    pub name: String,
    /// One event per open item.
    pub events: Vec<EventView>,
}

/// The data of `actions.ics`: one all-day event per item open at the as-of date, every text
/// already escaped for iCalendar.
pub fn calendar(a: &Analysis) -> CalendarView {
    let p = a.project;
    let d = p.as_of;
    let mut events = Vec::new();
    for g in &a.open_now {
        for it in &g.items {
            let index = it.meeting.actions.iter().position(|x| std::ptr::eq(x, it.action)).unwrap_or(0);
            let end = it.action.due.tomorrow().ok();
            let mut description =
                format!("Agreed in {} on {}.", it.meeting.title, calendar::date_label(it.meeting.date));
            if let Some(n) = it.days_overdue {
                description.push_str(&format!(" Overdue by {} on {}.", days(n), calendar::date_label(d)));
            }
            events.push(EventView {
                uid: ics_text(&uid(it.meeting, index)),
                start: ics_date(it.action.due),
                end: end.map(ics_date),
                summary: ics_text(&format!("{} ({})", it.action.task, it.action.owner)),
                description: ics_text(&description),
            });
        }
    }
    CalendarView {
        stamp: format!("{}T000000Z", ics_date(d)),
        name: ics_text(&format!("{}: action items", p.site.title)),
        events,
    }
}

/// Turns rendered calendar text into RFC 5545 lines: CRLF endings, no empty lines, and every
/// line longer than 75 octets folded (CRLF + space), never inside a UTF-8 character.
pub fn fold_ics(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    for line in text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)) {
        if line.trim().is_empty() {
            continue;
        }
        let mut limit = 75;
        let mut used = 0;
        for c in line.chars() {
            if used + c.len_utf8() > limit {
                out.push_str("\r\n ");
                // A continuation line starts with the space, which counts.
                limit = 74;
                used = 0;
            }
            out.push(c);
            used += c.len_utf8();
        }
        out.push_str("\r\n");
    }
    out
}

impl super::chart::Visuals for ActionsPage<'_> {}

impl super::chart::Visuals for CalendarView {}

impl super::chart::Visuals for OlderPage<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_text_escapes_what_rfc_5545_asks() {
        assert_eq!(ics_text("a\\b;c,d\ne\r\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
        assert_eq!(ics_text("bell\u{7}"), "bell");
    }

    #[test]
    fn folding_at_75_octets_keeps_characters_whole() {
        let long = format!("SUMMARY:{}", "x".repeat(150));
        let folded = fold_ics(&long);
        let lines: Vec<&str> = folded.split("\r\n").collect();
        // 158 octets: 75, then 1 + 74, then 1 + 9, then the empty rest after the last CRLF.
        assert_eq!(lines.iter().map(|l| l.len()).collect::<Vec<_>>(), [75, 75, 10, 0]);
        assert!(lines[1].starts_with(' ') && lines[2].starts_with(' '));
        assert_eq!(folded.replace("\r\n ", ""), long + "\r\n");
        // "é" is two octets: 73 ASCII octets + "é" fit in 75, the next one does not.
        let wide = format!("{}éé", "y".repeat(73));
        let folded = fold_ics(&wide);
        assert_eq!(folded, format!("{}é\r\n é\r\n", "y".repeat(73)));
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(fold_ics("A\n\nB\r\n"), "A\r\nB\r\n");
    }

    #[test]
    fn uid_depends_on_meeting_and_task_only() {
        let action = |task: &str, due: &str| crate::model::Action {
            task: task.into(),
            owner: "Ann".into(),
            due: calendar::parse_date(due).unwrap(),
            done: false,
            done_on: None,
        };
        let mt = Meeting {
            slug: "2026-10-07-review".into(),
            title: "Review".into(),
            date: calendar::parse_date("2026-10-07").unwrap(),
            attendees: vec![],
            decisions: vec![],
            actions: vec![action("Call", "2026-10-10"), action("Mail", "2026-10-10"), action("Call", "2026-11-10")],
            shoutouts: vec![],
            notes: String::new(),
            file: String::new(),
            reviews: None,
        };
        // FNV-1a of "Call": worked out from its definition (offset basis, prime 0x100000001b3).
        let h = fnv1a("Call");
        assert_eq!(uid(&mt, 0), format!("2026-10-07-review-{h:016x}@smarketing"));
        assert_eq!(uid(&mt, 2), format!("2026-10-07-review-{h:016x}-2@smarketing"));
        assert_ne!(uid(&mt, 0), uid(&mt, 1));
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
