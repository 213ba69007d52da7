//! Render: the list of pages and their rendering into an in-memory map `path -> bytes`.
//! Pages render in parallel; the map is ordered, so output never depends on thread timing.

pub mod bars;
pub mod budget;
pub mod charts;
pub mod digest;
pub mod email;
pub mod markdown;
pub mod png;

use crate::analyze;
use crate::analyze::Analysis;
use crate::assemble;
use crate::assemble::chart::{Figure, Markdown, Visitor, Visuals};
use crate::diagnostics::Diagnostic;
use crate::load::templates;
use crate::load::Loaded;
use crate::model::calendar::Month;
use crate::model::Project;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The rendered site: relative path -> file bytes.
pub type SiteFiles = BTreeMap<String, Vec<u8>>;

/// One page of the site: where it goes and which template renders it.
#[derive(Debug, Clone, Copy)]
enum Page {
    Index,
    Funnel,
    Goals,
    Meetings,
    Checklist,
    Personas,
    Actions,
    Calendar,
    Glossary,
    Report(usize),
    Quarter(crate::model::calendar::Quarter),
    Meeting(usize),
    /// A year's meetings.
    MeetingsYear(i16),
    /// The goals due in a year that ended over twelve months ago.
    GoalsYear(i16),
    /// Action items overdue by more than a year.
    ActionsOlder,
}

impl Page {
    fn path(self, p: &Project, months: &[Month]) -> String {
        match self {
            Page::Index => "index.html".into(),
            Page::Funnel => "funnel/index.html".into(),
            Page::Goals => "goals/index.html".into(),
            Page::Meetings => "meetings/index.html".into(),
            Page::Checklist => "checklist/index.html".into(),
            Page::Personas => "personas/index.html".into(),
            Page::Actions => assemble::actions::ACTIONS_HREF.into(),
            Page::Calendar => assemble::actions::ICS_HREF.into(),
            Page::Glossary => "glossary/index.html".into(),
            Page::Report(i) => format!("reports/{}/index.html", months[i]),
            Page::Quarter(q) => assemble::quarter_href(q),
            Page::Meeting(i) => format!("meetings/{}/index.html", p.meetings[i].slug),
            Page::MeetingsYear(y) => assemble::archive::meetings_year_href(y),
            Page::GoalsYear(y) => assemble::archive::goals_year_href(y),
            Page::ActionsOlder => assemble::actions::OLDER_HREF.into(),
        }
    }

    fn template(self) -> &'static str {
        match self {
            Page::Index => "index.html",
            Page::Funnel => "funnel.html",
            Page::Goals => "goals.html",
            Page::Meetings => "meetings.html",
            Page::Checklist => "checklist.html",
            Page::Personas => "personas.html",
            Page::Actions => "actions.html",
            Page::Calendar => "actions.ics",
            Page::Glossary => "glossary.html",
            Page::Report(_) => "report.html",
            Page::Quarter(_) => "quarter.html",
            Page::Meeting(_) => "meeting.html",
            Page::MeetingsYear(_) => "meetings_year.html",
            Page::GoalsYear(_) => "goals_year.html",
            Page::ActionsOlder => "actions_older.html",
        }
    }

    /// The page's template context: assemble's page data, with its charts drawn and its notes
    /// converted here, then serialized for the template.
    fn context(self, a: &Analysis) -> Result<tera::Context, PageError> {
        let path = || self.path(a.project, &a.months);
        match self {
            Page::Index => context_of(assemble::index(a), path),
            Page::Funnel => context_of(assemble::funnel_page(a), path),
            Page::Goals => context_of(assemble::goals_page(a), path),
            Page::Meetings => context_of(assemble::meetings_page(a), path),
            Page::Checklist => context_of(assemble::checklist_page(a), path),
            Page::Personas => context_of(assemble::personas_page(a), path),
            Page::Actions => context_of(assemble::actions::page(a), path),
            Page::Calendar => context_of(assemble::actions::calendar(a), path),
            Page::Glossary => context_of(assemble::glossary::page(a), path),
            Page::Report(i) => context_of(assemble::report(a, i), path),
            Page::Quarter(q) => {
                let i = a.quarters.iter().position(|x| x.quarter == q).unwrap_or_default();
                context_of(assemble::quarter_page(a, i), path)
            }
            Page::Meeting(i) => context_of(assemble::meeting_page(a, &a.project.meetings[i]), path),
            Page::MeetingsYear(y) => context_of(assemble::archive::meetings_year_page(a, y), path),
            Page::GoalsYear(y) => context_of(assemble::archive::goals_year_page(a, y), path),
            Page::ActionsOlder => context_of(assemble::actions::older_page(a), path),
        }
    }
}

/// Why a page's context could not be made.
enum PageError {
    /// A chart could not be drawn.
    Drawing(Vec<Diagnostic>),
    /// The page data could not be serialized for its template.
    Template(tera::Error),
}

/// Draws a page's charts and converts its notes, then serializes it for its template. A chart
/// plotters cannot draw is an error naming the chart and the page (`path`).
fn context_of<T: Serialize + Visuals>(mut page: T, path: impl Fn() -> String) -> Result<tera::Context, PageError> {
    let mut drawer = Drawer::default();
    page.visit(&mut drawer);
    if !drawer.failed.is_empty() {
        let page = path();
        return Err(PageError::Drawing(
            drawer
                .failed
                .into_iter()
                .map(|(id, e)| {
                    Diagnostic::file_level(
                        crate::diagnostics::Severity::Error,
                        "content",
                        format!("cannot draw the chart `{id}` of {page}: {e}"),
                        Some("this is a bug in smarketing: please report it with the content that causes it".into()),
                    )
                })
                .collect(),
        ));
    }
    tera::Context::from_serialize(&page).map_err(PageError::Template)
}

/// Draws each chart of a page and converts each note, keeping the charts it could not draw.
#[derive(Default)]
struct Drawer {
    /// (chart id, plotters' error) of each chart that could not be drawn.
    failed: Vec<(String, String)>,
}

impl Visitor for Drawer {
    fn chart(&mut self, figure: &mut Figure<'_>) {
        match charts::draw(&figure.chart) {
            Ok(svg) => figure.svg = Some(svg),
            Err(e) => self.failed.push((figure.chart.id().to_string(), e)),
        }
    }

    fn markdown(&mut self, note: &mut Markdown<'_>) {
        note.html = Some(markdown::render(note.source));
    }
}

/// Where rendered files go: a map in memory (`serve`) or a staging folder (`build`).
/// Called from several threads; the order of calls does not matter.
pub trait Sink: Sync {
    /// Stores one file of the site.
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), String>;

    /// Stores a copy of the file at `from` (a static file); a folder sink copies it without
    /// holding it in memory whole.
    fn copy(&self, path: &str, from: &Path) -> Result<(), String> {
        let bytes = std::fs::read(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        self.put(path, bytes)
    }
}

/// Collects the site in memory.
#[derive(Default)]
pub struct MemorySink(pub std::sync::Mutex<SiteFiles>);

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_string(), bytes);
        Ok(())
    }
}

/// Takes every file of the site and keeps nothing: `check` renders the pages to find what only
/// rendering meets (`{{ site.titel }}`, `{{ 1/0 }}`, a template past its budget), writing
/// nothing and copying no static file.
pub struct DiscardSink;

impl Sink for DiscardSink {
    fn put(&self, _path: &str, _bytes: Vec<u8>) -> Result<(), String> {
        Ok(())
    }

    fn copy(&self, _path: &str, _from: &Path) -> Result<(), String> {
        Ok(())
    }
}

/// Renders template `name` into one file at `path` within the render budget
/// ([`budget::PageWriter`]); a failure is a diagnostic at the template.
fn render_file(
    tera: &tera::Tera,
    parsed: &templates::Templates,
    name: &str,
    context: &tera::Context,
    path: &str,
    limit: std::time::Duration,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    // The file the name resolves to, as tera resolves it: the project's, the theme's, the
    // built-in one.
    let file = [name.to_string(), format!("theme/{name}"), format!("default/{name}")]
        .iter()
        .find_map(|n| parsed.files.get(n).cloned())
        .unwrap_or_else(|| name.to_string());
    let _rendering = budget::Rendering::start(&file, path);
    let mut page = budget::PageWriter::new(limit);
    let result = tera.render_to(name, context, &mut page);
    if let Some(why) = page.stopped {
        return Err(vec![Diagnostic::file_level(
            crate::diagnostics::Severity::Error,
            &file,
            format!("template error: rendering `{path}` was stopped: {why}"),
            Some("a template that calls itself (or loops) without end? A page weighs a few hundred KB and takes milliseconds".into()),
        )]);
    }
    result.map_err(|e| templates::template_diagnostics(&e, &parsed.files, &parsed.sources))?;
    Ok(page.bytes)
}

/// Renders the whole site of a loaded (error-free) project into memory.
pub fn render(root: &Path, loaded: &Loaded, base_url: Option<&str>) -> Result<SiteFiles, Vec<Diagnostic>> {
    let sink = MemorySink::default();
    let a = Analysis::new(&loaded.project, loaded.files);
    render_into(root, &a, loaded.templates.as_ref(), base_url, &sink)?;
    Ok(sink.0.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// A data file's text: pretty JSON with `<`, `>` and `&` (which only occur inside strings)
/// escaped, so the JSON is safe to inline.
fn json_text(json: &Value) -> String {
    serde_json::to_string_pretty(json)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        + "\n"
}

/// How a failure to write a file of the site begins.
const WRITE_FAILED: &str = "cannot write the site:";

/// Every page of the site, in a fixed order (`months`: the report months).
fn page_list(p: &Project, months: &[Month]) -> Vec<Page> {
    let mut pages = vec![
        Page::Index,
        Page::Funnel,
        Page::Goals,
        Page::Meetings,
        Page::Checklist,
        Page::Actions,
        Page::ActionsOlder,
        Page::Calendar,
        Page::Glossary,
    ];
    if !p.personas.is_empty() {
        pages.push(Page::Personas);
    }
    pages.extend((0..months.len()).map(Page::Report));
    pages.extend(p.funnel_quarters().into_iter().map(Page::Quarter));
    pages.extend((0..p.meetings.len()).map(Page::Meeting));
    pages.extend(assemble::archive::meeting_years(p).into_iter().map(Page::MeetingsYear));
    pages.extend(assemble::archive::goal_years(p, months).into_iter().map(Page::GoalsYear));
    pages
}

/// Problems with the site's files that `build` would otherwise only meet while writing, found
/// from the model so that `check` reports them too (docs/commands.md#output-folder-rules): two sources for one output
/// path (a `static/index.html` over the overview: a static file never replaces a page), a file
/// where the site needs a folder (a file `static/reports`, a meeting named `index.html.md`),
/// and static files that cannot be copied (unreadable, FIFOs, symlinks out of the project).
pub fn output_diagnostics(root: &Path, loaded: &Loaded, base_url: Option<&str>) -> Vec<Diagnostic> {
    use crate::diagnostics::Severity;
    let project = &loaded.project;
    let (statics, mut diags) = templates::static_files(root, &project.site.theme);
    if loaded.has_errors() {
        // The model is incomplete: its pages are not known yet.
        return diags;
    }
    // The pages need only the report months, not their figures.
    let months = project.report_months();
    // Output path -> (file to blame, is it a static file, what it is).
    let mut paths: BTreeMap<String, (String, bool, String)> = BTreeMap::new();
    for page in page_list(project, &months) {
        let (file, what) = match page {
            Page::Meeting(i) => {
                let m = &project.meetings[i];
                (m.file.clone(), format!("the page of the meeting in {}", m.file))
            }
            Page::MeetingsYear(y) => (String::new(), format!("the list of the meetings of {y}")),
            _ => (String::new(), "a page of the site".to_string()),
        };
        let path = page.path(project, &months);
        // A meeting named like a year (`2024.md`) would take the place of that year's list.
        if let Some((earlier, _, earlier_what)) = paths.get(&path).filter(|(f, _, _)| !f.is_empty()) {
            diags.push(Diagnostic::file_level(
                Severity::Error,
                earlier,
                format!("{earlier_what} would be written to `{path}`, where {what} goes"),
                Some("rename the file: a meeting's file name may not be a year alone".into()),
            ));
            continue;
        }
        paths.insert(path, (file, false, what));
    }
    for m in &months {
        paths.insert(format!("data/{m}.json"), (String::new(), false, "the month's data file".into()));
    }
    for q in project.funnel_quarters() {
        paths.insert(format!("data/{q}.json"), (String::new(), false, "the quarter's data file".into()));
    }
    if base_url.is_some() || project.site.base_url.is_some() {
        for name in ["feed.xml", "sitemap.xml"] {
            paths.insert(name.into(), ("content/site.yaml".into(), false, format!("the site's {name}")));
        }
    }
    for (rel, source) in &statics {
        let shown = match source {
            templates::StaticSource::File(p) => crate::load::rel_path(root, p),
            templates::StaticSource::Builtin(_) => continue,
        };
        if let Some((_, _, what)) = paths.get(rel) {
            diags.push(Diagnostic::file_level(
                Severity::Error,
                &shown,
                format!("this static file would replace {what}, `{rel}`"),
                Some("rename or remove it: a static file never replaces a page".into()),
            ));
            continue;
        }
        paths.insert(rel.clone(), (shown.clone(), true, format!("the static file {shown}")));
    }
    for (path, (file, is_static, what)) in &paths {
        let mut at = path.as_str();
        while let Some(i) = at.rfind('/') {
            at = &at[..i];
            let Some((file2, is_static2, what2)) = paths.get(at) else { continue };
            // Blame a static file first, else the source that has a file.
            let blame = if *is_static2 || file.is_empty() { file2 } else { file };
            let blame = if blame.is_empty() { "content" } else { blame.as_str() };
            diags.push(Diagnostic::file_level(
                Severity::Error,
                blame,
                format!("{what2} is written to `{at}`, but {what} needs a folder there (`{path}`)"),
                Some(if *is_static2 || *is_static {
                    "rename or move the static file: a static file never replaces a page".into()
                } else {
                    "rename the file: its name is part of the page's address".into()
                }),
            ));
            break;
        }
    }
    diags
}

/// Renders every file of the site and hands each to `sink` as soon as it is ready, so a large
/// site never sits in memory whole. Returns the number of HTML pages.
pub fn render_into(
    root: &Path,
    a: &Analysis,
    templates: Option<&crate::load::templates::Templates>,
    base_url: Option<&str>,
    sink: &dyn Sink,
) -> Result<usize, Vec<Diagnostic>> {
    let project = a.project;
    // The load stage parsed the templates; an error there stops before rendering.
    let Some(parsed) = templates else {
        return Err(vec![Diagnostic::file_level(
            crate::diagnostics::Severity::Error,
            "templates",
            "the templates were not loaded",
            Some("run `smarketing check` to see why".into()),
        )]);
    };
    // Each render adds its own globals, so it works on a copy of the parsed templates.
    let mut tera = parsed.tera.clone();
    if let Ok(Value::Object(globals)) = serde_json::to_value(assemble::globals(a)) {
        for (k, v) in globals {
            tera.global_context().insert(k, &v);
        }
    }
    let pages = page_list(project, &a.months);
    let limit = budget::page_time();
    let _watchdog = budget::Watchdog::start(limit);
    let sink_error = |e: String| {
        vec![Diagnostic::file_level(crate::diagnostics::Severity::Error, "public", format!("{WRITE_FAILED} {e}"), None)]
    };
    let results: Vec<Result<(), Vec<Diagnostic>>> = pages
        .par_iter()
        .map(|page| {
            let context = page.context(a).map_err(|e| match e {
                PageError::Drawing(diags) => diags,
                PageError::Template(e) => templates::template_diagnostics(&e, &parsed.files, &parsed.sources),
            })?;
            let path = page.path(project, &a.months);
            let mut html = render_file(&tera, parsed, page.template(), &context, &path, limit)?;
            if let Page::Calendar = page {
                // RFC 5545 lines: CRLF, folded at 75 octets.
                html = assemble::actions::fold_ics(&String::from_utf8_lossy(&html)).into_bytes();
            }
            sink.put(&path, html).map_err(sink_error)
        })
        .collect();
    let mut diags: Vec<Diagnostic> = Vec::new();
    // A full disk fails every page the same way: one error, with a count, not hundreds.
    let mut write_failures = 0usize;
    for r in results {
        if let Err(ds) = r {
            for d in ds {
                if d.message.starts_with(WRITE_FAILED) {
                    write_failures += 1;
                    if write_failures > 1 {
                        continue;
                    }
                }
                if !diags.contains(&d) {
                    diags.push(d);
                }
            }
        }
    }
    if write_failures > 1 {
        if let Some(d) = diags.iter_mut().find(|d| d.message.starts_with(WRITE_FAILED)) {
            d.message.push_str(&format!(" (and {} more files could not be written)", write_failures - 1));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let data: Vec<Result<(), String>> = a
        .months
        .par_iter()
        .map(|m| {
            let text = json_text(&analyze::to_json(project, &a.figures[m]));
            sink.put(&format!("data/{m}.json"), text.into_bytes())
        })
        .collect();
    data.into_iter().collect::<Result<Vec<()>, String>>().map_err(sink_error)?;
    for q in &a.quarters {
        let goals = q.goals_month.and_then(|m| a.figures.get(&m));
        let text = json_text(&analyze::quarter::to_json(project, q, goals));
        sink.put(&format!("data/{}.json", q.quarter), text.into_bytes()).map_err(sink_error)?;
    }
    let (statics, _) = templates::static_files(root, &project.site.theme);
    let base = base_url.map(str::to_string).or_else(|| project.site.base_url.clone());
    if let Some(base) = base {
        let mut html_pages: Vec<String> = pages
            .iter()
            .map(|p| p.path(project, &a.months))
            .filter(|p| p.ends_with(".html"))
            .chain(statics.keys().filter(|k| k.ends_with(".html")).cloned())
            .collect();
        html_pages.sort();
        html_pages.dedup();
        let contexts = [
            ("feed.xml", tera::Context::from_serialize(&assemble::feeds::feed(a, &base))),
            ("sitemap.xml", tera::Context::from_serialize(&assemble::feeds::sitemap(&html_pages, &base))),
        ];
        for (name, context) in contexts {
            let context = context.map_err(|e| templates::template_diagnostics(&e, &parsed.files, &parsed.sources))?;
            let bytes = render_file(&tera, parsed, name, &context, name, limit)?;
            sink.put(name, bytes).map_err(sink_error)?;
        }
    }
    for (name, source) in statics {
        match source {
            templates::StaticSource::Builtin(bytes) => sink.put(&name, bytes.to_vec()),
            templates::StaticSource::File(path) => sink.copy(&name, &path),
        }
        .map_err(sink_error)?;
    }
    Ok(pages.iter().filter(|p| !matches!(p, Page::Calendar)).count())
}
