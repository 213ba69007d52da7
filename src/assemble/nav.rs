//! The site-wide navigation.

use super::{actions, report_href, Analysis};
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
/// their `page_key` to mark the current entry.
pub fn nav(a: &Analysis) -> Vec<NavItem> {
    let mut items = vec![("Overview", "index.html".to_string(), "home")];
    if let Some(latest) = a.latest {
        items.push(("Latest report", report_href(latest), "report"));
    }
    items.extend([
        ("Funnel", "funnel/index.html".to_string(), "funnel"),
        ("Goals", "goals/index.html".to_string(), "goals"),
        ("Meetings", "meetings/index.html".to_string(), "meetings"),
        ("Checklist", "checklist/index.html".to_string(), "checklist"),
        ("Actions", actions::ACTIONS_HREF.to_string(), "actions"),
    ]);
    if !a.project.personas.is_empty() {
        items.push(("Personas", "personas/index.html".to_string(), "personas"));
    }
    items.push(("Glossary", "glossary/index.html".to_string(), "glossary"));
    items.into_iter().map(|(label, href, key)| NavItem { label, href, key }).collect()
}
