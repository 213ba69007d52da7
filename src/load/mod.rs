//! Load: the only stage that reads content. Walks `content/` in sorted order, parses every
//! file, validates it against the contract and returns the typed [`Project`] together with
//! every diagnostic found in every file.

pub mod content;
pub mod de;
pub mod fractions;
pub mod reader;
mod reviews;
pub mod yaml;

pub mod keep;
pub mod kinds;
pub mod markdown;
pub mod merge;
pub mod notes;
pub mod plan;
pub mod sample;
pub mod templates;

use crate::diagnostics::{self, Diagnostic, Severity};
use crate::model::calendar::Month;
use crate::model::{self, Project};
use de::Loc;
use reader::FileReader;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The longest span of funnel months, first to last (100 years): every chart and trend runs
/// over the whole span, so a typo like `0001-01` must not make a 10,000-year report.
pub const MAX_FUNNEL_MONTHS: i64 = 1200;

/// Largest content file read (bigger files are an error, not a slow build).
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// The result of loading a project: the model (complete only when there is no error), the
/// diagnostics, and how many content files were read.
pub struct Loaded {
    /// The validated model.
    pub project: Project,
    /// Every error and warning, sorted by file and position.
    pub diags: Vec<Diagnostic>,
    /// Content files read.
    pub files: usize,
    /// The theme's templates, parsed once here so that `check` reports what `build` would
    /// meet; `None` when they have errors (reported in `diags`).
    pub templates: Option<templates::Templates>,
}

impl Loaded {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(|d| d.severity == Severity::Error)
    }
}

/// What a content file is, decided by where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Site,
    Checklist,
    Funnel,
    Plan,
    Goals,
    Meeting,
    Personas,
    Commentary,
}

/// The folders of `content/` that hold content files.
const KNOWN_FOLDERS: [&str; 6] = ["funnel", "goals", "meetings", "personas", "plan", "reports"];

fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with(".#")
        || name.ends_with(".swp")
        || name.ends_with(".swx")
}

/// A file's extension in lower case: `2026-10-07-Sync.MD` (saved on Windows or macOS, where
/// names ignore case) is a meeting note like any `.md`, never silently skipped.
pub fn extension(path: &Path) -> String {
    path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default()
}

/// A file under `content/` in no folder of its kind (a `.yaml` at the top that is not
/// site.yaml or checklist.yaml, a `.md` outside meetings/ and reports/).
struct Misplaced;

/// What a file under `content/` is: `None` when it is no content file (not `.yaml`, `.yml` or
/// `.md`), else its kind or [`Misplaced`].
fn classify(rel_in_content: &Path) -> Option<Result<Kind, Misplaced>> {
    let ext = extension(rel_in_content);
    let is_yaml = ext == "yaml" || ext == "yml";
    let is_md = ext == "md";
    if !is_yaml && !is_md {
        return None;
    }
    let parts: Vec<&str> = rel_in_content.iter().filter_map(|p| p.to_str()).collect();
    let stem = rel_in_content.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let kind = match (parts.as_slice(), is_yaml) {
        ([_], true) if stem == "site" => Kind::Site,
        ([_], true) if stem == "checklist" => Kind::Checklist,
        (["funnel", .., _], true) => Kind::Funnel,
        (["plan", .., _], true) => Kind::Plan,
        (["goals", .., _], true) => Kind::Goals,
        (["personas", .., _], true) => Kind::Personas,
        (["meetings", .., _], _) => Kind::Meeting,
        (["reports", .., _], false) => Kind::Commentary,
        _ => return Some(Err(Misplaced)),
    };
    Some(Ok(kind))
}

/// What went wrong walking a folder, without the absolute path (the diagnostic names the
/// file relative to the project).
pub fn walk_error(e: &walkdir::Error) -> String {
    e.io_error().map(|io| io.to_string()).unwrap_or_else(|| e.to_string())
}

/// Turns a path into the project-relative form used in diagnostics (`content/x.yaml`).
pub fn rel_path(root: &Path, p: &Path) -> String {
    if let Some(rel) = plain_rel_path(root, p) {
        return rel.to_string();
    }
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.iter().map(shown_name).collect::<Vec<_>>().join("/")
}

/// [`rel_path`] without taking `p` apart, for the usual case (every path the walk of
/// `content/` makes): UTF-8 text that is `root`, a `/`, then names, none empty or `.`. The
/// result is then exactly what joining `p`'s components after `root` gives; any other path is
/// `None`. Taking paths apart component by component was a third of the walk's time on 10,000
/// notes.
fn plain_rel_path<'p>(root: &Path, p: &'p Path) -> Option<&'p str> {
    let (root, p) = (root.to_str()?, p.to_str()?);
    let rest = p.strip_prefix(root)?;
    let rest = if root.is_empty() || root.ends_with('/') { rest } else { rest.strip_prefix('/')? };
    rest.split('/').all(|name| !name.is_empty() && name != ".").then_some(rest)
}

/// A file name as text. A name that is not UTF-8 shows each byte that is not as `\xe4`
/// (`m\xe4rz.yaml`), so two such names never print the same, as they did with U+FFFD.
pub fn shown_name(name: &std::ffi::OsStr) -> std::borrow::Cow<'_, str> {
    if let Some(s) = name.to_str() {
        return s.into();
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        out.into()
    }
    #[cfg(not(unix))]
    name.to_string_lossy()
}

/// Opens a file for reading without ever blocking on it: a FIFO or device put in place of a
/// file (even after it was listed) is refused, not waited on.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    open_regular_sized(path).map(|(file, _)| file)
}

/// [`open_regular`], with the file's size as it was opened (read from the open file, so a
/// reader needs no second look at it).
pub fn open_regular_sized(path: &Path) -> std::io::Result<(std::fs::File, u64)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file (a FIFO, socket or device)"));
    }
    Ok((file, meta.len()))
}

/// What to do about a file that could not be opened or read, by why.
pub fn unreadable_hint(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "check the file's name and folder: nothing is there",
        std::io::ErrorKind::PermissionDenied => "check its permissions",
        _ => "check that it is a readable file",
    }
}

/// Why a content file could not be read as text: what and what to do, and where in the file
/// when the problem is a byte in it.
#[derive(Debug)]
pub struct ReadError {
    /// What went wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
    /// Line and column (from 1) of the offending byte, and the line up to it (lossy).
    pub at: Option<(usize, usize, String)>,
}

impl ReadError {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        ReadError { message: message.into(), hint: hint.into(), at: None }
    }

    /// The error as a diagnostic of the file `rel`: at the offending byte when there is one.
    pub fn diagnostic(self, rel: &str) -> Diagnostic {
        match self.at {
            Some((line, col, quoted)) => {
                let mut d =
                    Diagnostic::at_unquoted(Severity::Error, rel, (line, col, 1), self.message, Some(self.hint))
                        .with_kind(diagnostics::Kind::File);
                d.source_line = Some(quoted);
                d
            }
            None => Diagnostic::file_level(Severity::Error, rel, self.message, Some(self.hint))
                .with_kind(diagnostics::Kind::File),
        }
    }
}

/// Line and column (from 1, columns in characters) of byte `offset` of `bytes`, whose part
/// before `offset` is valid UTF-8, and that line as text (invalid bytes shown as U+FFFD).
fn byte_place(bytes: &[u8], offset: usize) -> (usize, usize, String) {
    let line_start = bytes[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    let col = String::from_utf8_lossy(&bytes[line_start..offset]).chars().count() + 1;
    let line_end = bytes[offset..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| offset + i);
    let quoted = String::from_utf8_lossy(&bytes[line_start..line_end]).trim_end().to_string();
    (line, col, quoted)
}

/// Reads a file as UTF-8 text within the size limit; a leading BOM is dropped.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    use std::io::Read;
    let cannot = |e: std::io::Error| ReadError::new(format!("cannot read this file: {e}"), unreadable_hint(&e));
    // One open, its size from the open file, one read: no second lookup of the path.
    let (mut file, len) = open_regular_sized(path).map_err(cannot)?;
    let too_large = |len: u64| {
        Err(ReadError::new(
            format!(
                "this file is {} MiB, larger than the {} MiB limit for a content file",
                len / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            "split it into several files",
        ))
    };
    if len > MAX_FILE_BYTES {
        return too_large(len);
    }
    let mut bytes = Vec::with_capacity(len as usize + 1);
    // A file that grows while it is read stops at the limit.
    (&mut file).take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return too_large(bytes.len() as u64);
    }
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(ReadError::new(
            "this file is UTF-16 text (it starts with a UTF-16 byte order mark)",
            "save it as UTF-8 (in most editors: Save As, encoding UTF-8)",
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        ReadError {
            message: format!("this file is not UTF-8 text: the byte 0x{:02X} here is not UTF-8", bytes[offset]),
            hint: "save it as UTF-8 (a file saved as Latin-1 or Windows-1252 has such bytes for letters like é); binary files do not belong in content/".into(),
            at: Some(byte_place(&bytes, offset)),
        }
    })?;
    if let Some(offset) = text.find('\0') {
        return Err(ReadError {
            message: "this file contains a NUL byte: it looks binary, not text".into(),
            hint: "save it as UTF-8 text".into(),
            at: Some(byte_place(text.as_bytes(), offset)),
        });
    }
    Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text))
}

/// Splits `---` front matter from a markdown file: (yaml, line offset of the yaml, body).
pub fn split_front_matter(text: &str) -> Option<(&str, usize, &str)> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let rest = &text[first_end + 1..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Some((yaml, 1, body));
        }
        offset += line.len();
    }
    None
}

struct Found {
    kind: Kind,
    path: PathBuf,
    rel: String,
}

/// What one file holds, before cross-file checks.
enum Payload {
    None,
    Funnel(Vec<merge::Entry>),
    Plan(Vec<(model::PlanMonth, Loc)>),
    Goals(Vec<(model::Goal, Loc)>),
    Personas(Vec<(model::Persona, Loc)>),
    Meeting(Box<model::Meeting>),
    Checklist(Vec<model::ChecklistItem>, Vec<model::ChecklistMonth>),
    Commentary(model::Commentary),
    QuarterCommentary(model::QuarterCommentary),
}

/// One file read and checked on its own.
struct Parsed {
    rel: String,
    /// The file's text, for the merge's diagnostics (empty for a meeting, which needs none).
    text: String,
    diags: Vec<Diagnostic>,
    payload: Payload,
}

/// Reads and checks one (non-site) content file against the site settings; content dated
/// after `as_of` is left out with a warning.
fn parse_file(f: &Found, site: &model::Site, as_of: jiff::civil::Date) -> Parsed {
    let text = match read_text(&f.path) {
        Ok(t) => t,
        Err(e) => {
            return Parsed {
                rel: f.rel.clone(),
                text: String::new(),
                diags: vec![e.diagnostic(&f.rel)],
                payload: Payload::None,
            }
        }
    };
    let mut r = FileReader::new(&f.rel, &text);
    let payload = match f.kind {
        Kind::Site => Payload::None,
        Kind::Funnel => match kinds::parse_yaml(&mut r, &text, 0) {
            Some(node) => Payload::Funnel(kinds::funnel(&mut r, &node, site)),
            None => Payload::None,
        },
        Kind::Plan => match kinds::parse_yaml(&mut r, &text, 0) {
            Some(node) => Payload::Plan(plan::plan(&mut r, &node, site)),
            None => Payload::None,
        },
        Kind::Goals => match kinds::parse_yaml(&mut r, &text, 0) {
            Some(node) => Payload::Goals(kinds::goals(&mut r, &node, site, Month::of(as_of))),
            None => Payload::None,
        },
        Kind::Personas => match kinds::parse_yaml(&mut r, &text, 0) {
            Some(node) => Payload::Personas(kinds::personas(&mut r, &node)),
            None => Payload::None,
        },
        Kind::Meeting => {
            // Composed (NFC), like every name: `Café` typed on Linux and on a Mac (decomposed)
            // are one page name, and one folder on macOS, where the second replaced the first.
            let slug = f.path.file_stem().map(|s| yaml::nfc(s.to_string_lossy().to_string())).unwrap_or_default();
            match notes::meeting(&mut r, &text, &slug, extension(&f.path) == "md", site, as_of) {
                Some(m) => Payload::Meeting(Box::new(m)),
                None => Payload::None,
            }
        }
        Kind::Checklist => match kinds::parse_yaml(&mut r, &text, 0) {
            Some(node) => {
                let (items, months) = kinds::checklist(&mut r, &node);
                Payload::Checklist(items, months)
            }
            None => Payload::None,
        },
        Kind::Commentary => {
            let stem = f.path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
            match (Month::parse(&stem), model::calendar::Quarter::parse(&stem)) {
                (None, None) => {
                    r.diags.push(Diagnostic::file_level(
                        Severity::Error,
                        &f.rel,
                        format!("a monthly commentary must be named YYYY-MM.md (a quarter's YYYY-Qn.md), found `{stem}.md`"),
                        Some("rename it after its month, like `content/reports/2026-10.md`, or its quarter, like `content/reports/2026-Q4.md`".into()),
                    ).with_kind(diagnostics::Kind::File));
                    Payload::None
                }
                (Some(month), _) => {
                    notes::commentary(&mut r, &text, month).map(Payload::Commentary).unwrap_or(Payload::None)
                }
                (None, Some(q)) => notes::commentary(&mut r, &text, q.months()[0])
                    .map(|c| {
                        Payload::QuarterCommentary(model::QuarterCommentary {
                            quarter: q,
                            title: c.title,
                            body: c.body,
                        })
                    })
                    .unwrap_or(Payload::None),
            }
        }
    };
    let diags = r.finish();
    // The merge points into the text of funnel, plan, goal and persona files only; a meeting's
    // text is freed here, on this thread, instead of living on until the merge (a 10,000-note
    // project held every note twice, whole and as its notes).
    let text = if matches!(payload, Payload::Meeting(_)) { String::new() } else { text };
    Parsed { rel: f.rel.clone(), text, diags, payload }
}

/// The folder `rel` of the project at `root`, when it is one and lies inside the project once
/// every symlink on the way is followed: a `static/` (or `themes/x/`) that is a symlink leading
/// out of the project is not used, exactly like a symlinked file inside it.
pub fn dir_in_project(root: &Path, rel: &str) -> Option<PathBuf> {
    let path = root.join(rel);
    let canon_root = root.canonicalize().ok()?;
    let target = path.canonicalize().ok()?;
    (target.starts_with(&canon_root) && target.is_dir()).then_some(path)
}

/// Warnings for the top-level folders that are symlinks leading out of the project (or
/// nowhere): they are not followed.
fn top_level_symlinks(root: &Path) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for name in ["content", "static", "templates", "themes"] {
        let is_link = std::fs::symlink_metadata(root.join(name)).map(|m| m.file_type().is_symlink()).unwrap_or(false);
        if is_link && dir_in_project(root, name).is_none() {
            diags.push(
                Diagnostic::file_level(
                    Severity::Warning,
                    name,
                    format!("`{name}/` is a symlink leading outside the project (or nowhere) and is not followed"),
                    Some(format!(
                        "make `{name}/` a real folder inside the project, or point the symlink at one inside it"
                    )),
                )
                .with_kind(diagnostics::Kind::File),
            );
        }
    }
    diags
}

/// A file that is not a regular file (a FIFO, socket or device): never opened, so nothing can
/// hang on it.
fn not_regular(rel: &str) -> Diagnostic {
    Diagnostic::file_level(
        Severity::Warning,
        rel,
        "this is not a regular file (a FIFO, socket or device) and is skipped",
        Some("content, template and static files must be regular files".into()),
    )
    .with_kind(diagnostics::Kind::File)
}

/// The one duplicate-id check of the load: records where `key` (a plan month, a goal id, a
/// persona id) is first seen as "file:line" and returns that earlier place when it was seen
/// before, so the repeat's error can name both.
fn seen_before<K: Ord>(seen: &mut BTreeMap<K, String>, key: K, rel: &str, loc: &Loc) -> Option<String> {
    match seen.entry(key) {
        std::collections::btree_map::Entry::Occupied(e) => Some(e.get().clone()),
        std::collections::btree_map::Entry::Vacant(v) => {
            v.insert(format!("{rel}:{}", loc.line));
            None
        }
    }
}

/// Loads and validates the project at `root` as of the date `as_of` (docs/figures.md#the-as-of-date): meetings
/// dated after it, and funnel months and check-ins after its month, are left out of the model
/// with a warning at their date.
pub fn load(root: &Path, as_of: jiff::civil::Date) -> Loaded {
    let mut diags = top_level_symlinks(root);
    let content = root.join("content");
    let mut found: Vec<Found> = Vec::new();
    if dir_in_project(root, "content").is_none() {
        diags.push(
            Diagnostic::file_level(
                Severity::Error,
                "content",
                format!("no `content/` folder in {}", root.display()),
                Some("run `smarketing init DIR` to start a project, or pass `--root DIR` pointing at one".into()),
            )
            .with_kind(diagnostics::Kind::File),
        );
    } else {
        let canon_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let walker = walkdir::WalkDir::new(&content)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let p = e.path().map(|p| rel_path(root, p)).unwrap_or_else(|| "content".into());
                    diags.push(
                        Diagnostic::file_level(
                            Severity::Error,
                            &p,
                            format!("cannot read this folder: {}", walk_error(&e)),
                            Some("check its permissions".into()),
                        )
                        .with_kind(diagnostics::Kind::File),
                    );
                    continue;
                }
            };
            if entry.depth() == 0 {
                continue;
            }
            let path = entry.path().to_path_buf();
            let rel = rel_path(root, &path);
            if entry.path_is_symlink() {
                let target = path.canonicalize();
                let inside = target.as_ref().map(|t| t.starts_with(&canon_root)).unwrap_or(false);
                if !inside {
                    diags.push(
                        Diagnostic::file_level(
                            Severity::Warning,
                            &rel,
                            "this symlink leads outside the project (or nowhere) and is not followed",
                            Some("copy the file into the project instead of linking to it".into()),
                        )
                        .with_kind(diagnostics::Kind::File),
                    );
                    continue;
                }
                let meta = target.and_then(std::fs::metadata);
                if meta.as_ref().map(|m| m.is_dir()).unwrap_or(false) {
                    diags.push(
                        Diagnostic::file_level(
                            Severity::Warning,
                            &rel,
                            "symlinked folders are not followed",
                            Some("move the files into content/ instead".into()),
                        )
                        .with_kind(diagnostics::Kind::File),
                    );
                    continue;
                }
                if !meta.map(|m| m.is_file()).unwrap_or(false) {
                    diags.push(not_regular(&rel));
                    continue;
                }
            } else if entry.file_type().is_dir() {
                // `mkdir content/site.yaml` and the like: settings or notes that are not there.
                if matches!(extension(&path).as_str(), "md" | "yaml" | "yml") {
                    diags.push(
                        Diagnostic::file_level(
                            Severity::Warning,
                            &rel,
                            "this is a folder, not a file, and is ignored",
                            Some(
                                "content files are files; remove the folder or rename it without the extension".into(),
                            ),
                        )
                        .with_kind(diagnostics::Kind::File),
                    );
                }
                continue;
            } else if !entry.file_type().is_file() {
                diags.push(not_regular(&rel));
                continue;
            }
            // A UTF-8 path's `rel` is `content/` and the names inside it.
            let in_content = match rel.strip_prefix("content/") {
                Some(inside) if path.to_str().is_some() => Path::new(inside),
                _ => path.strip_prefix(&content).unwrap_or(&path),
            };
            if in_content.iter().any(|c| c.to_str().is_none())
                && matches!(extension(&path).as_str(), "md" | "yaml" | "yml")
            {
                // Skipping it would drop its months or meeting without a word.
                diags.push(Diagnostic::file_level(
                    Severity::Error,
                    &rel,
                    "this file's name (or its folder's) is not UTF-8 text, so it cannot be read as content",
                    Some("rename it with UTF-8 characters: a name from an old Windows or Mac system or a ZIP file keeps its Latin-1 bytes (`\\xe4` is `ä`)".into()),
                ));
                continue;
            }
            let top_name = entry.depth() == 1 && KNOWN_FOLDERS.contains(&entry.file_name().to_string_lossy().as_ref());
            match classify(in_content) {
                None if top_name => diags.push(Diagnostic::file_level(
                    Severity::Warning,
                    &rel,
                    "this is a file, not a folder, and is ignored",
                    Some(format!("make `{rel}/` a folder and put the files in it")),
                ).with_kind(diagnostics::Kind::File)),
                None => {}
                Some(Err(Misplaced)) => diags.push(Diagnostic::file_level(
                    Severity::Warning,
                    &rel,
                    "this file is not in a known content folder and is ignored",
                    Some("content files go in content/funnel/, goals/, meetings/, personas/, plan/, reports/, or are content/site.yaml and content/checklist.yaml".into()),
                ).with_kind(diagnostics::Kind::File)),
                Some(Ok(kind)) => found.push(Found { kind, path, rel }),
            }
        }
    }

    let mut project = Project { as_of, ..Project::default() };
    // Whether the theme site.yaml names exists (reported at its `theme:` line when not).
    let mut theme_found = true;
    let files = found.len();
    // site.yaml first, on its own: stages and teams are needed to check everything else.
    found.sort_by(|a, b| (a.kind != Kind::Site, &a.rel).cmp(&(b.kind != Kind::Site, &b.rel)));
    let site_files: Vec<&Found> = found.iter().filter(|f| f.kind == Kind::Site).collect();
    for (n, f) in site_files.iter().enumerate() {
        match read_text(&f.path) {
            Err(e) => diags.push(e.diagnostic(&f.rel)),
            Ok(text) => {
                let mut r = FileReader::new(&f.rel, &text);
                if n > 0 {
                    r.diags.push(
                        Diagnostic::file_level(
                            Severity::Error,
                            &f.rel,
                            "a second site settings file",
                            Some("keep only content/site.yaml".into()),
                        )
                        .with_kind(diagnostics::Kind::File),
                    );
                } else if let Some(node) = kinds::parse_yaml(&mut r, &text, 0) {
                    let (site, theme_at) = kinds::site(&mut r, &node);
                    project.site = site;
                    theme_found = theme_exists(root, &project.site.theme, theme_at, &mut r);
                }
                diags.append(&mut r.finish());
            }
        }
    }
    // Every other file is read and checked in parallel, then merged in path order. The theme's
    // templates need none of them: they are parsed beside them instead of after the merge.
    let site = project.site.clone();
    let (parsed, templates): (Vec<Parsed>, _) = rayon::join(
        || {
            use rayon::prelude::*;
            found.par_iter().filter(|f| f.kind != Kind::Site).map(|f| parse_file(f, &site, as_of)).collect()
        },
        || theme_found.then(|| templates::load(root, &site.theme)),
    );
    // Where each month, goal id and persona id was first seen ("file:line"), so a repeat can
    // name the other place exactly.
    let mut merger = merge::Merger::default();
    // Whether init's sample funnel is still there, and how many other funnel files there are.
    let (mut sample_left, mut other_funnel_files) = (false, 0);
    // Whether init's sample plan is still there, and whether the sample funnel file is (its
    // numbers made the team's own, it is a funnel file of theirs).
    let (mut sample_plan_left, mut sample_file) = (false, false);
    let mut funnel_texts: HashMap<String, String> = Default::default();
    let mut plan_at: BTreeMap<Month, String> = BTreeMap::new();
    // Looked up, never listed: hash maps (a sorted map compared the long page names 14 times
    // per meeting).
    // Room for every meeting at once: growing the list moved each one again and again, and
    // growing a map hashed every name again.
    let meetings = parsed.iter().filter(|p| matches!(p.payload, Payload::Meeting(_))).count();
    project.meetings.reserve(meetings);
    let mut slugs: HashMap<String, String, ahash::RandomState> =
        HashMap::with_capacity_and_hasher(meetings, Default::default());
    let mut folded_slugs: HashMap<String, (String, String), ahash::RandomState> =
        HashMap::with_capacity_and_hasher(meetings, Default::default());
    let mut goal_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut commentary_months: BTreeMap<Month, String> = BTreeMap::new();
    let mut persona_ids: BTreeMap<String, String> = BTreeMap::new();
    for p in parsed {
        let Parsed { rel, text, diags: mut file_diags, payload } = p;
        let dup = |loc: &Loc, msg: String, hint: &str| {
            Diagnostic::at(Severity::Error, &rel, &text, loc.line, loc.col, loc.width, msg, Some(hint.to_string()))
        };
        match payload {
            Payload::None => {}
            Payload::Funnel(entries) => {
                if rel == sample::SAMPLE_FILE {
                    sample_file = true;
                    sample_left = sample::holds_sample(&entries);
                } else {
                    other_funnel_files += 1;
                }
                merge::add_file(&mut merger, &rel, &text, entries, &site, as_of, &mut file_diags);
                funnel_texts.insert(rel.clone(), text.clone());
            }
            Payload::Plan(months) => {
                if rel == sample::SAMPLE_PLAN_FILE {
                    let plan: Vec<&crate::model::PlanMonth> = months.iter().map(|(pm, _)| pm).collect();
                    sample_plan_left = sample::holds_sample_plan(&plan, &site);
                }
                for (pm, loc) in months {
                    if let Some(other) = seen_before(&mut plan_at, pm.month, &rel, &loc) {
                        file_diags.push(dup(
                            &loc,
                            format!("the plan for {} appears twice: also in {other}", pm.month),
                            "each month's plan belongs in one place; remove or merge one of them",
                        ));
                    } else {
                        project.plan.push(pm);
                    }
                }
            }
            Payload::Goals(goals) => {
                for (g, loc) in goals {
                    if let Some(other) = seen_before(&mut goal_ids, g.id.clone(), &rel, &loc) {
                        file_diags.push(dup(
                            &loc,
                            format!("goal id `{}` is used twice: also in {other}", g.id),
                            "give each goal its own id",
                        ));
                    } else {
                        project.goals.push(g);
                    }
                }
            }
            Payload::Personas(personas) => {
                for (pe, loc) in personas {
                    if let Some(other) = seen_before(&mut persona_ids, pe.id.clone(), &rel, &loc) {
                        file_diags.push(dup(
                            &loc,
                            format!("persona id `{}` is used twice: also in {other}", pe.id),
                            "give each persona its own id",
                        ));
                    } else {
                        project.personas.push(pe);
                    }
                }
            }
            Payload::Meeting(m) => {
                if let Some(other) = slugs.get(&m.slug) {
                    let msg = format!("two meetings have the page name `{}`: this file and {other}", m.slug);
                    file_diags.push(
                        Diagnostic::file_level(
                            Severity::Error,
                            &rel,
                            msg,
                            Some("rename one of the files; the file name (without extension) is the page name".into()),
                        )
                        .with_kind(diagnostics::Kind::Duplicate),
                    );
                } else {
                    // Pages whose names differ only in case are one folder on macOS and
                    // Windows: the second would silently replace the first there.
                    let folded = m.slug.to_lowercase();
                    if let Some((other_slug, other)) = folded_slugs.get(&folded) {
                        file_diags.push(Diagnostic::file_level(
                            Severity::Warning,
                            &rel,
                            format!(
                                "the page names `{}` and `{other_slug}` ({other}) differ only in case: where file names ignore case (macOS, Windows) one page would replace the other",
                                m.slug
                            ),
                            Some("rename one of the files".into()),
                        ).with_kind(diagnostics::Kind::Duplicate));
                    } else {
                        folded_slugs.insert(folded, (m.slug.clone(), rel.clone()));
                    }
                    slugs.insert(m.slug.clone(), rel.clone());
                    project.meetings.push(*m);
                }
            }
            Payload::Checklist(items, months) => {
                project.checklist_items = items;
                project.checklist_months = months;
            }
            Payload::QuarterCommentary(c) => project.quarter_commentaries.push(c),
            Payload::Commentary(c) => {
                if let Some(other) = commentary_months.get(&c.month) {
                    let msg = format!("two commentaries for {}: also {other}", c.month);
                    file_diags.push(
                        Diagnostic::file_level(Severity::Error, &rel, msg, Some("keep one file per month".into()))
                            .with_kind(diagnostics::Kind::Duplicate),
                    );
                } else {
                    commentary_months.insert(c.month, rel.clone());
                    project.commentaries.push(c);
                }
            }
        }
        diags.append(&mut file_diags);
    }
    if sample_left && other_funnel_files > 0 {
        diags.push(sample::warning(other_funnel_files));
    }
    let own_funnel_files = other_funnel_files + usize::from(sample_file && !sample_left);
    if sample_plan_left && own_funnel_files > 0 {
        diags.push(sample::plan_warning(own_funnel_files));
    }
    // Months merged across files (in path order), then checked as merged.
    let merged = merger.finish(&site);
    diags.extend(merge::checks(&merged, &site, &funnel_texts));
    drop(funnel_texts);
    let mut funnel_at: BTreeMap<Month, (String, usize, usize)> = BTreeMap::new();
    for m in merged {
        if m.month.month <= Month::of(as_of) {
            funnel_at.insert(m.month.month, (m.first.file.clone(), m.first.loc.line, m.first.loc.col));
            project.funnel.push(m.month);
        }
    }
    project.plan.sort_by_key(|f| f.month);
    if let (Some((first, (file, line, col))), Some((last, (last_file, ..)))) =
        (funnel_at.first_key_value(), funnel_at.last_key_value())
    {
        let span = first.span_to(*last);
        if span > MAX_FUNNEL_MONTHS {
            diags.push(Diagnostic::at_unquoted(
                Severity::Error,
                file,
                (*line, *col, 7),
                format!(
                    "the funnel months span {span} months, from {first} to {last}: more than the {MAX_FUNNEL_MONTHS} months (100 years) a report covers"
                ),
                Some(format!("check the year of {first} (and of {last}, in {last_file})")),
            ));
            // Every page and chart runs over the whole span: nothing is built from it.
            project.funnel.clear();
        }
    }
    project.meetings.sort_by(|a, b| (a.date, &a.slug).cmp(&(b.date, &b.slug)));
    project.commentaries.sort_by_key(|c| c.month);
    project.quarter_commentaries.sort_by_key(|c| c.quarter);
    cross_checks(&project, &mut diags);
    // The theme's templates are part of the project: a template that does not parse, or that
    // names one that does not exist, is an error of `check` as of `build`.
    let templates = match templates {
        Some(Ok(t)) => Some(t),
        Some(Err(ds)) => {
            diags.extend(ds);
            None
        }
        None => None,
    };
    diagnostics::sort(&mut diags);
    Loaded { project, diags, files, templates }
}

/// Whether the theme that site.yaml names exists; if not, an error at its `theme:` value.
fn theme_exists(root: &Path, theme: &str, theme_at: Option<Loc>, r: &mut FileReader) -> bool {
    if theme == "default" || root.join("themes").join(theme).join("templates").is_dir() {
        return true;
    }
    if let Some(at) = theme_at {
        r.error_at(
            at,
            format!("theme `{theme}` not found: there is no themes/{theme}/templates/ folder"),
            "use `theme: default`, or create the theme with `smarketing theme export themes/NAME`",
        );
    }
    false
}

/// Checks that span several files.
fn cross_checks(p: &Project, diags: &mut Vec<Diagnostic>) {
    let months = p.report_months();
    for cm in &p.checklist_months {
        if !months.contains(&cm.month) {
            let mut d = Diagnostic::file_level(
                Severity::Warning,
                "content/checklist.yaml",
                format!("the checklist assesses {}, a month with no report (no funnel data and no meetings)", cm.month),
                Some("check the month, or add that month's funnel numbers or meetings".into()),
            );
            (d.line, d.column, d.width) = (cm.at.0, cm.at.1, 7);
            diags.push(d);
        }
    }
    for c in &p.commentaries {
        if !months.contains(&c.month) {
            diags.push(Diagnostic::file_level(
                Severity::Warning,
                &format!("content/reports/{}.md", c.month),
                format!(
                    "commentary for {}, a month with no report (no funnel data and no meetings), so it is not shown",
                    c.month
                ),
                Some("check the file name, or add that month's funnel numbers or meetings".into()),
            ));
        }
    }
    let quarters = p.funnel_quarters();
    for c in &p.quarter_commentaries {
        if !quarters.contains(&c.quarter) {
            diags.push(Diagnostic::file_level(
                Severity::Warning,
                &format!("content/reports/{}.md", c.quarter),
                format!(
                    "commentary for {}, a quarter with no funnel data (so no quarter review), so it is not shown",
                    c.quarter
                ),
                Some("check the file name, or add funnel numbers for a month of that quarter".into()),
            ));
        }
    }
    if !p.site.both_sides_have_members() {
        diags.push(Diagnostic::file_level(
            Severity::Warning,
            "content/site.yaml",
            "the marketing or sales team lists no members, so no meeting can be recognised as joint",
            Some(
                "list each team's people under `teams: {marketing: {members: [...]}, sales: {members: [...]}}`".into(),
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick form of `rel_path` gives exactly what taking the path apart gives, and steps
    /// aside for every path it would get wrong.
    #[test]
    fn rel_path_is_the_same_with_and_without_the_quick_form() {
        let slow = |root: &Path, p: &Path| {
            let rel = p.strip_prefix(root).unwrap_or(p);
            rel.iter().map(shown_name).collect::<Vec<_>>().join("/")
        };
        let cases = [
            ("proj", "proj/content/meetings/a.md"),
            ("proj/", "proj/content/site.yaml"),
            ("./proj", "./proj/content/x.md"),
            (".", "./content/x.md"),
            ("", "content/x.md"),
            ("/", "/content/x.md"),
            ("/tmp/p", "/tmp/project/content/x.md"),
            ("/tmp/p", "/tmp/p"),
            ("/tmp/p/", "/tmp/p/"),
            ("a//b", "a//b/content/x.md"),
            ("a/b", "a/b//content/./x.md"),
            ("a/./b", "a/./b/content/x.md"),
            ("a", "a/content/../x.md"),
            ("a", "a/content/x.md/"),
            ("a", "b/content/x.md"),
        ];
        for (root, p) in cases {
            let (root, p) = (Path::new(root), Path::new(p));
            assert_eq!(rel_path(root, p), slow(root, p), "{root:?} {p:?}");
        }
        // The cases the quick form must leave to the slow one.
        assert_eq!(plain_rel_path(Path::new("/tmp/p"), Path::new("/tmp/project/content")), None);
        assert_eq!(plain_rel_path(Path::new("a/b"), Path::new("a/b//content/./x.md")), None);
        assert_eq!(plain_rel_path(Path::new("proj"), Path::new("proj/content/a.md")), Some("content/a.md"));
    }
}
