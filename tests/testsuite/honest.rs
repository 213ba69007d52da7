//! Honest figures and words (docs/figures.md, docs/content.md): no pace before three months
//! with a value, whole percents on a percent metric are errors, a review meeting counts in
//! the month it reviews, shared and team goals apart, and "not yet assessed". The fixture
//! `honest` is built as of 5 Dec 2026: December is in progress.

use crate::common::*;
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

fn page(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap()
}

/// The report's `<section id="ID">`, up to its end.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("<section id=\"{id}\"")).unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..].find("</section>").unwrap();
    &html[start..start + end]
}

#[test]
fn the_november_review_on_3_december_counts_in_november() {
    let (_t, root) = project("honest");
    let out = build(&root);
    let (nov, dec) = (data(&out, "2026-11"), data(&out, "2026-12"));
    // November lists it after its own campaign sync (by date), December does not.
    assert_eq!(nov["meetings"], serde_json::json!(["2026-11-10-campaign-sync", "2026-12-03-november-review"]));
    assert_eq!(dec["meetings"], serde_json::json!(["2026-12-04-december-kickoff"]));
    // Communicate effectively: the review is November's only joint meeting (the sync was
    // marketing only), and one is enough here (min_joint_meetings: 1). Its shoutout is
    // November's too. December has neither.
    let item = |d: &Value, id: &str| d["checklist"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone();
    assert_eq!(
        (item(&nov, "communicate")["met"].as_bool(), item(&nov, "communicate")["evidence"].as_u64()),
        (Some(true), Some(1))
    );
    assert_eq!(item(&nov, "fill-tanks")["evidence"], 1);
    assert_eq!(
        (item(&dec, "communicate")["met"].as_bool(), item(&dec, "communicate")["evidence"].as_u64()),
        (Some(false), Some(0))
    );
    assert_eq!(item(&dec, "fill-tanks")["evidence"], 0);
    // Its action item keeps its own date: new in December, not in November.
    assert_eq!((nov["actions"]["new"].as_u64(), dec["actions"]["new"].as_u64()), (Some(0), Some(1)));
    // The pages say the same: the decision and the met item in November's report only.
    let (nov, dec) = (page(&out, "reports/2026-11/index.html"), page(&out, "reports/2026-12/index.html"));
    let (nov_meetings, dec_meetings) = (section(&nov, "meetings"), section(&dec, "meetings"));
    assert!(nov_meetings.contains("Sales calls back every MQL within one working day"), "{nov_meetings}");
    assert!(nov_meetings.contains("November review"));
    assert!(!dec_meetings.contains("Sales calls back every MQL within one working day"), "{dec_meetings}");
    assert!(!dec_meetings.contains("November review"));
    assert!(section(&nov, "checklist").contains("1 joint meeting"), "{nov}");
    // December's action list names the meeting that agreed the item, as for any item.
    assert!(section(&dec, "actions").contains("November review"));
    // Its page links to the report it counts in, and the meetings list files it under November.
    let own = page(&out, "meetings/2026-12-03-november-review/index.html");
    assert!(own.contains(r#"<a href="../../reports/2026-11/index.html">November 2026 report</a>"#), "{own}");
    assert!(own.contains("reviews Nov 2026, so it counts in that month's report"), "{own}");
    let list = page(&out, "meetings/index.html");
    let (nov_at, dec_at, review_at) = (
        list.find("November 2026").unwrap(),
        list.find("December 2026").unwrap(),
        list.find("November review").unwrap(),
    );
    assert!(dec_at < nov_at && nov_at < review_at, "newest month first, the review under November: {list}");
}

#[test]
fn reviews_after_its_own_month_or_too_far_back_is_an_error_at_the_field() {
    let (_t, root) = project("honest");
    let file = root.join("content/meetings/2026-12-03-november-review.md");
    let text = std::fs::read_to_string(&file).unwrap();
    for (reviews, want) in [
        ("2027-01", "`reviews: 2027-01` is after the meeting's own month, 2026-12 (it was held on 2026-12-03)"),
        ("2026-09", "`reviews: 2026-09` is 3 months before the meeting's own month, 2026-12"),
    ] {
        std::fs::write(&file, text.replace("reviews: 2026-11", &format!("reviews: {reviews}"))).unwrap();
        let o = run(&["check", "--root", root.to_str().unwrap(), "--as-of", AS_OF]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("content/meetings/2026-12-03-november-review.md:4:10"), "{err}");
        assert!(err.contains(want), "{err}");
    }
    // Two months back is still a review: October, reviewed on 3 December.
    std::fs::write(&file, text.replace("reviews: 2026-11", "reviews: 2026-10")).unwrap();
    let o = run(&["check", "--strict", "--root", root.to_str().unwrap(), "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn new_meeting_writes_reviews() {
    let (_t, root) = project("honest");
    let r = root.to_str().unwrap();
    let o = run(&["new", "meeting", "December review", "--date", "2027-01-04", "--reviews", "2026-12", "--root", r]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(root.join("content/meetings/2027-01-04-december-review.md")).unwrap();
    assert!(
        text.starts_with("---\ntitle: December review\ndate: 2027-01-04\nreviews: 2026-12\nattendees: []\n"),
        "{text}"
    );
    // A month after the meeting's, or not a month at all, is refused before anything is written.
    for bad in ["2027-02", "2026-10", "December"] {
        let o = run(&["new", "meeting", "Other", "--date", "2027-01-04", "--reviews", bad, "--root", r]);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains(&format!("--reviews {bad}")), "{}", stderr(&o));
    }
    assert!(!root.join("content/meetings/2027-01-04-other.md").exists());
}

#[test]
fn a_goal_of_two_months_says_there_is_not_enough_to_project() {
    let (_t, root) = project("honest");
    let out = build(&root);
    // November: both goals have two months with a value (October and November).
    let nov = page(&out, "reports/2026-11/index.html");
    assert_eq!(nov.matches("not enough months to project").count(), 2, "{nov}");
    assert!(!nov.contains("At this pace"), "{nov}");
    // December: the conversion goal has its third month (38%, worked out in
    // no_projection_before_three_months_with_a_value); the webinar goal's check-ins hold, so
    // it has three months too: 160 of 300 is 0.533 of the way at 3 / 4 gone, a pace to
    // 0.533 / 0.75 × 300 = 213.
    let dec = page(&out, "reports/2026-12/index.html");
    assert!(dec.contains("At this pace: 38.0% by Mar 2027"), "{dec}");
    assert!(dec.contains("At this pace: 213 by Jan 2027"), "{dec}");
    assert!(!dec.contains("not enough months to project"));
}

#[test]
fn shared_goals_are_shared_and_team_goals_follow() {
    let (_t, root) = project("honest");
    let out = build(&root);
    let nov = page(&out, "reports/2026-11/index.html");
    let (shared, team) = (section(&nov, "goals"), section(&nov, "team-goals"));
    assert!(shared.contains("Shared goals") && shared.contains("MQL to SQL at 40%"), "{shared}");
    assert!(!shared.contains("300 webinar sign-ups"), "a marketing-only goal is not shared: {shared}");
    assert!(team.contains("Team goals") && team.contains("300 webinar sign-ups"), "{team}");
    assert!(nov.find("id=\"goals\"").unwrap() < nov.find("id=\"team-goals\"").unwrap());
}

#[test]
fn an_unrecorded_self_assessment_of_a_month_in_progress_is_not_yet_assessed() {
    let (_t, root) = project("honest");
    let out = build(&root);
    // November is complete and has its assessment: open ears checked, positive intent not.
    let nov = section(&page(&out, "reports/2026-11/index.html"), "checklist").to_string();
    assert!(nov.contains("Come with open ears</strong> <span class=\"state\">met</span>"), "{nov}");
    assert!(nov.contains("Assume positive intent</strong> <span class=\"state\">not met</span>"), "{nov}");
    // December is in progress (as of 5 Dec) with no assessment yet: the two self-assessed
    // items are not yet assessed (and so are the two evidence items short so far, see the
    // next test).
    let dec_page = page(&out, "reports/2026-12/index.html");
    let dec = section(&dec_page, "checklist");
    for item in ["Come with open ears", "Assume positive intent"] {
        assert!(dec.contains(&format!("{item}</strong> <span class=\"state\">not yet assessed</span>")), "{dec}");
    }
    assert!(dec.contains("1 of 5</strong> met in December 2026, 4 not yet assessed."), "{dec}");
    assert!(!dec.contains("Listen with the intention of understanding"), "no nudge for an item not assessed yet");
    // No regression is shown for it, and the data says the same.
    let changes = section(&dec_page, "changes");
    assert!(!changes.contains("Come with open ears"), "{changes}");
    let d = data(&out, "2026-12");
    let open_ears = d["checklist"].as_array().unwrap().iter().find(|c| c["id"] == "open-ears").unwrap().clone();
    assert_eq!((open_ears["met"].as_bool(), open_ears["not_yet_assessed"].as_bool()), (Some(false), Some(true)));
    assert!(!d["changes"]["checklist"].as_array().unwrap().iter().any(|c| c["id"] == "open-ears"));
    // The history page agrees.
    assert_eq!(page(&out, "checklist/index.html").matches("not yet assessed").count(), 4);
    // Once December has an entry, what is not checked is not met.
    let list = root.join("content/checklist.yaml");
    std::fs::write(
        &list,
        "months:\n  - {month: 2026-11, checked: [open-ears]}\n  - {month: 2026-12, checked: [open-ears]}\n",
    )
    .unwrap();
    let out = build(&root);
    let dec = page(&out, "reports/2026-12/index.html");
    let list = section(&dec, "checklist");
    assert!(list.contains("Assume positive intent</strong> <span class=\"state\">not met</span>"));
    assert!(
        list.contains("2 of 5</strong> met in December 2026, 2 not yet assessed."),
        "the evidence items still wait: {list}"
    );
    assert!(!list.contains("awaiting the team"), "{list}");
}

#[test]
fn an_evidence_item_of_a_month_in_progress_is_not_judged_before_the_month_ends() {
    let (_t, root) = project("honest");
    let out = build(&root);
    // November (complete) met "communicate" and "fill-tanks" on its evidence. December is in
    // progress (as of 5 Dec): its one meeting so far is not joint and has no shoutout, so both
    // counts are 0 so far. That is not "met → not met": the month has 26 days to go, so both
    // are not yet assessed, say their count so far, and no change is listed.
    let dec_page = page(&out, "reports/2026-12/index.html");
    let dec = section(&dec_page, "checklist");
    for item in ["Communicate effectively and often", "Fill each other&#39;s tanks"] {
        let at = dec.find(&format!("{item}</strong>")).unwrap_or_else(|| panic!("{item}: {dec}"));
        let row = &dec[at..at + dec[at..].find("</li>").unwrap()];
        assert!(row.contains("<span class=\"state\">not yet assessed</span>"), "{row}");
        assert!(row.contains("judged when the month ends"), "{row}");
        assert!(!row.contains("class=\"nudge\""), "no nudge before the month ends: {row}");
    }
    assert!(dec.contains("0 joint meetings so far (needs 1)") && dec.contains("0 shoutouts so far"), "{dec}");
    // Met on its evidence already (an active shared goal), an item is met mid-month.
    assert!(dec.contains("Look for common interests</strong> <span class=\"state\">met</span>"), "{dec}");
    assert!(dec.contains("1 of 5</strong> met in December 2026, 4 not yet assessed."), "{dec}");
    let changes = section(&dec_page, "changes");
    assert!(!changes.contains("Communicate effectively") && !changes.contains("Fill each other"), "{changes}");
    let d = data(&out, "2026-12");
    assert_eq!(d["changes"]["checklist"], serde_json::json!([]));
    let item = |id: &str| d["checklist"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone();
    let communicate = item("communicate");
    assert_eq!(
        (communicate["met"].as_bool(), communicate["not_yet_assessed"].as_bool(), communicate["evidence"].as_u64()),
        (Some(false), Some(true), Some(0))
    );
    // The history page says the same in December's row.
    let history = page(&out, "checklist/index.html");
    assert_eq!(history.matches("not yet assessed").count(), 4, "{history}");
    assert!(history.contains("0 joint meetings so far") && history.contains("0 shoutouts so far"), "{history}");
    // Once December is over (as of 1 Jan) with still no joint meeting and no shoutout, both
    // are not met, and so is open ears, which December's (missing) assessment never checked.
    let o =
        run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap(), "--as-of", "2027-01-01"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let d = data(&out, "2026-12");
    assert_eq!(
        d["changes"]["checklist"],
        serde_json::json!([{"id": "communicate", "from": true, "to": false}, {"id": "fill-tanks", "from": true, "to": false},
                           {"id": "open-ears", "from": true, "to": false}])
    );
}
