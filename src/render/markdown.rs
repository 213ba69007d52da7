//! Markdown to HTML with comrak, options in one place: the GitHub-flavoured extensions a team
//! uses in notes (tables, task lists, strikethrough, bare addresses as links, footnotes), raw
//! HTML never passed through (it shows as text), dangerous link schemes emptied by comrak's own
//! filter, headings moved under the page's own without skipping a level, task-list boxes given
//! an accessible name, table alignment as a style (the W3C checker refuses `align`), and an
//! image from another host shown as a link to it (the page never loads from elsewhere).
//!
//! comrak's parser is linear in the note's size (a 1 MB note of any shape renders in well under
//! a second), and the changes are made in its formatter hook, so nothing is parsed twice and no
//! string is searched after rendering.

use std::fmt::{self, Write};

use comrak::html::{dangerous_url, format_document_with_formatter, format_node_default, ChildRendering, Context};
use comrak::nodes::{AstNode, NodeValue, TableAlignment};
use comrak::options::Plugins;
use comrak::{parse_document, Arena};

use crate::load::markdown::{is_remote, options, scheme_view};

/// A ticked task-list box, as a mark with an accessible name.
const DONE: &str = "<span class=\"task done\" role=\"img\" aria-label=\"done\">✓</span> ";
/// An open task-list box.
const OPEN: &str = "<span class=\"task open\" role=\"img\" aria-label=\"not done\">○</span> ";
/// The box a table scrolls in on a narrow screen (the same as the templates' tables).
const SCROLL: &str =
    "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Table, scrolls sideways on small screens\">";
/// The heading level a note's top heading gets: the page has its `<h1>` and the note sits in a
/// section under an `<h2>`.
const TOP_HEADING: u8 = 3;

/// What the formatter remembers while it walks one note.
#[derive(Default)]
struct State {
    /// The open headings: (level written in the note, level written to the page).
    headings: Vec<(u8, u8)>,
    /// The index of the next cell in the table row being written.
    cell: usize,
}

/// Renders markdown from content files into safe HTML. The note's headings sit under the page's
/// section heading: the first level the note uses becomes `<h3>`, and each deeper level one
/// more, without gaps (`#` then `###` gives `<h3>` then `<h4>`), at most `<h6>`.
pub fn render(md: &str) -> String {
    render_with(md, &options(md))
}

/// [`render`] with the parser's options given.
fn render_with(md: &str, options: &comrak::Options) -> String {
    let arena = Arena::new();
    let root = parse_document(&arena, md, options);
    // A footnote links back to its first reference only: one back link per use would let a
    // note of 1 MB of `[^1]` write 70 MB of page.
    for node in root.children() {
        if let NodeValue::FootnoteDefinition(ref mut def) = node.data_mut().value {
            def.total_references = def.total_references.min(1);
        }
    }
    let mut out = String::with_capacity(md.len() * 3 / 2 + 64);
    let plugins = Plugins::default();
    // Writing to a String cannot fail.
    let _ = format_document_with_formatter(root, options, &mut out, &plugins, format, State::default());
    out
}

/// comrak's formatter, changed where the page needs it; every other node is written as comrak
/// writes it.
fn format<'a>(cx: &mut Context<State>, node: &'a AstNode<'a>, entering: bool) -> Result<ChildRendering, fmt::Error> {
    match node.data().value {
        NodeValue::Heading(ref h) => {
            if entering {
                let level = h.level;
                while cx.user.headings.last().is_some_and(|&(written, _)| written >= level) {
                    cx.user.headings.pop();
                }
                let shown = cx.user.headings.last().map_or(TOP_HEADING, |&(_, shown)| shown + 1).min(6);
                cx.user.headings.push((level, shown));
                cx.cr()?;
                write_tag(cx, "<h", shown)?;
            } else {
                let shown = cx.user.headings.last().map_or(TOP_HEADING, |&(_, shown)| shown);
                write_tag(cx, "</h", shown)?;
                cx.lf()?;
            }
            Ok(ChildRendering::HTML)
        }
        NodeValue::TaskItem(ref item) => {
            let in_list = node.parent().is_some_and(|p| matches!(p.data().value, NodeValue::List(_)));
            if entering {
                cx.cr()?;
                if in_list {
                    cx.write_str("<li>")?;
                }
                cx.write_str(if item.symbol.is_some() { DONE } else { OPEN })?;
            } else if in_list {
                cx.write_str("</li>")?;
                cx.lf()?;
            }
            Ok(ChildRendering::HTML)
        }
        // A table scrolls sideways on a narrow screen instead of widening the page, as the
        // site's own tables do.
        NodeValue::Table(_) => {
            if entering {
                cx.cr()?;
                cx.write_str(SCROLL)?;
                cx.write_str("<table>")?;
                cx.lf()?;
                Ok(ChildRendering::HTML)
            } else {
                format_node_default(cx, node, entering)?;
                cx.write_str("</div>\n")?;
                Ok(ChildRendering::HTML)
            }
        }
        NodeValue::TableRow(_) => {
            cx.user.cell = 0;
            format_node_default(cx, node, entering)
        }
        NodeValue::TableCell => table_cell(cx, node, entering),
        NodeValue::Link(ref link) => {
            if entering {
                open_link(cx, &link.url, &link.title)?;
            } else {
                cx.write_str("</a>")?;
            }
            Ok(ChildRendering::HTML)
        }
        // An image from another host would be loaded by every reader's browser (a tracking
        // pixel): it becomes a link to it, named by its alt text.
        NodeValue::Image(ref link) if is_remote(&link.url) => {
            if entering {
                open_link(cx, &link.url, &link.title)?;
                Ok(ChildRendering::Plain)
            } else {
                cx.write_str("</a>")?;
                Ok(ChildRendering::HTML)
            }
        }
        // Raw HTML is shown as text: a block of it becomes a paragraph.
        NodeValue::HtmlBlock(ref block) => {
            if entering {
                cx.cr()?;
                cx.write_str("<p>")?;
                cx.escape(block.literal.trim_end_matches('\n'))?;
                cx.write_str("</p>")?;
                cx.lf()?;
            }
            Ok(ChildRendering::HTML)
        }
        _ => format_node_default(cx, node, entering),
    }
}

/// Writes `<hN>` or `</hN>` (`open` is `<h` or `</h`, `level` 1 to 6) without the formatting
/// machinery `write!` runs for every heading of every note.
fn write_tag(cx: &mut Context<State>, open: &str, level: u8) -> fmt::Result {
    cx.write_str(open)?;
    cx.write_char(char::from(b'0' + level.min(9)))?;
    cx.write_char('>')
}

/// A table cell, its column's alignment written as a style.
fn table_cell<'a>(
    cx: &mut Context<State>,
    node: &'a AstNode<'a>,
    entering: bool,
) -> Result<ChildRendering, fmt::Error> {
    let row = node.parent();
    let header = row.is_some_and(|r| matches!(r.data().value, NodeValue::TableRow(true)));
    if !entering {
        cx.write_str(if header { "</th>" } else { "</td>" })?;
        return Ok(ChildRendering::HTML);
    }
    let align = row.and_then(|r| r.parent()).and_then(|t| match &t.data().value {
        NodeValue::Table(table) => table.alignments.get(cx.user.cell).copied(),
        _ => None,
    });
    cx.user.cell += 1;
    cx.cr()?;
    cx.write_str(if header { "<th" } else { "<td" })?;
    match align {
        Some(TableAlignment::Left) => cx.write_str(" style=\"text-align: left\"")?,
        Some(TableAlignment::Right) => cx.write_str(" style=\"text-align: right\"")?,
        Some(TableAlignment::Center) => cx.write_str(" style=\"text-align: center\"")?,
        _ => {}
    }
    cx.write_str(">")?;
    Ok(ChildRendering::HTML)
}

/// Writes `<a href="…" title="…">`, the address emptied when a browser would run it or read
/// from the reader's disk.
fn open_link(cx: &mut Context<State>, url: &str, title: &str) -> fmt::Result {
    cx.write_str("<a href=\"")?;
    if safe_link(url) {
        cx.escape_href(url)?;
    }
    if !title.is_empty() {
        cx.write_str("\" title=\"")?;
        cx.escape(title)?;
    }
    cx.write_str("\">")
}

/// Whether a link may keep its address: not one comrak's filter calls dangerous
/// (`javascript:`, `vbscript:`, `file:`, `data:` other than images), and no `data:` at all, since
/// a link to inline data is a way to smuggle a page in.
fn safe_link(url: &str) -> bool {
    let seen = scheme_view(url);
    !dangerous_url(&seen) && !seen.starts_with("data:")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every note converts as it would with every extension on: the options leave out only
    /// what the note gives no way in to.
    #[test]
    fn a_note_converts_the_same_with_the_extensions_it_cannot_use_left_out() {
        let mut notes: Vec<String> = [
            "plain text with w and ww and : and :: and wwwx and WWW.example.com and example.com",
            "a [x] link-ish [^ spaced] ^1 [ ^1] ]^[ and [note](#a) and ![img](a.png)",
            "http:/one-slash ftp:x mailto:nobody xmpp:nobody file:x javascript:x",
            "*w*w_w_ **w:w** ~~w~~ `w:` <w:x> <https://x.example> \\: \\w",
            "| a | b |\n|---|:-:|\n| w: | ww |\n\n- [x] done w\n- [ ] open :\n\n# H\n\n###### F",
            "Setext w\n===\n\nand w\n---\n\n> quote w: x\n\n    code w:\n\n```\nfenced w://\n```",
            "1. one\n2. two w\n\n[ref]: /x \"w: title\"\n\n[ref] and [ref][] w",
            "www.example.com and https://example.com/a?b=c and me@example.com and [^1]\n\n[^1]: w",
            "trailing www. and a://b and @ alone",
            "see https://example.com/x today",
            "mail me@example.com or ftp://files.example.com/x",
            "see www.example.com",
            "a note[^1] with a footnote\n\n[^1]: the footnote",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // And every note of the project's own fixtures and examples.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["tests/fixtures", "examples", "content"] {
            for e in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                if e.path().extension().is_some_and(|x| x == "md") {
                    notes.push(std::fs::read_to_string(e.path()).unwrap_or_default());
                }
            }
        }
        assert!(notes.len() > 50, "the fixtures' notes were found");
        let mut all = options("");
        all.extension.autolink = true;
        all.extension.footnotes = true;
        for md in &notes {
            assert_eq!(render(md), render_with(md, &all), "{md}");
        }
    }

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
        // Headings nest under the page's section heading without skipping a level.
        assert_eq!(render("# A\n\n## B\n\n###### F"), "<h3>A</h3>\n<h4>B</h4>\n<h5>F</h5>\n");
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

    /// The tags the renderer may write; anything else in the output came from the note.
    const TAGS: [&str; 28] = [
        "a",
        "p",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "em",
        "strong",
        "del",
        "code",
        "pre",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "div",
        "span",
        "img",
        "br",
        "hr",
        "sup",
        "section",
    ];

    /// Pieces a note is built of in the property test: the openings of every attack that the
    /// renderer must defuse, and markdown that makes links, images and tags around them.
    fn piece() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            prop::sample::select(vec![
                "<script>",
                "</script>",
                "<img src=x onerror=alert(1)>",
                "<a href=\"javascript:x\">",
                "javascript:",
                "JaVaScRiPt:",
                "vbscript:",
                "data:text/html,",
                "file:///",
                "[",
                "]",
                "(",
                ")",
                "![",
                "<",
                ">",
                "\"",
                "&#x61;",
                "&lt;",
                "\t",
                "\n",
                "\n\n",
                "`",
                "*",
                "_",
                "~~",
                "- [x] ",
                "| a |\n|--|\n",
                "[^1]",
                "[^1]: ",
                "https://",
                "www.",
                "@",
                ".example",
                "//",
                "# ",
                "> ",
            ])
            .prop_map(String::from),
            "[a-z ]{0,4}",
        ]
    }

    proptest::proptest! {
        /// Notes made of attack pieces (`<script>`, `javascript:`, raw tags, links, images)
        /// render without a panic, write only the renderer's own tags, and never keep an
        /// address a browser would run.
        #[test]
        fn any_text_renders(pieces in proptest::collection::vec(piece(), 0..24)) {
            let md = pieces.concat();
            let h = render(&md);
            let lower = h.to_ascii_lowercase();
            for tag in lower.split('<').skip(1) {
                let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                proptest::prop_assert!(TAGS.contains(&name.as_str()), "tag <{}> in {:?} -> {}", name, md, h);
            }
            for attr in ["href=\"", "src=\""] {
                for value in lower.split(attr).skip(1) {
                    let value: String = value.chars().take_while(|&c| c != '"').filter(|c| !c.is_whitespace()).collect();
                    let bad = ["javascript:", "vbscript:", "file:", "data:"].iter().any(|p| value.starts_with(p));
                    proptest::prop_assert!(!bad, "{}{} in {:?} -> {}", attr, value, md, h);
                }
            }
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

    #[test]
    fn headings_nest_without_gaps() {
        // A note that starts at `##` still starts right under the page's section heading.
        assert_eq!(render("## A\n\n#### B\n\n## C"), "<h3>A</h3>\n<h4>B</h4>\n<h3>C</h3>\n");
        // A jump from `#` to `###` becomes one level; coming back up closes the deeper ones.
        assert_eq!(
            render("# A\n\n### B\n\n###### C\n\n## D\n\nE\n---"),
            "<h3>A</h3>\n<h4>B</h4>\n<h5>F</h5>\n".replace("F", "C") + "<h4>D</h4>\n<h4>E</h4>\n"
        );
        // Nothing goes past h6.
        assert!(render("# 1\n## 2\n### 3\n#### 4\n##### 5\n###### 6").ends_with("<h6>5</h6>\n<h6>6</h6>\n"));
    }

    #[test]
    fn footnotes_render() {
        let h = render("Pipeline up 12%[^src].\n\n[^src]: CRM export of 2025-03-31.\n");
        assert!(h.contains("<sup class=\"footnote-ref\"><a href=\"#fn-src\" id=\"fnref-src\""), "{h}");
        assert!(h.contains("<section class=\"footnotes\""), "{h}");
        assert!(h.contains("<li id=\"fn-src\">\n<p>CRM export of 2025-03-31."), "{h}");
        assert!(h.contains("href=\"#fnref-src\""), "{h}");
        // Used three times, it links back once.
        let h = render("a[^n] b[^n] c[^n]\n\n[^n]: note");
        assert_eq!(h.matches("<sup class=\"footnote-ref\">").count(), 3, "{h}");
        assert_eq!(h.matches("class=\"footnote-backref\"").count(), 1, "{h}");
    }

    #[test]
    fn remote_images_become_links() {
        for md in [
            "![pixel](https://tracker.example/p.gif)",
            "![pixel](//tracker.example/p.gif)",
            "![pixel](HTTP://x.example/a)",
        ] {
            let h = render(md);
            assert!(!h.contains("<img"), "{md} -> {h}");
            assert!(h.contains("\">pixel</a>"), "{md} -> {h}");
        }
        assert_eq!(
            render("![the *chart*](https://x.example/c.png \"Q1\")"),
            "<p><a href=\"https://x.example/c.png\" title=\"Q1\">the chart</a></p>\n"
        );
        // An image of the site itself stays an image.
        assert!(render("![chart](../static/c.png)").contains("<img src=\"../static/c.png\" alt=\"chart\" />"));
        assert_eq!(
            crate::load::markdown::remote_images(
                "Intro\n\n![a](https://x.example/a.png) and ![b](b.png)\n\n![c](//y.example/c)"
            ),
            vec![(3, "https://x.example/a.png".to_string()), (5, "//y.example/c".to_string())]
        );
    }

    #[test]
    fn data_links_are_emptied() {
        for md in ["[x](data:image/png;base64,AAAA)", "[x](DATA:text/plain,hi)", "[x](<data:\timage/gif,x>)"] {
            assert!(render(md).contains("href=\"\""), "{md} -> {}", render(md));
        }
    }

    /// Inputs that make a naive parser quadratic or worse; each must finish (in release
    /// builds each takes milliseconds: see BENCHMARKS.md).
    #[test]
    fn pathological_notes_render() {
        const MB: usize = 1 << 20;
        let parens = format!("https://a.example/{}", ")".repeat(100_000));
        assert!(render(&parens).contains("<a href=\"https://a.example/\">"));
        let fill = |unit: &str| unit.repeat(MB / unit.len());
        let shapes = [
            fill("["),
            fill("[a](") + &fill(")"),
            fill("*a_"),
            fill("**_"),
            fill("`a``"),
            (1..2000).map(|n| "`".repeat(n) + " ").collect::<String>(),
            fill("- "),
            fill("  - a\n"),
            fill(">"),
            fill("> a\n"),
            fill("[a]: /u\n") + &fill("[a] "),
            (0..40_000).map(|i| format!("[r{i}]: /u{i}\n")).collect::<String>() + &fill("[r1][r2] "),
            fill("www.a.example/"),
            fill("a@b.example "),
            fill("<a "),
            fill("| a "),
            fill("[^1]") + "\n\n[^1]: x",
        ];
        for (i, md) in shapes.iter().enumerate() {
            // Under a second each in a release build (SECURITY.md); the bound here is for a
            // debug build on a busy machine, and still fails a quadratic parser (hours on 1 MB)
            // instead of hanging CI.
            let started = std::time::Instant::now();
            let h = render(md);
            assert!(!h.is_empty());
            let took = started.elapsed();
            assert!(took < std::time::Duration::from_secs(30), "shape {i} took {took:?}");
        }
    }
}
