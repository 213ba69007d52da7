//! Writing new files for people: `init` (a sample project), `new meeting`, `theme export`,
//! and `schema --out`. Each refuses to overwrite anything.

use crate::diagnostics::Problem;
use crate::load::templates;
use crate::model::calendar::Month;
use jiff::civil::Date;
use std::fs;
use std::path::{Path, PathBuf};

fn err(message: impl Into<String>, hint: impl Into<String>) -> Problem {
    Problem::new(message, hint)
}

/// Longest slug, in bytes: a file name holds 255 bytes at most, and a long title (a pasted
/// paragraph) must still give a file; the title itself stays whole in the front matter.
const MAX_SLUG_BYTES: usize = 80;

/// A file-name slug: lowercase letters and digits, words joined by `-` (no `/`, no `.`), at
/// most [`MAX_SLUG_BYTES`] long.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    if out.len() > MAX_SLUG_BYTES {
        // Cut at a character boundary, then back to the last whole word when there is one.
        let mut end = MAX_SLUG_BYTES;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
        if let Some(i) = out.rfind('-').filter(|&i| i >= MAX_SLUG_BYTES / 2) {
            out.truncate(i);
        }
        out = out.trim_end_matches('-').to_string();
    }
    if out.is_empty() {
        "meeting".into()
    } else {
        out
    }
}

fn is_empty_dir(p: &Path) -> bool {
    !p.exists() || (p.is_dir() && fs::read_dir(p).map(|mut d| d.next().is_none()).unwrap_or(false))
}

/// The error for `dir` when something other than a folder is there (a file, a device): "the
/// folder is not empty" would send the user looking inside a folder that does not exist.
fn not_a_folder(dir: &Path, what: &str) -> Option<Problem> {
    let meta = fs::metadata(dir).ok()?;
    (!meta.is_dir()).then(|| {
        err(
            format!("refusing to {what} {}: it is a file, not a folder", dir.display()),
            "name a new or empty folder, like `themes/mine`",
        )
    })
}

/// Writes each (relative path, bytes) under `dir`, creating folders; the bytes as they are.
fn write_all<B: AsRef<[u8]>>(dir: &Path, files: &[(String, B)]) -> Result<(), Problem> {
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| err(format!("cannot create {}: {e}", parent.display()), "check permissions"))?;
        }
        fs::write(&path, bytes)
            .map_err(|e| err(format!("cannot write {}: {e}", path.display()), "check permissions"))?;
    }
    Ok(())
}

/// The JSON Schema files written into a new project, for editors: (path, text).
fn schema_files() -> Result<Vec<(String, String)>, Problem> {
    crate::commands::schema::KINDS
        .iter()
        .filter_map(|(k, _)| crate::commands::schema::kind(k).map(|s| (k, s)))
        .map(|(k, s)| {
            let text = serde_json::to_string_pretty(&s).map_err(|e| {
                err(format!("cannot write the schema of `{k}`: {e}"), "this is a bug in smarketing: please report it")
            })?;
            Ok((format!("schemas/{k}.schema.json"), text + "\n"))
        })
        .collect()
}

/// Writes a new project with a small sample into `dir`, which must be empty or missing.
/// The sample's months end at `today` (the caller's as-of date).
pub fn init(dir: &Path, today: Date) -> Result<Vec<String>, Problem> {
    if dir.exists() && !dir.is_dir() {
        return Err(err(
            format!("refusing to create a project at {}: it is a file, not a folder", dir.display()),
            "pick a new or empty folder, like `smarketing init my-report`",
        ));
    }
    if !is_empty_dir(dir) {
        return Err(err(
            format!("refusing to create a project in {}: the folder is not empty", dir.display()),
            "pick a new or empty folder, like `smarketing init my-report`",
        ));
    }
    let mut files = crate::commands::sample::files(today)?;
    files.extend(schema_files()?);
    write_all(dir, &files)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// The text of a new meeting note: front matter serialized with serde_yaml (so any title, with
/// line breaks, `---`, quotes, `#`, a leading `-` or `: `, reads back as the same text), a
/// commented example action, an empty notes section.
/// `reviews` is the month the meeting reviews, when it is not its own.
pub fn meeting_text(title: &str, date: Date, reviews: Option<Month>, attendees: &[String]) -> Result<String, Problem> {
    let fm = crate::commands::sample::Meeting {
        title,
        date: date.to_string(),
        reviews: reviews.map(|m| m.to_string()),
        attendees: attendees.iter().map(String::as_str).collect(),
        decisions: vec![],
        actions: vec![],
        shoutouts: vec![],
    };
    let yaml = crate::commands::sample::yaml(&fm)?;
    Ok(format!("---\n{yaml}# actions:\n#   - {{task: What to do, owner: Who, due: {date}}}\n---\n\n"))
}

/// The month of `--reviews YYYY-MM` for a meeting held on `date`: the meeting's own month or
/// one of the two before it, as the build requires; else why not.
pub fn reviewed_month(arg: &str, date: Date) -> Result<Month, String> {
    let m = Month::parse(arg).ok_or_else(|| "expected a month as YYYY-MM, like 2026-11".to_string())?;
    let own = Month::of(date);
    let earliest = own.prev().prev();
    if m > own || m < earliest {
        return Err(format!(
            "a meeting on {date} reviews a month from {earliest} to {own}; check the month, or pass --date"
        ));
    }
    Ok(m)
}

/// The names of `--attendees "A, B"`: split at commas, trimmed, empty ones left out.
pub fn attendee_list(arg: Option<&str>) -> Vec<String> {
    arg.unwrap_or("").split(',').map(str::trim).filter(|a| !a.is_empty()).map(String::from).collect()
}

/// Writes `content/meetings/DATE-slug.md` with front matter ready to fill; never overwrites.
/// Its attendees are only those given: a note nobody edited must not count as a joint meeting.
/// `reviews` is written as the meeting's `reviews:` month.
pub fn new_meeting(
    root: &Path,
    title: &str,
    date: Date,
    reviews: Option<Month>,
    attendees: &[String],
) -> Result<PathBuf, Problem> {
    let dir = root.join("content/meetings");
    // The build does not follow these symlinks: a note written through one would never count.
    let is_link = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    let content_out = is_link(&root.join("content")) && crate::load::dir_in_project(root, "content").is_none();
    if content_out || is_link(&dir) {
        let which = if content_out { "content/" } else { "content/meetings/" };
        return Err(err(
            format!(
                "{which} is a symlink{}, which the build does not follow: the meeting would not count",
                if content_out { " leading outside the project" } else { "" }
            ),
            format!("make {which} a real folder inside the project, then run this again"),
        ));
    }
    let path = dir.join(format!("{date}-{}.md", slugify(title)));
    if path.exists() {
        return Err(err(
            format!("{} already exists", crate::load::rel_path(root, &path)),
            "pick another title or date; smarketing never overwrites a meeting",
        ));
    }
    let text = meeting_text(title, date, reviews, attendees)?;
    fs::create_dir_all(&dir).map_err(|e| err(format!("cannot create {}: {e}", dir.display()), "check permissions"))?;
    // create_new: never overwrite, even if the file appeared meanwhile.
    use std::io::Write;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| err(format!("cannot create {}: {e}", path.display()), "pick another title or date"))?;
    f.write_all(text.as_bytes())
        .map_err(|e| err(format!("cannot write {}: {e}", path.display()), "check free disk space"))?;
    Ok(path)
}

/// Writes the built-in theme (templates and static files) into `dir`, which must be empty or missing.
pub fn export_theme(dir: &Path) -> Result<Vec<String>, Problem> {
    if let Some(e) = not_a_folder(dir, "export the theme into") {
        return Err(e);
    }
    if !is_empty_dir(dir) {
        return Err(err(
            format!("refusing to export the theme into {}: the folder is not empty", dir.display()),
            "pick a new folder, like `themes/mine`, then set `theme: mine` in content/site.yaml",
        ));
    }
    // Static files are bytes (an image, a font): written as they are, never through text.
    let mut files: Vec<(String, &[u8])> =
        templates::BUILTIN_TEMPLATES.iter().map(|(n, t)| (format!("templates/{n}"), t.as_bytes())).collect();
    files.extend(templates::BUILTIN_STATIC.iter().map(|(n, b)| (format!("static/{n}"), *b)));
    write_all(dir, &files)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// Writes one schema file per content kind into `dir`; refuses to overwrite one unless `force`
/// (then only the `KIND.schema.json` files are replaced; nothing else in `dir` is touched).
pub fn write_schemas(dir: &Path, force: bool) -> Result<Vec<String>, Problem> {
    let files: Vec<(String, String)> =
        schema_files()?.into_iter().map(|(p, t)| (p.trim_start_matches("schemas/").to_string(), t)).collect();
    if let Some((p, _)) = files.iter().find(|(p, _)| dir.join(p).exists()).filter(|_| !force) {
        return Err(err(
            format!("{} already exists", dir.join(p).display()),
            "pass --force to replace the schema files (nothing else in the folder is touched), or pick an empty folder",
        ));
    }
    if let Some((p, _)) = files.iter().find(|(p, _)| dir.join(p).is_dir()) {
        return Err(err(format!("{} is a folder", dir.join(p).display()), "move it away, then run this again"));
    }
    write_all(dir, &files)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_written_as_bytes_a_png_survives() {
        // A PNG's signature and a byte that is never UTF-8: text conversion would change them.
        let png: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF, 0xFE, 0x80];
        let tmp = tempfile::tempdir().unwrap();
        write_all(tmp.path(), &[("static/logo.png".to_string(), png)]).unwrap();
        assert_eq!(fs::read(tmp.path().join("static/logo.png")).unwrap(), png);
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Pipeline review: Q4!"), "pipeline-review-q4");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("Ünïcode Café"), "ünïcode-café");
        assert_eq!(slugify("!!!"), "meeting");
        // A pasted paragraph: cut to whole words within 80 bytes; one long word at a
        // character boundary (é is two bytes).
        let long = slugify(&"Quarterly pipeline review ".repeat(20));
        assert_eq!(long, "quarterly-pipeline-review-quarterly-pipeline-review-quarterly-pipeline-review");
        assert_eq!(slugify(&"é".repeat(300)), "é".repeat(40));
    }
}
