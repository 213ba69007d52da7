//! Import memory stays bounded (issue 16 item 6): a CSV row or header cell of 128 MiB is
//! refused once 1 MiB of it is seen, never read whole. The peak memory measured is each
//! import process's own (wait4), in the small tests/memory binary.
#![cfg(target_os = "linux")]

use crate::common::*;
use std::io::Write;

/// Writes `head`, then `size` bytes of `x`, then `tail` into a new file at `path`.
fn write_big(path: &std::path::Path, head: &str, size: usize, tail: &str) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..size / chunk.len() {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(tail.as_bytes()).unwrap();
}

#[test]
fn a_huge_row_or_header_cell_is_refused_without_reading_it_whole() {
    const BIG: usize = 128 << 20;
    let tmp = tempfile::tempdir().unwrap();
    let map = tmp.path().join("m.yaml");
    std::fs::write(&map, "stages: {leads: created}\n").unwrap();
    let cases = [
        ("row.csv", "id,created\n1,2026-10-01\n2,\"", "\"\n3,2026-10-02\n", 3),
        ("head.csv", "id,\"created", "\"\n1,2026-10-01\n", 1),
    ];
    let mut peak_mib = 0;
    for (name, head, tail, line) in cases {
        let csv = tmp.path().join(name);
        write_big(&csv, head, BIG, tail);
        let (o, peak) = run_peak_mib(&["import", csv.to_str().unwrap(), "--map", map.to_str().unwrap()]);
        peak_mib = peak_mib.max(peak);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{name}: {e}");
        assert!(e.contains(&format!("{name}:{line}:")) && e.contains("1 MiB"), "{name}: {e}");
        std::fs::remove_file(&csv).unwrap();
    }
    assert!(peak_mib < 48, "import peaked at {peak_mib} MiB for a 128 MiB row or header cell");
}
