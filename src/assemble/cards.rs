//! The headline cards and the five benefit tiles of a month.

use super::{currency, fig, format, href_segment, Analysis};
use crate::analyze::benefits;
use crate::model::calendar::Month;
use serde::Serialize;

/// A headline card: value, change, whether the change is good for that figure, its anchor on
/// the page (benefit tiles point at it) and its glossary entry.
#[derive(Serialize)]
pub struct Card {
    /// The figure's name.
    pub label: String,
    /// Its value.
    pub value: String,
    /// Its change since last month.
    pub change: String,
    /// `good`, `bad`, `flat` or `none`.
    pub tone: &'static str,
    /// ▲, ▼ or ■.
    pub arrow: &'static str,
    /// The change in a word, for screen readers.
    pub word: &'static str,
    /// The card's anchor.
    pub id: String,
    /// Its glossary entry.
    pub term: &'static str,
    /// Where it stands against plan, this month and quarter to date (empty without a plan).
    pub plan: Vec<super::PlanLine>,
}

/// A headline card: value, change, and whether the change is good for that figure. The change
/// is shown as a relative change ("+5.0%") unless `shown` words it otherwise.
pub(super) fn card(
    label: &str,
    value: String,
    change: Option<f64>,
    higher_is_better: bool,
    id: String,
    term: &'static str,
) -> Card {
    card_shown(label, value, change, format::change(change), higher_is_better, id, term)
}

/// A headline card whose change is worded by the caller (retention's "−0.2 pts").
fn card_shown(
    label: &str,
    value: String,
    change: Option<f64>,
    shown: String,
    higher_is_better: bool,
    id: String,
    term: &'static str,
) -> Card {
    let (tone, arrow, word) = match change {
        Some(c) if c > 0.0 => (if higher_is_better { "good" } else { "bad" }, "▲", "up"),
        Some(c) if c < 0.0 => (if higher_is_better { "bad" } else { "good" }, "▼", "down"),
        Some(_) => ("flat", "■", "unchanged"),
        None => ("none", "", "no comparison"),
    };
    Card { label: label.to_string(), value, change: shown, tone, arrow, word, id, term, plan: Vec::new() }
}

/// The stages that get a headline card: the first, the qualified stage when it is neither
/// first nor last, and the last.
pub(super) fn headline_card_stages(a: &Analysis) -> Vec<usize> {
    let s = &a.project.site;
    let (q, last) = (s.qualified_stage, s.stages.len() - 1);
    let mut v = vec![0];
    if q != 0 && q != last {
        v.push(q);
    }
    v.push(last);
    v
}

/// The headline cards of month `m`: stage counts, revenue, CAC and retention, each with its
/// change since last month and, where there is a plan, its place against it.
pub(super) fn headline_cards(a: &Analysis, m: Month) -> Vec<Card> {
    let p = a.project;
    let s = &p.site;
    let f = fig(a, m);
    let stage_card = |i: usize| {
        card(&s.stage_labels[i], format::count(f.stages[i]), f.mom[i], true, card_id_stage(&s.stages[i]), "stage-count")
    };
    let mut cards: Vec<Card> = headline_card_stages(a).into_iter().map(stage_card).collect();
    let cur = currency(a);
    cards.push(card("Revenue", format::money(f.revenue, cur), f.revenue_mom, true, "card-revenue".into(), "revenue"));
    cards.push(card("CAC", format::money(f.cac, cur), f.cac_mom, false, "card-cac".into(), "cac"));
    // A rate's change in points, like a goal's ("−0.2 pts"): a relative "−0.2%" of 98.5% is
    // easily read as points.
    cards.push(card_shown(
        "Retention",
        format::percent(f.retention),
        f.retention_change,
        format::change_in_unit(f.retention_change, crate::model::Unit::Percent, cur),
        true,
        "card-retention".into(),
        "retention",
    ));
    super::add_plan_lines(a, m, &mut cards);
    cards
}

/// The page anchor of a stage's headline card.
pub(super) fn card_id_stage(stage: &str) -> String {
    format!("card-stage-{}", href_segment(stage))
}

/// One of the five benefits, this month against last.
#[derive(Serialize)]
pub struct BenefitTile {
    /// Its id.
    pub id: &'static str,
    /// The benefit in words.
    pub words: &'static str,
    /// The figure it is judged by.
    pub figure: &'static str,
    /// This month's value.
    pub value: String,
    /// Last month's value.
    pub previous: String,
    /// `better`, `worse`, `same` or `no data`.
    pub verdict: &'static str,
    /// A mark that does not rely on colour.
    pub icon: &'static str,
    /// The verdict as a CSS class.
    pub key: String,
    /// The headline card that shows the figure, when the page has that card.
    pub card: Option<String>,
}

/// The five benefit tiles of month `m`; `cards` are the headline cards on the same page.
pub(super) fn benefit_tiles(a: &Analysis, m: Month, cards: &[Card]) -> Vec<BenefitTile> {
    let cur = currency(a).to_string();
    fig(a, m)
        .benefits
        .iter()
        .zip(benefits::BENEFITS.iter())
        .map(|(b, (_, words, figure, _))| {
            let show = |v: Option<f64>| match b.id {
                "costs" => format::money(v, &cur),
                "leads" => format::count(v),
                "retention" => format::percent(v),
                _ => v.map(|x| format!("{} days", format::decimal(Some(x)))).unwrap_or_else(|| format::NONE.into()),
            };
            let (verdict, icon) = match b.verdict {
                Some(benefits::Verdict::Better) => ("better", "✓"),
                Some(benefits::Verdict::Worse) => ("worse", "✗"),
                Some(benefits::Verdict::Same) => ("same", "="),
                None => ("no data", "—"),
            };
            // Each figure has one home on the page: a benefit whose figure is a headline card
            // points at that card instead of repeating it; without the card (a month with no
            // funnel data has none) the tile shows its own value.
            let card = match b.id {
                "costs" => Some("card-cac".to_string()),
                "leads" => Some(card_id_stage(&a.project.site.stages[0])),
                "retention" => Some("card-retention".to_string()),
                _ => None,
            }
            .filter(|id| cards.iter().any(|c| &c.id == id));
            BenefitTile {
                id: b.id,
                words,
                figure,
                value: show(b.value),
                previous: show(b.previous),
                verdict,
                icon,
                key: verdict.replace(' ', "-"),
                card,
            }
        })
        .collect()
}
