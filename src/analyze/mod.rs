//! Analyze: every number of FORMAT.md section 8, defined once, as pure functions of the model.
//! No IO and no display formatting here: pages and JSON both read these figures.

pub mod actions;
pub mod benefits;
pub mod checklist;
pub mod funnel;
pub mod goals;

use crate::model::calendar::Month;
use crate::model::{Meeting, Project, Site};
use serde_json::{json, Map, Value};

/// Whether a meeting had at least one member of marketing and one of sales.
pub fn is_joint(site: &Site, m: &Meeting) -> bool {
    ["marketing", "sales"]
        .iter()
        .all(|k| site.team(k).is_some_and(|t| m.attendees.iter().any(|a| t.members.contains(a))))
}

/// Every computed figure of one month's report.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthFigures {
    /// The month.
    pub month: Month,
    /// Whether the month has funnel data.
    pub has_funnel: bool,
    /// Stage counts by stage index.
    pub stages: Vec<Option<f64>>,
    /// Adjacent conversions: index i is stage i → stage i+1.
    pub conversions: Vec<Option<f64>>,
    /// Overall conversion.
    pub overall: Option<f64>,
    /// Month-over-month change by stage index.
    pub mom: Vec<Option<f64>>,
    /// Lead velocity rate.
    pub lead_velocity_rate: Option<f64>,
    /// Cost per lead.
    pub cost_per_lead: Option<f64>,
    /// Customer acquisition cost.
    pub cac: Option<f64>,
    /// Retention.
    pub retention: Option<f64>,
    /// Win rate.
    pub win_rate: Option<f64>,
    /// Average deal.
    pub average_deal: Option<f64>,
    /// Sales velocity (money per day).
    pub sales_velocity: Option<f64>,
    /// Revenue.
    pub revenue: Option<f64>,
    /// Median sales cycle in days.
    pub sales_cycle_days: Option<f64>,
    /// Median days to MQL.
    pub days_to_mql: Option<f64>,
    /// Median lead response in hours.
    pub lead_response_hours: Option<f64>,
    /// The five benefits.
    pub benefits: Vec<benefits::BenefitFigure>,
    /// Every goal, in model order.
    pub goals: Vec<goals::GoalFigures>,
    /// The month's end day D (FORMAT.md 8.0): its last day, or the as-of date while in progress.
    pub end_day: jiff::civil::Date,
    /// Action items at D: open, overdue, new, done, newly overdue.
    pub actions: actions::Figures,
    /// The checklist.
    pub checklist: Vec<checklist::ChecklistFigure>,
    /// Slugs of the month's meetings, by date then slug.
    pub meetings: Vec<String>,
}

/// Computes every figure of month `m`.
pub fn month_figures(p: &Project, m: Month) -> MonthFigures {
    let n = p.site.stages.len();
    let fm = p.funnel_month(m);
    let prev = p.funnel_month(m.prev());
    let stages: Vec<Option<f64>> = (0..n).map(|i| fm.and_then(|f| funnel::stage(f, i))).collect();
    let mom: Vec<Option<f64>> =
        (0..n).map(|i| funnel::change(stages[i], prev.and_then(|f| funnel::stage(f, i)))).collect();
    let opt = |f: fn(&crate::model::FunnelMonth) -> Option<f64>| fm.and_then(f);
    let end_day = crate::model::calendar::end_day(m, p.as_of);
    MonthFigures {
        month: m,
        has_funnel: fm.is_some(),
        conversions: (0..n.saturating_sub(1)).map(|i| fm.and_then(|f| funnel::conversion(f, i, i + 1))).collect(),
        overall: opt(funnel::overall),
        lead_velocity_rate: mom[p.site.qualified_stage],
        mom,
        stages,
        cost_per_lead: opt(funnel::cost_per_lead),
        cac: opt(funnel::cac),
        retention: opt(funnel::retention),
        win_rate: opt(funnel::win_rate),
        average_deal: opt(funnel::average_deal),
        sales_velocity: opt(funnel::sales_velocity),
        revenue: fm.and_then(|f| f.revenue),
        sales_cycle_days: fm.and_then(|f| f.sales_cycle_days),
        days_to_mql: fm.and_then(|f| f.days_to_mql),
        lead_response_hours: fm.and_then(|f| f.lead_response_hours),
        benefits: benefits::figures(p, m),
        goals: p.goals.iter().map(|g| goals::figures(p, g, m)).collect(),
        end_day,
        actions: actions::figures(p, m, end_day),
        checklist: checklist::figures(p, m),
        meetings: checklist::meetings_in(p, m).iter().map(|mt| mt.slug.clone()).collect(),
    }
}

fn num(v: Option<f64>) -> Value {
    v.and_then(|x| serde_json::Number::from_f64(x).map(Value::Number)).unwrap_or(Value::Null)
}

/// The machine-readable `data/YYYY-MM.json` of a month: every figure at full precision.
pub fn to_json(p: &Project, f: &MonthFigures) -> Value {
    let s = &p.site;
    let mut stages = Map::new();
    let mut mom = Map::new();
    let mut conversion = Map::new();
    if f.has_funnel {
        for (i, id) in s.stages.iter().enumerate() {
            stages.insert(id.clone(), f.stages[i].map(|v| json!(v as u64)).unwrap_or(Value::Null));
            mom.insert(id.clone(), num(f.mom[i]));
        }
        for (i, c) in f.conversions.iter().enumerate() {
            conversion.insert(format!("{}.{}", s.stages[i], s.stages[i + 1]), num(*c));
        }
        conversion.insert("overall".into(), num(f.overall));
    }
    let fm = p.funnel_month(f.month);
    let channels: Vec<Value> = fm
        .map(|fm| {
            fm.channels
                .iter()
                .map(|c| {
                    let st: Map<String, Value> = s
                        .stages
                        .iter()
                        .zip(&c.stages)
                        .filter_map(|(id, v)| v.map(|v| (id.clone(), json!(v))))
                        .collect();
                    json!({"name": c.name, "stages": st, "spend": num(c.spend)})
                })
                .collect()
        })
        .unwrap_or_default();
    let goals: Vec<Value> = f
        .goals
        .iter()
        .map(|g| {
            json!({"id": g.id, "current": num(g.current), "progress": num(g.progress), "elapsed": num(Some(g.elapsed)),
                   "status": g.status, "active": g.active})
        })
        .collect();
    json!({
        "month": f.month.to_string(),
        "stages": stages,
        "conversion": conversion,
        "mom": mom,
        "lead_velocity_rate": num(f.lead_velocity_rate),
        "cost_per_lead": num(f.cost_per_lead),
        "cac": num(f.cac),
        "retention": num(f.retention),
        "win_rate": num(f.win_rate),
        "average_deal": num(f.average_deal),
        "sales_velocity": num(f.sales_velocity),
        "revenue": num(f.revenue),
        "sales_cycle_days": num(f.sales_cycle_days),
        "days_to_mql": num(f.days_to_mql),
        "lead_response_hours": num(f.lead_response_hours),
        "spend": {"marketing": num(fm.and_then(|x| x.spend_marketing)), "sales": num(fm.and_then(|x| x.spend_sales))},
        "channels": channels,
        "benefits": f.benefits.iter().map(|b| json!({"id": b.id, "value": num(b.value), "previous": num(b.previous), "verdict": b.verdict})).collect::<Vec<_>>(),
        "goals": goals,
        "actions": {"open": f.actions.open, "overdue": f.actions.overdue, "new": f.actions.new, "done": f.actions.done},
        "checklist": f.checklist.iter().map(|c| json!({"id": c.id, "met": c.met, "checked": c.checked, "evidence": c.evidence})).collect::<Vec<_>>(),
        "meetings": f.meetings,
        "changes": {"actions": {"new": f.actions.new, "done": f.actions.done, "newly_overdue": f.actions.newly_overdue}},
    })
}
