//! The command line: one variant per command of the contract (docs/commands.md).

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// smarketing: turn shared goals, meeting notes and funnel numbers into a monthly
/// sales-and-marketing alignment report (a static website).
#[derive(Debug, Parser)]
#[command(name = "smarketing", version, about, long_about = None)]
pub struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print what each stage did and how long it took.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style messages on standard error.
    Human,
    /// One JSON array on standard output.
    Json,
}

/// Output format of `digest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DigestFormat {
    /// Markdown (CommonMark), for chat tools such as Teams and Mattermost.
    Markdown,
    /// Plain text.
    Text,
    /// A MIME message (.eml) of the text and an HTML part with PNG charts, for `sendmail -t`.
    Email,
}

/// Shells for `completions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate, then write the whole site.
    Build {
        /// The project folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: ROOT/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Absolute address the site is published at (for feed.xml and sitemap.xml).
        #[arg(long)]
        base_url: Option<String>,
        /// What "now" is, YYYY-MM-DD (default: the UTC date of SOURCE_DATE_EPOCH, else today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
    },
    /// Validate only.
    Check {
        /// The project folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// human (default) or json.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        /// What "now" is, YYYY-MM-DD (default: the UTC date of SOURCE_DATE_EPOCH, else today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
    },
    /// Build in memory, serve on 127.0.0.1, rebuild on change and reload the browser.
    Serve {
        /// The project folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// What "now" is, YYYY-MM-DD (default: the UTC date of SOURCE_DATE_EPOCH, else today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
    },
    /// Create a new project with sample content; refuses a non-empty folder.
    Init {
        /// Where to create it.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Create a new content file.
    #[command(subcommand)]
    New(NewKind),
    /// CRM export rows (CSV) to a funnel file; without a CSV, every map in the project's imports/.
    Import {
        /// The CSV export, one row per lead or deal (default: the map's `csv`).
        #[arg(requires = "map")]
        csv: Option<PathBuf>,
        /// The map: which column holds each stage's date, and more.
        #[arg(long)]
        map: Option<PathBuf>,
        /// Run every `*.map.yaml` in this folder (default: ROOT/imports), in file-name order.
        #[arg(long, conflicts_with = "map")]
        maps: Option<PathBuf>,
        /// The project folder whose imports/ is run when no map is named.
        #[arg(long, default_value = ".", conflicts_with = "map")]
        root: PathBuf,
        /// Write here instead of standard output (or the map's `output`).
        #[arg(long, requires = "map")]
        output: Option<PathBuf>,
        /// Overwrite an output that the import did not write, or that was edited since.
        #[arg(long)]
        force: bool,
        /// Report rows with unreadable dates and skip them instead of failing.
        #[arg(long)]
        skip_bad_rows: bool,
        /// Fail on any warning: exit 1, nothing written.
        #[arg(long)]
        strict: bool,
    },
    /// Print a report's first screen in words, for a chat channel or an e-mail.
    Digest {
        /// The month (YYYY-MM) or quarter (YYYY-Qn) (default: the latest report).
        #[arg(value_name = "YYYY-MM|YYYY-Qn")]
        period: Option<String>,
        /// markdown (default, for chat tools), text, or email (a MIME message for `sendmail -t`).
        #[arg(long, value_enum, default_value_t = DigestFormat::Markdown)]
        format: DigestFormat,
        /// With --format email: the From: mailbox (default: `smarketing <smarketing@localhost>`).
        #[arg(long, value_name = "MAILBOX")]
        from: Option<String>,
        /// With --format email: a To: mailbox; repeat it for several (default:
        /// `undisclosed-recipients:;`, which `sendmail -t` refuses for want of a recipient).
        #[arg(long, value_name = "MAILBOX")]
        to: Vec<String>,
        /// The project folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// What "now" is, YYYY-MM-DD (default: the UTC date of SOURCE_DATE_EPOCH, else today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
    },
    /// Print the JSON Schema of every content file kind, for editors.
    Schema {
        /// Print only this kind (site, funnel, plan, goals, meeting, meeting-front-matter, checklist, personas, report-front-matter, import-map).
        #[arg(long)]
        kind: Option<String>,
        /// Write one `KIND.schema.json` per kind into this folder instead.
        #[arg(long)]
        out: Option<PathBuf>,
        /// With --out: replace schema files already there (those `init` or an earlier run wrote).
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// Work with themes.
    #[command(subcommand)]
    Theme(ThemeCommand),
    /// Print a shell completion script.
    Completions {
        /// bash, zsh or fish.
        #[arg(value_enum)]
        shell: Shell,
    },
}

/// What `new` creates.
#[derive(Debug, Subcommand)]
pub enum NewKind {
    /// A dated meeting note with the front matter filled in.
    Meeting {
        /// The meeting's title.
        title: String,
        /// The date (default: today in the local time zone).
        #[arg(long)]
        date: Option<String>,
        /// Who attended, separated by commas: "Dana Lee, Sam Ortiz" (default: nobody).
        #[arg(long)]
        attendees: Option<String>,
        /// The month this meeting reviews, YYYY-MM, when it is the review of an earlier month
        /// held in the next one: it then counts in that month's report (its own month or one
        /// of the two before it).
        #[arg(long, value_name = "YYYY-MM")]
        reviews: Option<String>,
        /// The project folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// Theme subcommands.
#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Write the built-in theme as files to customise; refuses a non-empty folder.
    Export {
        /// Where to write it, e.g. themes/mine.
        dir: PathBuf,
    },
}
