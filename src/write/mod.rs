//! Write: publish a rendered site to a folder, all or nothing, and only over
//! what playbook itself wrote.
//!
//! - **Which folders.** The output folder must not hold or lie inside any
//!   folder the site is read from (compared by real paths, so a symbolic
//!   link cannot sneak the output into `content/`), must not be a file or a
//!   symbolic link, and is replaced only when it is empty or every file in
//!   it is one that playbook wrote there before — listed in the
//!   [`MANIFEST`] it leaves in each output. Anything else (a `.git`, a
//!   `CNAME`, someone's documents) is refused with what to do; `--force`
//!   replaces it anyway.
//! - **All or nothing.** The site is written, as it is rendered, into a
//!   staging folder beside the output folder ([`Staging`]), then swapped
//!   into place with one atomic rename (Linux `renameat2` with
//!   `RENAME_EXCHANGE`; elsewhere two renames), so a failed or killed build
//!   never leaves a half-written site and the output folder is never
//!   missing. Leftovers of builds killed earlier are removed, under a lock
//!   that keeps two builds from racing.
//! - **Only what changed.** The output replaced by a build is kept beside
//!   it (`.NAME.previous`) and becomes the next build's staging folder:
//!   files whose bytes are unchanged are not written again.

mod manifest;
mod paths;
mod staging;
mod swap;

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use manifest::MANIFEST;
pub use staging::{Published, Staging};

use manifest::{read_manifest, Manifest};
use paths::{lexical_absolute, real_path};

/// Why an output folder is refused: what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub message: String,
    pub hint: String,
}

/// Refuse output folders that would destroy the site's sources or files
/// playbook did not write. `sources` are the folders the site is read from
/// (its root, and each program folder); `force` allows replacing a folder
/// of unknown files, or a symbolic link.
pub fn check_output_dir(
    root: &Path,
    sources: &[PathBuf],
    out: &Path,
    force: bool,
) -> Result<(), Refused> {
    let lexical = lexical_absolute(out);
    let real = real_path(&lexical);
    let shown = lexical.display();
    let meta = fs::symlink_metadata(&lexical);
    if let Ok(m) = &meta {
        if m.file_type().is_symlink() && !force {
            return Err(Refused {
                message: format!(
                    "the output folder {shown} is a symbolic link (to {}), which a build would replace",
                    real.display()
                ),
                hint: format!(
                    "build into the folder itself (--output {}), or pass --force to replace the link (its target is left alone)",
                    real.display()
                ),
            });
        }
        if !m.file_type().is_symlink() && !m.is_dir() {
            return Err(Refused {
                message: format!("the output path {shown} is a file, not a folder"),
                hint: "choose a folder for the site (--output DIR)".into(),
            });
        }
    }
    let real_root = real_path(root);
    if real_root.starts_with(&real) {
        return Err(Refused {
            message: format!("the output folder {shown} contains the site itself"),
            hint: "build into a folder of its own, such as public/ (the default)".into(),
        });
    }
    let mut read_from: Vec<(PathBuf, String)> =
        ["content", "templates", "static", "themes", ".git"]
            .iter()
            .map(|k| (real_path(&root.join(k)), format!("the site's {k}/ folder")))
            .collect();
    read_from.extend(sources.iter().map(|s| {
        (
            real_path(s),
            format!("{}, which the site is read from", s.display()),
        )
    }));
    for (dir, what) in read_from {
        if real.starts_with(&dir) || dir.starts_with(&real) {
            let how = if real.starts_with(&dir) {
                "is inside"
            } else {
                "contains"
            };
            return Err(Refused {
                message: format!("the output folder {shown} {how} {what}"),
                hint: "build into a folder of its own, such as public/ (the default)".into(),
            });
        }
    }
    if force || !lexical.is_dir() || meta.is_ok_and(|m| m.file_type().is_symlink()) {
        return Ok(());
    }
    let foreign = foreign_files(&lexical).map_err(|e| Refused {
        message: format!("cannot read the output folder {shown}: {e}"),
        hint: "check its permissions, or choose another folder (--output DIR)".into(),
    })?;
    if foreign.is_empty() {
        return Ok(());
    }
    let listed = foreign
        .iter()
        .take(5)
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let more = match foreign.len() {
        n if n > 5 => format!(" and {} more", n - 5),
        _ => String::new(),
    };
    Err(Refused {
        message: format!(
            "the output folder {shown} holds files that playbook did not write: {listed}{more}"
        ),
        hint: "a build replaces the whole folder: choose another one (--output DIR), move files you want published into the site's static/ folder, or pass --force to replace it anyway".into(),
    })
}

/// The files (and symbolic links) under `dir` that no earlier build wrote:
/// all of them when `dir` holds no manifest. Sorted, relative, `/`-separated.
fn foreign_files(dir: &Path) -> io::Result<Vec<String>> {
    let manifest = read_manifest(dir);
    if manifest.as_ref().is_some_and(|m| untouched_since(dir, m)) {
        return Ok(Vec::new());
    }
    let mut written: BTreeSet<String> = manifest
        .map(|m| m.files.into_keys().collect())
        .unwrap_or_default();
    if !written.is_empty() {
        written.insert(MANIFEST.to_string());
    }
    let mut foreign = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = crate::diagnostics::rel_path(dir, entry.path());
        if !entry.file_type().is_file() || !written.contains(&rel) {
            foreign.push(rel);
        }
    }
    Ok(foreign)
}

/// Whether nothing was added to the output folder `dir` since its manifest
/// `m` was written, proven without reading every folder: the folder itself
/// holds only what the manifest names, and every folder below it that
/// holds the manifest's files has not changed since (a folder's
/// status-change time moves whenever an entry is added, removed or renamed
/// in it, and no one can set it back; one as late as the manifest's, which
/// coarse clocks allow, is not proof). `false` when that cannot be shown.
fn untouched_since(dir: &Path, m: &Manifest) -> bool {
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
            .is_ok_and(|md| md.is_dir() && manifest::changed_at(&md).is_some_and(|t| t < since))
    })
}

/// Replace one file atomically: write a temporary file beside it, then
/// rename it over the old one, so a reader never sees half a file.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?;
    let tmp = path.with_file_name(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = fs::write(&tmp, bytes).and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    #[test]
    fn an_output_is_known_untouched_until_something_is_added_anywhere() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        for _ in 0..2 {
            let staging = Staging::begin(&dir, true).unwrap();
            let mut chunk = crate::output::Chunk::new("");
            chunk.add_text("index.html", "home".into());
            chunk.add_text("a/b/index.html", "deep".into());
            crate::output::Sink::put(&staging, std::sync::Arc::new(chunk));
            staging::tests::tick();
            staging.commit().unwrap();
        }
        let untouched = || untouched_since(&dir, &read_manifest(&dir).unwrap());
        assert!(untouched());
        assert!(foreign_files(&dir).unwrap().is_empty());
        // Changing a file's bytes adds nothing.
        fs::write(dir.join("a/b/index.html"), "edited").unwrap();
        assert!(untouched());
        for added in ["a/b/notes.txt", "a/new/x.txt", "CNAME"] {
            let path = dir.join(added);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "mine").unwrap();
            assert!(!untouched(), "{added}");
            assert_eq!(foreign_files(&dir).unwrap(), [added]);
            fs::remove_file(&path).unwrap();
            let _ = fs::remove_dir(dir.join("a/new"));
        }
    }

    #[cfg(unix)]
    #[test]
    fn real_paths_resolve_links_and_dots_of_what_exists() {
        let tmp = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(tmp.path()).unwrap();
        fs::create_dir(real.join("content")).unwrap();
        std::os::unix::fs::symlink(real.join("content"), real.join("link")).unwrap();
        assert_eq!(
            real_path(&real.join("link/new/x")),
            real.join("content/new/x")
        );
        assert_eq!(real_path(&real.join("content/../y")), real.join("y"));
    }
}
