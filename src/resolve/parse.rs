//! The YAML documents of a program, parsed into their typed form
//! ([`crate::model`]), with every failure reported where it is in the file.

use std::collections::HashMap;
use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, FileId, Loc, Sources};
use crate::layout::AlignmentFile::{ActionMap, Competencies, Evaluation, Metrics};
use crate::load::RawProgram;
use crate::model::{ActionMapDoc, CompetenciesDoc, EvaluationDoc, MetricsDoc, ProgramDoc};
use crate::yaml::{self, Repairs, YamlError};

/// Parse the YAML in `range` of file `file`, reporting a failure at its
/// position in the file.
pub(super) fn parse_doc<T: DeserializeOwned>(
    sources: &Sources,
    file: FileId,
    range: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    let text = sources.text(file);
    match yaml::from_str::<T>(&text[range.clone()]) {
        Ok(v) => Some(v),
        Err(e) => {
            report(sources, file, &range, e, diags);
            None
        }
    }
}

/// Parse the YAML in `range` of file `file` with recovery: every mistake
/// is reported at its position in the file, and the document comes back
/// with what could be read of it and where it was repaired (None when it
/// could not be read at all).
pub(super) fn parse_doc_recovering<T: DeserializeOwned>(
    sources: &Sources,
    file: FileId,
    range: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(T, Repairs)> {
    let text = sources.text(file);
    let r = yaml::from_str_recovering::<T>(&text[range.clone()]);
    for e in r.errors {
        report(sources, file, &range, e, diags);
    }
    r.value.map(|v| (v, r.repairs))
}

/// Report `e`, a failure of the YAML in `range` of `file`, at the token
/// it names.
fn report(
    sources: &Sources,
    file: FileId,
    range: &Range<usize>,
    e: YamlError,
    diags: &mut Vec<Diagnostic>,
) {
    let text = sources.text(file);
    let loc = match e.offset {
        Some(o) => {
            let start = (range.start + o).min(range.end);
            let token = text[start..range.end]
                .find(|c: char| c.is_whitespace() || c == ':' || c == ',')
                .unwrap_or(range.end - start)
                .max(1);
            Loc::Span(file, start..(start + token).min(text.len()))
        }
        None => Loc::File(file),
    };
    diags.push(Diagnostic::error(e.code, e.message, loc).with_hint_opt(e.hint));
}

/// Parse a whole YAML file.
pub(super) fn parse_file<T: DeserializeOwned>(
    sources: &Sources,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    parse_doc(sources, file, 0..sources.text(file).len(), diags)
}

/// `program.yaml` and the four alignment documents of a program, each
/// (when it was read and parsed) with the file it came from. A document
/// with mistakes is read as far as it can be ([`yaml::from_str_recovering`]):
/// it is here, and [`Docs::repairs`] says where it is not what its author
/// wrote; one that could not be read at all is not.
pub(super) struct Docs {
    pub program: Option<(FileId, ProgramDoc)>,
    pub competencies: Option<(FileId, CompetenciesDoc)>,
    pub action_map: Option<(FileId, ActionMapDoc)>,
    pub evaluation: Option<(FileId, EvaluationDoc)>,
    pub metrics: Option<(FileId, MetricsDoc)>,
    /// The repairs of each document read with errors.
    pub repairs: HashMap<FileId, Repairs>,
}

impl Docs {
    pub(super) fn parse(raw: &RawProgram, sources: &Sources, diags: &mut Vec<Diagnostic>) -> Self {
        fn doc<T: DeserializeOwned>(
            f: Option<FileId>,
            sources: &Sources,
            repairs: &mut HashMap<FileId, Repairs>,
            diags: &mut Vec<Diagnostic>,
        ) -> Option<(FileId, T)> {
            let f = f?;
            let (d, r) = parse_doc_recovering(sources, f, 0..sources.text(f).len(), diags)?;
            if !r.is_empty() {
                repairs.insert(f, r);
            }
            Some((f, d))
        }
        let mut repairs = HashMap::new();
        let a = raw.alignment;
        Docs {
            program: doc(raw.program, sources, &mut repairs, diags),
            competencies: doc(a[Competencies], sources, &mut repairs, diags),
            action_map: doc(a[ActionMap], sources, &mut repairs, diags),
            evaluation: doc(a[Evaluation], sources, &mut repairs, diags),
            metrics: doc(a[Metrics], sources, &mut repairs, diags),
            repairs,
        }
    }

    /// Whether every document was read and parsed without a mistake.
    pub(super) fn complete(&self) -> bool {
        self.program.is_some()
            && self.competencies.is_some()
            && self.action_map.is_some()
            && self.evaluation.is_some()
            && self.metrics.is_some()
            && self.repairs.is_empty()
    }

    /// Whether the program's start is known: `program.yaml` was read, and
    /// its `start` (or its absence) is what the author wrote.
    pub(super) fn start_known(&self) -> bool {
        self.program
            .as_ref()
            .is_some_and(|(f, _)| !self.repairs.get(f).is_some_and(|r| r.touches("start")))
    }
}
