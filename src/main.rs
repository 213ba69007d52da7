//! The `smarketing` binary: parse arguments, run a command, exit with its status.

use clap::Parser;
use smarketing::cli::Cli;
use std::process::ExitCode;

/// mimalloc: rendering is allocation-bound across threads (measured in BENCHMARKS.md). Built
/// without transparent huge pages (`no_thp`): with them every touched 2 MB was a whole page,
/// nearly twice the memory (60 MB against 29 MB for 2,000 notes) for no measurable speed.
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
