//! Writing new files for people: `init` (a sample project), `new meeting`, `theme export`,
//! and `schema --out`. Each refuses to overwrite anything.

use crate::load::templates;
use crate::model::calendar::Month;
use jiff::civil::Date;
use serde::Serialize;
use std::fs;
use std::path::{Path, PathBuf};

/// A refusal or failure, with what to do about it.
#[derive(Debug)]
pub struct ScaffoldError {
    /// What went wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

fn err(message: impl Into<String>, hint: impl Into<String>) -> ScaffoldError {
    ScaffoldError { message: message.into(), hint: hint.into() }
}

/// A file-name slug: lowercase letters and digits, words joined by `-` (no `/`, no `.`).
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "meeting".into()
    } else {
        out
    }
}

fn is_empty_dir(p: &Path) -> bool {
    !p.exists() || (p.is_dir() && fs::read_dir(p).map(|mut d| d.next().is_none()).unwrap_or(false))
}

fn write_all(dir: &Path, files: &[(String, String)]) -> Result<(), ScaffoldError> {
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| err(format!("cannot create {}: {e}", parent.display()), "check permissions"))?;
        }
        fs::write(&path, text)
            .map_err(|e| err(format!("cannot write {}: {e}", path.display()), "check permissions"))?;
    }
    Ok(())
}

const SCHEMA_LINE: &str = "# yaml-language-server: $schema=";

/// The JSON Schema files written into a new project, for editors: (path, text).
fn schema_files() -> Vec<(String, String)> {
    crate::commands::schema::KINDS
        .iter()
        .filter_map(|(k, _)| {
            crate::commands::schema::kind(k).map(|s| {
                (format!("schemas/{k}.schema.json"), serde_json::to_string_pretty(&s).unwrap_or_default() + "\n")
            })
        })
        .collect()
}

/// Writes a new project with a small sample into `dir`, which must be empty or missing.
pub fn init(dir: &Path) -> Result<Vec<String>, ScaffoldError> {
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
    let now = Month::of(crate::model::calendar::today());
    let m3 = now.prev();
    let m2 = m3.prev();
    let m1 = m2.prev();
    let day = |m: Month, d: i8| Date::new(m.year, m.month, d).unwrap_or(m.first_day());
    let files: Vec<(String, String)> = vec![
        (
            "content/site.yaml".into(),
            format!(
                "{SCHEMA_LINE}../schemas/site.schema.json\n# Site settings: every key is optional. See the README for all of them.\ntitle: Our smarketing report\norganization: Example Co\ncurrency: USD\nteams:\n  marketing: {{name: Marketing, members: [Dana Lee, Priya Shah]}}\n  sales: {{name: Sales, members: [Sam Ortiz, Lee Chen]}}\nstages: [leads, mql, sql, opportunities, won]\nmin_joint_meetings: 2\n"
            ),
        ),
        (
            "content/funnel/numbers.yaml".into(),
            format!(
                "{SCHEMA_LINE}../../schemas/funnel.schema.json\n# One list item per month: the funnel counts and, optionally, money and durations.\n- month: {m1}\n  stages: {{leads: 1500, mql: 450, sql: 130, opportunities: 70, won: 18}}\n  revenue: 216000\n  spend: {{marketing: 60000, sales: 90000}}\n  customers: {{start: 300, new: 18, lost: 5}}\n  sales_cycle_days: 44\n  days_to_mql: 6.5\n- month: {m2}\n  stages: {{leads: 1620, mql: 500, sql: 150, opportunities: 78, won: 21}}\n  revenue: 256000\n  spend: {{marketing: 62000, sales: 90000}}\n  customers: {{start: 313, new: 21, lost: 4}}\n  sales_cycle_days: 42\n  days_to_mql: 6\n- month: {m3}\n  stages: {{leads: 1710, mql: 540, sql: 175, opportunities: 85, won: 24}}\n  revenue: 290000\n  spend: {{marketing: 61000, sales: 92000}}\n  customers: {{start: 330, new: 24, lost: 5}}\n  sales_cycle_days: 40\n  days_to_mql: 5.5\n  by_channel:\n    organic search: {{leads: 700, mql: 240, won: 11}}\n    paid search: {{leads: 520, mql: 150, won: 7, spend: 21000}}\n"
            ),
        ),
        (
            "content/goals/goals.yaml".into(),
            format!(
                "{SCHEMA_LINE}../../schemas/goals.schema.json\n- id: mql-to-sql\n  title: Raise MQL→SQL conversion to 35%\n  owners: [marketing, sales]\n  metric: conversion.mql.sql\n  unit: percent\n  baseline: 0.28\n  target: 0.35\n  start: {m1}\n  due: {due}\n- id: webinar-leads\n  title: 300 webinar leads\n  owners: [marketing]\n  unit: count\n  baseline: 0\n  target: 300\n  start: {m2}\n  due: {due}\n  checkins:\n    - {{month: {m3}, value: 120, note: First two webinars}}\n",
                due = now.next().next()
            ),
        ),
        (
            format!("content/meetings/{}-pipeline-review.md", day(m3, 7)),
            format!(
                "---\ntitle: Pipeline review\ndate: {}\nattendees: [Dana Lee, Sam Ortiz, Lee Chen]\ndecisions:\n  - Both teams use one MQL definition (score >= 60 and ICP fit)\nactions:\n  - {{task: Publish the new lead scoring, owner: Dana Lee, due: {}, done: true}}\n  - {{task: Call back every MQL within 24 hours, owner: Sam Ortiz, due: {}}}\nshoutouts: [\"Sales thanks Marketing for the webinar leads\"]\n---\nNotes in **markdown**: tables, task lists and links work.\n\n- [x] Agree the MQL definition\n- [ ] Review it next month\n",
                day(m3, 7),
                day(m3, 21),
                day(now, 15)
            ),
        ),
        (
            format!("content/meetings/{}-campaign-planning.md", day(m3, 18)),
            format!(
                "---\ntitle: Campaign planning\ndate: {}\nattendees: [Priya Shah, Lee Chen]\ndecisions:\n  - Sales reviews webinar topics before launch\nactions:\n  - {{task: Send the webinar calendar to sales, owner: Priya Shah, due: {}}}\n---\nWe planned next quarter's campaigns together.\n",
                day(m3, 18),
                day(m3, 28)
            ),
        ),
        (
            "content/checklist.yaml".into(),
            format!("{SCHEMA_LINE}../schemas/checklist.schema.json\n# The five key takeaways are built in; tick the self-assessed ones each month.\nmonths:\n  - {{month: {m3}, checked: [open-ears, positive-intent], note: Good retro}}\n"),
        ),
        (format!("content/reports/{m3}.md"), "---\ntitle: A good start\n---\nWrite the month's commentary here, in markdown.\n".into()),
        (".gitignore".into(), "/public\n".into()),
    ];
    let mut files = files;
    files.extend(schema_files());
    write_all(dir, &files)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// The front matter of a new meeting note, serialized with serde_yaml so that any title (line
/// breaks, `---`, quotes, `#`, a leading `-`, `: `) is written as YAML that reads back as the
/// same text.
#[derive(Serialize)]
struct MeetingFrontMatter<'a> {
    title: &'a str,
    date: String,
    attendees: &'a [String],
    decisions: [&'a str; 0],
    actions: [&'a str; 0],
    shoutouts: [&'a str; 0],
}

/// The text of a new meeting note: front matter, a commented example action, an empty notes
/// section.
pub fn meeting_text(title: &str, date: Date, attendees: &[String]) -> String {
    let fm = MeetingFrontMatter { title, date: date.to_string(), attendees, decisions: [], actions: [], shoutouts: [] };
    let yaml = serde_yaml::to_string(&fm).unwrap_or_default();
    format!("---\n{yaml}# actions:\n#   - {{task: What to do, owner: Who, due: {date}}}\n---\n## Notes\n\n")
}

/// The names of `--attendees "A, B"`: split at commas, trimmed, empty ones left out.
pub fn attendee_list(arg: Option<&str>) -> Vec<String> {
    arg.unwrap_or("").split(',').map(str::trim).filter(|a| !a.is_empty()).map(String::from).collect()
}

/// Writes `content/meetings/DATE-slug.md` with front matter ready to fill; never overwrites.
/// Its attendees are only those given: a note nobody edited must not count as a joint meeting.
pub fn new_meeting(root: &Path, title: &str, date: Date, attendees: &[String]) -> Result<PathBuf, ScaffoldError> {
    let dir = root.join("content/meetings");
    let path = dir.join(format!("{date}-{}.md", slugify(title)));
    if path.exists() {
        return Err(err(
            format!("{} already exists", crate::load::rel_path(root, &path)),
            "pick another title or date; smarketing never overwrites a meeting",
        ));
    }
    let text = meeting_text(title, date, attendees);
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
pub fn export_theme(dir: &Path) -> Result<Vec<String>, ScaffoldError> {
    if !is_empty_dir(dir) {
        return Err(err(
            format!("refusing to export the theme into {}: the folder is not empty", dir.display()),
            "pick a new folder, like `themes/mine`, then set `theme: mine` in content/site.yaml",
        ));
    }
    let mut files: Vec<(String, String)> =
        templates::BUILTIN_TEMPLATES.iter().map(|(n, t)| (format!("templates/{n}"), t.to_string())).collect();
    files.extend(
        templates::BUILTIN_STATIC.iter().map(|(n, b)| (format!("static/{n}"), String::from_utf8_lossy(b).to_string())),
    );
    write_all(dir, &files)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// Writes one schema file per content kind into `dir` (refusing to overwrite).
pub fn write_schemas(dir: &Path) -> Result<Vec<String>, ScaffoldError> {
    let files: Vec<(String, String)> =
        schema_files().into_iter().map(|(p, t)| (p.trim_start_matches("schemas/").to_string(), t)).collect();
    if let Some((p, _)) = files.iter().find(|(p, _)| dir.join(p).exists()) {
        return Err(err(format!("{} already exists", dir.join(p).display()), "pick an empty folder"));
    }
    write_all(dir, &files)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Pipeline review: Q4!"), "pipeline-review-q4");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("Ünïcode Café"), "ünïcode-café");
        assert_eq!(slugify("!!!"), "meeting");
    }
}
