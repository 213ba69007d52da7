//! The personas page.

use super::chart::Visuals;
use super::{Analysis, Page, Route};
use serde::Serialize;

/// The personas page.
#[derive(Serialize)]
pub struct PersonasPage<'a> {
    /// Every persona, as written.
    pub personas: &'a [crate::model::Persona],
}

/// The personas page.
pub fn personas_page<'a>(a: &'a Analysis) -> Page<PersonasPage<'a>> {
    Page::new(Route::Personas, a, "Buyer personas", PersonasPage { personas: &a.project.personas })
}

impl Visuals for PersonasPage<'_> {}
