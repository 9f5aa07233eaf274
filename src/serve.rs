//! Serve: `playbook serve`, a local preview of a site that rebuilds itself
//! when its files change and reloads the open pages.
//!
//! This module owns the preview loop: binding the port, the first build, the
//! rebuild loop fed by the [`watch`]er (a burst of saves gives one rebuild),
//! each rebuild — the same pipeline as `build` ([`crate::compile`] then
//! [`crate::render_compiled`]), rendered into memory and never written to
//! disk — and the atomic swap of the served [`site`]. Only once a new site
//! is in place are open pages told to reload ([`Status`], sent by the
//! [`http`] server as server-sent events). A build with errors changes
//! nothing that is served: the last good site stays, and the diagnostics go
//! to the terminal and, as an overlay, to every open page. A content error
//! never stops the server; Ctrl-C does, gracefully.
//!
//! Rebuilds are incremental where that is safe: the whole pipeline runs
//! again (loading and checking a 1,000-session site takes tens of
//! milliseconds), but the renderer's [`PageCache`] re-renders only pages
//! whose context changed, and the [`site`]'s cache re-uses the served form
//! of every unchanged page. Each served page knows its version, so an open
//! page whose content did not change is left alone, and a changed one
//! updates in place (see `live.js`).

mod http;
pub mod site;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use serde::Serialize;

use crate::cli::{EXIT_OK, EXIT_USAGE};
use crate::diagnostics::{self, Reported, Severity};
use crate::render::{PageCache, RenderOptions};
use crate::BuildOptions;
use site::{ServedSite, SiteCache};
use watch::{Batch, Watcher};

/// After a batch of changes, wait this long for more (a burst of saves, an
/// editor's write-then-rename) before rebuilding.
const SETTLE: Duration = Duration::from_millis(15);
/// … but rebuild at least this often while changes keep coming.
const SETTLE_MAX: Duration = Duration::from_millis(300);

/// What `playbook serve` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site root (the folder holding `playbook.yaml`).
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
    /// Include programs marked `draft: true`.
    pub drafts: bool,
    /// Watch by polling instead of the OS's file events.
    pub poll: bool,
    /// Overrides `base_url` of `playbook.yaml` (only its path is used).
    pub base_url: Option<String>,
    /// Colour diagnostics in the terminal.
    pub color: bool,
}

/// The state of the latest build, as open pages are told.
#[derive(Debug, Clone)]
pub enum Status {
    /// `build` is being served and is the latest.
    Ok { build: String },
    /// The latest build failed; `build` (the last good one) is still being
    /// served. `report` is the JSON sent to pages: see [`Report`].
    Broken { build: String, report: String },
}

/// What the server and the rebuild loop share.
pub struct Shared {
    /// The site being served, swapped whole by each successful rebuild.
    pub site: ArcSwap<ServedSite>,
    /// Sent after each rebuild, once the new site is in place.
    pub status: tokio::sync::watch::Sender<Status>,
}

/// The diagnostics of a failed build, for the overlay.
#[derive(Serialize)]
pub struct Report<'a> {
    /// The build still being served.
    pub build: &'a str,
    pub errors: Vec<&'a Reported>,
    pub warnings: usize,
    /// The errors as the terminal shows them, with source snippets.
    pub text: String,
}

/// Run `playbook serve`; returns the exit code.
pub fn run(opts: Options) -> i32 {
    let listener = match std::net::TcpListener::bind(SocketAddr::new(opts.bind, opts.port)) {
        Ok(l) => l,
        Err(e) => {
            bind_error(&opts, &e);
            return EXIT_USAGE;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", opts.bind);
            return EXIT_USAGE;
        }
    };

    let mut builder = Builder::new(&opts);
    let started = Instant::now();
    let first = builder.build();
    let (site, status) = match first {
        Ok(site) => {
            eprintln!(
                "built {} pages in {}{}",
                site.pages(),
                millis(started.elapsed()),
                builder.warnings_note()
            );
            let status = Status::Ok {
                build: site.build.clone(),
            };
            (site, status)
        }
        Err(report) => {
            eprintln!("the playbook has errors: serving a placeholder page until they are fixed");
            let site = ServedSite::placeholder(builder.last_good.clone());
            (site, report)
        }
    };
    let prefix = site.prefix.clone();
    let (status_tx, _) = tokio::sync::watch::channel(status);
    let shared = Arc::new(Shared {
        site: ArcSwap::from_pointee(site),
        status: status_tx,
    });

    let (tx, rx) = std::sync::mpsc::channel();
    let watcher = match Watcher::start(&opts.root, opts.poll, tx) {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "error: cannot watch {}: {e}\n  = help: try `playbook serve --poll`, which scans for changes instead",
                opts.root.display()
            );
            return EXIT_USAGE;
        }
    };
    {
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("playbook rebuild".into())
            .spawn(move || rebuild_loop(builder, watcher, rx, &shared))
            .expect("spawn the rebuild thread");
    }

    let host = match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let url = format!("http://{host}:{}{prefix}", addr.port());
    eprintln!(
        "serving {} at {url}{}\nwatching for changes; press Ctrl-C to stop",
        opts.root.display(),
        if opts.poll { " (polling)" } else { "" }
    );
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines on the network can read this site",
            addr.ip()
        );
    }
    if opts.open {
        if let Err(e) = open::that_detached(&url) {
            eprintln!("warning: cannot open a browser: {e}");
        }
    }

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("playbook serve")
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return EXIT_USAGE;
        }
    };
    match runtime.block_on(http::serve(listener, shared)) {
        Ok(()) => {
            eprintln!("stopped");
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: the server failed: {e}");
            EXIT_USAGE
        }
    }
}

fn bind_error(opts: &Options, e: &std::io::Error) {
    let at = SocketAddr::new(opts.bind, opts.port);
    match e.kind() {
        std::io::ErrorKind::AddrInUse => eprintln!(
            "error: cannot listen on {at}: the port is already in use\n  = help: another program (maybe another `playbook serve`) uses port {}; pick another one: playbook serve --port {}",
            opts.port,
            opts.port.checked_add(1).unwrap_or(1111)
        ),
        std::io::ErrorKind::AddrNotAvailable => eprintln!(
            "error: cannot listen on {at}: {} is not an address of this machine\n  = help: leave out --bind to listen on 127.0.0.1",
            opts.bind
        ),
        std::io::ErrorKind::PermissionDenied => eprintln!(
            "error: cannot listen on {at}: permission denied\n  = help: ports below 1024 need special rights; use the default port: playbook serve --port 1111"
        ),
        _ => eprintln!("error: cannot listen on {at}: {e}"),
    }
}

/// Runs the pipeline and turns its result into a [`ServedSite`] or a report.
struct Builder {
    root: PathBuf,
    base_url: Option<String>,
    drafts: bool,
    color: bool,
    /// Distinguishes this server's builds from a previous run's, so a page
    /// left open across a restart reloads.
    instance: String,
    count: u64,
    /// The build being served ("" before the first good one).
    last_good: String,
    /// Pages and files of the previous build, reused where unchanged.
    pages: PageCache,
    files: SiteCache,
    /// The output folder of the latest configuration (ignored by the watcher).
    output: Option<PathBuf>,
    warnings: usize,
    garbage: Garbage,
}

/// Drops what rebuilds leave behind on a thread of its own, so that
/// freeing a large site's old graph and pages never delays a reload.
struct Garbage(std::sync::mpsc::Sender<Box<dyn Send>>);

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
    fn discard<T: Send + 'static>(&self, x: T) {
        let _ = self.0.send(Box::new(x));
    }
}

impl Builder {
    fn new(opts: &Options) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        Builder {
            root: opts.root.clone(),
            base_url: opts.base_url.clone(),
            drafts: opts.drafts,
            color: opts.color,
            instance: format!("{:x}", (nanos as u64) ^ u64::from(std::process::id())),
            count: 0,
            last_good: String::new(),
            pages: PageCache::default(),
            files: SiteCache::default(),
            output: None,
            warnings: 0,
            garbage: Garbage::new(),
        }
    }

    fn warnings_note(&self) -> String {
        match self.warnings {
            0 => String::new(),
            1 => " (1 warning: see `playbook check`)".into(),
            n => format!(" ({n} warnings: see `playbook check`)"),
        }
    }

    /// Build the site into memory. On errors, print them and return the
    /// status that tells pages about them.
    fn build(&mut self) -> Result<ServedSite, Status> {
        let compiled = crate::compile(&self.root);
        let config = &compiled.site.config;
        self.output = Some(self.root.join(&config.output_dir));
        let base = self
            .base_url
            .as_deref()
            .map(crate::config::normalize_base_url)
            .unwrap_or_else(|| config.base_url.clone());
        let prefix = url_path(&base);
        let opts = BuildOptions {
            render: RenderOptions {
                // Links must lead to this server, not to the published site.
                base_url: Some(prefix.clone()),
                drafts: self.drafts,
            },
            output: None,
            strict: false,
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
                Err(e) => failure = Some(crate::io_diagnostic(e.to_string())),
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
            build: self.last_good.clone(),
            report: serde_json::to_string(&report).unwrap_or_default(),
        })
    }
}

/// The path of a base URL: `/sub/` for `/sub/` and `https://x.org/sub/`.
fn url_path(base: &str) -> String {
    match base.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(i) => rest[i..].to_string(),
            None => "/".into(),
        },
        None => base.to_string(),
    }
}

/// Wait for changes, rebuild, publish; until the watcher goes away.
fn rebuild_loop(mut builder: Builder, mut watcher: Watcher, rx: Receiver<Batch>, shared: &Shared) {
    while let Ok(first) = rx.recv() {
        let mut batches = vec![first];
        let deadline = Instant::now() + SETTLE_MAX;
        while Instant::now() < deadline {
            match rx.recv_timeout(SETTLE) {
                Ok(b) => batches.push(b),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut rescan = false;
        for b in batches {
            for e in &b.errors {
                eprintln!("warning: watching for changes: {e}");
            }
            rescan |= b.rescan;
            paths.extend(b.paths);
        }
        paths.sort();
        paths.dedup();
        watcher.sync(&paths);
        let root = builder.root.clone();
        let output = builder.output.clone();
        let changed: Vec<&Path> = paths
            .iter()
            .map(PathBuf::as_path)
            .filter(|p| watch::is_relevant(&root, output.as_deref(), p))
            .collect();
        if changed.is_empty() && !rescan {
            continue;
        }
        let what = describe(&root, &changed);
        let started = Instant::now();
        match builder.build() {
            Ok(site) => {
                let pages = site.pages();
                let build = site.build.clone();
                // The new site is complete and in place before any page is
                // told to reload.
                let old = shared.site.swap(Arc::new(site));
                shared.status.send_replace(Status::Ok { build });
                builder.garbage.discard(old);
                eprintln!(
                    "{what}: rebuilt in {} ({} of {pages} pages rendered){}",
                    millis(started.elapsed()),
                    builder.pages.rendered.len(),
                    builder.warnings_note()
                );
            }
            Err(status) => {
                shared.status.send_replace(status);
                eprintln!("{what}: the playbook has errors; still serving the last good build");
            }
        }
    }
}

/// `content/a.md changed` / `content/a.md and 2 more changed`.
fn describe(root: &Path, changed: &[&Path]) -> String {
    match changed {
        [] => "files may have changed".into(),
        [one] => format!("{} changed", diagnostics::rel_path(root, one)),
        [one, rest @ ..] => format!(
            "{} and {} more changed",
            diagnostics::rel_path(root, one),
            rest.len()
        ),
    }
}

fn millis(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_paths() {
        assert_eq!(url_path("/"), "/");
        assert_eq!(url_path("/sub/"), "/sub/");
        assert_eq!(url_path("https://example.org/sub/"), "/sub/");
        assert_eq!(url_path("https://example.org"), "/");
    }
}
