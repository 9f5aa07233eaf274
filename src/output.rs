//! Output: a built site in memory, before it is written or served.
//!
//! Owns the [`Output`] that rendering fills (one entry per file of the
//! site, by its output path) and [`OutFile`], how each file's bytes are
//! held. `write` publishes an `Output` to a folder and `serve` serves one;
//! neither needs to know how it was rendered. A leaf module.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// One file of the built site.
#[derive(Debug, Clone)]
pub enum OutFile {
    /// Rendered bytes; shared, so that a cache can hand out a page again
    /// unchanged.
    Bytes(Arc<[u8]>),
    /// Bytes embedded in the binary (the default theme's static files).
    Static(&'static [u8]),
    /// Copied from this path when written.
    Copy(PathBuf),
}

/// The built site: output path (relative, `/`-separated) → file.
#[derive(Debug, Default)]
pub struct Output {
    pub files: BTreeMap<String, OutFile>,
    /// What a build tells its user beyond the count of files (an output
    /// left out, and why), one line each.
    pub notes: Vec<String>,
}

impl Output {
    /// Number of HTML pages.
    pub fn pages(&self) -> usize {
        self.files.keys().filter(|k| k.ends_with(".html")).count()
    }

    /// Add rendered text at `path`.
    pub fn add_text(&mut self, path: impl Into<String>, text: String) {
        self.files
            .insert(path.into(), OutFile::Bytes(Arc::from(text.into_bytes())));
    }
}
