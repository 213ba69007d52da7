//! What `feed.xml` and `sitemap.xml` show. Their templates are the theme's (autoescaped like
//! every `.xml` template); the text here is made safe for XML 1.0 first.

use super::{href_segment, report_href, Analysis};
use crate::model::calendar::Month;
use serde::Serialize;

/// Text as XML 1.0 allows it: characters XML forbids (C0 controls other than tab and line
/// breaks, unpaired surrogates cannot occur in Rust strings, U+FFFE and U+FFFF) become U+FFFD,
/// so `feed.xml` and `sitemap.xml` stay well-formed whatever the content holds. Escaping is the
/// template's (autoescaped, like every `.xml` template).
pub fn xml_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// Joins a base URL and a site path.
fn absolute(base: &str, path: &str) -> String {
    format!("{}/{}", base.trim_end_matches('/'), path)
}

/// One entry of the feed: a monthly report.
#[derive(Serialize)]
pub struct FeedEntry {
    /// "Alignment report, October 2026".
    pub title: String,
    /// The report's address.
    pub url: String,
    /// Its end day as an Atom timestamp.
    pub updated: String,
    /// Its meetings, action items and checklist in one sentence.
    pub summary: String,
}

/// The feed.
#[derive(Serialize)]
pub struct Feed {
    /// The site's title.
    pub title: String,
    /// The overview's address.
    pub home: String,
    /// The feed's own address.
    pub self_url: String,
    /// The newest entry's timestamp.
    pub updated: Option<String>,
    /// The organisation, or the site's title.
    pub author: String,
    /// Newest first.
    pub entries: Vec<FeedEntry>,
}

/// The context of `feed.xml`.
#[derive(Serialize)]
pub struct FeedPage {
    /// The feed.
    pub feed: Feed,
}

/// What `feed.xml` shows (an Atom feed with one entry per monthly report, newest first).
pub fn feed(a: &Analysis, base: &str) -> FeedPage {
    let p = a.project;
    // A month's entry is as new as its end day: the as-of date while it is in progress.
    let updated = |m: Month| format!("{}T00:00:00Z", a.figures[&m].end_day);
    let entries = a
        .months
        .iter()
        .rev()
        .map(|m| {
            let f = &a.figures[m];
            let met = f.checklist.iter().filter(|c| c.met).count();
            FeedEntry {
                title: format!("Alignment report, {}", m.long_name()),
                url: xml_text(&absolute(base, &report_href(*m))),
                updated: updated(*m),
                summary: format!(
                    "{} meetings; {} open and {} overdue action items; {} of {} checklist items met.",
                    f.meetings.len(),
                    f.actions.open,
                    f.actions.overdue,
                    met,
                    f.checklist.len()
                ),
            }
        })
        .collect();
    FeedPage {
        feed: Feed {
            title: xml_text(&p.site.title),
            home: xml_text(&absolute(base, "index.html")),
            self_url: xml_text(&absolute(base, "feed.xml")),
            updated: a.months.last().map(|m| updated(*m)),
            author: xml_text(p.site.organization.as_deref().unwrap_or(&p.site.title)),
            entries,
        },
    }
}

/// The sitemap's addresses.
#[derive(Serialize)]
pub struct Sitemap {
    /// The address of every HTML page.
    pub urls: Vec<String>,
}

/// The context of `sitemap.xml`.
#[derive(Serialize)]
pub struct SitemapPage {
    /// The sitemap.
    pub sitemap: Sitemap,
}

/// What `sitemap.xml` lists: the address of every HTML page (paths from the site root).
pub fn sitemap(pages: &[String], base: &str) -> SitemapPage {
    let urls = pages
        .iter()
        .map(|p| {
            let href: String = p.split('/').map(href_segment).collect::<Vec<_>>().join("/");
            xml_text(&absolute(base, &href))
        })
        .collect();
    SitemapPage { sitemap: Sitemap { urls } }
}
