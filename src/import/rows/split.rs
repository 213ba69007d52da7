//! Splitting the main file into parts, each read on its own thread (docs/import.md).
//!
//! A part after the first starts just after a line feed, where a row starts unless that line
//! feed is inside a quoted cell. That cannot be known without reading from the start, so a split
//! is only a guess, checked after the parts are read: the part before it, read from a known row
//! boundary, must have its next row start exactly at the guessed offset. If any part's guess is
//! wrong, the file is read again on one thread. Each part knows the physical line it starts on
//! (the line breaks before it are counted first, in parallel), so every row and cell keeps the
//! place a reading from the start gives it.

use rayon::prelude::*;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Where a part after the first starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Start {
    /// Byte offset of its first row.
    pub offset: u64,
    /// The physical line that row starts on (from 1).
    pub line: u64,
}

/// The smallest part worth a thread.
const MIN_PART: u64 = 8 << 20;
/// How much is read at a time to find a line feed or count line breaks.
const BLOCK: usize = 1 << 20;

/// How many bytes each part has: the rows shared among the threads, at least [`MIN_PART`];
/// `SMARKETING_IMPORT_PART_BYTES` sets it (tests split small files that way; 0 reads on one
/// thread). `None`: one part.
fn part_bytes(rows_len: u64) -> Option<u64> {
    let forced = std::env::var("SMARKETING_IMPORT_PART_BYTES").ok().and_then(|v| v.trim().parse::<u64>().ok());
    let bytes = match forced {
        Some(0) => return None,
        Some(n) => n,
        None => MIN_PART.max(rows_len.div_ceil(rayon::current_num_threads().max(1) as u64)),
    };
    (rows_len > bytes).then_some(bytes)
}

/// The first offset at or after `from` just past a line feed and any line breaks after it,
/// before `len`; `None` if there is none.
fn row_start_after(f: &mut std::fs::File, from: u64, len: u64) -> std::io::Result<Option<u64>> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut at = from;
    let mut seen_lf = false;
    f.seek(SeekFrom::Start(at))?;
    while at < len {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        for &b in &buf[..n] {
            match b {
                b'\n' => seen_lf = true,
                b'\r' => {}
                _ if seen_lf => return Ok(Some(at)),
                _ => {}
            }
            at += 1;
        }
    }
    Ok(None)
}

/// Physical line breaks in `[from, to)`: each CR, and each LF not right after a CR (`prev` is
/// the byte before `from`).
fn breaks(path: &Path, from: u64, to: u64) -> std::io::Result<u64> {
    let mut f = std::fs::File::open(path)?;
    let mut prev = 0u8;
    if from > 0 {
        f.seek(SeekFrom::Start(from - 1))?;
        let mut one = [0u8; 1];
        f.read_exact(&mut one)?;
        prev = one[0];
    }
    let mut buf = vec![0u8; BLOCK];
    let mut left = to - from;
    let mut count = 0u64;
    while left > 0 {
        let want = left.min(BLOCK as u64) as usize;
        f.read_exact(&mut buf[..want])?;
        let block = &buf[..want];
        if block.contains(&b'\r') || prev == b'\r' {
            for &b in block {
                count += u64::from(b == b'\r' || (b == b'\n' && prev != b'\r'));
                prev = b;
            }
        } else {
            count += block.iter().filter(|&&b| b == b'\n').count() as u64;
            prev = block[want - 1];
        }
        left -= want as u64;
    }
    Ok(count)
}

/// The starts of the parts after the first, for the rows from byte `rows_from` on (past the
/// header); empty when the file is read on one thread (small, or no line feed to split at).
pub(super) fn starts(path: &Path, rows_from: u64) -> Vec<Start> {
    guess(path, rows_from).unwrap_or_default()
}

fn guess(path: &Path, rows_from: u64) -> std::io::Result<Vec<Start>> {
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    let Some(bytes) = part_bytes(len.saturating_sub(rows_from)) else { return Ok(Vec::new()) };
    let mut offsets: Vec<u64> = Vec::new();
    let mut candidate = rows_from + bytes;
    while candidate < len {
        let Some(at) = row_start_after(&mut f, candidate, len)? else { break };
        offsets.push(at);
        candidate = at + bytes;
    }
    // Line breaks before each start, counted a block at a time on every thread.
    let mut blocks = Vec::new();
    let mut from = 0;
    for (k, &to) in offsets.iter().enumerate() {
        let mut a = from;
        while a < to {
            let b = (a + BLOCK as u64).min(to);
            blocks.push((k, a, b));
            a = b;
        }
        from = to;
    }
    let counts: Vec<(usize, u64)> =
        blocks.par_iter().map(|&(k, a, b)| breaks(path, a, b).map(|n| (k, n))).collect::<Result<_, _>>()?;
    let mut line = 1;
    let mut out = Vec::new();
    for (k, &offset) in offsets.iter().enumerate() {
        line += counts.iter().filter(|(i, _)| *i == k).map(|(_, n)| n).sum::<u64>();
        out.push(Start { offset, line });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_count_as_the_reader_counts_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, b"a\r\nb\rc\n\"d\r\ne\"\n").unwrap();
        // CRLF once, CR alone once, LF once, CRLF in quotes once, LF once.
        assert_eq!(breaks(&path, 0, 14).unwrap(), 5);
        // From inside a CRLF pair: its LF is not a second break.
        assert_eq!(breaks(&path, 2, 14).unwrap(), 4);
        let mut f = std::fs::File::open(&path).unwrap();
        assert_eq!(row_start_after(&mut f, 1, 14).unwrap(), Some(3));
        assert_eq!(row_start_after(&mut f, 11, 14).unwrap(), None);
    }
}
