//! The [`Emitter`] trait: one implementation per output of a build (HTML
//! pages, static files, the sitemap, …), each appending its files to the
//! shared in-memory [`Output`] from the views built once for all of them —
//! in the spirit of mdBook's `Renderer`. Adding an output is one more
//! implementation and one more line in [`super::render`].

use crate::diagnostics::Diagnostic;
use crate::output::Output;

use super::view::site::SiteViews;

/// One output of a build.
pub trait Emitter {
    /// What it writes, for messages and profiles ("HTML pages", "sitemap").
    fn name(&self) -> &'static str;

    /// Add this output's files to `out`. On errors nothing is published:
    /// the whole render fails with them.
    fn emit(&mut self, views: &SiteViews, out: &mut Output) -> Result<(), Vec<Diagnostic>>;
}
