//! The plan on the pages: "vs plan" and quarter-to-date lines under a headline card, and the
//! pipeline block (created, open, coverage in words). The figures come from `analyze::plan`.

use super::{currency, fig, format, Analysis, Card};
use crate::model::calendar::{Month, Quarter};
use serde::Serialize;

/// One line under a headline card: where the figure stands against plan.
#[derive(Serialize, Clone)]
pub struct PlanLine {
    /// "vs plan", "QTD", or "month and QTD" (a quarter's first month, where they are equal).
    pub what: &'static str,
    /// "95.0%": actual as a percentage of plan.
    pub value: String,
    /// `good`, `bad`, `flat` or `none` (a month in progress: not judged yet).
    pub tone: &'static str,
    /// ▲ (above plan), ▼ (below) or ■ (on plan); empty while in progress.
    pub arrow: &'static str,
    /// The position in words, for every reader: "above plan", "below plan", "on plan", "so far".
    pub word: &'static str,
    /// Width of the thin bar's fill, 0 to 100 (percent of the track).
    pub fill: String,
    /// Where the plan mark sits on the track, 0 to 100: at 100 up to plan; further left when
    /// the actual is above plan, so the bar is never clipped while its label says 160%.
    pub mark: String,
}

/// A plan line for an attainment ratio, or `None` without one. In a month in progress the
/// month is not over: its attainment is not judged (no colour, no arrow, "so far").
fn line(what: &'static str, ratio: Option<f64>, in_progress: bool) -> Option<PlanLine> {
    let r = ratio?;
    let (tone, arrow, word) = if in_progress {
        ("none", "", "so far")
    } else if r > 1.0 {
        ("good", "▲", "above plan")
    } else if r < 1.0 {
        ("bad", "▼", "below plan")
    } else {
        ("flat", "■", "on plan")
    };
    let (fill, mark) = if r > 1.0 { (100.0, 100.0 / r) } else { (r.max(0.0) * 100.0, 100.0) };
    Some(PlanLine {
        what,
        value: format::percent(Some(r)),
        tone,
        arrow,
        word,
        fill: format!("{fill:.1}"),
        mark: format!("{mark:.1}"),
    })
}

/// The plan lines of a figure: vs plan this month, then quarter to date. In a quarter's first
/// month the two are the same figure: one line says so instead of repeating it.
pub(super) fn plan_lines(month: Option<f64>, qtd: Option<f64>, in_progress: bool) -> Vec<PlanLine> {
    if month.is_some() && month == qtd {
        return line("month and QTD", month, in_progress).into_iter().collect();
    }
    [line("vs plan", month, in_progress), line("QTD", qtd, in_progress)].into_iter().flatten().collect()
}

/// Adds the plan lines to the headline cards of month `m` that have a plan: the stage cards
/// and revenue.
pub(super) fn add_plan_lines(a: &Analysis, m: Month, cards: &mut [Card]) {
    let s = &a.project.site;
    let f = fig(a, m);
    for c in cards.iter_mut() {
        let (month, qtd) = if c.id == "card-revenue" {
            (f.attainment.revenue, f.qtd.revenue)
        } else if let Some(i) = s.stages.iter().position(|id| c.id == super::card_id_stage(id)) {
            (f.attainment.stages[i], f.qtd.stages[i])
        } else {
            continue;
        };
        c.plan = plan_lines(month, qtd, f.in_progress);
    }
}

/// The month's pipeline: created and open with their change (and created against plan), and
/// coverage in words.
#[derive(Serialize)]
pub struct PipelineBlock {
    /// Pipeline created and pipeline open, as cards.
    pub cards: Vec<Card>,
    /// "3.1× the rest of the quarter's plan (USD 1,100,000 for Nov–Dec 2026)", or why there
    /// is no coverage.
    pub coverage: String,
    /// Whether `coverage` holds a value (else it says why not).
    pub has_coverage: bool,
}

/// The pipeline block of month `m`, when its funnel gives pipeline created or open.
pub(super) fn pipeline_block(a: &Analysis, m: Month) -> Option<PipelineBlock> {
    let f = fig(a, m);
    if f.pipeline_created.is_none() && f.pipeline_open.is_none() {
        return None;
    }
    let cur = currency(a);
    let mut created = super::card(
        "Pipeline created",
        format::money(f.pipeline_created, cur),
        f.pipeline_created_mom,
        true,
        "card-pipeline-created".into(),
        "pipeline",
    );
    created.plan = plan_lines(f.attainment.pipeline_created, f.qtd.pipeline_created, f.in_progress);
    let open = super::card(
        "Pipeline open",
        format::money(f.pipeline_open, cur),
        f.pipeline_open_mom,
        true,
        "card-pipeline-open".into(),
        "pipeline",
    );
    let later: Vec<Month> = Quarter::of(m).months().into_iter().filter(|x| *x > m).collect();
    let rest = match (later.first(), later.last()) {
        (Some(a), Some(b)) if a == b => a.short_name(),
        (Some(a), Some(b)) => format!("{}–{}", a.abbrev(), b.short_name()),
        _ => String::new(),
    };
    let (coverage, has_coverage) = match (f.coverage, f.pipeline_open) {
        (Some(c), _) => (
            format!(
                "{}× the rest of the quarter's plan ({} still to win in {rest})",
                format::number(c, 1),
                format::money(f.rest_of_quarter_plan, cur)
            ),
            true,
        ),
        (None, None) => ("No coverage: no pipeline open this month.".into(), false),
        (None, Some(_)) if later.is_empty() => {
            (format!("No coverage: {} is the quarter's last month, with no plan left to cover.", m.short_name()), false)
        }
        (None, Some(_)) if f.rest_of_quarter_plan == Some(0.0) => {
            (format!("No coverage: the plan revenue for {rest} is 0."), false)
        }
        (None, Some(_)) => (format!("No coverage: not every month of {rest} has a plan revenue."), false),
    };
    Some(PipelineBlock { cards: vec![created, open], coverage, has_coverage })
}
