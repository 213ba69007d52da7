//! Analyze: every number of docs/figures.md, defined once, as pure functions of the model.
//! No IO and no display formatting here: pages and JSON both read these figures.

pub mod actions;
pub mod benefits;
pub mod changes;
pub mod channels;
pub mod checklist;
pub mod funnel;
pub mod goals;
pub mod plan;
pub mod quarter;

use crate::model::calendar::{self, Month};
use crate::model::{Meeting, Project, Site};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Every figure of a build, computed once: the figures of every report month, of the month
/// before each (for changes) and of every month in the funnel's span (for the trend charts
/// and the funnel history). Later stages only read it.
pub struct Analysis<'p> {
    /// The project.
    pub project: &'p Project,
    /// Report months, oldest first (none after the as-of month: load left that content out).
    pub months: Vec<Month>,
    /// The latest report (docs/figures.md#the-as-of-date): the latest month with funnel data, or the latest
    /// report when no month has any.
    pub latest: Option<Month>,
    /// Figures by month.
    pub figures: BTreeMap<Month, MonthFigures>,
    /// Content files read.
    pub files: usize,
    /// Whether each meeting was joint (marketing and sales there), by slug.
    pub joint: std::collections::HashMap<&'p str, bool, ahash::RandomState>,
    /// Each report month's meetings, by date then slug.
    pub meetings: BTreeMap<Month, Vec<&'p Meeting>>,
    /// Each report month's bounded action list at its end day (docs/figures.md#meetings-action-items-and-the-checklist).
    pub action_lists: BTreeMap<Month, actions::ReportList<'p>>,
    /// Every item open at the as-of date, by owner (actions page, overview, calendar).
    pub open_now: Vec<actions::OwnerGroup<'p>>,
    /// Items done in the [`actions::RECENT_DONE_DAYS`] days up to the as-of date.
    pub done_recently: Vec<actions::DoneItem<'p>>,
    /// Every quarter with funnel data, oldest first.
    pub quarters: Vec<quarter::QuarterFigures>,
}

impl<'p> Analysis<'p> {
    /// Computes the figures of every month the pages show, in parallel.
    pub fn new(project: &'p Project, files: usize) -> Self {
        let months = project.report_months();
        let mut wanted: Vec<Month> = months.iter().flat_map(|m| [m.prev(), *m]).collect();
        if let (Some(first), Some(last)) = (project.funnel.first(), project.funnel.last()) {
            let mut m = first.month;
            while m <= last.month {
                wanted.push(m);
                m = m.next();
            }
        }
        wanted.sort();
        wanted.dedup();
        let by_month = checklist::meetings_by_month(project);
        let list: Vec<(Month, MonthFigures)> = {
            use rayon::prelude::*;
            wanted
                .par_iter()
                .map(|m| (*m, month_figures(project, *m, by_month.get(m).map_or(&[], Vec::as_slice))))
                .collect()
        };
        let mut figures: BTreeMap<Month, MonthFigures> = list.into_iter().collect();
        // What changed: each report month against the month before, when that has a report.
        let changed: Vec<(Month, changes::Changes)> = months
            .iter()
            .map(|m| {
                let prev = months.binary_search(&m.prev()).ok().map(|_| &figures[&m.prev()]);
                (*m, changes::between(&project.goals, prev, &figures[m]))
            })
            .collect();
        for (m, c) in changed {
            if let Some(f) = figures.get_mut(&m) {
                f.changes = c;
            }
        }
        let joint = project.meetings.iter().map(|m| (m.slug.as_str(), is_joint(&project.site, m))).collect();
        let meetings = months.iter().map(|m| (*m, by_month.get(m).cloned().unwrap_or_default())).collect();
        // Each list reads every action item: the months are independent, so both cores share them.
        let action_lists = {
            use rayon::prelude::*;
            months.par_iter().map(|m| (*m, actions::report_list(project, figures[m].end_day))).collect::<Vec<_>>()
        }
        .into_iter()
        .collect();
        let quarters = quarter::quarters(project, &months);
        Analysis {
            quarters,
            project,
            latest: latest_report(project, &months),
            months,
            figures,
            files,
            joint,
            meetings,
            action_lists,
            open_now: actions::open_by_owner(project, project.as_of),
            done_recently: actions::done_recently(project, project.as_of),
        }
    }

    /// Whether a meeting of the project was joint.
    pub fn is_joint(&self, m: &Meeting) -> bool {
        self.joint.get(m.slug.as_str()).copied().unwrap_or(false)
    }

    /// The figures of month `m`, when the pages need them.
    pub fn get(&self, m: Month) -> Option<&MonthFigures> {
        self.figures.get(&m)
    }
}

/// The latest report (docs/figures.md#the-as-of-date): the latest report month with funnel data; when no month
/// has any, the latest report month. An in-progress month without funnel numbers is never it.
pub fn latest_report(p: &Project, report_months: &[Month]) -> Option<Month> {
    report_months.iter().rev().find(|m| p.funnel_month(**m).is_some()).or(report_months.last()).copied()
}

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
    /// Whether the month holds the as-of date.
    pub in_progress: bool,
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
    /// Win rate (on closed deals or on the stages: see `win_rate_basis`).
    pub win_rate: Option<f64>,
    /// What the win rate is taken from; `None` without funnel data.
    pub win_rate_basis: Option<funnel::WinRateBasis>,
    /// Average deal.
    pub average_deal: Option<f64>,
    /// Sales velocity (money per day).
    pub sales_velocity: Option<f64>,
    /// Revenue.
    pub revenue: Option<f64>,
    /// Month-over-month change of revenue.
    pub revenue_mom: Option<f64>,
    /// Month-over-month change of CAC.
    pub cac_mom: Option<f64>,
    /// The change of retention since last month in points: a difference of the two rates
    /// (0.987 then 0.985 is −0.002), not a relative change, which for a rate reads ambiguously.
    pub retention_change: Option<f64>,
    /// Deals closed lost.
    pub lost: Option<f64>,
    /// Pipeline created in the month.
    pub pipeline_created: Option<f64>,
    /// Its change since last month (8.2).
    pub pipeline_created_mom: Option<f64>,
    /// Pipeline open at the month's last day.
    pub pipeline_open: Option<f64>,
    /// Its change since last month (8.2).
    pub pipeline_open_mom: Option<f64>,
    /// The month's plan, when there is one.
    pub plan: Option<crate::model::PlanMonth>,
    /// Actual ÷ plan for each planned figure.
    pub attainment: plan::Attainment,
    /// Quarter to date: actuals ÷ plans summed over the quarter's months so far.
    pub qtd: plan::Attainment,
    /// Pipeline open ÷ the plan revenue of the quarter's later months.
    pub coverage: Option<f64>,
    /// That plan revenue (what coverage divides by).
    pub rest_of_quarter_plan: Option<f64>,
    /// Median sales cycle in days.
    pub sales_cycle_days: Option<f64>,
    /// Median days to MQL.
    pub days_to_mql: Option<f64>,
    /// Median lead response in hours.
    pub lead_response_hours: Option<f64>,
    /// Each channel's numbers and figures (cost per lead, cost per won, ROAS).
    pub channels: Vec<channels::ChannelFigures>,
    /// The five benefits.
    pub benefits: Vec<benefits::BenefitFigure>,
    /// Every goal, in model order.
    pub goals: Vec<goals::GoalFigures>,
    /// The month's end day D (docs/figures.md#the-as-of-date): its last day, or the as-of date while in progress.
    pub end_day: jiff::civil::Date,
    /// Action items at D: open, overdue, new, done, newly overdue.
    pub actions: actions::Figures,
    /// The checklist.
    pub checklist: Vec<checklist::ChecklistFigure>,
    /// Slugs of the month's meetings, by date then slug.
    pub meetings: Vec<String>,
    /// What changed since last month (docs/figures.md#what-changed-since-last-month); filled for report months by
    /// [`Analysis::new`], which has the month before at hand.
    pub changes: changes::Changes,
}

/// Computes every figure of month `m`.
pub fn month_figures(p: &Project, m: Month, meetings: &[&Meeting]) -> MonthFigures {
    let n = p.site.stages.len();
    let fm = p.funnel_month(m);
    let prev = p.funnel_month(m.prev());
    let stages: Vec<Option<f64>> = (0..n).map(|i| fm.and_then(|f| funnel::stage(f, i))).collect();
    let mom: Vec<Option<f64>> =
        (0..n).map(|i| funnel::change(stages[i], prev.and_then(|f| funnel::stage(f, i)))).collect();
    let opt = |f: fn(&crate::model::FunnelMonth) -> Option<f64>| fm.and_then(f);
    let prev_opt = |f: fn(&crate::model::FunnelMonth) -> Option<f64>| prev.and_then(f);
    let end_day = calendar::end_day(m, p.as_of);
    MonthFigures {
        month: m,
        has_funnel: fm.is_some(),
        in_progress: calendar::is_in_progress(m, p.as_of),
        revenue_mom: funnel::change(fm.and_then(|f| f.revenue), prev.and_then(|f| f.revenue)),
        cac_mom: funnel::change(opt(funnel::cac), prev_opt(funnel::cac)),
        retention_change: opt(funnel::retention).zip(prev_opt(funnel::retention)).map(|(now, before)| now - before),
        conversions: (0..n.saturating_sub(1)).map(|i| fm.and_then(|f| funnel::conversion(f, i, i + 1))).collect(),
        overall: opt(funnel::overall),
        lead_velocity_rate: mom[p.site.qualified_stage],
        mom,
        stages,
        cost_per_lead: opt(funnel::cost_per_lead),
        cac: opt(funnel::cac),
        retention: opt(funnel::retention),
        win_rate: opt(funnel::win_rate),
        win_rate_basis: fm.map(funnel::win_rate_basis),
        average_deal: opt(funnel::average_deal),
        sales_velocity: opt(funnel::sales_velocity),
        revenue: fm.and_then(|f| f.revenue),
        lost: fm.and_then(|f| f.lost).map(|v| v as f64),
        pipeline_created: fm.and_then(|f| f.pipeline_created),
        pipeline_created_mom: funnel::change(opt(|f| f.pipeline_created), prev_opt(|f| f.pipeline_created)),
        pipeline_open: fm.and_then(|f| f.pipeline_open),
        pipeline_open_mom: funnel::change(opt(|f| f.pipeline_open), prev_opt(|f| f.pipeline_open)),
        plan: p.plan_month(m).cloned(),
        attainment: plan::attainment(p, m),
        qtd: plan::qtd(p, m),
        coverage: plan::coverage(p, m),
        rest_of_quarter_plan: plan::rest_of_quarter_plan(p, m),
        sales_cycle_days: fm.and_then(|f| f.sales_cycle_days),
        days_to_mql: fm.and_then(|f| f.days_to_mql),
        lead_response_hours: fm.and_then(|f| f.lead_response_hours),
        channels: channels::figures(p, m),
        benefits: benefits::figures(p, m),
        goals: p.goals.iter().map(|g| goals::figures(p, g, m)).collect(),
        end_day,
        actions: actions::figures(p, m, end_day),
        checklist: checklist::figures(p, m, meetings),
        meetings: meetings.iter().map(|mt| mt.slug.clone()).collect(),
        changes: changes::Changes::default(),
    }
}

/// The JSON of a plan entry's fields (`null` without a plan).
fn plan_json(s: &Site, pm: Option<&crate::model::PlanMonth>) -> Value {
    let Some(pm) = pm else { return Value::Null };
    let stages: Map<String, Value> =
        s.stages.iter().zip(&pm.stages).filter_map(|(id, v)| v.map(|v| (id.clone(), json!(v)))).collect();
    json!({"stages": stages, "revenue": num(pm.revenue), "pipeline_created": num(pm.pipeline_created)})
}

/// The JSON of an attainment: a ratio per planned figure, `null` where there is no plan.
pub fn attainment_json(s: &Site, a: &plan::Attainment) -> Value {
    let stages: Map<String, Value> = s.stages.iter().zip(&a.stages).map(|(id, v)| (id.clone(), num(*v))).collect();
    json!({"stages": stages, "revenue": num(a.revenue), "pipeline_created": num(a.pipeline_created)})
}

fn num(v: Option<f64>) -> Value {
    v.and_then(|x| serde_json::Number::from_f64(x).map(Value::Number)).unwrap_or(Value::Null)
}

/// A month's data file ready to write: its figures as JSON, and its goals, by far the
/// largest part (a project's every goal, each month), written straight from the figures in
/// the place `"goals"` holds among them, without a JSON value of its own.
pub struct MonthJson<'a> {
    /// Every field of the file, in order; `"goals"` is a placeholder.
    fields: Map<String, Value>,
    /// The month's goals.
    goals: Vec<GoalJson<'a>>,
}

/// One goal's figures in a month's data file (`null` for a figure that is missing or not a
/// finite number, as serde_json writes a non-finite float).
#[derive(serde::Serialize)]
struct GoalJson<'a> {
    id: &'a str,
    current: Option<f64>,
    progress: Option<f64>,
    elapsed: Option<f64>,
    status: crate::model::Status,
    active: bool,
    #[serde(rename = "final")]
    is_final: bool,
    change: Option<f64>,
    projection: Option<f64>,
}

impl serde::Serialize for MonthJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.fields.len()))?;
        for (k, v) in &self.fields {
            if k == "goals" {
                map.serialize_entry(k, &self.goals)?;
            } else {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

/// The machine-readable `data/YYYY-MM.json` of a month: every figure at full precision.
pub fn to_json<'a>(p: &Project, f: &'a MonthFigures) -> MonthJson<'a> {
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
    let channels = channels::to_json(s, &f.channels);
    let goals: Vec<GoalJson> = f
        .goals
        .iter()
        .map(|g| GoalJson {
            id: &g.id,
            current: g.current,
            progress: g.progress,
            elapsed: Some(g.elapsed),
            status: g.status,
            active: g.active,
            is_final: g.is_final,
            change: g.change,
            projection: g.projection,
        })
        .collect();
    let fields = json!({
        "month": f.month.to_string(),
        "stages": stages,
        "conversion": conversion,
        "mom": mom,
        "lead_velocity_rate": num(f.lead_velocity_rate),
        "cost_per_lead": num(f.cost_per_lead),
        "cac": num(f.cac),
        "retention": num(f.retention),
        "win_rate": num(f.win_rate),
        "win_rate_basis": f.win_rate_basis,
        "average_deal": num(f.average_deal),
        "sales_velocity": num(f.sales_velocity),
        "revenue": num(f.revenue),
        "sales_cycle_days": num(f.sales_cycle_days),
        "days_to_mql": num(f.days_to_mql),
        "lead_response_hours": num(f.lead_response_hours),
        "lost": num(f.lost),
        "pipeline_created": num(f.pipeline_created),
        "pipeline_open": num(f.pipeline_open),
        "pipeline_change": {"created": num(f.pipeline_created_mom), "open": num(f.pipeline_open_mom)},
        "coverage": num(f.coverage),
        "plan": plan_json(s, f.plan.as_ref()),
        "attainment": attainment_json(s, &f.attainment),
        "qtd": attainment_json(s, &f.qtd),
        "spend": {"marketing": num(fm.and_then(|x| x.spend_marketing)), "sales": num(fm.and_then(|x| x.spend_sales))},
        "channels": channels,
        "benefits": f.benefits.iter().map(|b| json!({"id": b.id, "value": num(b.value), "previous": num(b.previous), "verdict": b.verdict})).collect::<Vec<_>>(),
        "goals": Value::Null,
        "actions": {"open": f.actions.open, "overdue": f.actions.overdue, "new": f.actions.new, "done": f.actions.done},
        "checklist": f.checklist.iter().map(|c| json!({"id": c.id, "met": c.met, "checked": c.checked, "evidence": c.evidence, "not_yet_assessed": c.not_yet_assessed})).collect::<Vec<_>>(),
        "meetings": f.meetings,
        "changes": f.changes,
        "as_of": p.as_of.to_string(),
        "in_progress": f.in_progress,
    });
    // `json!` of an object literal is always an object.
    let fields = match fields {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    MonthJson { fields, goals }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FunnelMonth;

    fn month(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    fn funnel(m: &str) -> FunnelMonth {
        FunnelMonth { stages: vec![Some(10), Some(5)], ..FunnelMonth::empty(month(m), 2, "") }
    }

    #[test]
    fn latest_report_is_the_latest_month_with_funnel_data() {
        let months = [month("2026-09"), month("2026-10"), month("2026-11")];
        let p = Project { funnel: vec![funnel("2026-09"), funnel("2026-10")], ..Project::default() };
        assert_eq!(latest_report(&p, &months), Some(month("2026-10")));
        // No month with funnel data: the latest report.
        let p = Project::default();
        assert_eq!(latest_report(&p, &months), Some(month("2026-11")));
        assert_eq!(latest_report(&p, &[]), None);
    }
}
