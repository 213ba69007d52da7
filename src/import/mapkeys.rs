//! The map keys of a project fed by several exports (docs/import.md, "Several sources"):
//! `csv` and `output` (where the map reads and writes, relative to the map file),
//! `header_row` (a report's title lines above the header), `ignore` (totals rows), a constant
//! `channel`, `currency`, `spend` (a cost report instead of stages), `lost` and `pipeline`.
//! `map.rs` reads the rest of the map and calls [`read`] once the stages are known.

use super::map::{self, ColRef, MapFile, StageSpec};
use crate::load::de::{self, At, Loc, Text};
use crate::load::reader::FileReader;
use crate::load::yaml::{Node, Value};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;

/// `spend:` of a cost report (Google Ads, Meta, LinkedIn, a finance sheet).
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "spend", deny_unknown_fields)]
pub struct Spend {
    /// The day the money was spent: counted in that day's month.
    pub date: At<Text>,
    /// The money spent, summed per month (read like `amount`).
    pub amount: At<Text>,
    /// `marketing` (default) or `sales`: which spend of the funnel file it is.
    #[schemars(schema_with = "into_schema")]
    #[serde(default)]
    pub into: Option<At<Text>>,
}

/// `pipeline:` of the map.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "pipeline", deny_unknown_fields)]
pub struct Pipeline {
    /// The stage whose date creates the pipeline (an opportunity's creation).
    pub from: At<Text>,
    /// The stage whose date takes it out of the open pipeline (closed, won or lost).
    pub to: At<Text>,
}

/// `channel: {value: NAME}`.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "channel", deny_unknown_fields)]
struct ChannelValue {
    /// The channel of every row.
    value: At<Text>,
}

fn into_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"enum": ["marketing", "sales"]})
}

/// The schema of `channel`: a column, or `{value: NAME}`.
pub fn channel_schema(g: &mut SchemaGenerator) -> Schema {
    let constant = g.subschema_for::<ChannelValue>();
    let col = map::schemas::column(g);
    json_schema!({"anyOf": [col, constant]})
}

/// The schema of `lost`: a column, or `{date, when}`.
pub fn lost_schema(g: &mut SchemaGenerator) -> Schema {
    let long = g.subschema_for::<map::StageEntry>();
    let col = map::schemas::column(g);
    json_schema!({"anyOf": [col, long]})
}

/// Which spend of the funnel file a spend import writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpendInto {
    /// `spend.marketing` (and each channel's `spend`).
    Marketing,
    /// `spend.sales`.
    Sales,
}

impl SpendInto {
    /// The key under `spend:`.
    pub fn key(self) -> &'static str {
        match self {
            SpendInto::Marketing => "marketing",
            SpendInto::Sales => "sales",
        }
    }
}

/// One `ignore` condition: a row whose cell matches one of the patterns is left out.
#[derive(Debug, Clone)]
pub struct Ignore {
    /// The column compared.
    pub col: ColRef,
    /// The patterns, lowercased: a trailing `*` matches any ending.
    pub patterns: Vec<String>,
}

impl Ignore {
    /// Whether a cell matches one of the patterns (trimmed, case ignored).
    pub fn matches(&self, cell: &str) -> bool {
        let cell = cell.trim().to_lowercase();
        self.patterns.iter().any(|p| match p.strip_suffix('*') {
            Some(prefix) => cell.starts_with(prefix),
            None => cell == *p,
        })
    }
}

/// The v3 keys of a map, read and checked.
#[derive(Debug, Clone)]
pub struct More {
    /// `csv`: the export, as written (relative to the map), and where.
    pub csv: Option<(String, Loc)>,
    /// `output`: the funnel file, as written (relative to the map), and where.
    pub output: Option<(String, Loc)>,
    /// The physical line of the header (1 unless `header_row`).
    pub header_row: u64,
    /// Rows to leave out.
    pub ignore: Vec<Ignore>,
    /// `channel: {value: NAME}`: the channel of every row.
    pub channel_value: Option<String>,
    /// `currency`: the column holding each amount's currency.
    pub currency: Option<ColRef>,
    /// A spend import: which spend it writes. Its date is the map's one stage and its amount
    /// the map's amount.
    pub spend: Option<SpendInto>,
    /// `lost`: its date column and conditions.
    pub lost: Option<StageSpec>,
    /// `pipeline`: the stage indices it is created at and closed at.
    pub pipeline: Option<(usize, usize)>,
}

/// The id a spend import's one stage has inside the import (never written).
pub const SPEND_STAGE: &str = "spend";

/// `channel`: a column, or `{value: NAME}` (the second of the pair).
pub fn channel(r: &mut FileReader, n: &Node) -> (Option<ColRef>, Option<String>) {
    match &n.value {
        Value::Map(_) => {
            let Some(c) = de::read::<ChannelValue>(r, n, "channel") else { return (None, None) };
            match c.value.value.0 {
                Some(v) if !v.trim().is_empty() => (None, Some(v.trim().to_string())),
                Some(_) => {
                    r.error_at(
                        c.value.loc,
                        "empty channel name",
                        "write the channel every row belongs to, like `{value: paid search}`",
                    );
                    (None, None)
                }
                None => (None, None),
            }
        }
        _ => (map::col(r, n, "the channel"), None),
    }
}

fn text(t: &Option<At<Text>>) -> Option<(String, Loc)> {
    t.as_ref().and_then(|t| Some((t.value.0.clone()?, t.loc)))
}

/// Reads the v3 keys once `stages` and `amount` are read: a spend map gets its one stage and
/// its amount here. `None` when a mistake was reported.
pub fn read(
    r: &mut FileReader,
    node: &Node,
    f: &MapFile,
    stages: &mut Vec<StageSpec>,
    amount: &mut Option<ColRef>,
    channel_value: Option<String>,
) -> Option<More> {
    let mut ok = true;
    let mut spend = None;
    if let Some(s) = &f.spend {
        if let Some(st) = &f.stages {
            r.error_at(
                st.key.unwrap_or(st.loc),
                "a map has `stages` or `spend`, not both",
                "import the stages and the spend with two maps, each writing its own funnel file; the months merge",
            );
            ok = false;
        }
        let others = [
            ("amount", f.amount.as_ref().and_then(|a| a.key), "the money spent is `spend.amount`"),
            ("events", f.events.as_ref().map(|e| e.id.key.unwrap_or(e.id.loc)), "a cost report has one row per day"),
            ("lost", f.lost.as_ref().and_then(|l| l.key), "lost deals come from the CRM's map"),
            ("pipeline", f.pipeline.as_ref().and_then(|p| p.key), "pipeline comes from the CRM's map"),
            ("cycle", f.cycle.as_ref().map(|c| c.from.key.unwrap_or(c.from.loc)), "a spend import has no stages"),
        ];
        for (name, at, why) in others {
            if let Some(at) = at {
                r.error_at(at, format!("`{name}` cannot be used with `spend`"), why);
                ok = false;
            }
        }
        let date = map::col_at(r, &s.value.date, "the spend's date");
        let money = map::col_at(r, &s.value.amount, "the spend's amount");
        let into = match &s.value.into {
            None => Some(SpendInto::Marketing),
            Some(At { value: Text(Some(t)), loc, .. }) => match t.trim() {
                "marketing" => Some(SpendInto::Marketing),
                "sales" => Some(SpendInto::Sales),
                other => {
                    r.error_at(
                        *loc,
                        format!("`spend.into` must be `marketing` or `sales`, found `{other}`"),
                        "ad platforms are `marketing`; the sales team's cost is `sales`",
                    );
                    None
                }
            },
            Some(_) => None,
        };
        match (date, money, into) {
            (Some(d), Some(m), Some(i)) if ok => {
                stages.clear();
                stages.push(StageSpec {
                    id: SPEND_STAGE.into(),
                    date: Some(d),
                    when: Vec::new(),
                    values: Vec::new(),
                    values_written: None,
                });
                *amount = Some(m);
                spend = Some(i);
            }
            _ => ok = false,
        }
    } else if f.stages.is_none() {
        r.error(
            node,
            "the map has neither `stages` nor `spend`",
            "a CRM export maps each stage to its date column, like `stages: {mql: first_contact_date, won: won_date}`; a cost report maps `spend: {date: Day, amount: Cost}`",
        );
        ok = false;
    }
    let header_row = match &f.header_row {
        None => 1,
        Some(At { value: de::Count(Some(0)), loc, .. }) => {
            r.error_at(
                *loc,
                "`header_row` counts lines from 1",
                "write the number of the line holding the column names, like `header_row: 3`",
            );
            ok = false;
            1
        }
        Some(At { value: de::Count(Some(n)), .. }) => *n,
        Some(_) => {
            ok = false;
            1
        }
    };
    let mut ignore = Vec::new();
    if let Some(ig) = &f.ignore {
        match &ig.value.value {
            Value::Map(items) if !items.is_empty() => {
                for (ck, cv) in items {
                    let c = map::col(r, ck, "an `ignore` column");
                    let vals = map::values(r, cv, "an `ignore` value");
                    match (c, vals) {
                        (Some(col), Some(vals)) => {
                            ignore.push(Ignore { col, patterns: vals.iter().map(|v| v.to_lowercase()).collect() })
                        }
                        _ => ok = false,
                    }
                }
            }
            _ => {
                r.error(
                    &ig.value,
                    "`ignore` must be a map of column to value(s)",
                    "write `ignore: {Campaign: [\"Total*\"]}`: a trailing * matches any ending",
                );
                ok = false;
            }
        }
    }
    let currency = f.currency.as_ref().and_then(|c| map::col_at(r, c, "the currency"));
    let mut lost = None;
    // A spend map's `lost` and `pipeline` are reported above; nothing more to say of them.
    let crm = spend.is_none() && f.spend.is_none();
    if let Some(l) = f.lost.as_ref().filter(|_| crm) {
        // With `events`, the value(s) of the stage column that mean lost (`lost: [Closed Lost]`):
        // an id whose latest change holds one is lost on that change's date.
        lost = match f.events {
            Some(_) => map::stage_values(r, "lost", &l.value),
            None => map::stage_wide(r, "lost", &l.value),
        };
        ok &= lost.is_some();
    }
    let mut pipeline = None;
    if let Some(p) = f.pipeline.as_ref().filter(|_| crm) {
        let key = p.key.unwrap_or(p.loc);
        if amount.is_none() {
            r.error_at(
                key,
                "`pipeline` sums amounts, and the map has no `amount`",
                "name the amount column: `amount: Amount`",
            );
            ok = false;
        }
        let mut idx = |t: &At<Text>| {
            let name = t.value.0.as_ref()?;
            match stages.iter().position(|s| &s.id == name) {
                Some(i) => Some(i),
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
        let a = idx(&p.value.from);
        let b = idx(&p.value.to);
        match (a, b) {
            (Some(a), Some(b)) if b > a => pipeline = Some((a, b)),
            (Some(_), Some(_)) => {
                r.error_at(
                    p.value.to.loc,
                    "`pipeline.to` must be a later stage than `pipeline.from` in the map's order",
                    "`from` is the stage a deal enters the pipeline at (opportunities), `to` the one it leaves at (closed)",
                );
                ok = false;
            }
            _ => ok = false,
        }
    }
    ok.then(|| More {
        csv: text(&f.csv),
        output: text(&f.output),
        header_row,
        ignore,
        channel_value,
        currency,
        spend,
        lost,
        pipeline,
    })
}
