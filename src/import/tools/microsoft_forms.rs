//! Microsoft Forms, "Open results in Excel": one header row with the fixed
//! columns `ID`, `Start time`, `Completion time`, `Email`, `Name` (and
//! `Last modified time` in newer forms; quizzes add points and feedback
//! columns), then one column per question — a Likert question as one
//! column per statement, headed by the statement alone. `Email` holds
//! `anonymous` in anonymous forms. Sources: mattbriggs/KWIC stoplist.py,
//! the Tech Community thread on Likert exports (`docs/import-layouts.md` §2).

use super::layout::{find, norm, one_row, starts, BadHeader, Layout};
use crate::import::sheet::Grid;

const META: &[&str] = &[
    "id",
    "start time",
    "completion time",
    "email",
    "name",
    "last modified time",
    "total points",
    "quiz feedback",
    "開始時刻",
    "完了時刻",
    "メール",
    "名前",
];

pub(super) fn recognise(rows: &[Vec<String>]) -> bool {
    let first = rows.first();
    starts(first, &["id", "start time", "completion time"])
        || starts(first, &["id", "開始時刻", "完了時刻"])
}

pub(super) fn layout(grid: &Grid) -> Result<Layout, BadHeader> {
    let mut l = one_row(grid, 0, META);
    for c in &mut l.columns {
        let n = norm(&c.name);
        if n.starts_with("points - ") || n.starts_with("feedback - ") {
            c.meta = true;
        }
    }
    l.response_id = find(&l, &["id"]);
    l.submitted = find(&l, &["completion time", "完了時刻"]);
    Ok(l)
}
