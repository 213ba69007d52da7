//! The integration tests: one binary (like mdBook's tests/testsuite), so the shared helpers in
//! `common` compile once and every test file is a module of it. Each module runs the real
//! `smarketing` binary on fixture projects under tests/fixtures/.

mod actions;
mod archives;
mod asof;
mod authoring;
mod build;
mod cards;
mod check;
mod common;
mod corrupt;
mod demo;
mod design;
mod digest;
mod faults;
mod honest;
mod hostile;
mod hostile_input;
mod import;
mod import_parallel;
mod import_sources;
mod import_warnings;
mod kinds;
mod markdown;
mod outcomes;
mod output;
mod plan;
mod positions;
mod serve;
mod sources;
mod stage_order;
mod theme;
