//! Qualtrics, "Export data → CSV": three header rows — export tags
//! (`StartDate`, …, `ResponseId`, `RecipientEmail`, …, `Q1_1`), question
//! texts (a matrix statement as `Question - Statement`; localised labels
//! for the metadata), and import ids as JSON (`{"ImportId":"QID1_1"}`).
//! A `match` may name the tag, the text or the statement. Exports whose
//! rows 2–3 (or 3) were deleted keep row 1's tags and are read with one
//! (or two) header rows. Sources: the Qualtrics support page
//! "Understanding your dataset", ropensci/qualtRics sample.csv,
//! tutorial-preserving-survey (`docs/import-layouts.md` §3).

use super::layout::{column, find, norm, starts, BadHeader, Layout, Tool};
use crate::import::sheet::Grid;

const META: &[&str] = &[
    "startdate",
    "enddate",
    "status",
    "ipaddress",
    "progress",
    "duration (in seconds)",
    "finished",
    "recordeddate",
    "responseid",
    "recipientlastname",
    "recipientfirstname",
    "recipientemail",
    "externalreference",
    "locationlatitude",
    "locationlongitude",
    "distributionchannel",
    "userlanguage",
];

/// Whether a cell is a row-3 import id: JSON with the key `ImportId`.
fn is_import_id(cell: &str) -> bool {
    cell.trim_start().starts_with('{')
        && serde_json::from_str::<serde_json::Value>(cell)
            .is_ok_and(|v| v.get("ImportId").is_some())
}

pub(super) fn recognise(rows: &[Vec<String>]) -> bool {
    rows.get(2)
        .is_some_and(|r| r.iter().any(|c| c.starts_with("{\"importid\"")))
        || (starts(rows.first(), &["startdate", "enddate"])
            && rows[0].iter().any(|c| c == "responseid"))
}

pub(super) fn layout(grid: &Grid) -> Result<Layout, BadHeader> {
    let row = |i: usize| grid.rows.get(i).map_or(&[][..], |r| &r.cells[..]);
    let tags = row(0);
    let id_col = tags.iter().position(|t| norm(t) == "responseid");
    let header_rows = if row(2).iter().any(|c| is_import_id(c)) {
        3
    } else if id_col
        .is_some_and(|c| norm(row(1).get(c).map_or("", String::as_str)) == "response id")
    {
        2
    } else {
        1
    };
    let texts = if header_rows >= 2 { row(1) } else { &[] };
    let width = tags.len().max(texts.len());
    let columns = (0..width)
        .map(|i| {
            let tag = tags.get(i).map_or("", String::as_str);
            let text = texts.get(i).map_or("", String::as_str);
            let mut c = column(tag, META.contains(&norm(tag).as_str()));
            if !text.is_empty() {
                c.name = text.trim().to_string();
                c.add(text);
                if let Some((_, statement)) = text.split_once(" - ") {
                    c.add(statement);
                }
            }
            c
        })
        .collect();
    let mut l = Layout {
        tool: Tool::Qualtrics,
        data_from: header_rows,
        header_at: 0,
        columns,
        response_id: None,
        submitted: None,
    };
    l.response_id = find(&l, &["responseid"]);
    l.submitted = find(&l, &["recordeddate", "enddate"]);
    Ok(l)
}
