//! Measured results: the optional `results/*.csv` files of a program.
//!
//! Owns reading the five CSV kinds of FORMAT.md (v1: attendance, ratings,
//! survey; v1.1: observations, feedback) — each file a checked
//! [`table::Table`] — and validating every row against the program (ids,
//! value ranges, whole-point ratings, duplicate keys; errors name the file,
//! line and column; survey items that are slips of a competency id or of
//! each other are warned of), into the graph's [`Results`]. Participant ids are pseudonyms for joining
//! rows: they are replaced by numbers here and never reach the graph.

mod cells;
pub(crate) mod number;
mod raters;
pub(crate) mod table;

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diagnostics::{Code, Diagnostic, FileId, Loc, Sources};
use crate::graph::{
    Competency, Feedback, Ix, Metric, Observation, Participant, Results, Session, Signal,
    RATING_SCALE,
};
use crate::model::Source;

use cells::{within, Cells, FreeItems};
use table::{Row, Table};

pub(crate) use cells::{MAX_OBSERVED, MAX_SCORE};

/// Ids of the program that result rows may name.
pub(crate) struct Ids<'a> {
    pub program: &'a str,
    pub sessions: &'a HashMap<&'a str, Ix<Session>>,
    pub competencies: &'a HashMap<&'a str, Ix<Competency>>,
    pub signals: &'a HashMap<&'a str, Ix<Signal>>,
    /// Each metric with its source.
    pub metrics: &'a HashMap<&'a str, (Ix<Metric>, Option<Source>)>,
    /// The declared survey items (`survey_items`) with their ranges.
    pub declared: &'a HashMap<&'a str, (f64, f64)>,
    /// Kinds (`competency`, `signal`, `metric`) whose file could not be
    /// read: an id of theirs is not reported unknown.
    pub unread: &'a [&'a str],
}

/// Which file is being read.
pub(crate) use crate::layout::ResultsFile as Kind;

impl Kind {
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
pub(crate) struct Reader<'a> {
    ids: &'a Ids<'a>,
    participants: HashMap<String, Participant>,
    raters: raters::Raters,
    pub results: Results,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(ids: &'a Ids<'a>) -> Self {
        Reader {
            ids,
            participants: HashMap::new(),
            raters: raters::Raters::default(),
            results: Results::default(),
        }
    }

    /// Read one results file, reporting bad rows.
    pub(crate) fn read(
        &mut self,
        kind: Kind,
        file: FileId,
        sources: &Sources,
        diags: &mut Vec<Diagnostic>,
    ) {
        let Some(table) = Table::read(file, sources.text(file), kind.columns(), diags) else {
            return;
        };
        let mut f = FileRows {
            kind,
            table: &table,
            req: kind
                .columns()
                .iter()
                .filter_map(|c| table.column(c))
                .collect(),
            survey_cols: raters::Columns::of(&table),
            seen: HashMap::new(),
            free: FreeItems::default(),
        };
        let mut cells = Cells {
            file,
            header: &table.header,
            unread: self.ids.unread,
            diags,
        };
        for row in &table.rows {
            if !f.participant_given(row, &mut cells) || f.repeated(row, &mut cells) {
                continue;
            }
            match kind {
                Kind::Attendance => self.attendance_row(row, &f.req, &mut cells),
                Kind::Ratings => self.ratings_row(row, &f.req, &mut cells),
                Kind::Survey => self.survey_row(row, &mut f, &mut cells),
                Kind::Observations => self.observation_row(row, &f, &mut cells),
                Kind::Feedback => self.feedback_row(row, &f, &mut cells),
            }
        }
        if let Some(c) = table.column("item") {
            f.free.report(self.ids.competencies, &mut cells, c);
        }
    }

    /// The session a row names in column `col` (required unless
    /// `optional`), with the hint every results file gives.
    fn session(
        &self,
        row: &Row,
        col: usize,
        optional: bool,
        cells: &mut Cells,
    ) -> Option<Ix<Session>> {
        cells.entity(
            row,
            col,
            "session",
            self.ids.sessions,
            optional,
            session_hint(),
        )
    }

    /// An attendance row: its session and whether the participant came.
    fn attendance_row(&mut self, row: &Row, req: &[usize], cells: &mut Cells) {
        let s = self.session(row, req[0], false, cells);
        let (p, _) = row.cell(req[2]);
        let present = match p.to_ascii_lowercase().as_str() {
            "1" | "yes" | "true" | "y" => Some(true),
            "0" | "no" | "false" | "n" => Some(false),
            _ => {
                cells.err(
                    Code::InvalidValue,
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

    /// A ratings row: its session and a whole point of the rating scale.
    fn ratings_row(&mut self, row: &Row, req: &[usize], cells: &mut Cells) {
        let s = self.session(row, req[0], false, cells);
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
                    Code::InvalidValue,
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

    /// A survey row (see [`raters::survey_row`]).
    fn survey_row(&mut self, row: &Row, f: &mut FileRows, cells: &mut Cells) {
        let mut cx = raters::Context {
            competencies: self.ids.competencies,
            declared: self.ids.declared,
            participants: &mut self.participants,
            raters: &mut self.raters,
            survey: &mut self.results.survey,
        };
        raters::survey_row(&mut cx, row, &f.req, &f.survey_cols, cells, &mut f.free);
    }

    /// An observations row: a metric whose source is observations, a date
    /// and a value.
    fn observation_row(&mut self, row: &Row, f: &FileRows, cells: &mut Cells) {
        let req = &f.req;
        let metric = self.observed_metric(row, req[0], cells);
        let (d, _) = row.cell(req[1]);
        let date = match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                cells.err(
                    Code::InvalidValue,
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
        let note = f
            .table
            .column("note")
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

    /// The metric of an observations row (in column `col`), when it is one
    /// and its source is observations.
    fn observed_metric(&self, row: &Row, col: usize, cells: &mut Cells) -> Option<Ix<Metric>> {
        let metric = cells.entity(
            row,
            col,
            "metric",
            self.ids.metrics,
            false,
            format!(
                "define it in content/{}/alignment/metrics.yaml",
                self.ids.program
            ),
        );
        match metric {
            Some((m, Some(Source::Observations))) => Some(m),
            Some((_, source)) => {
                let (name, _) = row.cell(col);
                let has = source.map_or("none".to_string(), |s| format!("`{}`", s.as_str()));
                cells.err(
                    Code::InvalidValue,
                    format!("metric `{name}` does not take observations: its source is {has}"),
                    (row, col),
                    Some(format!("give `{name}` `source: observations` in metrics.yaml, or remove these rows")),
                );
                None
            }
            None => None,
        }
    }

    /// A feedback row: a comment, with the session, competency and signal
    /// it is about where the file has those columns.
    fn feedback_row(&mut self, row: &Row, f: &FileRows, cells: &mut Cells) {
        let ids = self.ids;
        let program = ids.program;
        let col = |name: &str| f.table.column(name);
        let session = col("session").and_then(|c| self.session(row, c, true, cells));
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
        let (comment, _) = row.cell(f.req[1]);
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

fn session_hint() -> String {
    "use the file name of a session guide, without .md".to_string()
}

/// One results file being read: its table, the columns found, and what
/// its rows so far tell the next.
struct FileRows<'t> {
    kind: Kind,
    table: &'t Table,
    /// The required columns' indices, in the order of [`Kind::columns`].
    req: Vec<usize>,
    survey_cols: raters::Columns,
    /// Each key seen, with the line of its first row.
    seen: HashMap<Vec<String>, usize>,
    /// Survey items that name no competency, in order of appearance.
    free: FreeItems,
}

impl FileRows<'_> {
    /// Whether `row` names its participant (files without a participant
    /// column always do); an error when it is empty.
    fn participant_given(&self, row: &Row, cells: &mut Cells) -> bool {
        let Some(&p) = self
            .kind
            .columns()
            .iter()
            .position(|c| *c == "participant")
            .map(|i| &self.req[i])
        else {
            return true;
        };
        let (v, _) = row.cell(p);
        if v.is_empty() {
            cells.err(
                Code::InvalidValue,
                "the participant is empty".into(),
                (row, p),
                Some("give each row the participant's pseudonym (any id that is the same in every file)".into()),
            );
            return false;
        }
        true
    }

    /// Whether `row` repeats the key of an earlier row; an error naming
    /// the first when it does.
    fn repeated(&mut self, row: &Row, cells: &mut Cells) -> bool {
        let mut key: Vec<(&str, usize)> = self
            .kind
            .key()
            .iter()
            .filter_map(|&c| Some((c, self.table.column(c)?)))
            .collect();
        if key.is_empty() {
            return false;
        }
        if self.kind == Kind::Survey {
            key.extend(self.survey_cols.key(row, &self.req));
        }
        let k: Vec<String> = key
            .iter()
            .map(|&(_, c)| row.cell(c).0.to_string())
            .collect();
        let Some(first) = self.seen.insert(k.clone(), row.line_no) else {
            return false;
        };
        let names: Vec<String> = key
            .iter()
            .map(|(c, _)| c)
            .zip(&k)
            .map(|(c, v)| format!("{c} `{v}`"))
            .collect();
        cells.diags.push(
            Diagnostic::error(
                Code::DuplicateRow,
                format!(
                    "a second row for {} (the first is on line {first})",
                    names.join(", ")
                ),
                Loc::Span(cells.file, row.line.clone()),
            )
            .with_label(format!("same key as line {first}"))
            .with_hint("keep one of the two rows"),
        );
        self.seen.insert(k, first);
        true
    }
}
