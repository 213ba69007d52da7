//! Render: the list of pages and their rendering into an in-memory map `path -> bytes`.
//! Pages render in parallel; the map is ordered, so output never depends on thread timing.

use crate::calendar::Month;
use crate::content::Loaded;
use crate::diagnostics::Diagnostic;
use crate::metrics;
use crate::theme;
use crate::views::{self, Analysis};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// One rendered page, or the template error that stopped it.
type RenderedPage = Result<(String, Vec<u8>), Vec<Diagnostic>>;

/// The rendered site: relative path -> file bytes.
pub type SiteFiles = BTreeMap<String, Vec<u8>>;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Joins a base URL and a site path.
fn absolute(base: &str, path: &str) -> String {
    format!("{}/{}", base.trim_end_matches('/'), path)
}

fn feed(a: &Analysis, base: &str) -> String {
    let p = a.project;
    let updated = |m: Month| format!("{}T00:00:00Z", m.last_day());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{}</title>\n", xml_escape(&p.site.title)));
    out.push_str(&format!(
        "  <id>{}</id>\n",
        xml_escape(&absolute(base, "index.html"))
    ));
    out.push_str(&format!(
        "  <link href=\"{}\"/>\n",
        xml_escape(&absolute(base, "index.html"))
    ));
    out.push_str(&format!(
        "  <link rel=\"self\" href=\"{}\"/>\n",
        xml_escape(&absolute(base, "feed.xml"))
    ));
    if let Some(m) = a.months.last() {
        out.push_str(&format!("  <updated>{}</updated>\n", updated(*m)));
    }
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(p.site.organization.as_deref().unwrap_or(&p.site.title))
    ));
    for m in a.months.iter().rev() {
        let url = absolute(base, &views::report_href(*m));
        let f = &a.figures[m];
        let met = f.checklist.iter().filter(|c| c.met).count();
        let summary = format!(
            "{} meetings; {} open and {} overdue action items; {} of {} checklist items met.",
            f.meetings.len(),
            f.open_actions,
            f.overdue_actions,
            met,
            f.checklist.len()
        );
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <title>Alignment report, {}</title>\n",
            m.long_name()
        ));
        out.push_str(&format!(
            "    <id>{}</id>\n    <link href=\"{}\"/>\n",
            xml_escape(&url),
            xml_escape(&url)
        ));
        out.push_str(&format!("    <updated>{}</updated>\n", updated(*m)));
        out.push_str(&format!(
            "    <summary>{}</summary>\n",
            xml_escape(&summary)
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

fn sitemap(pages: &[String], base: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in pages {
        let href: String = p
            .split('/')
            .map(views::href_segment)
            .collect::<Vec<_>>()
            .join("/");
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&absolute(base, &href))
        ));
    }
    out.push_str("</urlset>\n");
    out
}

/// Renders the whole site of a loaded (error-free) project.
pub fn render(
    root: &Path,
    loaded: &Loaded,
    base_url: Option<&str>,
) -> Result<SiteFiles, Vec<Diagnostic>> {
    let project = &loaded.project;
    let templates = theme::load(root, &project.site.theme)?;
    let a = Analysis::new(project, loaded.files);
    // (output path, template, context)
    let mut pages: Vec<(String, &str, Value)> = vec![
        ("index.html".into(), "index.html", views::index(&a)),
        (
            "funnel/index.html".into(),
            "funnel.html",
            views::funnel_page(&a),
        ),
        (
            "goals/index.html".into(),
            "goals.html",
            views::goals_page(&a),
        ),
        (
            "meetings/index.html".into(),
            "meetings.html",
            views::meetings_page(&a),
        ),
        (
            "checklist/index.html".into(),
            "checklist.html",
            views::checklist_page(&a),
        ),
    ];
    if let Some(Value::Object(o)) = pages.first_mut().map(|p| &mut p.2) {
        o.insert(
            "first_stage".into(),
            Value::String(project.site.stage_labels[0].clone()),
        );
    }
    if !project.personas.is_empty() {
        pages.push((
            "personas/index.html".into(),
            "personas.html",
            views::personas_page(&a),
        ));
    }
    let reports: Vec<(String, &str, Value)> = (0..a.months.len())
        .into_par_iter()
        .map(|i| {
            (
                format!("reports/{}/index.html", a.months[i]),
                "report.html",
                views::report(&a, i),
            )
        })
        .collect();
    pages.extend(reports);
    let meeting_pages: Vec<(String, &str, Value)> = project
        .meetings
        .par_iter()
        .map(|m| {
            (
                format!("meetings/{}/index.html", m.slug),
                "meeting.html",
                views::meeting_page(&a, m),
            )
        })
        .collect();
    pages.extend(meeting_pages);

    let rendered: Vec<RenderedPage> = pages
        .par_iter()
        .map(|(path, tpl, ctx)| {
            let context = tera::Context::from_serialize(ctx).map_err(|e| {
                theme::template_diagnostics(&e, &templates.files, &templates.sources)
            })?;
            templates
                .tera
                .render(tpl, &context)
                .map(|html| (path.clone(), html.into_bytes()))
                .map_err(|e| theme::template_diagnostics(&e, &templates.files, &templates.sources))
        })
        .collect();
    let mut files = SiteFiles::new();
    let mut diags = Vec::new();
    for r in rendered {
        match r {
            Ok((p, b)) => {
                files.insert(p, b);
            }
            Err(ds) => {
                for d in ds {
                    if !diags.contains(&d) {
                        diags.push(d);
                    }
                }
            }
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    for m in &a.months {
        let json = metrics::to_json(project, &a.figures[m]);
        // `<`, `>` and `&` only occur inside strings: escape them so the JSON is safe to inline.
        let mut text = serde_json::to_string_pretty(&json)
            .unwrap_or_default()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026");
        text.push('\n');
        files.insert(format!("data/{m}.json"), text.into_bytes());
    }
    for (name, bytes) in theme::static_files(root, &project.site.theme) {
        files.insert(name, bytes);
    }
    for (rel, path) in static_dir_files(&root.join("static")) {
        if let Ok(b) = std::fs::read(&path) {
            files.insert(rel, b);
        }
    }
    let base = base_url
        .map(str::to_string)
        .or_else(|| project.site.base_url.clone());
    if let Some(base) = base {
        let html_pages: Vec<String> = files
            .keys()
            .filter(|k| k.ends_with(".html"))
            .cloned()
            .collect();
        files.insert("feed.xml".into(), feed(&a, &base).into_bytes());
        files.insert(
            "sitemap.xml".into(),
            sitemap(&html_pages, &base).into_bytes(),
        );
    }
    Ok(files)
}

fn static_dir_files(dir: &Path) -> Vec<(String, std::path::PathBuf)> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap_or(e.path())
                .iter()
                .map(|c| c.to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, e.path().to_path_buf()));
        }
    }
    out
}
