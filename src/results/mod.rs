//! Measured results: the optional `results/*.csv` files of a program.
//!
//! Owns reading the CSV kinds of FORMAT.md (attendance, ratings, survey)
//! — each file a checked [`table::Table`] — and validating every row
//! against the program's sessions and value ranges (errors name the file,
//! line and column), into the graph's [`Results`]: attendance and ratings
//! per session, survey sums before and after per item.

pub mod table;

use std::collections::HashMap;
use std::ops::Range;

use crate::diagnostics::{Diagnostic, FileId, Loc, Sources};
use crate::graph::{Competency, Ix, Results, Session, SurveyItem, RATING_SCALE};
use crate::suggest::hint;

use table::{Row, Table};

/// Survey scores beyond this (either side) are taken for typing errors.
pub const MAX_SCORE: f64 = 1_000_000.0;

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

/// Reports problems of one results file at their cells.
struct Cells<'a> {
    file: FileId,
    diags: &'a mut Vec<Diagnostic>,
}

impl Cells<'_> {
    fn err(&mut self, code: &'static str, msg: String, span: Range<usize>, hint: Option<String>) {
        self.diags
            .push(Diagnostic::error(code, msg, Loc::Span(self.file, span)).with_hint_opt(hint));
    }

    /// The session named in `row`'s cell `col`.
    fn session(&mut self, ids: &Ids, row: &Row, col: usize) -> Option<Ix<Session>> {
        let (s, span) = row.cell(col);
        if let Some(&i) = ids.sessions.get(s) {
            return Some(i);
        }
        let hint = hint(s, ids.sessions.keys().copied())
            .unwrap_or_else(|| "use the file name of a session guide, without .md".into());
        self.err(
            "unknown-reference",
            format!("unknown session `{s}`"),
            span,
            Some(hint),
        );
        None
    }

    /// A number in `row`'s cell `col` (`what` names it in messages).
    fn number(&mut self, row: &Row, col: usize, what: &str) -> Option<f64> {
        let (v, span) = row.cell(col);
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                self.err(
                    "malformed-number",
                    format!("{what} `{v}` is not a number"),
                    span,
                    None,
                );
                None
            }
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
    let Some(table) = Table::read(file, sources.text(file), kind.columns(), diags) else {
        return;
    };
    let col: Vec<usize> = kind
        .columns()
        .iter()
        .filter_map(|c| table.column(c))
        .collect();
    let mut cells = Cells { file, diags };
    let mut survey_index: HashMap<String, usize> = results
        .survey
        .iter()
        .enumerate()
        .map(|(i, s)| (s.item.clone(), i))
        .collect();
    for row in &table.rows {
        match kind {
            Kind::Attendance => {
                let s = cells.session(ids, row, col[0]);
                let (p, span) = row.cell(col[2]);
                let present = match p.to_ascii_lowercase().as_str() {
                    "1" | "yes" | "true" | "y" => Some(true),
                    "0" | "no" | "false" | "n" => Some(false),
                    _ => {
                        cells.err(
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
                let s = cells.session(ids, row, col[0]);
                let (lo, hi) = RATING_SCALE;
                let rating = cells.number(row, col[2], "rating").filter(|&v| {
                    let ok = (f64::from(lo)..=f64::from(hi)).contains(&v);
                    if !ok {
                        cells.err(
                            "out-of-range",
                            format!("rating {v} is out of range"),
                            row.cell(col[2]).1,
                            Some(format!("ratings are from {lo} to {hi}")),
                        );
                    }
                    ok
                });
                if let (Some(s), Some(v)) = (s, rating) {
                    results.ratings.entry(s).or_default().add(v);
                }
            }
            Kind::Survey => {
                let (phase, pspan) = row.cell(col[1]);
                let pre = match phase.to_ascii_lowercase().as_str() {
                    "pre" => Some(true),
                    "post" => Some(false),
                    _ => {
                        cells.err(
                            "invalid-value",
                            format!("phase must be `pre` or `post`, found `{phase}`"),
                            pspan,
                            None,
                        );
                        None
                    }
                };
                let score = cells.number(row, col[3], "score").filter(|&v| {
                    let ok = v.abs() <= MAX_SCORE;
                    if !ok {
                        let (written, span) = row.cell(col[3]);
                        cells.err(
                            "out-of-range",
                            format!("score {written} is out of range"),
                            span,
                            Some(format!(
                                "survey scores are numbers from -{MAX_SCORE} to {MAX_SCORE}"
                            )),
                        );
                    }
                    ok
                });
                let (item, _) = row.cell(col[2]);
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
