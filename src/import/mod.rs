//! `playbook import`: a survey tool's export (CSV or XLSX) into the
//! results files of FORMAT.md, pseudonymised, so that no one reshapes a
//! spreadsheet by hand and no name or e-mail address enters the
//! repository.
//!
//! One import runs in stages (`stages.rs`), and writes only when every
//! stage passed:
//!
//! 1. the options, program, cohort and session are checked, and
//!    `results/import.yaml` ([`config`]) is read and checked as `check`
//!    checks it;
//! 2. the export is decoded ([`decode`]) and read into a grid of cells
//!    ([`sheet`]); the tool that wrote it is recognised and its header rows
//!    read ([`tools`], a file per tool);
//! 3. its responses are mapped to rows (`mapping.rs`, `answers.rs`): columns by
//!    import.yaml's `match` entries, people by pseudonym ([`identity`]),
//!    answers by scale;
//! 4. the change to each results file is planned (`plan.rs`): an import
//!    replaces exactly the rows its scope wrote before (`results_csv.rs`);
//! 5. the files are written, each atomically, unless `--dry-run`.

mod answers;
pub(crate) mod config;
pub(crate) mod decode;
pub(crate) mod identity;
mod mapping;
pub(crate) mod options;
mod plan;
mod results_csv;
pub(crate) mod sheet;
mod stages;
pub(crate) mod tools;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::diagnostics::{Code, Diagnostic, Loc, Sources};
use crate::layout::{COHORTS, COHORT_FILE, CONTENT, PROGRAM_FILE, RESULTS, SESSIONS};
use crate::model::{is_valid_id, CompetenciesDoc};
use crate::render::format::plural;
use crate::suggest::hint;

pub use options::{ImportArgs, Phase, What};

/// How an import ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Done (or, with `--dry-run`, planned).
    Ok,
    /// The export or import.yaml has errors: nothing written.
    Content,
    /// Wrong options, or a file that cannot be read or written: nothing
    /// written (or, for a write that failed, what the summary says).
    Usage,
}

/// What an import did and found.
pub struct Outcome {
    pub status: Status,
    /// Errors and warnings; those in import.yaml point into `sources`.
    pub diags: Vec<Diagnostic>,
    pub sources: Sources,
    /// The summary: a few lines, never a name or an address.
    pub summary: Vec<String>,
}

/// Run `playbook import` in the site at `root`.
pub fn run(root: &Path, args: &ImportArgs) -> Outcome {
    let mut r = Run {
        root,
        args,
        sources: Sources::default(),
        diags: Vec::new(),
        summary: Vec::new(),
    };
    let status = match r.go() {
        Ok(()) => Status::Ok,
        Err(s) => s,
    };
    Outcome {
        status,
        diags: r.diags,
        sources: r.sources,
        summary: r.summary,
    }
}

struct Run<'a> {
    root: &'a Path,
    args: &'a ImportArgs,
    sources: Sources,
    diags: Vec<Diagnostic>,
    summary: Vec<String>,
}

/// The folders an import reads and writes.
struct Place {
    program: PathBuf,
    results: PathBuf,
    /// `results` relative to the site root.
    rel: String,
}

impl Run<'_> {
    fn usage(&mut self, message: String, hint: impl Into<String>) -> Status {
        self.diags
            .push(Diagnostic::error(Code::Usage, message, Loc::None).with_hint(hint));
        Status::Usage
    }

    fn content(&mut self, d: Diagnostic) -> Status {
        self.diags.push(d);
        Status::Content
    }

    /// The options `what` needs and allows; the `--date`.
    fn check_options(&mut self, what: What) -> Result<Option<NaiveDate>, Status> {
        let a = self.args;
        let survey = what == What::Survey;
        if survey && a.phase.is_none() {
            return Err(self.usage(
                "--as survey needs --phase".into(),
                "say which answers these are: --phase pre, post, then or follow-up",
            ));
        }
        for (given, name) in [
            (a.phase.is_some(), "--phase"),
            (a.rater.is_some(), "--rater"),
            (a.date.is_some(), "--date"),
            (!a.items.is_empty(), "--items"),
        ] {
            if given && !survey {
                return Err(self.usage(
                    format!("{name} is for --as survey only"),
                    format!("leave out {name}"),
                ));
            }
        }
        let needs_session = matches!(what, What::Ratings | What::Attendance);
        if needs_session && a.session.is_none() {
            return Err(self.usage(
                format!("--as {} needs --session", what.as_str()),
                "name the session (its id, the guide's file name without .md), e.g. --session 03-prioritizing-workshop",
            ));
        }
        if a.session.is_some() && matches!(what, What::Survey | What::Roster) {
            return Err(self.usage(
                format!("--session is not for --as {}", what.as_str()),
                "leave out --session",
            ));
        }
        let date = match &a.date {
            Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    return Err(self.usage(
                        format!("--date {d} is not a date"),
                        "write it as YYYY-MM-DD, e.g. 2026-03-31",
                    ))
                }
            },
            None => None,
        };
        Ok(date)
    }

    /// The program's folder and the results folder the import writes.
    fn place(&mut self) -> Result<Place, Status> {
        let a = self.args;
        let content = self.root.join(CONTENT);
        let program = content.join(&a.program);
        if !is_valid_id(&a.program) || !program.join(PROGRAM_FILE).is_file() {
            let ids = program_ids(&content);
            let h = hint(&a.program, ids.iter().map(String::as_str))
                .unwrap_or_else(|| format!("the site's programs: {}", ids.join(", ")));
            return Err(self.usage(
                format!(
                    "`{}` is no program of this site (no content/{}/program.yaml)",
                    a.program, a.program
                ),
                h,
            ));
        }
        let (results, rel) = match &a.cohort {
            None => (
                program.join(RESULTS),
                format!("content/{}/results", a.program),
            ),
            Some(c) => {
                let dir = program.join(COHORTS).join(c);
                if !is_valid_id(c) || !dir.join(COHORT_FILE).is_file() {
                    return Err(self.usage(
                        format!("`{c}` is no cohort of `{}` (no content/{}/cohorts/{c}/cohort.yaml)", a.program, a.program),
                        "create the cohort first: its folder under cohorts/ with a cohort.yaml (title and start), as FORMAT.md says",
                    ));
                }
                (
                    dir.join(RESULTS),
                    format!("content/{}/cohorts/{c}/results", a.program),
                )
            }
        };
        // A folder on the way linked out of the site (the program, its
        // cohort or results/): nothing is read from or written there.
        if crate::write::paths::leads_outside(self.root, &results) {
            return Err(self.usage(
                format!("{rel} leads outside the site (through a symbolic link): nothing is read or written there"),
                "make it a folder of the site, not a link to one elsewhere",
            ));
        }
        Ok(Place {
            program,
            results,
            rel,
        })
    }
}

/// The `import` value of the rows an import writes.
fn scope(what: What, args: &ImportArgs, date: Option<NaiveDate>) -> String {
    let mut s = what.as_str().to_string();
    match what {
        What::Survey => {
            s.push_str(&format!(
                " {} {}",
                args.phase.map_or("", Phase::as_str),
                args.rater.unwrap_or_default().as_str()
            ));
            if let Some(d) = date {
                s.push_str(&format!(" {d}"));
            }
            if !args.items.is_empty() {
                s.push_str(&format!(" {}", args.items.join(",")));
            }
        }
        What::Ratings | What::Attendance | What::Feedback => {
            if let Some(session) = &args.session {
                s.push_str(&format!(" {session}"));
            }
        }
        What::Roster => {}
    }
    s
}

/// `30 rows added, 2 changed` — or what a dry run would do.
fn change_text(c: results_csv::Change, dry: bool) -> String {
    let mut parts = Vec::new();
    for (n, what) in [
        (c.added, "added"),
        (c.changed, "changed"),
        (c.removed, "removed"),
    ] {
        if n > 0 {
            parts.push(format!("{} {what}", plural(n, "row", "rows")));
        }
    }
    if parts.is_empty() {
        return format!("unchanged ({})", plural(c.unchanged, "row", "rows"));
    }
    let s = parts.join(", ");
    if dry {
        format!("would have {s}")
    } else {
        s
    }
}

/// The ids of the program folders under `content`.
fn program_ids(content: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(content)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join(PROGRAM_FILE).is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

/// The ids of a program's sessions: the guides' file names.
fn session_ids(program: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(program.join(SESSIONS))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let id = name.strip_suffix(".md")?.to_string();
            e.path().is_file().then_some(id)
        })
        .collect();
    ids.sort();
    ids
}

/// The program's competency ids (none when competencies.yaml does not
/// parse: `check` reports that).
fn competency_ids(program: &Path) -> Vec<String> {
    std::fs::read_to_string(program.join(crate::layout::AlignmentFile::Competencies.path()))
        .ok()
        .and_then(|t| {
            crate::yaml::from_str::<CompetenciesDoc>(t.trim_start_matches('\u{feff}')).ok()
        })
        .map(|d| d.competencies.iter().map(|c| c.id.clone()).collect())
        .unwrap_or_default()
}
