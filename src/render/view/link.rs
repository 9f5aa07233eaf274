//! The shape of every link in the template context, `{id, title, url}`:
//! an entity's id, its title (shortened where pages repeat it) and its
//! URL. A leaf, so that every view module may use it.

use serde::Serialize;

/// A link to an entity.
#[derive(Serialize, Clone, Debug)]
pub(crate) struct LinkView {
    pub id: String,
    pub title: String,
    pub url: String,
}
