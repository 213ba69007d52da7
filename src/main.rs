//! The `smarketing` binary: parse arguments, run a command, print diagnostics, exit.

use clap::Parser;
use smarketing::cli::{Cli, Command, Format};
use smarketing::{content, diagnostics};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Check { root, format, strict } => {
            let loaded = content::load(&root);
            let (errors, warnings) = diagnostics::counts(&loaded.diags);
            match format {
                Format::Json => println!("{}", diagnostics::to_json(&loaded.diags)),
                Format::Human => {
                    diagnostics::print_human(&loaded.diags);
                    if !cli.quiet || errors > 0 {
                        eprintln!("check: {} in {} content files", diagnostics::summary(&loaded.diags), loaded.files);
                    }
                }
            }
            if errors > 0 || (strict && warnings > 0) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Build { .. } => ExitCode::from(1),
    }
}
