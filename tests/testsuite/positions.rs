//! Error positions a user can act on: the line and column of the real cause, and a hint that
//! names what would be right (issue 17's last list).

use crate::common::*;

/// A fresh `init` project in a temp dir, plus one file written into it.
fn project_with(rel: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    assert!(run(&["init", root.to_str().unwrap(), "--quiet"]).status.success());
    std::fs::write(root.join(rel), text).unwrap();
    (tmp, root)
}

fn check(root: &std::path::Path) -> (Option<i32>, String) {
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    (o.status.code(), stderr(&o))
}

#[test]
fn a_tab_in_the_indentation_is_reported_on_its_own_line() {
    let (_t, root) = project_with("content/funnel/tab.yaml", "- month: 2025-09\n\tstages: {leads: 1}\n");
    let (code, err) = check(&root);
    assert_eq!(code, Some(1));
    assert!(err.contains("a tab in the indentation"), "{err}");
    assert!(err.contains("content/funnel/tab.yaml:2:1"), "{err}");
    assert!(!err.contains("tab.yaml:1:"), "{err}");
}

#[test]
fn an_unclosed_bracket_is_reported_as_such_where_it_opens() {
    let (_t, root) =
        project_with("content/funnel/open.yaml", "- month: 2025-09\n  stages: [leads, mql\n  revenue: 5\n");
    let (code, err) = check(&root);
    assert_eq!(code, Some(1));
    assert!(err.contains("this `[` is never closed"), "{err}");
    assert!(err.contains("content/funnel/open.yaml:2:11"), "{err}");
    assert!(!err.contains("illegal placement"), "{err}");
    // A bracket inside a quoted string or a comment is no opener.
    let (_t, root) = project_with(
        "content/funnel/open.yaml",
        "- month: 2025-09 # [not this\n  stages: {leads: 1}\n  revenue: \"[x\"\n  spend: [oops\n  customers: 1\n",
    );
    let (_, err) = check(&root);
    assert!(err.contains("content/funnel/open.yaml:4:10"), "{err}");
}

#[test]
fn a_misspelt_attendee_gets_the_closest_member() {
    let (_t, root) = project_with(
        "content/meetings/2026-10-20-sync.md",
        "---\ntitle: Sync\ndate: 2026-10-20\nattendees: [Dana Lee, Sam Ortis]\n---\nNotes.\n",
    );
    let (_, err) = check(&root);
    let at = err.find("attendee `Sam Ortis` is not a member of any team").unwrap_or_else(|| panic!("{err}"));
    assert!(err[at..].contains("did you mean `Sam Ortiz`?"), "{err}");
    assert!(err[at..].contains("content/meetings/2026-10-20-sync.md:4:23"), "{err}");
}

#[test]
fn a_duplicate_month_names_the_other_file_and_line() {
    let (_t, root) = project_with("content/funnel/zz-more.yaml", "# more\n- month: 2026-09\n  stages: {leads: 1}\n");
    let first = std::fs::read_to_string(root.join("content/funnel/sample.yaml")).unwrap();
    let line = first.lines().position(|l| l.contains("month: 2026-09")).unwrap() + 1;
    let (code, err) = check(&root);
    assert_eq!(code, Some(1));
    let (leads_line, text) = first.lines().enumerate().skip(line).find(|(_, l)| l.contains("leads:")).unwrap();
    let col = text.find("leads").unwrap() + 1;
    // Files are read in path order: sample.yaml first, so the repeat is the one in zz-more.yaml.
    let both = format!(
        "month 2026-09 gives `stages.leads` twice: in content/funnel/sample.yaml:{}:{col} and in content/funnel/zz-more.yaml:3:12",
        leads_line + 1
    );
    assert!(err.contains(&both), "{err}");
    assert!(err.contains(" --> content/funnel/zz-more.yaml:3:12"), "{err}");
}

#[test]
fn skip_bad_rows_is_not_suggested_once_given() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("a.csv");
    let map = tmp.path().join("m.yaml");
    std::fs::write(&csv, "id,created\n1,2026-01-05\n2,notadate\n3,2026-01-07\n").unwrap();
    std::fs::write(&map, "stages: {leads: created}\n").unwrap();
    let (c, m) = (csv.to_str().unwrap(), map.to_str().unwrap());
    let without = stderr(&run(&["import", c, "--map", m]));
    assert!(without.contains("a.csv:3:3") && without.contains("pass --skip-bad-rows"), "{without}");
    let with = run(&["import", c, "--map", m, "--skip-bad-rows"]);
    assert!(with.status.success());
    let err = stderr(&with);
    assert!(err.contains("row skipped") && err.contains("a.csv:3:3"), "{err}");
    assert!(!err.contains("pass --skip-bad-rows"), "{err}");
    assert!(err.contains("fix the value to count this row"), "{err}");
}
