//! The markdown content files: meeting notes (front matter, then notes) and a month's
//! commentary. Each reads its front matter through the typed records, checks what spans fields
//! (attendees in no team, action items, `reviews`), and warns about images from other hosts.

use super::content;
use super::de::{self, Loc};
use super::kinds::{parse_yaml, texts, yaml_error};
use super::reader::{suggest, FileReader};
use super::split_front_matter;
use super::yaml;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::calendar::Month;
use crate::model::*;

/// The hint for a person in no team: the closest member's name when it is a likely typo
/// ("Sam Ortis" -> "Sam Ortiz"), else where members are listed.
fn member_hint(s: &Site, name: &str) -> String {
    let members: Vec<&str> = s.teams.iter().flat_map(|t| t.members.iter().map(String::as_str)).collect();
    match suggest(name, &members) {
        Some(m) => format!("did you mean `{m}`? Or add them to a team's `members` in content/site.yaml"),
        None => "add them to a team's `members` in content/site.yaml, or check the spelling".into(),
    }
}

/// Reads a meeting file (`.md` with front matter, or `.yaml`).
/// A meeting dated after `as_of` is checked like any other, then left out with a warning.
pub fn meeting(
    r: &mut FileReader,
    text: &str,
    slug: &str,
    is_md: bool,
    s: &Site,
    as_of: jiff::civil::Date,
) -> Option<Meeting> {
    let (node, body) = if is_md {
        match split_front_matter(text) {
            Some((yaml_text, offset, body)) => match yaml::parse(yaml_text, offset) {
                Ok(Some(node)) => (node, body.to_string()),
                // Not "an empty file" to skip: a note whose fields are missing.
                Ok(None) => {
                    return at_opening_line(
                        r,
                        "this meeting note's front matter is empty",
                        "between the `---` lines write `title:`, `date:` and `attendees:` (or run `smarketing new meeting TITLE`)",
                    );
                }
                Err(e) => {
                    yaml_error(r, e);
                    return None;
                }
            },
            None if opens_front_matter(text) => {
                return at_opening_line(
                    r,
                    "this front matter is never closed: no `---` line follows it",
                    "end the front matter with a line of `---` after `attendees:`; the notes go below it",
                );
            }
            None => {
                r.diags.push(Diagnostic::file_level(
                    Severity::Error,
                    &r.rel.clone(),
                    "a meeting note needs front matter between `---` lines at the top",
                    Some("start the file with `---`, then `title:`, `date:` and `attendees:`, then `---`; or run `smarketing new meeting TITLE`".into()),
                ));
                return None;
            }
        }
    } else {
        (parse_yaml(r, text, 0)?, String::new())
    };
    let m = de::read::<content::MeetingFile>(r, &node, "meeting")?;
    if let (true, Some(notes)) = (is_md, &m.notes) {
        r.error_at(
            notes.key.unwrap_or(notes.loc),
            "`notes:` is only for .yaml meetings; in a .md meeting the text below the front matter is the notes",
            "move the notes below the closing `---`",
        );
    }
    let title = m.title.value.0.filter(|t| {
        let blank = t.trim().is_empty();
        if blank {
            r.error_at(
                m.title.loc,
                "this meeting's title is empty",
                "write what the meeting was, like `title: Pipeline review`",
            );
        }
        !blank
    });
    let date = m.date.value.0;
    let reviews = super::reviews::check(r, &m.reviews, date);
    let written = m.attendees.value.0.as_deref().unwrap_or_default();
    let attendees: Vec<String> = written.iter().filter_map(|a| a.value.0.clone()).collect();
    if m.attendees.value.0.as_ref().is_some_and(|a| a.is_empty()) {
        r.warn_at(
            m.attendees.loc,
            "this meeting lists no attendees, so it cannot count as a joint meeting",
            "add who was there, like `attendees: [Dana Lee, Sam Ortiz]`",
        );
    }
    for a in written {
        if let Some(name) = &a.value.0 {
            if !s.is_member(name) {
                r.warn_at(a.loc, format!("attendee `{name}` is not a member of any team"), member_hint(s, name));
            }
        }
    }
    let decisions = texts(m.decisions);
    let shoutouts = texts(m.shoutouts);
    let mut actions = Vec::new();
    // A meeting with an action that cannot be read is left out (its errors are reported).
    let mut actions_ok = true;
    for a in m.actions.unwrap_or_default() {
        let a = a.value;
        let done_flag = a.done.and_then(|f| f.0);
        let done_on = a.done_on.as_ref().and_then(|d| d.value.0);
        let mut ok = true;
        if let (Some(d), Some(dn)) = (done_on, &a.done_on) {
            if done_flag == Some(false) {
                r.error_at(
                    dn.loc,
                    format!("`done_on: {d}` says the item was finished, but `done: false` says it was not"),
                    "remove `done: false` (`done_on` implies done), or remove `done_on`",
                );
                ok = false;
            }
            if d > as_of && date.is_none_or(|md| md <= as_of) {
                r.warn_at(
                    dn.loc,
                    format!("`done_on: {d}` is after the as-of date {as_of}, so the item counts as open on every page"),
                    format!("build with `--as-of {d}` or later to count it as done, or fix the date"),
                );
            }
            if let Some(md) = date {
                if d < md {
                    r.error_at(
                        dn.loc,
                        format!("`done_on: {d}` is before the meeting's date, {md}"),
                        "an item is finished on or after the meeting that agreed it: check the date",
                    );
                    ok = false;
                }
            }
        }
        if let Some(o) = &a.owner.value.0 {
            if !s.is_member(o) {
                r.warn_at(a.owner.loc, format!("owner `{o}` is not a member of any team"), member_hint(s, o));
            }
        }
        let flags_read = a.done.is_none_or(|f| f.0.is_some()) && a.done_on.as_ref().is_none_or(|d| d.value.0.is_some());
        match (ok && flags_read, a.task.0, a.owner.value.0, a.due.0) {
            (true, Some(task), Some(owner), Some(due)) => actions.push(Action {
                task,
                owner,
                due,
                done: done_flag.unwrap_or(false) || done_on.is_some(),
                done_on,
            }),
            _ => actions_ok = false,
        }
    }
    let notes = if is_md { body } else { m.notes.as_ref().and_then(|t| t.value.0.clone()).unwrap_or_default() };
    match &m.notes {
        Some(n) if !is_md => {
            // A block scalar's text starts on the line after its `|`; a one-line value on its own.
            let block = r.src.lines().nth(n.loc.line.saturating_sub(1)).is_some_and(|l| {
                let t = l.trim_end();
                t.ends_with('|') || t.ends_with('>') || t.ends_with("|-") || t.ends_with(">-")
            });
            warn_remote_images(r, &notes, n.loc.line + usize::from(block));
        }
        _ => warn_remote_images(r, &notes, body_line(text, &notes)),
    }
    if let Some(d) = date {
        if slug.len() >= 10 {
            if let Some(stem_date) = crate::model::calendar::parse_date(&slug[..10]) {
                if stem_date != d {
                    r.warn_at(
                        m.date.loc,
                        format!("the file name says {stem_date} but `date` is {d}"),
                        "rename the file or fix the date so they agree",
                    );
                }
            }
        }
    }
    if slug.is_empty() || slug.starts_with('.') || slug.contains(['/', '\\']) {
        r.diags.push(Diagnostic::file_level(
            Severity::Error,
            &r.rel.clone(),
            format!("`{slug}` cannot be a page name"),
            Some("rename the file to letters, digits and dashes".into()),
        ));
        return None;
    }
    if let Some(d) = date {
        if d > as_of {
            r.warn_at(
                m.date.loc,
                format!("this meeting is dated {d}, after the as-of date {as_of}, so it is left out of every page"),
                format!("build with `--as-of {d}` or later to include it, or fix the date"),
            );
            return None;
        }
    }
    match (title, date, m.attendees.value.0.is_some(), actions_ok, reviews) {
        (Some(title), Some(date), true, true, Ok(reviews)) => Some(Meeting {
            slug: slug.to_string(),
            title,
            date,
            attendees,
            decisions,
            actions,
            shoutouts,
            notes,
            file: r.rel.clone(),
            reviews,
        }),
        _ => None,
    }
}

/// Reads `reports/YYYY-MM.md`: optional front matter with `title`, then markdown.
pub fn commentary(r: &mut FileReader, text: &str, month: Month) -> Option<Commentary> {
    match split_front_matter(text) {
        Some((yaml_text, offset, body)) => {
            let mut title = None;
            match yaml::parse(yaml_text, offset) {
                Ok(Some(node)) => {
                    let errors = r.error_count();
                    let fm = de::read::<content::CommentaryFrontMatter>(r, &node, "commentary front matter")?;
                    if r.error_count() > errors {
                        return None;
                    }
                    title = fm.title.and_then(|t| t.0);
                }
                Ok(None) => {}
                Err(e) => {
                    let d = Diagnostic::at(
                        Severity::Error,
                        &r.rel,
                        r.src,
                        e.pos.line,
                        e.pos.col,
                        1,
                        e.message,
                        Some(e.hint),
                    );
                    r.diags.push(d);
                    return None;
                }
            }
            warn_remote_images(r, body, body_line(text, body));
            Some(Commentary { month, title, body: body.to_string() })
        }
        None => {
            if opens_front_matter(text) {
                r.warn_at(
                    Loc { line: 1, col: 1, width: 3 },
                    "this front matter is never closed: no `---` line follows it, so the whole file is shown as the commentary",
                    "end the front matter with a line of `---` after `title:`, or remove the first `---` line",
                );
            }
            warn_remote_images(r, text, 1);
            Some(Commentary { month, title: None, body: text.to_string() })
        }
    }
}

/// Reports an error at a meeting note's opening `---` (line 1) and gives up on the note.
fn at_opening_line(r: &mut FileReader, message: &str, hint: &str) -> Option<Meeting> {
    let d = Diagnostic::at(Severity::Error, &r.rel, r.src, 1, 1, 3, message, Some(hint.into()));
    r.diags.push(d);
    None
}

/// Whether `text` starts with a `---` line, as front matter does (then a file without a
/// closing line is a mistake, not a note without front matter).
fn opens_front_matter(text: &str) -> bool {
    text.split('\n').next().is_some_and(|l| l.trim_end() == "---")
}

/// The line of `text` on which `body`, a slice at its end, starts.
fn body_line(text: &str, body: &str) -> usize {
    text[..text.len().saturating_sub(body.len())].matches('\n').count() + 1
}

/// Warns at each image of a note that is on another host: the page shows it as a link (a
/// reader's browser never loads from elsewhere). `first_line` is the file line of the note's
/// first line.
fn warn_remote_images(r: &mut FileReader, md: &str, first_line: usize) {
    if !md.contains("![") {
        return;
    }
    for (line, url) in super::markdown::remote_images(md) {
        let line = first_line + line - 1;
        let source = r.src.lines().nth(line - 1).unwrap_or("");
        let col = source.find(url.as_str()).map_or(1, |i| source[..i].chars().count() + 1);
        let d = Diagnostic::at(
            Severity::Warning,
            &r.rel,
            r.src,
            line,
            col,
            url.chars().count().max(1),
            format!("image `{url}` is on another host, so the page shows it as a link"),
            Some("put the file under static/ to show it".into()),
        );
        r.diags.push(d);
    }
}
