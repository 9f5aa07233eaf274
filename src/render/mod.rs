//! Render: the resolved graph to a site's files, program by program, into
//! a [`crate::output::Sink`].
//!
//! Views are built once ([`view`]: every reference a `{id, title, url}`
//! link, every markdown field HTML, at the places the [`urls`] scheme
//! gives), then each output is one [`Emitter`] over them:
//!
//! - [`html`] — the HTML pages of the [`pageset`], through the theme's
//!   Tera templates, with a page cache for `serve`;
//! - [`files`] — the theme's static files and the session assets;
//! - [`sitemap`] — `sitemap.xml`;
//! - [`exports`] — each program's `calendar.ics`, `program.json` and
//!   `results.csv`;
//! - [`search`] — each program's `search.json`, for its edition.
//!
//! [`svg`] draws the pictures the views embed, [`links`] renders markdown
//! with resolved links, [`mod@format`] says how values read. Nothing is written
//! to disk here: each finished chunk goes to the sink — `write` streams it
//! into a staging folder it publishes atomically, `serve` keeps it in
//! memory ([`crate::output::Output`]).
//!
//! # Caches
//!
//! A build renders everything once and keeps nothing. `playbook serve`
//! keeps, between rebuilds, what each stage made, and reuses it while what
//! it was made from is unchanged — each compared by identity (the same
//! `Arc`) or by a [`fingerprint`] (an xxh3-128 hash of the inputs):
//!
//! | cache | lives in | holds | made again when |
//! | --- | --- | --- | --- |
//! | [`crate::compile::Incremental`] | `compile.rs` | every file read, each program's graph and diagnostics, the library | a file of that program changes (the watcher says which); `playbook.yaml` or `library/` changes: every program |
//! | [`PageCache`] `editions` | here | each program's participant edition | its graph is another `Arc`, or what the edition shows changed |
//! | [`view::site::ViewCache`] (`PageCache::views`) | `view/site.rs` | each program's views ([`ProgramViews`]) | its graph is another `Arc`, or its coverage gaps, the base URL, the raw HTML setting, what the edition shows or the site's brand changed |
//! | [`PageCache`] `chunks` | here | each program's files as a whole | its views were made again, or the templates or the variables every page shares changed |
//! | [`html::cache::HtmlCache`] (`PageCache::html`) | `html/cache.rs` | the parsed templates; every page by the fingerprint of what it is made from; each program's section-page Tera context | templates: their sources' fingerprint changes; a page: its fingerprint (templates, shared variables, its program's views or header, its own variables) changes; a context: the shared variables or the program's views change |
//! | [`crate::serve`]'s `SiteCache` | `serve/site.rs` | the served files of each chunk; each copied asset | a chunk: it is another allocation (a page of it: that page is); an asset: its size or modification time; every page: the assets' fingerprint (pages carry asset versions) |
//!
//! A failed render leaves [`PageCache`] as it was.

pub(crate) mod emit;
pub(crate) mod exports;
pub(crate) mod files;
pub(crate) mod fingerprint;
pub(crate) mod format;
pub(crate) mod html;
pub(crate) mod links;
pub(crate) mod pageset;
pub(crate) mod search;
pub(crate) mod sitemap;
pub(crate) mod svg;
pub(crate) mod urls;
pub(crate) mod view;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::edition::{self, Shows};
use crate::graph::{Program, Site};
use crate::output::{Chunk, Sink};
use crate::theme::Theme;

pub(crate) use emit::Emitter;
pub(crate) use view::site::RenderOptions;

use html::cache::HtmlCache;
use view::site::{ProgramViews, SiteViews, ViewCache};

/// What a render keeps for the next: the views of every program, every
/// page, and every program's files as a whole, each reused while what it
/// is made from is unchanged. `playbook serve` keeps one between rebuilds;
/// a render without one renders everything.
#[derive(Default)]
pub struct PageCache {
    views: ViewCache,
    html: HtmlCache,
    /// Each program's files, by program id, with the key of what they were
    /// made from.
    chunks: HashMap<String, (u128, Arc<Chunk>)>,
    /// The participant edition of each program, with the graph it was made
    /// from (by identity) and what it shows.
    editions: HashMap<String, (Arc<Program>, Shows, Arc<Program>)>,
}

impl PageCache {
    /// The pages the last render with this cache rendered, sorted (the
    /// others were reused).
    pub fn rendered(&self) -> &[String] {
        self.html.rendered()
    }
}

/// What a render tells its user beyond the files.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    /// An output left out, and why; one line each.
    pub notes: Vec<String>,
}

/// A program rendered: its files, and — when its views were made by this
/// render — the views, for the cache.
struct Done {
    /// The program's index in the published programs.
    pi: usize,
    id: String,
    /// Kept only for a cache: a build holds no program's files once they
    /// went to the sink.
    chunk: Option<Arc<Chunk>>,
    key: u128,
    reused: bool,
    views: Option<ProgramViews>,
}

/// Numbers what views are made from, so that a cache can tell inputs apart.
static VIEW_KEYS: AtomicU64 = AtomicU64::new(1);

/// Render a checked site into `sink`, chunk by chunk: each program as soon
/// as it is rendered, the site's own files at the end. Template errors are
/// returned as diagnostics (what `sink` received is then incomplete).
///
/// With a `cache`, programs and pages whose fingerprint is unchanged since
/// the render that filled it are reused instead of built again; the cache
/// then holds this render's views and pages (a failed render leaves it as
/// it was). The output is the same either way.
pub(crate) fn render(
    site: &Site,
    theme: &Theme,
    gaps: &crate::coverage::Gaps,
    opts: &RenderOptions,
    cache: Option<&mut PageCache>,
    sink: &dyn Sink,
) -> Result<Rendered, Vec<Diagnostic>> {
    let mut editions = HashMap::new();
    let published = SiteViews::published(site, opts, |p, shows| {
        let made = cache
            .as_deref()
            .and_then(|c| c.editions.get(&p.id))
            .filter(|(from, s, _)| Arc::ptr_eq(from, p) && *s == shows)
            .map(|(_, _, made)| Arc::clone(made))
            .unwrap_or_else(|| Arc::new(edition::participant_program(p, shows.results)));
        editions.insert(p.id.clone(), (Arc::clone(p), shows, Arc::clone(&made)));
        made
    });
    let views = SiteViews::new(site, opts, gaps, published);
    let previous = cache.as_deref();
    let html = html::HtmlPages::new(theme, previous.map(|c| &c.html), &views)?;
    let sitemap = sitemap::Sitemap {
        theme,
        tera: html.tera(),
    };
    let files = files::Files(theme);
    let emitters: [&dyn Emitter; 7] = [
        &html,
        &files,
        &sitemap,
        &search::Search,
        &exports::calendar::Calendars,
        &exports::json::ProgramJson,
        &exports::scorecard::Scorecards,
    ];
    let programs = Programs {
        views: &views,
        previous,
        keep: cache.is_some(),
        everything: html.fingerprint(),
        emitters: &emitters,
        sink,
    };
    let site_cx = emit::SiteContext { site: &views };
    let site_chunk = || -> Result<Chunk, Vec<Diagnostic>> {
        let mut chunk = Chunk::new("");
        for e in emitters {
            e.emit_site(&site_cx, &mut chunk)?;
        }
        Ok(chunk)
    };
    let (top, done) = rayon::join(site_chunk, || {
        (0..views.programs.len())
            .into_par_iter()
            .map(|pi| programs.render(pi))
            .collect::<Vec<_>>()
    });
    let (top, done) = all_or_errors(top, done)?;
    sink.put(Arc::new(top));
    let notes = emitters.iter().filter_map(|e| e.note(&site_cx)).collect();
    let reused: Vec<&str> = done
        .iter()
        .filter(|d| d.reused)
        .map(|d| d.id.as_str())
        .collect();
    let html_cache = html.into_cache(&reused);
    if let Some(c) = cache {
        c.store(&views, done, html_cache, editions);
    }
    Ok(Rendered { notes })
}

/// The site's chunk and every program rendered, or every error of them
/// (each message once).
fn all_or_errors(
    top: Result<Chunk, Vec<Diagnostic>>,
    done: Vec<Result<Done, Vec<Diagnostic>>>,
) -> Result<(Chunk, Vec<Done>), Vec<Diagnostic>> {
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut add_errors = |ds: Vec<Diagnostic>| {
        for d in ds {
            if !errors.iter().any(|e| e.message == d.message) {
                errors.push(d);
            }
        }
    };
    let top = top.map_err(&mut add_errors).ok();
    let done: Vec<Done> = done
        .into_iter()
        .filter_map(|d| d.map_err(&mut add_errors).ok())
        .collect();
    match top {
        Some(top) if errors.is_empty() => Ok((top, done)),
        _ => Err(errors),
    }
}

impl PageCache {
    /// Keep what this render made for the next: the views it made, its
    /// pages, the editions and each program's files.
    fn store(
        &mut self,
        views: &SiteViews,
        done: Vec<Done>,
        html: HtmlCache,
        editions: HashMap<String, (Arc<Program>, Shows, Arc<Program>)>,
    ) {
        let ids: Vec<&str> = done.iter().map(|d| d.id.as_str()).collect();
        for d in &done {
            if let Some(v) = &d.views {
                self.views.store(views, d.pi, v.clone());
            }
        }
        self.views.retain(&ids);
        self.html = html;
        self.editions = editions;
        self.chunks = done
            .into_iter()
            .filter_map(|d| Some((d.id, (d.key, d.chunk?))))
            .collect();
    }
}

/// What rendering each program needs: the site's views, the emitters,
/// the sink, and the cache of the last render.
struct Programs<'r> {
    views: &'r SiteViews<'r>,
    previous: Option<&'r PageCache>,
    /// Whether this render fills a cache.
    keep: bool,
    /// The fingerprint of what every page is made from.
    everything: u128,
    emitters: &'r [&'r dyn Emitter],
    sink: &'r dyn Sink,
}

impl Programs<'_> {
    /// Render published program `pi` into its chunk and hand it to the
    /// sink — or hand on the last render's chunk, when it is made from the
    /// same.
    fn render(&self, pi: usize) -> Result<Done, Vec<Diagnostic>> {
        let p = &self.views.programs[pi];
        let (pv, reused_views) = self.program_views(pi);
        let key = match self.keep {
            true => fingerprint::Fingerprint::new()
                .of_u128(self.everything)
                .of_u128(pv.key)
                .finish(),
            false => 0,
        };
        if let Some((_, chunk)) = self
            .previous
            .and_then(|c| c.chunks.get(&p.id))
            .filter(|(k, _)| reused_views && *k == key)
        {
            self.sink.put(Arc::clone(chunk));
            return Ok(Done {
                pi,
                id: p.id.clone(),
                chunk: Some(Arc::clone(chunk)),
                key,
                reused: true,
                views: None,
            });
        }
        let mut chunk = Chunk::new(p.id.clone());
        let cx = emit::ProgramContext::new(self.views, pi, &pv);
        for e in self.emitters {
            e.emit_program(&cx, &mut chunk)?;
        }
        let chunk = Arc::new(chunk);
        self.sink.put(Arc::clone(&chunk));
        Ok(Done {
            pi,
            id: p.id.clone(),
            chunk: self.keep.then_some(chunk),
            key,
            reused: false,
            views: (self.keep && !reused_views).then_some(pv),
        })
    }

    /// The views of program `pi`: the last render's when made from the
    /// same (then `true`), else made now (keyed and fingerprinted for a
    /// cache).
    fn program_views(&self, pi: usize) -> (ProgramViews, bool) {
        let views = self.views;
        if let Some(v) = self.previous.and_then(|c| c.views.lookup(views, pi)) {
            return (v, true);
        }
        if !self.keep {
            return (views.program_views(pi, None), false);
        }
        let last = self
            .previous
            .and_then(|c| c.views.last(&views.programs[pi].id));
        let mut v = views.program_views(pi, last);
        v.key = u128::from(VIEW_KEYS.fetch_add(1, Ordering::Relaxed));
        v.fingerprint = view::site::fingerprint(&v.build);
        (v, false)
    }
}
