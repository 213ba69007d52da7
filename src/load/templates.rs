//! Themes: the built-in default theme (real files under `themes/default/`, embedded at compile
//! time), a project's own `themes/NAME/`, and single-template overrides in `templates/`.
//!
//! Template names resolve like Zola's: a project's `templates/X` wins, then the chosen theme's
//! `X` (registered as `theme/X`), then the built-in `default/X`. Built-in templates stay
//! reachable by their prefixed name, so an override can `{% extends "default/report.html" %}`
//! and replace one block.

use crate::diagnostics::{Diagnostic, Kind, Severity};
use std::collections::BTreeMap;
use std::path::Path;
use tera::Tera;

/// The built-in templates: (file name, text).
pub const BUILTIN_TEMPLATES: [(&str, &str); 31] = [
    ("base.html", include_str!("../../themes/default/templates/base.html")),
    ("index.html", include_str!("../../themes/default/templates/index.html")),
    ("report.html", include_str!("../../themes/default/templates/report.html")),
    ("quarter.html", include_str!("../../themes/default/templates/quarter.html")),
    ("funnel.html", include_str!("../../themes/default/templates/funnel.html")),
    ("goals.html", include_str!("../../themes/default/templates/goals.html")),
    ("meetings.html", include_str!("../../themes/default/templates/meetings.html")),
    ("meeting.html", include_str!("../../themes/default/templates/meeting.html")),
    ("checklist.html", include_str!("../../themes/default/templates/checklist.html")),
    ("personas.html", include_str!("../../themes/default/templates/personas.html")),
    ("macros_cards.html", include_str!("../../themes/default/templates/macros_cards.html")),
    ("macros_trend.html", include_str!("../../themes/default/templates/macros_trend.html")),
    ("macros_goals.html", include_str!("../../themes/default/templates/macros_goals.html")),
    ("macros_actions.html", include_str!("../../themes/default/templates/macros_actions.html")),
    ("macros_pipeline.html", include_str!("../../themes/default/templates/macros_pipeline.html")),
    ("macros_channels.html", include_str!("../../themes/default/templates/macros_channels.html")),
    ("actions.html", include_str!("../../themes/default/templates/actions.html")),
    ("actions_older.html", include_str!("../../themes/default/templates/actions_older.html")),
    ("macros_owner_items.html", include_str!("../../themes/default/templates/macros_owner_items.html")),
    ("meetings_year.html", include_str!("../../themes/default/templates/meetings_year.html")),
    ("goals_year.html", include_str!("../../themes/default/templates/goals_year.html")),
    ("macros_years.html", include_str!("../../themes/default/templates/macros_years.html")),
    ("macros_meeting_list.html", include_str!("../../themes/default/templates/macros_meeting_list.html")),
    ("macros_goal_outcomes.html", include_str!("../../themes/default/templates/macros_goal_outcomes.html")),
    ("actions.ics", include_str!("../../themes/default/templates/actions.ics")),
    ("glossary.html", include_str!("../../themes/default/templates/glossary.html")),
    ("feed.xml", include_str!("../../themes/default/templates/feed.xml")),
    ("sitemap.xml", include_str!("../../themes/default/templates/sitemap.xml")),
    ("digest.md", include_str!("../../themes/default/templates/digest.md")),
    ("digest.txt", include_str!("../../themes/default/templates/digest.txt")),
    ("digest.html", include_str!("../../themes/default/templates/digest.html")),
];

/// The built-in static files: (path inside `static/`, bytes).
pub const BUILTIN_STATIC: [(&str, &[u8]); 1] = [("style.css", include_bytes!("../../themes/default/static/style.css"))];

/// Loaded templates plus the map from template name to the file it came from.
pub struct Templates {
    /// The template engine, all templates parsed once.
    pub tera: Tera,
    /// Template name -> project-relative file path, for error messages.
    pub files: BTreeMap<String, String>,
    /// Template name -> source text, for quoting lines in error messages.
    pub sources: BTreeMap<String, String>,
}

/// Files and symlinks under `dir` (sorted; symlinked folders not walked; hidden files and
/// editor backups left out), optionally only those ending in `.ext`: (path relative to `dir`,
/// full path). The caller decides whether a symlink may be followed.
pub fn read_dir_files(dir: &Path, ext: Option<&str>) -> Vec<(String, std::path::PathBuf)> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name().into_iter().flatten() {
        if !(e.file_type().is_file() || e.path_is_symlink()) {
            continue;
        }
        let name = e.file_name().to_string_lossy();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        if let Some(ext) = ext {
            if e.path().extension().and_then(|x| x.to_str()) != Some(ext) {
                continue;
            }
        }
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
    out
}

/// Turns a tera error into diagnostics naming the template file, line and column.
pub fn template_diagnostics(
    err: &tera::Error,
    files: &BTreeMap<String, String>,
    sources: &BTreeMap<String, String>,
) -> Vec<Diagnostic> {
    use tera::ErrorKind;
    let hint =
        || Some("fix the template; `smarketing theme export DIR` writes out the built-in ones to compare".to_string());
    let at = |name: &str, line: usize, col: usize, width: usize, message: String| {
        let file = files.get(name).cloned().unwrap_or_else(|| name.to_string());
        let src = sources.get(name).map(String::as_str).unwrap_or("");
        Diagnostic::at(Severity::Error, &file, src, line, col, width, format!("template error: {message}"), hint())
            .with_kind(Kind::Template)
    };
    match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            let width =
                if span.start_line == span.end_line { span.end_col.saturating_sub(span.start_col).max(1) } else { 1 };
            vec![at(r.filename(), span.start_line, span.start_col + 1, width, r.message().to_string())]
        }
        _ => {
            let mut msg = err.to_string();
            let mut src = std::error::Error::source(err);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            // Validation errors arrive as rendered reports: "error: MSG\n --> NAME:LINE:COL ...".
            let parsed: Vec<Diagnostic> = msg
                .split("\n\n")
                .filter_map(|report| {
                    let message = report.lines().next()?.strip_prefix("error: ")?.to_string();
                    let loc = report.lines().find_map(|l| l.trim_start().strip_prefix("--> "))?;
                    let mut parts = loc.rsplitn(3, ':');
                    let col: usize = parts.next()?.trim().parse().ok()?;
                    let line: usize = parts.next()?.trim().parse().ok()?;
                    let name = parts.next()?;
                    let width = report.lines().find(|l| l.contains('^')).map(|l| l.matches('^').count()).unwrap_or(1);
                    Some(at(name, line, col, width, message))
                })
                .collect();
            if parsed.is_empty() {
                vec![Diagnostic::file_level(
                    Severity::Error,
                    "templates",
                    format!("template error: {msg}"),
                    Some("check the template names used in extends and include".into()),
                )
                .with_kind(Kind::Template)]
            } else {
                parsed
            }
        }
    }
}

/// Reads the `.html` templates under `dir` (in the project at `root`), registering each as `prefix` + its path, and
/// remembering `shown` + its path as the file to name in errors.
fn read_templates(
    root: &Path,
    dir: &Path,
    prefix: &str,
    shown: &str,
    files: &mut BTreeMap<String, String>,
    sources: &mut BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) {
    // Pages are .html; the feed and sitemap .xml, the action calendar .ics, and the digest's
    // digest.md and digest.txt, and the e-mail digest's digest.html (all exported by `theme export`, so all can be overridden; other
    // .md and .txt files, a README, are not templates).
    let is_template = |rel: &str| {
        [".html", ".xml", ".ics"].iter().any(|e| rel.ends_with(e)) || rel == "digest.md" || rel == "digest.txt"
    };
    let canon_root = root.canonicalize().ok();
    for (rel, path) in read_dir_files(dir, None).into_iter().filter(|(rel, _)| is_template(rel)) {
        if path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
            // Followed when it leads to a regular file inside the project, an error otherwise:
            // a template that silently does not apply looks like a broken theme.
            let target = path.canonicalize().ok();
            let problem = match &canon_root {
                Some(root) => link_problem(target.as_ref(), root),
                None => Some("cannot be resolved".into()),
            }
            .or_else(|| {
                (!target.as_ref().is_some_and(|t| t.is_file())).then(|| "does not lead to a regular file".into())
            });
            if let Some(problem) = problem {
                diags.push(
                    Diagnostic::file_level(
                        Severity::Error,
                        &format!("{shown}{rel}"),
                        format!("this template is a symlink that {problem}, so it is not used"),
                        Some("copy the template into the project instead of linking to it".into()),
                    )
                    .with_kind(Kind::Template),
                );
                continue;
            }
        }
        match std::fs::read_to_string(&path) {
            Ok(t) => {
                files.insert(format!("{prefix}{rel}"), format!("{shown}{rel}"));
                sources.insert(format!("{prefix}{rel}"), t);
            }
            Err(e) => diags.push(
                Diagnostic::file_level(
                    Severity::Error,
                    &format!("{shown}{rel}"),
                    format!("cannot read template: {e}"),
                    Some("check its permissions".into()),
                )
                .with_kind(Kind::Template),
            ),
        }
    }
}

/// Loads the templates of the project at `root` for theme `theme`.
pub fn load(root: &Path, theme: &str) -> Result<Templates, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let _ = tera.set_fallback_prefixes(["theme/", "default/"]);
    let mut files = BTreeMap::new();
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    let mut diags = Vec::new();
    for (name, text) in BUILTIN_TEMPLATES {
        let key = format!("default/{name}");
        files.insert(key.clone(), format!("themes/default/templates/{name} (built in)"));
        sources.insert(key, text.to_string());
    }
    if theme != "default" {
        let dir = root.join("themes").join(theme).join("templates");
        if crate::load::dir_in_project(root, &format!("themes/{theme}/templates")).is_none() {
            diags.push(
                Diagnostic::file_level(
                    Severity::Error,
                    "content/site.yaml",
                    format!("theme `{theme}` not found: there is no themes/{theme}/templates/ folder"),
                    Some("use `theme: default`, or create the theme with `smarketing theme export themes/NAME`".into()),
                )
                .with_kind(Kind::Template),
            );
        }
        read_templates(
            root,
            &dir,
            "theme/",
            &format!("themes/{theme}/templates/"),
            &mut files,
            &mut sources,
            &mut diags,
        );
    }
    if let Some(dir) = crate::load::dir_in_project(root, "templates") {
        read_templates(root, &dir, "", "templates/", &mut files, &mut sources, &mut diags);
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    // Parse each template on its own first, so every syntax error is reported with its file.
    // The built-in templates are known to parse; only the project's own are probed.
    let mut broken: Vec<&str> = Vec::new();
    for (name, src) in sources.iter().filter(|(n, _)| !n.starts_with("default/")) {
        let mut probe = Tera::new();
        if let Err(e) = probe.add_raw_template(name, src) {
            if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
                diags.extend(template_diagnostics(&e, &files, &sources));
                broken.push(name);
            }
        }
    }
    // Then all of them together: unknown templates, filters and tests are found here. A
    // template that did not parse stands in empty, so the others are still checked in the
    // same run.
    let all = sources.iter().map(|(k, v)| (k.as_str(), if broken.contains(&k.as_str()) { "" } else { v.as_str() }));
    if let Err(e) = tera.add_raw_templates(all) {
        diags.extend(template_diagnostics(&e, &files, &sources));
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(Templates { tera, files, sources })
}

/// Why a symlink in `static/` or `templates/` resolving to `target` must not be followed: it
/// leads nowhere, outside the project, or to a hidden file or folder of it (`.git/config`,
/// `.env`: where a CI checkout's token or a password lives). `None` when it may be followed.
pub fn link_problem(target: Option<&std::path::PathBuf>, canon_root: &Path) -> Option<String> {
    let Some(target) = target else { return Some("leads nowhere (its target does not exist)".into()) };
    let Ok(inside) = target.strip_prefix(canon_root) else {
        return Some(format!(
            "leads outside the project, to {}",
            crate::diagnostics::escape_controls(&target.display().to_string())
        ));
    };
    let hidden = inside.iter().any(|c| c.to_string_lossy().starts_with('.'));
    hidden.then(|| {
        format!(
            "leads to `{}`, a hidden file of the project (such as `.git/` or `.env`, which hold secrets)",
            crate::diagnostics::escape_controls(&inside.display().to_string())
        )
    })
}

/// Where a static file's bytes come from.
pub enum StaticSource {
    /// Built into the binary (the default theme).
    Builtin(&'static [u8]),
    /// A file in the project, copied without being held in memory whole.
    File(std::path::PathBuf),
}

/// The static files of the site, by output path (the project's `static/` over the theme's),
/// and the diagnostics about them: a symlink leading out of the project or a symlinked folder
/// is skipped with a warning, a FIFO or device with a warning (never opened), an unreadable
/// file is an error naming it. `check` and `build` list them the same way.
pub fn static_files(root: &Path, theme: &str) -> (BTreeMap<String, StaticSource>, Vec<Diagnostic>) {
    let mut out: BTreeMap<String, StaticSource> =
        BUILTIN_STATIC.iter().map(|(n, b)| (n.to_string(), StaticSource::Builtin(b))).collect();
    let mut diags = Vec::new();
    let mut dirs = vec!["static".to_string()];
    if theme != "default" {
        dirs.insert(0, format!("themes/{theme}/static"));
    }
    let canon_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for shown in dirs {
        let Some(dir) = crate::load::dir_in_project(root, &shown) else { continue };
        let walker =
            walkdir::WalkDir::new(&dir).follow_links(false).sort_by_file_name().into_iter().filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                e.depth() == 0 || !(name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp"))
            });
        for e in walker {
            let e = match e {
                Ok(e) => e,
                Err(err) => {
                    let p = err.path().map(|p| crate::load::rel_path(root, p)).unwrap_or_else(|| shown.clone());
                    diags.push(
                        Diagnostic::file_level(
                            Severity::Error,
                            &p,
                            format!("cannot read this folder: {}", crate::load::walk_error(&err)),
                            Some("check its permissions".into()),
                        )
                        .with_kind(Kind::Template),
                    );
                    continue;
                }
            };
            if e.depth() == 0 || e.file_type().is_dir() {
                continue;
            }
            let rel = crate::load::rel_path(&dir, e.path());
            let file = format!("{shown}/{rel}");
            let warn = |msg: &str, hint: &str| {
                Diagnostic::file_level(Severity::Warning, &file, msg, Some(hint.into())).with_kind(Kind::Template)
            };
            if e.path_is_symlink() {
                let target = e.path().canonicalize();
                if let Some(problem) = link_problem(target.as_ref().ok(), &canon_root) {
                    diags.push(
                        Diagnostic::file_level(
                            Severity::Error,
                            &file,
                            format!("this symlink {problem}, so it is not published"),
                            Some("copy the file you mean to publish into static/ instead of linking to it".into()),
                        )
                        .with_kind(Kind::Template),
                    );
                    continue;
                }
                if target.is_ok_and(|t| t.is_dir()) {
                    diags.push(warn("symlinked folders are not followed", "move the files into static/ instead"));
                    continue;
                }
            }
            match crate::load::open_regular(e.path()) {
                Ok(_) => {
                    out.insert(rel, StaticSource::File(e.path().to_path_buf()));
                }
                Err(err) if err.kind() == std::io::ErrorKind::Other => {
                    diags.push(warn(
                        "this is not a regular file (a FIFO, socket or device) and is skipped",
                        "static files must be regular files",
                    ));
                }
                Err(err) => diags.push(
                    Diagnostic::file_level(
                        Severity::Error,
                        &file,
                        format!("cannot read this static file: {err}"),
                        Some("check its permissions; a static file is never silently left out".into()),
                    )
                    .with_kind(Kind::Template),
                ),
            }
        }
    }
    (out, diags)
}
