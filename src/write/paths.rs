//! Paths of output folders as the checks compare them: made absolute
//! without following links, or resolved to their real place.

use std::fs;
use std::path::{Component, Path, PathBuf};

/// `p` made absolute against the current folder, without resolving links.
pub fn lexical_absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    }
}

/// The real path of `p`, as the system would find it once the missing
/// folders on the way were made: part by part, links resolved where the
/// path so far exists, `..` going up from there.
pub fn real_path(p: &Path) -> PathBuf {
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
