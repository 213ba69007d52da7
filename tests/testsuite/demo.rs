//! The default project (content/) is the tool's first impression: its commentary must be true
//! of its numbers, and it must show every goal outcome. These tests hold the commentary's
//! claims against the built figures, so editing the demo's numbers cannot make it lie quietly.

use crate::common::*;
use serde_json::Value;

fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("site");
    let root = env!("CARGO_MANIFEST_DIR");
    let o = run(&["build", "--root", root, "--output", out.to_str().unwrap(), "--as-of", "2026-11-30"]);
    assert!(o.status.success(), "{}", stderr(&o));
    (t, out)
}

fn month(out: &std::path::Path, m: &str) -> Value {
    serde_json::from_slice(&std::fs::read(out.join(format!("data/{m}.json"))).unwrap()).unwrap()
}

fn goal<'a>(d: &'a Value, id: &str) -> &'a Value {
    d["goals"].as_array().unwrap().iter().find(|g| g["id"] == id).unwrap()
}

fn commentary(m: &str) -> String {
    std::fs::read_to_string(format!("{}/content/reports/{m}.md", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn the_commentary_is_true_of_the_figures() {
    let (_t, out) = demo();
    // The months' data files (data/YYYY-MM.json), not the quarters' (data/YYYY-Qn.json).
    let months: Vec<Value> = std::fs::read_dir(out.join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().contains("-Q"))
        .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
        .collect();
    let conv = |d: &Value| d["conversion"]["mql.sql"].as_f64();
    let (aug, sep, oct) = (month(&out, "2026-08"), month(&out, "2026-09"), month(&out, "2026-10"));
    let jul = month(&out, "2026-07");

    // August: "cut leads by 3% (1,837 against July's 1,897)", "MQL→SQL rose to 33.2% (from 31.4%)".
    let c = commentary("2026-08");
    assert!(c.contains("by 3% (1,837 against July's 1,897)") && c.contains("33.2% (from 31.4%)"));
    assert_eq!((aug["stages"]["leads"].as_u64(), jul["stages"]["leads"].as_u64()), (Some(1837), Some(1897)));
    assert_eq!(format!("{:.0}", (1.0 - 1837.0 / 1897.0) * 100.0), "3");
    assert_eq!(format!("{:.1} {:.1}", conv(&aug).unwrap() * 100.0, conv(&jul).unwrap() * 100.0), "33.2 31.4");

    // September: "2,088, up 14%", the leads goal achieved, "35.4%, the best month yet",
    // "6.0 hours".
    let c = commentary("2026-09");
    assert!(c.contains("2,088, up 14%") && c.contains("35.4%, the best month yet") && c.contains("6.0 hours"));
    assert_eq!(sep["stages"]["leads"], 2088);
    assert_eq!(format!("{:.0}", (2088.0 / 1837.0 - 1.0) * 100.0), "14");
    assert_eq!(goal(&sep, "monthly-leads")["status"], "achieved");
    let best = months.iter().filter(|d| d["month"].as_str().unwrap() <= "2026-10").filter_map(conv).fold(0.0, f64::max);
    assert_eq!(conv(&sep), Some(best), "September has the best MQL→SQL conversion of all months to October");
    assert_eq!(format!("{:.1}", best * 100.0), "35.4");
    assert_eq!(sep["lead_response_hours"], 6.0);

    // October: "held at 34.9%", the goal back from met to on track, lead response missed at
    // 6.3 hours, CAC "USD 5,378 from USD 5,282", spend down 7,000, 37 wins instead of 39.
    let c = commentary("2026-10");
    assert!(c.contains("34.9%") && c.contains("*target met* to *on track*") && c.contains("**missed**"));
    assert_eq!(format!("{:.1}", conv(&oct).unwrap() * 100.0), "34.9");
    assert_eq!(
        (goal(&sep, "mql-to-sql")["status"].as_str(), goal(&oct, "mql-to-sql")["status"].as_str()),
        (Some("met"), Some("on_track"))
    );
    assert_eq!(goal(&oct, "lead-response")["status"], "missed");
    assert_eq!(oct["lead_response_hours"], 6.3);
    assert!(
        c.contains("USD 5,378 from USD 5,282")
            && c.contains("Spend fell by USD 7,000")
            && c.contains("37 new customers instead of 39")
    );
    assert_eq!(
        (oct["cac"].as_f64().map(f64::round), sep["cac"].as_f64().map(f64::round)),
        (Some(5378.0), Some(5282.0))
    );
    let spend = |d: &Value| d["spend"]["marketing"].as_f64().unwrap() + d["spend"]["sales"].as_f64().unwrap();
    assert_eq!(spend(&sep) - spend(&oct), 7000.0);
}

#[test]
fn the_demo_shows_every_outcome_and_a_month_in_progress() {
    let (_t, out) = demo();
    let oct = month(&out, "2026-10");
    let statuses: Vec<&str> = oct["goals"].as_array().unwrap().iter().map(|g| g["status"].as_str().unwrap()).collect();
    for s in ["achieved", "missed", "on_track"] {
        assert!(statuses.contains(&s), "{s} in {statuses:?}");
    }
    let nov = month(&out, "2026-11");
    assert_eq!(nov["in_progress"], true);
    assert!(nov["actions"]["done"].as_u64().unwrap() > 0, "done_on items give November its done count");
    // November has meetings but no funnel numbers yet: October stays the latest report.
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains(r#"<a href="reports/2026-10/index.html">Latest report</a>"#));
    // A goal with no value in November says so in words, not "25.9% → — → 35.0% · — of the way".
    let report = std::fs::read_to_string(out.join("reports/2026-11/index.html")).unwrap();
    assert!(report.contains("25.9% → 35.0% · no value this month, 91.7% of time gone"), "{report}");
    assert!(!report.contains("— of the way"), "{report}");
}

/// The Q3 2026 review's claims, against data/2026-Q3.json (and Q2's for the win rate).
#[test]
fn the_quarter_commentary_is_true_of_the_quarter() {
    let (_t, out) = demo();
    let (q3, q2) = (month(&out, "2026-Q3"), month(&out, "2026-Q2"));
    let c = commentary("2026-Q3");
    let pct = |v: &Value| format!("{:.1}%", v.as_f64().unwrap() * 100.0);
    assert!(c.contains("**USD 1,238,640**") && q3["revenue"] == 1238640.0);
    assert!(c.contains("102.4% of the quarter's plan") && pct(&q3["attainment"]["revenue"]) == "102.4%");
    assert!(c.contains("27.7%\nmore than the second quarter") && pct(&q3["vs_previous_quarter"]["revenue"]) == "27.7%");
    assert!(
        c.contains("99 deals against a plan of 94") && q3["stages"]["won"] == 99 && q3["plan"]["stages"]["won"] == 94
    );
    assert!(
        c.contains("held at 31.4% (31.3% in Q2)") && pct(&q3["win_rate"]) == "31.4%" && pct(&q2["win_rate"]) == "31.3%"
    );
    assert_eq!(q3["win_rate_basis"], "closed");
    assert!(c.contains("(355, up 21.2%)") && q3["stages"]["opportunities"] == 355);
    assert_eq!(pct(&q3["vs_previous_quarter"]["stages"]["opportunities"]), "21.2%");
    assert!(
        c.contains("5,822 against 5,850 (99.5%)")
            && q3["stages"]["leads"] == 5822
            && q3["plan"]["stages"]["leads"] == 5850
    );
    assert!(c.contains("after a slow August"));
    assert!(month(&out, "2026-08")["stages"]["leads"].as_u64() < month(&out, "2026-07")["stages"]["leads"].as_u64());
    assert!(c.contains("107.0% of plan") && pct(&q3["attainment"]["stages"]["mql"]) == "107.0%");
    assert!(c.contains("**USD 2,532,000** of open pipeline") && q3["pipeline_open"] == 2532000.0);
    assert!(c.contains("107.7% of plan)") && pct(&q3["attainment"]["pipeline_created"]) == "107.7%");
}
