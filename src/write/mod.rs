//! Write: the only stage that writes the site to disk. The whole site is written into a sibling
//! temporary folder, then swapped in with renames, so a failed or killed build leaves the
//! previous output as it was. A manifest file in the output (the marker) lists every file the
//! build wrote, so the next build can tell its own files from a user's, and refuse rather than
//! delete what it did not write. Builds into one output take a lock, so two at once never
//! publish a partial site.

mod in_place;

use crate::diagnostics::Problem;
use std::fs;
use std::path::{Path, PathBuf};

pub use crate::load::keep::MARKER;

/// At most this many unknown paths are named when an output folder is refused.
const NAMED: usize = 10;

/// `p` as an absolute path with every symlink and `..` resolved the way the system resolves
/// them: component by component, each existing prefix canonicalised, so `nothere/../templates`
/// is `templates` (it once slipped past the checks as written) and a symlink met after a `..`
/// is followed. The part past the last existing folder is kept as written, minus `.` and `..`.
fn absolute(p: &Path) -> PathBuf {
    use std::path::Component;
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(p)).unwrap_or_else(|_| p.to_path_buf())
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c),
            Component::CurDir => {}
            // `out` is canonical while it exists, so dropping its last part is the parent.
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
        }
    }
    out
}

/// Checks where `output` sits, before anything is read: never the project or a folder that
/// contains it, never inside `content/`, `static/`, `templates/` or `themes/` (the site would
/// nest itself or old pages would become templates), never a file. Returns the absolute path.
pub fn check_target(root: &Path, output: &Path) -> Result<PathBuf, Problem> {
    let out = absolute(output);
    let root = absolute(root);
    if out == root || root.starts_with(&out) {
        return Err(Problem {
            message: format!("refusing to write the site into {}: it contains the project", out.display()),
            hint: "pick an output folder inside or beside the project, like `public/`".into(),
        });
    }
    for dir in ["content", "static", "templates", "themes"] {
        if out.starts_with(root.join(dir)) {
            return Err(Problem {
                message: format!("refusing to write the site into {}: it is inside {dir}/", out.display()),
                hint: format!(
                    "pick an output folder outside {dir}/, like `public/`: the next build would read the site back in"
                ),
            });
        }
    }
    let name_len = out.file_name().map(|n| n.len()).unwrap_or(0);
    if name_len > MAX_NAME {
        return Err(Problem {
            message: format!(
                "the output folder's name is {name_len} bytes long; the build needs a temporary folder beside it named after it, which would pass the 255-byte limit on file names"
            ),
            hint: format!("pick an output folder whose name is at most {MAX_NAME} bytes"),
        });
    }
    if out.exists() && !out.is_dir() {
        return Err(Problem {
            message: format!("{} is a file, not a folder", out.display()),
            hint: "pick another output path".into(),
        });
    }
    Ok(out)
}

/// Longest output folder name: the staging folder beside it, `.NAME.smarketing-tmp-PID`, must
/// stay within 255 bytes.
const MAX_NAME: usize = 200;

/// What the previous build wrote into `out`: `None` when it holds no marker, `Some(None)` for a
/// marker of version 1 without a manifest (everything counts as written); an error for a marker
/// that is neither.
fn manifest(out: &Path) -> Result<Option<Option<std::collections::HashSet<String>>>, Problem> {
    let path = out.join(MARKER);
    if fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    // Opened without blocking and only when it is a regular file: a FIFO put there hung the
    // build forever.
    let text = match crate::load::open_regular(&path) {
        Ok(mut f) => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut f, &mut text).ok().map(|_| text)
        }
        Err(e) if e.kind() == std::io::ErrorKind::Other => {
            return Err(Problem {
                message: format!(
                    "{} is not a regular file (a FIFO, socket or device), so smarketing cannot tell its own files from yours",
                    crate::diagnostics::escape_controls(&path.display().to_string())
                ),
                hint: format!("remove {MARKER} from the output folder (or pick another output) and build again"),
            })
        }
        Err(_) => None,
    };
    let Some(text) = text else { return Ok(None) };
    let files = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("files").and_then(|f| f.as_array()).cloned())
        .map(|files| files.iter().filter_map(|f| f.as_str().map(str::to_string)).collect());
    match files {
        Some(files) => Ok(Some(Some(files))),
        // Version 1 wrote this sentence and no list: all of such a folder is its site.
        None if text.starts_with(OLD_MARKER) => Ok(Some(None)),
        // Anything else is a damaged marker: taking everything as written would delete the
        // user's files with the old site.
        None => Err(Problem {
            message: format!(
                "{} holds a damaged {MARKER} (not the list of files a build writes), so smarketing cannot tell its own files from yours",
                out.display()
            ),
            hint: format!("move your own files out of the folder, then delete {MARKER} (or the whole folder) and build again"),
        }),
    }
}

/// What version 1 wrote into its marker instead of a manifest.
const OLD_MARKER: &str = "This folder was written by `smarketing build`";

/// Whether `rel` is a kept path or lies inside one.
fn is_kept(rel: &str, keep: &[String]) -> bool {
    keep.iter().any(|k| rel == k || rel.strip_prefix(k.as_str()).is_some_and(|r| r.starts_with('/')))
}

/// Whether `folder` (relative to the output) is a parent folder of a kept path.
fn holds_kept(folder: &str, keep: &[String]) -> bool {
    keep.iter().any(|k| k.strip_prefix(folder).is_some_and(|r| r.starts_with('/')))
}

/// Lists what the real folder `dir` (relative to `out`) holds that is neither a kept path nor a
/// folder on the way to one, entering only the latter; a symlink is never entered.
fn unknown_inside(out: &Path, dir: &str, keep: &[String], unknown: &mut Vec<String>) -> Result<(), Problem> {
    let path = out.join(dir);
    let entries = fs::read_dir(&path).map_err(|e| Problem {
        message: format!("cannot read the output folder {}: {e}", path.display()),
        hint: "check its permissions".into(),
    })?;
    let mut names: Vec<(String, bool)> = entries
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().to_string(), e.file_type().is_ok_and(|t| t.is_dir())))
        .collect();
    names.sort();
    for (name, is_dir) in names {
        let rel = format!("{dir}/{name}");
        if is_kept(&rel, keep) {
            continue;
        }
        if is_dir && holds_kept(&rel, keep) {
            unknown_inside(out, &rel, keep, unknown)?;
        } else {
            unknown.push(if is_dir { format!("{rel}/") } else { rel });
        }
    }
    Ok(())
}

/// What the previous build's output holds that its manifest does not list: found by
/// [`scan_contents`] before `keep_in_output` is known (so the walk can run while the project
/// loads), judged by [`Unknown::refusal`] once it is.
#[derive(Debug, Default)]
pub struct Unknown {
    /// Paths relative to the output, in walk order; a folder ends in `/` and is not entered.
    paths: Vec<String>,
    /// The files the previous build wrote (by its manifest) as the walk found them, inside
    /// real folders: once the new site is in place, the old one is removed file by file from
    /// this list.
    written: Vec<String>,
}

/// Lists everything in `out` that the previous build did not write (by its manifest). A
/// missing folder, or one written by a version without a manifest, holds nothing unknown.
pub fn scan_contents(out: &Path) -> Result<Unknown, Problem> {
    if !out.is_dir() {
        return Ok(Unknown::default());
    }
    let written = match manifest(out)? {
        Some(None) => return Ok(Unknown::default()),
        Some(Some(files)) => files,
        None => Default::default(),
    };
    let mut folders: std::collections::HashSet<&str> = Default::default();
    for f in &written {
        let mut at = f.as_str();
        while let Some(i) = at.rfind('/') {
            at = &at[..i];
            if !folders.insert(at) {
                break;
            }
        }
    }
    let mut paths: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut walker = walkdir::WalkDir::new(out).follow_links(false).min_depth(1).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(|e| Problem {
            message: format!("cannot read the output folder {}: {e}", out.display()),
            hint: "check its permissions".into(),
        })?;
        let rel = crate::load::rel_path(out, entry.path());
        if rel == MARKER {
            continue;
        }
        let is_dir = entry.file_type().is_dir();
        if is_dir && !folders.contains(rel.as_str()) {
            // Not ours: named as a whole, never entered (a user's `.git` can be large).
            walker.skip_current_dir();
            paths.push(format!("{rel}/"));
        } else if !is_dir {
            // A listed file is kept for the removal of the old site only as the walk found it:
            // inside real folders, never behind a symlink (the manifest is a file anyone may
            // edit, and a symlink may have replaced a folder since).
            if written.contains(&rel) {
                seen.push(rel);
            } else {
                paths.push(rel);
            }
        }
    }
    Ok(Unknown { paths, written: seen })
}

impl Unknown {
    /// The files the previous build wrote (see [`Staging::remove_old_by_list`]).
    pub fn into_written(self) -> Vec<String> {
        self.written
    }

    /// Refuses the output when anything unknown is not a `keep_in_output` path (or inside one),
    /// naming up to ten such paths.
    pub fn refusal(&self, out: &Path, keep: &[String]) -> Result<(), Problem> {
        let mut unknown: Vec<String> = Vec::new();
        for p in &self.paths {
            let rel = p.strip_suffix('/').unwrap_or(p);
            if is_kept(rel, keep) {
                continue;
            }
            if p.ends_with('/') && holds_kept(rel, keep) {
                // A folder the site does not write that holds a kept path (`a/b`): whatever
                // else it holds is the user's too, and would be lost with the old output.
                unknown_inside(out, rel, keep, &mut unknown)?;
            } else {
                unknown.push(p.clone());
            }
        }
        let count = unknown.len();
        if count == 0 {
            return Ok(());
        }
        let named = &unknown[..count.min(NAMED)];
        let more = if count > named.len() { format!(" and {} more", count - named.len()) } else { String::new() };
        Err(Problem {
            message: format!(
                "refusing to write into {}: it holds {count} {} that the last build did not write: {}{more}",
                out.display(),
                if count == 1 { "file or folder" } else { "files or folders" },
                named.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", ")
            ),
            hint: "move them elsewhere, pick an empty or new folder, or list the ones to keep under `keep_in_output:` in content/site.yaml (for example `keep_in_output: [\".git\", CNAME]`)".into(),
        })
    }
}

/// Holds the lock that makes builds into one output folder take turns; released when dropped
/// (or when the process dies, so a killed build never blocks the next one).
pub struct BuildLock {
    _file: fs::File,
}

/// Takes the build lock for `out`, waiting for another build that holds it (`waiting` is
/// called once before the wait). On Unix the lock is on the folder that holds the output (no
/// file is left behind); elsewhere on a `.NAME.smarketing-lock` file beside it.
pub fn lock(out: &Path, waiting: impl FnOnce()) -> Result<BuildLock, Problem> {
    let parent = out.parent().unwrap_or(Path::new("/"));
    fs::create_dir_all(parent).map_err(|e| io_error("create", parent, e))?;
    #[cfg(unix)]
    let file = fs::File::open(parent).map_err(|e| io_error("open", parent, e))?;
    #[cfg(not(unix))]
    let file = {
        let path = sibling_name(out, "lock");
        fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_error("open", &path, e))?
    };
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            waiting();
            file.lock().map_err(|e| io_error("lock", parent, e))?;
        }
        Err(fs::TryLockError::Error(e)) => return Err(io_error("lock", parent, e)),
    }
    Ok(BuildLock { _file: file })
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        remove_tree(&self.0);
    }
}

/// Removes a folder tree; a symlink is removed, never followed (std's `remove_dir_all`
/// guarantees this, also against a folder swapped for a symlink while it runs).
///
/// The old site of a rebuild is removed inside the build, and a site is mostly one folder per
/// page (`meetings/SLUG/index.html`): removing ten thousand of them one after the other took a
/// quarter of a rebuild. The folders of the tree's first two levels are therefore emptied in
/// parallel, each entry by `remove_dir_all`. The folders this walks into are the build's own
/// (created by this process, writable by its user only as the rest of the output is).
fn remove_tree(dir: &Path) {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {
            empty_in_parallel(dir, 2);
            // Whatever the parallel pass left (it ignores errors) goes here, or stays.
            let _ = fs::remove_dir_all(dir);
        }
        Ok(_) => {
            let _ = fs::remove_file(dir);
        }
        Err(_) => {}
    }
}

/// Removes the files `files` (plain relative paths) from the old site in `dir`, then their
/// folders, deepest first, on both cores; errors are ignored (what is left, [`remove_tree`]
/// removes after). Unlinking a listed file is one call where emptying its folder by listing
/// it is several, and a site is mostly one folder and one file per page.
fn remove_listed(dir: &Path, files: &[String]) {
    use rayon::prelude::*;
    files.par_iter().for_each(|f| {
        let _ = fs::remove_file(dir.join(f));
    });
    // Every folder a listed file lies in (`a/b/c.html` gives `a` and `a/b`), then deepest first.
    let mut folders: Vec<&str> = files.iter().flat_map(|f| f.match_indices('/').map(move |(i, _)| &f[..i])).collect();
    folders.sort_unstable();
    folders.dedup();
    let depth = |d: &str| d.matches('/').count();
    let deepest = folders.iter().map(|d| depth(d)).max().unwrap_or(0);
    for level in (0..=deepest).rev() {
        folders.par_iter().filter(|d| depth(d) == level).for_each(|d| {
            let _ = fs::remove_dir(dir.join(d));
        });
    }
}

/// Removes what the real folder `dir` holds, its entries in parallel; a folder within `levels`
/// more levels is emptied the same way first. A symlink is removed, never followed: the type
/// of an entry is read without following links.
fn empty_in_parallel(dir: &Path, levels: u32) {
    use rayon::prelude::*;
    let Ok(entries) = fs::read_dir(dir) else { return };
    let entries: Vec<(PathBuf, bool)> =
        entries.flatten().map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir()))).collect();
    entries.par_iter().for_each(|(path, is_dir)| {
        if !is_dir {
            let _ = fs::remove_file(path);
            return;
        }
        if levels > 1 {
            empty_in_parallel(path, levels - 1);
        }
        let _ = fs::remove_dir_all(path);
    });
}

fn prefix(out: &Path) -> String {
    let name = out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
    format!(".{name}.smarketing-")
}

#[cfg(not(unix))]
fn sibling_name(out: &Path, tag: &str) -> PathBuf {
    out.with_file_name(format!("{}{tag}", prefix(out)))
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    out.with_file_name(format!("{}{tag}-{}", prefix(out), std::process::id()))
}

/// Moves `rel` from folder `from` to folder `to` (a kept path), creating its parent folders.
fn move_path(from: &Path, to: &Path, rel: &str) -> std::io::Result<()> {
    let target = to.join(rel);
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::rename(from.join(rel), target)
}

/// Whether every folder on the way from `base` to `rel` is a real folder, not a symlink (a kept
/// `a/b` under a symlinked `a` would move a file from outside the output).
fn real_parents(base: &Path, rel: &str) -> bool {
    let mut at = base.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    parts[..parts.len().saturating_sub(1)].iter().all(|p| {
        at.push(p);
        fs::symlink_metadata(&at).is_ok_and(|m| m.is_dir())
    })
}

/// The kept paths that are not inside another kept path (moving `a` moves `a/b` with it).
fn outermost(keep: &[String]) -> Vec<&String> {
    keep.iter().filter(|k| !keep.iter().any(|o| o != *k && is_kept(k, std::slice::from_ref(o)))).collect()
}

/// Removes temporary folders left by builds that were killed. Call it with the build lock
/// held (no other build is using them), before the output is checked for unknown files. A
/// build killed while it moved kept paths may have left them in its staging folder: everything
/// there that its manifest does not list goes back into the output first, never deleted, so
/// the check that follows sees it (and refuses the output when it is no longer kept). A
/// folder holding something that cannot go back (the output has a file of that name again)
/// stays, and is returned so the build can say so.
pub fn clean_stale(out: &Path, _lock: &BuildLock) -> Vec<PathBuf> {
    let mut kept_back = Vec::new();
    let (Some(parent), Some(_)) = (out.parent(), out.file_name()) else {
        return kept_back;
    };
    let prefix = prefix(out);
    let Ok(entries) = fs::read_dir(parent) else { return kept_back };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if !name.strip_prefix(&prefix).is_some_and(is_staging_tag) {
            continue;
        }
        let stale = e.path();
        // Only a real folder that a build made: it carries the manifest, or the staging mark
        // a build puts in first, or nothing at all. A user's `.public.smarketing-notes/` (or a
        // folder of that exact name holding their files) is never deleted.
        let is_dir = fs::symlink_metadata(&stale).is_ok_and(|m| m.is_dir());
        let marked =
            [MARKER, STAGING_MARK].iter().any(|m| fs::symlink_metadata(stale.join(m)).is_ok_and(|m| m.is_file()));
        let empty = fs::read_dir(&stale).is_ok_and(|mut d| d.next().is_none());
        if !is_dir || !(marked || empty) {
            continue;
        }
        let mut restored_all = true;
        // Without a manifest the build was killed before it moved anything: all of it is site.
        if let (Ok(Some(Some(_))), Ok(unknown)) = (manifest(&stale), scan_contents(&stale)) {
            for p in &unknown.paths {
                let rel = p.strip_suffix('/').unwrap_or(p);
                let free = fs::symlink_metadata(out.join(rel)).is_err() && real_parents(out, rel);
                if !free || move_path(&stale, out, rel).is_err() {
                    restored_all = false;
                }
            }
        }
        if restored_all {
            remove_tree(&stale);
        } else {
            kept_back.push(stale);
        }
    }
    // A killed in-place build's staging folder, inside the output.
    for stale in in_place::leftovers(out) {
        remove_tree(&stale);
    }
    kept_back
}

/// The file a build puts into its staging folder as soon as it creates it, and removes just
/// before the folder becomes the output (whose manifest then marks it): a leftover folder
/// carrying it is a killed build's, not a user's.
const STAGING_MARK: &str = ".smarketing-staging";

/// Whether the part of a sibling's name after `.NAME.smarketing-` is one a build gives its
/// staging or old-output folder: `tmp-PID`, `tmpN-PID` or `old-PID`.
fn is_staging_tag(tag: &str) -> bool {
    let Some((kind, pid)) = tag.rsplit_once('-') else { return false };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let kind_ok = kind == "old" || kind.strip_prefix("tmp").is_some_and(|n| n.is_empty() || digits(n));
    kind_ok && digits(pid)
}

/// A sibling temporary folder being filled with a new site; [`Staging::commit`] swaps it in.
/// Dropped without a commit, it is removed and the old output is untouched.
pub struct Staging {
    tmp: TempDir,
    /// Staged inside the output, which cannot be swapped (see [`in_place`]).
    in_place: bool,
    out: PathBuf,
    keep: Vec<String>,
    /// The folders made so far, relative to the staging folder.
    dirs: std::sync::Mutex<std::collections::HashSet<String, ahash::RandomState>>,
    written: std::sync::Mutex<Vec<String>>,
    /// The old output's files by its manifest, removed by name once the new site is in place.
    old_files: Vec<String>,
}

fn io_error(what: &str, p: &Path, e: std::io::Error) -> Problem {
    use std::io::ErrorKind;
    let hint = match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => "free some disk space and build again",
        ErrorKind::InvalidFilename => "use a shorter output path",
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => "check the folder's permissions",
        _ => "check permissions and free disk space",
    };
    Problem { message: format!("cannot {what} {}: {e}", p.display()), hint: hint.into() }
}

impl Staging {
    /// Creates the temporary folder beside `out` (which must have passed [`check_target`] and
    /// [`Unknown::refusal`], after [`clean_stale`]); `keep` are the `keep_in_output` paths. The
    /// lock proves no other build is writing beside `out`.
    pub fn new(out: &Path, keep: &[String], _lock: &BuildLock) -> Result<Staging, Problem> {
        if let Some(parent) = out.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error("create", parent, e))?;
        }
        // An output that cannot be swapped (a mount point; a parent the user cannot write)
        // is built in place instead (the contract accepts an empty folder as output).
        let existing = fs::symlink_metadata(out).is_ok_and(|m| m.is_dir());
        let mut in_place = existing && in_place::is_mount_point(out);
        // A new folder, never one that is there: a folder kept back by [`clean_stale`] may
        // carry this process's id from an earlier, killed build.
        let mut n = 0;
        let mut path = if in_place { in_place::staging_path(out) } else { sibling(out, "tmp") };
        let tmp = loop {
            match fs::create_dir(&path) {
                Ok(()) => {
                    let tmp = TempDir(path);
                    fs::write(tmp.0.join(STAGING_MARK), "a build is writing this folder\n")
                        .map_err(|e| io_error("write", &tmp.0, e))?;
                    break tmp;
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => {
                    n += 1;
                    path = if in_place {
                        in_place::staging_path(out).with_extension(n.to_string())
                    } else {
                        sibling(out, &format!("tmp{n}"))
                    };
                }
                Err(e)
                    if !in_place
                        && existing
                        && matches!(
                            e.kind(),
                            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
                        ) =>
                {
                    in_place = true;
                    n = 0;
                    path = in_place::staging_path(out);
                }
                Err(e) => return Err(io_error("create", &path, e)),
            }
        };
        Ok(Staging {
            tmp,
            in_place,
            out: out.to_path_buf(),
            keep: keep.to_vec(),
            dirs: Default::default(),
            written: Default::default(),
            old_files: Vec::new(),
        })
    }

    fn prepare(&self, rel: &str) -> Result<PathBuf, Problem> {
        let path = self.tmp.0.join(rel);
        // Folders are recorded by their relative text (`meetings/x`): hashing a path parses it
        // into components, ten thousand times a build.
        if let (Some((folder, _)), Some(dir)) = (rel.rsplit_once('/'), path.parent()) {
            // Recorded only after it exists, so a thread that finds it recorded can write into it.
            let known = self.dirs.lock().unwrap_or_else(|e| e.into_inner()).contains(folder);
            if !known {
                fs::create_dir_all(dir).map_err(|e| io_error("create", dir, e))?;
                self.dirs.lock().unwrap_or_else(|e| e.into_inner()).insert(folder.to_string());
            }
        }
        self.written.lock().unwrap_or_else(|e| e.into_inner()).push(rel.to_string());
        Ok(path)
    }

    /// Gives the old output's files as its manifest lists them ([`Unknown::into_written`]):
    /// once the new site is in place, they are removed by name, one call each and on both
    /// cores, instead of by listing every folder of the old site; whatever the list missed is
    /// removed after them as before.
    pub fn remove_old_by_list(&mut self, files: Vec<String>) {
        self.old_files = files;
    }

    /// Writes one file into the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Problem> {
        let path = self.prepare(rel)?;
        fs::write(&path, bytes).map_err(|e| io_error("write", &path, e))
    }

    /// Copies a file into the staging folder without holding it in memory whole.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<(), Problem> {
        let path = self.prepare(rel)?;
        fs::copy(from, &path).map(|_| ()).map_err(|e| io_error("copy into the site", from, e))
    }

    /// Writes the manifest and swaps the staging folder in place of the output: one atomic
    /// exchange on Linux and macOS (a reader, or a kill at any moment, sees the whole old site
    /// or the whole new one), two renames elsewhere. Kept paths move from the old output into
    /// the new one first.
    pub fn commit(self) -> Result<(), Problem> {
        let out = &self.out;
        let mut files = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        files.sort();
        files.dedup();
        let manifest = serde_json::json!({
            "written_by": "smarketing build; the next build replaces this folder whole, keeping only `keep_in_output` paths",
            "files": files,
        });
        let text = serde_json::to_string_pretty(&manifest).map_err(|e| {
            Problem::new(
                format!("cannot write the list of the site's files: {e}"),
                "this is a bug in smarketing: please report it",
            )
        })? + "\n";
        fs::write(self.tmp.0.join(MARKER), text).map_err(|e| io_error("write", &self.tmp.0, e))?;
        if self.in_place {
            // Kept paths stay where they are; the site must not put a file on one.
            if let Some(k) = self
                .keep
                .iter()
                .find(|k| fs::symlink_metadata(self.tmp.0.join(k)).is_ok() && fs::symlink_metadata(out.join(k)).is_ok())
            {
                return Err(Problem {
                    message: format!("keep_in_output lists `{k}`, but the site itself has a file there"),
                    hint: "remove it from keep_in_output in content/site.yaml, or rename the page or static file"
                        .into(),
                });
            }
            return in_place::commit(&self.tmp.0, out, &self.keep).map_err(|e| io_error("write the site into", out, e));
        }
        // The manifest marks the folder from here on; the staging mark must not reach the site.
        let _ = fs::remove_file(self.tmp.0.join(STAGING_MARK));
        let mut moved: Vec<&String> = Vec::new();
        let undo = |moved: &[&String]| {
            for k in moved {
                let _ = move_path(&self.tmp.0, out, k);
            }
        };
        for k in outermost(&self.keep) {
            if !real_parents(out, k) || fs::symlink_metadata(out.join(k)).is_err() {
                continue;
            }
            if fs::symlink_metadata(self.tmp.0.join(k)).is_ok() {
                undo(&moved);
                return Err(Problem {
                    message: format!("keep_in_output lists `{k}`, but the site itself has a file there"),
                    hint: "remove it from keep_in_output in content/site.yaml, or rename the page or static file"
                        .into(),
                });
            }
            if let Err(e) = move_path(out, &self.tmp.0, k) {
                undo(&moved);
                return Err(io_error("keep", &out.join(k), e));
            }
            moved.push(k);
        }
        if out.exists() {
            if exchange(&self.tmp.0, out) {
                // The staging path now holds the old site; dropping `self.tmp` removes the rest.
                remove_listed(&self.tmp.0, &self.old_files);
                return Ok(());
            }
            let old = TempDir(sibling(out, "old"));
            if let Err(e) = fs::rename(out, &old.0) {
                undo(&moved);
                return Err(io_error("move aside", out, e));
            }
            if let Err(e) = fs::rename(&self.tmp.0, out) {
                let _ = fs::rename(&old.0, out);
                undo(&moved);
                return Err(io_error("move into place", out, e));
            }
            remove_listed(&old.0, &self.old_files);
        } else {
            fs::rename(&self.tmp.0, out).map_err(|e| io_error("move into place", out, e))?;
        }
        Ok(())
    }
}

/// Atomically exchanges two paths (Linux `renameat2(RENAME_EXCHANGE)`); false where the
/// file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(ca), Ok(cb)) =
        (std::ffi::CString::new(a.as_os_str().as_bytes()), std::ffi::CString::new(b.as_os_str().as_bytes()))
    else {
        return false;
    };
    // SAFETY: both arguments are valid NUL-terminated paths; AT_FDCWD resolves them as given.
    let r = unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
    r == 0
}

/// Atomically exchanges two paths (macOS `renameatx_np(RENAME_SWAP)`); false where the file
/// system cannot.
#[cfg(target_os = "macos")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(ca), Ok(cb)) =
        (std::ffi::CString::new(a.as_os_str().as_bytes()), std::ffi::CString::new(b.as_os_str().as_bytes()))
    else {
        return false;
    };
    // SAFETY: both arguments are valid NUL-terminated paths; AT_FDCWD resolves them as given.
    let r = unsafe { libc::renameatx_np(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_SWAP) };
    r == 0
}

/// No atomic exchange here (Windows and others): [`Staging::commit`] renames twice.
#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn exchange(_a: &Path, _b: &Path) -> bool {
    false
}

impl crate::render::Sink for Staging {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Problem> {
        self.write(path, &bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), Problem> {
        Staging::copy(self, path, from)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_old_site_is_removed_by_its_list_and_the_rest_after_it() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        fs::create_dir_all(outside.join("meetings/m1")).unwrap();
        fs::write(outside.join("meetings/m1/index.html"), "keep me").unwrap();
        let site = tmp.path().join("site");
        let mut listed = vec!["index.html".to_string()];
        for i in 0..40 {
            fs::create_dir_all(site.join(format!("meetings/m{i}"))).unwrap();
            fs::write(site.join(format!("meetings/m{i}/index.html")), "x").unwrap();
            listed.push(format!("meetings/m{i}/index.html"));
        }
        fs::write(site.join("index.html"), "x").unwrap();
        // Not in the list: left for the sweep after it, with its folder.
        fs::create_dir_all(site.join("a/b")).unwrap();
        fs::write(site.join("a/b/unlisted.txt"), "x").unwrap();
        fs::write(site.join("meetings/m3/unlisted.txt"), "x").unwrap();
        // A listed path that is a symlink now: the link goes, never what it points at.
        std::os::unix::fs::symlink(outside.join("meetings"), site.join("linked")).unwrap();
        listed.push("linked".into());
        remove_listed(&site, &listed);
        assert!(!site.join("meetings/m0").exists() && !site.join("index.html").exists());
        assert!(site.join("a/b/unlisted.txt").exists() && site.join("meetings/m3/unlisted.txt").exists());
        assert_eq!(fs::read_to_string(outside.join("meetings/m1/index.html")).unwrap(), "keep me");
        remove_tree(&site);
        assert!(!site.exists());
        assert_eq!(fs::read_to_string(outside.join("meetings/m1/index.html")).unwrap(), "keep me");
    }

    #[test]
    fn a_manifest_naming_paths_outside_the_output_is_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(tmp.path().join("precious.txt"), "keep me").unwrap();
        fs::write(out.join("index.html"), "x").unwrap();
        // A folder of the old site replaced by a symlink to elsewhere, its file still listed.
        fs::create_dir_all(tmp.path().join("elsewhere")).unwrap();
        fs::write(tmp.path().join("elsewhere/index.html"), "keep me").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("elsewhere"), out.join("meetings")).unwrap();
        let manifest = serde_json::json!({"files": ["index.html", "../precious.txt", "/etc/hostname", "", "meetings", "meetings/index.html"]});
        fs::write(out.join(MARKER), manifest.to_string()).unwrap();
        let unknown = scan_contents(&out).unwrap();
        let mut written = unknown.into_written();
        written.sort();
        assert_eq!(written, vec!["index.html".to_string(), "meetings".to_string()]);
    }

    #[test]
    fn remove_tree_deletes_everything_and_follows_no_symlink() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        fs::create_dir_all(outside.join("keep")).unwrap();
        fs::write(outside.join("keep/file.txt"), "keep me").unwrap();
        let site = tmp.path().join("site");
        // Enough folders to take the parallel path, nested ones, and odd names.
        for i in 0..150 {
            fs::create_dir_all(site.join(format!("meetings/m{i}"))).unwrap();
            fs::write(site.join(format!("meetings/m{i}/index.html")), "x").unwrap();
        }
        fs::create_dir_all(site.join("a/b/c/d")).unwrap();
        fs::write(site.join("a/b/c/d/ünïcode name.txt"), "x").unwrap();
        fs::write(site.join("top.html"), "x").unwrap();
        std::os::unix::fs::symlink(&outside, site.join("link-to-outside")).unwrap();
        std::os::unix::fs::symlink(outside.join("keep"), site.join("a/b/inner-link")).unwrap();
        remove_tree(&site);
        assert!(!site.exists());
        assert_eq!(fs::read_to_string(outside.join("keep/file.txt")).unwrap(), "keep me");
    }

    #[test]
    fn a_staging_folder_never_reuses_one_that_is_there() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        // Kept back from a killed build whose process id this process now has.
        let taken = sibling(&out, "tmp");
        fs::create_dir(&taken).unwrap();
        fs::write(taken.join("CNAME"), "theirs").unwrap();
        let lock = lock(&out, || {}).unwrap();
        let staging = Staging::new(&out, &[], &lock).unwrap();
        assert_ne!(staging.tmp.0, taken);
        drop(staging);
        assert_eq!(fs::read_to_string(taken.join("CNAME")).unwrap(), "theirs");
    }

    #[test]
    fn remove_tree_of_a_symlink_removes_only_the_link() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("target");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("f"), "x").unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        remove_tree(&link);
        assert!(fs::symlink_metadata(&link).is_err());
        assert!(target.join("f").exists());
    }
}
