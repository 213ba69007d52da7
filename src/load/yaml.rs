//! The one place that parses YAML. It builds a tree of [`Node`]s that remember where they were
//! written (line and column), so every later check can point at the exact spot of a mistake,
//! and several mistakes in one file can be reported in one run.
//!
//! Scalars are kept as text: `2026-10` and `2026-10-07` stay strings whether quoted or not, and
//! the typed readers in `reader.rs` decide what a scalar means where it appears.
//! Anchors and aliases are expanded with a budget, so an "alias bomb" ends in an error, and
//! merge keys (`<<: *defaults`) are applied.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Most nodes one file may expand to (aliases included): guards against "billion laughs".
pub const MAX_NODES: usize = 200_000;
/// Deepest nesting of lists and maps accepted in one file.
pub const MAX_DEPTH: usize = 64;

/// A position in a file: line and column from 1, column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub col: usize,
}

/// One YAML value with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What the node holds.
    pub value: Value,
    /// Where it starts in the file.
    pub pos: Pos,
}

/// The shape of a YAML value. Scalars stay text; `quoted` tells a quoted `"null"` from a null.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An empty value, `~` or `null`.
    Null,
    /// Any other scalar, as written.
    Scalar {
        /// The text of the scalar.
        text: String,
        /// Whether it was quoted or a block scalar (then it is always a string).
        quoted: bool,
    },
    /// A list.
    Seq(Vec<Node>),
    /// A map, in file order, keys as nodes.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// A short name of the node's kind for error messages ("a list", "a map", "text").
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "nothing (an empty value)",
            Value::Scalar { .. } => "a single value",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a map",
        }
    }
}

/// A YAML syntax error or a limit hit while reading.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    /// Where the problem is.
    pub pos: Pos,
    /// What went wrong, in words.
    pub message: String,
    /// What would be right.
    pub hint: String,
}

fn pos_of(m: &Marker, line_offset: usize) -> Pos {
    Pos { line: m.line() + line_offset, col: m.col() + 1 }
}

enum Frame {
    Seq(Pos, usize, Vec<Node>),
    Map(Pos, usize, Vec<(Node, Node)>, Option<Node>),
}

fn count_nodes(n: &Node) -> usize {
    match &n.value {
        Value::Seq(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Map(items) => 1 + items.iter().map(|(k, v)| count_nodes(k) + count_nodes(v)).sum::<usize>(),
        _ => 1,
    }
}

/// Finds where `[`/`{` nesting first goes deeper than `limit`, by a quick scan that skips
/// quoted strings and comments. The YAML scanner looks ahead over flow collections, which is
/// quadratic on deep nesting, so this runs first.
fn too_deep_flow(text: &str, limit: usize) -> Option<Pos> {
    // The depth never passes the number of `[` and `{`: most files have a few.
    if text.bytes().filter(|b| matches!(b, b'[' | b'{')).count() <= limit {
        return None;
    }
    let (mut depth, mut line, mut col) = (0usize, 1usize, 0usize);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut prev = '\n';
    for c in text.chars() {
        col += 1;
        if c == '\n' {
            line += 1;
            col = 0;
            comment = false;
            if quote == Some('\'') {
                // Single-quoted scalars may span lines; keep scanning inside them.
            }
        } else if comment {
        } else if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else {
            match c {
                '"' | '\'' if depth > 0 || matches!(prev, ' ' | ':' | '-' | '\n' | '[' | '{' | ',') => quote = Some(c),
                '#' if matches!(prev, ' ' | '\t' | '\n') => comment = true,
                '[' | '{' => {
                    depth += 1;
                    if depth > limit {
                        return Some(Pos { line, col });
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prev = c;
    }
    None
}

/// Finds the real cause of a YAML scanner error reported at `at`, where the parser's own
/// position misleads: a tab in the indentation (the scanner blames the scalar before it, a line
/// early), or a `[` / `{` never closed (the scanner blames the next `key:` it meets, with
/// "illegal placement of ':'"). Positions are relative to `text`.
fn explain_scan_error(text: &str, at: Pos) -> Option<YamlError> {
    // A flow collection still open where the scanner stopped.
    let mut open: Vec<(Pos, char)> = Vec::new();
    let mut quote: Option<char> = None;
    let mut prev = '\n';
    'scan: for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if quote.is_none() {
            prev = '\n';
        }
        for (j, c) in line.chars().enumerate() {
            if (line_no, j + 1) >= (at.line, at.col) {
                break 'scan;
            }
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                }
            } else {
                let token_start = matches!(prev, ' ' | '\t' | ':' | '-' | '\n' | '[' | '{' | ',');
                match c {
                    '"' | '\'' if token_start => quote = Some(c),
                    // A comment runs to the end of the line.
                    '#' if matches!(prev, ' ' | '\t' | '\n') => break,
                    '[' | '{' if token_start || !open.is_empty() => open.push((Pos { line: line_no, col: j + 1 }, c)),
                    ']' | '}' if !open.is_empty() => {
                        open.pop();
                    }
                    _ => {}
                }
            }
            prev = c;
        }
    }
    if let Some((pos, c)) = open.pop() {
        let close = if c == '[' { ']' } else { '}' };
        return Some(YamlError {
            pos,
            message: format!("this `{c}` is never closed"),
            hint: format!(
                "close it with `{close}` (a list or map written inline ends on its own line), or write one item per line with `- `"
            ),
        });
    }
    // A tab in the indentation, on the error's line or just below it.
    for (i, line) in text.lines().enumerate().skip(at.line.saturating_sub(1)).take(3) {
        let indent: String = line.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        if let Some(col) = indent.chars().position(|c| c == '\t') {
            return Some(YamlError {
                pos: Pos { line: i + 1, col: col + 1 },
                message: "a tab in the indentation: YAML indents with spaces only".into(),
                hint: "replace the tab with spaces (your editor can do it for the whole file)".into(),
            });
        }
    }
    None
}

/// Parses one YAML document. `line_offset` is added to every line (for front matter, whose
/// YAML starts below the `---` line). An empty document gives `Ok(None)`.
pub fn parse(text: &str, line_offset: usize) -> Result<Option<Node>, YamlError> {
    if let Some(pos) = too_deep_flow(text, MAX_DEPTH) {
        return Err(YamlError {
            pos: Pos { line: pos.line + line_offset, col: pos.col },
            message: format!("nesting deeper than {MAX_DEPTH} levels"),
            hint: "content files need only a few levels of lists and maps".into(),
        });
    }
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut nodes = 0usize;
    let mut documents = 0usize;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            let at = pos_of(e.marker(), 0);
            let mut err = explain_scan_error(text, at).unwrap_or_else(|| YamlError {
                pos: at,
                message: format!("this is not valid YAML: {}", e.info()),
                hint: "check the indentation and that every `key: value` pair has a space after the colon; quote text that contains `: ` or starts with a special character".into(),
            });
            err.pos.line += line_offset;
            err
        })?;
        let pos = pos_of(&mark, line_offset);
        let finished: Option<(Node, usize)> = match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError {
                        pos,
                        message: "a second YAML document (`---`) in one file".into(),
                        hint: "keep one document per file; remove the extra `---` line".into(),
                    });
                }
                None
            }
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => None,
            Event::Alias(id) => match anchors.get(&id) {
                Some(n) => {
                    nodes += count_nodes(n);
                    if nodes > MAX_NODES {
                        return Err(YamlError {
                            pos,
                            message: format!("this file expands to more than {MAX_NODES} values (aliases included)"),
                            hint: "split the file, or remove aliases that repeat large parts".into(),
                        });
                    }
                    let mut copy = n.clone();
                    copy.pos = pos;
                    Some((copy, 0))
                }
                None => {
                    return Err(YamlError {
                        pos,
                        message: "an alias (`*name`) to an unknown anchor".into(),
                        hint: "define the anchor with `&name` before using it".into(),
                    })
                }
            },
            Event::Scalar(text, style, anchor, _tag) => {
                let quoted = !matches!(style, TScalarStyle::Plain);
                let value = if !quoted && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL") {
                    Value::Null
                } else {
                    Value::Scalar { text: nfc(text), quoted }
                };
                Some((Node { value, pos }, anchor))
            }
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq(pos, anchor, Vec::new()));
                None
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map(pos, anchor, Vec::new(), None));
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(p, anchor, items)) => Some((Node { value: Value::Seq(items), pos: p }, anchor)),
                Some(Frame::Map(p, anchor, items, _)) => {
                    // Point at the first key: block maps report their start after it.
                    let p = items.first().map(|(k, _)| k.pos).unwrap_or(p);
                    let items = apply_merges(items)?;
                    Some((Node { value: Value::Map(items), pos: p }, anchor))
                }
                None => None,
            },
        };
        if stack.len() > MAX_DEPTH {
            return Err(YamlError {
                pos,
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
                hint: "content files need only a few levels of lists and maps".into(),
            });
        }
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(YamlError {
                pos,
                message: format!("this file expands to more than {MAX_NODES} values (aliases included)"),
                hint: "split the file, or remove aliases that repeat large parts".into(),
            });
        }
        if let Some((node, anchor)) = finished {
            if anchor > 0 {
                anchors.insert(anchor, node.clone());
            }
            match stack.last_mut() {
                Some(Frame::Seq(_, _, items)) => items.push(node),
                Some(Frame::Map(_, _, items, key)) => match key.take() {
                    Some(k) => items.push((k, node)),
                    None => *key = Some(node),
                },
                None => root = Some(node),
            }
        }
    }
    Ok(root.filter(|n| n.value != Value::Null))
}

/// Whether `key` is YAML's merge key: a plain (unquoted) `<<`.
fn is_merge_key(key: &Node) -> bool {
    matches!(&key.value, Value::Scalar { text, quoted: false } if text == "<<")
}

fn key_text(key: &Node) -> Option<&str> {
    match &key.value {
        Value::Scalar { text, .. } => Some(text),
        _ => None,
    }
}

/// Applies merge keys (`<<: *defaults`, or `<<: [*a, *b]`), as YAML 1.1, PyYAML and Hugo's
/// YAML reader do: the merged maps' entries join the map, except keys it writes itself
/// (wherever they stand) and keys an earlier merged map already gave. Merged entries keep the
/// positions of the anchor's definition, so a mistake in one points where it can be fixed.
fn apply_merges(items: Vec<(Node, Node)>) -> Result<Vec<(Node, Node)>, YamlError> {
    if !items.iter().any(|(k, _)| is_merge_key(k)) {
        return Ok(items);
    }
    let mut taken: std::collections::HashSet<String> =
        items.iter().filter(|(k, _)| !is_merge_key(k)).filter_map(|(k, _)| key_text(k).map(str::to_string)).collect();
    let mut out = Vec::with_capacity(items.len());
    for (k, v) in items {
        if !is_merge_key(&k) {
            out.push((k, v));
            continue;
        }
        let sources = match v.value {
            Value::Seq(list) => list,
            _ => vec![v],
        };
        for source in sources {
            let Value::Map(pairs) = source.value else {
                return Err(YamlError {
                    pos: k.pos,
                    message: format!("a merge key `<<` takes a map, found {}", source.kind_name()),
                    hint: "write `<<: *name` where `&name` marks a map, or `<<: [*a, *b]`; quote `\"<<\"` for a key named `<<`".into(),
                });
            };
            for (mk, mv) in pairs {
                let fresh = key_text(&mk).is_none_or(|t| taken.insert(t.to_string()));
                if fresh {
                    out.push((mk, mv));
                }
            }
        }
    }
    Ok(out)
}

/// Converts a node to JSON the way YAML 1.2's core schema types plain scalars (numbers,
/// booleans); quoted scalars stay strings. Used to check files against the JSON Schema.
pub fn to_json(n: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &n.value {
        Value::Null => J::Null,
        Value::Scalar { text, quoted: true } => J::String(text.clone()),
        Value::Scalar { text, quoted: false } => match text.as_str() {
            "true" | "True" | "TRUE" => J::Bool(true),
            "false" | "False" | "FALSE" => J::Bool(false),
            t => {
                if let Ok(i) = t.parse::<i64>() {
                    J::from(i)
                } else if let Some(f) =
                    t.parse::<f64>().ok().filter(|f| f.is_finite()).and_then(serde_json::Number::from_f64)
                {
                    J::Number(f)
                } else {
                    J::String(t.to_string())
                }
            }
        },
        Value::Seq(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Map(items) => J::Object(
            items
                .iter()
                .map(|(k, v)| {
                    let key = match &k.value {
                        Value::Scalar { text, .. } => text.clone(),
                        _ => String::new(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
    }
}

/// `text` in Unicode's composed form (NFC): `Zoë` typed on a Mac may arrive as `Zoe` plus a
/// combining diaeresis (NFD), which looks the same but compared as another name (two
/// channels with split numbers, an attendee "not in any team"). Every value and key is read
/// composed, so one spelling is one name.
pub fn nfc(text: String) -> String {
    use unicode_normalization::UnicodeNormalization;
    // ASCII is always composed; the check decodes every character otherwise.
    if text.is_ascii() || unicode_normalization::is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
    {
        text
    } else {
        text.nfc().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_offset() {
        let n = parse("a: 1\nbb:\n  - x\n", 0).unwrap().unwrap();
        let Value::Map(items) = &n.value else { panic!() };
        assert_eq!(items[1].0.pos, Pos { line: 2, col: 1 });
        let Value::Seq(s) = &items[1].1.value else { panic!() };
        assert_eq!(s[0].pos, Pos { line: 3, col: 5 });
        let n = parse("a: 1\n", 1).unwrap().unwrap();
        let Value::Map(items) = &n.value else { panic!() };
        assert_eq!(items[0].1.pos, Pos { line: 2, col: 4 });
    }

    #[test]
    fn dates_stay_text() {
        let n = parse("m: 2026-10\nd: 2026-10-07\n", 0).unwrap().unwrap();
        let Value::Map(items) = &n.value else { panic!() };
        assert_eq!(items[0].1.value, Value::Scalar { text: "2026-10".into(), quoted: false });
        assert_eq!(items[1].1.value, Value::Scalar { text: "2026-10-07".into(), quoted: false });
    }

    #[test]
    fn alias_bomb_is_an_error() {
        let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='j' {
            s.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = c;
        }
        let e = parse(&s, 0).unwrap_err();
        assert!(e.message.contains("expands"), "{}", e.message);
    }

    #[test]
    fn merge_keys_fill_in_what_the_map_does_not_write() {
        let n = parse("a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\nc:\n  z: 5\n  <<: [*a, *b]\n", 0).unwrap().unwrap();
        let Value::Map(items) = &n.value else { panic!() };
        let Value::Map(c) = &items[2].1.value else { panic!() };
        let got: Vec<(String, String)> = c
            .iter()
            .map(|(k, v)| {
                let (Value::Scalar { text: k, .. }, Value::Scalar { text: v, .. }) = (&k.value, &v.value) else {
                    panic!()
                };
                (k.clone(), v.clone())
            })
            .collect();
        let want: Vec<(String, String)> =
            [("z", "5"), ("x", "1"), ("y", "2")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        assert_eq!(got, want, "the map's own z wins, then a's x and y; b's y and z are taken");
        // A merged entry points at the anchor's definition.
        assert_eq!(c[1].0.pos, Pos { line: 1, col: 8 });
        let e = parse("a: &a [1]\nb:\n  <<: *a\n", 0).unwrap_err();
        assert!(e.message.contains("merge key") && e.pos.line == 3, "{e:?}");
        // A quoted "<<" is an ordinary key.
        let n = parse("\"<<\": 1\n", 0).unwrap().unwrap();
        let Value::Map(items) = &n.value else { panic!() };
        assert_eq!(items.len(), 1);
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let s = "[".repeat(500) + &"]".repeat(500);
        let e = parse(&s, 0).unwrap_err();
        assert!(e.message.contains("nesting") || e.message.contains("recursion"), "{}", e.message);
    }

    #[test]
    fn syntax_error_has_position() {
        let e = parse("a: 1\nb: [1, 2\n", 0).unwrap_err();
        assert!(e.pos.line >= 2);
    }
}
