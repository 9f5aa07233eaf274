//! The session library (FORMAT.md v1.2): the guides of
//! `library/sessions/*.md`, read once for the site, and what a program's
//! session that starts from one (`from: library:<id>`) becomes — the
//! library guide's front matter with the session's keys over it, and the
//! library's body when the session has none of its own. References of a
//! library guide are resolved in each program that uses it; a problem
//! found there points at the library file and names the program.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, FileId, Loc, Sources};
use crate::graph::LibraryGuide;
use crate::model::SessionFromDoc;
use crate::yaml::{Repairs, YamlPath};

use super::parse::parse_doc_recovering;
use super::sessions::{parse_session, Parsed};

use crate::layout::{LIBRARY, LIBRARY_SESSIONS as LIBRARY_DIR};

/// The library's guides, parsed, by id.
#[derive(Default)]
pub(crate) struct Library {
    guides: BTreeMap<String, Arc<Parsed>>,
    /// A hash of every guide's text: a program's parsed guides depend on it.
    hash: u128,
}

impl Library {
    /// Parse the library guides `files` (with their problems as session
    /// guides: front matter, ids).
    pub(crate) fn parse(files: &[FileId], sources: &Sources, diags: &mut Vec<Diagnostic>) -> Self {
        let parsed: Vec<(Parsed, Vec<Diagnostic>)> = files
            .par_iter()
            .map(|&f| parse_session(sources, f, None))
            .collect();
        let mut hash = 0u128;
        let mut guides = BTreeMap::new();
        for ((p, d), &f) in parsed.into_iter().zip(files) {
            diags.extend(d);
            hash = hash.rotate_left(7) ^ xxhash_rust::xxh3::xxh3_128(sources.text(f).as_bytes());
            if !crate::model::is_valid_id(&p.id) {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidId,
                        format!("library guide file name `{}.md` is not a valid id", p.id),
                        Loc::Path(sources.path(f).to_string()),
                    )
                    .with_hint(format!(
                        "ids use lowercase letters, digits and hyphens: rename it to `{}.md`",
                        crate::model::suggest_id(&p.id)
                    )),
                );
                continue;
            }
            guides.insert(p.id.clone(), Arc::new(p));
        }
        Library { guides, hash }
    }

    /// What the programs' parsed guides depend on.
    pub(crate) fn hash(&self) -> u128 {
        self.hash
    }

    /// Each guide as the site shows it, by id.
    pub(crate) fn list(&self, sources: &Sources) -> Vec<LibraryGuide> {
        self.guides
            .values()
            .map(|p| LibraryGuide {
                id: p.id.clone(),
                title: p.doc.title.clone(),
                kind: p.doc.kind,
                duration: p.doc.duration,
                audience: p.doc.audience.unwrap_or(crate::model::Audience::Everyone),
                path: sources.path(p.file).to_string(),
            })
            .collect()
    }
}

/// The session of a program guide whose front matter (at `yaml` of file
/// `file`) starts from a library guide, with the body at `body`; `None`
/// when it could not be read (its problems are in `diags`).
pub(super) fn from_library(
    sources: &Sources,
    library: &Library,
    (file, yaml, body): (FileId, std::ops::Range<usize>, usize),
    id: String,
    diags: &mut Vec<Diagnostic>,
) -> Option<Parsed> {
    let (doc, repairs): (SessionFromDoc, Repairs) =
        parse_doc_recovering(sources, file, yaml.clone(), diags)?;
    let at = Loc::Yaml(file, yaml.start, YamlPath::root().key("from"));
    let from = doc.from.clone();
    let Some(name) = from.strip_prefix("library:") else {
        let guess = library
            .guides
            .keys()
            .find(|k| **k == doc.from.trim())
            .cloned()
            .unwrap_or_else(|| "<id>".into());
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!(
                    "`from` must be `library:` and the id of a library guide, found `{}`",
                    doc.from
                ),
                at,
            )
            .with_hint(format!(
                "write `from: library:{guess}` (a guide of {LIBRARY_DIR}/)"
            )),
        );
        return None;
    };
    let Some(guide) = library.guides.get(name) else {
        let hint = crate::suggest::hint(name, library.guides.keys().map(String::as_str))
            .unwrap_or_else(|| match library.guides.is_empty() {
                true => format!("the site has no library guides: add {LIBRARY_DIR}/{name}.md"),
                false => format!(
                    "the library's guides are {}",
                    library
                        .guides
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        diags.push(
            Diagnostic::error(
                Code::UnknownReference,
                format!("no library guide `{name}` in {LIBRARY_DIR}/"),
                at,
            )
            .with_hint(hint),
        );
        return None;
    };
    if guide.unreadable {
        // Its own error is enough.
        return None;
    }
    let text = sources.text(file);
    let own_body = !text[body..].trim().is_empty();
    let keys = doc.keys();
    let merged = doc.over(&guide.doc);
    Some(Parsed {
        id,
        file,
        yaml_base: yaml.start,
        body_base: if own_body { body } else { guide.body_base },
        body_file: if own_body { file } else { guide.file },
        doc: merged,
        analysis: match own_body {
            true => crate::markdown::analyze(&text[body..]),
            false => guide.analysis.clone(),
        },
        repairs,
        unreadable: false,
        library: Some(super::sessions::FromLibrary {
            id: name.to_string(),
            file: guide.file,
            yaml_base: guide.yaml_base,
            own_keys: keys,
        }),
    })
}

/// Name the program in every diagnostic of `diags` about a library file:
/// a library guide's references are resolved in each program using it.
pub(crate) fn name_program(diags: &mut [Diagnostic], sources: &Sources, program: &str) {
    for d in diags {
        let file = match &d.loc {
            Loc::File(f) | Loc::Span(f, _) | Loc::Yaml(f, _, _) => *f,
            _ => continue,
        };
        if std::path::Path::new(sources.path(file)).starts_with(LIBRARY) {
            d.message = format!(
                "{} (in program `{program}`, which uses this library guide)",
                d.message
            );
        }
    }
}
