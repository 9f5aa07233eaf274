//! Compile: load, resolve and check a site — all of it ([`compile`]), or,
//! as `serve` does after each save, only what the changed files touch
//! ([`Incremental`]).
//!
//! Programs are independent (every reference stays inside its program),
//! so a program whose files did not change keeps its graph — the same
//! shared [`Program`], which later stages recognise by identity — and its
//! diagnostics; only the changed programs are read and resolved again. The
//! result is what a whole compile gives.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diagnostics::{self, FileId, Reported, Severity, Sources};
use crate::graph::{Program, Site};
use crate::layout::{self, Change};
use crate::load::Loader;
use crate::{coverage, resolve};

/// The outcome of loading, resolving and checking a site.
pub struct Compiled {
    pub site: Site,
    pub sources: Sources,
    /// Sorted by file, line and column.
    pub diagnostics: Vec<Reported>,
    /// Each program's coverage gaps (their warnings are in `diagnostics`).
    pub gaps: coverage::Gaps,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Load, resolve and check the site whose root (the folder holding
/// `playbook.yaml`) is `root`: an [`Incremental`] compile with nothing
/// kept from before.
pub fn compile(root: &Path) -> Compiled {
    let mut once = Incremental {
        once: true,
        ..Incremental::default()
    };
    once.compile(root, Changed::Anything)
}

/// What changed since the last compile.
#[derive(Debug, Clone, Copy)]
pub enum Changed<'a> {
    /// Anything may have: compile everything again.
    Anything,
    /// These files or folders (paths under the root), created, changed,
    /// renamed or removed.
    Paths(&'a [PathBuf]),
}

/// A program as the last compile left it.
struct Unit {
    dir: PathBuf,
    program: Option<Arc<Program>>,
    /// Its session guides, parsed.
    guides: resolve::Guides,
    /// Its diagnostics (loading, resolving, coverage), positions resolved.
    reported: Vec<Reported>,
    /// Its coverage gaps.
    gaps: Vec<coverage::Placed>,
}

/// What `serve` keeps between compiles: every file read (each path keeps
/// its [`FileId`]), the configuration, and each program's graph and
/// diagnostics.
#[derive(Default)]
pub struct Incremental {
    root: PathBuf,
    sources: Sources,
    ids: HashMap<String, FileId>,
    config: Option<(SiteConfig, Vec<Reported>)>,
    /// `playbook.yaml`, when it could be read.
    config_file: Option<FileId>,
    programs: HashMap<String, Unit>,
    /// The session library, parsed (read again whenever anything under
    /// `library/` changes, and then every program with it).
    library: Option<(
        Arc<resolve::Library>,
        Vec<crate::graph::LibraryGuide>,
        Vec<Reported>,
    )>,
    /// Nothing will be compiled again: parsed guides are not kept (each
    /// is freed on the thread that resolved its program).
    once: bool,
}

/// What a set of changed paths means for a compile.
enum Scope {
    Everything,
    /// The configuration (when `true`) and these program folders.
    Some(bool, HashSet<String>),
}

fn scope(root: &Path, changed: Changed) -> Scope {
    let Changed::Paths(paths) = changed else {
        return Scope::Everything;
    };
    let mut config = false;
    let mut programs = HashSet::new();
    for path in paths {
        // A path outside the root, or a name that is not UTF-8, cannot be
        // placed: check everything.
        let Some(parts) = layout::parts(root, path) else {
            return Scope::Everything;
        };
        match layout::change_of(&parts) {
            Change::Config => config = true,
            Change::Program(program) => {
                programs.insert(program.to_string());
            }
            // Templates and static files change the render, not the graph.
            Change::Render => {}
            Change::Everything => return Scope::Everything,
        }
    }
    Scope::Some(config, programs)
}

impl Incremental {
    /// File `text`, read from `path`, under the id that path always has.
    fn register(
        sources: &mut Sources,
        ids: &mut HashMap<String, FileId>,
        path: String,
        text: String,
    ) -> FileId {
        match ids.get(&path) {
            Some(&id) => {
                sources.replace(id, path, text);
                id
            }
            None => {
                let id = sources.add(path.clone(), text);
                ids.insert(path, id);
                id
            }
        }
    }

    /// Compile the site at `root`, reading again only what `changed` touches.
    pub fn compile(&mut self, root: &Path, changed: Changed) -> Compiled {
        let (config_changed, programs_changed) = match scope(root, changed) {
            _ if root != self.root => (true, None),
            Scope::Everything => (true, None),
            Scope::Some(c, p) => (c, Some(p)),
        };
        if programs_changed.is_none() {
            *self = Incremental {
                root: root.to_path_buf(),
                once: self.once,
                ..Incremental::default()
            };
        }
        let loader = Loader::new(root);
        if config_changed || self.config.is_none() {
            let mut d = Vec::new();
            let (sources, ids) = (&mut self.sources, &mut self.ids);
            let file = loader.config(
                &mut |path, text| Self::register(sources, ids, path, text),
                &mut d,
            );
            let config = resolve::config(&self.sources, file, &mut d);
            self.config = Some((config, diagnostics::finalize(d, &self.sources)));
            self.config_file = file;
        }
        if self.library.is_none() {
            let mut d = Vec::new();
            let (sources, ids) = (&mut self.sources, &mut self.ids);
            let files = loader.library(
                &mut |path, text| Self::register(sources, ids, path, text),
                &mut d,
            );
            let library = resolve::Library::parse(&files, &self.sources, &mut d);
            let list = library.list(&self.sources);
            self.library = Some((
                Arc::new(library),
                list,
                diagnostics::finalize(d, &self.sources),
            ));
        }
        let (library, library_list, library_reported) = self.library.clone().expect("read above");
        let mut site_diags = Vec::new();
        let dirs = loader.program_dirs(&mut site_diags);
        let stale: Vec<(String, PathBuf)> = dirs
            .iter()
            .filter(|(name, dir)| {
                programs_changed.as_ref().is_none_or(|c| c.contains(name))
                    || self.programs.get(name).is_none_or(|u| u.dir != *dir)
            })
            .cloned()
            .collect();
        let (sources, ids) = (&mut self.sources, &mut self.ids);
        let loaded = loader.programs(&stale, &mut |path, text| {
            Self::register(sources, ids, path, text)
        });
        let sources = &self.sources;
        let mut earlier: Vec<resolve::Guides> = loaded
            .iter()
            .map(|(raw, _)| {
                self.programs
                    .get_mut(&raw.id)
                    .map(|u| std::mem::take(&mut u.guides))
                    .unwrap_or_default()
            })
            .collect();
        let units: Vec<(String, Unit)> = loaded
            .into_par_iter()
            .zip(earlier.par_iter_mut())
            .map(|((raw, mut d), guides)| {
                let program = resolve::program(&raw, (sources, &library), guides, &mut d);
                let gaps = program.as_ref().map(coverage::check).unwrap_or_default();
                let mut warnings: Vec<_> = gaps.iter().map(coverage::Gap::diagnostic).collect();
                resolve::name_program(&mut d, sources, &raw.id);
                resolve::name_program(&mut warnings, sources, &raw.id);
                // One locator for both: each file's spans are read once.
                let mut locator = diagnostics::Locator::new(sources);
                let warnings = locator.locate(warnings);
                let mut reported = locator.locate(d);
                reported.extend(warnings.iter().cloned());
                diagnostics::sort(&mut reported);
                let unit = Unit {
                    dir: raw.dir.clone(),
                    program: program.map(Arc::new),
                    guides: if self.once {
                        drop(std::mem::take(guides));
                        resolve::Guides::default()
                    } else {
                        std::mem::take(guides)
                    },
                    reported,
                    gaps: coverage::place(gaps, warnings),
                };
                (raw.id, unit)
            })
            .collect();
        self.programs.extend(units);
        self.programs
            .retain(|name, _| dirs.iter().any(|(n, _)| n == name));
        let (config, config_reported) = self.config.clone().expect("read above");
        let mut reported = diagnostics::finalize(site_diags, &self.sources);
        reported.extend(config_reported);
        reported.extend(library_reported);
        let mut programs = Vec::with_capacity(dirs.len());
        let mut gaps = coverage::Gaps::new();
        for (name, _) in &dirs {
            let unit = &self.programs[name];
            reported.extend(unit.reported.iter().cloned());
            gaps.insert(name.clone(), unit.gaps.clone());
            programs.extend(unit.program.clone());
        }
        // Logos are files under static/, which may change without
        // anything else: looked for on every compile.
        let logos = logo_files(root, &config, self.config_file, &programs);
        reported.extend(diagnostics::finalize(logos, &self.sources));
        // Today's date moves without any file changing: judged every time.
        let overdue = crate::drivers::check(programs.iter().map(|p| &**p));
        reported.extend(diagnostics::finalize(overdue, &self.sources));
        diagnostics::sort(&mut reported);
        Compiled {
            site: Site {
                config,
                root: root.to_path_buf(),
                programs,
                library: library_list,
            },
            sources: self.sources.clone(),
            diagnostics: reported,
            gaps,
        }
    }
}

/// An error for each logo (of `playbook.yaml`, of a program) that is not
/// a file inside the site.
fn logo_files(
    root: &Path,
    config: &SiteConfig,
    config_file: Option<FileId>,
    programs: &[Arc<Program>],
) -> Vec<diagnostics::Diagnostic> {
    let mut diags = Vec::new();
    let at = |f| diagnostics::Loc::Yaml(f, 0, crate::yaml::YamlPath::root().key("logo"));
    if let (Some(logo), Some(f)) = (&config.logo, config_file) {
        crate::brand::logo_file(root, logo, at(f), &mut diags);
    }
    for p in programs {
        if let (Some(logo), Some(f)) = (&p.logo, p.files.program) {
            crate::brand::logo_file(root, logo, at(f), &mut diags);
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_scoped_to_its_program_unless_it_cannot_be_placed() {
        let root = Path::new("/site");
        let paths = [root.join("content/lead/sessions/01.md")];
        match scope(root, Changed::Paths(&paths)) {
            Scope::Some(false, p) => assert_eq!(p, HashSet::from(["lead".to_string()])),
            _ => panic!("not scoped to `lead`"),
        }
        for other in ["playbook.yaml", "templates/base.html"] {
            let paths = [root.join(other)];
            assert!(
                matches!(scope(root, Changed::Paths(&paths)), Scope::Some(_, p) if p.is_empty())
            );
        }
        for anything in ["README.md", "content"] {
            let paths = [root.join(anything)];
            assert!(
                matches!(scope(root, Changed::Paths(&paths)), Scope::Everything),
                "{anything}"
            );
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let name = std::ffi::OsStr::from_bytes(b"caf\xe9");
            let paths = [root.join("content").join(name).join("sessions/01.md")];
            assert!(matches!(
                scope(root, Changed::Paths(&paths)),
                Scope::Everything
            ));
        }
    }
}
