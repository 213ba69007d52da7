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

/// Renders markdown from content files into safe HTML. Headings are moved two levels down
/// (`#` becomes `<h3>`), because the text sits under the page's own `<h1>` and a section `<h2>`.
pub fn render(md: &str) -> String {
    let mut html = markdown_to_html(md, &options());
    if html.contains("<h") {
        for level in (1..=6).rev() {
            let to = (level + 2).min(6);
            html = html
                .replace(&format!("<h{level}>"), &format!("<h{to}>"))
                .replace(&format!("</h{level}>"), &format!("</h{to}>"));
        }
    }
    // comrak writes bare disabled checkboxes; give each state a name screen readers announce.
    html.replace(
        "<input type=\"checkbox\" checked=\"\" disabled=\"\" /> ",
        "<span class=\"task done\" role=\"img\" aria-label=\"done\">✓</span> ",
    )
    .replace(
        "<input type=\"checkbox\" disabled=\"\" /> ",
        "<span class=\"task open\" role=\"img\" aria-label=\"not done\">○</span> ",
    )
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
