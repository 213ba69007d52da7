//! `smarketing new meeting`: a meeting note from the theme's template, named by date and title.

use super::scaffold;
use super::{refuse, Verbosity};
use crate::{diagnostics, load};
use std::path::Path;

/// Writes a new meeting note under `root/content/meetings/` and prints its path.
pub fn new_meeting(
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
