//! Renders a digest through the theme's `digest.md`, `digest.txt` or `digest.html` template (a
//! project's `templates/` or theme may override each, as any page template), and puts the
//! text, the HTML and the charts together as an e-mail.

use crate::assemble::digest::Digest;
use crate::diagnostics::Diagnostic;
use crate::load::templates;

/// The digest rendered by template `name` (`digest.md` or `digest.txt`), or the template's
/// errors at its file and line.
pub fn render_digest(parsed: &templates::Templates, name: &str, digest: &Digest) -> Result<String, Vec<Diagnostic>> {
    let context = tera::Context::from_serialize(digest)
        .map_err(|e| templates::template_diagnostics(&e, &parsed.files, &parsed.sources))?;
    let bytes = super::render_file(&parsed.tera, parsed, name, &context, name, super::budget::page_time())?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    // One blank line at most between blocks, and one line end at the end, whatever the
    // template's spacing around its tags.
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() && blank > 0 {
            out.push('\n');
        }
        blank = 0;
        out.push_str(line);
        out.push('\n');
    }
    Ok(out)
}

/// What `digest.html` reads: the digest and its commentary as HTML.
#[derive(serde::Serialize)]
struct HtmlView<'a> {
    #[serde(flatten)]
    digest: &'a Digest,
    /// The commentary's first paragraph as HTML, or `None`.
    commentary_html: Option<String>,
}

/// The commentary's first paragraph as HTML for the e-mail: the markdown rendered as on the
/// report, unless that would show an image, which in an e-mail is either a remote resource or
/// a broken one; then its text, escaped.
fn commentary_html(md: &str) -> String {
    let html = super::markdown::render(md);
    if html.contains("<img") {
        let escaped = md.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        format!("<p>{escaped}</p>")
    } else {
        html
    }
}

/// The digest as a MIME message: `digest.txt` as its text, `digest.html` as its HTML, and a
/// PNG per chart, or the templates' errors (or a chart that could not be drawn).
pub fn render_email(
    parsed: &templates::Templates,
    digest: &Digest,
    envelope: &super::email::Envelope,
) -> Result<String, Vec<Diagnostic>> {
    let text = render_digest(parsed, "digest.txt", digest)?;
    let view = HtmlView { digest, commentary_html: digest.commentary.as_deref().map(commentary_html) };
    let context = tera::Context::from_serialize(&view)
        .map_err(|e| templates::template_diagnostics(&e, &parsed.files, &parsed.sources))?;
    let bytes =
        super::render_file(&parsed.tera, parsed, "digest.html", &context, "digest.html", super::budget::page_time())?;
    let html = String::from_utf8_lossy(&bytes);
    let mut images = Vec::new();
    for c in &digest.charts {
        let png = super::png::bar_chart(&c.values, &c.current).map_err(|e| {
            vec![Diagnostic::file_level(
                crate::diagnostics::Severity::Error,
                "digest.html",
                format!("the chart of {} could not be drawn: {e}", c.label),
                None,
            )]
        })?;
        images.push(super::email::Image { cid: c.cid.clone(), file: c.file.clone(), png });
    }
    Ok(super::email::message(envelope, &text, &html, &images))
}
