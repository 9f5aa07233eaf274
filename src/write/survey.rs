//! What a folder of playbook's holds beside what its manifest says: files
//! no build wrote there ([`foreign_files`], proven absent from folder times
//! when it can be, [`untouched_since`]) and files someone edited since
//! ([`edited_files`]).

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io::{self, Read};
use std::path::Path;

use super::manifest::{changed_at, open_regular, Manifest, MANIFEST};

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

/// The files of the output folder `dir` whose bytes are no longer those
/// its manifest `m` records: someone edited them. Sorted.
///
/// Call it only once [`foreign_files`] found nothing, so that every folder
/// on the way to a listed file is a real folder. Only a file whose status
/// changed as late as the manifest or later is read and hashed: a file's
/// status-change time moves with every write and no one can set it back,
/// so one earlier than the manifest's holds what the build before wrote
/// (and the manifest, written last, records). A rebuild therefore reads
/// only the few files written within the clock tick of the manifest, and
/// those someone touched since; where the file system keeps no such time
/// (not Unix), every file is read. Files without a recorded hash
/// (manifests of earlier versions) and files gone are not edits.
pub(super) fn edited_files(dir: &Path, m: &Manifest) -> Vec<String> {
    use rayon::prelude::*;
    let mut edited: Vec<String> = m
        .files
        .par_iter()
        .filter_map(|(rel, hash)| {
            let hash = (*hash)?;
            let path = dir.join(rel);
            let meta = fs::symlink_metadata(&path).ok()?;
            if !meta.is_file() {
                return None;
            }
            let proven = m
                .written
                .zip(changed_at(&meta))
                .is_some_and(|(since, t)| t < since);
            if proven || hash_of(&path).is_ok_and(|h| h == hash) {
                return None;
            }
            Some(rel.clone())
        })
        .collect();
    edited.sort();
    edited
}

/// The xxh3-128 hash of the bytes of the regular file `path`, read in
/// pieces (an output may hold large handouts).
fn hash_of(path: &Path) -> io::Result<u128> {
    let mut f = open_regular(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    let mut buf = vec![0; 64 * 1024];
    loop {
        match f.read(&mut buf) {
            Ok(0) => return Ok(hasher.digest128()),
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
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

    #[cfg(unix)]
    #[test]
    fn only_files_changed_since_the_manifest_are_read_and_an_edit_is_found() {
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
        let edited = || edited_files(&dir, &read_manifest(&dir).unwrap().unwrap());
        assert!(edited().is_empty());
        // Written again with the same bytes: read, and no edit.
        fs::write(dir.join("index.html"), "home").unwrap();
        assert!(edited().is_empty());
        fs::write(dir.join("a/b/index.html"), "deep, and my notes").unwrap();
        fs::write(dir.join("index.html"), "mine").unwrap();
        assert_eq!(edited(), ["a/b/index.html", "index.html"]);
        // Gone is no edit.
        fs::remove_file(dir.join("index.html")).unwrap();
        assert_eq!(edited(), ["a/b/index.html"]);
    }
}
