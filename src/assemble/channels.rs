//! The channels table, on a month's report and on the funnel page: each channel's stage
//! counts and, when any channel has spend or revenue, its spend, revenue, cost per lead, cost
//! per won and ROAS. Rows are sorted by cost per won, highest first (then by spend; channels
//! without a cost per won last), so the channel that costs most per won deal is the first row,
//! named so in words. Without money the rows are sorted by the last stage's count.

use super::{currency, format, report_href, Analysis};
use crate::analyze::channels::ChannelFigures;
use crate::model::calendar::Month;
use serde::Serialize;
use std::cmp::Ordering;

/// One figure of a channel's row, with the column it belongs to (a phone shows the row as a
/// block, each figure labelled).
#[derive(Serialize)]
pub struct Cell<'a> {
    /// The column's name.
    pub label: &'a str,
    /// The figure, formatted ("—" for no value).
    pub value: String,
}

/// One channel of the channels table.
#[derive(Serialize)]
pub struct ChannelRow<'a> {
    /// The channel's (display) name.
    pub name: &'a str,
    /// Count per shown stage.
    pub values: Vec<Cell<'a>>,
    /// Spend, revenue, cost per lead, cost per won and ROAS (empty when no channel has money).
    pub money: Vec<Cell<'a>>,
    /// Bar width, 0 to 100, of the figure the rows are sorted by; `None` without one.
    pub bar: Option<String>,
    /// Whether this is the channel that costs most per won deal (of at least two that have a
    /// cost per won).
    pub costliest: bool,
}

/// The channels of a month, or of a quarter, when the funnel gives any.
#[derive(Serialize)]
pub struct ChannelsBlock<'a> {
    /// The period, "Oct 2026" or "Q4 2026".
    pub month: String,
    /// Its report (or quarter review), from the site root.
    pub href: String,
    /// The stages any channel gives.
    pub columns: Vec<&'a str>,
    /// The money columns (empty without money).
    pub money_columns: Vec<Column>,
    /// One row per channel, sorted.
    pub rows: Vec<ChannelRow<'a>>,
    /// How the rows are sorted, in words.
    pub sorted_by: String,
    /// What the bar column shows.
    pub bar_label: String,
}

/// A column of the table: its name and its glossary entry.
#[derive(Serialize, Clone, Copy)]
pub struct Column {
    /// Its name.
    pub label: &'static str,
    /// Its glossary entry's id.
    pub term: &'static str,
}

/// The money columns.
const MONEY: [Column; 5] = [
    Column { label: "Spend", term: "channel-spend" },
    Column { label: "Revenue", term: "channel-revenue" },
    Column { label: "Cost per lead", term: "channel-cost-per-lead" },
    Column { label: "Cost per won", term: "cost-per-won" },
    Column { label: "ROAS", term: "roas" },
];

/// Descending, no value last.
fn desc(x: Option<f64>, y: Option<f64>) -> Ordering {
    match (x, y) {
        (Some(a), Some(b)) => b.total_cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The channels table of month `m`, when its funnel gives channels.
pub(super) fn channels_block<'a>(a: &'a Analysis, m: Month) -> Option<ChannelsBlock<'a>> {
    channels_table(a, &a.get(m)?.channels, m.short_name(), report_href(m))
}

/// The channels table of `channels`, the figures of the period `name` whose page is `href`
/// (a month, or a quarter summed from its months); `None` without channels.
pub(super) fn channels_table<'a>(
    a: &'a Analysis,
    channels: &'a [ChannelFigures],
    name: String,
    href: String,
) -> Option<ChannelsBlock<'a>> {
    let s = &a.project.site;
    if channels.is_empty() {
        return None;
    }
    let last = s.stages.len() - 1;
    let money = channels.iter().any(|c| c.spend.is_some() || c.revenue.is_some());
    let mut chans: Vec<&ChannelFigures> = channels.iter().collect();
    // Columns: the stages any channel gives.
    let cols: Vec<usize> = (0..s.stages.len()).filter(|i| chans.iter().any(|c| c.stages[*i].is_some())).collect();
    let count = |c: &ChannelFigures, i: usize| c.stages[i].map(|v| v as f64);
    let sort_col = if cols.contains(&last) { last } else { *cols.last().unwrap_or(&last) };
    let with_cost = chans.iter().filter(|c| c.cost_per_won.is_some()).count();
    // What the rows are sorted and barred by.
    let key = |c: &ChannelFigures| if money { c.cost_per_won } else { count(c, sort_col) };
    chans.sort_by(|x, y| {
        let by_money =
            if money { desc(x.cost_per_won, y.cost_per_won).then(desc(x.spend, y.spend)) } else { Ordering::Equal };
        by_money.then(desc(count(x, sort_col), count(y, sort_col))).then(x.name.cmp(&y.name))
    });
    let max = chans.iter().filter_map(|c| key(c)).fold(0.0_f64, f64::max);
    let cur = currency(a);
    let rows = chans
        .iter()
        .enumerate()
        .map(|(i, c)| ChannelRow {
            name: &c.name,
            values: cols
                .iter()
                .map(|i| Cell { label: s.stage_labels[*i].as_str(), value: format::count(count(c, *i)) })
                .collect(),
            money: if money {
                let values = [
                    format::money(c.spend, cur),
                    format::money(c.revenue, cur),
                    format::money(c.cost_per_lead, cur),
                    format::money(c.cost_per_won, cur),
                    format::times(c.roas),
                ];
                MONEY.iter().zip(values).map(|(col, value)| Cell { label: col.label, value }).collect()
            } else {
                Vec::new()
            },
            bar: key(c).filter(|_| max > 0.0).map(|v| format!("{:.1}", v / max * 100.0)),
            costliest: money && i == 0 && with_cost >= 2,
        })
        .collect();
    let (first, last_label) = (&s.stage_labels[0], &s.stage_labels[last]);
    let (sorted_by, bar_label) = if money {
        (
            format!(
                "Sorted by cost per won ({} spend ÷ {last_label}), highest first, then by spend; channels without a cost per won last. Cost per lead is spend ÷ {first}; ROAS is revenue ÷ spend.",
                s.team("marketing").map(|t| t.name.as_str()).unwrap_or("marketing")
            ),
            "Cost per won, against the costliest channel".to_string(),
        )
    } else {
        (
            format!("Sorted by {}", s.stage_labels[sort_col]),
            format!("{}, against the top channel", s.stage_labels[sort_col]),
        )
    };
    Some(ChannelsBlock {
        month: name,
        href,
        columns: cols.iter().map(|i| s.stage_labels[*i].as_str()).collect(),
        money_columns: if money { MONEY.to_vec() } else { Vec::new() },
        rows,
        sorted_by,
        bar_label,
    })
}
