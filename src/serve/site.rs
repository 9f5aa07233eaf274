//! The built site as `playbook serve` holds it: every file of a
//! [`Output`](crate::output::Output) in memory with its MIME type and
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

use crate::output::{OutFile, Output};

/// Where the injected script is served.
pub const SCRIPT_PATH: &str = "/__playbook/live.js";
/// The server-sent events endpoint.
pub const EVENTS_PATH: &str = "/__playbook/events";

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
pub fn content_type(path: &str) -> HeaderValue {
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

/// What one assembly of a site keeps for the next: files copied from the
/// site (`OutFile::Copy`), reused while their size and modification time
/// are unchanged, and rendered pages with their served entries, reused
/// while the page and the site's assets are unchanged (a page the renderer
/// reused is the same allocation, so the check is a pointer comparison).
#[derive(Default)]
pub struct SiteCache {
    files: HashMap<PathBuf, (u64, Option<SystemTime>, Entry)>,
    pages: HashMap<String, (Arc<[u8]>, Entry)>,
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
    files: HashMap<String, Entry>,
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

/// Whether a change of this file changes how pages look: everything but
/// pages and the sitemap.
fn is_asset(path: &str) -> bool {
    !path.ends_with(".html") && path != "sitemap.xml"
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
            files: HashMap::new(),
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
        let previous = &cache.files;
        type Copied = Option<(PathBuf, u64, Option<SystemTime>)>;
        let (pages, others): (Vec<_>, Vec<_>) = output
            .files
            .into_iter()
            .partition(|(path, _)| path.ends_with(".html"));
        // Everything but pages first: the pages' versions depend on them.
        let others: Vec<(String, Entry, Copied)> = others
            .into_par_iter()
            .map(|(path, file)| -> io::Result<_> {
                Ok(match file {
                    OutFile::Bytes(b) => (
                        path.clone(),
                        Entry::new(&path, Bytes::from(b.to_vec())),
                        None,
                    ),
                    OutFile::Static(b) => {
                        (path.clone(), Entry::new(&path, Bytes::from_static(b)), None)
                    }
                    OutFile::Copy(src) => {
                        let meta = std::fs::metadata(&src).map_err(|e| with_path(e, &src))?;
                        let (len, mtime) = (meta.len(), meta.modified().ok());
                        let cached = previous
                            .get(&src)
                            .filter(|(l, m, _)| *l == len && *m == mtime);
                        let e = match cached {
                            Some((_, _, e)) => e.clone(),
                            None => {
                                let bytes = std::fs::read(&src).map_err(|e| with_path(e, &src))?;
                                Entry::new(&path, Bytes::from(bytes))
                            }
                        };
                        (path, e, Some((src, len, mtime)))
                    }
                })
            })
            .collect::<io::Result<_>>()?;
        let assets = {
            let mut h = std::hash::DefaultHasher::new();
            for (path, e, _) in others.iter().filter(|(p, _, _)| is_asset(p)) {
                path.hash(&mut h);
                e.etag.as_bytes().hash(&mut h);
            }
            h.finish()
        };
        let reusable = |path: &str, html: &Arc<[u8]>| {
            cache
                .pages
                .get(path)
                .filter(|(old, _)| {
                    cache.assets == assets && (Arc::ptr_eq(old, html) || **old == **html)
                })
                .map(|(_, e)| e.clone())
        };
        let pages: Vec<(String, Arc<[u8]>, Entry)> = pages
            .into_par_iter()
            .map(|(path, file)| -> io::Result<_> {
                let html: Arc<[u8]> = match file {
                    OutFile::Bytes(b) => b,
                    OutFile::Static(b) => Arc::from(b),
                    OutFile::Copy(src) => {
                        Arc::from(std::fs::read(&src).map_err(|e| with_path(e, &src))?)
                    }
                };
                let entry = match reusable(&path, &html) {
                    Some(e) => e,
                    None => page_entry(&path, &html, assets),
                };
                Ok((path, html, entry))
            })
            .collect::<io::Result<_>>()?;
        let mut files = HashMap::with_capacity(others.len() + pages.len());
        let mut copies = HashMap::new();
        for (path, entry, copied) in others {
            if let Some((src, len, mtime)) = copied {
                copies.insert(src, (len, mtime, entry.clone()));
            }
            files.insert(path, entry);
        }
        let mut kept = HashMap::with_capacity(pages.len());
        for (path, html, entry) in pages {
            files.insert(path.clone(), entry.clone());
            kept.insert(path, (html, entry));
        }
        *cache = SiteCache {
            files: copies,
            pages: kept,
            assets,
        };
        Ok(ServedSite {
            build,
            prefix,
            files,
            placeholder: None,
        })
    }

    /// Number of HTML pages.
    pub fn pages(&self) -> usize {
        self.files.keys().filter(|k| k.ends_with(".html")).count()
    }

    /// The site's `404.html`, when it has one.
    pub fn not_found_page(&self) -> Option<&Entry> {
        self.files.get("404.html")
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
        if let Some(e) = self.files.get(&key) {
            return Resolved::File(e);
        }
        if !rel.ends_with('/') && self.files.contains_key(&format!("{rel}/index.html")) {
            return Resolved::Redirect(format!("{raw_path}/"));
        }
        Resolved::NotFound
    }
}

fn with_path(e: io::Error, path: &std::path::Path) -> io::Error {
    io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()))
}

/// The tag injected into served HTML pages: `version` is the page's,
/// `assets` the fingerprint of the site's other files (when it changes,
/// open pages reload rather than update in place).
pub fn script_tag(version: &str, assets: u64) -> String {
    // `defer`: the page is parsed and shown without waiting for the script.
    format!("<script src=\"{SCRIPT_PATH}\" data-page=\"{version}\" data-assets=\"{assets:016x}\" data-events=\"{EVENTS_PATH}\" defer></script>\n")
}

/// `html` with `tag` inserted before its last `</body>` (matched without
/// regard to case), or appended when it has none.
pub fn inject(html: &[u8], tag: &str) -> Vec<u8> {
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
            output.files.insert(
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
