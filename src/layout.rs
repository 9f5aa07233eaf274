//! The site layout of FORMAT.md, declared once: the names of the site's
//! folders and files, the four alignment files and the results files (as
//! enums, with per-file tables indexed by them), the folders `serve`
//! watches and `build` keeps its output away from, and which program a
//! changed path belongs to. A leaf module: it depends on nothing else in
//! the crate.
//!
//! Adding a folder of inputs at the site root is one row of
//! [`SITE_FOLDERS`].

use std::ops::{Index, IndexMut};
use std::path::Path;

/// The site's configuration, at its root.
pub(crate) const CONFIG_FILE: &str = "playbook.yaml";
/// The folder of programs, one folder each.
pub(crate) const CONTENT: &str = "content";
/// The session library, shared by the programs.
pub(crate) const LIBRARY: &str = "library";
/// The site's own templates, over the theme's.
pub(crate) const TEMPLATES: &str = "templates";
/// The site's static files (logos, images), over the theme's.
pub(crate) const STATIC: &str = "static";
/// The site's themes.
pub(crate) const THEMES: &str = "themes";
/// The session library's folder of guides, relative to the site root.
pub(crate) const LIBRARY_SESSIONS: &str = "library/sessions";

/// Program ids the site's own pages use: `library` (the session library's
/// page, `/library/`).
pub(crate) const RESERVED_PROGRAM_IDS: [&str; 1] = [LIBRARY];

/// A program's own file, in its folder.
pub(crate) const PROGRAM_FILE: &str = "program.yaml";
/// A program's folder of the four alignment files.
pub(crate) const ALIGNMENT: &str = "alignment";
/// A program's session guides and their assets.
pub(crate) const SESSIONS: &str = "sessions";
/// A program's (or a cohort's) results files.
pub(crate) const RESULTS: &str = "results";
/// A program's cohorts, one folder each.
pub(crate) const COHORTS: &str = "cohorts";
/// A cohort's own file, in its folder.
pub(crate) const COHORT_FILE: &str = "cohort.yaml";
/// How `playbook import` reads exports, in a `results/` folder.
pub(crate) const IMPORT_FILE: &str = "import.yaml";
/// Who is enrolled, written by `playbook import --as roster` into a
/// `results/` folder.
pub(crate) const ROSTER_FILE: &str = "roster.csv";
/// The manifest every output folder holds.
pub(crate) const OUTPUT_MANIFEST: &str = ".playbook-output";

/// What a change under a folder of the site root touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Touches {
    /// The programs it is in (`content/<program>/…`).
    Programs,
    /// Every program (a library guide may be used by any).
    Everything,
    /// The render only, not the graph (templates and static files).
    Render,
}

/// The folders of the site root that hold inputs: `serve` watches each,
/// `build` refuses an output folder inside or around any, and a change
/// under one touches what its row says.
pub(crate) const SITE_FOLDERS: [(&str, Touches); 5] = [
    (CONTENT, Touches::Programs),
    (LIBRARY, Touches::Everything),
    (TEMPLATES, Touches::Render),
    (STATIC, Touches::Render),
    (THEMES, Touches::Render),
];

/// The folders `serve` watches recursively.
pub(crate) fn watched() -> impl Iterator<Item = &'static str> {
    SITE_FOLDERS.iter().map(|(name, _)| *name)
}

/// The folders of the site root an output folder must neither be in nor
/// hold: the inputs, and version control.
pub(crate) fn protected() -> impl Iterator<Item = &'static str> {
    watched().chain([".git"])
}

/// What a change of a path touches, given its parts relative to the site
/// root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change<'a> {
    /// `playbook.yaml`.
    Config,
    /// A file of one program.
    Program(&'a str),
    /// The render only.
    Render,
    /// Anything: it cannot be placed, or every program may use it.
    Everything,
}

/// What a change of the path whose parts (relative to the site root) are
/// `parts` touches.
pub(crate) fn change_of<'a>(parts: &[&'a str]) -> Change<'a> {
    if let [f] = parts {
        if *f == CONFIG_FILE {
            return Change::Config;
        }
    }
    if let Some(program) = program_of(parts) {
        return Change::Program(program);
    }
    let Some(first) = parts.first() else {
        return Change::Everything;
    };
    match SITE_FOLDERS.iter().find(|(name, _)| name == first) {
        Some((_, Touches::Render)) => Change::Render,
        _ => Change::Everything,
    }
}

/// The program a path (as its parts relative to the site root) belongs
/// to: `content/<program>/…`.
pub(crate) fn program_of<'a>(parts: &[&'a str]) -> Option<&'a str> {
    match parts {
        [content, program, ..] if *content == CONTENT => Some(program),
        _ => None,
    }
}

/// The parts of `path` relative to `root`, or `None` when it is not under
/// it or a part is not UTF-8.
pub(crate) fn parts<'a>(root: &Path, path: &'a Path) -> Option<Vec<&'a str>> {
    let rel = path.strip_prefix(root).ok()?;
    rel.iter().map(|c| c.to_str()).collect()
}

/// Declares a file enum, its `ALL`, and a table with one `T` per file.
macro_rules! files {
    (
        $(#[$doc:meta])* $vis:vis $name:ident, $table:ident, $n:literal;
        $($(#[$vdoc:meta])* $variant:ident = $file:literal),+ $(,)?
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every file, in order.
            $vis const ALL: [$name; $n] = [$($name::$variant),+];

            /// Its file name.
            $vis const fn file_name(self) -> &'static str {
                match self {
                    $($name::$variant => $file),+
                }
            }
        }

        /// One `T` per file, indexed by the file.
        #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
        $vis struct $table<T>([T; $n]);

        impl<T> $table<T> {
            /// The table whose entry for each file is `f(file)`.
            $vis fn from_fn(mut f: impl FnMut($name) -> T) -> Self {
                $table($name::ALL.map(|k| f(k)))
            }

            $vis fn map<U>(self, f: impl FnMut(T) -> U) -> $table<U> {
                $table(self.0.map(f))
            }

            /// Each file with its entry, in order.
            $vis fn iter(&self) -> impl Iterator<Item = ($name, &T)> {
                $name::ALL.into_iter().zip(self.0.iter())
            }
        }

        impl<T> Index<$name> for $table<T> {
            type Output = T;
            fn index(&self, k: $name) -> &T {
                &self.0[k as usize]
            }
        }

        impl<T> IndexMut<$name> for $table<T> {
            fn index_mut(&mut self, k: $name) -> &mut T {
                &mut self.0[k as usize]
            }
        }
    };
}

files! {
    /// The four alignment steps, in order, in a program's `alignment/`.
    pub AlignmentFile, ByAlignment, 4;
    Competencies = "competencies.yaml",
    ActionMap = "action-map.yaml",
    Evaluation = "evaluation.yaml",
    Metrics = "metrics.yaml",
}

impl AlignmentFile {
    /// Its path relative to the program folder.
    pub const fn path(self) -> &'static str {
        match self {
            AlignmentFile::Competencies => "alignment/competencies.yaml",
            AlignmentFile::ActionMap => "alignment/action-map.yaml",
            AlignmentFile::Evaluation => "alignment/evaluation.yaml",
            AlignmentFile::Metrics => "alignment/metrics.yaml",
        }
    }

    /// Its step of the alignment, from 1.
    pub fn step(self) -> usize {
        self as usize + 1
    }
}

files! {
    /// The results files FORMAT.md defines, in a program's or a cohort's
    /// `results/`.
    pub(crate) ResultsFile, ByResults, 5;
    Attendance = "attendance.csv",
    Ratings = "ratings.csv",
    Survey = "survey.csv",
    Observations = "observations.csv",
    Feedback = "feedback.csv",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_the_alignment_folder_and_the_file_name() {
        for f in AlignmentFile::ALL {
            assert_eq!(f.path(), format!("{ALIGNMENT}/{}", f.file_name()));
        }
        assert_eq!(LIBRARY_SESSIONS, format!("{LIBRARY}/{SESSIONS}"));
    }

    #[test]
    fn a_change_is_placed_by_its_folder() {
        assert_eq!(change_of(&["playbook.yaml"]), Change::Config);
        assert_eq!(
            change_of(&["content", "lead", "sessions", "01.md"]),
            Change::Program("lead")
        );
        assert_eq!(change_of(&["content"]), Change::Everything);
        assert_eq!(
            change_of(&["library", "sessions", "a.md"]),
            Change::Everything
        );
        assert_eq!(change_of(&["templates", "base.html"]), Change::Render);
        assert_eq!(change_of(&["static"]), Change::Render);
        assert_eq!(change_of(&["README.md"]), Change::Everything);
        assert_eq!(change_of(&[]), Change::Everything);
    }

    #[test]
    fn tables_are_indexed_by_file() {
        let mut t = ByResults::from_fn(ResultsFile::file_name);
        assert_eq!(t[ResultsFile::Survey], "survey.csv");
        t[ResultsFile::Feedback] = "x";
        let names: Vec<_> = t.iter().map(|(k, v)| (k, *v)).collect();
        assert_eq!(names[4], (ResultsFile::Feedback, "x"));
        assert_eq!(AlignmentFile::Metrics.step(), 4);
    }
}
