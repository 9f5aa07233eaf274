//! The cells of a results file as diagnostics see them: errors and
//! warnings labelled with their column, ids and numbers read from a cell
//! (exactly, within bounds), and the survey items that name no
//! competency, warned of when they look like a slip.

use std::collections::HashMap;
use std::ops::Range;

use rust_decimal::Decimal;

use crate::diagnostics::{Code, Diagnostic, FileId, Loc};
use crate::suggest::{did_you_mean, folded, hint, same_but_case, slip_of};

use super::number::{decimal, number_syntax};
use super::table::Row;

/// Survey scores beyond this (either side) are taken for typing errors.
pub(crate) const MAX_SCORE: i64 = 1_000_000;
/// Observed values beyond this (either side) are taken for typing errors.
pub(crate) const MAX_OBSERVED: i64 = 1_000_000_000_000;

/// `-max..=max` as decimals.
pub(super) fn within(max: i64) -> (Decimal, Decimal) {
    (Decimal::from(-max), Decimal::from(max))
}

/// Reports problems of one results file at their cells.
pub(super) struct Cells<'d> {
    pub(super) file: FileId,
    /// The header row, to name each cell's column.
    pub(super) header: &'d [String],
    /// See [`super::Ids::unread`].
    pub(super) unread: &'d [&'d str],
    pub(super) diags: &'d mut Vec<Diagnostic>,
}

impl Cells<'_> {
    /// An error at `row`'s cell `col`, labelled with the column's name.
    pub(super) fn err(
        &mut self,
        code: Code,
        msg: String,
        (row, col): (&Row, usize),
        hint: Option<String>,
    ) {
        let d = Diagnostic::error(code, msg, Loc::Span(self.file, row.cell(col).1));
        self.push(d, col, hint);
    }

    /// A warning at `span`, a cell of column `col`.
    pub(super) fn warn(
        &mut self,
        code: Code,
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
    pub(super) fn entity<T: Copy>(
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
            Code::UnknownReference,
            format!("unknown {what} `{s}`"),
            (row, col),
            Some(hint),
        );
        None
    }

    /// A number in `row`'s cell `col` (`what` names it in messages), within
    /// `lo..=hi` (`range` says so in the hint), read exactly ([`decimal`]).
    pub(super) fn number(
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
                Code::OutOfRange,
                format!("{what} {v} is out of range"),
                (row, col),
                Some(range.to_string()),
            );
        } else {
            self.err(
                Code::MalformedNumber,
                format!("{what} `{v}` is not a number"),
                (row, col),
                None,
            );
        }
        None
    }
}

/// The survey items that name no competency: free text, or a slip of a
/// competency id or of another item — which would count apart and lose
/// their pairs without a word.
#[derive(Default)]
pub(super) struct FreeItems {
    /// Each item with its first line and cell, and its number of rows.
    items: Vec<(String, usize, Range<usize>, usize)>,
    index: HashMap<String, usize>,
}

impl FreeItems {
    pub(super) fn saw(&mut self, item: &str, line: usize, span: Range<usize>) {
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
    pub(super) fn report<T>(&self, competencies: &HashMap<&str, T>, cells: &mut Cells, col: usize) {
        // The first item of each folded spelling: an item differs from an
        // earlier one only in case when its spelling's first is earlier
        // (items are distinct), found once per item, not by a scan of
        // every item before it.
        let mut first: HashMap<String, usize> = HashMap::new();
        for (i, o) in self.items.iter().enumerate() {
            first.entry(folded(&o.0)).or_insert(i);
        }
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
            } else if let Some((other, line, _, _)) = first
                .get(&folded(item))
                .filter(|&&j| j < i && same_but_case(item, &self.items[j].0))
                .map(|&j| &self.items[j])
            {
                (
                    format!("the survey item `{item}` differs from `{other}` (line {line}) only in case or separators: {rows}"),
                    other.clone(),
                )
            } else {
                continue;
            };
            cells.warn(
                Code::SimilarItem,
                msg,
                (span.clone(), col),
                did_you_mean(Some(hint)),
            );
        }
    }
}
