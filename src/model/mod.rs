//! The typed model of a report project: what the content files mean once validated.
//! Everything after loading reads this, never the files.

pub mod calendar;

use calendar::Month;
use jiff::civil::Date;
use serde::Serialize;

/// The two sides always present, in this order.
pub const CORE_TEAMS: [&str; 2] = ["marketing", "sales"];

/// Site settings from `content/site.yaml`, defaults filled in.
#[derive(Debug, Clone)]
pub struct Site {
    /// Shown in every page header.
    pub title: String,
    /// The organisation's name, when given.
    pub organization: Option<String>,
    /// Absolute base for `feed.xml` and `sitemap.xml`.
    pub base_url: Option<String>,
    /// `default` or the name of a folder under `themes/`.
    pub theme: String,
    /// ISO code shown with money values.
    pub currency: String,
    /// Teams: `marketing` and `sales` first, then any others in file order.
    pub teams: Vec<Team>,
    /// Funnel stage ids in order.
    pub stages: Vec<String>,
    /// Display names of stages (same order as `stages`).
    pub stage_labels: Vec<String>,
    /// Index of the stage whose growth is the lead velocity rate.
    pub qualified_stage: usize,
    /// Joint meetings a month needed for "Communicate effectively and often".
    pub min_joint_meetings: u64,
    /// Paths in the output folder that the build did not write but keeps (a gh-pages
    /// checkout's `.git`, a `CNAME` file), relative, with `/` separators.
    pub keep_in_output: Vec<String>,
    /// Named channels and their other spellings (`channels:`), in file order; set with
    /// [`Site::set_channels`], which also indexes every name.
    pub channels: Vec<ChannelNames>,
    /// Every name of a named channel (compared as [`channel_key`]) -> its index in `channels`.
    channel_names: std::collections::HashMap<String, usize>,
}

/// A channel's display name and the other names it goes by in exports (`Google Ads` for
/// `paid search`).
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelNames {
    /// The name shown on pages and in `data/*.json`.
    pub name: String,
    /// Other spellings that stand for the same channel.
    pub aliases: Vec<String>,
}

/// How channel names are compared: surrounding spaces and case do not count.
pub fn channel_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// One team: its key, display name and members.
#[derive(Debug, Clone)]
pub struct Team {
    /// Key used in goal `owners`.
    pub key: String,
    /// Display name.
    pub name: String,
    /// People on the team.
    pub members: Vec<String>,
}

impl Default for Site {
    fn default() -> Self {
        let stages: Vec<String> =
            ["leads", "mql", "sql", "opportunities", "won"].iter().map(|s| s.to_string()).collect();
        Site {
            title: "Smarketing report".into(),
            organization: None,
            base_url: None,
            theme: "default".into(),
            currency: "USD".into(),
            teams: vec![
                Team { key: "marketing".into(), name: "Marketing".into(), members: vec![] },
                Team { key: "sales".into(), name: "Sales".into(), members: vec![] },
            ],
            stage_labels: stages.iter().map(|s| default_stage_label(s)).collect(),
            stages,
            qualified_stage: 1,
            min_joint_meetings: 2,
            keep_in_output: Vec::new(),
            channels: Vec::new(),
            channel_names: Default::default(),
        }
    }
}

/// "mql" -> "MQL"-like default labels: known acronyms upper-cased, others capitalised.
pub fn default_stage_label(id: &str) -> String {
    match id {
        "mql" | "sql" | "sal" | "pql" => id.to_uppercase(),
        _ => {
            let spaced = id.replace(['_', '-'], " ");
            let mut c = spaced.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        }
    }
}

impl Site {
    /// The team with this key.
    pub fn team(&self, key: &str) -> Option<&Team> {
        self.teams.iter().find(|t| t.key == key)
    }

    /// Index of a stage id.
    pub fn stage_index(&self, id: &str) -> Option<usize> {
        self.stages.iter().position(|s| s == id)
    }

    /// The channel a name in a funnel file stands for: the display name whose own name or one
    /// of whose aliases equals it (ignoring case and surrounding spaces), else the name itself.
    pub fn channel_name(&self, written: &str) -> String {
        self.channel_index(written).map(|i| self.channels[i].name.clone()).unwrap_or_else(|| written.to_string())
    }

    /// The position in `channels:` of the channel a name stands for, when site.yaml names it.
    pub fn channel_index(&self, written: &str) -> Option<usize> {
        self.channel_names.get(&channel_key(written)).copied()
    }

    /// Sets the named channels and indexes their names (the first channel to claim a name
    /// keeps it; load reports a name claimed twice).
    pub fn set_channels(&mut self, channels: Vec<ChannelNames>) {
        self.channel_names.clear();
        for (i, c) in channels.iter().enumerate() {
            for name in std::iter::once(&c.name).chain(&c.aliases) {
                self.channel_names.entry(channel_key(name)).or_insert(i);
            }
        }
        self.channels = channels;
    }

    /// Whether a person is on any team.
    pub fn is_member(&self, person: &str) -> bool {
        self.teams.iter().any(|t| t.members.iter().any(|m| m == person))
    }

    /// Whether both marketing and sales list members (joint-meeting evidence needs both).
    pub fn both_sides_have_members(&self) -> bool {
        CORE_TEAMS.iter().all(|k| self.team(k).is_some_and(|t| !t.members.is_empty()))
    }
}

/// Customer counts of a month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Customers {
    /// Customers at the start of the month.
    pub start: u64,
    /// New customers won in the month.
    pub new: u64,
    /// Customers lost in the month.
    pub lost: u64,
}

/// One channel's numbers in a month.
#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    /// The channel's name: its display name when site.yaml `channels:` names it (by that name
    /// or an alias), else as written.
    pub name: String,
    /// Counts by stage index; `None` where the channel does not give that stage.
    pub stages: Vec<Option<u64>>,
    /// Spend on the channel.
    pub spend: Option<f64>,
    /// Revenue won from the channel.
    pub revenue: Option<f64>,
}

/// One month of funnel numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelMonth {
    /// The month.
    pub month: Month,
    /// Counts by stage index; `None` for a stage the month does not give.
    pub stages: Vec<Option<u64>>,
    /// Revenue won in the month.
    pub revenue: Option<f64>,
    /// Deals closed lost in the month.
    pub lost: Option<u64>,
    /// Pipeline created in the month (money): the amounts of opportunities created in it.
    pub pipeline_created: Option<f64>,
    /// Pipeline open at the month's last day (money).
    pub pipeline_open: Option<f64>,
    /// Marketing spend.
    pub spend_marketing: Option<f64>,
    /// Sales spend.
    pub spend_sales: Option<f64>,
    /// Customer counts.
    pub customers: Option<Customers>,
    /// Median days from first stage to won.
    pub sales_cycle_days: Option<f64>,
    /// Median days from lead to MQL.
    pub days_to_mql: Option<f64>,
    /// Median hours to first sales touch.
    pub lead_response_hours: Option<f64>,
    /// Per-channel numbers: the channels site.yaml names, in its order, then the others by
    /// name (so the order does not depend on which file gave which channel).
    pub channels: Vec<Channel>,
    /// The first funnel file (in path order) that gives the month: a month's numbers may
    /// come from several files, merged field by field.
    pub file: String,
}

impl FunnelMonth {
    /// A month of `stages` stages that gives nothing yet, from `file`: where the merge of a
    /// month's entries starts, each field filled by the entry that gives it.
    pub fn empty(month: Month, stages: usize, file: &str) -> FunnelMonth {
        FunnelMonth {
            month,
            stages: vec![None; stages],
            revenue: None,
            lost: None,
            pipeline_created: None,
            pipeline_open: None,
            spend_marketing: None,
            spend_sales: None,
            customers: None,
            sales_cycle_days: None,
            days_to_mql: None,
            lead_response_hours: None,
            channels: Vec::new(),
            file: file.to_string(),
        }
    }
}

/// One month of the plan, from `content/plan/*.yaml`: what the month should bring. Every
/// figure is optional; a missing one has no plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanMonth {
    /// The month.
    pub month: Month,
    /// Planned counts by stage index; `None` for a stage without a plan.
    pub stages: Vec<Option<u64>>,
    /// Planned revenue.
    pub revenue: Option<f64>,
    /// Planned pipeline created.
    pub pipeline_created: Option<f64>,
    /// The file it came from.
    pub file: String,
}

/// What a goal is measured by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// `stage.<id>`: a stage count.
    Stage(usize),
    /// `conversion.<a>.<b>`.
    Conversion(usize, usize),
    /// `revenue`.
    Revenue,
    /// `cac`.
    Cac,
    /// `cost_per_lead`.
    CostPerLead,
    /// `retention`.
    Retention,
    /// `sales_cycle_days`.
    SalesCycleDays,
    /// `days_to_mql`.
    DaysToMql,
    /// `lead_response_hours`.
    LeadResponseHours,
    /// `lead_velocity_rate`.
    LeadVelocityRate,
}

impl Metric {
    /// The metric's own unit (docs/figures.md#goals): what a goal on it is shown in by default.
    pub fn natural_unit(self) -> Unit {
        match self {
            Metric::Stage(_) => Unit::Count,
            Metric::Conversion(..) | Metric::Retention | Metric::LeadVelocityRate => Unit::Percent,
            Metric::Revenue | Metric::Cac | Metric::CostPerLead => Unit::Money,
            Metric::SalesCycleDays | Metric::DaysToMql => Unit::Days,
            Metric::LeadResponseHours => Unit::Hours,
        }
    }
}

/// The plain metric names (besides `stage.<id>` and `conversion.<a>.<b>`).
pub const METRIC_NAMES: [&str; 8] = [
    "revenue",
    "cac",
    "cost_per_lead",
    "retention",
    "sales_cycle_days",
    "days_to_mql",
    "lead_response_hours",
    "lead_velocity_rate",
];

/// How a goal's values are displayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Fractions shown as percentages.
    Percent,
    /// Whole numbers.
    Count,
    /// Money in the site currency.
    Money,
    /// Days.
    Days,
    /// Hours.
    Hours,
    /// Plain numbers.
    Number,
}

impl Unit {
    /// The unit's name as written in a goals file.
    pub fn name(self) -> &'static str {
        UNIT_NAMES[self as usize]
    }
}

/// The unit names, in the order of the contract.
pub const UNIT_NAMES: [&str; 6] = ["percent", "count", "money", "days", "hours", "number"];

/// A goal's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Progress keeps pace with time.
    OnTrack,
    /// A little behind.
    AtRisk,
    /// Well behind.
    OffTrack,
    /// Target reached while the goal is still running (it can slip back).
    Met,
    /// Final (past its due month) with the target reached.
    Achieved,
    /// Final with the target not reached.
    Missed,
    /// Marked done by hand (`status: done`).
    Done,
    /// No value to judge by.
    NoData,
    /// The month is before the goal's `start`: the goal is not judged yet (docs/figures.md#goals).
    NotStarted,
}

/// The status names accepted as an override.
pub const STATUS_NAMES: [&str; 4] = ["on_track", "at_risk", "off_track", "done"];

/// A check-in on a goal without a metric.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkin {
    /// The month of the check-in.
    pub month: Month,
    /// The value reached.
    pub value: f64,
    /// A note.
    pub note: Option<String>,
}

/// A shared (or single-team) goal.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    /// Unique id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Team keys.
    pub owners: Vec<String>,
    /// The metric and its name as written.
    pub metric: Option<(Metric, String)>,
    /// Display unit.
    pub unit: Unit,
    /// Where it started.
    pub baseline: f64,
    /// Where it should get.
    pub target: f64,
    /// First month.
    pub start: Month,
    /// Last month.
    pub due: Month,
    /// Status override.
    pub status: Option<Status>,
    /// Check-ins in month order.
    pub checkins: Vec<Checkin>,
    /// The file it came from.
    pub file: String,
}

impl Goal {
    /// Owned by both marketing and sales.
    pub fn is_shared(&self) -> bool {
        CORE_TEAMS.iter().all(|k| self.owners.iter().any(|o| o == k))
    }
}

/// An action item from a meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// What to do.
    pub task: String,
    /// Who does it.
    pub owner: String,
    /// When it is due.
    pub due: Date,
    /// Whether the file says it is done (`done: true`, or implied by `done_on`).
    pub done: bool,
    /// (v2) The day it was finished: before that day the item counts as open (docs/content.md, meetings).
    /// `None` with `done: true` means done in every month.
    pub done_on: Option<Date>,
}

impl Action {
    /// Whether the item is finished by day `d`: `done_on` on or before `d`, or `done: true`
    /// without a `done_on` (docs/figures.md#meetings-action-items-and-the-checklist).
    pub fn done_by(&self, d: Date) -> bool {
        match self.done_on {
            Some(on) => on <= d,
            None => self.done,
        }
    }
}

/// One meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    /// The file stem.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Date.
    pub date: Date,
    /// People present.
    pub attendees: Vec<String>,
    /// Decisions taken.
    pub decisions: Vec<String>,
    /// Action items.
    pub actions: Vec<Action>,
    /// Shoutouts between the teams.
    pub shoutouts: Vec<String>,
    /// Markdown notes.
    pub notes: String,
    /// The file it came from.
    pub file: String,
    /// (v3) The month this meeting reviews (`reviews: YYYY-MM`), when it is not its own: the
    /// monthly review of November held on 3 December. See [`Meeting::report_month`].
    pub reviews: Option<Month>,
}

impl Meeting {
    /// The month whose report the meeting counts in (meetings list, decisions, joint-meeting
    /// evidence, shoutouts): the month it reviews, else the month of its date. Its action
    /// items keep their own dates.
    pub fn report_month(&self) -> Month {
        self.reviews.unwrap_or_else(|| Month::of(self.date))
    }
}

/// One checklist item (built-in or extra).
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistItem {
    /// Id.
    pub id: String,
    /// Text.
    pub text: String,
}

/// A month's self-assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistMonth {
    /// Month.
    pub month: Month,
    /// Item ids the team ticked.
    pub checked: Vec<String>,
    /// A note.
    pub note: Option<String>,
    /// Line and column of the `month:` value in checklist.yaml, for later diagnostics.
    pub at: (usize, usize),
}

/// A buyer persona.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Persona {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Segment.
    pub segment: Option<String>,
    /// Where the persona comes from.
    pub sources: Vec<String>,
    /// Pains.
    pub pains: Vec<String>,
    /// Goals.
    pub goals: Vec<String>,
    /// Channels.
    pub channels: Vec<String>,
}

/// A month's commentary from `reports/YYYY-MM.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct Commentary {
    /// Month.
    pub month: Month,
    /// Optional title.
    pub title: Option<String>,
    /// Markdown body.
    pub body: String,
}

/// A quarter's commentary from `reports/YYYY-Qn.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct QuarterCommentary {
    /// Quarter.
    pub quarter: calendar::Quarter,
    /// Optional title.
    pub title: Option<String>,
    /// Markdown body.
    pub body: String,
}

/// Everything a project says, validated.
#[derive(Debug, Clone, Default)]
pub struct Project {
    /// Site settings.
    pub site: Site,
    /// Funnel months, sorted by month.
    pub funnel: Vec<FunnelMonth>,
    /// Plan months, sorted by month (months after the as-of date included: the plan is about
    /// the future too).
    pub plan: Vec<PlanMonth>,
    /// Goals, by file path then file order.
    pub goals: Vec<Goal>,
    /// Meetings, by date then slug.
    pub meetings: Vec<Meeting>,
    /// Extra checklist items (after the five built-in ones).
    pub checklist_items: Vec<ChecklistItem>,
    /// Checklist months, sorted.
    pub checklist_months: Vec<ChecklistMonth>,
    /// Personas.
    pub personas: Vec<Persona>,
    /// Commentaries, sorted by month.
    pub commentaries: Vec<Commentary>,
    /// Quarter commentaries, sorted by quarter.
    pub quarter_commentaries: Vec<QuarterCommentary>,
    /// The as-of date of the build (docs/figures.md#the-as-of-date): what "now" is on every page. Content dated
    /// after it is not in the model.
    pub as_of: Date,
}

/// The five key takeaways of the article: id, text, and the article's nudge for an unmet item.
pub const TAKEAWAYS: [(&str, &str, &str); 5] = [
    (
        "communicate",
        "Communicate effectively and often",
        "Have ongoing conversations about what is working and what is not, and what to change.",
    ),
    (
        "common-interests",
        "Look for common interests",
        "Share the same goals: find a win/win and own at least one goal together.",
    ),
    (
        "fill-tanks",
        "Fill each other's tanks",
        "Give shoutouts and praise to senior management; find what the other team needs to succeed.",
    ),
    ("open-ears", "Come with open ears", "Listen with the intention of understanding."),
    ("positive-intent", "Assume positive intent", "Bring an open mind and assume the other team is doing the same."),
];

impl Project {
    /// Every checklist item: the five takeaways, then the extra ones.
    pub fn checklist(&self) -> Vec<ChecklistItem> {
        TAKEAWAYS
            .iter()
            .map(|(id, text, _)| ChecklistItem { id: id.to_string(), text: text.to_string() })
            .chain(self.checklist_items.iter().cloned())
            .collect()
    }

    /// The months that get a report: those with funnel data or meetings (in the month each
    /// meeting counts in, [`Meeting::report_month`]), sorted.
    pub fn report_months(&self) -> Vec<Month> {
        let mut months: Vec<Month> =
            self.funnel.iter().map(|f| f.month).chain(self.meetings.iter().map(Meeting::report_month)).collect();
        months.sort();
        months.dedup();
        months
    }

    /// The plan of a month.
    pub fn plan_month(&self, m: Month) -> Option<&PlanMonth> {
        self.plan.binary_search_by(|f| f.month.cmp(&m)).ok().map(|i| &self.plan[i])
    }

    /// The calendar quarters that have funnel data, oldest first.
    pub fn funnel_quarters(&self) -> Vec<calendar::Quarter> {
        let mut qs: Vec<calendar::Quarter> = self.funnel.iter().map(|f| calendar::Quarter::of(f.month)).collect();
        qs.dedup();
        qs
    }

    /// The funnel numbers of a month.
    pub fn funnel_month(&self, m: Month) -> Option<&FunnelMonth> {
        self.funnel.binary_search_by(|f| f.month.cmp(&m)).ok().map(|i| &self.funnel[i])
    }
}
