//! Opening the CSV files, and the one error for a header that was split on another separator than the map's `delimiter`.

use super::{at_line, display, file_error, row_error};
use crate::diagnostics::{Diagnostic, Severity};
use crate::import::csvread::{CsvReader, Place, Record};

use std::path::Path;

pub(super) fn open(path: &Path, delimiter: u8) -> Result<CsvReader<std::fs::File>, Box<Diagnostic>> {
    let meta = std::fs::metadata(path).map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::NotFound => {
                "check the path: a CSV named on the command line is found from the current folder"
            }
            _ => crate::load::unreadable_hint(&e),
        };
        file_error(path, format!("cannot open: {e}"), hint)
    })?;
    if !meta.is_file() {
        return Err(file_error(path, "not a regular file".into(), "name a CSV file"));
    }
    let mut f = std::fs::File::open(path)
        .map_err(|e| file_error(path, format!("cannot open: {e}"), "check the file's permissions"))?;
    // Excel's "Unicode Text" and some CRMs write UTF-16: say so, not "this row is not UTF-8".
    let mut bom = [0u8; 2];
    if std::io::Read::read_exact(&mut f, &mut bom).is_ok() && matches!(bom, [0xff, 0xfe] | [0xfe, 0xff]) {
        return Err(file_error(
            path,
            "this file is UTF-16 text (it starts with a UTF-16 byte order mark)".into(),
            "re-save it as comma-separated UTF-8 (Excel: Save As, \"CSV UTF-8 (Comma delimited)\")",
        ));
    }
    std::io::Seek::rewind(&mut f).map_err(|e| file_error(path, format!("cannot read: {e}"), "check the file"))?;
    Ok(CsvReader::with_delimiter(f, delimiter))
}

/// The error of a CSV that cannot be opened, if it cannot (checked when nothing else can be).
pub fn check_opens(path: &Path) -> Option<Diagnostic> {
    open(path, b',').err().map(|d| *d)
}

/// Opens a CSV and reads its header row.
pub(super) fn open_with_headers(
    path: &Path,
    delimiter: u8,
    header_row: u64,
) -> Result<(CsvReader<std::fs::File>, Vec<String>), Box<Diagnostic>> {
    let mut rdr = open(path, delimiter)?;
    let mut rec = Record::default();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) if rec.line < header_row => continue,
            Ok(true) => break,
            Ok(false) if header_row > 1 => {
                return Err(file_error(
                    path,
                    format!("the file ends before line {header_row}, where `header_row` says the header is"),
                    "write the number of the line holding the column names",
                ))
            }
            Ok(false) => {
                return Err(file_error(path, "the file is empty".into(), "the first row must name the columns"))
            }
            Err(e) => return Err(Box::new(row_error(&display(path), rec.error_place(), &e, Severity::Error))),
        }
    }
    let headers = rec
        .iter()
        .enumerate()
        .map(|(i, s)| if i == 0 { s.trim_start_matches('\u{feff}') } else { s }.trim().to_string())
        .collect();
    Ok((rdr, headers))
}

/// A header of one cell holding another usual separator than the map's `delimiter` (`;` in
/// Excel's CSV in a language with a decimal comma, a tab, `,`): no column of the map will match.
/// One error saying so and naming the setting, instead of one "no column" per mapped column.
pub(super) fn other_separator(path: &Path, headers: &[String], delimiter: u8) -> Option<Diagnostic> {
    let [only] = headers else { return None };
    let (sep, name, written) = [(';', "semicolons", "\";\""), ('\t', "tabs", "\"\\t\""), (',', "commas", "\",\"")]
        .into_iter()
        .find(|(c, _, _)| *c as u8 != delimiter && only.contains(*c))?;
    let shown: String = only.chars().take(60).collect();
    let reads = match delimiter {
        b',' => "comma-separated CSV".to_string(),
        b'\t' => "cells separated by tabs (`delimiter`)".to_string(),
        d => format!("cells separated by `{}` (`delimiter`)", d as char),
    };
    Some(at_line(
        Severity::Error,
        &display(path),
        Place { line: 1, col: 1 },
        format!(
            "the header is one column, `{}`: the file is separated by {name}, and the import reads {reads}",
            shown.replace('\t', "\\t")
        ),
        format!(
            "write `delimiter: {written}` in the map{}",
            if sep == ';' { "; amounts like 1.054,00 then need `decimal: \",\"` too" } else { "" }
        ),
    ))
}
