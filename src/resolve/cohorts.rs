//! Cohorts (FORMAT.md v1.2): each `cohorts/<cohort>/` of a program — its
//! `cohort.yaml` (title and start required, `dates:` naming sessions of
//! the program) and its results files, read like a program's with
//! pseudonyms numbered per cohort — and the rule that a program with
//! cohorts has no `results/` of its own.

use std::path::Path;

use crate::diagnostics::{rel_path, Code, Diagnostic, FileId, Loc, Sources};
use crate::graph::{Cohort, Program};
use crate::layout::{ByResults, RESULTS};
use crate::load::RawProgram;
use crate::model::CohortDoc;
use crate::yaml::{SpanIndex, YamlPath};

use super::parse;

/// Reads a cohort's results files.
pub(super) type ReadResults<'a> =
    dyn FnMut(&ByResults<Option<FileId>>, &mut Vec<Diagnostic>) -> crate::graph::Results + 'a;

/// The cohorts of `program` (read from `raw`), sorted by start then id;
/// the results of each are read by `read` (a cohort's results files and
/// the diagnostics).
pub(super) fn cohorts(
    raw: &RawProgram,
    root: &Path,
    program: &Program,
    sources: &Sources,
    read: &mut ReadResults,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Cohort> {
    if raw.cohorts.is_empty() {
        return Vec::new();
    }
    if raw.results_dir {
        diags.push(
            Diagnostic::error(
                Code::ResultsBesideCohorts,
                format!(
                    "program `{}` has cohorts/ and also results/: results belong to a cohort",
                    raw.id
                ),
                Loc::Path(rel_path(root, &raw.dir.join(RESULTS))),
            )
            .with_hint("move the files of results/ into the results/ folder of a cohort (cohorts/<cohort>/results/)"),
        );
    }
    let mut out = Vec::new();
    for c in &raw.cohorts {
        let at = rel_path(root, &c.dir);
        if !crate::model::is_valid_id(&c.id) {
            diags.push(
                Diagnostic::error(
                    Code::InvalidId,
                    format!("cohort folder name `{}` is not a valid id", c.id),
                    Loc::Path(at.clone()),
                )
                .with_hint(format!(
                    "ids use lowercase letters, digits and hyphens: rename the folder (e.g. `{}`)",
                    crate::model::suggest_id(&c.id)
                )),
            );
        }
        if !c.exists {
            diags.push(
                Diagnostic::error(
                    Code::MissingFile,
                    format!("cohort folder `{}` has no cohort.yaml", c.id),
                    Loc::Path(at),
                )
                .with_hint(format!(
                    "create {}/cohort.yaml with its `title` and `start`, or move the folder out of cohorts/",
                    rel_path(root, &c.dir)
                )),
            );
            continue;
        }
        let Some(file) = c.file else { continue };
        let Some(doc) = parse::parse_file::<CohortDoc>(sources, file, diags) else {
            continue;
        };
        check_dates(&doc, file, program, sources, diags);
        let results = read(&c.results, diags);
        out.push(Cohort {
            id: c.id.clone(),
            title: doc.title,
            start: doc.start,
            cohort_size: doc.cohort_size,
            facilitators: doc.facilitators,
            dates: doc.dates,
            results,
            file,
        });
    }
    out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
    out
}

/// Every key of `dates:` must be a session of the program.
fn check_dates(
    doc: &CohortDoc,
    file: FileId,
    program: &Program,
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) {
    let mut index = None;
    for id in doc.dates.keys() {
        if program.sessions.iter().any(|s| s.id == *id) {
            continue;
        }
        let index = index.get_or_insert_with(|| SpanIndex::build(sources.text(file)));
        let path = YamlPath::root().key("dates").key(id);
        let loc = match index.locate_key(&path) {
            Some(r) => Loc::Span(file, r),
            None => Loc::File(file),
        };
        let hint = crate::suggest::hint(id, program.sessions.iter().map(|s| s.id.as_str()))
            .unwrap_or_else(|| "use the file name of a session guide, without .md".into());
        diags.push(
            Diagnostic::error(
                Code::UnknownReference,
                format!("`dates` names `{id}`, which is no session of the program"),
                loc,
            )
            .with_hint(hint),
        );
    }
}
