//! Integration tests of `smarketing import`: realistic CRM exports with counts, channels and
//! medians worked out by hand, every bad-input rule, and a round trip into a report.

mod common;
use common::*;

fn imp(args: &[&str]) -> std::process::Output {
    let mut a = vec!["import"];
    a.extend_from_slice(args);
    run(&a)
}

/// Each month of an imported funnel file as one line, `2026-10 leads:4 won:3 revenue:12000`,
/// then one line per channel, `2026-10 [Webinar] leads:1 won:1`: easy to compare by hand.
fn lines(yaml: &[u8]) -> Vec<String> {
    let v: serde_yaml::Value = serde_yaml::from_slice(yaml).expect("the output is YAML");
    let scalar = |v: &serde_yaml::Value| match v {
        serde_yaml::Value::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    };
    let pairs = |m: &serde_yaml::Value| {
        m.as_mapping()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{}:{}", k.as_str().unwrap(), scalar(v)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out = Vec::new();
    for m in v.as_sequence().expect("a list of months") {
        let month = m["month"].as_str().unwrap().to_string();
        let mut line = format!("{month} {}", pairs(&m["stages"]));
        for k in ["revenue", "sales_cycle_days", "days_to_mql"] {
            if let Some(x) = m.get(k) {
                line.push_str(&format!(" {k}:{}", scalar(x)));
            }
        }
        out.push(line);
        if let Some(ch) = m.get("by_channel").and_then(|c| c.as_mapping()) {
            for (name, counts) in ch {
                out.push(format!("{month} [{}] {}", name.as_str().unwrap(), pairs(counts)));
            }
        }
    }
    out
}

fn fx(p: &str) -> String {
    fixture("import").join(p).to_str().unwrap().to_string()
}

#[test]
fn hubspot_contacts_export() {
    // BOM, CRLF, a quoted source with a comma, a quoted name with a newline, datetimes.
    let o = imp(&[&fx("hubspot/contacts.csv"), "--map", &fx("hubspot/map.yaml")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let l = lines(&o.stdout);
    assert!(l.contains(&"2026-08 leads:1 mql:0 sql:0 won:0".to_string()), "{l:#?}");
    assert!(l.contains(&"2026-09 leads:4 mql:3 sql:2 won:0 days_to_mql:3".to_string()), "{l:#?}");
    // Oct: cycles 44 (101), 40 (104), 41 (110) -> 41; lead->MQL 11, 1, 4, 0 -> 2.5.
    assert!(l.contains(&"2026-10 leads:4 mql:4 sql:3 won:3 sales_cycle_days:41 days_to_mql:2.5".to_string()), "{l:#?}");
    assert!(l.contains(&"2026-11 leads:1 mql:1 sql:0 won:1 sales_cycle_days:31 days_to_mql:4".to_string()), "{l:#?}");
    assert!(l.contains(&"2026-10 [SOCIAL_MEDIA, paid] leads:1 mql:0 sql:0 won:0".to_string()), "{l:#?}");
    assert!(
        l.contains(&"2026-10 [unknown] leads:0 mql:1 sql:1 won:1".to_string()),
        "blank source counts as unknown: {l:#?}"
    );
    assert!(l.contains(&"2026-10 [ORGANIC_SEARCH] leads:1 mql:1 sql:1 won:1".to_string()), "{l:#?}");
    let e = stderr(&o);
    assert!(e.contains("10 rows read (10 counted), 0 skipped; 4 months written (2026-08 to 2026-11)"), "{e}");
    assert!(!e.contains("joined") && !e.contains("join `"), "no join, no join count: {e}");
}

#[test]
fn leads_and_deals_joined() {
    let o = imp(&[&fx("salesforce/leads.csv"), "--map", &fx("salesforce/map.yaml")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let l = lines(&o.stdout);
    assert!(l.contains(&"2026-09 leads:3 mql:2 opportunities:1 won:0 revenue:0 days_to_mql:7.5".to_string()), "{l:#?}");
    assert!(
        l.contains(
            &"2026-10 leads:2 mql:2 opportunities:2 won:1 revenue:12000 sales_cycle_days:47 days_to_mql:2".to_string()
        ),
        "{l:#?}"
    );
    assert!(
        l.contains(&"2026-11 leads:0 mql:0 opportunities:0 won:1 revenue:15500.5 sales_cycle_days:35".to_string()),
        "{l:#?}"
    );
    assert!(l.contains(&"2026-10 [Webinar] leads:1 mql:1 opportunities:1 won:1".to_string()), "{l:#?}");
    assert!(stderr(&o).contains("5 rows read (5 counted), join `deals`: 3 of 5 matched, 0 skipped"), "{}", stderr(&o));
}

fn scratch(files: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    let p = tmp.path().to_path_buf();
    (tmp, p)
}

#[test]
fn missing_column_names_it_and_lists_the_columns() {
    let (_t, d) = scratch(&[
        ("a.csv", "id,created,mql\n1,2026-10-01,\n"),
        ("m.yaml", "stages:\n  leads: created\n  mql: mql_date\n"),
    ]);
    let o = imp(&[d.join("a.csv").to_str().unwrap(), "--map", d.join("m.yaml").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("error: no column `mql_date` (the date of stage `mql`) in the CSV"), "{e}");
    assert!(e.contains("m.yaml:3:8"), "{e}");
    assert!(e.contains("has the columns `id`, `created`, `mql`"), "{e}");
}

#[test]
fn unreadable_dates_fail_unless_skipped() {
    let csv = "id,created,mql\n1,2026-10-01,2026-10-03\n2,next week,\n3,2026-10-05,2026-13-01\n";
    let (_t, d) = scratch(&[("a.csv", csv), ("m.yaml", "stages: {leads: created, mql: mql}\n")]);
    let (a, m) = (d.join("a.csv"), d.join("m.yaml"));
    let o = imp(&[a.to_str().unwrap(), "--map", m.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("unreadable date `next week` in column `created` (stage `leads`)"), "{e}");
    assert!(e.contains("a.csv:3:1"), "{e}");
    assert!(e.contains("a.csv:4:1"), "{e}");
    let o = imp(&[a.to_str().unwrap(), "--map", m.to_str().unwrap(), "--skip-bad-rows"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(lines(&o.stdout), vec!["2026-10 leads:1 mql:1 sales_cycle_days:2 days_to_mql:2"]);
    assert!(stderr(&o).contains("3 rows read (1 counted), 2 skipped"), "{}", stderr(&o));
}

#[test]
fn duplicate_join_keys_name_both_lines() {
    let (_t, d) = scratch(&[
        ("leads.csv", "key,created\nA,2026-10-01\n"),
        ("deals.csv", "key,won\nA,2026-10-09\nB,2026-10-10\nA,2026-10-11\n"),
        ("m.yaml", "stages: {leads: created, won: won}\njoin: {csv: deals.csv, on: key}\n"),
    ]);
    let o = imp(&[d.join("leads.csv").to_str().unwrap(), "--map", d.join("m.yaml").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("key `A` appears twice in the joined file: lines 2 and 4"), "{e}");
    assert!(e.contains("deals.csv:4:1"), "{e}");
}

#[test]
fn negative_durations_warn_with_both_lines_and_are_left_out() {
    let (_t, d) = scratch(&[
        ("leads.csv", "key,created\nA,2026-10-20\nB,2026-10-01\n"),
        ("deals.csv", "key,won\nB,2026-10-11\nA,2026-10-09\n"),
        ("m.yaml", "stages: {leads: created, won: won}\njoin: {csv: deals.csv, on: key}\n"),
    ]);
    let o = imp(&[d.join("leads.csv").to_str().unwrap(), "--map", d.join("m.yaml").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("warning: stage `won` (2026-10-09) is before stage `leads` (2026-10-20)"), "{e}");
    assert!(e.contains("leads.csv:2 and ") && e.contains("deals.csv:3"), "{e}");
    assert_eq!(lines(&o.stdout), vec!["2026-10 leads:2 won:2 sales_cycle_days:10"], "only B's 10 days count");
}

#[test]
fn output_file_is_never_overwritten_without_force() {
    let (_t, d) =
        scratch(&[("a.csv", "created\n2026-10-01\n"), ("m.yaml", "stages: {leads: created}\n"), ("out.yaml", "keep")]);
    let (a, m, out) = (d.join("a.csv"), d.join("m.yaml"), d.join("out.yaml"));
    let o = imp(&[a.to_str().unwrap(), "--map", m.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep");
    let o = imp(&[a.to_str().unwrap(), "--map", m.to_str().unwrap(), "--output", out.to_str().unwrap(), "--force"]);
    assert!(o.status.success());
    assert_eq!(lines(&std::fs::read(&out).unwrap()), vec!["2026-10 leads:1"]);
}

#[test]
fn imported_file_passes_check_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    std::fs::create_dir_all(root.join("content/funnel")).unwrap();
    std::fs::write(root.join("content/site.yaml"), "stages: [leads, mql, sql, won]\n").unwrap();
    let out = root.join("content/funnel/hubspot.yaml");
    let o = imp(&[&fx("hubspot/contacts.csv"), "--map", &fx("hubspot/map.yaml"), "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let site = tmp.path().join("site");
    let o = run(&["build", "--root", root.to_str().unwrap(), "--output", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_slice(&std::fs::read(site.join("data/2026-10.json")).unwrap()).unwrap();
    assert_eq!(j["stages"]["won"], 3);
    assert_eq!(j["sales_cycle_days"], 41.0);
    assert_eq!(j["days_to_mql"], 2.5);
}

#[test]
fn line_numbers_are_physical_for_crlf_and_cr_files() {
    // Row 3 has a quoted note over two lines; the bad date is on physical line 5.
    for nl in ["\r\n", "\r", "\n"] {
        let csv = format!("id,created{nl}1,2026-10-01{nl}2,\"2026-10-02\"{nl}{nl}3,2026-13-45{nl}");
        let csv = csv.replace("2,\"2026-10-02\"", &format!("2,2026-10-02{nl}9,\"a{nl}b\""));
        let (_t, d) = scratch(&[("a.csv", &csv), ("m.yaml", "stages: {leads: created}\n")]);
        let o = imp(&[d.join("a.csv").to_str().unwrap(), "--map", d.join("m.yaml").to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{nl:?}");
        let e = stderr(&o);
        assert!(e.contains("a.csv:7:1"), "line ending {nl:?}: {e}");
    }
}

#[test]
fn oversized_rows_and_header_cells_are_refused_with_their_line() {
    let big = "x".repeat((1 << 20) + 10);
    for (name, csv, line) in [
        ("row.csv", format!("id,created\n1,2026-10-01\n2,\"{big}\"\n"), 3),
        ("head.csv", format!("id,\"{big}\"\n1,2026-10-01\n"), 1),
    ] {
        let (_t, d) = scratch(&[(name, &csv), ("m.yaml", "stages: {leads: created}\n")]);
        let o = imp(&[d.join(name).to_str().unwrap(), "--map", d.join("m.yaml").to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        let e = stderr(&o);
        assert!(e.contains("this row is over 1 MiB") && e.contains(&format!("{name}:{line}:1")), "{e}");
    }
}

#[cfg(unix)]
#[test]
fn output_never_writes_through_a_symlink_at_a_temporary_name() {
    let (_t, d) =
        scratch(&[("a.csv", "created\n2026-10-01\n"), ("m.yaml", "stages: {leads: created}\n"), ("victim", "safe")]);
    // The name the old code used for its temporary file, and a few likely others.
    for name in [".out.yaml.smarketing-tmp", ".out.yaml.tmp", "out.yaml.tmp"] {
        std::os::unix::fs::symlink(d.join("victim"), d.join(name)).unwrap();
    }
    let out = d.join("out.yaml");
    let o = imp(&[
        d.join("a.csv").to_str().unwrap(),
        "--map",
        d.join("m.yaml").to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(d.join("victim")).unwrap(), "safe");
    assert_eq!(lines(&std::fs::read(&out).unwrap()), vec!["2026-10 leads:1"]);
    assert!(!std::fs::symlink_metadata(&out).unwrap().file_type().is_symlink());
    // Nothing else was left beside the output.
    let names: Vec<String> =
        std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert_eq!(names.len(), 7, "{names:?}");
    // A symlink at the output itself is refused without --force, and replaced (not followed) with it.
    std::fs::remove_file(&out).unwrap();
    std::os::unix::fs::symlink(d.join("victim"), &out).unwrap();
    let o = imp(&[
        d.join("a.csv").to_str().unwrap(),
        "--map",
        d.join("m.yaml").to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    let o = imp(&[
        d.join("a.csv").to_str().unwrap(),
        "--map",
        d.join("m.yaml").to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(d.join("victim")).unwrap(), "safe");
    assert!(!std::fs::symlink_metadata(&out).unwrap().file_type().is_symlink());
}
