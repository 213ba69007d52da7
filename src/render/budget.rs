//! The render budget: what one page of a theme may cost. A user's template can call itself
//! (a component that renders itself four times per level runs for days: tera bounds the depth
//! of such calls, not their breadth), so every page is written through [`PageWriter`], which
//! stops at [`MAX_PAGE_BYTES`] or when the page has rendered for longer than the time budget,
//! and a watchdog ([`Watchdog`]) ends the process with an error naming the template when a
//! page runs past the budget without writing anything (a template that builds its output in
//! a variable or a filter first).

use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The most one page may weigh: a report of ten thousand meetings is about 10 MB.
pub const MAX_PAGE_BYTES: usize = 64 << 20;

/// The longest one page may take to render, unless `SMARKETING_PAGE_SECONDS` says otherwise
/// (a page takes milliseconds; the variable exists for slow machines and for the tests).
const DEFAULT_PAGE_SECONDS: u64 = 20;

/// The time budget of one page.
pub fn page_time() -> Duration {
    let secs = std::env::var("SMARKETING_PAGE_SECONDS").ok().and_then(|s| s.trim().parse::<u64>().ok());
    Duration::from_secs(secs.filter(|s| *s > 0).unwrap_or(DEFAULT_PAGE_SECONDS))
}

/// How many writes of a page go between two readings of the clock: a write takes well under a
/// microsecond, so a page past its budget is still stopped within a millisecond of it.
const CLOCK_EVERY: u32 = 256;

/// Why a page was stopped; the message of the I/O error [`PageWriter`] returns.
pub const OVER_BUDGET: &str = "the page passed its render budget";

/// A page being rendered into memory, refusing to grow past [`MAX_PAGE_BYTES`] or to go on
/// after its time budget.
pub struct PageWriter {
    /// The bytes so far.
    pub bytes: Vec<u8>,
    started: Instant,
    limit: Duration,
    /// Writes since the clock was last read (a template writes in many small pieces, and
    /// reading the clock on each was 4% of a build).
    writes: u32,
    /// What stopped it, when something did.
    pub stopped: Option<String>,
}

impl PageWriter {
    /// An empty page whose time budget starts now, with room for `expected` bytes (the
    /// largest page of its template so far), so that it is not grown and copied step by step.
    pub fn new(limit: Duration, expected: usize) -> PageWriter {
        PageWriter {
            bytes: Vec::with_capacity(expected.clamp(32 * 1024, MAX_PAGE_BYTES)),
            started: Instant::now(),
            limit,
            writes: 0,
            stopped: None,
        }
    }
}

impl Write for PageWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_PAGE_BYTES {
            self.stopped = Some(format!("it grew past {} MiB", MAX_PAGE_BYTES >> 20));
        } else if self.writes.is_multiple_of(CLOCK_EVERY) && self.started.elapsed() > self.limit {
            self.stopped = Some(format!("it rendered for more than {} s", self.limit.as_secs()));
        }
        self.writes = self.writes.wrapping_add(1);
        if self.stopped.is_some() {
            return Err(std::io::Error::other(OVER_BUDGET));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The largest page rendered so far per template, so the next page of that template starts
/// with room enough (a report page grew from 32 KB to 256 KB through three copies).
static SIZES: Mutex<Vec<(String, usize)>> = Mutex::new(Vec::new());

/// The largest page of template `name` rendered so far (0 before the first).
pub fn expected_size(name: &str) -> usize {
    let sizes = SIZES.lock().unwrap_or_else(|e| e.into_inner());
    sizes.iter().find(|(n, _)| n == name).map_or(0, |(_, s)| *s)
}

/// Notes a page of template `name` of `bytes` bytes.
pub fn seen_size(name: &str, bytes: usize) {
    let mut sizes = SIZES.lock().unwrap_or_else(|e| e.into_inner());
    match sizes.iter_mut().find(|(n, _)| n == name) {
        Some((_, s)) => *s = (*s).max(bytes),
        None => sizes.push((name.to_string(), bytes)),
    }
}

/// The pages being rendered now: (id, started, template file, page path).
static RENDERING: Mutex<Vec<(u64, Instant, String, String)>> = Mutex::new(Vec::new());

/// A page registered as rendering; dropped when it is done.
pub struct Rendering(u64);

impl Rendering {
    /// Registers a page (`file`: the template file to name; `page`: the output path).
    pub fn start(file: &str, page: &str) -> Rendering {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut list = RENDERING.lock().unwrap_or_else(|e| e.into_inner());
        list.push((id, Instant::now(), file.to_string(), page.to_string()));
        Rendering(id)
    }
}

impl Drop for Rendering {
    fn drop(&mut self) {
        RENDERING.lock().unwrap_or_else(|e| e.into_inner()).retain(|(id, ..)| *id != self.0);
    }
}

/// The first page rendering for longer than `limit`: (template file, page path).
fn overdue(limit: Duration) -> Option<(String, String)> {
    let list = RENDERING.lock().unwrap_or_else(|e| e.into_inner());
    list.iter().find(|(_, started, ..)| started.elapsed() > limit).map(|(_, _, f, p)| (f.clone(), p.clone()))
}

/// Watches the pages of one render; dropped when the render is done. A page past its time
/// budget cannot be interrupted inside the template engine, so the watchdog prints an error
/// naming its template and ends the process (exit status 1); nothing is published, and the
/// staging folder of a build is removed by the next one.
pub struct Watchdog {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Watchdog {
    /// Starts watching with the time budget `limit`.
    pub fn start(limit: Duration) -> Watchdog {
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = done.clone();
        // Twice the budget: a page that writes as it goes is stopped by its writer first, with
        // an ordinary error.
        let grace = limit * 2;
        std::thread::spawn(move || {
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                if let Some((file, page)) = overdue(grace) {
                    crate::say!(
                        "error: template error: rendering `{page}` with {} ran for more than {} s and was stopped; nothing was written\n  = help: a template that calls itself (or loops) without end? A page takes milliseconds; SMARKETING_PAGE_SECONDS raises the budget on a very slow machine",
                        crate::diagnostics::escape_controls(&file),
                        grace.as_secs()
                    );
                    std::process::exit(1);
                }
            }
        });
        Watchdog { done }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}
