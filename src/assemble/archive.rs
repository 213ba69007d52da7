//! Archives: what the meetings and goals pages leave to pages of their own, so that no list
//! page grows with the project's age (see `docs/content.md`, "Where older items go").
//!
//! - The meetings page shows the twelve months up to the as-of month; every year that has a
//!   meeting has `meetings/YYYY/index.html` with all of that year's meetings.
//! - The goals page shows goals due in the twelve months before the as-of month or later;
//!   goals due before that are on `goals/YYYY/index.html`, by the year of their due month,
//!   each with its outcome and final figures.
//!
//! (Open action items overdue by more than a year have their page in [`super::actions`].)

use super::meetings::{month_groups, MeetingGroup};
use super::{fig, goals, Analysis, Page};
use crate::model::calendar::Month;
use crate::model::{Goal, Project};
use jiff::civil::Date;
use serde::Serialize;

/// How many months, up to and including the as-of month, the meetings page lists; the goals
/// page keeps goals that ended in as many months before the as-of month.
pub const RECENT_MONTHS: usize = 12;

/// The first month the meetings page lists: the as-of month and the eleven before it.
pub fn meetings_since(as_of: Date) -> Month {
    (1..RECENT_MONTHS).fold(Month::of(as_of), |m, _| m.prev())
}

/// The first due month the goals page keeps: a goal due before it ended more than
/// [`RECENT_MONTHS`] months before the as-of month and is on its year's archive page.
pub fn goals_since(as_of: Date) -> Month {
    (0..RECENT_MONTHS).fold(Month::of(as_of), |m, _| m.prev())
}

/// The archive page of a year's meetings, from the site root.
pub fn meetings_year_href(year: i16) -> String {
    format!("meetings/{year}/index.html")
}

/// The archive page of the goals due in a year, from the site root.
pub fn goals_year_href(year: i16) -> String {
    format!("goals/{year}/index.html")
}

/// The years that have meetings, oldest first: one archive page each. A meeting belongs to the
/// year of the month whose report it counts in (a review held in January of the December it
/// reviews is in December's year).
pub fn meeting_years(p: &Project) -> Vec<i16> {
    let mut years: Vec<i16> = p.meetings.iter().map(|m| m.report_month().year).collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// Whether a goal is on an archive page rather than the goals page.
pub fn is_archived(g: &Goal, as_of: Date) -> bool {
    g.due < goals_since(as_of)
}

/// The due years of archived goals, oldest first: one archive page each. None while the
/// project has no report month (`report_months` empty), since a goal's figures come from one.
pub fn goal_years(p: &Project, report_months: &[Month]) -> Vec<i16> {
    if report_months.is_empty() {
        return Vec::new();
    }
    let mut years: Vec<i16> = p.goals.iter().filter(|g| is_archived(g, p.as_of)).map(|g| g.due.year).collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// A link to one year's archive page.
#[derive(Serialize)]
pub struct YearLink {
    /// The year.
    pub year: i16,
    /// Its page, from the site root.
    pub href: String,
    /// How many meetings or goals it holds.
    pub count: usize,
    /// Whether it is the page being shown.
    pub current: bool,
}

/// The meetings archive's years, newest first.
pub fn meeting_year_links(p: &Project, current: Option<i16>) -> Vec<YearLink> {
    let mut counts: std::collections::BTreeMap<i16, usize> = std::collections::BTreeMap::new();
    for m in &p.meetings {
        *counts.entry(m.report_month().year).or_default() += 1;
    }
    counts
        .into_iter()
        .rev()
        .map(|(year, count)| YearLink { year, href: meetings_year_href(year), count, current: current == Some(year) })
        .collect()
}

/// The goals archive's years, newest first.
pub fn goal_year_links(a: &Analysis, current: Option<i16>) -> Vec<YearLink> {
    let p = a.project;
    goal_years(p, &a.months)
        .into_iter()
        .rev()
        .map(|year| YearLink {
            year,
            href: goals_year_href(year),
            count: p.goals.iter().filter(|g| is_archived(g, p.as_of) && g.due.year == year).count(),
            current: current == Some(year),
        })
        .collect()
}

/// A year's meetings.
#[derive(Serialize)]
pub struct MeetingsYearPage<'a> {
    /// The year.
    pub year: i16,
    /// Its meetings by month, newest first.
    pub groups: Vec<MeetingGroup<'a>>,
    /// How many.
    pub count: usize,
    /// Every year of the archive, newest first.
    pub years: Vec<YearLink>,
}

/// The archive page of a year's meetings (`meetings/YYYY/index.html`).
pub fn meetings_year_page<'a>(a: &'a Analysis, year: i16) -> Page<MeetingsYearPage<'a>> {
    let p = a.project;
    let meetings = || p.meetings.iter().filter(|m| m.report_month().year == year);
    let body = MeetingsYearPage {
        year,
        groups: month_groups(a, meetings()),
        count: meetings().count(),
        years: meeting_year_links(p, Some(year)),
    };
    Page::new(super::Route::MeetingsYear(year), a, format!("Meetings of {year}"), body)
}

/// The goals due in a year, ended more than [`RECENT_MONTHS`] months before the as-of month.
#[derive(Serialize)]
pub struct GoalsYearPage<'a> {
    /// The year.
    pub year: i16,
    /// The month the figures are from, "October 2026".
    pub month: String,
    /// The goals, by due month, then as written.
    pub goals: Vec<goals::GoalRow<'a>>,
    /// How many were achieved.
    pub achieved: usize,
    /// Every year of the archive, newest first.
    pub years: Vec<YearLink>,
    /// The first due month the goals page keeps, "Dec 2025".
    pub since: String,
}

/// The archive page of the goals due in a year (`goals/YYYY/index.html`): each goal's outcome
/// and final figures (frozen at its due month).
pub fn goals_year_page<'a>(a: &'a Analysis, year: i16) -> Page<GoalsYearPage<'a>> {
    let p = a.project;
    let latest = a.latest.or(a.months.last().copied());
    let mut rows: Vec<(Month, goals::GoalRow)> = match latest {
        Some(m) => p
            .goals
            .iter()
            .zip(&fig(a, m).goals)
            .filter(|(g, _)| is_archived(g, p.as_of) && g.due.year == year)
            .map(|(g, f)| (g.due, goals::goal_row(a, g, f)))
            .collect(),
        None => Vec::new(),
    };
    // A stable sort: goals due in the same month keep the order of their files.
    rows.sort_by_key(|(due, _)| *due);
    let goals: Vec<goals::GoalRow> = rows.into_iter().map(|(_, r)| r).collect();
    let achieved = goals.iter().filter(|g| g.status.key == crate::model::Status::Achieved).count();
    let body = GoalsYearPage {
        year,
        month: latest.map(Month::long_name).unwrap_or_default(),
        goals,
        achieved,
        years: goal_year_links(a, Some(year)),
        since: goals_since(p.as_of).short_name(),
    };
    Page::new(super::Route::GoalsYear(year), a, format!("Goals due in {year}"), body)
}

impl super::chart::Visuals for MeetingsYearPage<'_> {}

impl super::chart::Visuals for GoalsYearPage<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::parse_date;

    #[test]
    fn the_windows_count_twelve_months_back_from_the_as_of_month() {
        let d = parse_date("2026-12-06").unwrap();
        // The meetings page: Jan to Dec 2026, twelve months with the as-of month.
        assert_eq!(meetings_since(d), Month::parse("2026-01").unwrap());
        // The goals page: goals due Dec 2025 (ended in the twelve months before December
        // 2026) or later.
        assert_eq!(goals_since(d), Month::parse("2025-12").unwrap());
        let d = parse_date("2027-01-01").unwrap();
        assert_eq!(meetings_since(d), Month::parse("2026-02").unwrap());
        assert_eq!(goals_since(d), Month::parse("2026-01").unwrap());
    }
}
