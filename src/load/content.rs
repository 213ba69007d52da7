//! The content file kinds as typed records (docs/content.md): what each file may
//! hold, field by field. They are read by the position-keeping deserializer of [`super::de`]
//! (so every mistake is reported at its line and column) and are the source of
//! `smarketing schema` (derived with schemars: a field's doc comment is its description).
//! The checks that span fields or files are in [`super::kinds`].

use super::de::{Amount, At, Count, Day, Entries, Flag, Id, Key, List, MonthOf, Number, Text};
use schemars::JsonSchema;
use serde::Deserialize;

/// `content/site.yaml`: the site's settings; every field is optional.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "site settings", deny_unknown_fields)]
#[schemars(rename = "site")]
pub struct SiteFile {
    /// Shown in every page header.
    #[serde(default)]
    pub title: Option<At<Text>>,
    /// The organisation's name, shown beside the title.
    #[serde(default)]
    pub organization: Option<At<Text>>,
    /// Absolute address the site is published at, for feed.xml and sitemap.xml.
    #[schemars(schema_with = "schemas::base_url")]
    #[serde(default)]
    pub base_url: Option<At<Text>>,
    /// `default`, or the name of a folder under `themes/`.
    pub theme: Option<At<Key>>,
    /// Three-letter ISO code shown with money values, like `USD`.
    #[schemars(schema_with = "schemas::currency")]
    #[serde(default)]
    pub currency: Option<At<Text>>,
    /// Team key -> name and members; `marketing` and `sales` are the two sides.
    pub teams: Option<Entries<TeamEntry>>,
    /// Funnel stage ids in order, first to last.
    #[schemars(schema_with = "schemas::stage_ids")]
    #[serde(default)]
    pub stages: Option<At<List<At<Key>>>>,
    /// Stage id -> the name shown on pages.
    pub stage_labels: Option<Entries<At<Text>>>,
    /// The stage whose growth is the lead velocity rate (default `mql`, else the second).
    pub qualified_stage: Option<At<Text>>,
    /// Joint meetings a month needs for "Communicate effectively and often".
    pub min_joint_meetings: Option<Count>,
    /// Paths in the output folder that a build keeps (a gh-pages checkout's `.git`, `CNAME`).
    pub keep_in_output: Option<Vec<At<Text>>>,
    /// Channel display name -> the other names it goes by in funnel files and exports
    /// (`paid search: [Google Ads, google / cpc]`); case and surrounding spaces do not count.
    #[schemars(schema_with = "schemas::channels")]
    #[serde(default)]
    pub channels: Option<Entries<At<List<At<Text>>>>>,
}

/// One team in `teams:`.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "team", deny_unknown_fields)]
pub struct TeamEntry {
    /// The name shown on pages (default: the key, capitalised).
    pub name: Option<Text>,
    /// The people on the team, as written in meetings' `attendees`.
    pub members: Option<Vec<Text>>,
}

/// One month of funnel numbers, an item of `content/funnel/*.yaml`.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "funnel month", deny_unknown_fields)]
#[schemars(rename = "funnel_month")]
pub struct FunnelMonthEntry {
    /// The month, `YYYY-MM`.
    pub month: At<MonthOf>,
    /// Stage id -> how many reached that stage this month. Optional: a month's numbers may be
    /// split across funnel files (spend in one, stages in another), merged field by field.
    pub stages: Option<At<Entries<At<Count>>>>,
    /// Revenue won this month, in the site's currency.
    pub revenue: Option<At<Amount>>,
    /// Deals closed lost this month (with the last stage's count, the won deals, it gives the
    /// win rate on closed deals).
    pub lost: Option<At<Count>>,
    /// Pipeline created this month: the amounts of the opportunities created in it, in the
    /// site's currency.
    pub pipeline_created: Option<At<Amount>>,
    /// Pipeline open at the month's last day: the amounts of the opportunities still open
    /// then, in the site's currency.
    pub pipeline_open: Option<At<Amount>>,
    /// Money spent this month.
    pub spend: Option<Spend>,
    /// Customers at the start of the month, won and lost during it.
    pub customers: Option<At<Customers>>,
    /// Average days from first touch to a won deal.
    pub sales_cycle_days: Option<At<Amount>>,
    /// Average days from lead to marketing-qualified lead.
    pub days_to_mql: Option<At<Amount>>,
    /// Average hours until sales first answers a lead.
    pub lead_response_hours: Option<At<Amount>>,
    /// Channel name -> stage counts, `spend` and `revenue` of that channel.
    #[schemars(schema_with = "schemas::by_channel")]
    #[serde(default)]
    pub by_channel: Option<Entries<Entries<At<Amount>>>>,
}

/// One month of the plan, an item of `content/plan/*.yaml`: what the month should bring.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "plan month", deny_unknown_fields)]
#[schemars(rename = "plan_month")]
pub struct PlanMonthEntry {
    /// The month, `YYYY-MM`, unique across all plan files.
    pub month: At<MonthOf>,
    /// Stage id -> how many should reach that stage this month (any of the site's stages).
    pub stages: Option<At<Entries<At<Count>>>>,
    /// Revenue to win this month, in the site's currency.
    pub revenue: Option<At<Amount>>,
    /// Pipeline to create this month, in the site's currency.
    pub pipeline_created: Option<At<Amount>>,
}

/// A month's spend, by side.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "spend", deny_unknown_fields)]
pub struct Spend {
    /// Marketing's spend.
    pub marketing: Option<At<Amount>>,
    /// Sales's spend.
    pub sales: Option<At<Amount>>,
}

/// A month's customers.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "customers", deny_unknown_fields)]
pub struct Customers {
    /// Customers at the start of the month.
    pub start: Count,
    /// Customers won during the month.
    pub new: Count,
    /// Customers lost during the month.
    pub lost: At<Count>,
}

/// One goal, an item of `content/goals/*.yaml`.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "goal", deny_unknown_fields)]
pub struct GoalEntry {
    /// Unique id, lowercase letters, digits and `-`.
    pub id: At<Id>,
    /// What the goal is, in words.
    pub title: Text,
    /// Team keys of the teams that own the goal.
    #[schemars(schema_with = "schemas::owners")]
    pub owners: At<List<At<Text>>>,
    /// A figure computed from the funnel (`stage.<id>`, `conversion.<a>.<b>`, `revenue`,
    /// `cac`, ...); without it the goal is tracked by check-ins.
    #[schemars(schema_with = "schemas::metric")]
    #[serde(default)]
    pub metric: Option<At<Text>>,
    /// percent, count, money, days, hours or number (default: the metric's own).
    #[schemars(schema_with = "schemas::unit")]
    #[serde(default)]
    pub unit: Option<At<Text>>,
    /// The value at the start.
    pub baseline: At<Number>,
    /// The value to reach (percent values are fractions: 35% is 0.35).
    pub target: At<Number>,
    /// First month, `YYYY-MM`.
    pub start: MonthOf,
    /// Last month, `YYYY-MM`.
    pub due: At<MonthOf>,
    /// An override of the computed status: on_track, at_risk, off_track or done.
    #[schemars(schema_with = "schemas::status")]
    #[serde(default)]
    pub status: Option<At<Text>>,
    /// Monthly values, for a goal without a metric.
    pub checkins: Option<At<Vec<At<Checkin>>>>,
}

/// One check-in of a goal.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "check-in", deny_unknown_fields)]
#[schemars(rename = "checkin")]
pub struct Checkin {
    /// The month, `YYYY-MM`.
    pub month: At<MonthOf>,
    /// The value that month.
    pub value: At<Number>,
    /// A short note.
    pub note: Option<Text>,
}

/// A meeting: the front matter of `content/meetings/*.md`, or a whole `.yaml` meeting.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "meeting", deny_unknown_fields)]
pub struct MeetingFile {
    /// What the meeting was.
    pub title: At<Text>,
    /// The day it was held, `YYYY-MM-DD`.
    pub date: At<Day>,
    /// Who was there, by name.
    pub attendees: At<List<At<Text>>>,
    /// What was decided.
    pub decisions: Option<Vec<Text>>,
    /// Action items agreed.
    pub actions: Option<Vec<At<ActionEntry>>>,
    /// Thanks given.
    pub shoutouts: Option<Vec<Text>>,
    /// Markdown notes (only in a `.yaml` meeting; in a `.md` one the body is the notes).
    pub notes: Option<At<Text>>,
    /// The month this meeting reviews, `YYYY-MM`, when it is held after it (the review of
    /// November on 3 December): it then counts in that month's report. The meeting's own
    /// month or one of the two before it.
    pub reviews: Option<At<MonthOf>>,
}

/// One action item of a meeting.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "action", deny_unknown_fields)]
pub struct ActionEntry {
    /// What is to be done.
    pub task: Text,
    /// Who does it, by name.
    pub owner: At<Text>,
    /// When it is due, `YYYY-MM-DD`.
    pub due: Day,
    /// Whether it is finished.
    pub done: Option<Flag>,
    /// The day the item was finished, YYYY-MM-DD: implies done; open in every month before it.
    pub done_on: Option<At<Day>>,
}

/// `content/checklist.yaml`: extra checklist items and the monthly assessments.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "checklist", deny_unknown_fields)]
pub struct ChecklistFile {
    /// Items beyond the five built-in takeaways.
    pub items: Option<Vec<ChecklistItemEntry>>,
    /// Which items were met, month by month.
    pub months: Option<Vec<ChecklistMonthEntry>>,
}

/// An extra checklist item.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "checklist item", deny_unknown_fields)]
#[schemars(rename = "checklist_item")]
pub struct ChecklistItemEntry {
    /// Unique id, lowercase letters, digits and `-`.
    pub id: At<Id>,
    /// The item, in words.
    pub text: Text,
}

/// One month's assessment.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "checklist month", deny_unknown_fields)]
#[schemars(rename = "checklist_month")]
pub struct ChecklistMonthEntry {
    /// The month, `YYYY-MM`.
    pub month: At<MonthOf>,
    /// Ids of the items met that month.
    pub checked: Option<Vec<At<Text>>>,
    /// A short note.
    pub note: Option<Text>,
}

/// A buyer persona, an item of `content/personas/*.yaml`.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "persona", deny_unknown_fields)]
pub struct PersonaEntry {
    /// Unique id, lowercase letters, digits and `-`.
    pub id: At<Id>,
    /// The persona's name.
    pub name: Text,
    /// The market segment.
    pub segment: Option<Text>,
    /// Where the insight comes from.
    pub sources: Option<Vec<Text>>,
    /// What troubles them.
    pub pains: Option<Vec<Text>>,
    /// What they want.
    pub goals: Option<Vec<Text>>,
    /// Where they are reached.
    pub channels: Option<Vec<Text>>,
}

/// The front matter of a monthly commentary, `content/reports/YYYY-MM.md`.
#[derive(Deserialize, JsonSchema)]
#[serde(rename = "commentary front matter", deny_unknown_fields)]
#[schemars(rename = "report_front_matter")]
pub struct CommentaryFrontMatter {
    /// A headline for the month's report.
    pub title: Option<Text>,
}

/// The schemas of fields whose rule is more than their type says (an id pattern, the list of
/// units), for `smarketing schema`.
mod schemas {
    use crate::model::{METRIC_NAMES, STATUS_NAMES, UNIT_NAMES};
    use schemars::{json_schema, Schema, SchemaGenerator};

    pub fn base_url(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "pattern": "^https?://"})
    }
    pub fn currency(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "pattern": "^[A-Z]{3}$"})
    }
    pub fn stage_ids(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "array", "minItems": 2, "maxItems": crate::load::kinds::MAX_STAGES, "uniqueItems": true,
            "items": {"type": "string", "pattern": "^[a-z0-9_-]+$", "not": {"const": "spend"}}})
    }
    pub fn owners(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "array", "minItems": 1, "items": {"type": "string"}})
    }
    pub fn metric(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "description": "stage.<id>, conversion.<a>.<b>, or one of the named metrics",
            "anyOf": [{"enum": METRIC_NAMES}, {"pattern": "^stage\\.[a-z0-9_-]+$"}, {"pattern": "^conversion\\.[a-z0-9_-]+\\.[a-z0-9_-]+$"}]})
    }
    pub fn unit(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"enum": UNIT_NAMES})
    }
    pub fn status(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"enum": STATUS_NAMES})
    }
    pub fn by_channel(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "object", "additionalProperties": {"type": "object",
            "description": "Stage id -> count; `spend` and `revenue` in the site's currency",
            "properties": {"spend": {"type": "number", "minimum": 0}, "revenue": {"type": "number", "minimum": 0}},
            "additionalProperties": {"type": "integer", "minimum": 0}}})
    }
    pub fn channels(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "object", "description": "Channel display name -> its other names",
            "additionalProperties": {"type": "array", "items": {"type": ["string", "number"]}}})
    }
}
