//! The sample project `init` writes, as typed values serialized with serde_yaml: every file it
//! writes is YAML a serializer made, so it reads back as written (no hand-quoted text). Each
//! file starts with a comment line for editors (its JSON Schema) and one that says what it is.

use crate::diagnostics::Problem;
use crate::model::calendar::Month;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

/// A number as a person writes it: `300`, not `300.0`.
#[derive(Serialize, Clone, Copy)]
#[serde(untagged)]
enum Num {
    /// A whole number.
    Int(i64),
    /// A fraction.
    Float(f64),
}

#[derive(Serialize)]
struct Team {
    name: &'static str,
    members: [&'static str; 2],
}

#[derive(Serialize)]
struct Site {
    title: &'static str,
    organization: &'static str,
    currency: &'static str,
    teams: BTreeMap<&'static str, Team>,
    stages: [&'static str; 5],
    min_joint_meetings: u32,
}

#[derive(Serialize)]
struct Stages {
    leads: u64,
    mql: u64,
    sql: u64,
    opportunities: u64,
    won: u64,
}

#[derive(Serialize)]
struct Spend {
    marketing: u32,
    sales: u32,
}

#[derive(Serialize)]
struct Customers {
    start: u32,
    new: u32,
    lost: u32,
}

#[derive(Serialize)]
struct Channel {
    leads: u32,
    mql: u32,
    won: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    spend: Option<u32>,
}

#[derive(Serialize)]
struct FunnelMonth {
    month: String,
    stages: Stages,
    revenue: u64,
    spend: Spend,
    customers: Customers,
    sales_cycle_days: Num,
    days_to_mql: Num,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    by_channel: BTreeMap<&'static str, Channel>,
}

#[derive(Serialize)]
struct PlanStages {
    leads: u64,
    won: u64,
}

#[derive(Serialize)]
struct PlanMonth {
    month: String,
    stages: PlanStages,
    revenue: u64,
}

#[derive(Serialize)]
struct Checkin {
    month: String,
    value: Num,
    note: &'static str,
}

#[derive(Serialize)]
struct Goal {
    id: &'static str,
    title: &'static str,
    owners: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metric: Option<&'static str>,
    unit: &'static str,
    baseline: Num,
    target: Num,
    start: String,
    due: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    checkins: Vec<Checkin>,
}

/// An action item of a meeting note.
#[derive(Serialize)]
pub struct Action<'a> {
    /// What to do.
    pub task: &'a str,
    /// Who does it.
    pub owner: &'a str,
    /// By when.
    pub due: String,
    /// Whether it is done (left out when not).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub done: bool,
}

/// The front matter of a meeting note.
#[derive(Serialize)]
pub struct Meeting<'a> {
    /// The meeting's title, any text.
    pub title: &'a str,
    /// The day it took place.
    pub date: String,
    /// The month it reviews, when it is the review of an earlier month (left out when not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviews: Option<String>,
    /// Who attended.
    pub attendees: Vec<&'a str>,
    /// What was decided.
    pub decisions: Vec<&'a str>,
    /// What was agreed to do (left out when empty: a new note shows a commented example
    /// instead, which can be uncommented as it is).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action<'a>>,
    /// Thanks from one team to the other.
    pub shoutouts: Vec<&'a str>,
}

impl Meeting<'_> {
    /// The note's text: this front matter between `---` lines, then `body`.
    pub fn note(&self, body: &str) -> Result<String, Problem> {
        Ok(format!("---\n{}---\n{body}", yaml(self)?))
    }
}

#[derive(Serialize)]
struct ChecklistMonth {
    month: String,
    checked: [&'static str; 2],
    note: &'static str,
}

#[derive(Serialize)]
struct Checklist {
    months: Vec<ChecklistMonth>,
}

#[derive(Serialize)]
struct Commentary {
    title: &'static str,
}

/// `value` as YAML; an error (never an empty file) if serde_yaml cannot write it.
pub fn yaml<T: Serialize>(value: &T) -> Result<String, Problem> {
    serde_yaml::to_string(value).map_err(|e| {
        Problem::new(
            format!("cannot write a file as YAML: {e}"),
            "this is a bug in smarketing: please report it with the command you ran",
        )
    })
}

/// A YAML content file: the schema comment line, a comment saying what the file is, the data.
fn file<T: Serialize>(schema: &str, about: &str, value: &T) -> Result<String, Problem> {
    Ok(format!("# yaml-language-server: $schema={schema}\n# {about}\n{}", yaml(value)?))
}

/// The sample project's files, (path, text), dated around `today`: three months of funnel
/// before it, a plan from the first of them to the end of the last one's quarter (so the
/// latest report has "vs plan" and quarter to date), goals due two months after it.
pub fn files(today: Date) -> Result<Vec<(String, String)>, Problem> {
    let now = Month::of(today);
    let m3 = now.prev();
    let m2 = m3.prev();
    let m1 = m2.prev();
    let day = |m: Month, d: i8| Date::new(m.year, m.month, d).unwrap_or(m.first_day());
    let due = now.next().next().to_string();
    let site = Site {
        title: "Our smarketing report",
        organization: "Example Co",
        currency: "USD",
        teams: BTreeMap::from([
            ("marketing", Team { name: "Marketing", members: ["Dana Lee", "Priya Shah"] }),
            ("sales", Team { name: "Sales", members: ["Sam Ortiz", "Lee Chen"] }),
        ]),
        stages: ["leads", "mql", "sql", "opportunities", "won"],
        min_joint_meetings: 2,
    };
    // The stage counts and revenue are load's record of the sample, so a check can tell that
    // a file still holds it.
    let [s1, s2, s3] = crate::load::sample::SAMPLE_MONTHS;
    let month =
        |m: Month, (st, revenue): ([u64; 5], u64), spend: (u32, u32), customers: (u32, u32, u32), cycle, mql| {
            FunnelMonth {
                month: m.to_string(),
                stages: Stages { leads: st[0], mql: st[1], sql: st[2], opportunities: st[3], won: st[4] },
                revenue,
                spend: Spend { marketing: spend.0, sales: spend.1 },
                customers: Customers { start: customers.0, new: customers.1, lost: customers.2 },
                sales_cycle_days: Num::Int(cycle),
                days_to_mql: mql,
                by_channel: BTreeMap::new(),
            }
        };
    let mut last = month(m3, s3, (61_000, 92_000), (330, 24, 5), 40, Num::Float(5.5));
    last.by_channel = BTreeMap::from([
        ("organic search", Channel { leads: 700, mql: 240, won: 11, spend: None }),
        ("paid search", Channel { leads: 520, mql: 150, won: 7, spend: Some(21_000) }),
    ]);
    let funnel = vec![
        month(m1, s1, (60_000, 90_000), (300, 18, 5), 44, Num::Float(6.5)),
        month(m2, s2, (62_000, 90_000), (313, 21, 4), 42, Num::Int(6)),
        last,
    ];
    // The plan: the same targets every month (load's record of the sample plan), from the
    // sample's first month to the end of its last month's quarter.
    let (leads, won, revenue) = crate::load::sample::SAMPLE_PLAN;
    let plan_end = crate::model::calendar::Quarter::of(m3).months()[2];
    let plan: Vec<PlanMonth> = std::iter::successors(Some(m1), |m| Some(m.next()))
        .take_while(|m| *m <= plan_end)
        .map(|m| PlanMonth { month: m.to_string(), stages: PlanStages { leads, won }, revenue })
        .collect();
    let goals = vec![
        Goal {
            id: "mql-to-sql",
            title: "Raise MQL→SQL conversion to 35%",
            owners: vec!["marketing", "sales"],
            metric: Some("conversion.mql.sql"),
            unit: "percent",
            baseline: Num::Float(0.28),
            target: Num::Float(0.35),
            start: m1.to_string(),
            due: due.clone(),
            checkins: vec![],
        },
        Goal {
            id: "webinar-leads",
            title: "300 webinar leads",
            owners: vec!["marketing"],
            metric: None,
            unit: "count",
            baseline: Num::Int(0),
            target: Num::Int(300),
            start: m2.to_string(),
            due,
            checkins: vec![Checkin { month: m3.to_string(), value: Num::Int(120), note: "First two webinars" }],
        },
    ];
    let review = Meeting {
        title: "Pipeline review",
        date: day(m3, 7).to_string(),
        reviews: None,
        attendees: vec!["Dana Lee", "Sam Ortiz", "Lee Chen"],
        decisions: vec!["Both teams use one MQL definition (score >= 60 and ICP fit)"],
        actions: vec![
            Action {
                task: "Publish the new lead scoring",
                owner: "Dana Lee",
                due: day(m3, 21).to_string(),
                done: true,
            },
            Action {
                task: "Call back every MQL within 24 hours",
                owner: "Sam Ortiz",
                due: day(now, 15).to_string(),
                done: false,
            },
        ],
        shoutouts: vec!["Sales thanks Marketing for the webinar leads"],
    };
    let planning = Meeting {
        title: "Campaign planning",
        date: day(m3, 18).to_string(),
        reviews: None,
        attendees: vec!["Priya Shah", "Lee Chen"],
        decisions: vec!["Sales reviews webinar topics before launch"],
        actions: vec![Action {
            task: "Send the webinar calendar to sales",
            owner: "Priya Shah",
            due: day(m3, 28).to_string(),
            done: false,
        }],
        shoutouts: vec![],
    };
    // The monthly review of the month before, held early in the next one: it counts in the
    // report of the month it reviews.
    let monthly_title = format!("Monthly review of {}", m2.short_name());
    let monthly = Meeting {
        title: &monthly_title,
        date: day(m3, 3).to_string(),
        reviews: Some(m2.to_string()),
        attendees: vec!["Dana Lee", "Priya Shah", "Sam Ortiz"],
        decisions: vec!["Sales follows up every webinar lead within two days"],
        actions: vec![],
        shoutouts: vec!["Marketing thanks Sam for closing the first webinar deal"],
    };
    let checklist = Checklist {
        months: vec![ChecklistMonth {
            month: m3.to_string(),
            checked: ["open-ears", "positive-intent"],
            note: "Good retro",
        }],
    };
    Ok(vec![
        (
            "content/site.yaml".into(),
            file("../schemas/site.schema.json", "Site settings: every key is optional. `smarketing schema --kind site` lists them all.", &site)?,
        ),
        (
            crate::load::sample::SAMPLE_FILE.into(),
            format!(
                "{}\n{}",
                crate::load::sample::SAMPLE_FIRST_LINE,
                file(
                    "../../schemas/funnel.schema.json",
                    "One list item per month: the funnel counts and, optionally, money and durations. Numbers from several sources go in files of their own beside it (a CRM export, an ad platform's spend): each month's fields merge across the files.",
                    &funnel,
                )?
            ),
        ),
        (
            crate::load::sample::SAMPLE_PLAN_FILE.into(),
            format!(
                "{}\n{}",
                crate::load::sample::SAMPLE_PLAN_FIRST_LINE,
                file(
                    "../../schemas/plan.schema.json",
                    "One list item per month: what the month should bring (any stage counts, revenue, pipeline created). The report shows each figure against it, for the month and the quarter to date.",
                    &plan,
                )?
            ),
        ),
        (
            "content/goals/goals.yaml".into(),
            file("../../schemas/goals.schema.json", "Shared goals: who owns them, what they measure, by when.", &goals)?,
        ),
        (
            format!("content/meetings/{}-pipeline-review.md", review.date),
            review.note(
                "Notes in **markdown**: tables, task lists and links work.\n\n- [x] Agree the MQL definition\n- [ ] Review it next month\n",
            )?,
        ),
        (
            format!("content/meetings/{}-monthly-review.md", monthly.date),
            monthly.note(&format!(
                "`reviews: {m2}` makes this meeting, held on the 3rd, count in {}'s report.\n",
                m2.short_name()
            ))?,
        ),
        (
            format!("content/meetings/{}-campaign-planning.md", planning.date),
            planning.note("We planned next quarter's campaigns together.\n")?,
        ),
        (
            "content/checklist.yaml".into(),
            file(
                "../schemas/checklist.schema.json",
                "The five key takeaways are built in; tick the self-assessed ones each month.",
                &checklist,
            )?,
        ),
        (
            format!("content/reports/{m3}.md"),
            format!("---\n{}---\nWrite the month's commentary here, in markdown.\n", yaml(&Commentary { title: "A good start" })?),
        ),
        (".gitignore".into(), "/public\n".into()),
    ])
}
