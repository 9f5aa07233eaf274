//! The built site as `playbook serve` holds it: every file of a
//! [`crate::output::Output`] in memory with its MIME type and
//! ETag, the live-reload script injected into every HTML page, each page's
//! version (a hash of the page and of the site's assets, which is also its
//! ETag), and the mapping from a request path to a file (folder URLs to
//! `index.html`, `..` and other escapes to "not found"). Nothing here reads
//! the disk at request time: files the output copies (`OutFile::Copy`) are
//! read when the site is assembled; they and the served form of every
//! unchanged page are kept between rebuilds ([`SiteCache`]).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::http::HeaderValue;
use rayon::prelude::*;

use crate::output::{chunk_key, Chunk, OutFile, Output};

/// Where the injected script is served.
pub(crate) const SCRIPT_PATH: &str = "/__playbook/live.js";
/// The server-sent events endpoint.
pub(crate) const EVENTS_PATH: &str = "/__playbook/events";

/// One file, ready to send.
#[derive(Debug, Clone)]
pub struct Entry {
    pub body: Bytes,
    /// A strong validator: a hash of `body` (and its length), quoted.
    pub etag: HeaderValue,
    pub content_type: HeaderValue,
}

impl Entry {
    pub fn new(path: &str, body: Bytes) -> Self {
        let mut h = std::hash::DefaultHasher::new();
        body.hash(&mut h);
        let etag = format!("\"{:016x}-{:x}\"", h.finish(), body.len());
        Entry {
            etag: HeaderValue::from_str(&etag).expect("hex is a valid header value"),
            content_type: content_type(path),
            body,
        }
    }
}

/// The MIME type of an output path, with `charset=utf-8` for text.
pub(crate) fn content_type(path: &str) -> HeaderValue {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.essence_str(),
            "application/javascript" | "application/json" | "application/xml" | "image/svg+xml"
        );
    let value = if textual {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

/// The served files of one chunk of the site (a program, or the site's
/// own files), by output path.
#[derive(Default)]
struct ServedChunk {
    files: HashMap<String, Entry>,
    pages: usize,
    /// A fingerprint of its assets (see [`is_asset`]).
    assets: u64,
}

/// A file copied from the site, as last read: size, modification time,
/// entry.
type CopiedFile = (u64, Option<SystemTime>, Entry);

/// What one assembly of a site keeps for the next: files copied from the
/// site (`OutFile::Copy`), reused while their size and modification time
/// are unchanged, and every chunk's served files with the chunk they were
/// made from — a chunk the renderer handed on unchanged is the same
/// allocation, so it is reused whole after a pointer comparison, and in a
/// changed chunk each page that is the same allocation keeps its entry.
/// Pages are reused only while the site's assets are unchanged (their
/// versions include the assets).
#[derive(Default)]
pub struct SiteCache {
    /// By chunk key: the files the chunk copies (so they go with it).
    files: HashMap<String, HashMap<PathBuf, CopiedFile>>,
    chunks: HashMap<String, (Arc<Chunk>, Arc<ServedChunk>)>,
    /// The fingerprint of the assets the cached pages were versioned with.
    assets: u64,
}

/// A built site, served from memory.
pub struct ServedSite {
    /// Identifies this build in the server's events.
    pub build: String,
    /// The path every URL of the site starts with (`/`, or `/sub/` for a
    /// `base_url` of `/sub/`).
    pub prefix: String,
    /// By chunk key: a program's id, or "" for the site's own files.
    chunks: HashMap<String, Arc<ServedChunk>>,
    /// Before the first successful build: a page saying so, served for
    /// every URL (its script shows the errors and reloads once fixed).
    placeholder: Option<Entry>,
}

/// What a request path maps to.
#[derive(Debug)]
pub enum Resolved<'a> {
    File(&'a Entry),
    /// The folder URL without its trailing slash, or the root of a site
    /// served under a prefix: redirect here.
    Redirect(String),
    /// No good build yet: the placeholder page, status 503.
    Unavailable(&'a Entry),
    NotFound,
}

/// The version of an HTML page: a hash of the page as rendered and of every
/// asset of the site (a changed stylesheet changes every page). It is the
/// page's ETag, and the injected script knows it, so an open page can ask
/// whether it is still current.
fn page_version(html: &[u8], assets: u64) -> String {
    let mut h = std::hash::DefaultHasher::new();
    html.hash(&mut h);
    assets.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// An HTML page with the live-reload script, its ETag being its version.
fn page_entry(path: &str, html: &[u8], assets: u64) -> Entry {
    let version = page_version(html, assets);
    let body = Bytes::from(inject(html, &script_tag(&version, assets)));
    Entry {
        etag: HeaderValue::from_str(&format!("\"{version}\""))
            .expect("hex is a valid header value"),
        content_type: content_type(path),
        body,
    }
}

/// Whether a change of this file changes how pages look: stylesheets,
/// scripts, images, fonts — not pages, the sitemap or the exports.
fn is_asset(path: &str) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    !matches!(ext, "html" | "xml" | "ics" | "json" | "csv")
}

impl ServedSite {
    /// The site before any build succeeded.
    pub fn placeholder(build: String) -> Self {
        const HTML: &str =
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>playbook serve — the playbook has errors</title>\n</head>\n<body>\n\
             <h1>The playbook has errors</h1>\n<p>Nothing could be built yet. The errors are \
             listed in the terminal (and over this page); this page reloads by itself once they \
             are fixed.</p>\n</body>\n</html>\n";
        ServedSite {
            placeholder: Some(page_entry("index.html", HTML.as_bytes(), 0)),
            build,
            prefix: "/".into(),
            chunks: HashMap::new(),
        }
    }

    /// Take a rendered site into memory: read copied files, inject the
    /// live-reload script into HTML pages, compute ETags. What `cache`
    /// holds from the previous build is reused where unchanged.
    pub fn from_output(
        output: Output,
        build: String,
        prefix: String,
        cache: &mut SiteCache,
    ) -> io::Result<Self> {
        // Every chunk's files other than pages first (a chunk handed on
        // unchanged keeps its served form): the pages' versions depend on
        // the assets among them.
        let prepared: Vec<Prepared> = output
            .chunks
            .into_par_iter()
            .map(|(key, chunk)| Prepared::new(key, chunk, cache))
            .collect::<io::Result<_>>()?;
        let assets = {
            let mut h = std::hash::DefaultHasher::new();
            for p in &prepared {
                p.key.hash(&mut h);
                p.assets.hash(&mut h);
            }
            h.finish()
        };
        let same_assets = cache.assets == assets;
        let made: Vec<(Prepared, Arc<ServedChunk>)> = prepared
            .into_par_iter()
            .map(|p| {
                let served = match (&p.unchanged, same_assets) {
                    (Some(served), true) => Arc::clone(served),
                    _ => {
                        Arc::new(p.serve(cache.chunks.get(&p.key).filter(|_| same_assets), assets)?)
                    }
                };
                Ok((p, served))
            })
            .collect::<io::Result<_>>()?;
        // The cache now holds this build's chunks and the files each copies
        // (an unchanged chunk keeps its own; what no chunk copies is gone).
        let mut previous = std::mem::take(cache);
        let mut chunks = HashMap::with_capacity(made.len());
        for (p, served) in made {
            let copied = match p.unchanged {
                Some(_) => previous.files.remove(&p.key).unwrap_or_default(),
                None => p.copied.into_iter().collect(),
            };
            cache.files.insert(p.key.clone(), copied);
            cache
                .chunks
                .insert(p.key.clone(), (p.chunk, Arc::clone(&served)));
            chunks.insert(p.key, served);
        }
        cache.assets = assets;
        Ok(ServedSite {
            build,
            prefix,
            chunks,
            placeholder: None,
        })
    }

    /// Number of HTML pages.
    pub fn pages(&self) -> usize {
        self.chunks.values().map(|c| c.pages).sum()
    }

    /// The site's `404.html`, when it has one.
    pub fn not_found_page(&self) -> Option<&Entry> {
        self.file("404.html")
    }

    /// The file at output path `rel`.
    fn file(&self, rel: &str) -> Option<&Entry> {
        self.chunks
            .get(chunk_key(rel))
            .and_then(|c| c.files.get(rel))
            .or_else(|| self.chunks.get("").and_then(|c| c.files.get(rel)))
    }

    /// Map a request path (as sent, percent-encoded) to a file. Paths that
    /// do not decode, or that hold `.` or `..` segments, backslashes or NUL
    /// bytes, are not found: only files of the built site are ever served.
    pub fn resolve(&self, raw_path: &str) -> Resolved<'_> {
        let Ok(path) = percent_encoding::percent_decode_str(raw_path).decode_utf8() else {
            return Resolved::NotFound;
        };
        if !path.starts_with('/')
            || path.contains(['\\', '\0'])
            || path.split('/').any(|seg| seg == ".." || seg == ".")
        {
            return Resolved::NotFound;
        }
        if let Some(page) = &self.placeholder {
            return Resolved::Unavailable(page);
        }
        let prefix = self.prefix.as_str();
        let Some(rel) = path.strip_prefix(prefix) else {
            // `/sub` → `/sub/`, and `/` → `/sub/` for a site under a prefix.
            if path == "/" || path == prefix.trim_end_matches('/') {
                return Resolved::Redirect(prefix.to_string());
            }
            return Resolved::NotFound;
        };
        if rel.starts_with('/') {
            return Resolved::NotFound;
        }
        let key = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        if let Some(e) = self.file(&key) {
            return Resolved::File(e);
        }
        if !rel.ends_with('/') && self.file(&format!("{rel}/index.html")).is_some() {
            return Resolved::Redirect(format!("{raw_path}/"));
        }
        Resolved::NotFound
    }
}

/// A chunk's files other than pages, served, and the files among them
/// copied from the site.
type Others = (Vec<(String, Entry)>, Vec<(PathBuf, CopiedFile)>);

/// A chunk of the output on its way to being served: its files other than
/// pages, read (or its served form, when the chunk is the one the last
/// build served), and the fingerprint of its assets.
struct Prepared {
    key: String,
    chunk: Arc<Chunk>,
    /// The chunk's served form, when it is the one the last build served.
    unchanged: Option<Arc<ServedChunk>>,
    /// Its files other than pages, served (when it is not unchanged).
    others: Vec<(String, Entry)>,
    /// The files it copies from the site, as read now.
    copied: Vec<(PathBuf, CopiedFile)>,
    assets: u64,
}

impl Prepared {
    fn new(key: String, chunk: Arc<Chunk>, cache: &SiteCache) -> io::Result<Self> {
        let unchanged = cache
            .chunks
            .get(&key)
            .filter(|(old, _)| Arc::ptr_eq(old, &chunk))
            .map(|(_, served)| Arc::clone(served));
        if let Some(served) = unchanged {
            return Ok(Prepared {
                assets: served.assets,
                key,
                chunk,
                unchanged: Some(served),
                others: Vec::new(),
                copied: Vec::new(),
            });
        }
        let (others, copied) = read_others(&chunk, cache)?;
        let mut assets: Vec<(&String, &Entry)> = others
            .iter()
            .filter(|(p, _)| is_asset(p))
            .map(|(p, e)| (p, e))
            .collect();
        assets.sort_by(|a, b| a.0.cmp(b.0));
        let mut h = std::hash::DefaultHasher::new();
        for (path, e) in assets {
            path.hash(&mut h);
            e.etag.as_bytes().hash(&mut h);
        }
        Ok(Prepared {
            assets: h.finish(),
            key,
            chunk,
            unchanged,
            others,
            copied,
        })
    }

    /// The served form: the other files, and every page with the script
    /// injected — a page of `previous` (the last build's form of this chunk,
    /// when the assets are unchanged) that is the same allocation is reused.
    fn serve(
        &self,
        previous: Option<&(Arc<Chunk>, Arc<ServedChunk>)>,
        assets: u64,
    ) -> io::Result<ServedChunk> {
        let pages: Vec<(&String, Entry)> = self
            .chunk
            .files
            .par_iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .map(|(path, file)| {
                let reused = previous.and_then(|(old, served)| match (old.files.get(path), file) {
                    (Some(OutFile::Bytes(a)), OutFile::Bytes(b)) if Arc::ptr_eq(a, b) => {
                        served.files.get(path).cloned()
                    }
                    _ => None,
                });
                let entry = match (reused, file) {
                    (Some(e), _) => e,
                    (None, OutFile::Bytes(b)) => page_entry(path, b, assets),
                    (None, OutFile::Static(b)) => page_entry(path, b, assets),
                    // An HTML file among a session's assets.
                    (None, OutFile::Copy(src)) => {
                        let bytes = std::fs::read(src).map_err(|e| with_path(e, src))?;
                        page_entry(path, &bytes, assets)
                    }
                };
                Ok((path, entry))
            })
            .collect::<io::Result<_>>()?;
        let n = pages.len();
        let mut files: HashMap<String, Entry> = match &self.unchanged {
            Some(served) => served
                .files
                .iter()
                .filter(|(p, _)| !p.ends_with(".html"))
                .map(|(p, e)| (p.clone(), e.clone()))
                .collect(),
            None => self.others.iter().cloned().collect(),
        };
        for (path, e) in pages {
            files.insert(path.clone(), e);
        }
        Ok(ServedChunk {
            files,
            pages: n,
            assets: self.assets,
        })
    }
}

/// A chunk's files other than pages, served; files copied from the site are
/// read unless `cache` holds them with the same size and modification time.
fn read_others(chunk: &Chunk, cache: &SiteCache) -> io::Result<Others> {
    let mut entries = Vec::new();
    let mut copied = Vec::new();
    for (path, file) in chunk.files.iter().filter(|(p, _)| !p.ends_with(".html")) {
        let entry = match file {
            OutFile::Bytes(b) => Entry::new(path, Bytes::from_owner(Arc::clone(b))),
            OutFile::Static(b) => Entry::new(path, Bytes::from_static(b)),
            OutFile::Copy(src) => {
                let meta = std::fs::metadata(src).map_err(|e| with_path(e, src))?;
                let (len, mtime) = (meta.len(), meta.modified().ok());
                let e = match cache
                    .files
                    .get(&chunk.key)
                    .and_then(|f| f.get(src))
                    .filter(|(l, m, _)| *l == len && *m == mtime)
                {
                    Some((_, _, e)) => e.clone(),
                    None => {
                        let bytes = std::fs::read(src).map_err(|e| with_path(e, src))?;
                        Entry::new(path, Bytes::from(bytes))
                    }
                };
                copied.push((src.clone(), (len, mtime, e.clone())));
                e
            }
        };
        entries.push((path.clone(), entry));
    }
    Ok((entries, copied))
}

fn with_path(e: io::Error, path: &std::path::Path) -> io::Error {
    io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()))
}

/// The tag injected into served HTML pages: `version` is the page's,
/// `assets` the fingerprint of the site's other files (when it changes,
/// open pages reload rather than update in place).
pub(crate) fn script_tag(version: &str, assets: u64) -> String {
    // `defer`: the page is parsed and shown without waiting for the script.
    format!("<script src=\"{SCRIPT_PATH}\" data-page=\"{version}\" data-assets=\"{assets:016x}\" data-events=\"{EVENTS_PATH}\" defer></script>\n")
}

/// `html` with `tag` inserted before its last `</body>` (matched without
/// regard to case), or appended when it has none.
pub(crate) fn inject(html: &[u8], tag: &str) -> Vec<u8> {
    const CLOSE: &[u8] = b"</body>";
    let at = html
        .windows(CLOSE.len())
        .rposition(|w| w.eq_ignore_ascii_case(CLOSE))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(prefix: &str) -> ServedSite {
        let mut output = Output::default();
        for p in [
            "index.html",
            "404.html",
            "a/index.html",
            "style.css",
            "a/b.txt",
        ] {
            let key = p.split_once('/').map_or("", |(k, _)| k);
            let chunk = output
                .chunks
                .entry(key.to_string())
                .or_insert_with(|| Arc::new(Chunk::new(key)));
            Arc::get_mut(chunk).unwrap().files.insert(
                p.into(),
                OutFile::Bytes(Arc::from(&b"<html><body>x</body></html>"[..])),
            );
        }
        ServedSite::from_output(
            output,
            "b1".into(),
            prefix.into(),
            &mut SiteCache::default(),
        )
        .unwrap()
    }

    fn file(s: &ServedSite, p: &str) -> bool {
        matches!(s.resolve(p), Resolved::File(_))
    }

    #[test]
    fn folders_serve_index_and_redirect_without_slash() {
        let s = site("/");
        assert!(file(&s, "/"));
        assert!(file(&s, "/a/"));
        assert!(file(&s, "/a/b.txt"));
        assert!(matches!(s.resolve("/a"), Resolved::Redirect(l) if l == "/a/"));
        assert!(matches!(s.resolve("/nope"), Resolved::NotFound));
    }

    #[test]
    fn traversal_is_not_found() {
        let s = site("/");
        for p in [
            "/../Cargo.toml",
            "/a/../index.html",
            "/%2e%2e/Cargo.toml",
            "/..%2fCargo.toml",
            "/a/%2E%2E/%2E%2E/etc/passwd",
            "/a\\..\\x",
            "/a%5c..%5cx",
            "/./index.html",
            "/%00",
            "/%ff",
            "//etc/passwd",
        ] {
            assert!(matches!(s.resolve(p), Resolved::NotFound), "{p}");
        }
    }

    #[test]
    fn prefix() {
        let s = site("/sub/");
        assert!(file(&s, "/sub/"));
        assert!(file(&s, "/sub/style.css"));
        assert!(matches!(s.resolve("/"), Resolved::Redirect(l) if l == "/sub/"));
        assert!(matches!(s.resolve("/sub"), Resolved::Redirect(l) if l == "/sub/"));
        assert!(matches!(s.resolve("/style.css"), Resolved::NotFound));
    }

    fn copying(files: &[(&str, &std::path::Path)]) -> Output {
        let mut output = Output::default();
        let mut chunk = Chunk::new("a");
        for (p, src) in files {
            chunk
                .files
                .insert(p.to_string(), OutFile::Copy(src.to_path_buf()));
        }
        output.chunks.insert("a".into(), Arc::new(chunk));
        output
    }

    #[test]
    fn a_copied_file_that_cannot_be_read_fails_the_build_by_name() {
        let dir = std::env::temp_dir().join(format!("playbook-site-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (page, handout) = (dir.join("page.html"), dir.join("handout.pdf"));
        std::fs::write(&page, "<p>handout</p>").unwrap();
        std::fs::write(&handout, "%PDF").unwrap();
        let mut cache = SiteCache::default();
        let files = [
            ("a/page.html", page.as_path()),
            ("a/h.pdf", handout.as_path()),
        ];
        let s =
            ServedSite::from_output(copying(&files), "b1".into(), "/".into(), &mut cache).unwrap();
        let Resolved::File(e) = s.resolve("/a/page.html") else {
            panic!("page not served")
        };
        assert!(e.body.starts_with(b"<p>handout</p>"));
        let cached = |c: &SiteCache| c.files.values().map(HashMap::len).sum::<usize>();
        assert_eq!(cached(&cache), 1, "the copied PDF is cached");

        // Gone between the render and the swap: an error naming the file,
        // never an empty page.
        std::fs::remove_file(&page).unwrap();
        let err = ServedSite::from_output(copying(&files), "b2".into(), "/".into(), &mut cache)
            .err()
            .expect("an unreadable page fails the swap");
        assert!(err.to_string().contains("page.html"), "{err}");

        // A build that no longer copies the PDF lets go of it.
        let s = ServedSite::from_output(copying(&[]), "b3".into(), "/".into(), &mut cache).unwrap();
        assert!(matches!(s.resolve("/a/h.pdf"), Resolved::NotFound));
        assert_eq!(cached(&cache), 0, "{:?}", cache.files);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = inject(b"<p></body></BODY>\n</html>", "<s>");
        assert_eq!(out, b"<p></body><s></BODY>\n</html>");
        assert_eq!(inject(b"<p>", "<s>"), b"<p><s>");
    }

    #[test]
    fn html_is_injected_other_files_are_not() {
        let s = site("/");
        let Resolved::File(e) = s.resolve("/a/") else {
            panic!()
        };
        assert!(std::str::from_utf8(&e.body).unwrap().contains(SCRIPT_PATH));
        assert_eq!(e.content_type, "text/html; charset=utf-8");
        let Resolved::File(e) = s.resolve("/style.css") else {
            panic!()
        };
        assert!(!std::str::from_utf8(&e.body).unwrap().contains(SCRIPT_PATH));
        assert_eq!(e.content_type, "text/css; charset=utf-8");
    }
}
