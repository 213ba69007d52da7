//! The digest: a report's first screen in words, for a chat channel or an e-mail (see
//! docs/commands.md, `smarketing digest`). Every figure is the one the report page shows, taken
//! from the same cards; nothing here computes a formula.

use super::cards::headline_card_stages;
use super::{currency, fig, format, headline_cards, quarter_href, quarter_page, report_href, Analysis, StatusView};
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

/// One headline figure month by month, drawn as a bar chart in the e-mail digest (a PNG part;
/// its numbers are in `alt`, so a reader without images loses nothing).
#[derive(Serialize)]
pub struct DigestChart {
    /// "Leads".
    pub label: String,
    /// "Nov 2025 – Oct 2026".
    pub span: String,
    /// The first and the last month's values: "Nov 2025: 1,100 · Oct 2026: 1,200".
    pub ends: String,
    /// Every month's value in words: "Leads by month: Nov 2025 1,100; …; Oct 2026 1,200".
    pub alt: String,
    /// The file name of its image part: `chart-1.png`, …
    pub file: String,
    /// The Content-ID of its image part, which the HTML refers to as `cid:…`:
    /// `chart-1.2026-10@smarketing.digest`.
    pub cid: String,
    /// The value of each month, oldest first (`None`: no value that month).
    #[serde(skip)]
    pub values: Vec<Option<f64>>,
    /// Whether each month belongs to the digest's period (drawn darker).
    #[serde(skip)]
    pub current: Vec<bool>,
}

/// The whole digest, as the templates `digest.md`, `digest.txt` and `digest.html` read it.
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
    /// The headline figures month by month, up to twelve months ending with the period's last.
    pub charts: Vec<DigestChart>,
}

/// `text` as literal text in CommonMark (what Teams, Mattermost and most chat tools read): every
/// character that could start emphasis, a link, an HTML tag, an entity or a heading is escaped
/// with a backslash, and a line break becomes a space, so a goal called `*Q4* push` or an owner
/// called `#sales` reads as written instead of changing the message's formatting.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '~' | '|' | '&' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// `url` as a markdown link destination: the characters that would end it early (a space or a
/// parenthesis) are percent-encoded.
fn markdown_url(url: &str) -> String {
    url.replace(' ', "%20").replace('(', "%28").replace(')', "%29").replace('<', "%3C").replace('>', "%3E")
}

impl Digest {
    /// The same digest with every piece of the project's own text (the site's title, goal
    /// titles, owners, tasks) escaped as literal markdown text ([`markdown_text`]) and the link
    /// safe as a link destination, for the `digest.md` template. The commentary stays as
    /// written: it is markdown already.
    pub fn for_markdown(mut self) -> Digest {
        self.site = markdown_text(&self.site);
        for g in &mut self.goals {
            g.title = markdown_text(&g.title);
        }
        for o in &mut self.overdue {
            o.owner = markdown_text(&o.owner);
            for i in &mut o.items {
                i.task = markdown_text(&i.task);
            }
        }
        for c in &mut self.charts {
            c.label = markdown_text(&c.label);
        }
        self.link = markdown_url(&self.link);
        self
    }
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

/// How many months a digest chart shows at most.
const CHART_MONTHS: i64 = 12;

/// The headline figures (the stages of the headline cards, revenue, CAC, retention) month by
/// month over up to [`CHART_MONTHS`] months ending with `last`, from the first of those months
/// with funnel data; the months of `period` are marked. A figure with no value in any of those
/// months has no chart.
fn charts(a: &Analysis, period: &[Month], last: Month, id: &str) -> Vec<DigestChart> {
    let mut first = last;
    for _ in 1..CHART_MONTHS {
        first = first.prev();
    }
    let months: Vec<Month> = a.months.iter().copied().filter(|m| *m >= first && *m <= last).collect();
    let Some(start) = months.iter().position(|m| a.figures.get(m).is_some_and(|f| f.has_funnel)) else {
        return Vec::new();
    };
    let mut all = Vec::new();
    let mut m = months[start];
    while m <= last {
        all.push(m);
        m = m.next();
    }
    let cur = currency(a);
    let s = &a.project.site;
    type Pick<'a> = Box<dyn Fn(&crate::analyze::MonthFigures) -> Option<f64> + 'a>;
    type Show<'a> = Box<dyn Fn(Option<f64>) -> String + 'a>;
    let mut series: Vec<(String, Pick, Show)> = headline_card_stages(a)
        .into_iter()
        .map(|i| {
            let pick: Pick = Box::new(move |f| f.stages.get(i).copied().flatten());
            let show: Show = Box::new(format::count);
            (s.stage_labels[i].clone(), pick, show)
        })
        .collect();
    series.push(("Revenue".into(), Box::new(|f| f.revenue), Box::new(move |v| format::money(v, cur))));
    series.push(("CAC".into(), Box::new(|f| f.cac), Box::new(move |v| format::money(v, cur))));
    series.push(("Retention".into(), Box::new(|f| f.retention), Box::new(format::percent)));
    let span = format!("{} – {}", all[0].short_name(), last.short_name());
    series
        .into_iter()
        .filter_map(|(label, pick, show)| {
            let values: Vec<Option<f64>> =
                all.iter().map(|m| a.figures.get(m).filter(|f| f.has_funnel).and_then(&pick)).collect();
            values.iter().any(Option::is_some).then_some(())?;
            let words: Vec<(String, String)> =
                all.iter().zip(&values).map(|(m, v)| (m.short_name(), show(*v))).collect();
            Some((label, values, words))
        })
        .enumerate()
        .map(|(i, (label, values, words))| DigestChart {
            ends: [&words[0], &words[words.len() - 1]].map(|(m, v)| format!("{m}: {v}")).join(" · "),
            alt: format!(
                "{label} by month: {}",
                words.iter().map(|(m, v)| format!("{m} {v}")).collect::<Vec<_>>().join("; ")
            ),
            file: format!("chart-{}.png", i + 1),
            cid: format!("chart-{}.{id}@smarketing.digest", i + 1),
            span: span.clone(),
            current: all.iter().map(|m| period.contains(m)).collect(),
            label,
            values,
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
        charts: charts(a, &[m], m, &m.to_string()),
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
        commentary: page.commentary.as_ref().and_then(|x| first_paragraph(x.html.source)),
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
        charts: charts(a, &q.months(), last, &q.to_string()),
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
