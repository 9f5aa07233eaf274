//! One rebuild of `playbook serve`: the same pipeline as `build`
//! ([`fn@crate::compile`] then [`crate::render_compiled`]) rendered into
//! memory with the caches kept between rebuilds, turned into a
//! [`ServedSite`] — or, when the playbook has errors, into the report that
//! open pages show as an overlay.

use std::path::PathBuf;

use crate::compile::{Changed, Incremental};
use crate::config::BaseUrl;
use crate::diagnostics::{self, Reported, Severity};
use crate::render::{PageCache, RenderOptions};
use crate::BuildOptions;

use super::site::{ServedSite, SiteCache};
use super::state::Options;
use super::state::{Report, Status};

/// Runs the pipeline and turns its result into a [`ServedSite`] or a report.
pub(super) struct Builder {
    pub(super) root: PathBuf,
    pub(super) base_url: Option<String>,
    pub(super) drafts: bool,
    pub(super) edition: crate::edition::Edition,
    pub(super) color: bool,
    /// Distinguishes this server's builds from a previous run's, so a page
    /// left open across a restart reloads.
    pub(super) instance: String,
    pub(super) count: u64,
    /// The build being served ("" before the first good one).
    pub(super) last_good: String,
    /// The files, graphs and diagnostics of the previous build's
    /// programs, and its pages and files, each reused where unchanged.
    pub(super) compiler: Incremental,
    pub(super) pages: PageCache,
    pub(super) files: SiteCache,
    /// The output folder of the latest configuration (ignored by the watcher).
    pub(super) output: Option<PathBuf>,
    pub(super) warnings: usize,
    pub(super) garbage: Garbage,
}

/// Drops what rebuilds leave behind on a thread of its own, so that
/// freeing a large site's old graph and pages never delays a reload.
pub(super) struct Garbage(std::sync::mpsc::Sender<Box<dyn Send>>);

impl Garbage {
    fn new() -> Self {
        let (tx, rx) = std::sync::mpsc::channel::<Box<dyn Send>>();
        let spawned = std::thread::Builder::new()
            .name("playbook drop".into())
            .spawn(move || rx.into_iter().for_each(drop));
        if let Err(e) = spawned {
            eprintln!("warning: cannot start a thread ({e}); rebuilds free memory themselves");
        }
        Garbage(tx)
    }

    /// Drop `x` later, elsewhere (or now, if that thread is gone).
    pub(super) fn discard<T: Send + 'static>(&self, x: T) {
        let _ = self.0.send(Box::new(x));
    }
}

impl Builder {
    pub(super) fn new(opts: &Options) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        Builder {
            root: opts.root.clone(),
            base_url: opts.base_url.clone(),
            drafts: opts.drafts,
            edition: opts.edition,
            color: opts.color,
            instance: format!("{:x}", (nanos as u64) ^ u64::from(std::process::id())),
            count: 0,
            last_good: String::new(),
            compiler: Incremental::default(),
            pages: PageCache::default(),
            files: SiteCache::default(),
            output: None,
            warnings: 0,
            garbage: Garbage::new(),
        }
    }

    pub(super) fn warnings_note(&self) -> String {
        match self.warnings {
            0 => String::new(),
            1 => " (1 warning: see `playbook check`)".into(),
            n => format!(" ({n} warnings: see `playbook check`)"),
        }
    }

    /// Build the site into memory, reading again what `changed` says
    /// changed. On errors, print them and return the status that tells
    /// pages about them.
    pub(super) fn build(&mut self, changed: Changed) -> Result<ServedSite, Status> {
        let compiled = self.compiler.compile(&self.root, changed);
        let config = &compiled.site.config;
        self.output = Some(self.root.join(&config.output_dir));
        let base = self
            .base_url
            .as_deref()
            .map(BaseUrl::parse)
            .unwrap_or_else(|| config.base_url.clone());
        let prefix = base.path().to_string();
        let opts = BuildOptions {
            render: RenderOptions {
                // Links must lead to this server, not to the published site.
                base_url: Some(prefix.clone()),
                drafts: self.drafts,
                site_url: None,
                edition: self.edition,
            },
            output: None,
            strict: false,
            force: false,
        };
        let built = crate::render_compiled(&self.root, compiled, &opts, Some(&mut self.pages));
        let diags = &built.compiled.diagnostics;
        self.warnings = diags
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        let mut failure = None;
        if let Some(output) = built.output {
            self.count += 1;
            let build = format!("{}-{}", self.instance, self.count);
            match ServedSite::from_output(output, build, prefix, &mut self.files) {
                Ok(site) => {
                    self.last_good = site.build.clone();
                    // Freeing the graph of a large site takes a while: not
                    // before the new site is announced.
                    self.garbage.discard(built.compiled);
                    return Ok(site);
                }
                Err(e) => failure = Some(diagnostics::io_error(e.to_string())),
            }
        }
        let errors: Vec<Reported> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .chain(failure)
            .collect();
        diagnostics::emit_human(&errors, &built.compiled.sources, self.color);
        let report = Report {
            build: &self.last_good,
            errors: errors.iter().collect(),
            warnings: self.warnings,
            text: diagnostics::render_plain(&errors, &built.compiled.sources),
        };
        Err(Status::Broken {
            report: report_json(&report, &report.text),
        })
    }
}

/// The report open pages show, as JSON. Should it fail to serialize, a
/// report that still shows the errors (as text) and says why: pages must
/// never take a broken build for an empty report.
fn report_json<T: serde::Serialize>(report: &T, text: &str) -> String {
    serde_json::to_string(report).unwrap_or_else(|e| {
        eprintln!("error: the error report for open pages could not be made: {e}");
        serde_json::json!({
            "build": "",
            "errors": [],
            "warnings": 0,
            "text": format!("{text}\n(the error report could not be made: {e})"),
        })
        .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_that_fails_to_serialize_still_shows_the_errors() {
        // JSON objects have string keys: a map keyed by pairs fails.
        let bad = std::collections::BTreeMap::from([((1, 2), 3)]);
        let json: serde_json::Value =
            serde_json::from_str(&report_json(&bad, "error[unknown-link]")).unwrap();
        let text = json["text"].as_str().unwrap();
        assert!(text.starts_with("error[unknown-link]\n(the error report could not be made: "));
        let good = report_json(&std::collections::BTreeMap::from([("build", "b-1")]), "");
        assert_eq!(good, r#"{"build":"b-1"}"#);
    }
}
