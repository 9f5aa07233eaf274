//! What every tool's reader produces: the [`Layout`] of an export (its
//! header rows, its columns and what each one matches), shared by the
//! readers of `tools/` and the detection in `tools/mod.rs`.

use crate::import::sheet::Grid;

/// A tool whose export layout playbook reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Tool {
    GoogleForms,
    MicrosoftForms,
    Qualtrics,
    #[value(name = "surveymonkey")]
    SurveyMonkey,
    Typeform,
    /// A plain table: one header row (title rows above it are skipped).
    Csv,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::GoogleForms => "google-forms",
            Tool::MicrosoftForms => "microsoft-forms",
            Tool::Qualtrics => "qualtrics",
            Tool::SurveyMonkey => "surveymonkey",
            Tool::Typeform => "typeform",
            Tool::Csv => "plain",
        }
    }
}

/// One column of the export.
#[derive(Debug, Clone, Default)]
pub(crate) struct Column {
    /// Its header as shown in messages (the question text where the tool
    /// has several header rows).
    pub name: String,
    /// What a `match` or a participant column name is compared with,
    /// normalised ([`norm`]): each header row's text, each line of it, and
    /// the parts a tool joins into one header (a grid's `[row]`, a
    /// Qualtrics matrix statement after ` - `, a SurveyMonkey matrix row).
    pub texts: Vec<String>,
    /// A column the tool adds to every export (times, ids, addresses),
    /// never a question.
    pub meta: bool,
}

/// How an export's columns and rows are laid out.
#[derive(Debug)]
pub(crate) struct Layout {
    pub tool: Tool,
    /// Index (in the grid's rows) of the first response.
    pub data_from: usize,
    /// Index of the header row (the first of several).
    pub header_at: usize,
    pub columns: Vec<Column>,
    /// The column of the tool's response id, if it has one.
    pub response_id: Option<usize>,
    /// The column of the time a response was submitted, if known.
    pub submitted: Option<usize>,
}

/// Why a header cannot be read: at which row (grid index) and column.
#[derive(Debug)]
pub(crate) struct BadHeader {
    pub row: usize,
    pub col: Option<usize>,
    pub message: String,
    pub hint: String,
}

/// Text as `match` entries and column names compare: white space runs
/// made one space, trimmed, lower case.
pub(crate) fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A column whose texts are `header` itself and each of its lines.
pub(crate) fn column(header: &str, meta: bool) -> Column {
    let mut c = Column {
        name: header.trim().to_string(),
        meta,
        ..Column::default()
    };
    c.add(header);
    c
}

impl Column {
    /// Add `text` (and each of its lines) to what the column matches.
    pub(crate) fn add(&mut self, text: &str) {
        let mut push = |t: String| {
            if !t.is_empty() && !self.texts.contains(&t) {
                self.texts.push(t);
            }
        };
        push(norm(text));
        if text.contains('\n') {
            for line in text.lines() {
                push(norm(line));
            }
        }
    }

    /// Whether a text of the column is `m` (normalised).
    pub(crate) fn is(&self, m: &str) -> bool {
        self.texts.iter().any(|t| t == m)
    }

    /// Whether a text of the column starts with `m` (normalised).
    pub(crate) fn starts_with(&self, m: &str) -> bool {
        self.texts.iter().any(|t| t.starts_with(m))
    }
}

/// Whether `row` starts with `names` (normalised).
pub(super) fn starts(row: Option<&Vec<String>>, names: &[&str]) -> bool {
    row.is_some_and(|r| {
        names
            .iter()
            .enumerate()
            .all(|(i, n)| r.get(i).is_some_and(|c| c == n))
    })
}

/// A one-row layout from header row `at`: each column named by its cell;
/// `meta` says which names (normalised) are the tool's own columns.
pub(super) fn one_row(grid: &Grid, at: usize, meta: &[&str]) -> Layout {
    let header = grid.rows.get(at).map_or(&[][..], |r| &r.cells[..]);
    let columns = header
        .iter()
        .map(|h| column(h, meta.contains(&norm(h).as_str())))
        .collect();
    Layout {
        tool: Tool::Csv,
        data_from: at + 1,
        header_at: at,
        columns,
        response_id: None,
        submitted: None,
    }
}

/// The index of the column named `name` (normalised), if any.
pub(super) fn find(layout: &Layout, names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|n| layout.columns.iter().position(|c| c.is(n)))
}
