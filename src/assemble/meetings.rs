//! The meetings: a meeting's summary, the meetings list and one meeting's page.

use super::archive::{self, YearLink};
use super::chart::{Markdown, Visitor, Visuals};
use super::{meeting_href, report_href, team_of, Analysis, Page, Route, TeamPill};
use crate::model::calendar::{self, Month};
use crate::model::Meeting;
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

/// Meetings (in date order, as the model keeps them) by the month whose report each counts in
/// (a review held early the next month under the month it reviews), newest month first and
/// newest meeting first within it.
pub(super) fn month_groups<'a>(a: &Analysis, meetings: impl Iterator<Item = &'a Meeting>) -> Vec<MeetingGroup<'a>> {
    let mut by_month: std::collections::BTreeMap<Month, Vec<&'a Meeting>> = std::collections::BTreeMap::new();
    for mt in meetings {
        by_month.entry(mt.report_month()).or_default().push(mt);
    }
    by_month
        .into_iter()
        .rev()
        .map(|(m, list)| MeetingGroup {
            month: m.long_name(),
            href: report_href(m),
            meetings: list.into_iter().rev().map(|mt| meeting_summary(a, mt)).collect(),
        })
        .collect()
}

/// The meetings list.
#[derive(Serialize)]
pub struct MeetingsPage<'a> {
    /// The last twelve months' meetings by month, newest first.
    pub groups: Vec<MeetingGroup<'a>>,
    /// How many meetings there are.
    pub count: usize,
    /// How many of them the page lists.
    pub listed: usize,
    /// The first month listed, "January 2026".
    pub since: String,
    /// One archive page per year that has meetings, newest first.
    pub years: Vec<YearLink>,
}

/// The meetings list: the twelve months up to the as-of month, newest first, and the links to
/// each year's archive page.
pub fn meetings_page<'a>(a: &'a Analysis) -> Page<MeetingsPage<'a>> {
    let p = a.project;
    let since = archive::meetings_since(p.as_of);
    let recent = || p.meetings.iter().filter(|m| m.report_month() >= since);
    let body = MeetingsPage {
        groups: month_groups(a, recent()),
        count: p.meetings.len(),
        listed: recent().count(),
        since: since.long_name(),
        years: archive::meeting_year_links(p, None),
    };
    Page::new(Route::Meetings, a, "Meetings", body)
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
    /// The year, whose archive page lists the meeting.
    year: i16,
    /// That page.
    year_href: String,
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

/// The page of the `i`-th meeting of the project.
pub fn meeting_page<'a>(a: &'a Analysis, i: usize) -> Page<MeetingPage<'a>> {
    let p = a.project;
    let mt = &p.meetings[i];
    let m = mt.report_month();
    let meeting = MeetingView {
        summary: meeting_summary(a, mt),
        notes_html: Markdown::new(&mt.notes),
        report_href: report_href(m),
        month: m.long_name(),
        year: m.year,
        year_href: archive::meetings_year_href(m.year),
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
    Page::new(Route::Meeting(i), a, mt.title.as_str(), MeetingPage { meeting })
}

impl Visuals for MeetingPage<'_> {
    fn visit(&mut self, v: &mut dyn Visitor) {
        v.markdown(&mut self.meeting.notes_html);
    }
}

impl Visuals for MeetingsPage<'_> {}
