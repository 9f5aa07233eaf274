//! What the HTML pages of one render keep for the next: every page by its
//! fingerprint, a cheaper key for pages of unchanged programs, and the
//! parsed templates.

use std::collections::HashMap;
use std::sync::Arc;

use tera::Tera;

/// Pages of an earlier render, reused by the next render when their
/// fingerprint is unchanged.
#[derive(Default)]
pub struct HtmlCache {
    /// Output path → fingerprint of the page's context, and the page.
    pub(super) pages: HashMap<String, (u128, Arc<[u8]>)>,
    /// A page of a program, by a cheap key: the templates, the context
    /// shared by every page, the program's fingerprint and the page's place
    /// in the program. While it matches, the page's context need not even
    /// be made. → output path, context fingerprint, page.
    pub(super) by_program: HashMap<u128, (String, u128, Arc<[u8]>)>,
    /// The templates, parsed, and the fingerprint of their sources.
    pub(super) tera: Option<(u128, Arc<Tera>)>,
    /// The pages the last render with this cache rendered, sorted (the
    /// rest were reused).
    pub(super) rendered: Vec<String>,
}

impl HtmlCache {
    /// The pages the last render rendered (the others were reused), sorted.
    pub fn rendered(&self) -> &[String] {
        &self.rendered
    }
}
