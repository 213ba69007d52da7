//! The import map (docs/import.md): a `#[derive(Deserialize, JsonSchema)]` record
//! read through the position-keeping deserializer of `load::de`, so every mistake names its
//! line and column, and all of them are reported in one run. The fields that take several
//! shapes (a stage: a column, `{date, when}` or a list of values; `join`: one or a list; `on`:
//! a column or `{left, right}`) are read as YAML values and told apart here. Column names stay
//! as written; `rows.rs` resolves them against the CSV headers.

use crate::load::de::{self, At, Loc, MonthOf, Text};
use crate::load::reader::FileReader;
use crate::load::yaml::{Node, Value};
use crate::model::calendar::Month;
use schemars::JsonSchema;
use serde::Deserialize;

/// The import map as written (the `import-map` schema is derived from it).
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "import map", deny_unknown_fields)]
#[schemars(rename = "import_map")]
pub struct MapFile {
    /// Stage id -> its date column, `{date, when}`, or (with `events`) the value(s) of the
    /// stage column.
    #[schemars(schema_with = "schemas::stages")]
    #[serde(default)]
    pub stages: Option<At<Node>>,
    /// The channel column, or `{value: NAME}`: one channel for every row.
    #[schemars(schema_with = "super::mapkeys::channel_schema")]
    #[serde(default)]
    pub channel: Option<At<Node>>,
    /// The amount column (revenue of won rows).
    pub amount: Option<At<Text>>,
    /// Files joined to the rows, in order: one or a list.
    #[schemars(schema_with = "schemas::join")]
    #[serde(default)]
    pub join: Option<At<Node>>,
    /// The key whose repeats count once.
    pub unique: Option<At<Text>>,
    /// First month written.
    pub from: Option<At<MonthOf>>,
    /// Last month written.
    pub to: Option<At<MonthOf>>,
    /// The stages `sales_cycle_days` measures between.
    pub cycle: Option<Cycle>,
    /// strftime style, like %m/%d/%Y.
    pub date_format: Option<At<Text>>,
    /// The decimal mark of amounts: "." or ",".
    #[schemars(schema_with = "schemas::decimal")]
    #[serde(default)]
    pub decimal: Option<At<Text>>,
    /// The character between cells: "," (the default), ";" (Excel's CSV where the decimal
    /// mark is a comma), a tab or "|". Every file of the map (joined ones too) uses it.
    #[schemars(schema_with = "schemas::delimiter")]
    #[serde(default)]
    pub delimiter: Option<At<Text>>,
    /// A long export: one row per stage change.
    pub events: Option<Events>,
    /// The export this map reads, relative to the map file (used when the command line names
    /// no CSV).
    pub csv: Option<At<Text>>,
    /// The funnel file this map writes, relative to the map file (used when the command line
    /// names no CSV).
    pub output: Option<At<Text>>,
    /// The physical line holding the header (default 1); the lines above are skipped.
    #[schemars(range(min = 1))]
    pub header_row: Option<At<de::Count>>,
    /// Rows to leave out: column -> value(s); a trailing `*` matches any ending, case ignored.
    #[schemars(schema_with = "schemas::when")]
    #[serde(default)]
    pub ignore: Option<At<Node>>,
    /// The column holding each amount's currency.
    pub currency: Option<At<Text>>,
    /// A spend export, instead of `stages`.
    pub spend: Option<At<super::mapkeys::Spend>>,
    /// Deals lost, by month: a date column or `{date, when}`.
    #[schemars(schema_with = "super::mapkeys::lost_schema")]
    #[serde(default)]
    pub lost: Option<At<Node>>,
    /// The stages whose dates make pipeline money: created at `from`, open until `to`.
    pub pipeline: Option<At<super::mapkeys::Pipeline>>,
}

/// `cycle:` of the map.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "cycle", deny_unknown_fields)]
pub struct Cycle {
    /// The stage the cycle starts at.
    pub from: At<Text>,
    /// The stage it ends at.
    pub to: At<Text>,
}

/// `events:` of a long export.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "events", deny_unknown_fields)]
pub struct Events {
    /// The deal or lead id column.
    pub id: At<Text>,
    /// The stage name column.
    pub stage: At<Text>,
    /// The date of the stage change.
    pub date: At<Text>,
}

/// One joined file.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "join", deny_unknown_fields)]
pub struct JoinEntry {
    /// Path relative to the map file.
    pub csv: At<Text>,
    /// The key: one column name in both, or `{left, right}`.
    #[schemars(schema_with = "schemas::join_key")]
    pub on: At<Node>,
    /// The name its columns are reached by (`ALIAS.NAME`); default the file stem.
    #[serde(rename = "as")]
    pub alias: Option<At<Text>>,
}

/// `on: {left, right}` of a join.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "join key", deny_unknown_fields)]
pub struct JoinKey {
    /// The key in the rows so far.
    pub left: At<Text>,
    /// The key in the joined file.
    pub right: At<Text>,
}

/// A stage of a wide export written as `{date, when}`.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "stage", deny_unknown_fields)]
pub struct StageEntry {
    /// The date column.
    #[schemars(schema_with = "schemas::column")]
    pub date: At<Node>,
    /// Column -> value(s); every condition must hold (flag words match each other).
    #[schemars(schema_with = "schemas::when")]
    #[serde(default)]
    pub when: Option<At<Node>>,
}

/// A column named in the map, with where it was named.
#[derive(Debug, Clone)]
pub struct ColRef {
    /// The name as written: `Created Date`, `contacts.lead_id`, `join.won_date`.
    pub name: String,
    /// Where it was named.
    pub at: Loc,
}

/// One `when` condition: the column's trimmed cell must match one of `values`.
#[derive(Debug, Clone)]
pub struct Cond {
    /// The column compared.
    pub col: ColRef,
    /// The accepted values, lowercased.
    pub values: Vec<String>,
    /// The same values trimmed but as written, for messages.
    pub written: Vec<String>,
    /// Where the value (or the list of values) was written.
    pub at: Loc,
    /// Where each value was written.
    pub value_at: Vec<Loc>,
}

/// A stage of the map, in map order.
#[derive(Debug, Clone)]
pub struct StageSpec {
    /// The stage id.
    pub id: String,
    /// The date column (wide exports).
    pub date: Option<ColRef>,
    /// Conditions that must hold for the row to have reached the stage.
    pub when: Vec<Cond>,
    /// Values of the `stage` column that mean this stage (long exports), lowercased.
    pub values: Vec<String>,
    /// The same values as written, and where (long exports), for a warning when no row holds
    /// any of them.
    pub values_written: Option<(Vec<String>, Loc)>,
}

/// One joined file.
#[derive(Debug, Clone)]
pub struct JoinSpec {
    /// The path as written (relative to the map file).
    pub csv: String,
    /// Where the path was written.
    pub csv_at: Loc,
    /// `as:`, else the file stem.
    pub alias: String,
    /// The key in the rows so far.
    pub left: ColRef,
    /// The key in the joined file.
    pub right: ColRef,
}

/// `events:` of a long export.
#[derive(Debug, Clone)]
pub struct EventsSpec {
    /// The deal or lead id.
    pub id: ColRef,
    /// The stage name column.
    pub stage: ColRef,
    /// The date of the stage change.
    pub date: ColRef,
}

/// The whole map.
#[derive(Debug, Clone)]
pub struct Map {
    /// Stages in map order (at least one).
    pub stages: Vec<StageSpec>,
    /// The channel column.
    pub channel: Option<ColRef>,
    /// The amount column.
    pub amount: Option<ColRef>,
    /// Joins in order.
    pub joins: Vec<JoinSpec>,
    /// The key whose repeats count once.
    pub unique: Option<ColRef>,
    /// First month written.
    pub from: Option<Month>,
    /// Last month written.
    pub to: Option<Month>,
    /// Stage indices `sales_cycle_days` measures between.
    pub cycle: (usize, usize),
    /// An explicit date format.
    pub date_format: Option<String>,
    /// Amounts use `,` as decimal mark.
    pub decimal_comma: bool,
    /// The byte between cells.
    pub delimiter: u8,
    /// A long export.
    pub events: Option<EventsSpec>,
    /// The v3 keys: sources, rows to leave out, spend, lost deals and pipeline.
    pub more: super::mapkeys::More,
}

/// A column named where the map has a YAML value (a field of several shapes).
pub(super) fn col(r: &mut FileReader, n: &Node, what: &str) -> Option<ColRef> {
    let name = r.text(n, what)?;
    named(r, name, Loc::of(n), what)
}

/// A column named by a text field (its text already read and any mistake reported).
pub(super) fn col_at(r: &mut FileReader, t: &At<Text>, what: &str) -> Option<ColRef> {
    named(r, t.value.0.clone()?, t.loc, what)
}

fn named(r: &mut FileReader, name: String, at: Loc, what: &str) -> Option<ColRef> {
    if name.trim().is_empty() {
        r.error_at(at, format!("empty column name for {what}"), "write the column's header as it is in the CSV");
        return None;
    }
    // The text reader shows a control character as U+FFFD with a warning; as a column name it
    // can match nothing, and the import stopped on that warning alone ("1 warning; nothing
    // was written") without saying why.
    if name.contains('\u{fffd}') {
        r.error_at(
            at,
            format!("the column name for {what} holds a control character (shown as `\u{fffd}`), so no CSV header can match it"),
            "write the column's header as it is in the CSV, without control characters; a header that holds one must be renamed in the CSV",
        );
        return None;
    }
    Some(ColRef { name, at })
}

/// The value(s) of a `when` condition or of an events stage, trimmed (not yet lowercased).
pub(super) fn values(r: &mut FileReader, n: &Node, what: &str) -> Option<Vec<String>> {
    let items: Vec<&Node> = match &n.value {
        Value::Seq(items) => items.iter().collect(),
        _ => vec![n],
    };
    let mut out = Vec::new();
    for i in items {
        out.push(r.text(i, what)?.trim().to_string());
    }
    if out.is_empty() {
        r.error(n, format!("no value for {what}"), "write one value or a list like `[Won, Closed Won]`");
        return None;
    }
    Some(out)
}

fn stem(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name).to_string()
}

fn read_join(r: &mut FileReader, n: &Node) -> Option<JoinSpec> {
    let j: JoinEntry = de::read(r, n, "join")?;
    let alias = match &j.alias {
        Some(At { value: Text(Some(t)), loc, .. }) => {
            if t.is_empty() || t.contains('.') || t == "join" {
                r.error_at(
                    *loc,
                    format!("`{t}` cannot be a join's alias"),
                    "use a short name without dots, like `opp`",
                );
                return None;
            }
            Some(t.clone())
        }
        Some(_) => return None,
        None => None,
    };
    let csv = j.csv.value.0?;
    j.on.key?;
    let on = &j.on.value;
    let (left, right) = match &on.value {
        Value::Map(_) => {
            let k: JoinKey = de::read(r, on, "join key")?;
            let left = col_at(r, &k.left, "the join's left key");
            let right = col_at(r, &k.right, "the join's right key");
            (left?, right?)
        }
        _ => {
            let c = col(r, on, "the join key")?;
            (c.clone(), c)
        }
    };
    let alias = alias.unwrap_or_else(|| stem(&csv));
    Some(JoinSpec { csv, csv_at: j.csv.loc, alias, left, right })
}

/// Reads the map; `None` when it has errors (they are in `r`).
pub fn read(r: &mut FileReader, n: &Node) -> Option<Map> {
    let f: MapFile = de::read(r, n, "import map")?;
    let events = f.events.as_ref().and_then(|e| {
        let id = col_at(r, &e.id, "the events' id");
        let stage = col_at(r, &e.stage, "the events' stage");
        let date = col_at(r, &e.date, "the events' date");
        Some(EventsSpec { id: id?, stage: stage?, date: date? })
    });
    if f.events.is_some() {
        for (other, key) in
            [("join", f.join.as_ref().and_then(|j| j.key)), ("unique", f.unique.as_ref().and_then(|u| u.key))]
        {
            if let Some(k) = key {
                r.error_at(
                    k,
                    format!("`{other}` cannot be used with `events`"),
                    "a stage history is read on its own: one row per stage change, grouped by `events.id`",
                );
            }
        }
    }
    let mut stages = Vec::new();
    if let Some(st) = &f.stages {
        let sn = &st.value;
        for (k, kn, v) in stage_entries(r, sn) {
            let spec = match &f.events {
                Some(_) => stage_values(r, &k, v),
                None => stage_wide(r, &k, v),
            };
            if let Some(s) = spec {
                if stages.iter().any(|o: &StageSpec| o.id == s.id) {
                    r.error(&kn, format!("stage `{k}` appears twice"), "map each stage once");
                } else {
                    stages.push(s);
                }
            }
        }
        if stages.is_empty() && !r.has_missing() {
            r.error(
                sn,
                "the map names no stage",
                "map each stage id to the column holding the date the row reached it, like `{mql: first_contact_date, won: won_date}`",
            );
        }
    }
    let text_col = |r: &mut FileReader, t: &Option<At<Text>>, what: &str| t.as_ref().and_then(|t| col_at(r, t, what));
    let (channel, channel_value) = match &f.channel {
        Some(c) => super::mapkeys::channel(r, &c.value),
        None => (None, None),
    };
    let mut amount = text_col(r, &f.amount, "the amount");
    let unique = text_col(r, &f.unique, "the unique key");
    let mut joins = Vec::new();
    if let Some(jn) = &f.join {
        let jn = &jn.value;
        let items: Vec<&Node> = match &jn.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![jn],
        };
        for i in items {
            if let Some(j) = read_join(r, i) {
                if joins.iter().any(|o: &JoinSpec| o.alias == j.alias) {
                    r.error(
                        i,
                        format!("two joins are called `{}`", j.alias),
                        "give one of them another name with `as:`",
                    );
                }
                joins.push(j);
            }
        }
    }
    let from = f.from.as_ref().and_then(|m| m.value.0);
    let to = f.to.as_ref().and_then(|m| m.value.0);
    if let (Some(a), Some(b), Some(tn)) = (from, to, &f.to) {
        if b < a {
            r.error_at(tn.loc, format!("`to` ({b}) is before `from` ({a})"), "swap them");
        }
    }
    let date_format = f.date_format.as_ref().and_then(|v| {
        let t = v.value.0.clone()?;
        if !super::dates::format_is_complete(&t) {
            r.error_at(
                v.loc,
                format!("the date format `{t}` does not name a year, a month and a day"),
                "write it strftime style, like `%m/%d/%Y` for 1/5/2024 or `%d.%m.%Y` for 5.1.2024",
            );
            return None;
        }
        Some(t)
    });
    let decimal_comma = match &f.decimal {
        Some(At { value: Text(Some(mark)), loc, .. }) => match mark.as_str() {
            "." => false,
            "," => true,
            other => {
                r.error_at(
                    *loc,
                    format!("the decimal mark must be \".\" or \",\", found `{other}`"),
                    "write `decimal: \",\"`",
                );
                false
            }
        },
        _ => false,
    };
    let delimiter = match &f.delimiter {
        Some(At { value: Text(Some(d)), loc, .. }) => match d.as_str() {
            "," => b',',
            ";" => b';',
            // A tab, written "\t" (YAML makes it one), or \t unquoted.
            "\t" | "\\t" => b'\t',
            "|" => b'|',
            other => {
                r.error_at(
                    *loc,
                    format!(
                        "the delimiter must be \",\", \";\", \"\\t\" (a tab) or \"|\", found `{}`",
                        other.escape_debug()
                    ),
                    "write `delimiter: \";\"` for a file whose cells are separated by semicolons",
                );
                b','
            }
        },
        _ => b',',
    };
    let mut cycle = (0, stages.len().saturating_sub(1));
    if let Some(c) = &f.cycle {
        let mut idx = |t: &At<Text>| {
            let name = t.value.0.as_ref()?;
            match stages.iter().position(|s| &s.id == name) {
                Some(i) => Some((i, t.loc)),
                None => {
                    let ids: Vec<String> = stages.iter().map(|s| format!("`{}`", s.id)).collect();
                    r.error_at(
                        t.loc,
                        format!("`{name}` is not a stage of this map"),
                        format!("the map's stages are {}", ids.join(", ")),
                    );
                    None
                }
            }
        };
        let a = idx(&c.from);
        let b = idx(&c.to);
        if let (Some((a, _)), Some((b, bn))) = (a, b) {
            if b <= a {
                r.error_at(
                    bn,
                    "`cycle.to` must be a later stage than `cycle.from` in the map's order",
                    "list the stages in funnel order",
                );
            } else {
                cycle = (a, b);
            }
        }
    }
    let more = super::mapkeys::read(r, n, &f, &mut stages, &mut amount, channel_value);
    if !r.diags.is_empty() || r.has_missing() {
        return None;
    }
    let more = more?;
    let cycle = if stages.len() < 2 { (0, 0) } else { cycle };
    Some(Map {
        stages,
        channel,
        amount,
        joins,
        unique,
        from,
        to,
        cycle,
        date_format,
        decimal_comma,
        delimiter,
        events,
        more,
    })
}

fn stage_entries<'n>(r: &mut FileReader, sn: &'n Node) -> Vec<(String, Node, &'n Node)> {
    let Value::Map(items) = &sn.value else {
        r.error(
            sn,
            format!("expected a map of stage id to column for `stages`, found {}", sn.kind_name()),
            "write `stages: {mql: first_contact_date, won: won_date}`",
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in items {
        let Some(id) = r.id(k, "stage id", "_") else { continue };
        out.push((id, k.clone(), v));
    }
    out
}

pub(super) fn stage_wide(r: &mut FileReader, id: &str, v: &Node) -> Option<StageSpec> {
    let what = format!("the date of stage `{id}`");
    let (date, when) = match &v.value {
        Value::Map(_) => {
            let s: StageEntry = de::read(r, v, "stage")?;
            let date = if s.date.key.is_some() { col(r, &s.date.value, &what) } else { None };
            let mut when = Vec::new();
            if let Some(w) = &s.when {
                let w = &w.value;
                match &w.value {
                    Value::Map(items) if !items.is_empty() => {
                        for (ck, cv) in items {
                            let c = col(r, ck, "a `when` column");
                            let vals = values(r, cv, "a `when` value");
                            if let (Some(c), Some(written)) = (c, vals) {
                                let values = written.iter().map(|v| v.to_lowercase()).collect();
                                let value_at = match &cv.value {
                                    Value::Seq(items) => items.iter().map(Loc::of).collect(),
                                    _ => vec![Loc::of(cv)],
                                };
                                when.push(Cond { col: c, values, written, at: Loc::of(cv), value_at });
                            }
                        }
                    }
                    _ => r.error(
                        w,
                        "`when` must be a map of column to value(s)",
                        "write `when: {deal_stage: [Won, Closed Won]}` or `when: {IsWon: true}`",
                    ),
                }
            }
            (date?, when)
        }
        _ => (col(r, v, &what)?, Vec::new()),
    };
    Some(StageSpec { id: id.to_string(), date: Some(date), when, values: Vec::new(), values_written: None })
}

pub(super) fn stage_values(r: &mut FileReader, id: &str, v: &Node) -> Option<StageSpec> {
    if let Value::Map(_) = &v.value {
        r.error(
            v,
            format!("with `events`, stage `{id}` is named by the value(s) of the stage column"),
            "write `won: [Closed Won]`; `date` and `when` belong to exports with one row per deal",
        );
        return None;
    }
    let vals = values(r, v, &format!("the stage values of `{id}`"))?;
    let values = vals.iter().map(|v| v.to_lowercase()).collect();
    Some(StageSpec {
        id: id.to_string(),
        date: None,
        when: Vec::new(),
        values,
        values_written: Some((vals, Loc::of(v))),
    })
}

/// The schemas of the map's fields of several shapes, for `smarketing schema`.
pub(super) mod schemas {
    use schemars::{json_schema, Schema, SchemaGenerator};

    fn text() -> serde_json::Value {
        crate::load::de::text_schema().to_value()
    }
    pub fn column(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "minLength": 1, "description": "A CSV column: NAME, ALIAS.NAME or join.NAME"})
    }
    pub fn when(_: &mut SchemaGenerator) -> Schema {
        let values = serde_json::json!({"anyOf": [text(), {"type": "array", "minItems": 1, "items": text()}]});
        json_schema!({"type": "object", "minProperties": 1, "additionalProperties": values})
    }
    pub fn stages(g: &mut SchemaGenerator) -> Schema {
        let long = g.subschema_for::<super::StageEntry>();
        let col = column(g);
        json_schema!({"type": "object", "minProperties": 1, "propertyNames": {"pattern": "^[a-z0-9_-]+$"},
            "additionalProperties": {"anyOf": [col, long, {"type": "array", "minItems": 1, "items": text()}],
                "description": "A date column, {date, when}, or (with `events`) the value(s) of the stage column"}})
    }
    pub fn join(g: &mut SchemaGenerator) -> Schema {
        let one = g.subschema_for::<super::JoinEntry>();
        json_schema!({"anyOf": [one.clone(), {"type": "array", "items": one}]})
    }
    pub fn join_key(g: &mut SchemaGenerator) -> Schema {
        let both = g.subschema_for::<super::JoinKey>();
        let col = column(g);
        json_schema!({"anyOf": [col, both]})
    }
    pub fn decimal(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"enum": [".", ","]})
    }
    pub fn delimiter(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"enum": [",", ";", "\t", "|"]})
    }
}

/// Whether a trimmed cell matches a `when` value (already lowercased): flag words match any
/// flag word of the same truth (`false` words also a blank cell); other values ignore case.
pub fn matches(cell: &str, value: &str) -> bool {
    const TRUE: [&str; 5] = ["true", "yes", "y", "t", "1"];
    const FALSE: [&str; 5] = ["false", "no", "n", "f", "0"];
    let cell = cell.trim();
    let is = |set: &[&str], c: &str| set.iter().any(|w| c.eq_ignore_ascii_case(w));
    if TRUE.contains(&value) {
        return is(&TRUE, cell);
    }
    if FALSE.contains(&value) {
        return cell.is_empty() || is(&FALSE, cell);
    }
    if cell.is_ascii() && value.is_ascii() {
        cell.eq_ignore_ascii_case(value)
    } else {
        cell.to_lowercase() == value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_words_and_values() {
        assert!(matches("TRUE", "yes"));
        assert!(matches(" 1 ", "true"));
        assert!(!matches("FALSE", "true"));
        assert!(matches("", "false"));
        assert!(matches("No", "0"));
        assert!(matches("closed won", "closed won"));
        assert!(matches("Closed Won", "closed won"));
        assert!(!matches("Closed Lost", "closed won"));
        assert!(matches("ÉTÉ", "été"));
    }
}
