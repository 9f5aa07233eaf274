//! Removing what the writer no longer needs — the stale files of a kept
//! previous output, what no build wrote there, folders left by killed
//! builds, a replaced output — without ever following a symbolic link out
//! of the folder. Stale files
//! are removed relative to an open handle of the folder that holds them,
//! each folder on the way opened without following a link (`openat` with
//! `O_NOFOLLOW`, then `unlinkat`), never by a joined path: a link planted
//! in the place of one of the folders cannot lead the removal elsewhere.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::ops::Bound;
use std::path::{Path, PathBuf};

/// Remove from the folder `root` the files `stale` (normal relative paths,
/// as a manifest holds them), then their folders left empty. A link in
/// the place of a folder on the way is removed itself, never followed; a
/// file there (one this build wrote where a folder was) stays; a folder is
/// removed only when empty.
pub(super) fn remove_stale(root: &Path, stale: &[&str]) {
    let mut dirs = BTreeSet::new();
    let Some(root) = at::Root::open(root) else {
        return;
    };
    for rel in stale {
        let names: Vec<&str> = rel.split('/').collect();
        let Some((name, folders)) = names.split_last() else {
            continue;
        };
        root.remove_file(folders, name);
        for i in 1..names.len() {
            dirs.insert(names[..i].join("/"));
        }
    }
    // Deepest first (a folder sorts before what it holds); a folder still
    // in use is not empty and stays.
    for d in dirs.iter().rev() {
        let names: Vec<&str> = d.split('/').collect();
        if let Some((name, folders)) = names.split_last() {
            root.remove_empty_dir(folders, name);
        }
    }
}

/// Remove from the folder `root` what this build neither wrote nor leads
/// to. Listed are the entries of `root` itself and of the folders `listed`
/// (those whose contents the previous manifest no longer proves, as they
/// changed since it was written); an entry that `written` does not name,
/// as a file or as a folder on the way to one, goes. So do the folders
/// `unused` (no written file lies below them, though a written file may
/// stand in the place of one) that removing the stale files left holding
/// something. Each is removed without following a link.
pub(super) fn remove_strays(
    root: &Path,
    listed: &[PathBuf],
    unused: &[&str],
    written: &BTreeMap<String, u128>,
) {
    let expected = |rel: &str| {
        let below = format!("{rel}/");
        written.contains_key(rel)
            || written
                .range::<str, _>((Bound::Included(below.as_str()), Bound::Unbounded))
                .next()
                .is_some_and(|(k, _)| k.starts_with(&below))
    };
    let folders = std::iter::once(Path::new("")).chain(listed.iter().map(PathBuf::as_path));
    for dir in folders {
        let Ok(entries) = fs::read_dir(root.join(dir)) else {
            continue;
        };
        let prefix = dir.to_string_lossy();
        for e in entries.flatten() {
            let known = e
                .file_name()
                .to_str()
                .is_some_and(|n| match prefix.as_ref() {
                    "" => expected(n),
                    p => expected(&format!("{p}/{n}")),
                });
            if !known {
                let _ = remove_entry(&e.path());
            }
        }
    }
    for dir in unused {
        // A file this build wrote where the folder was stays.
        if !expected(dir) {
            let _ = remove_entry(&root.join(dir));
        }
    }
}

#[cfg(unix)]
mod at {
    use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
    use std::path::Path;

    use rustix::fs::{openat, statat, unlinkat, AtFlags, FileType, Mode, OFlags, CWD};

    /// An open folder that files are removed from.
    pub(super) struct Root(OwnedFd);

    /// Open the folder `name` in `base`, not following a link.
    fn open_dir<P: rustix::path::Arg>(base: BorrowedFd<'_>, name: P) -> Option<OwnedFd> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        openat(base, name, flags, Mode::empty()).ok()
    }

    impl Root {
        pub(super) fn open(path: &Path) -> Option<Root> {
            open_dir(CWD, path).map(Root)
        }

        /// Call `f` with the folder at `names` below the root, each opened
        /// without following a link. A link in the place of one is not
        /// ours (playbook writes none) and is removed — unlinked, never
        /// followed; `f` is then not called, nor when something else is
        /// there (a file this build wrote where a folder was).
        fn within(&self, names: &[&str], f: impl FnOnce(BorrowedFd<'_>)) {
            let mut held: Option<OwnedFd> = None;
            for name in names {
                let base = held.as_ref().map_or(self.0.as_fd(), |h| h.as_fd());
                match open_dir(base, *name) {
                    Some(next) => held = Some(next),
                    None => {
                        let link = statat(base, *name, AtFlags::SYMLINK_NOFOLLOW).is_ok_and(|st| {
                            FileType::from_raw_mode(st.st_mode) == FileType::Symlink
                        });
                        if link {
                            let _ = unlinkat(base, *name, AtFlags::empty());
                        }
                        return;
                    }
                }
            }
            f(held.as_ref().map_or(self.0.as_fd(), |h| h.as_fd()));
        }

        /// Remove the file or link `name` in the folder `folders`.
        pub(super) fn remove_file(&self, folders: &[&str], name: &str) {
            self.within(folders, |dir| {
                let _ = unlinkat(dir, name, AtFlags::empty());
            });
        }

        /// Remove the folder `name` in the folder `folders` if it is empty.
        pub(super) fn remove_empty_dir(&self, folders: &[&str], name: &str) {
            self.within(folders, |dir| {
                let _ = unlinkat(dir, name, AtFlags::REMOVEDIR);
            });
        }
    }
}

#[cfg(not(unix))]
mod at {
    use std::fs;
    use std::path::{Path, PathBuf};

    /// A folder that files are removed from: without handles relative to a
    /// folder, each folder on the way is checked to be a real folder.
    pub(super) struct Root(PathBuf);

    impl Root {
        pub(super) fn open(path: &Path) -> Option<Root> {
            fs::symlink_metadata(path)
                .is_ok_and(|m| m.is_dir())
                .then(|| Root(path.to_path_buf()))
        }

        /// The folder at `names`, when every folder on the way is a real
        /// one; a link in the place of one is removed.
        fn within(&self, names: &[&str]) -> Option<PathBuf> {
            let mut dir = self.0.clone();
            for name in names {
                dir.push(name);
                match fs::symlink_metadata(&dir) {
                    Ok(m) if m.is_dir() => {}
                    Ok(m) => {
                        if m.file_type().is_symlink() {
                            let _ = fs::remove_file(&dir);
                        }
                        return None;
                    }
                    Err(_) => return None,
                }
            }
            Some(dir)
        }

        pub(super) fn remove_file(&self, folders: &[&str], name: &str) {
            if let Some(dir) = self.within(folders) {
                let path = dir.join(name);
                if fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
                    let _ = fs::remove_file(path);
                }
            }
        }

        pub(super) fn remove_empty_dir(&self, folders: &[&str], name: &str) {
            if let Some(dir) = self.within(folders) {
                let path = dir.join(name);
                if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                    let _ = fs::remove_dir(path);
                }
            }
        }
    }
}

/// Remove what is at `path` without following it: a folder with what is in
/// it, or a file or link. Already gone is fine.
pub(super) fn remove_entry(path: &Path) -> io::Result<()> {
    let result = match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) => Err(e),
    };
    match result {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// A folder with what it holds, or a symbolic link (not what it points
/// to), removed. `fs::remove_dir_all` never follows a link inside.
pub(super) fn remove(p: &Path) {
    let _ = remove_entry(p);
}

/// Remove the staging and old folders that builds killed half-way left
/// beside the output folder (`.NAME.new-*`, `.NAME.old-*`): each a folder
/// or a link, never followed.
pub(super) fn remove_leftovers(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.new-"), format!(".{name}.old-")];
    let Ok(rd) = fs::read_dir(parent) else {
        return;
    };
    for e in rd.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| n.starts_with(p.as_str())) {
            remove(&e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn stale_files_behind_a_link_are_never_reached() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, victim) = (tmp.path().join("root"), tmp.path().join("victim"));
        fs::create_dir_all(root.join("a/b")).unwrap();
        fs::create_dir_all(&victim).unwrap();
        fs::write(victim.join("file"), "keep").unwrap();
        fs::write(root.join("a/b/old.html"), "stale").unwrap();
        fs::write(root.join("a/kept.html"), "kept").unwrap();
        // A file this build wrote where a folder was.
        fs::write(root.join("was-a-folder"), "new").unwrap();
        std::os::unix::fs::symlink(&victim, root.join("a/link")).unwrap();
        std::os::unix::fs::symlink(&victim, root.join("top")).unwrap();
        remove_stale(
            &root,
            &[
                "a/b/old.html",
                "a/link/file",
                "top/file",
                "gone/x",
                "was-a-folder/x",
            ],
        );
        assert_eq!(fs::read_to_string(victim.join("file")).unwrap(), "keep");
        // The links in the place of folders went, the emptied folder too.
        for gone in ["a/link", "top", "a/b"] {
            assert!(fs::symlink_metadata(root.join(gone)).is_err(), "{gone}");
        }
        assert!(root.join("a/kept.html").is_file());
        assert!(root.join("was-a-folder").is_file());
    }
}
