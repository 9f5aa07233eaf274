//! Putting a finished staging folder in the place of the output folder in
//! one atomic step (Linux `renameat2` with `RENAME_EXCHANGE`; elsewhere two
//! renames), and the lock that keeps two builds from publishing into one
//! folder at once.

use std::fs;
use std::io;
use std::path::Path;

/// Swap `staged` into the place of `dir` (which exists): `staged` then
/// holds what `dir` held.
pub(super) fn replace_keeping(
    staged: &Path,
    dir: &Path,
    parent: &Path,
    name: &str,
) -> io::Result<()> {
    if exchange(staged, dir).is_ok() {
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
    fs::rename(&old, staged)
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

#[cfg(unix)]
pub(super) type Lock = fs::File;
#[cfg(not(unix))]
pub(super) type Lock = ();

/// An exclusive lock on `parent`, held while a build publishes into it.
#[cfg(unix)]
pub(super) fn lock(parent: &Path) -> io::Result<fs::File> {
    use rustix::fs::{flock, FlockOperation};
    let f = fs::File::open(parent)?;
    flock(&f, FlockOperation::LockExclusive).map_err(io::Error::from)?;
    Ok(f)
}

#[cfg(not(unix))]
pub(super) fn lock(parent: &Path) -> io::Result<()> {
    let _ = parent;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
