//! Write: publish an [`Output`] to a folder, all or nothing.
//!
//! The site is written into a fresh temporary folder beside the output
//! folder, then swapped into place with renames, so a failed build (or a
//! crash half-way) never leaves a half-written site: the previous output
//! stays exactly as it was until the new one is complete.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::output::{OutFile, Output};

/// Refuse output folders that would destroy the site's sources.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), String> {
    let abs = absolute(out);
    if abs.exists() && !abs.is_dir() {
        return Err(format!(
            "the output path {} is a file, not a folder",
            abs.display()
        ));
    }
    let root = absolute(root);
    if root.starts_with(&abs) {
        return Err(format!(
            "the output folder {} contains the site itself",
            abs.display()
        ));
    }
    for keep in ["content", "templates", "static", "themes", ".git"] {
        if abs.starts_with(root.join(keep)) {
            return Err(format!(
                "the output folder {} is inside the site's {keep}/ folder",
                abs.display()
            ));
        }
    }
    Ok(())
}

fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    // Canonicalise the deepest existing ancestor, keep the rest as is.
    let mut existing = p.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
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
        out.push(n);
    }
    out
}

/// Write `output` to `dir`, replacing its previous contents atomically.
pub fn publish(output: &Output, dir: &Path) -> io::Result<()> {
    let dir = absolute(dir);
    let parent = dir
        .parent()
        .ok_or_else(|| io::Error::other("output folder has no parent"))?;
    fs::create_dir_all(parent)?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(parent)?;
    write_all(output, staging.path())?;
    let staged = staging.keep();
    if dir.exists() {
        let old = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(parent)?
            .keep();
        // `old` exists as an empty folder; rename over it needs it gone.
        fs::remove_dir(&old)?;
        fs::rename(&dir, &old)?;
        if let Err(e) = fs::rename(&staged, &dir) {
            // Put the previous site back.
            let _ = fs::rename(&old, &dir);
            let _ = fs::remove_dir_all(&staged);
            return Err(e);
        }
        let _ = fs::remove_dir_all(&old);
    } else if let Err(e) = fs::rename(&staged, &dir) {
        let _ = fs::remove_dir_all(&staged);
        return Err(e);
    }
    Ok(())
}

/// Write every file of `output` under `root` (which exists and is empty).
pub fn write_all(output: &Output, root: &Path) -> io::Result<()> {
    let mut dirs: Vec<PathBuf> = output
        .files
        .keys()
        .filter_map(|k| root.join(k).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(d)?;
    }
    output
        .files
        .par_iter()
        .try_for_each(|(path, file)| write_file(&root.join(path), file))
}

fn write_file(path: &Path, f: &OutFile) -> io::Result<()> {
    match f {
        OutFile::Bytes(b) => fs::write(path, &**b),
        OutFile::Static(b) => fs::write(path, b),
        OutFile::Copy(src) => fs::copy(src, path)
            .map(|_| ())
            .map_err(|e| io::Error::new(e.kind(), format!("copying {}: {e}", src.display()))),
    }
}
