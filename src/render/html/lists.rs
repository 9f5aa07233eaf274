//! The facilitator guide's `guide[]` and the participant workbook's
//! `workbook[]`, made from the program's own list of sessions in the
//! shared context (`program.sessions`, each as listed) by moving it there
//! and adding each session's guide (and scenarios), then moving it back:
//! a program of many sessions is held as template values once, not twice.

use serde_json::{Map, Value};
use tera::Context;

use super::super::view::build::ProgramBuild;
use super::super::view::PracticeView;

/// What [`lend`] took from the context, to give back.
pub(super) struct Lent {
    key: &'static str,
    added: &'static [&'static str],
}

/// Move `program.sessions` of `context` to `key` (`guide` or, with the
/// scenarios of each session, `workbook`), each session with its
/// `body_html`. Nothing is lent when the context has no such list.
pub(super) fn lend(
    context: &mut Context,
    b: &ProgramBuild,
    workbook: bool,
) -> tera::Result<Option<Lent>> {
    let Some(mut program) = context.remove("program") else {
        return Ok(None);
    };
    let sessions = match program.as_object_mut().and_then(|o| o.remove("sessions")) {
        Some(Value::Array(sessions)) if sessions.len() == b.guide_bodies.len() => sessions,
        other => {
            // Not the list this page expects: put everything back as it was.
            if let (Some(o), Some(s)) = (program.as_object_mut(), other) {
                o.insert("sessions".into(), s);
            }
            put(context, [("program", program)])?;
            return Ok(None);
        }
    };
    let mut list = Vec::with_capacity(sessions.len());
    for (i, mut s) in sessions.into_iter().enumerate() {
        if let Some(o) = s.as_object_mut() {
            o.insert("body_html".into(), Value::String(b.guide_bodies[i].clone()));
            if workbook {
                o.insert("scenarios".into(), serde_json::to_value(scenarios(b, i))?);
            }
        }
        list.push(s);
    }
    let (key, added): (&'static str, &'static [&'static str]) = match workbook {
        true => ("workbook", &["body_html", "scenarios"]),
        false => ("guide", &["body_html"]),
    };
    put(context, [("program", program), (key, Value::Array(list))])?;
    Ok(Some(Lent { key, added }))
}

/// Move the list back to `program.sessions`, as it was.
pub(super) fn give_back(context: &mut Context, lent: Lent) -> tera::Result<()> {
    let list = context.remove(lent.key);
    let Some(mut program) = context.remove("program") else {
        return Ok(());
    };
    if let (Some(o), Some(Value::Array(mut sessions))) = (program.as_object_mut(), list) {
        for s in sessions.iter_mut().filter_map(Value::as_object_mut) {
            for k in lent.added {
                s.remove(*k);
            }
        }
        o.insert("sessions".into(), Value::Array(sessions));
    }
    put(context, [("program", program)])
}

/// The practice views session `i` uses, as the workbook shows them.
fn scenarios(b: &ProgramBuild, i: usize) -> Vec<&PracticeView> {
    b.view.sessions[i]
        .practices
        .iter()
        .filter_map(|l| b.view.practices.iter().find(|p| p.id == l.id))
        .collect()
}

/// Add variables to `context`, moved rather than copied.
fn put<const N: usize>(context: &mut Context, vars: [(&str, Value); N]) -> tera::Result<()> {
    let map: Map<String, Value> = vars.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    context.extend(Context::from_value(Value::Object(map))?);
    Ok(())
}
