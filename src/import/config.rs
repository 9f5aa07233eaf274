//! `results/import.yaml`: how an export's columns become rows — the
//! participant columns, answer scales and question mappings of FORMAT.md —
//! and the `key` that pseudonyms are made with. The typed document (with
//! its JSON Schema), the rules `check` applies to it, the commented file
//! `playbook new program` writes, and adding the key line to a file
//! without touching the rest of it.

use std::collections::{BTreeMap, HashMap};

use schemars::JsonSchema;
use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic, FileId, Loc};
use crate::model::{is_valid_id, suggest_id};
use crate::suggest::{did_you_mean, hint, slip_of};
use crate::yaml::YamlPath;

/// The file name, in a `results/` folder.
pub(crate) const FILE: &str = crate::layout::IMPORT_FILE;

/// Participant columns when `import.yaml` names none: the address columns
/// of the tools (Google Forms, Microsoft Forms, Qualtrics, SurveyMonkey, a
/// Typeform hidden field) and of hand-made sheets.
pub(crate) const DEFAULT_PARTICIPANT: &[&str] = &[
    "Email Address",
    "Email",
    "RecipientEmail",
    "E-mail",
    "Username",
];

/// `results/import.yaml`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImportDoc {
    /// The key pseudonyms are made with (64 hex digits), written by the
    /// first `playbook import`. Keep it: another key gives everyone new
    /// pseudonyms, so later imports would not pair with earlier ones. The
    /// environment variable PLAYBOOK_IMPORT_KEY overrides it.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[0-9a-fA-F]{32,}$"))]
    pub key: Option<String>,
    /// Columns that identify a person, by header; the first non-empty one
    /// of a response wins (default: Email Address, Email, RecipientEmail,
    /// E-mail, Username).
    #[serde(default)]
    pub participant: Option<Vec<String>>,
    /// Answer words → scores, per scale (case and surrounding spaces
    /// ignored), e.g. `agree5: {Disagree: 2, Agree: 4}`.
    #[serde(default)]
    pub scales: BTreeMap<String, BTreeMap<String, f64>>,
    /// Which column is which: each entry matches a column by its question
    /// text and says what it holds.
    #[serde(default)]
    pub questions: Vec<QuestionDoc>,
}

/// One `questions` entry.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuestionDoc {
    /// A column's question text: whole, or a prefix that only one column
    /// has (case and surrounding spaces ignored; any header row, a grid's
    /// row or a matrix statement).
    #[serde(rename = "match")]
    pub match_: String,
    /// `--as survey`: the survey item the answers score (a competency id
    /// or any other id). Several entries may name one item: alternatives
    /// for forms that word the question differently.
    #[serde(default)]
    pub item: Option<String>,
    /// The scale that turns answer words into scores; omit when answers
    /// are numbers.
    #[serde(default)]
    pub scale: Option<String>,
    /// `--as ratings`: this column is the session rating (1–5).
    #[serde(default)]
    pub rating: Option<bool>,
    /// `--as feedback`: this column is a comment.
    #[serde(default)]
    pub comment: Option<bool>,
}

/// What a question entry holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Holds {
    Item(String),
    Rating,
    Comment,
}

impl QuestionDoc {
    /// What the entry holds, when it says exactly one thing.
    pub(crate) fn holds(&self) -> Option<Holds> {
        match (
            &self.item,
            self.rating == Some(true),
            self.comment == Some(true),
        ) {
            (Some(i), false, false) => Some(Holds::Item(i.clone())),
            (None, true, false) => Some(Holds::Rating),
            (None, false, true) => Some(Holds::Comment),
            _ => None,
        }
    }
}

impl ImportDoc {
    /// The participant column names, or the defaults.
    pub(crate) fn participant_columns(&self) -> Vec<String> {
        match &self.participant {
            Some(p) if !p.is_empty() => p.clone(),
            _ => DEFAULT_PARTICIPANT.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Each scale's words (normalised) → score.
    pub(crate) fn scale_words(&self) -> HashMap<&str, HashMap<String, f64>> {
        self.scales
            .iter()
            .map(|(name, words)| {
                let words = words
                    .iter()
                    .map(|(w, s)| (crate::import::identity::normalise(w), *s))
                    .collect();
                (name.as_str(), words)
            })
            .collect()
    }
}

/// What import.yaml's items are checked against.
pub(crate) struct Known<'a> {
    pub program: &'a str,
    pub competencies: Vec<&'a str>,
    /// Items of `results/survey.csv`.
    pub survey_items: Vec<&'a str>,
}

/// The rules of import.yaml beyond its types: each question says one
/// thing, scales exist and score with finite numbers, items are ids and
/// no slip of a competency id, the key is hex. `file` is import.yaml.
pub(crate) fn check(doc: &ImportDoc, file: FileId, known: &Known, diags: &mut Vec<Diagnostic>) {
    let at = |path: YamlPath| Loc::Yaml(file, 0, path);
    let root = YamlPath::root();
    if let Some(k) = &doc.key {
        if crate::import::identity::from_hex(k).is_none() {
            diags.push(
                Diagnostic::error(Code::InvalidValue, "`key` must be hex digits (at least 32; `playbook import` writes 64)", at(root.clone().key("key")))
                    .with_hint("remove the line: the next import writes a new key (and gives everyone new pseudonyms)"),
            );
        }
    }
    for (name, words) in &doc.scales {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for (word, score) in words {
            let path = root.clone().key("scales").key(name).key(word);
            if !score.is_finite() {
                diags.push(Diagnostic::error(
                    Code::InvalidValue,
                    format!("the score of `{word}` in scale `{name}` is not a finite number"),
                    at(path.clone()),
                ));
            }
            if let Some(first) = seen.insert(crate::import::identity::normalise(word), word) {
                diags.push(
                    Diagnostic::error(
                        Code::DuplicateKey,
                        format!("scale `{name}` has `{first}` and `{word}`, which are the same word when case and spaces are not minded"),
                        at(path),
                    )
                    .with_hint("keep one of them"),
                );
            }
        }
    }
    for (i, q) in doc.questions.iter().enumerate() {
        let path = root.clone().key("questions").index(i);
        if q.match_.trim().is_empty() {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    "`match` is empty",
                    at(path.clone().key("match")),
                )
                .with_hint("write the column's question text, or the start of it"),
            );
        }
        let says = usize::from(q.item.is_some())
            + usize::from(q.rating == Some(true))
            + usize::from(q.comment == Some(true));
        if says != 1 {
            let msg = if says == 0 {
                "this question says neither `item`, `rating: true` nor `comment: true`"
            } else {
                "this question says more than one of `item`, `rating: true` and `comment: true`"
            };
            diags.push(
                Diagnostic::error(Code::InvalidValue, msg, at(path.clone()))
                    .with_hint("give each question one of them: a survey item, the session rating, or a comment (one entry per column)"),
            );
        }
        if let Some(scale) = &q.scale {
            if q.comment == Some(true) {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        "a comment has no scale",
                        at(path.clone().key("scale")),
                    )
                    .with_hint("remove `scale:`, or make the question an `item` or the `rating`"),
                );
            } else if !doc.scales.contains_key(scale) {
                let hint = hint(scale, doc.scales.keys().map(String::as_str)).unwrap_or_else(|| {
                    "define it under `scales:` (answer words → scores), or remove `scale:` when the answers are numbers".into()
                });
                diags.push(
                    Diagnostic::error(
                        Code::UnknownReference,
                        format!("unknown scale `{scale}`"),
                        at(path.clone().key("scale")),
                    )
                    .with_hint(hint),
                );
            }
        }
        if let Some(item) = &q.item {
            check_item(item, known, at(path.key("item")), diags);
        }
    }
}

/// An item must be an id, and no slip of a competency id.
fn check_item(item: &str, known: &Known, loc: Loc, diags: &mut Vec<Diagnostic>) {
    if !is_valid_id(item) {
        let fixed = suggest_id(item);
        diags.push(
            Diagnostic::error(
                Code::InvalidId,
                format!("survey item `{item}` is not a valid id"),
                loc,
            )
            .with_hint(format!(
                "ids use lowercase letters a-z, digits and `-`: `{fixed}`"
            )),
        );
        return;
    }
    if known.competencies.contains(&item) || known.survey_items.contains(&item) {
        return;
    }
    if let Some(c) = slip_of(item, known.competencies.iter().copied()) {
        diags.push(
            Diagnostic::error(
                Code::UnknownReference,
                format!("survey item `{item}` is no competency of `{}`, but nearly the competency `{c}`", known.program),
                loc,
            )
            .with_hint_opt(did_you_mean(Some(c.to_string()))),
        );
    }
}

/// A line to put into import.yaml: the key, with a comment.
pub(crate) fn key_line(hex: &str) -> String {
    format!(
        "key: {hex}   # pseudonyms are made with this key: keep it (see playbook's docs/import.md, \"Pseudonyms\")\n"
    )
}

/// `text` (import.yaml) with a `key:` line added before its first key
/// (after leading comments, blank lines and `---`), or a new file.
pub(crate) fn with_key(text: Option<&str>, hex: &str) -> String {
    let line = key_line(hex);
    let Some(text) = text else {
        return format!(
            "# How `playbook import` turns survey-tool exports into results files\n# (FORMAT.md, \"Importing exports from survey tools\").\n{line}"
        );
    };
    let mut at = 0;
    for l in text.split_inclusive('\n') {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') || t == "---" {
            at += l.len();
        } else {
            break;
        }
    }
    let mut out = String::with_capacity(text.len() + line.len() + 1);
    out.push_str(&text[..at]);
    if at > 0 && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&line);
    out.push_str(&text[at..]);
    out
}

/// The commented import.yaml of a new program (under
/// `content/<program>/results/`), mapping the scaffold's competency.
pub(crate) fn scaffold_text() -> String {
    "# yaml-language-server: $schema=../../../schemas/import.schema.json
# How `playbook import` turns survey-tool exports (Google Forms, Microsoft
# Forms, Qualtrics, SurveyMonkey, Typeform, plain CSV/XLSX) into results
# files. The first import adds a `key:` line: keep it, pseudonyms are made
# with it (see playbook's docs/import.md on who can re-identify from what).
participant: [Email Address, Email, RecipientEmail, email]   # columns that identify a person; the first non-empty wins
scales:                         # answer words → scores (case and surrounding spaces ignored)
  agree5: {Strongly disagree: 1, Disagree: 2, Neither agree nor disagree: 3, Agree: 4, Strongly agree: 5}
questions:
  - match: I hand over whole workstreams   # a column's question text: whole, or a prefix only one column has
    item: delegation            # --as survey: the survey item (a competency id or any other id)
    scale: agree5               # omit when answers are numbers
  - match: How useful was this session
    rating: true                # --as ratings: the rating column
  - match: What will you do differently
    comment: true               # --as feedback: the comment column
"
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_goes_before_the_first_key_and_keeps_the_rest() {
        let text = "# yaml-language-server: x\n# about\n\nparticipant: [Email]\n";
        let out = with_key(Some(text), "ab");
        assert!(
            out.starts_with("# yaml-language-server: x\n# about\n\nkey: ab "),
            "{out}"
        );
        assert!(out.ends_with("participant: [Email]\n"));
        let doc: ImportDoc = crate::yaml::from_str(&out).unwrap();
        assert_eq!(doc.key.as_deref(), Some("ab"));
        let new: ImportDoc = crate::yaml::from_str(&with_key(None, "cd")).unwrap();
        assert_eq!(new.key.as_deref(), Some("cd"));
        let no_newline = with_key(Some("# c"), "ef");
        assert!(
            crate::yaml::from_str::<ImportDoc>(&no_newline).is_ok(),
            "{no_newline}"
        );
    }

    #[test]
    fn the_scaffold_parses() {
        let doc: ImportDoc = crate::yaml::from_str(&scaffold_text()).unwrap();
        assert_eq!(doc.questions.len(), 3);
        assert_eq!(
            doc.questions[0].holds(),
            Some(Holds::Item("delegation".into()))
        );
        assert_eq!(
            doc.scale_words()["agree5"]["neither agree nor disagree"],
            3.0
        );
    }
}
