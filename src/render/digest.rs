//! Renders a digest through the theme's `digest.md` or `digest.txt` template (a project's
//! `templates/` or theme may override either, as any page template).

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
