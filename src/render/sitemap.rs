//! `sitemap.xml`: every page of the [page set](super::pageset) except the
//! 404 page, in output-path order (sitemaps.org protocol 0.9), rendered
//! through the theme's `sitemap.xml` template — which a site can override —
//! from a typed context: `entries[]`, each with its absolute `loc`.
//! Sitemaps need absolute URLs: the site's `base_url` when it is absolute,
//! else its `site_url`; with neither, no sitemap is written and the build
//! says why.

use std::sync::Arc;

use serde::Serialize;
use tera::Tera;

use crate::diagnostics::Diagnostic;
use crate::output::Chunk;
use crate::theme::Theme;

use super::emit::{Emitter, SiteContext};
use super::html;
use super::pageset::{self, Spec};

/// The sitemap emitter.
pub(crate) struct Sitemap<'a> {
    pub theme: &'a Theme,
    pub tera: Arc<Tera>,
}

/// One page of the sitemap.
#[derive(Serialize)]
pub(crate) struct Entry {
    /// Its absolute URL.
    pub loc: String,
}

/// The context of `sitemap.xml`.
#[derive(Serialize)]
pub(crate) struct SitemapContext<'a> {
    pub entries: &'a [Entry],
}

/// The absolute URL of a page at `url` (under `base`) of a site published
/// at `site`: a `site` that is only an origin (`https://x.org/`) takes the
/// page's whole path (the base's path included); one with a path of its own
/// is the base.
fn absolute(site: &str, base: &str, url: &str) -> String {
    if url.contains("://") {
        return url.to_string();
    }
    let origin_only = site
        .split_once("://")
        .is_some_and(|(_, rest)| rest.trim_end_matches('/').find('/').is_none());
    if origin_only {
        format!("{}{url}", site.trim_end_matches('/'))
    } else {
        format!("{site}{}", url.strip_prefix(base).unwrap_or(url))
    }
}

/// The note a build prints when it leaves the sitemap out.
pub(crate) const NO_ABSOLUTE_URL: &str = "sitemap.xml left out: sitemaps need absolute URLs; set `site_url` in playbook.yaml (e.g. https://example.org/) or give an absolute base URL";

impl Emitter for Sitemap<'_> {
    fn note(&self, cx: &SiteContext) -> Option<String> {
        cx.site
            .published
            .is_none()
            .then(|| NO_ABSOLUTE_URL.to_string())
    }

    fn emit_site(&self, cx: &SiteContext, out: &mut Chunk) -> Result<(), Vec<Diagnostic>> {
        let views = cx.site;
        let base = views.urls.base();
        let Some(site) = views.published.clone() else {
            return Ok(());
        };
        let mut places: Vec<_> = pageset::all(views)
            .into_iter()
            .filter(|s| *s != Spec::NotFound)
            .map(|s| pageset::place(views, s))
            .collect();
        places.sort_by(|a, b| a.path.cmp(&b.path));
        let entries: Vec<Entry> = places
            .iter()
            .map(|p| Entry {
                loc: absolute(&site, base, &p.url),
            })
            .collect();
        let xml = html::render_one(
            self.theme,
            &self.tera,
            "sitemap.xml",
            &SitemapContext { entries: &entries },
        )?;
        out.add_text("sitemap.xml", xml);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::absolute;

    #[test]
    fn locations_are_absolute() {
        assert_eq!(absolute("https://x.org/", "/", "/a/"), "https://x.org/a/");
        assert_eq!(
            absolute("https://x.org/", "/pb/", "/pb/a/"),
            "https://x.org/pb/a/"
        );
        assert_eq!(
            absolute("https://x.org/pb/", "/pb/", "/pb/a/"),
            "https://x.org/pb/a/"
        );
        assert_eq!(
            absolute("https://x.org/pb/", "/", "/a/"),
            "https://x.org/pb/a/"
        );
        assert_eq!(
            absolute("https://y.org/", "https://x.org/", "https://x.org/a/"),
            "https://x.org/a/"
        );
    }
}
