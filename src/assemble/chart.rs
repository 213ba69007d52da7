//! What a page shows that the render stage turns into markup: charts (described here as plain
//! data: bars, series, labels, colours) and markdown notes (their source). Assemble says what to
//! show; the render stage draws each chart to SVG and converts each note to HTML, and reports a
//! chart it cannot draw instead of leaving it out. A page hands its charts and notes to the
//! render stage through [`Visuals`].

use crate::model::Unit;
use serde::ser::Error as _;
use std::rc::Rc;

/// A colour, red, green and blue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// Okabe–Ito palette, in the order series use it.
pub const PALETTE: [Rgb; 7] = [
    Rgb(0x00, 0x72, 0xB2),
    Rgb(0xE6, 0x9F, 0x00),
    Rgb(0x00, 0x9E, 0x73),
    Rgb(0xD5, 0x5E, 0x00),
    Rgb(0xCC, 0x79, 0xA7),
    Rgb(0x56, 0xB4, 0xE9),
    Rgb(0xF0, 0xE4, 0x42),
];

/// Text, axes and ratio series: replaced by the page's text colour through CSS.
pub const INK: Rgb = Rgb(0, 0, 0);

/// The colour of a funnel stage, by its position: the same on every chart of the site
/// (Leads always blue, the second stage always orange, ...). The yellow of the palette is
/// left to the seventh stage and beyond: it is too light for a line on white.
pub fn stage_color(i: usize) -> Rgb {
    PALETTE[i % PALETTE.len()]
}

/// `color` as CSS (`#0072B2`), for a legend swatch drawn in HTML beside a chart.
pub fn css_color(color: Rgb) -> String {
    format!("#{:02X}{:02X}{:02X}", color.0, color.1, color.2)
}

/// One horizontal bar: label, value, shown value.
pub struct Bar {
    /// Label left of the bar.
    pub label: String,
    /// Length.
    pub value: f64,
    /// Text at the bar's end.
    pub shown: String,
    /// The bar's colour (a stage's colour, see [`stage_color`]).
    pub color: Rgb,
}

/// One small chart of a set: one series over months. Its name and latest value are not drawn
/// in the chart: the page writes them as the figure's caption, as text that wraps (a CRM's stage
/// names can be long, and SVG text does not wrap).
pub struct Multiple {
    /// One value per month; `None` breaks the line.
    pub values: Vec<Option<f64>>,
    /// The series' colour (a stage's colour, or `INK` for a ratio).
    pub color: Rgb,
}

/// One goal row of the progress chart.
pub struct ProgressRow {
    /// Goal title.
    pub label: String,
    /// Progress (1 = target reached; may exceed 1 or be negative).
    pub progress: Option<f64>,
    /// Elapsed share, drawn as a mark.
    pub elapsed: f64,
    /// Text at the end ("62.0% · on track").
    pub shown: String,
}

/// How the progress chart is laid out: `Narrow` puts each goal's title above its bar (480
/// wide, for a phone and print); `Wide` puts title, bar and figure on one line (1200 wide, for
/// a laptop or wall screen, where the narrow chart would fill only a third of the width).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ProgressLayout {
    /// Title above the bar, figure at its right end: legible at 390 px.
    Narrow,
    /// Title, bar and figure side by side on one line per goal.
    Wide,
}

/// One month of the chart.
#[derive(Debug, Clone)]
pub struct PlanGroup {
    /// "Oct 2026" (the year is dropped after the first label).
    pub label: String,
    /// The actual, when the month has one.
    pub actual: Option<f64>,
    /// The plan, when the month has one.
    pub plan: Option<f64>,
    /// The actual as written above its bar ("412k · 82%").
    pub shown: String,
}

/// A chart as assemble describes it; the render stage draws it.
pub enum Chart<'a> {
    /// Horizontal bars with the conversion between each pair.
    HBars {
        /// Element id.
        id: String,
        /// Accessible title.
        title: String,
        /// The bars.
        bars: Vec<Bar>,
        /// The text between each pair of bars.
        between: Vec<String>,
    },
    /// One small multiple.
    Multiple {
        /// Element id.
        id: String,
        /// Accessible title.
        title: String,
        /// Month labels.
        months: Rc<[String]>,
        /// The series.
        series: Multiple,
        /// Whether values are fractions shown as percentages.
        percent: bool,
    },
    /// A goal's value by month with its target and pace.
    GoalHistory {
        /// Element id.
        id: String,
        /// Accessible title.
        title: String,
        /// Month labels.
        months: Vec<String>,
        /// Value per month.
        values: Vec<Option<f64>>,
        /// The goal's baseline.
        baseline: f64,
        /// The goal's target.
        target: f64,
        /// Where the pace leads by the due month.
        pace: Option<f64>,
        /// The goal's unit, for the axis labels.
        unit: Unit,
        /// The site's currency, for a goal in money.
        currency: &'a str,
    },
    /// A quarter's months against plan: a bar per month with the plan across it.
    MonthsVsPlan {
        /// Element id.
        id: String,
        /// Accessible title.
        title: String,
        /// One group per month.
        groups: Vec<PlanGroup>,
    },
    /// Every goal's progress and time elapsed.
    Progress {
        /// Element id.
        id: String,
        /// Accessible title.
        title: String,
        /// One row per goal.
        rows: Rc<[ProgressRow]>,
        /// Narrow (phone) or wide.
        layout: ProgressLayout,
    },
}

impl Chart<'_> {
    /// The chart's element id.
    pub fn id(&self) -> &str {
        match self {
            Chart::HBars { id, .. }
            | Chart::Multiple { id, .. }
            | Chart::GoalHistory { id, .. }
            | Chart::MonthsVsPlan { id, .. }
            | Chart::Progress { id, .. } => id,
        }
    }
}

/// A chart on a page: its description and, once the render stage has drawn it, its SVG. A
/// figure serializes as its SVG; serializing one that was not drawn is an error, never an empty
/// chart.
pub struct Figure<'a> {
    /// What to draw.
    pub chart: Chart<'a>,
    /// The drawn chart, set by the render stage.
    pub svg: Option<String>,
}

impl<'a> From<Chart<'a>> for Figure<'a> {
    fn from(chart: Chart<'a>) -> Self {
        Figure { chart, svg: None }
    }
}

impl serde::Serialize for Figure<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.svg {
            Some(svg) => s.serialize_str(svg),
            None => Err(S::Error::custom(format!("the chart `{}` was not drawn", self.chart.id()))),
        }
    }
}

/// A markdown note on a page: its source as written and, once the render stage has converted
/// it, its HTML. It serializes as its HTML; serializing one that was not converted is an error.
pub struct Markdown<'a> {
    /// The note as written.
    pub source: &'a str,
    /// The HTML, set by the render stage.
    pub html: Option<String>,
}

impl<'a> Markdown<'a> {
    /// A note the render stage has yet to convert.
    pub fn new(source: &'a str) -> Self {
        Markdown { source, html: None }
    }
}

impl serde::Serialize for Markdown<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.html {
            Some(html) => s.serialize_str(html),
            None => Err(S::Error::custom("a markdown note was not converted")),
        }
    }
}

/// What the render stage does with each chart and note of a page.
pub trait Visitor {
    /// Draws one chart.
    fn chart(&mut self, figure: &mut Figure<'_>);
    /// Converts one note.
    fn markdown(&mut self, note: &mut Markdown<'_>);
}

/// A page (or part of one) that holds charts or notes: it hands each to the visitor. Pages
/// without any keep the default, which hands over nothing.
pub trait Visuals {
    /// Calls `v` on every chart and note, in page order.
    fn visit(&mut self, _v: &mut dyn Visitor) {}
}

impl<T: Visuals> Visuals for Option<T> {
    fn visit(&mut self, v: &mut dyn Visitor) {
        if let Some(x) = self {
            x.visit(v);
        }
    }
}

impl<T: Visuals> Visuals for Vec<T> {
    fn visit(&mut self, v: &mut dyn Visitor) {
        for x in self {
            x.visit(v);
        }
    }
}

impl Visuals for Figure<'_> {
    fn visit(&mut self, v: &mut dyn Visitor) {
        v.chart(self);
    }
}

impl Visuals for Markdown<'_> {
    fn visit(&mut self, v: &mut dyn Visitor) {
        v.markdown(self);
    }
}
