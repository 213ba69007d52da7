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

/// Runs `smarketing` with arguments and environment variables set (`Some`) or removed (`None`).
pub fn run_env(args: &[&str], env: &[(&str, Option<&str>)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_smarketing"));
    cmd.args(args).env("NO_COLOR", "1");
    for (k, v) in env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    cmd.output().unwrap()
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
