//! Charts as inline SVG, drawn with plotters' SVG backend. Every chart gets `role="img"`, a
//! `<title>`, and a `viewBox` so it scales; colours are Okabe–Ito, and text and axes take the
//! page's text colour through CSS so both colour schemes read well. Bars are drawn as
//! rectangles (never `Histogram`, whose order varies run to run), so the bytes are stable.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Okabe–Ito palette, in the order series use it.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xF0, 0xE4, 0x42),
];

/// Text and axes: replaced by the page's text colour through CSS.
const INK: RGBColor = RGBColor(0, 0, 0);
/// Grid lines: replaced by a muted colour through CSS.
const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Adds the text alternative to plotters' `<svg>`: `role="img"`, `aria-labelledby` and `<title>`.
fn accessible(svg: String, id: &str, title: &str) -> String {
    let title = escape_attr(title);
    let svg =
        svg.replacen("<svg ", &format!("<svg role=\"img\" aria-labelledby=\"{id}-title\" class=\"chart-svg\" "), 1);
    match svg.find('>') {
        Some(i) => format!("{}<title id=\"{id}-title\">{title}</title>{}", &svg[..=i], &svg[i + 1..]),
        None => svg,
    }
}

fn font(size: f64) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&INK)
}

/// A placeholder chart (with its text alternative) when the numbers cannot be drawn.
fn unavailable(id: &str, title: &str) -> String {
    accessible(
        "<svg width=\"600\" height=\"60\" viewBox=\"0 0 600 60\" xmlns=\"http://www.w3.org/2000/svg\"><text x=\"10\" y=\"35\" font-family=\"sans-serif\" font-size=\"16\" fill=\"#000000\">This chart cannot be drawn from these numbers; see the table.</text></svg>".to_string(),
        id,
        title,
    )
}

/// One horizontal bar: label, value, shown value, optional note under it.
pub struct Bar {
    /// Label left of the bar.
    pub label: String,
    /// Length.
    pub value: f64,
    /// Text at the bar's end.
    pub shown: String,
}

/// Horizontal bars, one per row, widest scale from 0 to the largest value. `between` holds a
/// note drawn between row i and i+1 (the funnel's stage conversions).
pub fn hbars(id: &str, title: &str, bars: &[Bar], between: &[String], color: RGBColor) -> String {
    let row = 34i32;
    let gap = if between.is_empty() { 10 } else { 26 };
    let label_w = 130i32;
    let w = 480i32;
    let h = (bars.len() as i32) * (row + gap) + 10;
    let max = bars.iter().map(|b| b.value).fold(0.0f64, f64::max);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w as u32, h.max(20) as u32)).into_drawing_area();
        let bar_area = (w - label_w - 80) as f64;
        for (i, b) in bars.iter().enumerate() {
            let y = 5 + i as i32 * (row + gap);
            let len = if max > 0.0 { (b.value / max * bar_area).round() as i32 } else { 0 };
            let _ = root.draw(&Text::new(
                b.label.clone(),
                (label_w - 8, y + row / 2),
                font(20.0).pos(Pos::new(HPos::Right, VPos::Center)),
            ));
            let _ = root.draw(&Rectangle::new([(label_w, y), (label_w + len.max(1), y + row)], color.filled()));
            let _ = root.draw(&Text::new(
                b.shown.clone(),
                (label_w + len + 6, y + row / 2),
                font(17.0).pos(Pos::new(HPos::Left, VPos::Center)),
            ));
            if let Some(note) = between.get(i) {
                let _ = root.draw(&Text::new(
                    note.clone(),
                    (label_w + 4, y + row + gap / 2),
                    font(14.0).pos(Pos::new(HPos::Left, VPos::Center)),
                ));
            }
        }
        let _ = root.present();
    }
    accessible(buf, id, title)
}

/// One line of a trend chart.
pub struct Series {
    /// Legend name.
    pub name: String,
    /// One value per month; `None` breaks the line.
    pub values: Vec<Option<f64>>,
}

/// A line chart over months. `percent` formats the y axis as percentages; `log` uses a
/// logarithmic y axis (for stage counts that differ by orders of magnitude).
pub fn lines(id: &str, title: &str, months: &[String], series: &[Series], percent: bool, log: bool) -> String {
    let (w, h) = (600u32, 320u32);
    let vals: Vec<f64> =
        series.iter().flat_map(|s| s.values.iter().flatten().copied()).filter(|v| !log || *v > 0.0).collect();
    let mut buf = String::new();
    let n = months.len().max(1);
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        let (lo, hi) = vals.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
        let (lo, hi) = if vals.is_empty() {
            (0.0, 1.0)
        } else if lo == hi {
            (lo * 0.9, hi * 1.1 + 1e-9)
        } else {
            (lo, hi)
        };
        // Every other month's label when there are many, so labels never overlap.
        let step = if n > 7 { 2 } else { 1 };
        let label_of = |i: &usize| {
            if *i < n && (n - 1 - *i).is_multiple_of(step) {
                months.get(*i).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        let yfmt = |v: &f64| {
            if percent {
                format!("{:.0}%", v * 100.0)
            } else {
                crate::assemble::format::number(*v, 0)
            }
        };
        let legend_h = if series.iter().map(|s| 40 + 9 * s.name.chars().count()).sum::<usize>() > w as usize - 20 {
            58
        } else {
            34
        };
        let (chart_area, legend_area) = root.split_vertically(h - legend_h);
        let x_range = 0..(n - 1).max(1);
        let mut segs: Vec<(RGBColor, Vec<(usize, f64)>)> = Vec::new();
        for (k, s) in series.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            let mut segment: Vec<(usize, f64)> = Vec::new();
            for (i, v) in s.values.iter().enumerate() {
                match v {
                    Some(v) if !log || *v > 0.0 => segment.push((i, *v)),
                    _ => segs.push((color, std::mem::take(&mut segment))),
                }
            }
            segs.push((color, segment));
        }
        segs.retain(|(_, s)| !s.is_empty());
        let drawn = if log {
            plot(&chart_area, x_range, (lo * 0.8..hi * 1.25).log_scale(), n, &label_of, &yfmt, &segs)
        } else {
            let pad = (hi - lo) * 0.1;
            let bottom = if lo - pad < 0.0 && lo >= 0.0 { 0.0 } else { lo - pad };
            plot(&chart_area, x_range, bottom..hi + pad, n, &label_of, &yfmt, &segs)
        };
        if drawn.is_none() {
            return unavailable(id, title);
        }
        // Legend: a swatch and a name per series, wrapping to a second row when needed.
        let (mut x, mut y) = (12i32, 12i32);
        for (k, s) in series.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            let width = 22 + 9 * s.name.chars().count() as i32 + 18;
            if x > 12 && x + width > w as i32 - 8 {
                (x, y) = (12, y + 24);
            }
            let _ = legend_area.draw(&Rectangle::new([(x, y - 7), (x + 16, y + 7)], color.filled()));
            let _ = legend_area.draw(&Text::new(
                s.name.clone(),
                (x + 22, y),
                font(17.0).pos(Pos::new(HPos::Left, VPos::Center)),
            ));
            x += width;
        }
        let _ = root.present();
    }
    accessible(buf, id, title)
}

/// Axes, grid and lines of a trend chart, for a linear or a logarithmic y axis.
#[allow(clippy::too_many_arguments)]
fn plot<DB: DrawingBackend, Y>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    x_range: std::ops::Range<usize>,
    y_range: Y,
    n: usize,
    label_of: &dyn Fn(&usize) -> String,
    yfmt: &dyn Fn(&f64) -> String,
    segs: &[(RGBColor, Vec<(usize, f64)>)],
) -> Option<()>
where
    Y: plotters::coord::ranged1d::AsRangedCoord<Value = f64>,
    Y::CoordDescType: Ranged<ValueType = f64> + plotters::coord::ranged1d::ValueFormatter<f64>,
{
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .margin_right(32)
        .x_label_area_size(32)
        .y_label_area_size(72)
        .build_cartesian_2d(x_range, y_range)
        .ok()?;
    chart
        .configure_mesh()
        .x_labels(n.min(12))
        .x_label_formatter(label_of)
        .y_label_formatter(yfmt)
        .y_labels(6)
        .label_style(font(19.0))
        .axis_style(INK)
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .draw()
        .ok()?;
    draw_lines(&mut chart, segs);
    Some(())
}

fn draw_lines<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<DB, Cartesian2d<plotters::coord::types::RangedCoordusize, Y>>,
    segs: &[(RGBColor, Vec<(usize, f64)>)],
) {
    for (color, seg) in segs {
        let _ = chart.draw_series(LineSeries::new(seg.clone(), color.stroke_width(3)));
        let _ = chart.draw_series(seg.iter().map(|p| Circle::new(*p, 3, color.filled())));
    }
}

/// One goal row of the progress chart.
pub struct ProgressRow {
    /// Goal title.
    pub label: String,
    /// Progress (clamped to [0, 1] for drawing).
    pub progress: Option<f64>,
    /// Elapsed share, drawn as a mark.
    pub elapsed: f64,
    /// Text at the end ("62% · on track").
    pub shown: String,
}

/// Goal progress as bars from 0 to 100% with a mark for the time elapsed.
pub fn progress(id: &str, title: &str, rows: &[ProgressRow]) -> String {
    let (w, row, gap, label_w) = (960i32, 26i32, 14i32, 380i32);
    let h = rows.len() as i32 * (row + gap) + 30;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w as u32, h.max(40) as u32)).into_drawing_area();
        let track = (w - label_w - 150) as f64;
        for (i, r) in rows.iter().enumerate() {
            let y = 24 + i as i32 * (row + gap);
            let label: String = if r.label.chars().count() > 44 {
                r.label.chars().take(43).collect::<String>() + "…"
            } else {
                r.label.clone()
            };
            let _ = root.draw(&Text::new(
                label,
                (label_w - 8, y + row / 2),
                font(15.0).pos(Pos::new(HPos::Right, VPos::Center)),
            ));
            let _ = root.draw(&Rectangle::new([(label_w, y), (label_w + track as i32, y + row)], GRID.filled()));
            if let Some(p) = r.progress {
                let len = (p.clamp(0.0, 1.0) * track).round() as i32;
                let _ = root.draw(&Rectangle::new(
                    [(label_w, y + 5), (label_w + len.max(1), y + row - 5)],
                    PALETTE[0].filled(),
                ));
            }
            let ex = label_w + (r.elapsed * track).round() as i32;
            let _ = root.draw(&Rectangle::new([(ex - 1, y - 3), (ex + 2, y + row + 3)], INK.filled()));
            let _ = root.draw(&Text::new(
                r.shown.clone(),
                (label_w + track as i32 + 8, y + row / 2),
                font(14.0).pos(Pos::new(HPos::Left, VPos::Center)),
            ));
        }
        let _ = root.draw(&Text::new(
            "bar: progress to target · mark: time elapsed",
            (label_w, 4),
            font(13.0).pos(Pos::new(HPos::Left, VPos::Top)),
        ));
        let _ = root.present();
    }
    accessible(buf, id, title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_accessible_and_deterministic() {
        let bars = vec![
            Bar { label: "<b>Leads".into(), value: 10.0, shown: "10".into() },
            Bar { label: "Won".into(), value: 2.0, shown: "2".into() },
        ];
        let a = hbars("f", "Funnel & more", &bars, &["20.0%".into()], PALETTE[0]);
        let b = hbars("f", "Funnel & more", &bars, &["20.0%".into()], PALETTE[0]);
        assert_eq!(a, b);
        assert!(a.starts_with("<svg role=\"img\" aria-labelledby=\"f-title\""), "{a}");
        assert!(a.contains("<title id=\"f-title\">Funnel &amp; more</title>"));
        assert!(a.contains("viewBox"));
        assert!(!a.contains("<b>"));
        let s = lines(
            "t",
            "Trend",
            &["Jan".into(), "Feb".into(), "Mar".into()],
            &[Series { name: "Leads".into(), values: vec![Some(1.0), None, Some(3.0)] }],
            false,
            false,
        );
        assert!(s.contains("<title id=\"t-title\">Trend</title>"));
        let l = lines(
            "l",
            "Log",
            &["Jan".into(), "Feb".into()],
            &[Series { name: "x".into(), values: vec![Some(10.0), Some(1000.0)] }],
            false,
            true,
        );
        assert!(l.contains("polyline"));
    }
}
