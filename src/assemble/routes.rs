//! Routes: where each page sits and the links between pages.

use super::chart::{Visitor, Visuals};
use crate::model::calendar::Month;
use serde::Serialize;

/// Relative prefix from a page at `depth` folders below the site root.
pub fn root_prefix(depth: usize) -> String {
    "../".repeat(depth)
}

/// Percent-encodes a path segment for use in an `href`.
pub fn href_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The link to a month's report from the site root.
pub fn report_href(m: Month) -> String {
    format!("reports/{m}/index.html")
}

/// The link to a meeting's page from the site root.
pub fn meeting_href(slug: &str) -> String {
    format!("meetings/{}/index.html", href_segment(slug))
}

/// A page's template context: where it sits (the prefix back to the site root), its key in
/// the navigation, its title, and its own data.
#[derive(Serialize)]
pub struct Page<T> {
    /// `../` once per folder below the site root.
    pub root: String,
    /// The navigation entry the page marks as current.
    pub page_key: &'static str,
    /// The page's title.
    pub page_title: String,
    /// The page's own data.
    #[serde(flatten)]
    pub body: T,
}

impl<T> Page<T> {
    /// A page `depth` folders below the site root.
    pub fn new(depth: usize, key: &'static str, title: impl Into<String>, body: T) -> Self {
        Page { root: root_prefix(depth), page_key: key, page_title: title.into(), body }
    }
}

impl<T: Visuals> Visuals for Page<T> {
    fn visit(&mut self, v: &mut dyn Visitor) {
        self.body.visit(v);
    }
}
