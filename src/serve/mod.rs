//! Serve: `playbook serve`, a local preview of a site that rebuilds itself
//! when its files change and reloads the open pages.
//!
//! This module owns the preview loop: binding the port, the first build, the
//! rebuild loop fed by the [`watch`]er (a burst of saves gives one rebuild),
//! each rebuild — the same pipeline as `build` ([`mod@crate::compile`] then
//! [`crate::render_compiled`]), rendered into memory and never written to
//! disk — and the atomic swap of the served [`site`]. Only once a new site
//! is in place are open pages told to reload (`Status`, sent by the
//! `http` server as server-sent events). A build with errors changes
//! nothing that is served: the last good site stays, and the diagnostics go
//! to the terminal and, as an overlay, to every open page. A content error
//! never stops the server; Ctrl-C does, gracefully.
//!
//! Rebuilds are incremental where that is safe: the whole pipeline runs
//! again (loading and checking a 1,000-session site takes tens of
//! milliseconds), but the renderer's [`PageCache`](crate::render::PageCache) re-renders only pages
//! whose context changed, and the [`site`]'s cache re-uses the served form
//! of every unchanged page. Each served page knows its version, so an open
//! page whose content did not change is left alone, and a changed one
//! updates in place (see `live.js`).

mod builder;
mod guard;
mod http;
mod listen;
pub(crate) mod site;
mod state;
pub(crate) mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;

use crate::compile::Changed;
use crate::diagnostics;
use builder::Builder;
use site::ServedSite;
pub(crate) use state::Options;
use state::{Shared, Status};
use watch::{Batch, Watcher};

/// After a batch of changes, wait this long for more (a burst of saves, an
/// editor's write-then-rename) before rebuilding.
const SETTLE: Duration = Duration::from_millis(15);
/// … but rebuild at least this often while changes keep coming.
const SETTLE_MAX: Duration = Duration::from_millis(300);

/// Why `playbook serve` could not start or stopped with an error: what
/// went wrong and, where we know, what to do about it.
#[derive(Debug)]
pub(crate) struct ServeError {
    pub message: String,
    pub help: Option<String>,
}

impl ServeError {
    fn new(message: String) -> Self {
        ServeError {
            message,
            help: None,
        }
    }
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(h) = &self.help {
            write!(f, "\n  = help: {h}")?;
        }
        Ok(())
    }
}

/// Run `playbook serve` until Ctrl-C. Content errors never end it; an
/// error here is about the machine (the port, the watcher, the runtime).
pub(crate) fn run(opts: Options) -> Result<(), ServeError> {
    let listener = std::net::TcpListener::bind(SocketAddr::new(opts.bind, opts.port))
        .map_err(|e| bind_error(&opts, &e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError::new(format!("cannot listen on {}: {e}", opts.bind)))?;

    let mut builder = Builder::new(&opts);
    let started = Instant::now();
    let first = builder.build(Changed::Anything);
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
    let watcher = Watcher::start(&opts.root, opts.poll, tx).map_err(|e| ServeError {
        message: format!("cannot watch {}: {e}", opts.root.display()),
        help: Some("try `playbook serve --poll`, which scans for changes instead".into()),
    })?;
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

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("playbook serve")
        .build()
        .map_err(|e| ServeError::new(format!("cannot start the server: {e}")))?;
    runtime
        .block_on(http::serve(listener, shared))
        .map_err(|e| ServeError::new(format!("the server failed: {e}")))?;
    eprintln!("stopped");
    Ok(())
}

fn bind_error(opts: &Options, e: &std::io::Error) -> ServeError {
    let at = SocketAddr::new(opts.bind, opts.port);
    let (why, help) = match e.kind() {
        std::io::ErrorKind::AddrInUse => (
            "the port is already in use".to_string(),
            Some(format!(
                "another program (maybe another `playbook serve`) uses port {}; pick another one: playbook serve --port {}",
                opts.port,
                opts.port.checked_add(1).unwrap_or(1111)
            )),
        ),
        std::io::ErrorKind::AddrNotAvailable => (
            format!("{} is not an address of this machine", opts.bind),
            Some("leave out --bind to listen on 127.0.0.1".into()),
        ),
        std::io::ErrorKind::PermissionDenied => (
            "permission denied".to_string(),
            Some("ports below 1024 need special rights; use the default port: playbook serve --port 1111".into()),
        ),
        _ => (e.to_string(), None),
    };
    ServeError {
        message: format!("cannot listen on {at}: {why}"),
        help,
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
        let paths: Vec<PathBuf> = changed.iter().map(|p| p.to_path_buf()).collect();
        let scope = match rescan {
            true => Changed::Anything,
            false => Changed::Paths(&paths),
        };
        match builder.build(scope) {
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
                    builder.pages.rendered().len(),
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
