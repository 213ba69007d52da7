//! `smarketing serve`: build in memory, serve on 127.0.0.1, rebuild when files change, and
//! reload the open page. Nothing is written to disk. A broken file never stops the server: the
//! browser shows the diagnostics until the file is fixed.
//!
//! Requests are answered only from the in-memory map of built files, so no path can reach
//! outside the site, whatever its encoding.

pub mod http;

use crate::diagnostics::{self, Diagnostic};
use crate::render;
use crate::site::Site;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// The path the reload script polls.
pub const VERSION_PATH: &str = "/__smarketing/version";

/// One file of the site as `serve` holds it: a page in memory, a static file by its path
/// (streamed from disk when asked for, so a 300 MB download is never held in memory).
pub enum Served {
    /// A rendered file.
    Bytes(Vec<u8>),
    /// A static file, copied from here.
    File(PathBuf),
}

/// The site as `serve` holds it: relative path -> file.
pub type ServedFiles = BTreeMap<String, Served>;

/// Collects the site for `serve`: rendered files in memory, static files by path.
#[derive(Default)]
struct ServeSink(std::sync::Mutex<ServedFiles>);

impl render::Sink for ServeSink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), crate::diagnostics::Problem> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_string(), Served::Bytes(bytes));
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), crate::diagnostics::Problem> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_string(), Served::File(from.to_path_buf()));
        Ok(())
    }
}

/// What the server currently answers with.
pub struct State {
    /// The last good build, if any.
    pub files: Option<Arc<ServedFiles>>,
    /// The diagnostics of the last build when it failed.
    pub errors: Vec<Diagnostic>,
    /// Bumped on every rebuild; the page reloads when it changes.
    pub version: u64,
}

/// The script injected into served HTML (never into `build` output): polls the version and
/// reloads the page when it differs from `version`, the one the page was served with. (Taking
/// the first poll's answer as the page's version missed a save made right after the page
/// opened: its rebuild could finish before that first poll.)
pub fn reload_script(version: u64) -> String {
    format!("<script>(function(){{var v='{version}';function poll(){{fetch('/__smarketing/version',{{cache:'no-store'}}).then(function(r){{return r.text()}}).then(function(t){{if(t!==v){{location.reload();return}}setTimeout(poll,400)}}).catch(function(){{setTimeout(poll,1000)}})}}poll()}})();</script>")
}

/// Builds the site of `root` in memory as of `as_of` (today in the local time zone when
/// `None`, read again at every rebuild so a server left running overnight moves on): the
/// files, or every diagnostic that stopped it.
pub fn build_in_memory(
    root: &Path,
    as_of: Option<jiff::civil::Date>,
) -> Result<(ServedFiles, Vec<Diagnostic>), Vec<Diagnostic>> {
    let site = Site::load(root, as_of.unwrap_or_else(crate::model::calendar::today), Some("http://127.0.0.1/"));
    if site.has_errors() {
        return Err(site.loaded.diags);
    }
    let sink = ServeSink::default();
    site.build(&sink)?;
    Ok((sink.0.into_inner().unwrap_or_else(|e| e.into_inner()), site.loaded.diags))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The page shown while the content has errors, at site version `version`.
pub fn error_page(diags: &[Diagnostic], version: u64) -> String {
    let mut items = String::new();
    for d in diags {
        let severity = match d.severity {
            diagnostics::Severity::Error => "error",
            diagnostics::Severity::Warning => "warning",
        };
        items.push_str(&format!(
            "<li class=\"{severity}\"><p><strong>{severity}</strong>: {}</p><p><code>{}:{}:{}</code></p>{}{}</li>",
            esc(&d.message),
            esc(&d.file),
            d.line,
            d.column,
            d.source_line.as_ref().map(|l| format!("<pre>{:>4} | {}</pre>", d.line, esc(l))).unwrap_or_default(),
            d.hint.as_ref().map(|h| format!("<p>help: {}</p>", esc(h))).unwrap_or_default(),
        ));
    }
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed · smarketing</title><style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}li{{margin:1rem 0;padding:.5rem 1rem;border-left:4px solid #D55E00;background:#fff3ec;color:#1a1d21}}li.warning{{border-color:#E69F00;background:#fff8e6}}pre{{background:#f3f5f7;padding:.5rem;overflow-x:auto}}</style></head><body><h1>The site could not be built</h1><p>{}. Fix the file and save: this page reloads by itself.</p><ol>{}</ol>{}</body></html>",
        esc(&diagnostics::summary(diags)),
        items,
        reload_script(version)
    )
}

/// Injects the reload script of site version `version` before `</body>`.
pub fn inject(html: &[u8], version: u64) -> Vec<u8> {
    let s = String::from_utf8_lossy(html);
    let script = reload_script(version);
    match s.rfind("</body>") {
        Some(i) => format!("{}{}{}", &s[..i], script, &s[i..]).into_bytes(),
        None => format!("{s}{script}").into_bytes(),
    }
}

/// The content type of a file by its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes; `None` for a malformed escape (`%zz`, a cut-off `%4`) or bytes that
/// are not UTF-8. (The `percent-encoding` crate decodes; it leaves malformed escapes as they
/// are, which a path must not silently do.)
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let malformed = b
        .iter()
        .enumerate()
        .any(|(i, &c)| c == b'%' && !b.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)));
    if malformed {
        return None;
    }
    percent_encoding::percent_decode(b).decode_utf8().ok().map(|c| c.into_owned())
}

/// Maps a request URL to a key of the site map, or `None` for a path that is not allowed
/// (`..`, `.`, backslashes, NUL, bad encoding): those are answered 400.
pub fn site_key(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    if !decoded.starts_with('/') || decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let segments: Vec<&str> = decoded[1..].split('/').collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return None;
    }
    let mut key = segments.join("/");
    if key.is_empty() || key.ends_with('/') {
        key.push_str("index.html");
    }
    Some(key)
}

/// An answer: status, content type, body.
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Content type.
    pub content_type: &'static str,
    /// The body.
    pub body: http::Body,
}

impl Answer {
    fn bytes(status: u16, content_type: &'static str, body: Vec<u8>) -> Answer {
        Answer { status, content_type, body: http::Body::Bytes(body) }
    }
}

/// Answers a GET for `url` from the current state.
pub fn answer(state: &State, url: &str) -> Answer {
    if url.split('?').next() == Some(VERSION_PATH) {
        return Answer::bytes(200, "text/plain; charset=utf-8", state.version.to_string().into_bytes());
    }
    let Some(key) = site_key(url) else {
        return Answer::bytes(
            400,
            "text/plain; charset=utf-8",
            b"400 bad request: that path is not allowed\n".to_vec(),
        );
    };
    if !state.errors.is_empty() && (key.ends_with(".html") || !key.contains('.')) {
        return Answer::bytes(500, "text/html; charset=utf-8", error_page(&state.errors, state.version).into_bytes());
    }
    let Some(files) = &state.files else {
        return Answer::bytes(500, "text/html; charset=utf-8", error_page(&state.errors, state.version).into_bytes());
    };
    let found = files.get(&key).map(|b| (key.clone(), b)).or_else(|| {
        let alt = format!("{key}/index.html");
        files.get(&alt).map(|b| (alt, b))
    });
    match found {
        Some((k, Served::Bytes(body))) if k.ends_with(".html") => {
            Answer::bytes(200, content_type(&k), inject(body, state.version))
        }
        Some((k, Served::Bytes(body))) => Answer::bytes(200, content_type(&k), body.clone()),
        // A static page is served as it is, without the reload script: streamed from disk.
        Some((k, Served::File(path))) => {
            Answer { status: 200, content_type: content_type(&k), body: http::Body::File(path.clone()) }
        }
        None => {
            let page = format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body><main class=\"wrap\"><h1>Not found</h1><p>There is no page at <code>{}</code>.</p><p><a href=\"/index.html\">Back to the overview</a></p></main></body></html>",
                esc(&key)
            );
            Answer::bytes(404, "text/html; charset=utf-8", inject(page.as_bytes(), state.version))
        }
    }
}

fn is_noise(p: &Path) -> bool {
    let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

fn rebuild(root: &Path, as_of: Option<jiff::civil::Date>, state: &RwLock<State>, quiet: bool) {
    let started = Instant::now();
    let result = build_in_memory(root, as_of);
    let mut s = state.write().unwrap_or_else(|e| e.into_inner());
    s.version += 1;
    match result {
        Ok((files, warnings)) => {
            if !quiet {
                diagnostics::print_human(&warnings);
                crate::say!("serve: rebuilt {} files in {} ms", files.len(), started.elapsed().as_millis());
            }
            s.files = Some(Arc::new(files));
            s.errors.clear();
        }
        Err(diags) => {
            diagnostics::print_human(&diags);
            crate::say!("serve: {}; the browser shows them until they are fixed", diagnostics::summary(&diags));
            s.errors = diags;
        }
    }
}

/// Whether a request's `Host` names the loopback address the server listens on: `127.0.0.1`
/// or `localhost`, with its port (or none). Anything else is refused, so a page of another
/// site whose name was rebound to 127.0.0.1 (DNS rebinding) cannot read the report.
pub fn host_allowed(host: &str, port: u16) -> bool {
    let host = host.to_ascii_lowercase();
    let (name, p) = match host.rsplit_once(':') {
        Some((name, p)) => (name, Some(p)),
        None => (host.as_str(), None),
    };
    matches!(name, "127.0.0.1" | "localhost") && p.is_none_or(|p| p == port.to_string())
}

/// Answers one request: method, `Host` and path checked, then [`answer`].
pub fn respond(state: &RwLock<State>, req: &http::Request, port: u16) -> http::Response {
    match &req.host {
        None => return http::Response::text(400, "400 bad request: one Host header is required\n"),
        Some(h) if !host_allowed(h, port) => {
            return http::Response::text(
                403,
                &format!("403 forbidden: this server answers only requests for http://127.0.0.1:{port}/\n"),
            )
        }
        Some(_) => {}
    }
    if req.method != "GET" && req.method != "HEAD" {
        return http::Response::text(405, "405 method not allowed\n");
    }
    let s = state.read().unwrap_or_else(|e| e.into_inner());
    let a = answer(&s, &req.target);
    http::Response { status: a.status, content_type: a.content_type, body: a.body }
}

/// Runs the server until the process is stopped. Returns an exit code when it cannot start.
pub fn run(root: PathBuf, port: u16, as_of: Option<jiff::civil::Date>, quiet: bool) -> u8 {
    let state = Arc::new(RwLock::new(State { files: None, errors: vec![], version: 0 }));
    // Watch before the first build and before the address is printed: an edit made while
    // the site builds, or right after the address shows, is never missed.
    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer = match notify_debouncer_full::new_debouncer(Duration::from_millis(80), None, tx) {
        Ok(d) => d,
        Err(e) => {
            crate::say!("error: cannot watch files: {e}");
            return 1;
        }
    };
    // The project folder itself (not recursively: its output and .git are no concern), so a
    // `static/` or `templates/` made after start, or a `content/` moved away and back, is
    // seen; each input folder recursively, watched again whenever it appears anew.
    if let Err(e) = debouncer.watch(&root, notify::RecursiveMode::NonRecursive) {
        crate::say!("warning: cannot watch {}: {e}", root.display());
    }
    let mut watched = std::collections::HashSet::new();
    rewatch(&root, &mut debouncer, &mut watched, &[]);
    rebuild(&root, as_of, &state, quiet);
    let cannot_listen = |e: std::io::Error| {
        crate::say!("error: cannot listen on 127.0.0.1:{port}: {e}\n  = help: another program may use that port; try `--port {}`", port.wrapping_add(1));
        1
    };
    let listener = match std::net::TcpListener::bind(("127.0.0.1", port)) {
        Ok(l) => l,
        Err(e) => return cannot_listen(e),
    };
    let actual = listener.local_addr().map(|a| a.port()).unwrap_or(port);
    let handler: http::Handler = {
        let state = Arc::clone(&state);
        Arc::new(move |req: &http::Request| respond(&state, req, actual))
    };
    if let Err(e) = http::spawn(listener, handler) {
        return cannot_listen(e);
    }
    crate::say!("serve: http://127.0.0.1:{actual}/ (Ctrl-C to stop; nothing is written to disk)");
    for events in rx {
        let Ok(events) = events else { continue };
        let changed: Vec<&PathBuf> = events
            .iter()
            .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
            .flat_map(|e| e.paths.iter())
            .filter(|p| !is_noise(p) && is_input(&root, p))
            .collect();
        if !changed.is_empty() {
            rewatch(&root, &mut debouncer, &mut watched, &changed);
            rebuild(&root, as_of, &state, quiet);
        }
    }
    0
}

/// The folders `serve` watches recursively.
const INPUTS: [&str; 4] = ["content", "themes", "templates", "static"];

/// Whether a changed path is in (or is) one of the project's input folders: the project
/// folder's other files (the output, `.git`) never start a rebuild.
fn is_input(root: &Path, p: &Path) -> bool {
    let Ok(rel) = p.strip_prefix(root) else { return true };
    rel.iter().next().is_some_and(|first| INPUTS.iter().any(|d| first == *d))
}

/// Watches each input folder that exists and is not watched yet, and watches again one that
/// `changed` names itself (moved away and back, deleted and made again: the old watch went
/// with the old folder).
fn rewatch(
    root: &Path,
    debouncer: &mut notify_debouncer_full::Debouncer<
        notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
    watched: &mut std::collections::HashSet<&'static str>,
    changed: &[&PathBuf],
) {
    for dir in INPUTS {
        let p = root.join(dir);
        let renewed = changed.iter().any(|c| **c == p);
        if watched.contains(dir) && !renewed && p.is_dir() {
            continue;
        }
        if watched.remove(dir) {
            let _ = debouncer.unwatch(&p);
        }
        if p.is_dir() {
            match debouncer.watch(&p, notify::RecursiveMode::Recursive) {
                Ok(()) => {
                    watched.insert(dir);
                }
                Err(e) => crate::say!("warning: cannot watch {}: {e}", p.display()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_never_leave_the_site() {
        assert_eq!(site_key("/").as_deref(), Some("index.html"));
        assert_eq!(site_key("/reports/2026-10/").as_deref(), Some("reports/2026-10/index.html"));
        assert_eq!(site_key("/style.css?v=1").as_deref(), Some("style.css"));
        assert_eq!(site_key("/meetings/a%20b/index.html").as_deref(), Some("meetings/a b/index.html"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2E%2E/x",
            "/..%2f..%2fetc",
            "/a\\..\\b",
            "/%00",
            "/%zz",
            "relative",
        ] {
            assert_eq!(site_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn script_only_in_served_html() {
        let html = inject(b"<html><body><p>x</p></body></html>", 3);
        let s = String::from_utf8(html).unwrap();
        assert!(s.contains("__smarketing/version"));
        assert!(s.ends_with("</script></body></html>"));
    }

    #[test]
    fn a_served_page_knows_the_version_it_was_served_with() {
        // A page reloads when the server's version differs from its own, even when the rebuild
        // finished before the page's first poll.
        let mut files = ServedFiles::new();
        files.insert("index.html".into(), Served::Bytes(b"<html><body>x</body></html>".to_vec()));
        let state = State { files: Some(Arc::new(files)), errors: vec![], version: 7 };
        let body = |a: Answer| match a.body {
            http::Body::Bytes(b) => String::from_utf8(b).unwrap(),
            _ => panic!("a page in memory"),
        };
        assert!(body(answer(&state, "/index.html")).contains("var v='7';"));
        assert!(body(answer(&state, "/no-such-page")).contains("var v='7';"));
        assert_eq!(body(answer(&state, VERSION_PATH)), "7");
        let d = Diagnostic::file_level(diagnostics::Severity::Error, "content/site.yaml", "x", None);
        let failed = State { files: None, errors: vec![d], version: 8 };
        assert!(body(answer(&failed, "/index.html")).contains("var v='8';"));
    }
}
