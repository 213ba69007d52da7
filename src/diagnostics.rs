//! Diagnostics: what went wrong (or looks wrong), where, and what would be right.
//! Rendered like rustc's errors for people, or as a JSON list for tools.

use serde::Serialize;
use std::io::IsTerminal;

/// How serious a diagnostic is: errors stop a build, warnings do not (unless `--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported, but the build goes on.
    Warning,
}

/// One finding about one place in one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
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
        let source_line = source.lines().nth(line.saturating_sub(1)).map(|l| l.trim_end().to_string());
        Diagnostic {
            severity,
            file: file.to_string(),
            line: line.max(1),
            column: column.max(1),
            message: message.into(),
            hint,
            source_line,
            width: width.max(1),
        }
    }

    /// Renders in rustc's style: message, location, quoted line with a caret, hint.
    pub fn render(&self, color: bool) -> String {
        let (label, code) = match self.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let paint = |code: &str, s: &str| {
            if color {
                format!("\x1b[{code}m{s}\x1b[0m")
            } else {
                s.to_string()
            }
        };
        let mut out = format!("{}{} {}\n", paint(code, label), paint("1", ":"), paint("1", &self.message));
        let gutter = self.line.to_string().len();
        let pad = " ".repeat(gutter);
        out.push_str(&format!("{pad}{} {}:{}:{}\n", paint("1;34", "-->"), self.file, self.line, self.column));
        if let Some(full) = &self.source_line {
            // Very long lines are shown as a window around the column.
            let (src, column) = window(full, self.column);
            let bar = paint("1;34", "|");
            out.push_str(&format!("{pad} {bar}\n"));
            out.push_str(&format!("{} {bar} {}\n", paint("1;34", &self.line.to_string()), src));
            let before: String =
                src.chars().take(column.saturating_sub(1)).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            let avail = src.chars().count().saturating_sub(column.saturating_sub(1)).max(1);
            let carets = "^".repeat(self.width.min(avail));
            out.push_str(&format!("{pad} {bar} {before}{}\n", paint(code, &carets)));
        }
        if let Some(h) = &self.hint {
            out.push_str(&format!("{pad} {} {}\n", paint("1;34", "="), paint("1", &format!("help: {h}"))));
        }
        out
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

/// Prints every diagnostic in human form to standard error.
pub fn print_human(diags: &[Diagnostic]) {
    let color = use_color();
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.render(color));
        out.push('\n');
    }
    eprint!("{out}");
}

/// The JSON list of `check --format json`.
pub fn to_json(diags: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diags).unwrap_or_else(|_| "[]".into())
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
    fn summary_counts() {
        let d = Diagnostic::file_level(Severity::Warning, "a", "m", None);
        assert_eq!(summary(std::slice::from_ref(&d)), "1 warning");
        let mut e = d.clone();
        e.severity = Severity::Error;
        assert_eq!(summary(&[e.clone(), e, d]), "2 errors and 1 warning");
    }
}
