//! Which export columns answer what, and each answer's value: the
//! columns import.yaml's `match` entries find (the whole text, else a
//! prefix only one column has), the columns an import needs (each survey
//! item exactly one, the rating one, comments at least one), and a cell as
//! a score (a scale word, or a number). Also the types a mapping shares:
//! what is asked, the export read, the rows and problems found.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use super::config::{Holds, ImportDoc};
use super::identity::Pseudonyms;
use super::options::{Phase, Rater, What};
use super::results_csv::NewRow;
use super::sheet::{number_text, shown_header, Grid, GridRow};
use super::tools::{looks_like_address, norm, Layout};
use crate::diagnostics::{Code, Diagnostic, FileId, Loc};
use crate::suggest::{Budget, SUGGESTION_BUDGET};
use crate::yaml::YamlPath;

/// Which entries of import.yaml an import needs.
pub(super) type Want = fn(&Holds) -> bool;

/// At most this many errors are reported; the rest are counted.
const MAX_ERRORS: usize = 50;

/// What one import maps.
pub(super) struct Request<'a> {
    pub what: What,
    pub phase: Option<Phase>,
    pub rater: Rater,
    pub date: Option<NaiveDate>,
    /// `--items`: only these items (empty: every item of import.yaml).
    pub items: &'a [String],
    pub session: Option<&'a str>,
}

/// The export, read, with what it is mapped by.
pub(super) struct Source<'a> {
    /// The export's name, for messages.
    pub name: &'a str,
    pub grid: &'a Grid,
    pub layout: &'a Layout,
    pub doc: &'a ImportDoc,
    /// import.yaml, when it was read (entries are reported there).
    pub doc_file: Option<FileId>,
    pub pseudonyms: &'a Pseudonyms,
}

/// The rows an export maps to.
#[derive(Default)]
pub(super) struct Mapped {
    /// Responses read (duplicates included).
    pub responses: usize,
    /// (dropped, kept) row numbers of responses from one person.
    pub duplicates: Vec<(usize, usize)>,
    pub rows: Vec<NewRow>,
    /// The pseudonyms of the people whose responses were kept.
    pub people: BTreeSet<String>,
    /// Question columns not used, by name; and how many metadata columns.
    pub unused: Vec<String>,
    pub unused_meta: usize,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Errors beyond [`MAX_ERRORS`].
    pub more_errors: usize,
}

impl Mapped {
    pub(super) fn error(&mut self, d: Diagnostic) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(d);
        } else {
            self.more_errors += 1;
        }
    }
}

/// A cell value for a message: on one line, cut short, and never an
/// e-mail address.
pub(super) fn shown_value(v: &str) -> String {
    if looks_like_address(v) || v.contains('@') {
        return "(a value that looks like an e-mail address)".into();
    }
    let one = v.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 40 {
        format!("`{}…`", one.chars().take(39).collect::<String>())
    } else {
        format!("`{one}`")
    }
}

/// The columns each `questions` entry matches: those with the text
/// itself, else those with a text that starts with it.
pub(super) fn entry_columns(layout: &Layout, m: &str) -> Vec<usize> {
    let m = norm(m);
    if m.is_empty() {
        return Vec::new();
    }
    let exact: Vec<usize> = (0..layout.columns.len())
        .filter(|&c| layout.columns[c].is(&m))
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    (0..layout.columns.len())
        .filter(|&c| layout.columns[c].starts_with(&m))
        .collect()
}

/// One answer column and how it is read.
pub(super) struct Answer {
    pub col: usize,
    /// The item (survey), or empty.
    pub item: String,
    pub scale: Option<String>,
}

/// The answer columns of the entries `req` needs: each item (or each of
/// `--items`) exactly one column, the rating exactly one, comments at
/// least one. Problems go to `out`.
pub(super) fn needed_columns(
    src: &Source,
    req: &Request,
    matches: &[Vec<usize>],
    out: &mut Mapped,
) -> Vec<Answer> {
    let layout = src.layout;
    let entry_loc = |i: usize| match src.doc_file {
        Some(f) => Loc::Yaml(
            f,
            0,
            YamlPath::root().key("questions").index(i).key("match"),
        ),
        None => Loc::Path(src.name.to_string()),
    };
    let names = |cols: &[usize]| {
        cols.iter()
            .map(|&c| format!("`{}`", shown_header(&layout.columns[c].name)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Entries grouped by what they hold, in order.
    let mut groups: Vec<(Holds, Vec<usize>)> = Vec::new();
    for (i, q) in src.doc.questions.iter().enumerate() {
        let Some(h) = q.holds() else { continue };
        let wanted = match (&h, req.what) {
            (Holds::Item(item), What::Survey) => req.items.is_empty() || req.items.contains(item),
            (Holds::Rating, What::Ratings) | (Holds::Comment, What::Feedback) => true,
            _ => false,
        };
        if !wanted {
            continue;
        }
        match groups
            .iter_mut()
            .find(|(g, _)| *g == h && h != Holds::Comment)
        {
            Some((_, entries)) => entries.push(i),
            None => groups.push((h, vec![i])),
        }
    }
    for item in req.items {
        if !groups.iter().any(|(h, _)| *h == Holds::Item(item.clone())) {
            out.error(
                Diagnostic::error(
                    Code::UnknownReference,
                    format!("--items names `{item}`, which no question of import.yaml maps to"),
                    Loc::Path(src.name.to_string()),
                )
                .with_hint("list items that import.yaml's `questions` name (`item:`)"),
            );
        }
    }
    // What an unmatched entry's hint compares it with, within a budget.
    let texts: Vec<&str> = layout
        .columns
        .iter()
        .filter(|c| !c.meta)
        .flat_map(|c| c.texts.iter().map(String::as_str))
        .collect();
    let budget = Budget::new(SUGGESTION_BUDGET);
    let mut answers = Vec::new();
    for (h, entries) in groups {
        let what = match &h {
            Holds::Item(i) => format!("item `{i}`"),
            Holds::Rating => "the rating".into(),
            Holds::Comment => "a comment".into(),
        };
        for &i in &entries {
            if matches[i].len() > 1 {
                out.error(
                    Diagnostic::error(
                        Code::AmbiguousQuestion,
                        format!(
                            "`match: {}` ({what}) matches {} columns of the export: {}",
                            src.doc.questions[i].match_,
                            matches[i].len(),
                            names(&matches[i])
                        ),
                        entry_loc(i),
                    )
                    .with_hint("write more of the question text, so that only one column has it"),
                );
            }
        }
        let cols: Vec<(usize, usize)> = entries
            .iter()
            .filter(|&&i| matches[i].len() == 1)
            .map(|&i| (i, matches[i][0]))
            .collect();
        if entries.iter().any(|&i| matches[i].len() > 1) {
            continue;
        }
        match cols.len() {
            0 => {
                let i = entries[0];
                let m = &src.doc.questions[i].match_;
                let close = budget.suggest(&norm(m), texts.iter().copied());
                out.error(
                    Diagnostic::error(Code::UnmatchedQuestion, format!("no column of the export matches `match: {m}` ({what})"), entry_loc(i))
                        .with_hint(match close {
                            Some(c) => format!("did you mean `{c}`? (`match` is the column's question text, or its start)"),
                            None => "`match` is the column's question text, or its start; use --items when the export asks only some items".into(),
                        }),
                );
            }
            1 => {}
            _ if h == Holds::Comment => {}
            _ => {
                let found: Vec<usize> = cols.iter().map(|&(_, c)| c).collect();
                out.error(
                    Diagnostic::error(
                        Code::AmbiguousQuestion,
                        format!("{} entries for {what} match columns of the export: {}", cols.len(), names(&found)),
                        entry_loc(cols[1].0),
                    )
                    .with_hint("entries for one item are alternatives: only one of them may find a column in an export"),
                );
            }
        }
        for (i, col) in cols {
            let q = &src.doc.questions[i];
            answers.push(Answer {
                col,
                item: match &h {
                    Holds::Item(item) => item.clone(),
                    _ => String::new(),
                },
                scale: q.scale.clone(),
            });
            if h != Holds::Comment {
                break;
            }
        }
    }
    answers
}

/// The score of an answer cell: a scale word, or a number (a scale's own
/// scores are numbers it accepts). None for an empty cell (no answer) or
/// a bad one (reported).
pub(super) fn score(
    src: &Source,
    grid: &Grid,
    row: &GridRow,
    a: &Answer,
    scales: &HashMap<&str, HashMap<String, f64>>,
    header: &str,
    out: &mut Mapped,
) -> Option<f64> {
    let cell = row.cell(a.col);
    if cell.is_empty() {
        return None;
    }
    let number = cell
        .parse::<f64>()
        .ok()
        .or_else(|| cell.replacen(',', ".", 1).parse::<f64>().ok())
        .filter(|x| x.is_finite());
    let at = || grid.at(row, Some(a.col), Some(header));
    let export = || Loc::Path(src.name.to_string());
    if let Some(scale) = &a.scale {
        let words = scales.get(scale.as_str())?;
        if let Some(v) = words.get(&super::identity::normalise(cell)) {
            return Some(*v);
        }
        if let Some(x) = number.filter(|x| words.values().any(|v| v == x)) {
            return Some(x);
        }
        let mut list: Vec<(&String, &f64)> = src
            .doc
            .scales
            .get(scale.as_str())
            .map(|w| w.iter().collect())
            .unwrap_or_default();
        list.sort_by(|a, b| a.1.total_cmp(b.1).then(a.0.cmp(b.0)));
        let list: Vec<String> = list
            .iter()
            .map(|(w, v)| format!("{w} = {}", number_text(**v)))
            .collect();
        out.error(
            Diagnostic::error(Code::UnknownAnswer, format!("{}: the answer {} is not a word of the scale `{scale}`", at(), shown_value(cell)), export())
                .with_hint(format!("add it to `scales: {scale}` in import.yaml with its score, or correct the export; the scale has: {}", list.join(", "))),
        );
        return None;
    }
    match number {
        Some(x) if x.abs() <= crate::results::MAX_SCORE as f64 => Some(x),
        Some(x) => {
            out.error(Diagnostic::error(
                Code::OutOfRange,
                format!("{}: the answer {} is out of range", at(), number_text(x)),
                export(),
            ));
            None
        }
        None => {
            out.error(
                Diagnostic::error(
                    Code::MalformedNumber,
                    format!("{}: the answer {} is not a number", at(), shown_value(cell)),
                    export(),
                )
                .with_hint(
                    "give the question a `scale:` in import.yaml that scores its answer words",
                ),
            );
            None
        }
    }
}
