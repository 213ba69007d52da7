//! Integration tests of `smarketing check`: every diagnostic of a broken project, with its
//! exact file, line, column and message, all in one run.

use crate::common::*;
use serde_json::Value;

fn diags(root: &std::path::Path) -> (Option<i32>, Vec<Value>) {
    let o = run(&["check", "--root", root.to_str().unwrap(), "--format", "json"]);
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)));
    (o.status.code(), v.as_array().unwrap().clone())
}

fn find<'a>(all: &'a [Value], file: &str, line: u64, column: u64) -> &'a Value {
    all.iter()
        .find(|d| d["file"] == file && d["line"] == line && d["column"] == column)
        .unwrap_or_else(|| panic!("no diagnostic at {file}:{line}:{column} in {all:#?}"))
}

#[test]
fn broken_project_reports_every_error_at_its_place() {
    let (code, all) = diags(&fixture("broken"));
    assert_eq!(code, Some(1));
    let d = find(&all, "content/goals/goals.yaml", 6, 3);
    assert_eq!(d["severity"], "error");
    assert!(d["message"]
        .as_str()
        .unwrap()
        .starts_with("unknown field `traget` in goal, expected one of `id`, `title`"));
    assert_eq!(d["hint"], "did you mean `target`?");
    let d = find(&all, "content/goals/goals.yaml", 1, 7);
    assert_eq!(d["message"], "`Bad_ID` is not a valid goal id");
    let d = find(&all, "content/goals/goals.yaml", 3, 23);
    assert_eq!(d["message"], "unknown team `salse`");
    assert!(d["hint"].as_str().unwrap().starts_with("did you mean `sales`?"));
    let d = find(&all, "content/goals/goals.yaml", 4, 11);
    assert_eq!(d["message"], "unknown metric `conversion.mql.sqll`");
    let d = find(&all, "content/goals/goals.yaml", 7, 10);
    assert_eq!(d["message"], "expected a month as YYYY-MM for start, found `2026-13`");
    // One mistake, one error: the misspelled `traget` is not also reported as a missing `target`.
    assert!(!all.iter().any(|d| d["message"].as_str().unwrap().contains("missing field `target`")), "{all:#?}");
    let d = find(&all, "content/goals/goals.yaml", 13, 11);
    assert_eq!(d["message"], "target equals baseline, so progress cannot be measured");
    let d = find(&all, "content/funnel/a.yaml", 2, 23);
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["message"], "mql (20) is larger than leads (10), the stage before it");
    let d = find(&all, "content/funnel/a.yaml", 2, 32);
    assert_eq!(d["message"], "unknown stage `foo`");
    // Months merge across files field by field: `mql` given by both files is the error, at the
    // second place, naming both.
    let d = find(&all, "content/funnel/b.yaml", 2, 23);
    assert_eq!(
        d["message"],
        "month 2026-10 gives `stages.mql` twice: in content/funnel/a.yaml:2:23 and in content/funnel/b.yaml:2:23"
    );
    let d = find(&all, "content/funnel/b.yaml", 2, 19);
    assert_eq!(d["message"], "expected a whole number of 0 or more for stage `leads`, found `-1`");
    let d = find(&all, "content/funnel/b.yaml", 3, 12);
    assert_eq!(d["message"], "expected a number for revenue, found `lots`");
    // Front matter lines are counted in the file itself.
    let d = find(&all, "content/meetings/2026-10-07-review.md", 3, 7);
    assert_eq!(d["message"], "the file name says 2026-10-07 but `date` is 2026-10-08");
    let d = find(&all, "content/meetings/2026-10-07-review.md", 4, 18);
    assert_eq!(d["message"], "attendee `Nobody` is not a member of any team");
    let d = find(&all, "content/meetings/2026-10-07-review.md", 6, 6);
    assert_eq!(d["message"], "missing field `owner` in action");
    let d = find(&all, "content/meetings/2026-10-07-review.md", 6, 28);
    assert_eq!(d["message"], "expected a real calendar date as YYYY-MM-DD for due, found `2026-02-30`");
    let d = find(&all, "content/meetings/notes.md", 1, 1);
    assert!(d["message"].as_str().unwrap().contains("front matter"));
}

#[test]
fn human_output_quotes_the_line_and_counts() {
    let o = run(&["check", "--root", fixture("broken").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("error: unknown field `traget` in goal"), "{e}");
    assert!(e.contains(" --> content/goals/goals.yaml:6:3\n  |\n6 |   traget: 0.35\n  |   ^^^^^^\n  = help: did you mean `target`?"), "{e}");
    assert!(e.contains("check: 13 errors and 3 warnings (6 content files checked)"), "{e}");
}

#[test]
fn clean_project_passes_strict_and_warnings_fail_it() {
    let o = run(&["check", "--strict", "--root", env!("CARGO_MANIFEST_DIR")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (tmp, root) = project("small");
    std::fs::write(
        root.join("content/meetings/2026-10-20-x.md"),
        "---\ntitle: X\ndate: 2026-10-20\nattendees: [Zed]\n---\n",
    )
    .unwrap();
    assert_eq!(run(&["check", "--root", root.to_str().unwrap()]).status.code(), Some(0));
    assert_eq!(run(&["check", "--strict", "--root", root.to_str().unwrap()]).status.code(), Some(1));
    drop(tmp);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["check", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn missing_content_folder_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, all) = diags(tmp.path());
    assert_eq!(code, Some(1));
    assert!(all[0]["message"].as_str().unwrap().contains("no `content/` folder"));
}

#[test]
fn without_members_joint_meetings_cannot_be_counted() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    std::fs::create_dir_all(root.join("content/funnel")).unwrap();
    std::fs::write(
        root.join("content/funnel/f.yaml"),
        "- month: 2026-10\n  stages: {leads: 10, mql: 5, sql: 2, opportunities: 1, won: 1}\n",
    )
    .unwrap();
    let (code, all) = diags(&root);
    assert_eq!(code, Some(0));
    assert_eq!(all.len(), 1, "warned once: {all:?}");
    assert!(all[0]["message"].as_str().unwrap().contains("lists no members"));
    assert_eq!(run(&["check", "--strict", "--root", root.to_str().unwrap()]).status.code(), Some(1));
    let out = tmp.path().join("site");
    assert!(run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]).status.success());
    let j: Value = serde_json::from_slice(&std::fs::read(out.join("data/2026-10.json")).unwrap()).unwrap();
    assert_eq!(j["checklist"][0]["id"], "communicate");
    assert_eq!(j["checklist"][0]["evidence"], Value::Null);
}

#[test]
fn every_other_rule_has_its_diagnostic() {
    let (code, all) = diags(&fixture("broken2"));
    assert_eq!(code, Some(1));
    let expect = |file: &str, line: u64, column: u64, severity: &str, start: &str| {
        let d = find(&all, file, line, column);
        assert_eq!(d["severity"], severity, "{d}");
        assert!(d["message"].as_str().unwrap().starts_with(start), "{d}");
    };
    expect("content/site.yaml", 4, 16, "error", "unknown stage `leeds`");
    expect("content/site.yaml", 5, 18, "error", "unknown stage `mqll`");
    expect("content/site.yaml", 6, 22, "error", "a stage cannot be called `spend`");
    expect("content/funnel/f.yaml", 3, 15, "error", "missing field `lost` in customers");
    expect("content/funnel/f.yaml", 4, 27, "error", "unknown field `ads` in spend");
    expect("content/funnel/f.yaml", 6, 3, "error", "field `revenue` appears twice");
    expect("content/goals/a.yaml", 10, 15, "error", "two check-ins for 2026-10");
    expect("content/goals/a.yaml", 11, 15, "warning", "check-in month 2027-01 is outside");
    expect("content/goals/a.yaml", 18, 8, "error", "due (2026-08) is before start (2026-09)");
    expect("content/goals/b.yaml", 1, 7, "error", "goal id `shared` is used twice: also in content/goals/a.yaml");
    expect("content/goals/b.yaml", 9, 3, "warning", "this goal has a `metric`, so its check-ins are ignored");
    expect("content/goals/b.yaml", 18, 11, "error", "unknown status `green`");
    expect("content/meetings/2026-10-01-sync.md", 5, 1, "error", "`notes:` is only for .yaml meetings");
    expect("content/meetings/2026-10-01-sync.yaml", 1, 1, "error", "two meetings have the page name `2026-10-01-sync`");
    expect("content/reports/october.md", 1, 1, "error", "a monthly commentary must be named YYYY-MM.md");
    expect("content/checklist.yaml", 1, 14, "error", "checklist item `communicate` already exists");
    expect("content/checklist.yaml", 3, 32, "error", "unknown checklist item `open-ear`");
    expect("content/checklist.yaml", 4, 13, "warning", "the checklist assesses 2025-01, a month with no report");
    assert_eq!(all.len(), 18, "one diagnostic per problem: {all:#?}");
}
