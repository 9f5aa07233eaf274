//! What a folder of playbook's holds beside what its manifest says: files
//! no build wrote there ([`foreign_files`], proven absent from folder times
//! when it can be, [`untouched_since`]).

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::Path;

use super::manifest::{changed_at, Manifest, MANIFEST};

/// The files (and symbolic links) under `dir` that no earlier build wrote:
/// all of them when `dir` holds no manifest. Sorted, relative,
/// `/`-separated.
pub(super) fn foreign_files(dir: &Path, manifest: Option<&Manifest>) -> io::Result<Vec<String>> {
    if manifest.is_some_and(|m| untouched_since(dir, m)) {
        return Ok(Vec::new());
    }
    let mut written: BTreeSet<&str> = manifest
        .map(|m| m.files.keys().map(String::as_str).collect())
        .unwrap_or_default();
    if !written.is_empty() {
        written.insert(MANIFEST);
    }
    let mut foreign = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = crate::diagnostics::rel_path(dir, entry.path());
        if !entry.file_type().is_file() || !written.contains(rel.as_str()) {
            foreign.push(rel);
        }
    }
    Ok(foreign)
}

/// Whether nothing was added to the folder `dir` since its manifest `m`
/// was written, proven without reading every folder: the folder itself
/// holds only what the manifest names, and every folder below
/// it that holds the manifest's files has not changed since (a folder's
/// status-change time moves whenever an entry is added, removed or renamed
/// in it, and no one can set it back; one as late as the manifest's, which
/// coarse clocks allow, is not proof). `false` when that cannot be shown.
pub(super) fn untouched_since(dir: &Path, m: &Manifest) -> bool {
    use rayon::prelude::*;
    let Some(since) = m.written else {
        return false;
    };
    let mut top: HashSet<&str> = HashSet::from([MANIFEST]);
    let mut folders: HashSet<&Path> = HashSet::new();
    for f in m.files.keys() {
        top.insert(f.split('/').next().unwrap_or(f));
        let mut parent = Path::new(f).parent();
        while let Some(p) = parent.filter(|p| !p.as_os_str().is_empty()) {
            if !folders.insert(p) {
                break;
            }
            parent = p.parent();
        }
    }
    // The folder itself: moving it into place changed its time.
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    for e in entries {
        let Ok(e) = e else {
            return false;
        };
        if !e.file_name().to_str().is_some_and(|n| top.contains(n)) {
            return false;
        }
        // A link in the place of one of ours is not ours (the full walk
        // says so too); the folders below are checked next.
        if e.file_type().map_or(true, |t| t.is_symlink()) {
            return false;
        }
    }
    let folders: Vec<&Path> = folders.into_iter().collect();
    folders.par_iter().all(|f| {
        fs::symlink_metadata(dir.join(f))
            .is_ok_and(|md| md.is_dir() && changed_at(&md).is_some_and(|t| t < since))
    })
}

#[cfg(test)]
mod tests {
    use super::super::manifest::read_manifest;
    use super::*;

    #[cfg(unix)]
    #[test]
    fn an_output_is_known_untouched_until_something_is_added_anywhere() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        for _ in 0..2 {
            let staging = super::super::Staging::begin(&dir, true).unwrap();
            let mut chunk = crate::output::Chunk::new("");
            chunk.add_text("index.html", "home".into());
            chunk.add_text("a/b/index.html", "deep".into());
            crate::output::Sink::put(&staging, std::sync::Arc::new(chunk));
            super::super::staging::tests::tick();
            staging.commit().unwrap();
        }
        let manifest = || read_manifest(&dir).unwrap().unwrap();
        let untouched = || untouched_since(&dir, &manifest());
        let foreign = || foreign_files(&dir, Some(&manifest())).unwrap();
        assert!(untouched());
        assert!(foreign().is_empty());
        // Changing a file's bytes adds nothing.
        fs::write(dir.join("a/b/index.html"), "edited").unwrap();
        assert!(untouched());
        for added in ["a/b/notes.txt", "a/new/x.txt", "CNAME"] {
            let path = dir.join(added);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "mine").unwrap();
            assert!(!untouched(), "{added}");
            assert_eq!(foreign(), [added]);
            fs::remove_file(&path).unwrap();
            let _ = fs::remove_dir(dir.join("a/new"));
        }
    }
}
