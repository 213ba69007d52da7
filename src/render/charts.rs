//! Charts as inline SVG, drawn with plotters' SVG backend. Every chart gets `role="img"`, a
//! `<title>`, and a `viewBox` so it scales; colours are Okabe–Ito, and text and axes take the
//! page's text colour through CSS so both colour schemes read well. Bars are drawn as
//! rectangles (never `Histogram`, whose order varies run to run), so the bytes are stable.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::assemble::chart::{self, Bar, Chart, Multiple, ProgressLayout, ProgressRow, Rgb};

/// A colour of assemble's description as plotters draws it.
const fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// Text, axes and ratio series: replaced by the page's text colour through CSS.
pub(crate) const INK: RGBColor = rgb(chart::INK);

/// Grid lines: replaced by a muted colour through CSS.
pub(crate) const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);

/// The first error plotters reported while drawing a chart: the chart is then reported, never
/// shown half drawn.
#[derive(Default)]
pub(crate) struct Failure(Option<String>);

impl Failure {
    /// Keeps the first error of `r`.
    pub(crate) fn note<E: std::error::Error + Send + Sync>(&mut self, r: Result<(), DrawingAreaErrorKind<E>>) {
        if let Err(e) = r {
            self.0.get_or_insert_with(|| e.to_string());
        }
    }

    /// `svg`, or the first error.
    pub(crate) fn or(self, svg: String) -> Result<String, String> {
        match self.0 {
            Some(e) => Err(e),
            None => Ok(svg),
        }
    }
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Adds the text alternative to plotters' `<svg>`: `role="img"`, `aria-labelledby` and `<title>`.
pub(crate) fn accessible(svg: String, id: &str, title: &str) -> String {
    let title = escape_attr(title);
    let svg =
        svg.replacen("<svg ", &format!("<svg role=\"img\" aria-labelledby=\"{id}-title\" class=\"chart-svg\" "), 1);
    match svg.find('>') {
        Some(i) => format!("{}<title id=\"{id}-title\">{title}</title>{}", &svg[..=i], &svg[i + 1..]),
        None => svg,
    }
}

/// The value axis every chart with a y scale draws: at each tick (its y and its label) a grid
/// line across the plot and the label right-aligned left of it, then the baseline at `bottom`.
pub(crate) fn value_axis<'l, DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    ticks: impl Iterator<Item = (i32, &'l String)>,
    (left, right, bottom): (i32, i32, i32),
    size: f64,
    failed: &mut Failure,
) {
    for (y, label) in ticks {
        failed.note(root.draw(&PathElement::new(vec![(left, y), (right, y)], GRID.stroke_width(1))));
        failed.note(root.draw(&Text::new(
            label.clone(),
            (left - 6, y),
            font(size).pos(Pos::new(HPos::Right, VPos::Center)),
        )));
    }
    failed.note(root.draw(&PathElement::new(vec![(left, bottom), (right, bottom)], INK.stroke_width(1))));
}

/// A text style of `size` in plotters' units: its SVG backend writes `font-size` as size / 1.24
/// (points to pixels), so 20 here is about 16 px in the `viewBox`.
pub(crate) fn font(size: f64) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&INK)
}

/// A placeholder chart (with its text alternative) when the numbers cannot be drawn.
pub(crate) fn unavailable(id: &str, title: &str) -> String {
    accessible(
        // Narrow, on two lines, so its text stays over 11 px on a 390 px phone.
        "<svg width=\"320\" height=\"64\" viewBox=\"0 0 320 64\" xmlns=\"http://www.w3.org/2000/svg\"><text x=\"8\" y=\"26\" font-family=\"sans-serif\" font-size=\"16\" fill=\"#000000\">This chart cannot be drawn</text><text x=\"8\" y=\"50\" font-family=\"sans-serif\" font-size=\"16\" fill=\"#000000\">from these numbers; see the table.</text></svg>".to_string(),
        id,
        title,
    )
}

/// The widest the label column of [`hbars`] grows for long stage names; a longer name is cut
/// with "…" so the bars keep most of the width.
const HBAR_LABEL_MAX: i32 = 260;

/// Horizontal bars, one per row, widest scale from 0 to the largest value. `between` holds a
/// note drawn between row i and i+1 (the funnel's stage conversions). The label column and the
/// room right of the bars grow with the longest label and figure, so no text is cut.
pub fn hbars(id: &str, title: &str, bars: &[Bar], between: &[String]) -> Result<String, String> {
    let row = 34i32;
    let gap = if between.is_empty() { 10 } else { 26 };
    let (label_font, shown_font) = (21.0, 19.0);
    let widest = |f: &dyn Fn(&Bar) -> f64| bars.iter().map(f).fold(0.0, f64::max);
    let label_w = (widest(&|b| text_width(&b.label, label_font)).ceil() as i32 + 12).clamp(130, HBAR_LABEL_MAX);
    let shown_room = (widest(&|b| text_width(&b.shown, shown_font)).ceil() as i32 + 10).max(80);
    let w = 480i32;
    let h = (bars.len() as i32) * (row + gap) + 10;
    let max = bars.iter().map(|b| b.value).fold(0.0f64, f64::max);
    let mut buf = String::new();
    let mut failed = Failure::default();
    {
        let root = SVGBackend::with_string(&mut buf, (w as u32, h.max(20) as u32)).into_drawing_area();
        let bar_area = f64::from(w - label_w - shown_room);
        for (i, b) in bars.iter().enumerate() {
            let y = 5 + i as i32 * (row + gap);
            let len = if max > 0.0 { (b.value / max * bar_area).round() as i32 } else { 0 };
            let label = fit(&b.label, label_font, f64::from(label_w - 12));
            failed.note(root.draw(&Text::new(
                label,
                (label_w - 8, y + row / 2),
                font(label_font).pos(Pos::new(HPos::Right, VPos::Center)),
            )));
            failed.note(
                root.draw(&Rectangle::new([(label_w, y), (label_w + len.max(1), y + row)], rgb(b.color).filled())),
            );
            failed.note(root.draw(&Text::new(
                b.shown.clone(),
                (label_w + len + 6, y + row / 2),
                font(shown_font).pos(Pos::new(HPos::Left, VPos::Center)),
            )));
            if let Some(note) = between.get(i) {
                failed.note(root.draw(&Text::new(
                    note.clone(),
                    (label_w + 4, y + row + gap / 2),
                    font(19.0).pos(Pos::new(HPos::Left, VPos::Center)),
                )));
            }
        }
        failed.note(root.present());
    }
    failed.or(accessible(buf, id, title))
}

/// Fills that CSS maps to a neutral bar colour (`--bar`): bars that are no stage's series.
pub const BAR: RGBColor = RGBColor(0x55, 0x55, 0x55);

/// Tick values for a linear axis from 0 to at least `max`: 4 to 6 labelled ticks at a "nice"
/// step (1, 2, 2.5 or 5 times a power of ten; whole numbers when `whole`).
pub fn ticks(max: f64, whole: bool) -> Vec<f64> {
    // Content numbers are bounded when read; this keeps any figure drawable anyway: a scale
    // never needs more than a few dozen rounds to find its step.
    let max = if max.is_finite() && max > 1e-12 { max.min(1e300) } else { 1.0 };
    let mut mag = 10f64.powf((max / 10.0).log10().floor());
    if !(mag.is_finite() && mag > 0.0) {
        mag = 1e-13;
    }
    let step = 'found: loop {
        for m in [1.0, 2.0, 2.5, 5.0] {
            let step = m * mag;
            if (max / step).ceil() <= 5.0 && (!whole || step.fract() == 0.0 || step >= 1.0) {
                break 'found step;
            }
        }
        mag *= 10.0;
    };
    let step = if whole { step.max(1.0).round() } else { step };
    let n = ((max / step - 1e-9).ceil() as usize).max(3);
    (0..=n).map(|k| k as f64 * step).collect()
}

/// A tick label: a count with separators, or a percentage with the decimals the step needs.
fn tick_label(v: f64, step: f64, percent: bool) -> String {
    if percent {
        let d = if (step * 100.0).fract().abs() < 1e-9 { 0 } else { 1 };
        format!("{}%", crate::assemble::format::number(v * 100.0, d))
    } else {
        let d = if step.fract().abs() < 1e-9 { 0 } else { 1 };
        crate::assemble::format::number(v, d)
    }
}

/// Month labels for an axis of `months` ("Oct 2026" each), one every `step` months where
/// `step` is the fewest months whose `spacing` pixels give a label its `room`, always ending
/// on the last month and stepping back from it, none before month `from`. A label shows its
/// year the first time, whenever the year changes and on the last label ("Dec 2025",
/// "May 2026", "Oct 2026"), so a label never reads as a date and the latest month is never a
/// bare "Oct".
fn month_labels(months: &[String], spacing: f64, room: f64, from: usize) -> Vec<(usize, String)> {
    let n = months.len();
    if n == 0 {
        return vec![];
    }
    let step = if spacing <= 0.0 { 1 } else { ((room / spacing).ceil() as usize).max(1) };
    let mut idx: Vec<usize> = (0..n).rev().step_by(step).filter(|i| *i >= from || *i + 1 == n).collect();
    idx.reverse();
    let count = idx.len();
    let mut last_year = "";
    idx.into_iter()
        .enumerate()
        .map(|(k, i)| {
            let (mon, year) = months[i].split_once(' ').unwrap_or((months[i].as_str(), ""));
            let label = if year != last_year || k + 1 == count { format!("{mon} {year}") } else { mon.to_string() };
            last_year = year;
            (i, label.trim_end().to_string())
        })
        .collect()
}

/// The room a month label needs on an axis in a font of `size`: the widest of `months` with
/// its year, and a gap.
fn month_room(months: &[String], size: f64) -> f64 {
    months.iter().map(|m| text_width(m, size)).fold(0.0, f64::max) + 8.0
}

/// The widest `text` in a font of `size` (plotters' units) can be, in `viewBox` pixels: each
/// character at its width in DejaVu Sans, the widest common sans-serif, rounded up per kind
/// (i, j, l 0.28 em; f, t, r 0.42; space and stops 0.32; other small letters and digits 0.64;
/// capitals 0.8; m, w, M, W 1.0; % 0.96; arrows 0.84), so a text estimated to fit does fit,
/// and one that fits is not cut for nothing.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '\'' | '|' | '!' => 0.28,
            'f' | 't' | 'r' | '(' | ')' | '-' => 0.42,
            ' ' | '.' | ',' | ':' | ';' => 0.32,
            'm' | 'w' | 'M' | 'W' | '@' => 1.0,
            '%' => 0.96,
            '→' | '↓' | '…' => 0.84,
            c if c.is_uppercase() => 0.8,
            _ => 0.64,
        })
        .sum();
    em * size / 1.24
}

/// `text` as it fits in `room` pixels in a font of `size`: whole, or cut with "…".
fn fit(text: &str, size: f64, room: f64) -> String {
    if text_width(text, size) <= room {
        return text.to_string();
    }
    let mut cut: String = text.to_string();
    while !cut.is_empty() && text_width(&format!("{}…", cut.trim_end()), size) > room {
        cut.pop();
    }
    format!("{}…", cut.trim_end())
}

/// Where an x-axis label for the tick at `x` is anchored so that none of it falls outside a
/// chart `w` wide: centred under its tick when it fits, else starting at the tick (near the
/// left edge) or ending at it (near the right edge).
fn x_label_anchor(x: i32, label: &str, size: f64, w: i32) -> HPos {
    let half = text_width(label, size) / 2.0;
    if f64::from(x) - half < 0.0 {
        HPos::Left
    } else if f64::from(x) + half > f64::from(w) {
        HPos::Right
    } else {
        HPos::Center
    }
}

/// Width and height of a small multiple's `viewBox`: shown one per row on a phone and five or
/// more per row on wider screens (about 200 px wide at 1280), so 16 px text stays above 11 px.
const SM: (i32, i32) = (300, 170);

/// The month labels of a small multiple: its first and last month, each with its year
/// ("Nov 2025", "Oct 2026"). Every chart of the same months then has the same labels, whatever
/// its own value labels leave of its width; and a small multiple has no room for a third: the
/// last label ends at the plot's right end (it cannot be centred there), so a label between
/// them, with its year, would run into it.
fn first_and_last(months: &[String]) -> Vec<(usize, String)> {
    match months {
        [] => vec![],
        [one] => vec![(0, one.clone())],
        [first, .., last] => vec![(0, first.clone()), (months.len() - 1, last.clone())],
    }
}

/// A small line chart of one series over `months` (labels like "Oct 2026"), on a linear axis
/// from 0 with at least four labelled ticks. One series per chart, so every stage keeps its
/// own scale: a stage of 37 reads as well as one of 2,000.
pub fn multiple(id: &str, title: &str, months: &[String], m: &Multiple, percent: bool) -> Result<String, String> {
    let (w, h) = SM;
    let vals: Vec<f64> = m.values.iter().flatten().copied().filter(|v| v.is_finite()).collect();
    if vals.is_empty() {
        return Ok(unavailable(id, title));
    }
    let max = vals.iter().fold(0.0f64, |a, v| a.max(*v));
    let ticks = ticks(max, !percent);
    let step = ticks[1] - ticks[0];
    let top_v = *ticks.last().unwrap_or(&1.0);
    let labels: Vec<String> = ticks.iter().map(|t| tick_label(*t, step, percent)).collect();
    let tick_font = 20.0;
    let char_w = tick_font / 1.24 * 0.6;
    let left = 12 + labels.iter().map(|l| text_width(l, tick_font)).fold(char_w, f64::max).ceil() as i32;
    // The first month label ("Aug 2026") is centred under the first tick: leave it room even
    // when the value labels are narrow ("25"), so it is not cut at the left edge.
    let first_label = months.first().map_or(0.0, |m| text_width(m, tick_font));
    let left = left.max((first_label / 2.0).ceil() as i32 + 2);
    // The top tick's label is centred on its line: leave it half a line of room.
    let (right, top, bottom) = (w - 22, 14, h - 32);
    let n = months.len().max(1);
    let spacing = if n > 1 { (right - left) as f64 / (n - 1) as f64 } else { 0.0 };
    let x = |i: usize| if n > 1 { left + (i as f64 * spacing).round() as i32 } else { (left + right) / 2 };
    let y = |v: f64| bottom - ((v.max(0.0) / top_v) * (bottom - top) as f64).round() as i32;
    let mut buf = String::new();
    let mut failed = Failure::default();
    {
        let root = SVGBackend::with_string(&mut buf, (w as u32, h as u32)).into_drawing_area();
        for (t, label) in ticks.iter().zip(&labels) {
            let ty = y(*t);
            failed.note(root.draw(&PathElement::new(vec![(left, ty), (right, ty)], GRID.stroke_width(1))));
            failed.note(root.draw(&Text::new(
                label.clone(),
                (left - 6, ty),
                font(tick_font).pos(Pos::new(HPos::Right, VPos::Center)),
            )));
        }
        failed.note(root.draw(&PathElement::new(vec![(left, bottom), (right, bottom)], INK.stroke_width(1))));
        for (i, label) in first_and_last(months) {
            failed.note(root.draw(&PathElement::new(vec![(x(i), bottom), (x(i), bottom + 4)], INK.stroke_width(1))));
            let anchor = x_label_anchor(x(i), &label, tick_font, w);
            failed.note(root.draw(&Text::new(
                label,
                (x(i), bottom + 7),
                font(tick_font).pos(Pos::new(anchor, VPos::Top)),
            )));
        }
        let mut segment: Vec<(i32, i32)> = Vec::new();
        let mut segments = Vec::new();
        for (i, v) in m.values.iter().enumerate() {
            match v {
                Some(v) if v.is_finite() => segment.push((x(i), y(*v))),
                _ => segments.push(std::mem::take(&mut segment)),
            }
        }
        segments.push(segment);
        for seg in segments.iter().filter(|s| !s.is_empty()) {
            failed.note(root.draw(&PathElement::new(seg.clone(), rgb(m.color).stroke_width(3))));
            for p in seg {
                failed.note(root.draw(&Circle::new(*p, 3, rgb(m.color).filled())));
            }
        }
        failed.note(root.present());
    }
    failed.or(accessible(buf, id, title))
}

/// Ticks for a linear axis covering `lo..=hi` (not from 0): 4 to 6 labelled ticks at a nice
/// step, for figures such as a goal's retention between 98% and 99.5%.
pub fn ticks_between(lo: f64, hi: f64) -> Vec<f64> {
    // Bounded whatever the input (an unbounded range once looped until memory ran out): the
    // ends are clamped to ±1e300, and the step is never below a millionth of their size.
    let (lo, hi) =
        if lo.is_finite() && hi.is_finite() { (lo.clamp(-1e300, 1e300), hi.clamp(-1e300, 1e300)) } else { (0.0, 1.0) };
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo - 0.5 * lo.abs().max(1e-9), hi + 0.5 * hi.abs().max(1e-9)) };
    let span = ticks(hi - lo, false);
    let step = (span[1] - span[0]).max(lo.abs().max(hi.abs()) * 1e-6);
    let start = (lo / step).floor() * step;
    let mut out = vec![start];
    while (*out.last().unwrap_or(&start) < hi - 1e-9 * step || out.len() < 4) && out.len() < 12 {
        let next = start + out.len() as f64 * step;
        out.push(next);
    }
    out
}

/// A goal's history over its months (labels like "Oct 2026", `start` to `due`): its value by
/// month (from the baseline at the goal's start, a point before the first month labelled "start"), the target as a line, and the pace
/// (the projection, docs/figures.md#goals) as a dashed line from the baseline to where the goal ends at its
/// pace; it passes through the latest value, since both measure time the same way.
pub struct GoalHistory<'a> {
    /// The goal's months, `start` to `due`.
    pub months: &'a [String],
    /// The value in each of those months (`None` after the latest month or without data).
    pub values: Vec<Option<f64>>,
    /// Where the goal started.
    pub baseline: f64,
    /// Where it should end.
    pub target: f64,
    /// Where it ends at its pace, when it has one.
    pub pace: Option<f64>,
}

/// Draws a [`GoalHistory`]; `fmt` writes a tick label in the goal's unit.
pub fn goal_history(id: &str, title: &str, g: &GoalHistory, fmt: &dyn Fn(f64) -> String) -> Result<String, String> {
    let (w, h) = (480i32, 250i32);
    let n = g.months.len();
    if n == 0 {
        return Ok(unavailable(id, title));
    }
    let mut all: Vec<f64> = g.values.iter().flatten().copied().chain([g.baseline, g.target]).collect();
    all.extend(g.pace);
    all.retain(|v| v.is_finite());
    let lo = all.iter().fold(f64::INFINITY, |a, v| a.min(*v));
    let hi = all.iter().fold(f64::NEG_INFINITY, |a, v| a.max(*v));
    let ticks = ticks_between(lo, hi);
    let (y0, y1) = (ticks[0], *ticks.last().unwrap_or(&hi));
    let labels: Vec<String> = ticks.iter().map(|t| fmt(*t)).collect();
    let size = 19.0;
    let char_w = size / 1.24 * 0.6;
    let left = 10 + (labels.iter().map(|l| l.chars().count()).max().unwrap_or(1) as f64 * char_w).ceil() as i32;
    let (right, top, bottom) = (w - 16, 40, h - 34);
    // Slot 0 is the baseline, just before the first month; month k sits at slot k + 1.
    let spacing = (right - left) as f64 / n as f64;
    let x = |slot: f64| left + (slot * spacing).round() as i32;
    let y = |v: f64| bottom - (((v - y0) / (y1 - y0)) * (bottom - top) as f64).round() as i32;
    let mut buf = String::new();
    let mut failed = Failure::default();
    {
        let root = SVGBackend::with_string(&mut buf, (w as u32, h as u32)).into_drawing_area();
        value_axis(&root, ticks.iter().map(|t| y(*t)).zip(&labels), (left, right, bottom), size, &mut failed);
        // Slot 0 is where the goal starts, at its baseline: labelled "start", not left as a
        // nameless month before the first; a month label stays only where it clears that one.
        // The last label ends at the chart's edge when it cannot be centred on its tick: the
        // step leaves room for that too, so the label before it never runs into it.
        let last = g.months.last().map_or(0.0, |m| text_width(m, size));
        let overhang = (f64::from(x(n as f64)) + last / 2.0 - f64::from(w)).max(0.0);
        let label_room = month_room(g.months, size);
        let room = label_room + overhang;
        let start = "start";
        let x0 = x(0.0);
        failed.note(root.draw(&PathElement::new(vec![(x0, bottom), (x0, bottom + 4)], INK.stroke_width(1))));
        let anchor = x_label_anchor(x0, start, size, w);
        failed.note(root.draw(&Text::new(start, (x0, bottom + 7), font(size).pos(Pos::new(anchor, VPos::Top)))));
        // How far right of its tick "start" reaches, and half a month label and a gap beyond
        // that: month i sits (i + 1) × spacing right of the tick.
        let reach = if matches!(anchor, HPos::Left) { text_width(start, size) } else { text_width(start, size) / 2.0 };
        let clear = reach + label_room / 2.0;
        let from = ((clear / spacing).ceil() as usize).saturating_sub(1);
        for (i, label) in month_labels(g.months, spacing, room, from) {
            let xi = x(i as f64 + 1.0);
            failed.note(root.draw(&PathElement::new(vec![(xi, bottom), (xi, bottom + 4)], INK.stroke_width(1))));
            let anchor = x_label_anchor(xi, &label, size, w);
            failed.note(root.draw(&Text::new(label, (xi, bottom + 7), font(size).pos(Pos::new(anchor, VPos::Top)))));
        }
        // Legend above the lines it names.
        let mut lx = 4;
        let items: [(&str, u8); 3] = [("value", 0), ("target", 1), ("pace", 2)];
        for (name, kind) in items {
            if kind == 2 && g.pace.is_none() {
                continue;
            }
            let ly = 14;
            match kind {
                0 => {
                    failed.note(root.draw(&PathElement::new(vec![(lx, ly), (lx + 22, ly)], BAR.stroke_width(3))));
                }
                1 => {
                    failed.note(root.draw(&PathElement::new(vec![(lx, ly), (lx + 22, ly)], INK.stroke_width(2))));
                }
                _ => {
                    failed.note(root.draw(&DashedPathElement::new(
                        vec![(lx, ly), (lx + 22, ly)],
                        5,
                        4,
                        INK.stroke_width(2),
                    )));
                }
            }
            failed.note(root.draw(&Text::new(
                name.to_string(),
                (lx + 28, ly),
                font(size).pos(Pos::new(HPos::Left, VPos::Center)),
            )));
            lx += 28 + (name.len() as f64 * char_w) as i32 + 22;
        }
        let ty = y(g.target);
        failed.note(root.draw(&PathElement::new(vec![(left, ty), (right, ty)], INK.stroke_width(2))));
        if let Some(p) = g.pace {
            failed.note(root.draw(&DashedPathElement::new(
                vec![(x(0.0), y(g.baseline)), (x(n as f64), y(p))],
                7,
                5,
                INK.stroke_width(2),
            )));
        }
        let mut segment: Vec<(i32, i32)> = vec![(x(0.0), y(g.baseline))];
        let mut segments = Vec::new();
        for (k, v) in g.values.iter().enumerate() {
            match v {
                Some(v) if v.is_finite() => segment.push((x(k as f64 + 1.0), y(*v))),
                _ => segments.push(std::mem::take(&mut segment)),
            }
        }
        segments.push(segment);
        for seg in segments.iter().filter(|s| !s.is_empty()) {
            failed.note(root.draw(&PathElement::new(seg.clone(), BAR.stroke_width(3))));
            for p in seg {
                failed.note(root.draw(&Circle::new(*p, 3, BAR.filled())));
            }
        }
        failed.note(root.present());
    }
    failed.or(accessible(buf, id, title))
}

/// How far past the target the progress scale reaches: a bar past it is drawn to this edge
/// with an arrow, and its label says the real figure.
const PROGRESS_CAP: f64 = 2.0;

/// Geometry of one [`ProgressLayout`], in `viewBox` units.
struct ProgressGeometry {
    width: i32,
    row: i32,
    top: i32,
    /// The bar track's left and right ends.
    left: i32,
    right: i32,
    /// Longest title shown before it is cut with "…".
    max_chars: usize,
}

impl ProgressLayout {
    fn geometry(self) -> ProgressGeometry {
        match self {
            ProgressLayout::Narrow => {
                ProgressGeometry { width: 480, row: 58, top: 56, left: 4, right: 468, max_chars: 34 }
            }
            ProgressLayout::Wide => {
                ProgressGeometry { width: 1200, row: 46, top: 36, left: 470, right: 960, max_chars: 44 }
            }
        }
    }
}

/// Goal progress as bars on one scale from 0 to the target (100%) and, when a goal is past
/// its target, beyond it (never clipped at 100%), with a mark for the time elapsed.
pub fn progress(id: &str, title: &str, rows: &[ProgressRow], layout: ProgressLayout) -> Result<String, String> {
    let ProgressGeometry { width: w, row, top, left, right, max_chars } = layout.geometry();
    let wide = layout == ProgressLayout::Wide;
    let h = rows.len() as i32 * row + top + 6;
    let scale = rows.iter().filter_map(|r| r.progress).fold(1.0f64, |a, p| a.max(p.min(PROGRESS_CAP))).max(1.0);
    let x = |p: f64| left + ((p.clamp(0.0, scale) / scale) * (right - left) as f64).round() as i32;
    let mut buf = String::new();
    let mut failed = Failure::default();
    {
        let root = SVGBackend::with_string(&mut buf, (w as u32, h.max(60) as u32)).into_drawing_area();
        let tx = x(1.0);
        failed.note(root.draw(&Text::new(
            "bar: progress · upright line: time elapsed".to_string(),
            (4, 4),
            font(19.0).pos(Pos::new(HPos::Left, VPos::Top)),
        )));
        let target_y = if wide { 4 } else { 30 };
        failed.note(root.draw(&Text::new(
            "target",
            (tx - 6, target_y),
            font(19.0).pos(Pos::new(HPos::Right, VPos::Top)),
        )));
        for (i, r) in rows.iter().enumerate() {
            let y = top + i as i32 * row;
            let label: String = if r.label.chars().count() > max_chars {
                r.label.chars().take(max_chars - 1).collect::<String>() + "…"
            } else {
                r.label.clone()
            };
            // Narrow: title and figure on a line above the bar. Wide: both beside the bar,
            // centred on it, the figure a little larger so it reads from across a room.
            let by = if wide { y + 10 } else { y + 30 };
            let (text_y, v) = if wide { (by + 10, VPos::Center) } else { (y + 4, VPos::Top) };
            failed.note(root.draw(&Text::new(label, (4, text_y), font(20.0).pos(Pos::new(HPos::Left, v)))));
            let (shown_x, shown_font) = if wide { (w - 4, 22.0) } else { (right, 19.0) };
            failed.note(root.draw(&Text::new(
                r.shown.clone(),
                (shown_x, text_y),
                font(shown_font).pos(Pos::new(HPos::Right, v)),
            )));
            failed.note(root.draw(&Rectangle::new([(left, by), (right, by + 20)], GRID.filled())));
            if let Some(p) = r.progress {
                let end = x(p);
                failed.note(root.draw(&Rectangle::new([(left, by + 4), (end.max(left + 1), by + 16)], BAR.filled())));
                if p > scale {
                    failed.note(
                        root.draw(&Polygon::new(vec![(end, by - 1), (end + 8, by + 10), (end, by + 21)], BAR.filled())),
                    );
                }
            }
            let ex = x(r.elapsed);
            failed.note(root.draw(&Rectangle::new([(ex - 1, by - 4), (ex + 2, by + 24)], INK.filled())));
        }
        // The target: one line across every row, at 100% of the way from baseline to target.
        failed.note(root.draw(&DashedPathElement::new(vec![(tx, 30), (tx, h - 4)], 6, 4, INK.stroke_width(2))));
        failed.note(root.present());
    }
    failed.or(accessible(buf, id, title))
}

/// Draws a chart as assemble describes it, as inline SVG; the error is plotters' own.
pub fn draw(c: &Chart) -> Result<String, String> {
    match c {
        Chart::HBars { id, title, bars, between } => hbars(id, title, bars, between),
        Chart::Multiple { id, title, months, series, percent } => multiple(id, title, months, series, *percent),
        Chart::GoalHistory { id, title, months, values, baseline, target, pace, unit, currency } => goal_history(
            id,
            title,
            &GoalHistory { months, values: values.clone(), baseline: *baseline, target: *target, pace: *pace },
            &|v| crate::assemble::format::in_unit(Some(v), *unit, currency),
        ),
        Chart::MonthsVsPlan { id, title, groups } => super::bars::months_vs_plan(id, title, groups),
        Chart::Progress { id, title, rows, layout } => progress(id, title, rows, *layout),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assemble::chart::stage_color;

    #[test]
    fn charts_are_accessible_and_deterministic() {
        let bars = vec![
            Bar { label: "<b>Leads".into(), value: 10.0, shown: "10".into(), color: stage_color(0) },
            Bar { label: "Won".into(), value: 2.0, shown: "2".into(), color: stage_color(1) },
        ];
        let a = hbars("f", "Funnel & more", &bars, &["20.0%".into()]).unwrap();
        let b = hbars("f", "Funnel & more", &bars, &["20.0%".into()]).unwrap();
        assert_eq!(a, b);
        assert!(a.starts_with("<svg role=\"img\" aria-labelledby=\"f-title\""), "{a}");
        assert!(a.contains("<title id=\"f-title\">Funnel &amp; more</title>"));
        assert!(a.contains("viewBox"));
        assert!(!a.contains("<b>"));
        let m = Multiple { values: vec![Some(1.0), None, Some(3.0)], color: stage_color(0) };
        let s = multiple("t", "Trend", &["Jan 2026".into(), "Feb 2026".into(), "Mar 2026".into()], &m, false).unwrap();
        assert!(s.contains("<title id=\"t-title\">Trend</title>"));
        assert!(s.contains("#0072B2"), "Leads is blue");
    }

    /// Every `<text>` of `svg` as (x, text-anchor, font-size, content).
    fn texts(svg: &str) -> Vec<(f64, String, f64, String)> {
        let attr = |tag: &str, name: &str| {
            let at = tag.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("no {name} in {tag}")) + name.len() + 3;
            tag[at..at + tag[at..].find('"').unwrap()].to_string()
        };
        svg.split("<text")
            .skip(1)
            .map(|t| {
                let (tag, rest) = t.split_once('>').unwrap();
                let content = rest[..rest.find("</text>").unwrap()].trim().to_string();
                let anchor = if tag.contains("text-anchor") { attr(tag, "text-anchor") } else { "start".into() };
                (attr(tag, "x").parse().unwrap(), anchor, attr(tag, "font-size").parse().unwrap(), content)
            })
            .collect()
    }

    /// Asserts that every text of `svg` lies inside its `viewBox` width, each as wide as
    /// [`text_width`] says (checks/chart-text.mjs checks that estimate against Chromium's
    /// layout on every page of the examples).
    fn assert_texts_inside(svg: &str) {
        let vb = &svg[svg.find("viewBox=\"0 0 ").unwrap() + 13..];
        let w: f64 = vb[..vb.find(' ').unwrap()].parse().unwrap();
        for (x, anchor, size, content) in texts(svg) {
            let width = text_width(&content, size * 1.24);
            let (from, to) = match anchor.as_str() {
                "middle" => (x - width / 2.0, x + width / 2.0),
                "end" => (x - width, x),
                _ => (x, x + width),
            };
            assert!(from >= 0.0 && to <= w, "{content:?} spans {from:.1}..{to:.1}, outside 0..{w}: {svg}");
        }
    }

    #[test]
    fn no_axis_label_is_cut_at_the_chart_edge() {
        let months = |ms: &[&str]| ms.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        // The Won chart of the init project: values up to 24, so the value labels ("25") are
        // narrow and the first month label "Aug 2026" used to start 7 px left of the chart.
        let won = Multiple { values: vec![Some(18.0), Some(21.0), Some(24.0)], color: stage_color(4) };
        let svg = multiple("w", "Won", &months(&["Aug 2026", "Sep 2026", "Oct 2026"]), &won, false).unwrap();
        let first = texts(&svg).into_iter().find(|t| t.3 == "Aug 2026").expect("the first month is labelled");
        let width = 8.0 * first.2 * 0.6;
        let from = if first.1 == "middle" { first.0 - width / 2.0 } else { first.0 };
        assert!(from >= 0.0, "the first month label starts at {from}: {svg}");
        assert_texts_inside(&svg);
        // A year change on the last month puts its year on the right-most label.
        let svg = multiple("w", "Won", &months(&["Nov 2026", "Dec 2026", "Jan 2027"]), &won, false).unwrap();
        assert!(svg.contains("Jan 2027"), "{svg}");
        assert_texts_inside(&svg);
        // One month only: the label sits in the middle.
        let one = Multiple { values: vec![Some(3.0)], ..won };
        assert_texts_inside(&multiple("w", "Won", &months(&["Dec 2026"]), &one, true).unwrap());
        // The funnel's bars: a long stage name and a large count keep all their letters; a
        // name too long for the label column is cut with "…".
        let bar = |label: &str, value: f64, shown: &str| Bar {
            label: label.into(),
            value,
            shown: shown.into(),
            color: stage_color(0),
        };
        let bars = [
            bar("Sales qualified leads", 1_234_567.0, "1,234,567"),
            bar("Won", 12.0, "12"),
            bar("Opportunities that became customers in the end", 40.0, "40"),
        ];
        let svg = hbars("f", "Funnel", &bars, &["↓ 12.3% convert".into(), "↓ 1.0% convert".into()]).unwrap();
        assert!(
            svg.contains(">\nSales qualified leads\n<")
                && svg.contains(">\nOpportunities that b")
                && svg.contains("…\n<"),
            "{svg}"
        );
        assert_texts_inside(&svg);
        assert!(!svg.contains("in the end"), "{svg}");
        let ms = months(&["Nov 2026", "Dec 2026", "Jan 2027"]);
        let g =
            GoalHistory { months: &ms, values: vec![Some(1.0), None, None], baseline: 0.0, target: 9.0, pace: None };
        assert_texts_inside(&goal_history("g", "Goal", &g, &|v| format!("{v}")).unwrap());
    }

    #[test]
    fn ticks_are_nice_linear_and_at_least_four() {
        assert_eq!(ticks(37.0, true), vec![0.0, 10.0, 20.0, 30.0, 40.0]);
        assert_eq!(ticks(2110.0, true), vec![0.0, 500.0, 1000.0, 1500.0, 2000.0, 2500.0]);
        assert_eq!(ticks(2.0, true), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(ticks(0.58, false), vec![0.0, 0.2, 0.4, 0.6000000000000001]);
        for max in [0.3, 1.0, 7.0, 99.0, 101.0, 123456.0] {
            let t = ticks(max, false);
            assert!((4..=6).contains(&t.len()) && *t.last().unwrap() >= max, "{max}: {t:?}");
        }
    }

    #[test]
    fn ticks_end_for_any_range_even_at_the_ends_of_the_float_range() {
        // Each once looped forever (and grew memory without bound).
        for (lo, hi) in [(-1e308, 1e308), (0.0, 5e-324), (-8e307, 8e307), (f64::MIN, f64::MAX), (1.0, 1.0 + 1e-15)] {
            let t = ticks_between(lo, hi);
            assert!((4..=12).contains(&t.len()) && t.iter().all(|v| v.is_finite()), "{lo} {hi}: {t:?}");
        }
        for max in [5e-324, 1e-300, f64::MAX, f64::INFINITY, f64::NAN, -1.0] {
            let t = ticks(max, false);
            assert!((4..=12).contains(&t.len()) && t.iter().all(|v| v.is_finite()), "{max}: {t:?}");
        }
    }

    #[test]
    fn ticks_between_cover_the_range_with_at_least_four() {
        let t = ticks_between(0.982, 0.995);
        assert!(t.len() >= 4 && t[0] <= 0.982 && *t.last().unwrap() >= 0.995, "{t:?}");
        assert_eq!(ticks_between(38.0, 48.0), vec![38.0, 40.0, 42.0, 44.0, 46.0, 48.0]);
    }

    #[test]
    fn goal_history_draws_target_and_a_dashed_pace_through_the_latest_value() {
        let months: Vec<String> =
            ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"].iter().map(|s| s.to_string()).collect();
        // Baseline 0, target 40; 10 after two of four months: progress 25%, elapsed 50%, so the
        // pace ends at 0 + 0.25 / 0.5 × 40 = 20.
        let g = GoalHistory {
            months: &months,
            values: vec![Some(5.0), Some(10.0), None, None],
            baseline: 0.0,
            target: 40.0,
            pace: Some(20.0),
        };
        let with = goal_history("g", "Goal", &g, &|v| format!("{v}")).unwrap();
        let without = goal_history("g", "Goal", &GoalHistory { pace: None, ..g }, &|v| format!("{v}")).unwrap();
        let ink = |s: &str| s.matches("stroke=\"#000000\" stroke-width=\"2\"").count();
        assert!(ink(&with) > ink(&without) + 5, "the pace is drawn as dashes");
        assert!(with.contains("\ntarget\n") && with.contains("\npace\n"), "the legend names both lines");
        assert!(!without.contains("\npace\n"), "no pace, no legend entry");
    }

    #[test]
    fn month_labels_carry_their_year_when_it_changes() {
        let months: Vec<String> =
            ["Nov 2025", "Dec 2025", "Jan 2026", "Feb 2026", "Mar 2026"].iter().map(|s| s.to_string()).collect();
        let l = month_labels(&months, 50.0, 40.0, 0);
        assert_eq!(
            l,
            vec![
                (0, "Nov 2025".to_string()),
                (1, "Dec".to_string()),
                (2, "Jan 2026".to_string()),
                (3, "Feb".to_string()),
                // The last label says its year, though the one before it did.
                (4, "Mar 2026".to_string())
            ]
        );
        // Too little room: every other month, ending on the last.
        let l = month_labels(&months, 30.0, 40.0, 0);
        assert_eq!(l.iter().map(|x| x.0).collect::<Vec<_>>(), vec![0, 2, 4]);
        // None before month 3 but the last: of 4 and 2 (stepping back by 2), 4 stays, and
        // being the first label it says its year.
        assert_eq!(month_labels(&months, 30.0, 40.0, 3), vec![(4, "Mar 2026".to_string())]);
    }

    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// Whether `t` is a month label: "Oct" or "Oct 2026".
    fn is_month(t: &str) -> bool {
        let (m, y) = t.split_once(' ').unwrap_or((t, "2000"));
        m.len() == 3 && m.chars().next().is_some_and(char::is_uppercase) && y.len() == 4 && y.parse::<u16>().is_ok()
    }

    /// The month labels of a chart, left to right.
    fn month_texts(svg: &str) -> Vec<String> {
        texts(svg).into_iter().map(|t| t.3).filter(|t| is_month(t)).collect()
    }

    /// Asserts that no two month labels (or "start") of `svg` overlap, each as wide as
    /// [`text_width`] says and placed by its anchor, with 4 px between them.
    fn assert_month_labels_apart(svg: &str) {
        let mut spans: Vec<(f64, f64, String)> = texts(svg)
            .into_iter()
            .filter(|t| t.3 == "start" || is_month(&t.3))
            .map(|(x, anchor, size, content)| {
                let width = text_width(&content, size * 1.24);
                match anchor.as_str() {
                    "middle" => (x - width / 2.0, x + width / 2.0, content),
                    "end" => (x - width, x, content),
                    _ => (x, x + width, content),
                }
            })
            .collect();
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        for pair in spans.windows(2) {
            assert!(pair[1].0 >= pair[0].1 + 4.0, "{:?} runs into {:?}: {svg}", pair[0], pair[1]);
        }
    }

    #[test]
    fn small_multiples_of_the_same_months_label_the_same_months() {
        // Oct 2025 to Oct 2026, 13 months, as on the funnel page: Leads up to 2,110 (value
        // labels "2,500" wide, plot from x = 59) and Won up to 37 ("40", plot from x = 42,
        // where the first month label needs room). Each chart once chose its own step from its
        // own plot: 97 px of room over (278 − 59) ÷ 12 = 18.25 px a month gave every 6th month
        // (Oct 2025, Apr 2026, Oct), over (278 − 42) ÷ 12 = 19.67 px every 5th (Dec 2025,
        // May 2026, Oct). Now each labels its first and last month, with their years.
        let months: Vec<String> = ["Oct 2025", "Nov 2025", "Dec 2025", "Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"]
            .iter()
            .chain(&["May 2026", "Jun 2026", "Jul 2026", "Aug 2026", "Sep 2026", "Oct 2026"])
            .map(|s| s.to_string())
            .collect();
        let series = |top: f64, color| Multiple {
            values: (0..13).map(|i| Some(top * (0.7 + 0.3 * f64::from(i) / 12.0))).collect(),
            color,
        };
        let leads = multiple("l", "Leads", &months, &series(2110.0, stage_color(0)), false).unwrap();
        let won = multiple("w", "Won", &months, &series(37.0, stage_color(4)), false).unwrap();
        assert!(texts(&leads).iter().any(|t| t.3 == "2,500") && texts(&won).iter().any(|t| t.3 == "40"));
        for svg in [&leads, &won] {
            assert_eq!(month_texts(svg), ["Oct 2025", "Oct 2026"], "{svg}");
            assert_month_labels_apart(svg);
            assert_texts_inside(svg);
        }
        // The last label cannot be centred on the plot's right end (278 + 83.2 ÷ 2 > 300): it
        // ends there, at x = 278.
        let last = texts(&leads).into_iter().find(|t| t.3 == "Oct 2026").unwrap();
        assert_eq!((last.0, last.1.as_str()), (278.0, "end"));
    }

    #[test]
    fn a_goal_history_labels_its_start_instead_of_a_nameless_month_before_the_first() {
        let goal = |n: usize| {
            let months: Vec<String> = (0..n).map(|i| format!("{} {}", MONTHS[i % 12], 2026 + i / 12)).collect();
            let values = (0..n).map(|i| (i < 10).then(|| 3.0 * (i + 1) as f64)).collect();
            let g = GoalHistory { months: &months, values, baseline: 0.0, target: 40.0, pace: Some(36.0) };
            goal_history("g", "Goal", &g, &|v| format!("{v}")).unwrap()
        };
        // Jan to Dec 2026. Value ticks 0 to 40 by 10: labels two digits wide, so the plot
        // starts at 10 + ⌈2 × 9.19⌉ = 29 and its 13 slots (the start, then 12 months) are
        // (464 − 29) ÷ 12 = 36.25 px apart. The start's slot, at x = 29, says "start", centred
        // on its tick (2.54 em of 15.32 px = 38.9 px wide: it reaches 19.5 px right).
        let svg = goal(12);
        let start = texts(&svg).into_iter().find(|t| t.3 == "start").expect("the start is labelled");
        assert_eq!((start.0, start.1.as_str()), (29.0, "middle"), "{svg}");
        // A month label needs "May 2026" (5.16 em, 79.1 px) and 8 px, 87.1 px; "Dec 2026" (76.0
        // px) cannot be centred at x = 464 (464 + 38.0 is 22.0 past the edge 480), so it ends
        // there and the step leaves those 22.0 px too: 109.1 ÷ 36.25 = 3.01, every 4th month
        // back from December.
        assert_eq!(month_texts(&svg), ["Apr 2026", "Aug", "Dec 2026"], "{svg}");
        assert_month_labels_apart(&svg);
        // Jan 2026 to Jan 2027: 13 months, (464 − 29) ÷ 13 = 33.46 px apart, 109.1 ÷ 33.46 =
        // 3.3, every 4th back from January 2027 lands on January 2026, one slot (33.5 px) right
        // of the start, closer than the 19.5 + 87.1 ÷ 2 = 63.0 px that clear its label: it
        // goes, and May, the first label left, carries its year.
        let svg = goal(13);
        assert_eq!(month_texts(&svg), ["May 2026", "Sep", "Jan 2027"]);
        assert_month_labels_apart(&svg);
    }

    #[test]
    fn progress_past_the_target_is_drawn_past_it() {
        let rows =
            |p: f64| vec![ProgressRow { label: "g".into(), progress: Some(p), elapsed: 0.5, shown: String::new() }];
        // At 160% the scale reaches 1.6: the target line sits at 5/8 of the track, not the end.
        let svg = progress("p", "P", &rows(1.6), ProgressLayout::Narrow).unwrap();
        let target_x = 4 + ((1.0 / 1.6) * 464.0f64).round() as i32;
        assert!(svg.contains(&format!("M{target_x},30")) || svg.contains(&format!("{target_x},30")), "{svg}");
    }

    #[test]
    fn the_wide_progress_chart_puts_title_bar_and_figure_on_one_line() {
        let rows = vec![
            ProgressRow {
                label: "Raise MQL→SQL".into(),
                progress: Some(0.5),
                elapsed: 0.4,
                shown: "50.0% · on track".into(),
            },
            ProgressRow {
                label: "Cut CAC".into(),
                progress: Some(0.8),
                elapsed: 0.4,
                shown: "80.0% · on track".into(),
            },
        ];
        let svg = progress("w", "W", &rows, ProgressLayout::Wide).unwrap();
        assert!(svg.contains("viewBox=\"0 0 1200 "), "{svg}");
        // The y of a text element whose content is `t`.
        let y_of = |t: &str| {
            let at = svg.find(t).unwrap_or_else(|| panic!("no {t}"));
            let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
            let y = &tag[tag.find(" y=\"").unwrap() + 4..];
            y[..y.find('"').unwrap()].parse::<f64>().unwrap()
        };
        assert_eq!(y_of("Raise MQL→SQL"), y_of("50.0% · on track"));
        assert_eq!(y_of("Cut CAC"), y_of("80.0% · on track"));
        assert!(y_of("Cut CAC") > y_of("Raise MQL→SQL"));
        // The bar track runs from 470 to 960: half way is 715.
        assert!(svg.contains("x=\"470\" y=\"50\" width=\"245\""), "{svg}");
        // The narrow layout keeps the title above its bar.
        let narrow = progress("n", "N", &rows, ProgressLayout::Narrow).unwrap();
        assert!(narrow.contains("viewBox=\"0 0 480 "), "{narrow}");
    }
}
