//! The view of the session library (FORMAT.md v1.2) for the site's
//! `/library/` page: each library guide, and the sessions of the published
//! programs that start from it, as the edition shows them.

use serde::Serialize;

use crate::graph::{Program, Site};
use crate::kinds::EntityKind;
use crate::model::Audience;

use super::super::format;
use super::super::urls::SiteUrls;
use super::LinkView;

/// One library guide on the `/library/` page (`library[]` in its template).
#[derive(Serialize, Clone, Debug)]
pub(crate) struct LibraryView {
    pub id: String,
    pub title: String,
    pub kind_label: &'static str,
    pub duration_display: Option<String>,
    /// `everyone` or `facilitator`.
    pub audience: &'static str,
    /// Its file, relative to the site root.
    pub path: String,
    /// The sessions that start from it: the program's title as `title`
    /// and the session's in `session`.
    pub used_by: Vec<LibraryUse>,
}

/// A session that starts from a library guide.
#[derive(Serialize, Clone, Debug)]
pub(crate) struct LibraryUse {
    pub program: LinkView,
    pub session: LinkView,
}

/// The library's guides as the edition shows them: in the participant
/// edition (`participant`), no guide for facilitators only.
pub(crate) fn library(
    site: &Site,
    programs: &[std::sync::Arc<Program>],
    urls: &SiteUrls,
    participant: bool,
) -> Vec<LibraryView> {
    site.library
        .iter()
        .filter(|g| !(participant && g.audience == Audience::Facilitator))
        .map(|g| LibraryView {
            id: g.id.clone(),
            title: g.title.clone(),
            kind_label: g.kind.label(),
            duration_display: g.duration.map(format::duration),
            audience: g.audience.as_str(),
            path: g.path.clone(),
            used_by: programs
                .iter()
                .flat_map(|p| {
                    let pu = urls.program(&p.id);
                    p.sessions
                        .iter()
                        .filter(|s| s.library.as_deref() == Some(g.id.as_str()))
                        .map(move |s| LibraryUse {
                            program: LinkView {
                                id: p.id.clone(),
                                title: format::title(&p.title),
                                url: pu.section(crate::kinds::Section::Overview).url,
                            },
                            session: LinkView {
                                id: s.id.clone(),
                                title: s.title.clone(),
                                url: pu.entity(EntityKind::Session, &s.id).url,
                            },
                        })
                })
                .collect(),
        })
        .collect()
}
