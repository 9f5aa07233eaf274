//! Measured results: the optional `results/*.csv` files of a program.
//!
//! Owns reading the five CSV kinds of FORMAT.md (v1: attendance, ratings,
//! survey; v1.1: observations, feedback) — each file a checked
//! [`table::Table`] — and validating every row against the program (ids,
//! value ranges, whole-point ratings, duplicate keys; errors name the file,
//! line and column; survey items that are slips of a competency id or of
//! each other are warned of), into the graph's [`Results`]. Participant ids are pseudonyms for joining
//! rows: they are replaced by numbers here and never reach the graph.

pub mod number;
pub mod table;

use std::collections::HashMap;
use std::ops::Range;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diagnostics::{Diagnostic, FileId, Loc, Sources};
use crate::graph::{
    Competency, Feedback, Ix, Metric, Observation, Participant, Results, Session, Signal,
    SurveyItem, RATING_SCALE,
};
use crate::model::Source;
use crate::suggest::{did_you_mean, hint, same_but_case, slip_of};

use number::{decimal, number_syntax};
use table::{Row, Table};

/// Survey scores beyond this (either side) are taken for typing errors.
pub const MAX_SCORE: i64 = 1_000_000;
/// Observed values beyond this (either side) are taken for typing errors.
pub const MAX_OBSERVED: i64 = 1_000_000_000_000;

/// `-max..=max` as decimals.
fn within(max: i64) -> (Decimal, Decimal) {
    (Decimal::from(-max), Decimal::from(max))
}

/// Ids of the program that result rows may name.
pub struct Ids<'a> {
    pub program: &'a str,
    pub sessions: &'a HashMap<&'a str, Ix<Session>>,
    pub competencies: &'a HashMap<&'a str, Ix<Competency>>,
    pub signals: &'a HashMap<&'a str, Ix<Signal>>,
    /// Each metric with its source.
    pub metrics: &'a HashMap<&'a str, (Ix<Metric>, Option<Source>)>,
    /// Kinds (`competency`, `signal`, `metric`) whose file could not be
    /// read: an id of theirs is not reported unknown.
    pub unread: &'a [&'a str],
}

/// Which file is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Attendance,
    Ratings,
    Survey,
    Observations,
    Feedback,
}

impl Kind {
    /// In the order of `load::RESULT_FILES`.
    pub const ALL: [Kind; 5] = [
        Kind::Attendance,
        Kind::Ratings,
        Kind::Survey,
        Kind::Observations,
        Kind::Feedback,
    ];

    /// The columns the header must name.
    fn columns(self) -> &'static [&'static str] {
        match self {
            Kind::Attendance => &["session", "participant", "present"],
            Kind::Ratings => &["session", "participant", "rating"],
            Kind::Survey => &["participant", "phase", "item", "score"],
            Kind::Observations => &["metric", "date", "value"],
            Kind::Feedback => &["participant", "comment"],
        }
    }

    /// The columns that make a row's key: two rows with the same key are
    /// an error.
    fn key(self) -> &'static [&'static str] {
        match self {
            Kind::Attendance | Kind::Ratings => &["session", "participant"],
            Kind::Survey => &["participant", "phase", "item"],
            Kind::Observations | Kind::Feedback => &[],
        }
    }
}

/// Reads a program's results files, numbering participants across them.
pub struct Reader<'a> {
    ids: &'a Ids<'a>,
    participants: HashMap<String, Participant>,
    pub results: Results,
}

/// Reports problems of one results file at their cells.
struct Cells<'d> {
    file: FileId,
    /// The header row, to name each cell's column.
    header: &'d [String],
    /// See [`Ids::unread`].
    unread: &'d [&'d str],
    diags: &'d mut Vec<Diagnostic>,
}

impl Cells<'_> {
    /// An error at `row`'s cell `col`, labelled with the column's name.
    fn err(
        &mut self,
        code: &'static str,
        msg: String,
        (row, col): (&Row, usize),
        hint: Option<String>,
    ) {
        let d = Diagnostic::error(code, msg, Loc::Span(self.file, row.cell(col).1));
        self.push(d, col, hint);
    }

    /// A warning at `span`, a cell of column `col`.
    fn warn(
        &mut self,
        code: &'static str,
        msg: String,
        (span, col): (Range<usize>, usize),
        hint: Option<String>,
    ) {
        self.push(
            Diagnostic::warning(code, msg, Loc::Span(self.file, span)),
            col,
            hint,
        );
    }

    /// `d`, labelled with the name of column `col`.
    fn push(&mut self, d: Diagnostic, col: usize, hint: Option<String>) {
        let label = format!(
            "column `{}`",
            self.header.get(col).map_or("?", String::as_str)
        );
        self.diags.push(d.with_label(label).with_hint_opt(hint));
    }

    /// The entity named in `row`'s cell `col` of `table` — None, and an
    /// error, when there is no such id; None when `optional` and empty.
    fn entity<T: Copy>(
        &mut self,
        row: &Row,
        col: usize,
        what: &str,
        ids: &HashMap<&str, T>,
        optional: bool,
        fallback: String,
    ) -> Option<T> {
        let (s, _) = row.cell(col);
        if s.is_empty() && optional {
            return None;
        }
        if let Some(&i) = ids.get(s) {
            return Some(i);
        }
        if self.unread.contains(&what) {
            return None;
        }
        let hint = hint(s, ids.keys().copied()).unwrap_or(fallback);
        self.err(
            "unknown-reference",
            format!("unknown {what} `{s}`"),
            (row, col),
            Some(hint),
        );
        None
    }

    /// A number in `row`'s cell `col` (`what` names it in messages), within
    /// `lo..=hi` (`range` says so in the hint), read exactly ([`number::decimal`]).
    fn number(
        &mut self,
        row: &Row,
        col: usize,
        what: &str,
        (lo, hi): (Decimal, Decimal),
        range: &str,
    ) -> Option<Decimal> {
        let (v, _) = row.cell(col);
        let out_of_range = match decimal(v) {
            Some(x) => !(lo..=hi).contains(&x),
            // Written as a number, but beyond what a decimal holds; or
            // `inf`.
            None => number_syntax(v) || v.parse::<f64>().is_ok_and(f64::is_infinite),
        };
        if let Some(x) = decimal(v).filter(|_| !out_of_range) {
            return Some(x);
        }
        if out_of_range {
            self.err(
                "out-of-range",
                format!("{what} {v} is out of range"),
                (row, col),
                Some(range.to_string()),
            );
        } else {
            self.err(
                "malformed-number",
                format!("{what} `{v}` is not a number"),
                (row, col),
                None,
            );
        }
        None
    }
}

impl<'a> Reader<'a> {
    pub fn new(ids: &'a Ids<'a>) -> Self {
        Reader {
            ids,
            participants: HashMap::new(),
            results: Results::default(),
        }
    }

    fn participant(&mut self, id: &str) -> Participant {
        let next = Participant(self.participants.len() as u32);
        *self.participants.entry(id.to_string()).or_insert(next)
    }

    /// Read one results file, reporting bad rows.
    pub fn read(
        &mut self,
        kind: Kind,
        file: FileId,
        sources: &Sources,
        diags: &mut Vec<Diagnostic>,
    ) {
        let Some(table) = Table::read(file, sources.text(file), kind.columns(), diags) else {
            return;
        };
        let col = |name: &str| table.column(name);
        let req: Vec<usize> = kind.columns().iter().filter_map(|c| col(c)).collect();
        let key: Vec<usize> = kind.key().iter().filter_map(|c| col(c)).collect();
        let mut cells = Cells {
            file,
            header: &table.header,
            unread: self.ids.unread,
            diags,
        };
        let mut seen: HashMap<Vec<String>, usize> = HashMap::new();
        // Survey items that name no competency, in order of appearance.
        let mut free = FreeItems::default();
        let ids = self.ids;
        let session_hint = || "use the file name of a session guide, without .md".to_string();
        for row in &table.rows {
            if let Some(&p) = kind
                .columns()
                .iter()
                .position(|c| *c == "participant")
                .map(|i| &req[i])
            {
                let (v, _) = row.cell(p);
                if v.is_empty() {
                    cells.err(
                        "invalid-value",
                        "the participant is empty".into(),
                        (row, p),
                        Some("give each row the participant's pseudonym (any id that is the same in every file)".into()),
                    );
                    continue;
                }
            }
            if !key.is_empty() {
                let k: Vec<String> = key.iter().map(|&c| row.cell(c).0.to_string()).collect();
                if let Some(first) = seen.insert(k.clone(), row.line_no) {
                    let names: Vec<String> = kind
                        .key()
                        .iter()
                        .zip(&k)
                        .map(|(c, v)| format!("{c} `{v}`"))
                        .collect();
                    cells.diags.push(
                        Diagnostic::error(
                            "duplicate-row",
                            format!(
                                "a second row for {} (the first is on line {first})",
                                names.join(", ")
                            ),
                            Loc::Span(file, row.line.clone()),
                        )
                        .with_label(format!("same key as line {first}"))
                        .with_hint("keep one of the two rows"),
                    );
                    seen.insert(k, first);
                    continue;
                }
            }
            match kind {
                Kind::Attendance => {
                    let s =
                        cells.entity(row, req[0], "session", ids.sessions, false, session_hint());
                    let (p, _) = row.cell(req[2]);
                    let present = match p.to_ascii_lowercase().as_str() {
                        "1" | "yes" | "true" | "y" => Some(true),
                        "0" | "no" | "false" | "n" => Some(false),
                        _ => {
                            cells.err(
                                "invalid-value",
                                format!("`present` must be 1/0 or yes/no, found `{p}`"),
                                (row, req[2]),
                                None,
                            );
                            None
                        }
                    };
                    if let (Some(s), Some(present)) = (s, present) {
                        let a = self.results.attendance.entry(s).or_default();
                        a.total += 1;
                        a.present += u32::from(present);
                    }
                }
                Kind::Ratings => {
                    let s =
                        cells.entity(row, req[0], "session", ids.sessions, false, session_hint());
                    let (lo, hi) = RATING_SCALE;
                    let v = cells.number(
                        row,
                        req[2],
                        "rating",
                        (Decimal::from(lo), Decimal::from(hi)),
                        &format!("ratings are from {lo} to {hi}"),
                    );
                    // The distribution and the top-two share count points.
                    let v = v.filter(|x| {
                        let whole = x.fract().is_zero();
                        if !whole {
                            cells.err(
                                "invalid-value",
                                format!("rating {} is not a whole point", row.cell(req[2]).0),
                                (row, req[2]),
                                Some(format!("ratings are whole points from {lo} to {hi}: write the point the participant chose")),
                            );
                        }
                        whole
                    });
                    if let (Some(s), Some(v)) = (s, v) {
                        self.results.ratings.entry(s).or_default().push(v);
                    }
                }
                Kind::Survey => {
                    let (phase, _) = row.cell(req[1]);
                    let pre = match phase.to_ascii_lowercase().as_str() {
                        "pre" => Some(true),
                        "post" => Some(false),
                        _ => {
                            cells.err(
                                "invalid-value",
                                format!("phase must be `pre` or `post`, found `{phase}`"),
                                (row, req[1]),
                                None,
                            );
                            None
                        }
                    };
                    let score = cells.number(
                        row,
                        req[3],
                        "score",
                        within(MAX_SCORE),
                        &format!("survey scores are numbers from -{MAX_SCORE} to {MAX_SCORE}"),
                    );
                    let (item, span) = row.cell(req[2]);
                    if item.is_empty() {
                        cells.err(
                            "invalid-value",
                            "the survey item is empty".into(),
                            (row, req[2]),
                            Some("name a competency id, or the question as free text".into()),
                        );
                        continue;
                    }
                    if !ids.competencies.contains_key(item) {
                        free.saw(item, row.line_no, span);
                    }
                    if let (Some(pre), Some(score)) = (pre, score) {
                        let who = self.participant(row.cell(req[0]).0);
                        let results = &mut self.results;
                        let i = match results.survey.iter().position(|s| s.item == item) {
                            Some(i) => i,
                            None => {
                                results.survey.push(SurveyItem {
                                    item: item.to_string(),
                                    competency: ids.competencies.get(item).copied(),
                                    ..SurveyItem::default()
                                });
                                results.survey.len() - 1
                            }
                        };
                        let item = &mut results.survey[i];
                        if pre { &mut item.pre } else { &mut item.post }.insert(who, score);
                    }
                }
                Kind::Observations => {
                    let metric = cells.entity(
                        row,
                        req[0],
                        "metric",
                        ids.metrics,
                        false,
                        format!(
                            "define it in content/{}/alignment/metrics.yaml",
                            ids.program
                        ),
                    );
                    let metric = match metric {
                        Some((m, Some(Source::Observations))) => Some(m),
                        Some((_, source)) => {
                            let (name, _) = row.cell(req[0]);
                            let has =
                                source.map_or("none".to_string(), |s| format!("`{}`", s.as_str()));
                            cells.err(
                                "invalid-value",
                                format!("metric `{name}` does not take observations: its source is {has}"),
                                (row, req[0]),
                                Some(format!("give `{name}` `source: observations` in metrics.yaml, or remove these rows")),
                            );
                            None
                        }
                        None => None,
                    };
                    let (d, _) = row.cell(req[1]);
                    let date = match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                        Ok(date) => Some(date),
                        Err(_) => {
                            cells.err(
                                "invalid-value",
                                format!("`{d}` is not a date"),
                                (row, req[1]),
                                Some("write dates as YYYY-MM-DD, e.g. 2026-03-31".into()),
                            );
                            None
                        }
                    };
                    let value = cells.number(
                        row,
                        req[2],
                        "value",
                        within(MAX_OBSERVED),
                        &format!("observed values are numbers from -{MAX_OBSERVED:e} to {MAX_OBSERVED:e}"),
                    );
                    let note = col("note")
                        .map(|c| row.cell(c).0.to_string())
                        .filter(|n| !n.is_empty());
                    if let (Some(metric), Some(date), Some(value)) = (metric, date, value) {
                        self.results.observations.push(Observation {
                            metric,
                            date,
                            value,
                            note,
                        });
                    }
                }
                Kind::Feedback => {
                    let program = ids.program;
                    let session = col("session").and_then(|c| {
                        cells.entity(row, c, "session", ids.sessions, true, session_hint())
                    });
                    let competency = col("competency").and_then(|c| {
                        cells.entity(
                            row,
                            c,
                            "competency",
                            ids.competencies,
                            true,
                            format!("define it in content/{program}/alignment/competencies.yaml"),
                        )
                    });
                    let signal = col("signal").and_then(|c| {
                        cells.entity(
                            row,
                            c,
                            "signal",
                            ids.signals,
                            true,
                            format!("define it in content/{program}/alignment/evaluation.yaml"),
                        )
                    });
                    let (comment, _) = row.cell(req[1]);
                    if !comment.is_empty() {
                        self.results.feedback.push(Feedback {
                            comment: comment.to_string(),
                            session,
                            competency,
                            signal,
                        });
                    }
                }
            }
        }
        if let Some(c) = col("item") {
            free.report(ids.competencies, &mut cells, c);
        }
    }
}

/// The survey items that name no competency: free text, or a slip of a
/// competency id or of another item — which would count apart and lose
/// their pairs without a word.
#[derive(Default)]
struct FreeItems {
    /// Each item with its first line and cell, and its number of rows.
    items: Vec<(String, usize, Range<usize>, usize)>,
    index: HashMap<String, usize>,
}

impl FreeItems {
    fn saw(&mut self, item: &str, line: usize, span: Range<usize>) {
        match self.index.get(item) {
            Some(&i) => self.items[i].3 += 1,
            None => {
                self.index.insert(item.to_string(), self.items.len());
                self.items.push((item.to_string(), line, span, 1));
            }
        }
    }

    /// A `similar-item` warning at the first cell of each item that is a
    /// slip of a competency id ([`slip_of`]), or that differs only in case
    /// from an item before it.
    fn report<T>(&self, competencies: &HashMap<&str, T>, cells: &mut Cells, col: usize) {
        for (i, (item, _, span, rows)) in self.items.iter().enumerate() {
            let rows = match rows {
                1 => "its row counts as an item of its own".to_string(),
                n => format!("its {n} rows count as an item of their own"),
            };
            let (msg, hint) = if let Some(id) = slip_of(item, competencies.keys().copied()) {
                (
                    format!("the survey item `{item}` is not the competency `{id}`: {rows}"),
                    id.to_string(),
                )
            } else if let Some((other, line, _, _)) =
                self.items[..i].iter().find(|o| same_but_case(item, &o.0))
            {
                (
                    format!("the survey item `{item}` differs from `{other}` (line {line}) only in case or separators: {rows}"),
                    other.clone(),
                )
            } else {
                continue;
            };
            cells.warn(
                "similar-item",
                msg,
                (span.clone(), col),
                did_you_mean(Some(hint)),
            );
        }
    }
}
