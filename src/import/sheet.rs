//! An export as a grid of text cells: a CSV (decoded by [`super::decode`])
//! or one sheet of a workbook (XLSX, and the other formats `calamine`
//! reads). Cells are trimmed; empty trailing cells and wholly empty rows
//! (the formatted-but-empty range Excel saves) are dropped, while each
//! row keeps its number as a spreadsheet shows it, so that a problem is
//! reported at the row (and column) or cell the user sees. Workbook dates
//! become `YYYY-MM-DD HH:MM:SS` text, numbers their shortest decimal form.

use std::io::Cursor;

use calamine::{Data, Reader};
use chrono::{NaiveDate, NaiveDateTime};

use super::decode::{self, Encoding};

/// One non-empty row of the export.
#[derive(Debug, Clone)]
pub(crate) struct GridRow {
    /// 1-based: the record's number in a CSV, the row number in a sheet.
    pub number: usize,
    /// The CSV line the record starts on (0 in a workbook).
    pub line: usize,
    pub cells: Vec<String>,
}

impl GridRow {
    /// Cell `i`, empty when the row is shorter.
    pub(crate) fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", String::as_str)
    }
}

/// Where the grid came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Format {
    Csv {
        encoding: Encoding,
        delimiter: u8,
    },
    /// A workbook's sheet; `sheets` is how many the workbook has.
    Workbook {
        sheet: String,
        sheets: usize,
        /// The absolute index of the grid's first column.
        first_column: usize,
    },
}

/// The export, read.
#[derive(Debug)]
pub(crate) struct Grid {
    pub rows: Vec<GridRow>,
    pub format: Format,
}

/// Why an export cannot be read; `usage` when an option must change
/// (`--sheet`), not the file.
#[derive(Debug)]
pub(crate) struct Unreadable {
    pub message: String,
    pub hint: String,
    pub usage: bool,
}

fn unreadable(message: String, hint: &str) -> Unreadable {
    Unreadable {
        message,
        hint: hint.into(),
        usage: false,
    }
}

/// Read an export's bytes: a workbook when they are a ZIP or OLE file, a
/// CSV otherwise. `sheet` chooses a workbook's sheet.
pub(crate) fn read(bytes: &[u8], sheet: Option<&str>) -> Result<Grid, Unreadable> {
    let workbook = bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0");
    if workbook {
        return read_workbook(bytes, sheet);
    }
    if let Some(s) = sheet {
        return Err(Unreadable {
            message: format!(
                "--sheet {s} was given, but the export is a CSV file, which has no sheets"
            ),
            hint: "leave out --sheet for a CSV export".into(),
            usage: true,
        });
    }
    let d = decode::decode(bytes).map_err(|m| {
        unreadable(
            m,
            "export it again from the survey tool as CSV or XLSX, or in Excel save it as \"CSV UTF-8 (Comma delimited)\"",
        )
    })?;
    read_csv(&d.text, d.encoding, d.delimiter)
}

/// A CSV text as a grid.
pub(crate) fn read_csv(text: &str, encoding: Encoding, delimiter: u8) -> Result<Grid, Unreadable> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Line numbers, counted on from record to record.
    let (mut counted_to, mut line) = (0, 1);
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            unreadable(
                format!("the CSV cannot be read at line {line}: {e}"),
                "export it again; a quote opened in a cell must be closed (a quote inside a cell is written \"\")",
            )
        })?;
        let mut start = rec
            .position()
            .map_or(0, |p| p.byte() as usize)
            .min(text.len());
        // The reader may place a record at the line break before it.
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
        push_row(&mut rows, i + 1, line, rec.iter().map(str::to_string));
    }
    if has_unclosed_quote(text) {
        let line = rows.last().map_or(1, |r| r.line);
        return Err(unreadable(
            format!("a quote opened on line {line} is never closed: the rest of the file would be one cell"),
            "export it again, or close the quoted cell with \" (a quote inside a cell is written \"\")",
        ));
    }
    Ok(Grid {
        rows,
        format: Format::Csv {
            encoding,
            delimiter,
        },
    })
}

/// Whether a quote opens a field and is never closed.
fn has_unclosed_quote(text: &str) -> bool {
    text.bytes().filter(|b| *b == b'"').count() % 2 == 1
}

/// Add a row with its cells trimmed and empty trailing cells dropped,
/// unless every cell is empty.
fn push_row(
    rows: &mut Vec<GridRow>,
    number: usize,
    line: usize,
    cells: impl Iterator<Item = String>,
) {
    let mut cells: Vec<String> = cells
        .map(|c| {
            let t = c.trim();
            if t.len() == c.len() {
                c
            } else {
                t.to_string()
            }
        })
        .collect();
    while cells.last().is_some_and(String::is_empty) {
        cells.pop();
    }
    if !cells.is_empty() {
        rows.push(GridRow {
            number,
            line,
            cells,
        });
    }
}

fn read_workbook(bytes: &[u8], sheet: Option<&str>) -> Result<Grid, Unreadable> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        unreadable(
            format!("the workbook cannot be read: {e}"),
            "open it in Excel and save it again as .xlsx, or export it from the survey tool again",
        )
    })?;
    let names = book.sheet_names();
    let listed = names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut ranges = Vec::new();
    for name in &names {
        if sheet.is_some_and(|s| s != name) {
            continue;
        }
        let range = book.worksheet_range(name).map_err(|e| {
            unreadable(
                format!("the sheet `{name}` cannot be read: {e}"),
                "open the workbook in Excel and save it again as .xlsx",
            )
        })?;
        ranges.push((name.clone(), range));
    }
    let (name, range) = match (sheet, ranges.len()) {
        (Some(s), 0) => {
            let hint = crate::suggest::hint(s, names.iter().map(String::as_str))
                .unwrap_or_else(|| format!("its sheets are {listed}"));
            return Err(Unreadable {
                message: format!("the workbook has no sheet `{s}`"),
                hint,
                usage: true,
            });
        }
        (Some(_), _) => ranges.remove(0),
        (None, _) => {
            // Sheets with a table: at least two rows of two cells.
            let mut tables: Vec<_> = ranges
                .into_iter()
                .filter(|(_, r)| {
                    r.rows()
                        .filter(|row| row.iter().filter(|c| **c != Data::Empty).count() >= 2)
                        .count()
                        >= 2
                })
                .collect();
            match tables.len() {
                0 => {
                    return Err(unreadable(
                        "the workbook holds no table (no sheet has a header row and a response)"
                            .into(),
                        "export the responses again from the survey tool",
                    ))
                }
                1 => tables.remove(0),
                _ => {
                    let with: Vec<String> = tables.iter().map(|(n, _)| format!("`{n}`")).collect();
                    return Err(Unreadable {
                        message: format!(
                            "the workbook has {} sheets with responses: {}",
                            tables.len(),
                            with.join(", ")
                        ),
                        hint: format!("choose one with --sheet, e.g. --sheet \"{}\"", tables[0].0),
                        usage: true,
                    });
                }
            }
        }
    };
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        push_row(
            &mut rows,
            row0 as usize + i + 1,
            0,
            row.iter().map(cell_text),
        );
    }
    Ok(Grid {
        rows,
        format: Format::Workbook {
            sheet: name,
            sheets: names.len(),
            first_column: col0 as usize,
        },
    })
}

/// A workbook cell as text.
fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(d) if d.is_datetime() => {
            serial_datetime(d.as_f64()).map_or_else(|| number_text(d.as_f64()), datetime_text)
        }
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// A number in its shortest form: `4`, not `4.0`.
pub(crate) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// A date and time as text: the date alone at midnight.
pub(crate) fn datetime_text(d: NaiveDateTime) -> String {
    if d.time() == chrono::NaiveTime::MIN {
        d.format("%Y-%m-%d").to_string()
    } else {
        d.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// An Excel serial date (days since 1899-12-30, the fraction the time of
/// day; Excel counts a 29 February 1900 that never was, so serials below
/// 60 count from 1899-12-31), to the second. None outside 1900–9999.
pub(crate) fn serial_datetime(serial: f64) -> Option<NaiveDateTime> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = if serial < 60.0 {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    let days = serial.floor();
    let secs = ((serial - days) * 86_400.0).round() as i64;
    let start = epoch.and_hms_opt(0, 0, 0)?;
    start
        .checked_add_signed(chrono::Duration::days(days as i64))?
        .checked_add_signed(chrono::Duration::seconds(secs))
}

/// A column's letters: 0 → `A`, 26 → `AA`.
pub(crate) fn column_letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.iter().rev().map(|&b| char::from(b)).collect()
}

impl Grid {
    /// Where cell `col` of `row` is, for messages: `row 7` (with its line
    /// when a cell above broke lines) or `cell D7`, with the sheet when the
    /// workbook has several. `header` names the column.
    pub(crate) fn at(&self, row: &GridRow, col: Option<usize>, header: Option<&str>) -> String {
        let column = match (header, col) {
            (Some(h), _) => Some(format!(", column `{}`", shown_header(h))),
            (None, Some(c)) => Some(format!(", column {}", c + 1)),
            (None, None) => None,
        };
        match &self.format {
            Format::Csv { .. } => {
                let line = if row.line != row.number && row.line > 0 {
                    format!(" (line {})", row.line)
                } else {
                    String::new()
                };
                format!("row {}{line}{}", row.number, column.unwrap_or_default())
            }
            Format::Workbook {
                sheet,
                sheets,
                first_column,
            } => {
                let sheet = if *sheets > 1 {
                    format!("sheet `{sheet}`, ")
                } else {
                    String::new()
                };
                match col {
                    Some(c) => format!(
                        "{sheet}cell {}{}{}",
                        column_letters(first_column + c),
                        row.number,
                        column
                            .map(|c| format!(" ({})", &c[2..]))
                            .unwrap_or_default()
                    ),
                    None => format!("{sheet}row {}", row.number),
                }
            }
        }
    }
}

/// A header for messages: on one line, at most 100 characters.
pub(crate) fn shown_header(h: &str) -> String {
    let one: Vec<char> = h
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    if one.len() > 100 {
        // Both ends: a grid's or matrix's row is at the end.
        let head: String = one[..44].iter().collect();
        let tail: String = one[one.len() - 55..].iter().collect();
        format!("{}…{}", head.trim_end(), tail.trim_start())
    } else {
        one.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates_are_excel_dates() {
        let d = |s| serial_datetime(s).map(datetime_text);
        assert_eq!(d(45720.378611).as_deref(), Some("2025-03-04 09:05:12"));
        assert_eq!(d(45790.0).as_deref(), Some("2025-05-13"));
        assert_eq!(d(1.0).as_deref(), Some("1900-01-01"));
        assert_eq!(d(61.0).as_deref(), Some("1900-03-01"));
        assert_eq!(d(-3.0), None);
    }

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27 * 26), "AAA");
        assert_eq!(number_text(4.0), "4");
        assert_eq!(number_text(4.5), "4.5");
    }

    #[test]
    fn trailing_empty_cells_and_rows_are_dropped() {
        let g = read_csv("a,b,,\n1,2,,\n,,,\n\" \",,\n", Encoding::Utf8, b',').unwrap();
        let cells: Vec<_> = g.rows.iter().map(|r| (r.number, r.cells.clone())).collect();
        assert_eq!(
            cells,
            [
                (1, vec!["a".into(), "b".into()]),
                (2, vec!["1".into(), "2".into()])
            ]
        );
    }
}
