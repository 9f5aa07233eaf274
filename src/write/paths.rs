//! Paths of output folders as the checks compare them: made absolute
//! without following links, or resolved to their real place.

use std::fs;
use std::path::{Component, Path, PathBuf};

/// `p` made absolute against the current folder, without resolving links.
pub(crate) fn lexical_absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    }
}

/// The first symbolic link on relative path `p` (an absolute path was
/// chosen whole, by the person who typed it), if any: a folder a
/// repository links elsewhere must not decide where a command writes.
pub(crate) fn linked_part(p: &Path) -> Option<PathBuf> {
    if p.is_absolute() {
        return fs::symlink_metadata(p)
            .is_ok_and(|m| m.file_type().is_symlink())
            .then(|| p.to_path_buf());
    }
    let mut so_far = PathBuf::new();
    for c in p.components() {
        so_far.push(c);
        if fs::symlink_metadata(&so_far).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(so_far);
        }
    }
    None
}

/// Whether `path` (under `root`) leads out of `root` once symbolic links
/// on the way are followed.
pub(crate) fn leads_outside(root: &Path, path: &Path) -> bool {
    !real_path(path).starts_with(real_path(root))
}

/// The real path of `p`, as the system would find it once the missing
/// folders on the way were made: part by part, links resolved where the
/// path so far exists, `..` going up from there.
pub(crate) fn real_path(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in lexical_absolute(p).components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => {
                out.push(n);
                if let Ok(real) = fs::canonicalize(&out) {
                    out = real;
                }
            }
        }
    }
    out
}
