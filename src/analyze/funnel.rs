//! Funnel formulas (docs/figures.md#funnel). Pure functions: a missing input or a zero
//! denominator gives `None`, never 0, NaN or infinity.

use crate::model::calendar::Month;
use crate::model::{FunnelMonth, Metric, Project};

/// `num / den`, or `None` when either is missing, the denominator is zero, or the result is
/// not a finite number (spend near the largest number a float holds, over a cycle of 1e-320
/// days): a page must never show "inf" where the JSON has `null`.
pub fn ratio(num: Option<f64>, den: Option<f64>) -> Option<f64> {
    match (num, den) {
        (Some(n), Some(d)) if d != 0.0 => Some(n / d).filter(|v| v.is_finite()),
        _ => None,
    }
}

/// A stage count as a number.
pub fn stage(fm: &FunnelMonth, i: usize) -> Option<f64> {
    fm.stages.get(i).copied().flatten().map(|v| v as f64)
}

/// Stage conversion `a→b` = stages[b] / stages[a].
pub fn conversion(fm: &FunnelMonth, a: usize, b: usize) -> Option<f64> {
    ratio(stage(fm, b), stage(fm, a))
}

/// Overall conversion = last stage / first stage.
pub fn overall(fm: &FunnelMonth) -> Option<f64> {
    conversion(fm, 0, fm.stages.len() - 1)
}

/// Month-over-month change (x_m − x_{m−1}) / x_{m−1}.
pub fn change(current: Option<f64>, previous: Option<f64>) -> Option<f64> {
    match (current, previous) {
        (Some(c), Some(p)) => ratio(Some(c - p), Some(p)),
        _ => None,
    }
}

/// Cost per lead = spend.marketing / stages[first].
pub fn cost_per_lead(fm: &FunnelMonth) -> Option<f64> {
    ratio(fm.spend_marketing, stage(fm, 0))
}

/// CAC = (spend.marketing + spend.sales) / customers.new, or / stages[last] without `customers`.
pub fn cac(fm: &FunnelMonth) -> Option<f64> {
    let spend = match (fm.spend_marketing, fm.spend_sales) {
        (Some(m), Some(s)) => Some(m + s),
        _ => None,
    };
    let den = match fm.customers {
        Some(c) => Some(c.new as f64),
        None => stage(fm, fm.stages.len() - 1),
    };
    ratio(spend, den)
}

/// Retention = (customers.start − customers.lost) / customers.start.
pub fn retention(fm: &FunnelMonth) -> Option<f64> {
    let c = fm.customers?;
    ratio(Some(c.start as f64 - c.lost as f64), Some(c.start as f64))
}

/// What a win rate is taken from (docs/figures.md, "Win rate").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WinRateBasis {
    /// Deals closed in the month: won ÷ (won + lost), when the month gives `lost`.
    Closed,
    /// The last two stages: last stage ÷ second to last, when it does not.
    Stages,
}

/// Which win rate a month has: on closed deals when it gives `lost`, else on the stages.
pub fn win_rate_basis(fm: &FunnelMonth) -> WinRateBasis {
    if fm.lost.is_some() {
        WinRateBasis::Closed
    } else {
        WinRateBasis::Stages
    }
}

/// Win rate = won ÷ (won + lost), won being the last stage's count, when the month gives
/// `lost`; else stages[last] ÷ stages[second to last].
pub fn win_rate(fm: &FunnelMonth) -> Option<f64> {
    let n = fm.stages.len();
    match fm.lost {
        Some(lost) => {
            let won = stage(fm, n - 1)?;
            ratio(Some(won), Some(won + lost as f64))
        }
        None => conversion(fm, n - 2, n - 1),
    }
}

/// Average deal = revenue / stages[last].
pub fn average_deal(fm: &FunnelMonth) -> Option<f64> {
    ratio(fm.revenue, stage(fm, fm.stages.len() - 1))
}

/// Sales velocity = stages[second to last] × win rate × average deal / sales_cycle_days.
pub fn sales_velocity(fm: &FunnelMonth) -> Option<f64> {
    let n = fm.stages.len();
    let top = stage(fm, n - 2)? * win_rate(fm)? * average_deal(fm)?;
    ratio(Some(top), fm.sales_cycle_days)
}

/// The value of a goal metric in a month (`None` when the month has no funnel data or the
/// figure has no value).
pub fn metric_value(p: &Project, metric: Metric, m: Month) -> Option<f64> {
    let fm = p.funnel_month(m)?;
    match metric {
        Metric::Stage(i) => stage(fm, i),
        Metric::Conversion(a, b) => conversion(fm, a, b),
        Metric::Revenue => fm.revenue,
        Metric::Cac => cac(fm),
        Metric::CostPerLead => cost_per_lead(fm),
        Metric::Retention => retention(fm),
        Metric::SalesCycleDays => fm.sales_cycle_days,
        Metric::DaysToMql => fm.days_to_mql,
        Metric::LeadResponseHours => fm.lead_response_hours,
        Metric::LeadVelocityRate => {
            let q = p.site.qualified_stage;
            change(stage(fm, q), p.funnel_month(m.prev()).and_then(|pm| stage(pm, q)))
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::Customers;

    pub(crate) fn month(stages: &[Option<u64>]) -> FunnelMonth {
        FunnelMonth {
            month: Month::parse("2026-10").unwrap(),
            stages: stages.to_vec(),
            revenue: Some(412000.0),
            lost: None,
            pipeline_created: None,
            pipeline_open: None,
            spend_marketing: Some(85000.0),
            spend_sales: Some(120000.0),
            customers: Some(Customers { start: 410, new: 34, lost: 6 }),
            sales_cycle_days: Some(41.0),
            days_to_mql: Some(5.5),
            lead_response_hours: None,
            channels: vec![],
            file: String::new(),
        }
    }

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("a value");
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn formulas_worked_by_hand() {
        let fm = month(&[Some(1900), Some(620), Some(210), Some(120), Some(34)]);
        close(conversion(&fm, 0, 1), 620.0 / 1900.0); // 0.32631...
        close(conversion(&fm, 1, 2), 210.0 / 620.0);
        close(overall(&fm), 34.0 / 1900.0);
        close(cost_per_lead(&fm), 85000.0 / 1900.0); // 44.736...
        close(cac(&fm), 205000.0 / 34.0); // 6029.41...
        close(retention(&fm), 404.0 / 410.0); // 0.98536...
        close(win_rate(&fm), 34.0 / 120.0); // 0.28333...
        close(average_deal(&fm), 412000.0 / 34.0); // 12117.64...
                                                   // 120 × (34/120) × (412000/34) / 41 = 412000 / 41
        close(sales_velocity(&fm), 412000.0 / 41.0);
        close(change(Some(620.0), Some(640.0)), -20.0 / 640.0);
        assert_eq!(win_rate_basis(&fm), WinRateBasis::Stages);
    }

    #[test]
    fn win_rate_on_closed_deals_when_lost_is_given() {
        let mut fm = month(&[Some(1900), Some(620), Some(210), Some(120), Some(34)]);
        fm.lost = Some(51);
        assert_eq!(win_rate_basis(&fm), WinRateBasis::Closed);
        // 34 won, 51 lost: 34 / 85 = 0.4 (not 34 / 120 opportunities = 0.2833).
        close(win_rate(&fm), 0.4);
        // Sales velocity uses the same win rate: 120 × 0.4 × (412000 / 34) / 41.
        close(sales_velocity(&fm), 120.0 * 0.4 * (412000.0 / 34.0) / 41.0); // 14,183.35...
                                                                            // Nothing closed: no win rate, not 0.
        fm.stages[4] = Some(0);
        fm.lost = Some(0);
        assert_eq!(win_rate(&fm), None);
        // Only losses: 0%.
        fm.lost = Some(7);
        close(win_rate(&fm), 0.0);
        // No won count: no win rate, whatever `lost` says.
        fm.stages[4] = None;
        assert_eq!(win_rate(&fm), None);
    }

    #[test]
    fn null_cases() {
        let mut fm = month(&[Some(0), Some(0), Some(0), Some(0), Some(0)]);
        assert_eq!(conversion(&fm, 0, 1), None);
        assert_eq!(cost_per_lead(&fm), None);
        assert_eq!(win_rate(&fm), None);
        assert_eq!(average_deal(&fm), None);
        assert_eq!(sales_velocity(&fm), None);
        assert_eq!(change(Some(5.0), Some(0.0)), None);
        assert_eq!(change(Some(5.0), None), None);
        fm.customers = None;
        assert_eq!(retention(&fm), None);
        assert_eq!(cac(&fm), None); // no customers: divides by won = 0
        fm.stages[4] = Some(41);
        close(cac(&fm), 205000.0 / 41.0);
        fm.spend_sales = None;
        assert_eq!(cac(&fm), None);
        fm.stages[1] = None;
        assert_eq!(conversion(&fm, 0, 1), None);
        fm.sales_cycle_days = Some(0.0);
        assert_eq!(sales_velocity(&fm), None);
    }
}
