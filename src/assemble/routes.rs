//! The route table: every page of the site with its output path, its depth below the site
//! root, its navigation entry and its template, in one place. Links between pages, the
//! navigation, the page list the render stage walks and the output checks of `check` all read
//! it.

use super::actions::{ACTIONS_HREF, ICS_HREF};
use super::chart::{Visitor, Visuals};
use super::Analysis;
use crate::diagnostics::{Diagnostic, Kind, Severity};
use crate::load::templates::StaticSource;
use crate::model::calendar::{Month, Quarter};
use crate::model::Project;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Relative prefix from a page at `depth` folders below the site root.
pub fn root_prefix(depth: usize) -> String {
    "../".repeat(depth)
}

/// Percent-encodes a path segment for use in an `href`.
pub fn href_segment(s: &str) -> String {
    let plain = |b: u8| b.is_ascii_alphanumeric() || b"-_.~".contains(&b);
    if s.bytes().all(plain) {
        return s.to_string();
    }
    let mut out = String::new();
    for b in s.bytes() {
        if plain(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The link to a month's report from the site root.
pub fn report_href(m: Month) -> String {
    format!("reports/{m}/index.html")
}

/// The link to a meeting's page from the site root.
pub fn meeting_href(slug: &str) -> String {
    format!("meetings/{}/index.html", href_segment(slug))
}

/// One page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// The overview.
    Index,
    /// The funnel history.
    Funnel,
    /// Every goal.
    Goals,
    /// The meetings list.
    Meetings,
    /// The checklist history.
    Checklist,
    /// The buyer personas (only when the project has some).
    Personas,
    /// Open and done action items.
    Actions,
    /// The action items as an iCalendar file.
    Calendar,
    /// What each figure means.
    Glossary,
    /// A month's report.
    Report(Month),
    /// A quarter's review.
    Quarter(Quarter),
    /// A meeting's page, by its index in the project's meetings.
    Meeting(usize),
    /// A year's meetings.
    MeetingsYear(i16),
    /// The goals due in a year that ended over twelve months ago.
    GoalsYear(i16),
    /// Action items overdue by more than a year.
    ActionsOlder,
}

impl Route {
    /// The file the page is written to, from the site root.
    pub fn path(self, p: &Project) -> String {
        match self {
            Route::Index => "index.html".into(),
            Route::Funnel => "funnel/index.html".into(),
            Route::Goals => "goals/index.html".into(),
            Route::Meetings => "meetings/index.html".into(),
            Route::Checklist => "checklist/index.html".into(),
            Route::Personas => "personas/index.html".into(),
            Route::Actions => ACTIONS_HREF.into(),
            Route::Calendar => ICS_HREF.into(),
            Route::Glossary => "glossary/index.html".into(),
            Route::Report(m) => report_href(m),
            Route::Quarter(q) => super::quarter_href(q),
            Route::Meeting(i) => format!("meetings/{}/index.html", p.meetings[i].slug),
            Route::MeetingsYear(y) => super::archive::meetings_year_href(y),
            Route::GoalsYear(y) => super::archive::goals_year_href(y),
            Route::ActionsOlder => super::actions::OLDER_HREF.into(),
        }
    }

    /// The link to the page from the site root: its path, with a meeting's slug percent-encoded.
    pub fn href(self, p: &Project) -> String {
        match self {
            Route::Meeting(i) => meeting_href(&p.meetings[i].slug),
            _ => self.path(p),
        }
    }

    /// How many folders below the site root the page sits.
    pub fn depth(self, p: &Project) -> usize {
        self.path(p).matches('/').count()
    }

    /// The template that renders the page.
    pub fn template(self) -> &'static str {
        match self {
            Route::Index => "index.html",
            Route::Funnel => "funnel.html",
            Route::Goals => "goals.html",
            Route::Meetings => "meetings.html",
            Route::Checklist => "checklist.html",
            Route::Personas => "personas.html",
            Route::Actions => "actions.html",
            Route::Calendar => "actions.ics",
            Route::Glossary => "glossary.html",
            Route::Report(_) => "report.html",
            Route::Quarter(_) => "quarter.html",
            Route::Meeting(_) => "meeting.html",
            Route::MeetingsYear(_) => "meetings_year.html",
            Route::GoalsYear(_) => "goals_year.html",
            Route::ActionsOlder => "actions_older.html",
        }
    }

    /// The navigation entry the page marks as current: a meeting's page marks the meetings
    /// list, and only the latest report marks "Latest report".
    pub fn nav_key(self, a: &Analysis) -> &'static str {
        match self {
            Route::Index => "home",
            Route::Funnel => "funnel",
            Route::Goals | Route::GoalsYear(_) => "goals",
            Route::Meetings | Route::Meeting(_) | Route::MeetingsYear(_) => "meetings",
            Route::Checklist => "checklist",
            Route::Personas => "personas",
            Route::Actions | Route::Calendar | Route::ActionsOlder => "actions",
            Route::Glossary => "glossary",
            Route::Report(m) if a.latest == Some(m) => "report",
            Route::Report(_) | Route::Quarter(_) => "",
        }
    }
}

/// Every page of the site, in a fixed order (`months`: the report months).
pub fn all(p: &Project, months: &[Month]) -> Vec<Route> {
    let mut pages = vec![
        Route::Index,
        Route::Funnel,
        Route::Goals,
        Route::Meetings,
        Route::Checklist,
        Route::Actions,
        Route::ActionsOlder,
        Route::Calendar,
        Route::Glossary,
    ];
    if !p.personas.is_empty() {
        pages.push(Route::Personas);
    }
    pages.extend(months.iter().map(|m| Route::Report(*m)));
    pages.extend(p.funnel_quarters().into_iter().map(Route::Quarter));
    pages.extend((0..p.meetings.len()).map(Route::Meeting));
    pages.extend(super::archive::meeting_years(p).into_iter().map(Route::MeetingsYear));
    pages.extend(super::archive::goal_years(p, months).into_iter().map(Route::GoalsYear));
    pages
}

/// A page's template context: where it sits (the prefix back to the site root), its key in
/// the navigation, its title, and its own data.
#[derive(Serialize)]
pub struct Page<T> {
    /// `../` once per folder below the site root.
    pub root: String,
    /// The navigation entry the page marks as current.
    pub page_key: &'static str,
    /// The page's title.
    pub page_title: String,
    /// The page's own data.
    #[serde(flatten)]
    pub body: T,
}

impl<T> Page<T> {
    /// The page at `route`: its way back to the site root and its navigation entry come from
    /// the route table.
    pub fn new(route: Route, a: &Analysis, title: impl Into<String>, body: T) -> Self {
        Page { root: root_prefix(route.depth(a.project)), page_key: route.nav_key(a), page_title: title.into(), body }
    }
}

impl<T: Visuals> Visuals for Page<T> {
    fn visit(&mut self, v: &mut dyn Visitor) {
        self.body.visit(v);
    }
}

/// What an output path of [`output_diagnostics`] holds: the source to blame and its words,
/// worked out only for the paths that clash (10,000 meeting pages need none).
enum Source {
    /// A page of the route table.
    Page(Route),
    /// A data file ("the month's data file").
    Data(&'static str),
    /// `feed.xml` or `sitemap.xml`, there because of the base URL.
    SiteFile(&'static str),
    /// A static file, as the project shows it (`static/reports`).
    Static(String),
}

impl Source {
    /// The file a clash is blamed on ("" for a page no one file makes).
    fn file<'p>(&'p self, p: &'p Project) -> &'p str {
        match self {
            Source::Page(Route::Meeting(i)) => &p.meetings[*i].file,
            Source::SiteFile(_) => "content/site.yaml",
            Source::Static(shown) => shown,
            Source::Page(_) | Source::Data(_) => "",
        }
    }

    fn is_static(&self) -> bool {
        matches!(self, Source::Static(_))
    }

    /// What it is, in words ("the page of the meeting in content/meetings/x.md").
    fn what(&self, p: &Project) -> String {
        match self {
            Source::Page(Route::Meeting(i)) => format!("the page of the meeting in {}", p.meetings[*i].file),
            Source::Page(Route::MeetingsYear(y)) => format!("the list of the meetings of {y}"),
            Source::Page(_) => "a page of the site".to_string(),
            Source::Data(what) => what.to_string(),
            Source::SiteFile(name) => format!("the site's {name}"),
            Source::Static(shown) => format!("the static file {shown}"),
        }
    }
}

/// Problems with the site's files that `build` would otherwise only meet while writing, found
/// from the model so that `check` reports them too (docs/commands.md#output-folder-rules): two sources for one output
/// path (a `static/index.html` over the overview: a static file never replaces a page), a file
/// where the site needs a folder (a file `static/reports`, a meeting named `index.html.md`),
/// and static files that cannot be copied (unreadable, FIFOs, symlinks out of the project).
pub fn output_diagnostics(
    root: &Path,
    project: &Project,
    statics: &BTreeMap<String, StaticSource>,
    base_url: Option<&str>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // The pages need only the report months, not their figures.
    let months = project.report_months();
    // Looked up by path, then listed in path order only for the clashes (a sorted map compared
    // 10,000 long meeting paths on every insert).
    let mut paths: HashMap<String, Source, ahash::RandomState> = HashMap::default();
    for route in all(project, &months) {
        let path = route.path(project);
        // A meeting named like a year (`2024.md`) would take the place of that year's list.
        if let Some(earlier) = paths.get(&path).filter(|s| !s.file(project).is_empty()) {
            diags.push(
                Diagnostic::file_level(
                    Severity::Error,
                    earlier.file(project),
                    format!(
                        "{} would be written to `{path}`, where {} goes",
                        earlier.what(project),
                        Source::Page(route).what(project)
                    ),
                    Some("rename the file: a meeting's file name may not be a year alone".into()),
                )
                .with_kind(Kind::Output),
            );
            continue;
        }
        paths.insert(path, Source::Page(route));
    }
    for m in &months {
        paths.insert(format!("data/{m}.json"), Source::Data("the month's data file"));
    }
    for q in project.funnel_quarters() {
        paths.insert(format!("data/{q}.json"), Source::Data("the quarter's data file"));
    }
    if base_url.is_some() || project.site.base_url.is_some() {
        for name in ["feed.xml", "sitemap.xml"] {
            paths.insert(name.into(), Source::SiteFile(name));
        }
    }
    for (rel, source) in statics {
        let shown = match source {
            StaticSource::File(p) => crate::load::rel_path(root, p),
            StaticSource::Builtin(_) => continue,
        };
        if let Some(page) = paths.get(rel) {
            diags.push(
                Diagnostic::file_level(
                    Severity::Error,
                    &shown,
                    format!("this static file would replace {}, `{rel}`", page.what(project)),
                    Some("rename or remove it: a static file never replaces a page".into()),
                )
                .with_kind(Kind::Output),
            );
            continue;
        }
        paths.insert(rel.clone(), Source::Static(shown));
    }
    let mut clashes: Vec<(&str, Diagnostic)> = Vec::new();
    for (path, source) in &paths {
        let mut at = path.as_str();
        while let Some(i) = at.rfind('/') {
            at = &at[..i];
            let Some(source2) = paths.get(at) else { continue };
            // Blame a static file first, else the source that has a file.
            let (file, file2) = (source.file(project), source2.file(project));
            let blame = if source2.is_static() || file.is_empty() { file2 } else { file };
            let blame = if blame.is_empty() { "content" } else { blame };
            clashes.push((
                path,
                Diagnostic::file_level(
                    Severity::Error,
                    blame,
                    format!(
                        "{} is written to `{at}`, but {} needs a folder there (`{path}`)",
                        source2.what(project),
                        source.what(project)
                    ),
                    Some(if source2.is_static() || source.is_static() {
                        "rename or move the static file: a static file never replaces a page".into()
                    } else {
                        "rename the file: its name is part of the page's address".into()
                    }),
                )
                .with_kind(Kind::Output),
            ));
            break;
        }
    }
    clashes.sort_by(|a, b| a.0.cmp(b.0));
    diags.extend(clashes.into_iter().map(|(_, d)| d));
    diags
}
