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
pub(crate) mod paths;
mod remove;
mod staging;
mod survey;
mod swap;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub(crate) use manifest::{Refused, MANIFEST};
pub(crate) use staging::{BeginError, Published, Staging};

use manifest::{line_of, read_manifest};
use paths::{lexical_absolute, real_path};
use survey::{edited_files, foreign_files};

/// Refuse output folders that would destroy the site's sources or files
/// playbook did not write. `sources` are the folders the site is read from
/// (its root, and each program folder); `force` allows replacing a folder
/// of unknown files, or a symbolic link.
pub(crate) fn check_output_dir(
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
    let mut read_from: Vec<(PathBuf, String)> = crate::layout::protected()
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
    let manifest = read_manifest(&lexical).map_err(|bad| {
        bad.refused(
            &lexical.join(MANIFEST),
            "move the folder away or delete it, choose another one (--output DIR), or pass --force to replace it as a whole".into(),
        )
    })?;
    let cannot_read = |e: io::Error| Refused {
        message: format!("cannot read the output folder {shown}: {e}"),
        hint: "check its permissions, or choose another folder (--output DIR)".into(),
    };
    let foreign = foreign_files(&lexical, manifest.as_ref()).map_err(cannot_read)?;
    if let Some(m) = &manifest {
        if let Some(r) = link_on_the_way(&lexical, m, &foreign) {
            return Err(r);
        }
    }
    if !foreign.is_empty() {
        return Err(Refused {
            message: format!(
                "the output folder {shown} holds files that playbook did not write: {}",
                listing(&foreign)
            ),
            hint: "a build replaces the whole folder: choose another one (--output DIR), move files you want published into the site's static/ folder, or pass --force to replace it anyway".into(),
        });
    }
    let edited = manifest
        .map(|m| edited_files(&lexical, &m))
        .unwrap_or_default();
    if edited.is_empty() {
        return Ok(());
    }
    Err(Refused {
        message: format!(
            "the output folder {shown} holds files edited since playbook wrote them: {}",
            listing(&edited)
        ),
        hint: "a build replaces the whole folder and would throw the edits away: make them in the site's sources (content/, templates/, static/), or pass --force to replace the files anyway".into(),
    })
}

/// Up to five names in backticks, and how many more.
fn listing(names: &[String]) -> String {
    let listed = names
        .iter()
        .take(5)
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match names.len() {
        n if n > 5 => format!("{listed} and {} more", n - 5),
        _ => listed,
    }
}

/// The refusal of an output folder `dir` that holds, among the `foreign`
/// entries, a symbolic link on the way to a file its manifest `m` lists:
/// the manifest then names a place outside the folder.
fn link_on_the_way(dir: &Path, m: &manifest::Manifest, foreign: &[String]) -> Option<Refused> {
    foreign.iter().find_map(|link| {
        let is_link = fs::symlink_metadata(dir.join(link)).is_ok_and(|md| md.file_type().is_symlink());
        if !is_link {
            return None;
        }
        let below = format!("{link}/");
        let mut named: Vec<&String> = m.files.keys().filter(|f| f.starts_with(&below)).collect();
        named.sort();
        let first = named.first()?;
        let line = line_of(dir, first).map_or(String::new(), |n| format!(" line {n}"));
        Some(Refused {
            message: format!(
                "the output folder {} holds a symbolic link `{link}` where its manifest ({MANIFEST}{line}) names `{first}`: playbook never writes a link, so the manifest names a place outside the folder",
                dir.display()
            ),
            hint: "move the folder away or delete it, choose another one (--output DIR), or pass --force to replace it as a whole (the link's target is left alone)".into(),
        })
    })
}

/// Refuse an `output_dir` of `playbook.yaml` that leads outside the site
/// `root` (an absolute path, `..`, or a symbolic link on the way): a
/// repository must not choose where a build writes outside itself. An
/// output folder given on the command line is the user's choice and is
/// not checked here.
pub(crate) fn check_configured_output(root: &Path, output_dir: &str) -> Result<(), Refused> {
    let real_root = real_path(root);
    let real = real_path(&root.join(output_dir));
    if real.starts_with(&real_root) {
        return Ok(());
    }
    Err(Refused {
        message: format!(
            "`output_dir: {output_dir}` in playbook.yaml leads outside the site, to {}",
            real.display()
        ),
        hint: "playbook.yaml comes with the site and may only choose a folder inside it; if you mean that folder, pass --output DIR to build there".into(),
    })
}

/// Replace one file atomically: write a new temporary file beside it (a
/// name of its own, created exclusively, so nothing planted there is
/// written through), then rename it over the old one (which replaces a
/// link there rather than following it), so a reader never sees half a
/// file.
pub(crate) fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let prefix = format!(".{}.tmp-", name.to_string_lossy());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        // As a new file gets (within the umask), not the owner-only default.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    #[test]
    fn a_replaced_file_is_never_written_through_a_link() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        fs::write(&victim, "keep").unwrap();
        let path = tmp.path().join("schema.json");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        // The name the temporary file had before (pid-based), planted.
        let old_tmp = tmp
            .path()
            .join(format!(".schema.json.tmp-{}", std::process::id()));
        std::os::unix::fs::symlink(&victim, &old_tmp).unwrap();
        replace_file(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert!(!fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_symlink());
        // Readable as any new file is, not only by its owner.
        let plain = tmp.path().join("plain");
        fs::write(&plain, "x").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions();
        assert_eq!(mode(&path), mode(&plain));
        replace_file(&path, b"newer").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "newer");
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
        // `..` leaves what is missing, and a link after it still counts.
        assert_eq!(
            real_path(&real.join("missing/../link/x")),
            real.join("content/x")
        );
        assert_eq!(
            real_path(&real.join("a/../../b")),
            real.parent().unwrap().join("b")
        );
    }
}
