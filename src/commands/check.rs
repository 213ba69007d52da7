//! `smarketing check`: load the project and render every page in memory, writing nothing, then
//! print every problem at once (or as JSON) and the exit status.

use super::{refuse, Verbosity};
use crate::cli::Format;
use crate::site::Site;
use crate::{diagnostics, render};
use std::path::Path;

/// Checks the project at `root` as of `as_of`; 1 when it has errors (or warnings with `strict`).
pub fn check(root: &Path, format: Format, strict: bool, as_of: jiff::civil::Date, v: Verbosity) -> u8 {
    let mut site = Site::load(root, as_of, None);
    if !site.has_errors() {
        // Render every page without writing: a template `build` cannot render (an unknown
        // variable, a division by zero, a page past the render budget) fails check too.
        if let Err(diags) = site.build(&render::DiscardSink) {
            site.loaded.diags.extend(diags);
            diagnostics::sort(&mut site.loaded.diags);
        }
    }
    let diags = site.diagnostics();
    let (errors, warnings) = diagnostics::counts(diags);
    match format {
        Format::Json => match diagnostics::to_json(diags) {
            Ok(json) => diagnostics::to_stdout(&(json + "\n")),
            Err(e) => {
                return refuse(
                    &format!("cannot write the diagnostics as JSON: {e}"),
                    "this is a bug in smarketing: please report it",
                )
            }
        },
        Format::Human => {
            if !v.quiet || errors > 0 {
                diagnostics::print_human(diags);
                crate::say!("check: {} ({} content files checked)", diagnostics::summary(diags), site.loaded.files);
            }
        }
    }
    u8::from(errors > 0 || (strict && warnings > 0))
}
