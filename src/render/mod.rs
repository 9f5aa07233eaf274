//! Render: the resolved graph to an in-memory site ([`Output`]).
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
//!   `results.csv`.
//!
//! [`svg`] draws the pictures the views embed, [`links`] renders markdown
//! with resolved links, [`format`] says how values read. Nothing is written
//! to disk here: `write` publishes the output atomically and `serve`
//! serves it from memory.

pub mod emit;
pub mod exports;
pub mod files;
pub mod fingerprint;
pub mod format;
pub mod html;
pub mod links;
pub mod pageset;
pub mod sitemap;
pub mod svg;
pub mod urls;
pub mod view;

use crate::diagnostics::{Diagnostic, Reported};
use crate::graph::Site;
use crate::output::Output;
use crate::theme::Theme;

pub use emit::Emitter;
pub use view::site::RenderOptions;

use html::cache::HtmlCache;
use view::site::{SiteViews, ViewCache};

/// What a render keeps for the next one: the views of every program and
/// every page, each reused while what it is made from is unchanged.
/// `playbook serve` keeps one between rebuilds; a render without one
/// renders everything.
#[derive(Default)]
pub struct PageCache {
    views: ViewCache,
    html: HtmlCache,
}

impl PageCache {
    /// The pages the last render with this cache rendered, sorted (the
    /// others were reused).
    pub fn rendered(&self) -> &[String] {
        self.html.rendered()
    }
}

/// Render a checked site. Template errors are returned as diagnostics.
///
/// With a `cache`, programs and pages whose fingerprint is unchanged since
/// the render that filled it are reused instead of built again; the cache
/// then holds this render's views and pages (a failed render leaves it as
/// it was). The output is the same either way.
pub fn render(
    site: &Site,
    theme: &Theme,
    warnings: &[Reported],
    opts: &RenderOptions,
    cache: Option<&mut PageCache>,
) -> Result<Output, Vec<Diagnostic>> {
    let (view_cache, html_cache) = match cache {
        Some(c) => (Some(&mut c.views), Some(&mut c.html)),
        None => (None, None),
    };
    let mut html = html::HtmlPages::new(theme, html_cache)?;
    let sitemap_tera = html.tera();
    let views = SiteViews::build(site, opts, warnings, view_cache.as_deref());
    let mut out = Output::default();
    let emitters: [&mut dyn Emitter; 6] = [
        &mut html,
        &mut files::Files(theme),
        &mut sitemap::Sitemap {
            theme,
            tera: sitemap_tera,
        },
        &mut exports::calendar::Calendars,
        &mut exports::json::ProgramJson,
        &mut exports::scorecard::Scorecards,
    ];
    for e in emitters {
        e.emit(&views, &mut out)?;
    }
    if let Some(c) = view_cache {
        *c = views.to_cache();
    }
    Ok(out)
}
