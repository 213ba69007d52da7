//! Every diagnostic of `check --format json` says what kind of problem it is, so tools and
//! tests can tell problems apart without matching the English of the message.

use crate::common::*;
use serde_json::Value;

/// (kind, line) of each diagnostic of `content/goals/goals.yaml` after writing `goals` there.
fn kinds_of(goals: &str) -> Vec<(String, u64)> {
    let (_tmp, root) = project("small");
    std::fs::write(root.join("content/goals/goals.yaml"), goals).unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap(), "--format", "json", "--as-of", "2026-11-30"]);
    let all: Value = serde_json::from_slice(&o.stdout).unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == "content/goals/goals.yaml")
        .map(|d| (d["kind"].as_str().unwrap_or("(none)").to_string(), d["line"].as_u64().unwrap()))
        .collect()
}

#[test]
fn each_diagnostic_has_its_kind() {
    let goals = "\
- id: a
  title: A
  owners: [marketing]
  metric: cac
  baseline: 5000
  target: 3000
  start: 2026-09
  due: 2026-12
  traget: 3
- id: b
  title: B
  owners: [marketing]
  metric: cac
  baseline: lots
  target: 3000
  start: 2026-09
- id: c
  title: C
  title: D
  owners: [marketing]
  metric: cac
  baseline: 1
  target: 3
  start: 2026-09
  due: 2026-12
";
    let kinds = kinds_of(goals);
    assert!(kinds.contains(&("unknown-field".into(), 9)), "{kinds:?}");
    assert!(kinds.contains(&("invalid-value".into(), 14)), "{kinds:?}");
    assert!(kinds.contains(&("missing-field".into(), 10)), "{kinds:?}");
    assert!(kinds.contains(&("duplicate".into(), 19)), "{kinds:?}");
    // A file that is not YAML at all.
    assert_eq!(kinds_of("- id: [unclosed\n"), vec![("syntax".to_string(), 1)]);
}
