//! The meetings: a meeting's summary, the meetings list and one meeting's page.

use super::{meeting_href, report_href, team_of, Analysis, Page, TeamPill};
use crate::model::calendar::{self, Month};
use crate::model::Meeting;
use crate::render::markdown::Markdown;
use serde::Serialize;

/// A meeting as the report and the meetings list show it.
#[derive(Serialize)]
pub struct MeetingSummary<'a> {
    /// Its page name.
    pub slug: &'a str,
    /// Its page.
    pub href: String,
    /// Title.
    pub title: &'a str,
    /// "7 Oct 2026".
    pub date: String,
    /// Whether marketing and sales were both there.
    pub joint: bool,
    /// Decisions.
    pub decisions: &'a [String],
    /// Attendees, comma-separated.
    pub attendees: String,
    /// How many action items it agreed.
    pub actions: usize,
    /// Shoutouts.
    pub shoutouts: &'a [String],
    /// The month it reviews, "Nov 2026", when that is not its own: it counts in that
    /// month's report.
    pub reviews: Option<String>,
}

pub(super) fn meeting_summary<'a>(a: &Analysis, mt: &'a Meeting) -> MeetingSummary<'a> {
    MeetingSummary {
        slug: &mt.slug,
        href: meeting_href(&mt.slug),
        title: &mt.title,
        date: calendar::date_label(mt.date),
        joint: a.is_joint(mt),
        decisions: &mt.decisions,
        attendees: mt.attendees.join(", "),
        actions: mt.actions.len(),
        shoutouts: &mt.shoutouts,
        reviews: mt.reviews.filter(|r| *r != Month::of(mt.date)).map(Month::short_name),
    }
}

/// A month of the meetings list.
#[derive(Serialize)]
pub struct MeetingGroup<'a> {
    /// "October 2026".
    pub month: String,
    /// Its report.
    pub href: String,
    /// Its meetings, newest first.
    pub meetings: Vec<MeetingSummary<'a>>,
}

/// The meetings list.
#[derive(Serialize)]
pub struct MeetingsPage<'a> {
    /// By month, newest first.
    pub groups: Vec<MeetingGroup<'a>>,
    /// How many meetings there are.
    pub count: usize,
}

/// The meetings list, newest month first.
pub fn meetings_page<'a>(a: &'a Analysis) -> Page<MeetingsPage<'a>> {
    let p = a.project;
    // Each meeting under the month whose report it counts in (a review held early the next
    // month under the month it reviews).
    let mut months: Vec<Month> = p.meetings.iter().map(Meeting::report_month).collect();
    months.sort();
    months.dedup();
    let groups = months
        .iter()
        .rev()
        .map(|m| MeetingGroup {
            month: m.long_name(),
            href: report_href(*m),
            meetings: p
                .meetings
                .iter()
                .filter(|mt| mt.report_month() == *m)
                .rev()
                .map(|mt| meeting_summary(a, mt))
                .collect(),
        })
        .collect();
    Page::new(1, "meetings", "Meetings", MeetingsPage { groups, count: p.meetings.len() })
}

/// A person at a meeting.
#[derive(serde::Serialize)]
pub struct AttendeeView<'a> {
    name: &'a str,
    team: Option<TeamPill<'a>>,
}

/// An action item as a meeting page shows it.
#[derive(serde::Serialize)]
pub struct ActionView<'a> {
    task: &'a str,
    owner: &'a str,
    due: String,
    done: bool,
}

/// The meeting itself, borrowing from the model: its summary and what only its page shows.
#[derive(serde::Serialize)]
pub struct MeetingView<'a> {
    /// What the lists show too.
    #[serde(flatten)]
    summary: MeetingSummary<'a>,
    /// The notes (HTML once rendered).
    notes_html: Markdown<'a>,
    /// The report it counts in: its month's, or the month's it reviews.
    report_href: String,
    /// "October 2026".
    month: String,
    /// Each attendee with their team.
    attendee_list: Vec<AttendeeView<'a>>,
    /// The action items agreed.
    action_items: Vec<ActionView<'a>>,
}

/// One meeting's page.
#[derive(serde::Serialize)]
pub struct MeetingPage<'a> {
    meeting: MeetingView<'a>,
}

/// One meeting's page.
pub fn meeting_page<'a>(a: &'a Analysis, mt: &'a Meeting) -> Page<MeetingPage<'a>> {
    let p = a.project;
    let m = mt.report_month();
    let meeting = MeetingView {
        summary: meeting_summary(a, mt),
        notes_html: Markdown(&mt.notes),
        report_href: report_href(m),
        month: m.long_name(),
        attendee_list: mt.attendees.iter().map(|x| AttendeeView { name: x, team: team_of(p, x) }).collect(),
        action_items: mt
            .actions
            .iter()
            .map(|x| ActionView {
                task: &x.task,
                owner: &x.owner,
                due: calendar::date_label(x.due),
                done: x.done_by(p.as_of),
            })
            .collect(),
    };
    Page::new(2, "meetings", mt.title.as_str(), MeetingPage { meeting })
}
