//! Writing what `playbook new` makes: every file new (none may exist),
//! nothing through a folder linked out of the site, and on a failure the
//! files written so far removed again.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why `new` wrote nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewError {
    pub message: String,
    pub hint: String,
}

pub(super) fn err(message: String, hint: impl Into<String>) -> NewError {
    NewError {
        message,
        hint: hint.into(),
    }
}

/// The files to write, relative to a root: path and text.
pub(super) type Files = Vec<(String, String)>;

/// Write `files` under `root`, none of which may exist; on any failure the
/// files written so far are removed again.
pub(super) fn write_new(root: &Path, files: &Files) -> Result<Vec<PathBuf>, NewError> {
    for (rel, _) in files {
        let p = root.join(rel);
        if fs::symlink_metadata(&p).is_ok() {
            return Err(err(
                format!("{} already exists", p.display()),
                "playbook new never overwrites a file: move it away, or choose another id",
            ));
        }
    }
    // A folder on the way linked out of the site: nothing is created there.
    let outside = |rel: &&Path| crate::write::paths::leads_outside(root, &root.join(rel));
    let parents = files.iter().filter_map(|(rel, _)| Path::new(rel).parent());
    if let Some(out) = parents.into_iter().find(outside) {
        return Err(err(
            format!("{} leads outside the site (through a symbolic link)", out.display()),
            "playbook new writes only inside the site: make it a folder of the site, not a link to one elsewhere",
        ));
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let p = root.join(rel);
        let result = p
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|_| OpenOptions::new().write(true).create_new(true).open(&p))
            .and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = result {
            for w in &written {
                let _ = fs::remove_file(w);
            }
            return Err(err(
                format!("cannot write {}: {e}", p.display()),
                "check that the folder is writable",
            ));
        }
        written.push(p);
    }
    Ok(written)
}
