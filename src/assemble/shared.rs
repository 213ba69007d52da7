//! The views every page shares: site settings, dates, the build footer, goal statuses and team pills.

use super::{nav, Analysis, NavItem};
use crate::model::calendar::{self};
use crate::model::{Project, Status};
use serde::Serialize;

/// The site settings every page shows.
#[derive(Serialize)]
pub struct SiteView<'a> {
    /// The site's title.
    pub title: &'a str,
    /// The organisation, when given.
    pub organization: Option<&'a str>,
    /// The currency code.
    pub currency: &'a str,
}

/// A date as pages show it.
#[derive(Serialize)]
pub struct DateView {
    /// `2026-11-30`.
    pub iso: String,
    /// `30 Nov 2026`.
    pub label: String,
}

impl DateView {
    /// Both forms of a date.
    pub fn of(d: jiff::civil::Date) -> Self {
        DateView { iso: d.to_string(), label: calendar::date_label(d) }
    }
}

/// What a site was built from and when "now" was, for every page's footer.
#[derive(Serialize)]
pub struct Built {
    /// What the site was built from, in words: "12 funnel months, 20 meetings and 9 goals".
    pub from: String,
    /// The as-of date of the build (docs/figures.md#the-as-of-date).
    pub as_of: DateView,
}

/// What every page shares, set once per build as the templates' global context.
#[derive(Serialize)]
pub struct Globals<'a> {
    /// Site settings.
    pub site: SiteView<'a>,
    /// The navigation.
    pub nav: Vec<NavItem>,
    /// Content files read.
    pub files: usize,
    /// What the site was built from, as of when.
    pub built: Built,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The global context of every page.
pub fn globals<'a>(a: &'a Analysis) -> Globals<'a> {
    let p = a.project;
    let s = &p.site;
    Globals {
        site: SiteView { title: &s.title, organization: s.organization.as_deref(), currency: &s.currency },
        nav: nav(a),
        files: a.files,
        built: Built {
            // What the pages rest on, not how it is split into files: the same numbers in one
            // funnel file or in three build the same pages.
            from: format!(
                "{}, {} and {}",
                plural(p.funnel.len(), "funnel month", "funnel months"),
                plural(p.meetings.len(), "meeting", "meetings"),
                plural(p.goals.len(), "goal", "goals"),
            ),
            as_of: DateView::of(p.as_of),
        },
    }
}

pub(super) fn team_pills<'a>(p: &'a Project, owners: &'a [String]) -> Vec<TeamPill<'a>> {
    owners.iter().map(|k| TeamPill { key: k, name: p.site.team(k).map(|t| t.name.as_str()).unwrap_or(k) }).collect()
}

/// A goal status as pages show it: its key (for the CSS class), words and icon.
#[derive(Serialize)]
pub struct StatusView {
    /// `on_track`, `met`, `achieved`, ...
    pub key: Status,
    /// "on track", "target met", "achieved", ...
    pub label: &'static str,
    /// A mark that does not rely on colour.
    pub icon: &'static str,
}

impl StatusView {
    /// The words of a status (docs/figures.md#goals).
    pub fn of(s: Status) -> Self {
        let (label, icon) = match s {
            Status::OnTrack => ("on track", "●"),
            Status::AtRisk => ("at risk", "▲"),
            Status::OffTrack => ("off track", "✕"),
            Status::Met => ("target met", "✓"),
            Status::Achieved => ("achieved", "★"),
            Status::Missed => ("missed", "✗"),
            Status::Done => ("done", "✓"),
            Status::NoData => ("no data", "—"),
            Status::NotStarted => ("not started", "○"),
        };
        StatusView { key: s, label, icon }
    }
}

/// A team as a pill: key (for its colour) and name.
#[derive(serde::Serialize)]
pub struct TeamPill<'a> {
    /// Team key (for its colour).
    pub key: &'a str,
    /// Team name.
    pub name: &'a str,
}

/// The team a person is on, as a pill.
pub fn team_of<'a>(p: &'a Project, person: &str) -> Option<TeamPill<'a>> {
    p.site.teams.iter().find(|t| t.members.iter().any(|m| m == person)).map(|t| TeamPill { key: &t.key, name: &t.name })
}
