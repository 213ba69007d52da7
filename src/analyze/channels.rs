//! Channel figures (docs/figures.md, "Channels"): per channel and month, what its marketing
//! spend bought. Each is `None` when a part is missing or the divisor is 0, never 0 or
//! infinity.

use super::funnel::ratio;
use crate::model::calendar::Month;
use crate::model::{Channel, Project, Site};
use serde_json::{json, Map, Value};

/// One channel's figures in a month.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelFigures {
    /// The channel's display name (resolved through site.yaml `channels:`).
    pub name: String,
    /// Counts by stage index; `None` where the channel does not give that stage.
    pub stages: Vec<Option<u64>>,
    /// Marketing spend on the channel.
    pub spend: Option<f64>,
    /// Revenue won from the channel.
    pub revenue: Option<f64>,
    /// Spend / first-stage count.
    pub cost_per_lead: Option<f64>,
    /// Spend / last-stage count (marketing spend only: not CAC).
    pub cost_per_won: Option<f64>,
    /// Revenue / spend.
    pub roas: Option<f64>,
}

/// The figures of one channel.
pub fn of(c: &Channel) -> ChannelFigures {
    let count = |i: Option<usize>| i.and_then(|i| c.stages.get(i).copied().flatten()).map(|v| v as f64);
    let last = c.stages.len().checked_sub(1);
    ChannelFigures {
        name: c.name.clone(),
        stages: c.stages.clone(),
        spend: c.spend,
        revenue: c.revenue,
        cost_per_lead: ratio(c.spend, count(Some(0))),
        cost_per_won: ratio(c.spend, count(last)),
        roas: ratio(c.revenue, c.spend),
    }
}

/// Every channel of month `m`, in the merged month's order (the channels site.yaml names
/// first, then the others by name).
pub fn figures(p: &Project, m: Month) -> Vec<ChannelFigures> {
    p.funnel_month(m).map(|fm| fm.channels.iter().map(of).collect()).unwrap_or_default()
}

/// The `channels` array of `data/YYYY-MM.json`.
pub fn to_json(s: &Site, channels: &[ChannelFigures]) -> Value {
    let num =
        |v: Option<f64>| v.and_then(|x| serde_json::Number::from_f64(x).map(Value::Number)).unwrap_or(Value::Null);
    channels
        .iter()
        .map(|c| {
            let st: Map<String, Value> =
                s.stages.iter().zip(&c.stages).filter_map(|(id, v)| v.map(|v| (id.clone(), json!(v)))).collect();
            json!({"name": c.name, "stages": st, "spend": num(c.spend), "revenue": num(c.revenue),
                   "cost_per_lead": num(c.cost_per_lead), "cost_per_won": num(c.cost_per_won), "roas": num(c.roas)})
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(stages: &[Option<u64>], spend: Option<f64>, revenue: Option<f64>) -> Channel {
        Channel { name: "paid search".into(), stages: stages.to_vec(), spend, revenue }
    }

    #[test]
    fn figures_worked_by_hand() {
        // 20,000 spent, 500 leads, 5 won, 70,000 won revenue.
        let f = of(&channel(&[Some(500), Some(150), None, None, Some(5)], Some(20_000.0), Some(70_000.0)));
        assert_eq!(f.cost_per_lead, Some(40.0));
        assert_eq!(f.cost_per_won, Some(4_000.0));
        assert_eq!(f.roas, Some(3.5));
    }

    #[test]
    fn a_missing_part_or_a_zero_divisor_is_no_value() {
        // Spend and leads, nothing won: no cost per won (not infinity), no ROAS without revenue.
        let f = of(&channel(&[Some(100), Some(20), None, None, Some(0)], Some(16_000.0), None));
        assert_eq!((f.cost_per_lead, f.cost_per_won, f.roas), (Some(160.0), None, None));
        // Leads and revenue but no spend: nothing per lead, per won or per unit spent (not 0).
        let f = of(&channel(&[Some(400), None, None, None, Some(7)], None, Some(80_000.0)));
        assert_eq!((f.cost_per_lead, f.cost_per_won, f.roas), (None, None, None));
        // Spend of 0 with revenue: ROAS divides by 0, so no value; costs are a real 0.
        let f = of(&channel(&[Some(10), None, None, None, Some(1)], Some(0.0), Some(500.0)));
        assert_eq!((f.cost_per_lead, f.cost_per_won, f.roas), (Some(0.0), Some(0.0), None));
        // Spend without any stage count.
        let f = of(&channel(&[None; 5], Some(25_000.0), None));
        assert_eq!((f.cost_per_lead, f.cost_per_won, f.roas), (None, None, None));
    }
}
