//! Google Forms, "Download responses (.csv)": one header row whose first
//! column is `Timestamp` (then `Email Address`, `Email address` or
//! `Username` when the form collects them), one column per question, and a
//! grid question as one column per row, `Question [Row]` — a `match` may
//! name the row alone. Sources: advent-of-code-surveys CONTRIBUTING.md,
//! google-sheet-format-form-grid-responses DEMONSTRATION.md
//! (`docs/import-layouts.md` §1).

use super::layout::{find, one_row, BadHeader, Layout};
use crate::import::sheet::Grid;

const META: &[&str] = &["timestamp", "email address", "username", "score"];

pub(super) fn recognise(rows: &[Vec<String>]) -> bool {
    rows.first()
        .and_then(|r| r.first())
        .is_some_and(|c| c == "timestamp")
}

pub(super) fn layout(grid: &Grid) -> Result<Layout, BadHeader> {
    let mut l = one_row(grid, 0, META);
    for c in &mut l.columns {
        // The row of a grid question: after the last ` [`, before `]`.
        let row = c
            .name
            .strip_suffix(']')
            .and_then(|h| h.rsplit_once(" ["))
            .map(|(_, row)| row.to_string());
        if let Some(row) = row {
            c.add(&row);
        }
    }
    l.submitted = find(&l, &["timestamp"]);
    Ok(l)
}
