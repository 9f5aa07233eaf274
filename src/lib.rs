//! playbook compiles leadership-development playbooks — YAML alignment files
//! and markdown session guides — into a checked, linked static site.
//!
//! The pipeline runs one way, one module per stage:
//!
//! 1. [`load`] — files on disk → raw documents ([`load::RawProgram`]);
//! 2. [`model`] — the typed documents authors write (deserialised via [`yaml`]
//!    and [`markdown`]);
//! 3. [`resolve`] — ids to a checked graph ([`graph::Site`]) plus
//!    [`coverage`] warnings and [`results`] data; every problem is a
//!    [`diagnostics::Diagnostic`];
//! 4. [`render`] — views of the graph built once, then one emitter per
//!    output (HTML pages through the [`theme`]'s Tera templates, static
//!    files, the sitemap, exports, search indexes), a program at a time
//!    into an [`output::Sink`];
//! 5. [`write`](mod@write) — that sink for `build`: files streamed into a
//!    staging folder, which replaces the output folder atomically.
//!
//! [`compile`](mod@compile) runs stages 1–3, all of them or, for `serve`, only what the
//! changed files touch.
//!
//! [`kinds`] holds the facts about each kind of entity and page, [`suggest`]
//! the "did you mean" hints every stage gives.
//!
//! [`serve`] runs the same pipeline in a loop behind a local web server: it
//! keeps the rendered site in memory and rebuilds it when files change.
//!
//! [`cli`] only parses arguments, calls [`compile()`], [`build`] or
//! [`serve::run`], and chooses the exit code.
//!
//! The crate's own surface is small (the re-exports below, for `main`, the
//! integration tests, the benchmarks and the fuzz targets); the modules are
//! `pub(crate)`, and these docs (`cargo doc --document-private-items`)
//! are for the people who work on them.

#![allow(rustdoc::private_intra_doc_links)]

pub(crate) mod brand;
pub(crate) mod cli;
pub(crate) mod compile;
pub(crate) mod config;
pub(crate) mod coverage;
pub(crate) mod diagnostics;
pub(crate) mod drivers;
pub(crate) mod edition;
pub(crate) mod evidence;
pub(crate) mod graph;
pub(crate) mod import;
pub(crate) mod kinds;
pub(crate) mod layout;
pub(crate) mod load;
pub(crate) mod markdown;
pub(crate) mod model;
pub(crate) mod output;
pub(crate) mod raw_html;
pub(crate) mod render;
pub(crate) mod resolve;
pub(crate) mod results;
pub(crate) mod scaffold;
pub(crate) mod schema;
pub(crate) mod serve;
pub(crate) mod suggest;
pub(crate) mod survey;
pub(crate) mod theme;
pub(crate) mod write;
pub(crate) mod yaml;

use std::path::Path;

use serde::Serialize;

// The library's surface: what `main`, the integration tests, the
// benchmarks and the fuzz targets use. Everything else is `pub(crate)`.
pub use cli::main;
pub use compile::{compile, Changed, Compiled, Incremental};
pub use diagnostics::{render_plain, Category, Code};
use graph::Site;
pub use import::{run as import, ImportArgs, Phase, Status as ImportStatus, What};
pub use markdown::options as markdown_options;
pub use output::{OutFile, Output};
pub use render::PageCache;
pub use serve::site::{ServedSite, SiteCache};

/// What a site holds, for the summary line.
#[derive(Debug, Default, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Stats {
    pub programs: usize,
    pub sessions: usize,
    pub competencies: usize,
    pub actions: usize,
    pub signals: usize,
    pub metrics: usize,
}

impl Stats {
    pub fn of(site: &Site) -> Self {
        let mut s = Stats {
            programs: site.programs.len(),
            ..Stats::default()
        };
        for p in &site.programs {
            s.sessions += p.sessions.len();
            s.competencies += p.competencies.len();
            s.actions += p.actions.len();
            s.signals += p.signals.len();
            s.metrics += p.metrics.len();
        }
        s
    }
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = render::format::plural;
        write!(
            f,
            "{}, {}, {}, {}, {}, {}",
            n(self.programs, "program", "programs"),
            n(self.sessions, "session", "sessions"),
            n(self.competencies, "competency", "competencies"),
            n(self.actions, "action", "actions"),
            n(self.signals, "signal", "signals"),
            n(self.metrics, "metric", "metrics"),
        )
    }
}

/// Options of a build beyond `playbook.yaml`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub render: render::RenderOptions,
    /// Output folder; default `output_dir` of `playbook.yaml` under the root.
    pub output: Option<std::path::PathBuf>,
    /// Warnings stop the build too.
    pub strict: bool,
    /// Replace an output folder that holds files playbook did not write
    /// (or is a symbolic link).
    pub force: bool,
}

/// What a build did.
pub struct Built {
    pub compiled: Compiled,
    /// The rendered site, when it was rendered into memory
    /// ([`render_site`], [`render_compiled`]) without errors.
    pub output: Option<output::Output>,
    /// What [`build`] wrote, when it published the site.
    pub published: Option<write::Published>,
    /// What the build tells its user beyond the files (an output left out,
    /// and why), one line each.
    pub notes: Vec<String>,
    /// Where it was (or would have been) written.
    pub dir: std::path::PathBuf,
    /// How long each stage took, in order (`build --timings`).
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

impl Built {
    fn new(compiled: Compiled, root: &Path, opts: &BuildOptions) -> Self {
        let dir = opts
            .output
            .clone()
            .unwrap_or_else(|| root.join(&compiled.site.config.output_dir));
        Built {
            compiled,
            output: None,
            published: None,
            notes: Vec::new(),
            dir,
            timings: Vec::new(),
        }
    }

    /// Record that the stage `name` ended now (it began at `since`); the
    /// next one begins now.
    fn lap(&mut self, name: &'static str, since: &mut std::time::Instant) {
        let now = std::time::Instant::now();
        self.timings.push((name, now - *since));
        *since = now;
    }

    /// Report `d` (an error about the output folder) with the rest.
    fn fail(&mut self, d: diagnostics::Diagnostic) {
        let mut d = diagnostics::finalize(vec![d], &self.compiled.sources);
        self.compiled.diagnostics.append(&mut d);
    }
}

/// Check, render and — only when everything succeeded — publish the site.
/// Pages are written into a staging folder as they are rendered and the
/// folder is swapped into place at the end (see [`write`](mod@write)).
/// Problems (content, templates, I/O) are added to `compiled.diagnostics`.
pub fn build(root: &Path, opts: &BuildOptions) -> Built {
    let mut since = std::time::Instant::now();
    let mut built = Built::new(strict(compile(root), opts), root, opts);
    built.lap("check (load, resolve, coverage)", &mut since);
    if built.compiled.has_errors() {
        return built;
    }
    let sources: Vec<std::path::PathBuf> = built
        .compiled
        .site
        .programs
        .iter()
        .map(|p| p.dir.clone())
        .collect();
    let refused = |r: write::Refused| {
        diagnostics::Diagnostic::error(Code::OutputRefused, r.message, diagnostics::Loc::None)
            .with_hint(r.hint)
    };
    let configured = match &opts.output {
        Some(_) => Ok(()),
        None => write::check_configured_output(root, &built.compiled.site.config.output_dir),
    };
    if let Err(r) =
        configured.and_then(|()| write::check_output_dir(root, &sources, &built.dir, opts.force))
    {
        built.fail(refused(r));
        return built;
    }
    let io_error = |e: std::io::Error, dir: &Path| {
        diagnostics::Diagnostic::error(
            Code::IoError,
            format!("cannot write {}: {e}", dir.display()),
            diagnostics::Loc::None,
        )
    };
    built.lap("output folder checked", &mut since);
    let staging = match write::Staging::begin(&built.dir, !opts.force) {
        Ok(s) => s,
        Err(write::BeginError::Refused(r)) => {
            built.fail(refused(r));
            return built;
        }
        Err(write::BeginError::Io(e)) => {
            let d = io_error(e, &built.dir);
            built.fail(d);
            return built;
        }
    };
    built.lap("staging folder ready", &mut since);
    let Some(notes) = render_into(root, &mut built.compiled, opts, None, &staging) else {
        staging.abort();
        return built;
    };
    built.lap("render and write", &mut since);
    match staging.commit() {
        Ok(p) => {
            built.published = Some(p);
            built.notes = notes;
            built.lap("publish (stale files removed, swapped in)", &mut since);
        }
        Err(e) => {
            let d = io_error(e, &built.dir);
            built.fail(d);
        }
    }
    built
}

/// Check and render into memory, without writing anything.
pub fn render_site(root: &Path, opts: &BuildOptions) -> Built {
    render_compiled(root, compile(root), opts, None)
}

/// Render an already compiled site into memory (when there were no errors),
/// without writing anything. `serve` uses it to choose render options from
/// the compiled configuration, and passes the [`render::PageCache`] it keeps
/// between rebuilds.
pub fn render_compiled(
    root: &Path,
    compiled: Compiled,
    opts: &BuildOptions,
    cache: Option<&mut render::PageCache>,
) -> Built {
    let mut built = Built::new(strict(compiled, opts), root, opts);
    if built.compiled.has_errors() {
        return built;
    }
    let sink = output::Collect::default();
    if let Some(notes) = render_into(root, &mut built.compiled, opts, cache, &sink) {
        built.output = Some(sink.into_output());
        built.notes = notes;
    }
    built
}

/// With `--strict`, warnings are errors.
fn strict(mut compiled: Compiled, opts: &BuildOptions) -> Compiled {
    if opts.strict {
        diagnostics::make_strict(&mut compiled.diagnostics);
    }
    compiled
}

/// Render a compiled site without errors into `sink`: the notes of the
/// render, or `None` when it failed (the problems are added to
/// `compiled.diagnostics`; what `sink` received is then incomplete).
fn render_into(
    root: &Path,
    compiled: &mut Compiled,
    opts: &BuildOptions,
    cache: Option<&mut render::PageCache>,
    sink: &dyn output::Sink,
) -> Option<Vec<String>> {
    let mut diags = Vec::new();
    let theme = theme::load(root, &compiled.site.config.theme, &mut diags);
    let theme_failed = diags
        .iter()
        .any(|d| d.severity == diagnostics::Severity::Error);
    let notes = if theme_failed {
        None
    } else {
        match render::render(
            &compiled.site,
            &theme,
            &compiled.gaps,
            &opts.render,
            cache,
            sink,
        ) {
            Ok(r) => Some(r.notes),
            Err(d) => {
                diags.extend(d);
                None
            }
        }
    };
    if !diags.is_empty() {
        let mut extra = diagnostics::finalize(diags, &compiled.sources);
        compiled.diagnostics.append(&mut extra);
    }
    notes
}
