//! Render: the list of pages and their rendering into an in-memory map `path -> bytes`.
//! Pages render in parallel; the map is ordered, so output never depends on thread timing.

pub mod charts;
pub mod markdown;

use crate::analyze;
use crate::analyze::Analysis;
use crate::assemble;
use crate::diagnostics::Diagnostic;
use crate::load::templates;
use crate::load::Loaded;
use crate::model::calendar::Month;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The rendered site: relative path -> file bytes.
pub type SiteFiles = BTreeMap<String, Vec<u8>>;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// Joins a base URL and a site path.
fn absolute(base: &str, path: &str) -> String {
    format!("{}/{}", base.trim_end_matches('/'), path)
}

fn feed(a: &Analysis, base: &str) -> String {
    let p = a.project;
    // A month's entry is as new as its end day: the as-of date while it is in progress.
    let updated = |m: Month| format!("{}T00:00:00Z", a.figures[&m].end_day);
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{}</title>\n", xml_escape(&p.site.title)));
    out.push_str(&format!("  <id>{}</id>\n", xml_escape(&absolute(base, "index.html"))));
    out.push_str(&format!("  <link href=\"{}\"/>\n", xml_escape(&absolute(base, "index.html"))));
    out.push_str(&format!("  <link rel=\"self\" href=\"{}\"/>\n", xml_escape(&absolute(base, "feed.xml"))));
    if let Some(m) = a.months.last() {
        out.push_str(&format!("  <updated>{}</updated>\n", updated(*m)));
    }
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(p.site.organization.as_deref().unwrap_or(&p.site.title))
    ));
    for m in a.months.iter().rev() {
        let url = absolute(base, &assemble::report_href(*m));
        let f = &a.figures[m];
        let met = f.checklist.iter().filter(|c| c.met).count();
        let summary = format!(
            "{} meetings; {} open and {} overdue action items; {} of {} checklist items met.",
            f.meetings.len(),
            f.actions.open,
            f.actions.overdue,
            met,
            f.checklist.len()
        );
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>Alignment report, {}</title>\n", m.long_name()));
        out.push_str(&format!("    <id>{}</id>\n    <link href=\"{}\"/>\n", xml_escape(&url), xml_escape(&url)));
        out.push_str(&format!("    <updated>{}</updated>\n", updated(*m)));
        out.push_str(&format!("    <summary>{}</summary>\n", xml_escape(&summary)));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

fn sitemap(pages: &[String], base: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        let href: String = p.split('/').map(assemble::href_segment).collect::<Vec<_>>().join("/");
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(&absolute(base, &href))));
    }
    out.push_str("</urlset>\n");
    out
}

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
    Meeting(usize),
}

impl Page {
    fn path(self, a: &Analysis) -> String {
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
            Page::Report(i) => format!("reports/{}/index.html", a.months[i]),
            Page::Meeting(i) => format!("meetings/{}/index.html", a.project.meetings[i].slug),
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
            Page::Meeting(_) => "meeting.html",
        }
    }

    /// The page's template context. Meeting pages (most of a site) serialize straight from
    /// borrowed structs; the others go through a JSON value.
    fn context(self, a: &Analysis) -> Result<tera::Context, tera::Error> {
        if let Page::Meeting(i) = self {
            return tera::Context::from_serialize(&assemble::meeting_page(a, &a.project.meetings[i]));
        }
        tera::Context::from_serialize(&self.value(a))
    }

    fn value(self, a: &Analysis) -> Value {
        match self {
            Page::Index => {
                let mut v = assemble::index(a);
                if let Value::Object(o) = &mut v {
                    o.insert("first_stage".into(), Value::String(a.project.site.stage_labels[0].clone()));
                }
                v
            }
            Page::Funnel => assemble::funnel_page(a),
            Page::Goals => assemble::goals_page(a),
            Page::Meetings => assemble::meetings_page(a),
            Page::Checklist => assemble::checklist_page(a),
            Page::Personas => assemble::personas_page(a),
            Page::Actions => assemble::actions::page(a),
            Page::Calendar => assemble::actions::calendar(a),
            Page::Glossary => assemble::glossary::page(a),
            Page::Report(i) => assemble::report(a, i),
            Page::Meeting(_) => Value::Null,
        }
    }
}

/// Where rendered files go: a map in memory (`serve`) or a staging folder (`build`).
/// Called from several threads; the order of calls does not matter.
pub trait Sink: Sync {
    /// Stores one file of the site.
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), String>;
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

/// Renders the whole site of a loaded (error-free) project into memory.
pub fn render(root: &Path, loaded: &Loaded, base_url: Option<&str>) -> Result<SiteFiles, Vec<Diagnostic>> {
    let sink = MemorySink::default();
    render_into(root, loaded, base_url, &sink)?;
    Ok(sink.0.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// Renders every file of the site and hands each to `sink` as soon as it is ready, so a large
/// site never sits in memory whole. Returns the number of HTML pages.
pub fn render_into(
    root: &Path,
    loaded: &Loaded,
    base_url: Option<&str>,
    sink: &dyn Sink,
) -> Result<usize, Vec<Diagnostic>> {
    let project = &loaded.project;
    let mut templates = templates::load(root, &project.site.theme)?;
    let a = Analysis::new(project, loaded.files);
    if let Ok(Value::Object(globals)) = serde_json::to_value(assemble::globals(&a)) {
        for (k, v) in globals {
            templates.tera.global_context().insert(k, &v);
        }
    }
    let mut pages = vec![
        Page::Index,
        Page::Funnel,
        Page::Goals,
        Page::Meetings,
        Page::Checklist,
        Page::Actions,
        Page::Calendar,
        Page::Glossary,
    ];
    if !project.personas.is_empty() {
        pages.push(Page::Personas);
    }
    pages.extend((0..a.months.len()).map(Page::Report));
    pages.extend((0..project.meetings.len()).map(Page::Meeting));
    let sink_error = |e: String| {
        vec![Diagnostic::file_level(
            crate::diagnostics::Severity::Error,
            "public",
            format!("cannot write the site: {e}"),
            None,
        )]
    };
    let results: Vec<Result<(), Vec<Diagnostic>>> = pages
        .par_iter()
        .map(|page| {
            let context = page
                .context(&a)
                .map_err(|e| templates::template_diagnostics(&e, &templates.files, &templates.sources))?;
            let mut html = Vec::with_capacity(32 * 1024);
            templates
                .tera
                .render_to(page.template(), &context, &mut html)
                .map_err(|e| templates::template_diagnostics(&e, &templates.files, &templates.sources))?;
            if let Page::Calendar = page {
                // RFC 5545 lines: CRLF, folded at 75 octets.
                html = assemble::actions::fold_ics(&String::from_utf8_lossy(&html)).into_bytes();
            }
            sink.put(&page.path(&a), html).map_err(sink_error)
        })
        .collect();
    let mut diags: Vec<Diagnostic> = Vec::new();
    for r in results {
        if let Err(ds) = r {
            for d in ds {
                if !diags.contains(&d) {
                    diags.push(d);
                }
            }
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let data: Vec<Result<(), String>> = a
        .months
        .par_iter()
        .map(|m| {
            let json = analyze::to_json(project, &a.figures[m]);
            // `<`, `>` and `&` only occur inside strings: escape them so the JSON is safe to inline.
            let text = serde_json::to_string_pretty(&json)
                .unwrap_or_default()
                .replace('<', "\\u003c")
                .replace('>', "\\u003e")
                .replace('&', "\\u0026")
                + "\n";
            sink.put(&format!("data/{m}.json"), text.into_bytes())
        })
        .collect();
    data.into_iter().collect::<Result<Vec<()>, String>>().map_err(sink_error)?;
    let mut statics: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (name, bytes) in templates::static_files(root, &project.site.theme) {
        statics.insert(name, bytes);
    }
    for (rel, path) in templates::read_dir_files(&root.join("static"), None) {
        if let Ok(b) = std::fs::read(&path) {
            statics.insert(rel, b);
        }
    }
    let base = base_url.map(str::to_string).or_else(|| project.site.base_url.clone());
    if let Some(base) = base {
        let mut html_pages: Vec<String> = pages
            .iter()
            .map(|p| p.path(&a))
            .filter(|p| p.ends_with(".html"))
            .chain(statics.keys().filter(|k| k.ends_with(".html")).cloned())
            .collect();
        html_pages.sort();
        html_pages.dedup();
        statics.insert("feed.xml".into(), feed(&a, &base).into_bytes());
        statics.insert("sitemap.xml".into(), sitemap(&html_pages, &base).into_bytes());
    }
    for (name, bytes) in statics {
        sink.put(&name, bytes).map_err(sink_error)?;
    }
    Ok(pages.iter().filter(|p| !matches!(p, Page::Calendar)).count())
}
