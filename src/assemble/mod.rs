//! Assemble: the data each page template reads, with every number already formatted for
//! display. Figures come from [`Analysis`]; nothing here computes a formula.
//!
//! One file per page kind (`report`, `index`, `funnel`, `goals`, `meetings`, `checklist`,
//! `personas`, `actions`, `glossary`, `feeds`); `routes`, `nav` and `shared` hold what every
//! page uses, `cards` and `trend` the blocks more than one page shows.

use crate::analyze::MonthFigures;
use crate::model::calendar::Month;

pub mod actions;
pub mod archive;
mod cards;
mod channels;
pub mod chart;
mod checklist;
pub mod digest;
pub mod feeds;
pub mod format;
mod funnel;
pub mod glossary;
mod goals;
mod index;
mod meetings;
mod nav;
mod personas;
mod plan;
mod quarter;
mod report;
pub mod routes;
mod shared;
mod trend;

pub use crate::analyze::Analysis;
pub use cards::*;
pub use channels::*;
pub use checklist::*;
pub use funnel::*;
pub use goals::*;
pub use index::*;
pub use meetings::*;
pub use nav::*;
pub use personas::*;
pub use plan::*;
pub use quarter::*;
pub use report::*;
pub use routes::*;
pub use shared::*;
pub use trend::*;

fn currency<'a>(a: &'a Analysis) -> &'a str {
    &a.project.site.currency
}

fn fig<'a>(a: &'a Analysis, m: Month) -> &'a MonthFigures {
    &a.figures[&m]
}
