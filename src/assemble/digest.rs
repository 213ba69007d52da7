//! The digest: a report's first screen in words, for a chat channel or an e-mail (see
//! docs/commands.md, `smarketing digest`). Every figure is the one the report page shows, taken
//! from the same cards; nothing here computes a formula.

use super::{fig, headline_cards, quarter_href, quarter_page, report_href, Analysis, StatusView};
use crate::analyze::{actions, changes};
use crate::model::calendar::{self, Month, Quarter};
use serde::Serialize;

/// What a digest is about: a monthly report or a quarter review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// A month with a report.
    Month(Month),
    /// A quarter with a review.
    Quarter(Quarter),
}

/// One headline figure with its movement and plan, in words.
#[derive(Serialize)]
pub struct DigestFigure {
    /// "Leads".
    pub label: String,
    /// "1,900".
    pub value: String,
    /// Each comparison: "+5.0% vs Sep 2026 (up, better)".
    pub changes: Vec<String>,
    /// Against plan: "95.0% of plan (below plan)"; empty without a plan.
    pub plan: Vec<String>,
    /// Its tone against the period before: good, bad, flat or none (for colour in e-mail).
    pub tone: &'static str,
}

/// A goal whose status moved.
#[derive(Serialize)]
pub struct DigestGoal {
    /// Its title.
    pub title: String,
    /// "on track", or `None` when it had no status before.
    pub from: Option<&'static str>,
    /// "at risk".
    pub to: Option<&'static str>,
}

/// One newly overdue item.
#[derive(Serialize)]
pub struct DigestItem {
    /// What to do.
    pub task: String,
    /// "2 Nov 2026".
    pub due: String,
    /// Days overdue at the end day.
    pub days: i64,
}

/// One owner's newly overdue items.
#[derive(Serialize)]
pub struct DigestOwner {
    /// The owner as written.
    pub owner: String,
    /// The items, most days overdue first.
    pub items: Vec<DigestItem>,
}

/// The whole digest, as the templates `digest.md` and `digest.txt` read it.
#[derive(Serialize)]
pub struct Digest {
    /// The site's title.
    pub site: String,
    /// "October 2026" or "Q3 2026".
    pub period: String,
    /// `2026-10` or `2026-Q3`.
    pub id: String,
    /// "in progress, as of 20 Nov 2026" while the period is not over.
    pub in_progress: Option<String>,
    /// "Sep 2026" or "Q2 2026": what changes are measured against.
    pub since: String,
    /// The day the figures stand at ("31 Oct 2026").
    pub as_of: String,
    /// The first paragraph of the commentary, as written (markdown).
    pub commentary: Option<String>,
    /// The headline figures.
    pub figures: Vec<DigestFigure>,
    /// Goals whose status moved since `since` (changes to or from "no data" left out).
    pub goals: Vec<DigestGoal>,
    /// Action items: new and done in the period.
    pub actions_new: usize,
    /// Items done in the period (the month's; for a quarter, its months' summed).
    pub actions_done: usize,
    /// Items newly overdue, by owner.
    pub overdue: Vec<DigestOwner>,
    /// How many items are newly overdue in all.
    pub overdue_count: usize,
    /// The report's address: `base_url` + its path, or its path from the site root.
    pub link: String,
}

/// The first paragraph of a commentary: its first block of text that is not a heading.
pub fn first_paragraph(body: &str) -> Option<String> {
    let mut para: Vec<&str> = Vec::new();
    for line in body.lines() {
        let t = line.trim();
        if t.is_empty() {
            if !para.is_empty() {
                break;
            }
            continue;
        }
        if para.is_empty() && (t.starts_with('#') || t.starts_with("<!--")) {
            continue;
        }
        para.push(t);
    }
    // One line: a chat tool shows a hard-wrapped line break as a break.
    (!para.is_empty()).then(|| para.join(" "))
}

fn link(a: &Analysis, href: String) -> String {
    match &a.project.site.base_url {
        Some(b) => format!("{}/{href}", b.trim_end_matches('/')),
        None => href,
    }
}

fn goals_view(a: &Analysis, c: &changes::Changes) -> Vec<DigestGoal> {
    c.goals
        .iter()
        .filter_map(|gc| {
            let g = a.project.goals.iter().find(|g| g.id == gc.id)?;
            Some(DigestGoal {
                title: g.title.clone(),
                from: gc.from.map(|s| StatusView::of(s).label),
                to: gc.to.map(|s| StatusView::of(s).label),
            })
        })
        .collect()
}

fn overdue_view(a: &Analysis, since: jiff::civil::Date, d: jiff::civil::Date) -> Vec<DigestOwner> {
    actions::newly_overdue_by_owner(a.project, since, d)
        .into_iter()
        .map(|g| DigestOwner {
            owner: g.owner.to_string(),
            items: g
                .items
                .iter()
                .map(|i| DigestItem {
                    task: i.action.task.clone(),
                    due: calendar::date_label(i.action.due),
                    days: i.days_overdue.unwrap_or(0),
                })
                .collect(),
        })
        .collect()
}

fn words(change: &str, word: &str, tone: &str, vs: &str) -> String {
    let judged = match tone {
        "good" => ", better",
        "bad" => ", worse",
        _ => "",
    };
    if vs.ends_with(word) {
        // "+20.0% vs Q3 2026 so far": the comparison already says it.
        return format!("{change} vs {vs}");
    }
    format!("{change} vs {vs} ({word}{judged})")
}

/// The digest of a period, or `None` when it has no report (a month without a report, a
/// quarter without a review).
pub fn digest(a: &Analysis, period: Period) -> Option<Digest> {
    match period {
        Period::Month(m) => month_digest(a, m),
        Period::Quarter(q) => quarter_digest(a, q),
    }
}

fn month_digest(a: &Analysis, m: Month) -> Option<Digest> {
    a.months.binary_search(&m).ok()?;
    let p = a.project;
    let f = fig(a, m);
    let since = m.prev().short_name();
    let cards = if f.has_funnel { headline_cards(a, m) } else { Vec::new() };
    let figures = cards
        .into_iter()
        .map(|c| DigestFigure {
            changes: vec![words(&c.change, c.word, c.tone, &since)],
            plan: c.plan.iter().map(|pl| format!("{} of plan{} ({})", pl.value, plan_what(pl.what), pl.word)).collect(),
            tone: c.tone,
            label: c.label,
            value: c.value,
        })
        .collect();
    let overdue = overdue_view(a, m.prev().last_day(), f.end_day);
    Some(Digest {
        site: p.site.title.clone(),
        period: m.long_name(),
        id: m.to_string(),
        in_progress: f.in_progress.then(|| format!("in progress, as of {}", calendar::date_label(f.end_day))),
        since,
        as_of: calendar::date_label(f.end_day),
        commentary: p.commentaries.iter().find(|x| x.month == m).and_then(|x| first_paragraph(&x.body)),
        figures,
        goals: goals_view(a, &f.changes),
        actions_new: f.changes.actions.new,
        actions_done: f.changes.actions.done,
        overdue_count: overdue.iter().map(|o| o.items.len()).sum(),
        overdue,
        link: link(a, report_href(m)),
    })
}

fn plan_what(what: &str) -> &'static str {
    match what {
        "QTD" => ", quarter to date",
        "month and QTD" => ", month and quarter to date",
        _ => "",
    }
}

fn quarter_digest(a: &Analysis, q: Quarter) -> Option<Digest> {
    let idx = a.quarters.iter().position(|x| x.quarter == q)?;
    let qf = &a.quarters[idx];
    let last = *qf.months.last()?;
    let page = quarter_page(a, idx).body;
    let f = fig(a, last);
    // Goals and actions over the whole quarter: its last month against the month before it
    // began, by the same comparison the monthly reports use.
    let before = q.months()[0].prev();
    let c = changes::between(&a.project.goals, a.figures.get(&before), f);
    let in_quarter = |m: &Month| Quarter::of(*m) == q;
    let (new, done) = a
        .figures
        .iter()
        .filter(|(m, _)| in_quarter(m))
        .fold((0, 0), |(n, d), (_, x)| (n + x.actions.new, d + x.actions.done));
    let overdue = overdue_view(a, before.last_day(), f.end_day);
    Some(Digest {
        site: a.project.site.title.clone(),
        period: q.name(),
        id: q.to_string(),
        in_progress: qf.in_progress.then(|| format!("in progress, as of {}", calendar::date_label(a.project.as_of))),
        since: q.prev().name(),
        as_of: calendar::date_label(f.end_day),
        commentary: page.commentary.as_ref().and_then(|x| first_paragraph(x.html.0)),
        figures: page
            .cards
            .into_iter()
            .map(|c| DigestFigure {
                changes: c.changes.iter().map(|ch| words(&ch.change, ch.word, ch.tone, &ch.vs)).collect(),
                plan: c.plan.iter().map(|pl| format!("{} of plan ({})", pl.value, pl.word)).collect(),
                tone: c.changes.first().map_or("none", |ch| ch.tone),
                label: c.label,
                value: c.value,
            })
            .collect(),
        goals: goals_view(a, &c),
        actions_new: new,
        actions_done: done,
        overdue_count: overdue.iter().map(|o| o.items.len()).sum(),
        overdue,
        link: link(a, quarter_href(q)),
    })
}

#[cfg(test)]
mod tests {
    use super::first_paragraph;

    #[test]
    fn the_first_paragraph_skips_headings_and_stops_at_a_blank_line() {
        let body = "# October\n\nLeads rose 5%\nwhile MQLs held.\n\nSecond paragraph.\n";
        assert_eq!(first_paragraph(body).as_deref(), Some("Leads rose 5% while MQLs held."));
        assert_eq!(first_paragraph("\n\n## Only a heading\n"), None);
    }
}
