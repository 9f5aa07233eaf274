//! The resolved playbook: every reference is an index, in both directions.
//!
//! Built by `resolve`, read by coverage checks and rendering. Entities refer
//! to each other by position in their program's vectors, so nothing after
//! resolution looks an id up by string. Forward lists keep the author's order;
//! reverse lists (a competency's sessions, a metric's sessions, ...) follow
//! curriculum or file order.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::config::SiteConfig;
use crate::diagnostics::FileId;
use crate::markdown::Heading;
use crate::model::{BarrierKind, InstrumentKind, Level, MetricCategory, SessionKind, When};
use crate::results::Results;

/// The kinds of entity a `kind:id` link may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Value,
    Competency,
    Action,
    Practice,
    Signal,
    Enabler,
    Metric,
    Instrument,
    Session,
}

impl EntityKind {
    pub const ALL: [EntityKind; 9] = [
        EntityKind::Value,
        EntityKind::Competency,
        EntityKind::Action,
        EntityKind::Practice,
        EntityKind::Signal,
        EntityKind::Enabler,
        EntityKind::Metric,
        EntityKind::Instrument,
        EntityKind::Session,
    ];
    /// The prefix used in `kind:id` links.
    pub fn prefix(self) -> &'static str {
        match self {
            EntityKind::Value => "value",
            EntityKind::Competency => "competency",
            EntityKind::Action => "action",
            EntityKind::Practice => "practice",
            EntityKind::Signal => "signal",
            EntityKind::Enabler => "enabler",
            EntityKind::Metric => "metric",
            EntityKind::Instrument => "instrument",
            EntityKind::Session => "session",
        }
    }
    pub fn from_prefix(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.prefix() == s)
    }
    /// Where entities of this kind are defined, for messages.
    pub fn defined_in(self) -> &'static str {
        match self {
            EntityKind::Value | EntityKind::Competency => "alignment/competencies.yaml",
            EntityKind::Action | EntityKind::Practice => "alignment/action-map.yaml",
            EntityKind::Signal | EntityKind::Enabler => "alignment/evaluation.yaml",
            EntityKind::Metric | EntityKind::Instrument => "alignment/metrics.yaml",
            EntityKind::Session => "sessions/",
        }
    }
}

/// Where a markdown link points, resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A URL with a scheme, a site-absolute path, or anything not ours.
    External(String),
    /// An entity of the same program, with an optional heading anchor
    /// (only for sessions).
    Entity {
        kind: EntityKind,
        index: usize,
        anchor: Option<String>,
    },
    /// A file under the program's `sessions/` folder (path relative to it),
    /// with its fragment if any.
    Asset(String),
    /// A heading of the same document.
    Anchor(String),
    /// Could not be resolved (an error was reported); rendered unchanged.
    Broken(String),
}

/// Markdown text with its links resolved, in document order.
#[derive(Debug, Clone, Default)]
pub struct Text {
    pub src: String,
    pub links: Vec<Target>,
}

#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub root: PathBuf,
    pub programs: Vec<Program>,
}

impl Site {
    pub fn session_count(&self) -> usize {
        self.programs.iter().map(|p| p.sessions.len()).sum()
    }
}

#[derive(Debug, Default)]
pub struct Program {
    pub id: String,
    pub dir: PathBuf,
    pub title: String,
    pub organization: Option<String>,
    pub summary: Option<Text>,
    pub audience: Option<String>,
    pub cohort_size: Option<u32>,
    pub start: Option<NaiveDate>,
    pub facilitators: Vec<String>,
    pub draft: bool,
    pub values: Vec<Value>,
    pub competencies: Vec<Competency>,
    pub goal: Goal,
    pub actions: Vec<Action>,
    pub practices: Vec<Practice>,
    pub question: Option<Text>,
    pub signals: Vec<Signal>,
    pub enablers: Vec<Enabler>,
    pub metrics: Vec<Metric>,
    pub instruments: Vec<Instrument>,
    /// In curriculum order.
    pub sessions: Vec<Session>,
    /// Files under `sessions/` other than guides, relative to it.
    pub assets: Vec<String>,
    pub results: Results,
    pub files: ProgramFiles,
}

/// The files a program was read from, for diagnostics about its entities.
/// Entities sit at the same index as in their file, so a YAML path can be
/// rebuilt from an index.
#[derive(Debug, Default, Clone, Copy)]
pub struct ProgramFiles {
    /// `program.yaml`, when it could be read.
    pub program: Option<FileId>,
    /// Some file of the program failed to load or parse, so the graph is
    /// partial: coverage rules are not checked (they would only repeat it).
    pub incomplete: bool,
    /// In the order of `load::ALIGNMENT_FILES`.
    pub alignment: [Option<FileId>; 4],
}

#[derive(Debug, Default)]
pub struct Value {
    pub id: String,
    pub name: String,
    pub description: Option<Text>,
    pub competencies: Vec<usize>,
}

#[derive(Debug, Default)]
pub struct Competency {
    pub id: String,
    pub name: String,
    pub description: Option<Text>,
    pub values: Vec<usize>,
    pub behaviors: Vec<Text>,
    pub actions: Vec<usize>,
    pub sessions: Vec<usize>,
    pub signals: Vec<usize>,
    pub metrics: Vec<usize>,
}

#[derive(Debug, Default)]
pub struct Goal {
    pub statement: Option<Text>,
    pub measure: Option<Text>,
}

#[derive(Debug)]
pub struct Action {
    pub id: String,
    pub action: Text,
    pub competencies: Vec<usize>,
    pub barriers: Vec<Barrier>,
    pub practices: Vec<usize>,
    pub information: Vec<Text>,
    pub sessions: Vec<usize>,
    pub signals: Vec<usize>,
}

#[derive(Debug)]
pub struct Barrier {
    pub kind: BarrierKind,
    pub text: Text,
    pub remedy: Option<Text>,
}

#[derive(Debug)]
pub struct Practice {
    pub id: String,
    pub scenario: Text,
    pub action: usize,
    pub sessions: Vec<usize>,
}

#[derive(Debug)]
pub struct Signal {
    pub id: String,
    pub signal: Text,
    pub level: Level,
    pub competencies: Vec<usize>,
    pub actions: Vec<usize>,
    pub metrics: Vec<usize>,
}

#[derive(Debug)]
pub struct Enabler {
    pub id: String,
    pub enabler: Text,
    pub owner: Option<String>,
}

#[derive(Debug)]
pub struct Metric {
    pub id: String,
    pub name: String,
    pub category: MetricCategory,
    pub instrument: Option<usize>,
    pub target: Option<f64>,
    pub tier: Option<u8>,
    pub signals: Vec<usize>,
    pub sessions: Vec<usize>,
}

#[derive(Debug)]
pub struct Instrument {
    pub id: String,
    pub name: String,
    pub kind: InstrumentKind,
    pub when: Vec<When>,
    pub metrics: Vec<usize>,
    pub sessions: Vec<usize>,
}

#[derive(Debug)]
pub struct Session {
    pub id: String,
    pub file: FileId,
    /// Byte offset of the front matter YAML in the file.
    pub front_matter: usize,
    pub title: String,
    pub kind: SessionKind,
    pub week: Option<u32>,
    /// The given date, or the one computed from the program start and week.
    pub date: Option<NaiveDate>,
    pub duration: Option<u32>,
    pub module: Option<String>,
    pub competencies: Vec<usize>,
    pub actions: Vec<usize>,
    pub practices: Vec<usize>,
    pub metrics: Vec<usize>,
    pub requires: Vec<usize>,
    pub required_by: Vec<usize>,
    pub body: Text,
    pub headings: Vec<Heading>,
}
