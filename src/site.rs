//! The pipeline as one value, used by `check`, `build` and `serve` alike: [`Site::load`] reads
//! and checks a project (the load stage, then the route table's output checks), and
//! [`Site::build`] analyzes it once, assembles and renders every page and hands each file to a
//! sink (a staging folder for `build`, memory for `serve`).

use crate::analyze::Analysis;
use crate::assemble::routes;
use crate::diagnostics::{self, Diagnostic};
use crate::load::templates::{self, StaticSource};
use crate::load::{self, Loaded};
use crate::render::{self, Sink};
use std::collections::BTreeMap;
use std::path::Path;

/// A project read and checked, ready to build.
pub struct Site {
    /// The project and every diagnostic about it, sorted.
    pub loaded: Loaded,
    /// The static files of the theme and the project, by output path (walked once).
    statics: BTreeMap<String, StaticSource>,
    /// The address the site is published at, when known (for `feed.xml` and `sitemap.xml`).
    base_url: Option<String>,
}

impl Site {
    /// Reads and checks the project at `root` as of `as_of`: every file, the templates, the
    /// static files, and the output paths of the route table (two sources for one path, a file
    /// where the site needs a folder). `base_url` is `--base-url`, when given.
    pub fn load(root: &Path, as_of: jiff::civil::Date, base_url: Option<&str>) -> Site {
        let mut loaded = load::load(root, as_of);
        let (statics, static_diags) = templates::static_files(root, &loaded.project.site.theme);
        // The route table's checks need a whole model: with errors, its pages are not known.
        let model_complete = !loaded.has_errors();
        loaded.diags.extend(static_diags);
        if model_complete {
            loaded.diags.extend(routes::output_diagnostics(root, &loaded.project, &statics, base_url));
        }
        diagnostics::sort(&mut loaded.diags);
        Site { loaded, statics, base_url: base_url.map(str::to_string) }
    }

    /// Every error and warning, sorted by file and position.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.loaded.diags
    }

    /// Whether any diagnostic is an error (then the site is not built).
    pub fn has_errors(&self) -> bool {
        self.loaded.has_errors()
    }

    /// Analyzes the project once, renders every file of the site and hands each to `sink`.
    /// Returns the number of pages.
    pub fn build(&self, sink: &dyn Sink) -> Result<usize, Vec<Diagnostic>> {
        let analysis = Analysis::new(&self.loaded.project, self.loaded.files);
        render::render_into(&analysis, self.loaded.templates.as_ref(), &self.statics, self.base_url.as_deref(), sink)
    }
}
