//! A results CSV as import rewrites it: read whole (header, rows, the line
//! of each row), the rows of one import *scope* — the value of its
//! `import` column, such as `survey pre self` — replaced by new ones in
//! place, and written back. Rows of other scopes and rows written by hand
//! (an empty `import` cell) are kept as they are; the new rows take the
//! place of the rows they replace, so importing the same export again
//! gives the same bytes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Loc};

/// The provenance column import adds to each results file it writes.
pub(super) const IMPORT: &str = "import";

/// A results file, read.
pub(super) struct ResultsCsv {
    /// Relative to the site root, for messages.
    pub rel: String,
    pub path: PathBuf,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The line each row starts on.
    pub lines: Vec<usize>,
    /// The file's bytes as read (None when it did not exist).
    pub original: Option<Vec<u8>>,
}

/// How a scope's rows changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Change {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// A new row as column → value.
pub(super) type NewRow = Vec<(&'static str, String)>;

impl ResultsCsv {
    /// Read `path` (`rel` in messages); a missing or empty file is a file
    /// with the header `columns`. An existing file must name `required`.
    pub(super) fn read(
        path: &Path,
        rel: &str,
        columns: &[&str],
        required: &[&str],
    ) -> Result<Self, Box<Diagnostic>> {
        let mut file = ResultsCsv {
            rel: rel.to_string(),
            path: path.to_path_buf(),
            header: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
            lines: Vec::new(),
            original: None,
        };
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(file),
            Err(e) => {
                return Err(Box::new(Diagnostic::error(
                    Code::IoError,
                    format!("cannot read {rel}: {e}"),
                    Loc::Path(rel.into()),
                )))
            }
        };
        let bad = |msg: String| {
            Box::new(
                Diagnostic::error(Code::CsvSyntax, msg, Loc::Path(rel.into())).with_hint(
                    "fix the file first (`playbook check` shows where), then import again",
                ),
            )
        };
        let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
            .map_err(|_| bad(format!("{rel} is not UTF-8 text")))?;
        file.original = Some(bytes.clone());
        if text.trim().is_empty() {
            return Ok(file);
        }
        let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        file.header = rdr
            .headers()
            .map_err(|e| bad(format!("{rel} cannot be read: {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        for c in required {
            if file.col(c).is_none() {
                return Err(Box::new(
                    Diagnostic::error(
                        Code::MissingColumn,
                        format!("{rel} has no column `{c}`"),
                        Loc::Path(rel.into()),
                    )
                    .with_hint(format!("its header row must name: {}", required.join(", "))),
                ));
            }
        }
        let (mut counted_to, mut line) = (0, 1);
        for rec in rdr.records() {
            let rec = rec.map_err(|e| bad(format!("{rel} cannot be read: {e}")))?;
            let mut start = rec
                .position()
                .map_or(0, |p| p.byte() as usize)
                .min(text.len());
            while text
                .as_bytes()
                .get(start)
                .is_some_and(|b| *b == b'\r' || *b == b'\n')
            {
                start += 1;
            }
            line += text.as_bytes()[counted_to..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            counted_to = start;
            file.lines.push(line);
            file.rows.push(rec.iter().map(str::to_string).collect());
        }
        Ok(file)
    }

    /// The index of column `name` (any case).
    pub(super) fn col(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }

    /// The index of column `name`, added when missing.
    fn ensure(&mut self, name: &str) -> usize {
        self.col(name).unwrap_or_else(|| {
            self.header.push(name.to_string());
            self.header.len() - 1
        })
    }

    /// Cell `c` of row `r` (trimmed; empty when the row is short).
    pub(super) fn cell(&self, r: usize, c: Option<usize>) -> &str {
        c.and_then(|c| self.rows[r].get(c)).map_or("", |s| s.trim())
    }

    /// The rows of `scope`.
    pub(super) fn in_scope<'a>(&'a self, scope: &'a str) -> impl Iterator<Item = usize> + 'a {
        let c = self.col(IMPORT);
        (0..self.rows.len()).filter(move |&r| c.is_some() && self.cell(r, c) == scope)
    }

    /// Replace the rows of `scope` with `new` (columns added to the header
    /// as needed). `key` names the columns that make a row's key: a new
    /// row whose key a kept row has is a conflict, reported with the kept
    /// row's line; nothing changes then.
    pub(super) fn replace(
        &mut self,
        scope: &str,
        new: Vec<NewRow>,
        key: &[&str],
    ) -> Result<Change, Vec<Diagnostic>> {
        let import = self.ensure(IMPORT);
        // Each column name's index, found once.
        let mut index: Vec<(&'static str, usize)> = Vec::new();
        for row in &new {
            for (name, _) in row {
                if !index.iter().any(|(n, _)| std::ptr::eq(*n, *name)) {
                    index.push((name, self.ensure(name)));
                }
            }
        }
        let width = self.header.len();
        let new_rows: Vec<Vec<String>> = new
            .into_iter()
            .map(|row| {
                let mut cells = vec![String::new(); width];
                for (name, value) in row {
                    if let Some((_, c)) = index.iter().find(|(n, _)| std::ptr::eq(*n, name)) {
                        cells[*c] = value;
                    }
                }
                cells[import] = scope.to_string();
                cells
            })
            .collect();
        let key_cols: Vec<usize> = key.iter().filter_map(|k| self.col(k)).collect();
        let key_of = |row| key_of(&key_cols, row);
        let old: Vec<usize> = self.in_scope(scope).collect();
        let mut replaced = vec![false; self.rows.len()];
        for &r in &old {
            replaced[r] = true;
        }
        // Conflicts with rows that stay.
        if !key_cols.is_empty() {
            let kept: HashMap<Vec<&str>, usize> = (0..self.rows.len())
                .filter(|&r| !replaced[r])
                .map(|r| (key_of(&self.rows[r]), r))
                .collect();
            let mut conflicts = Vec::new();
            for row in &new_rows {
                let k = key_of(row);
                if let Some(&r) = kept.get(&k) {
                    conflicts.push(self.conflict(r, key, &k, import));
                    if conflicts.len() >= 10 {
                        break;
                    }
                }
            }
            if !conflicts.is_empty() {
                return Err(conflicts);
            }
        }
        let change = {
            let old_rows: Vec<&Vec<String>> = old.iter().map(|&r| &self.rows[r]).collect();
            diff(&old_rows, &new_rows, &key_cols)
        };
        let at = old.first().map_or(self.rows.len(), |&first| first);
        let total = self.rows.len() - old.len() + new_rows.len();
        let (mut rows, mut lines) = (Vec::with_capacity(total), Vec::with_capacity(total));
        let mut new_rows = Some(new_rows);
        let mut insert = |rows: &mut Vec<Vec<String>>, lines: &mut Vec<usize>| {
            if let Some(n) = new_rows.take() {
                lines.extend(std::iter::repeat_n(0, n.len()));
                rows.extend(n);
            }
        };
        for (r, row) in std::mem::take(&mut self.rows).into_iter().enumerate() {
            if r == at {
                insert(&mut rows, &mut lines);
            }
            if !replaced[r] {
                rows.push(row);
                lines.push(self.lines[r]);
            }
        }
        insert(&mut rows, &mut lines);
        self.rows = rows;
        self.lines = lines;
        Ok(change)
    }

    /// The error for a new row whose key `k` kept row `r` has.
    fn conflict(&self, r: usize, key: &[&str], k: &[&str], import: usize) -> Diagnostic {
        let by = match self.cell(r, Some(import)) {
            "" => "written by hand".to_string(),
            s => format!("written by `import {s}`"),
        };
        let what: Vec<String> = key
            .iter()
            .zip(k)
            .filter(|(name, v)| **name != "participant" && !v.is_empty())
            .map(|(name, v)| format!("{name} `{v}`"))
            .collect();
        Diagnostic::error(
            Code::ImportConflict,
            format!(
                "{} line {} has a row for the same participant{}{} ({by}): importing would make two",
                self.rel,
                self.lines[r],
                if what.is_empty() { "" } else { ", " },
                what.join(", ")
            ),
            Loc::Path(self.rel.clone()),
        )
        .with_hint("remove that row, or import into its scope (the same --phase, --rater, --items, --date or --session)")
    }

    /// The file's text: header and rows, LF line ends, fields quoted only
    /// when they need it.
    pub(super) fn bytes(&self) -> std::io::Result<Vec<u8>> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let width = self.header.len();
        w.write_record(&self.header)?;
        for row in &self.rows {
            let pad = width.saturating_sub(row.len());
            let cells = row.iter().map(String::as_str).take(width);
            w.write_record(cells.chain(std::iter::repeat_n("", pad)))?;
        }
        w.into_inner().map_err(|e| e.into_error())
    }

    /// The file's new bytes, when they differ from what was read (an
    /// error, never an empty file, should the CSV writer fail).
    pub(super) fn changed_bytes(&self) -> std::io::Result<Option<Vec<u8>>> {
        let bytes = self.bytes()?;
        Ok((self.original.as_deref() != Some(&bytes[..])).then_some(bytes))
    }
}

/// The values of `row` in the columns `cols`, trimmed.
fn key_of<'r>(cols: &[usize], row: &'r [String]) -> Vec<&'r str> {
    cols.iter()
        .map(|&c| row.get(c).map_or("", |s| s.trim()))
        .collect()
}

/// How `old` rows became `new` ones: by their key (the columns `key`)
/// when rows have one, else as whole rows.
fn diff<'a>(old: &[&'a Vec<String>], new: &'a [Vec<String>], key: &[usize]) -> Change {
    let mut c = Change::default();
    let id = |r: &'a Vec<String>| -> Vec<&'a str> {
        if key.is_empty() {
            r.iter().map(String::as_str).collect()
        } else {
            key_of(key, r)
        }
    };
    let mut before: HashMap<Vec<&str>, Vec<&Vec<String>>> = HashMap::new();
    for &r in old {
        before.entry(id(r)).or_default().push(r);
    }
    for r in new {
        match before.get_mut(&id(r)).and_then(Vec::pop) {
            Some(o) if o == r => c.unchanged += 1,
            Some(_) => c.changed += 1,
            None => c.added += 1,
        }
    }
    c.removed = before.values().map(Vec::len).sum();
    c
}
