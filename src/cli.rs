//! The command line: one variant per command of the contract (FORMAT.md section 10).

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// smarketing: turn shared goals, meeting notes and funnel numbers into a monthly
/// sales-and-marketing alignment report (a static website).
#[derive(Debug, Parser)]
#[command(name = "smarketing", version, about, long_about = None)]
pub struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
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
    },
}
