//! Measured results: the optional `results/*.csv` files of a program.
//!
//! Owns reading the three CSV kinds of FORMAT.md (attendance, ratings,
//! survey) with the `csv` crate, validating every row against the program's
//! sessions and value ranges (errors name the file, line and column), into
//! the graph's [`Results`]: attendance and ratings per session, survey sums
//! before and after per item.

use std::collections::HashMap;
use std::ops::Range;

use crate::diagnostics::{Diagnostic, FileId, Loc, Sources};
use crate::graph::{Competency, Ix, Results, Session, SurveyItem, RATING_SCALE};
use crate::suggest::{hint, suggest};

/// Ids of the program that result rows may name.
pub struct Ids<'a> {
    pub sessions: &'a HashMap<&'a str, Ix<Session>>,
    pub competencies: &'a HashMap<&'a str, Ix<Competency>>,
}

/// Which file is being read.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Attendance,
    Ratings,
    Survey,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Attendance, Kind::Ratings, Kind::Survey];
    fn columns(self) -> &'static [&'static str] {
        match self {
            Kind::Attendance => &["session", "participant", "present"],
            Kind::Ratings => &["session", "participant", "rating"],
            Kind::Survey => &["participant", "phase", "item", "score"],
        }
    }
}

/// Read one results file into `results`, reporting bad rows.
pub fn read(
    kind: Kind,
    file: FileId,
    sources: &Sources,
    ids: &Ids,
    results: &mut Results,
    diags: &mut Vec<Diagnostic>,
) {
    let text = sources.text(file);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            diags.push(Diagnostic::error(
                "csv-syntax",
                e.to_string(),
                Loc::File(file),
            ));
            return;
        }
    };
    let header_span = 0..text.find(['\r', '\n']).unwrap_or(text.len());
    let mut col = HashMap::new();
    for &c in kind.columns() {
        match headers.iter().position(|h| h.eq_ignore_ascii_case(c)) {
            Some(i) => {
                col.insert(c, i);
            }
            None => {
                let hint = match suggest(c, headers.iter()) {
                    Some(found) => format!("rename the column `{found}` to `{c}`"),
                    None => format!("the header row must name: {}", kind.columns().join(", ")),
                };
                diags.push(
                    Diagnostic::error(
                        "missing-column",
                        format!("missing column `{c}`"),
                        Loc::Span(file, header_span.clone()),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
    if col.len() < kind.columns().len() {
        return;
    }
    let mut survey_index: HashMap<String, usize> = results
        .survey
        .iter()
        .enumerate()
        .map(|(i, s)| (s.item.clone(), i))
        .collect();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let span = e
                    .position()
                    .map(|p| line_span(text, p.byte() as usize))
                    .unwrap_or(0..0);
                diags.push(Diagnostic::error(
                    "csv-syntax",
                    e.to_string(),
                    Loc::Span(file, span),
                ));
                continue;
            }
        };
        let start = rec.position().map_or(0, |p| p.byte() as usize);
        let row = line_span(text, start);
        let cell = |name: &str| -> (&str, Range<usize>) {
            let v = rec.get(col[name]).unwrap_or("");
            (v, cell_span(text, &row, col[name]))
        };
        let mut err =
            |code: &'static str, msg: String, span: Range<usize>, hint: Option<String>| {
                diags.push(Diagnostic::error(code, msg, Loc::Span(file, span)).with_hint_opt(hint));
            };
        let session = |err: &mut dyn FnMut(&'static str, String, Range<usize>, Option<String>)| {
            let (s, span) = cell("session");
            match ids.sessions.get(s) {
                Some(&i) => Some(i),
                None => {
                    let hint = hint(s, ids.sessions.keys().copied()).or_else(|| {
                        Some("use the file name of a session guide, without .md".into())
                    });
                    err(
                        "unknown-reference",
                        format!("unknown session `{s}`"),
                        span,
                        hint,
                    );
                    None
                }
            }
        };
        match kind {
            Kind::Attendance => {
                let s = session(&mut err);
                let (p, span) = cell("present");
                let present = match p.to_ascii_lowercase().as_str() {
                    "1" | "yes" | "true" | "y" => Some(true),
                    "0" | "no" | "false" | "n" => Some(false),
                    _ => {
                        err(
                            "invalid-value",
                            format!("`present` must be 1/0 or yes/no, found `{p}`"),
                            span,
                            None,
                        );
                        None
                    }
                };
                if let (Some(s), Some(present)) = (s, present) {
                    let a = results.attendance.entry(s).or_default();
                    a.total += 1;
                    a.present += u32::from(present);
                }
            }
            Kind::Ratings => {
                let s = session(&mut err);
                let (r, span) = cell("rating");
                let (lo, hi) = RATING_SCALE;
                let rating = match r.parse::<f64>() {
                    Ok(v) if (f64::from(lo)..=f64::from(hi)).contains(&v) => Some(v),
                    Ok(v) => {
                        err(
                            "out-of-range",
                            format!("rating {v} is out of range"),
                            span,
                            Some(format!("ratings are from {lo} to {hi}")),
                        );
                        None
                    }
                    Err(_) => {
                        err(
                            "malformed-number",
                            format!("rating `{r}` is not a number"),
                            span,
                            None,
                        );
                        None
                    }
                };
                if let (Some(s), Some(v)) = (s, rating) {
                    results.ratings.entry(s).or_default().add(v);
                }
            }
            Kind::Survey => {
                let (phase, pspan) = cell("phase");
                let pre = match phase.to_ascii_lowercase().as_str() {
                    "pre" => Some(true),
                    "post" => Some(false),
                    _ => {
                        err(
                            "invalid-value",
                            format!("phase must be `pre` or `post`, found `{phase}`"),
                            pspan,
                            None,
                        );
                        None
                    }
                };
                let (score, sspan) = cell("score");
                let score = match score.parse::<f64>() {
                    Ok(v) if v.is_finite() => Some(v),
                    _ => {
                        err(
                            "malformed-number",
                            format!("score `{score}` is not a number"),
                            sspan,
                            None,
                        );
                        None
                    }
                };
                let (item, _) = cell("item");
                if let (Some(pre), Some(score)) = (pre, score) {
                    let i = *survey_index.entry(item.to_string()).or_insert_with(|| {
                        results.survey.push(SurveyItem {
                            item: item.to_string(),
                            competency: ids.competencies.get(item).copied(),
                            ..Default::default()
                        });
                        results.survey.len() - 1
                    });
                    let item = &mut results.survey[i];
                    if pre { &mut item.pre } else { &mut item.post }.add(score);
                }
            }
        }
    }
}

/// The byte span of field `index` of the row at `row`: exact for unquoted
/// fields, the whole row otherwise.
fn cell_span(text: &str, row: &Range<usize>, index: usize) -> Range<usize> {
    let line = &text[row.clone()];
    if line.contains('"') {
        return row.clone();
    }
    let mut start = row.start;
    for (i, field) in line.split(',').enumerate() {
        if i == index {
            let lead = field.len() - field.trim_start().len();
            let s = start + lead;
            let e = s + field.trim().len();
            return if e > s { s..e } else { row.clone() };
        }
        start += field.len() + 1;
    }
    row.clone()
}

/// The row that starts at `start` (skipping a line break the CSV reader
/// counts before it, as with CRLF files).
fn line_span(text: &str, start: usize) -> Range<usize> {
    let mut start = start.min(text.len());
    while text[start..].starts_with(['\r', '\n']) {
        start += 1;
    }
    let end = text[start..]
        .find(['\r', '\n'])
        .map_or(text.len(), |i| start + i);
    start..end
}
