//! smarketing: sales and marketing alignment reports from YAML and markdown in git.
//!
//! The pipeline, one module per stage: [`content`] loads and validates, [`metrics`] computes
//! every number once, [`views`] assembles what pages show, [`site`] renders pages in memory, and
//! [`output`] writes them atomically.
#![warn(missing_docs)]

pub mod calendar;
pub mod charts;
pub mod cli;
pub mod commands;
pub mod content;
pub mod diagnostics;
pub mod format;
pub mod import;
pub mod markdown;
pub mod metrics;
pub mod output;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod site;
pub mod theme;
pub mod views;
