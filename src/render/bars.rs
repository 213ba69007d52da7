//! A quarter's months against plan: one bar per month (the actual) with the plan drawn across
//! it as a line, like a bullet chart, and the actual and its share of plan written above.
//! Drawn with plotters like every chart (see [`super::charts`]), in a narrow `viewBox` so the
//! text stays readable on a phone.

use super::charts::{accessible, font, text_width, ticks, unavailable, value_axis, Failure, BAR, INK};
use crate::assemble::chart::PlanGroup;
use crate::assemble::format::compact;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Draws the months of a quarter against plan; see the module's description.
pub fn months_vs_plan(id: &str, title: &str, groups: &[PlanGroup]) -> Result<String, String> {
    let (w, h) = (440i32, 270i32);
    let values: Vec<f64> =
        groups.iter().flat_map(|g| [g.actual, g.plan]).flatten().filter(|v| v.is_finite() && *v >= 0.0).collect();
    if groups.is_empty() || values.is_empty() {
        return Ok(unavailable(id, title));
    }
    let max = values.iter().fold(0.0f64, |a, v| a.max(*v));
    let ticks = ticks(max, true);
    let top_v = *ticks.last().unwrap_or(&1.0);
    // 22 units is about 17.7 px in the viewBox: 14 px on a 390 px phone, where the chart is
    // about 350 px wide.
    let size = 22.0;
    let labels: Vec<String> = ticks.iter().map(|t| compact(*t)).collect();
    let left = 10 + labels.iter().map(|l| text_width(l, size)).fold(0.0, f64::max).ceil() as i32;
    let (right, top, bottom) = (w - 8, 66, h - 34);
    let slot = (right - left) as f64 / groups.len() as f64;
    let bar_w = (slot * 0.46).round() as i32;
    let y = |v: f64| bottom - ((v.max(0.0) / top_v) * (bottom - top) as f64).round() as i32;
    let mut buf = String::new();
    let mut failed = Failure::default();
    {
        let root = SVGBackend::with_string(&mut buf, (w as u32, h as u32)).into_drawing_area();
        // Legend above the bars: the actual as a bar swatch, the plan as a line.
        let ly = 14;
        failed.note(root.draw(&Rectangle::new([(4, ly - 7), (22, ly + 7)], BAR.filled())));
        failed.note(root.draw(&Text::new("actual", (28, ly), font(size).pos(Pos::new(HPos::Left, VPos::Center)))));
        let px = 28 + text_width("actual", size).ceil() as i32 + 22;
        if groups.iter().any(|g| g.plan.is_some()) {
            failed.note(root.draw(&PathElement::new(vec![(px, ly), (px + 22, ly)], INK.stroke_width(3))));
            failed.note(root.draw(&Text::new(
                "plan",
                (px + 28, ly),
                font(size).pos(Pos::new(HPos::Left, VPos::Center)),
            )));
        }
        value_axis(&root, ticks.iter().map(|t| y(*t)).zip(&labels), (left, right, bottom), size, &mut failed);
        for (i, g) in groups.iter().enumerate() {
            let cx = left + ((i as f64 + 0.5) * slot).round() as i32;
            let (x0, x1) = (cx - bar_w / 2, cx + bar_w / 2);
            let mut label_y = bottom;
            if let Some(v) = g.actual.filter(|v| v.is_finite()) {
                failed.note(root.draw(&Rectangle::new([(x0, y(v)), (x1, bottom)], BAR.filled())));
                label_y = label_y.min(y(v));
            }
            if let Some(pl) = g.plan.filter(|v| v.is_finite()) {
                let reach = (bar_w as f64 * 0.25).round() as i32;
                failed.note(
                    root.draw(&PathElement::new(vec![(x0 - reach, y(pl)), (x1 + reach, y(pl))], INK.stroke_width(3))),
                );
                label_y = label_y.min(y(pl));
            }
            // The figure above its bar ("244.5k · 106.3%") on one line when it fits its slot, else
            // on two ("244.5k" over "106.3%"), so neighbouring months' figures never run into
            // each other.
            let lines: Vec<&str> = match g.shown.split_once(" · ") {
                Some((a, b)) if text_width(&g.shown, size - 2.0) > slot - 8.0 => vec![a, b],
                _ => vec![g.shown.as_str()],
            };
            for (k, line) in lines.iter().rev().enumerate() {
                failed.note(root.draw(&Text::new(
                    line.to_string(),
                    (cx, label_y - 6 - 20 * k as i32),
                    font(size - 2.0).pos(Pos::new(HPos::Center, VPos::Bottom)),
                )));
            }
            failed.note(root.draw(&Text::new(
                g.label.clone(),
                (cx, bottom + 7),
                font(size).pos(Pos::new(HPos::Center, VPos::Top)),
            )));
        }
        failed.note(root.present());
    }
    failed.or(accessible(buf, id, title))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_labels() {
        assert_eq!(compact(0.0), "0");
        assert_eq!(compact(950.0), "950");
        assert_eq!(compact(12_500.0), "12.5k");
        assert_eq!(compact(200_000.0), "200k");
        assert_eq!(compact(1_200_000.0), "1.2M");
    }

    #[test]
    fn a_figure_too_wide_for_its_month_goes_on_two_lines() {
        let g = |label: &str, actual: f64, shown: &str| PlanGroup {
            label: label.into(),
            actual: Some(actual),
            plan: Some(500_000.0),
            shown: shown.into(),
        };
        let svg = months_vs_plan(
            "q",
            "Revenue",
            &[g("Jan", 412_000.0, "412k · 82%"), g("Feb", 244_500.0, "244.5k · 106.3%"), g("Mar", 600_000.0, "600k")],
        )
        .unwrap();
        // Ticks to 600k: labels "600k" (2.56 em of 17.7 px = 45.4 px) put the plot at 56 to 432,
        // three slots of 125.3 px. "244.5k · 106.3%" is 8.64 em of 16.1 px = 139.4 px, more than
        // the slot less 8: two lines. "412k · 82%", 6.08 em = 98.1 px, fits on one.
        let texts: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim())
            .collect();
        for want in ["412k · 82%", "244.5k", "106.3%", "600k"] {
            assert!(texts.contains(&want), "{want} missing in {texts:?}");
        }
        assert!(!texts.contains(&"244.5k · 106.3%"), "{texts:?}");
    }

    #[test]
    fn months_against_plan_are_drawn_with_their_figures() {
        let g = |label: &str, actual, plan| PlanGroup {
            label: label.into(),
            actual,
            plan,
            shown: format!("{label} shown"),
        };
        let svg = months_vs_plan(
            "q",
            "Revenue & plan",
            &[
                g("Oct 2026", Some(412_000.0), Some(500_000.0)),
                g("Nov", Some(530_000.0), None),
                g("Dec", None, Some(600_000.0)),
            ],
        )
        .unwrap();
        assert!(svg.starts_with("<svg role=\"img\" aria-labelledby=\"q-title\""), "{svg}");
        assert!(svg.contains("Revenue &amp; plan"));
        for want in ["Oct 2026 shown", "Nov shown", "actual", "plan", "600k"] {
            assert!(svg.contains(want), "{want} missing: {svg}");
        }
        assert_eq!(
            svg,
            months_vs_plan(
                "q",
                "Revenue & plan",
                &[
                    g("Oct 2026", Some(412_000.0), Some(500_000.0)),
                    g("Nov", Some(530_000.0), None),
                    g("Dec", None, Some(600_000.0))
                ]
            )
            .unwrap()
        );
        assert!(months_vs_plan("q", "t", &[g("Oct", None, None)]).unwrap().contains("cannot be drawn"));
    }
}
