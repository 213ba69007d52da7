//! Write: the only stage that writes the site to disk. The whole site is written into a sibling
//! temporary folder, then swapped in with renames, so a failed or killed build leaves the
//! previous output as it was. A marker file tells our own output from a folder we must not touch.

use std::fs;
use std::path::{Path, PathBuf};

/// The file that marks a folder as written by smarketing.
pub const MARKER: &str = ".smarketing-build";

/// Why the output folder was refused or could not be written.
#[derive(Debug)]
pub struct OutputError {
    /// What went wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(p)).unwrap_or_else(|_| p.to_path_buf())
    };
    // Canonicalise the longest existing ancestor, then add the rest back.
    let mut existing = abs.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for r in rest.iter().rev() {
        if r == ".." {
            out.pop();
        } else if r != "." {
            out.push(r);
        }
    }
    out
}

/// Checks that `output` may be (re)written for the project at `root`.
pub fn check_target(root: &Path, output: &Path) -> Result<PathBuf, OutputError> {
    let out = absolute(output);
    let root = absolute(root);
    let content = root.join("content");
    if out == root || root.starts_with(&out) {
        return Err(OutputError {
            message: format!("refusing to write the site into {}: it contains the project", out.display()),
            hint: "pick an output folder inside or beside the project, like `public/`".into(),
        });
    }
    if out.starts_with(&content) {
        return Err(OutputError {
            message: format!("refusing to write the site into {}: it is inside content/", out.display()),
            hint: "pick an output folder outside content/, like `public/`".into(),
        });
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(OutputError {
                message: format!("{} is a file, not a folder", out.display()),
                hint: "pick another output path".into(),
            });
        }
        let mut entries = fs::read_dir(&out)
            .map_err(|e| OutputError { message: format!("cannot read {}: {e}", out.display()), hint: String::new() })?;
        let empty = entries.next().is_none();
        if !empty && !out.join(MARKER).is_file() {
            return Err(OutputError {
                message: format!("refusing to write into {}: it holds files that smarketing did not write", out.display()),
                hint: "pick an empty or new folder; smarketing only replaces folders it built itself (they hold a `.smarketing-build` file)".into(),
            });
        }
    }
    Ok(out)
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        remove_tree(&self.0);
    }
}

/// Removes a folder tree, deleting its files in parallel (a site has thousands of small files).
/// Symlinks are removed, never followed.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    // Sub-folders are removed in parallel (std's remove_dir_all never follows symlinks);
    // a site is mostly `meetings/<slug>/index.html`, so the work spreads well.
    fn children(d: &Path) -> Vec<PathBuf> {
        fs::read_dir(d).map(|r| r.flatten().map(|e| e.path()).collect()).unwrap_or_default()
    }
    let top = children(dir);
    let second: Vec<PathBuf> = top
        .iter()
        .filter(|p| fs::symlink_metadata(p).map(|m| m.is_dir()).unwrap_or(false))
        .flat_map(|p| children(p))
        .collect();
    second.par_iter().for_each(|p| {
        let _ = if fs::symlink_metadata(p).map(|m| m.is_dir()).unwrap_or(false) {
            fs::remove_dir_all(p)
        } else {
            fs::remove_file(p)
        };
    });
    let _ = fs::remove_dir_all(dir);
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.smarketing-{tag}-{}", std::process::id()))
}

/// Removes temporary folders left by builds that were killed.
fn clean_stale(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let prefix = format!(".{}.smarketing-", name.to_string_lossy());
    if let Ok(entries) = fs::read_dir(parent) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                remove_tree(&e.path());
            }
        }
    }
}

/// A sibling temporary folder being filled with a new site; [`Staging::commit`] swaps it in.
/// Dropped without a commit, it is removed and the old output is untouched.
pub struct Staging {
    tmp: TempDir,
    out: PathBuf,
    dirs: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

fn io_error(what: &str, p: &Path, e: std::io::Error) -> OutputError {
    OutputError {
        message: format!("cannot {what} {}: {e}", p.display()),
        hint: "check permissions and free disk space".into(),
    }
}

impl Staging {
    /// Creates the temporary folder beside `out` (which must have passed [`check_target`]).
    pub fn new(out: &Path) -> Result<Staging, OutputError> {
        clean_stale(out);
        if let Some(parent) = out.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error("create", parent, e))?;
        }
        let tmp = TempDir(sibling(out, "tmp"));
        fs::create_dir_all(&tmp.0).map_err(|e| io_error("create", &tmp.0, e))?;
        Ok(Staging { tmp, out: out.to_path_buf(), dirs: Default::default() })
    }

    /// Writes one file into the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.tmp.0.join(rel);
        if let Some(dir) = path.parent() {
            // Recorded only after it exists, so a thread that finds it recorded can write into it.
            let known = self.dirs.lock().unwrap_or_else(|e| e.into_inner()).contains(dir);
            if !known {
                fs::create_dir_all(dir).map_err(|e| io_error("create", dir, e))?;
                self.dirs.lock().unwrap_or_else(|e| e.into_inner()).insert(dir.to_path_buf());
            }
        }
        fs::write(&path, bytes).map_err(|e| io_error("write", &path, e))
    }

    /// Adds the marker and swaps the staging folder in place of the output: one atomic
    /// exchange on Linux (a reader, or a kill at any moment, sees the whole old site or the
    /// whole new one), two renames elsewhere.
    pub fn commit(self) -> Result<(), OutputError> {
        let out = &self.out;
        fs::write(
            self.tmp.0.join(MARKER),
            "This folder was written by `smarketing build`; the next build replaces it whole.\n",
        )
        .map_err(|e| io_error("write", &self.tmp.0, e))?;
        if out.exists() {
            if exchange(&self.tmp.0, out) {
                // The staging path now holds the old site; dropping `self.tmp` removes it.
                return Ok(());
            }
            let old = TempDir(sibling(out, "old"));
            fs::rename(out, &old.0).map_err(|e| io_error("move aside", out, e))?;
            if let Err(e) = fs::rename(&self.tmp.0, out) {
                let _ = fs::rename(&old.0, out);
                return Err(io_error("move into place", out, e));
            }
        } else {
            fs::rename(&self.tmp.0, out).map_err(|e| io_error("move into place", out, e))?;
        }
        Ok(())
    }
}

/// Atomically exchanges two paths (Linux `renameat2(RENAME_EXCHANGE)`); false where the
/// system or file system cannot.
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

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> bool {
    false
}

impl crate::site::Sink for Staging {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), String> {
        self.write(path, &bytes).map_err(|e| e.message)
    }
}
