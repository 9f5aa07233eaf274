//! The resolved playbook: every reference is a typed index, in both
//! directions.
//!
//! Built by `resolve`, read by coverage checks and rendering. Entities refer
//! to each other by position in their program's vectors, as an [`Ix<T>`] —
//! an index that knows which kind of entity it points at, so that linking a
//! competency where a session is meant does not compile — and nothing after
//! resolution looks an id up by string. Forward lists keep the author's
//! order; reverse lists (a competency's sessions, a metric's sessions, ...)
//! follow curriculum or file order. Measured results are held here too, by
//! session and competency index.

use std::collections::BTreeMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::path::PathBuf;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub(crate) use crate::kinds::EntityKind;
pub(crate) use crate::survey::{Answers, ItemDef, Participant, Scale, DEFAULT_ITEM_RANGE};

use crate::config::SiteConfig;
use crate::diagnostics::FileId;
use crate::markdown::Heading;
use crate::model::{
    Audience, BarrierKind, Better, Compare, DriverStatus, InstrumentKind, Level, MetricCategory,
    Phase, RaterChoice, RaterKind, SessionKind, Source, When,
};

/// The position of an entity of kind `T` in its program.
pub struct Ix<T> {
    index: usize,
    kind: PhantomData<fn() -> T>,
}

impl<T> Ix<T> {
    pub fn new(index: usize) -> Self {
        Ix {
            index,
            kind: PhantomData,
        }
    }
    pub fn index(self) -> usize {
        self.index
    }
}

// Derives would require `T` itself to implement each trait.
impl<T> Clone for Ix<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Ix<T> {}
impl<T> PartialEq for Ix<T> {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
    }
}
impl<T> Eq for Ix<T> {}
impl<T> PartialOrd for Ix<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Ix<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.index.cmp(&other.index)
    }
}
impl<T> Hash for Ix<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.index.hash(state);
    }
}
impl<T> fmt::Debug for Ix<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.index)
    }
}

/// An entity kind's node type: where its entities live in a [`Program`].
pub trait Entity: Sized + 'static {
    const KIND: EntityKind;
    /// Every entity of this kind in `p`, by index.
    fn all(p: &Program) -> &[Self];
    fn id(&self) -> &str;
    /// An index of this kind as a [`EntityRef`].
    fn to_ref(ix: Ix<Self>) -> EntityRef;
}

impl<T: Entity> std::ops::Index<Ix<T>> for Program {
    type Output = T;
    fn index(&self, ix: Ix<T>) -> &T {
        &T::all(self)[ix.index]
    }
}

impl Program {
    /// Every entity of kind `T` with its index.
    pub fn each<T: Entity>(&self) -> impl Iterator<Item = (Ix<T>, &T)> {
        T::all(self)
            .iter()
            .enumerate()
            .map(|(i, x)| (Ix::new(i), x))
    }

    /// The id of the entity `r` names.
    pub fn id_of(&self, r: EntityRef) -> &str {
        match r {
            EntityRef::Value(i) => self[i].id(),
            EntityRef::Competency(i) => self[i].id(),
            EntityRef::Action(i) => self[i].id(),
            EntityRef::Practice(i) => self[i].id(),
            EntityRef::Signal(i) => self[i].id(),
            EntityRef::Enabler(i) => self[i].id(),
            EntityRef::Metric(i) => self[i].id(),
            EntityRef::Instrument(i) => self[i].id(),
            EntityRef::Session(i) => self[i].id(),
        }
    }

    /// How many entities of `kind` the program has.
    pub fn count(&self, kind: EntityKind) -> usize {
        match kind {
            EntityKind::Value => self.values.len(),
            EntityKind::Competency => self.competencies.len(),
            EntityKind::Action => self.actions.len(),
            EntityKind::Practice => self.practices.len(),
            EntityKind::Signal => self.signals.len(),
            EntityKind::Enabler => self.enablers.len(),
            EntityKind::Metric => self.metrics.len(),
            EntityKind::Instrument => self.instruments.len(),
            EntityKind::Session => self.sessions.len(),
        }
    }
}

/// A typed index of any kind: what a `kind:id` link resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityRef {
    Value(Ix<Value>),
    Competency(Ix<Competency>),
    Action(Ix<Action>),
    Practice(Ix<Practice>),
    Signal(Ix<Signal>),
    Enabler(Ix<Enabler>),
    Metric(Ix<Metric>),
    Instrument(Ix<Instrument>),
    Session(Ix<Session>),
}

impl EntityRef {
    /// The entity at `index` of `kind`.
    pub fn new(kind: EntityKind, index: usize) -> Self {
        match kind {
            EntityKind::Value => EntityRef::Value(Ix::new(index)),
            EntityKind::Competency => EntityRef::Competency(Ix::new(index)),
            EntityKind::Action => EntityRef::Action(Ix::new(index)),
            EntityKind::Practice => EntityRef::Practice(Ix::new(index)),
            EntityKind::Signal => EntityRef::Signal(Ix::new(index)),
            EntityKind::Enabler => EntityRef::Enabler(Ix::new(index)),
            EntityKind::Metric => EntityRef::Metric(Ix::new(index)),
            EntityKind::Instrument => EntityRef::Instrument(Ix::new(index)),
            EntityKind::Session => EntityRef::Session(Ix::new(index)),
        }
    }

    pub fn kind(self) -> EntityKind {
        self.parts().0
    }

    pub fn index(self) -> usize {
        self.parts().1
    }

    fn parts(self) -> (EntityKind, usize) {
        match self {
            EntityRef::Value(i) => (EntityKind::Value, i.index),
            EntityRef::Competency(i) => (EntityKind::Competency, i.index),
            EntityRef::Action(i) => (EntityKind::Action, i.index),
            EntityRef::Practice(i) => (EntityKind::Practice, i.index),
            EntityRef::Signal(i) => (EntityKind::Signal, i.index),
            EntityRef::Enabler(i) => (EntityKind::Enabler, i.index),
            EntityRef::Metric(i) => (EntityKind::Metric, i.index),
            EntityRef::Instrument(i) => (EntityKind::Instrument, i.index),
            EntityRef::Session(i) => (EntityKind::Session, i.index),
        }
    }
}

macro_rules! entity {
    ($($ty:ident => $kind:ident, $field:ident);+ $(;)?) => {
        $(impl Entity for $ty {
            const KIND: EntityKind = EntityKind::$kind;
            fn all(p: &Program) -> &[Self] {
                &p.$field
            }
            fn id(&self) -> &str {
                &self.id
            }
            fn to_ref(ix: Ix<Self>) -> EntityRef {
                EntityRef::$kind(ix)
            }
        })+
    };
}

entity!(
    Value => Value, values;
    Competency => Competency, competencies;
    Action => Action, actions;
    Practice => Practice, practices;
    Signal => Signal, signals;
    Enabler => Enabler, enablers;
    Metric => Metric, metrics;
    Instrument => Instrument, instruments;
    Session => Session, sessions;
);

/// Where a markdown link points, resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A URL with a scheme, a site-absolute path, or anything not ours.
    External(String),
    /// An entity of the same program, with an optional heading anchor
    /// (only for sessions).
    Entity(EntityRef, Option<String>),
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
    /// For each link, whether it lies in a `facilitator` block (the
    /// participant edition leaves it out).
    pub facilitator: Vec<bool>,
    /// Files under `sessions/` that its raw HTML refers to (`<img src>`,
    /// `<source srcset>`, …), each with whether the reference lies in a
    /// `facilitator` block.
    pub raw_assets: Vec<(String, bool)>,
}

#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub root: PathBuf,
    /// Shared: `serve` hands an unchanged program on to the next build.
    pub programs: Vec<std::sync::Arc<Program>>,
    /// The session library's guides (`library/sessions/`), by id.
    pub library: Vec<LibraryGuide>,
}

/// A library guide as the site shows it (the `/library/` page).
#[derive(Debug, Clone)]
pub struct LibraryGuide {
    pub id: String,
    pub title: String,
    pub kind: crate::model::SessionKind,
    pub duration: Option<u32>,
    pub audience: crate::model::Audience,
    /// Its file, relative to the site root.
    pub path: String,
}

impl Site {
    pub fn session_count(&self) -> usize {
        self.programs.iter().map(|p| p.sessions.len()).sum()
    }
}

#[derive(Debug, Default, Clone)]
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
    /// Follow-ups, in days after the last dated session (checked: 1 to
    /// [`crate::model::MAX_FOLLOW_UP`]).
    pub follow_up: Vec<u32>,
    pub draft: bool,
    /// Its own logo (a path under the site's `static/`) and accent colour
    /// (`#rrggbb`), checked; the site's apply where these are `None`.
    pub logo: Option<String>,
    pub accent: Option<String>,
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
    /// v1.2: declared survey items and multi-item scales (metrics.yaml).
    pub survey_items: Vec<ItemDef>,
    pub scales: Vec<Scale>,
    /// In curriculum order.
    pub sessions: Vec<Session>,
    /// Files under `sessions/` other than guides, relative to it.
    pub assets: Vec<String>,
    pub results: Results,
    /// Its runs (FORMAT.md v1.2), by `start` then id; a program with
    /// cohorts has no `results` of its own.
    pub cohorts: Vec<Cohort>,
    pub files: ProgramFiles,
}

/// One run of a program: `cohorts/<cohort>/cohort.yaml` and its results.
#[derive(Debug, Clone)]
pub struct Cohort {
    pub id: String,
    pub title: String,
    pub start: NaiveDate,
    pub cohort_size: Option<u32>,
    pub facilitators: Vec<String>,
    /// `dates:`: a session's date in this run, by session id.
    pub dates: BTreeMap<String, NaiveDate>,
    /// Its results; pseudonyms are numbered per cohort.
    pub results: Results,
    /// `cohort.yaml`.
    pub file: FileId,
}

impl Cohort {
    /// The date of session `s` in this run: its `dates:` entry, else its
    /// week counted from the cohort's start, else the date it gives.
    pub fn date_of(&self, s: &Session) -> Option<NaiveDate> {
        if let Some(d) = self.dates.get(&s.id) {
            return Some(*d);
        }
        match s.week {
            Some(w) => self
                .start
                .checked_add_days(chrono::Days::new(7 * u64::from(w.max(1) - 1))),
            None => s.date,
        }
    }
}

/// The files a program was read from, for diagnostics about its entities.
/// Entities sit at the same index as in their file, so a YAML path can be
/// rebuilt from an index.
#[derive(Debug, Default, Clone, Copy)]
pub struct ProgramFiles {
    /// `program.yaml`, when it could be read.
    pub program: Option<FileId>,
    /// Some file of the program failed to load or parse, or was read with
    /// mistakes (recovered), so the graph is partial: coverage rules are
    /// not checked (they would only repeat it).
    pub incomplete: bool,
    /// The alignment files.
    pub alignment: crate::layout::ByAlignment<Option<FileId>>,
}

#[derive(Debug, Default, Clone)]
pub struct Value {
    pub id: String,
    pub name: String,
    pub description: Option<Text>,
    pub competencies: Vec<Ix<Competency>>,
}

#[derive(Debug, Default, Clone)]
pub struct Competency {
    pub id: String,
    pub name: String,
    pub description: Option<Text>,
    pub values: Vec<Ix<Value>>,
    pub behaviors: Vec<Text>,
    pub actions: Vec<Ix<Action>>,
    pub sessions: Vec<Ix<Session>>,
    pub signals: Vec<Ix<Signal>>,
    pub metrics: Vec<Ix<Metric>>,
}

#[derive(Debug, Default, Clone)]
pub struct Goal {
    pub statement: Option<Text>,
    pub measure: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub id: String,
    pub action: Text,
    pub competencies: Vec<Ix<Competency>>,
    pub barriers: Vec<Barrier>,
    pub practices: Vec<Ix<Practice>>,
    pub information: Vec<Text>,
    pub sessions: Vec<Ix<Session>>,
    pub signals: Vec<Ix<Signal>>,
}

#[derive(Debug, Clone)]
pub struct Barrier {
    pub kind: BarrierKind,
    pub text: Text,
    pub remedy: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct Practice {
    pub id: String,
    pub scenario: Text,
    pub action: Ix<Action>,
    pub sessions: Vec<Ix<Session>>,
}

#[derive(Debug, Clone)]
pub struct Signal {
    pub id: String,
    pub signal: Text,
    pub level: Level,
    pub competencies: Vec<Ix<Competency>>,
    pub actions: Vec<Ix<Action>>,
    pub metrics: Vec<Ix<Metric>>,
}

#[derive(Debug, Clone)]
pub struct Enabler {
    pub id: String,
    pub enabler: Text,
    pub owner: Option<String>,
    /// v1.2: whether it is in place, by when, and what shows it.
    pub due: Option<NaiveDate>,
    pub status: Option<DriverStatus>,
    pub evidence: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct Metric {
    pub id: String,
    pub name: String,
    pub category: MetricCategory,
    pub instrument: Option<Ix<Instrument>>,
    pub target: Option<f64>,
    pub tier: Option<u8>,
    pub signals: Vec<Ix<Signal>>,
    pub sessions: Vec<Ix<Session>>,
    /// Where its actual comes from (v1.1).
    pub source: Option<Source>,
    /// The survey items it reads, as written; every item when None.
    pub items: Option<Vec<String>>,
    pub better: Better,
    /// v1.2: whose answers a survey source reads, and which phases.
    pub rater: RaterChoice,
    pub compare: Compare,
}

#[derive(Debug, Clone)]
pub struct Instrument {
    pub id: String,
    pub name: String,
    pub kind: InstrumentKind,
    pub when: Vec<When>,
    pub metrics: Vec<Ix<Metric>>,
    pub sessions: Vec<Ix<Session>>,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    /// Its place in the curriculum of the facilitator edition, from 1: the
    /// same in both editions (the participant edition leaves gaps where
    /// facilitator-only sessions were).
    pub number: usize,
    pub file: FileId,
    /// Byte offset of the front matter YAML in the file.
    pub front_matter: usize,
    /// The library guide it starts from (`from: library:<id>`).
    pub library: Option<String>,
    pub title: String,
    pub kind: SessionKind,
    pub week: Option<u32>,
    /// The given date, or the one computed from the program start and week.
    pub date: Option<NaiveDate>,
    pub duration: Option<u32>,
    pub module: Option<String>,
    pub competencies: Vec<Ix<Competency>>,
    pub actions: Vec<Ix<Action>>,
    pub practices: Vec<Ix<Practice>>,
    pub metrics: Vec<Ix<Metric>>,
    pub requires: Vec<Ix<Session>>,
    pub required_by: Vec<Ix<Session>>,
    /// Who it is for; facilitator-only sessions are left out of the
    /// participant edition.
    pub audience: Audience,
    /// What it is for (the participant workbook opens with it).
    pub purpose: Option<Text>,
    pub body: Text,
    /// Its headings in order, at most [`LISTED_HEADINGS`] of them in each
    /// edition.
    pub headings: Vec<Heading>,
}

/// How many headings of a session the graph keeps for each edition: all
/// that the views list (they list at most this many in a whole program),
/// where 1 MB of `#` lines is 500,000 headings.
pub(crate) const LISTED_HEADINGS: usize = 10_000;

impl Session {
    /// Whether the participant edition leaves it out.
    pub fn facilitator_only(&self) -> bool {
        self.audience == Audience::Facilitator
    }
}

/// The lowest and highest rating of `ratings.csv`.
pub(crate) const RATING_SCALE: (u8, u8) = (1, 5);

/// Attendance of one session.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Attendance {
    pub present: u32,
    pub total: u32,
}

/// One survey item, before and after, by participant.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SurveyItem {
    pub item: String,
    /// The competency this item names, if it is a competency id.
    pub competency: Option<Ix<Competency>>,
    /// Scores as written: exact decimals.
    pub pre: BTreeMap<Participant, Decimal>,
    pub post: BTreeMap<Participant, Decimal>,
    /// v1.2: every other rater kind and phase (self `then` and
    /// `follow-up`; others' answers in every phase).
    pub more: BTreeMap<(RaterKind, Phase), Answers>,
}

impl SurveyItem {
    /// (pre, post) of every participant with both, in participant order.
    pub fn pairs(&self) -> Vec<(Decimal, Decimal)> {
        self.paired().map(|(_, a, b)| (a, b)).collect()
    }

    /// Each participant with both scores, with the scores.
    pub fn paired(&self) -> impl Iterator<Item = (Participant, Decimal, Decimal)> + '_ {
        self.pre
            .iter()
            .filter_map(|(p, a)| self.post.get(p).map(|b| (*p, *a, *b)))
    }
}

/// A value of an observed metric (`observations.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub metric: Ix<Metric>,
    pub date: NaiveDate,
    /// As written: an exact decimal.
    pub value: Decimal,
    pub note: Option<String>,
}

/// What a participant said (`feedback.csv`), tied to what it is evidence of.
#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub comment: String,
    pub session: Option<Ix<Session>>,
    pub competency: Option<Ix<Competency>>,
    pub signal: Option<Ix<Signal>>,
}

/// All measured results of a program.
#[derive(Debug, Clone, Default)]
pub struct Results {
    pub attendance: BTreeMap<Ix<Session>, Attendance>,
    /// Every rating of each session, in file order.
    pub ratings: BTreeMap<Ix<Session>, Vec<Decimal>>,
    /// In order of first appearance.
    pub survey: Vec<SurveyItem>,
    /// In file order.
    pub observations: Vec<Observation>,
    /// In file order.
    pub feedback: Vec<Feedback>,
}

impl Results {
    pub fn is_empty(&self) -> bool {
        self.attendance.is_empty()
            && self.ratings.is_empty()
            && self.survey.is_empty()
            && self.observations.is_empty()
            && self.feedback.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_refs_round_trip_kind_and_index() {
        for kind in EntityKind::ALL {
            let r = EntityRef::new(kind, 7);
            assert_eq!((r.kind(), r.index()), (kind, 7));
        }
        assert_eq!(
            Session::to_ref(Ix::new(3)),
            EntityRef::new(EntityKind::Session, 3)
        );
    }

    #[test]
    fn a_program_is_indexed_by_typed_indices() {
        let p = Program {
            values: vec![
                Value {
                    id: "a".into(),
                    ..Value::default()
                },
                Value {
                    id: "b".into(),
                    ..Value::default()
                },
            ],
            ..Program::default()
        };
        let ix: Ix<Value> = Ix::new(1);
        assert_eq!(p[ix].id, "b");
        let ids: Vec<(usize, &str)> = p
            .each::<Value>()
            .map(|(i, v)| (i.index(), v.id()))
            .collect();
        assert_eq!(ids, [(0, "a"), (1, "b")]);
        assert_eq!(p.count(EntityKind::Value), 2);
        assert_eq!(format!("{ix:?}"), "#1");
    }
}
