//! What the HTML pages of one render keep for the next: every page by its
//! fingerprint, grouped by program (so that an unchanged program's pages
//! are handed on as one piece), and the parsed templates.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tera::Tera;

use super::shared::SharedContext;

/// Output path → fingerprint of what the page is made from, and the page.
pub(crate) type PageMap = HashMap<String, (u128, Arc<[u8]>)>;

/// Pages of an earlier render, reused by the next render when their
/// fingerprint is unchanged.
#[derive(Default)]
pub(crate) struct HtmlCache {
    /// By program id; the site's own pages (home, 404) under "".
    pub(super) programs: HashMap<String, Arc<PageMap>>,
    /// The templates, parsed, and the fingerprint of their sources.
    pub(super) tera: Option<(u128, Arc<Tera>)>,
    /// The pages the last render with this cache rendered, sorted (the
    /// rest were reused).
    pub(super) rendered: Vec<String>,
    /// The section pages' context of each program whose section pages the
    /// last render rendered, with a fingerprint of what it holds: the next
    /// render takes it rather than making it again (a program's whole
    /// view, the largest part of a rebuild after one edit).
    pub(super) contexts: Mutex<HashMap<String, (u128, SharedContext)>>,
}

impl HtmlCache {
    /// Take the section context of `program` kept for the next render, if
    /// it holds what `key` stands for.
    pub(super) fn take_context(&self, program: &str, key: u128) -> Option<SharedContext> {
        let mut kept = self.contexts.lock().unwrap_or_else(|e| e.into_inner());
        match kept.remove(program) {
            Some((k, c)) if k == key => Some(c),
            _ => None,
        }
    }

    /// The pages the last render rendered (the others were reused), sorted.
    pub(crate) fn rendered(&self) -> &[String] {
        &self.rendered
    }
}
