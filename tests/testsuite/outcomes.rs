//! Goal outcomes (docs/figures.md#goals) on a fixture built as of 20 Nov 2026: met, achieved,
//! missed, final, the change in the goal's unit, the pace, unit defaults and unit warnings.

use crate::common::*;
use serde_json::Value;

fn build(as_of: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (t, root) = project("outcomes");
    let out = root.join("public");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap(), "--as-of", as_of]);
    assert!(o.status.success(), "{}", stderr(&o));
    (t, out)
}

fn goal(out: &std::path::Path, month: &str, id: &str) -> Value {
    let d: Value = serde_json::from_slice(&std::fs::read(out.join(format!("data/{month}.json"))).unwrap()).unwrap();
    d["goals"].as_array().unwrap().iter().find(|g| g["id"] == id).unwrap().clone()
}

fn close(v: &Value, want: f64) -> bool {
    (v.as_f64().unwrap() - want).abs() < 1e-9
}

fn page(out: &std::path::Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap()
}

#[test]
fn met_then_slipped_missed_and_achieved_worked_by_hand() {
    let (_t, out) = build("2026-11-20");
    // MQL→SQL, 25% → 35% over Jul..Dec. September: 105 / 300 = 35%, the target, with the goal
    // still running: "met", not done.
    let g = goal(&out, "2026-09", "mql-to-sql");
    assert_eq!((g["status"].as_str(), g["final"].as_bool()), (Some("met"), Some(false)));
    // October: 100 / 330 = 30.303%; progress 0.0530 / 0.10 = 0.530 with 4 of 6 months gone
    // (0.667): below 0.567, above 0.417, so at risk. The metric moved 30.303 − 35 = −4.70
    // points; the pace leads to 25% + 0.530 / 0.667 × 10 points = 32.95%.
    let g = goal(&out, "2026-10", "mql-to-sql");
    assert_eq!(g["status"], "at_risk");
    assert!(close(&g["change"], 100.0 / 330.0 - 0.35), "{g}");
    assert!(close(&g["projection"], 0.25 + (100.0 / 330.0 - 0.25) / 0.1 / (4.0 / 6.0) * 0.1), "{g}");
    let oct = page(&out, "reports/2026-10/index.html");
    assert!(oct.contains("−4.7\u{a0}pts"), "the change in points of the metric, not of progress");
    assert!(oct.contains("At this pace: 33.0% by Dec 2026"));
    assert!(page(&out, "reports/2026-09/index.html").contains("target met"));

    // CAC 7,000 → 6,000, due October. September: 72,000 / 12 = 6,000: met. October:
    // 73,152 / 12 = 6,096, progress 904 / 1,000 = 0.904; October is complete on 20 Nov, so the
    // goal is final and missed; +USD 96 since September; no pace for a final goal.
    assert_eq!(goal(&out, "2026-09", "cac-down")["status"], "met");
    let g = goal(&out, "2026-10", "cac-down");
    assert_eq!((g["status"].as_str(), g["final"].as_bool()), (Some("missed"), Some(true)));
    assert!(close(&g["change"], 96.0) && close(&g["progress"], 0.904));
    assert_eq!(g["projection"], Value::Null);
    // The sign and the currency in front, as the figure shows "USD 6,096"; a higher CAC is
    // bad news for a goal whose target is below its baseline, so it is coloured and said so.
    assert!(
        oct.contains("tone-bad\" data-label=\"Since last month\">+USD\u{a0}96 <span class=\"sr\">worse</span>"),
        "money goals default to the metric's unit"
    );
    assert!(oct.contains("USD\u{a0}6,096"));
    assert!(oct.contains("missed"));
    // November: after the due month the figures freeze at October's: change 0, still missed.
    let g = goal(&out, "2026-11", "cac-down");
    assert!(close(&g["current"], 6096.0) && close(&g["change"], 0.0));
    assert_eq!((g["status"].as_str(), g["active"].as_bool()), (Some("missed"), Some(false)));

    // Webinar sign-ups 0 → 100 by September, by check-ins: 100 in September, final: achieved.
    let g = goal(&out, "2026-09", "webinar");
    assert_eq!((g["status"].as_str(), g["final"].as_bool()), (Some("achieved"), Some(true)));
    let goals = page(&out, "goals/index.html");
    for words in ["achieved", "missed", "Since last month"] {
        assert!(goals.contains(words), "{words}");
    }
    // The goals page speaks of the latest report, November (in progress, with funnel data):
    // MQL→SQL 115 / 330 = 34.85%, +4.5 points since October.
    assert!(goals.contains("+4.5\u{a0}pts"));
}

#[test]
fn the_due_month_in_progress_is_not_final() {
    // As of 15 Oct, October (CAC's due month) is in progress: 0.904 with all the time gone is
    // on track (>= 1 − 0.10), and the goal can still reach its target.
    let (_t, out) = build("2026-10-15");
    let g = goal(&out, "2026-10", "cac-down");
    assert_eq!((g["status"].as_str(), g["final"].as_bool()), (Some("on_track"), Some(false)));
    assert!(close(&g["projection"], 6096.0), "elapsed 1: the pace leads to where it is");
}

#[test]
fn unit_warnings_once_per_goal_at_the_right_line() {
    let root = fixture("outcomes");
    let o = run(&["check", "--root", root.to_str().unwrap(), "--format", "json", "--as-of", "2026-11-20"]);
    let d: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(
        (d[0]["file"].as_str(), d[0]["line"].as_u64(), d[0]["column"].as_u64()),
        (Some("content/goals/units.yaml"), Some(5), Some(9))
    );
    assert!(d[0]["message"]
        .as_str()
        .unwrap()
        .contains("unit `number` differs from the unit of `conversion.leads.mql`, which is `percent`"));
    // 28, 35 and the check-in 32 are all whole percentages: one warning, at the first.
    assert_eq!((d[1]["line"].as_u64(), d[1]["column"].as_u64()), (Some(14), Some(13)));
    assert!(d[1]["message"].as_str().unwrap().contains("percent values are fractions: 35% is 0.35"));
    assert!(d[1]["hint"].as_str().unwrap().contains("write 0.28 for 28%"));
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn two_builds_with_the_same_as_of_are_identical() {
    let (_t, a) = build("2026-11-20");
    let (_u, b) = build("2026-11-20");
    assert_eq!(snapshot(&a), snapshot(&b));
}

fn changes(out: &std::path::Path, month: &str) -> Value {
    let d: Value = serde_json::from_slice(&std::fs::read(out.join(format!("data/{month}.json"))).unwrap()).unwrap();
    d["changes"].clone()
}

#[test]
fn what_changed_since_last_month_worked_by_hand() {
    use serde_json::json;
    let (_t, out) = build("2026-11-20");
    // August is the first report (July has none): every goal active in it appears with
    // `from: null`, except percent-whole, which has no data (missing data is not movement).
    // MQL→SQL: 90 / 300 = 30%, progress 0.5 with 2 of 6 months gone: on track. CAC 7,000:
    // progress 0 with 1 of 3 months gone: off track. Webinar 40 of 100 with half the time:
    // on track (0.4 >= 0.5 − 0.1). Leads→MQL 300 / 1,000 = 30% = its target: met.
    let aug = changes(&out, "2026-08");
    assert_eq!(
        aug["goals"],
        json!([{"id": "mql-to-sql", "from": null, "to": "on_track"}, {"id": "cac-down", "from": null, "to": "off_track"},
               {"id": "webinar", "from": null, "to": "on_track"}, {"id": "wrong-unit", "from": null, "to": "met"}])
    );
    assert_eq!(aug["checklist"].as_array().unwrap().len(), 5, "every item is new in the first report");
    assert_eq!(aug["checklist"][1], json!({"id": "common-interests", "from": null, "to": true}));
    // September: the target reached (met) twice, webinar achieved (final in its due month),
    // Leads→MQL 300 / 1,100 = 27.3%, progress 0.727 with 2 of 5 months: on track.
    assert_eq!(
        changes(&out, "2026-09")["goals"],
        json!([{"id": "mql-to-sql", "from": "on_track", "to": "met"}, {"id": "cac-down", "from": "off_track", "to": "met"},
               {"id": "webinar", "from": "on_track", "to": "achieved"}, {"id": "wrong-unit", "from": "met", "to": "on_track"}])
    );
    assert_eq!(changes(&out, "2026-09")["checklist"], json!([]));
    // October: met → at risk (slipped), met → missed (final). Webinar stays achieved; the
    // percent goal's first check-in moves it from no data, which is not a change.
    let oct = changes(&out, "2026-10");
    assert_eq!(
        oct["goals"],
        json!([{"id": "mql-to-sql", "from": "met", "to": "at_risk"}, {"id": "cac-down", "from": "met", "to": "missed"}])
    );
    assert_eq!(oct["checklist"], json!([{"id": "open-ears", "from": false, "to": true}]));
    assert_eq!(oct["actions"], json!({"new": 0, "done": 0, "newly_overdue": 0}));
    // November: CAC was active in October, but missed → missed is no change; webinar is active
    // in neither month.
    let nov = changes(&out, "2026-11");
    assert_eq!(
        nov["goals"],
        json!([{"id": "mql-to-sql", "from": "at_risk", "to": "on_track"}, {"id": "wrong-unit", "from": "on_track", "to": "at_risk"},
               {"id": "percent-whole", "from": "on_track", "to": "at_risk"}])
    );
    // November is in progress (as of 20 Nov) and has no self-assessment yet: open ears is not
    // yet assessed, which is no change (it was "met → not met" before).
    assert_eq!(nov["checklist"], json!([]));
    assert!(page(&out, "reports/2026-11/index.html")
        .contains("Come with open ears</strong> <span class=\"state\">not yet assessed</span>"));

    // The report: commentary first, then what changed, then the figures.
    let html = page(&out, "reports/2026-10/index.html");
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("missing {s}"));
    assert!(at("id=\"commentary\"") < at("id=\"changes\"") && at("id=\"changes\"") < at("id=\"headline\""));
    assert!(html.contains("What changed since Sep 2026"));
    assert!(html.contains(
        r#"<a href="../../goals/index.html#goal-cac-down">CAC down to 6,000</a>: <span class="pill status-met">"#
    ));
    assert!(html.contains("Come with open ears: not met → <strong>met</strong>"));
    let aug = page(&out, "reports/2026-08/index.html");
    assert!(aug.contains("Jul 2026 has no report, so every status below is new this month."));
    assert!(!aug.contains("id=\"commentary\""), "no commentary, no section");
}

/// Every text of every page shows a negative figure with a true minus sign (U+2212), as the
/// changes already did: a goal that fell below its baseline has negative progress.
#[test]
fn negative_figures_have_a_true_minus_on_every_page() {
    let (_t, root) = project("outcomes");
    let goals = root.join("content/goals/goals.yaml");
    let text = std::fs::read_to_string(&goals).unwrap();
    // MQL→SQL from 32% to 35%: October's 30.3% is (0.30303 − 0.32) / 0.03 = −56.6% progress.
    std::fs::write(&goals, text.replacen("baseline: 0.25", "baseline: 0.32", 1)).unwrap();
    let out = root.join("public");
    let o =
        run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap(), "--as-of", "2026-11-20"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let oct = page(&out, "reports/2026-10/index.html");
    assert!(oct.contains("−56.6%"), "negative progress with a true minus");
    let mut pages = 0;
    for e in walk(&out) {
        if e.extension().is_none_or(|x| x != "html") {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(&e).unwrap();
        // The text between tags: a hyphen right before a digit, not inside a word or a date.
        let mut in_tag = false;
        let mut prev = ' ';
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag && prev == '-' && c.is_ascii_digit() => {
                    let at = html.find(&format!("-{c}")).unwrap_or(0);
                    panic!("{}: a hyphen as a minus sign near {:?}", e.display(), &html[at.saturating_sub(40)..at + 2]);
                }
                _ => {}
            }
            // A hyphen inside a word or a date ("2026-10", "Q3-") is not a sign.
            prev = if c == '-' && !(prev.is_alphanumeric() || prev == '-') {
                '-'
            } else if c == '-' {
                'x'
            } else {
                c
            };
        }
    }
    assert!(pages > 10, "{pages} pages looked at");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Two goals on leads that have not started in every month: one from October 2026 (1,300 →
/// 1,500 by December), one from January 2027 (1,400 → 1,500 by March).
const LATER_GOALS: &str = "- id: leads-q4
  title: Leads to 1,500 in Q4
  owners: [marketing]
  metric: stage.leads
  baseline: 1300
  target: 1500
  start: 2026-10
  due: 2026-12
- id: leads-2027
  title: Leads to 1,500 next year
  owners: [marketing]
  metric: stage.leads
  baseline: 1400
  target: 1500
  start: 2027-01
  due: 2027-03
";

#[test]
fn a_goal_is_not_judged_before_its_start_month() {
    let (_t, root) = project("outcomes");
    std::fs::write(root.join("content/goals/later.yaml"), LATER_GOALS).unwrap();
    let out = root.join("public");
    let o =
        run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap(), "--as-of", "2026-11-20"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // August and September are before leads-q4's start: leads were 1,000 and 1,100, which
    // would read as progress (1,000 − 1,300) / 200 = −150% and "off track". Not yet started,
    // the goal has no figures at all in those months, and no report lists it.
    for month in ["2026-08", "2026-09"] {
        let g = goal(&out, month, "leads-q4");
        assert_eq!(g["status"], "not_started", "{month}: {g}");
        assert_eq!(g["active"], false);
        for key in ["current", "progress", "change", "projection"] {
            assert_eq!(g[key], Value::Null, "{month}: {key} of a goal not yet started");
        }
        assert!(close(&g["elapsed"], 0.0));
        let html = page(&out, &format!("reports/{month}/index.html"));
        assert!(!html.contains("Leads to 1,500 in Q4"), "{month}'s report lists a goal that starts in October");
    }
    // October, its start month: 1,200 leads, progress (1,200 − 1,300) / 200 = −50% with 1 of 3
    // months gone (33.3%): below 33.3 − 25 points, so off track; it is judged from here on.
    let g = goal(&out, "2026-10", "leads-q4");
    assert_eq!((g["status"].as_str(), g["active"].as_bool()), (Some("off_track"), Some(true)));
    assert!(close(&g["progress"], -0.5) && close(&g["elapsed"], 1.0 / 3.0), "{g}");
    assert!(page(&out, "reports/2026-10/index.html").contains("Leads to 1,500 in Q4"));

    // The quarter pages agree with the months: Q3 does not list leads-q4, Q4 gives it the
    // status of its goals month.
    let q = |name: &str| -> Value {
        serde_json::from_slice(&std::fs::read(out.join(format!("data/{name}.json"))).unwrap()).unwrap()
    };
    let q3 = q("2026-Q3");
    assert!(q3["goals"].as_array().unwrap().iter().all(|g| g["id"] != "leads-q4" && g["id"] != "leads-2027"), "{q3}");
    assert!(!page(&out, "reports/2026-Q3/index.html").contains("Leads to 1,500"));
    let q4 = q("2026-Q4");
    let gm = q4["goals_month"].as_str().unwrap().to_string();
    let in_q4 = q4["goals"].as_array().unwrap().iter().find(|g| g["id"] == "leads-q4").unwrap().clone();
    assert_eq!(in_q4["status"], goal(&out, &gm, "leads-q4")["status"]);
    assert!(q4["goals"].as_array().unwrap().iter().all(|g| g["id"] != "leads-2027"));

    // leads-2027 starts after every report month. November's 1,250 leads would be progress
    // (1,250 − 1,400) / 100 = −150%, "off track"; instead the goals page says when it starts.
    assert_eq!(goal(&out, "2026-11", "leads-2027")["status"], "not_started");
    let goals = page(&out, "goals/index.html");
    let at = goals.find("<strong>Leads to 1,500 next year</strong>").expect("the goals page lists the coming goal");
    let row = &goals[at..at + goals[at..].find("</tr>").unwrap()];
    assert!(row.contains("starts Jan 2027"), "{row}");
    assert!(row.contains("not started"), "{row}");
    assert!(!row.contains("off track") && !row.contains("-150") && !row.contains("−150"), "{row}");
}
