//! Integration tests of the action lifecycle (docs/content.md and docs/figures.md#meetings-action-items-and-the-checklist): `done_on` checks, the
//! report's bounded list, `actions/index.html`, `actions.ics` and the JSON figures.

use crate::common::*;
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

fn build_at(as_of: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let root = fixture("actions");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap(), "--as-of", as_of]);
    assert!(o.status.success(), "{}", stderr(&o));
    (tmp, out)
}

fn read(out: &std::path::Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The visible text of an HTML fragment: tags dropped, entities decoded, spaces collapsed.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out.replace("&amp;", "&").replace("&#x2F;", "/").replace("&#x27;", "'").replace("&quot;", "\"");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("<section id=\"{id}\"")).unwrap_or_else(|| panic!("no section {id}"));
    let end = start + html[start..].find("</section>").unwrap();
    &html[start..end]
}

/// The fixture, worked out by hand (as of 2026-11-20, November in progress):
/// kickoff 06-01: old lists (Bob, due 06-15), archive (Ann, done: true).
/// sync 10-05: brief (Ann, due 10-31), survey (Bob, due 10-20, done_on 11-03),
///   Q1 plan (Åsa, due 12-15), persona review (Ann, due 2027-03-01).
/// review 11-10: CRM sync (Bob, due 11-20), celebrate (Ann, due 11-12, done_on 11-25: after
///   the as-of date, so still open). A meeting on 11-25 is after the as-of date.
#[test]
fn month_figures_and_changes_at_each_end_day() {
    let (_t, out) = build_at("2026-11-20");
    let j = |m: &str| -> Value { serde_json::from_str(&read(&out, &format!("data/{m}.json"))).unwrap() };
    // 31 Oct: open are old lists (overdue 138 days), brief (due on D: not overdue), survey
    // (overdue 11 days), Q1 plan and persona review. On 30 Sep only old lists was overdue.
    let oct = j("2026-10");
    assert_eq!(oct["actions"], serde_json::json!({"open": 5, "overdue": 2, "new": 4, "done": 0}));
    assert_eq!(oct["changes"]["actions"], serde_json::json!({"new": 4, "done": 0, "newly_overdue": 1}));
    // 20 Nov: survey done on 11-03; review adds two items; celebrate stays open. Overdue: old
    // lists (158 days), brief (20), celebrate (8); brief and celebrate were not overdue on 31 Oct.
    let nov = j("2026-11");
    assert_eq!(nov["actions"], serde_json::json!({"open": 6, "overdue": 3, "new": 2, "done": 1}));
    assert_eq!(nov["changes"]["actions"], serde_json::json!({"new": 2, "done": 1, "newly_overdue": 2}));
}

#[test]
fn the_report_lists_a_bounded_list_by_owner() {
    let (_t, out) = build_at("2026-11-20");
    let html = read(&out, "reports/2026-11/index.html");
    let nov = text(section(&html, "actions"));
    assert!(nov.contains("6 open on 20 Nov 2026, of which 3 overdue (past their due date)."), "{nov}");
    // The month's new, done and newly overdue counts have one home: "What changed".
    let changes = text(section(&html, "changes"));
    assert!(changes.contains("Action items: 2 new, 1 done, 2 newly overdue."), "{changes}");
    for twice in ["2 new", "1 done", "2 newly overdue"] {
        assert!(!nov.contains(twice), "{twice} shown twice: {nov}");
    }
    assert!(nov.contains("newly overdue items are counted under What changed"), "{nov}");
    assert!(nov.contains("open items due by 20 Dec 2026. 1 due later is not listed."), "{nov}");
    // Owners in code point order (Å after B); within an owner, most days overdue first.
    let rows = [
        "Ann Marketing Draft the campaign brief October sync 31 Oct 2026 ⚠ Overdue 20 days",
        "Celebrate the launch Pipeline review 12 Nov 2026 ⚠ Overdue 8 days",
        "Bob Sales Fix the CRM sync; then export, twice Pipeline review 20 Nov 2026 ○ Open",
        "and 1 more overdue by over 90 days",
        "Åsa Marketing Plan the Q1 campaign calendar",
    ];
    let mut at = 0;
    for r in rows {
        let i = nov[at..].find(r).unwrap_or_else(|| panic!("`{r}` not after byte {at} in {nov}"));
        at += i + r.len();
    }
    assert!(!nov.contains("Yearly persona review"), "due after D + 30 days: not listed");
    assert!(!nov.contains("Clean up the old lead lists"), "overdue by over 90 days: counted, not listed");
    assert!(!nov.contains("Not yet agreed"), "a meeting after the as-of date does not exist yet");
    let html = read(&out, "reports/2026-11/index.html");
    assert!(html.contains("href=\"../../actions/index.html\">and 1 more overdue by over 90 days</a>"));
    // October at its last day: the brief due on 31 Oct is open, not overdue.
    let oct = text(section(&read(&out, "reports/2026-10/index.html"), "actions"));
    assert!(oct.contains("Draft the campaign brief October sync 31 Oct 2026 ○ Open"), "{oct}");
    assert!(oct.contains("Send the win/loss survey October sync 20 Oct 2026 ⚠ Overdue 11 days"), "{oct}");
}

#[test]
fn the_actions_page_says_who_owes_what_at_the_as_of_date() {
    let (_t, out) = build_at("2026-11-20");
    let html = read(&out, "actions/index.html");
    let page = text(&html[html.find("<main").unwrap()..html.find("</main>").unwrap()]);
    assert!(page.contains("Who owes what as of 20 Nov 2026: 6 open, of which 3 overdue"), "{page}");
    let rows = [
        "Ann Marketing · 3 open, 2 overdue",
        "Draft the campaign brief October sync 5 Oct 2026 31 Oct 2026 ⚠ Overdue 20 days",
        "Celebrate the launch Pipeline review 10 Nov 2026 12 Nov 2026 ⚠ Overdue 8 days",
        "Yearly persona review October sync 5 Oct 2026 1 Mar 2027 ○ Open",
        "Bob Sales · 2 open, 1 overdue",
        "Clean up the old lead lists Kickoff 1 Jun 2026 15 Jun 2026 ⚠ Overdue 158 days",
        "Fix the CRM sync; then export, twice",
        "Åsa Marketing · 1 open",
        "Done in the last 30 days",
        "Send the win/loss survey Bob October sync 20 Oct 2026 3 Nov 2026",
    ];
    let mut at = 0;
    for r in rows {
        let i = page[at..].find(r).unwrap_or_else(|| panic!("`{r}` not after byte {at} in {page}"));
        at += i + r.len();
    }
    assert!(html.contains("href=\"../meetings/2026-06-01-kickoff/index.html\">Kickoff</a>"));
    assert!(html.contains("href=\"../actions.ics\""));
    // Linked from every page's navigation.
    assert!(read(&out, "index.html").contains("href=\"actions/index.html\""));
    assert!(read(&out, "reports/2026-10/index.html").contains("href=\"../../actions/index.html\""));
}

#[test]
fn the_calendar_is_rfc_5545_and_its_uids_are_stable() {
    let (_t, out) = build_at("2026-11-20");
    let ics = read(&out, "actions.ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"), "{ics}");
    assert!(ics.contains("\r\nCALSCALE:GREGORIAN\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    for line in ics.split("\r\n") {
        assert!(!line.contains('\n') && !line.contains('\r'), "bare line break in {line:?}");
        assert!(line.len() <= 75, "line over 75 octets: {line:?}");
    }
    let unfolded = ics.replace("\r\n ", "");
    assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 6, "one event per open item");
    let event = |summary: &str| -> String {
        let at = unfolded.find(summary).unwrap_or_else(|| panic!("{summary} in {unfolded}"));
        let start = unfolded[..at].rfind("BEGIN:VEVENT").unwrap();
        let end = at + unfolded[at..].find("END:VEVENT").unwrap();
        unfolded[start..end].to_string()
    };
    let crm = event("SUMMARY:Fix the CRM sync\\; then export\\, twice (Bob)\r\n");
    assert!(crm.contains("\r\nDTSTART;VALUE=DATE:20261120\r\nDTEND;VALUE=DATE:20261121\r\n"), "{crm}");
    assert!(crm.contains("\r\nDTSTAMP:20261120T000000Z\r\n"), "{crm}");
    let plan = event("SUMMARY:Plan the Q1 campaign calendar with the regional teams — every market\\, every channel\\, every week (Åsa)");
    assert!(plan.contains("DTSTART;VALUE=DATE:20261215\r\nDTEND;VALUE=DATE:20261216"), "{plan}");
    // The long summary was folded in the file, between whole characters.
    assert!(ics.contains("\r\n "));
    let uid = |e: &str| e.lines().find(|l| l.starts_with("UID:")).unwrap().to_string();
    let crm_uid = uid(&crm);
    assert!(crm_uid.starts_with("UID:2026-11-10-review-"), "{crm_uid}");
    // Another as-of date: the same item keeps its UID; the stamp moves; the celebrate item is
    // done by then (done_on 11-25) and leaves the calendar.
    let (_t2, out2) = build_at("2026-11-26");
    let later = read(&out2, "actions.ics").replace("\r\n ", "");
    assert!(later.contains(&format!("{crm_uid}\r\nDTSTAMP:20261126T000000Z")), "{later}");
    assert!(!later.contains("Celebrate the launch"));
    // Same content, same as-of date: the same bytes.
    let (_t3, out3) = build_at("2026-11-20");
    assert_eq!(read(&out3, "actions.ics"), ics);
    assert_eq!(read(&out3, "actions/index.html"), read(&out, "actions/index.html"));
}

#[test]
fn done_on_after_the_as_of_date_is_a_warning_and_the_item_stays_open() {
    let root = fixture("actions");
    let o = run(&["check", "--root", root.to_str().unwrap(), "--format", "json", "--as-of", "2026-11-20"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let all: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    let d = all
        .iter()
        .find(|d| d["file"] == "content/meetings/2026-11-10-review.yaml")
        .unwrap_or_else(|| panic!("{all:#?}"));
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(11), Some(14)));
    assert_eq!(d["severity"], "warning");
    assert_eq!(
        d["message"],
        "`done_on: 2026-11-25` is after the as-of date 2026-11-20, so the item counts as open on every page"
    );
    // At the as-of date 2026-11-25 the item is done on that day: no warning.
    let o = run(&["check", "--root", root.to_str().unwrap(), "--format", "json", "--as-of", "2026-11-25"]);
    let all: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert!(all.iter().all(|d| d["file"] != "content/meetings/2026-11-10-review.yaml"), "{all:#?}");
}

#[test]
fn a_project_can_override_the_calendar_template() {
    let (tmp, root) = project("actions");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/actions.ics"),
        "BEGIN:VCALENDAR\nX-TEAM:{{ events | length }} open\nEND:VCALENDAR\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    let o =
        run(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap(), "--as-of", "2026-11-20"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read(&out, "actions.ics"), "BEGIN:VCALENDAR\r\nX-TEAM:6 open\r\nEND:VCALENDAR\r\n");
}
