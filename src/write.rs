//! Write: publish an [`Output`] to a folder, all or nothing, and only over
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
//! - **All or nothing.** The site is written into a fresh folder beside
//!   the output folder, then swapped into place with one atomic rename
//!   (Linux `renameat2` with `RENAME_EXCHANGE`; elsewhere two renames), so
//!   a failed or killed build never leaves a half-written site and the
//!   output folder is never missing. Leftovers of builds killed earlier are
//!   removed, under a lock that keeps two builds from racing.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::output::{OutFile, Output};

/// The file in every output folder that lists what playbook wrote there.
pub const MANIFEST: &str = ".playbook-output";

/// The first line of a manifest.
const MANIFEST_HEADER: &str =
    "# Written by playbook: the files it published here, which the next build may replace.";

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
    let written: BTreeSet<String> = match fs::read_to_string(dir.join(MANIFEST)) {
        Ok(text) if text.starts_with(MANIFEST_HEADER) => text
            .lines()
            .skip(1)
            .map(str::to_string)
            .chain([MANIFEST.to_string()])
            .collect(),
        _ => BTreeSet::new(),
    };
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

/// `p` made absolute against the current folder, without resolving links.
fn lexical_absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    }
}

/// The real path of `p`: its deepest existing ancestor resolved (links and
/// `..`), the rest kept as written.
fn real_path(p: &Path) -> PathBuf {
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

/// Write `output` to `dir`, replacing its previous contents atomically.
/// Call [`check_output_dir`] first.
pub fn publish(output: &Output, dir: &Path) -> io::Result<()> {
    let dir = lexical_absolute(dir);
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n != ".." && n != ".")
        .ok_or_else(|| io::Error::other("the output folder has no name"))?;
    let parent = dir
        .parent()
        .ok_or_else(|| io::Error::other("the output folder has no parent"))?;
    fs::create_dir_all(parent)?;
    let _lock = lock(parent)?;
    remove_leftovers(parent, &name);
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(parent)?;
    write_all(output, staging.path())?;
    write_manifest(output, staging.path())?;
    let staged = staging.keep();
    let result = if fs::symlink_metadata(&dir).is_ok() {
        replace(&staged, &dir, parent, &name)
    } else {
        fs::rename(&staged, &dir)
    };
    if result.is_err() {
        let _ = fs::remove_dir_all(&staged);
    }
    result
}

/// Put the folder `staged` in the place of `dir`, which exists; the old
/// contents are removed afterwards.
fn replace(staged: &Path, dir: &Path, parent: &Path, name: &str) -> io::Result<()> {
    if exchange(staged, dir).is_ok() {
        // `staged` now holds the previous output (or the replaced link).
        remove(staged);
        return Ok(());
    }
    // Two renames: the output is missing between them.
    let old = tempfile::Builder::new()
        .prefix(&format!(".{name}.old-"))
        .tempdir_in(parent)?
        .keep();
    fs::remove_dir(&old)?;
    fs::rename(dir, &old)?;
    if let Err(e) = fs::rename(staged, dir) {
        let _ = fs::rename(&old, dir);
        return Err(e);
    }
    remove(&old);
    Ok(())
}

/// Swap two paths in one atomic step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// A folder, or a symbolic link, removed.
fn remove(p: &Path) {
    match fs::symlink_metadata(p) {
        Ok(m) if m.file_type().is_symlink() => {
            let _ = fs::remove_file(p);
        }
        Ok(_) => {
            let _ = fs::remove_dir_all(p);
        }
        Err(_) => {}
    }
}

/// An exclusive lock on `parent`, held while a build publishes into it.
#[cfg(unix)]
fn lock(parent: &Path) -> io::Result<fs::File> {
    use rustix::fs::{flock, FlockOperation};
    let f = fs::File::open(parent)?;
    flock(&f, FlockOperation::LockExclusive).map_err(io::Error::from)?;
    Ok(f)
}

#[cfg(not(unix))]
fn lock(parent: &Path) -> io::Result<()> {
    let _ = parent;
    Ok(())
}

/// Remove the staging and old folders that builds killed half-way left
/// beside the output folder (`.NAME.new-*`, `.NAME.old-*`).
fn remove_leftovers(parent: &Path, name: &str) {
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

/// The manifest of an output: every file written, one per line.
fn write_manifest(output: &Output, root: &Path) -> io::Result<()> {
    let mut text = String::from(MANIFEST_HEADER);
    text.push('\n');
    for path in output.files.keys() {
        text.push_str(path);
        text.push('\n');
    }
    fs::write(root.join(MANIFEST), text)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn output(files: &[(&str, &str)]) -> Output {
        let mut o = Output::default();
        for (p, t) in files {
            o.add_text(*p, t.to_string());
        }
        o
    }

    #[test]
    fn an_output_is_replaced_in_one_step_and_leftovers_go() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        publish(&output(&[("a.html", "one")]), &dir).unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.html")).unwrap(), "one");
        // A killed build's folders.
        fs::create_dir(tmp.path().join(".public.new-abc")).unwrap();
        fs::create_dir(tmp.path().join(".public.old-def")).unwrap();
        fs::create_dir(tmp.path().join(".other.new-abc")).unwrap();
        publish(&output(&[("b/c.html", "two")]), &dir).unwrap();
        assert!(!dir.join("a.html").exists());
        assert_eq!(fs::read_to_string(dir.join("b/c.html")).unwrap(), "two");
        let mut names: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".other.new-abc", "public"]);
        assert_eq!(
            fs::read_to_string(dir.join(MANIFEST)).unwrap(),
            format!("{MANIFEST_HEADER}\nb/c.html\n")
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_swaps_two_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(a.join("x"), "in a").unwrap();
        exchange(&a, &b).unwrap();
        assert_eq!(fs::read_to_string(b.join("x")).unwrap(), "in a");
        assert!(!a.join("x").exists());
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
