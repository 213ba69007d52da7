//! JSON Schema of every content file kind, for editors with a YAML language server.
//!
//! The loader reads YAML through its own position-aware tree, not serde, so the schemas are
//! written here against the loader's own field tables; a unit test keeps the two in step.

use crate::load::kinds::{
    ACTION_FIELDS, FUNNEL_FIELDS, GOAL_FIELDS, MEETING_FIELDS_MD, MEETING_FIELDS_YAML, SITE_FIELDS,
};
use crate::model::{METRIC_NAMES, STATUS_NAMES, UNIT_NAMES};
use serde_json::{json, Map, Value};

/// The kinds, with the file patterns they apply to (for editor settings).
pub const KINDS: [(&str, &str); 9] = [
    ("site", "content/site.yaml"),
    ("funnel", "content/funnel/*.yaml"),
    ("goals", "content/goals/*.yaml"),
    ("meeting", "content/meetings/*.yaml"),
    ("meeting-front-matter", "front matter of content/meetings/*.md"),
    ("checklist", "content/checklist.yaml"),
    ("personas", "content/personas/*.yaml"),
    ("report-front-matter", "front matter of content/reports/YYYY-MM.md"),
    ("import-map", "the --map file of `smarketing import`"),
];

const MONTH: &str = "^[0-9]{4}-(0[1-9]|1[0-2])$";
const DATE: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

fn month() -> Value {
    json!({"type": "string", "pattern": MONTH, "description": "A month, YYYY-MM"})
}
fn date() -> Value {
    json!({"type": "string", "pattern": DATE, "description": "A date, YYYY-MM-DD"})
}
fn text() -> Value {
    json!({"type": ["string", "number", "boolean"]})
}
fn texts() -> Value {
    json!({"type": "array", "items": text()})
}
fn amount() -> Value {
    json!({"type": "number", "minimum": 0})
}
fn count() -> Value {
    json!({"type": "integer", "minimum": 0})
}
fn id() -> Value {
    json!({"type": "string", "pattern": "^[a-z0-9-]+$"})
}

fn object(fields: &[&str], props: Vec<(&str, Value)>, required: &[&str]) -> Value {
    let mut p = Map::new();
    for (k, v) in props {
        p.insert(k.to_string(), v);
    }
    debug_assert!(fields.iter().all(|f| p.contains_key(*f)), "schema and loader fields differ");
    json!({"type": "object", "additionalProperties": false, "properties": p, "required": required})
}

fn stage_counts(with_spend: bool) -> Value {
    let mut o = json!({"type": "object", "description": "Stage id -> count", "additionalProperties": count()});
    if with_spend {
        o["properties"] = json!({"spend": amount()});
    }
    o
}

fn meeting(fields: &[&str]) -> Value {
    let action = object(
        &ACTION_FIELDS,
        vec![
            ("task", text()),
            ("owner", text()),
            ("due", date()),
            ("done", json!({"type": "boolean"})),
            (
                "done_on",
                json!({"type": "string", "pattern": DATE,
                       "description": "The day the item was finished, YYYY-MM-DD: implies done; open in every month before it"}),
            ),
        ],
        &["task", "owner", "due"],
    );
    let mut props = vec![
        ("title", text()),
        ("date", date()),
        ("attendees", texts()),
        ("decisions", texts()),
        ("actions", json!({"type": "array", "items": action})),
        ("shoutouts", texts()),
    ];
    if fields.contains(&"notes") {
        props.push(("notes", json!({"type": "string", "description": "Markdown notes"})));
    }
    object(fields, props, &["title", "date", "attendees"])
}

/// The import map (FORMAT.md section 10, Import), against `import::map::MAP_FIELDS`.
fn import_map() -> Value {
    let col = json!({"type": "string", "minLength": 1, "description": "A CSV column: NAME, ALIAS.NAME or join.NAME"});
    let values = json!({"anyOf": [text(), {"type": "array", "minItems": 1, "items": text()}]});
    let when = json!({"type": "object", "minProperties": 1, "additionalProperties": values,
        "description": "Column -> value or values; every condition must hold (flag words match each other)"});
    let long = object(&["date", "when"], vec![("date", col.clone()), ("when", when)], &["date"]);
    let stage = json!({"anyOf": [col, long, {"type": "array", "minItems": 1, "items": text()}],
        "description": "A date column, {date, when}, or (with `events`) the value(s) of the stage column"});
    let key = json!({"anyOf": [col, object(&["left", "right"], vec![("left", col.clone()), ("right", col.clone())], &["left", "right"])]});
    let join = object(
        &["csv", "on", "as"],
        vec![
            ("csv", json!({"type": "string", "minLength": 1, "description": "Path relative to the map file"})),
            ("on", key),
            ("as", json!({"type": "string", "pattern": "^[^.]+$"})),
        ],
        &["csv", "on"],
    );
    let stage_id = json!({"pattern": "^[a-z0-9_-]+$"});
    object(
        &crate::import::map::MAP_FIELDS,
        vec![
            (
                "stages",
                json!({"type": "object", "minProperties": 1, "propertyNames": stage_id.clone(), "additionalProperties": stage}),
            ),
            ("channel", col.clone()),
            ("amount", col.clone()),
            ("join", json!({"anyOf": [join.clone(), {"type": "array", "items": join}]})),
            ("unique", col.clone()),
            ("from", month()),
            ("to", month()),
            ("cycle", object(&["from", "to"], vec![("from", stage_id.clone()), ("to", stage_id)], &["from", "to"])),
            ("date_format", json!({"type": "string", "description": "strftime style, like %m/%d/%Y"})),
            ("decimal", json!({"enum": [".", ","]})),
            (
                "events",
                object(
                    &["id", "stage", "date"],
                    vec![("id", col.clone()), ("stage", col.clone()), ("date", col)],
                    &["id", "stage", "date"],
                ),
            ),
        ],
        &["stages"],
    )
}

/// The schema of one kind.
pub fn kind(name: &str) -> Option<Value> {
    let metric = json!({"type": "string", "description": "stage.<id>, conversion.<a>.<b>, or one of the named metrics",
        "anyOf": [{"enum": METRIC_NAMES}, {"pattern": "^stage\\.[a-z0-9_-]+$"}, {"pattern": "^conversion\\.[a-z0-9_-]+\\.[a-z0-9_-]+$"}]});
    let schema = match name {
        "site" => object(
            &SITE_FIELDS,
            vec![
                ("title", text()),
                ("organization", text()),
                ("base_url", json!({"type": "string", "pattern": "^https?://"})),
                ("theme", json!({"type": "string", "pattern": "^[a-z0-9_-]+$"})),
                ("currency", json!({"type": "string", "pattern": "^[A-Z]{3}$"})),
                (
                    "teams",
                    json!({"type": "object", "additionalProperties": object(&["name", "members"], vec![("name", text()), ("members", texts())], &[])}),
                ),
                (
                    "stages",
                    json!({"type": "array", "minItems": 2, "uniqueItems": true, "items": {"type": "string", "pattern": "^[a-z0-9_-]+$", "not": {"const": "spend"}}}),
                ),
                ("stage_labels", json!({"type": "object", "additionalProperties": text()})),
                ("qualified_stage", json!({"type": "string"})),
                ("min_joint_meetings", count()),
                ("keep_in_output", texts()),
            ],
            &[],
        ),
        "funnel" => json!({"type": "array", "items": object(
            &FUNNEL_FIELDS,
            vec![
                ("month", month()),
                ("stages", stage_counts(false)),
                ("revenue", amount()),
                ("spend", object(&["marketing", "sales"], vec![("marketing", amount()), ("sales", amount())], &[])),
                ("customers", object(&["start", "new", "lost"], vec![("start", count()), ("new", count()), ("lost", count())], &["start", "new", "lost"])),
                ("sales_cycle_days", amount()),
                ("days_to_mql", amount()),
                ("lead_response_hours", amount()),
                ("by_channel", json!({"type": "object", "additionalProperties": stage_counts(true)})),
            ],
            &["month", "stages"],
        )}),
        "goals" => json!({"type": "array", "items": object(
            &GOAL_FIELDS,
            vec![
                ("id", id()),
                ("title", text()),
                ("owners", json!({"type": "array", "minItems": 1, "items": {"type": "string"}})),
                ("metric", metric),
                ("unit", json!({"enum": UNIT_NAMES})),
                ("baseline", json!({"type": "number"})),
                ("target", json!({"type": "number"})),
                ("start", month()),
                ("due", month()),
                ("status", json!({"enum": STATUS_NAMES})),
                ("checkins", json!({"type": "array", "items": object(&["month", "value", "note"], vec![("month", month()), ("value", json!({"type": "number"})), ("note", text())], &["month", "value"])})),
            ],
            &["id", "title", "owners", "baseline", "target", "start", "due"],
        )}),
        "meeting" => meeting(&MEETING_FIELDS_YAML),
        "meeting-front-matter" => meeting(&MEETING_FIELDS_MD),
        "checklist" => object(
            &["items", "months"],
            vec![
                (
                    "items",
                    json!({"type": "array", "items": object(&["id", "text"], vec![("id", id()), ("text", text())], &["id", "text"])}),
                ),
                (
                    "months",
                    json!({"type": "array", "items": object(&["month", "checked", "note"], vec![("month", month()), ("checked", json!({"type": "array", "items": {"type": "string"}})), ("note", text())], &["month"])}),
                ),
            ],
            &[],
        ),
        "personas" => json!({"type": "array", "items": object(
            &["id", "name", "segment", "sources", "pains", "goals", "channels"],
            vec![("id", id()), ("name", text()), ("segment", text()), ("sources", texts()), ("pains", texts()), ("goals", texts()), ("channels", texts())],
            &["id", "name"],
        )}),
        "report-front-matter" => object(&["title"], vec![("title", text())], &[]),
        "import-map" => import_map(),
        _ => return None,
    };
    let mut s = schema;
    s["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    s["title"] = json!(format!("smarketing {name}"));
    Some(s)
}

/// Every kind in one document: each under `$defs`, the root accepting any of them.
pub fn bundle() -> Value {
    let mut defs = Map::new();
    for (k, _) in KINDS {
        if let Some(mut s) = kind(k) {
            if let Some(o) = s.as_object_mut() {
                o.remove("$schema");
            }
            defs.insert(k.to_string(), s);
        }
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "smarketing content files",
        "anyOf": KINDS.iter().map(|(k, _)| json!({"$ref": format!("#/$defs/{k}")})).collect::<Vec<_>>(),
        "$defs": defs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(v: &Value) -> Vec<String> {
        let o = if v["type"] == "array" { &v["items"] } else { v };
        let mut k: Vec<String> = o["properties"].as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    }

    fn sorted(f: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = f.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    }

    #[test]
    fn schemas_list_exactly_the_loader_fields() {
        assert_eq!(props(&kind("site").unwrap()), sorted(&SITE_FIELDS));
        assert_eq!(props(&kind("funnel").unwrap()), sorted(&FUNNEL_FIELDS));
        assert_eq!(props(&kind("goals").unwrap()), sorted(&GOAL_FIELDS));
        assert_eq!(props(&kind("meeting").unwrap()), sorted(&MEETING_FIELDS_YAML));
        assert_eq!(props(&kind("meeting-front-matter").unwrap()), sorted(&MEETING_FIELDS_MD));
        let meeting = kind("meeting").unwrap();
        assert_eq!(props(&meeting["properties"]["actions"]), sorted(&ACTION_FIELDS));
        assert_eq!(props(&kind("import-map").unwrap()), sorted(&crate::import::map::MAP_FIELDS));
        assert!(kind("nope").is_none());
        assert_eq!(bundle()["$defs"].as_object().unwrap().len(), KINDS.len());
    }
}
