//! The curriculum as its pages show it: sessions grouped by module and
//! week (a dated session without a week in the week of its date), and
//! contact hours per kind of session.

use chrono::{Days, NaiveDate};

use crate::graph::{Instrument, Program, Session};
use crate::model::SessionKind;
use crate::model::When;

use super::super::format;
use super::{HoursView, ModuleGroup, SessionView, WeekGroup};

/// Where the curriculum lists a session.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Placed {
    Week(u32),
    /// Dated before the program starts.
    Before,
    /// Neither a week nor a date.
    Unscheduled,
}

/// A session's week: its `week`, else the week its date falls in, counted
/// from the program start (or, without one, from the first dated
/// session).
fn placement(p: &Program, s: &Session) -> Placed {
    if let Some(w) = s.week {
        return Placed::Week(w);
    }
    let Some(d) = s.date else {
        return Placed::Unscheduled;
    };
    let Some(start) = p
        .start
        .or_else(|| p.sessions.iter().filter_map(|s| s.date).min())
    else {
        return Placed::Unscheduled;
    };
    let days = d.signed_duration_since(start).num_days();
    // A date is at most 104 weeks after the start (resolve checks it).
    match u32::try_from(days / 7 + 1) {
        Ok(w) if days >= 0 => Placed::Week(w),
        _ => Placed::Before,
    }
}

/// Curriculum grouping: module (in order of first appearance), then week
/// (a session's `week`, else the week its date falls in; "Before week 1"
/// and "Unscheduled" for the others).
pub(crate) fn modules(p: &Program, sessions: &[SessionView]) -> Vec<ModuleGroup> {
    let mut modules: Vec<ModuleGroup> = Vec::new();
    let mut last: Option<Placed> = None;
    for (s, g) in sessions.iter().zip(&p.sessions) {
        if modules.last().is_none_or(|m| m.name != s.module) {
            modules.push(ModuleGroup {
                name: s.module.clone(),
                weeks: Vec::new(),
            });
            last = None;
        }
        let m = modules.last_mut().expect("pushed above");
        let placed = placement(p, g);
        if last != Some(placed) {
            let (week, label) = match placed {
                Placed::Week(w) => (Some(w), format!("Week {w}")),
                Placed::Before => (None, "Before week 1".to_string()),
                Placed::Unscheduled => (None, "Unscheduled".to_string()),
            };
            m.weeks.push(WeekGroup {
                week,
                label,
                sessions: Vec::new(),
            });
            last = Some(placed);
        }
        // Without its headings, comments and neighbours: a week's list
        // links sessions, and each would be more template values (a
        // program of 10,000 sessions holds its views twice).
        m.weeks
            .last_mut()
            .expect("pushed above")
            .sessions
            .push(SessionView {
                headings: Vec::new(),
                feedback: Vec::new(),
                prev: None,
                next: None,
                ..s.clone()
            });
    }
    modules
}

/// Contact hours per session kind, and the total in minutes.
pub(crate) fn hours(p: &Program) -> (Vec<HoursView>, u32) {
    let mut hours = Vec::new();
    let mut total = 0;
    for &k in SessionKind::ALL {
        let ss: Vec<&Session> = p.sessions.iter().filter(|s| s.kind == k).collect();
        if ss.is_empty() {
            continue;
        }
        let mins: u32 = ss.iter().filter_map(|s| s.duration).sum();
        total += mins;
        hours.push(HoursView {
            kind: k.as_str(),
            label: k.label(),
            sessions: ss.len(),
            hours: format::hours(mins),
        });
    }
    (hours, total)
}

/// The week a session is listed under: its `week`, else the week its date
/// falls in, if any.
pub(crate) fn week(p: &Program, s: &Session) -> Option<u32> {
    match placement(p, s) {
        Placed::Week(w) => Some(w),
        _ => None,
    }
}

/// A follow-up of the program (`follow_up:` in program.yaml): its days
/// after the last dated session, its date, and the instruments used
/// `when: [follow-up]`.
pub(crate) struct FollowUp<'a> {
    pub days: u32,
    pub date: NaiveDate,
    pub instruments: Vec<&'a Instrument>,
}

impl FollowUp<'_> {
    /// "Follow-up: Manager observation, 360 survey".
    pub(crate) fn title(&self) -> String {
        let names: Vec<&str> = self.instruments.iter().map(|i| i.name.as_str()).collect();
        match names.is_empty() {
            true => "Follow-up".to_string(),
            false => format!("Follow-up: {}", names.join(", ")),
        }
    }
}

/// The program's follow-ups, in order of date; none without a dated
/// session.
pub(crate) fn follow_ups(p: &Program) -> Vec<FollowUp<'_>> {
    let Some(last) = p.sessions.iter().filter_map(|s| s.date).max() else {
        return Vec::new();
    };
    let instruments: Vec<&Instrument> = p
        .instruments
        .iter()
        .filter(|i| i.when.contains(&When::FollowUp))
        .collect();
    let mut days = p.follow_up.clone();
    days.sort_unstable();
    days.dedup();
    days.into_iter()
        .filter_map(|d| {
            Some(FollowUp {
                days: d,
                date: last.checked_add_days(Days::new(u64::from(d)))?,
                instruments: instruments.clone(),
            })
        })
        .collect()
}
