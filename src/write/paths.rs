//! Paths of output folders as the checks compare them: made absolute
//! without following links, or resolved to their real place.

use std::fs;
use std::path::{Path, PathBuf};

/// `p` made absolute against the current folder, without resolving links.
pub fn lexical_absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    }
}

/// The real path of `p`: its deepest existing ancestor resolved (links and
/// `..`), the rest kept as written.
pub fn real_path(p: &Path) -> PathBuf {
    let p = lexical_absolute(p);
    let mut existing = p.clone();
    let mut rest = Vec::new();
    while fs::symlink_metadata(&existing).is_err() {
        match (existing.file_name(), existing.parent()) {
            (Some(n), Some(parent)) => {
                rest.push(n.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    for n in rest.into_iter().rev() {
        if n == ".." {
            out.pop();
        } else if n != "." {
            out.push(n);
        }
    }
    out
}
