//! Watching a site for changes: what `playbook serve` watches, which
//! changes matter, and the watcher itself.
//!
//! The site root is watched on its own (for `playbook.yaml`, and to see
//! `templates/`, `static/`, `themes/` or `content/` appear or go away), and
//! those folders recursively; nothing else under the root (the output
//! folder, `target/`, `node_modules/`, …) is watched at all. Events go
//! through `notify-debouncer-mini` (a path is reported once no event came
//! for it for [`DEBOUNCE`]; its thread sleeps while nothing happens);
//! `Access` events (notify reports every file the rebuild opens) are dropped
//! before they reach it ([`NoAccess`]).
//! A change matters when its path is under a watched folder and no part of it
//! is a hidden, backup or editor temporary file (see [`is_ignored_name`]).
//! Renames are changes like any other: editors that save by writing a
//! temporary file and renaming it over the original (vim, JetBrains IDEs,
//! VS Code) produce a rename whose target is the file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{
    EventHandler, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, WatcherKind,
};
use notify_debouncer_mini::{new_debouncer_opt, Config, DebounceEventResult, Debouncer};

use crate::layout::{self, CONFIG_FILE};

/// How long a path must stay quiet before the debouncer reports it.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often `--poll` scans the watched folders (reading the files, to
/// compare their contents).
pub(crate) const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// What the watcher reports to the rebuild loop.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    /// Paths that were created, modified, renamed (both names) or removed.
    pub paths: Vec<PathBuf>,
    /// The watcher lost events (e.g. an inotify queue overflow): rebuild.
    pub rescan: bool,
    pub errors: Vec<String>,
}

enum Inner {
    Native(Debouncer<NoAccess<RecommendedWatcher>>),
    Poll(Debouncer<NoAccess<PollWatcher>>),
}

/// A watcher that drops `Access` events before they reach the debouncer
/// (notify reports every file a rebuild opens, thousands on a large site,
/// and the debouncer keeps no event kinds), and turns "events were lost,
/// rescan" into a change of `RESCAN`.
pub(crate) struct NoAccess<W>(W);

/// The path a lost-events notice is reported as.
const RESCAN: &str = "";

struct DropAccess<H>(H);

impl<H: EventHandler> EventHandler for DropAccess<H> {
    fn handle_event(&mut self, event: notify::Result<notify::Event>) {
        match event {
            Ok(e) if matches!(e.kind, EventKind::Access(_)) => {}
            Ok(e) if e.need_rescan() => self.0.handle_event(Ok(e.add_path(PathBuf::from(RESCAN)))),
            other => self.0.handle_event(other),
        }
    }
}

impl<W: notify::Watcher> notify::Watcher for NoAccess<W> {
    fn new<F: EventHandler>(event_handler: F, config: notify::Config) -> notify::Result<Self> {
        W::new(DropAccess(event_handler), config).map(NoAccess)
    }
    fn watch(&mut self, path: &Path, recursive_mode: RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, recursive_mode)
    }
    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }
    fn configure(&mut self, option: notify::Config) -> notify::Result<bool> {
        self.0.configure(option)
    }
    fn kind() -> WatcherKind {
        W::kind()
    }
}

/// The watcher of one site.
pub(crate) struct Watcher {
    root: PathBuf,
    inner: Inner,
    watched: BTreeSet<&'static str>,
}

impl Watcher {
    /// Start watching `root`, sending batches of changes to `tx`.
    pub(crate) fn start(root: &Path, poll: bool, tx: Sender<Batch>) -> notify::Result<Self> {
        let handler = move |result: DebounceEventResult| {
            let mut batch = Batch::default();
            match result {
                Ok(events) => {
                    for e in events {
                        if e.path.as_os_str() == RESCAN {
                            batch.rescan = true;
                        } else {
                            batch.paths.push(e.path);
                        }
                    }
                }
                Err(e) => batch.errors.push(e.to_string()),
            }
            if !batch.paths.is_empty() || batch.rescan || !batch.errors.is_empty() {
                let _ = tx.send(batch);
            }
        };
        let notify_config = if poll {
            // PollWatcher compares modification times in whole seconds: a
            // second save within the same second would go unseen without
            // comparing contents too.
            notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true)
        } else {
            notify::Config::default()
        };
        let config = Config::default()
            .with_timeout(DEBOUNCE)
            .with_batch_mode(true)
            .with_notify_config(notify_config);
        let inner = if poll {
            Inner::Poll(new_debouncer_opt(config, handler)?)
        } else {
            Inner::Native(new_debouncer_opt(config, handler)?)
        };
        let mut w = Watcher {
            root: root.to_path_buf(),
            inner,
            watched: BTreeSet::new(),
        };
        w.watch(root, RecursiveMode::NonRecursive)?;
        w.sync(&[]);
        Ok(w)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match &mut self.inner {
            Inner::Native(d) => d.watcher().watch(path, mode),
            Inner::Poll(d) => d.watcher().watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) {
        let _ = match &mut self.inner {
            Inner::Native(d) => d.watcher().unwatch(path),
            Inner::Poll(d) => d.watcher().unwatch(path),
        };
    }

    /// Watch the input folders that exist and stop watching those that went
    /// away. A folder named in `changed` (created, removed or renamed as a
    /// whole) is watched anew.
    pub(crate) fn sync(&mut self, changed: &[PathBuf]) {
        for dir in layout::watched() {
            let path = self.root.join(dir);
            let was = self.watched.contains(dir);
            if was && changed.contains(&path) {
                self.unwatch(&path);
                self.watched.remove(dir);
            }
            let is = path.is_dir();
            if is && !self.watched.contains(dir) {
                match self.watch(&path, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched.insert(dir);
                    }
                    Err(e) => eprintln!("warning: cannot watch {}: {e}", path.display()),
                }
            } else if !is && self.watched.contains(dir) {
                self.unwatch(&path);
                self.watched.remove(dir);
            }
        }
    }
}

/// Whether a change of `path` can change the site of `root`: `playbook.yaml`,
/// or anything under a watched folder that is not ignored, and not under the
/// output folder.
pub(crate) fn is_relevant(root: &Path, output: Option<&Path>, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    if output.is_some_and(|o| path.starts_with(o)) {
        return false;
    }
    let names: Vec<&str> = rel.iter().filter_map(|c| c.to_str()).collect();
    let Some(first) = names.first() else {
        return false;
    };
    let top = (*first == CONFIG_FILE && names.len() == 1) || layout::watched().any(|d| d == *first);
    top && !names.iter().any(|n| is_ignored_name(n))
}

/// Names of files and folders that never hold inputs: version control,
/// build and dependency folders, hidden files and editors' swap, backup,
/// lock and temporary files.
pub(crate) fn is_ignored_name(name: &str) -> bool {
    crate::load::is_hidden_or_backup(name)
        || matches!(name, "target" | "node_modules")
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
        || is_vim_probe(name)
}

/// Vim checks that a folder is writable by creating `4913` (then 5036,
/// 5159, …: 4913 + 123·n) before it writes a file.
fn is_vim_probe(name: &str) -> bool {
    name.len() <= 9
        && name.bytes().all(|b| b.is_ascii_digit())
        && name
            .parse::<u64>()
            .is_ok_and(|n| n >= 4913 && (n - 4913) % 123 == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignored_names() {
        for n in [
            ".git",
            ".#01-intro.md",
            "01-intro.md~",
            ".01-intro.md.swp",
            "01-intro.md.swx",
            "x.tmp",
            "#01-intro.md#",
            "4913",
            "5036",
            "01-intro.md___jb_tmp___",
            "01-intro.md___jb_old___",
            "target",
            "node_modules",
            ".DS_Store",
        ] {
            assert!(is_ignored_name(n), "{n}");
        }
        for n in ["01-intro.md", "4914", "2024", "content", "style.css"] {
            assert!(!is_ignored_name(n), "{n}");
        }
    }

    #[test]
    fn relevant_paths() {
        let root = Path::new("/s");
        let out = Some(Path::new("/s/public"));
        let yes = |p: &str| is_relevant(root, out, Path::new(p));
        assert!(yes("/s/playbook.yaml"));
        assert!(yes("/s/content/p/sessions/01.md"));
        assert!(yes("/s/content/p/alignment/competencies.yaml"));
        assert!(yes("/s/content/p/results/ratings.csv"));
        // What `playbook import` writes: its temporary file is ignored,
        // the rename onto the results file is seen.
        assert!(yes("/s/content/p/results/import.yaml"));
        assert!(yes("/s/content/p/cohorts/spring/results/survey.csv"));
        assert!(!yes("/s/content/p/results/.survey.csv.tmp-4242"));
        assert!(yes("/s/templates/session.html"));
        assert!(yes("/s/static/logo.svg"));
        assert!(yes("/s/themes/t/templates/base.html"));
        assert!(yes("/s/content"));
        assert!(!yes("/s/public/index.html"));
        assert!(!yes("/s/README.md"));
        assert!(!yes("/s/target/debug/x"));
        assert!(!yes("/s/.git/index"));
        assert!(!yes("/s/content/.git/index"));
        assert!(!yes("/s/content/p/node_modules/x.md"));
        assert!(!yes("/s/content/p/sessions/.01.md.swp"));
        assert!(!yes("/s/content/p/sessions/4913"));
        assert!(!yes("/s/content/p/sessions/01.md~"));
        assert!(!yes("/s/content/p/sessions/01.md___jb_tmp___"));
        assert!(!yes("/s"));
        assert!(!yes("/elsewhere/content/x.md"));
        // The root itself may be inside a hidden folder.
        let hidden = Path::new("/tmp/.tmpX/s");
        assert!(is_relevant(
            hidden,
            None,
            Path::new("/tmp/.tmpX/s/content/a.md")
        ));
    }
}
