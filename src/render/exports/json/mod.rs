//! `/<program>/program.json`: the resolved program and its computed
//! results, statuses included, for other tools. The shape is the types
//! below (version [`VERSION`]); `schemas/export.schema.json` is their JSON
//! Schema, derived from them by `schemars` (a test keeps the file equal to
//! the derivation); the results part is [`results`]'s. Participant ids are
//! not in it: the graph never holds them.

use schemars::JsonSchema;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::evidence::{exact, Evidence, MetricResult};
use crate::graph::{Entity, Ix, Program, Text};
use crate::kinds::EntityKind;
use crate::markdown::{self, Edition};
use crate::output::Chunk;

use crate::render::emit::{json_file, Emitter, ProgramContext};
use crate::render::urls::SiteUrls;
use crate::render::view::cohorts::CohortBuild;

pub(crate) mod behaviour;
pub(crate) mod results;

pub(crate) use results::ResultsExport;

/// The version of this file's shape; raised when a field changes meaning
/// or goes away (new fields do not raise it).
pub(crate) const VERSION: u32 = 1;

/// The JSON export emitter.
pub(crate) struct ProgramJson;

impl Emitter for ProgramJson {
    fn emit_program(&self, cx: &ProgramContext, out: &mut Chunk) -> Result<(), Vec<Diagnostic>> {
        let (views, program) = (cx.site, cx.views);
        // A program with cohorts: its results are its latest cohort's.
        let p = program.figures.as_deref().unwrap_or(cx.program);
        let mut export = Export::of(p, &program.build.evidence, &views.urls, views.shows.edition);
        export.cohorts = program
            .cohorts
            .iter()
            .map(|c| CohortExport::of(c, &views.urls, views.shows.edition))
            .collect();
        let path = cx.urls().file("program.json").path;
        let text = json_file(&path, &export, true)?;
        out.add_text(path, text);
        Ok(())
    }
}

/// A program, resolved, with what its results say.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "playbook program export", deny_unknown_fields)]
pub(crate) struct Export {
    /// The version of this shape.
    pub version: u32,
    /// The program id (its folder under content/).
    pub id: String,
    pub title: String,
    pub url: String,
    pub organization: Option<String>,
    pub audience: Option<String>,
    pub cohort_size: Option<u32>,
    /// ISO date.
    pub start: Option<String>,
    pub facilitators: Vec<String>,
    pub values: Vec<ValueExport>,
    pub competencies: Vec<CompetencyExport>,
    /// The business goal (markdown, as written).
    pub goal: Option<String>,
    pub actions: Vec<ActionExport>,
    pub practices: Vec<PracticeExport>,
    pub signals: Vec<SignalExport>,
    pub enablers: Vec<EnablerExport>,
    pub metrics: Vec<MetricExport>,
    pub instruments: Vec<InstrumentExport>,
    /// In curriculum order.
    pub sessions: Vec<SessionExport>,
    pub results: ResultsExport,
    /// Its runs (FORMAT.md v1.2), by start; a program with cohorts has
    /// its results here, not in `results`.
    pub cohorts: Vec<CohortExport>,
}

/// One run of the program: its dates and what its results say.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct CohortExport {
    /// The cohort id (its folder under cohorts/).
    pub id: String,
    pub title: String,
    /// ISO date.
    pub start: String,
    pub cohort_size: Option<u32>,
    pub facilitators: Vec<String>,
    /// Each session's date in this run (ISO), in curriculum order.
    pub sessions: Vec<CohortSessionExport>,
    /// Each metric's actual and status in this run.
    pub metrics: Vec<CohortMetricExport>,
    pub results: ResultsExport,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct CohortSessionExport {
    pub session: String,
    pub date: Option<String>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct CohortMetricExport {
    pub metric: String,
    pub actual: Option<f64>,
    pub n: usize,
    /// As in `metrics[]`: the people behind a survey source's answers.
    pub people: Option<usize>,
    /// `met`, `not-met`, `no-data`, `no-target` or `not-measured`.
    pub status: String,
}

impl CohortExport {
    fn of(c: &CohortBuild, urls: &SiteUrls, edition: Edition) -> Self {
        let p = &c.program;
        let run = Export::of(p, &c.build.evidence, urls, edition);
        CohortExport {
            id: c.id.clone(),
            title: c.title.clone(),
            start: run.start.unwrap_or_default(),
            cohort_size: run.cohort_size,
            facilitators: run.facilitators,
            sessions: p
                .sessions
                .iter()
                .map(|s| CohortSessionExport {
                    session: s.id.clone(),
                    date: s.date.map(|d| d.to_string()),
                })
                .collect(),
            metrics: run
                .metrics
                .into_iter()
                .map(|m| CohortMetricExport {
                    metric: m.id,
                    actual: m.actual,
                    n: m.n,
                    people: m.people,
                    status: m.status,
                })
                .collect(),
            results: run.results,
        }
    }
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct ValueExport {
    pub id: String,
    pub name: String,
    pub competencies: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct CompetencyExport {
    pub id: String,
    pub name: String,
    pub values: Vec<String>,
    /// Observable behaviours (markdown, as written).
    pub behaviors: Vec<String>,
    pub sessions: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct ActionExport {
    pub id: String,
    /// What people must do differently (markdown, as written).
    pub action: String,
    pub competencies: Vec<String>,
    pub practices: Vec<String>,
    pub sessions: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct PracticeExport {
    pub id: String,
    pub scenario: String,
    pub action: String,
}

/// A success signal and its status.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct SignalExport {
    pub id: String,
    pub signal: String,
    /// `reaction`, `learning`, `behavior` or `results`.
    pub level: String,
    pub competencies: Vec<String>,
    pub actions: Vec<String>,
    pub metrics: Vec<String>,
    /// `met`, `partly-met`, `not-met` or `no-data`.
    pub status: String,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct EnablerExport {
    pub id: String,
    pub enabler: String,
    pub owner: Option<String>,
}

/// A metric, its target and its actual.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct MetricExport {
    pub id: String,
    pub name: String,
    pub category: String,
    pub instrument: Option<String>,
    pub target: Option<f64>,
    /// `higher` or `lower`: which side of the target is good.
    pub better: String,
    /// LTEM tier, 1–8.
    pub tier: Option<u8>,
    /// `attendance`, `ratings`, `survey-change`, `survey-post`,
    /// `observations`; null when measured outside the site.
    pub source: Option<String>,
    pub items: Option<Vec<String>>,
    pub signals: Vec<String>,
    pub sessions: Vec<String>,
    /// Exact figures are written as the shortest number that reads back
    /// as them: a mean of 1.45 is `1.45`.
    pub actual: Option<f64>,
    /// How many data points the actual is made from.
    pub n: usize,
    /// For a survey source: the participants those data points (pairs of
    /// a participant and an item) come from.
    pub people: Option<usize>,
    /// `met`, `not-met`, `no-data`, `no-target` or `not-measured`.
    pub status: String,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct InstrumentExport {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub when: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct SessionExport {
    pub id: String,
    pub title: String,
    pub url: String,
    pub kind: String,
    pub week: Option<u32>,
    /// ISO date, given or computed from the program start and the week.
    pub date: Option<String>,
    /// Minutes.
    pub duration: Option<u32>,
    pub module: Option<String>,
    pub competencies: Vec<String>,
    pub actions: Vec<String>,
    pub practices: Vec<String>,
    pub metrics: Vec<String>,
    pub requires: Vec<String>,
    /// The id of the library guide it starts from (`from: library:<id>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub library: Option<String>,
}

fn ids<T: Entity>(p: &Program, ixs: &[Ix<T>]) -> Vec<String> {
    ixs.iter().map(|&i| p[i].id().to_string()).collect()
}

fn id<T: Entity>(p: &Program, ix: Option<Ix<T>>) -> Option<String> {
    ix.map(|i| p[i].id().to_string())
}

impl Export {
    /// The export of `p` in `edition`: its markdown fields as that
    /// edition shows them (the participant edition's have no
    /// `facilitator` blocks).
    pub(crate) fn of(p: &Program, ev: &Evidence, urls: &SiteUrls, edition: Edition) -> Self {
        let purls = urls.program(&p.id);
        Export {
            version: VERSION,
            id: p.id.clone(),
            title: p.title.clone(),
            url: purls.section(crate::kinds::Section::Overview).url,
            organization: p.organization.clone(),
            audience: p.audience.clone(),
            cohort_size: p.cohort_size,
            start: p.start.map(|d| d.to_string()),
            facilitators: p.facilitators.clone(),
            values: ValueExport::all(p),
            competencies: CompetencyExport::all(p, edition),
            goal: p.goal.statement.as_ref().map(|g| md(g, edition)),
            actions: ActionExport::all(p, edition),
            practices: PracticeExport::all(p, edition),
            signals: SignalExport::all(p, ev, edition),
            enablers: EnablerExport::all(p, edition),
            metrics: MetricExport::all(p, ev),
            instruments: InstrumentExport::all(p),
            sessions: SessionExport::all(p, urls),
            cohorts: Vec::new(),
            results: ResultsExport::of(p, ev),
        }
    }
}

/// A markdown field as `edition` shows it, as written.
fn md(t: &Text, edition: Edition) -> String {
    markdown::source_in(&t.src, edition).into_owned()
}

impl ValueExport {
    fn all(p: &Program) -> Vec<Self> {
        p.values
            .iter()
            .map(|v| ValueExport {
                id: v.id.clone(),
                name: v.name.clone(),
                competencies: ids(p, &v.competencies),
            })
            .collect()
    }
}

impl CompetencyExport {
    fn all(p: &Program, edition: Edition) -> Vec<Self> {
        p.competencies
            .iter()
            .map(|c| CompetencyExport {
                id: c.id.clone(),
                name: c.name.clone(),
                values: ids(p, &c.values),
                behaviors: c.behaviors.iter().map(|b| md(b, edition)).collect(),
                sessions: ids(p, &c.sessions),
            })
            .collect()
    }
}

impl ActionExport {
    fn all(p: &Program, edition: Edition) -> Vec<Self> {
        p.actions
            .iter()
            .map(|a| ActionExport {
                id: a.id.clone(),
                action: md(&a.action, edition),
                competencies: ids(p, &a.competencies),
                practices: ids(p, &a.practices),
                sessions: ids(p, &a.sessions),
            })
            .collect()
    }
}

impl PracticeExport {
    fn all(p: &Program, edition: Edition) -> Vec<Self> {
        p.practices
            .iter()
            .map(|x| PracticeExport {
                id: x.id.clone(),
                scenario: md(&x.scenario, edition),
                action: p[x.action].id.clone(),
            })
            .collect()
    }
}

impl SignalExport {
    fn all(p: &Program, ev: &Evidence, edition: Edition) -> Vec<Self> {
        p.signals
            .iter()
            .zip(&ev.signals)
            .map(|(s, status)| SignalExport {
                id: s.id.clone(),
                signal: md(&s.signal, edition),
                level: s.level.as_str().into(),
                competencies: ids(p, &s.competencies),
                actions: ids(p, &s.actions),
                metrics: ids(p, &s.metrics),
                status: status.as_str().into(),
            })
            .collect()
    }
}

impl EnablerExport {
    fn all(p: &Program, edition: Edition) -> Vec<Self> {
        p.enablers
            .iter()
            .map(|e| EnablerExport {
                id: e.id.clone(),
                enabler: md(&e.enabler, edition),
                owner: e.owner.clone(),
            })
            .collect()
    }
}

impl MetricExport {
    fn all(p: &Program, ev: &Evidence) -> Vec<Self> {
        p.metrics
            .iter()
            .zip(&ev.metrics)
            .map(|(m, r): (_, &MetricResult)| MetricExport {
                id: m.id.clone(),
                name: m.name.clone(),
                category: m.category.as_str().into(),
                instrument: id(p, m.instrument),
                target: m.target,
                better: m.better.as_str().into(),
                tier: m.tier,
                source: m.source.map(|s| s.as_str().into()),
                items: m.items.clone(),
                signals: ids(p, &m.signals),
                sessions: ids(p, &m.sessions),
                actual: r.actual.map(exact::to_f64),
                n: r.n,
                people: r.people,
                status: r.status.as_str().into(),
            })
            .collect()
    }
}

impl InstrumentExport {
    fn all(p: &Program) -> Vec<Self> {
        p.instruments
            .iter()
            .map(|i| InstrumentExport {
                id: i.id.clone(),
                name: i.name.clone(),
                kind: i.kind.as_str().into(),
                when: i.when.iter().map(|w| w.as_str().into()).collect(),
            })
            .collect()
    }
}

impl SessionExport {
    fn all(p: &Program, urls: &SiteUrls) -> Vec<Self> {
        let purls = urls.program(&p.id);
        p.sessions
            .iter()
            .map(|s| SessionExport {
                id: s.id.clone(),
                title: s.title.clone(),
                url: purls.entity(EntityKind::Session, &s.id).url,
                kind: s.kind.as_str().into(),
                week: s.week,
                date: s.date.map(|d| d.to_string()),
                duration: s.duration,
                module: s.module.clone(),
                competencies: ids(p, &s.competencies),
                actions: ids(p, &s.actions),
                practices: ids(p, &s.practices),
                metrics: ids(p, &s.metrics),
                requires: ids(p, &s.requires),
                library: s.library.clone(),
            })
            .collect()
    }
}

/// The JSON Schema of [`Export`], as `schemas/export.schema.json` holds it.
pub(crate) fn schema() -> String {
    let schema = schemars::schema_for!(Export);
    // A JSON value (string keys only) always serializes.
    let mut s = serde_json::to_string_pretty(&schema).expect("a JSON value serializes");
    s.push('\n');
    s
}
