//! A CSV counted in parts at once, each on its own thread (docs/import.md): the funnel file,
//! every diagnostic, its order, line and column, and the exit status are those of one reading
//! of the file, on exports with a BOM, CRLF line ends, quoted cells holding line breaks, and bad
//! rows near the split points. `SMARKETING_IMPORT_PART_BYTES` sets the part size (0: one
//! thread), so small files are split too.

use crate::common::*;
use std::path::Path;

/// One import with parts of `part_bytes`: (exit code, stdout, stderr without the timing and
/// the parts note, the parts counted at once).
fn import(csv: &Path, map: &Path, part_bytes: u64, extra: &[&str]) -> (Option<i32>, Vec<u8>, String, usize) {
    let mut args = vec!["import", csv.to_str().unwrap(), "--map", map.to_str().unwrap()];
    args.extend_from_slice(extra);
    let pb = part_bytes.to_string();
    let o = run_env(&args, &[("SOURCE_DATE_EPOCH", Some(TEST_EPOCH)), ("SMARKETING_IMPORT_PART_BYTES", Some(&pb))]);
    let err = stderr(&o);
    let parts = err
        .split(" parts of the file counted at once")
        .next()
        .filter(|_| err.contains(" parts of the file counted at once"))
        .and_then(|s| s.rsplit('(').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let mut clean = String::new();
    for line in err.lines() {
        // "... written (2026-01 to 2026-03) in 12 ms (3 parts of the file counted at once)"
        let line = match line.rfind(" in ") {
            Some(i) if line.starts_with("import:") => &line[..i],
            _ => line,
        };
        clean.push_str(line);
        clean.push('\n');
    }
    (o.status.code(), o.stdout, clean, parts)
}

/// A CRM export of `rows` rows with a BOM and CRLF line ends, and every `quoted`-th row's source
/// a quoted cell holding a line break; bad rows of several kinds spread over the file, some of
/// them kinds seen more than 20 times (so the "more like these" counts are merged too).
fn export(rows: usize, quoted: usize) -> Vec<u8> {
    export_dated(rows, quoted, false)
}

/// [`export`], with the dates written month first (`1/13/2026`) when `us`: the import then
/// finds each date column's order in a pass of its own before counting.
fn export_dated(rows: usize, quoted: usize, us: bool) -> Vec<u8> {
    let date = |m: usize, d: usize| if us { format!("{m}/{d}/2026") } else { format!("2026-0{m}-{d:02}") };
    let mut out = b"\xef\xbb\xbfid,created,mql_date,won_date,source,amount,Currency\r\n".to_vec();
    for i in 0..rows {
        let m = i % 3 + 1;
        let d = i % 20 + 1;
        let created = if i % 13 == 5 { "2026-13-45".to_string() } else { date(m, d) };
        let mql = if i % 2 == 0 { date(m, d + 3) } else { String::new() };
        let won = if i % 4 == 0 { format!("{} 10:00:00", date(m, d + 6)) } else { String::new() };
        let amount = match i % 17 {
            3 => String::new(),
            7 => "-1,250.50".to_string(),
            _ => format!("{}", 1000 + i * 7),
        };
        let currency = if i == 152 { "EUR" } else { "USD" };
        let source: Vec<u8> = match i {
            _ if quoted > 0 && i % quoted == quoted / 2 => b"\"Web\r\ninar, \"\"live\"\"\"".to_vec(),
            _ if i % 23 == 11 => b"Caf\xe9".to_vec(),
            _ => ["organic", "paid", "", "events"][i % 4].as_bytes().to_vec(),
        };
        if i % 19 == 9 {
            // A row one cell short.
            out.extend_from_slice(format!("{i},{created},{mql},{won},organic\r\n").as_bytes());
            continue;
        }
        out.extend_from_slice(format!("{i},{created},{mql},{won},").as_bytes());
        out.extend_from_slice(&source);
        out.extend_from_slice(format!(",{amount},{currency}\r\n").as_bytes());
        if i % 31 == 0 {
            out.extend_from_slice(b"\r\n");
        }
        if i == 120 {
            // Row 12 (line 15) again, cell for cell: a repeat across the parts.
            let again = out.split(|&b| b == b'\n').nth(14).unwrap().to_vec();
            out.extend_from_slice(&again);
            out.push(b'\n');
        }
    }
    out
}

const MAP: &str = "stages: {leads: created, mql: mql_date, won: won_date}\nchannel: source\namount: amount\n";

/// Part sizes from a few rows to a few hundred: the split guesses land before, inside and after
/// the bad rows and the quoted cells.
const SIZES: [u64; 9] = [61, 97, 150, 211, 333, 512, 1000, 2048, 4096];

fn same_as_one_thread(csv: &Path, map: &Path, extra: &[&str]) -> Vec<usize> {
    let one = import(csv, map, 0, extra);
    assert_eq!(one.3, 1);
    let mut parts = Vec::new();
    for size in SIZES {
        let many = import(csv, map, size, extra);
        assert_eq!(many.0, one.0, "exit status, parts of {size} bytes");
        assert_eq!(String::from_utf8_lossy(&many.1), String::from_utf8_lossy(&one.1), "output, parts of {size} bytes");
        assert_eq!(many.2, one.2, "diagnostics, parts of {size} bytes");
        parts.push(many.3);
    }
    parts
}

#[test]
fn parts_give_the_bytes_and_diagnostics_of_one_reading() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, map) = (dir.path().join("crm.csv"), dir.path().join("map.yaml"));
    std::fs::write(&csv, export(400, 97)).unwrap();
    std::fs::write(dir.path().join("iso.csv"), export(400, 97)).unwrap();
    std::fs::write(&map, MAP).unwrap();
    // Skipping the bad rows: a funnel file and warnings (unreadable dates, blank and negative
    // amounts, short rows, bad UTF-8, a repeated row, a second currency, quoted line breaks).
    let parts = same_as_one_thread(&csv, &map, &["--skip-bad-rows"]);
    assert!(parts.iter().any(|&n| n >= 5), "some part size must be read in parallel: {parts:?}");
    let one = import(&csv, &map, 0, &["--skip-bad-rows"]);
    assert_eq!(one.0, Some(0), "{}", one.2);
    for want in [
        "repeats line 15 cell for cell",
        "more warnings like the ones above (unreadable dates in column `created`)",
        "`Currency` is USD on line 2 and EUR here",
    ] {
        assert!(one.2.contains(want), "{want}\n{}", one.2);
    }
    // Without skipping: the same errors, nothing written (no summary says how it was read).
    same_as_one_thread(&csv, &map, &[]);
    // A `when` with a value no row holds: the warning lists what the column holds, counted
    // over all the parts.
    std::fs::write(
        &map,
        "stages:\n  leads: created\n  mql: mql_date\n  won: {date: won_date, when: {Currency: [EUR, GBP]}}\nchannel: source\namount: amount\n",
    )
    .unwrap();
    let parts = same_as_one_thread(&csv, &map, &["--skip-bad-rows"]);
    assert!(parts.iter().any(|&n| n >= 5), "{parts:?}");
    let one = import(&csv, &map, 0, &["--skip-bad-rows"]);
    assert!(one.2.contains("the column holds USD (341), EUR (1), blank (21)"), "{}", one.2);
    // Month-first dates: the orders are found first, then the rows are counted in parts.
    std::fs::write(&csv, export_dated(400, 97, true)).unwrap();
    std::fs::write(&map, MAP).unwrap();
    let parts = same_as_one_thread(&csv, &map, &["--skip-bad-rows"]);
    assert!(parts.iter().any(|&n| n >= 5), "{parts:?}");
    // The same months as the ISO dates (below the first line, which names the file).
    let body = |o: Vec<u8>| String::from_utf8(o).unwrap().split_once('\n').unwrap().1.to_string();
    let us = body(import(&csv, &map, 0, &["--skip-bad-rows"]).1);
    assert_eq!(us, body(import(&dir.path().join("iso.csv"), &map, 0, &["--skip-bad-rows"]).1));
}

#[test]
fn a_split_inside_a_quoted_cell_reads_on_one_thread() {
    // A line break in a quoted cell in every other row: some guessed split lands inside one,
    // so the file is read again on one thread; the result is the same either way.
    let dir = tempfile::tempdir().unwrap();
    let (csv, map) = (dir.path().join("crm.csv"), dir.path().join("map.yaml"));
    std::fs::write(&csv, export(300, 2)).unwrap();
    std::fs::write(&map, MAP).unwrap();
    let parts = same_as_one_thread(&csv, &map, &["--skip-bad-rows"]);
    assert!(parts.contains(&1), "{parts:?}");
}

#[test]
fn a_row_over_one_mib_is_refused_where_it_is_seen() {
    // Rows, a row with a 1.1 MiB cell, rows after it: the error is at its line and column,
    // and nothing after it is read or reported, whichever part it falls in.
    let dir = tempfile::tempdir().unwrap();
    let (csv, map) = (dir.path().join("crm.csv"), dir.path().join("map.yaml"));
    let mut text = export(200, 0);
    let line = text.split(|&b| b == b'\n').count();
    text.extend_from_slice(b"999,2026-01-05,,,\"");
    text.extend(std::iter::repeat_n(b'x', 1_100_000));
    text.extend_from_slice(b"\",5,USD\r\n");
    text.extend_from_slice(&export(200, 0)[60..]);
    std::fs::write(&csv, &text).unwrap();
    std::fs::write(&map, MAP).unwrap();
    let one = import(&csv, &map, 0, &["--skip-bad-rows"]);
    assert_ne!(one.0, Some(0));
    assert!(one.2.contains(&format!("crm.csv:{line}:18")), "{}", one.2);
    assert!(one.2.contains("this row is over 1 MiB"), "{}", one.2);
    for size in [500u64, 5000, 100_000, 600_000] {
        let many = import(&csv, &map, size, &["--skip-bad-rows"]);
        assert_eq!((many.0, &many.1, &many.2), (one.0, &one.1, &one.2), "parts of {size} bytes");
    }
}
