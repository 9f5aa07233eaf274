//! Typeform, "Download all responses": one header row whose first column
//! is `#` (the response token), one column per question (texts may keep
//! HTML such as `<strong>` and line breaks), hidden fields such as `email`
//! headed by their name, and trailing metadata: `Start Date (UTC)`,
//! `Submit Date (UTC)`, `Network ID` (older exports), with `Response
//! Type`, `Stage Date (UTC)`, `Tags` and `Ending` in newer ones. Sources:
//! public exports of 2018–2025 (`docs/import-layouts.md` §5).

use super::layout::{find, one_row, BadHeader, Layout};
use crate::import::sheet::Grid;

const META: &[&str] = &[
    "#",
    "response type",
    "start date (utc)",
    "stage date (utc)",
    "submit date (utc)",
    "network id",
    "tags",
    "ending",
];

pub(super) fn recognise(rows: &[Vec<String>]) -> bool {
    let Some(first) = rows.first() else {
        return false;
    };
    let has = |n: &str| first.iter().any(|c| c == n);
    first.first().is_some_and(|c| c == "#")
        && (has("submit date (utc)") || (has("start date (utc)") && has("network id")))
}

pub(super) fn layout(grid: &Grid) -> Result<Layout, BadHeader> {
    let mut l = one_row(grid, 0, META);
    for c in &mut l.columns {
        if c.name.contains('<') {
            let text = strip_tags(&c.name);
            c.add(&text);
        }
    }
    l.response_id = find(&l, &["#"]);
    l.submitted = find(&l, &["submit date (utc)"]);
    Ok(l)
}

/// `s` without HTML tags.
fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn tags_are_stripped() {
        assert_eq!(
            super::strip_tags("<strong>Are you</strong> ok?"),
            "Are you ok?"
        );
    }
}
