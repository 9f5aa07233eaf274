//! `playbook new cohort PROGRAM ID --start DATE`: a new run of a program
//! (FORMAT.md v1.2), `cohorts/<id>/cohort.yaml` with every key explained
//! by a comment. The first cohort of a program whose `results/` holds
//! only `import.yaml` takes that folder with it (a program with cohorts
//! keeps its results in each cohort); one that holds results is refused,
//! with what to move where. Nothing is overwritten.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;

use crate::layout::{COHORTS, COHORT_FILE, CONTENT, IMPORT_FILE, PROGRAM_FILE, RESULTS};

use super::{check_id, err, schema_line, schemas, write_new, yaml_str, NewError};

/// `playbook new cohort`'s arguments.
#[derive(Args, Debug)]
#[command(after_help = "Example:
  playbook new cohort acme-leaders spring-2026 --start 2026-03-02")]
pub(crate) struct CohortArgs {
    /// The id of the program it runs.
    pub program: String,
    /// The cohort's id (a-z, 0-9 and -): its folder under cohorts/.
    pub id: String,
    /// Its first day (YYYY-MM-DD): week numbers count from it.
    #[arg(long)]
    pub start: NaiveDate,
    /// The cohort's title (default: from the id).
    #[arg(long)]
    pub title: Option<String>,
    /// The site (default: the current folder or the nearest one above
    /// with a playbook.yaml).
    #[arg(long)]
    pub site: Option<PathBuf>,
}

/// `playbook new cohort` in the site at `root`.
pub(crate) fn run(root: &Path, a: &CohortArgs) -> Result<Vec<PathBuf>, NewError> {
    cohort(root, &a.program, &a.id, a.start, a.title.as_deref())
}

/// A new cohort `id` of `program` in the site at `root`, starting on
/// `start`, titled `title` (default: from the id).
pub(crate) fn cohort(
    root: &Path,
    program: &str,
    id: &str,
    start: NaiveDate,
    title: Option<&str>,
) -> Result<Vec<PathBuf>, NewError> {
    check_id("cohort", id)?;
    let dir = root.join(CONTENT).join(program);
    if !dir.join(PROGRAM_FILE).is_file() {
        return Err(err(
            format!("there is no program `{program}` (no content/{program}/program.yaml)"),
            "create it first: playbook new program ID --title TITLE",
        ));
    }
    let cohorts = dir.join(COHORTS);
    let folder = cohorts.join(id);
    // A folder without cohort.yaml is one the author moved results into.
    if folder.join(COHORT_FILE).exists() {
        return Err(err(
            format!("the cohort `{id}` exists already (content/{program}/cohorts/{id}/)"),
            "choose another id, e.g. with the season and year: autumn-2026",
        ));
    }
    let first = !cohorts.exists();
    let results = dir.join(RESULTS);
    if results.exists() && !first {
        return Err(err(
            format!("content/{program}/ has cohorts/ and also results/"),
            "move the files of results/ into the results/ folder of a cohort first",
        ));
    }
    // The first cohort takes results/ along only when it holds no results
    // yet (just import.yaml): results already recorded belong to a run the
    // author must name.
    if first && results.is_dir() {
        let kept = results_beyond_import(&results);
        if !kept.is_empty() {
            return Err(err(
                format!(
                    "content/{program}/results/ holds results ({}): they belong to one run of the program, and a program with cohorts keeps its results in each",
                    kept.join(", ")
                ),
                format!(
                    "move results/ into the cohort of the run they belong to, then run this again: mkdir -p content/{program}/cohorts/{id} && mv content/{program}/results content/{program}/cohorts/{id}/"
                ),
            ));
        }
    }
    let title = title.map(str::to_string).unwrap_or_else(|| {
        let mut t = id.replace('-', " ");
        if let Some(c) = t.get_mut(0..1) {
            c.make_ascii_uppercase();
        }
        t
    });
    let text = format!(
        "{schema}# One run of the program (FORMAT.md v1.2, \"Cohorts\"): the curriculum and the
# alignment are the program's; this run's results go in results/ beside this file.
title: {title:<24} # required: the run's name, as the site shows it
start: {start:<24} # required: its first day; week numbers count from here
# cohort_size: 12               # how many participants
# facilitators: [Ana Ruiz]      # who runs its sessions
# dates:                        # a session's date in this run, when not its week's
#   01-kickoff: {start}
",
        schema = schema_line(4, "cohort.schema.json"),
        title = yaml_str(&title),
    );
    let rel = format!("content/{program}/cohorts/{id}/cohort.yaml");
    let mut files = vec![(rel, text)];
    files.extend(schemas(root));
    let written = write_new(root, &files)?;
    if first && results.is_dir() {
        let to = folder.join(RESULTS);
        std::fs::rename(&results, &to).map_err(|e| {
            err(
                format!("cannot move content/{program}/results/ into the cohort: {e}"),
                format!("move it by hand: git mv content/{program}/results content/{program}/cohorts/{id}/results"),
            )
        })?;
        eprintln!(
            "moved content/{program}/results/ (import.yaml) to content/{program}/cohorts/{id}/results/"
        );
    }
    Ok(written)
}

/// The entries of a program's `results/` other than `import.yaml`, by name.
fn results_beyond_import(results: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(results)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n != IMPORT_FILE)
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}
