//! The `import` command around [`super::import`]: one CSV and map from the command line, one
//! map naming its own `csv` and `output`, or every `*.map.yaml` of a folder (the project's
//! `imports/`) in file-name order. Each output is written only when its own import succeeded
//! (and, with `--strict`, had no warning). An existing output is replaced without `--force`
//! only when the import wrote it and nobody edited it since (the checksum on its first line).

use super::{display, emit, output, Outcome};
use crate::diagnostics::{self, Severity};
use std::path::{Path, PathBuf};

/// The command line's switches.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Overwrite an output that is not the import's own unedited file.
    pub force: bool,
    /// Skip rows with unreadable values (each a warning) instead of failing.
    pub skip_bad_rows: bool,
    /// Any warning fails the import: exit 1, nothing written.
    pub strict: bool,
    /// Print only errors.
    pub quiet: bool,
}

/// What the command was asked to run.
pub enum Job<'a> {
    /// `import CSV --map MAP [--output FILE]`: standard output without `--output`.
    One {
        /// The CSV.
        csv: &'a Path,
        /// The map.
        map: &'a Path,
        /// `--output`.
        output: Option<&'a Path>,
    },
    /// `import --map MAP [--output FILE]`: the map's `csv`, and its `output` unless given.
    Map {
        /// The map.
        map: &'a Path,
        /// `--output`, else the map's `output`, else standard output.
        output: Option<&'a Path>,
    },
    /// `import [--maps DIR]`: every `*.map.yaml` in the folder, each naming `csv` and `output`.
    Folder(&'a Path),
}

/// Checks where `--output` points before anything is read: a folder, or a missing folder.
fn check_target(o: &Path) -> Result<(), String> {
    if o.is_dir() {
        return Err(format!(
            "error: {} is a folder, and --output names the file to write\n  = help: name a file in it, like {}",
            o.display(),
            o.join("crm.yaml").display()
        ));
    }
    if let Some(kind) = output::special_kind(o) {
        return Err(format!(
            "error: {} is {kind}, not a regular file, and the import replaces the file it names\n  = help: name a regular file to write, or leave out --output to print to standard output",
            diagnostics::escape_controls(&o.display().to_string())
        ));
    }
    let parent = o.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(p) = parent.filter(|p| !p.is_dir()) {
        return Err(format!(
            "error: cannot write {}: the folder {} does not exist\n  = help: check the path, or create the folder first",
            o.display(),
            p.display()
        ));
    }
    Ok(())
}

/// The first line (from 1) where `old` and `new` differ, comparing the lines under the first;
/// line 1 when only the first line differs.
fn first_difference(old: &str, new: &str) -> usize {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    (1..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)).map(|i| i + 1).unwrap_or(1)
}

/// Why an existing output may not be replaced without `--force`, if it may not.
fn refusal(path: &Path, yaml: &str) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let help = "keep numbers typed by hand in a funnel file of their own (the months of all funnel files merge), or pass --force to overwrite it";
    if !meta.is_file() {
        return Some(format!("error: {} already exists and is not a file\n  = help: {help}", path.display()));
    }
    let old = match std::fs::read(path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => return Some(format!("error: cannot read {}: {e}\n  = help: {help}", path.display())),
    };
    if emit::unedited(&old) {
        return None;
    }
    let (what, line) = if old.starts_with(emit::MARK) {
        let line = first_difference(&old, yaml);
        (
            format!(
                "was edited since `smarketing import` wrote it (the checksum on its first line no longer matches): line {line} differs from what this import writes"
            ),
            line,
        )
    } else if old.starts_with("# Imported by `smarketing import`") {
        (
            "was written by an earlier version of `smarketing import`, whose first line carries no checksum: pass --force once to replace it".to_string(),
            1,
        )
    } else {
        ("was not written by `smarketing import` (line 1 is not the line it starts its files with)".to_string(), 1)
    };
    Some(format!("error: {} {what}\n  --> {}:{line}\n  = help: {help}", path.display(), display(path)))
}

/// Runs one import and writes (or prints) its output; `Ok(summary)` or `Err(reason)`, with its
/// diagnostics printed.
fn one(csv: Option<&Path>, map: &Path, output: Option<&Path>, stdout: bool, o: Options) -> Result<String, String> {
    if let Some(p) = output {
        check_target(p).inspect_err(|m| crate::say!("{m}"))?;
    }
    let started = std::time::Instant::now();
    let outcome: Outcome = match super::import(csv, map, o.skip_bad_rows) {
        Ok(x) => x,
        Err(diags) => {
            diagnostics::print_human(&diags);
            return Err(format!("{}; nothing was written", diagnostics::summary(&diags)));
        }
    };
    let warnings = outcome.diags.iter().filter(|d| d.severity == Severity::Warning).count();
    if !o.quiet || (o.strict && warnings > 0) {
        diagnostics::print_human(&outcome.diags);
    }
    if o.strict && warnings > 0 {
        return Err(format!(
            "{} and --strict; nothing was written",
            if warnings == 1 { "1 warning".to_string() } else { format!("{warnings} warnings") }
        ));
    }
    let target = output.map(Path::to_path_buf).or(if stdout { None } else { outcome.output.clone() });
    match &target {
        Some(path) => {
            if output.is_none() {
                check_target(path).inspect_err(|m| crate::say!("{m}"))?;
            }
            let force = match refusal(path, &outcome.yaml) {
                None => true,
                Some(_) if o.force => true,
                Some(why) => {
                    crate::say!("{why}");
                    return Err("nothing was written".into());
                }
            };
            if let Err(e) = output::write_new(path, outcome.yaml.as_bytes(), force) {
                crate::say!("error: cannot write {}: {e}", path.display());
                return Err("nothing was written".into());
            }
        }
        None => crate::diagnostics::to_stdout(&outcome.yaml),
    }
    let to = target.map(|p| format!(" to {}", display(&p))).unwrap_or_default();
    let parallel = match outcome.parts {
        0 | 1 => String::new(),
        n => format!(" ({n} parts of the file counted at once)"),
    };
    Ok(format!("{}{to} in {} ms{parallel}", outcome.summary, started.elapsed().as_millis()))
}

/// The `*.map.yaml` files of a folder, in file-name order.
fn maps_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let rd = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "error: cannot read the maps folder {}: {e}\n  = help: put one `NAME.map.yaml` per export in the project's `imports/` folder, or name a CSV and `--map`",
            dir.display()
        )
    })?;
    let mut maps: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(".map.yaml")))
        .collect();
    maps.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    if maps.is_empty() {
        return Err(format!(
            "error: no `*.map.yaml` in {}\n  = help: write one map per export there, each naming its `csv` and `output`",
            dir.display()
        ));
    }
    Ok(maps)
}

/// The `import` command; its exit status.
pub fn run(job: Job, o: Options) -> u8 {
    match job {
        Job::One { csv, map, output } => report(one(Some(csv), map, output, output.is_none(), o), o),
        Job::Map { map, output } => report(one(None, map, output, false, o), o),
        Job::Folder(dir) => {
            let maps = match maps_in(dir) {
                Ok(m) => m,
                Err(m) => {
                    crate::say!("{m}");
                    return 1;
                }
            };
            let mut failed = 0;
            let mut lines = Vec::new();
            for m in &maps {
                match one(None, m, None, false, o) {
                    Ok(s) => lines.push(format!("  {}: {s}", display(m))),
                    Err(s) => {
                        failed += 1;
                        lines.push(format!("  {}: failed: {s}", display(m)));
                    }
                }
            }
            if !o.quiet || failed > 0 {
                crate::say!(
                    "import: {} of {} maps imported{}",
                    maps.len() - failed,
                    maps.len(),
                    if failed > 0 { format!(", {failed} failed") } else { String::new() }
                );
                for l in lines {
                    crate::say!("{l}");
                }
            }
            u8::from(failed > 0)
        }
    }
}

fn report(r: Result<String, String>, o: Options) -> u8 {
    match r {
        Ok(s) => {
            if !o.quiet {
                crate::say!("import: {s}");
            }
            0
        }
        Err(s) => {
            crate::say!("import: {s}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::first_difference;

    #[test]
    fn the_first_changed_line_under_the_first() {
        assert_eq!(first_difference("# a\nx\ny\n", "# b\nx\nz\n"), 3);
        assert_eq!(first_difference("# a\nx\n", "# b\nx\ny\n"), 3);
        assert_eq!(first_difference("# a\nx\n", "# b\nx\n"), 1);
    }
}
