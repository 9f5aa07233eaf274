//! A plain table: a sheet someone typed or reshaped, or any export no
//! other rule recognises. One header row — the first row, or the first
//! with two or more cells when only single-cell title rows stand above it
//! — then one row per response.

use super::layout::{find, one_row, BadHeader, Layout};
use crate::import::sheet::Grid;

/// Columns that are no question in a hand-made sheet.
const META: &[&str] = &[
    "name",
    "first name",
    "last name",
    "full name",
    "submitted",
    "submitted at",
    "timestamp",
    "date",
    "id",
];

pub(super) fn layout(grid: &Grid) -> Result<Layout, BadHeader> {
    let filled = |i: usize| grid.rows[i].cells.iter().filter(|c| !c.is_empty()).count();
    let wide = (0..grid.rows.len().min(10)).find(|&i| filled(i) >= 2);
    let header = match wide {
        Some(i) if (0..i).all(|j| filled(j) == 1) => i,
        _ => 0,
    };
    let mut l = one_row(grid, header, META);
    l.response_id = find(&l, &["response id", "responseid", "respondent id", "id"]);
    l.submitted = find(
        &l,
        &[
            "submitted",
            "submitted at",
            "submit date",
            "timestamp",
            "completion time",
            "end date",
            "recorded date",
            "date",
        ],
    );
    Ok(l)
}
