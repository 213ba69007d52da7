//! The funnel file the import writes (docs/content.md, funnel files), serialized with `serde_yaml` from
//! typed structs: keys in section 3's order, stages in the map's order, channels sorted by
//! their UTF-8 bytes, whole numbers without a decimal point. Same input, same bytes.

use serde::ser::{Serialize, SerializeMap, Serializer};
use std::collections::BTreeMap;

/// A number as it is written: whole numbers as integers, others as the shortest float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// A whole number.
    Int(i64),
    /// Any other number.
    Float(f64),
}

impl Num {
    /// `v` as written (whole values as integers).
    pub fn of(v: f64) -> Num {
        if v.fract() == 0.0 && v.abs() < 1e15 {
            Num::Int(v as i64)
        } else {
            Num::Float(v)
        }
    }

    /// Millionths of a unit as a number (exact for whole units).
    pub fn micro(v: i128) -> Num {
        if v % super::amounts::SCALE == 0 && (v / super::amounts::SCALE).abs() < 1_000_000_000_000_000 {
            Num::Int((v / super::amounts::SCALE) as i64)
        } else {
            Num::Float(v as f64 / super::amounts::SCALE as f64)
        }
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Num::Int(i) => s.serialize_i64(*i),
            Num::Float(f) => s.serialize_f64(*f),
        }
    }
}

/// Stage id -> count, in the map's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Counts(pub Vec<(String, u64)>);

impl Serialize for Counts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// One channel's figures in a month: its stage counts, then `revenue` and `spend`.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelOut {
    /// Stage id -> count (none in a spend import).
    pub counts: Counts,
    /// Revenue won from the channel (when `amount` is mapped beside `channel`).
    pub revenue: Option<Num>,
    /// The channel's spend (a spend import with `channel`).
    pub spend: Option<Num>,
}

impl Serialize for ChannelOut {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for (k, v) in &self.counts.0 {
            m.serialize_entry(k, v)?;
        }
        if let Some(r) = &self.revenue {
            m.serialize_entry("revenue", r)?;
        }
        if let Some(v) = &self.spend {
            m.serialize_entry("spend", v)?;
        }
        m.end()
    }
}

/// One month of the funnel file, fields in section 3's order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MonthOut {
    /// `YYYY-MM`.
    pub month: String,
    /// Every mapped stage (none in a spend import).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stages: Option<Counts>,
    /// Revenue won in the month (when `amount` is mapped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revenue: Option<Num>,
    /// Deals lost in the month (when `lost` is mapped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lost: Option<u64>,
    /// Amounts of the opportunities created in the month (with `pipeline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_created: Option<Num>,
    /// Amounts of the opportunities open at the month's last day (with `pipeline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_open: Option<Num>,
    /// `marketing` or `sales` -> the month's spend (a spend import).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spend: Option<BTreeMap<&'static str, Num>>,
    /// Median days of the sales cycle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sales_cycle_days: Option<Num>,
    /// Median days from lead to MQL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_to_mql: Option<Num>,
    /// Figures per channel, sorted by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_channel: BTreeMap<String, ChannelOut>,
}

/// The first line of every file the import writes starts with this.
pub const MARK: &str = "# Written by `smarketing import` from ";
/// What precedes the checksum (16 hex digits) on that line.
const SUM: &str = "checksum fnv1a64:";

/// FNV-1a, 64 bits: a stable hash of the lines under the first (no crate needed; it detects
/// edits, it is no protection against someone who means to forge it).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The funnel file: a first line naming the export and the map, with the checksum of the
/// lines below it, then the months; serde_yaml's error if it cannot write them (never a file
/// with the error in it).
pub fn to_yaml(source: &str, map: &str, rows: u64, months: &[MonthOut]) -> Result<String, serde_yaml::Error> {
    let body = serde_yaml::to_string(months)?;
    let clean = |s: &str| s.chars().filter(|c| !c.is_control()).collect::<String>();
    Ok(format!(
        "{MARK}{} with {} ({rows} rows); {SUM}{:016x} of the lines below: re-run the import instead of editing them.\n{body}",
        clean(source),
        clean(map),
        fnv1a(body.as_bytes())
    ))
}

/// Whether `text` is a file the import wrote and nobody edited since: its first line is the
/// import's, and the checksum on it is the lines' below.
pub fn unedited(text: &str) -> bool {
    let Some((first, body)) = text.split_once('\n') else { return false };
    if !first.starts_with(MARK) {
        return false;
    }
    let Some((_, rest)) = first.rsplit_once(SUM) else { return false };
    let Some(hex) = rest.get(..16) else { return false };
    u64::from_str_radix(hex, 16).is_ok_and(|sum| sum == fnv1a(body.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_three_order_and_quoting() {
        let mut by_channel = BTreeMap::new();
        let ch = |l: u64, w: u64, revenue: Option<Num>| ChannelOut {
            counts: Counts(vec![("leads".into(), l), ("won".into(), w)]),
            revenue,
            spend: None,
        };
        by_channel.insert("yes".to_string(), ch(1, 0, None));
        by_channel.insert("Paid: search".to_string(), ch(2, 1, Some(Num::of(300.0))));
        let m = MonthOut {
            month: "2026-10".into(),
            stages: Some(Counts(vec![("leads".into(), 3), ("won".into(), 1)])),
            revenue: Some(Num::micro(15_500_500_000)),
            lost: Some(2),
            pipeline_created: Some(Num::of(1200.0)),
            pipeline_open: Some(Num::of(800.5)),
            spend: None,
            sales_cycle_days: Some(Num::of(41.0)),
            days_to_mql: Some(Num::of(2.5)),
            by_channel,
        };
        let y = to_yaml("a.csv", "a.map.yaml", 3, &[m]).unwrap();
        let body = "- month: 2026-10\n  stages:\n    leads: 3\n    won: 1\n  revenue: 15500.5\n  lost: 2\n  pipeline_created: 1200\n  pipeline_open: 800.5\n  sales_cycle_days: 41\n  days_to_mql: 2.5\n  by_channel:\n    'Paid: search':\n      leads: 2\n      won: 1\n      revenue: 300\n    yes:\n      leads: 1\n      won: 0\n";
        assert_eq!(
            y,
            format!("# Written by `smarketing import` from a.csv with a.map.yaml (3 rows); checksum fnv1a64:{:016x} of the lines below: re-run the import instead of editing them.\n{body}", fnv1a(body.as_bytes()))
        );
        assert!(unedited(&y));
        assert!(!unedited(&y.replace("lost: 2", "lost: 3")), "an edit below the first line");
        assert!(!unedited(body), "no first line");
        assert!(!unedited(&y.replacen("fnv1a64:", "fnv1a64:0", 1)), "a checksum edited");
    }

    #[test]
    fn fnv1a_64_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
