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

/// Removes a folder tree (a site has thousands of small files; see [`tree`] on Linux), falling
/// back to std's `remove_dir_all` where that cannot. Symlinks are removed, never followed.
fn remove_tree(dir: &Path) {
    #[cfg(target_os = "linux")]
    if tree::remove(dir) {
        return;
    }
    let _ = fs::remove_dir_all(dir);
}

/// Folder removal with few system calls (Linux). A site is thousands of folders holding one
/// file each; std's `remove_dir_all` spends eleven system calls on each (two `statx`, two
/// `fcntl`, an `fstat`, two `getdents`), this six: open, `getdents64` until it is empty,
/// unlink, close, remove the folder. Entries are removed relative to their open folder and symlinks are
/// removed, never followed. Large folders are emptied in parallel.
#[cfg(target_os = "linux")]
mod tree {
    use rayon::prelude::*;
    use std::ffi::{CStr, CString};
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    /// Removes `dir` and everything in it; false when it could not (the caller falls back).
    pub fn remove(dir: &Path) -> bool {
        CString::new(dir.as_os_str().as_bytes()).is_ok_and(|c| remove_dir(libc::AT_FDCWD, &c))
    }

    const FLAGS: libc::c_int = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC;
    const BUFFER: usize = 8 * 1024;

    /// Removes the entries of the open folder `fd`, then closes it.
    fn empty(fd: libc::c_int) {
        // Not zeroed (most folders hold one file): only what the kernel wrote is read.
        let mut buf: Vec<u8> = Vec::with_capacity(BUFFER);
        loop {
            // SAFETY: `buf` has room for BUFFER bytes; the kernel writes at most that many.
            let n = unsafe { libc::syscall(libc::SYS_getdents64, fd, buf.as_mut_ptr(), BUFFER) };
            if n <= 0 {
                break;
            }
            // SAFETY: the kernel initialised the first `n` bytes.
            unsafe { buf.set_len(n as usize) };
            let mut dirs: Vec<CString> = Vec::new();
            let mut at = 0usize;
            while at < n as usize {
                // linux_dirent64: u64 inode, i64 offset, u16 record length, u8 type, name.
                let reclen = u16::from_ne_bytes([buf[at + 16], buf[at + 17]]) as usize;
                let kind = buf[at + 18];
                let name = CStr::from_bytes_until_nul(&buf[at + 19..at + reclen]).unwrap_or_default();
                at += reclen;
                let bytes = name.to_bytes();
                if bytes.is_empty() || bytes == b"." || bytes == b".." {
                    continue;
                }
                let is_dir = match kind {
                    libc::DT_DIR => true,
                    libc::DT_UNKNOWN => is_dir_at(fd, name),
                    _ => false,
                };
                if is_dir {
                    dirs.push(name.to_owned());
                } else {
                    // SAFETY: `fd` is an open folder and `name` a NUL-terminated entry name.
                    unsafe { libc::unlinkat(fd, name.as_ptr(), 0) };
                }
            }
            if dirs.len() > 64 {
                dirs.par_iter().for_each(|d| {
                    remove_dir(fd, d);
                });
            } else {
                dirs.iter().for_each(|d| {
                    remove_dir(fd, d);
                });
            }
        }
        // SAFETY: `fd` is open and owned here.
        unsafe { libc::close(fd) };
    }

    /// Removes the folder `name` inside the open folder `parent` (or the working directory);
    /// false when it is not a folder or could not be removed.
    fn remove_dir(parent: libc::c_int, name: &CStr) -> bool {
        // SAFETY: `parent` is an open folder or AT_FDCWD, `name` NUL-terminated; O_NOFOLLOW
        // refuses a symlink in place of the folder.
        let child = unsafe { libc::openat(parent, name.as_ptr(), FLAGS) };
        if child < 0 {
            return false;
        }
        empty(child);
        // SAFETY: as above.
        unsafe { libc::unlinkat(parent, name.as_ptr(), libc::AT_REMOVEDIR) == 0 }
    }

    fn is_dir_at(fd: libc::c_int, name: &CStr) -> bool {
        // SAFETY: `st` is written by the kernel before it is read.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: `fd` is an open folder, `name` NUL-terminated, `st` valid for writing.
        let r = unsafe { libc::fstatat(fd, name.as_ptr(), &mut st, libc::AT_SYMLINK_NOFOLLOW) };
        r == 0 && (st.st_mode & libc::S_IFMT) == libc::S_IFDIR
    }
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

impl crate::render::Sink for Staging {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), String> {
        self.write(path, &bytes).map_err(|e| e.message)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

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
