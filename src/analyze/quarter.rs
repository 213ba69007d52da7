//! Quarters (docs/figures.md, "Quarters"): a calendar quarter's figures from its months.
//! Flows are summed, stocks taken at the quarter's edge, and rates computed from the sums with
//! the monthly formulas of [`super::funnel`] (a quarter's conversion is summed b ÷ summed a,
//! never an average of monthly rates). Medians are not combined: the page shows them per month.

use super::channels::{self, ChannelFigures};
use super::funnel::{self, WinRateBasis};
use super::plan::Attainment;
use crate::model::calendar::{self, Month, Quarter};
use crate::model::{Channel, Customers, FunnelMonth, Project, Site};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The figures of a period (a quarter, or the change between two quarters): every field
/// `None` when it has no value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Totals {
    /// Stage counts by stage index.
    pub stages: Vec<Option<f64>>,
    /// Adjacent conversions: index i is stage i → stage i+1.
    pub conversions: Vec<Option<f64>>,
    /// Overall conversion.
    pub overall: Option<f64>,
    /// Deals closed lost.
    pub lost: Option<f64>,
    /// Revenue.
    pub revenue: Option<f64>,
    /// Marketing spend.
    pub spend_marketing: Option<f64>,
    /// Sales spend.
    pub spend_sales: Option<f64>,
    /// Pipeline created.
    pub pipeline_created: Option<f64>,
    /// Pipeline open at the end (a stock).
    pub pipeline_open: Option<f64>,
    /// Customers at the start (a stock).
    pub customers_start: Option<f64>,
    /// New customers.
    pub customers_new: Option<f64>,
    /// Customers lost.
    pub customers_lost: Option<f64>,
    /// Win rate.
    pub win_rate: Option<f64>,
    /// Average deal.
    pub average_deal: Option<f64>,
    /// Customer acquisition cost.
    pub cac: Option<f64>,
    /// Cost per lead.
    pub cost_per_lead: Option<f64>,
    /// Retention.
    pub retention: Option<f64>,
}

impl Totals {
    /// The figures of a funnel month (or of a quarter summed into one, see [`summed`]).
    pub fn of(fm: &FunnelMonth) -> Totals {
        let n = fm.stages.len();
        Totals {
            stages: (0..n).map(|i| funnel::stage(fm, i)).collect(),
            conversions: (0..n.saturating_sub(1)).map(|i| funnel::conversion(fm, i, i + 1)).collect(),
            overall: funnel::overall(fm),
            lost: fm.lost.map(|v| v as f64),
            revenue: fm.revenue,
            spend_marketing: fm.spend_marketing,
            spend_sales: fm.spend_sales,
            pipeline_created: fm.pipeline_created,
            pipeline_open: fm.pipeline_open,
            customers_start: fm.customers.map(|c| c.start as f64),
            customers_new: fm.customers.map(|c| c.new as f64),
            customers_lost: fm.customers.map(|c| c.lost as f64),
            win_rate: funnel::win_rate(fm),
            average_deal: funnel::average_deal(fm),
            cac: funnel::cac(fm),
            cost_per_lead: funnel::cost_per_lead(fm),
            retention: funnel::retention(fm),
        }
    }

    /// The change from `before` to `self`: the relative change (8.2) of counts and money, the
    /// difference in points of rates (conversions, win rate, retention).
    pub fn change_from(&self, before: &Totals) -> Totals {
        let rel = |a: Option<f64>, b: Option<f64>| funnel::change(a, b);
        let pts = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a - b);
        let each = |a: &[Option<f64>], b: &[Option<f64>], f: &dyn Fn(Option<f64>, Option<f64>) -> Option<f64>| {
            a.iter().enumerate().map(|(i, x)| f(*x, b.get(i).copied().flatten())).collect()
        };
        Totals {
            stages: each(&self.stages, &before.stages, &rel),
            conversions: each(&self.conversions, &before.conversions, &pts),
            overall: pts(self.overall, before.overall),
            lost: rel(self.lost, before.lost),
            revenue: rel(self.revenue, before.revenue),
            spend_marketing: rel(self.spend_marketing, before.spend_marketing),
            spend_sales: rel(self.spend_sales, before.spend_sales),
            pipeline_created: rel(self.pipeline_created, before.pipeline_created),
            pipeline_open: rel(self.pipeline_open, before.pipeline_open),
            customers_start: rel(self.customers_start, before.customers_start),
            customers_new: rel(self.customers_new, before.customers_new),
            customers_lost: rel(self.customers_lost, before.customers_lost),
            win_rate: pts(self.win_rate, before.win_rate),
            average_deal: rel(self.average_deal, before.average_deal),
            cac: rel(self.cac, before.cac),
            cost_per_lead: rel(self.cost_per_lead, before.cost_per_lead),
            retention: pts(self.retention, before.retention),
        }
    }
}

/// The sum of `xs` when every one has a value; `None` when any is missing (a sum of some
/// months would pass for the quarter's) or there are none.
fn sum_all(xs: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let mut total = None;
    for x in xs {
        total = Some(total.unwrap_or(0.0) + x?);
    }
    total
}

/// The months of a quarter summed into one funnel entry, so that the monthly formulas give the
/// quarter's rates: flows summed (a figure only when every month gives it), `pipeline_open` of
/// the last month that gives it, `customers.start` of the first month, channels summed as in
/// [`summed_channels`]; no medians. `months` must not be empty and are in order.
pub fn summed(months: &[&FunnelMonth]) -> FunnelMonth {
    let n = months.first().map_or(0, |f| f.stages.len());
    let sum = |f: fn(&FunnelMonth) -> Option<f64>| sum_all(months.iter().map(|m| f(m)));
    let whole = |v: Option<f64>| v.map(|x| x.round() as u64);
    let customers = months.iter().map(|m| m.customers).collect::<Option<Vec<Customers>>>().and_then(|cs| {
        Some(Customers {
            start: cs.first()?.start,
            new: cs.iter().map(|c| c.new).sum(),
            lost: cs.iter().map(|c| c.lost).sum(),
        })
    });
    FunnelMonth {
        month: months.first().map_or(Month { year: 1, month: 1 }, |f| f.month),
        stages: (0..n).map(|i| whole(sum_all(months.iter().map(|m| funnel::stage(m, i))))).collect(),
        revenue: sum(|f| f.revenue),
        lost: whole(sum(|f| f.lost.map(|v| v as f64))),
        pipeline_created: sum(|f| f.pipeline_created),
        pipeline_open: months.iter().rev().find_map(|m| m.pipeline_open),
        spend_marketing: sum(|f| f.spend_marketing),
        spend_sales: sum(|f| f.spend_sales),
        customers,
        sales_cycle_days: None,
        days_to_mql: None,
        lead_response_hours: None,
        channels: summed_channels(months),
        file: String::new(),
    }
}

/// The channels of several months summed per channel (by its resolved name): each stage
/// count, the spend and the revenue summed when every one of the months gives it for that
/// channel, else no value (as for the quarter's own flows: a sum of some months would pass for
/// the quarter's). Channels in the order they first appear, month by month.
pub fn summed_channels(months: &[&FunnelMonth]) -> Vec<Channel> {
    let mut names: Vec<&str> = Vec::new();
    for c in months.iter().flat_map(|m| &m.channels) {
        if !names.contains(&c.name.as_str()) {
            names.push(&c.name);
        }
    }
    let n = months.first().map_or(0, |f| f.stages.len());
    names
        .into_iter()
        .map(|name| {
            let each: Vec<Option<&Channel>> =
                months.iter().map(|m| m.channels.iter().find(|c| c.name == name)).collect();
            let sum = |f: &dyn Fn(&Channel) -> Option<f64>| sum_all(each.iter().map(|c| c.and_then(f)));
            Channel {
                name: name.to_string(),
                stages: (0..n)
                    .map(|i| sum(&|c| c.stages.get(i).copied().flatten().map(|v| v as f64)).map(|v| v.round() as u64))
                    .collect(),
                spend: sum(&|c| c.spend),
                revenue: sum(&|c| c.revenue),
            }
        })
        .collect()
}

/// A quarter's plan: the plans of its three months summed, per figure when every month plans
/// it.
#[derive(Debug, Clone, PartialEq)]
pub struct QuarterPlan {
    /// Planned counts by stage index.
    pub stages: Vec<Option<f64>>,
    /// Planned revenue.
    pub revenue: Option<f64>,
    /// Planned pipeline created.
    pub pipeline_created: Option<f64>,
}

/// The quarter's plan when every one of its months has a plan entry.
pub fn quarter_plan(p: &Project, q: Quarter) -> Option<QuarterPlan> {
    let plans = q.months().map(|m| p.plan_month(m));
    let plans: Vec<_> = plans.into_iter().collect::<Option<Vec<_>>>()?;
    let n = p.site.stages.len();
    Some(QuarterPlan {
        stages: (0..n).map(|i| sum_all(plans.iter().map(|pm| pm.stages[i].map(|v| v as f64)))).collect(),
        revenue: sum_all(plans.iter().map(|pm| pm.revenue)),
        pipeline_created: sum_all(plans.iter().map(|pm| pm.pipeline_created)),
    })
}

/// A quarter compared with another: which one, whether it has data, and the changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The quarter compared with.
    pub quarter: Quarter,
    /// Whether that quarter has funnel data.
    pub has_data: bool,
    /// The change of each figure (all `None` when that quarter has no funnel data).
    pub change: Totals,
}

/// The three medians of one month, shown per month on a quarter's page.
#[derive(Debug, Clone, PartialEq)]
pub struct Medians {
    /// The month.
    pub month: Month,
    /// Median sales cycle in days.
    pub sales_cycle_days: Option<f64>,
    /// Median days to MQL.
    pub days_to_mql: Option<f64>,
    /// Median lead response in hours.
    pub lead_response_hours: Option<f64>,
}

/// Every figure of a quarter's page and `data/YYYY-Qn.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct QuarterFigures {
    /// The quarter.
    pub quarter: Quarter,
    /// Its months that have funnel data, in order.
    pub months: Vec<Month>,
    /// Whether its last month is complete at the as-of date.
    pub complete: bool,
    /// Whether it holds the as-of date.
    pub in_progress: bool,
    /// Its figures: flows summed, stocks at the edges, rates from the sums.
    pub totals: Totals,
    /// What the win rate is taken from: closed deals when every month gives `lost`.
    pub win_rate_basis: WinRateBasis,
    /// The medians of each month with funnel data.
    pub medians: Vec<Medians>,
    /// Against the quarter before.
    pub vs_previous_quarter: Comparison,
    /// Against the same quarter a year before.
    pub vs_last_year: Comparison,
    /// Each channel's figures over the quarter: counts, spend and revenue summed over its
    /// months, rates from the sums ([`channels::of`], the monthly formulas).
    pub channels: Vec<ChannelFigures>,
    /// The quarter's plan, when every month has one.
    pub plan: Option<QuarterPlan>,
    /// Actual ÷ plan per planned figure, with the plan.
    pub attainment: Option<Attainment>,
    /// The month the quarter's goals are shown at: its latest report, as for the site (its
    /// last month with a report and funnel data; without any, its last month with a report).
    pub goals_month: Option<Month>,
}

/// The totals of every quarter with funnel data.
fn all_totals(p: &Project) -> BTreeMap<Quarter, (Vec<Month>, Totals, WinRateBasis, Vec<ChannelFigures>)> {
    let mut by_quarter: BTreeMap<Quarter, Vec<&FunnelMonth>> = BTreeMap::new();
    for fm in &p.funnel {
        by_quarter.entry(Quarter::of(fm.month)).or_default().push(fm);
    }
    by_quarter
        .into_iter()
        .map(|(q, fms)| {
            let sum = summed(&fms);
            let months = fms.iter().map(|f| f.month).collect();
            let chans = sum.channels.iter().map(channels::of).collect();
            (q, (months, Totals::of(&sum), funnel::win_rate_basis(&sum), chans))
        })
        .collect()
}

/// The figures of every quarter with funnel data, oldest first; `report_months` are the months
/// with a report (for the goals' month).
pub fn quarters(p: &Project, report_months: &[Month]) -> Vec<QuarterFigures> {
    let totals = all_totals(p);
    let compare = |q: Quarter, now: &Totals| Comparison {
        quarter: q,
        has_data: totals.contains_key(&q),
        change: match totals.get(&q) {
            Some((_, before, ..)) => now.change_from(before),
            None => now.change_from(&Totals::default()),
        },
    };
    totals
        .iter()
        .map(|(q, (months, t, basis, chans))| {
            let plan = quarter_plan(p, *q);
            let attainment = plan.as_ref().map(|pl| Attainment {
                stages: t.stages.iter().zip(&pl.stages).map(|(a, b)| funnel::ratio(*a, *b)).collect(),
                revenue: funnel::ratio(t.revenue, pl.revenue),
                pipeline_created: funnel::ratio(t.pipeline_created, pl.pipeline_created),
            });
            let last = q.months()[2];
            QuarterFigures {
                quarter: *q,
                months: months.clone(),
                complete: calendar::is_complete(last, p.as_of),
                in_progress: q.months().iter().any(|m| calendar::is_in_progress(*m, p.as_of)),
                totals: t.clone(),
                win_rate_basis: *basis,
                medians: months
                    .iter()
                    .filter_map(|m| p.funnel_month(*m))
                    .map(|f| Medians {
                        month: f.month,
                        sales_cycle_days: f.sales_cycle_days,
                        days_to_mql: f.days_to_mql,
                        lead_response_hours: f.lead_response_hours,
                    })
                    .collect(),
                vs_previous_quarter: compare(q.prev(), t),
                vs_last_year: compare(q.year_before(), t),
                channels: chans.clone(),
                plan,
                attainment,
                goals_month: super::latest_report(
                    p,
                    &report_months.iter().filter(|m| Quarter::of(**m) == *q).copied().collect::<Vec<_>>(),
                ),
            }
        })
        .collect()
}

fn num(v: Option<f64>) -> Value {
    v.and_then(|x| serde_json::Number::from_f64(x).map(Value::Number)).unwrap_or(Value::Null)
}

/// A [`Totals`] as JSON, keyed by the site's stage ids. Counts are whole numbers in a
/// quarter's figures (`changes: false`) and ratios in its changes.
fn totals_json(s: &Site, t: &Totals, changes: bool) -> Value {
    let count =
        |v: Option<f64>| if changes { num(v) } else { v.map(|x| json!(x.round() as u64)).unwrap_or(Value::Null) };
    let by_stage = |v: &[Option<f64>]| -> Map<String, Value> {
        s.stages.iter().zip(v).map(|(id, x)| (id.clone(), count(*x))).collect()
    };
    let mut conversion: Map<String, Value> = Map::new();
    for (i, c) in t.conversions.iter().enumerate() {
        conversion.insert(format!("{}.{}", s.stages[i], s.stages[i + 1]), num(*c));
    }
    conversion.insert("overall".into(), num(t.overall));
    json!({
        "stages": by_stage(&t.stages),
        "conversion": conversion,
        "lost": count(t.lost),
        "revenue": num(t.revenue),
        "spend": {"marketing": num(t.spend_marketing), "sales": num(t.spend_sales)},
        "pipeline_created": num(t.pipeline_created),
        "pipeline_open": num(t.pipeline_open),
        "customers": {"start": count(t.customers_start), "new": count(t.customers_new), "lost": count(t.customers_lost)},
        "win_rate": num(t.win_rate),
        "average_deal": num(t.average_deal),
        "cac": num(t.cac),
        "cost_per_lead": num(t.cost_per_lead),
        "retention": num(t.retention),
    })
}

/// The machine-readable `data/YYYY-Qn.json` of a quarter: its figures at full precision, the
/// changes against the previous quarter and the same quarter last year (relative for counts
/// and money, in points for rates), the plan and attainment, and the goals at `goals` (the
/// figures of the quarter's last month with a report).
pub fn to_json(p: &Project, q: &QuarterFigures, goals: Option<&super::MonthFigures>) -> Value {
    let s = &p.site;
    let mut out = match totals_json(s, &q.totals, false) {
        Value::Object(o) => o,
        _ => Map::new(),
    };
    let comparison = |c: &Comparison| {
        let mut v = totals_json(s, &c.change, true);
        v["quarter"] = json!(c.quarter.to_string());
        v
    };
    let plan = q.plan.as_ref().map(|pl| {
        let stages: Map<String, Value> = s
            .stages
            .iter()
            .zip(&pl.stages)
            .filter_map(|(id, v)| v.map(|v| (id.clone(), json!(v.round() as u64))))
            .collect();
        json!({"stages": stages, "revenue": num(pl.revenue), "pipeline_created": num(pl.pipeline_created)})
    });
    let medians: Vec<Value> = q
        .medians
        .iter()
        .map(|m| {
            json!({"month": m.month.to_string(), "sales_cycle_days": num(m.sales_cycle_days),
                   "days_to_mql": num(m.days_to_mql), "lead_response_hours": num(m.lead_response_hours)})
        })
        .collect();
    let goals: Vec<Value> = goals
        .map(|f| {
            f.goals
                .iter()
                .filter(|g| g.active)
                .map(
                    |g| json!({"id": g.id, "current": num(g.current), "progress": num(g.progress), "status": g.status}),
                )
                .collect()
        })
        .unwrap_or_default();
    out.insert("quarter".into(), json!(q.quarter.to_string()));
    out.insert("months".into(), json!(q.months.iter().map(|m| m.to_string()).collect::<Vec<_>>()));
    out.insert("complete".into(), json!(q.complete));
    out.insert("in_progress".into(), json!(q.in_progress));
    out.insert("as_of".into(), json!(p.as_of.to_string()));
    out.insert("win_rate_basis".into(), json!(q.win_rate_basis));
    out.insert("medians".into(), json!(medians));
    out.insert("vs_previous_quarter".into(), comparison(&q.vs_previous_quarter));
    out.insert("vs_last_year".into(), comparison(&q.vs_last_year));
    out.insert("plan".into(), plan.unwrap_or(Value::Null));
    out.insert("attainment".into(), q.attainment.as_ref().map(|a| super::attainment_json(s, a)).unwrap_or(Value::Null));
    out.insert("channels".into(), channels::to_json(s, &q.channels));
    out.insert("goals_month".into(), json!(q.goals_month.map(|m| m.to_string())));
    out.insert("goals".into(), json!(goals));
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::funnel::tests::month as funnel_month;
    use crate::model::PlanMonth;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("a value");
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    /// Q3 2026 (Jul, Aug, Sep) and Q4 2026 (Oct, Nov); Q3 2025 (Aug only) a year before.
    fn project() -> Project {
        let mk =
            |month: &str, stages: [u64; 5], lost: Option<u64>, revenue: f64, open: Option<f64>, c: (u64, u64, u64)| {
                let mut f = funnel_month(&stages.map(Some));
                f.month = m(month);
                f.lost = lost;
                f.revenue = Some(revenue);
                f.pipeline_created = Some(revenue * 3.0);
                f.pipeline_open = open;
                f.customers = Some(Customers { start: c.0, new: c.1, lost: c.2 });
                f.spend_marketing = Some(10_000.0);
                f.spend_sales = Some(20_000.0);
                f
            };
        Project {
            funnel: vec![
                mk("2025-08", [500, 100, 50, 20, 5], Some(15), 50_000.0, Some(1.0), (100, 5, 1)),
                mk("2026-07", [1000, 300, 100, 50, 10], Some(30), 100_000.0, Some(500_000.0), (400, 10, 2)),
                mk("2026-08", [1200, 400, 150, 60, 12], Some(28), 120_000.0, None, (408, 12, 4)),
                mk("2026-09", [800, 300, 150, 40, 8], Some(22), 96_000.0, Some(450_000.0), (416, 8, 3)),
                mk("2026-10", [1000, 400, 200, 80, 20], None, 250_000.0, Some(600_000.0), (421, 20, 1)),
                mk("2026-11", [1000, 200, 100, 40, 10], Some(30), 150_000.0, None, (440, 10, 2)),
            ],
            as_of: calendar::parse_date("2026-11-30").unwrap(),
            ..Project::default()
        }
    }

    #[test]
    fn a_quarters_channels_are_summed_and_their_rates_come_from_the_sums() {
        // Q3 2026: paid search spends 6,000, 9,000 and 5,000 for 100, 300 and 100 leads, won
        // 2, 1 and 2, and revenue 10,000, 30,000 and 8,000. Quarter: spend 20,000, leads 500,
        // won 5, revenue 48,000; cost per lead 20,000 / 500 = 40 (not the mean of the
        // monthly 60, 30, 50), cost per won 20,000 / 5 = 4,000, ROAS 48,000 / 20,000 = 2.4.
        // Events gives spend in July and September only: no quarter spend (a sum of two
        // months would pass for three), so no cost per lead or ROAS either; its leads, given
        // every month, are summed.
        let mut p = project();
        let ch = |name: &str, leads: u64, won: u64, spend: Option<f64>, revenue: Option<f64>| Channel {
            name: name.into(),
            stages: vec![Some(leads), None, None, None, Some(won)],
            spend,
            revenue,
        };
        p.funnel[1].channels =
            vec![ch("paid search", 100, 2, Some(6_000.0), Some(10_000.0)), ch("events", 10, 0, Some(3_000.0), None)];
        p.funnel[2].channels =
            vec![ch("paid search", 300, 1, Some(9_000.0), Some(30_000.0)), ch("events", 20, 1, None, None)];
        p.funnel[3].channels =
            vec![ch("events", 30, 0, Some(2_000.0), None), ch("paid search", 100, 2, Some(5_000.0), Some(8_000.0))];
        let qs = quarters(&p, &[]);
        let q3 = qs.iter().find(|q| q.quarter.to_string() == "2026-Q3").unwrap();
        let names: Vec<&str> = q3.channels.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["paid search", "events"]);
        let paid = &q3.channels[0];
        assert_eq!((paid.stages[0], paid.stages[4], paid.stages[1]), (Some(500), Some(5), None));
        assert_eq!((paid.spend, paid.revenue), (Some(20_000.0), Some(48_000.0)));
        close(paid.cost_per_lead, 40.0);
        close(paid.cost_per_won, 4_000.0);
        close(paid.roas, 2.4);
        let events = &q3.channels[1];
        assert_eq!((events.stages[0], events.stages[4], events.spend), (Some(60), Some(1), None));
        assert_eq!((events.cost_per_lead, events.cost_per_won, events.roas), (None, None, None));
        // The JSON carries them as a month's `channels` does.
        let j = to_json(&p, q3, None);
        assert_eq!(j["channels"][0]["name"], "paid search");
        assert_eq!(j["channels"][0]["cost_per_lead"], 40.0);
        assert_eq!(j["channels"][1]["spend"], Value::Null);
        // Q4's months give no channels: none.
        assert!(qs.iter().find(|q| q.quarter.to_string() == "2026-Q4").unwrap().channels.is_empty());
    }

    #[test]
    fn a_quarters_rates_come_from_its_sums() {
        let p = project();
        let qs = quarters(&p, &[m("2026-07"), m("2026-08"), m("2026-09"), m("2026-10"), m("2026-11")]);
        let q3 = qs.iter().find(|q| q.quarter.to_string() == "2026-Q3").unwrap();
        assert_eq!(q3.months, vec![m("2026-07"), m("2026-08"), m("2026-09")]);
        assert!(q3.complete && !q3.in_progress);
        let t = &q3.totals;
        // Flows summed: leads 1000 + 1200 + 800 = 3000, won 10 + 12 + 8 = 30, lost 80.
        close(t.stages[0], 3000.0);
        close(t.stages[4], 30.0);
        close(t.lost, 80.0);
        close(t.revenue, 316_000.0);
        // Conversion leads → MQL from the sums: 1000 / 3000 = 0.3333, not the mean of the
        // monthly 0.30, 0.3333, 0.375 (0.3361).
        close(t.conversions[0], 1000.0 / 3000.0);
        close(t.overall, 30.0 / 3000.0);
        // Win rate on closed deals, from the sums: 30 / (30 + 80).
        close(t.win_rate, 30.0 / 110.0);
        assert_eq!(q3.win_rate_basis, WinRateBasis::Closed);
        // CAC: (30,000 + 60,000) spend / (10 + 12 + 8) new customers = 3,000.
        close(t.cac, 90_000.0 / 30.0);
        close(t.cost_per_lead, 30_000.0 / 3000.0);
        close(t.average_deal, 316_000.0 / 30.0);
        // Stocks: customers at the start of July (400); pipeline open at the end of the last
        // month that gives it (September, 450,000).
        close(t.customers_start, 400.0);
        close(t.pipeline_open, 450_000.0);
        // Retention from the quarter's start and its summed losses: (400 − 9) / 400.
        close(t.retention, 391.0 / 400.0);
        // Medians per month, not combined.
        assert_eq!(q3.medians.len(), 3);
        assert_eq!(q3.medians[0].sales_cycle_days, Some(41.0));
        // Q3 2025 had August only: compared with that, leads rose 3000 / 500 − 1 = 5.
        close(q3.vs_last_year.change.stages[0], 5.0);
        // Rates compare in points: 30/110 − 5/20.
        close(q3.vs_last_year.change.win_rate, 30.0 / 110.0 - 0.25);
        // No Q2 2026: every change is empty.
        assert_eq!(q3.vs_previous_quarter.quarter.to_string(), "2026-Q2");
        assert_eq!(q3.vs_previous_quarter.change.revenue, None);
        assert_eq!(q3.goals_month, Some(m("2026-09")));
    }

    #[test]
    fn the_quarter_in_progress_and_a_month_without_lost() {
        let p = project();
        let qs = quarters(&p, &[m("2026-10"), m("2026-11")]);
        let q4 = qs.last().unwrap();
        assert_eq!(q4.quarter.to_string(), "2026-Q4");
        assert!(q4.in_progress && !q4.complete);
        // October gives no `lost`: the quarter's lost has no value and its win rate is on the
        // stages, summed: (20 + 10) / (80 + 40).
        assert_eq!(q4.totals.lost, None);
        assert_eq!(q4.win_rate_basis, WinRateBasis::Stages);
        close(q4.totals.win_rate, 30.0 / 120.0);
        // Revenue against Q3: 400,000 / 316,000 − 1.
        close(q4.vs_previous_quarter.change.revenue, 400_000.0 / 316_000.0 - 1.0);
        // Pipeline open of the last month with a value: October's.
        close(q4.totals.pipeline_open, 600_000.0);
        assert_eq!(q4.plan, None);
        assert_eq!(q4.attainment, None);
    }

    #[test]
    fn a_quarter_against_its_plan_needs_every_month_planned() {
        let mut p = project();
        let plan = |month: &str, won: Option<u64>, revenue: f64| PlanMonth {
            month: m(month),
            stages: vec![None, None, None, None, won],
            revenue: Some(revenue),
            pipeline_created: None,
            file: String::new(),
        };
        p.plan = vec![plan("2026-07", Some(10), 100_000.0), plan("2026-08", Some(10), 100_000.0)];
        let qs = quarters(&p, &[]);
        let q3 = qs.iter().find(|q| q.quarter.to_string() == "2026-Q3").unwrap();
        assert_eq!(q3.plan, None, "September has no plan");
        p.plan.push(plan("2026-09", None, 120_000.0));
        let qs = quarters(&p, &[]);
        let q3 = qs.iter().find(|q| q.quarter.to_string() == "2026-Q3").unwrap();
        let a = q3.attainment.as_ref().unwrap();
        // Revenue 316,000 / 320,000 planned.
        close(a.revenue, 316_000.0 / 320_000.0);
        // Won is not planned in September: no quarter plan for it.
        assert_eq!(a.stages[4], None);
        assert_eq!(a.pipeline_created, None);
    }
}
