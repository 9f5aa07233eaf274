//! A results CSV file as a checked table: the header row (every column
//! named once), then rows with the byte span of each field, so that a bad
//! value is reported at its cell. Parsing is the `csv` crate's; this file
//! adds what it leaves to us: spans, rows of the wrong length, a quote
//! that is never closed, an empty file.

use std::collections::HashMap;
use std::ops::Range;

use crate::diagnostics::{Code, Diagnostic, FileId, Loc};
use crate::suggest::suggest;

/// One data row.
pub(crate) struct Row {
    /// The row's first line, for messages about the whole row.
    pub line: Range<usize>,
    /// Its 1-based line number.
    pub line_no: usize,
    pub fields: Vec<String>,
    /// Each field's span (a quoted field's with its quotes; the row's line
    /// for an empty field).
    pub spans: Vec<Range<usize>>,
}

impl Row {
    /// Field `i` (trimmed) and its span.
    pub(crate) fn cell(&self, i: usize) -> (&str, Range<usize>) {
        (
            self.fields.get(i).map_or("", String::as_str),
            self.spans.get(i).cloned().unwrap_or(self.line.clone()),
        )
    }
}

/// A results file, read.
pub(crate) struct Table {
    pub file: FileId,
    pub header: Vec<String>,
    pub header_span: Range<usize>,
    /// Rows that have as many fields as the header.
    pub rows: Vec<Row>,
}

impl Table {
    /// Read `text` (file `file`) whose header must name `required`;
    /// problems go to `diags`. None when there is nothing to read rows from.
    pub(crate) fn read(
        file: FileId,
        text: &str,
        required: &[&str],
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Table> {
        let err = |code, msg: String, span: Range<usize>| {
            Diagnostic::error(code, msg, Loc::Span(file, span))
        };
        if text.trim().is_empty() {
            diags.push(
                Diagnostic::error(
                    Code::EmptyFile,
                    "the results file is empty",
                    Loc::File(file),
                )
                .with_hint(format!(
                    "start it with the header row: {}",
                    required.join(",")
                )),
            );
            return None;
        }
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header_span = line_span(text, 0);
        let header: Vec<String> = match rdr.headers() {
            Ok(h) => h.iter().map(str::to_string).collect(),
            Err(e) => {
                diags.push(err(Code::CsvSyntax, e.to_string(), header_span));
                return None;
            }
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, h) in header.iter().enumerate() {
            if let Some(first) = seen.insert(h.to_ascii_lowercase(), i) {
                let spans = field_spans(text, &header_span, header.len());
                diags.push(
                    err(
                        Code::DuplicateColumn,
                        format!("the column `{h}` is named twice"),
                        spans.get(i).cloned().unwrap_or(header_span.clone()),
                    )
                    .with_label(format!("also column {}", first + 1))
                    .with_hint(
                        "rename or remove one of them: every column needs a name of its own",
                    ),
                );
                return None;
            }
        }
        // An unclosed quote makes the reader put everything after it into
        // one field of the last record: report it, and read no further.
        let unclosed = unclosed_quote(text);
        if let Some(q) = unclosed {
            diags.push(
                err(
                    Code::CsvSyntax,
                    "the quote opened here is never closed".into(),
                    q..q + 1,
                )
                .with_hint(
                    "close the quoted field with `\"` (a quote inside it is written `\"\"`)",
                ),
            );
        }
        let mut records: Vec<csv::StringRecord> = Vec::new();
        for rec in rdr.records() {
            match rec {
                Ok(r) => records.push(r),
                Err(e) => {
                    let at = e.position().map_or(0, |p| p.byte() as usize);
                    diags.push(err(Code::CsvSyntax, e.to_string(), line_span(text, at)));
                }
            }
        }
        if unclosed.is_some() {
            records.pop();
        }
        let mut rows = Vec::new();
        // Line numbers, counted on from row to row.
        let (mut counted_to, mut line_no) = (0, 1);
        for rec in records {
            let start = rec.position().map_or(0, |p| p.byte() as usize);
            let line = line_span(text, start);
            line_no += text[counted_to..line.start].matches('\n').count();
            counted_to = line.start;
            if rec.len() != header.len() {
                let why = if rec.len() < header.len() {
                    "a missing comma or value"
                } else {
                    "a stray comma (quote a value that contains one: \"a, b\")"
                };
                diags.push(
                    err(
                        Code::CsvSyntax,
                        format!(
                            "this row has {} fields, but the header has {}",
                            rec.len(),
                            header.len()
                        ),
                        line.clone(),
                    )
                    .with_hint(format!("check the row for {why}")),
                );
                continue;
            }
            rows.push(Row {
                line_no,
                spans: field_spans(text, &line, rec.len()),
                fields: rec.iter().map(str::to_string).collect(),
                line,
            });
        }
        let table = Table {
            file,
            header,
            header_span,
            rows,
        };
        table.require(required, diags).then_some(table)
    }

    /// The index of column `name` (any case).
    pub(crate) fn column(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }

    /// Whether the header names every column of `required`; each one
    /// missing is reported.
    fn require(&self, required: &[&str], diags: &mut Vec<Diagnostic>) -> bool {
        let mut ok = true;
        for &c in required {
            if self.column(c).is_some() {
                continue;
            }
            ok = false;
            let hint = match suggest(c, self.header.iter().map(String::as_str)) {
                Some(found) => format!("rename the column `{found}` to `{c}`"),
                None => format!("the header row must name: {}", required.join(", ")),
            };
            diags.push(
                Diagnostic::error(
                    Code::MissingColumn,
                    format!("missing column `{c}`"),
                    Loc::Span(self.file, self.header_span.clone()),
                )
                .with_hint(hint),
            );
        }
        ok
    }
}

/// The byte offset of a quote that opens a field and is never closed.
fn unclosed_quote(text: &str) -> Option<usize> {
    let mut open = None;
    for (i, b) in text.bytes().enumerate() {
        if b == b'"' {
            open = match open {
                None => Some(i),
                Some(_) => None,
            };
        }
    }
    open
}

/// The spans of the `n` fields of the row that starts on `line`, each
/// trimmed; a quoted field's from its opening to its closing quote (which
/// may be on a later line). An empty field, or one the row does not have,
/// is the whole line.
fn field_spans(text: &str, line: &Range<usize>, n: usize) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let end_of_field = |mut j: usize| {
        while j < b.len() && !matches!(b[j], b',' | b'\n' | b'\r') {
            j += 1;
        }
        j
    };
    let mut out = Vec::with_capacity(n);
    let mut i = line.start;
    while out.len() < n {
        let mut start = i;
        while start < b.len() && matches!(b[start], b' ' | b'\t') {
            start += 1;
        }
        let (span, next) = if b.get(start) == Some(&b'"') {
            // A quote is closed by a quote not followed by another.
            let mut j = start + 1;
            while j < b.len() {
                if b[j] == b'"' {
                    if b.get(j + 1) == Some(&b'"') {
                        j += 2;
                        continue;
                    }
                    j += 1;
                    break;
                }
                j += 1;
            }
            (start..j, end_of_field(j))
        } else {
            let j = end_of_field(start);
            let field = text[start..j].trim_end();
            (start..start + field.len(), j)
        };
        out.push(if span.is_empty() { line.clone() } else { span });
        if b.get(next) != Some(&b',') {
            break;
        }
        i = next + 1;
    }
    out.resize(n, line.clone());
    out
}

/// The line that starts at `start` (skipping a line break the CSV reader
/// counts before it, as with CRLF files).
pub(crate) fn line_span(text: &str, start: usize) -> Range<usize> {
    let mut start = start.min(text.len());
    while text[start..].starts_with(['\r', '\n']) {
        start += 1;
    }
    let end = text[start..]
        .find(['\r', '\n'])
        .map_or(text.len(), |i| start + i);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_located_in_unquoted_rows() {
        let t = "a,b , c\n";
        let spans = field_spans(t, &(0..7), 3);
        let got: Vec<&str> = spans.iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(got, ["a", "b", "c"]);
        // An empty field, or one missing, is the whole line.
        assert_eq!(
            field_spans("a,,b", &(0..4), 4),
            vec![0..1, 0..4, 3..4, 0..4]
        );
    }

    #[test]
    fn fields_are_located_in_quoted_rows() {
        let t = "x,\"a, \"\"b\"\"\" , c\n\"two\nlines\",d\n";
        let spans = field_spans(t, &line_span(t, 0), 3);
        let got: Vec<&str> = spans.iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(got, ["x", "\"a, \"\"b\"\"\"", "c"]);
        // A quoted field may hold line breaks.
        let second = line_span(t, t.find("\"two").unwrap());
        let spans = field_spans(t, &second, 2);
        let got: Vec<&str> = spans.iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(got, ["\"two\nlines\"", "d"]);
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        assert_eq!(unclosed_quote("a,\"b\",\"c\"\"d\"\n"), None);
        assert_eq!(unclosed_quote("a,\"b\nc,\"d\n"), None);
        assert_eq!(unclosed_quote("x\na,\"b,c\nd\n"), Some(4));
    }
}
