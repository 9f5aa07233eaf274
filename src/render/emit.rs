//! The [`Emitter`] trait: one implementation per output of a build (HTML
//! pages, static files, the sitemap, the exports, …), each adding its files
//! from the views built once for all of them — in the spirit of mdBook's
//! `Renderer`. The render calls every emitter once for the site as a whole
//! and once per program (programs in parallel, each into its own
//! [`Chunk`], which goes to the output as soon as it is complete). Adding
//! an output is one more implementation and one more line in
//! [`super::render`].

use crate::diagnostics::Diagnostic;
use crate::output::Chunk;

use super::view::site::{ProgramViews, SiteViews};

/// One output of a build.
pub trait Emitter: Sync {
    /// What it writes, for messages and profiles ("HTML pages", "sitemap").
    fn name(&self) -> &'static str;

    /// Add this output's files that belong to the site as a whole (at its
    /// top: the home page, `sitemap.xml`, …) to `out`.
    fn emit_site(&self, views: &SiteViews, out: &mut Chunk) -> Result<(), Vec<Diagnostic>> {
        let _ = (views, out);
        Ok(())
    }

    /// Add this output's files of one program (under `<program>/`) to
    /// `out`. Called for several programs at once. On errors nothing is
    /// published: the whole render fails with them.
    /// `pi` is the program's index in `views.programs`.
    fn emit_program(
        &self,
        views: &SiteViews,
        pi: usize,
        program: &ProgramViews,
        out: &mut Chunk,
    ) -> Result<(), Vec<Diagnostic>> {
        let _ = (views, pi, program, out);
        Ok(())
    }

    /// What the build should tell its user about this output (one left
    /// out, and why).
    fn note(&self, views: &SiteViews) -> Option<String> {
        let _ = views;
        None
    }
}
