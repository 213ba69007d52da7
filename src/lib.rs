//! smarketing: sales and marketing alignment reports from YAML and markdown in git.
//!
//! The pipeline, one folder per stage, in the order data flows:
//! [`load`] reads and validates content and templates into a [`model`], [`analyze`] computes
//! every number once, [`assemble`] builds what each page shows, [`render`] turns that into
//! pages (templates, charts, markdown), and [`write`] publishes them atomically. [`commands`]
//! wires the stages to the command line; [`import`] turns CRM exports into funnel files.
#![warn(missing_docs)]

/// Like `eprintln!`, but a closed or failing standard error is ignored instead of panicking
/// (exit 101), so `smarketing check 2>&1 | head -1` and a `serve` whose log reader went away
/// keep working. Every message of the tool goes through it.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::diagnostics::to_stderr(&format!("{}\n", format_args!($($arg)*)))
    };
}

pub mod analyze;
pub mod assemble;
pub mod cli;
pub mod commands;
pub mod diagnostics;
pub mod import;
pub mod load;
pub mod model;
pub mod render;
pub mod serve;
pub mod site;
pub mod write;
