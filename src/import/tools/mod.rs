//! Survey tools: which one wrote an export, and how its header rows name
//! the columns. One file per tool says how to recognise its layout and
//! read its header (`docs/import-layouts.md` has the sources); this file
//! holds what they share — the [`Layout`] they produce, the order in which
//! they are tried, and reading a response's time.
//!
//! Rules are applied to the first rows of the grid, compared without case
//! and surrounding spaces; the first that matches wins, `--tool` overrides.

mod google_forms;
mod layout;
mod microsoft_forms;
mod plain;
mod qualtrics;
mod surveymonkey;
mod typeform;

use chrono::NaiveDateTime;

use super::sheet::{serial_datetime, Grid, GridRow};

pub(crate) use layout::{norm, BadHeader, Layout, Tool};

/// The normalised cells of the first `n` rows of the grid.
fn head(grid: &Grid, n: usize) -> Vec<Vec<String>> {
    grid.rows
        .iter()
        .take(n)
        .map(|r| r.cells.iter().map(|c| norm(c)).collect())
        .collect()
}

/// The tool that wrote the grid, by the rules of `docs/import-layouts.md`.
pub(crate) fn detect(grid: &Grid) -> Tool {
    let rows = head(grid, 3);
    if qualtrics::recognise(&rows) {
        Tool::Qualtrics
    } else if surveymonkey::recognise(&rows) {
        Tool::SurveyMonkey
    } else if microsoft_forms::recognise(&rows) {
        Tool::MicrosoftForms
    } else if typeform::recognise(&rows) {
        Tool::Typeform
    } else if google_forms::recognise(&rows) {
        Tool::GoogleForms
    } else {
        Tool::Csv
    }
}

/// The layout of `grid`, written by `tool`.
pub(crate) fn layout(grid: &Grid, tool: Tool) -> Result<Layout, BadHeader> {
    let mut layout = match tool {
        Tool::Qualtrics => qualtrics::layout(grid),
        Tool::SurveyMonkey => surveymonkey::layout(grid),
        Tool::MicrosoftForms => microsoft_forms::layout(grid),
        Tool::Typeform => typeform::layout(grid),
        Tool::GoogleForms => google_forms::layout(grid),
        Tool::Csv => plain::layout(grid),
    }?;
    layout.tool = tool;
    check_header(grid, &layout)?;
    Ok(layout)
}

/// A header row that is a response in fact: it holds an e-mail address,
/// or only numbers and dates — the export's header row is missing.
fn check_header(grid: &Grid, layout: &Layout) -> Result<(), BadHeader> {
    let Some(row) = grid.rows.get(layout.header_at) else {
        return Ok(());
    };
    let address = row.cells.iter().position(|c| looks_like_address(c));
    let all_values = row
        .cells
        .iter()
        .filter(|c| !c.is_empty())
        .all(|c| c.parse::<f64>().is_ok() || parse_when(c).is_some());
    if address.is_some() || all_values {
        let why = if address.is_some() {
            "holds an e-mail address"
        } else {
            "holds only numbers and dates"
        };
        return Err(BadHeader {
            row: layout.header_at,
            col: address,
            message: format!("the header row is missing: the first row {why}, so it is a response, not the questions"),
            hint: "export the responses again with their header row (the question texts), or add it above the first response".into(),
        });
    }
    Ok(())
}

/// Whether a cell looks like an e-mail address.
pub(crate) fn looks_like_address(c: &str) -> bool {
    let c = c.trim();
    match c.split_once('@') {
        Some((user, host)) => {
            !user.is_empty() && host.contains('.') && !c.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// When a response was submitted, from the tools' ways of writing it:
/// ISO (`2025-03-04 09:02:41`, Qualtrics, Typeform, workbooks), Google
/// Forms (`2025/03/04 9:02:41 AM GMT+1`), an Excel serial date
/// (`45720.378611`). Month-first dates (`3/4/25 9:02`) only where the tool
/// is known to write them ([`parse_us`]).
pub(crate) fn parse_when(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S%.fZ",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0);
    }
    // Google Forms: the owner's offset after the time.
    let local = s.split(" GMT").next().unwrap_or(s);
    if let Ok(d) = NaiveDateTime::parse_from_str(local, "%Y/%m/%d %I:%M:%S %p") {
        return Some(d);
    }
    if let Ok(d) = NaiveDateTime::parse_from_str(local, "%Y/%m/%d %H:%M:%S") {
        return Some(d);
    }
    match s.parse::<f64>() {
        // Serial dates from 1954 to 2119: a plausible survey's time.
        Ok(x) if (20_000.0..80_000.0).contains(&x) => serial_datetime(x),
        _ => None,
    }
}

/// [`parse_when`], and month-first US dates as Microsoft Forms and
/// SurveyMonkey write them (`7/27/26 19:06:23`, `3/4/25 8:59`).
pub(crate) fn parse_us(s: &str) -> Option<NaiveDateTime> {
    parse_when(s).or_else(|| {
        [
            "%m/%d/%y %H:%M:%S",
            "%m/%d/%y %H:%M",
            "%m/%d/%Y %H:%M:%S",
            "%m/%d/%Y %H:%M",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s.trim(), f).ok())
    })
}

/// When `row` was submitted, per the layout's tool.
pub(crate) fn submitted(layout: &Layout, row: &GridRow) -> Option<NaiveDateTime> {
    let cell = row.cell(layout.submitted?);
    match layout.tool {
        Tool::MicrosoftForms | Tool::SurveyMonkey => parse_us(cell),
        _ => parse_when(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::layout::column;
    use super::*;

    #[test]
    fn times_are_read_as_each_tool_writes_them() {
        let t = |s| parse_when(s).map(|d| d.to_string());
        assert_eq!(
            t("2025/03/04 9:02:41 AM GMT+1").as_deref(),
            Some("2025-03-04 09:02:41")
        );
        assert_eq!(
            t("2025/05/13 4:01:09 PM GMT+2").as_deref(),
            Some("2025-05-13 16:01:09")
        );
        assert_eq!(
            t("2025-03-04 08:59:09").as_deref(),
            Some("2025-03-04 08:59:09")
        );
        assert_eq!(t("45790.667465").as_deref(), Some("2025-05-13 16:01:09"));
        assert_eq!(
            t("3/4/25 8:59"),
            None,
            "month-first only where the tool writes it"
        );
        assert_eq!(
            parse_us("3/4/25 8:59").map(|d| d.to_string()).as_deref(),
            Some("2025-03-04 08:59:00")
        );
        assert_eq!(t("4"), None);
    }

    #[test]
    fn columns_match_each_line_of_their_header() {
        let c = column(
            "How much do you agree?\nI hand over whole  workstreams ",
            false,
        );
        assert!(c.is("i hand over whole workstreams"));
        assert!(c.starts_with("how much do you agree? i hand"));
        assert!(looks_like_address(" a.b@example.org "));
        assert!(!looks_like_address("Email Address") && !looks_like_address("@x"));
    }
}
