//! Honest figures and words (docs/figures.md, docs/content.md): no pace before three months
//! with a value, whole percents on a percent metric are errors, a review meeting counts in
//! the month it reviews, shared and team goals apart, and "not yet assessed". The fixture
//! `honest` is built as of 5 Dec 2026: December is in progress.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-12-05";

fn build(root: &Path) -> PathBuf {
    let out = root.join("public");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap(), "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

fn data(out: &Path, month: &str) -> Value {
    serde_json::from_slice(&std::fs::read(out.join(format!("data/{month}.json"))).unwrap()).unwrap()
}

fn goal(out: &Path, month: &str, id: &str) -> Value {
    data(out, month)["goals"].as_array().unwrap().iter().find(|g| g["id"] == id).unwrap().clone()
}

#[test]
fn no_projection_before_three_months_with_a_value() {
    let (_t, root) = project("honest");
    let out = build(&root);
    // MQL→SQL 30% → 40% from Oct 2026 to Mar 2027. November: 99 / 300 = 33%, progress 0.3 with
    // 2 of 6 months gone, but only October and November have a value: no projection.
    let g = goal(&out, "2026-11", "mql-to-sql");
    assert!((g["progress"].as_f64().unwrap() - 0.3).abs() < 1e-9, "{g}");
    assert_eq!(g["projection"], Value::Null);
    // December, the third month: 68 / 200 = 34%, progress 0.4 at 3 / 6 = 0.5 gone: the pace
    // leads to 30% + 0.4 / 0.5 × 10 points = 38%.
    let g = goal(&out, "2026-12", "mql-to-sql");
    assert!((g["projection"].as_f64().unwrap() - 0.38).abs() < 1e-9, "{g}");
}

#[test]
fn whole_percents_on_a_percent_metric_fail_check_at_the_value() {
    let (_t, root) = project("honest");
    std::fs::write(
        root.join("content/goals/conversion.yaml"),
        "- id: sql-to-opp\n  title: SQL to opportunity at 40%\n  owners: [sales]\n  metric: conversion.sql.opportunities\n  baseline: 30\n  target: 40\n  start: 2026-10\n  due: 2026-12\n",
    )
    .unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap(), "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("content/goals/conversion.yaml:5:13"), "{err}");
    assert!(err.contains("baseline 30 means 3,000%; write 0.3"), "{err}");
    assert!(err.contains("content/goals/conversion.yaml:6:11"), "{err}");
    assert!(err.contains("target 40 means 4,000%; write 0.4"), "{err}");
    // Saying the goal is not in percent is a choice: a warning about the unit, no error.
    let text = std::fs::read_to_string(root.join("content/goals/conversion.yaml")).unwrap();
    std::fs::write(
        root.join("content/goals/conversion.yaml"),
        text.replace("  baseline:", "  unit: number\n  baseline:"),
    )
    .unwrap();
    let o = run(&["check", "--root", root.to_str().unwrap(), "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("unit `number` differs from the unit of `conversion.sql.opportunities`"));
}
