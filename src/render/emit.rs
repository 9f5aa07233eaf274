//! The [`Emitter`] trait: one implementation per output of a build (HTML
//! pages, static files, the sitemap, the exports, …), each adding its files
//! from the views built once for all of them — in the spirit of mdBook's
//! `Renderer`. The render calls every emitter once for the site as a whole
//! and once per program (programs in parallel, each into its own
//! [`Chunk`], which goes to the output as soon as it is complete). Adding
//! an output is one more implementation and one more line in
//! [`super::render`].
//!
//! What an emitter is given is one value: a [`SiteContext`] for the site,
//! a [`ProgramContext`] for a program — as mdBook hands its renderers a
//! `RenderContext` — so that no emitter looks a program up by index.

use serde::Serialize;

use crate::diagnostics::{Code, Diagnostic, Loc};
use crate::output::Chunk;

use crate::graph::Program;

use super::urls::ProgramUrls;
use super::view::site::{ProgramViews, SiteViews};

/// What every emitter is given for the site as a whole.
#[derive(Clone, Copy)]
pub(crate) struct SiteContext<'a> {
    /// The views of the whole site, built once for every output.
    pub site: &'a SiteViews<'a>,
}

/// What every emitter is given for one program.
#[derive(Clone, Copy)]
pub(crate) struct ProgramContext<'a> {
    /// The views of the whole site.
    pub site: &'a SiteViews<'a>,
    /// The program's index in `site.programs` (and in `site.gaps` and
    /// `site.summaries`).
    pub index: usize,
    /// The program as the edition shows it (`site.programs[index]`).
    pub program: &'a Program,
    /// Its views, built once for every output.
    pub views: &'a ProgramViews,
}

impl<'a> ProgramContext<'a> {
    /// The context of published program `index` with its `views`.
    pub(crate) fn new(site: &'a SiteViews<'a>, index: usize, views: &'a ProgramViews) -> Self {
        ProgramContext {
            site,
            index,
            program: &site.programs[index],
            views,
        }
    }

    /// Where the program's files and pages go.
    pub(crate) fn urls(&self) -> ProgramUrls<'a> {
        self.site.urls.program(&self.program.id)
    }
}

/// One output of a build.
pub(crate) trait Emitter: Sync {
    /// Add this output's files that belong to the site as a whole (at its
    /// top: the home page, `sitemap.xml`, …) to `out`.
    fn emit_site(&self, cx: &SiteContext, out: &mut Chunk) -> Result<(), Vec<Diagnostic>> {
        let _ = (cx, out);
        Ok(())
    }

    /// Add this output's files of one program (under `<program>/`) to
    /// `out`. Called for several programs at once. On errors nothing is
    /// published: the whole render fails with them.
    fn emit_program(&self, cx: &ProgramContext, out: &mut Chunk) -> Result<(), Vec<Diagnostic>> {
        let _ = (cx, out);
        Ok(())
    }

    /// What the build should tell its user about this output (one left
    /// out, and why).
    fn note(&self, cx: &SiteContext) -> Option<String> {
        let _ = cx;
        None
    }
}

/// An output file that could not be made — a serializer that failed: an
/// error of the build, as a template that fails is, never an empty file.
pub(crate) fn output_error(file: &str, detail: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        Code::RenderError,
        format!("{file} could not be made: {detail}"),
        Loc::None,
    )
    .with_hint("this is a fault of playbook, not of the site: please report it")
}

/// `value` as the JSON text of output file `file`, pretty or compact, with
/// a final newline; a serializer failure is an [`output_error`].
pub(crate) fn json_file<T: Serialize>(
    file: &str,
    value: &T,
    pretty: bool,
) -> Result<String, Vec<Diagnostic>> {
    let text = match pretty {
        true => serde_json::to_string_pretty(value),
        false => serde_json::to_string(value),
    };
    let mut text = text.map_err(|e| vec![output_error(file, e)])?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::json_file;
    use crate::diagnostics::Code;

    #[test]
    fn json_text_ends_in_a_newline() {
        let v = BTreeMap::from([("a", 1)]);
        assert_eq!(json_file("x.json", &v, false).unwrap(), "{\"a\":1}\n");
        assert_eq!(json_file("x.json", &v, true).unwrap(), "{\n  \"a\": 1\n}\n");
    }

    #[test]
    fn a_serializer_failure_is_an_error_not_an_empty_file() {
        // JSON objects have string keys: a map keyed by pairs fails.
        let v = BTreeMap::from([((1, 2), 3)]);
        let errors = json_file("p/program.json", &v, true).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, Code::RenderError);
        assert!(
            errors[0]
                .message
                .starts_with("p/program.json could not be made: "),
            "{}",
            errors[0].message
        );
    }
}
