//! From an export's responses to results rows: the answer columns
//! ([`super::answers`]), who each response is from (participant columns →
//! pseudonym), one response per person (the later one kept), each answer
//! as a row of survey.csv, ratings.csv, feedback.csv or the roster, in an
//! order that says nothing of when people answered, and the columns left
//! unused. Every problem names the export's row and column (or cell);
//! cell values that look like e-mail addresses are never shown.

use std::collections::{BTreeSet, HashMap};

use super::answers::{entry_columns, needed_columns, score, Answer, Want};
use super::config::Holds;
use super::identity::is_nobody;
use super::options::{Phase, Rater, What};
use super::sheet::{number_text, shown_header, GridRow};
use super::tools::{norm, submitted, Layout};
use crate::diagnostics::{Code, Diagnostic, Loc};

pub(super) use super::answers::{Mapped, Request, Source};

/// Map the export's responses to rows for `req`.
pub(super) fn map(src: &Source, req: &Request) -> Mapped {
    let mut out = Mapped::default();
    // Which columns each entry matches.
    let matches: Vec<Vec<usize>> = src
        .doc
        .questions
        .iter()
        .map(|q| entry_columns(src.layout, &q.match_))
        .collect();
    let needed = needed_kind(req.what);
    let Some(answers) = answer_columns(src, req, &matches, needed, &mut out) else {
        return out;
    };
    let Some(person_cols) = person_columns(src, req, &mut out) else {
        return out;
    };
    let responses = read_responses(src, req, &person_cols, &mut out);
    let keep = one_per_person(src, req, &responses, &mut out);
    duplicate_warnings(src, &mut out);
    push_rows(src, req, &answers, &responses, &keep, &mut out);
    unused_columns(
        src,
        &answers,
        &person_cols,
        &matches,
        needed.is_some(),
        &mut out,
    );
    out
}

/// One response of the export.
struct Response<'g> {
    row: &'g GridRow,
    person: Option<String>,
    /// Who answered (for others' ratings), or the response's own id.
    rater: String,
}

/// The name of column `c`.
fn header(layout: &Layout, c: usize) -> &str {
    layout.columns.get(c).map_or("", |col| col.name.as_str())
}

/// The export, where a problem is in it as a whole.
fn export(src: &Source) -> Loc {
    Loc::Path(src.name.to_string())
}

/// Whether an entry that holds what `want` wants matches a column.
fn found(src: &Source, matches: &[Vec<usize>], want: Want) -> bool {
    src.doc
        .questions
        .iter()
        .zip(matches)
        .any(|(q, cols)| q.holds().is_some_and(|h| want(&h)) && !cols.is_empty())
}

const IS_ITEM: Want = |h| matches!(h, Holds::Item(_));

/// What an import of `what` needs a column for, if anything.
fn needed_kind(what: What) -> Option<(&'static str, Want)> {
    match what {
        What::Survey => Some(("a survey item", IS_ITEM)),
        What::Ratings => Some(("the rating", |h: &Holds| *h == Holds::Rating)),
        What::Feedback => Some(("a comment", |h: &Holds| *h == Holds::Comment)),
        What::Roster | What::Attendance => None,
    }
}

/// The answer columns this import needs (none for a roster or
/// attendance); `None`, with the errors in `out`, when they are missing.
fn answer_columns(
    src: &Source,
    req: &Request,
    matches: &[Vec<usize>],
    needed: Option<(&str, Want)>,
    out: &mut Mapped,
) -> Option<Vec<Answer>> {
    let mut answers: Vec<Answer> = Vec::new();
    if let Some((what, want)) = needed {
        if !found(src, matches, want) {
            out.error(no_answer_column(src, req, matches, what));
            return None;
        }
        answers = needed_columns(src, req, matches, out);
    }
    if !out.errors.is_empty() {
        return None;
    }
    Some(answers)
}

/// No column matches `what` (what `req` needs): a wrong export when its
/// columns match questions for another import, an unmatched question
/// otherwise.
fn no_answer_column(src: &Source, req: &Request, matches: &[Vec<usize>], what: &str) -> Diagnostic {
    let others: Vec<&str> = [
        (IS_ITEM, "--as survey"),
        (|h: &Holds| *h == Holds::Rating, "--as ratings"),
        (|h: &Holds| *h == Holds::Comment, "--as feedback"),
    ]
    .iter()
    .filter(|(w, name)| *name != format!("--as {}", req.what.as_str()) && found(src, matches, *w))
    .map(|(_, name)| *name)
    .collect();
    if let Some(other) = others.first() {
        Diagnostic::error(
            Code::WrongExport,
            format!(
                "this export is not {} export: no column matches {what} of import.yaml, but its columns match questions for {other}",
                match req.what { What::Ratings => "a ratings", What::Feedback => "a feedback", _ => "a survey" },
            ),
            export(src),
        )
        .with_hint(format!("import it with {other}, or check that this is the export you meant"))
    } else {
        Diagnostic::error(
            Code::UnmatchedQuestion,
            format!("no column of this export matches {what} of import.yaml"),
            export(src),
        )
        .with_hint(format!(
            "add a `questions` entry whose `match` is the column's question text; {}",
            question_columns(src.layout)
        ))
    }
}

/// The first question columns of the export, for a hint.
fn question_columns(layout: &Layout) -> String {
    let names: Vec<String> = layout
        .columns
        .iter()
        .filter(|c| !c.meta && !c.name.is_empty())
        .take(8)
        .map(|c| format!("`{}`", shown_header(&c.name)))
        .collect();
    format!("the export's questions include: {}", names.join(", "))
}

/// Whether each response of a `what` import must name its participant.
fn needs_person(what: What) -> bool {
    matches!(what, What::Survey | What::Roster | What::Attendance)
}

/// Whether the import is of others' ratings (`--rater` not `own`).
fn by_others(req: &Request) -> bool {
    req.what == What::Survey && req.rater != Rater::Own
}

/// The participant columns (import.yaml's `participant:`) the export has;
/// `None`, with the error in `out`, when an import that needs one has none.
fn person_columns(src: &Source, req: &Request, out: &mut Mapped) -> Option<Vec<usize>> {
    let names = src.doc.participant_columns();
    let mut person_cols: Vec<usize> = Vec::new();
    for n in &names {
        let n = norm(n);
        for (c, col) in src.layout.columns.iter().enumerate() {
            if col.is(&n) && !person_cols.contains(&c) {
                person_cols.push(c);
            }
        }
    }
    if person_cols.is_empty() && needs_person(req.what) {
        out.error(
            Diagnostic::error(
                Code::MissingParticipant,
                format!(
                    "no participant column: the export has none of {}",
                    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                ),
                export(src),
            )
            .with_hint(format!(
                "a {} import needs to know who answered: name the column that identifies people (an e-mail address) under `participant:` in import.yaml",
                req.what.as_str()
            )),
        );
        return None;
    }
    Some(person_cols)
}

/// Each response, with who it is from (a response without a participant
/// is an error when the import needs one).
fn read_responses<'g>(
    src: &Source<'g>,
    req: &Request,
    person_cols: &[usize],
    out: &mut Mapped,
) -> Vec<Response<'g>> {
    let layout = src.layout;
    let grid = src.grid;
    let rows = grid.rows.get(layout.data_from..).unwrap_or(&[]);
    out.responses = rows.len();
    let mut responses: Vec<Response> = Vec::with_capacity(rows.len());
    for row in rows {
        let identity = person_cols
            .iter()
            .map(|&c| row.cell(c))
            .find(|v| !is_nobody(v));
        let response_key = match layout
            .response_id
            .map(|c| row.cell(c))
            .filter(|v| !v.is_empty())
        {
            Some(id) => src.pseudonyms.response("id", id),
            None => src.pseudonyms.response(
                "row",
                &format!("{}\u{1}{}", row.number, row.cells.join("\u{1}")),
            ),
        };
        let person = match identity {
            Some(v) => Some(src.pseudonyms.participant(v)),
            None if needs_person(req.what) => {
                let c = person_cols[0];
                out.error(
                    Diagnostic::error(
                        Code::MissingParticipant,
                        format!("{}: this response has no participant (every participant column is empty)", grid.at(row, Some(c), Some(header(layout, c)))),
                        export(src),
                    )
                    .with_hint("fill in who answered, or delete the response from the export"),
                );
                continue;
            }
            None => None,
        };
        responses.push(Response {
            row,
            person,
            rater: response_key,
        });
    }
    responses
}

/// One response per person (and rater): the later one; which responses
/// are kept, with the duplicates in `out`.
fn one_per_person(
    src: &Source,
    req: &Request,
    responses: &[Response],
    out: &mut Mapped,
) -> Vec<bool> {
    let layout = src.layout;
    let others = by_others(req);
    let mut by_person: HashMap<String, usize> = HashMap::new();
    let mut keep = vec![true; responses.len()];
    for i in 0..responses.len() {
        let Some(p) = &responses[i].person else {
            continue;
        };
        let key = if others {
            format!("{p}\u{1}{}", responses[i].rater)
        } else {
            p.clone()
        };
        if let Some(&j) = by_person.get(&key) {
            let (a, b) = (&responses[j], &responses[i]);
            let later_is_b = match (submitted(layout, a.row), submitted(layout, b.row)) {
                (Some(ta), Some(tb)) => tb >= ta,
                _ => true,
            };
            let (kept, dropped) = if later_is_b { (i, j) } else { (j, i) };
            keep[dropped] = false;
            by_person.insert(key, kept);
            out.duplicates
                .push((responses[dropped].row.number, responses[kept].row.number));
        } else {
            by_person.insert(key, i);
        }
    }
    keep
}

/// A warning for each duplicate response dropped.
fn duplicate_warnings(src: &Source, out: &mut Mapped) {
    let grid = src.grid;
    for (dropped, kept) in &out.duplicates {
        let at = |n: usize| match grid.rows.iter().find(|r| r.number == n) {
            Some(r) => grid.at(r, None, None),
            None => format!("row {n}"),
        };
        out.warnings.push(
            Diagnostic::warning(
                Code::DuplicateResponse,
                format!(
                    "two responses from the same person: {} and {}; the later one, {}, is kept",
                    at(*dropped),
                    at(*kept),
                    at(*kept)
                ),
                export(src),
            )
            .with_hint(
                "delete the one that should not count from the export if the later one is not it",
            ),
        );
    }
}

/// Each answer as a row, in an order that says nothing of when people
/// answered: by pseudonym (and rater), each response's answers in
/// import.yaml's order.
fn push_rows(
    src: &Source,
    req: &Request,
    answers: &[Answer],
    responses: &[Response],
    keep: &[bool],
    out: &mut Mapped,
) {
    let scales = src.doc.scale_words();
    let mut order: Vec<usize> = (0..responses.len()).filter(|&i| keep[i]).collect();
    let who = |i: usize| {
        let r = &responses[i];
        (r.person.as_deref().unwrap_or(&r.rater), r.rater.as_str())
    };
    order.sort_by(|&a, &b| who(a).cmp(&who(b)));
    for i in order {
        let r = &responses[i];
        let person = r.person.clone().unwrap_or_else(|| r.rater.clone());
        out.people.insert(person.clone());
        let row = r.row;
        match req.what {
            What::Roster | What::Attendance => out.rows.push(vec![("participant", person)]),
            What::Feedback => {
                for a in answers {
                    let comment = row.cell(a.col);
                    if comment.is_empty() {
                        continue;
                    }
                    out.rows.push(vec![
                        ("participant", person.clone()),
                        ("comment", comment.to_string()),
                        ("session", req.session.unwrap_or("").to_string()),
                    ]);
                }
            }
            What::Ratings => rating_row(src, req, &answers[0], row, &scales, person, out),
            What::Survey => survey_rows(src, req, answers, r, &scales, &person, out),
        }
    }
}

/// The rating of one response (a whole point of the rating scale).
fn rating_row(
    src: &Source,
    req: &Request,
    a: &Answer,
    row: &GridRow,
    scales: &HashMap<&str, HashMap<String, f64>>,
    person: String,
    out: &mut Mapped,
) {
    let grid = src.grid;
    let header = header(src.layout, a.col);
    let Some(v) = score(src, grid, row, a, scales, header, out) else {
        return;
    };
    let (lo, hi) = crate::graph::RATING_SCALE;
    if v.fract() != 0.0 || v < f64::from(lo) || v > f64::from(hi) {
        out.error(
            Diagnostic::error(
                Code::OutOfRange,
                format!("{}: the rating {} is not a whole point from {lo} to {hi}", grid.at(row, Some(a.col), Some(header)), number_text(v)),
                export(src),
            )
            .with_hint("ratings are whole points from 1 to 5: give the question a scale that scores its words from 1 to 5, or correct the export"),
        );
        return;
    }
    out.rows.push(vec![
        ("session", req.session.unwrap_or("").to_string()),
        ("participant", person),
        ("rating", number_text(v)),
    ]);
}

/// The survey rows of one response: a row per item answered.
fn survey_rows(
    src: &Source,
    req: &Request,
    answers: &[Answer],
    r: &Response,
    scales: &HashMap<&str, HashMap<String, f64>>,
    person: &str,
    out: &mut Mapped,
) {
    let row = r.row;
    let date = req
        .date
        .or_else(|| submitted(src.layout, row).map(|d| d.date()))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let rater_id = if by_others(req) {
        r.rater.clone()
    } else {
        String::new()
    };
    for a in answers {
        let header = header(src.layout, a.col);
        let Some(v) = score(src, src.grid, row, a, scales, header, out) else {
            continue;
        };
        out.rows.push(vec![
            ("participant", person.to_string()),
            ("phase", req.phase.map_or("", Phase::as_str).to_string()),
            ("item", a.item.clone()),
            ("score", number_text(v)),
            ("rater", req.rater.as_str().to_string()),
            ("rater_id", rater_id.clone()),
            ("date", date.clone()),
        ]);
    }
}

/// The columns not used (question columns by name, metadata counted), and
/// a warning for the question columns no entry matched.
fn unused_columns(
    src: &Source,
    answers: &[Answer],
    person_cols: &[usize],
    matches: &[Vec<usize>],
    warn: bool,
    out: &mut Mapped,
) {
    let layout = src.layout;
    let mut matched = vec![false; layout.columns.len()];
    for cols in matches {
        for &c in cols {
            matched[c] = true;
        }
    }
    let used: BTreeSet<usize> = answers
        .iter()
        .map(|a| a.col)
        .chain(person_cols.iter().copied())
        .collect();
    let mut unmatched = Vec::new();
    for (c, col) in layout.columns.iter().enumerate() {
        if used.contains(&c) || col.name.is_empty() {
            continue;
        }
        if col.meta || Some(c) == layout.response_id || Some(c) == layout.submitted {
            out.unused_meta += 1;
        } else {
            out.unused.push(shown_header(&col.name));
            if !matched[c] {
                unmatched.push(format!("`{}`", shown_header(&col.name)));
            }
        }
    }
    if !unmatched.is_empty() && warn {
        out.warnings.push(
            Diagnostic::warning(
                Code::UnmatchedColumn,
                format!("{} of the export match no question of import.yaml: {}", crate::render::format::plural(unmatched.len(), "question column", "question columns"), unmatched.join(", ")),
                export(src),
            )
            .with_hint("add a `questions` entry for each one that should be imported; metadata columns need none"),
        );
    }
}
