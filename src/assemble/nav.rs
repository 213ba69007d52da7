//! The site-wide navigation.

use super::{Analysis, Route};
use serde::Serialize;

/// An entry of the site-wide navigation.
#[derive(Serialize)]
pub struct NavItem {
    /// Its words.
    pub label: &'static str,
    /// Its link from the site root.
    pub href: String,
    /// The `page_key` of the page it leads to.
    pub key: &'static str,
}

/// The site-wide navigation: label, link from the site root, and the key pages compare with
/// their `page_key` to mark the current entry; links and keys come from the route table.
pub fn nav(a: &Analysis) -> Vec<NavItem> {
    let mut items = vec![("Overview", Route::Index)];
    if let Some(latest) = a.latest {
        items.push(("Latest report", Route::Report(latest)));
    }
    items.extend([
        ("Funnel", Route::Funnel),
        ("Goals", Route::Goals),
        ("Meetings", Route::Meetings),
        ("Checklist", Route::Checklist),
        ("Actions", Route::Actions),
    ]);
    if !a.project.personas.is_empty() {
        items.push(("Personas", Route::Personas));
    }
    items.push(("Glossary", Route::Glossary));
    items
        .into_iter()
        .map(|(label, route)| NavItem { label, href: route.href(a.project), key: route.nav_key(a) })
        .collect()
}
