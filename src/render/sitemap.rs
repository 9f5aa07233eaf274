//! `sitemap.xml`: every page of the [page set](super::pageset) except the
//! 404 page, in output-path order (sitemaps.org protocol 0.9).

use crate::diagnostics::Diagnostic;
use crate::output::Output;

use super::emit::Emitter;
use super::format::xml_escape;
use super::pageset::{self, Spec};
use super::view::site::SiteViews;

/// The sitemap emitter.
pub struct Sitemap;

impl Emitter for Sitemap {
    fn name(&self) -> &'static str {
        "sitemap"
    }

    fn emit(&mut self, views: &SiteViews, out: &mut Output) -> Result<(), Vec<Diagnostic>> {
        let mut places: Vec<_> = pageset::all(views)
            .into_iter()
            .filter(|s| *s != Spec::NotFound)
            .map(|s| pageset::place(views, s))
            .collect();
        places.sort_by(|a, b| a.path.cmp(&b.path));
        out.add_text("sitemap.xml", xml(places.iter().map(|p| p.url.as_str())));
        Ok(())
    }
}

/// A sitemap of `urls`, in the order given.
fn xml<'a>(urls: impl Iterator<Item = &'a str>) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        s.push_str("  <url><loc>");
        s.push_str(&xml_escape(url));
        s.push_str("</loc></url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn urls_are_escaped_in_loc_elements() {
        let x = super::xml(["https://x.org/a&b/", "https://x.org/"].into_iter());
        assert!(x.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset"));
        assert!(x.contains("  <url><loc>https://x.org/a&amp;b/</loc></url>\n  <url><loc>https://x.org/</loc></url>\n</urlset>\n"), "{x}");
    }
}
