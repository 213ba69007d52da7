//! The import's silent mistakes made warnings, and `import --strict` failing on any warning
//! with nothing written: a misspelled value in a `when` list, rows repeated whole without
//! `unique`, every sales cycle 0 days, amounts whose `.` may be a thousands separator.

use crate::common::*;
use std::path::{Path, PathBuf};

fn scratch(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    let p = tmp.path().to_path_buf();
    (tmp, p)
}

/// Imports `a.csv` with `m.yaml` from `d` into `d/out.yaml`, with more arguments.
fn import(d: &Path, more: &[&str]) -> std::process::Output {
    let (a, m, out) = (d.join("a.csv"), d.join("m.yaml"), d.join("out.yaml"));
    let mut args = vec!["import", a.to_str().unwrap(), "--map", m.to_str().unwrap(), "--output", out.to_str().unwrap()];
    args.extend_from_slice(more);
    run(&args)
}

/// Checks that the import warns with `needle`, writes its file, and with `--strict` fails
/// with nothing written.
fn warns_and_strict_fails(d: &Path, needle: &str) -> String {
    let o = import(d, &[]);
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    assert!(e.contains(needle), "{e}");
    std::fs::remove_file(d.join("out.yaml")).unwrap();
    let o = import(d, &["--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("and --strict; nothing was written"), "{}", stderr(&o));
    assert!(!d.join("out.yaml").exists());
    e
}

#[test]
fn a_misspelled_value_in_a_when_list_is_named_with_the_closest_value() {
    // Two of the three won deals say "Closed Won"; the map's list misspells it, so only the
    // "Won" deal counted (won: 1 instead of 3), with exit 0 before.
    let csv = "id,close,stage\n1,2024-01-05,Won\n2,2024-01-09,Closed Won\n3,2024-01-12,Closed Won\n4,2024-01-15,Lost\n";
    let map = "stages:\n  won: {date: close, when: {stage: [Won, Closd Won]}}\n";
    let (_t, d) = scratch(&[("a.csv", csv), ("m.yaml", map)]);
    let e = warns_and_strict_fails(&d, "no row has `stage` = `Closd Won`, though the list's other values match rows");
    assert!(e.contains("m.yaml:2:42") && e.contains("the closest value the column holds is `Closed Won`"), "{e}");
    // Spelled right: no warning, 3 won.
    std::fs::write(d.join("m.yaml"), map.replace("Closd", "Closed")).unwrap();
    let o = import(&d, &["--strict"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(d.join("out.yaml")).unwrap().contains("won: 3"));
}

#[test]
fn rows_repeated_whole_without_unique_are_one_warning() {
    // Two overlapping exports pasted together: lines 4 and 5 repeat lines 2 and 3.
    let csv = "id,created\n1,2024-01-05\n2,2024-01-06\n1,2024-01-05\n2,2024-01-06\n3,2024-01-07\n";
    let (_t, d) = scratch(&[("a.csv", csv), ("m.yaml", "stages: {leads: created}\n")]);
    let e = warns_and_strict_fails(&d, "line 4 repeats line 2 cell for cell, and 2 rows in all repeat an earlier row");
    assert!(e.contains("a.csv:4:1") && e.contains("`unique: ID`"), "{e}");
    assert_eq!(e.matches("warning:").count(), 1, "{e}");
    // With `unique` the repeats count once, and the repeated-key warnings say so instead.
    std::fs::write(d.join("m.yaml"), "stages: {leads: created}\nunique: id\n").unwrap();
    let o = import(&d, &["--force"]);
    assert!(!stderr(&o).contains("cell for cell"), "{}", stderr(&o));
    assert!(std::fs::read_to_string(d.join("out.yaml")).unwrap().contains("leads: 3"));
}

#[test]
fn a_cycle_of_zero_days_in_every_row_names_the_two_columns() {
    // `won` read from the created column: every one of 10 cycles is 0 days.
    let mut csv = String::from("id,created,closed\n");
    for i in 1..=10 {
        csv.push_str(&format!("{i},2024-01-{i:02},2024-02-{i:02}\n"));
    }
    let (_t, d) = scratch(&[("a.csv", &csv), ("m.yaml", "stages: {leads: created, won: created}\n")]);
    let e = warns_and_strict_fails(
        &d,
        "every one of the 10 sales cycles is 0 days: `won` (created) is the same day as `leads` (created)",
    );
    assert!(e.contains("m.yaml:1:31"), "{e}");
    // Nine rows are too few to say; the right column gives real cycles.
    let nine: String = csv.lines().take(10).map(|l| format!("{l}\n")).collect();
    std::fs::write(d.join("a.csv"), nine).unwrap();
    assert!(!stderr(&import(&d, &["--force"])).contains("sales cycles"));
    std::fs::write(d.join("a.csv"), &csv).unwrap();
    std::fs::write(d.join("m.yaml"), "stages: {leads: created, won: closed}\n").unwrap();
    let o = import(&d, &["--force", "--strict"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn european_thousands_without_decimal_comma_fail_under_strict() {
    // A European export's whole amounts: `12.500` is 12,500 there, 12.5 as read here.
    let csv = "id,won,amount\n1,2024-01-05,12.500\n2,2024-01-06,3.000\n";
    let (_t, d) = scratch(&[("a.csv", csv), ("m.yaml", "stages: {won: won}\namount: amount\n")]);
    let e = warns_and_strict_fails(&d, "all have three digits after it");
    assert!(e.contains("add `decimal: \",\"` to the map"), "{e}");
}

#[test]
fn a_quote_never_closed_stops_the_import_instead_of_swallowing_the_rows_after_it() {
    // A stray quote at the start of a cell on line 3: a CSV reader ends such a cell only at the
    // end of the file, so the rows after it were that one cell, and January counted 2 leads
    // with a warning about a short row instead of 5.
    let csv = "id,created,source\n1,2024-01-05,web\n2,2024-01-06,\"web\n3,2024-01-07,web\n4,2024-01-08,web\n5,2024-01-09,web\n";
    let (_t, d) = scratch(&[("a.csv", csv), ("m.yaml", "stages: {leads: created}\nchannel: source\n")]);
    let o = import(&d, &[]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("error: this cell opens a quote `\"` that is never closed"), "{e}");
    assert!(e.contains("a.csv:3:14"), "{e}");
    assert!(!d.join("out.yaml").exists());
    // Closed, the same quote is a cell like any other.
    std::fs::write(d.join("a.csv"), csv.replace("\"web\n", "\"web\"\n")).unwrap();
    let o = import(&d, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(d.join("out.yaml")).unwrap().contains("leads: 5"));
}

#[test]
fn a_skipped_row_is_never_a_repeat_and_one_repeat_reads_as_one() {
    // Lines 2 and 4 are the same row with an impossible date: skipped, so not counted again.
    let csv = "id,created\n1,2024-02-30\n2,2024-01-06\n1,2024-02-30\n3,2024-01-07\n";
    let (_t, d) = scratch(&[("a.csv", csv), ("m.yaml", "stages: {leads: created}\n")]);
    let o = import(&d, &["--skip-bad-rows"]);
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    assert_eq!(e.matches("row skipped").count(), 2, "{e}");
    assert!(!e.contains("cell for cell"), "{e}");
    assert!(std::fs::read_to_string(d.join("out.yaml")).unwrap().contains("leads: 2"));
    // A counted row repeated once says so in the singular.
    std::fs::write(d.join("a.csv"), "id,created\n1,2024-01-05\n2,2024-01-06\n1,2024-01-05\n").unwrap();
    warns_and_strict_fails(&d, "line 4 repeats line 2 cell for cell: it is counted again");
}
