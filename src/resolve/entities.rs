//! The alignment entities of a program: `program.yaml` and the four steps
//! (values and competencies, the action map, the evaluation plan, metrics
//! and instruments) turned into graph nodes, with every id list resolved
//! and every markdown field's links checked.

use crate::diagnostics::{Code, Diagnostic, Loc};
use crate::graph::*;
use crate::load::RawProgram;
use crate::model::{Better, Compare, RaterChoice, Source, MAX_FOLLOW_UP};
use crate::yaml::YamlPath;

use super::links::Resolver;
use super::parse::Docs;

/// The program with its alignment entities; sessions, back-links and
/// results are added by the caller.
pub(super) fn program(
    raw: &RawProgram,
    docs: &Docs,
    r: &Resolver,
    diags: &mut Vec<Diagnostic>,
) -> Program {
    let mut p = Program {
        id: raw.id.clone(),
        dir: raw.dir.clone(),
        title: raw.id.clone(),
        assets: raw.assets.clone(),
        files: ProgramFiles {
            program: raw.program,
            incomplete: false,
            alignment: raw.alignment,
        },
        ..Program::default()
    };
    header(&mut p, docs, r, diags);
    competencies(&mut p, docs, r, diags);
    action_map(&mut p, docs, r, diags);
    evaluation(&mut p, docs, r, diags);
    metrics(&mut p, docs, r, diags);
    p
}

/// `program.yaml`.
fn header(p: &mut Program, docs: &Docs, r: &Resolver, diags: &mut Vec<Diagnostic>) {
    let Some((f, d)) = &docs.program else {
        return;
    };
    p.title = d.title.clone();
    p.organization = d.organization.clone();
    p.summary = r.opt_yaml_text(*f, YamlPath::root().key("summary"), &d.summary, diags);
    p.audience = d.audience.clone();
    p.cohort_size = d.cohort_size;
    p.start = d.start;
    p.facilitators = d.facilitators.clone();
    for (j, &days) in d.follow_up.iter().enumerate() {
        if (1..=MAX_FOLLOW_UP).contains(&days) {
            p.follow_up.push(days);
            continue;
        }
        diags.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!("a follow-up {days} days after the last session is out of range"),
                Loc::Yaml(*f, 0, YamlPath::root().key("follow_up").index(j)),
            )
            .with_hint(format!(
                "write the days after the last session, 1 to {MAX_FOLLOW_UP} (two years), e.g. `follow_up: [90]`"
            )),
        );
    }
    p.draft = d.draft;
    (p.logo, p.accent) = crate::brand::check(*f, &d.logo, &d.accent, diags);
}

/// Step 1: values and competencies.
fn competencies(p: &mut Program, docs: &Docs, r: &Resolver, diags: &mut Vec<Diagnostic>) {
    let Some((f, d)) = &docs.competencies else {
        return;
    };
    let f = *f;
    let root = YamlPath::root();
    for (i, v) in d.values.iter().enumerate() {
        let at = root.key("values").index(i);
        p.values.push(Value {
            id: v.id.clone(),
            name: v.name.clone(),
            description: r.opt_yaml_text(f, at.key("description"), &v.description, diags),
            competencies: Vec::new(),
        });
    }
    for (i, c) in d.competencies.iter().enumerate() {
        let at = root.key("competencies").index(i);
        p.competencies.push(Competency {
            id: c.id.clone(),
            name: c.name.clone(),
            description: r.opt_yaml_text(f, at.key("description"), &c.description, diags),
            values: r.refs(&c.values, &(f, 0, at.key("values")), diags),
            behaviors: c
                .behaviors
                .iter()
                .enumerate()
                .map(|(j, b)| r.yaml_text(f, at.key("behaviors").index(j), b, diags))
                .collect(),
            ..Competency::default()
        });
    }
}

/// Step 2: the goal, actions, their barriers and practices.
fn action_map(p: &mut Program, docs: &Docs, r: &Resolver, diags: &mut Vec<Diagnostic>) {
    let Some((f, d)) = &docs.action_map else {
        return;
    };
    let f = *f;
    let root = YamlPath::root();
    let goal = root.key("goal");
    p.goal = Goal {
        statement: Some(r.yaml_text(f, goal.key("statement"), &d.goal.statement, diags)),
        measure: r.opt_yaml_text(f, goal.key("measure"), &d.goal.measure, diags),
    };
    for (i, a) in d.actions.iter().enumerate() {
        let at = root.key("actions").index(i);
        let mut practices = Vec::new();
        for (j, pr) in a.practices.iter().enumerate() {
            practices.push(Ix::new(p.practices.len()));
            p.practices.push(Practice {
                id: pr.id.clone(),
                scenario: r.yaml_text(
                    f,
                    at.key("practices").index(j).key("scenario"),
                    &pr.scenario,
                    diags,
                ),
                action: Ix::new(i),
                sessions: Vec::new(),
            });
        }
        let barriers = a
            .barriers
            .iter()
            .enumerate()
            .map(|(j, b)| {
                let at = at.key("barriers").index(j);
                Barrier {
                    kind: b.kind,
                    text: r.yaml_text(f, at.key("text"), &b.text, diags),
                    remedy: r.opt_yaml_text(f, at.key("remedy"), &b.remedy, diags),
                }
            })
            .collect();
        p.actions.push(Action {
            id: a.id.clone(),
            action: r.title_text((f, &at, "action"), &a.action, diags),
            competencies: r.refs(&a.competencies, &(f, 0, at.key("competencies")), diags),
            barriers,
            practices,
            information: a
                .information
                .iter()
                .enumerate()
                .map(|(j, t)| r.yaml_text(f, at.key("information").index(j), t, diags))
                .collect(),
            sessions: Vec::new(),
            signals: Vec::new(),
        });
    }
}

/// Step 3: the evaluation question, success signals and enablers.
fn evaluation(p: &mut Program, docs: &Docs, r: &Resolver, diags: &mut Vec<Diagnostic>) {
    let Some((f, d)) = &docs.evaluation else {
        return;
    };
    let f = *f;
    let root = YamlPath::root();
    p.question = r.opt_yaml_text(f, root.key("question"), &d.question, diags);
    for (i, s) in d.signals.iter().enumerate() {
        let at = root.key("signals").index(i);
        p.signals.push(Signal {
            id: s.id.clone(),
            signal: r.title_text((f, &at, "signal"), &s.signal, diags),
            level: s.level,
            competencies: r.refs(&s.competencies, &(f, 0, at.key("competencies")), diags),
            actions: r.refs(&s.actions, &(f, 0, at.key("actions")), diags),
            metrics: Vec::new(),
        });
    }
    for (i, e) in d.enablers.iter().enumerate() {
        let at = root.key("enablers").index(i);
        p.enablers.push(Enabler {
            id: e.id.clone(),
            enabler: r.title_text((f, &at, "enabler"), &e.enabler, diags),
            owner: e.owner.clone(),
            due: e.due,
            status: e.status,
            evidence: r.opt_yaml_text(f, at.key("evidence"), &e.evidence, diags),
        });
    }
}

/// Step 4: metrics and instruments.
fn metrics(p: &mut Program, docs: &Docs, r: &Resolver, diags: &mut Vec<Diagnostic>) {
    let Some((f, d)) = &docs.metrics else {
        return;
    };
    let f = *f;
    let root = YamlPath::root();
    for (i, m) in d.metrics.iter().enumerate() {
        let at = root.key("metrics").index(i);
        if let Some(t) = m.tier.filter(|t| !(1..=8).contains(t)) {
            diags.push(
                Diagnostic::error(
                    Code::OutOfRange,
                    format!("tier {t} is out of range"),
                    Loc::Yaml(f, 0, at.key("tier")),
                )
                .with_hint("LTEM tiers run from 1 (attendance) to 8 (effects of transfer)"),
            );
        }
        let target = m.target.filter(|t| t.is_finite());
        if m.target.is_some() && target.is_none() {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    "`target` must be a finite number",
                    Loc::Yaml(f, 0, at.key("target")),
                )
                .with_hint("write the target as a number, e.g. `target: 0.8` for a rate"),
            );
        }
        let survey = matches!(
            m.source,
            Some(Source::SurveyChange | Source::SurveyPost | Source::ReliableChange)
        );
        if m.items.is_some() && !survey {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    "`items` goes with `source: survey-change`, `survey-post` or `reliable-change`",
                    Loc::Yaml(f, 0, at.key("items")),
                )
                .with_hint("remove `items`, or give the metric a survey source"),
            );
        }
        p.metrics.push(Metric {
            id: m.id.clone(),
            name: m.name.clone(),
            category: m.category,
            instrument: m
                .instrument
                .as_ref()
                .and_then(|ins| r.one_ref(ins, Loc::Yaml(f, 0, at.key("instrument")), diags)),
            target,
            tier: m.tier,
            signals: r.refs(&m.signals, &(f, 0, at.key("signals")), diags),
            sessions: Vec::new(),
            source: m.source,
            items: m.items.clone(),
            better: m.better.unwrap_or(Better::Higher),
            rater: m.rater.unwrap_or(RaterChoice::Own),
            compare: m.compare.unwrap_or(Compare::PrePost),
        });
    }
    for i in &d.instruments {
        p.instruments.push(Instrument {
            id: i.id.clone(),
            name: i.name.clone(),
            kind: i.kind,
            when: i.when.clone(),
            metrics: Vec::new(),
            sessions: Vec::new(),
        });
    }
}
