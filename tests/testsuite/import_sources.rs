//! Integration tests of the import for a project fed by several exports: an ad platform's
//! cost report (title lines, totals rows, a constant channel), a finance sheet, lost deals and
//! pipeline money from the CRM, every map of `imports/` in one run, the checksum line that
//! lets a re-import overwrite its own file, and `--strict`. Figures are worked out by hand in
//! the comments.

use crate::common::*;
use std::path::{Path, PathBuf};

fn imp(args: &[&str]) -> std::process::Output {
    let mut a = vec!["import"];
    a.extend_from_slice(args);
    run(&a)
}

fn scratch(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = tmp.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let p = tmp.path().to_path_buf();
    (tmp, p)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The lines under the import's first line (the months as YAML).
fn body(text: &str) -> &str {
    text.split_once('\n').unwrap().1
}

/// A Google Ads "Campaign report" as downloaded: two title lines, CRLF, daily rows per
/// campaign, `1,234.56` costs, a currency code column, "Total: Campaign" rows and a
/// "Total: Account" row.
const ADS: &str = "Campaign report\r\n\
\"December 1, 2024 - January 31, 2025\"\r\n\
Campaign,Day,Currency code,Cost,Impressions,Clicks\r\n\
Brand search,2024-12-30,USD,\"1,234.56\",1000,50\r\n\
Brand search,2024-12-31,USD,100.00,800,31\r\n\
Generic,2024-12-31,USD,65.44,400,12\r\n\
,,,,,\r\n\
Brand search,2025-01-02,USD,\"2,000.00\",1500,70\r\n\
Total: Campaign,--,USD,\"3,334.56\",3300,151\r\n\
Total: Campaign,--,USD,65.44,400,12\r\n\
Total: Account,--,USD,\"3,400.00\",3700,163\r\n";

const ADS_MAP: &str = "csv: ads.csv\n\
output: out/ads.yaml\n\
header_row: 3\n\
ignore: {Campaign: [\"Total*\"]}\n\
channel: {value: paid search}\n\
currency: Currency code\n\
spend: {date: Day, amount: Cost, into: marketing}\n";

#[test]
fn an_ad_platform_cost_report_imports_as_it_comes() {
    let (_t, d) = scratch(&[("ads.csv", ADS), ("ads.map.yaml", ADS_MAP), ("out/.keep", "")]);
    let o = imp(&["--map", s(&d.join("ads.map.yaml"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    // December: 1,234.56 + 100.00 + 65.44 = 1,400; January: 2,000. The blank row and the three
    // totals rows are left out; the title lines above line 3 are never read as rows.
    let text = std::fs::read_to_string(d.join("out/ads.yaml")).unwrap();
    assert_eq!(
        body(&text),
        "- month: 2024-12\n  spend:\n    marketing: 1400\n  by_channel:\n    paid search:\n      spend: 1400\n\
         - month: 2025-01\n  spend:\n    marketing: 2000\n  by_channel:\n    paid search:\n      spend: 2000\n"
    );
    assert!(text.starts_with("# Written by `smarketing import` from ads.csv with ads.map.yaml (4 rows); "), "{text}");
    assert!(e.contains("4 rows read (4 counted), ignore left out 3 rows"), "{e}");
    assert!(!e.contains("warning"), "{e}");
}

#[test]
fn a_finance_sheet_is_sales_spend_with_us_dates() {
    // Month-end dates M/D/YYYY (31 and 29 tell the order), `$12,500.00`, a blank cost cell.
    let csv = "Period end,Sales cost,Note\n1/31/2024,\"$12,500.00\",\n2/29/2024,\"$11,250.50\",bonus\n3/31/2024,,not closed yet\n";
    let map = "spend: {date: Period end, amount: Sales cost, into: sales}\n";
    let (_t, d) = scratch(&[("finance.csv", csv), ("m.yaml", map)]);
    let o = imp(&[s(&d.join("finance.csv")), "--map", s(&d.join("m.yaml"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    assert_eq!(
        body(&out),
        "- month: 2024-01\n  spend:\n    sales: 12500\n- month: 2024-02\n  spend:\n    sales: 11250.5\n- month: 2024-03\n  spend:\n    sales: 0\n"
    );
    let e = stderr(&o);
    assert!(e.contains("finance.csv:4:") && e.contains("`Sales cost` is blank"), "{e}");
}

/// Five deals: created, closed (won or lost), amount. Worked out by hand:
/// - 2024-01: opportunities 1, 2; pipeline created 1,000 + 500; open on Jan 31: both.
/// - 2024-02: opportunities 3, 4; closed 1 (Feb 15) and 4 (Feb 20); won 1 (1,000, 36 days);
///   lost 4; created 2,000 + 300; open on Feb 29: 2 (closes Mar 5) and 3 (never) = 2,500.
/// - 2024-03: opportunity 5; closed 2 and 5; won 5 (700, 30 days); lost 2; created 700; open
///   on Mar 31: 3 only (5 closes on Mar 31, not after it) = 2,000.
const DEALS: &str = "id,created,closed,stage,amount,source\n\
1,2024-01-10,2024-02-15,Closed Won,1000,web\n\
2,2024-01-20,2024-03-05,Closed Lost,500,web\n\
3,2024-02-01,,Open,2000,event\n\
4,2024-02-10,2024-02-20,Closed Lost,300,event\n\
5,2024-03-01,2024-03-31,Closed Won,700,web\n";

const DEALS_MAP: &str = r#"stages:
  opportunities: created
  closed: {date: closed, when: {stage: [Closed Won, Closed Lost]}}
  won: {date: closed, when: {stage: Closed Won}}
amount: amount
lost: {date: closed, when: {stage: Closed Lost}}
pipeline: {from: opportunities, to: closed}
"#;

#[test]
fn lost_deals_and_pipeline_money_by_month() {
    let (_t, d) = scratch(&[("deals.csv", DEALS), ("m.yaml", DEALS_MAP)]);
    let o = imp(&[s(&d.join("deals.csv")), "--map", s(&d.join("m.yaml"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    assert_eq!(
        body(&out),
        "- month: 2024-01\n  stages:\n    opportunities: 2\n    closed: 0\n    won: 0\n  revenue: 0\n  lost: 0\n  pipeline_created: 1500\n  pipeline_open: 1500\n\
         - month: 2024-02\n  stages:\n    opportunities: 2\n    closed: 2\n    won: 1\n  revenue: 1000\n  lost: 1\n  pipeline_created: 2300\n  pipeline_open: 2500\n  sales_cycle_days: 36\n\
         - month: 2024-03\n  stages:\n    opportunities: 1\n    closed: 2\n    won: 1\n  revenue: 700\n  lost: 1\n  pipeline_created: 700\n  pipeline_open: 2000\n  sales_cycle_days: 30\n"
    );
    // The two won deals have a close date but are not lost.
    assert!(stderr(&o).contains("`when` left out 2 rows dated at `lost`"), "{}", stderr(&o));
}

#[test]
fn lost_as_a_plain_column_and_a_single_stage_map_has_no_cycle() {
    let csv = "id,created,lost_on\n1,2024-01-10,\n2,2024-01-11,2024-02-01\n3,2024-02-02,2024-02-03\n";
    let (_t, d) = scratch(&[("a.csv", csv), ("m.yaml", "stages: {leads: created}\nlost: lost_on\n")]);
    let o = imp(&[s(&d.join("a.csv")), "--map", s(&d.join("m.yaml"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        body(&out),
        "- month: 2024-01\n  stages:\n    leads: 2\n  lost: 0\n- month: 2024-02\n  stages:\n    leads: 1\n  lost: 2\n"
    );
}

#[test]
fn map_mistakes_of_the_new_keys_name_their_line() {
    let csv = "id,created,amount\n1,2024-01-10,5\n";
    let map = "stages: {leads: created}\nspend: {date: created, amount: amount, into: ads}\npipeline: {from: leads, to: won}\nheader_row: 0\n";
    let (_t, d) = scratch(&[("a.csv", csv), ("m.yaml", map)]);
    let o = imp(&[s(&d.join("a.csv")), "--map", s(&d.join("m.yaml"))]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("a map has `stages` or `spend`, not both") && e.contains("m.yaml:1:1"), "{e}");
    assert!(e.contains("`spend.into` must be `marketing` or `sales`, found `ads`") && e.contains("m.yaml:2:46"), "{e}");
    assert!(e.contains("`pipeline` cannot be used with `spend`"), "{e}");
    assert!(e.contains("`header_row` counts lines from 1") && e.contains("m.yaml:4:13"), "{e}");
    let (_t, d) = scratch(&[("a.csv", csv), ("m.yaml", "amount: amount\n")]);
    let o = imp(&[s(&d.join("a.csv")), "--map", s(&d.join("m.yaml"))]);
    assert!(stderr(&o).contains("the map has neither `stages` nor `spend`"), "{}", stderr(&o));
    let (_t, d) = scratch(&[
        ("a.csv", csv),
        ("m.yaml", "stages: {leads: created, won: created}\npipeline: {from: won, to: leads}\n"),
    ]);
    let o = imp(&[s(&d.join("a.csv")), "--map", s(&d.join("m.yaml"))]);
    let e = stderr(&o);
    assert!(e.contains("`pipeline` sums amounts, and the map has no `amount`"), "{e}");
    assert!(e.contains("`pipeline.to` must be a later stage than `pipeline.from`"), "{e}");
}

#[test]
fn a_header_below_title_lines_is_found_and_named() {
    let map = "spend: {date: Day, amount: Cost}\nignore: {Campaign: [\"Total*\"]}\n";
    let (_t, d) = scratch(&[("ads.csv", ADS), ("m.yaml", map)]);
    let o = imp(&[s(&d.join("ads.csv")), "--map", s(&d.join("m.yaml"))]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("line 3 holds every column the map names") && e.contains("header_row: 3"), "{e}");
    assert!(e.contains("ads.csv:3:1"), "{e}");
    assert!(!e.contains("no column `Day`"), "one error, not one per column: {e}");
}

#[test]
fn the_currency_column_is_the_amounts_own_never_any_column_saying_currency() {
    // A full HubSpot deals export: "Amount in company currency" is another amount, not a
    // currency; without a currency column no warning.
    let csv = "Record ID,Deal Name,Amount,Amount in company currency,Close Date,Deal Stage\n\
        1,A,26250,26250.0,2024-01-05,Closed Won\n2,B,168000,168000.0,2024-01-09,Closed Won\n";
    let map = "stages: {won: {date: Close Date, when: {Deal Stage: Closed Won}}}\namount: Amount\n";
    let (_t, d) = scratch(&[("a.csv", csv), ("m.yaml", map)]);
    let o = imp(&[s(&d.join("a.csv")), "--map", s(&d.join("m.yaml"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    // `Amount Currency` beside `Amount` is its currency; so is a column named `Currency`.
    for col in ["Amount Currency", "Amount (Currency)", "Currency"] {
        let csv = format!("id,Close Date,Amount,{col}\n1,2024-01-05,100,USD\n2,2024-01-06,200,EUR\n");
        let (_t, d) = scratch(&[("a.csv", &csv), ("m.yaml", "stages: {won: Close Date}\namount: Amount\n")]);
        let o = imp(&[s(&d.join("a.csv")), "--map", s(&d.join("m.yaml"))]);
        let e = stderr(&o);
        assert!(e.contains(&format!("`{col}` is USD on line 2 and EUR here")), "{col}: {e}");
    }
    // `currency:` names it whatever its name.
    let csv = "id,Close Date,Amount,Curr\n1,2024-01-05,100,USD\n2,2024-01-06,200,EUR\n";
    let (_t, d) = scratch(&[("a.csv", csv), ("m.yaml", "stages: {won: Close Date}\namount: Amount\ncurrency: Curr\n")]);
    let o = imp(&[s(&d.join("a.csv")), "--map", s(&d.join("m.yaml"))]);
    assert!(stderr(&o).contains("`Curr` is USD on line 2 and EUR here"), "{}", stderr(&o));
}

/// A project fed by three exports: `import` with no CSV runs every map of `imports/` in
/// file-name order; one that fails does not stop the others, and only its output is missing.
#[test]
fn every_map_of_imports_runs_and_each_output_is_its_own() {
    let (_t, d) = scratch(&[
        ("exports/ads.csv", ADS),
        (
            "imports/1-ads.map.yaml",
            &ADS_MAP.replace("ads.csv", "../exports/ads.csv").replace("out/", "../content/funnel/"),
        ),
        ("exports/deals.csv", DEALS),
        (
            "imports/2-crm.map.yaml",
            &format!("csv: ../exports/deals.csv\noutput: ../content/funnel/crm.yaml\n{DEALS_MAP}"),
        ),
        (
            "imports/3-bad.map.yaml",
            "csv: ../exports/deals.csv\noutput: ../content/funnel/bad.yaml\nstages: {leads: nope}\n",
        ),
        ("imports/notes.txt", "not a map"),
        ("content/funnel/.keep", ""),
    ]);
    let o = imp(&["--root", s(&d)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("import: 2 of 3 maps imported, 1 failed"), "{e}");
    let a = e.find("1-ads.map.yaml: 4 rows read").expect(&e);
    let b = e.find("2-crm.map.yaml: 5 rows read").expect(&e);
    let c = e.find("3-bad.map.yaml: failed: 1 error; nothing was written").expect(&e);
    assert!(a < b && b < c, "in file-name order: {e}");
    assert!(e.contains("no column `nope`"), "{e}");
    let funnel = d.join("content/funnel");
    assert!(funnel.join("ads.yaml").is_file() && funnel.join("crm.yaml").is_file());
    assert!(!funnel.join("bad.yaml").exists());
    // --maps names another folder; a map there without `csv` says so.
    let (_t2, d2) = scratch(&[("maps/x.map.yaml", "stages: {leads: created}\n")]);
    let o = imp(&["--maps", s(&d2.join("maps"))]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("the map names no `csv`"), "{}", stderr(&o));
}

#[test]
fn a_re_import_overwrites_its_own_file_and_refuses_an_edited_one() {
    let (_t, d) = scratch(&[("ads.csv", ADS), ("ads.map.yaml", ADS_MAP), ("out/.keep", "")]);
    let map = d.join("ads.map.yaml");
    let out = d.join("out/ads.yaml");
    assert!(imp(&["--map", s(&map)]).status.success());
    let first = std::fs::read_to_string(&out).unwrap();
    // Again: the file is the import's own and unedited, so no --force is needed.
    let o = imp(&["--map", s(&map)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), first);
    // A hand edit on line 4 (the spend of December): refused, naming the line, file untouched.
    let edited = first.replace("marketing: 1400", "marketing: 1500");
    std::fs::write(&out, &edited).unwrap();
    let o = imp(&["--map", s(&map)]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("was edited since `smarketing import` wrote it") && e.contains("line 4 differs"), "{e}");
    assert!(e.contains("ads.yaml:4"), "{e}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), edited);
    // A file the import did not write: refused at line 1.
    std::fs::write(&out, "- month: 2024-12\n  spend: {marketing: 1}\n").unwrap();
    let o = imp(&["--map", s(&map)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("was not written by `smarketing import`"), "{}", stderr(&o));
    // A file of the import before checksums: it says so.
    std::fs::write(&out, "# Imported by `smarketing import` from ads.csv (4 rows).\n- month: 2024-12\n").unwrap();
    let o = imp(&["--map", s(&map)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("an earlier version of `smarketing import`"), "{}", stderr(&o));
    // --force overwrites.
    assert!(imp(&["--map", s(&map), "--force"]).status.success());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), first);
}

/// A stage history: a deal is lost when its latest change is one of `lost`'s values, in the
/// month of that change. O1 won (Feb); O2 lost (Feb 7); O3 won and then lost (not won; lost on
/// Mar 1); O4 only prospecting.
#[test]
fn lost_deals_of_a_stage_history() {
    let csv = "OpportunityId,StageName,CreatedDate,Amount\n\
        O1,Prospecting,2024-01-03,100\nO1,Closed Won,2024-02-05,100\n\
        O2,Prospecting,2024-01-10,200\nO2,Closed Lost,2024-02-07,200\n\
        O3,Prospecting,2024-01-12,300\nO3,Closed Won,2024-02-08,300\nO3,Closed Lost,2024-03-01,300\n\
        O4,Prospecting,2024-02-15,400\n";
    let map = "events: {id: OpportunityId, stage: StageName, date: CreatedDate}\n\
        stages: {opportunities: Prospecting, won: Closed Won}\namount: Amount\nlost: [Closed Lost]\n";
    let (_t, d) = scratch(&[("h.csv", csv), ("m.yaml", map)]);
    let o = imp(&[s(&d.join("h.csv")), "--map", s(&d.join("m.yaml"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        body(&out),
        "- month: 2024-01\n  stages:\n    opportunities: 3\n    won: 0\n  revenue: 0\n  lost: 0\n\
         - month: 2024-02\n  stages:\n    opportunities: 1\n    won: 1\n  revenue: 100\n  lost: 1\n  sales_cycle_days: 33\n\
         - month: 2024-03\n  stages:\n    opportunities: 0\n    won: 0\n  revenue: 0\n  lost: 1\n"
    );
    // A value no change holds is a warning at it, like a stage's.
    std::fs::write(d.join("m.yaml"), map.replace("[Closed Lost]", "[Closed-Lost]")).unwrap();
    let o = imp(&[s(&d.join("h.csv")), "--map", s(&d.join("m.yaml"))]);
    assert!(
        stderr(&o).contains("no row has `StageName` = `Closed-Lost`") && stderr(&o).contains("lost: [Closed Lost]"),
        "{}",
        stderr(&o)
    );
}
