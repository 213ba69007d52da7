//! Integration tests of `smarketing import`: realistic CRM exports with counts, channels and
//! medians worked out by hand, every bad-input rule, and a round trip into a report.

use crate::common::*;

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
    // Each channel's revenue beside its counts: Webinar's won deals are October's and November's.
    assert!(l.contains(&"2026-10 [Webinar] leads:1 mql:1 opportunities:1 won:1 revenue:12000".to_string()), "{l:#?}");
    assert!(l.contains(&"2026-11 [Webinar] leads:0 mql:0 opportunities:0 won:1 revenue:15500.5".to_string()), "{l:#?}");
    assert!(l.contains(&"2026-10 [Organic] leads:0 mql:0 opportunities:1 won:0 revenue:0".to_string()), "{l:#?}");
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
fn missing_map_and_csv_are_both_named_with_what_to_check() {
    let (_t, d) = scratch(&[("m.yaml", "stages:\n  leads: created\n")]);
    let (csv, map) = (d.join("nofile.csv"), d.join("nomap.yaml"));
    let o = imp(&[csv.to_str().unwrap(), "--map", map.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("nomap.yaml:1:1\n  = help: check the file's name and folder: nothing is there"), "{e}");
    assert!(e.contains("nofile.csv:1:1\n  = help: check the path: a CSV named on the command line is found from the current folder"), "{e}");
    assert!(e.contains("import: 2 errors; nothing was written"), "{e}");
    // With the map found, the CSV's hint does not speak of paths relative to the map.
    let o = imp(&[csv.to_str().unwrap(), "--map", d.join("m.yaml").to_str().unwrap()]);
    let e = stderr(&o);
    assert!(e.contains("found from the current folder") && !e.contains("relative to the map"), "{e}");
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
    // At the cell: `next week` starts in column 3, `2026-13-01` in column 14.
    assert!(e.contains("a.csv:3:3"), "{e}");
    assert!(e.contains("a.csv:4:14"), "{e}");
    let o = imp(&[a.to_str().unwrap(), "--map", m.to_str().unwrap(), "--skip-bad-rows"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(lines(&o.stdout), vec!["2026-10 leads:1 mql:1 sales_cycle_days:2 days_to_mql:2"]);
    assert!(stderr(&o).contains("3 rows read (1 counted), 2 skipped"), "{}", stderr(&o));
}

/// A bad value is reported at its cell's line and column (in characters), past quoted cells
/// holding commas, doubled quotes and non-ASCII letters, in the main and in a joined file.
#[test]
fn row_diagnostics_point_at_the_cell() {
    let csv = "id,name,created,amount\n1,\"Müller, Jörg\",2026-10-01,\"1,000\"\n2,\"A \"\"quoted\"\" name\",someday,5\n3,x,2026-10-02,lots\n";
    let deals = "deal,lead\nD1,1\nD2,\"été\"\nD3,1\n";
    let map = "stages: {leads: created}\namount: amount\n";
    let join = "join: {csv: deals.csv, on: {left: id, right: lead}}\n";
    let (_t, d) =
        scratch(&[("a.csv", csv), ("deals.csv", deals), ("m.yaml", map), ("j.yaml", &format!("{map}{join}"))]);
    let import = |map: &str| imp(&[d.join("a.csv").to_str().unwrap(), "--map", d.join(map).to_str().unwrap()]);
    let o = import("m.yaml");
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    // `2,"A ""quoted"" name",`: 22 characters, so `someday` starts in column 23.
    assert!(e.contains("unreadable date `someday`") && e.contains("a.csv:3:23"), "{e}");
    // `3,x,2026-10-02,`: `lots` starts in column 16.
    assert!(e.contains("unreadable amount `lots`") && e.contains("a.csv:4:16"), "{e}");
    // The repeated join key `1` on line 4 of deals.csv is its second cell, column 4.
    let o = import("j.yaml");
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("key `1` appears twice") && e.contains("deals.csv:4:4"), "{e}");
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
        assert!(e.contains("a.csv:7:3"), "line ending {nl:?}: {e}");
    }
}

#[test]
fn oversized_rows_and_header_cells_are_refused_with_their_line() {
    let big = "x".repeat((1 << 20) + 10);
    // At the cell that is too long: line 3 column 3, line 1 column 4.
    for (name, csv, line) in [
        ("row.csv", format!("id,created\n1,2026-10-01\n2,\"{big}\"\n"), "3:3"),
        ("head.csv", format!("id,\"{big}\"\n1,2026-10-01\n"), "1:4"),
    ] {
        let (_t, d) = scratch(&[(name, &csv), ("m.yaml", "stages: {leads: created}\n")]);
        let o = imp(&[d.join(name).to_str().unwrap(), "--map", d.join("m.yaml").to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        let e = stderr(&o);
        assert!(e.contains("this row is over 1 MiB") && e.contains(&format!("{name}:{line}\n")), "{e}");
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

/// Runs the import on files written into a temporary folder; returns the output.
fn imp_in(files: &[(&str, &str)], args: &[&str]) -> (std::process::Output, tempfile::TempDir) {
    let (t, d) = scratch(files);
    let csv = d.join(files[0].0);
    let map = d.join("m.yaml");
    let mut a = vec![csv.to_str().unwrap().to_string(), "--map".into(), map.to_str().unwrap().to_string()];
    a.extend(args.iter().map(|s| s.to_string()));
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    (imp(&a), t)
}

/// One import case of the table below: the files (the first is the CSV given on the command
/// line; the map is always `m.yaml`), the exit status, and what standard error says with the
/// place (`file:line:column`, or `file:line` alone) it says it at.
struct Case {
    /// What the case shows, shown when it fails.
    why: &'static str,
    files: &'static [(&'static str, &'static str)],
    code: i32,
    /// (words, place) pairs standard error must hold; the place may be "" when the words alone
    /// are the point.
    says: &'static [(&'static str, &'static str)],
    /// The funnel written, one line per month (see [`lines`]); `None` when nothing is written.
    writes: Option<&'static [&'static str]>,
}

const CASES: &[Case] = &[
    Case {
        why: "a column the map names that the CSV lacks is named, at the map's line, with the columns there are",
        files: &[("a.csv", "id,created,mql\n1,2026-10-01,\n"), ("m.yaml", "stages:\n  leads: created\n  mql: mql_date\n")],
        code: 1,
        says: &[
            ("error: no column `mql_date` (the date of stage `mql`) in the CSV", "m.yaml:3:8"),
            ("has the columns `id`, `created`, `mql`", ""),
        ],
        writes: None,
    },
    Case {
        why: "a key repeated in a joined file names both lines, at the second",
        files: &[
            ("leads.csv", "key,created\nA,2026-10-01\n"),
            ("deals.csv", "key,won\nA,2026-10-09\nB,2026-10-10\nA,2026-10-11\n"),
            ("m.yaml", "stages: {leads: created, won: won}\njoin: {csv: deals.csv, on: key}\n"),
        ],
        code: 1,
        says: &[("key `A` appears twice in the joined file: lines 2 and 4", "deals.csv:4:1")],
        writes: None,
    },
    Case {
        why: "a stage dated before an earlier stage is a warning naming both lines, and only the other deal's 10 days count",
        files: &[
            ("leads.csv", "key,created\nA,2026-10-20\nB,2026-10-01\n"),
            ("deals.csv", "key,won\nB,2026-10-11\nA,2026-10-09\n"),
            ("m.yaml", "stages: {leads: created, won: won}\njoin: {csv: deals.csv, on: key}\n"),
        ],
        code: 0,
        says: &[
            ("warning: stage `won` (2026-10-09) is before stage `leads` (2026-10-20)", ""),
            ("leads.csv:2 and ", ""),
            ("", "deals.csv:3"),
        ],
        writes: Some(&["2026-10 leads:2 won:2 sales_cycle_days:10"]),
    },
    Case {
        why: "a date format without a day, a misspelt join key and a bad decimal mark: all three at their lines at once",
        files: &[
            ("a.csv", "id,created\n1,2024-01-01\n"),
            ("b.csv", "id\n1\n"),
            (
                "m.yaml",
                "stages: {leads: created}\ndate_format: \"%m/%Y\"\njoin:\n  - {csv: b.csv, on: {left: id, rigth: id}}\ndecimal: \";\"\n",
            ),
        ],
        code: 1,
        says: &[
            ("the date format `%m/%Y` does not name a year, a month and a day", "m.yaml:2:14"),
            ("unknown field `rigth` in join key", "m.yaml:4:33"),
            ("did you mean `right`?", ""),
            ("the decimal mark must be", "m.yaml:5:10"),
        ],
        writes: None,
    },
];

/// The cases of [`CASES`], each on files of its own: the exit status, every (words, place)
/// pair on standard error, and the funnel written.
#[test]
fn import_cases() {
    for c in CASES {
        let (o, _t) = imp_in(c.files, &[]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(c.code), "{}: {e}", c.why);
        for (words, place) in c.says {
            assert!(e.contains(words) && e.contains(place), "{}: expected `{words}` at `{place}`:\n{e}", c.why);
        }
        match c.writes {
            Some(want) => {
                assert_eq!(lines(&o.stdout), want.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{}", c.why)
            }
            None => assert!(o.stdout.is_empty(), "{}: nothing is written", c.why),
        }
    }
}

/// A sales-pipeline export with a status column (the shape of the public "CRM sales
/// opportunities" data set): lost deals have a close date too, so `won: close_date` would
/// count them; `when` on the status column leaves them out.
#[test]
fn status_column_counts_only_won_deals() {
    let csv = "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n\
        1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054\n\
        Z063OYW0,Darcel Schlecht,GTXPro,Isdom,Won,2016-10-25,2017-03-11,4514\n\
        EC4QE1BX,Darcel Schlecht,MG Special,Cancity,Lost,2016-10-25,2017-03-07,0\n\
        MV1LWRNH,Moses Frase,GTX Basic,Codehow,Won,2016-11-01,2017-03-19,601\n\
        PE84CX4O,Zane Levy,GTX Basic,Hatfan,Engaging,2016-11-03,,\n\
        ZNBS69V1,Anna Snelling,MG Special,Ron-tech,Lost,2016-11-05,2017-04-02,\n\
        9ME3374G,Vicki Laflamme,MG Special,J-Texon,Won,2017-03-02,2017-04-10,50\n\
        7GN8Q4LL,Markita Hansen,GTX Basic,Cheers, won ,2017-03-05,2017-04-20,1200.5\n";
    let map = "stages:\n  opportunities: engage_date\n  won: {date: close_date, when: {deal_stage: Won}}\namount: close_value\n";
    let (o, _t) = imp_in(&[("pipeline.csv", csv), ("m.yaml", map)], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Won: rows 1, 2, 4 close in March 2017 (cycles 132, 137, 138 days), rows 7 and 8 in
    // April (39 and 46). The lost rows 3 and 6 have close dates and must not count.
    assert_eq!(
        lines(&o.stdout),
        vec![
            "2016-10 opportunities:3 won:0 revenue:0",
            "2016-11 opportunities:3 won:0 revenue:0",
            "2017-03 opportunities:2 won:3 revenue:6169 sales_cycle_days:137",
            "2017-04 opportunities:0 won:2 revenue:1250.5 sales_cycle_days:42.5",
        ]
    );
    let e = stderr(&o);
    assert!(e.contains("8 rows read (8 counted), `when` left out 2 rows dated at `won`, 0 skipped"), "{e}");
}

/// A Salesforce opportunity report: `M/D/YYYY` dates, CRLF line endings, `$12,000.00`
/// amounts, and flags (`TRUE`, `true`, `1`) saying which deals are closed and won, while
/// open deals carry an expected close date.
#[test]
fn salesforce_report_with_flags_and_us_dates() {
    let csv = "Opportunity ID,Opportunity Name,Stage,Amount,Close Date,Created Date,IsWon,IsClosed\r\n\
        006A1,Acme renewal,Closed Won,\"$12,000.00\",1/15/2024,11/20/2023,TRUE,TRUE\r\n\
        006A2,Globex pilot,Closed Lost,\"$5,000.00\",1/22/2024,12/5/2023,FALSE,TRUE\r\n\
        006A3,Initech,Negotiation,\"$8,000.00\",2/28/2024,1/3/2024,FALSE,FALSE\r\n\
        006A4,Umbrella,Closed Won,\"$3,500.50\",2/13/2024,1/9/2024,true,true\r\n\
        006A5,Hooli,Prospecting,,3/31/2024,1/30/2024,false,\r\n\
        006A6,Stark,Closed Won,\"$1,000.00\",2/2/2024,2/1/2024,1,1\r\n";
    let map = "stages:\n  opportunities: Created Date\n  closed: {date: Close Date, when: {IsClosed: yes}}\n  won: {date: Close Date, when: {IsWon: true, IsClosed: \"1\"}}\namount: Amount\n";
    let (o, _t) = imp_in(&[("report.csv", csv), ("m.yaml", map)], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Cycles: 006A1 11/20 -> 1/15 = 56 days; 006A4 1/9 -> 2/13 = 35, 006A6 2/1 -> 2/2 = 1.
    assert_eq!(
        lines(&o.stdout),
        vec![
            "2023-11 opportunities:1 closed:0 won:0 revenue:0",
            "2023-12 opportunities:1 closed:0 won:0 revenue:0",
            "2024-01 opportunities:3 closed:2 won:1 revenue:12000 sales_cycle_days:56",
            "2024-02 opportunities:1 closed:2 won:2 revenue:4500.5 sales_cycle_days:18",
        ]
    );
}

#[test]
fn ambiguous_day_month_order_fails_and_date_format_settles_it() {
    let csv = "id,created\n1,01/05/24\n2,02/03/24\n3,\n";
    let (o, _t) = imp_in(&[("a.csv", csv), ("m.yaml", "stages: {leads: created}\n")], &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("the dates in column `created` fit both month-first and day-first"), "{e}");
    assert!(e.contains("`01/05/24`") && e.contains("a.csv:2"), "{e}");
    assert!(e.contains("date_format: \"%m/%d/%y\"") && e.contains("date_format: \"%d/%m/%y\""), "{e}");
    assert_eq!(o.stdout, b"");
    let (o, _t) = imp_in(&[("a.csv", csv), ("m.yaml", "stages: {leads: created}\ndate_format: \"%d/%m/%y\"\n")], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(lines(&o.stdout), vec!["2024-03 leads:1", "2024-05 leads:1"]);
    // One value past 12 settles the column: DD-MM-YY as users re-save it.
    let csv = "id,created\n1,05-01-24\n2,25-01-24\n3,03-02-24 10:00\n";
    let (o, _t) = imp_in(&[("a.csv", csv), ("m.yaml", "stages: {leads: created}\n")], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(lines(&o.stdout), vec!["2024-01 leads:2", "2024-02 leads:1"]);
}

#[test]
fn every_documented_date_form_is_read() {
    let csv = "id,created\n\
        1,2024-01-05\n2,2024-01-06 10:00:00 UTC\n3,2024-01-07T08:00:00+02:00\n4,2024/01/08\n\
        5,1/25/2024\n6,1/9/24\n7,\"Jan 10, 2024\"\n8,1/11/2024 8:55 PM\n9,2/1/2024 08:55:00 am\n";
    let (o, _t) = imp_in(&[("a.csv", csv), ("m.yaml", "stages: {leads: created}\n")], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(lines(&o.stdout), vec!["2024-01 leads:8", "2024-02 leads:1"]);
    let csv = "id,created\n1,5.1.2024\n2,25.1.2024\n3,1.2.69\n";
    let (o, _t) = imp_in(&[("a.csv", csv), ("m.yaml", "stages: {leads: created}\n")], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(lines(&o.stdout), vec!["1969-02 leads:1", "2024-01 leads:2"]);
}

#[test]
fn a_column_of_unreadable_dates_is_one_error_and_many_bad_dates_are_counted() {
    let mut csv = String::from("id,created\n");
    for i in 0..500 {
        csv.push_str(&format!("{i},someday {i}\n"));
    }
    let (o, _t) = imp_in(&[("a.csv", &csv), ("m.yaml", "stages: {leads: created}\n")], &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert_eq!(e.matches("error:").count(), 1, "{e}");
    assert!(
        e.contains("no value in column `created` reads as a date (500 values, e.g. `someday 0` (")
            && e.contains("`someday 1`"),
        "{e}"
    );
    assert!(e.contains("date_format"), "{e}");
    // Readable dates with 30 bad ones: 20 shown, the rest counted in one line.
    let mut csv = String::from("id,created\n1,2024-01-05\n");
    for i in 0..30 {
        csv.push_str(&format!("{i},2024-02-3{}\n", i % 10));
    }
    let (o, _t) = imp_in(&[("a.csv", &csv), ("m.yaml", "stages: {leads: created}\n")], &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert_eq!(e.matches("error: unreadable date").count(), 20, "{e}");
    assert!(e.contains("10 more errors like the ones above (unreadable dates in column `created`), 30 in all"), "{e}");
}

#[test]
fn amounts_with_a_comma_decimal_mark_are_never_misread() {
    let csv = "id,won,amount\n1,2024-01-05,\"1.054,00\"\n2,2024-01-06,\"1054,50\"\n3,2024-01-07,\"1 054,00\"\n";
    let (o, _t) = imp_in(&[("a.csv", csv), ("m.yaml", "stages: {won: won}\namount: amount\n")], &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("amount `1.054,00` in column `amount` only reads with `,` as the decimal mark"), "{e}");
    assert!(e.contains("a.csv:2:1") && e.contains("a.csv:3:1") && e.contains("a.csv:4:1"), "{e}");
    assert!(e.contains("add `decimal: \",\"` to the map"), "{e}");
    let csv = "id,won,amount\n1,2024-01-05,\"1.054,00\"\n2,2024-01-06,\"€1.054,00\"\n3,2024-01-07,\"1 054,00\"\n4,2024-01-08,\"1054,5\"\n5,2024-02-01,\"-200,25\"\n6,2024-02-02,\n";
    let (o, _t) = imp_in(&[("a.csv", csv), ("m.yaml", "stages: {won: won}\namount: amount\ndecimal: \",\"\n")], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(lines(&o.stdout), vec!["2024-01 won:4 revenue:4216.5", "2024-02 won:2 revenue:-200.25"]);
    let e = stderr(&o);
    assert!(e.contains("warning: negative amount `-200,25`") && e.contains("a.csv:6:1"), "{e}");
}

#[test]
fn skipping_every_row_fails_instead_of_writing_an_empty_funnel() {
    let csv = "id,created\n1,next week\n2,tbd\n";
    let (t, d) = scratch(&[("a.csv", csv), ("m.yaml", "stages: {leads: created}\n")]);
    let out = d.join("funnel.yaml");
    let o = imp(&[
        d.join("a.csv").to_str().unwrap(),
        "--map",
        d.join("m.yaml").to_str().unwrap(),
        "--skip-bad-rows",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!out.exists());
    // Readable dates, but every row has an unreadable amount and is skipped.
    std::fs::write(d.join("a.csv"), "id,won,amount\n1,2024-01-05,lots\n2,2024-01-06,many\n").unwrap();
    std::fs::write(d.join("m.yaml"), "stages: {won: won}\namount: amount\n").unwrap();
    let o = imp(&[d.join("a.csv").to_str().unwrap(), "--map", d.join("m.yaml").to_str().unwrap(), "--skip-bad-rows"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("no row is left to count: all 2 rows with a value were skipped"), "{}", stderr(&o));
    assert_eq!(o.stdout, b"");
    drop(t);
}

#[test]
fn joins_that_match_nothing_or_little_warn() {
    let mut leads = String::from("id,created\n");
    let mut deals = String::from("lead,won\n");
    for i in 0..20 {
        leads.push_str(&format!("L{i},2024-01-{:02}\n", i + 1));
    }
    deals.push_str("L3,2024-02-01\nX9,2024-02-02\n");
    let map = "stages: {leads: created, won: deals.won}\njoin: {csv: deals.csv, on: {left: id, right: lead}}\n";
    let (o, _t) = imp_in(&[("leads.csv", &leads), ("deals.csv", &deals), ("m.yaml", map)], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("warning: join `deals` matched only 1 of 20 rows with a `id` key (under 10%)"), "{e}");
    assert!(e.contains("m.yaml:2:"), "{e}");
    let deals = "lead,won\nl3,2024-02-01\n";
    let (o, _t) = imp_in(&[("leads.csv", &leads), ("deals.csv", deals), ("m.yaml", map)], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: join `deals` matched no row (20 rows with a `id` key)"), "{}", stderr(&o));
}

/// Leads -> contacts -> opportunities, as an analytics team's seeds are: two hops, each with
/// its own key names, columns named by alias.
#[test]
fn two_joins_with_different_key_names() {
    let leads = "id,created_at,source\nL1,2024-01-03,web\nL2,2024-01-10,event\nL3,2024-01-20,web\nL4,2024-02-02,web\n";
    let contacts = "contact_id,lead_id,converted_at,account_id\nC1,L1,2024-01-05,A1\nC2,L2,2024-01-15,A2\nC3,L4,2024-02-04,A3\nC4,L9,2024-02-05,A9\n";
    let opps = "opp_id,account_id,created,close_date,is_won,amount\nO1,A1,2024-01-10,2024-02-10,true,1000\nO2,A2,2024-01-20,2024-02-01,false,500\nO3,A3,2024-02-10,2024-03-01,true,2500\n";
    let map = "stages:\n  leads: created_at\n  contacts: contacts.converted_at\n  opportunities: opp.created\n  won: {date: opp.close_date, when: {opp.is_won: true}}\n\
        channel: source\namount: opp.amount\n\
        join:\n  - {csv: contacts.csv, on: {left: id, right: lead_id}}\n  - {csv: opportunities.csv, as: opp, on: {left: contacts.account_id, right: account_id}}\n";
    let files = [("leads.csv", leads), ("contacts.csv", contacts), ("opportunities.csv", opps), ("m.yaml", map)];
    let (o, _t) = imp_in(&files, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // L1 -> C1 -> O1 won 2024-02-10 (38 days after 2024-01-03); L4 -> C3 -> O3 won 2024-03-01
    // (28 days after 2024-02-02); L2's O2 is not won; L3 has no contact.
    assert_eq!(
        lines(&o.stdout),
        vec![
            "2024-01 leads:3 contacts:2 opportunities:2 won:0 revenue:0",
            "2024-01 [event] leads:1 contacts:1 opportunities:1 won:0 revenue:0",
            "2024-01 [web] leads:2 contacts:1 opportunities:1 won:0 revenue:0",
            "2024-02 leads:1 contacts:1 opportunities:1 won:1 revenue:1000 sales_cycle_days:38",
            "2024-02 [web] leads:1 contacts:1 opportunities:1 won:1 revenue:1000",
            "2024-03 leads:0 contacts:0 opportunities:0 won:1 revenue:2500 sales_cycle_days:28",
            "2024-03 [web] leads:0 contacts:0 opportunities:0 won:1 revenue:2500",
        ]
    );
    let e = stderr(&o);
    assert!(e.contains("join `contacts`: 3 of 4 matched, join `opp`: 3 of 3 matched"), "{e}");
    // A bare name two joined files have is an error asking for ALIAS.NAME, at its line.
    let map2 = map.replace("opp.created", "account_id");
    let files =
        [("leads.csv", leads), ("contacts.csv", contacts), ("opportunities.csv", opps), ("m.yaml", map2.as_str())];
    let (o, _t) = imp_in(&files, &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("m.yaml:4:18") && e.contains("write `contacts.account_id` or `opp.account_id`"), "{e}");
}

#[test]
fn unique_counts_a_repeated_deal_once_and_names_both_lines() {
    let csv = "Deal ID,Create Date,Close Date\r\nD1,2024-01-05,2024-02-01\r\nD2,2024-01-06,\r\nD1,2024-01-05,2024-02-01\r\n D2 ,2024-01-09,\r\n,2024-01-10,\r\n,2024-01-11,\r\n";
    let map = "stages: {leads: Create Date, won: Close Date}\nunique: Deal ID\n";
    let (o, _t) = imp_in(&[("a.csv", csv), ("m.yaml", map)], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // D1 and D2 once each; the two blank ids are never repeats.
    assert_eq!(lines(&o.stdout), vec!["2024-01 leads:4 won:0", "2024-02 leads:0 won:1 sales_cycle_days:27"]);
    let e = stderr(&o);
    assert!(
        e.contains("`Deal ID` `D1` repeats line 2: this row (line 4) is left out") && e.contains("a.csv:4:1"),
        "{e}"
    );
    assert!(e.contains("`Deal ID` `D2` repeats line 3: this row (line 5)"), "{e}");
    assert!(e.contains("unique `Deal ID`: 2 repeated rows left out"), "{e}");
}

#[test]
fn from_and_to_cut_months_without_changing_the_others() {
    let csv =
        "id,created,won\n1,2024-01-30,2024-02-03\n2,2024-02-10,2024-03-12\n3,2024-03-01,2024-04-01\n4,2024-04-02,\n";
    let map = "stages: {leads: created, won: won}\n";
    let (full, _t) = imp_in(&[("a.csv", csv), ("m.yaml", map)], &[]);
    assert!(full.status.success());
    let full = lines(&full.stdout);
    assert_eq!(full.len(), 4);
    let (cut, _t) = imp_in(&[("a.csv", csv), ("m.yaml", &format!("{map}from: 2024-02\nto: \"2024-03\"\n"))], &[]);
    assert!(cut.status.success(), "{}", stderr(&cut));
    assert_eq!(lines(&cut.stdout), full[1..3].to_vec());
    assert!(stderr(&cut).contains("from/to: 2 months left out"), "{}", stderr(&cut));
}

/// A Salesforce OpportunityHistory export: one row per stage change. A deal won and then
/// lost is not won; amount comes from the deal's latest row; rows may come in any order.
#[test]
fn stage_history_events() {
    let csv = "OpportunityId,StageName,CreatedDate,Amount\n\
        O1,Prospecting,2024-01-03T10:00:00.000+0000,800\n\
        O1,Negotiation,2024-01-20T10:00:00.000+0000,900\n\
        O2,Prospecting,2024-01-10T09:00:00.000+0000,400\n\
        O3,Closed Won,2024-03-01T09:00:00.000+0000,700\n\
        O1,Closed Won,2024-02-05T11:00:00.000+0000,1000\n\
        O2,Closed Won,2024-02-01T09:00:00.000+0000,400\n\
        O2,Closed Lost,2024-02-15T09:00:00.000+0000,0\n\
        O3,Prospecting,2024-02-02T09:00:00.000+0000,650\n";
    let map = "events: {id: OpportunityId, stage: StageName, date: CreatedDate}\nstages: {opportunities: Prospecting, won: [Closed Won]}\namount: Amount\n";
    let (o, _t) = imp_in(&[("history.csv", csv), ("m.yaml", map)], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // O1 won 2024-02-05, 33 days after 2024-01-03, 1000 from its latest row; O2 was won and
    // then lost; O3 won 2024-03-01, 28 days after 2024-02-02, 700 from its latest row.
    assert_eq!(
        lines(&o.stdout),
        vec![
            "2024-01 opportunities:2 won:0 revenue:0",
            "2024-02 opportunities:1 won:1 revenue:1000 sales_cycle_days:33",
            "2024-03 opportunities:0 won:1 revenue:700 sales_cycle_days:28",
        ]
    );
    assert!(stderr(&o).contains("8 rows read (3 ids, 3 counted)"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    // A stage value no row holds (the CRM writes `Closed Won`) would leave won at 0 in every
    // month with exit 0: a warning at the value, naming what the column holds and the closest.
    let typo = map.replace("won: [Closed Won]", "won: [Closed-Won]");
    let (o, _t) = imp_in(&[("history.csv", csv), ("m.yaml", &typo)], &[]);
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    assert!(
        e.contains("warning: no row has `StageName` = `Closed-Won`; the column holds Closed Won (3), Prospecting (3), Closed Lost (1), Negotiation (1)\n --> "),
        "{e}"
    );
    assert!(e.contains("m.yaml:2:43") && e.contains("e.g. `won: [Closed Won]`"), "{e}");
    let (o, _t) = imp_in(&[("history.csv", csv), ("m.yaml", &format!("{map}unique: OpportunityId\n"))], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("`unique` cannot be used with `events`") && stderr(&o).contains("m.yaml:4:1"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn cycle_chooses_what_sales_cycle_days_measures() {
    let csv = "id,lead,opp,won\n1,2024-01-01,2024-01-11,2024-01-31\n2,2024-01-02,2024-01-05,2024-01-09\n";
    let map = "stages: {leads: lead, opportunities: opp, won: won}\n";
    let (o, _t) = imp_in(&[("a.csv", csv), ("m.yaml", map)], &[]);
    assert_eq!(lines(&o.stdout), vec!["2024-01 leads:2 opportunities:2 won:2 sales_cycle_days:18.5"]);
    let (o, _t) =
        imp_in(&[("a.csv", csv), ("m.yaml", &format!("{map}cycle: {{from: opportunities, to: won}}\n"))], &[]);
    assert_eq!(lines(&o.stdout), vec!["2024-01 leads:2 opportunities:2 won:2 sales_cycle_days:12"]);
}

#[test]
fn output_bytes_are_stable_and_exact() {
    let csv = "id,created,won,source,amount\n2,2024-02-03,2024-02-20,Paid: search,10.25\n1,2024-01-05,,yes,\n3,2024-02-04,,,\n";
    let map = "stages: {leads: created, won: won}\nchannel: source\namount: amount\n";
    let (a, _t) = imp_in(&[("a.csv", csv), ("m.yaml", map)], &[]);
    let (b, _t2) = imp_in(&[("a.csv", csv), ("m.yaml", map)], &[]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
    let text = String::from_utf8(a.stdout).unwrap();
    let (first, body) = text.split_once('\n').unwrap();
    // The first line names the export and the map, and carries FNV-1a 64 of the lines below.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in body.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    assert_eq!(
        first,
        format!("# Written by `smarketing import` from a.csv with m.yaml (3 rows); checksum fnv1a64:{h:016x} of the lines below: re-run the import instead of editing them.")
    );
    assert_eq!(
        body,
        "- month: 2024-01\n  stages:\n    leads: 1\n    won: 0\n  revenue: 0\n  by_channel:\n    yes:\n      leads: 1\n      won: 0\n      revenue: 0\n\
         - month: 2024-02\n  stages:\n    leads: 2\n    won: 1\n  revenue: 10.25\n  sales_cycle_days: 17\n  by_channel:\n    'Paid: search':\n      leads: 1\n      won: 1\n      revenue: 10.25\n    unknown:\n      leads: 1\n      won: 0\n      revenue: 0\n"
    );
}

/// The example project's funnel files are exactly what importing its exports with the maps of
/// its `imports/` gives, and every other example export imports without an error.
#[test]
fn crm_import_example_is_reproducible() {
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/crm-import");
    let exports = base.join("exports");
    let path = |n: &str| exports.join(n).to_str().unwrap().to_string();
    for (csv, map, funnel) in
        [("leads.csv", "crm", "crm"), ("google-ads.csv", "google-ads", "ads"), ("finance.csv", "finance", "finance")]
    {
        let map = base.join(format!("imports/{map}.map.yaml"));
        let o = imp(&[&path(csv), "--map", map.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(!stderr(&o).contains("warning"), "{csv}: {}", stderr(&o));
        assert_eq!(
            String::from_utf8(o.stdout).unwrap(),
            std::fs::read_to_string(base.join(format!("content/funnel/{funnel}.yaml"))).unwrap(),
            "{csv}"
        );
    }
    for m in ["pipeline", "salesforce", "history"] {
        let o = imp(&[&path(&format!("{m}.csv")), "--map", &path(&format!("{m}.map.yaml"))]);
        assert!(o.status.success(), "{m}: {}", stderr(&o));
        assert!(!stderr(&o).contains("error"), "{m}: {}", stderr(&o));
    }
}

/// The recipes of docs/import.md ("Recipes") run as written: each YAML block is saved as
/// a map beside an export of its shape and imported; the figures of the three recipes whose
/// exports are small fixtures are worked out by hand (the others are checked, figure by
/// figure, by examples/crm-import/verify.py).
#[test]
fn import_recipes_run_as_written() {
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(base.join("docs/import.md")).unwrap();
    let section = doc.split("\n## Recipes\n").nth(1).unwrap().split("\n## ").next().unwrap();
    let maps: Vec<&str> = section.split("```yaml\n").skip(1).map(|b| b.split("```").next().unwrap()).collect();
    let ex = base.join("examples/crm-import/exports");
    let fx = base.join("tests/fixtures/import/recipes");
    type Case<'a> = (std::path::PathBuf, &'a [&'a str], Option<Vec<&'a str>>);
    let cases: Vec<Case> = vec![
        (ex.join("pipeline.csv"), &[], None),
        (
            fx.join("hubspot-deals.csv"),
            &[],
            // 9001 exported twice counts once; 9002 was lost; 9003 is open with a close date.
            // Cycles: 9001 01-05 -> 02-10 = 36 days, 9004 02-03 -> 02-20 = 17: median 26.5.
            Some(vec![
                "2024-01 opportunities:2 won:0 revenue:0",
                "2024-01 [Sales Pipeline] opportunities:2 won:0 revenue:0",
                "2024-02 opportunities:2 won:2 revenue:15000.5 sales_cycle_days:26.5",
                "2024-02 [Renewals] opportunities:1 won:1 revenue:3000.5",
                "2024-02 [Sales Pipeline] opportunities:1 won:1 revenue:12000",
            ]),
        ),
        (ex.join("salesforce.csv"), &[], None),
        (
            fx.join("sf-history.csv"),
            &[],
            // X1 won 02-02, 25 days after its first stage (01-08), amount 5200 from its latest
            // row; X2 won and then lost; X3 only prospecting.
            Some(vec![
                "2024-01 opportunities:2 proposals:1 won:0 revenue:0",
                "2024-02 opportunities:1 proposals:0 won:1 revenue:5200 sales_cycle_days:25",
            ]),
        ),
        (
            fx.join("pipedrive-deals.csv"),
            &[],
            // Deal 4 has a won time but is open again: not won.
            Some(vec![
                "2024-03 opportunities:3 won:1 revenue:1500 sales_cycle_days:19",
                "2024-03 [Prospector] opportunities:1 won:0 revenue:0",
                "2024-03 [Web forms] opportunities:2 won:1 revenue:1500",
                "2024-04 opportunities:1 won:0 revenue:0",
                "2024-04 [unknown] opportunities:1 won:0 revenue:0",
            ]),
        ),
        // The ad platforms' recipe: the example project's Google Ads report (its figures are
        // checked by crm_import_example_is_reproducible and verify.py).
        (ex.join("google-ads.csv"), &[], None),
        (ex.join("leads.csv"), &["contacts.csv", "opportunities.csv"], None),
    ];
    assert_eq!(maps.len(), cases.len(), "one fixture per recipe of docs/import.md");
    for (map, (csv, extra, want)) in maps.iter().zip(&cases) {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("map.yaml"), map).unwrap();
        for e in *extra {
            std::fs::copy(csv.parent().unwrap().join(e), tmp.path().join(e)).unwrap();
        }
        let o = imp(&[csv.to_str().unwrap(), "--map", tmp.path().join("map.yaml").to_str().unwrap()]);
        assert!(o.status.success(), "{map}\n{}", stderr(&o));
        assert!(!stderr(&o).contains("error"), "{map}\n{}", stderr(&o));
        if let Some(want) = want {
            assert_eq!(&lines(&o.stdout), want, "{map}");
        }
    }
}

/// With `--skip-bad-rows`, a deal of a stage history with an unreadable date is left out
/// whole: skipping only its "Closed Lost" row would make a lost deal count as won.
#[test]
fn a_skipped_stage_change_leaves_its_whole_deal_out() {
    let csv = "OpportunityId,StageName,CreatedDate\nO1,Prospecting,2024-01-03\nO1,Closed Won,2024-02-05\nO1,Closed Lost,sometime\nO2,Prospecting,2024-01-10\nO2,Closed Won,2024-02-01\n";
    let map = "events: {id: OpportunityId, stage: StageName, date: CreatedDate}\nstages: {opportunities: Prospecting, won: Closed Won}\n";
    let (o, _t) = imp_in(&[("history.csv", csv), ("m.yaml", map)], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("unreadable date `sometime` for the stage change of `O1`")
            && stderr(&o).contains("history.csv:4:1"),
        "{}",
        stderr(&o)
    );
    let (o, _t) = imp_in(&[("history.csv", csv), ("m.yaml", map)], &["--skip-bad-rows"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        lines(&o.stdout),
        vec!["2024-01 opportunities:1 won:0", "2024-02 opportunities:0 won:1 sales_cycle_days:22"]
    );
}

/// A deals export (CRLF, M/D/YYYY dates) whose `Status` says Won / Lost / Open, mapped with
/// another CRM's wording `Closed Won`: no row matches, so `won` would be 0 in every month
/// with exit 0. The import warns at the value in the map, listing what the column holds
/// (most frequent first), and still exits 0 (docs/import.md says so). A flag
/// condition (`Closed: yes` on TRUE/FALSE cells) matches its family and is no warning.
#[test]
fn a_when_value_no_row_holds_warns_with_the_values_the_column_holds() {
    let o = imp(&[&fx("status-words/deals.csv"), "--map", &fx("status-words/map.yaml")]);
    assert!(o.status.success(), "a warning, not an error: {}", stderr(&o));
    assert_eq!(
        lines(&o.stdout),
        vec![
            "2024-01 opportunities:3 closed:0 won:0 revenue:0",
            "2024-02 opportunities:3 closed:2 won:0 revenue:0",
            "2024-03 opportunities:0 closed:3 won:0 revenue:0",
        ]
    );
    let e = stderr(&o);
    assert!(
        e.contains("warning: no row has `Status` = `Closed Won`; the column holds Won (3), Lost (2), Open (1)\n"),
        "{e}"
    );
    let at = e.lines().skip_while(|l| !l.starts_with("warning: no row has")).nth(1).unwrap_or("");
    assert!(at.ends_with("status-words/map.yaml:6:42"), "the line and column of `Closed Won`: {e}");
    assert!(e.contains("e.g. `when: {Status: Won}`"), "{e}");
    assert_eq!(e.matches("no row has").count(), 1, "`Closed: yes` matches TRUE: {e}");
    assert!(e.contains("`when` left out 6 rows dated at `won`"), "{e}");

    // The hint's map counts the won deals and warns no more. Cycles: D-101 1/8 -> 2/14 = 37
    // days; D-103 1/22 -> 3/5 = 43 and D-106 2/26 -> 3/18 = 21 (2024 is a leap year) -> 32.
    let csv = std::fs::read_to_string(fx("status-words/deals.csv")).unwrap();
    let map =
        "stages:\n  opportunities: Created Date\n  won: {date: Close Date, when: {Status: Won}}\namount: Amount\n";
    let (o, _t) = imp_in(&[("deals.csv", &csv), ("m.yaml", map)], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        lines(&o.stdout),
        vec![
            "2024-01 opportunities:3 won:0 revenue:0",
            "2024-02 opportunities:3 won:1 revenue:12000 sales_cycle_days:37",
            "2024-03 opportunities:0 won:2 revenue:5500 sales_cycle_days:32",
        ]
    );
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}

/// A Salesforce report can carry two columns with one label (the opportunity's "Created Date"
/// and its account's): the map's name is then ambiguous, and the import says so instead of
/// silently reading the first one, for a main column, a joined one and a join key alike.
#[test]
fn a_column_named_twice_in_a_header_is_an_error_not_a_guess() {
    let csv = "Id,Created Date,Account,Created Date,Stage\n\
        1,2024-01-05,A1,2023-06-01,Closed Won\n\
        2,2024-02-07,A2,2023-07-01,Closed Won\n";
    let map = "stages:\n  won: Created Date\n";
    let (o, _t) = imp_in(&[("opps.csv", csv), ("m.yaml", map)], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("error: column `Created Date` (the date of stage `won`) is ambiguous: ")
            && e.contains("opps.csv has two columns named `Created Date` (columns 2 and 4)")
            && e.contains("m.yaml:2:8")
            && e.contains("rename or remove one of them in the export"),
        "{e}"
    );
    assert!(o.stdout.is_empty(), "nothing is written");

    // In a joined file: as a column the map names, and as the join's right key.
    let accounts = "Account,Segment,Account\nA1,SMB,A9\nA2,Mid,A8\n";
    let map = "stages:\n  won: {date: Created Date, when: {accounts.Segment: SMB}}\n\
        join: {csv: accounts.csv, on: Account}\n";
    let csv = "Id,Created Date,Account\n1,2024-01-05,A1\n2,2024-02-07,A2\n";
    let (o, _t) = imp_in(&[("opps.csv", csv), ("accounts.csv", accounts), ("m.yaml", map)], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("column `Account` (the right key of join `accounts`) is ambiguous: ")
            && e.contains("accounts.csv has two columns named `Account` (columns 1 and 3)"),
        "{e}"
    );
    // One column of that name in each file is no ambiguity: the main file's wins (docs/import.md).
    let (o, _t) =
        imp_in(&[("opps.csv", csv), ("accounts.csv", "Account,Segment\nA1,SMB\nA2,Mid\n"), ("m.yaml", map)], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(lines(&o.stdout), vec!["2024-01 won:1".to_string()]);
}

/// A HubSpot deals export (CRLF, `1/5/2024 10:31 AM`, `$1,234.00`, blank cells): a Closed Won
/// deal with no amount, and one with no close date, are counted as the contract says (the
/// first adds nothing to revenue, the second is not counted at `won`) but never silently:
/// each is a warning at its cell, so the team knows the month's revenue is short.
#[test]
fn won_deals_without_an_amount_or_a_close_date_are_warnings() {
    let csv = "Record ID,Deal Name,Deal Stage,Close Date,Create Date,Amount,Pipeline\r\n\
        101,Acme,Closed Won,1/15/2024,1/5/2024 10:31 AM,\"$1,234.00\",Sales Pipeline\r\n\
        102,Beta,Closed Won,1/20/2024,1/2/2024 9:00 PM,,Sales Pipeline\r\n\
        103,Gamma,Closed Won,,1/8/2024 8:15 AM,\"$5,000.00\",\r\n\
        104,Delta,Closed Lost,1/25/2024,1/9/2024 11:00 AM,,Sales Pipeline\r\n\
        105,Epsilon,Contract Sent,,1/13/2024 1:00 PM,\"$9,999.00\",Sales Pipeline\r\n";
    let map = "stages:\n  opportunities: Create Date\n  won: {date: Close Date, when: {Deal Stage: Closed Won}}\n\
        amount: Amount\nchannel: Pipeline\nunique: Record ID\n";
    let (o, _t) = imp_in(&[("deals.csv", csv), ("m.yaml", map)], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Opportunities: all five in January; won: 101 and 102 (103 has no date); revenue 1234
    // (102 has none); cycles 10 (101) and 18 (102) -> 14.
    let l = lines(&o.stdout);
    assert_eq!(l[0], "2024-01 opportunities:5 won:2 revenue:1234 sales_cycle_days:14", "{l:#?}");
    let e = stderr(&o);
    assert!(
        e.contains(
            "warning: this row is counted at `won` but its `Amount` is blank; it adds nothing to revenue\n --> "
        ) && e.contains("deals.csv:3:48"),
        "{e}"
    );
    assert!(
        e.contains(
            "warning: this row meets the `when` of stage `won` (`Deal Stage` is `Closed Won`) but its `Close Date` is blank; it is not counted at `won`\n --> "
        ) && e.contains("deals.csv:4:22"),
        "{e}"
    );
    // A lost deal without an amount, and an open deal without a close date, are no news.
    assert_eq!(e.matches("warning:").count(), 2, "{e}");
}

/// A European export of whole amounts writes `12.500` for twelve thousand five hundred. Under
/// the default `.` decimal mark that reads as 12.5 (docs/import.md: `.` is the mark), revenue a
/// thousand times too small; when no amount of the column shows `.` as a decimal mark, one
/// warning says so and names the setting. One amount like `980.50` settles it: no warning.
#[test]
fn amounts_whose_decimal_mark_may_separate_thousands_are_a_warning() {
    let csv = "Deal,Status,Gewonnen am,Wert\n\
        D1,Gewonnen,15.01.2024,12.500\n\
        D2,Gewonnen,20.01.2024,\"€ 3.000\"\n\
        D3,Gewonnen,22.01.2024,900\n";
    let map = "stages:\n  won: {date: Gewonnen am, when: {Status: Gewonnen}}\namount: Wert\n";
    let (o, _t) = imp_in(&[("deals.csv", csv), ("m.yaml", map)], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(lines(&o.stdout), vec!["2024-01 won:3 revenue:915.5".to_string()], "read as the contract says");
    let e = stderr(&o);
    assert!(
        e.contains("warning: the 2 amounts with a `.` in column `Wert` all have three digits after it (`12.500` was read as 12.5): `.` may separate thousands here")
            && e.contains("deals.csv:2:24")
            && e.contains("add `decimal: \",\"` to the map"),
        "{e}"
    );
    assert_eq!(e.matches("warning:").count(), 1, "one warning per column: {e}");
    // With `decimal: ","` the same file reads as meant, and says nothing.
    let (o, _t) = imp_in(&[("deals.csv", csv), ("m.yaml", &format!("{map}decimal: \",\"\n"))], &[]);
    assert_eq!(lines(&o.stdout), vec!["2024-01 won:3 revenue:16400".to_string()]);
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    // A US export with one amount of two decimals shows `.` is its decimal mark.
    let us = csv.replace("D3,Gewonnen,22.01.2024,900", "D3,Gewonnen,22.01.2024,980.50");
    let (o, _t) = imp_in(&[("deals.csv", &us), ("m.yaml", map)], &[]);
    assert_eq!(lines(&o.stdout), vec!["2024-01 won:3 revenue:996".to_string()]);
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}

/// A deal named `Acme, Inc` written without quotes makes its row one cell longer: every cell
/// after it moves one column right, so its stage reads ` Inc` and its won date is never seen.
/// That row is refused (file, line, the first extra cell) instead of silently not counted;
/// `--skip-bad-rows` skips it with a warning. A row cut short is read with blanks, but said.
#[test]
fn a_row_with_more_cells_than_the_header_is_an_error_not_a_shifted_row() {
    let csv = "Id,Deal Name,Deal Stage,Close Date,Amount\n\
        1,Acme, Inc,Closed Won,2024-01-05,100\n\
        2,Beta,Closed Won,2024-01-06,200\n\
        3,Gamma,Closed Won,2024-01-09\n\
        4,\"Delta, Ltd\",Closed Won,2024-01-12,400\n";
    let map = "stages:\n  won: {date: Close Date, when: {Deal Stage: Closed Won}}\namount: Amount\n";
    let (o, _t) = imp_in(&[("deals.csv", csv), ("m.yaml", map)], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("error: this row has 6 cells but the header has 5: a comma outside quotes moves every cell after it to the next column")
            && e.contains("deals.csv:2:35")
            && e.contains("quote cells that hold a comma"),
        "{e}"
    );
    assert!(
        e.contains("warning: this row has 4 cells but the header has 5; the missing cells are read as blank")
            && e.contains("deals.csv:4:1"),
        "{e}"
    );
    assert!(o.stdout.is_empty());
    // Skipped: Beta, Gamma (no amount) and the quoted Delta count; Acme does not.
    let (o, _t) = imp_in(&[("deals.csv", csv), ("m.yaml", map)], &["--skip-bad-rows"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(lines(&o.stdout), vec!["2024-01 won:3 revenue:600".to_string()]);
    let e = stderr(&o);
    assert!(e.contains("warning: this row has 6 cells but the header has 5: a comma outside quotes moves every cell after it to the next column; row skipped"), "{e}");
    assert!(e.contains("1 skipped"), "{e}");
    // In a joined file the shifted row would be joined under a wrong key: an error too.
    let accounts = "Id,Segment,Owner\n2,SMB,Sam\n4,Mid,Lee, Chen\n";
    let map = format!("{map}channel: accounts.Segment\njoin: {{csv: accounts.csv, on: Id}}\n");
    let (o, _t) = imp_in(&[("deals.csv", csv), ("accounts.csv", accounts), ("m.yaml", &map)], &["--skip-bad-rows"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("accounts.csv:3:11"), "{}", stderr(&o));
}

/// Excel in a country with a decimal comma saves "CSV" with semicolons. The header is then one
/// column, and every mapped column would be "no column" with a list of one odd name: one error
/// says what the file is and names `delimiter`, with which it imports as it is.
#[test]
fn a_semicolon_separated_export_is_one_error_saying_so() {
    let csv = "Deal-ID;Status;Erstellt am;Wert\nD1;Gewonnen;15.01.2024;1.054,00\n";
    let map = "stages:\n  won: {date: Erstellt am, when: {Status: Gewonnen}}\namount: Wert\ndecimal: \",\"\n";
    let (o, _t) = imp_in(&[("deals.csv", csv), ("m.yaml", map)], &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("error: the header is one column, `Deal-ID;Status;Erstellt am;Wert`: the file is separated by semicolons, and the import reads comma-separated CSV")
            && e.contains("deals.csv:1:1")
            && e.contains("help: write `delimiter: \";\"` in the map; amounts like 1.054,00 then need `decimal: \",\"` too"),
        "{e}"
    );
    assert!(!e.contains("no column"), "one error, not one per mapped column: {e}");
    assert!(e.contains("import: 1 error;"), "{e}");
    // The same file with commas imports, and so does this one with `delimiter: ";"` (a quoted
    // cell may hold the delimiter; CRLF as Excel writes it).
    let commas = "Deal-ID,Status,Erstellt am,Wert\nD1,Gewonnen,15.01.2024,\"1.054,00\"\n";
    let (o, _t) = imp_in(&[("deals.csv", commas), ("m.yaml", map)], &[]);
    assert_eq!(lines(&o.stdout), vec!["2024-01 won:1 revenue:1054".to_string()], "{}", stderr(&o));
    let semis = "Deal-ID;Status;Erstellt am;Wert\r\nD1;Gewonnen;15.01.2024;1.054,00\r\n\"D2;x\";Gewonnen;20.01.2024;\"2.000,50\"\r\n";
    let (o, _t) = imp_in(&[("deals.csv", semis), ("m.yaml", &format!("{map}delimiter: \";\"\n"))], &[]);
    assert_eq!(lines(&o.stdout), vec!["2024-01 won:2 revenue:3054.5".to_string()], "{}", stderr(&o));
    // A tab-separated export with `delimiter: "\t"`; a comma-separated file read with `;` says
    // it is separated by commas; a delimiter that is none of the four is an error at its value.
    let tabs = "Deal-ID\tStatus\tErstellt am\tWert\nD1\tGewonnen\t15.01.2024\t1.054,00\n";
    let (o, _t) = imp_in(&[("deals.csv", tabs), ("m.yaml", &format!("{map}delimiter: \"\\t\"\n"))], &[]);
    assert_eq!(lines(&o.stdout), vec!["2024-01 won:1 revenue:1054".to_string()], "{}", stderr(&o));
    let (o, _t) = imp_in(&[("deals.csv", "a,b\n1,2\n"), ("m.yaml", &format!("{map}delimiter: \";\"\n"))], &[]);
    assert!(
        stderr(&o)
            .contains("the file is separated by commas, and the import reads cells separated by `;` (`delimiter`)")
            && stderr(&o).contains("write `delimiter: \",\"`"),
        "{}",
        stderr(&o)
    );
    let (o, _t) = imp_in(&[("deals.csv", semis), ("m.yaml", &format!("{map}delimiter: \":\"\n"))], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the delimiter must be \",\", \";\", \"\\t\" (a tab) or \"|\", found `:`")
            && stderr(&o).contains("m.yaml:5:12"),
        "{}",
        stderr(&o)
    );
}

/// Excel's "Unicode Text" and some CRMs save UTF-16. Before, the import said "this row is not
/// UTF-8 text" at line 1 (or, for UTF-16 without its odd bytes, named no column at all); now
/// it says the file is UTF-16 and how to re-save it (joined files are opened the same way).
#[test]
fn a_utf16_export_is_named_as_utf16() {
    let csv = "created,won\n2026-01-05,2026-02-01\n";
    let utf16: String = "\u{feff}created,won\n2026-01-05,2026-02-01\n".to_string();
    let le: Vec<u8> = utf16.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = utf16.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let (t, d) = scratch(&[("m.yaml", "stages: {leads: created, won: won}\n"), ("ok.csv", csv)]);
    std::fs::write(d.join("le.csv"), le).unwrap();
    std::fs::write(d.join("be.csv"), be).unwrap();
    for name in ["le.csv", "be.csv"] {
        let o = imp(&[d.join(name).to_str().unwrap(), "--map", d.join("m.yaml").to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        let e = stderr(&o);
        assert!(e.contains("error: this file is UTF-16 text (it starts with a UTF-16 byte order mark)\n --> "), "{e}");
        assert!(e.contains(&format!("{name}:1:1")) && e.contains("CSV UTF-8 (Comma delimited)"), "{e}");
    }
    let o = imp(&[d.join("ok.csv").to_str().unwrap(), "--map", d.join("m.yaml").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    drop(t);
}

/// A stage history compares dates only, so two changes on a deal's last day are ordered by
/// the file (docs/import.md). A report exported newest first puts "Closed Lost" (16:00) above
/// "Closed Won" (09:00): the deal counts as won. The count stays the contract's, but a warning
/// names the deal, the day and both lines when the times in the cells say file order is the
/// wrong way round, so nobody presents a lost deal as won unawares.
#[test]
fn a_deal_won_and_lost_on_its_last_day_is_a_warning_about_file_order() {
    let csv = "OpportunityId,StageName,CreatedDate,Amount\n\
        A,Closed Lost,2024-02-10T16:00:00Z,1000\n\
        A,Closed Won,2024-02-10T09:00:00Z,1000\n\
        A,Prospecting,2024-01-03T10:00:00Z,1000\n\
        B,Prospecting,2024-01-04T10:00:00Z,500\n\
        B,Negotiation,2024-02-12T10:00:00Z,500\n\
        B,Closed Won,2024-02-12T15:00:00Z,500\n";
    let map = "events: {id: OpportunityId, stage: StageName, date: CreatedDate}\n\
        stages:\n  opportunities: Prospecting\n  won: Closed Won\namount: Amount\n";
    let (o, _t) = imp_in(&[("history.csv", csv), ("m.yaml", map)], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A: won by file order (line 3 is later); B: won (Negotiation then Closed Won, same day,
    // in order), which is no news: a deal that moves stages and closes on one day is common.
    let l = lines(&o.stdout);
    assert_eq!(l[1], "2024-02 opportunities:0 won:2 revenue:1500 sales_cycle_days:38.5", "cycles 38 and 39: {l:#?}");
    let e = stderr(&o);
    assert!(
        e.contains("warning: `A` changed stage twice on its last day, 2024-02-10: line 3 (09:00) comes later in the file and decides that it is counted at `won`, but line 2 is later by the clock (16:00)")
            && e.contains("history.csv:3:1")
            && e.contains("sort it oldest first"),
        "{e}"
    );
    assert_eq!(e.matches("warning:").count(), 1, "{e}");
}

/// `--output content/funnel/` (the folder, not a file in it) said "already exists, pass
/// --force", and with --force "Not a directory (os error 20)"; a missing folder said "No such
/// file or directory". Each now says what is wrong with the path, and writes nothing.
#[test]
fn an_output_that_is_a_folder_or_in_a_missing_folder_says_so() {
    let (_t, d) = scratch(&[("m.yaml", "stages: {leads: created}\n"), ("x.csv", "created\n2026-01-05\n")]);
    let (csv, map) = (d.join("x.csv"), d.join("m.yaml"));
    let folder = d.join("funnel");
    std::fs::create_dir(&folder).unwrap();
    for force in [false, true] {
        let mut a = vec![csv.to_str().unwrap(), "--map", map.to_str().unwrap(), "--output", folder.to_str().unwrap()];
        if force {
            a.push("--force");
        }
        let o = imp(&a);
        assert_eq!(o.status.code(), Some(1));
        let e = stderr(&o);
        assert!(e.contains("is a folder, and --output names the file to write"), "{e}");
        assert!(e.contains(&format!("name a file in it, like {}", folder.join("crm.yaml").display())), "{e}");
    }
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
    let missing = d.join("nodir").join("crm.yaml");
    let o = imp(&[csv.to_str().unwrap(), "--map", map.to_str().unwrap(), "--output", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains(&format!("the folder {} does not exist", d.join("nodir").display())), "{e}");
    assert!(!d.join("nodir").exists());
}

/// A Pipedrive export of a multi-currency account: `Deal - Value` is in each deal's own
/// currency (`Deal - Currency`, which the map names: only a column named after the amount, or
/// `Currency`, is found by itself). The import converts nothing (README), so 1500 EUR + 900
/// USD became "revenue: 2400" without a word; now one warning names both currencies and lines.
/// Lost deals in another currency are not counted and do not matter.
#[test]
fn won_amounts_in_two_currencies_are_a_warning() {
    let csv = "Deal - ID,Deal - Value,Deal - Currency,Deal - Status,Deal - Deal created,Deal - Won time\n\
        1,1500,EUR,won,2024-01-05 10:31:00,2024-02-14 09:00:00\n\
        2,2500.5,GBP,lost,2024-01-09 11:00:00,\n\
        3,900,USD,won,2024-02-20 16:45:00,2024-02-28 17:00:00\n\
        4,100,usd,won,2024-02-21 16:45:00,2024-02-29 17:00:00\n";
    let map =
        "stages:\n  opportunities: Deal - Deal created\n  won: {date: Deal - Won time, when: {Deal - Status: won}}\n\
        amount: Deal - Value\ncurrency: Deal - Currency\n";
    let (o, _t) = imp_in(&[("deals.csv", csv), ("m.yaml", map)], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(lines(&o.stdout)[1], "2024-02 opportunities:2 won:3 revenue:2500 sales_cycle_days:8");
    let e = stderr(&o);
    assert!(
        e.contains("warning: the amounts in `Deal - Value` are in more than one currency: `Deal - Currency` is EUR on line 2 and USD here; revenue sums them as written")
            && e.contains("deals.csv:4:7"),
        "{e}"
    );
    assert_eq!(e.matches("warning:").count(), 1, "{e}");
    // One currency (whatever its case) is no news.
    let one = csv.replace(",USD,", ",EUR,").replace(",usd,", ",eur,");
    let (o, _t) = imp_in(&[("deals.csv", &one), ("m.yaml", map)], &[]);
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    // A stage history: each won deal's amount and currency come from its latest row (O2's
    // earlier GBP row is not its amount, and O3 was not won).
    let history = "OpportunityId,StageName,CreatedDate,Amount,Currency\n\
        O1,Prospecting,2024-01-03,800,EUR\n\
        O1,Closed Won,2024-02-05,1000,EUR\n\
        O2,Prospecting,2024-01-10,400,GBP\n\
        O2,Closed Won,2024-02-07,400,EUR\n\
        O3,Closed Lost,2024-02-09,50,USD\n\
        O4,Closed Won,2024-03-01,700,USD\n";
    let events = "events: {id: OpportunityId, stage: StageName, date: CreatedDate}\n\
        stages: {opportunities: Prospecting, won: Closed Won}\namount: Amount\n";
    let (o, _t) = imp_in(&[("h.csv", history), ("m.yaml", events)], &[]);
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    assert!(e.contains("`Currency` is EUR on line 3 and USD here") && e.contains("h.csv:7:"), "{e}");
    assert_eq!(e.matches("warning:").count(), 1, "{e}");
    let (o, _t) = imp_in(&[("h.csv", &history.replace("700,USD", "700,EUR")), ("m.yaml", events)], &[]);
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}
