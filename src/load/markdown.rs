//! What the load stage reads in markdown, and the parser's options the render stage converts
//! it with: one set of options, so `check` and the pages see the same document.

use comrak::nodes::NodeValue;
use comrak::{parse_document, Arena, Options};

/// The parser's options for the note `md`: GitHub's extensions, raw HTML escaped, nothing
/// unsafe let through.
///
/// Footnotes and bare addresses as links cost comrak work on every line and every `w` and `:`
/// of a note, and cannot change a note without what they start with: a footnote is written
/// `[^…`, and an address comrak links is `www.…`, `…://…` or an e-mail address with `@`. They
/// are switched on for the notes that hold those characters only, so every note converts as if
/// they were always on (a unit test compares both ways on notes of every shape).
pub fn options(md: &str) -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.tasklist = true;
    o.extension.strikethrough = true;
    o.extension.autolink = md.contains("www.") || md.contains("://") || md.contains('@');
    o.extension.footnotes = md.contains("[^");
    o.render.escape = true;
    o.render.r#unsafe = false;
    o
}

/// The line of each image in `md` whose address is on another host (`https://…`, `//…`),
/// with its address: the page shows such an image as a link, and `check` says so.
pub fn remote_images(md: &str) -> Vec<(usize, String)> {
    // Every image, inline or by reference, is written `![`: a note without one has none, and
    // is not parsed here (the render stage parses it once, for its page).
    if !md.contains("![") {
        return Vec::new();
    }
    let arena = Arena::new();
    let root = parse_document(&arena, md, &options(md));
    root.descendants()
        .filter_map(|n| match &n.data().value {
            NodeValue::Image(link) if is_remote(&link.url) => Some((n.data().sourcepos.start.line, link.url.clone())),
            _ => None,
        })
        .collect()
}

/// The address as a browser reads its scheme: spaces before it skipped, tabs and line breaks
/// inside it ignored, in lower case (the first 32 characters are enough to know).
pub fn scheme_view(url: &str) -> String {
    url.trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(32)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Whether an image address is not relative to the site: it names a scheme (`https:`, …) or
/// another host (`//…`). Inline pictures (`data:image/png`, …) stay images.
pub fn is_remote(url: &str) -> bool {
    let seen = scheme_view(url).replace('\\', "/");
    if seen.starts_with("//") {
        return true;
    }
    let scheme_len = seen
        .find(':')
        .filter(|&i| i > 0 && seen[..i].chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')));
    match scheme_len {
        Some(_) => !["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"]
            .iter()
            .any(|p| seen.starts_with(p)),
        None => false,
    }
}
