//! The glossary page (`glossary/index.html`): every figure the pages show, what it means and
//! its formula in words, in the project's own stage names. Headline cards and table headers
//! link to an entry by its id (`glossary/index.html#cac`), so a reader can always find out
//! what a number is. The words follow docs/figures.md, which `analyze/` implements.

use super::Analysis;

/// The link to a glossary entry from the site root.
pub fn href(id: &str) -> String {
    format!("glossary/index.html#{id}")
}

/// One entry: anchor id, the term, what it means, and how it is computed.
/// One figure: its anchor, name, meaning and formula in words.
#[derive(serde::Serialize)]
pub struct Entry {
    id: &'static str,
    term: String,
    means: String,
    formula: String,
}

/// A section of the glossary: its heading and entries.
#[derive(serde::Serialize)]
pub struct Section {
    title: &'static str,
    entries: Vec<Entry>,
}

/// The glossary page.
#[derive(serde::Serialize)]
pub struct GlossaryPage {
    sections: Vec<Section>,
}

fn entry(id: &'static str, term: impl Into<String>, means: impl Into<String>, formula: impl Into<String>) -> Entry {
    Entry { id, term: term.into(), means: means.into(), formula: formula.into() }
}

/// The glossary's sections, each a heading and its entries, in the project's stage names.
fn sections(a: &Analysis) -> Vec<(&'static str, Vec<Entry>)> {
    let s = &a.project.site;
    let n = s.stage_labels.len();
    let first = &s.stage_labels[0];
    let last = &s.stage_labels[n - 1];
    let before_last = &s.stage_labels[n.saturating_sub(2)];
    let qualified = &s.stage_labels[s.qualified_stage];
    let cur = &s.currency;
    let team = |k: &str| s.team(k).map(|t| t.name.clone()).unwrap_or_else(|| k.to_string());
    let (mkt, sales) = (team("marketing"), team("sales"));
    let funnel = vec![
        entry(
            "stage-count",
            "Stage count",
            format!(
                "How many leads or deals reached a funnel stage in the month ({}). The funnel's first stage, {first}, is the \"first-stage count\".",
                s.stage_labels.join(", ")
            ),
            "As written in the month's funnel file; a stage missing there has no value (—), never 0.",
        ),
        entry(
            "conversion",
            "Stage conversion (to next stage)",
            "The share of one stage that reached the next one in the same month.",
            "Count of the next stage ÷ count of this stage, in that month. Monthly flows are not cohorts, so it can exceed 100%.",
        ),
        entry(
            "overall-conversion",
            "Overall conversion",
            format!("The share of the month's {first} that became {last}."),
            format!("{last} ÷ {first}, in that month."),
        ),
        entry(
            "mom-change",
            "Change vs last month",
            "How much a figure rose or fell against the calendar month before.",
            "(this month − last month) ÷ last month, as a signed percentage; for a rate (retention) the difference in points instead (98.1% then 98.5% is +0.4 pts). No value when last month has none or it is 0. The arrow and colour say whether the change is good for that figure (lower CAC is good).",
        ),
        entry(
            "lead-velocity-rate",
            "Lead velocity rate",
            format!("How fast the qualified stage ({qualified}) grows: a leading sign of revenue to come."),
            format!("The month-over-month change of {qualified}: ({qualified} this month − last month) ÷ last month."),
        ),
        entry(
            "revenue",
            "Revenue",
            format!("Revenue won in the month, in {cur}."),
            "As written in the funnel file (“revenue”).",
        ),
        entry(
            "cost-per-lead",
            "Cost per lead",
            format!("What {mkt} spent for each entry into the first stage ({first})."),
            format!("{mkt} spend ÷ {first} count, in that month."),
        ),
        entry(
            "cac",
            "CAC (customer acquisition cost)",
            "What it cost both teams together to win one new customer.",
            format!(
                "({mkt} spend + {sales} spend) ÷ new customers (“customers.new”) in that month, or ÷ {last} when the month gives no customer numbers. No value unless both spends are given."
            ),
        ),
        entry(
            "retention",
            "Retention",
            "The share of the customers at the start of the month who were still customers at its end.",
            "(customers at start − customers lost) ÷ customers at start.",
        ),
        win_rate_entry(a, last, before_last),
        entry(
            "average-deal",
            "Average deal",
            "The revenue of a typical won deal.",
            format!("Revenue ÷ {last}, in that month."),
        ),
        entry(
            "sales-velocity",
            "Sales velocity",
            format!("How much revenue the pipeline produces per day, in {cur} per day."),
            format!("{before_last} × win rate × average deal ÷ sales cycle days."),
        ),
        entry(
            "sales-cycle",
            "Sales cycle",
            format!("The median number of days from first stage to {last}."),
            "As written in the funnel file (“sales_cycle_days”); “smarketing import” computes it as a median over the month's won rows.",
        ),
        entry(
            "days-to-mql",
            "Days to MQL",
            "The median number of days a lead takes to become marketing-qualified.",
            "As written in the funnel file (“days_to_mql”).",
        ),
        entry(
            "lead-response",
            "Lead response",
            format!("The median hours until {sales} first contacts a new lead (the hand-off SLA)."),
            "As written in the funnel file (“lead_response_hours”).",
        ),
    ];
    let channels = vec![
        entry(
            "channel-spend",
            "Channel spend",
            format!("What {mkt} spent on a channel in the month, in {cur}."),
            "As written under the channel in a funnel file (“by_channel: {NAME: {spend: …}}”), usually by an ad platform's cost export. A channel's other names (site.yaml “channels:”) are the same channel.",
        ),
        entry(
            "channel-revenue",
            "Channel revenue",
            format!("Revenue won in the month from deals that came through the channel, in {cur}."),
            "As written under the channel (“by_channel: {NAME: {revenue: …}}”), usually by the CRM import.",
        ),
        entry(
            "channel-cost-per-lead",
            "Cost per lead (channel)",
            format!("What each {first} of the channel cost in {mkt} spend."),
            format!("The channel's spend ÷ its {first} count, in that month. No value (—) when either is missing or the count is 0."),
        ),
        entry(
            "cost-per-won",
            "Cost per won",
            format!("What each {last} deal of the channel cost in {mkt} spend. It leaves out {sales}'s cost, so it is not CAC."),
            format!("The channel's spend ÷ its {last} count, in that month. No value (—) when either is missing or the count is 0: a channel that spent and won nothing has no cost per won, never an infinite one. The channels table is sorted by it, highest first."),
        ),
        entry(
            "roas",
            "ROAS (return on ad spend)",
            format!("Revenue won from the channel for each {cur} spent on it: 3.50× means 3.50 back for every 1 spent."),
            "The channel's revenue ÷ its spend, in that month. No value (—) when either is missing or the spend is 0.",
        ),
    ];
    let benefits = vec![entry(
        "benefits",
        "The five benefits and their verdicts",
        "The article's five benefits of aligning sales and marketing, each judged this month against last month.",
        format!(
            "Costs decrease: CAC, lower is better. Leads soar: the {first} count, higher is better. Retention rates are higher: retention, higher is better. Lead generation takes less time: days to MQL, lower is better. Sales cycles are shorter: sales cycle days, lower is better. The verdict is \"better\" or \"worse\" by that rule, \"same\" when the two are equal, and \"no data\" when either month has no value."
        ),
    )];
    let goals = vec![
        entry(
            "goal-progress",
            "Goal progress (done)",
            "How far a goal has come from its baseline towards its target; 100% means the target is reached.",
            "(current − baseline) ÷ (target − baseline). Current is the tracked metric's value in the month (or the latest check-in at or before it), frozen at the due month. Works for lower-is-better goals too (target below baseline).",
        ),
        entry(
            "time-elapsed",
            "Time elapsed",
            "How much of a goal's time has gone by: the mark on each progress bar.",
            "Months from start to this month, both included ÷ months from start to due, both included; between 0% and 100%.",
        ),
        entry(
            "goal-status",
            "Goal status",
            "Whether a goal keeps pace with its time.",
            "No data: no current value. After the due month (or in it, once the month is complete) the goal is final: achieved when progress is at least 100%, else missed. Before that: target met when progress is at least 100% (it can still slip back); on track when progress ≥ time elapsed − 10 points; at risk when ≥ time elapsed − 25 points; otherwise off track. A team can set a status in the goal file (on track, at risk, off track, done); it holds for every month from the goal's start. Before its start month a goal is not started: it is not judged, and reports leave it out.",
        ),
        entry(
            "goal-change",
            "Since last month (goals)",
            "How the goal's own figure moved since last month, in its unit (\"−0.5 pts\", \"−USD 96\").",
            "Current this month − current last month; no value when either is missing, 0 after the due month.",
        ),
        entry(
            "goal-pace",
            "Pace (projection)",
            "Where the goal ends if it keeps the pace it has had since its start: the dashed line on a goal's chart.",
            "baseline + (progress ÷ time elapsed) × (target − baseline), for an active goal that is not final and has a progress, once at least three months from its start (both included) have a value. Before that the goal shows “not enough months to project”: a pace from one or two months is a guess.",
        ),
        entry(
            "shared-goal",
            "Shared goals, team goals",
            format!("A shared goal is owned by both {mkt} and {sales}; a team goal by one team."),
            "The report lists shared goals under “Shared goals” and one-team goals under “Team goals” below them. Goal values in percent are fractions (35% is 0.35): on a goal whose metric is a percent, a value above 1 or below −1 is an error, since 30 would mean 3,000%.",
        ),
    ];
    let people = vec![
        entry(
            "joint-meeting",
            "Joint meeting",
            "A meeting where both teams were in the room.",
            format!(
                "A meeting whose attendees include at least one member of {mkt} and one of {sales}, as listed under “teams” in site.yaml. While a team lists no members, joint meetings cannot be counted."
            ),
        ),
        entry(
            "review-meeting",
            "A month's meetings, review meetings",
            "The meetings a month's report counts: its meetings list, decisions, joint meetings and shoutouts.",
            "The meetings dated in the month, plus any later meeting that says “reviews:” this month (the review of November held on 3 December counts in November, not December); a meeting may review its own month or one of the two before it. Its action items still count by the meeting's date.",
        ),
        entry(
            "open-actions",
            "Open action items",
            "Items agreed in a meeting that are not done yet, counted at the month's end day (its last day, or the as-of date while the month is in progress).",
            "Items from meetings dated on or before the end day that are not done by then (no “done: true”, no “done_on” on or before it).",
        ),
        entry(
            "overdue-actions",
            "Overdue action items",
            "Open items past their due date.",
            "Open at the end day and due before it, by (end day − due) days; an item due on the end day is not overdue yet.",
        ),
        entry(
            "checklist-evidence",
            "Checklist evidence",
            "What the tool counts to show a key takeaway is met; the team can also check an item itself.",
            format!(
                "Communicate effectively and often: joint meetings in the month ≥ {} (min_joint_meetings). Look for common interests: at least one active goal owned by both teams. Fill each other's tanks: at least one shoutout in the month's meetings. Come with open ears and Assume positive intent have no evidence: the team checks them in checklist.yaml. While a month is in progress and checklist.yaml has no entry for it yet, those are “not yet assessed”, not “not met”; so is an item whose evidence falls short so far, until the month ends.",
                s.min_joint_meetings
            ),
        ),
        entry(
            "as-of",
            "As-of date, in progress",
            "The day the figures speak of: “--as-of”, else SOURCE_DATE_EPOCH, else today. A month holding it is in progress; content dated after it is left out.",
            "Every footer names it; a report of a month in progress says so.",
        ),
        entry(
            "archives",
            "Recent items and the archive pages",
            "What each list page shows, counted back from the as-of date, and where the rest is, so that no page grows with the project's age.",
            "Meetings: the as-of month and the eleven before it; every year has its own page with all of its meetings. Goals: those due in the twelve months before the as-of month or later; earlier goals are on the page of their due year, each with its outcome (achieved or missed) and final figures. Action items: open items overdue by up to 365 days and those not yet due; items overdue by more than 365 days are counted under each owner and listed on their own page. The calendar file holds every open item.",
        ),
    ];
    let plan = vec![
        entry(
            "attainment",
            "Vs plan (attainment)",
            "Where a figure stands against the month's plan (content/plan/), as a percentage of plan: 100% is on plan.",
            "Actual ÷ plan, in the month, for each figure the month has a plan for (a stage count, revenue, pipeline created). The thin bar under a card fills up to plan; its mark is the plan (at the end up to plan, further left above it). While a month is in progress its attainment is not judged (no colour): the month is not over.",
        ),
        entry(
            "qtd",
            "QTD (quarter to date)",
            "Where a figure stands against plan over the quarter so far.",
            "The actuals summed over the quarter's months up to and including this one ÷ the plans summed over the same months, counting only months that have both. No value when this month has no plan for the figure.",
        ),
        entry(
            "pipeline",
            "Pipeline created, pipeline open",
            format!("The money in opportunities, in {cur}: created in the month, and still open at its last day."),
            "As written in the funnel file (“pipeline_created”, “pipeline_open”); “smarketing import” computes both from the opportunities' amounts and dates. Their change vs last month as for any figure.",
        ),
        entry(
            "coverage",
            "Coverage",
            "How many times the open pipeline covers the revenue still to win this quarter.",
            "Pipeline open at the month's end ÷ the plan revenue of the quarter's later months. No value when one of those months has no plan revenue or their sum is 0, and none in a quarter's last month: it has no later months.",
        ),
        entry(
            "quarter",
            "Quarter figures",
            "A calendar quarter's figures on its review page and in data/YYYY-Qn.json.",
            "Counts, revenue, lost deals, spend, pipeline created, new and lost customers are summed over the quarter's months (a figure only when every month gives it); pipeline open is the last month's that gives it and customers at the start the first month's; every rate is computed from those sums with the monthly formula (a conversion is summed next stage ÷ summed stage, never an average of monthly rates). Medians (sales cycle, days to MQL, lead response) are not combined: they are shown per month. Compared with the quarter before and the same quarter a year before (changes of rates in points), and with the quarter's plan when each of its months has one. A quarter in progress is compared as it stands, with whole quarters.",
        ),
    ];
    vec![
        ("Funnel figures", funnel),
        ("Channels", channels),
        ("Plan, pipeline and quarters", plan),
        ("The five benefits", benefits),
        ("Goals", goals),
        ("Meetings, actions and the checklist", people),
    ]
}

/// The win rate's entry, saying which of its two definitions this project's months use: on
/// closed deals when a month gives `lost`, else on the last two stages.
fn win_rate_entry(a: &Analysis, last: &str, before_last: &str) -> Entry {
    use crate::analyze::funnel::{win_rate_basis, WinRateBasis};
    let funnel = &a.project.funnel;
    let closed = funnel.iter().filter(|f| win_rate_basis(f) == WinRateBasis::Closed).count();
    let closed_words = format!(
        "{last} ÷ ({last} + lost): the deals won in the month over all the deals closed in it, won or lost (“lost” in the funnel file)."
    );
    let stages_words = format!(
        "{last} ÷ {before_last}, in the same month. These are two different groups of deals (this month's {last} were mostly {before_last} of earlier months), so it is only an approximation; give “lost” in the funnel file to have the win rate on closed deals."
    );
    let (means, formula) = if closed == funnel.len() && closed > 0 {
        ("The share of the deals closed in the month that were won.".to_string(), closed_words)
    } else if closed == 0 {
        (
            format!("The share of {before_last} that reached {last} in the month (the funnel gives no lost deals)."),
            stages_words,
        )
    } else {
        (
            format!(
                "The share of the deals closed in the month that were won, in the {closed} of {} funnel months that give lost deals; in the others, the share of {before_last} that reached {last}.",
                funnel.len()
            ),
            format!("Months with “lost”: {closed_words} Months without it: {stages_words}"),
        )
    };
    entry("win-rate", "Win rate", means, formula + " Sales velocity uses the same win rate.")
}

/// The glossary page.
pub fn page(a: &Analysis) -> super::Page<GlossaryPage> {
    let sections = sections(a).into_iter().map(|(title, entries)| Section { title, entries }).collect();
    super::Page::new(super::Route::Glossary, a, "Glossary", GlossaryPage { sections })
}

impl super::chart::Visuals for GlossaryPage {}
