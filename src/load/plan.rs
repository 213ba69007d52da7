//! `content/plan/*.yaml`: the monthly plan (docs/content.md). Each entry gives any of the
//! stage counts, revenue and pipeline created a month should bring; the stage ids are the
//! site's, checked here with a did-you-mean. A month repeated across files is reported where
//! the files are merged ([`super::load`]).

use super::content;
use super::de::{self, Loc};
use super::kinds::{items, unknown_stage};
use super::reader::FileReader;
use super::yaml::Node;
use crate::model::{PlanMonth, Site};

/// Reads a plan file: a list of months. Returns each month with where its `month:` is.
pub fn plan(r: &mut FileReader, n: &Node, s: &Site) -> Vec<(PlanMonth, Loc)> {
    let mut out = Vec::new();
    for item in items(r, n, "plan months", "- month: 2026-10") {
        let Some(e) = de::read::<content::PlanMonthEntry>(r, item, "plan month") else { continue };
        let mut stages = vec![None; s.stages.len()];
        for (key, count) in e.stages.map(|st| st.value.0).unwrap_or_default() {
            match s.stage_index(&key.value) {
                Some(i) => stages[i] = count.value.0,
                None => unknown_stage(r, key.loc, &key.value, s),
            }
        }
        if let Some(month) = e.month.value.0 {
            out.push((
                PlanMonth {
                    month,
                    stages,
                    revenue: e.revenue.and_then(|a| a.value.0),
                    pipeline_created: e.pipeline_created.and_then(|a| a.value.0),
                    file: r.rel.clone(),
                },
                e.month.loc,
            ));
        }
    }
    out
}
