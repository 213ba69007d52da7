//! The trend block: small charts of each stage and conversion over a window of up to 12 months, with their table.

use super::chart::{self, Chart, Figure, Visitor, Visuals};
use super::{format, Analysis};
use crate::analyze::MonthFigures;
use crate::model::calendar::Month;
use crate::model::Project;
use serde::Serialize;

/// The months of the 12-month window ending at `m`, starting no earlier than the first
/// month with funnel data (a young project's chart is not mostly empty).
pub(super) fn window(p: &Project, m: Month) -> Vec<Month> {
    let first = p.funnel.first().map(|f| f.month).unwrap_or(m);
    let mut out = vec![m];
    while out.len() < 12 && out[0] > first {
        let p = out[0].prev();
        out.insert(0, p);
    }
    out
}

/// One month of the trend table.
#[derive(Serialize)]
pub struct TrendRow {
    /// "Oct 2026".
    pub month: String,
    /// Count per stage.
    pub stages: Vec<String>,
    /// Conversion between adjacent stages.
    pub conversions: Vec<String>,
}

/// One small chart of the trends with its caption: the series' name (which wraps, however long
/// a CRM's stage name is), its latest value and, for a stage, the colour of its line.
#[derive(Serialize)]
pub struct TrendChart<'a> {
    /// The stage's name, or the conversion's ("Leads→MQL").
    pub name: String,
    /// The latest month's value, formatted.
    pub latest: String,
    /// The line's colour as CSS, for the legend swatch; `None` for a conversion (drawn in ink).
    pub swatch: Option<String>,
    /// The chart.
    pub chart: Figure<'a>,
}

/// The stage and conversion trends: small charts and their table.
#[derive(Serialize)]
pub struct Trend<'a> {
    /// One chart per stage.
    pub stage_charts: Vec<TrendChart<'a>>,
    /// One chart per conversion between adjacent stages.
    pub conv_charts: Vec<TrendChart<'a>>,
    /// The table.
    pub rows: Vec<TrendRow>,
    /// Stage names.
    pub stage_labels: &'a [String],
    /// Conversion names, "Leads→MQL".
    pub conv_labels: Vec<String>,
    /// The months shown, for the block's heading: "12 months, Nov 2025–Oct 2026" (see
    /// [`months_shown`]).
    pub heading: String,
}

/// How many months `months` are and which, for a heading that says what the charts show:
/// "12 months, Nov 2025–Oct 2026", "2 months, Sep–Oct 2026", "1 month, Oct 2026" (a young
/// project's trend is not called a 12-month one).
pub(super) fn months_shown(months: &[Month]) -> String {
    match (months.first(), months.last()) {
        (Some(f), Some(l)) if f == l => format!("1 month, {}", l.short_name()),
        (Some(f), Some(l)) if f.year == l.year => format!("{} months, {}–{}", months.len(), f.abbrev(), l.short_name()),
        (Some(f), Some(l)) => format!("{} months, {}–{}", months.len(), f.short_name(), l.short_name()),
        _ => String::new(),
    }
}

/// Stage trend and conversion trend charts (with their table) over `months`: one small chart
/// per stage, each on its own linear scale from 0 in the stage's colour, then one per
/// conversion between adjacent stages, in the ink colour (a ratio is no stage's series).
pub(super) fn trend_block<'a>(a: &'a Analysis, months: &[Month], id: &str) -> Trend<'a> {
    let p = a.project;
    let s = &p.site;
    let labels: std::rc::Rc<[String]> = months.iter().map(|m| m.short_name()).collect();
    // A month outside the analysed ones (a gap after the last funnel month) has no figures.
    let fms: Vec<Option<&MonthFigures>> = months.iter().map(|m| a.get(*m)).collect();
    let stage = |f: &Option<&MonthFigures>, i: usize| f.and_then(|f| f.stages[i]);
    let conv = |f: &Option<&MonthFigures>, i: usize| f.and_then(|f| f.conversions[i]);
    let first = months.first().map(|m| m.short_name()).unwrap_or_default();
    let last = months.last().map(|m| m.short_name()).unwrap_or_default();
    let latest = |values: &[Option<f64>], show: &dyn Fn(Option<f64>) -> String| show(values.last().copied().flatten());
    let stage_charts: Vec<TrendChart> = (0..s.stages.len())
        .map(|i| {
            let values: Vec<Option<f64>> = fms.iter().map(|f| stage(f, i)).collect();
            TrendChart {
                name: s.stage_labels[i].clone(),
                latest: latest(&values, &format::count),
                swatch: Some(chart::css_color(chart::stage_color(i))),
                chart: Chart::Multiple {
                    id: format!("{id}-stage-{i}"),
                    title: format!("{} by month, {first} to {last}", s.stage_labels[i]),
                    months: labels.clone(),
                    series: chart::Multiple { values, color: chart::stage_color(i) },
                    percent: false,
                }
                .into(),
            }
        })
        .collect();
    let conv_names: Vec<String> =
        (0..s.stages.len() - 1).map(|i| format!("{}→{}", s.stage_labels[i], s.stage_labels[i + 1])).collect();
    let conv_charts: Vec<TrendChart> = (0..s.stages.len() - 1)
        .map(|i| {
            let values: Vec<Option<f64>> = fms.iter().map(|f| conv(f, i)).collect();
            TrendChart {
                name: conv_names[i].clone(),
                latest: latest(&values, &format::percent),
                swatch: None,
                chart: Chart::Multiple {
                    id: format!("{id}-conv-{i}"),
                    title: format!("Conversion {} by month, {first} to {last}", conv_names[i]),
                    months: labels.clone(),
                    series: chart::Multiple { values, color: chart::INK },
                    percent: true,
                }
                .into(),
            }
        })
        .collect();
    let rows = months
        .iter()
        .zip(&fms)
        .map(|(m, f)| TrendRow {
            month: m.short_name(),
            stages: (0..s.stages.len()).map(|i| format::count(stage(f, i))).collect(),
            conversions: (0..s.stages.len() - 1).map(|i| format::percent(conv(f, i))).collect(),
        })
        .collect();
    Trend {
        stage_charts,
        conv_charts,
        rows,
        stage_labels: &s.stage_labels,
        conv_labels: conv_names,
        heading: months_shown(months),
    }
}

impl Visuals for Trend<'_> {
    fn visit(&mut self, v: &mut dyn Visitor) {
        for c in self.stage_charts.iter_mut().chain(&mut self.conv_charts) {
            v.chart(&mut c.chart);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::months_shown;
    use crate::model::calendar::Month;

    #[test]
    fn the_heading_counts_the_months_shown_and_names_their_range() {
        let m = |s: &str| Month::parse(s).unwrap();
        let run = |from: &str, n: usize| {
            let mut out = vec![m(from)];
            while out.len() < n {
                out.push(out[out.len() - 1].next());
            }
            months_shown(&out)
        };
        assert_eq!(run("2026-10", 1), "1 month, Oct 2026");
        assert_eq!(run("2026-09", 2), "2 months, Sep–Oct 2026");
        // Nov 2025 + 11 months = Oct 2026: twelve months over two years name both years.
        assert_eq!(run("2025-11", 12), "12 months, Nov 2025–Oct 2026");
        assert_eq!(months_shown(&[]), "");
    }
}
