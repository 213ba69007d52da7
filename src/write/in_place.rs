//! Building into the output folder itself, for an output that cannot be swapped: a mount point
//! (a container volume: renaming it fails with EBUSY) or a folder whose parent the user cannot
//! write (no temporary folder can be made beside it, EACCES). The contract accepts an empty
//! folder as output, so such a folder must still be buildable. The new site is staged in a
//! hidden folder inside the output, the previous site's files are removed (only they: the
//! check for unknown files has passed; kept paths stay where they are), and the new files are
//! moved up. Not atomic: a reader may meet a half-replaced site for a moment, and a build
//! killed meanwhile leaves files the manifest lists, which the next build replaces.

use super::{holds_kept, is_kept, remove_tree, MARKER};
use std::fs;
use std::path::{Path, PathBuf};

/// The start of the name of the staging folder inside the output.
pub const INSIDE: &str = ".smarketing-tmp-";

/// Whether `dir` is a mount point: on another device than its parent (or its own parent, `/`).
pub fn is_mount_point(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::metadata(dir), fs::metadata(dir.join(".."))) {
            (Ok(m), Ok(p)) => m.dev() != p.dev() || m.ino() == p.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

/// The staging folder inside `out` for this process.
pub fn staging_path(out: &Path) -> PathBuf {
    out.join(format!("{INSIDE}{}", std::process::id()))
}

/// Removes what `rel` (relative to `out`) holds of the previous site, leaving kept paths and
/// the folders on the way to them.
fn remove_except_kept(out: &Path, rel: &str, keep: &[String]) -> std::io::Result<()> {
    if is_kept(rel, keep) {
        return Ok(());
    }
    let path = out.join(rel);
    let real_dir = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
    if real_dir && holds_kept(rel, keep) {
        for e in fs::read_dir(&path)? {
            let name = e?.file_name();
            remove_except_kept(out, &format!("{rel}/{}", name.to_string_lossy()), keep)?;
        }
        return Ok(());
    }
    remove_tree(&path);
    Ok(())
}

/// Moves `rel` from `from` into `to`, merging into a folder that is there already (one that
/// holds a kept path).
fn move_merge(from: &Path, to: &Path, rel: &Path) -> std::io::Result<()> {
    let (src, dst) = (from.join(rel), to.join(rel));
    let both_dirs =
        fs::symlink_metadata(&src).is_ok_and(|m| m.is_dir()) && fs::symlink_metadata(&dst).is_ok_and(|m| m.is_dir());
    if !both_dirs {
        return fs::rename(&src, &dst);
    }
    for e in fs::read_dir(&src)? {
        move_merge(from, to, &rel.join(e?.file_name()))?;
    }
    fs::remove_dir(&src)
}

/// Replaces the site in `out` by the one staged in `tmp` (inside `out`, its manifest written).
pub fn commit(tmp: &Path, out: &Path, keep: &[String]) -> std::io::Result<()> {
    let tmp_name = tmp.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    for e in fs::read_dir(out)? {
        let name = e?.file_name();
        if name == tmp_name {
            continue;
        }
        remove_except_kept(out, &name.to_string_lossy(), keep)?;
    }
    // The manifest first: from here on the folder holds only files it lists.
    fs::rename(tmp.join(MARKER), out.join(MARKER))?;
    // The staging mark stays with the staging folder until it is removed, so a build killed
    // while moving leaves a folder the next one recognises and removes.
    for e in fs::read_dir(tmp)? {
        let name = e?.file_name();
        if name != super::STAGING_MARK {
            move_merge(tmp, out, Path::new(&name))?;
        }
    }
    Ok(())
}

/// Staging folders a killed in-place build left inside `out` (they carry the staging mark).
pub fn leftovers(out: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(out) else { return Vec::new() };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(INSIDE))
        .map(|e| e.path())
        .filter(|p| {
            fs::symlink_metadata(p).is_ok_and(|m| m.is_dir())
                && fs::symlink_metadata(p.join(super::STAGING_MARK)).is_ok_and(|m| m.is_file())
        })
        .collect()
}
