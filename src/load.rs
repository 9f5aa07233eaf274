//! Load: from files on disk to raw, unparsed documents.
//!
//! Finds the files of the layout (`layout.rs` names them) in a site:
//! which files are programs, alignment steps, session guides, session
//! assets and results; reads them (in parallel) as UTF-8 with an optional
//! byte-order mark; and reports files that are missing, unexpected or not
//! text.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

mod library;

use crate::diagnostics::{rel_path, Code, Diagnostic, FileId, Loc};
use crate::layout::{
    AlignmentFile, ByAlignment, ByResults, ALIGNMENT, COHORTS, COHORT_FILE, CONFIG_FILE, CONTENT,
    IMPORT_FILE, PROGRAM_FILE, RESULTS, SESSIONS,
};

/// One folder under `content/`.
#[derive(Debug)]
pub(crate) struct RawProgram {
    /// The folder name, which is the program id.
    pub id: String,
    /// Absolute path of the program folder.
    pub dir: PathBuf,
    /// `program.yaml`, when it exists and could be read.
    pub program: Option<FileId>,
    /// Whether `program.yaml` exists (it may still fail to read).
    pub program_exists: bool,
    /// The alignment files.
    pub alignment: ByAlignment<Option<FileId>>,
    /// Session guides (`sessions/*.md`), sorted by file name.
    pub sessions: Vec<FileId>,
    /// Other files under `sessions/`, relative to it with `/`, sorted.
    pub assets: Vec<String>,
    /// Its results files.
    pub results: ByResults<Option<FileId>>,
    /// `results/import.yaml`: how `playbook import` reads exports.
    pub import: Option<FileId>,
    /// Whether the program has a `results/` folder.
    pub results_dir: bool,
    /// Its cohorts (`cohorts/<cohort>/`), sorted by folder name.
    pub cohorts: Vec<RawCohort>,
    /// Paths under `sessions/` (relative to it; `""` for the folder itself)
    /// that are symbolic links to places outside the site, and were skipped.
    pub outside: Vec<String>,
}

/// One folder under a program's `cohorts/` (FORMAT.md v1.2).
#[derive(Debug)]
pub(crate) struct RawCohort {
    /// The folder name, which is the cohort id.
    pub id: String,
    pub dir: PathBuf,
    /// `cohort.yaml`, when it exists and could be read.
    pub file: Option<FileId>,
    /// Whether `cohort.yaml` exists (it may still fail to read).
    pub exists: bool,
    /// Its results files, and its `results/import.yaml`.
    pub results: ByResults<Option<FileId>>,
    pub import: Option<FileId>,
}

/// The files of a cohort to read, as indices into the wanted files.
#[derive(Default)]
struct CohortPlan {
    id: String,
    dir: PathBuf,
    file: Option<usize>,
    exists: bool,
    results: ByResults<Option<usize>>,
    import: Option<usize>,
}

/// What a path of the site is, with symbolic links followed only while
/// they stay inside the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    Nothing,
    File,
    Dir,
    /// A symbolic link whose target lies outside the site (or cannot be
    /// resolved): never read.
    Outside,
}

/// The site's real root: nothing whose real path lies outside it is read
/// or published.
pub(crate) struct Boundary {
    root: PathBuf,
    real: PathBuf,
}

impl Boundary {
    pub(crate) fn new(root: &Path) -> Self {
        Boundary {
            root: root.to_path_buf(),
            real: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// What is at `path` (under the root). A symbolic link is resolved and
    /// must land inside the site; when it does not, a warning names it.
    pub(crate) fn find(&self, path: &Path, diags: &mut Vec<Diagnostic>) -> Found {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return Found::Nothing;
        };
        if meta.file_type().is_symlink() && !self.link_inside(path, diags) {
            return Found::Outside;
        }
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => Found::Dir,
            Ok(m) if m.is_file() => Found::File,
            _ => Found::Nothing,
        }
    }

    /// Whether the symbolic link at `path` resolves inside the site; a
    /// warning when it does not (a dangling link is simply absent).
    pub(crate) fn link_inside(&self, path: &Path, diags: &mut Vec<Diagnostic>) -> bool {
        match std::fs::canonicalize(path) {
            Ok(real) if real.starts_with(&self.real) => true,
            Ok(real) => {
                let rel = rel_path(&self.root, path);
                diags.push(
                    Diagnostic::warning(
                        Code::OutsideSite,
                        format!("`{rel}` links to a place outside the site ({}): skipped", real.display()),
                        Loc::Path(rel),
                    )
                    .with_hint("playbook reads and publishes only what is inside the site folder: copy the files into it instead of linking to them"),
                );
                false
            }
            Err(_) => false,
        }
    }
}

/// Reads a site's files, a part at a time: `playbook.yaml`, the list of
/// program folders, the files of some programs. Each file read is handed
/// to a `register` function, which files it under a [`FileId`].
pub(crate) struct Loader {
    root: PathBuf,
    fence: Boundary,
}

impl Loader {
    pub(crate) fn new(root: &Path) -> Self {
        Loader {
            root: root.to_path_buf(),
            fence: Boundary::new(root),
        }
    }

    /// `playbook.yaml`, read.
    pub(crate) fn config(
        &self,
        register: &mut dyn FnMut(String, String) -> FileId,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<FileId> {
        let config = self.root.join(CONFIG_FILE);
        if self.fence.find(&config, diags) == Found::Outside {
            diags.push(
                Diagnostic::error(
                    Code::OutsideSite,
                    format!("{CONFIG_FILE} links to a place outside the site"),
                    Loc::Path(CONFIG_FILE.into()),
                )
                .with_hint(format!("make {CONFIG_FILE} a file of the site folder")),
            );
        }
        match read_all(&self.root, &[config], register).remove(0) {
            Ok(id) => Some(id),
            Err(d) => {
                diags.push(*d);
                None
            }
        }
    }

    /// The program folders under `content/` (name and path), sorted by
    /// name; an error when there are none.
    pub(crate) fn program_dirs(&self, diags: &mut Vec<Diagnostic>) -> Vec<(String, PathBuf)> {
        let content = self.root.join(CONTENT);
        let dirs = match self.fence.find(&content, diags) {
            Found::Dir => sorted_dir(&content, diags, &self.root),
            _ => Vec::new(),
        };
        let mut programs = Vec::new();
        for dir in dirs {
            let name = dir
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if name.starts_with('.') || name.starts_with('_') {
                continue;
            }
            if self.fence.find(&dir, diags) != Found::Dir {
                continue;
            }
            programs.push((name, dir));
        }
        if programs.is_empty() {
            diags.push(
                Diagnostic::error(
                    Code::MissingFile,
                    "the site has no programs: content/ holds no program folder",
                    Loc::Path(CONTENT.into()),
                )
                .with_hint("create content/<program>/program.yaml (and its alignment/ and sessions/) for each program"),
            );
        }
        programs
    }

    /// The files of the program folders `dirs` (as [`Loader::program_dirs`]
    /// gives them), read in parallel and registered in order, each with
    /// the diagnostics about its files.
    pub(crate) fn programs(
        &self,
        dirs: &[(String, PathBuf)],
        register: &mut dyn FnMut(String, String) -> FileId,
    ) -> Vec<(RawProgram, Vec<Diagnostic>)> {
        let mut wanted: Vec<PathBuf> = Vec::new();
        // The program each wanted file belongs to.
        let mut owner: Vec<usize> = Vec::new();
        let mut plans: Vec<(ProgramPlan, Vec<Diagnostic>)> = dirs
            .iter()
            .enumerate()
            .map(|(i, (name, dir))| {
                let mut d = Vec::new();
                let plan = self.plan(name, dir, &mut wanted, &mut d);
                owner.resize(wanted.len(), i);
                (plan, d)
            })
            .collect();
        let ids: Vec<Option<FileId>> = read_all(&self.root, &wanted, register)
            .into_iter()
            .zip(&owner)
            .map(|(r, &i)| match r {
                Ok(id) => Some(id),
                Err(d) => {
                    plans[i].1.push(*d);
                    None
                }
            })
            .collect();
        plans
            .into_iter()
            .zip(dirs)
            .map(|((p, d), (id, dir))| {
                let map = |i: Option<usize>| i.and_then(|i| ids[i]);
                let raw = RawProgram {
                    id: id.clone(),
                    program_exists: p.has_program,
                    dir: dir.clone(),
                    program: map(p.program),
                    alignment: p.alignment.map(map),
                    sessions: p.sessions.into_iter().filter_map(|i| ids[i]).collect(),
                    assets: p.assets,
                    outside: p.outside,
                    results: p.results.map(map),
                    import: map(p.import),
                    results_dir: p.results_dir,
                    cohorts: p
                        .cohorts
                        .into_iter()
                        .map(|c| RawCohort {
                            id: c.id,
                            dir: c.dir,
                            file: map(c.file),
                            exists: c.exists,
                            results: c.results.map(map),
                            import: map(c.import),
                        })
                        .collect(),
                };
                (raw, d)
            })
            .collect()
    }

    /// Which files of the program folder `dir` are read (pushed onto
    /// `wanted`), and the diagnostics about its layout.
    fn plan(
        &self,
        name: &str,
        dir: &Path,
        wanted: &mut Vec<PathBuf>,
        diags: &mut Vec<Diagnostic>,
    ) -> ProgramPlan {
        let (root, fence) = (&self.root, &self.fence);
        let bad = crate::model::program_id_problem(name);
        if let Some((what, hint)) = bad {
            let message = format!("program folder name `{name}` {what}");
            diags.push(
                Diagnostic::error(Code::InvalidId, message, Loc::Path(rel_path(root, dir)))
                    .with_hint(hint),
            );
        }
        let mut p = ProgramPlan::default();
        let program_yaml = dir.join(PROGRAM_FILE);
        let has_program = fence.find(&program_yaml, diags) == Found::File;
        if has_program {
            p.program = Some(push(wanted, program_yaml));
        } else {
            diags.push(
                Diagnostic::error(
                    Code::MissingFile,
                    format!("program folder `{name}` has no program.yaml"),
                    Loc::Path(rel_path(root, dir)),
                )
                .with_hint(format!(
                    "create content/{name}/program.yaml with at least a `title`, or move the folder out of content/"
                )),
            );
        }
        let align = dir.join(ALIGNMENT);
        let align_found = fence.find(&align, diags);
        for step in AlignmentFile::ALL {
            let f = step.file_name();
            let path = align.join(f);
            let found = match align_found {
                Found::Dir => fence.find(&path, diags),
                _ => Found::Nothing,
            };
            if found == Found::File {
                p.alignment[step] = Some(push(wanted, path));
            } else if has_program {
                diags.push(
                    Diagnostic::error(
                        Code::MissingFile,
                        format!("program `{name}` has no alignment/{f}"),
                        Loc::Path(rel_path(root, &path)),
                    )
                    .with_hint(format!(
                        "create content/{name}/alignment/{f} (step {} of the alignment)",
                        step.step()
                    )),
                );
            }
        }
        if align_found == Found::Dir {
            unknown_alignment_files(root, &align, diags);
        }
        let sessions = dir.join(SESSIONS);
        match fence.find(&sessions, diags) {
            Found::Dir => walk_sessions(fence, &sessions, wanted, &mut p, diags),
            Found::Outside => p.outside.push(String::new()),
            _ => {}
        }
        let results = dir.join(RESULTS);
        if fence.find(&results, diags) == Found::Dir {
            p.results_dir = true;
            (p.results, p.import) = self.results(&results, wanted, diags);
        }
        let cohorts = dir.join(COHORTS);
        if fence.find(&cohorts, diags) == Found::Dir {
            for c in sorted_dir(&cohorts, diags, root) {
                let id = c
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                if is_hidden_or_backup(&id) || fence.find(&c, diags) != Found::Dir {
                    continue;
                }
                let yaml = c.join(COHORT_FILE);
                let exists = fence.find(&yaml, diags) == Found::File;
                let mut plan = CohortPlan {
                    file: exists.then(|| push(wanted, yaml)),
                    exists,
                    ..CohortPlan::default()
                };
                let results = c.join(RESULTS);
                if fence.find(&results, diags) == Found::Dir {
                    (plan.results, plan.import) = self.results(&results, wanted, diags);
                }
                plan.id = id;
                plan.dir = c;
                p.cohorts.push(plan);
            }
        }
        p.has_program = has_program;
        p
    }

    /// The results files (and `import.yaml`) of the folder `results`.
    fn results(
        &self,
        results: &Path,
        wanted: &mut Vec<PathBuf>,
        diags: &mut Vec<Diagnostic>,
    ) -> (ByResults<Option<usize>>, Option<usize>) {
        let files = ByResults::from_fn(|f| {
            let path = results.join(f.file_name());
            (self.fence.find(&path, diags) == Found::File).then(|| push(wanted, path))
        });
        let import = results.join(IMPORT_FILE);
        let import = (self.fence.find(&import, diags) == Found::File).then(|| push(wanted, import));
        (files, import)
    }
}

/// Read every file of `wanted` in parallel and register them in order:
/// the id of each, or the error of a file that cannot be read.
fn read_all(
    root: &Path,
    wanted: &[PathBuf],
    register: &mut dyn FnMut(String, String) -> FileId,
) -> Vec<Result<FileId, Box<Diagnostic>>> {
    let texts: Vec<Result<String, Box<Diagnostic>>> =
        wanted.par_iter().map(|p| read_text(root, p)).collect();
    let mut ids = Vec::with_capacity(texts.len());
    for (path, t) in wanted.iter().zip(texts) {
        match t {
            Ok(text) => ids.push(Ok(register(rel_path(root, path), text))),
            Err(mut d) => {
                // Point at the first bad byte in a lossy copy of the file.
                if d.code == Code::InvalidUtf8 {
                    if let Ok(bytes) = std::fs::read(path) {
                        let at = std::str::from_utf8(&bytes)
                            .err()
                            .map_or(0, |e| e.valid_up_to());
                        let lossy = String::from_utf8_lossy(&bytes).into_owned();
                        let fid = register(rel_path(root, path), lossy);
                        d.loc = Loc::Span(fid, at..at + '\u{fffd}'.len_utf8());
                    }
                }
                ids.push(Err(d));
            }
        }
    }
    ids
}

#[derive(Default)]
struct ProgramPlan {
    has_program: bool,
    program: Option<usize>,
    alignment: ByAlignment<Option<usize>>,
    sessions: Vec<usize>,
    assets: Vec<String>,
    results: ByResults<Option<usize>>,
    import: Option<usize>,
    results_dir: bool,
    cohorts: Vec<CohortPlan>,
    outside: Vec<String>,
}

/// Warn about `.yaml` files in `alignment/` that are not one of the four steps.
fn unknown_alignment_files(root: &Path, align: &Path, diags: &mut Vec<Diagnostic>) {
    for f in sorted_dir(align, diags, root) {
        let fname = f
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let is_yaml = fname.ends_with(".yaml") || fname.ends_with(".yml");
        let names = AlignmentFile::ALL.map(AlignmentFile::file_name);
        if !is_yaml || names.contains(&fname.as_str()) || !f.is_file() {
            continue;
        }
        let stem = fname.trim_end_matches(".yaml").trim_end_matches(".yml");
        let stems = names.map(|f| f.trim_end_matches(".yaml"));
        let s = crate::suggest::suggest(stem, stems).map(|s| format!("{s}.yaml"));
        let hint = crate::suggest::did_you_mean(s)
            .unwrap_or_else(|| format!("alignment files are {}", names.join(", ")));
        diags.push(
            Diagnostic::warning(
                Code::UnknownFile,
                format!("`{fname}` is not an alignment file and is ignored"),
                Loc::Path(rel_path(root, &f)),
            )
            .with_hint(hint),
        );
    }
}

/// Every guide (`sessions/*.md`) and asset (any other file below
/// `sessions/`) of a program, following symbolic links that stay inside
/// the site; those that leave it are skipped and recorded.
fn walk_sessions(
    fence: &Boundary,
    sessions: &Path,
    wanted: &mut Vec<PathBuf>,
    p: &mut ProgramPlan,
    diags: &mut Vec<Diagnostic>,
) {
    let root = &fence.root;
    let mut walker = walkdir::WalkDir::new(sessions)
        .min_depth(1)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(sessions).to_path_buf();
                if e.loop_ancestor().is_some() {
                    diags.push(
                        Diagnostic::warning(
                            Code::OutsideSite,
                            format!(
                                "`{}` links back to a folder that contains it: skipped",
                                rel_path(root, &path)
                            ),
                            Loc::Path(rel_path(root, &path)),
                        )
                        .with_hint("remove the symbolic link; a folder cannot contain itself"),
                    );
                } else if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink())
                {
                    // A dangling link: nothing there.
                } else {
                    diags.push(io_error(root, &path, &e.to_string()));
                }
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if is_hidden_or_backup(&name) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        let path = entry.path();
        if entry.path_is_symlink() && !fence.link_inside(path, diags) {
            p.outside.push(rel_path(sessions, path));
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let is_guide = entry.depth() == 1 && path.extension().is_some_and(|e| e == "md");
        if is_guide {
            p.sessions.push(push(wanted, path.to_path_buf()));
        } else {
            p.assets.push(rel_path(sessions, path));
        }
    }
}

fn push(v: &mut Vec<PathBuf>, p: PathBuf) -> usize {
    v.push(p);
    v.len() - 1
}

/// Dot files, editor swap and backup files: never content.
pub(crate) fn is_hidden_or_backup(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with("#")
}

fn sorted_dir(dir: &Path, diags: &mut Vec<Diagnostic>, root: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(rd) => {
            let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
            v.sort();
            v
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            diags.push(io_error(root, dir, &e.to_string()));
            Vec::new()
        }
    }
}

fn io_error(root: &Path, path: &Path, e: &str) -> Diagnostic {
    Diagnostic::error(
        Code::IoError,
        format!("cannot read {}: {e}", rel_path(root, path)),
        Loc::Path(rel_path(root, path)),
    )
}

/// Read a file as UTF-8 text, dropping a leading byte-order mark.
pub(crate) fn read_text(root: &Path, path: &Path) -> Result<String, Box<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| Box::new(io_error(root, path, &e.to_string())))?;
    decode(bytes).map_err(|(line, _)| {
        Box::new(
            Diagnostic::error(
                Code::InvalidUtf8,
                format!("file is not valid UTF-8 (first bad byte on line {line})"),
                Loc::Path(rel_path(root, path)),
            )
            .with_hint("save the file with UTF-8 encoding"),
        )
    })
}

/// Bytes to text; on failure the 1-based line and 0-based byte offset of the
/// first invalid sequence.
pub(crate) fn decode(bytes: Vec<u8>) -> Result<String, (usize, usize)> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
            Err((line, at))
        }
    }
}
