//! Fuzzing support: a real site in a temporary folder (the example's
//! smaller program), whose files a fuzz target replaces with its input
//! before running the whole pipeline on it — load, resolve, check,
//! render and the human diagnostics report — exactly as `playbook build`
//! does: in memory ([`Sandbox::run`], as `serve`), or written into an
//! output folder beside the site ([`Sandbox::build`]).

use std::path::{Path, PathBuf};

/// The program every target starts from.
const PROGRAM: &str = "new-manager-essentials";

/// A site on disk, made once per fuzzing process.
pub struct Sandbox {
    _dir: tempfile_dir::Dir,
    pub root: PathBuf,
    /// Kept between runs, as `serve` keeps it between rebuilds (and so that
    /// the templates are parsed once, not on every run).
    cache: std::sync::Mutex<playbook::PageCache>,
}

mod tempfile_dir {
    /// A folder removed when dropped.
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl Sandbox {
    /// The example's `new-manager-essentials` program as `content/p/`.
    pub fn new() -> Self {
        let base = std::env::var_os("TMPDIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/dev/shm"));
        let root = base.join(format!("playbook-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        copy(&repo.join("content").join(PROGRAM), &root.join("content/p"));
        std::fs::write(
            root.join("playbook.yaml"),
            "title: Fuzz\nbase_url: /\n",
        )
        .unwrap();
        Sandbox {
            _dir: tempfile_dir::Dir(root.clone()),
            root,
            cache: Default::default(),
        }
    }

    /// An empty folder for a whole site.
    pub fn empty() -> Self {
        let base = std::env::var_os("TMPDIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/dev/shm"));
        let root = base.join(format!("playbook-fuzz-site-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        Sandbox {
            _dir: tempfile_dir::Dir(root.clone()),
            root,
            cache: Default::default(),
        }
    }

    /// `playbook build` of the site, into a folder beside it (whatever
    /// `output_dir` the input asks for), and its report as `playbook
    /// check` prints it.
    pub fn build(&self) {
        let out = self.root.with_extension("out");
        let built = playbook::build(
            &self.root,
            &playbook::BuildOptions {
                output: Some(out.clone()),
                ..Default::default()
            },
        );
        let _ = playbook::render_plain(
            &built.compiled.diagnostics,
            &built.compiled.sources,
        );
        if built.published.is_none() {
            assert!(
                built.compiled.has_errors(),
                "nothing published, yet no error was reported"
            );
        }
        let _ = std::fs::remove_dir_all(&out);
    }

    /// Write `bytes` at `rel` (under the site root).
    pub fn put(&self, rel: &str, bytes: &[u8]) {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// Run the pipeline as `playbook serve` does, into memory, and render
    /// its report as `playbook check` prints it.
    pub fn run(&self) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let built = playbook::render_compiled(
            &self.root,
            playbook::compile(&self.root),
            &playbook::BuildOptions::default(),
            Some(&mut cache),
        );
        let _ = playbook::render_plain(
            &built.compiled.diagnostics,
            &built.compiled.sources,
        );
        if built.output.is_none() {
            assert!(
                built.compiled.has_errors(),
                "nothing rendered, yet no error was reported"
            );
        }
    }
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}
