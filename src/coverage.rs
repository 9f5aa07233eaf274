//! Coverage: the warnings of FORMAT.md about a playbook that is consistent
//! but incomplete — alignment that no session delivers, signals nothing
//! measures, barriers training cannot remove, outcomes nobody can observe.
//! `check --strict` turns them into errors.
//!
//! Each rule finds typed [`Gap`]s; the warnings are made from them, and so
//! is the "Coverage gaps" list of each program's traceability page.

use crate::diagnostics::{Code, Diagnostic, Loc, Reported};
use crate::graph::{Program, Text};
use crate::layout::AlignmentFile;
use crate::model::BarrierKind;
use crate::yaml::YamlPath;

/// Words that make a behaviour, action or signal unobservable when it starts with them.
const NOT_OBSERVABLE: [&str; 6] = [
    "understand",
    "know",
    "learn",
    "appreciate",
    "be aware",
    "feel",
];

/// The first forbidden word `text` starts with, if any.
pub(crate) fn unobservable_start(text: &str) -> Option<&'static str> {
    let lower = text.trim_start().to_lowercase();
    NOT_OBSERVABLE.into_iter().find(|w| lower.starts_with(w))
}

/// A coverage gap of a program.
#[derive(Debug, Clone)]
pub struct Gap {
    /// The id of the program it belongs to.
    pub program: String,
    /// What is uncovered.
    pub what: Uncovered,
    pub message: String,
    /// What to do about it.
    pub hint: String,
    /// Where it is written.
    pub loc: Loc,
}

/// What a [`Gap`] is about: one per coverage rule, with the id it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Uncovered {
    /// A competency no session covers.
    Competency(String),
    /// An action without practices.
    ActionWithoutPractice(String),
    /// An action whose practices no session uses.
    UnpracticedAction(String),
    /// A motivation or environment barrier (its index) of an action,
    /// without remedy.
    Barrier(String, usize),
    /// A signal no metric evidences.
    Signal(String),
    /// A metric no session or instrument collects.
    Metric(String),
    /// A session tied to no competency or action.
    Session(String),
    /// A behaviour, action or signal (which, and the id of its owner)
    /// that starts with a word nobody can observe.
    NotObservable(&'static str, String),
}

impl Uncovered {
    pub fn code(&self) -> Code {
        match self {
            Uncovered::Competency(_) => Code::UncoveredCompetency,
            Uncovered::ActionWithoutPractice(_) => Code::ActionWithoutPractice,
            Uncovered::UnpracticedAction(_) => Code::UnpracticedAction,
            Uncovered::Barrier(..) => Code::BarrierWithoutRemedy,
            Uncovered::Signal(_) => Code::UnevidencedSignal,
            Uncovered::Metric(_) => Code::UncollectedMetric,
            Uncovered::Session(_) => Code::UntiedSession,
            Uncovered::NotObservable(..) => Code::NotObservable,
        }
    }
}

impl Gap {
    /// The warning about it.
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::warning(self.what.code(), self.message.clone(), self.loc.clone())
            .with_hint(self.hint.clone())
    }
}

/// A gap with its warning (position resolved), as a program's traceability
/// page lists it.
#[derive(Debug, Clone)]
pub struct Placed {
    pub gap: Gap,
    pub reported: Reported,
}

/// Each program's gaps, by program id, in the order of their warnings.
pub(crate) type Gaps = std::collections::HashMap<String, Vec<Placed>>;

/// Pair `gaps` with their warnings (`reported[i]` is the warning of
/// `gaps[i]`), in the order warnings are sorted in, repeats dropped.
pub(crate) fn place(gaps: Vec<Gap>, reported: Vec<Reported>) -> Vec<Placed> {
    let mut placed: Vec<Placed> = gaps
        .into_iter()
        .zip(reported)
        .map(|(gap, reported)| Placed { gap, reported })
        .collect();
    placed.sort_by(|a, b| crate::diagnostics::order(&a.reported, &b.reported));
    placed.dedup_by(|a, b| crate::diagnostics::same(&a.reported, &b.reported));
    placed
}

/// Every coverage gap of a program (none while some file of it could not
/// be read: they would only repeat that).
pub(crate) fn check(p: &Program) -> Vec<Gap> {
    if p.files.incomplete {
        return Vec::new();
    }
    let mut gaps = Vec::new();
    let rules: [fn(&Program, &mut Vec<Gap>); 8] = [
        uncovered_competencies,
        unobservable,
        actions_without_practice,
        unpracticed_actions,
        barriers_without_remedy,
        unevidenced_signals,
        uncollected_metrics,
        untied_sessions,
    ];
    for rule in rules {
        rule(p, &mut gaps);
    }
    gaps
}

/// Where in alignment file `f` (of [`ProgramFiles::alignment`]) `path` is.
///
/// [`ProgramFiles::alignment`]: crate::graph::ProgramFiles::alignment
fn at(f: Option<usize>, path: YamlPath) -> Loc {
    match f {
        Some(f) => Loc::Yaml(f, 0, path),
        None => Loc::None,
    }
}

fn gap(p: &Program, what: Uncovered, message: String, hint: impl Into<String>, loc: Loc) -> Gap {
    Gap {
        program: p.id.clone(),
        what,
        message,
        hint: hint.into(),
        loc,
    }
}

fn uncovered_competencies(p: &Program, gaps: &mut Vec<Gap>) {
    let file = p.files.alignment[AlignmentFile::Competencies];
    for (i, c) in p.competencies.iter().enumerate() {
        if c.sessions.is_empty() {
            gaps.push(gap(
                p,
                Uncovered::Competency(c.id.clone()),
                format!("competency `{}` is covered by no session", c.id),
                format!(
                    "add `{}` to the `competencies` of a session that builds it",
                    c.id
                ),
                at(
                    file,
                    YamlPath::root().key("competencies").index(i).key("id"),
                ),
            ));
        }
    }
}

/// Behaviours, actions and signals that start with a word nobody can
/// observe ("understands", "knows", …).
fn unobservable(p: &Program, gaps: &mut Vec<Gap>) {
    let a = p.files.alignment;
    let (comp_f, act_f, eval_f) = (
        a[AlignmentFile::Competencies],
        a[AlignmentFile::ActionMap],
        a[AlignmentFile::Evaluation],
    );
    let root = YamlPath::root();
    let mut texts: Vec<(&Text, &'static str, &str, Loc)> = Vec::new();
    for (i, c) in p.competencies.iter().enumerate() {
        let cp = root.key("competencies").index(i);
        for (j, b) in c.behaviors.iter().enumerate() {
            let loc = at(comp_f, cp.key("behaviors").index(j));
            texts.push((b, "behaviour", &c.id, loc));
        }
    }
    for (i, a) in p.actions.iter().enumerate() {
        let loc = at(act_f, root.key("actions").index(i).key("action"));
        texts.push((&a.action, "action", &a.id, loc));
    }
    for (i, s) in p.signals.iter().enumerate() {
        let loc = at(eval_f, root.key("signals").index(i).key("signal"));
        texts.push((&s.signal, "signal", &s.id, loc));
    }
    for (t, what, id, loc) in texts {
        if let Some(w) = unobservable_start(&t.src) {
            gaps.push(gap(
                p,
                Uncovered::NotObservable(what, id.to_string()),
                format!("{what} is not observable: it starts with \"{w}\""),
                "describe what someone would see the person do, e.g. \"Asks …\", \"Agrees …\", \"Re-plans …\"",
                loc,
            ));
        }
    }
}

fn actions_without_practice(p: &Program, gaps: &mut Vec<Gap>) {
    for (i, a) in p.actions.iter().enumerate() {
        if a.practices.is_empty() {
            gaps.push(gap(
                p,
                Uncovered::ActionWithoutPractice(a.id.clone()),
                format!("action `{}` has no practice", a.id),
                "add a realistic practice scenario under `practices`",
                at(p.files.alignment[AlignmentFile::ActionMap], action_id(i)),
            ));
        }
    }
}

fn unpracticed_actions(p: &Program, gaps: &mut Vec<Gap>) {
    for (i, a) in p.actions.iter().enumerate() {
        if !a.practices.is_empty() && a.practices.iter().all(|&pr| p[pr].sessions.is_empty()) {
            gaps.push(gap(
                p,
                Uncovered::UnpracticedAction(a.id.clone()),
                format!("no session uses the practices of action `{}`", a.id),
                format!(
                    "list `{}` in the `practices` of a session",
                    p[a.practices[0]].id
                ),
                at(p.files.alignment[AlignmentFile::ActionMap], action_id(i)),
            ));
        }
    }
}

fn action_id(i: usize) -> YamlPath {
    YamlPath::root().key("actions").index(i).key("id")
}

fn barriers_without_remedy(p: &Program, gaps: &mut Vec<Gap>) {
    for (i, a) in p.actions.iter().enumerate() {
        for (j, b) in a.barriers.iter().enumerate() {
            if matches!(b.kind, BarrierKind::Motivation | BarrierKind::Environment)
                && b.remedy.is_none()
            {
                let path = YamlPath::root().key("actions").index(i);
                gaps.push(gap(
                    p,
                    Uncovered::Barrier(a.id.clone(), j),
                    format!(
                        "{} barrier of action `{}` has no remedy",
                        b.kind.as_str(),
                        a.id
                    ),
                    "training alone does not remove it: add a `remedy` the organization will put in place",
                    at(p.files.alignment[AlignmentFile::ActionMap], path.key("barriers").index(j).key("kind")),
                ));
            }
        }
    }
}

fn unevidenced_signals(p: &Program, gaps: &mut Vec<Gap>) {
    for (i, s) in p.signals.iter().enumerate() {
        if s.metrics.is_empty() {
            gaps.push(gap(
                p,
                Uncovered::Signal(s.id.clone()),
                format!("signal `{}` is evidenced by no metric", s.id),
                format!("add `{}` to the `signals` of a metric", s.id),
                at(
                    p.files.alignment[AlignmentFile::Evaluation],
                    YamlPath::root().key("signals").index(i).key("id"),
                ),
            ));
        }
    }
}

fn uncollected_metrics(p: &Program, gaps: &mut Vec<Gap>) {
    for (i, m) in p.metrics.iter().enumerate() {
        if m.sessions.is_empty() && m.instrument.is_none() {
            gaps.push(gap(
                p,
                Uncovered::Metric(m.id.clone()),
                format!("metric `{}` is collected by no session or instrument", m.id),
                "give it an `instrument`, or list it in the `metrics` of a session",
                at(
                    p.files.alignment[AlignmentFile::Metrics],
                    YamlPath::root().key("metrics").index(i).key("id"),
                ),
            ));
        }
    }
}

fn untied_sessions(p: &Program, gaps: &mut Vec<Gap>) {
    for s in &p.sessions {
        if s.competencies.is_empty() && s.actions.is_empty() {
            gaps.push(gap(
                p,
                Uncovered::Session(s.id.clone()),
                format!("session `{}` is tied to no competency or action", s.id),
                "list the `competencies` or `actions` this session builds",
                Loc::Yaml(s.file, s.front_matter, YamlPath::root().key("title")),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::unobservable_start;

    #[test]
    fn observable_words() {
        assert_eq!(
            unobservable_start("Understands priorities"),
            Some("understand")
        );
        assert_eq!(unobservable_start("Knows the plan"), Some("know"));
        assert_eq!(unobservable_start("Be aware of risk"), Some("be aware"));
        assert_eq!(unobservable_start("Knowledgeable"), Some("know"));
        assert_eq!(unobservable_start("Feels calm"), Some("feel"));
        assert_eq!(unobservable_start("Asks for help early"), None);
        assert_eq!(unobservable_start("Learner-led review"), Some("learn"));
    }
}
