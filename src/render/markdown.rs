//! Markdown to HTML with pulldown-cmark, options in one place: the GitHub-flavoured extensions
//! a team uses in notes (tables, task lists, strikethrough, bare addresses as links), raw HTML
//! never passed through (it shows as text), dangerous link schemes dropped, headings moved under
//! the page's own, task-list boxes given an accessible name.
//!
//! The work is done on the event stream between parser and HTML writer, so nothing is parsed
//! twice and no string is searched after rendering.

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, TextMergeStream};

const OPTIONS: Options = Options::ENABLE_TABLES.union(Options::ENABLE_TASKLISTS).union(Options::ENABLE_STRIKETHROUGH);

/// A ticked task-list box, as a mark with an accessible name.
const DONE: &str = "<span class=\"task done\" role=\"img\" aria-label=\"done\">✓</span> ";
/// An open task-list box.
const OPEN: &str = "<span class=\"task open\" role=\"img\" aria-label=\"not done\">○</span> ";
/// The box a table scrolls in on a narrow screen (the same as the templates' tables).
const SCROLL: &str =
    "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Table, scrolls sideways on small screens\">";

/// Renders markdown from content files into safe HTML. Headings are moved two levels down
/// (`#` becomes `<h3>`), because the text sits under the page's own `<h1>` and a section
/// `<h2>`; a task-list box becomes a mark with an accessible name.
pub fn render(md: &str) -> String {
    let mut events: Vec<Event> = Vec::with_capacity(md.len() / 8);
    // Inside a link, an image or code, text is never turned into a link.
    let mut no_links = 0usize;
    let stream = Parser::new_ext(md, OPTIONS).map(|e| match e {
        // Raw HTML is shown as text: a block of it becomes a paragraph.
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        other => other,
    });
    for event in TextMergeStream::new(stream) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => events.push(Event::Start(Tag::Heading {
                level: lower(level),
                id: None,
                classes: vec![],
                attrs: vec![],
            })),
            Event::End(TagEnd::Heading(level)) => events.push(Event::End(TagEnd::Heading(lower(level)))),
            Event::TaskListMarker(done) => {
                events.push(Event::InlineHtml(CowStr::Borrowed(if done { DONE } else { OPEN })))
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                no_links += 1;
                events.push(Event::Start(Tag::Link { link_type, dest_url: safe_url(dest_url), title, id }));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                no_links += 1;
                events.push(Event::Start(Tag::Image { link_type, dest_url: safe_url(dest_url), title, id }));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                no_links += 1;
                events.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock)) => {
                no_links = no_links.saturating_sub(1);
                events.push(Event::End(end));
            }
            // A table scrolls sideways on a narrow screen instead of widening the page, as the
            // site's own tables do.
            Event::Start(Tag::Table(align)) => {
                events.push(Event::Html(CowStr::Borrowed(SCROLL)));
                events.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Text(text) if no_links == 0 => autolink(text, &mut events),
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(md.len() * 3 / 2 + 64);
    html::push_html(&mut out, events.into_iter());
    out
}

/// `#` (level 1) becomes level 3, and so on; level 6 stays 6.
fn lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// An address a browser would run or read from the reader's disk becomes empty, as GitHub and
/// comrak's safe mode do: `javascript:`, `vbscript:`, `file:`, and `data:` other than images.
/// Browsers ignore tabs and line breaks inside a scheme and spaces before it, so those are
/// ignored here too.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let scheme: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    let image = ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"];
    let dangerous = ["javascript:", "vbscript:", "file:", "data:"].iter().any(|p| scheme.starts_with(p))
        && !image.iter().any(|p| scheme.starts_with(p));
    if dangerous {
        CowStr::Borrowed("")
    } else {
        url
    }
}

/// Pushes `text`, with bare web and mail addresses turned into links the way GitHub does
/// (`https://…`, `http://…`, `www.…`, `name@example.com`).
fn autolink<'a>(text: CowStr<'a>, events: &mut Vec<Event<'a>>) {
    if !(text.contains("://") || text.contains("www.") || text.contains('@')) {
        events.push(Event::Text(text));
        return;
    }
    let s: &str = &text;
    let mut plain_from = 0;
    let mut at = 0;
    let mut pieces: Vec<Event<'a>> = Vec::new();
    while at < s.len() {
        let found = if s.is_char_boundary(at) { address_at(s, at) } else { None };
        match found {
            // A mail address never reaches back into a link already made.
            Some((start, end, href, kind)) if start >= plain_from => {
                if start > plain_from {
                    pieces.push(Event::Text(CowStr::from(s[plain_from..start].to_string())));
                }
                pieces.push(Event::Start(Tag::Link {
                    link_type: kind,
                    dest_url: CowStr::from(href),
                    title: CowStr::Borrowed(""),
                    id: CowStr::Borrowed(""),
                }));
                pieces.push(Event::Text(CowStr::from(s[start..end].to_string())));
                pieces.push(Event::End(TagEnd::Link));
                plain_from = end;
                at = end;
            }
            _ => at += 1,
        }
    }
    if pieces.is_empty() {
        events.push(Event::Text(text));
        return;
    }
    if plain_from < s.len() {
        pieces.push(Event::Text(CowStr::from(s[plain_from..].to_string())));
    }
    events.extend(pieces);
}

/// The address starting at byte `at` of `s`, if one does: (start, end, href, link type).
/// For a mail address `at` is its `@`, and the start lies before it.
fn address_at(s: &str, at: usize) -> Option<(usize, usize, String, LinkType)> {
    let rest = &s[at..];
    let b = s.as_bytes();
    let boundary_before =
        |i: usize| i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r' | b'*' | b'_' | b'~' | b'(');
    let starts = |p: &str| rest.len() >= p.len() && rest.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    if (starts("https://") || starts("http://")) && boundary_before(at) {
        let host = at + rest.find("://")? + 3;
        let end = url_end(s, host)?;
        return Some((at, end, s[at..end].to_string(), LinkType::Autolink));
    }
    if starts("www.") && boundary_before(at) {
        let end = url_end(s, at)?;
        return Some((at, end, format!("http://{}", &s[at..end]), LinkType::Autolink));
    }
    if b[at] == b'@' {
        let local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-' | b'_');
        let mut start = at;
        while start > 0 && local(b[start - 1]) {
            start -= 1;
        }
        if start == at {
            return None;
        }
        let mut end = at + 1;
        while end < b.len() && (b[end].is_ascii_alphanumeric() || matches!(b[end], b'.' | b'-' | b'_')) {
            end += 1;
        }
        while end > at + 1 && b[end - 1] == b'.' {
            end -= 1;
        }
        let domain = &s[at + 1..end];
        if !domain.contains('.') || domain.ends_with(['-', '_']) || domain.starts_with('.') {
            return None;
        }
        // The HTML writer adds `mailto:` to an e-mail link.
        return Some((start, end, s[start..end].to_string(), LinkType::Email));
    }
    None
}

/// Where a web address whose host starts at `host` ends: at white space or `<`, without the
/// trailing punctuation that ends a sentence, an unmatched `)`, or a trailing `&entity;`.
/// None when the host is not a domain as GitHub defines it: labels of letters, digits, `-` and
/// `_`, at least one dot, no `_` in the last two labels.
fn url_end(s: &str, host: usize) -> Option<usize> {
    let rest = &s[host..];
    let mut end = host + rest.find(|c: char| c.is_whitespace() || c == '<').unwrap_or(rest.len());
    loop {
        let tail = &s[host..end];
        let last = tail.chars().last()?;
        let unmatched_paren = last == ')' && tail.matches('(').count() < tail.matches(')').count();
        if unmatched_paren || matches!(last, '?' | '!' | '.' | ',' | ':' | '*' | '_' | '~' | '\'' | '"') {
            end -= 1;
        } else if let Some(amp) = tail.strip_suffix(';').and_then(|t| t.rfind('&')) {
            let name = &tail[amp + 1..tail.len() - 1];
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
                break;
            }
            end = host + amp;
        } else {
            break;
        }
    }
    let domain = &s[host..end];
    let domain = &domain[..domain.find(['/', '?', '#', ':']).unwrap_or(domain.len())];
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    let valid =
        labels.len() >= 2 && labels.iter().all(label_ok) && !labels.iter().rev().take(2).any(|l| l.contains('_'));
    valid.then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gfm_and_safety() {
        let h = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] open\n\n~~old~~ https://example.com\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))");
        assert!(h.contains("<table>"), "{h}");
        assert!(h.contains("aria-label=\"done\""), "{h}");
        assert!(h.contains("aria-label=\"not done\""), "{h}");
        assert!(h.contains("<del>old</del>"), "{h}");
        assert!(h.contains("<a href=\"https://example.com\">https://example.com</a>"), "{h}");
        assert!(!h.contains("<script"), "{h}");
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{h}");
        assert!(!h.contains("javascript:"), "{h}");
        assert!(!h.contains("<input"), "{h}");
        assert_eq!(render("# A\n\n## B\n\n###### F"), "<h3>A</h3>\n<h4>B</h4>\n<h6>F</h6>\n");
    }

    #[test]
    fn raw_html_is_text_everywhere() {
        let h = render("a <b onclick=\"x()\">bold</b> c\n\n<div>\n<img src=x onerror=alert(1)>\n</div>\n");
        assert!(!h.contains("<b "), "{h}");
        assert!(!h.contains("<div"), "{h}");
        assert!(!h.contains("<img"), "{h}");
        assert!(h.contains("&lt;b onclick="), "{h}");
    }

    #[test]
    fn dangerous_schemes_are_dropped_however_written() {
        for link in [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "[x](jav&#x61;script:alert(1))",
            "[x](<java\tscript:alert(1)>)",
            "[x](vbscript:msgbox)",
            "[x](file:///etc/passwd)",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "![x](javascript:alert(1))",
            "<javascript:alert(1)>",
        ] {
            let h = render(link).to_ascii_lowercase();
            let addresses: Vec<&str> = h.split(['"']).skip(1).step_by(2).collect();
            assert!(h.contains("href=\"\"") || h.contains("src=\"\""), "{link} -> {h}");
            assert!(addresses.iter().all(|a| !a.contains(':')), "{link} -> {h}");
        }
        assert!(render("![chart](data:image/png;base64,AAAA)").contains("src=\"data:image/png;base64,AAAA\""));
        assert!(render("[mail](mailto:a@example.com)").contains("href=\"mailto:a@example.com\""));
        assert!(render("[doc](../notes/x.html)").contains("href=\"../notes/x.html\""));
    }

    #[test]
    fn bare_addresses_become_links_as_on_github() {
        let cases = [
            ("See https://example.com/a?b=1.", "<a href=\"https://example.com/a?b=1\">https://example.com/a?b=1</a>."),
            (
                "Visit www.example.com/path, then",
                "<a href=\"http://www.example.com/path\">www.example.com/path</a>, then",
            ),
            ("(see https://example.com/x)", "(see <a href=\"https://example.com/x\">https://example.com/x</a>)"),
            (
                "https://en.wikipedia.org/wiki/Sales_(disambiguation)",
                "<a href=\"https://en.wikipedia.org/wiki/Sales_(disambiguation)\">",
            ),
            (
                "mail ana.silva+crm@example.co.uk now",
                "<a href=\"mailto:ana.silva+crm@example.co.uk\">ana.silva+crm@example.co.uk</a> now",
            ),
            ("www.google.com/search?q=commonmark&hl;", "commonmark\">www.google.com/search?q=commonmark</a>&amp;hl;"),
        ];
        for (md, want) in cases {
            let h = render(md);
            assert!(h.contains(want), "{md} -> {h}");
        }
        for md in ["www. alone", "a @ b", "not-an-email@localhost", "xhttps://example.com", "`https://example.com`"] {
            let h = render(md);
            assert!(!h.contains("<a "), "{md} -> {h}");
        }
        // Inside a link or code, an address stays as written.
        let h = render("[https://example.com](https://example.org)");
        assert_eq!(h.matches("<a ").count(), 1, "{h}");
        let h = render("```\nhttps://example.com\n```");
        assert!(!h.contains("<a "), "{h}");
    }

    /// The examples of the GFM specification's "Autolinks (extension)" section.
    #[test]
    fn autolinks_follow_the_gfm_examples() {
        let link = |href: &str, text: &str| format!("<a href=\"{href}\">{text}</a>");
        let cases = [
            ("www.commonmark.org", link("http://www.commonmark.org", "www.commonmark.org")),
            (
                "Visit www.commonmark.org/help for more information.",
                link("http://www.commonmark.org/help", "www.commonmark.org/help") + " for",
            ),
            ("Visit www.commonmark.org.", link("http://www.commonmark.org", "www.commonmark.org") + ".</p>"),
            (
                "Visit www.commonmark.org/a.b.",
                link("http://www.commonmark.org/a.b", "www.commonmark.org/a.b") + ".</p>",
            ),
            (
                "www.google.com/search?q=Markup+(business)",
                link("http://www.google.com/search?q=Markup+(business)", "www.google.com/search?q=Markup+(business)"),
            ),
            (
                "www.google.com/search?q=Markup+(business)))",
                link("http://www.google.com/search?q=Markup+(business)", "www.google.com/search?q=Markup+(business)")
                    + "))</p>",
            ),
            (
                "(www.google.com/search?q=Markup+(business))",
                "(".to_string()
                    + &link(
                        "http://www.google.com/search?q=Markup+(business)",
                        "www.google.com/search?q=Markup+(business)",
                    )
                    + ")</p>",
            ),
            (
                "www.google.com/search?q=(business))+ok",
                link("http://www.google.com/search?q=(business))+ok", "www.google.com/search?q=(business))+ok"),
            ),
            (
                "www.google.com/search?q=commonmark&hl=en",
                link(
                    "http://www.google.com/search?q=commonmark&amp;hl=en",
                    "www.google.com/search?q=commonmark&amp;hl=en",
                ),
            ),
            ("www.commonmark.org/he<lp", link("http://www.commonmark.org/he", "www.commonmark.org/he") + "&lt;lp"),
            (
                "(Visit https://encrypted.google.com/search?q=Markup+(business))",
                link(
                    "https://encrypted.google.com/search?q=Markup+(business)",
                    "https://encrypted.google.com/search?q=Markup+(business)",
                ) + ")",
            ),
            ("foo@bar.baz", link("mailto:foo@bar.baz", "foo@bar.baz")),
            (
                "hello@mail+xyz.example isn't valid, but hello+xyz@mail.example is.",
                link("mailto:hello+xyz@mail.example", "hello+xyz@mail.example") + " is.",
            ),
            ("a.b-c_d@a.b", link("mailto:a.b-c_d@a.b", "a.b-c_d@a.b")),
            ("a.b-c_d@a.b.", link("mailto:a.b-c_d@a.b", "a.b-c_d@a.b") + ".</p>"),
        ];
        for (md, want) in cases {
            let h = render(md);
            assert!(h.contains(&want), "{md}\n got {h}\nwant {want}");
            assert_eq!(h.matches("<a ").count(), 1, "{md} -> {h}");
        }
        for md in ["hello@mail+xyz.example", "a.b-c_d@a.b-", "a.b-c_d@a.b_", "http://", "www.", "user@"] {
            assert!(!render(md).contains("<a "), "{md} -> {}", render(md));
        }
    }

    proptest::proptest! {
        /// Any text made of the characters autolinks care about renders without a panic, and
        /// never produces a tag from the text itself.
        #[test]
        fn any_text_renders(md in "[wW.@:/()<>&; _*~a-c1h-pt\\[\\]!-]{0,80}") {
            let h = render(&md);
            proptest::prop_assert!(!h.contains("<script"));
        }
    }

    #[test]
    fn task_boxes_and_tables() {
        let h = render("- [x] shipped\n- [ ] pending\n\n| a | b |\n|:--|--:|\n| 1 | 2 |");
        assert!(
            h.contains("<li><span class=\"task done\" role=\"img\" aria-label=\"done\">✓</span> shipped</li>"),
            "{h}"
        );
        assert!(h.contains("<span class=\"task open\" role=\"img\" aria-label=\"not done\">○</span> pending"), "{h}");
        assert!(h.contains("<td style=\"text-align: right\">2</td>"), "{h}");
        assert!(h.contains("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Table, scrolls sideways on small screens\"><table>"), "{h}");
        assert!(h.contains("</table>\n</div>"), "{h}");
    }
}
