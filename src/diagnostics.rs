//! Diagnostics: what went wrong (or looks wrong), where, and what would be right.
//! Rendered like rustc's errors for people, or as a JSON list for tools.

use serde::Serialize;
use std::io::IsTerminal;

/// How serious a diagnostic is: errors stop a build, warnings do not (unless `--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported, but the build goes on.
    Warning,
}

/// A problem that belongs to no content file: the output folder, a file the tool writes or
/// copies, a folder to create. One sentence of what went wrong and one of what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What went wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

impl Problem {
    /// A problem with its hint.
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Problem { message: message.into(), hint: hint.into() }
    }
}

/// Says that a problem is already among the diagnostics, reported at its place: the caller
/// stops or skips without reporting it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported;

/// What kind of problem a diagnostic reports, so that tools and tests tell problems apart
/// without matching the English of the message (`check --format json` writes it as `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The file cannot be read as YAML or as front matter at all.
    Syntax,
    /// A field the record does not have.
    UnknownField,
    /// A required field is missing.
    MissingField,
    /// A value of the wrong type, out of range or not allowed there.
    InvalidValue,
    /// Something given twice that must be given once (a field, an id, a month).
    Duplicate,
    /// A file that cannot be read, or sits where no content file belongs.
    File,
    /// A template that does not parse or render.
    Template,
    /// Two sources for one output path, or a file where the site needs a folder.
    Output,
    /// A CRM export or its import map.
    Import,
    /// Any other problem: a rule across fields or files.
    Other,
}

/// One finding about one place in one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem it is.
    pub kind: Kind,
    /// Path relative to the project, with `/` separators.
    pub file: String,
    /// Line from 1.
    pub line: usize,
    /// Column from 1, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What would be right.
    pub hint: Option<String>,
    /// The quoted source line, when known.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// How many characters the caret underlines.
    #[serde(skip)]
    pub width: usize,
}

impl Diagnostic {
    /// A diagnostic about a whole file (line 1, column 1, no quoted line).
    pub fn file_level(severity: Severity, file: &str, message: impl Into<String>, hint: Option<String>) -> Self {
        Diagnostic {
            severity,
            kind: Kind::Other,
            file: file.to_string(),
            line: 1,
            column: 1,
            message: message.into(),
            hint,
            source_line: None,
            width: 1,
        }
    }

    /// A diagnostic at a place in a source text; quotes the line.
    #[allow(clippy::too_many_arguments)]
    pub fn at(
        severity: Severity,
        file: &str,
        source: &str,
        line: usize,
        column: usize,
        width: usize,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Self {
        let mut d = Self::at_unquoted(severity, file, (line, column, width), message, hint);
        d.source_line = source.lines().nth(line.saturating_sub(1)).map(|l| l.trim_end().to_string());
        d
    }

    /// A diagnostic at a place, its line not yet quoted: [`quote_lines`] fills in the lines of
    /// many diagnostics of one file in one pass (quoting each on its own reads the file up to
    /// its line, which is quadratic for a file with thousands of mistakes).
    pub fn at_unquoted(
        severity: Severity,
        file: &str,
        (line, column, width): (usize, usize, usize),
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Self {
        Diagnostic {
            severity,
            kind: Kind::Other,
            file: file.to_string(),
            line: line.max(1),
            column: column.max(1),
            message: message.into(),
            hint,
            source_line: None,
            width: width.max(1),
        }
    }

    /// The same diagnostic, of kind `kind`.
    pub fn with_kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    /// Renders in rustc's style: message, location, quoted line with a caret, hint.
    pub fn render(&self, color: bool) -> String {
        use anstyle::{AnsiColor, Style};
        let (label, tone) = match self.severity {
            Severity::Error => ("error", AnsiColor::Red),
            Severity::Warning => ("warning", AnsiColor::Yellow),
        };
        let level = Style::new().bold().fg_color(Some(tone.into()));
        let bold = Style::new().bold();
        let frame = Style::new().bold().fg_color(Some(AnsiColor::Blue.into()));
        let paint = |style: Style, s: &str| {
            if color {
                format!("{}{s}{}", style.render(), style.render_reset())
            } else {
                s.to_string()
            }
        };
        let message = clip_quoted(&self.message);
        let mut out =
            format!("{}{} {}\n", paint(level, label), paint(bold, ":"), paint(bold, &escape_controls(&message)));
        let gutter = self.line.to_string().len();
        let pad = " ".repeat(gutter);
        out.push_str(&format!(
            "{pad}{} {}:{}:{}\n",
            paint(frame, "-->"),
            escape_controls(&self.file),
            self.line,
            self.column
        ));
        if let Some(full) = &self.source_line {
            // Very long lines are shown as a window around the column.
            let (src, column) = window(full, self.column);
            let bar = paint(frame, "|");
            out.push_str(&format!("{pad} {bar}\n"));
            // A tab is shown as four spaces, so that everything under it can be counted.
            let quoted = src.replace('\t', TAB);
            out.push_str(&format!("{} {bar} {}\n", paint(frame, &self.line.to_string()), escape_controls(&quoted)));
            // Columns count characters of the line as written; on screen a wide character (CJK,
            // most emoji) takes two columns, a tab four, an escaped character its escape.
            let before = " ".repeat(src.chars().take(column.saturating_sub(1)).map(display_width).sum());
            let avail = src.chars().count().saturating_sub(column.saturating_sub(1)).max(1);
            let under: usize =
                src.chars().skip(column.saturating_sub(1)).take(self.width.min(avail)).map(display_width).sum();
            let carets = "^".repeat(under.max(1));
            out.push_str(&format!("{pad} {bar} {before}{}\n", paint(level, &carets)));
        }
        if let Some(h) = &self.hint {
            let h = clip_quoted(h);
            let h = escape_controls(&h);
            out.push_str(&format!("{pad} {} {}\n", paint(frame, "="), paint(bold, &format!("help: {h}"))));
        }
        out
    }
}

/// How a tab of a quoted line is shown.
const TAB: &str = "    ";

/// How many terminal columns `c` takes in a quoted line: a tab as [`TAB`], an unsafe character
/// as its escape, any other by its Unicode display width (two for CJK, none for a combining mark).
fn display_width(c: char) -> usize {
    if c == '\t' {
        TAB.len()
    } else if is_unsafe_char(c) {
        c.escape_unicode().count()
    } else {
        unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
    }
}

/// Quotes the source line of each diagnostic that has none yet, reading `source` once.
pub fn quote_lines(diags: &mut [Diagnostic], source: &str) {
    let mut wanted: Vec<usize> = diags.iter().filter(|d| d.source_line.is_none()).map(|d| d.line).collect();
    if wanted.is_empty() {
        return;
    }
    wanted.sort_unstable();
    wanted.dedup();
    let mut found: std::collections::HashMap<usize, &str> = std::collections::HashMap::new();
    let mut next = wanted.iter().peekable();
    for (i, l) in source.lines().enumerate() {
        let Some(&&want) = next.peek() else { break };
        if i + 1 == want {
            found.insert(want, l.trim_end());
            next.next();
        }
    }
    for d in diags.iter_mut().filter(|d| d.source_line.is_none()) {
        d.source_line = found.get(&d.line).map(|l| l.to_string());
    }
}

/// At most this many characters of a source line are quoted.
const QUOTE_WIDTH: usize = 120;

/// The part of a long line around `column`, with `…` where it was cut, and the column within it.
fn window(line: &str, column: usize) -> (String, usize) {
    let n = line.chars().count();
    if n <= QUOTE_WIDTH {
        return (line.to_string(), column);
    }
    let start = column.saturating_sub(QUOTE_WIDTH / 3).min(n.saturating_sub(QUOTE_WIDTH));
    let mut s: String = line.chars().skip(start).take(QUOTE_WIDTH).collect();
    let mut col = column - start;
    if start > 0 {
        s.insert(0, '…');
        col += 1;
    }
    if start + QUOTE_WIDTH < n {
        s.push('…');
    }
    (s, col)
}

/// Sorts diagnostics by file, line and column so output does not depend on discovery order.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| (&a.file, a.line, a.column, a.severity).cmp(&(&b.file, b.line, b.column, b.severity)));
}

/// Counts errors and warnings.
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    (errors, diags.len() - errors)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The closing line: "2 errors and 1 warning" style.
pub fn summary(diags: &[Diagnostic]) -> String {
    let (e, w) = counts(diags);
    match (e, w) {
        (0, 0) => "no problems found".to_string(),
        (0, w) => plural(w, "warning"),
        (e, 0) => plural(e, "error"),
        (e, w) => format!("{} and {}", plural(e, "error"), plural(w, "warning")),
    }
}

/// Whether to colour output on standard error: only on a terminal and never with `NO_COLOR`.
pub fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Diagnostics of one kind printed in full; the rest are counted in one line.
pub const SHOWN_PER_KIND: usize = 20;

/// The kind of a diagnostic: its severity and message with every quoted (`` `x` ``) part
/// left out, so "unknown field `a`" and "unknown field `b`" are one kind.
fn kind_of(d: &Diagnostic) -> (Severity, String) {
    let mut kind = String::new();
    for (i, part) in d.message.split('`').enumerate() {
        kind.push_str(if i % 2 == 1 { "`…`" } else { part });
    }
    (d.severity, kind)
}

/// Prints the diagnostics in human form to standard error: the first [`SHOWN_PER_KIND`] of
/// each kind in full, then one line per kind counting the rest (a file with 95,000 unknown
/// keys gives a screenful, not 95,000 quotes). Output goes out in pieces, never held whole.
pub fn print_human(diags: &[Diagnostic]) {
    let color = use_color();
    // Per kind: how many, the files of the ones not shown, the first one not shown.
    type Seen = (usize, Vec<String>, String);
    let mut seen: std::collections::HashMap<(Severity, String), Seen> = Default::default();
    let mut order: Vec<(Severity, String)> = Vec::new();
    let mut out = String::new();
    for d in diags {
        let kind = kind_of(d);
        let entry = seen.entry(kind.clone()).or_insert_with(|| {
            order.push(kind);
            (0, Vec::new(), String::new())
        });
        entry.0 += 1;
        if entry.0 > SHOWN_PER_KIND {
            if entry.1.last() != Some(&d.file) && entry.1.len() < 4 {
                entry.1.push(d.file.clone());
            }
            if entry.2.is_empty() {
                entry.2 = d.message.chars().take(100).collect();
            }
            continue;
        }
        out.push_str(&d.render(color));
        out.push('\n');
        if out.len() > 64 * 1024 {
            to_stderr(&out);
            out.clear();
        }
    }
    for kind in &order {
        let (n, files, example) = &seen[kind];
        if *n > SHOWN_PER_KIND {
            let label = match kind.0 {
                Severity::Error => "errors",
                Severity::Warning => "warnings",
            };
            out.push_str(&format!(
                "note: {} more {label} of this kind were not shown, like: {}{} (in {}{})\n\n",
                n - SHOWN_PER_KIND,
                escape_controls(example),
                if example.chars().count() >= 100 { "…" } else { "" },
                escape_controls(&files.join(", ")),
                if files.len() >= 4 { ", …" } else { "" }
            ));
        }
    }
    to_stderr(&out);
}

/// Writes to standard output, ignoring a closed pipe (`smarketing schema | head` must not panic).
pub fn to_stdout(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

/// Writes to standard error, ignoring a closed pipe or any other write error
/// (`smarketing check 2>&1 | head -1` must not panic the way `eprint!` does).
pub fn to_stderr(text: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|_| err.flush());
}

/// Longest quoted (`` `x` ``) part of a message shown whole on a terminal, in characters.
const MAX_QUOTED_CHARS: usize = 60;

/// A message or hint with every quoted part longer than [`MAX_QUOTED_CHARS`] cut to its start
/// and its length: a 2 MB value quoted in "found `…`" gives one line, not 2 MB of terminal
/// output (the quoted source line is already a window). `check --format json` keeps the full text.
pub fn clip_quoted(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= MAX_QUOTED_CHARS {
        return std::borrow::Cow::Borrowed(s);
    }
    let parts: Vec<&str> = s.split('`').collect();
    // An unpaired last backtick does not open a quote.
    let quoted = |i: usize| i % 2 == 1 && i + 1 < parts.len();
    if !parts.iter().enumerate().any(|(i, p)| quoted(i) && p.chars().count() > MAX_QUOTED_CHARS) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::new();
    // After a clipped part its closing backtick is already written, before the length note.
    let mut closed = false;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 && !closed {
            out.push('`');
        }
        closed = false;
        let n = p.chars().count();
        if quoted(i) && n > MAX_QUOTED_CHARS {
            out.extend(p.chars().take(MAX_QUOTED_CHARS - 20));
            out.push_str(&format!("…` ({n} characters)"));
            closed = true;
        } else {
            out.push_str(p);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether a character could steer a terminal or hide text when printed raw: C0 and C1
/// control characters (escape sequences, bell, backspace, carriage return), DEL, and the
/// bidirectional overrides that reorder what is shown. Tabs are fine.
fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') || is_invisible(c)
}

/// Characters that look like a space or like nothing: a no-break space, the zero-width ones, a
/// byte order mark in mid-file, soft hyphens. Shown escaped, so "did you mean `Lee Chen`?"
/// never quotes two names that look the same (one held U+00A0).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{a0}'
            | '\u{ad}'
            | '\u{34f}'
            | '\u{61c}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180e}'
            | '\u{2000}'..='\u{200f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'..='\u{2064}'
            | '\u{3000}'
            | '\u{3164}'
            | '\u{feff}'
            | '\u{ffa0}'
    )
}

/// Text from content as it may appear on a terminal: every character that could steer the
/// terminal is shown escaped (`\u{1b}`), so a name like `"\e]0;PWNED\a"` cannot change the
/// window title, clear the screen or fake output.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe_char(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The JSON list of `check --format json`; serde_json's error if it cannot write it (never an
/// empty list, which would read as "no problems").
pub fn to_json(diags: &[Diagnostic]) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rustc() {
        let src = "- id: a\n  traget: 0.35\n";
        let d = Diagnostic::at(
            Severity::Error,
            "content/goals/g.yaml",
            src,
            2,
            3,
            6,
            "unknown field `traget`",
            Some("did you mean `target`?".into()),
        );
        let r = d.render(false);
        assert_eq!(
            r,
            "error: unknown field `traget`\n --> content/goals/g.yaml:2:3\n  |\n2 |   traget: 0.35\n  |   ^^^^^^\n  = help: did you mean `target`?\n"
        );
    }

    /// On a terminal the label and carets are bold red (an error) or yellow (a warning) and the
    /// frame bold blue; the text between the escapes is the plain rendering's.
    #[test]
    fn colours_label_carets_and_frame() {
        let src = "- id: a\n  traget: 0.35\n";
        let d = Diagnostic::at(Severity::Warning, "g.yaml", src, 2, 3, 6, "unknown field `traget`", None);
        let r = d.render(true);
        assert!(r.starts_with("\x1b[1m\x1b[33mwarning\x1b[0m"), "{r:?}");
        assert!(r.contains("\x1b[1m\x1b[34m-->\x1b[0m"), "{r:?}");
        assert!(r.contains("\x1b[1m\x1b[33m^^^^^^\x1b[0m"), "{r:?}");
        let plain: String = anstream::adapter::strip_str(&r).to_string();
        assert_eq!(plain, d.render(false));
    }

    /// The caret line of a rendered diagnostic, after its gutter (`  | `).
    fn carets(d: &Diagnostic) -> String {
        let r = d.render(false);
        r.lines().nth(4).unwrap().strip_prefix("  | ").unwrap().to_string()
    }

    #[test]
    fn carets_align_under_wide_characters_and_tabs() {
        // マーケティング部 is 8 characters and 16 columns on screen: 16 carets under it, and
        // the next word's carets start after those 16 columns, not 8.
        let src = "owners: [マーケティング部, marketng]\n";
        let at = |column, width| Diagnostic::at(Severity::Error, "g.yaml", src, 1, column, width, "m", None);
        assert_eq!(carets(&at(10, 8)), format!("{}{}", " ".repeat(9), "^".repeat(16)));
        assert_eq!(carets(&at(20, 8)), format!("{}{}", " ".repeat(9 + 16 + 2), "^".repeat(8)));
        // A tab is quoted as four spaces and counted as four.
        let src = "\tkey:\tvalue\n";
        let d = Diagnostic::at(Severity::Error, "g.yaml", src, 1, 6, 2, "m", None);
        assert_eq!(d.render(false).lines().nth(3).unwrap(), "1 |     key:    value");
        assert_eq!(carets(&d), format!("{}^^^^^", " ".repeat(8)));
    }

    #[test]
    fn long_lines_are_quoted_as_a_window() {
        let line = "x".repeat(500) + "BAD" + &"y".repeat(500);
        let d = Diagnostic::at(Severity::Error, "f.yaml", &line, 1, 501, 3, "m", None);
        let r = d.render(false);
        let quoted = r.lines().nth(3).unwrap();
        assert!(quoted.chars().count() < 140, "{quoted}");
        let caret = r.lines().nth(4).unwrap();
        let at = caret.chars().position(|c| c == '^').unwrap();
        let under: String = quoted.chars().skip(at).take(3).collect();
        assert_eq!(under, "BAD", "{quoted}\n{caret}");
    }

    #[test]
    fn control_characters_are_shown_escaped_and_the_caret_still_points() {
        let src = "attendees: [\"\x1b]0;PWNED\x07\x1b[2J\", Zed]";
        let col = src.chars().position(|c| c == 'Z').unwrap() + 1;
        let d = Diagnostic::at(
            Severity::Warning,
            "m.md",
            src,
            1,
            col,
            3,
            "unknown attendee `\x1b[2J`",
            Some("\u{202e}x".into()),
        );
        let r = d.render(false);
        assert!(!r.chars().any(|c| c.is_control() && c != '\n'), "{r:?}");
        assert!(r.contains("unknown attendee `\\u{1b}[2J`") && r.contains("help: \\u{202e}x"), "{r}");
        let quoted = r.lines().nth(3).unwrap();
        let caret = r.lines().nth(4).unwrap();
        let at = caret.chars().position(|c| c == '^').unwrap();
        let under: String = quoted.chars().skip(at).take(caret.matches('^').count()).collect();
        assert_eq!(under, "Zed", "{quoted}\n{caret}");
    }

    #[test]
    fn long_quoted_values_are_clipped_with_their_length() {
        let long = "T".repeat(2_000_000);
        let m = format!("currency must be a three-letter ISO code, found `{long}`");
        assert_eq!(
            clip_quoted(&m),
            format!("currency must be a three-letter ISO code, found `{}…` (2000000 characters)", "T".repeat(40))
        );
        let m = format!("`{long}` and `short` then `{}`", "é".repeat(61));
        assert_eq!(
            clip_quoted(&m),
            format!(
                "`{}…` (2000000 characters) and `short` then `{}…` (61 characters)",
                "T".repeat(40),
                "é".repeat(40)
            )
        );
        let plain = format!("no quotes {long}, or an unpaired ` {long}");
        assert_eq!(clip_quoted(&plain), plain);
        assert_eq!(clip_quoted("unknown field `traget`"), "unknown field `traget`");
    }

    #[test]
    fn summary_counts() {
        let d = Diagnostic::file_level(Severity::Warning, "a", "m", None);
        assert_eq!(summary(std::slice::from_ref(&d)), "1 warning");
        let mut e = d.clone();
        e.severity = Severity::Error;
        assert_eq!(summary(&[e.clone(), e, d]), "2 errors and 1 warning");
    }
}
