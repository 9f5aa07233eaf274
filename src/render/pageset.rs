//! The page set of a site: every HTML page, named by a [`Spec`] (home, the
//! 404 page, each program's section pages and entity pages, each cohort's pages), in a fixed
//! order, with its place in the URL scheme. The HTML pages are rendered
//! from it and the sitemap lists it.

use crate::graph::EntityRef;
use crate::kinds::{EntityKind, Section};

use super::urls::Place;
use super::view::site::SiteViews;

/// One page of the site, by position in the views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Spec {
    Home,
    NotFound,
    /// The session library's page (only when the site has a library).
    Library,
    /// A section page of the program at this index of the views.
    Section(usize, Section),
    /// An entity page of the program at this index of the views.
    Entity(usize, EntityRef),
    /// A section page (results, impact report) of the cohort at this index
    /// of the program at this index (FORMAT.md v1.2).
    Cohort(usize, usize, Section),
}

/// The pages of the site as a whole: home, 404 and, when the site has a
/// session library, its page.
pub(crate) fn site(views: &SiteViews) -> Vec<Spec> {
    let mut specs = vec![Spec::Home, Spec::NotFound];
    if !views.library.is_empty() {
        specs.push(Spec::Library);
    }
    specs
}

/// Every page: the site's, then per program its pages and its cohorts'.
pub(crate) fn all(views: &SiteViews) -> Vec<Spec> {
    let mut specs = site(views);
    for pi in 0..views.programs.len() {
        specs.extend(program(views, pi));
        specs.extend(cohorts(views, pi));
    }
    specs
}

/// The pages of each cohort of program `pi`: its results page and impact
/// report, when the edition shows them.
pub(crate) fn cohorts(views: &SiteViews, pi: usize) -> Vec<Spec> {
    let n = views.programs[pi].cohorts.len();
    (0..n)
        .flat_map(|ci| {
            [Section::Results, Section::Impact]
                .into_iter()
                .filter(|&s| views.shows.section(s))
                .map(move |s| Spec::Cohort(pi, ci, s))
        })
        .collect()
}

/// The pages of program `pi`: its sections, then its entities (by kind, in
/// file or curriculum order).
pub(crate) fn program(views: &SiteViews, pi: usize) -> Vec<Spec> {
    let p = &views.programs[pi];
    let mut specs: Vec<Spec> = views
        .shows
        .sections()
        .map(|s| Spec::Section(pi, s))
        .collect();
    for kind in EntityKind::ALL {
        specs.extend((0..p.count(kind)).map(|i| Spec::Entity(pi, EntityRef::new(kind, i))));
    }
    specs
}

/// Where a page is.
pub(crate) fn place(views: &SiteViews, spec: Spec) -> Place {
    match spec {
        Spec::Home => views.urls.home(),
        Spec::NotFound => views.urls.file("404.html"),
        Spec::Library => views.urls.library(),
        Spec::Section(pi, s) => views.urls.program(&views.programs[pi].id).section(s),
        Spec::Entity(pi, r) => {
            let p = &views.programs[pi];
            views.urls.program(&p.id).entity(r.kind(), p.id_of(r))
        }
        Spec::Cohort(pi, ci, s) => {
            let p = &views.programs[pi];
            views
                .urls
                .program(&p.id)
                .cohort_section(&p.cohorts[ci].id, s)
        }
    }
}
