//! Integration tests of `smarketing build`: the numbers in `data/*.json` worked out by hand,
//! the pages, escaping, and the output rules.

use crate::common::*;
use serde_json::Value;

fn build(root: &std::path::Path, out: &std::path::Path) -> std::process::Output {
    run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()])
}

fn close(v: &Value, expected: f64) {
    let x = v.as_f64().unwrap_or_else(|| panic!("expected a number, found {v}"));
    assert!((x - expected).abs() < 1e-9, "{x} != {expected}");
}

fn built() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let (tmp, root) = project("small");
    let out = tmp.path().join("site");
    let o = build(&root, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    (tmp, root, out)
}

fn json(out: &std::path::Path, month: &str) -> Value {
    serde_json::from_slice(&std::fs::read(out.join(format!("data/{month}.json"))).unwrap()).unwrap()
}

#[test]
fn month_figures_match_hand_computation() {
    let (_t, _root, out) = built();
    let j = json(&out, "2026-10");
    assert_eq!(j["month"], "2026-10");
    assert_eq!(j["stages"]["leads"], 1200);
    close(&j["conversion"]["leads.mql"], 300.0 / 1200.0);
    close(&j["conversion"]["mql.sql"], 0.3);
    close(&j["conversion"]["sql.opportunities"], 60.0 / 90.0);
    close(&j["conversion"]["overall"], 15.0 / 1200.0);
    close(&j["mom"]["leads"], 0.2);
    close(&j["mom"]["sql"], -0.1);
    close(&j["mom"]["won"], 0.5);
    close(&j["lead_velocity_rate"], 0.2);
    close(&j["cost_per_lead"], 20.0);
    close(&j["cac"], 4000.0);
    close(&j["retention"], 203.0 / 206.0);
    close(&j["win_rate"], 0.25);
    close(&j["average_deal"], 12000.0);
    close(&j["sales_velocity"], 5000.0);
    let verdicts: Vec<(&str, &Value)> =
        j["benefits"].as_array().unwrap().iter().map(|b| (b["id"].as_str().unwrap(), &b["verdict"])).collect();
    assert_eq!(
        verdicts,
        vec![
            ("costs", &Value::from("better")),
            ("leads", &Value::from("better")),
            ("retention", &Value::from("better")),
            ("lead-time", &Value::from("same")),
            ("sales-cycle", &Value::from("better"))
        ]
    );
    close(&j["benefits"][0]["previous"], 5000.0);
    // Goals: shared conversion goal, lower-is-better CAC goal, check-in goal.
    let g = &j["goals"];
    close(&g[0]["current"], 0.3);
    close(&g[0]["progress"], 0.5);
    close(&g[0]["elapsed"], 4.0 / 6.0);
    assert_eq!(g[0]["status"], "at_risk");
    close(&g[1]["progress"], 0.5);
    close(&g[1]["elapsed"], 0.5);
    assert_eq!(g[1]["status"], "on_track");
    close(&g[2]["progress"], 0.3);
    assert_eq!(g[2]["status"], "at_risk");
    assert_eq!(j["actions"]["open"], 2);
    // A1 is due on 31 Oct, October's end day: not overdue yet (docs/figures.md#meetings-action-items-and-the-checklist).
    assert_eq!(j["actions"]["overdue"], 0);
    let cl: Vec<(&str, bool, bool, &Value)> = j["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (c["id"].as_str().unwrap(), c["met"].as_bool().unwrap(), c["checked"].as_bool().unwrap(), &c["evidence"])
        })
        .collect();
    assert_eq!(cl[0], ("communicate", true, false, &Value::from(1)));
    assert_eq!(cl[1], ("common-interests", true, false, &Value::from(1)));
    assert_eq!(cl[2], ("fill-tanks", true, false, &Value::from(1)));
    assert_eq!(cl[3], ("open-ears", true, true, &Value::Null));
    assert_eq!(cl[4], ("positive-intent", false, false, &Value::Null));
    assert_eq!(j["meetings"], serde_json::json!(["2026-10-05-sync"]));
}

#[test]
fn first_month_and_meeting_only_month_have_nulls() {
    let (_t, _root, out) = built();
    let sep = json(&out, "2026-09");
    assert_eq!(sep["mom"]["leads"], Value::Null, "no previous month");
    assert_eq!(sep["lead_velocity_rate"], Value::Null);
    assert_eq!(sep["benefits"][0]["verdict"], Value::Null);
    assert_eq!(sep["goals"][2]["progress"], Value::Null);
    // webinar-leads starts in October: in September it is not judged at all.
    assert_eq!(sep["goals"][2]["status"], "not_started");
    assert_eq!(sep["goals"][2]["active"], false);
    let nov = json(&out, "2026-11");
    assert_eq!(nov["stages"], serde_json::json!({}));
    assert_eq!(nov["cac"], Value::Null);
    assert_eq!(nov["win_rate"], Value::Null);
    assert_eq!(nov["actions"]["open"], 3, "A4 from the November meeting now counts");
    assert_eq!(nov["actions"]["overdue"], 3);
    assert_eq!(nov["checklist"][0]["evidence"], 0);
    assert_eq!(nov["checklist"][0]["met"], false);
    assert_eq!(nov["goals"][0]["status"], "no_data", "a metric goal with no value in the month");
}

#[test]
fn every_page_exists_and_links_resolve() {
    let (_t, _root, out) = built();
    for p in [
        "index.html",
        "reports/2026-09/index.html",
        "reports/2026-10/index.html",
        "reports/2026-11/index.html",
        "funnel/index.html",
        "goals/index.html",
        "meetings/index.html",
        "meetings/2026-10-05-sync/index.html",
        "meetings/2026-11-02-later/index.html",
        "checklist/index.html",
        "feed.xml",
        "sitemap.xml",
        "style.css",
        "logo.txt",
        ".smarketing-build",
    ] {
        assert!(out.join(p).is_file(), "missing {p}");
    }
    assert!(!out.join("personas/index.html").exists(), "no personas, no page");
    // Every relative href and src resolves to a file, and none ends in a bare folder.
    for (path, bytes) in snapshot(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        assert!(!html.contains("<script"), "{path} has a script");
        let dir = out.join(&path).parent().unwrap().to_path_buf();
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let link = &part[..part.find('"').unwrap()];
                if link.is_empty() || link.starts_with('#') || link.starts_with("http") {
                    continue;
                }
                let file = link.split('#').next().unwrap();
                assert!(dir.join(file).is_file(), "{path}: link {link} does not resolve");
            }
        }
    }
}

#[test]
fn report_has_sections_in_order_with_article_words() {
    let (_t, _root, out) = built();
    let html = std::fs::read_to_string(out.join("reports/2026-10/index.html")).unwrap();
    // The v2 order: (commentary, when present), what changed, then the figures.
    let order = [
        "id=\"changes\"",
        "id=\"headline\"",
        "id=\"benefits\"",
        "id=\"funnel\"",
        "id=\"channels\"",
        "id=\"goals\"",
        "id=\"meetings\"",
        "id=\"actions\"",
        "id=\"checklist\"",
    ];
    let positions: Vec<usize> = order.iter().map(|s| html.find(s).unwrap_or_else(|| panic!("missing {s}"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "sections out of order");
    for words in [
        "Costs decrease",
        "Leads soar",
        "Retention rates are higher",
        "Lead generation takes less time",
        "Sales cycles are shorter",
        "Communicate effectively and often",
        "Look for common interests",
        "Fill each other&#39;s tanks",
        "Come with open ears",
        "Assume positive intent",
        "Bring an open mind and assume the other team is doing the same.",
    ] {
        assert!(html.contains(words) || html.contains(&words.replace("&#39;", "'")), "missing {words}");
    }
    assert!(html.contains("EUR\u{a0}4,000"), "CAC shown with currency and separators");
    assert!(html.contains("25.0%"), "percentages with one decimal");
    // Charts: inline SVG with role, title and viewBox.
    let svgs = html.matches("<svg ").count();
    assert!(svgs >= 4, "{svgs} charts");
    assert_eq!(html.matches("<svg role=\"img\"").count(), svgs);
    assert!(html.matches("<title id=").count() >= svgs);
    assert!(html.matches("viewBox=").count() >= svgs);
    // The November report is meetings-only and says so.
    let nov = std::fs::read_to_string(out.join("reports/2026-11/index.html")).unwrap();
    assert!(nov.contains("No funnel data for November 2026"));
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let (_t, _root, out) = built();
    for (path, bytes) in snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("<script>alert"), "{path} lets a script through");
        assert!(!text.contains("javascript:"), "{path} keeps a javascript: link");
        assert!(!text.contains("<b>Bob</b>"), "{path} passes markup from a shoutout");
    }
    let report = std::fs::read_to_string(out.join("reports/2026-10/index.html")).unwrap();
    assert!(report.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "channel name shown as text");
    let meeting = std::fs::read_to_string(out.join("meetings/2026-10-05-sync/index.html")).unwrap();
    assert!(meeting.contains("<table>"), "markdown tables render");
    assert!(meeting.contains("aria-label=\"done\""), "task list items have a name");
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(feed.contains("<title>Small &amp; &lt;Co&gt; report</title>"));
    assert!(feed.contains("https://example.test/r/reports/2026-10/index.html"));
}

#[test]
fn two_builds_are_byte_identical() {
    let (tmp, root, out) = built();
    let out2 = tmp.path().join("site2");
    assert!(build(&root, &out2).status.success());
    assert_eq!(snapshot(&out), snapshot(&out2));
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let (tmp, root, out) = built();
    let before = snapshot(&out);
    std::fs::write(root.join("content/goals/broken.yaml"), "- id: x\n  traget: 1\n").unwrap();
    let o = build(&root, &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("content/goals/broken.yaml:2:3"), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before);
    let leftovers = leftovers(tmp.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn refuses_foreign_folders_and_the_project_itself() {
    let (tmp, root) = project("small");
    let foreign = tmp.path().join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
    let o = build(&root, &foreign);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("did not write"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(foreign.join("keep.txt")).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(&foreign).unwrap().count(), 1);
    for bad in [root.clone(), tmp.path().to_path_buf(), root.join("content/out")] {
        let o = build(&root, &bad);
        assert_eq!(o.status.code(), Some(1), "{}", bad.display());
    }
    assert!(!root.join("content/out").exists());
    // An empty folder is accepted, and a rebuild replaces our own output.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    assert!(build(&root, &empty).status.success());
    assert!(build(&root, &empty).status.success());
}

#[test]
fn default_project_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("reports/2026-10/index.html").is_file());
    assert!(out.join("personas/index.html").is_file());
}

#[test]
fn parallel_build_equals_sequential_build() {
    let (tmp, root) = project("small");
    let seq = tmp.path().join("seq");
    let o = command()
        .args(["build", "--root", root.to_str().unwrap(), "--output", seq.to_str().unwrap()])
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert!(o.status.success());
    let par = tmp.path().join("par");
    let o = command()
        .args(["build", "--root", root.to_str().unwrap(), "--output", par.to_str().unwrap()])
        .env("RAYON_NUM_THREADS", "4")
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(snapshot(&seq), snapshot(&par));
}
