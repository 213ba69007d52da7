//! One function per command: each prints what the user needs and returns the exit status
//! (0 success, 1 content or file problem, 2 wrong usage).

use crate::cli::{Cli, Command, NewKind, Shell, ThemeCommand};
pub mod build;
pub mod check;
pub mod digest;
pub mod new;
pub mod sample;
pub mod scaffold;
pub mod schema;

use crate::model::calendar;
use crate::{diagnostics, serve};

/// How much to print.
#[derive(Debug, Clone, Copy)]
pub struct Verbosity {
    /// Only errors.
    pub quiet: bool,
    /// Stage timings too.
    pub verbose: bool,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> u8 {
    let v = Verbosity { quiet: cli.quiet, verbose: cli.verbose };
    match cli.command {
        Command::Check { root, format, strict, as_of } => match resolve_as_of(as_of.as_deref()) {
            Ok(d) => check::check(&root, format, strict, d.unwrap_or_else(calendar::today), v),
            Err(code) => code,
        },
        Command::Build { root, output, base_url, as_of } => match resolve_as_of(as_of.as_deref()) {
            Ok(d) => build::build(&root, output.as_deref(), base_url.as_deref(), d.unwrap_or_else(calendar::today), v),
            Err(code) => code,
        },
        Command::Serve { root, port, as_of } => match resolve_as_of(as_of.as_deref()) {
            Ok(d) => serve::run(root, port, d, v.quiet),
            Err(code) => code,
        },
        // The sample's months end at the as-of date (`SOURCE_DATE_EPOCH` when set, else today),
        // so `init` then `build` agree on what is recent, and a pinned clock gives the same files.
        Command::Init { dir } => {
            match resolve_as_of(None).map(|d| scaffold::init(&dir, d.unwrap_or_else(calendar::today))) {
                Err(code) => code,
                Ok(Ok(files)) => {
                    if !v.quiet {
                        crate::say!("init: created {} files in {}", files.len(), dir.display());
                        crate::say!("next: cd {} && smarketing serve", dir.display());
                    }
                    0
                }
                Ok(Err(e)) => refuse(&e.message, &e.hint),
            }
        }
        Command::New(NewKind::Meeting { title, date, attendees, reviews, root }) => {
            new::new_meeting(&root, &title, date.as_deref(), reviews.as_deref(), attendees.as_deref(), v)
        }
        Command::Import { csv, map, maps, root, output, force, skip_bad_rows, strict } => {
            use crate::import::Job;
            let o = crate::import::Options { force, skip_bad_rows, strict, quiet: v.quiet };
            let folder = maps.unwrap_or_else(|| root.join("imports"));
            let job = match (&csv, &map) {
                (Some(csv), Some(map)) => Job::One { csv, map, output: output.as_deref() },
                (None, Some(map)) => Job::Map { map, output: output.as_deref() },
                _ => Job::Folder(&folder),
            };
            crate::import::run(job, o)
        }
        Command::Digest { period, format, from, to, root, as_of } => match resolve_as_of(as_of.as_deref()) {
            Ok(d) => {
                let mail = digest::Mail { from: from.as_deref(), to: &to };
                digest::run(&root, period.as_deref(), format, &mail, d.unwrap_or_else(calendar::today), v)
            }
            Err(code) => code,
        },
        Command::Schema { kind, out, force } => schema::run(kind.as_deref(), out.as_deref(), force, v),
        Command::Theme(ThemeCommand::Export { dir }) => match scaffold::export_theme(&dir) {
            Ok(files) => {
                if !v.quiet {
                    crate::say!("theme export: wrote {} files to {}", files.len(), dir.display());
                    crate::say!("next: put it at themes/NAME and set `theme: NAME` in content/site.yaml, or copy single templates into templates/");
                }
                0
            }
            Err(e) => refuse(&e.message, &e.hint),
        },
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            let sh = match shell {
                Shell::Bash => clap_complete::Shell::Bash,
                Shell::Zsh => clap_complete::Shell::Zsh,
                Shell::Fish => clap_complete::Shell::Fish,
            };
            let mut buf = Vec::new();
            clap_complete::generate(sh, &mut cmd, "smarketing", &mut buf);
            diagnostics::to_stdout(&String::from_utf8_lossy(&buf));
            0
        }
    }
}

/// The as-of date from `--as-of` or `SOURCE_DATE_EPOCH` (`None`: today), or exit status 2
/// after saying what is wrong with it.
fn resolve_as_of(arg: Option<&str>) -> Result<Option<jiff::civil::Date>, u8> {
    let env = std::env::var_os("SOURCE_DATE_EPOCH").map(|v| v.to_string_lossy().into_owned());
    calendar::as_of_from(arg, env.as_deref()).map_err(|message| {
        crate::say!("error: {message}");
        2
    })
}

/// Prints a refusal. Both parts may name files found on disk (an unknown file in the output
/// named `\e]0;…`), so they are printed escaped like every diagnostic.
pub(crate) fn refuse(message: &str, hint: &str) -> u8 {
    crate::say!("error: {}", diagnostics::escape_controls(message));
    if !hint.is_empty() {
        crate::say!("  = help: {}", diagnostics::escape_controls(hint));
    }
    1
}
