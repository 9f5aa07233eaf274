//! The manifest every output folder holds (`.playbook-output`): the files
//! playbook wrote there, each with the hash of its bytes, so that a later
//! build knows which files are its own and which it need not write again.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;

/// The file in every output folder that lists what playbook wrote there.
pub const MANIFEST: &str = ".playbook-output";

/// The first line of a manifest.
pub const MANIFEST_HEADER: &str =
    "# Written by playbook: the files it published here, which the next build may replace.";
/// The second line of a manifest that records hashes (manifests of
/// earlier versions list paths only).
pub const MANIFEST_FORMAT: &str =
    "# Each line: the xxh3-128 hash of the file's bytes (32 hex digits), a space, its path.";

/// What a manifest says about an output folder: every file playbook wrote
/// there, with the hash of its bytes where the manifest records it.
pub(super) struct Manifest {
    pub(super) files: HashMap<String, Option<u128>>,
    /// When the manifest was written (its status-change time): a file
    /// changed later is not what it says.
    pub(super) written: Option<(i64, i64)>,
}

/// The manifest of `dir`, when it holds one of playbook's.
pub(super) fn read_manifest(dir: &Path) -> Option<Manifest> {
    let path = dir.join(MANIFEST);
    let text = fs::read_to_string(&path).ok()?;
    let mut lines = text.lines();
    if lines.next() != Some(MANIFEST_HEADER) {
        return None;
    }
    let mut files = HashMap::new();
    let mut hashed = false;
    for line in lines {
        if line == MANIFEST_FORMAT {
            hashed = true;
            continue;
        }
        let entry = match line.split_once(' ') {
            Some((h, p)) if hashed => (p, u128::from_str_radix(h, 16).ok()),
            _ => (line, None),
        };
        files.insert(entry.0.to_string(), entry.1);
    }
    let written = fs::metadata(&path).ok().and_then(|m| changed_at(&m));
    Some(Manifest { files, written })
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
