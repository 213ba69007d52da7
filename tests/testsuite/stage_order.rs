//! The pipeline's stages keep their order in the code: diagnostics < model < load < analyze <
//! assemble < render < write. A stage may name an earlier one, never a later one, and `import`
//! and `serve` never name `commands`; no stage names the modules that wire stages together
//! (`site`, `commands`, `cli`, `serve`, `import`). docs/internals.md explains why. This reads the sources,
//! so a new `use crate::render` in `load/` fails here with the file and line.

use std::path::{Path, PathBuf};

/// The stages, earliest first.
const STAGES: [&str; 7] = ["diagnostics", "model", "load", "analyze", "assemble", "render", "write"];

/// Every `.rs` file of module `name`: `src/NAME.rs` and everything under `src/NAME/`.
fn files_of(src: &Path, name: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let single = src.join(format!("{name}.rs"));
    if single.is_file() {
        out.push(single);
    }
    let mut dirs = vec![src.join(name)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Whether `line` names module `m` of the crate: `crate::m`, `crate::{…, m, …}` (on the line
/// or the lines after an opening `crate::{`), or `super::super::m`.
fn names(line: &str, m: &str) -> bool {
    let word_at = |s: &str, at: usize| {
        s[at..].starts_with(m) && !s[at + m.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
    };
    for prefix in ["crate::", "super::super::"] {
        let mut from = 0;
        while let Some(i) = line[from..].find(prefix) {
            let at = from + i + prefix.len();
            if word_at(line, at) {
                return true;
            }
            from = at;
        }
    }
    false
}

/// The places (file:line: text) in module `module` that name any of `forbidden`.
fn violations(module: &str, forbidden: &[&str]) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for file in files_of(&src, module) {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut in_group = false;
        for (n, line) in text.lines().enumerate() {
            // The part of the line inside a grouped import (`use crate::{a, b};`, perhaps over
            // several lines).
            let group = if in_group { Some(line) } else { line.find("crate::{").map(|i| &line[i..]) };
            for m in forbidden {
                let in_group_names =
                    group.is_some_and(|g| g.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w == *m));
                if names(line, m) || in_group_names {
                    let shown = file.strip_prefix(src.parent().unwrap()).unwrap().display();
                    found.push(format!("{shown}:{}: names `{m}`: {}", n + 1, line.trim()));
                }
            }
            if line.contains("crate::{") && !line.contains('}') {
                in_group = true;
            } else if in_group && line.contains('}') {
                in_group = false;
            }
        }
    }
    found
}

#[test]
fn no_stage_names_a_later_stage() {
    let mut all = Vec::new();
    for (i, stage) in STAGES.iter().enumerate() {
        all.extend(violations(stage, &STAGES[i + 1..]));
    }
    assert!(all.is_empty(), "an earlier stage names a later one:\n{}", all.join("\n"));
}

#[test]
fn no_stage_names_the_outer_modules() {
    let outer = ["site", "commands", "cli", "serve", "import"];
    let mut all = Vec::new();
    for stage in STAGES {
        all.extend(violations(stage, &outer));
    }
    assert!(all.is_empty(), "a stage names a module that wires the stages together:\n{}", all.join("\n"));
}

#[test]
fn import_and_serve_never_name_commands() {
    let mut all = violations("import", &["commands", "cli"]);
    all.extend(violations("serve", &["commands", "cli"]));
    assert!(all.is_empty(), "import or serve names a command:\n{}", all.join("\n"));
}

#[test]
fn the_check_itself_finds_each_way_of_naming() {
    assert!(names("use crate::render::markdown;", "render"));
    assert!(names("    match crate::write::keep_path_problem(&path) {", "write"));
    assert!(names("use super::super::render::x;", "render"));
    assert!(!names("use crate::rendering::x;", "render"));
    assert!(!names("use crate::load::x;", "render"));
}
