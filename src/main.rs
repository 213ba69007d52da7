//! The `smarketing` binary: parse arguments, run a command, exit with its status.

use clap::Parser;
use smarketing::cli::Cli;
use std::process::ExitCode;

/// mimalloc: rendering is allocation-bound across threads (measured in BENCHMARKS.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    ExitCode::from(smarketing::commands::run(cli))
}
