//! SurveyMonkey, "Export file → All individual responses": two header
//! rows. Row 1 names nine metadata columns (`Respondent ID`, `Collector
//! ID`, `Start Date`, `End Date`, `IP Address`, `Email Address`, `First
//! Name`, `Last Name`, `Custom Data 1`) and then each question, a matrix's
//! text standing over its first column only; row 2 is empty under the
//! metadata and names each matrix row (statement) or says `Response` /
//! `Open-Ended Response`. A `match` may name the question or the
//! statement. Source: ajturner/dc-elections 2022_anc.csv and its parser
//! (`docs/import-layouts.md` §4).

use super::layout::{column, find, norm, starts, BadHeader, Layout, Tool};
use crate::import::sheet::Grid;

const META: &[&str] = &[
    "respondent id",
    "collector id",
    "start date",
    "end date",
    "ip address",
    "email address",
    "first name",
    "last name",
    "custom data 1",
];

pub(super) fn recognise(rows: &[Vec<String>]) -> bool {
    starts(rows.first(), &["respondent id", "collector id"])
}

pub(super) fn layout(grid: &Grid) -> Result<Layout, BadHeader> {
    let row = |i: usize| grid.rows.get(i).map_or(&[][..], |r| &r.cells[..]);
    let top = row(0);
    // Row 2 is a header when it is empty under `Respondent ID`.
    let second = grid.rows.get(1).is_some_and(|r| r.cell(0).is_empty());
    let sub = if second { row(1) } else { &[] };
    let width = top.len().max(sub.len());
    let mut columns = Vec::with_capacity(width);
    let mut question = "";
    for i in 0..width {
        let own = top.get(i).map_or("", String::as_str);
        let below = sub.get(i).map_or("", String::as_str);
        let meta = META.contains(&norm(own).as_str());
        if !own.is_empty() {
            question = own;
        } else if !second {
            return Err(BadHeader {
                row: 0,
                col: Some(i),
                message: "a column has no question text and there is no second header row: was the second header row (the matrix statements) deleted?".into(),
                hint: "export the responses again from SurveyMonkey, keeping both header rows".into(),
            });
        }
        let mut c = column(question, meta);
        let generic = matches!(
            norm(below).as_str(),
            "" | "response" | "open-ended response"
        );
        if !generic {
            c.add(below);
            c.add(&format!("{question} {below}"));
            c.name = if own.is_empty() || !own.eq_ignore_ascii_case(below) {
                format!("{} – {}", question.trim(), below.trim())
            } else {
                below.trim().to_string()
            };
        }
        columns.push(c);
    }
    let mut l = Layout {
        tool: Tool::SurveyMonkey,
        data_from: if second { 2 } else { 1 },
        header_at: 0,
        columns,
        response_id: None,
        submitted: None,
    };
    l.response_id = find(&l, &["respondent id"]);
    l.submitted = find(&l, &["end date"]);
    Ok(l)
}
