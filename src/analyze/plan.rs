//! The month against the plan (docs/figures.md, "Plan, attainment and quarter to date"):
//! attainment, quarter to date and pipeline coverage. Pure functions: a figure without a plan,
//! or with a plan of 0, has no value, never 0 or infinity.

use super::funnel::{ratio, stage};
use crate::model::calendar::{Month, Quarter};
use crate::model::{FunnelMonth, PlanMonth, Project};

/// A ratio of actual to plan for each planned figure: `None` where there is no plan (or no
/// actual, or a plan of 0).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attainment {
    /// By stage index.
    pub stages: Vec<Option<f64>>,
    /// Revenue.
    pub revenue: Option<f64>,
    /// Pipeline created.
    pub pipeline_created: Option<f64>,
}

impl Attainment {
    /// Whether no figure has a value.
    pub fn is_empty(&self) -> bool {
        self.stages.iter().all(Option::is_none) && self.revenue.is_none() && self.pipeline_created.is_none()
    }
}

/// One planned figure: how to read it from a funnel month and from a plan month.
struct Figure {
    actual: fn(&FunnelMonth, usize) -> Option<f64>,
    plan: fn(&PlanMonth, usize) -> Option<f64>,
}

fn stage_plan(pm: &PlanMonth, i: usize) -> Option<f64> {
    pm.stages.get(i).copied().flatten().map(|v| v as f64)
}

const STAGE: Figure = Figure { actual: stage, plan: stage_plan };
const REVENUE: Figure = Figure { actual: |f, _| f.revenue, plan: |p, _| p.revenue };
const PIPELINE_CREATED: Figure = Figure { actual: |f, _| f.pipeline_created, plan: |p, _| p.pipeline_created };

/// Applies `one` to every planned figure (each stage, revenue, pipeline created).
fn each(n: usize, one: impl Fn(&Figure, usize) -> Option<f64>) -> Attainment {
    Attainment {
        stages: (0..n).map(|i| one(&STAGE, i)).collect(),
        revenue: one(&REVENUE, 0),
        pipeline_created: one(&PIPELINE_CREATED, 0),
    }
}

/// Attainment in month m: actual ÷ plan, for each figure the month has a plan for.
pub fn attainment(p: &Project, m: Month) -> Attainment {
    let (fm, pm) = (p.funnel_month(m), p.plan_month(m));
    each(p.site.stages.len(), |fig, i| {
        let (fm, pm) = (fm?, pm?);
        ratio((fig.actual)(fm, i), (fig.plan)(pm, i))
    })
}

/// Quarter to date in month m: the sum of the actuals over the quarter's months up to and
/// including m ÷ the sum of the plans over the same months, counting only months that have
/// both. No value for a figure m itself has no plan for.
pub fn qtd(p: &Project, m: Month) -> Attainment {
    let months: Vec<Month> = Quarter::of(m).months().into_iter().filter(|x| *x <= m).collect();
    each(p.site.stages.len(), |fig, i| {
        (fig.plan)(p.plan_month(m)?, i)?;
        let (mut actual, mut plan) = (0.0, 0.0);
        for x in &months {
            let both = p
                .funnel_month(*x)
                .and_then(|f| (fig.actual)(f, i))
                .zip(p.plan_month(*x).and_then(|pm| (fig.plan)(pm, i)));
            if let Some((a, pl)) = both {
                actual += a;
                plan += pl;
            }
        }
        ratio(Some(actual), Some(plan))
    })
}

/// The plan revenue still to win in m's quarter after m: the plan revenue of the quarter's
/// later months, when every one of them has one (a partial sum would overstate coverage). `None`
/// in a quarter's last month, which has no later months.
pub fn rest_of_quarter_plan(p: &Project, m: Month) -> Option<f64> {
    let later: Vec<Month> = Quarter::of(m).months().into_iter().filter(|x| *x > m).collect();
    if later.is_empty() {
        return None;
    }
    later.iter().map(|x| p.plan_month(*x).and_then(|pm| pm.revenue)).sum()
}

/// Coverage in month m: `pipeline_open` of m ÷ the plan revenue still to win in its quarter
/// after m ([`rest_of_quarter_plan`]); no value without that plan or when it is 0.
pub fn coverage(p: &Project, m: Month) -> Option<f64> {
    ratio(p.funnel_month(m)?.pipeline_open, rest_of_quarter_plan(p, m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::funnel::tests::month as funnel_month;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    fn actual(month: &str, leads: u64, won: u64, revenue: f64, created: Option<f64>, open: Option<f64>) -> FunnelMonth {
        let mut f = funnel_month(&[Some(leads), Some(200), Some(100), Some(60), Some(won)]);
        f.month = m(month);
        f.revenue = Some(revenue);
        f.pipeline_created = created;
        f.pipeline_open = open;
        f
    }

    fn plan(month: &str, leads: Option<u64>, won: u64, revenue: Option<f64>) -> PlanMonth {
        PlanMonth {
            month: m(month),
            stages: vec![leads, None, None, None, Some(won)],
            revenue,
            pipeline_created: Some(1_000_000.0),
            file: String::new(),
        }
    }

    fn project() -> Project {
        Project {
            funnel: vec![
                actual("2026-10", 1900, 34, 412_000.0, Some(1_200_000.0), Some(2_400_000.0)),
                actual("2026-11", 2100, 41, 530_000.0, None, Some(1_500_000.0)),
            ],
            plan: vec![
                plan("2026-10", Some(2000), 40, Some(500_000.0)),
                plan("2026-11", None, 40, Some(500_000.0)),
                plan("2026-12", Some(2000), 45, Some(600_000.0)),
            ],
            ..Project::default()
        }
    }

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("a value");
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn attainment_is_actual_over_plan() {
        let p = project();
        let a = attainment(&p, m("2026-10"));
        close(a.stages[0], 1900.0 / 2000.0); // 95%
        close(a.stages[4], 34.0 / 40.0); // 85%
        close(a.revenue, 412_000.0 / 500_000.0); // 82.4%
        close(a.pipeline_created, 1.2); // 120%
        assert_eq!(a.stages[1], None, "no plan for MQL");
        // November: no plan for leads, no actual pipeline created.
        let a = attainment(&p, m("2026-11"));
        assert_eq!(a.stages[0], None);
        assert_eq!(a.pipeline_created, None);
        close(a.revenue, 530_000.0 / 500_000.0);
        // December: a plan but no actuals yet.
        assert!(attainment(&p, m("2026-12")).is_empty());
        assert!(attainment(&p, m("2026-09")).is_empty());
    }

    #[test]
    fn quarter_to_date_sums_the_months_that_have_both() {
        let p = project();
        // October is the quarter's first month: QTD = attainment.
        close(qtd(&p, m("2026-10")).revenue, 412_000.0 / 500_000.0);
        let q = qtd(&p, m("2026-11"));
        // Revenue: (412,000 + 530,000) / (500,000 + 500,000) = 0.942.
        close(q.revenue, 0.942);
        // Won: (34 + 41) / (40 + 40) = 0.9375.
        close(q.stages[4], 75.0 / 80.0);
        // Leads: November has no plan for leads, so no QTD in November.
        assert_eq!(q.stages[0], None);
        // Pipeline created: November has no actual; its plan counts only with an actual, so
        // the QTD is October's alone: 1.2.
        close(q.pipeline_created, 1.2);
        // A month of another quarter is not summed in.
        let mut p = project();
        p.funnel.insert(0, actual("2026-09", 1, 1, 1.0, None, None));
        p.plan.insert(0, plan("2026-09", Some(1), 1, Some(1000.0)));
        close(qtd(&p, m("2026-10")).revenue, 412_000.0 / 500_000.0);
    }

    #[test]
    fn coverage_is_open_pipeline_over_the_rest_of_the_quarters_plan() {
        let mut p = project();
        // October: 2,400,000 open / (500,000 + 600,000) still to win = 2.1818...
        close(coverage(&p, m("2026-10")), 2_400_000.0 / 1_100_000.0);
        // November: 1,500,000 / 600,000 = 2.5.
        close(coverage(&p, m("2026-11")), 2.5);
        // December is the quarter's last month: nothing left to cover.
        assert_eq!(rest_of_quarter_plan(&p, m("2026-12")), None);
        // A later month without a plan revenue: no coverage rather than an overstated one.
        p.plan[2].revenue = None;
        assert_eq!(coverage(&p, m("2026-10")), None);
        // A plan of 0: no value, not infinity.
        p.plan[2].revenue = Some(0.0);
        assert_eq!(coverage(&p, m("2026-11")), None);
        // No pipeline open: no value.
        p.plan[2].revenue = Some(600_000.0);
        p.funnel[1].pipeline_open = None;
        assert_eq!(coverage(&p, m("2026-11")), None);
    }
}
