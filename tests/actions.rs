//! Integration tests of the action lifecycle (FORMAT.md 5 and 8.8): `done_on` checks, the
//! report's bounded list, `actions/index.html`, `actions.ics` and the JSON figures.

mod common;
use common::*;
use serde_json::Value;

fn diags(root: &std::path::Path) -> (Option<i32>, Vec<Value>) {
    let o = run(&["check", "--root", root.to_str().unwrap(), "--format", "json"]);
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)));
    (o.status.code(), v.as_array().unwrap().clone())
}

#[test]
fn done_on_before_the_meeting_or_with_done_false_is_an_error_at_its_place() {
    let (code, all) = diags(&fixture("actions-broken"));
    assert_eq!(code, Some(1));
    let at = |file: &str, line: u64, column: u64| -> (String, String) {
        let d = all
            .iter()
            .find(|d| d["file"] == file && d["line"] == line && d["column"] == column)
            .unwrap_or_else(|| panic!("no diagnostic at {file}:{line}:{column} in {all:#?}"));
        (d["severity"].as_str().unwrap().to_string(), d["message"].as_str().unwrap().to_string())
    };
    let md = "content/meetings/2026-10-05-sync.md";
    assert_eq!(
        at(md, 6, 57),
        ("error".into(), "`done_on: 2026-10-04` is before the meeting's date, 2026-10-05".into())
    );
    assert_eq!(
        at(md, 7, 78),
        ("error".into(), "`done_on: 2026-10-06` says the item was finished, but `done: false` says it was not".into())
    );
    assert_eq!(
        at(md, 9, 60),
        ("error".into(), "expected a real calendar date as YYYY-MM-DD for done_on, found `2026-10-32`".into())
    );
    let yaml = "content/meetings/2026-10-06-review.yaml";
    assert_eq!(
        at(yaml, 8, 14),
        ("error".into(), "`done_on: 2026-09-30` is before the meeting's date, 2026-10-06".into())
    );
    let (sev, msg) = at(yaml, 13, 5);
    assert_eq!(sev, "error");
    assert!(
        msg.starts_with("unknown field `dnoe` in action, expected one of `task`, `owner`, `due`, `done`, `done_on`"),
        "{msg}"
    );
    assert_eq!(all.len(), 5, "the item done on the meeting's day is fine: {all:#?}");
}
