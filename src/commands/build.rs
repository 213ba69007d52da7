//! `smarketing build`: load, then render every page into a staging folder beside the output and
//! swap it in, so a failed build leaves the old site whole.

use super::{refuse, Verbosity};
use crate::site::Site;
use crate::{diagnostics, load, render, write};
use std::path::Path;
use std::time::Instant;

/// Builds the site of `root` into `output` (default `root/public`); 0 on success.
pub fn build(root: &Path, output: Option<&Path>, base_url: Option<&str>, as_of: jiff::civil::Date, v: Verbosity) -> u8 {
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
    // The process ends with the build: freeing the project value by value (10,000 meetings take
    // milliseconds) would only delay the exit, so its memory goes back with the process.
    let site = std::mem::ManuallyDrop::new(site);
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
    let old_files = match unknown {
        Ok(Ok(unknown)) => {
            if let Err(e) = unknown.refusal(&out, keep) {
                return refuse(&e.message, &e.hint);
            }
            unknown.into_written()
        }
        Ok(Err(e)) => return refuse(&e.message, &e.hint),
        Err(panic) => std::panic::resume_unwind(panic),
    };
    let mut staging = match write::Staging::new(&out, keep, &lock) {
        Ok(s) => s,
        Err(e) => return refuse(&e.message, &e.hint),
    };
    staging.remove_old_by_list(old_files);
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
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), crate::diagnostics::Problem> {
        self.progress.tick();
        render::Sink::put(self.inner, path, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), crate::diagnostics::Problem> {
        render::Sink::copy(self.inner, path, from)
    }
}
