//! The funnel file the import writes (FORMAT.md section 3), serialized with `serde_yaml` from
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

/// One month of the funnel file, fields in section 3's order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MonthOut {
    /// `YYYY-MM`.
    pub month: String,
    /// Every mapped stage.
    pub stages: Counts,
    /// Revenue won in the month (when `amount` is mapped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revenue: Option<Num>,
    /// Median days of the sales cycle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sales_cycle_days: Option<Num>,
    /// Median days from lead to MQL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_to_mql: Option<Num>,
    /// Counts per channel, sorted by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_channel: BTreeMap<String, Counts>,
}

/// The funnel file: a comment naming the source, then the months.
pub fn to_yaml(source: &str, rows: u64, months: &[MonthOut]) -> String {
    let body = serde_yaml::to_string(months).unwrap_or_else(|e| format!("# serialization failed: {e}\n"));
    let source: String = source.chars().filter(|c| !c.is_control()).collect();
    format!("# Imported by `smarketing import` from {source} ({rows} rows).\n{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_three_order_and_quoting() {
        let mut by_channel = BTreeMap::new();
        by_channel.insert("yes".to_string(), Counts(vec![("leads".into(), 1), ("won".into(), 0)]));
        by_channel.insert("Paid: search".to_string(), Counts(vec![("leads".into(), 2), ("won".into(), 1)]));
        let m = MonthOut {
            month: "2026-10".into(),
            stages: Counts(vec![("leads".into(), 3), ("won".into(), 1)]),
            revenue: Some(Num::micro(15_500_500_000)),
            sales_cycle_days: Some(Num::of(41.0)),
            days_to_mql: Some(Num::of(2.5)),
            by_channel,
        };
        let y = to_yaml("a.csv", 3, &[m]);
        assert_eq!(
            y,
            "# Imported by `smarketing import` from a.csv (3 rows).\n- month: 2026-10\n  stages:\n    leads: 3\n    won: 1\n  revenue: 15500.5\n  sales_cycle_days: 41\n  days_to_mql: 2.5\n  by_channel:\n    'Paid: search':\n      leads: 2\n      won: 1\n    yes:\n      leads: 1\n      won: 0\n"
        );
    }
}
