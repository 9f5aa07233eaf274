//! Coverage: the warnings of FORMAT.md about a playbook that is consistent
//! but incomplete — alignment that no session delivers, signals nothing
//! measures, barriers training cannot remove, outcomes nobody can observe.
//! `check --strict` turns them into errors.

use crate::diagnostics::{Code, Diagnostic, Loc};
use crate::graph::{Program, Text};
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
pub fn unobservable_start(text: &str) -> Option<&'static str> {
    let lower = text.trim_start().to_lowercase();
    NOT_OBSERVABLE.into_iter().find(|w| lower.starts_with(w))
}

/// Report every coverage gap of a program.
pub fn check(p: &Program, diags: &mut Vec<Diagnostic>) {
    if p.files.incomplete {
        return;
    }
    let root = YamlPath::root();
    let [comp_f, act_f, eval_f, met_f] = p.files.alignment;
    let at = |f: Option<usize>, path: YamlPath| match f {
        Some(f) => Loc::Yaml(f, 0, path),
        None => Loc::None,
    };
    let observable = |t: &Text, what: &str, loc: Loc, diags: &mut Vec<Diagnostic>| {
        if let Some(w) = unobservable_start(&t.src) {
            diags.push(
                Diagnostic::warning(
                    Code::NotObservable,
                    format!("{what} is not observable: it starts with \"{w}\""),
                    loc,
                )
                .with_hint("describe what someone would see the person do, e.g. \"Asks …\", \"Agrees …\", \"Re-plans …\""),
            );
        }
    };

    for (i, c) in p.competencies.iter().enumerate() {
        let cp = root.key("competencies").index(i);
        if c.sessions.is_empty() {
            diags.push(
                Diagnostic::warning(
                    Code::UncoveredCompetency,
                    format!("competency `{}` is covered by no session", c.id),
                    at(comp_f, cp.key("id")),
                )
                .with_hint(format!(
                    "add `{}` to the `competencies` of a session that builds it",
                    c.id
                )),
            );
        }
        for (j, b) in c.behaviors.iter().enumerate() {
            observable(
                b,
                "behaviour",
                at(comp_f, cp.key("behaviors").index(j)),
                diags,
            );
        }
    }
    for (i, a) in p.actions.iter().enumerate() {
        let ap = root.key("actions").index(i);
        observable(&a.action, "action", at(act_f, ap.key("action")), diags);
        if a.practices.is_empty() {
            diags.push(
                Diagnostic::warning(
                    Code::ActionWithoutPractice,
                    format!("action `{}` has no practice", a.id),
                    at(act_f, ap.key("id")),
                )
                .with_hint("add a realistic practice scenario under `practices`"),
            );
        } else if a.practices.iter().all(|&pr| p[pr].sessions.is_empty()) {
            diags.push(
                Diagnostic::warning(
                    Code::UnpracticedAction,
                    format!("no session uses the practices of action `{}`", a.id),
                    at(act_f, ap.key("id")),
                )
                .with_hint(format!(
                    "list `{}` in the `practices` of a session",
                    p[a.practices[0]].id
                )),
            );
        }
        for (j, b) in a.barriers.iter().enumerate() {
            if matches!(b.kind, BarrierKind::Motivation | BarrierKind::Environment)
                && b.remedy.is_none()
            {
                diags.push(
                    Diagnostic::warning(
                        Code::BarrierWithoutRemedy,
                        format!(
                            "{} barrier of action `{}` has no remedy",
                            b.kind.as_str(),
                            a.id
                        ),
                        at(act_f, ap.key("barriers").index(j).key("kind")),
                    )
                    .with_hint("training alone does not remove it: add a `remedy` the organization will put in place"),
                );
            }
        }
    }
    for (i, s) in p.signals.iter().enumerate() {
        let sp = root.key("signals").index(i);
        observable(&s.signal, "signal", at(eval_f, sp.key("signal")), diags);
        if s.metrics.is_empty() {
            diags.push(
                Diagnostic::warning(
                    Code::UnevidencedSignal,
                    format!("signal `{}` is evidenced by no metric", s.id),
                    at(eval_f, sp.key("id")),
                )
                .with_hint(format!("add `{}` to the `signals` of a metric", s.id)),
            );
        }
    }
    for (i, m) in p.metrics.iter().enumerate() {
        if m.sessions.is_empty() && m.instrument.is_none() {
            diags.push(
                Diagnostic::warning(
                    Code::UncollectedMetric,
                    format!("metric `{}` is collected by no session or instrument", m.id),
                    at(met_f, root.key("metrics").index(i).key("id")),
                )
                .with_hint("give it an `instrument`, or list it in the `metrics` of a session"),
            );
        }
    }
    for s in &p.sessions {
        if s.competencies.is_empty() && s.actions.is_empty() {
            diags.push(
                Diagnostic::warning(
                    Code::UntiedSession,
                    format!("session `{}` is tied to no competency or action", s.id),
                    Loc::Yaml(s.file, s.front_matter, root.key("title")),
                )
                .with_hint("list the `competencies` or `actions` this session builds"),
            );
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
