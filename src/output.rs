//! Output: the files of a built site, and where a render puts them.
//!
//! A render produces the site in [`Chunk`]s: one per program (every file
//! under `<program>/`) and one for the site as a whole (home page, 404
//! page, stylesheet, sitemap, …). Each chunk goes to a [`Sink`] as soon as
//! it is complete: `write` streams it into the output folder being staged
//! (so a build holds at most a few programs' pages in memory), and
//! [`Output`] keeps every chunk in memory for `serve` and for tests —
//! shared, so that a rebuild can hand an unchanged program's chunk on
//! without copying it. A leaf module.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

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

impl OutFile {
    /// Rendered text.
    pub fn text(text: String) -> Self {
        OutFile::Bytes(Arc::from(text.into_bytes()))
    }
}

/// The files of one program (`key` is its id), or of the site as a whole
/// (`key` is empty): output path (relative, `/`-separated) → file.
#[derive(Debug, Default)]
pub struct Chunk {
    pub key: String,
    pub files: BTreeMap<String, OutFile>,
}

impl Chunk {
    pub fn new(key: impl Into<String>) -> Self {
        Chunk {
            key: key.into(),
            files: BTreeMap::new(),
        }
    }

    /// Add rendered text at `path`.
    pub fn add_text(&mut self, path: impl Into<String>, text: String) {
        self.files.insert(path.into(), OutFile::text(text));
    }
}

/// Where a render puts the site, chunk by chunk, from several threads at
/// once.
pub(crate) trait Sink: Sync {
    fn put(&self, chunk: Arc<Chunk>);
}

/// A built site in memory, as `serve` serves it: every chunk by key.
#[derive(Debug, Default)]
pub struct Output {
    pub chunks: BTreeMap<String, Arc<Chunk>>,
}

impl Output {
    /// The file at `path`.
    pub fn get(&self, path: &str) -> Option<&OutFile> {
        self.chunks
            .get(chunk_key(path))
            .and_then(|c| c.files.get(path))
            .or_else(|| self.chunks.get("").and_then(|c| c.files.get(path)))
    }

    /// Every file, by path.
    pub fn files(&self) -> BTreeMap<&str, &OutFile> {
        self.chunks
            .values()
            .flat_map(|c| c.files.iter().map(|(p, f)| (p.as_str(), f)))
            .collect()
    }
}

/// The key of the chunk a file at output path `path` belongs to: the
/// program its first folder names, or "" (the site's own files); a file
/// the site's chunk puts under a folder is looked for there next.
pub(crate) fn chunk_key(path: &str) -> &str {
    path.split_once('/').map_or("", |(first, _)| first)
}

/// A [`Sink`] that keeps every chunk: an [`Output`] being filled.
#[derive(Default)]
pub(crate) struct Collect(Mutex<Output>);

impl Collect {
    pub(crate) fn into_output(self) -> Output {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Collect {
    fn put(&self, chunk: Arc<Chunk>) {
        let mut out = self.0.lock().unwrap_or_else(|e| e.into_inner());
        out.chunks.insert(chunk.key.clone(), chunk);
    }
}
