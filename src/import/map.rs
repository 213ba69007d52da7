//! The import map (FORMAT.md section 10, Import): read with the position-aware YAML tree, so
//! every mistake names its line and column, and all of them are reported in one run. Column
//! names stay as written here; `rows.rs` resolves them against the CSV headers.

use crate::load::reader::FileReader;
use crate::load::yaml::{Node, Value};
use crate::model::calendar::Month;

/// The fields a map may have (also the `import-map` schema's properties).
pub const MAP_FIELDS: [&str; 11] =
    ["stages", "channel", "amount", "join", "unique", "from", "to", "cycle", "date_format", "decimal", "events"];

/// A column named in the map, with where it was named.
#[derive(Debug, Clone)]
pub struct ColRef {
    /// The name as written: `Created Date`, `contacts.lead_id`, `join.won_date`.
    pub name: String,
    /// The node that named it.
    pub node: Node,
}

/// One `when` condition: the column's trimmed cell must match one of `values`.
#[derive(Debug, Clone)]
pub struct Cond {
    /// The column compared.
    pub col: ColRef,
    /// The accepted values, lowercased.
    pub values: Vec<String>,
}

/// A stage of the map, in map order.
#[derive(Debug, Clone)]
pub struct StageSpec {
    /// The stage id.
    pub id: String,
    /// The stage's key in the map.
    pub node: Node,
    /// The date column (wide exports).
    pub date: Option<ColRef>,
    /// Conditions that must hold for the row to have reached the stage.
    pub when: Vec<Cond>,
    /// Values of the `stage` column that mean this stage (long exports), lowercased.
    pub values: Vec<String>,
}

/// One joined file.
#[derive(Debug, Clone)]
pub struct JoinSpec {
    /// The path as written (relative to the map file).
    pub csv: String,
    /// Where the path was written.
    pub csv_node: Node,
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
    /// A long export.
    pub events: Option<EventsSpec>,
}

fn col(r: &mut FileReader, n: &Node, what: &str) -> Option<ColRef> {
    let name = r.text(n, what)?;
    if name.trim().is_empty() {
        r.error(n, format!("empty column name for {what}"), "write the column's header as it is in the CSV");
        return None;
    }
    Some(ColRef { name, node: n.clone() })
}

/// A flag word or a value, as `when` compares it.
fn values(r: &mut FileReader, n: &Node, what: &str) -> Option<Vec<String>> {
    let items: Vec<&Node> = match &n.value {
        Value::Seq(items) => items.iter().collect(),
        _ => vec![n],
    };
    let mut out = Vec::new();
    for i in items {
        out.push(r.text(i, what)?.trim().to_lowercase());
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
    let f = r.fields(n, "join", &["csv", "on", "as"])?;
    let csv_node = r.required(&f, "csv");
    let on = r.required(&f, "on");
    let csv = csv_node.and_then(|c| r.text(c, "the joined CSV's path"));
    let alias = match f.get("as") {
        Some(a) => {
            let t = r.text(a, "the join's alias")?;
            if t.is_empty() || t.contains('.') || t == "join" {
                r.error(a, format!("`{t}` cannot be a join's alias"), "use a short name without dots, like `opp`");
                return None;
            }
            Some(t)
        }
        None => None,
    };
    let (csv, csv_node, on) = (csv?, csv_node?, on?);
    let (left, right) = match &on.value {
        Value::Map(_) => {
            let k = r.fields(on, "join key", &["left", "right"])?;
            let l = r.required(&k, "left");
            let rr = r.required(&k, "right");
            let left = col(r, l?, "the join's left key")?;
            let right = col(r, rr?, "the join's right key")?;
            (left, right)
        }
        _ => {
            let c = col(r, on, "the join key")?;
            (c.clone(), c)
        }
    };
    let alias = alias.unwrap_or_else(|| stem(&csv));
    Some(JoinSpec { csv, csv_node: csv_node.clone(), alias, left, right })
}

/// Reads the map; `None` when it has errors (they are in `r`).
pub fn read(r: &mut FileReader, n: &Node) -> Option<Map> {
    let f = r.fields(n, "import map", &MAP_FIELDS)?;
    let events = match f.get("events") {
        Some(e) => {
            let ef = r.fields(e, "events", &["id", "stage", "date"])?;
            let id = r.required(&ef, "id").and_then(|v| col(r, v, "the events' id"));
            let stage = r.required(&ef, "stage").and_then(|v| col(r, v, "the events' stage"));
            let date = r.required(&ef, "date").and_then(|v| col(r, v, "the events' date"));
            Some(EventsSpec { id: id?, stage: stage?, date: date? })
        }
        None => None,
    };
    if events.is_some() {
        for other in ["join", "unique"] {
            if let Some(k) = f.key(other) {
                r.error(
                    k,
                    format!("`{other}` cannot be used with `events`"),
                    "a stage history is read on its own: one row per stage change, grouped by `events.id`",
                );
            }
        }
    }
    let mut stages = Vec::new();
    if let Some(sn) = r.required(&f, "stages") {
        for (k, kn, v) in stage_entries(r, sn) {
            let spec = match &events {
                Some(_) => stage_values(r, &k, &kn, v),
                None => stage_wide(r, &k, &kn, v),
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
    let channel = f.get("channel").and_then(|v| col(r, v, "the channel"));
    let amount = f.get("amount").and_then(|v| col(r, v, "the amount"));
    let unique = f.get("unique").and_then(|v| col(r, v, "the unique key"));
    let mut joins = Vec::new();
    if let Some(jn) = f.get("join") {
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
    let from = f.get("from").and_then(|v| r.month(v, "`from`"));
    let to = f.get("to").and_then(|v| r.month(v, "`to`"));
    if let (Some(a), Some(b), Some(tn)) = (from, to, f.get("to")) {
        if b < a {
            r.error(tn, format!("`to` ({b}) is before `from` ({a})"), "swap them");
        }
    }
    let date_format = f.get("date_format").and_then(|v| {
        let t = r.text(v, "the date format")?;
        if !super::dates::format_is_complete(&t) {
            r.error(
                v,
                format!("the date format `{t}` does not name a year, a month and a day"),
                "write it strftime style, like `%m/%d/%Y` for 1/5/2024 or `%d.%m.%Y` for 5.1.2024",
            );
            return None;
        }
        Some(t)
    });
    let decimal_comma = match f.get("decimal") {
        Some(v) => match r.text(v, "the decimal mark").as_deref() {
            Some(".") => false,
            Some(",") => true,
            Some(other) => {
                r.error(
                    v,
                    format!("the decimal mark must be \".\" or \",\", found `{other}`"),
                    "write `decimal: \",\"`",
                );
                false
            }
            None => false,
        },
        None => false,
    };
    let mut cycle = (0, stages.len().saturating_sub(1));
    if let Some(c) = f.get("cycle") {
        if let Some(cf) = r.fields(c, "cycle", &["from", "to"]) {
            let mut idx = |name: &str| {
                let v = r.required(&cf, name)?;
                let t = r.text(v, "a stage id")?;
                match stages.iter().position(|s| s.id == t) {
                    Some(i) => Some((i, v)),
                    None => {
                        let ids: Vec<String> = stages.iter().map(|s| format!("`{}`", s.id)).collect();
                        r.error(
                            v,
                            format!("`{t}` is not a stage of this map"),
                            format!("the map's stages are {}", ids.join(", ")),
                        );
                        None
                    }
                }
            };
            let a = idx("from");
            let b = idx("to");
            if let (Some((a, _)), Some((b, bn))) = (a, b) {
                if b <= a {
                    r.error(
                        bn,
                        "`cycle.to` must be a later stage than `cycle.from` in the map's order",
                        "list the stages in funnel order",
                    );
                } else {
                    cycle = (a, b);
                }
            }
        }
    }
    if !r.diags.is_empty() || r.has_missing() {
        return None;
    }
    Some(Map { stages, channel, amount, joins, unique, from, to, cycle, date_format, decimal_comma, events })
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

fn stage_wide(r: &mut FileReader, id: &str, kn: &Node, v: &Node) -> Option<StageSpec> {
    let what = format!("the date of stage `{id}`");
    let (date, when) = match &v.value {
        Value::Map(_) => {
            let f = r.fields(v, "stage", &["date", "when"])?;
            let date = r.required(&f, "date").and_then(|d| col(r, d, &what));
            let mut when = Vec::new();
            if let Some(w) = f.get("when") {
                match &w.value {
                    Value::Map(items) if !items.is_empty() => {
                        for (ck, cv) in items {
                            let c = col(r, ck, "a `when` column");
                            let vals = values(r, cv, "a `when` value");
                            if let (Some(c), Some(vals)) = (c, vals) {
                                when.push(Cond { col: c, values: vals });
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
    Some(StageSpec { id: id.to_string(), node: kn.clone(), date: Some(date), when, values: Vec::new() })
}

fn stage_values(r: &mut FileReader, id: &str, kn: &Node, v: &Node) -> Option<StageSpec> {
    if let Value::Map(_) = &v.value {
        r.error(
            v,
            format!("with `events`, stage `{id}` is named by the value(s) of the stage column"),
            "write `won: [Closed Won]`; `date` and `when` belong to exports with one row per deal",
        );
        return None;
    }
    let vals = values(r, v, &format!("the stage values of `{id}`"))?;
    Some(StageSpec { id: id.to_string(), node: kn.clone(), date: None, when: Vec::new(), values: vals })
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
