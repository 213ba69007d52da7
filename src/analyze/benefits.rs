//! The five benefits of the article, month against previous month (docs/figures.md#the-five-benefits).

use super::funnel;
use crate::model::calendar::Month;
use crate::model::{FunnelMonth, Project};
use serde::Serialize;

/// A verdict on a benefit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Moved the good way.
    Better,
    /// Moved the bad way.
    Worse,
    /// Exactly equal.
    Same,
}

/// One benefit in one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenefitFigure {
    /// `costs`, `leads`, `retention`, `lead-time` or `sales-cycle`.
    pub id: &'static str,
    /// The figure this month.
    pub value: Option<f64>,
    /// The figure last month.
    pub previous: Option<f64>,
    /// Better, worse, same, or none when either value is missing.
    pub verdict: Option<Verdict>,
}

/// The benefits: id, the article's words, the figure's name, and whether higher is better.
pub const BENEFITS: [(&str, &str, &str, bool); 5] = [
    ("costs", "Costs decrease", "CAC", false),
    ("leads", "Leads soar", "first-stage count", true),
    ("retention", "Retention rates are higher", "retention", true),
    ("lead-time", "Lead generation takes less time", "days to MQL", false),
    ("sales-cycle", "Sales cycles are shorter", "sales cycle days", false),
];

fn value(id: &str, fm: &FunnelMonth) -> Option<f64> {
    match id {
        "costs" => funnel::cac(fm),
        "leads" => funnel::stage(fm, 0),
        "retention" => funnel::retention(fm),
        "lead-time" => fm.days_to_mql,
        _ => fm.sales_cycle_days,
    }
}

/// Compares two values of a figure.
pub fn verdict(value: Option<f64>, previous: Option<f64>, higher_is_better: bool) -> Option<Verdict> {
    let (v, p) = (value?, previous?);
    Some(if v == p {
        Verdict::Same
    } else if (v > p) == higher_is_better {
        Verdict::Better
    } else {
        Verdict::Worse
    })
}

/// The five benefits for month `m`.
pub fn figures(p: &Project, m: Month) -> Vec<BenefitFigure> {
    let cur = p.funnel_month(m);
    let prev = p.funnel_month(m.prev());
    BENEFITS
        .iter()
        .map(|(id, _, _, higher)| {
            let value = cur.and_then(|f| self::value(id, f));
            let previous = prev.and_then(|f| self::value(id, f));
            BenefitFigure { id, value, previous, verdict: verdict(value, previous, *higher) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        assert_eq!(verdict(Some(5000.0), Some(6000.0), false), Some(Verdict::Better));
        assert_eq!(verdict(Some(7000.0), Some(6000.0), false), Some(Verdict::Worse));
        assert_eq!(verdict(Some(2000.0), Some(1900.0), true), Some(Verdict::Better));
        assert_eq!(verdict(Some(0.1 + 0.2), Some(0.3), true), Some(Verdict::Better), "no rounding before comparing");
        assert_eq!(verdict(Some(3.0), Some(3.0), true), Some(Verdict::Same));
        assert_eq!(verdict(None, Some(3.0), true), None);
    }
}
