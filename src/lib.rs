//! playbook compiles leadership-development playbooks — YAML alignment files
//! and markdown session guides — into a checked, linked static site.
//!
//! The pipeline runs one way, one module per stage:
//!
//! 1. [`load`] — files on disk → raw documents ([`load::RawSite`]);
//! 2. [`model`] — the typed documents authors write (deserialised via [`yaml`]
//!    and [`markdown`]);
//! 3. [`resolve`] — ids to a checked graph ([`graph::Site`]) plus
//!    [`coverage`] warnings and [`results`] data; every problem is a
//!    [`diagnostics::Diagnostic`];
//! 4. [`render`] — views of the graph built once, then one emitter per
//!    output (HTML pages through the [`theme`]'s Tera templates, static
//!    files, the sitemap), in memory ([`output::Output`]);
//! 5. [`write`](mod@write) — the output folder, replaced atomically.
//!
//! [`kinds`] holds the facts about each kind of entity and page, [`suggest`]
//! the "did you mean" hints every stage gives.
//!
//! [`serve`] runs the same pipeline in a loop behind a local web server: it
//! keeps the rendered site in memory and rebuilds it when files change.
//!
//! [`cli`] only parses arguments, calls [`compile`], [`build`] or
//! [`serve::run`], and chooses the exit code.

pub mod cli;
pub mod config;
pub mod coverage;
pub mod diagnostics;
pub mod evidence;
pub mod graph;
pub mod kinds;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod raw_html;
pub mod render;
pub mod resolve;
pub mod results;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod suggest;
pub mod theme;
pub mod write;
pub mod yaml;

use std::path::Path;

use serde::Serialize;

use diagnostics::{Reported, Sources};
use graph::Site;

/// The outcome of loading, resolving and checking a site.
pub struct Compiled {
    pub site: Site,
    pub sources: Sources,
    /// Sorted by file, line and column.
    pub diagnostics: Vec<Reported>,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == diagnostics::Severity::Error)
    }
}

/// Load, resolve and check the site whose root (the folder holding
/// `playbook.yaml`) is `root`.
pub fn compile(root: &Path) -> Compiled {
    let mut diags = Vec::new();
    let raw = load::load(root, &mut diags);
    let site = resolve::resolve(&raw, &mut diags);
    for p in &site.programs {
        coverage::check(p, &mut diags);
    }
    let diagnostics = diagnostics::finalize(diags, &raw.sources);
    Compiled {
        site,
        sources: raw.sources,
        diagnostics,
    }
}

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
        let n =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
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
    /// The rendered site, when there were no errors.
    pub output: Option<output::Output>,
    /// Where it was (or would have been) written.
    pub dir: std::path::PathBuf,
}

/// Check, render and — only when everything succeeded — publish the site.
/// Problems (content, templates, I/O) are added to `compiled.diagnostics`.
pub fn build(root: &Path, opts: &BuildOptions) -> Built {
    let mut built = render_site(root, opts);
    if let Some(output) = &built.output {
        let sources: Vec<std::path::PathBuf> = built
            .compiled
            .site
            .programs
            .iter()
            .map(|p| p.dir.clone())
            .collect();
        let refused = match write::check_output_dir(root, &sources, &built.dir, opts.force) {
            Err(r) => Some(
                diagnostics::Diagnostic::error("output-refused", r.message, diagnostics::Loc::None)
                    .with_hint(r.hint),
            ),
            Ok(()) => write::publish(output, &built.dir).err().map(|e| {
                diagnostics::Diagnostic::error(
                    "io-error",
                    format!("cannot write {}: {e}", built.dir.display()),
                    diagnostics::Loc::None,
                )
            }),
        };
        if let Some(d) = refused {
            let mut d = diagnostics::finalize(vec![d], &built.compiled.sources);
            built.compiled.diagnostics.append(&mut d);
            built.output = None;
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
    mut compiled: Compiled,
    opts: &BuildOptions,
    cache: Option<&mut render::PageCache>,
) -> Built {
    if opts.strict {
        diagnostics::make_strict(&mut compiled.diagnostics);
    }
    let dir = opts
        .output
        .clone()
        .unwrap_or_else(|| root.join(&compiled.site.config.output_dir));
    if compiled.has_errors() {
        return Built {
            compiled,
            output: None,
            dir,
        };
    }
    let mut diags = Vec::new();
    let theme = theme::load(root, &compiled.site.config.theme, &mut diags);
    let theme_failed = diags
        .iter()
        .any(|d| d.severity == diagnostics::Severity::Error);
    let output = if !theme_failed {
        match render::render(
            &compiled.site,
            &theme,
            &compiled.diagnostics,
            &opts.render,
            cache,
        ) {
            Ok(o) => Some(o),
            Err(d) => {
                diags.extend(d);
                None
            }
        }
    } else {
        None
    };
    if !diags.is_empty() {
        let mut extra = diagnostics::finalize(diags, &compiled.sources);
        compiled.diagnostics.append(&mut extra);
    }
    Built {
        compiled,
        output,
        dir,
    }
}
