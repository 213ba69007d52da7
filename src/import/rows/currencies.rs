//! How the counted amounts are written: their currencies and their decimal marks.

use super::at_line;
use crate::diagnostics::{Diagnostic, Severity};
use crate::import::amounts::{self};
use crate::import::csvread::Place;

/// The currencies of the counted amounts: the first seen (with its line) and the first other
/// one (with its place), for one warning when revenue would sum two currencies as written.
#[derive(Default, Clone)]
pub(super) struct Currencies {
    pub(super) first: Option<(String, u64)>,
    /// The first's file and place.
    first_at: Option<(String, Place)>,
    pub(super) other: Option<(String, String, Place)>,
}

impl Currencies {
    /// Notes the currency cell `cur` of a counted amount, at `place` of `file`.
    pub(super) fn see(&mut self, cur: &str, file: &str, place: Place) {
        let cur = cur.trim();
        match &self.first {
            _ if cur.is_empty() => {}
            None => {
                self.first = Some((cur.to_string(), place.line));
                self.first_at = Some((file.to_string(), place));
            }
            Some((f, _)) if !f.eq_ignore_ascii_case(cur) && self.other.is_none() => {
                self.other = Some((cur.to_string(), file.to_string(), place));
            }
            _ => {}
        }
    }
}

impl Currencies {
    /// Adds what `later` saw in a part of the file after the parts seen so far, as one reading
    /// would have seen it: its first currency is the other one if it differs from the first.
    pub(super) fn absorb(&mut self, later: Currencies) {
        let Some((lf, line)) = later.first else { return };
        match &self.first {
            None => *self = Currencies { first: Some((lf, line)), ..later },
            Some(_) if self.other.is_some() => {}
            Some((f, _)) if !f.eq_ignore_ascii_case(&lf) => {
                self.other = later.first_at.map(|(file, at)| (lf, file, at));
            }
            Some(_) => self.other = later.other,
        }
    }
}

/// How the amounts read so far use the decimal mark: a column whose every mark has three
/// digits after it (`12.500`) may be a European export's thousands separators, read 1000
/// times too small; one amount like `12.50` or `1,234.500` settles that it is a decimal mark.
#[derive(Default, Clone)]
pub(super) struct Marks {
    /// Some amount can only be read with the map's decimal mark.
    pub(super) settled: bool,
    /// Amounts whose mark could be either.
    pub(super) ambiguous: u64,
    /// The first of them: file, cell, text and value in millionths.
    pub(super) first: Option<(String, Place, String, i128)>,
}

impl Marks {
    /// Adds what `later` saw in a part of the file after the parts seen so far.
    pub(super) fn absorb(&mut self, later: Marks) {
        self.settled |= later.settled;
        self.ambiguous += later.ambiguous;
        if self.first.is_none() {
            self.first = later.first;
        }
    }

    /// The warning, when every amount with a mark could have it as a thousands separator.
    pub(super) fn finish(self, name: &str, comma: bool) -> Option<Diagnostic> {
        let (file, at, raw, v) = self.first.filter(|_| !self.settled)?;
        let (mark, other) = if comma { (',', '.') } else { ('.', ',') };
        let value = v as f64 / amounts::SCALE as f64;
        let hint = if comma {
            format!("if the export writes `{mark}` between thousands (`{raw}` for {}), remove `decimal: \",\"` from the map; if these are decimals, all is well", raw.replace(mark, ""))
        } else {
            format!("if the export writes `{mark}` between thousands (`{raw}` for {}), add `decimal: \"{other}\"` to the map; if these are three decimals, all is well", raw.replace(mark, ""))
        };
        Some(at_line(
            Severity::Warning,
            &file,
            at,
            if self.ambiguous == 1 {
                format!("amount `{raw}` in column `{name}` was read as {value}, with `{mark}` as the decimal mark, but `{mark}` may separate thousands here")
            } else {
                format!(
                    "the {} amounts with a `{mark}` in column `{name}` all have three digits after it (`{raw}` was read as {value}): `{mark}` may separate thousands here",
                    self.ambiguous
                )
            },
            hint,
        ))
    }
}
