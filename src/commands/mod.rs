//! One function per command: each prints what the user needs and returns the exit status
//! (0 success, 1 content or file problem, 2 wrong usage).

use crate::cli::{Cli, Command, Format, NewKind, Shell, ThemeCommand};
pub mod digest;
pub mod sample;
pub mod scaffold;
pub mod schema;

use crate::model::calendar;
use crate::site::Site;
use crate::{diagnostics, load, render, serve, write};
use std::path::Path;
use std::time::Instant;

/// How much to print.
#[derive(Debug, Clone, Copy)]
pub struct Verbosity {
    /// Only errors.
    pub quiet: bool,
    /// Stage timings too.
    pub verbose: bool,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> u8 {
    let v = Verbosity { quiet: cli.quiet, verbose: cli.verbose };
    match cli.command {
        Command::Check { root, format, strict, as_of } => match resolve_as_of(as_of.as_deref()) {
            Ok(d) => check(&root, format, strict, d.unwrap_or_else(calendar::today), v),
            Err(code) => code,
        },
        Command::Build { root, output, base_url, as_of } => match resolve_as_of(as_of.as_deref()) {
            Ok(d) => build(&root, output.as_deref(), base_url.as_deref(), d.unwrap_or_else(calendar::today), v),
            Err(code) => code,
        },
        Command::Serve { root, port, as_of } => match resolve_as_of(as_of.as_deref()) {
            Ok(d) => serve::run(root, port, d, v.quiet),
            Err(code) => code,
        },
        // The sample's months end at the as-of date (`SOURCE_DATE_EPOCH` when set, else today),
        // so `init` then `build` agree on what is recent, and a pinned clock gives the same files.
        Command::Init { dir } => {
            match resolve_as_of(None).map(|d| scaffold::init(&dir, d.unwrap_or_else(calendar::today))) {
                Err(code) => code,
                Ok(Ok(files)) => {
                    if !v.quiet {
                        crate::say!("init: created {} files in {}", files.len(), dir.display());
                        crate::say!("next: cd {} && smarketing serve", dir.display());
                    }
                    0
                }
                Ok(Err(e)) => refuse(&e.message, &e.hint),
            }
        }
        Command::New(NewKind::Meeting { title, date, attendees, reviews, root }) => {
            new_meeting(&root, &title, date.as_deref(), reviews.as_deref(), attendees.as_deref(), v)
        }
        Command::Import { csv, map, maps, root, output, force, skip_bad_rows, strict } => {
            use crate::import::Job;
            let o = crate::import::Options { force, skip_bad_rows, strict, quiet: v.quiet };
            let folder = maps.unwrap_or_else(|| root.join("imports"));
            let job = match (&csv, &map) {
                (Some(csv), Some(map)) => Job::One { csv, map, output: output.as_deref() },
                (None, Some(map)) => Job::Map { map, output: output.as_deref() },
                _ => Job::Folder(&folder),
            };
            crate::import::run(job, o)
        }
        Command::Digest { period, format, from, to, root, as_of } => match resolve_as_of(as_of.as_deref()) {
            Ok(d) => {
                let mail = digest::Mail { from: from.as_deref(), to: &to };
                digest::run(&root, period.as_deref(), format, &mail, d.unwrap_or_else(calendar::today), v)
            }
            Err(code) => code,
        },
        Command::Schema { kind, out, force } => schema_cmd(kind.as_deref(), out.as_deref(), force, v),
        Command::Theme(ThemeCommand::Export { dir }) => match scaffold::export_theme(&dir) {
            Ok(files) => {
                if !v.quiet {
                    crate::say!("theme export: wrote {} files to {}", files.len(), dir.display());
                    crate::say!("next: put it at themes/NAME and set `theme: NAME` in content/site.yaml, or copy single templates into templates/");
                }
                0
            }
            Err(e) => refuse(&e.message, &e.hint),
        },
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            let sh = match shell {
                Shell::Bash => clap_complete::Shell::Bash,
                Shell::Zsh => clap_complete::Shell::Zsh,
                Shell::Fish => clap_complete::Shell::Fish,
            };
            let mut buf = Vec::new();
            clap_complete::generate(sh, &mut cmd, "smarketing", &mut buf);
            diagnostics::to_stdout(&String::from_utf8_lossy(&buf));
            0
        }
    }
}

/// The as-of date from `--as-of` or `SOURCE_DATE_EPOCH` (`None`: today), or exit status 2
/// after saying what is wrong with it.
fn resolve_as_of(arg: Option<&str>) -> Result<Option<jiff::civil::Date>, u8> {
    let env = std::env::var_os("SOURCE_DATE_EPOCH").map(|v| v.to_string_lossy().into_owned());
    calendar::as_of_from(arg, env.as_deref()).map_err(|message| {
        crate::say!("error: {message}");
        2
    })
}

/// Prints a refusal. Both parts may name files found on disk (an unknown file in the output
/// named `\e]0;…`), so they are printed escaped like every diagnostic.
pub(crate) fn refuse(message: &str, hint: &str) -> u8 {
    crate::say!("error: {}", diagnostics::escape_controls(message));
    if !hint.is_empty() {
        crate::say!("  = help: {}", diagnostics::escape_controls(hint));
    }
    1
}

fn check(root: &Path, format: Format, strict: bool, as_of: jiff::civil::Date, v: Verbosity) -> u8 {
    let mut site = Site::load(root, as_of, None);
    if !site.has_errors() {
        // Render every page without writing: a template `build` cannot render (an unknown
        // variable, a division by zero, a page past the render budget) fails check too.
        if let Err(diags) = site.build(&render::DiscardSink) {
            site.loaded.diags.extend(diags);
            diagnostics::sort(&mut site.loaded.diags);
        }
    }
    let diags = site.diagnostics();
    let (errors, warnings) = diagnostics::counts(diags);
    match format {
        Format::Json => match diagnostics::to_json(diags) {
            Ok(json) => diagnostics::to_stdout(&(json + "\n")),
            Err(e) => {
                return refuse(
                    &format!("cannot write the diagnostics as JSON: {e}"),
                    "this is a bug in smarketing: please report it",
                )
            }
        },
        Format::Human => {
            if !v.quiet || errors > 0 {
                diagnostics::print_human(diags);
                crate::say!("check: {} ({} content files checked)", diagnostics::summary(diags), site.loaded.files);
            }
        }
    }
    u8::from(errors > 0 || (strict && warnings > 0))
}

fn build(root: &Path, output: Option<&Path>, base_url: Option<&str>, as_of: jiff::civil::Date, v: Verbosity) -> u8 {
    let started = Instant::now();
    if let Some(b) = base_url {
        if let Some(problem) = load::kinds::base_url_problem(b) {
            crate::say!("error: --base-url {problem}, found `{}`", diagnostics::escape_controls(b));
            return 2;
        }
    }
    let default_out = root.join("public");
    let out = match write::check_target(root, output.unwrap_or(&default_out)) {
        Ok(o) => o,
        Err(e) => return refuse(&e.message, &e.hint),
    };
    let lock = match write::lock(&out, || {
        if !v.quiet {
            crate::say!("build: another build is writing {}; waiting for it to finish", out.display());
        }
    }) {
        Ok(l) => l,
        Err(e) => return refuse(&e.message, &e.hint),
    };
    // Leftovers of killed builds go first: what they took from the output goes back, so the
    // check for unknown files below sees it.
    for stale in write::clean_stale(&out, &lock) {
        crate::say!(
            "warning: {} holds files a killed build took from the output that could not be put back (the output has files of the same names again); look through it, then delete it",
            diagnostics::escape_controls(&stale.display().to_string())
        );
    }
    // What the old output holds that the last build did not write is listed while the project
    // loads (the walk is mostly waiting on the file system); it is judged once `keep_in_output`
    // is known.
    let (unknown, site) = std::thread::scope(|s| {
        let scan = s.spawn(|| write::scan_contents(&out));
        let site = Site::load(root, as_of, base_url);
        (scan.join(), site)
    });
    let loaded = &site.loaded;
    let t_load = started.elapsed();
    if !v.quiet || loaded.has_errors() {
        diagnostics::print_human(&loaded.diags);
    }
    if loaded.has_errors() {
        crate::say!("build: {}; nothing was written", diagnostics::summary(&loaded.diags));
        return 1;
    }
    let keep = &loaded.project.site.keep_in_output;
    match unknown {
        Ok(Ok(unknown)) => {
            if let Err(e) = unknown.refusal(&out, keep) {
                return refuse(&e.message, &e.hint);
            }
        }
        Ok(Err(e)) => return refuse(&e.message, &e.hint),
        Err(panic) => std::panic::resume_unwind(panic),
    }
    let staging = match write::Staging::new(&out, keep, &lock) {
        Ok(s) => s,
        Err(e) => return refuse(&e.message, &e.hint),
    };
    let progress =
        Progress::new(started, v.quiet, loaded.project.meetings.len() + loaded.project.report_months().len() + 8);
    let sink = ProgressSink { inner: &staging, progress: &progress };
    // The pipeline: load (above) -> analyze, once -> assemble and render each page -> write.
    let result = site.build(&sink);
    progress.finish();
    let pages = match result {
        Ok(n) => n,
        Err(diags) => {
            diagnostics::print_human(&diags);
            crate::say!("build: {}; nothing was written", diagnostics::summary(&diags));
            return 1;
        }
    };
    let t_render = started.elapsed();
    if let Err(e) = staging.commit() {
        return refuse(&e.message, &e.hint);
    }
    if v.verbose {
        crate::say!(
            "build: load {} ms ({} files), render and write {} ms, swap {} ms",
            t_load.as_millis(),
            loaded.files,
            (t_render - t_load).as_millis(),
            (started.elapsed() - t_render).as_millis()
        );
    }
    if !v.quiet {
        if base_url.is_none() && loaded.project.site.base_url.is_none() {
            crate::say!("note: no base_url, so feed.xml and sitemap.xml were not written (set `base_url` in content/site.yaml or pass --base-url)");
        }
        crate::say!("build: wrote {pages} pages to {} in {} ms", out.display(), started.elapsed().as_millis());
    }
    0
}

/// A progress bar on standard error that appears only on a terminal, and only once the work
/// has taken more than a second (most builds finish well before).
pub struct Progress {
    bar: indicatif::ProgressBar,
    started: Instant,
    enabled: bool,
    shown: std::sync::atomic::AtomicBool,
}

impl Progress {
    /// A hidden bar for `total` steps.
    pub fn new(started: Instant, quiet: bool, total: usize) -> Self {
        use std::io::IsTerminal;
        let bar = indicatif::ProgressBar::with_draw_target(Some(total as u64), indicatif::ProgressDrawTarget::hidden());
        Progress { bar, started, enabled: !quiet && std::io::stderr().is_terminal(), shown: Default::default() }
    }

    /// One step done; shows the bar once a second has passed.
    pub fn tick(&self) {
        self.bar.inc(1);
        if self.enabled
            && !self.shown.load(std::sync::atomic::Ordering::Relaxed)
            && self.started.elapsed().as_secs() >= 1
        {
            self.shown.store(true, std::sync::atomic::Ordering::Relaxed);
            self.bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Passes files on to the staging folder and counts them for the progress bar.
struct ProgressSink<'a> {
    inner: &'a write::Staging,
    progress: &'a Progress,
}

impl render::Sink for ProgressSink<'_> {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), String> {
        self.progress.tick();
        render::Sink::put(self.inner, path, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), String> {
        render::Sink::copy(self.inner, path, from)
    }
}

fn new_meeting(
    root: &Path,
    title: &str,
    date: Option<&str>,
    reviews: Option<&str>,
    attendees: Option<&str>,
    v: Verbosity,
) -> u8 {
    let date = match date {
        Some(d) => match crate::model::calendar::parse_date(d) {
            Some(d) => d,
            None => {
                crate::say!("error: --date must be a real date as YYYY-MM-DD, found `{d}`");
                return 2;
            }
        },
        // The local date: a note written at 18:00 in New York is dated that day, not tomorrow.
        None => crate::model::calendar::today(),
    };
    let reviews = match reviews.map(|r| (r, scaffold::reviewed_month(r, date))) {
        None => None,
        Some((_, Ok(m))) => Some(m),
        Some((r, Err(why))) => {
            crate::say!("error: --reviews {r}: {why}");
            return 2;
        }
    };
    if title.trim().is_empty() {
        crate::say!("error: the meeting's title is empty; give what the meeting was, like `smarketing new meeting \"Pipeline review\"`");
        return 2;
    }
    if !root.join("content").is_dir() {
        return refuse(
            &format!("no `content/` folder in {}", root.display()),
            "run this inside a project, pass `--root DIR`, or start one with `smarketing init DIR`",
        );
    }
    match scaffold::new_meeting(root, title, date, reviews, &scaffold::attendee_list(attendees)) {
        Ok(path) => {
            if !v.quiet {
                crate::say!("new: wrote {}", load::rel_path(root, &path));
            }
            diagnostics::to_stdout(&format!("{}\n", path.display()));
            0
        }
        Err(e) => refuse(&e.message, &e.hint),
    }
}

fn schema_cmd(kind: Option<&str>, out: Option<&Path>, force: bool, v: Verbosity) -> u8 {
    if let Some(dir) = out {
        return match scaffold::write_schemas(dir, force) {
            Ok(files) => {
                if !v.quiet {
                    crate::say!("schema: wrote {} files to {}", files.len(), dir.display());
                }
                0
            }
            Err(e) => refuse(&e.message, &e.hint),
        };
    }
    let value = match kind {
        Some(k) => match schema::kind(k) {
            Some(s) => s,
            None => {
                let kinds: Vec<&str> = schema::KINDS.iter().map(|(k, _)| *k).collect();
                crate::say!("error: unknown kind `{k}`; kinds are {}", kinds.join(", "));
                return 2;
            }
        },
        None => schema::bundle(),
    };
    match serde_json::to_string_pretty(&value) {
        Ok(text) => {
            diagnostics::to_stdout(&(text + "\n"));
            0
        }
        Err(e) => refuse(&format!("cannot write the schema: {e}"), "this is a bug in smarketing: please report it"),
    }
}
