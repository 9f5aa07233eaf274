//! The built site as `playbook serve` holds it: every file of a
//! [`render::Output`](crate::render::Output) in memory with its MIME type and
//! ETag, the live-reload script injected into every HTML page, and the
//! mapping from a request path to a file (folder URLs to `index.html`,
//! `..` and other escapes to "not found"). Nothing here reads the disk at
//! request time: files the output copies (`OutFile::Copy`) are read when
//! the site is assembled, and kept between rebuilds while they are unchanged.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::PathBuf;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::http::HeaderValue;
use rayon::prelude::*;

use crate::render::{OutFile, Output};

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

/// Files copied from the site (`OutFile::Copy`) read by an earlier rebuild,
/// reused while their size and modification time are unchanged.
#[derive(Default)]
pub struct CopyCache {
    files: HashMap<PathBuf, (u64, Option<SystemTime>, Entry)>,
}

/// A built site, served from memory.
pub struct ServedSite {
    /// Identifies this build; the injected script compares it with the
    /// server's current build to know when to reload.
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

impl ServedSite {
    /// The site before any build succeeded.
    pub fn placeholder(build: String) -> Self {
        const HTML: &str =
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>playbook serve — the playbook has errors</title>\n</head>\n<body>\n\
             <h1>The playbook has errors</h1>\n<p>Nothing could be built yet. The errors are \
             listed in the terminal (and over this page); this page reloads by itself once they \
             are fixed.</p>\n</body>\n</html>\n";
        let body = inject(HTML.as_bytes(), &script_tag(&build));
        ServedSite {
            placeholder: Some(Entry::new("index.html", Bytes::from(body))),
            build,
            prefix: "/".into(),
            files: HashMap::new(),
        }
    }

    /// Take a rendered site into memory: read copied files, inject the
    /// live-reload script into HTML pages, compute ETags.
    pub fn from_output(
        output: Output,
        build: String,
        prefix: String,
        cache: &mut CopyCache,
    ) -> io::Result<Self> {
        let tag = script_tag(&build);
        let previous = &cache.files;
        type Made = (String, Entry, Option<(PathBuf, u64, Option<SystemTime>)>);
        let made: Vec<Made> = output
            .files
            .into_par_iter()
            .map(|(path, file)| -> io::Result<Made> {
                let is_html = path.ends_with(".html");
                Ok(match file {
                    OutFile::Bytes(b) if is_html => {
                        let e = Entry::new(&path, Bytes::from(inject(&b, &tag)));
                        (path, e, None)
                    }
                    OutFile::Bytes(b) => {
                        let e = Entry::new(&path, Bytes::from(b));
                        (path, e, None)
                    }
                    OutFile::Static(b) if is_html => {
                        let e = Entry::new(&path, Bytes::from(inject(b, &tag)));
                        (path, e, None)
                    }
                    OutFile::Static(b) => {
                        let e = Entry::new(&path, Bytes::from_static(b));
                        (path, e, None)
                    }
                    OutFile::Copy(src) => {
                        let meta = std::fs::metadata(&src).map_err(|e| with_path(e, &src))?;
                        let (len, mtime) = (meta.len(), meta.modified().ok());
                        let cached = previous
                            .get(&src)
                            .filter(|(l, m, _)| *l == len && *m == mtime && !is_html);
                        let e = match cached {
                            Some((_, _, e)) => e.clone(),
                            None => {
                                let bytes = std::fs::read(&src).map_err(|e| with_path(e, &src))?;
                                let bytes = if is_html { inject(&bytes, &tag) } else { bytes };
                                Entry::new(&path, Bytes::from(bytes))
                            }
                        };
                        (path, e, Some((src, len, mtime)))
                    }
                })
            })
            .collect::<io::Result<_>>()?;
        let mut files = HashMap::with_capacity(made.len());
        let mut copies = HashMap::new();
        for (path, entry, copied) in made {
            if let Some((src, len, mtime)) = copied {
                copies.insert(src, (len, mtime, entry.clone()));
            }
            files.insert(path, entry);
        }
        cache.files = copies;
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

/// The tag injected into served HTML pages.
pub fn script_tag(build: &str) -> String {
    // `defer`: the page is parsed and shown without waiting for the script.
    format!("<script src=\"{SCRIPT_PATH}\" data-build=\"{build}\" data-events=\"{EVENTS_PATH}\" defer></script>\n")
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
                OutFile::Bytes(b"<html><body>x</body></html>".to_vec()),
            );
        }
        ServedSite::from_output(
            output,
            "b1".into(),
            prefix.into(),
            &mut CopyCache::default(),
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
