//! A streaming CSV reader for CRM exports, on `csv-core`, that the `csv` crate's reader cannot
//! replace for two reasons: it numbers records by the *physical* line they start on whatever
//! the line endings (LF, CRLF, CR alone, and lines inside quoted cells all count), and it
//! refuses a row (or header cell) over [`MAX_ROW_BYTES`] as soon as that many bytes are seen,
//! so memory stays bounded however long a hostile row is (docs/import.md and SECURITY.md).

use std::io::Read;

/// Largest CSV row, in bytes of cell text: past it the file is refused without reading on.
pub const MAX_ROW_BYTES: usize = 1 << 20;
/// Most columns a CSV row may have (a CRM export has a few hundred at most).
pub const MAX_COLUMNS: usize = 1000;
/// How much of the file is read at a time.
const CHUNK: usize = 64 * 1024;

/// Why a row could not be read.
#[derive(Debug)]
pub enum RowError {
    /// The file could not be read at all.
    Io(std::io::Error),
    /// The row reached [`MAX_ROW_BYTES`]; reading stopped there.
    TooLong,
    /// The row has more than [`MAX_COLUMNS`] cells; reading stopped there.
    TooManyColumns,
    /// A cell is not UTF-8 text (the row is complete; reading can go on).
    NotUtf8,
    /// A cell opens a quote that the file never closes: everything after it would be that
    /// one cell, so no later row could be read.
    UnclosedQuote,
}

impl RowError {
    /// Whether reading can go on after this error (only a bad row, not a refused file).
    pub fn recoverable(&self) -> bool {
        matches!(self, RowError::NotUtf8)
    }

    /// The error in words, with what would be right.
    pub fn describe(&self) -> (String, String) {
        match self {
            RowError::Io(e) => (format!("cannot read the file: {e}"), "check the file's permissions".into()),
            RowError::TooLong => (
                format!("this row is over {} MiB; the file was not read further", MAX_ROW_BYTES >> 20),
                "a CRM export has short rows: look for a quote `\"` that is never closed, or a file that is not CSV"
                    .into(),
            ),
            RowError::TooManyColumns => (
                format!("this row has more than {MAX_COLUMNS} cells; the file was not read further"),
                "export only the columns the map needs, and check that the file is comma-separated".into(),
            ),
            RowError::NotUtf8 => ("this row is not UTF-8 text".into(), "export the CSV as UTF-8".into()),
            RowError::UnclosedQuote => (
                "this cell opens a quote `\"` that is never closed, so the rest of the file would be this one cell and no row after it could be counted".into(),
                "close the quote (a quote inside a quoted cell is written twice, `\"\"`), or remove the quote at the cell's start".into(),
            ),
        }
    }
}

/// Where a cell that starts with a quote stands, by csv-core's rules (a quote inside the
/// quotes is written twice; after the closing quote the cell goes on unquoted), so that a
/// quote still open at the end of the file is known: csv-core ends such a cell there as if
/// it were closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    /// The cell does not start with a quote.
    Unquoted,
    /// Before the opening quote (a byte order mark may come first).
    Start,
    /// Inside the quotes.
    Open,
    /// Just after a quote inside them: the closing one, or the first of a doubled pair.
    Doubled,
    /// The quotes are closed.
    Closed,
}

impl Quote {
    /// The state after the cell's bytes `bytes`. Kept out of line: inlined, it slowed the
    /// reading of every row, quoted or not, by a tenth.
    #[inline(never)]
    fn after(self, bytes: &[u8]) -> Quote {
        bytes.iter().fold(self, |q, &b| q.step(b))
    }

    /// The state after byte `b` of the cell.
    fn step(self, b: u8) -> Quote {
        match (self, b) {
            (Quote::Start, b'"') | (Quote::Doubled, b'"') => Quote::Open,
            (Quote::Open, b'"') => Quote::Doubled,
            (Quote::Doubled, _) => Quote::Closed,
            (q, _) => q,
        }
    }
}

/// Where a cell starts in the file: physical line and column (in characters), both from 1.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Line (from 1).
    pub line: u64,
    /// Column (from 1), counted in characters like an editor does.
    pub col: u32,
}

/// One row: its cells, the physical line it starts on, and where each cell starts.
#[derive(Debug, Default, Clone)]
pub struct Record {
    /// Line (from 1) of the row's first character.
    pub line: u64,
    /// Byte offset of the row's first byte in the file (where a part of the file read on its
    /// own thread must start to see this row first).
    pub offset: u64,
    text: String,
    ends: Vec<usize>,
    /// Per cell: lines after the row's first (a cell after one with a line break in its
    /// quotes starts on a later line) and column.
    starts: Vec<(u32, u32)>,
    /// The cell a read error is about (too long, one too many, not UTF-8).
    bad: Option<usize>,
}

impl Record {
    /// The cell at `i`, or `None` past the row's end.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }

    /// Where the cell at `i` starts; the row's start for a cell past its end.
    pub fn place(&self, i: usize) -> Place {
        match self.starts.get(i) {
            Some(&(down, col)) => Place { line: self.line + u64::from(down), col },
            None => Place { line: self.line, col: 1 },
        }
    }

    /// Where the last read went wrong: the cell that was too long, the first cell past the
    /// limit, or the cell that is not UTF-8; the row's start for other errors.
    pub fn error_place(&self) -> Place {
        self.bad.map(|i| self.place(i)).unwrap_or(Place { line: self.line, col: 1 })
    }

    /// How many cells the row has.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The cells' text one after another, and where each cell ends in it: two rows are the
    /// same cell for cell when both are equal (for hashing a whole row at once).
    pub fn raw(&self) -> (&str, &[usize]) {
        (&self.text, &self.ends)
    }

    /// The cells in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i).unwrap_or(""))
    }
}

/// Reads records one at a time from any byte source.
pub struct CsvReader<R> {
    src: R,
    core: csv_core::Reader,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// Physical line of the next unread byte.
    line: u64,
    /// Its column, in characters from 1.
    col: u32,
    prev_cr: bool,
    /// Bytes handed to the parser so far (for a progress bar).
    pub consumed: u64,
}

impl<R: Read> CsvReader<R> {
    /// A reader of comma-separated text with `"` quotes (RFC 4180, any line ending).
    #[cfg(test)]
    pub fn new(src: R) -> Self {
        Self::with_delimiter(src, b',')
    }

    /// A reader of text whose cells are separated by `delimiter` (`;` in Excel's CSV where
    /// the decimal mark is a comma), with `"` quotes.
    pub fn with_delimiter(src: R, delimiter: u8) -> Self {
        CsvReader {
            src,
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            buf: vec![0; CHUNK],
            start: 0,
            end: 0,
            eof: false,
            line: 1,
            col: 1,
            prev_cr: false,
            consumed: 0,
        }
    }

    /// A reader of `src` positioned at byte `offset` of the file, where a row starts on
    /// physical line `line` (a part of the file read on its own thread): rows and cells are
    /// numbered and placed as a reader from the file's start would.
    pub fn starting_at(src: R, delimiter: u8, offset: u64, line: u64) -> Self {
        CsvReader { line, consumed: offset, ..Self::with_delimiter(src, delimiter) }
    }

    fn fill(&mut self) -> Result<(), RowError> {
        if self.start < self.end || self.eof {
            return Ok(());
        }
        loop {
            match self.src.read(&mut self.buf) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => {
                    self.start = 0;
                    self.end = n;
                    break;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(RowError::Io(e)),
            }
        }
        Ok(())
    }

    /// Counts the line breaks in `buf[start..start + n]` and moves past them.
    fn advance(&mut self, n: usize) {
        for &b in &self.buf[self.start..self.start + n] {
            match b {
                b'\n' => {
                    if !self.prev_cr {
                        self.line += 1;
                    }
                    self.col = 1;
                    self.prev_cr = false;
                }
                b'\r' => {
                    self.line += 1;
                    self.col = 1;
                    self.prev_cr = true;
                }
                _ => {
                    // A character's first byte (UTF-8 continuation bytes are 10xxxxxx).
                    if b & 0xC0 != 0x80 {
                        self.col = self.col.saturating_add(1);
                    }
                    self.prev_cr = false;
                }
            }
        }
        self.start += n;
        self.consumed += n as u64;
    }

    /// Reads the next row into `rec`; `Ok(false)` at the end of the file. Blank lines between
    /// rows are skipped (as every CSV reader does). After an error that is not
    /// [`RowError::recoverable`], stop reading.
    pub fn read_record(&mut self, rec: &mut Record) -> Result<bool, RowError> {
        // Line breaks before the row belong to no row: skip them so `line` is the row's own.
        loop {
            self.fill()?;
            if self.start == self.end {
                return Ok(false);
            }
            match self.buf[self.start] {
                b'\r' | b'\n' => self.advance(1),
                _ => break,
            }
        }
        rec.line = self.line;
        rec.offset = self.consumed;
        rec.bad = None;
        let mut out = std::mem::take(&mut rec.text).into_bytes();
        out.clear();
        out.resize(256, 0);
        rec.ends.clear();
        rec.starts.clear();
        let mut olen = 0usize;
        // Cell by cell, so that each cell's place is known where it starts.
        let mut new_cell = true;
        // Where the cell being read stands with its quotes.
        let mut quote = Quote::Unquoted;
        loop {
            self.fill()?;
            if new_cell {
                let down = u32::try_from(self.line - rec.line).unwrap_or(u32::MAX);
                rec.starts.push((down, self.col));
                new_cell = false;
                // (csv-core skips a byte order mark at the start of the file.)
                let opens = match self.buf.get(self.start) {
                    Some(b'"') => self.start < self.end,
                    Some(0xef) => self.consumed == 0 && self.buf[self.start..self.end].starts_with(b"\xef\xbb\xbf\""),
                    _ => false,
                };
                quote = if opens { Quote::Start } else { Quote::Unquoted };
                if rec.starts.len() > MAX_COLUMNS {
                    rec.bad = Some(MAX_COLUMNS);
                    return Err(RowError::TooManyColumns);
                }
            }
            let input = &self.buf[self.start..self.end];
            let (res, nin, nout) = self.core.read_field(input, &mut out[olen..]);
            if quote != Quote::Unquoted {
                quote = quote.after(&input[..nin]);
            }
            self.advance(nin);
            olen += nout;
            match res {
                csv_core::ReadFieldResult::InputEmpty => {}
                csv_core::ReadFieldResult::OutputFull => {
                    if out.len() >= MAX_ROW_BYTES {
                        rec.bad = Some(rec.starts.len() - 1);
                        return Err(RowError::TooLong);
                    }
                    let grown = (out.len() * 2).min(MAX_ROW_BYTES);
                    out.resize(grown, 0);
                }
                csv_core::ReadFieldResult::Field { record_end } => {
                    // A cell ends inside its quotes only at the end of the file, where csv-core
                    // ends it as if the quote were closed: the rows after the quote would
                    // silently be this one cell.
                    if quote == Quote::Open {
                        rec.bad = Some(rec.starts.len() - 1);
                        return Err(RowError::UnclosedQuote);
                    }
                    rec.ends.push(olen);
                    if record_end {
                        break;
                    }
                    new_cell = true;
                }
                csv_core::ReadFieldResult::End => return Ok(false),
            }
        }
        out.truncate(olen);
        // The first byte that is not UTF-8, or a cell boundary inside a character.
        let bad_at = match String::from_utf8(out) {
            Ok(text) => {
                let at = rec.ends.iter().find(|&&e| !text.is_char_boundary(e)).copied();
                if at.is_none() {
                    rec.text = text;
                    return Ok(true);
                }
                at
            }
            Err(e) => Some(e.utf8_error().valid_up_to()),
        };
        let at = bad_at.unwrap_or(0);
        rec.bad = Some(rec.ends.partition_point(|&e| e <= at).min(rec.starts.len().saturating_sub(1)));
        rec.text = String::new();
        rec.ends.clear();
        Err(RowError::NotUtf8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[u8]) -> Vec<(u64, Vec<String>)> {
        let mut r = CsvReader::new(text);
        let mut rec = Record::default();
        let mut out = Vec::new();
        while r.read_record(&mut rec).unwrap() {
            out.push((rec.line, rec.iter().map(str::to_string).collect()));
        }
        out
    }

    /// A quote that the file never closes stops the reading with an error at the cell that
    /// opened it, instead of making every later row part of that cell; a quoted cell that is
    /// closed (also across lines, also at the very end of the file) reads as before.
    #[test]
    fn a_quote_never_closed_is_an_error_at_its_cell() {
        for nl in ["\n", "\r\n", "\r"] {
            for tail in ["", nl] {
                for open in ["\"web", "\"we\"\"b"] {
                    let text = format!("id,src,amount{nl}1,{open},100{nl}2,web,100{nl}3,web,100{tail}");
                    let mut r = CsvReader::new(text.as_bytes());
                    let mut rec = Record::default();
                    assert!(r.read_record(&mut rec).unwrap());
                    let e = r.read_record(&mut rec).unwrap_err();
                    assert!(matches!(e, RowError::UnclosedQuote), "{nl:?} {tail:?} {open}: {e:?}");
                    assert_eq!(rec.error_place(), Place { line: 2, col: 3 }, "{nl:?} {tail:?}");
                }
                // Opened by the file's first cell, after a byte order mark.
                let text = format!("\u{feff}\"id,src{nl}1,2{tail}");
                let e = CsvReader::new(text.as_bytes()).read_record(&mut Record::default()).unwrap_err();
                assert!(matches!(e, RowError::UnclosedQuote), "{nl:?} {tail:?}: {e:?}");
                let closed = format!("id,src{nl}1,\"a{nl}b\"{nl}2,\"x\"\"y\"{nl}3,\"z\"w{nl}4,\"q\"{tail}");
                let got = rows(closed.as_bytes());
                assert_eq!(got.len(), 5, "{nl:?} {tail:?}");
                assert_eq!(got[4].1, vec!["4".to_string(), "q".to_string()]);
            }
        }
        // A quote that only opens at the very end.
        assert!(matches!(CsvReader::new(&b"a,b\n1,\""[..]).read_record(&mut Record::default()), Ok(true)));
        let mut r = CsvReader::new(&b"a,b\n1,\""[..]);
        let mut rec = Record::default();
        r.read_record(&mut rec).unwrap();
        assert!(matches!(r.read_record(&mut rec), Err(RowError::UnclosedQuote)));
    }

    #[test]
    fn physical_lines_for_every_line_ending() {
        for nl in ["\n", "\r\n", "\r"] {
            let text = format!("a,b{nl}1,\"x{nl}y\"{nl}{nl}2,z{nl}3,w");
            let got = rows(text.as_bytes());
            let lines: Vec<u64> = got.iter().map(|r| r.0).collect();
            assert_eq!(lines, vec![1, 2, 5, 6], "line ending {nl:?}");
            assert_eq!(got[1].1, vec!["1".to_string(), format!("x{nl}y")]);
        }
    }

    #[test]
    fn each_cell_has_its_line_and_column() {
        for nl in ["\n", "\r\n", "\r"] {
            let text = format!("id,when{nl}\"é, x\",2024-01-05,{nl}\"a{nl}b\",  c{nl}");
            let mut r = CsvReader::new(text.as_bytes());
            let mut rec = Record::default();
            assert!(r.read_record(&mut rec).unwrap());
            assert_eq!((rec.place(0), rec.place(1)), (Place { line: 1, col: 1 }, Place { line: 1, col: 4 }));
            assert!(r.read_record(&mut rec).unwrap());
            // Columns count characters (`é` is two bytes); the empty last cell starts at the
            // line break; a cell past the row's end points at the row.
            let cols: Vec<u32> = (0..3).map(|i| rec.place(i).col).collect();
            assert_eq!(cols, vec![1, 8, 19], "{nl:?}");
            assert_eq!(rec.place(9), Place { line: 2, col: 1 });
            assert!(r.read_record(&mut rec).unwrap());
            // The second cell starts on the line after the first cell's line break.
            assert_eq!((rec.place(0), rec.place(1)), (Place { line: 3, col: 1 }, Place { line: 4, col: 4 }), "{nl:?}");
        }
    }

    #[test]
    fn crlf_split_across_chunks_counts_once() {
        let mut text = vec![b'a'; CHUNK - 1];
        text.extend_from_slice(b"\r\nb\r\nc\n");
        let got = rows(&text);
        assert_eq!(got.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2, 3]);
    }

    #[test]
    fn oversized_row_is_refused_before_it_ends() {
        // An endless quoted cell: the reader must stop at the limit, not at the end.
        let src = std::io::Read::chain(&b"a\n\""[..], std::io::repeat(b'x'));
        let mut r = CsvReader::new(src);
        let mut rec = Record::default();
        assert!(r.read_record(&mut rec).unwrap());
        assert!(matches!(r.read_record(&mut rec), Err(RowError::TooLong)));
        assert!(r.consumed < (MAX_ROW_BYTES + 2 * CHUNK) as u64);
        let src = std::io::Read::chain(&b"a\n"[..], std::io::repeat(b','));
        let mut r = CsvReader::new(src);
        assert!(r.read_record(&mut rec).unwrap());
        assert!(matches!(r.read_record(&mut rec), Err(RowError::TooManyColumns)));
    }

    #[test]
    fn a_read_error_names_its_cell() {
        let mut rec = Record::default();
        let mut r = CsvReader::new(&b"a,b,c\n1,\"\xc3\xa9\",x\xff\n"[..]);
        assert!(r.read_record(&mut rec).unwrap());
        assert!(matches!(r.read_record(&mut rec), Err(RowError::NotUtf8)));
        assert_eq!(rec.error_place(), Place { line: 2, col: 7 });
        let src = std::io::Read::chain(&b"a\n1,\""[..], std::io::repeat(b'x'));
        let mut r = CsvReader::new(src);
        assert!(r.read_record(&mut rec).unwrap());
        assert!(matches!(r.read_record(&mut rec), Err(RowError::TooLong)));
        assert_eq!(rec.error_place(), Place { line: 2, col: 3 });
        let src = std::io::Read::chain(&b"a\n"[..], std::io::repeat(b','));
        let mut r = CsvReader::new(src);
        assert!(r.read_record(&mut rec).unwrap());
        assert!(matches!(r.read_record(&mut rec), Err(RowError::TooManyColumns)));
        assert_eq!(rec.error_place(), Place { line: 2, col: MAX_COLUMNS as u32 + 1 });
    }

    #[test]
    fn bad_utf8_is_one_bad_row() {
        let mut r = CsvReader::new(&b"a,b\n\xff,1\nc,d\n"[..]);
        let mut rec = Record::default();
        assert!(r.read_record(&mut rec).unwrap());
        assert!(matches!(r.read_record(&mut rec), Err(RowError::NotUtf8)));
        assert!(r.read_record(&mut rec).unwrap());
        assert_eq!((rec.line, rec.get(0)), (3, Some("c")));
    }
}
