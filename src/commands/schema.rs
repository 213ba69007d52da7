//! JSON Schema of every content file kind, for editors with a YAML language server.
//!
//! Every schema is derived with schemars from the very structs the loader deserializes
//! (`load::content`, and `import::map::MapFile` for the import map), so the two cannot drift
//! apart.

use super::{refuse, scaffold, Verbosity};
use crate::diagnostics;
use crate::load::content;
use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::{json, Map, Value};
use std::path::Path;

/// The kinds, with the file patterns they apply to (for editor settings).
pub const KINDS: [(&str, &str); 10] = [
    ("site", "content/site.yaml"),
    ("funnel", "content/funnel/*.yaml"),
    ("plan", "content/plan/*.yaml"),
    ("goals", "content/goals/*.yaml"),
    ("meeting", "content/meetings/*.yaml"),
    ("meeting-front-matter", "front matter of content/meetings/*.md"),
    ("checklist", "content/checklist.yaml"),
    ("personas", "content/personas/*.yaml"),
    ("report-front-matter", "front matter of content/reports/YYYY-MM.md"),
    ("import-map", "the --map file of `smarketing import`"),
];

/// The schema schemars derives for `T`, every part inline (no `$ref`s to resolve).
fn derived<T: JsonSchema>() -> Value {
    let settings = SchemaSettings::draft2020_12().with(|s| s.inline_subschemas = true);
    settings.into_generator().into_root_schema_for::<T>().to_value()
}

/// The schema of one kind.
pub fn kind(name: &str) -> Option<Value> {
    let schema = match name {
        "site" => derived::<content::SiteFile>(),
        "funnel" => derived::<Vec<content::FunnelMonthEntry>>(),
        "plan" => derived::<Vec<content::PlanMonthEntry>>(),
        "goals" => derived::<Vec<content::GoalEntry>>(),
        "meeting" => derived::<content::MeetingFile>(),
        "meeting-front-matter" => {
            // The same fields, but a `.md` meeting's notes are its body.
            let mut s = derived::<content::MeetingFile>();
            if let Some(p) = s["properties"].as_object_mut() {
                p.remove("notes");
            }
            s
        }
        "checklist" => derived::<content::ChecklistFile>(),
        "personas" => derived::<Vec<content::PersonaEntry>>(),
        "report-front-matter" => derived::<content::CommentaryFrontMatter>(),
        "import-map" => derived::<crate::import::map::MapFile>(),
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

/// `smarketing schema`: prints one kind's JSON Schema (or all of them), or writes the files to `out`.
pub fn run(kind: Option<&str>, out: Option<&Path>, force: bool, v: Verbosity) -> u8 {
    if let Some(dir) = out {
        return match scaffold::write_schemas(dir, force) {
            Ok(files) => {
                if !v.quiet {
                    crate::say!("schema: wrote {} files to {}", files.len(), dir.display());
                }
                0
            }
            Err(e) => refuse(&e.message, &e.hint),
        };
    }
    let value = match kind {
        Some(k) => match self::kind(k) {
            Some(s) => s,
            None => {
                let kinds: Vec<&str> = KINDS.iter().map(|(k, _)| *k).collect();
                crate::say!("error: unknown kind `{k}`; kinds are {}", kinds.join(", "));
                return 2;
            }
        },
        None => bundle(),
    };
    match serde_json::to_string_pretty(&value) {
        Ok(text) => {
            diagnostics::to_stdout(&(text + "\n"));
            0
        }
        Err(e) => refuse(&format!("cannot write the schema: {e}"), "this is a bug in smarketing: please report it"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(v: &Value) -> &Value {
        if v["type"] == "array" {
            &v["items"]
        } else {
            v
        }
    }

    fn keys(v: &Value, part: &str) -> Vec<String> {
        let mut k: Vec<String> = match &record(v)[part] {
            Value::Object(o) => o.keys().cloned().collect(),
            Value::Array(a) => a.iter().map(|x| x.as_str().unwrap().to_string()).collect(),
            _ => Vec::new(),
        };
        k.sort();
        k
    }

    /// The fields and required fields of each kind, as docs/content.md lists them: the derived
    /// schema must say the same (an `Option` lost in a struct would make a field required).
    #[test]
    fn derived_schemas_list_the_contract_fields() {
        let cases: [(&str, &str, &str); 8] = [
            ("site", "base_url channels currency keep_in_output min_joint_meetings organization qualified_stage stage_labels stages teams theme title", ""),
            ("funnel", "by_channel customers days_to_mql lead_response_hours lost month pipeline_created pipeline_open revenue sales_cycle_days spend stages", "month"),
            ("plan", "month pipeline_created revenue stages", "month"),
            ("goals", "baseline checkins due id metric owners start status target title unit", "baseline due id owners start target title"),
            ("meeting", "actions attendees date decisions notes reviews shoutouts title", "attendees date title"),
            ("meeting-front-matter", "actions attendees date decisions reviews shoutouts title", "attendees date title"),
            ("checklist", "items months", ""),
            ("personas", "channels goals id name pains segment sources", "id name"),
        ];
        for (name, fields, required) in cases {
            let k = kind(name).unwrap();
            let words = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
            assert_eq!(keys(&k, "properties"), words(fields), "{name}");
            assert_eq!(keys(&k, "required"), words(required), "{name} required");
            assert_eq!(record(&k)["additionalProperties"], json!(false), "{name}");
        }
        // A channel takes `spend` and `revenue` besides stage counts; site.yaml's channels map a
        // display name to a list of other names.
        let funnel = kind("funnel").unwrap();
        let channel = &record(&funnel)["properties"]["by_channel"]["additionalProperties"];
        assert_eq!(keys(channel, "properties"), vec!["revenue", "spend"]);
        let site = kind("site").unwrap();
        assert_eq!(site["properties"]["channels"]["additionalProperties"]["type"], "array");
        let meeting = kind("meeting").unwrap();
        let action = &meeting["properties"]["actions"];
        let action = if action["items"].is_object() { &action["items"] } else { &action["anyOf"][0]["items"] };
        assert_eq!(keys(action, "required"), vec!["due", "owner", "task"]);
        let map = kind("import-map").unwrap();
        let words = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
        assert_eq!(
            keys(&map, "properties"),
            words(
                "amount channel csv currency cycle date_format decimal delimiter events from header_row ignore join lost output pipeline spend stages to unique"
            )
        );
        assert_eq!(keys(&map, "required"), Vec::<String>::new(), "`stages` or `spend`");
        assert!(kind("nope").is_none());
        assert_eq!(bundle()["$defs"].as_object().unwrap().len(), KINDS.len());
    }
}
