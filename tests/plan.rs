//! The figures a revenue team runs its month on (docs/figures.md): lost deals, pipeline, the
//! plan and the quarter, checked on real projects through the binary.

mod common;
use common::*;
use serde_json::Value;

/// A fresh `init` project in a temp dir, with extra files written into it.
fn project_with(files: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    assert!(run(&["init", root.to_str().unwrap(), "--quiet"]).status.success());
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    (tmp, root)
}

/// `check --format json`: the exit code and every diagnostic.
fn diags(root: &std::path::Path) -> (Option<i32>, Vec<Value>) {
    let o = run(&["check", "--root", root.to_str().unwrap(), "--format", "json"]);
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)));
    (o.status.code(), v.as_array().unwrap().clone())
}

fn message_at(all: &[Value], file: &str, line: u64, column: u64) -> String {
    all.iter()
        .find(|d| d["file"] == file && d["line"] == line && d["column"] == column)
        .unwrap_or_else(|| panic!("no diagnostic at {file}:{line}:{column} in {all:#?}"))["message"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn lost_and_pipeline_are_read_and_checked_at_their_place() {
    let good = "- month: 2020-01\n  stages: {leads: 100, mql: 40, sql: 20, opportunities: 10, won: 4}\n  lost: 6\n  pipeline_created: 120000\n  pipeline_open: 340000.5\n";
    let (_t, root) = project_with(&[("content/funnel/extra.yaml", good)]);
    let (code, all) = diags(&root);
    assert_eq!(code, Some(0), "{all:#?}");

    let bad =
        "- month: 2020-01\n  stages: {leads: 100, won: 4}\n  lost: -6\n  pipeline_created: .nan\n  pipeline_open: -1\n";
    let (_t, root) = project_with(&[("content/funnel/extra.yaml", bad)]);
    let (code, all) = diags(&root);
    assert_eq!(code, Some(1));
    let f = "content/funnel/extra.yaml";
    assert_eq!(message_at(&all, f, 3, 9), "expected a whole number of 0 or more for lost, found `-6`");
    assert_eq!(message_at(&all, f, 4, 21), "expected a number for pipeline_created, found `.nan`");
    assert_eq!(message_at(&all, f, 5, 18), "pipeline_open cannot be negative, found `-1`");
}

#[test]
fn the_schema_lists_the_new_funnel_fields() {
    let o = run(&["schema", "--kind", "funnel"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let props = &v["items"]["properties"];
    assert_eq!(props["lost"]["type"][0], "integer", "{props:#}");
    assert_eq!(props["lost"]["minimum"], 0, "{props:#}");
    for money in ["pipeline_created", "pipeline_open"] {
        assert_eq!(props[money]["type"][0], "number", "{props:#}");
        assert_eq!(props[money]["minimum"], 0, "{props:#}");
    }
}
