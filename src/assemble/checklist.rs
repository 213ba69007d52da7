//! The checklist: the month's checklist block and the checklist history page.

use super::chart::Visuals;
use super::{fig, report_href, Analysis, Page, Route};
use crate::model::calendar::Month;
use crate::model::TAKEAWAYS;
use serde::Serialize;

/// A checklist item in a month.
#[derive(Serialize)]
pub struct ChecklistRow {
    /// Its id.
    pub id: String,
    /// Its words.
    pub text: String,
    /// Whether it was met.
    pub met: bool,
    /// Whether the team checked it.
    pub checked: bool,
    /// An item of a month in progress not met so far (a self-assessment not recorded yet, or
    /// evidence short so far): shown as "not yet assessed", never "not met".
    pub not_yet_assessed: bool,
    /// How it was met, in words.
    pub how: &'static str,
    /// The evidence, in words.
    pub evidence: Option<String>,
    /// What to do when it is not met.
    pub nudge: Option<&'static str>,
}

/// The month's checklist.
#[derive(Serialize)]
pub struct ChecklistBlock<'a> {
    /// The items.
    pub items: Vec<ChecklistRow>,
    /// How many were met.
    pub met: usize,
    /// How many are not yet assessed (a month in progress).
    pub not_yet_assessed: usize,
    /// How many there are.
    pub total: usize,
    /// The team's note.
    pub note: Option<&'a str>,
}

pub(super) fn checklist_block<'a>(a: &'a Analysis, m: Month) -> ChecklistBlock<'a> {
    let p = a.project;
    let items = p.checklist();
    let figs = &fig(a, m).checklist;
    let note = p.checklist_months.iter().find(|c| c.month == m).and_then(|c| c.note.as_deref());
    let rows = items
        .into_iter()
        .zip(figs)
        .map(|(item, f)| {
            // A count of a month in progress that falls short is the count so far.
            let so_far = if f.not_yet_assessed { " so far" } else { "" };
            let evidence = match (item.id.as_str(), f.evidence) {
                ("communicate", Some(n)) => Some(format!(
                    "{n} joint meeting{}{so_far} (needs {})",
                    if n == 1 { "" } else { "s" },
                    p.site.min_joint_meetings
                )),
                ("communicate", None) => Some("joint meetings cannot be counted: a team lists no members".into()),
                ("common-interests", Some(n)) => {
                    Some(format!("{n} active shared goal{}{so_far}", if n == 1 { "" } else { "s" }))
                }
                ("fill-tanks", Some(n)) => Some(format!("{n} shoutout{}{so_far}", if n == 1 { "" } else { "s" })),
                _ => None,
            };
            let how = match (f.checked, f.met) {
                (true, _) => "checked by the team",
                (false, true) => "shown by the evidence",
                _ if f.not_yet_assessed && f.evidence.is_some() => "judged when the month ends",
                _ if f.not_yet_assessed => "awaiting the team's self-assessment",
                _ if f.evidence.is_some() => "the evidence falls short",
                _ => "not checked by the team",
            };
            let nudge = TAKEAWAYS.iter().find(|t| t.0 == item.id).map(|t| t.2);
            ChecklistRow {
                id: item.id,
                text: item.text,
                met: f.met,
                checked: f.checked,
                not_yet_assessed: f.not_yet_assessed,
                how,
                evidence,
                nudge: if f.met || f.not_yet_assessed { None } else { nudge },
            }
        })
        .collect();
    ChecklistBlock {
        items: rows,
        met: figs.iter().filter(|f| f.met).count(),
        not_yet_assessed: figs.iter().filter(|f| f.not_yet_assessed).count(),
        total: figs.len(),
        note,
    }
}

/// The evidence count in words: "3 joint meetings", "1 shared goal", "2 shoutouts".
fn evidence_label(id: &str, n: Option<u64>) -> Option<String> {
    let n = n?;
    let (one, many) = match id {
        "communicate" => ("joint meeting", "joint meetings"),
        "common-interests" => ("shared goal", "shared goals"),
        "fill-tanks" => ("shoutout", "shoutouts"),
        _ => return Some(n.to_string()),
    };
    Some(format!("{n} {}", if n == 1 { one } else { many }))
}

/// A checklist item as the history page heads its column.
#[derive(Serialize)]
pub struct ChecklistColumn {
    /// Its id.
    pub id: String,
    /// Its words.
    pub text: String,
    /// What to do when it is not met.
    pub nudge: Option<&'static str>,
}

/// One item in one month of the checklist history.
#[derive(Serialize)]
pub struct ChecklistCell {
    /// Whether it was met.
    pub met: bool,
    /// Whether the team checked it.
    pub checked: bool,
    /// A self-assessed item of a month in progress, not assessed yet.
    pub not_yet_assessed: bool,
    /// The evidence count in words.
    pub evidence: Option<String>,
}

/// One month of the checklist history.
#[derive(Serialize)]
pub struct ChecklistMonthRow<'a> {
    /// "Oct 2026".
    pub month: String,
    /// Its report.
    pub href: String,
    /// The team's note.
    pub note: Option<&'a str>,
    /// One cell per item.
    pub cells: Vec<ChecklistCell>,
    /// How many were met.
    pub met: usize,
}

/// The checklist history page.
#[derive(Serialize)]
pub struct ChecklistPage<'a> {
    /// The items.
    pub items: Vec<ChecklistColumn>,
    /// Every report month, newest first.
    pub rows: Vec<ChecklistMonthRow<'a>>,
    /// How many items there are.
    pub total: usize,
}

/// The checklist history page, month by month.
pub fn checklist_page<'a>(a: &'a Analysis) -> Page<ChecklistPage<'a>> {
    let p = a.project;
    let items = p.checklist();
    let rows = a
        .months
        .iter()
        .rev()
        .map(|m| {
            let f = &fig(a, *m).checklist;
            ChecklistMonthRow {
                month: m.short_name(),
                href: report_href(*m),
                note: p.checklist_months.iter().find(|x| x.month == *m).and_then(|x| x.note.as_deref()),
                cells: f
                    .iter()
                    .map(|x| ChecklistCell {
                        met: x.met,
                        checked: x.checked,
                        not_yet_assessed: x.not_yet_assessed,
                        // A count of a month in progress that falls short is the count so far.
                        evidence: evidence_label(&x.id, x.evidence).map(|e| {
                            if x.not_yet_assessed {
                                format!("{e} so far")
                            } else {
                                e
                            }
                        }),
                    })
                    .collect(),
                met: f.iter().filter(|x| x.met).count(),
            }
        })
        .collect();
    let total = items.len();
    let items = items
        .into_iter()
        .map(|i| {
            let nudge = TAKEAWAYS.iter().find(|t| t.0 == i.id).map(|t| t.2);
            ChecklistColumn { id: i.id, text: i.text, nudge }
        })
        .collect();
    Page::new(Route::Checklist, a, "Key-takeaway checklist", ChecklistPage { items, rows, total })
}

impl Visuals for ChecklistPage<'_> {}
