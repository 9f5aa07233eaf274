//! Editions: the facilitator edition (the default) is the whole playbook;
//! the participant edition (`--edition participant`) is what a client may
//! host for its participants. It leaves out facilitator-only sessions
//! (`audience: facilitator`), `facilitator` blocks (at render), files
//! participants' text does not refer to, the facilitator guide and the
//! traceability page (a printable participant workbook takes the guide's
//! place), and — unless `participant.results` — the measured results and
//! feedback on facilitator-only sessions even then.
//!
//! This module owns what each edition shows ([`Shows`]) and makes the
//! participant edition's graph of a program: the facilitator-only sessions
//! taken out and every reference to a session renumbered, so that views,
//! pages, exports and the search index built from it cannot show them.

use std::collections::HashSet;

use crate::graph::{EntityRef, Ix, Program, Results, Session, Target, Text};
use crate::kinds::Section;

pub(crate) use crate::markdown::Edition;

/// What one edition of a site shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Shows {
    pub edition: Edition,
    /// The measured results: always in the facilitator edition, in the
    /// participant edition when `playbook.yaml` says `participant:
    /// results: true`.
    pub results: bool,
    /// Others' survey figures need this many distinct raters
    /// (`min_raters` of playbook.yaml).
    pub min_raters: u32,
}

impl Default for Shows {
    fn default() -> Self {
        Shows {
            edition: Edition::default(),
            results: false,
            min_raters: crate::config::DEFAULT_MIN_RATERS,
        }
    }
}

impl Shows {
    /// `edition`, for a site whose participant edition shows results when
    /// `participant_results`.
    pub(crate) fn new(edition: Edition, participant_results: bool) -> Self {
        Shows {
            edition,
            results: edition == Edition::Facilitator || participant_results,
            min_raters: crate::config::DEFAULT_MIN_RATERS,
        }
    }

    /// With others' figures needing `n` distinct raters.
    pub(crate) fn with_min_raters(self, n: u32) -> Self {
        Shows {
            min_raters: n.max(1),
            ..self
        }
    }

    pub(crate) fn participant(self) -> bool {
        self.edition == Edition::Participant
    }

    /// Whether the edition has the section page `s`.
    pub(crate) fn section(self, s: Section) -> bool {
        match s {
            Section::Traceability | Section::Guide => !self.participant(),
            Section::Workbook => self.participant(),
            Section::Results | Section::Impact => self.results,
            _ => true,
        }
    }

    /// The section pages of a program in this edition, in navigation order.
    pub(crate) fn sections(self) -> impl Iterator<Item = Section> {
        Section::ALL.into_iter().filter(move |&s| self.section(s))
    }

    /// The word templates see as `site.edition`.
    pub(crate) fn name(self) -> &'static str {
        match self.edition {
            Edition::Facilitator => "facilitator",
            Edition::Participant => "participant",
        }
    }
}

/// Every markdown text of a program, each with whether it belongs to a
/// facilitator-only session.
fn texts(p: &mut Program) -> Vec<(&mut Text, bool)> {
    let mut out: Vec<&mut Text> = Vec::new();
    out.extend(p.summary.as_mut());
    out.extend(p.question.as_mut());
    out.extend(p.goal.statement.as_mut());
    out.extend(p.goal.measure.as_mut());
    for v in &mut p.values {
        out.extend(v.description.as_mut());
    }
    for c in &mut p.competencies {
        out.extend(c.description.as_mut());
        out.extend(c.behaviors.iter_mut());
    }
    for a in &mut p.actions {
        out.push(&mut a.action);
        out.extend(a.information.iter_mut());
        for b in &mut a.barriers {
            out.push(&mut b.text);
            out.extend(b.remedy.as_mut());
        }
    }
    for x in &mut p.practices {
        out.push(&mut x.scenario);
    }
    for s in &mut p.signals {
        out.push(&mut s.signal);
    }
    for e in &mut p.enablers {
        out.push(&mut e.enabler);
    }
    let mut out: Vec<(&mut Text, bool)> = out.into_iter().map(|t| (t, false)).collect();
    for s in &mut p.sessions {
        let only = s.facilitator_only();
        out.push((&mut s.body, only));
        out.extend(s.purpose.as_mut().map(|t| (t, only)));
    }
    out
}

/// The program `p` as its participant edition shows it: without its
/// facilitator-only sessions (references to them dropped, the others
/// renumbered), with only the files under `sessions/` that participants'
/// text refers to, and without its measured results unless `results`.
pub(crate) fn participant_program(p: &Program, results: bool) -> Program {
    let mut q = p.clone();
    // Only files that what participants see refers to (a markdown link or
    // image, or raw HTML): not one only facilitators' text refers to, nor
    // one nothing refers to (the analysis cannot say whose it is).
    let mut seen = HashSet::new();
    for (t, only) in texts(&mut q) {
        if only {
            continue;
        }
        for (l, &block) in t.links.iter().zip(&t.facilitator) {
            if let (Target::Asset(path), false) = (l, block) {
                seen.insert(path.split('#').next().unwrap_or(path).to_string());
            }
        }
        for (file, block) in &t.raw_assets {
            if !block {
                seen.insert(file.clone());
            }
        }
    }
    q.assets.retain(|a| seen.contains(a));

    // Renumber the sessions that stay.
    let new_index: Vec<Option<usize>> = {
        let mut next = 0;
        p.sessions
            .iter()
            .map(|s| {
                (!s.facilitator_only()).then(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect()
    };
    let map = |ix: &Ix<Session>| new_index[ix.index()].map(Ix::new);
    let list = |v: &mut Vec<Ix<Session>>| *v = v.iter().filter_map(map).collect();
    q.sessions.retain(|s| !s.facilitator_only());
    for s in &mut q.sessions {
        list(&mut s.requires);
        list(&mut s.required_by);
        s.headings.retain(|h| !h.facilitator);
    }
    for c in &mut q.competencies {
        list(&mut c.sessions);
    }
    for a in &mut q.actions {
        list(&mut a.sessions);
    }
    for x in &mut q.practices {
        list(&mut x.sessions);
    }
    for m in &mut q.metrics {
        list(&mut m.sessions);
    }
    for i in &mut q.instruments {
        list(&mut i.sessions);
    }
    for (t, _) in texts(&mut q) {
        for l in &mut t.links {
            if let Target::Entity(EntityRef::Session(ix), _) = l {
                match map(ix) {
                    Some(n) => *ix = n,
                    // Only facilitators' text links there: it is not shown.
                    None => *l = Target::Broken(String::new()),
                }
            }
        }
    }
    q.results = participant_results(&p.results, results, &map);
    for c in &mut q.cohorts {
        c.results = participant_results(&c.results, results, &map);
    }
    q
}

/// Results as the participant edition shows them: none unless `shown`;
/// else without what is about facilitator-only sessions, the others
/// renumbered by `map`.
fn participant_results(
    r: &Results,
    shown: bool,
    map: &dyn Fn(&Ix<Session>) -> Option<Ix<Session>>,
) -> Results {
    if !shown {
        return Results::default();
    }
    let mut r = r.clone();
    r.attendance = r
        .attendance
        .into_iter()
        .filter_map(|(ix, a)| map(&ix).map(|n| (n, a)))
        .collect();
    r.ratings = r
        .ratings
        .into_iter()
        .filter_map(|(ix, v)| map(&ix).map(|n| (n, v)))
        .collect();
    // Feedback on a facilitator-only session is about what this
    // edition leaves out: it goes with it, whatever else it is tied to.
    r.feedback.retain_mut(|f| match f.session {
        Some(s) => map(&s).map(|n| f.session = Some(n)).is_some(),
        None => true,
    });
    r
}
