//! Markdown to HTML with comrak, options in one place: GitHub-flavoured extensions on, raw HTML
//! never passed through, dangerous link schemes dropped, task-list boxes given an accessible name.

use comrak::{markdown_to_html, Options};

fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.tasklist = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.render.r#unsafe = false;
    o.render.escape = true;
    o
}

const CHECKED: &str = "<input type=\"checkbox\" checked=\"\" disabled=\"\" /> ";
const UNCHECKED: &str = "<input type=\"checkbox\" disabled=\"\" /> ";

/// Renders markdown from content files into safe HTML. Headings are moved two levels down
/// (`#` becomes `<h3>`), because the text sits under the page's own `<h1>` and a section
/// `<h2>`; comrak's bare disabled checkboxes become a mark with an accessible name.
pub fn render(md: &str) -> String {
    let html = markdown_to_html(md, &options());
    // One pass over the tags (this runs for every meeting page).
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html.as_str();
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tag = &rest[i..];
        let b = tag.as_bytes();
        let heading = |at: usize| {
            b.len() > at + 1 && b[at] == b'h' && (b'1'..=b'6').contains(&b[at + 1]) && b.get(at + 2) == Some(&b'>')
        };
        if heading(1) || (b.get(1) == Some(&b'/') && heading(2)) {
            let at = if b[1] == b'/' { 2 } else { 1 };
            let level = (b[at + 1] - b'0' + 2).min(6);
            out.push_str(&tag[..at + 1]);
            out.push((b'0' + level) as char);
            out.push('>');
            rest = &tag[at + 3..];
        } else if let Some(after) = tag.strip_prefix(CHECKED) {
            out.push_str("<span class=\"task done\" role=\"img\" aria-label=\"done\">✓</span> ");
            rest = after;
        } else if let Some(after) = tag.strip_prefix(UNCHECKED) {
            out.push_str("<span class=\"task open\" role=\"img\" aria-label=\"not done\">○</span> ");
            rest = after;
        } else {
            out.push('<');
            rest = &tag[1..];
        }
    }
    out.push_str(rest);
    out
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
        assert!(h.contains("<a href=\"https://example.com\">"), "{h}");
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("javascript:"), "{h}");
        assert!(!h.contains("<input"), "{h}");
        assert_eq!(render("# A\n\n## B\n\n###### F"), "<h3>A</h3>\n<h4>B</h4>\n<h6>F</h6>\n");
    }
}
