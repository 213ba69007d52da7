//! Writing `import --output FILE` safely (SECURITY.md): the bytes go to a temporary
//! file beside FILE that this process creates itself (`create_new`, so O_EXCL: never a file
//! or a symlink someone placed at that name), then take FILE's name in one step. Without
//! `--force` that step is a hard link, which fails if FILE appeared meanwhile, so an existing
//! file is never replaced; with `--force` it is a rename, which replaces FILE itself (a symlink
//! at FILE is replaced, not followed).

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

/// How many temporary names are tried before giving up (each is created exclusively).
const TRIES: u32 = 100;

/// Creates a fresh temporary file in `dir` whose name starts with `stem`.
fn create_temp(dir: &Path, stem: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
    let seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let mut last = None;
    for i in 0..TRIES {
        let name = format!(".{stem}.smarketing-import-{}-{:08x}.tmp", std::process::id(), seed.wrapping_add(i));
        let path = dir.join(name);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(f) => return Ok((path, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// Gives `tmp`'s file the name `path` unless `path` exists. A hard link fails on an existing
/// name atomically; where a file system has no hard links, check and rename is the fallback.
fn link_new(tmp: &Path, path: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(tmp, path) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
            if std::fs::symlink_metadata(path).is_ok() {
                return Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "the file already exists"));
            }
            std::fs::rename(tmp, path)
        }
        other => other,
    }
}

/// What `path` is when it exists and is neither a regular file nor a symlink (`--force` must
/// never replace `/dev/null`, a FIFO or a socket with a regular file): "a device", ...
pub fn special_kind(path: &Path) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = std::fs::symlink_metadata(path).ok()?.file_type();
    if t.is_file() || t.is_symlink() {
        None
    } else if t.is_dir() {
        Some("a folder")
    } else if t.is_block_device() || t.is_char_device() {
        Some("a device")
    } else if t.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if t.is_socket() {
        Some("a socket")
    } else {
        Some("not a regular file")
    }
}

/// Writes `bytes` to `path` through an exclusively created temporary file. Refuses (an
/// `AlreadyExists` error) when `path` exists, unless `force`; refuses (an `InvalidInput` error)
/// when `path` is a folder, device, FIFO or socket, even with `force`.
pub fn write_new(path: &Path, bytes: &[u8], force: bool) -> std::io::Result<()> {
    if let Some(kind) = special_kind(path) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("it is {kind}, not a regular file, and is never replaced"),
        ));
    }
    if !force && std::fs::symlink_metadata(path).is_ok() {
        return Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "the file already exists"));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let stem = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let (tmp, mut f) = create_temp(dir, &stem)?;
    let done = f.write_all(bytes).and_then(|_| f.sync_all()).and_then(|_| {
        if force {
            std::fs::rename(&tmp, path)
        } else {
            link_new(&tmp, path)
        }
    });
    // After a rename the temporary name is gone already; after a hard link (or a failure) it
    // is one more name that must not stay behind.
    if !(force && done.is_ok()) {
        let _ = std::fs::remove_file(&tmp);
    }
    done
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_device_or_folder_is_never_replaced_even_with_force() {
        // Only looked at: a device node is refused before anything is created beside it.
        assert_eq!(special_kind(Path::new("/dev/zero")), Some("a device"));
        let e = write_new(Path::new("/dev/zero"), b"x", true).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(special_kind(tmp.path()), Some("a folder"));
        let file = tmp.path().join("f.yaml");
        assert_eq!(special_kind(&file), None, "a missing file is written");
        write_new(&file, b"a: 1\n", false).unwrap();
        assert_eq!(special_kind(&file), None);
        write_new(&file, b"a: 2\n", true).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "a: 2\n");
    }
}
