//! Render: every page of the route table drawn, converted and run through its template, and
//! every file of the site handed to a sink. Pages render in parallel; each file goes to its
//! own path, so output never depends on thread timing.

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
use crate::assemble::routes::{self, Route};
use crate::diagnostics::{Diagnostic, Kind, Problem};
use crate::load::templates::{self, StaticSource};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The rendered site: relative path -> file bytes.
pub type SiteFiles = BTreeMap<String, Vec<u8>>;

/// A page's template context: assemble's page data, with its charts drawn and its notes
/// converted here, then serialized for the template.
fn context(route: Route, a: &Analysis) -> Result<tera::Context, PageError> {
    let path = || route.path(a.project);
    match route {
        Route::Index => context_of(assemble::index(a), path),
        Route::Funnel => context_of(assemble::funnel_page(a), path),
        Route::Goals => context_of(assemble::goals_page(a), path),
        Route::Meetings => context_of(assemble::meetings_page(a), path),
        Route::Checklist => context_of(assemble::checklist_page(a), path),
        Route::Personas => context_of(assemble::personas_page(a), path),
        Route::Actions => context_of(assemble::actions::page(a), path),
        Route::Calendar => context_of(assemble::actions::calendar(a), path),
        Route::Glossary => context_of(assemble::glossary::page(a), path),
        Route::Report(m) => context_of(assemble::report(a, m), path),
        Route::Quarter(q) => {
            let i = a.quarters.iter().position(|x| x.quarter == q).unwrap_or_default();
            context_of(assemble::quarter_page(a, i), path)
        }
        Route::Meeting(i) => context_of(assemble::meeting_page(a, i), path),
        Route::MeetingsYear(y) => context_of(assemble::archive::meetings_year_page(a, y), path),
        Route::GoalsYear(y) => context_of(assemble::archive::goals_year_page(a, y), path),
        Route::ActionsOlder => context_of(assemble::actions::older_page(a), path),
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
    /// Stores one file of the site; a failure says what went wrong and what to do.
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Problem>;

    /// Stores a copy of the file at `from` (a static file); a folder sink copies it without
    /// holding it in memory whole.
    fn copy(&self, path: &str, from: &Path) -> Result<(), Problem> {
        let bytes = std::fs::read(from).map_err(|e| {
            Problem::new(format!("cannot read {}: {e}", from.display()), "check that the file is there and readable")
        })?;
        self.put(path, bytes)
    }
}

/// Collects the site in memory.
#[derive(Default)]
pub struct MemorySink(pub std::sync::Mutex<SiteFiles>);

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Problem> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_string(), bytes);
        Ok(())
    }
}

/// Takes every file of the site and keeps nothing: `check` renders the pages to find what only
/// rendering meets (`{{ site.titel }}`, `{{ 1/0 }}`, a template past its budget), writing
/// nothing and copying no static file.
pub struct DiscardSink;

impl Sink for DiscardSink {
    fn put(&self, _path: &str, _bytes: Vec<u8>) -> Result<(), Problem> {
        Ok(())
    }

    fn copy(&self, _path: &str, _from: &Path) -> Result<(), Problem> {
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
    let mut page = budget::PageWriter::new(limit, budget::expected_size(name));
    let result = tera.render_to(name, context, &mut page);
    budget::seen_size(name, page.bytes.len());
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

/// A data file's text: pretty JSON with `<`, `>` and `&` (which only occur inside strings)
/// escaped, so the JSON is safe to inline; an error naming the file (`name`) if serde_json
/// cannot write it. The escaping is done as the text is written ([`InlineSafe`]), not by
/// copying the whole file once per character afterwards.
fn json_text(json: &impl Serialize, name: &str) -> Result<String, Problem> {
    let mut bytes = Vec::with_capacity(16 * 1024);
    let mut writer = serde_json::Serializer::with_formatter(&mut bytes, InlineSafe::default());
    json.serialize(&mut writer).map_err(|e| {
        Problem::new(format!("cannot write {name}: {e}"), "this is a bug in smarketing: please report it")
    })?;
    bytes.push(b'\n');
    // serde_json writes UTF-8 only.
    String::from_utf8(bytes)
        .map_err(|e| Problem::new(format!("cannot write {name}: {e}"), "this is a bug in smarketing: please report it"))
}

/// serde_json's pretty layout, writing `<`, `>` and `&` inside strings (keys included) as
/// `\u003c`, `\u003e` and `\u0026`.
#[derive(Default)]
struct InlineSafe(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for InlineSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(&mut self, w: &mut W, fragment: &str) -> std::io::Result<()> {
        // The three are ASCII, so a byte search finds them (a `char` search decodes every
        // character of every string of the file).
        let mut rest = fragment.as_bytes();
        while let Some(i) = rest.iter().position(|b| matches!(b, b'<' | b'>' | b'&')) {
            w.write_all(&rest[..i])?;
            w.write_all(match rest[i] {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                _ => b"\\u0026",
            })?;
            rest = &rest[i + 1..];
        }
        w.write_all(rest)
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// One file of the site to make in the parallel pass.
#[derive(Clone, Copy)]
enum Job {
    /// A page of the route table.
    Page(Route),
    /// `data/YYYY-MM.json`, a month's figures.
    Month(crate::model::calendar::Month),
    /// `data/YYYY-Qn.json`, the quarter at this index of the analysis.
    Quarter(usize),
}

/// How a failure to write a file of the site begins.
const WRITE_FAILED: &str = "cannot write the site:";

/// Renders every file of the site and hands each to `sink` as soon as it is ready, so a large
/// site never sits in memory whole. Returns the number of HTML pages.
pub fn render_into(
    a: &Analysis,
    templates: Option<&crate::load::templates::Templates>,
    statics: &BTreeMap<String, StaticSource>,
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
    let pages = routes::all(project, &a.months);
    let limit = budget::page_time();
    let _watchdog = budget::Watchdog::start(limit);
    let sink_error = |e: Problem| {
        let hint = Some(e.hint).filter(|h| !h.is_empty());
        vec![Diagnostic::file_level(
            crate::diagnostics::Severity::Error,
            "public",
            format!("{WRITE_FAILED} {}", e.message),
            hint,
        )
        .with_kind(Kind::Output)]
    };
    // The pages and the data files are one list of work, so both cores stay busy to the end;
    // each file goes to its own path, so the order they finish in does not matter.
    let jobs: Vec<Job> = (a.months.iter().map(|m| Job::Month(*m)))
        .chain(a.quarters.iter().enumerate().map(|(i, _)| Job::Quarter(i)))
        .chain(pages.iter().map(|p| Job::Page(*p)))
        .collect();
    let results: Vec<Result<(), Vec<Diagnostic>>> = jobs
        .par_iter()
        .map(|job| match *job {
            Job::Page(page) => {
                let context = context(page, a).map_err(|e| match e {
                    PageError::Drawing(diags) => diags,
                    PageError::Template(e) => templates::template_diagnostics(&e, &parsed.files, &parsed.sources),
                })?;
                let path = page.path(project);
                let mut html = render_file(&tera, parsed, page.template(), &context, &path, limit)?;
                if let Route::Calendar = page {
                    // RFC 5545 lines: CRLF, folded at 75 octets.
                    html = assemble::actions::fold_ics(&String::from_utf8_lossy(&html)).into_bytes();
                }
                sink.put(&path, html).map_err(sink_error)
            }
            Job::Month(m) => {
                let name = format!("data/{m}.json");
                let text = json_text(&analyze::to_json(project, &a.figures[&m]), &name).map_err(sink_error)?;
                sink.put(&name, text.into_bytes()).map_err(sink_error)
            }
            Job::Quarter(i) => {
                let q = &a.quarters[i];
                let goals = q.goals_month.and_then(|m| a.figures.get(&m));
                let name = format!("data/{}.json", q.quarter);
                let text = json_text(&analyze::quarter::to_json(project, q, goals), &name).map_err(sink_error)?;
                sink.put(&name, text.into_bytes()).map_err(sink_error)
            }
        })
        .collect();
    let mut diags: Vec<Diagnostic> = Vec::new();
    // A full disk fails every page the same way: one error, with a count, not hundreds.
    let mut write_failures = 0usize;
    for r in results {
        if let Err(ds) = r {
            for d in ds {
                // Only a sink's failures are of kind Output here: the first is shown, the rest counted.
                if d.kind == Kind::Output {
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
        if let Some(d) = diags.iter_mut().find(|d| d.kind == Kind::Output) {
            d.message.push_str(&format!(" (and {} more files could not be written)", write_failures - 1));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let base = base_url.map(str::to_string).or_else(|| project.site.base_url.clone());
    if let Some(base) = base {
        let mut html_pages: Vec<String> = pages
            .iter()
            .map(|p| p.path(project))
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
            StaticSource::Builtin(bytes) => sink.put(name, bytes.to_vec()),
            StaticSource::File(path) => sink.copy(name, path),
        }
        .map_err(sink_error)?;
    }
    Ok(pages.iter().filter(|p| !matches!(p, Route::Calendar)).count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_are_pretty_json_with_markup_characters_escaped_in_keys_and_values() {
        let json = serde_json::json!({
            "a<b": "x </script><b>&amp;",
            "list": [1, 2.5, null, "\"quoted\" \\ <>"],
            "empty": {},
        });
        let text = json_text(&json, "data/x.json").unwrap();
        assert_eq!(
            text,
            "{\n  \"a\\u003cb\": \"x \\u003c/script\\u003e\\u003cb\\u003e\\u0026amp;\",\n  \"list\": [\n    1,\n    2.5,\n    null,\n    \"\\\"quoted\\\" \\\\ \\u003c\\u003e\"\n  ],\n  \"empty\": {}\n}\n"
        );
        // It reads back as the same value.
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), json);
    }
}
