//! Helpers shared by the integration tests: run the real binary on a copy of a fixture.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Path of a fixture project.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A temporary copy of a fixture project; returns the temp dir guard and the project path.
pub fn project(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("project");
    copy_dir(&fixture(name), &root);
    (tmp, root)
}

/// The as-of date every test run gets unless it passes `--as-of`: 2026-11-30 00:00:00 UTC as
/// `SOURCE_DATE_EPOCH`, so no test depends on the day it runs.
pub const TEST_EPOCH: &str = "1795996800";

/// Runs `smarketing` with arguments, as of 2026-11-30 ([`TEST_EPOCH`]).
pub fn run(args: &[&str]) -> Output {
    run_env(args, &[("SOURCE_DATE_EPOCH", Some(TEST_EPOCH))])
}

/// The one way a test starts the binary: `smarketing` with colour off and the as-of date pinned
/// to 2026-11-30 ([`TEST_EPOCH`]), so no test depends on the day, hour or zone it runs in. A
/// test about the clock itself removes `SOURCE_DATE_EPOCH` and sets the zone it needs.
pub fn command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_smarketing"));
    cmd.env("NO_COLOR", "1").env("SOURCE_DATE_EPOCH", TEST_EPOCH);
    cmd
}

/// Runs `smarketing` with arguments and environment variables set (`Some`) or removed (`None`).
pub fn run_env(args: &[&str], env: &[(&str, Option<&str>)]) -> Output {
    let mut cmd = command();
    cmd.args(args);
    for (k, v) in env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    cmd.output().unwrap()
}

/// Runs `smarketing` (as [`command`] starts it) in the folder `cwd` (the test's own when
/// `None`), failing the test if it has not finished within `limit`: a hang, not a timing
/// assertion, so the limit is many times a normal run on a busy machine. Both pipes are
/// drained while waiting, so a chatty child never blocks.
pub fn run_within_in(cwd: Option<&Path>, args: &[&str], limit: std::time::Duration) -> Output {
    run_within_env(cwd, args, &[], limit)
}

/// [`run_within_in`] with more environment variables set.
pub fn run_within_env(cwd: Option<&Path>, args: &[&str], env: &[(&str, &str)], limit: std::time::Duration) -> Output {
    use std::process::Stdio;
    let mut cmd = command();
    cmd.args(args);
    cmd.envs(env.iter().copied());
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = pipe.read_to_end(&mut v);
            v
        })
    };
    let out_reader = drain(Box::new(child.stdout.take().unwrap()));
    let err_reader = drain(Box::new(child.stderr.take().unwrap()));
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Output { status, stdout: out_reader.join().unwrap(), stderr: err_reader.join().unwrap() };
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`smarketing {}` did not finish within {limit:?}", args.join(" "));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// [`run_within_in`] in the test's own folder.
pub fn run_within(args: &[&str], limit: std::time::Duration) -> Output {
    run_within_in(None, args, limit)
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Every file under a folder with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(base, &e.path(), out);
            } else {
                out.insert(
                    e.path().strip_prefix(base).unwrap().to_string_lossy().to_string(),
                    std::fs::read(e.path()).unwrap(),
                );
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// What a build left beside the output: its staging and old-output folders carry
/// `smarketing` in their names.
pub fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("smarketing"))
        .collect()
}

/// Runs `smarketing` with arguments like [`run`] and returns its output with the peak memory
/// (MiB) of that one process, read from `wait4`'s resource usage, not the largest child of
/// any test that ran beside it (as `getrusage(RUSAGE_CHILDREN)` would). The parent must be small:
/// Linux counts its peak in the child's (tests/memory/main.rs).
#[cfg(target_os = "linux")]
#[allow(clippy::zombie_processes)] // reaped by wait4 below, which also gives its memory
pub fn run_peak_mib(args: &[&str]) -> (Output, i64) {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    let mut child = command().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        out.read_to_end(&mut v).unwrap();
        v
    });
    let mut stderr = Vec::new();
    err.read_to_end(&mut stderr).unwrap();
    let stdout = reader.join().unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `usage` is a plain struct the kernel fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointers; `pid` is our own child, not yet waited for (`child` is never
    // waited on after this, so its pid is reaped exactly once).
    assert_eq!(unsafe { libc::wait4(pid, &mut status, 0, &mut usage) }, pid);
    (Output { status: std::process::ExitStatus::from_raw(status), stdout, stderr }, usage.ru_maxrss / 1024)
}
