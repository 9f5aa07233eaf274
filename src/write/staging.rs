//! The staging folder of a build ([`Staging`]): filled chunk by chunk as
//! the render goes, then swapped into the place of the output folder in one
//! atomic step; and the previous output, kept beside it so that the next
//! build writes only what changed.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::output::{Chunk, OutFile, Sink};

use super::manifest::{
    changed_at, is_normal_path, manifest_text, read_manifest, Manifest, Refused, MANIFEST,
};
use super::paths::lexical_absolute;
use super::remove::{remove, remove_entry, remove_leftovers, remove_stale, remove_strays};
use super::swap::{lock, replace_keeping, Lock};

/// The folder beside an output folder `NAME` that holds the output before
/// the current one (`.NAME.previous`), which the next build updates in
/// place and swaps in.
fn previous_dir(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.previous"))
}

/// Files a kept previous output holds that are not part of it: they keep
/// git and backup tools out (`*` ignores the folder's contents; the tag
/// is the Cache Directory Tagging Specification's).
const MARKERS: [(&str, &str); 2] = [
    (".gitignore", "# playbook's previous output: not a source\n*\n"),
    (
        "CACHEDIR.TAG",
        "Signature: 8a477f597d28d172789f06886806bc55\n# playbook's previous output, kept so that the next build rewrites only what changed.\n",
    ),
];

/// An output folder being built: a staging folder beside it, filled chunk
/// by chunk as the render goes (a [`Sink`]), then put in its place in one
/// atomic step by [`Staging::commit`].
///
/// The staging folder is, when there is one, the output before the current
/// one (`.NAME.previous`, left by the build before): its manifest says what
/// each of its files holds, so a file whose bytes are unchanged is left as
/// it is and a changed one is rewritten in place. A rebuild writes only
/// what changed, and creates and deletes no files or folders for pages that
/// stay — on file systems where creating files is slow right after many
/// were deleted, that is most of a build's time. Its manifest is removed
/// before anything is written, so a build killed half-way leaves a folder
/// that the next build does not trust (and removes).
pub(crate) struct Staging {
    /// The output folder (absolute).
    out: PathBuf,
    parent: PathBuf,
    name: String,
    /// The folder being filled.
    path: PathBuf,
    /// What `path` held before this build (empty for a new folder).
    previous: Manifest,
    /// Every file put, with the hash of its bytes.
    written: Mutex<BTreeMap<String, u128>>,
    /// The first error writing a file; the build fails with it.
    error: Mutex<Option<io::Error>>,
    rewritten: AtomicUsize,
    /// Folders of the staging folder known to be real folders (no link, no
    /// file in their place) in this build.
    dirs: Mutex<HashSet<PathBuf>>,
    /// Folders of the kept previous output that changed since its manifest
    /// was written, found when this build first came to each: what they
    /// hold is listed before publishing, and anything no build wrote goes.
    unsettled: Mutex<Vec<PathBuf>>,
    /// Keep the output being replaced as the next build's staging folder
    /// (it is playbook's, with a manifest).
    keep_previous: bool,
    _lock: Lock,
}

/// Why a build could not begin: its kept previous output is refused, or
/// a folder cannot be written.
#[derive(Debug)]
pub(crate) enum BeginError {
    Refused(Refused),
    Io(io::Error),
}

impl From<io::Error> for BeginError {
    fn from(e: io::Error) -> Self {
        BeginError::Io(e)
    }
}

/// What the kept previous output `spare` offers the next build: its
/// manifest, when it is a folder with one of playbook's. `None` when it is
/// not to be trusted (a killed build's), and it is then discarded, as a
/// cache may be; what was added to it since is removed before publishing
/// (see [`Staging::ensure_dir`]). A manifest with a line playbook cannot
/// have written (a path outside the folder) was planted: the build is
/// refused, unless `force`, before anything is removed.
fn kept_previous(spare: &Path, force: bool) -> Result<Option<Manifest>, BeginError> {
    if !fs::symlink_metadata(spare).is_ok_and(|m| m.is_dir()) {
        return Ok(None);
    }
    let manifest = match read_manifest(spare) {
        Ok(m) => m,
        Err(_) if force => return Ok(None),
        Err(bad) => {
            let hint = format!(
                "delete the folder {} (playbook keeps it only to write less on the next build; deleting it is always safe), or pass --force",
                spare.display()
            );
            return Err(BeginError::Refused(
                bad.refused(&spare.join(MANIFEST), hint),
            ));
        }
    };
    Ok(manifest)
}

/// What publishing an output folder did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Published {
    /// Files in the new output, and how many of them are pages.
    pub files: usize,
    pub pages: usize,
    /// Files written (the rest were already there, unchanged).
    pub written: usize,
}

impl Staging {
    /// Start building the output folder `dir`. Call [`check_output_dir`](super::check_output_dir)
    /// first; `keep_previous` says the folder being replaced holds only
    /// playbook's files (not forced), so it may be kept for the next build.
    pub(crate) fn begin(dir: &Path, keep_previous: bool) -> Result<Self, BeginError> {
        let out = lexical_absolute(dir);
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n != ".." && n != ".")
            .ok_or_else(|| io::Error::other("the output folder has no name"))?;
        let parent = out
            .parent()
            .ok_or_else(|| io::Error::other("the output folder has no parent"))?
            .to_path_buf();
        fs::create_dir_all(&parent)?;
        let lock = lock(&parent)?;
        let spare = previous_dir(&parent, &name);
        // Read before anything is removed: a refused build removes nothing.
        let kept = kept_previous(&spare, !keep_previous)?;
        remove_leftovers(&parent, &name);
        let kept = match kept {
            // Untrusted from here on, until this build writes a new one.
            Some(manifest) if fs::remove_file(spare.join(MANIFEST)).is_ok() => Some(manifest),
            _ => {
                remove(&spare);
                None
            }
        };
        let (path, previous) = match kept {
            Some(manifest) => (spare, manifest),
            None => (
                tempfile::Builder::new()
                    .prefix(&format!(".{name}.new-"))
                    .tempdir_in(&parent)?
                    .keep(),
                Manifest {
                    files: HashMap::new(),
                    written: None,
                },
            ),
        };
        Ok(Staging {
            out,
            parent,
            name,
            path,
            previous,
            written: Mutex::new(BTreeMap::new()),
            error: Mutex::new(None),
            rewritten: AtomicUsize::new(0),
            dirs: Mutex::new(HashSet::new()),
            unsettled: Mutex::new(Vec::new()),
            keep_previous,
            _lock: lock,
        })
    }

    /// Whether the file at `rel` already holds `len` bytes whose hash is
    /// `hash`, as the previous manifest says and nothing changed since (its
    /// status-change time is earlier than the manifest's; an equal one,
    /// which a coarse clock allows, is not proof).
    fn unchanged(&self, rel: &str, hash: u128, len: usize, found: Option<&fs::Metadata>) -> bool {
        self.previous.files.get(rel) == Some(&Some(hash))
            && found.is_some_and(|m| {
                m.is_file() && m.len() == len as u64 && self.older_than_previous(m)
            })
    }

    /// Make `rel` (a folder path inside the staging folder) a real folder
    /// with real folders above it: a link or a file in the place of one
    /// (a folder that became a file, something planted in the kept
    /// output) is removed, never followed.
    ///
    /// A folder of the kept previous output changed since its manifest was
    /// written may hold something no build wrote there: it is noted
    /// (`unsettled`) for [`remove_strays`]. What the folder held is judged
    /// by the status-change time seen by the thread that first marks it
    /// known, before this build (which writes into a folder only once it
    /// is known) added anything to it.
    fn ensure_dir(&self, rel: &Path) -> io::Result<()> {
        if rel.as_os_str().is_empty() || lock_ignoring_poison(&self.dirs).contains(rel) {
            return Ok(());
        }
        if let Some(parent) = rel.parent() {
            self.ensure_dir(parent)?;
        }
        let path = self.path.join(rel);
        let settled = match fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => self.older_than_previous(&m),
            Ok(_) => {
                remove_entry(&path)?;
                create_dir(&path)?;
                true
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                create_dir(&path)?;
                true
            }
            Err(e) => return Err(e),
        };
        let first = lock_ignoring_poison(&self.dirs).insert(rel.to_path_buf());
        if first && !settled {
            lock_ignoring_poison(&self.unsettled).push(rel.to_path_buf());
        }
        Ok(())
    }

    /// Whether `m` (of an entry of the staging folder) last changed before
    /// the previous manifest was written (an equal time, which a coarse
    /// clock allows, is not proof).
    fn older_than_previous(&self, m: &fs::Metadata) -> bool {
        self.previous
            .written
            .zip(changed_at(m))
            .is_some_and(|(since, t)| t < since)
    }

    fn put_file(&self, rel: &str, file: &OutFile) -> io::Result<()> {
        if !is_normal_path(rel) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "`{}` cannot be published: its name holds a line break or another control character, a backslash, or an empty, `.` or `..` part, which the output's manifest cannot list; rename it",
                    rel.escape_debug()
                ),
            ));
        }
        let copied;
        let bytes: &[u8] = match file {
            OutFile::Bytes(b) => b,
            OutFile::Static(b) => b,
            OutFile::Copy(src) => {
                copied = fs::read(src).map_err(|e| {
                    io::Error::new(e.kind(), format!("copying {}: {e}", src.display()))
                })?;
                &copied
            }
        };
        let hash = xxhash_rust::xxh3::xxh3_128(bytes);
        lock_ignoring_poison(&self.written).insert(rel.to_string(), hash);
        let at = |e: io::Error| io::Error::new(e.kind(), format!("{rel}: {e}"));
        self.ensure_dir(Path::new(rel).parent().unwrap_or(Path::new("")))
            .map_err(at)?;
        let path = self.path.join(rel);
        let found = fs::symlink_metadata(&path).ok();
        if self.unchanged(rel, hash, bytes.len(), found.as_ref()) {
            return Ok(());
        }
        self.rewritten.fetch_add(1, Ordering::Relaxed);
        write_in_place(&path, found.as_ref(), bytes).map_err(at)
    }

    /// Remove what the previous output held and this one does not, and
    /// the folders left empty: relative to open folders, never through a
    /// link (see [`remove_stale`]). Then remove what no build wrote: in the
    /// folder itself and the unsettled folders, and in folders of the
    /// previous output that this one does not use ([`remove_strays`]).
    fn remove_old(&self, written: &BTreeMap<String, u128>) {
        let stale: Vec<&str> = self
            .previous
            .files
            .keys()
            .filter(|rel| !written.contains_key(*rel))
            .map(String::as_str)
            .collect();
        remove_stale(&self.path, &stale);
        let dirs = lock_ignoring_poison(&self.dirs);
        // The outermost folder on the way to each stale file that this
        // build does not use.
        let unused: BTreeSet<&str> = stale
            .iter()
            .filter_map(|rel| {
                rel.match_indices('/')
                    .map(|(i, _)| &rel[..i])
                    .find(|way| !dirs.contains(Path::new(way)))
            })
            .collect();
        drop(dirs);
        let unused: Vec<&str> = unused.into_iter().collect();
        let listed = std::mem::take(&mut *lock_ignoring_poison(&self.unsettled));
        remove_strays(&self.path, &listed, &unused, written);
    }

    /// Finish the folder and put it in the place of the output folder in
    /// one step; the output it replaces is kept for the next build (or
    /// removed). On an error nothing is published.
    pub(crate) fn commit(self) -> io::Result<Published> {
        let failed = lock_ignoring_poison(&self.error).take();
        if let Some(e) = failed {
            self.abort();
            return Err(e);
        }
        let written = std::mem::take(&mut *lock_ignoring_poison(&self.written));
        self.remove_old(&written);
        let published = Published {
            files: written.len(),
            pages: written.keys().filter(|k| k.ends_with(".html")).count(),
            written: self.rewritten.load(Ordering::Relaxed),
        };
        let manifest = manifest_text(&written);
        let path = self.path.join(MANIFEST);
        let found = fs::symlink_metadata(&path).ok();
        if let Err(e) = write_in_place(&path, found.as_ref(), manifest.as_bytes()) {
            self.abort();
            return Err(e);
        }
        let swapped = fs::symlink_metadata(&self.out).is_ok();
        let result = if swapped {
            replace_keeping(&self.path, &self.out, &self.parent, &self.name)
        } else {
            fs::rename(&self.path, &self.out)
        };
        if let Err(e) = result {
            self.abort();
            return Err(e);
        }
        // `self.path` now holds the output that was replaced.
        if swapped {
            self.keep_or_remove_replaced();
        }
        Ok(published)
    }

    /// After the swap: keep the replaced output (at the staging path) as
    /// the next build's staging folder when it is playbook's, else remove it.
    fn keep_or_remove_replaced(&self) {
        let spare = previous_dir(&self.parent, &self.name);
        let ours = self.keep_previous
            && fs::symlink_metadata(&self.path).is_ok_and(|m| m.is_dir())
            && matches!(read_manifest(&self.path), Ok(Some(_)));
        if !ours {
            remove(&self.path);
            return;
        }
        if self.path != spare && fs::rename(&self.path, &spare).is_err() {
            remove(&self.path);
            return;
        }
        for (marker, text) in MARKERS {
            let path = spare.join(marker);
            if fs::symlink_metadata(&path).is_err() {
                let _ = fs::write(path, text);
            }
        }
    }

    /// Give up: the staging folder is removed; the output folder is as it was.
    pub(crate) fn abort(self) {
        remove(&self.path);
    }
}

impl Sink for Staging {
    fn put(&self, chunk: Arc<Chunk>) {
        if lock_ignoring_poison(&self.error).is_some() {
            return;
        }
        // In parallel: one program of thousands of pages is one chunk. The
        // error reported is the first in path order, whichever thread
        // met it.
        let files: Vec<(&String, &OutFile)> = chunk.files.iter().collect();
        let failed = files
            .par_iter()
            .map(|(rel, file)| self.put_file(rel, file))
            .find_first(Result::is_err);
        if let Some(Err(e)) = failed {
            let mut first = lock_ignoring_poison(&self.error);
            first.get_or_insert(e);
        }
    }
}

fn lock_ignoring_poison<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Write `bytes` to `path` (whose folder exists), `found` being what
/// [`fs::symlink_metadata`] said of it. A file there that is only ours —
/// a regular file with no other name — is reused (its inode and blocks:
/// no file is created or deleted); anything else there (a link, a folder,
/// a file hard-linked from elsewhere, as a snapshot keeps it) is removed
/// and a new file made, so nothing outside the folder is ever written.
fn write_in_place(path: &Path, found: Option<&fs::Metadata>, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let reusable = found.is_some_and(|m| m.is_file() && only_name(m));
    if let (Some(_), false) = (found, reusable) {
        remove_entry(path)?;
    }
    let mut open = fs::OpenOptions::new();
    // Not truncated: the file keeps its blocks, and is cut to length below.
    open.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A link put there since the check is refused, not followed.
        open.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    let mut f = open.open(path)?;
    f.write_all(bytes)?;
    f.set_len(bytes.len() as u64)
}

/// The file has no other name (no hard link to it elsewhere).
fn only_name(m: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        m.nlink() == 1
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        true
    }
}

/// Create the folder `path`; one another thread created just now is fine.
fn create_dir(path: &Path) -> io::Result<()> {
    match fs::create_dir(path) {
        Err(e)
            if e.kind() == io::ErrorKind::AlreadyExists
                && fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) =>
        {
            Ok(())
        }
        other => other,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::manifest::{MANIFEST_FORMAT, MANIFEST_HEADER};
    use super::*;

    fn publish(files: &[(&str, &str)], dir: &Path) -> Published {
        let staging = Staging::begin(dir, true).unwrap();
        let mut chunk = Chunk::new("");
        for (p, t) in files {
            chunk.add_text(*p, t.to_string());
        }
        staging.put(Arc::new(chunk));
        tick();
        staging.commit().unwrap()
    }

    /// Let the file system's clock move on (a coarse one ticks every few
    /// milliseconds): files as late as their manifest are not trusted, so
    /// a test of reuse must not write both within one tick, as a real
    /// build of more than a few pages does not.
    pub(in crate::write) fn tick() {
        std::thread::sleep(std::time::Duration::from_millis(25));
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[cfg(unix)]
    fn inode(p: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&fs::metadata(p).unwrap())
    }

    #[test]
    fn an_output_is_replaced_in_one_step_and_leftovers_go() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        publish(&[("a.html", "one")], &dir);
        assert_eq!(fs::read_to_string(dir.join("a.html")).unwrap(), "one");
        // A killed build's folders.
        fs::create_dir(tmp.path().join(".public.new-abc")).unwrap();
        fs::create_dir(tmp.path().join(".public.old-def")).unwrap();
        fs::create_dir(tmp.path().join(".other.new-abc")).unwrap();
        publish(&[("b/c.html", "two")], &dir);
        assert!(!dir.join("a.html").exists());
        assert_eq!(fs::read_to_string(dir.join("b/c.html")).unwrap(), "two");
        // The replaced output is kept beside it, marked as no source.
        assert_eq!(
            names(tmp.path()),
            [".other.new-abc", ".public.previous", "public"]
        );
        let previous = tmp.path().join(".public.previous");
        assert_eq!(fs::read_to_string(previous.join("a.html")).unwrap(), "one");
        assert!(fs::read_to_string(previous.join(".gitignore"))
            .unwrap()
            .ends_with("\n*\n"));
        assert!(fs::read_to_string(previous.join("CACHEDIR.TAG"))
            .unwrap()
            .starts_with("Signature: 8a477f597d28d172789f06886806bc55"));
        assert_eq!(
            fs::read_to_string(dir.join(MANIFEST)).unwrap(),
            format!(
                "{MANIFEST_HEADER}\n{MANIFEST_FORMAT}\n{:032x} b/c.html\n",
                xxhash_rust::xxh3::xxh3_128(b"two")
            )
        );
        assert_eq!(names(&dir), [MANIFEST, "b"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_writes_only_what_changed_into_the_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let site = |b: &str| {
            vec![
                ("index.html", "home".to_string()),
                ("a/index.html", "page a".to_string()),
                ("b/index.html", b.to_string()),
            ]
        };
        let run = |files: &[(&str, String)]| {
            let f: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
            publish(&f, &dir)
        };
        assert_eq!(run(&site("b one")).written, 3);
        // No previous output to update yet: written whole.
        assert_eq!(run(&site("b two")).written, 3);
        let a_before = inode(&tmp.path().join(".public.previous/a/index.html"));
        // Now the previous output (holding "b one") is updated in place:
        // only b differs from it.
        let p = run(&site("b three"));
        assert_eq!((p.files, p.pages, p.written), (3, 3, 1));
        assert_eq!(
            fs::read_to_string(dir.join("b/index.html")).unwrap(),
            "b three"
        );
        assert_eq!(
            inode(&dir.join("a/index.html")),
            a_before,
            "a was not rewritten"
        );
        // Unchanged since two builds: nothing written.
        run(&site("b two"));
        assert_eq!(run(&site("b three")).written, 0);
        // A file changed by hand in the kept output is not trusted.
        run(&site("b three"));
        let kept = tmp.path().join(".public.previous/a/index.html");
        fs::write(&kept, "edited").unwrap();
        assert_eq!(run(&site("b three")).written, 1);
        assert_eq!(
            fs::read_to_string(dir.join("a/index.html")).unwrap(),
            "page a"
        );
        // A page that goes away takes its folder with it.
        run(&site("b three"));
        let p = run(&[("index.html", "home".to_string())]);
        assert_eq!((p.files, p.written), (1, 0));
        assert_eq!(names(&dir), [MANIFEST, "index.html"]);
    }

    #[test]
    fn a_kept_output_without_its_manifest_is_not_trusted() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        for _ in 0..2 {
            publish(&[("a.html", "one"), ("b.html", "two")], &dir);
        }
        // A build killed half-way: its manifest gone, a file it added.
        let previous = tmp.path().join(".public.previous");
        fs::remove_file(previous.join(MANIFEST)).unwrap();
        fs::write(previous.join("stray.html"), "half").unwrap();
        let p = publish(&[("a.html", "one")], &dir);
        assert_eq!(p.written, 1);
        assert_eq!(names(&dir), [MANIFEST, "a.html"]);
    }

    #[cfg(unix)]
    #[test]
    fn what_no_build_wrote_in_the_kept_output_is_not_published() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let site = [("index.html", "home"), ("a/index.html", "a")];
        for _ in 0..2 {
            publish(&[site[0], site[1], ("old/index.html", "old")], &dir);
        }
        let previous = tmp.path().join(".public.previous");
        tick();
        fs::write(previous.join("a/stray.html"), "planted").unwrap();
        std::os::unix::fs::symlink("/", previous.join("a/root")).unwrap();
        fs::write(previous.join("top.txt"), "planted").unwrap();
        fs::write(previous.join("old/stray"), "planted").unwrap();
        let p = publish(&site, &dir);
        assert_eq!(names(&dir), [MANIFEST, "a", "index.html"]);
        assert_eq!(names(&dir.join("a")), ["index.html"]);
        // The kept output was still reused: nothing written again.
        assert_eq!(p.written, 0);
    }

    #[test]
    fn an_aborted_build_leaves_the_output_as_it_was() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        for text in ["one", "two"] {
            publish(&[("a.html", text)], &dir);
        }
        let staging = Staging::begin(&dir, true).unwrap();
        let mut chunk = Chunk::new("");
        chunk.add_text("a.html", "half".into());
        staging.put(Arc::new(chunk));
        staging.abort();
        assert_eq!(fs::read_to_string(dir.join("a.html")).unwrap(), "two");
        assert_eq!(names(tmp.path()), ["public"]);
        assert_eq!(publish(&[("a.html", "two")], &dir).written, 1);
    }
}
