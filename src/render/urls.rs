//! The URL scheme: where every page and file of a site is, both as a link
//! (`url`, under the site's base URL) and as a path in the output
//! (`path`, relative, `/`-separated). The only place that knows the site's
//! layout; see the "Site output" table of docs/themes.md.
//!
//! ```text
//! /                              index.html
//! /404.html, /style.css, …       404.html, style.css, …
//! /<program>/                    <program>/index.html
//! /<program>/<section>/          <program>/<section>/index.html
//! /<program>/<folder>/<id>/      <program>/<folder>/<id>/index.html   (entity pages)
//! /<program>/sessions/<asset>    <program>/sessions/<asset>
//! /<program>/cohorts/<cohort>/<section>/   a cohort's results and impact report
//! /<program>/cohorts/<cohort>/<file>       its calendar.ics and results.csv
//! ```

use crate::kinds::{EntityKind, Section};

/// A program's search documents, in its folder.
pub(crate) const SEARCH_FILE: &str = "search.json";

/// A page's or file's link and output path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub url: String,
    pub path: String,
}

/// The URL scheme of a site under `base` (which starts and ends with `/`,
/// or is an absolute URL ending in `/`).
#[derive(Debug, Clone)]
pub(crate) struct SiteUrls {
    base: String,
}

impl SiteUrls {
    pub(crate) fn new(base: impl Into<String>) -> Self {
        SiteUrls { base: base.into() }
    }

    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// The home page.
    pub(crate) fn home(&self) -> Place {
        Place {
            url: self.base.clone(),
            path: "index.html".into(),
        }
    }

    /// The session library's page (`/library/`).
    pub(crate) fn library(&self) -> Place {
        Place {
            url: format!("{}library/", self.base),
            path: "library/index.html".into(),
        }
    }

    /// A file at the top of the site (`style.css`, `404.html`).
    pub(crate) fn file(&self, name: &str) -> Place {
        Place {
            url: format!("{}{name}", self.base),
            path: name.into(),
        }
    }

    pub(crate) fn program<'a>(&'a self, id: &'a str) -> ProgramUrls<'a> {
        ProgramUrls {
            base: &self.base,
            id,
        }
    }
}

/// The URL scheme of one program.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ProgramUrls<'a> {
    base: &'a str,
    id: &'a str,
}

impl ProgramUrls<'_> {
    /// A library guide's entry on the site's `/library/` page.
    pub(crate) fn library_guide(&self, id: &str) -> String {
        format!("{}library/#{id}", self.base)
    }

    /// The page in `folders` (joined with `/`) under the program, or the
    /// program's own page for none. Pushed rather than formatted: every
    /// page of a site is placed with it, more than once.
    fn folder_page(&self, folders: &[&str]) -> Place {
        let mut rel = String::with_capacity(self.id.len() + 32);
        rel.push_str(self.id);
        rel.push('/');
        for f in folders.iter().filter(|f| !f.is_empty()) {
            rel.push_str(f);
            rel.push('/');
        }
        let mut url = String::with_capacity(self.base.len() + rel.len());
        url.push_str(self.base);
        url.push_str(&rel);
        rel.push_str("index.html");
        Place { url, path: rel }
    }

    /// A section page (the overview is the program's own folder).
    pub(crate) fn section(&self, s: Section) -> Place {
        self.folder_page(&[s.info().folder])
    }

    /// The page of entity `id` of `kind`.
    pub(crate) fn entity(&self, kind: EntityKind, id: &str) -> Place {
        self.folder_page(&[kind.info().folder, id])
    }

    /// A file of the program's own folder (`calendar.ics`).
    pub(crate) fn file(&self, name: &str) -> Place {
        Place {
            url: format!("{}{}/{name}", self.base, self.id),
            path: format!("{}/{name}", self.id),
        }
    }

    /// A section page of cohort `cohort` (its results and impact report).
    pub(crate) fn cohort_section(&self, cohort: &str, s: Section) -> Place {
        self.folder_page(&["cohorts", cohort, s.info().folder])
    }

    /// A file of cohort `cohort`'s folder (`calendar.ics`, `results.csv`).
    pub(crate) fn cohort_file(&self, cohort: &str, name: &str) -> Place {
        Place {
            url: format!("{}{}/cohorts/{cohort}/{name}", self.base, self.id),
            path: format!("{}/cohorts/{cohort}/{name}", self.id),
        }
    }

    /// A file under the program's `sessions/` folder (`path` relative to it).
    pub(crate) fn asset(&self, path: &str) -> Place {
        Place {
            url: format!("{}{}/sessions/{path}", self.base, self.id),
            path: format!("{}/sessions/{path}", self.id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_files_under_a_base() {
        let u = SiteUrls::new("/pb/");
        assert_eq!(u.home().url, "/pb/");
        assert_eq!(u.home().path, "index.html");
        assert_eq!(
            u.file("style.css"),
            Place {
                url: "/pb/style.css".into(),
                path: "style.css".into()
            }
        );
        let p = u.program("lead");
        assert_eq!(p.section(Section::Overview).url, "/pb/lead/");
        assert_eq!(p.section(Section::Overview).path, "lead/index.html");
        assert_eq!(p.section(Section::ActionMap).url, "/pb/lead/action-map/");
        assert_eq!(
            p.section(Section::ActionMap).path,
            "lead/action-map/index.html"
        );
        let e = p.entity(EntityKind::Competency, "delegation");
        assert_eq!(e.url, "/pb/lead/competencies/delegation/");
        assert_eq!(e.path, "lead/competencies/delegation/index.html");
        assert_eq!(p.asset("fig/a b.png").url, "/pb/lead/sessions/fig/a b.png");
        assert_eq!(p.asset("fig/a.png").path, "lead/sessions/fig/a.png");
    }
}
