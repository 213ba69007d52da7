//! The as-of date (docs/figures.md#the-as-of-date): where it comes from, and content dated after it.

use crate::common::*;

fn diags_json(root: &std::path::Path, as_of: &str) -> Vec<serde_json::Value> {
    let o = run(&["check", "--root", root.to_str().unwrap(), "--format", "json", "--as-of", as_of]);
    serde_json::from_slice(&o.stdout).expect("check --format json prints a JSON array")
}

fn has(diags: &[serde_json::Value], file: &str, line: u64, column: u64, text: &str) -> bool {
    diags.iter().any(|d| {
        d["file"] == file
            && d["line"] == line
            && d["column"] == column
            && d["severity"] == "warning"
            && d["message"].as_str().unwrap().contains(text)
    })
}

#[test]
fn content_after_the_as_of_date_is_left_out_with_a_warning_at_its_date() {
    let root = fixture("small");
    let d = diags_json(&root, "2026-09-15");
    assert!(has(&d, "content/funnel/2026.yaml", 8, 10, "month 2026-10 is after the as-of month 2026-09"), "{d:#?}");
    assert!(has(&d, "content/goals/goals.yaml", 28, 15, "check-in month 2026-10 is after the as-of month 2026-09"));
    assert!(has(&d, "content/meetings/2026-10-05-sync.md", 3, 7, "dated 2026-10-05, after the as-of date 2026-09-15"));
    assert!(has(&d, "content/meetings/2026-11-02-later.yaml", 2, 7, "dated 2026-11-02, after the as-of date"));
    // On the day itself nothing is in the future: a meeting dated the as-of date counts.
    let d = diags_json(&root, "2026-11-02");
    assert!(!d.iter().any(|x| x["message"].as_str().unwrap().contains("as-of")), "{d:#?}");
}

#[test]
fn reports_stop_at_the_as_of_month() {
    let (_t, root) = project("small");
    let out = root.join("out");
    let o =
        run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap(), "--as-of", "2026-10-20"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("reports/2026-10/index.html").is_file());
    assert!(!out.join("reports/2026-11").exists(), "the meeting of 2 Nov is after 20 Oct");
    assert!(!out.join("data/2026-11.json").exists());
    let oct: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/2026-10.json")).unwrap()).unwrap();
    assert_eq!(oct["meetings"], serde_json::json!(["2026-10-05-sync"]));
    assert!(stderr(&o).contains("after the as-of date 2026-10-20"), "the build shows the warning too");
}

#[test]
fn as_of_sources_and_their_errors() {
    let root = fixture("small");
    let r = root.to_str().unwrap();
    // SOURCE_DATE_EPOCH that is not a whole number of seconds: usage error, exit 2.
    for bad in ["tomorrow", "1.5", ""] {
        let o = run_env(&["check", "--root", r], &[("SOURCE_DATE_EPOCH", Some(bad))]);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert!(stderr(&o).contains("SOURCE_DATE_EPOCH must be a whole number of seconds"), "{}", stderr(&o));
    }
    // --as-of wins over a broken SOURCE_DATE_EPOCH.
    let o = run_env(&["check", "--root", r, "--as-of", "2026-11-30"], &[("SOURCE_DATE_EPOCH", Some("x"))]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&["check", "--root", r, "--as-of", "2026-11-31"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--as-of must be a real date as YYYY-MM-DD"));
    // SOURCE_DATE_EPOCH 1759276800 is 2025-10-01 00:00 UTC: everything in the fixture is after it.
    let o = run_env(&["check", "--root", r, "--format", "json"], &[("SOURCE_DATE_EPOCH", Some("1759276800"))]);
    let d: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert!(has(&d, "content/meetings/2026-10-05-sync.md", 3, 7, "after the as-of date 2025-10-01"), "{d:#?}");
}

#[test]
fn same_content_and_as_of_give_the_same_bytes() {
    let (_t, root) = project("small");
    let r = root.to_str().unwrap();
    let a = root.join("a");
    let b = root.join("b");
    let o = run_env(
        &["build", "--root", r, "--output", a.to_str().unwrap(), "--as-of", "2026-11-30"],
        &[("SOURCE_DATE_EPOCH", None)],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // The same date through SOURCE_DATE_EPOCH (2026-11-30 00:00:00 UTC).
    let o =
        run_env(&["build", "--root", r, "--output", b.to_str().unwrap()], &[("SOURCE_DATE_EPOCH", Some(TEST_EPOCH))]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(snapshot(&a), snapshot(&b));
}

fn build_as_of(root: &std::path::Path, as_of: &str) -> std::path::PathBuf {
    let out = root.join(format!("out-{as_of}"));
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap(), "--as-of", as_of]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

fn read(p: std::path::PathBuf) -> String {
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn json(p: std::path::PathBuf) -> serde_json::Value {
    serde_json::from_str(&read(p)).unwrap()
}

#[test]
fn the_latest_report_is_the_latest_month_with_funnel_data() {
    // Funnel numbers for Sep and Oct; a meeting on 2 Nov. As of 30 Nov, November is in
    // progress without funnel numbers: October is the latest report.
    let (_t, root) = project("small");
    let out = build_as_of(&root, "2026-11-30");
    let nov = read(out.join("reports/2026-11/index.html"));
    assert!(nov.contains("(in progress, as of 30 Nov 2026)"), "{nov}");
    assert!(!nov.contains(r#"href="../../reports/2026-11/index.html" aria-current="page">Latest report"#));
    assert!(
        nov.contains(r#"<a href="../../reports/2026-10/index.html">Latest report</a>"#),
        "the navigation points at October"
    );
    let oct = read(out.join("reports/2026-10/index.html"));
    assert!(!oct.contains("in progress"), "October is complete on 30 Nov");
    assert!(oct.contains(r#"<a href="../../reports/2026-10/index.html" aria-current="page">Latest report</a>"#));
    let index = read(out.join("index.html"));
    assert!(index.contains(r#"<a href="reports/2026-10/index.html">Latest report</a>"#));
    // The footer of every page: what the site was built from and the as-of date.
    for page in [&nov, &oct, &index, &read(out.join("meetings/2026-10-05-sync/index.html"))] {
        assert!(
            page.contains(r#"Built by smarketing from 2 funnel months, 2 meetings and 3 goals, as of <time datetime="2026-11-30">30 Nov 2026</time>."#),
            "{page}"
        );
    }
    let d = json(out.join("data/2026-11.json"));
    assert_eq!((d["as_of"].as_str(), d["in_progress"].as_bool()), (Some("2026-11-30"), Some(true)));
    let d = json(out.join("data/2026-10.json"));
    assert_eq!((d["as_of"].as_str(), d["in_progress"].as_bool()), (Some("2026-11-30"), Some(false)));

    // As of 1 Dec, November is complete (its last day is before the as-of date).
    let out = build_as_of(&root, "2026-12-01");
    assert!(!read(out.join("reports/2026-11/index.html")).contains("in progress"));
    assert_eq!(json(out.join("data/2026-11.json"))["in_progress"], false);

    // As of 20 Oct, October is in progress and has funnel data: it is the latest report.
    let out = build_as_of(&root, "2026-10-20");
    let oct = read(out.join("reports/2026-10/index.html"));
    assert!(oct.contains("(in progress, as of 20 Oct 2026)"));
    assert!(oct.contains(r#"aria-current="page">Latest report"#));
}

/// A CRM import run daily in CI makes the current month the latest with funnel data from its
/// first day: the overview's headline cards then compare part of a month with a whole one
/// ("Won ▼ −40% vs last month"). The overview says so where its report does, and the reports
/// list and the funnel page's table mark the in-progress month; a complete month carries no
/// such words.
#[test]
fn the_overview_says_when_its_latest_month_is_in_progress() {
    let (_t, root) = project("small");
    let index = read(build_as_of(&root, "2026-10-20").join("index.html"));
    assert!(
        index.contains(
            r#"Latest month, October 2026 <span class="in-progress">(in progress, as of 20 Oct 2026)</span></h2>"#
        ),
        "{index}"
    );
    assert!(index.contains(r#"Latest funnel: <a href="reports/2026-10/index.html">October 2026</a> <span class="in-progress">(in progress, as of 20 Oct 2026)</span>."#), "{index}");
    assert!(index.contains(r#"October 2026</a> <span class="small muted">(in progress)</span></th>"#), "{index}");
    assert!(!index.contains(r#"September 2026</a> <span"#), "September is complete: {index}");
    let funnel = read(root.join("out-2026-10-20/funnel/index.html"));
    assert!(funnel.contains(r#"Oct 2026</a> <span class="small muted">(in progress)</span></th>"#), "{funnel}");
    assert_eq!(funnel.matches("(in progress)").count(), 1, "{funnel}");
    // As of 30 Nov, October is complete; November (meetings only) is in progress in the list.
    let index = read(build_as_of(&root, "2026-11-30").join("index.html"));
    assert!(index.contains("<h2 id=\"h-latest\">Latest month, October 2026</h2>"), "{index}");
    assert!(index.contains(r#"November 2026</a> <span class="small muted">(in progress)</span></th>"#), "{index}");
    // Once for November's report, once for the quarter it is in.
    assert!(index.contains("Oct–Dec 2026, in progress</span>"), "{index}");
    assert_eq!(index.matches("in progress").count(), 2, "{index}");
}

/// No test depends on the day it runs: a test file that starts the binary itself instead of
/// through `common::command()` (which pins the as-of date) must pin `SOURCE_DATE_EPOCH` beside
/// it. Before, one test started its racing builds with `Command::new` and passed only on the
/// day its reference sites were pinned to.
#[test]
fn every_test_starts_the_binary_with_the_as_of_date_pinned() {
    // Spelled in two parts so this file does not count itself.
    let (start, pin) = (concat!("CARGO_BIN_EXE_", "smarketing"), concat!("\"SOURCE_DATE_EPOCH\"", ", TEST_EPOCH"));
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut unpinned = Vec::new();
    let files = ["testsuite", "memory"].iter().flat_map(|d| std::fs::read_dir(tests.join(d)).unwrap());
    for e in files {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "rs") || path.ends_with("common.rs") || path.ends_with("main.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let (direct, pinned) = (text.matches(start).count(), text.matches(pin).count());
        if direct > pinned {
            unpinned.push(format!("{}: {direct} direct starts, {pinned} pinned", path.display()));
        }
    }
    assert!(unpinned.is_empty(), "start the binary with common::command(): {unpinned:?}");
}
