//! Required drivers (FORMAT.md v1.2): the enablers of the evaluation plan
//! with a `status` — how many are in place, and the `overdue-driver`
//! warning for one past its `due` date that is not done.
//!
//! "Past due" is judged against today's date: the clock's, or
//! `PLAYBOOK_TODAY` (YYYY-MM-DD) when it is set, so that checks can be
//! repeated on any day. Today's date only decides warnings: no page or
//! export shows it, so that two builds of one playbook stay identical.

use chrono::NaiveDate;

use crate::diagnostics::{Code, Diagnostic, Loc};
use crate::graph::Program;
use crate::model::DriverStatus;
use crate::yaml::YamlPath;

/// The environment variable that sets today's date.
pub(crate) const TODAY_VAR: &str = "PLAYBOOK_TODAY";

/// Today's date: `PLAYBOOK_TODAY` when set, else the clock's (UTC). An
/// error when the variable holds no date.
pub(crate) fn today() -> Result<NaiveDate, Box<Diagnostic>> {
    match std::env::var(TODAY_VAR) {
        Ok(v) => NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| {
            Box::new(Diagnostic::error(
                Code::InvalidValue,
                format!("{TODAY_VAR} is `{v}`, not a date"),
                Loc::None,
            )
            .with_hint(
                "set it to a date as YYYY-MM-DD, e.g. 2026-04-01, or unset it to use the clock's",
            ))
        }),
        Err(_) => Ok(chrono::Utc::now().date_naive()),
    }
}

/// How many of a program's drivers are in place (`status: done`) out of
/// all its enablers; None when no enabler has a status or a due date.
pub(crate) fn in_place(p: &Program) -> Option<(usize, usize)> {
    if p.enablers
        .iter()
        .all(|e| e.status.is_none() && e.due.is_none())
    {
        return None;
    }
    let done = p
        .enablers
        .iter()
        .filter(|e| e.status == Some(DriverStatus::Done))
        .count();
    Some((done, p.enablers.len()))
}

/// "2 of 3 drivers in place".
pub(crate) fn in_place_text((done, all): (usize, usize)) -> String {
    let all = crate::render::format::plural(all, "driver", "drivers");
    format!("{done} of {all} in place")
}

/// An `overdue-driver` warning for each enabler of `programs` past its
/// `due` date (before `today`) that is not done; the error of a bad
/// `PLAYBOOK_TODAY` instead of any.
pub(crate) fn check<'a>(programs: impl IntoIterator<Item = &'a Program>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let today = match today() {
        Ok(t) => t,
        Err(e) => return vec![*e],
    };
    for p in programs {
        overdue(p, today, &mut diags);
    }
    diags
}

/// The `overdue-driver` warnings of one program on `today`.
pub(crate) fn overdue(p: &Program, today: NaiveDate, diags: &mut Vec<Diagnostic>) {
    let Some(file) = p.files.alignment[crate::layout::AlignmentFile::Evaluation] else {
        return;
    };
    for (i, e) in p.enablers.iter().enumerate() {
        let Some(due) = e.due.filter(|d| *d < today) else {
            continue;
        };
        let is = match e.status {
            Some(DriverStatus::Done) => continue,
            Some(s) => format!("is {}", s.label()),
            None => "has no status".to_string(),
        };
        diags.push(
            Diagnostic::warning(
                Code::OverdueDriver,
                format!("the driver `{}` was due on {due} and {is}", e.id),
                Loc::Yaml(
                    file,
                    0,
                    YamlPath::root().key("enablers").index(i).key("due"),
                ),
            )
            .with_hint(
                "give it `status: done` (and its `evidence`) once it is in place, or agree a new `due` date with its owner",
            ),
        );
    }
}
