//! The YAML documents of a program, parsed into their typed form
//! ([`crate::model`]), with every failure reported where it is in the file.

use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, FileId, Loc, Sources};
use crate::load::RawProgram;
use crate::model::{ActionMapDoc, CompetenciesDoc, EvaluationDoc, MetricsDoc, ProgramDoc};
use crate::yaml;

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
            None
        }
    }
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
/// (when it was read and parsed) with the file it came from.
pub(super) struct Docs {
    pub program: Option<(FileId, ProgramDoc)>,
    pub competencies: Option<(FileId, CompetenciesDoc)>,
    pub action_map: Option<(FileId, ActionMapDoc)>,
    pub evaluation: Option<(FileId, EvaluationDoc)>,
    pub metrics: Option<(FileId, MetricsDoc)>,
}

impl Docs {
    pub fn parse(raw: &RawProgram, sources: &Sources, diags: &mut Vec<Diagnostic>) -> Self {
        fn doc<T: DeserializeOwned>(
            f: Option<FileId>,
            sources: &Sources,
            diags: &mut Vec<Diagnostic>,
        ) -> Option<(FileId, T)> {
            let f = f?;
            parse_file(sources, f, diags).map(|d| (f, d))
        }
        let [cf, af, ef, mf] = raw.alignment;
        Docs {
            program: doc(raw.program, sources, diags),
            competencies: doc(cf, sources, diags),
            action_map: doc(af, sources, diags),
            evaluation: doc(ef, sources, diags),
            metrics: doc(mf, sources, diags),
        }
    }

    /// Whether every document was read and parsed.
    pub fn complete(&self) -> bool {
        self.program.is_some()
            && self.competencies.is_some()
            && self.action_map.is_some()
            && self.evaluation.is_some()
            && self.metrics.is_some()
    }
}
