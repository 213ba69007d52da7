//! Typed reading of YAML nodes with diagnostics. Each helper checks one shape ("a month",
//! "a count", "a map with these fields"), reports what is wrong at the node's position with a
//! hint, and returns `None` so the caller can go on and find the next mistake.

use super::yaml::{Node, Value};
use crate::diagnostics::{Diagnostic, Kind, Severity};
use crate::model::calendar::{self, Month};
use jiff::civil::Date;

/// The largest count read (2^53 − 1): every figure is computed in 64-bit floats, which hold
/// whole numbers exactly only up to here, and so does a JavaScript reader of the JSON. A
/// larger count would be silently rounded.
pub const MAX_COUNT: u64 = (1 << 53) - 1;

/// The message for a count over [`MAX_COUNT`].
pub fn too_large(what: &str, found: &str) -> String {
    format!("{what} is {found}, larger than the largest count the tool computes with exactly, 9,007,199,254,740,991")
}

/// What to do about a count over [`MAX_COUNT`].
pub const TOO_LARGE_HINT: &str = "check for extra digits; a count this large is a typo";

/// The largest size of a number read (the same bound as [`MAX_COUNT`]): beyond it, sums,
/// ratios, chart scales and the JSON lose precision or overflow (`1e308` drew a chart whose
/// ticks never ended).
pub const MAX_NUMBER: f64 = MAX_COUNT as f64;

/// The smallest size of a number read other than 0: a goal from 0 to `5e-324` had no chart
/// scale at all.
pub const MIN_NUMBER: f64 = 1e-9;

/// What to do about a number out of range.
pub const NUMBER_RANGE_HINT: &str =
    "numbers are 0 or between 0.000000001 and 9,007,199,254,740,991 in size; check for extra digits or a wrong exponent (`e`)";

/// Why `v` cannot be used as a number (not finite, too large or too close to 0), or `None`.
pub fn number_range_problem(v: f64) -> Option<&'static str> {
    if !v.is_finite() {
        Some("not a finite number")
    } else if v.abs() > MAX_NUMBER {
        Some("larger in size than 9,007,199,254,740,991, the largest number the tool computes and draws with")
    } else if v != 0.0 && v.abs() < MIN_NUMBER {
        Some("closer to 0 than 0.000000001, the smallest number other than 0 the tool computes and draws with")
    } else {
        None
    }
}

/// Reading state for one file: its path, its text, and the diagnostics found so far.
pub struct FileReader<'a> {
    /// Path relative to the project.
    pub rel: String,
    /// The whole file text (for quoting lines).
    pub src: &'a str,
    /// Diagnostics found in this file.
    pub diags: Vec<Diagnostic>,
    /// Missing required fields, combined per record by [`FileReader::finish`].
    missing: Vec<(super::yaml::Pos, usize, &'static str, String)>,
}

pub(crate) fn width_of(n: &Node) -> usize {
    match &n.value {
        Value::Scalar { text, quoted } => {
            let first = text.lines().next().unwrap_or("");
            first.chars().count() + if *quoted { 2 } else { 0 }
        }
        _ => 1,
    }
}

/// Control characters that HTML and XML cannot carry (all but tab and line breaks), and DEL
/// with the C1 block.
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// Whether `text` holds a character [`is_forbidden_control`] refuses. In ASCII text the only
/// control characters are the bytes below a space and DEL, so its bytes are looked at without
/// decoding characters.
pub fn has_forbidden_control(text: &str) -> bool {
    if text.is_ascii() {
        text.bytes().any(|b| (b < b' ' && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f)
    } else {
        text.chars().any(is_forbidden_control)
    }
}

/// The closest known name to `word`, when close enough to be a likely typo.
pub fn suggest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(word, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

fn list_names(known: &[&str]) -> String {
    known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

impl<'a> FileReader<'a> {
    /// A reader for `rel` whose text is `src`.
    pub fn new(rel: &str, src: &'a str) -> Self {
        FileReader { rel: rel.to_string(), src, diags: Vec::new(), missing: Vec::new() }
    }

    /// Reports the missing required fields, one diagnostic per record naming all of them,
    /// and returns every diagnostic of the file.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        let mut groups: Vec<(super::yaml::Pos, usize, &'static str, Vec<String>)> = Vec::new();
        // Per record (position and kind), in the order first found: an index, not a scan.
        let mut index: std::collections::HashMap<(super::yaml::Pos, &'static str), usize> = Default::default();
        for (pos, width, kind, name) in std::mem::take(&mut self.missing) {
            match index.get(&(pos, kind)) {
                Some(&i) => groups[i].3.push(name),
                None => {
                    index.insert((pos, kind), groups.len());
                    groups.push((pos, width, kind, vec![name]));
                }
            }
        }
        for (pos, width, kind, names) in groups {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let keys: Vec<String> = names.iter().map(|n| format!("`{n}:`")).collect();
            let (message, hint) = if names.len() == 1 {
                (format!("missing field {} in {kind}", quoted[0]), format!("add {} to this {kind}", keys[0]))
            } else {
                (
                    format!("missing fields {} in {kind}", and_list(&quoted)),
                    format!("add {} to this {kind}", and_list(&keys)),
                )
            };
            self.diags.push(
                Diagnostic::at_unquoted(Severity::Error, &self.rel, (pos.line, pos.col, width), message, Some(hint))
                    .with_kind(Kind::MissingField),
            );
        }
        crate::diagnostics::quote_lines(&mut self.diags, self.src);
        self.diags
    }

    /// Whether a required field was found missing.
    pub fn has_missing(&self) -> bool {
        !self.missing.is_empty()
    }

    /// Records a required field missing from the record at `record` (reported by
    /// [`FileReader::finish`], one diagnostic per record naming every missing field).
    pub fn missing_field(&mut self, record: &Node, kind: &'static str, field: &str) {
        self.missing.push((record.pos, width_of(record), kind, field.to_string()));
    }

    /// Reports an error at a position kept by [`super::de::At`].
    pub fn error_at(&mut self, at: super::de::Loc, message: impl Into<String>, hint: impl Into<String>) {
        self.report_at(Severity::Error, at, message, hint);
    }

    /// Reports a warning at a position kept by [`super::de::At`].
    pub fn warn_at(&mut self, at: super::de::Loc, message: impl Into<String>, hint: impl Into<String>) {
        self.report_at(Severity::Warning, at, message, hint);
    }

    fn report_at(&mut self, sev: Severity, at: super::de::Loc, message: impl Into<String>, hint: impl Into<String>) {
        let hint = hint.into();
        self.diags.push(Diagnostic::at_unquoted(
            sev,
            &self.rel,
            (at.line, at.col, at.width),
            message,
            if hint.is_empty() { None } else { Some(hint) },
        ));
    }

    /// How many errors were found so far (missing fields included): a record is taken only
    /// when reading it found none.
    pub fn error_count(&self) -> usize {
        self.missing.len() + self.diags.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// Reports an error at a node.
    pub fn error(&mut self, n: &Node, message: impl Into<String>, hint: impl Into<String>) {
        self.report(Severity::Error, n, message, hint);
    }

    /// Reports an error of kind `kind` at a node.
    pub fn error_of(&mut self, kind: Kind, n: &Node, message: impl Into<String>, hint: impl Into<String>) {
        self.report(Severity::Error, n, message, hint);
        if let Some(d) = self.diags.last_mut() {
            d.kind = kind;
        }
    }

    /// Reports a warning at a node.
    pub fn warn(&mut self, n: &Node, message: impl Into<String>, hint: impl Into<String>) {
        self.report(Severity::Warning, n, message, hint);
    }

    fn report(&mut self, sev: Severity, n: &Node, message: impl Into<String>, hint: impl Into<String>) {
        let hint = hint.into();
        self.diags.push(Diagnostic::at_unquoted(
            sev,
            &self.rel,
            (n.pos.line, n.pos.col, width_of(n)),
            message,
            if hint.is_empty() { None } else { Some(hint) },
        ));
    }

    /// Reports that a record is not a map of fields (naming the fields it may hold).
    pub fn not_a_record(&mut self, n: &Node, kind: &str, known: &[&str]) {
        self.error_of(
            Kind::InvalidValue,
            n,
            format!("expected a map of fields for {kind}, found {}", n.kind_name()),
            format!("write {kind} as `field: value` lines; its fields are {}", list_names(known)),
        );
    }

    /// The field a key names, when it is plain text and one of `known`; otherwise reports it
    /// (with the closest name as a suggestion) and returns `None`.
    pub fn field_name(&mut self, k: &Node, kind: &str, known: &[&'static str]) -> Option<&'static str> {
        let Value::Scalar { text, .. } = &k.value else {
            self.error_of(
                Kind::InvalidValue,
                k,
                format!("a field name in {kind} must be plain text"),
                format!("expected one of {}", list_names(known)),
            );
            return None;
        };
        let found = known.iter().find(|f| **f == text).copied();
        if found.is_none() {
            let hint = match suggest(text, known) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "remove it, or check its spelling and indentation".into(),
            };
            self.error_of(
                Kind::UnknownField,
                k,
                format!("unknown field `{text}` in {kind}, expected one of {}", list_names(known)),
                hint,
            );
        }
        found
    }

    /// Text: any scalar, as written.
    pub fn text(&mut self, n: &Node, what: &str) -> Option<String> {
        match &n.value {
            Value::Scalar { text, .. } if has_forbidden_control(text) => {
                let c = text.chars().find(|c| is_forbidden_control(*c)).unwrap_or('\0');
                self.warn(
                    n,
                    format!("{what} contains the control character U+{:04X}, shown as `\u{fffd}`", c as u32),
                    "remove it: control characters (often pasted from a terminal or a PDF) cannot appear on a page or in XML",
                );
                Some(text.chars().map(|c| if is_forbidden_control(c) { '\u{fffd}' } else { c }).collect())
            }
            Value::Scalar { text, .. } => Some(text.clone()),
            _ => {
                self.error_of(
                    Kind::InvalidValue,
                    n,
                    format!("expected text for {what}, found {}", n.kind_name()),
                    "write it on one line after the colon, quoted if it contains `: ` or `#`",
                );
                None
            }
        }
    }

    /// A non-negative whole number, at most [`MAX_COUNT`].
    pub fn count(&mut self, n: &Node, what: &str) -> Option<u64> {
        if let Value::Scalar { text, quoted: false } = &n.value {
            if let Ok(v) = text.replace('_', "").parse::<u64>() {
                if v > MAX_COUNT {
                    self.error_of(Kind::InvalidValue, n, too_large(what, &v.to_string()), TOO_LARGE_HINT);
                    return None;
                }
                return Some(v);
            }
        }
        self.error_of(
            Kind::InvalidValue,
            n,
            format!("expected a whole number of 0 or more for {what}, found {}", describe(n)),
            "counts are written as digits, like `1900`",
        );
        None
    }

    /// A finite number of 0 or more.
    pub fn amount(&mut self, n: &Node, what: &str) -> Option<f64> {
        let v = self.number(n, what)?;
        if v < 0.0 {
            self.error_of(
                Kind::InvalidValue,
                n,
                format!("{what} cannot be negative, found {}", describe(n)),
                "money and durations are 0 or more",
            );
            return None;
        }
        Some(v)
    }

    /// A finite number within [`MAX_NUMBER`] of 0, and 0 or at least [`MIN_NUMBER`] in size:
    /// every figure and chart computed from it stays finite and drawable.
    pub fn number(&mut self, n: &Node, what: &str) -> Option<f64> {
        if let Value::Scalar { text, quoted: false } = &n.value {
            if let Ok(v) = text.replace('_', "").parse::<f64>() {
                if let Some(problem) = number_range_problem(v) {
                    self.error_of(Kind::InvalidValue, n, format!("{what} is `{text}`, {problem}"), NUMBER_RANGE_HINT);
                    return None;
                }
                return Some(v);
            }
        }
        self.error_of(
            Kind::InvalidValue,
            n,
            format!("expected a number for {what}, found {}", describe(n)),
            "write a plain number such as `412000` or `0.35` (no currency sign, no `%`)",
        );
        None
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, n: &Node, what: &str) -> Option<bool> {
        if let Value::Scalar { text, quoted: false } = &n.value {
            match text.as_str() {
                "true" | "True" | "TRUE" => return Some(true),
                "false" | "False" | "FALSE" => return Some(false),
                _ => {}
            }
        }
        self.error_of(
            Kind::InvalidValue,
            n,
            format!("expected `true` or `false` for {what}, found {}", describe(n)),
            "write `true` or `false`",
        );
        None
    }

    /// A month, `YYYY-MM`, quoted or not.
    pub fn month(&mut self, n: &Node, what: &str) -> Option<Month> {
        if let Value::Scalar { text, .. } = &n.value {
            if let Some(m) = Month::parse(text.trim()) {
                return Some(m);
            }
        }
        self.error_of(
            Kind::InvalidValue,
            n,
            format!("expected a month as YYYY-MM for {what}, found {}", describe(n)),
            "write the month like `2026-10`",
        );
        None
    }

    /// A real calendar date, `YYYY-MM-DD`, quoted or not.
    pub fn date(&mut self, n: &Node, what: &str) -> Option<Date> {
        if let Value::Scalar { text, .. } = &n.value {
            if let Some(d) = calendar::parse_date(text.trim()) {
                return Some(d);
            }
        }
        self.error_of(
            Kind::InvalidValue,
            n,
            format!("expected a real calendar date as YYYY-MM-DD for {what}, found {}", describe(n)),
            "write the date like `2026-10-07`",
        );
        None
    }

    /// An id of lowercase letters, digits and `-` (plus the extra characters in `extra`).
    pub fn id(&mut self, n: &Node, what: &str, extra: &str) -> Option<String> {
        let t = self.text(n, what)?;
        let ok = !t.is_empty()
            && t.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || extra.contains(c));
        if !ok {
            let allowed = if extra.is_empty() {
                "lowercase letters, digits and `-`".to_string()
            } else {
                format!("lowercase letters, digits, `-` and `{extra}`")
            };
            self.error_of(
                Kind::InvalidValue,
                n,
                format!("`{t}` is not a valid {what}"),
                format!("use only {allowed}, like `mql-to-sql`"),
            );
            return None;
        }
        Some(t)
    }
}

/// "a, b and c".
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.join(""),
    }
}

/// How a node reads in a message: its text in backticks, or its kind.
pub fn describe(n: &Node) -> String {
    match &n.value {
        Value::Scalar { text, .. } => {
            let t: String = text.chars().take(40).collect();
            format!("`{t}`")
        }
        _ => n.kind_name().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte check of ASCII text finds exactly what the character check finds.
    #[test]
    fn forbidden_controls_are_found_the_same_in_ascii_and_in_any_text() {
        let mut texts: Vec<String> = (0u8..128).map(|b| format!("a{}b", b as char)).collect();
        texts.extend(["plain", "tab\there", "é\u{7}", "\u{85}x", "x\u{fffe}", "Café"].map(String::from));
        for t in &texts {
            assert_eq!(has_forbidden_control(t), t.chars().any(is_forbidden_control), "{t:?}");
        }
        assert!(has_forbidden_control("a\u{1b}[0m"));
        assert!(!has_forbidden_control("a\r\n\tb"));
    }
}
