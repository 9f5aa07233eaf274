//! The manifest every output folder holds (`.playbook-output`): the files
//! playbook wrote there, each with the hash of its bytes, so that a later
//! build knows which files are its own and which it need not write again.
//!
//! A manifest is untrusted input — a repository can carry an output folder
//! or a kept previous output with one — so every line must be one playbook
//! could have written: a normal relative path inside the folder
//! ([`is_normal_path`]). A manifest with any other line is refused whole
//! ([`BadLine`]), before anything is deleted.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path};

/// The file in every output folder that lists what playbook wrote there.
pub(crate) const MANIFEST: &str = crate::layout::OUTPUT_MANIFEST;

/// The first line of a manifest.
pub(super) const MANIFEST_HEADER: &str =
    "# Written by playbook: the files it published here, which the next build may replace.";
/// The second line of a manifest that records hashes (manifests of
/// earlier versions list paths only).
pub(super) const MANIFEST_FORMAT: &str =
    "# Each line: the xxh3-128 hash of the file's bytes (32 hex digits), a space, its path.";

/// Why an output folder is refused: what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused {
    pub message: String,
    pub hint: String,
}

/// What a manifest says about an output folder: every file playbook wrote
/// there, with the hash of its bytes where the manifest records it.
pub(super) struct Manifest {
    pub(super) files: HashMap<String, Option<u128>>,
    /// When the manifest was written (its status-change time): a file
    /// changed later is not what it says.
    pub(super) written: Option<(i64, i64)>,
}

/// A line of a manifest that playbook cannot have written: a path that
/// is not a normal relative path inside the folder, or a malformed hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BadLine {
    /// 1-based.
    pub(super) line: usize,
    pub(super) text: String,
    /// The path the line names, when its hash is well-formed.
    pub(super) path: Option<String>,
}

impl BadLine {
    /// The refusal of a build over the manifest `manifest` holding this line.
    pub(super) fn refused(&self, manifest: &Path, hint: String) -> Refused {
        let what = match &self.path {
            Some(p) => format!(
                "names `{}`, which is not a path inside its folder",
                p.escape_debug()
            ),
            None => format!("(`{}`) is not a hash and a path", self.text.escape_debug()),
        };
        Refused {
            message: format!(
                "{} line {} {what}: playbook did not write this manifest, and nothing it lists is deleted",
                manifest.display(),
                self.line,
            ),
            hint,
        }
    }
}

/// Whether `p` is a path playbook may write and list: relative, `/`
/// between non-empty names, no `.` or `..`, no backslash (a separator on
/// Windows) and no control character (a line break would split its
/// manifest line in two).
pub(super) fn is_normal_path(p: &str) -> bool {
    !p.is_empty()
        && !p.contains(|c: char| c == '\\' || c.is_control())
        && p.split('/').all(|n| !n.is_empty() && n != "." && n != "..")
        && Path::new(p)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// The manifest of `dir`, when it holds one of playbook's: `Ok(None)` when
/// there is none (or it is not a regular file, or not playbook's), and the
/// first line playbook cannot have written when there is one.
pub(super) fn read_manifest(dir: &Path) -> Result<Option<Manifest>, BadLine> {
    let Ok((text, meta)) = read_regular(&dir.join(MANIFEST)) else {
        return Ok(None);
    };
    let Ok(text) = String::from_utf8(text) else {
        return Ok(None);
    };
    let mut lines = text.lines();
    if lines.next() != Some(MANIFEST_HEADER) {
        return Ok(None);
    }
    let mut files = HashMap::new();
    let mut hashed = false;
    for (i, line) in lines.enumerate() {
        let bad = || BadLine {
            line: i + 2,
            text: line.to_string(),
            path: None,
        };
        if i == 0 && line == MANIFEST_FORMAT {
            hashed = true;
            continue;
        }
        let (path, hash) = match line.split_once(' ') {
            Some((h, p)) if hashed => {
                let hash = (h.len() == 32 && h.bytes().all(|b| b.is_ascii_hexdigit()))
                    .then(|| u128::from_str_radix(h, 16).ok())
                    .flatten()
                    .ok_or_else(bad)?;
                (p, Some(hash))
            }
            None if hashed => return Err(bad()),
            _ => (line, None),
        };
        if !is_normal_path(path) {
            return Err(BadLine {
                path: Some(path.to_string()),
                ..bad()
            });
        }
        files.insert(path.to_string(), hash);
    }
    Ok(Some(Manifest {
        files,
        written: changed_at(&meta),
    }))
}

/// The line of the manifest of `dir` that lists `path` (for messages).
pub(super) fn line_of(dir: &Path, path: &str) -> Option<usize> {
    let (text, _) = read_regular(&dir.join(MANIFEST)).ok()?;
    let text = String::from_utf8(text).ok()?;
    text.lines()
        .position(|l| l == path || l.split_once(' ').is_some_and(|(_, p)| p == path))
        .map(|i| i + 1)
}

/// The bytes of the regular file `path` and its metadata, read without
/// following a symbolic link and without waiting on a FIFO or device.
pub(super) fn read_regular(path: &Path) -> io::Result<(Vec<u8>, fs::Metadata)> {
    let mut f = open_regular(path)?;
    let meta = f.metadata()?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.read_to_end(&mut bytes)?;
    Ok((bytes, meta))
}

/// Open the regular file `path` for reading: a symbolic link, a FIFO, a
/// device or a folder there is an error (opened without following or
/// blocking, then refused).
pub(super) fn open_regular(path: &Path) -> io::Result<fs::File> {
    let mut open = fs::OpenOptions::new();
    open.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        open.custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32);
    }
    let f = open.open(path)?;
    if !f.metadata()?.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    Ok(f)
}

/// When a file's status last changed (content, times, mode): every write
/// moves it forward and no one can set it back.
#[cfg(unix)]
pub(super) fn changed_at(m: &fs::Metadata) -> Option<(i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.ctime(), m.ctime_nsec()))
}

#[cfg(not(unix))]
pub(super) fn changed_at(_: &fs::Metadata) -> Option<(i64, i64)> {
    None
}

/// The manifest of an output: the hash and path of every file written,
/// one per line, sorted by path.
pub(super) fn manifest_text(files: &BTreeMap<String, u128>) -> String {
    let mut text = String::with_capacity(64 * files.len() + 200);
    text.push_str(MANIFEST_HEADER);
    text.push('\n');
    text.push_str(MANIFEST_FORMAT);
    text.push('\n');
    for (path, hash) in files {
        text.push_str(&format!("{hash:032x} {path}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_normal_relative_paths_are_paths_of_an_output() {
        for ok in [
            "index.html",
            "a/b/index.html",
            ".well-known/x",
            "a b/c d.pdf",
            "..x/y..",
        ] {
            assert!(is_normal_path(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "./a",
            "a/./b",
            "a//b",
            "a/",
            "a\\b",
            "..\\x",
            "a\0b",
            "a\nb",
            "a\rb",
            "..",
        ] {
            assert!(!is_normal_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_manifest_with_a_line_playbook_cannot_have_written_is_refused_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let head = format!("{MANIFEST_HEADER}\n{MANIFEST_FORMAT}\n");
        let h = format!("{:032x}", 7u128);
        let write = |body: &str| fs::write(tmp.path().join(MANIFEST), format!("{head}{body}"));
        write(&format!("{h} index.html\n{h} a b/c.html\n")).unwrap();
        let m = read_manifest(tmp.path()).unwrap().unwrap();
        assert_eq!(m.files["a b/c.html"], Some(7));
        for (body, line) in [
            (format!("{h} ok.html\n{h} ../x\n"), 4),
            (format!("{h} ok.html\n\n"), 4),
            (format!("{h}\n"), 3),
            (format!("{h} \n"), 3),
            ("zz ok.html\n".to_string(), 3),
            (format!("{h}0 ok.html\n"), 3),
            (format!("{h} /abs\n"), 3),
        ] {
            write(&body).unwrap();
            let bad = read_manifest(tmp.path()).err().unwrap();
            assert_eq!(bad.line, line, "{body:?}");
        }
        // Manifests of earlier versions list paths only, still checked.
        fs::write(
            tmp.path().join(MANIFEST),
            format!("{MANIFEST_HEADER}\na.html\n"),
        )
        .unwrap();
        assert!(read_manifest(tmp.path()).unwrap().is_some());
        fs::write(
            tmp.path().join(MANIFEST),
            format!("{MANIFEST_HEADER}\n../a\n"),
        )
        .unwrap();
        assert_eq!(read_manifest(tmp.path()).err().unwrap().line, 2);
        // Not playbook's at all: no manifest.
        fs::write(tmp.path().join(MANIFEST), "hello\n../x\n").unwrap();
        assert!(read_manifest(tmp.path()).unwrap().is_none());
    }
}
