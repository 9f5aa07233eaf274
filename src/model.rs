//! Model: the typed documents an author writes, before any id is resolved.
//!
//! One struct per file kind of FORMAT.md (`program.yaml`, the four alignment
//! files, session front matter), each denying unknown keys, plus the closed
//! vocabularies (session kinds, barrier kinds, signal levels, ...). Ids here
//! are still strings; `resolve` turns them into a checked graph.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The latest follow-up, in days after the last session (104 weeks).
pub(crate) const MAX_FOLLOW_UP: u32 = 728;

/// A key that may be written without a value: `Some(None)` for `accent:`
/// (or `accent: #c0392b`, which YAML reads as a comment), `None` when the
/// key is absent.
pub(crate) fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// What a document type is called in messages: serde names the Rust type
/// (`expected struct SessionDoc`), authors know the file.
pub(crate) fn doc_name(rust_name: &str) -> Option<&'static str> {
    Some(match rust_name {
        "ConfigDoc" => "the keys of playbook.yaml",
        "ProgramDoc" => "the keys of program.yaml",
        "CompetenciesDoc" => "the keys of competencies.yaml",
        "ActionMapDoc" => "the keys of action-map.yaml",
        "EvaluationDoc" => "the keys of evaluation.yaml",
        "MetricsDoc" => "the keys of metrics.yaml",
        "SessionDoc" => "the keys of a session guide's front matter",
        "SessionFromDoc" => "the keys of a session guide's front matter",
        "ValueDoc" => "the keys of a value",
        "CompetencyDoc" => "the keys of a competency",
        "GoalDoc" => "the keys of the goal",
        "ActionDoc" => "the keys of an action",
        "BarrierDoc" => "the keys of a barrier",
        "PracticeDoc" => "the keys of a practice",
        "SignalDoc" => "the keys of a signal",
        "EnablerDoc" => "the keys of an enabler",
        "MetricDoc" => "the keys of a metric",
        "InstrumentDoc" => "the keys of an instrument",
        "SurveyItemDoc" => "the keys of a survey item",
        "ScaleDoc" => "the keys of a scale",
        "ImportDoc" => "the keys of import.yaml",
        "CohortDoc" => "the keys of cohort.yaml",
        "QuestionDoc" => "the keys of a question of import.yaml",
        _ => return None,
    })
}

macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The word used in YAML.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            /// A human label for pages.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}

mod ids;
mod survey;
pub(crate) use ids::*;
pub(crate) use survey::*;

vocabulary!(
    /// What kind of session a guide describes.
    SessionKind {
        Workshop = "workshop" / "Workshop",
        CoachingPod = "coaching-pod" / "Coaching pod",
        OneOnOne = "one-on-one" / "One-to-one coaching",
        PeerDiscussion = "peer-discussion" / "Peer discussion",
        SelfStudy = "self-study" / "Self-study",
    }
);

vocabulary!(
    /// Who a session is for: everyone (the default), or the facilitators
    /// only — left out of the participant edition.
    Audience {
        Everyone = "everyone" / "Everyone",
        Facilitator = "facilitator" / "Facilitators only",
    }
);

vocabulary!(
    /// Why an action is hard today.
    BarrierKind {
        Skill = "skill" / "Skill",
        Knowledge = "knowledge" / "Knowledge",
        Motivation = "motivation" / "Motivation",
        Environment = "environment" / "Environment",
    }
);

vocabulary!(
    /// Kirkpatrick-style level of a success signal.
    Level {
        Reaction = "reaction" / "Reaction",
        Learning = "learning" / "Learning",
        Behavior = "behavior" / "Behaviour",
        Results = "results" / "Results",
    }
);

vocabulary!(
    /// What a metric measures.
    MetricCategory {
        Participation = "participation" / "Participation",
        Engagement = "engagement" / "Engagement",
        Knowledge = "knowledge" / "Knowledge",
        Application = "application" / "Application",
        Feedback = "feedback" / "Feedback",
        Outcome = "outcome" / "Outcome",
    }
);

vocabulary!(
    /// How data is collected.
    InstrumentKind {
        Log = "log" / "Log",
        Survey = "survey" / "Survey",
        KnowledgeCheck = "knowledge-check" / "Knowledge check",
        FeedbackForm = "feedback-form" / "Feedback form",
        Observation = "observation" / "Observation",
        Interview = "interview" / "Interview",
    }
);

vocabulary!(
    /// Where a metric's actual comes from (FORMAT.md v1.1).
    Source {
        Attendance = "attendance" / "Attendance",
        Ratings = "ratings" / "Session ratings",
        SurveyChange = "survey-change" / "Change in the pre/post survey",
        SurveyPost = "survey-post" / "Post-program survey",
        Observations = "observations" / "Observations",
        ReliableChange = "reliable-change" / "Reliable change on a scale",
    }
);

vocabulary!(
    /// Whether a required driver (an enabler) is in place (FORMAT.md v1.2).
    DriverStatus {
        Planned = "planned" / "planned",
        InProgress = "in-progress" / "in progress",
        Done = "done" / "in place",
        Dropped = "dropped" / "dropped",
    }
);

vocabulary!(
    /// When an instrument is used.
    When {
        Pre = "pre" / "Before the program",
        Post = "post" / "After the program",
        EachSession = "each-session" / "Every session",
        FollowUp = "follow-up" / "Follow-up",
    }
);

/// `program.yaml`: one program of the site, for one client organization.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProgramDoc {
    /// The program's name, as participants know it.
    pub title: String,
    /// The client organization.
    #[serde(default)]
    pub organization: Option<String>,
    /// One paragraph about the program; markdown allowed.
    #[serde(default)]
    pub summary: Option<String>,
    /// Who takes part, e.g. "Managers and producers".
    #[serde(default)]
    pub audience: Option<String>,
    /// How many participants.
    #[serde(default)]
    pub cohort_size: Option<u32>,
    /// The first day (YYYY-MM-DD); sessions with a `week` get their dates from it.
    #[serde(default)]
    pub start: Option<NaiveDate>,
    /// Who runs the sessions.
    #[serde(default)]
    pub facilitators: Vec<String>,
    /// Drafts are built only with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// The client's logo on the program's pages (header and print): an
    /// image file under the site's `static/` folder, e.g.
    /// `static/acme.svg`. Default: the site's `logo`.
    #[serde(default)]
    #[schemars(pattern(r"^static/"))]
    pub logo: Option<String>,
    /// The accent colour of the program's pages, a CSS hex colour in
    /// quotes (`"#1f5f8b"`: unquoted, `#` starts a YAML comment). Default:
    /// the site's `accent`.
    #[serde(default, deserialize_with = "present")]
    #[schemars(with = "String", pattern(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"))]
    pub accent: Option<Option<String>>,
    /// When follow-up instruments (`when: [follow-up]`) are used: days
    /// after the last dated session, 1 to 728, e.g. `[90]`. Each becomes
    /// an event of the calendar.
    #[serde(default)]
    #[schemars(inner(range(min = 1, max = 728)))]
    pub follow_up: Vec<u32>,
}

/// `cohorts/<cohort>/cohort.yaml`: one run of a program (FORMAT.md v1.2).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CohortDoc {
    /// The run's name, e.g. "Spring 2026".
    pub title: String,
    /// Its first day (YYYY-MM-DD): week numbers count from here.
    pub start: NaiveDate,
    /// How many participants.
    #[serde(default)]
    pub cohort_size: Option<u32>,
    /// Who runs its sessions.
    #[serde(default)]
    pub facilitators: Vec<String>,
    /// A session's date in this run, by session id (overrides its week).
    #[serde(default)]
    pub dates: std::collections::BTreeMap<String, NaiveDate>,
}

/// Step 1, `alignment/competencies.yaml`: core values and the competencies
/// that live them, each with observable behaviours.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CompetenciesDoc {
    /// The organization's core values.
    #[serde(default)]
    pub values: Vec<ValueDoc>,
    /// The competencies that live the values, with observable behaviours.
    #[serde(default)]
    pub competencies: Vec<CompetencyDoc>,
}

/// A core value of the organization.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ValueDoc {
    /// Lowercase a-z, 0-9 and `-`, unique among the program's values.
    pub id: String,
    /// The value's name, as people say it.
    pub name: String,
    /// Markdown allowed.
    #[serde(default)]
    pub description: Option<String>,
}

/// A competency the program builds.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CompetencyDoc {
    /// Lowercase a-z, 0-9 and `-`, unique among the program's competencies.
    pub id: String,
    /// The competency's name.
    pub name: String,
    /// Ids of the values it lives.
    #[serde(default)]
    pub values: Vec<String>,
    /// Markdown allowed.
    #[serde(default)]
    pub description: Option<String>,
    /// Observable: what someone would see the person do at work (not
    /// "understands", "knows", "feels").
    #[serde(default)]
    pub behaviors: Vec<String>,
}

/// Step 2, `alignment/action-map.yaml`: the business goal, what people must
/// do differently, why it is hard, and realistic practice.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActionMapDoc {
    pub goal: GoalDoc,
    /// What people must do differently at work.
    #[serde(default)]
    pub actions: Vec<ActionDoc>,
}

/// The business goal the program serves.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GoalDoc {
    /// What the business wants; markdown allowed.
    pub statement: String,
    /// How it will be measured.
    #[serde(default)]
    pub measure: Option<String>,
}

/// Something people must do differently.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActionDoc {
    /// Lowercase a-z, 0-9 and `-`, unique among the program's actions.
    pub id: String,
    /// The observable action; markdown allowed.
    pub action: String,
    /// Ids of the competencies it needs.
    #[serde(default)]
    pub competencies: Vec<String>,
    /// Why it is hard today.
    #[serde(default)]
    pub barriers: Vec<BarrierDoc>,
    /// Realistic practice activities.
    #[serde(default)]
    pub practices: Vec<PracticeDoc>,
    /// The minimum knowledge needed.
    #[serde(default)]
    pub information: Vec<String>,
}

/// Why an action is hard today.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BarrierDoc {
    pub kind: BarrierKind,
    /// Why it is hard.
    pub text: String,
    /// A fix outside training (needed for motivation and environment barriers).
    #[serde(default)]
    pub remedy: Option<String>,
}

/// A realistic practice activity.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PracticeDoc {
    /// Lowercase a-z, 0-9 and `-`, unique among the program's practices.
    pub id: String,
    /// The scenario; markdown allowed.
    pub scenario: String,
}

/// Step 3, `alignment/evaluation.yaml`: the success signals and the
/// conditions the organization must provide.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EvaluationDoc {
    /// The evaluation question, e.g. "How will we know it was worth it?".
    #[serde(default)]
    pub question: Option<String>,
    /// The behaviours and outcomes that show success.
    #[serde(default)]
    pub signals: Vec<SignalDoc>,
    /// The conditions the organization's leaders must provide.
    #[serde(default)]
    pub enablers: Vec<EnablerDoc>,
}

/// A behaviour or outcome that shows success.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignalDoc {
    /// Lowercase a-z, 0-9 and `-`, unique among the program's signals.
    pub id: String,
    /// Observable; markdown allowed.
    pub signal: String,
    pub level: Level,
    /// Ids of competencies it shows.
    #[serde(default)]
    pub competencies: Vec<String>,
    /// Ids of actions it shows.
    #[serde(default)]
    pub actions: Vec<String>,
}

/// A condition the organization must provide.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EnablerDoc {
    /// Lowercase a-z, 0-9 and `-`, unique among the program's enablers.
    pub id: String,
    /// The condition, e.g. "Leaders set clear expectations".
    pub enabler: String,
    /// Who provides it.
    #[serde(default)]
    pub owner: Option<String>,
    /// v1.2: when it should be in place (YYYY-MM-DD).
    #[serde(default)]
    pub due: Option<NaiveDate>,
    /// v1.2: `planned`, `in-progress`, `done` or `dropped`.
    #[serde(default)]
    pub status: Option<DriverStatus>,
    /// v1.2: what shows it is in place; markdown allowed.
    #[serde(default)]
    pub evidence: Option<String>,
}

/// Step 4, `alignment/metrics.yaml`: what is measured, and with what.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MetricsDoc {
    /// What is measured, against which target.
    #[serde(default)]
    pub metrics: Vec<MetricDoc>,
    /// How the data is collected.
    #[serde(default)]
    pub instruments: Vec<InstrumentDoc>,
    /// v1.2: how survey items read and score.
    #[serde(default)]
    pub survey_items: Vec<SurveyItemDoc>,
    /// v1.2: multi-item scales.
    #[serde(default)]
    pub scales: Vec<ScaleDoc>,
}

/// A metric and its target.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MetricDoc {
    /// Lowercase a-z, 0-9 and `-`, unique among the program's metrics.
    pub id: String,
    /// The metric's name.
    pub name: String,
    pub category: MetricCategory,
    /// The id of the instrument that collects it.
    #[serde(default)]
    pub instrument: Option<String>,
    /// A number; a fraction for rates (0.8 is 80%).
    #[serde(default)]
    pub target: Option<f64>,
    /// LTEM tier, 1 (attendance) to 8 (effects of transfer).
    #[serde(default)]
    #[schemars(range(min = 1, max = 8))]
    pub tier: Option<u8>,
    /// Ids of the success signals it evidences.
    #[serde(default)]
    pub signals: Vec<String>,
    /// v1.1: where the metric's actual comes from.
    #[serde(default)]
    pub source: Option<Source>,
    /// v1.1: the survey items a survey source reads (every item when omitted).
    #[serde(default)]
    pub items: Option<Vec<String>>,
    /// v1.1: which side of the target is good (default higher).
    #[serde(default)]
    pub better: Option<Better>,
    /// v1.2: whose answers a survey source reads (default self).
    #[serde(default)]
    pub rater: Option<RaterChoice>,
    /// v1.2: which phases `survey-change` or `reliable-change` compares
    /// (default pre-post).
    #[serde(default)]
    pub compare: Option<Compare>,
}

/// How data is collected.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct InstrumentDoc {
    /// Lowercase a-z, 0-9 and `-`, unique among the program's instruments.
    pub id: String,
    /// The instrument's name.
    pub name: String,
    pub kind: InstrumentKind,
    /// When it is used.
    #[serde(default)]
    pub when: Vec<When>,
}

/// The YAML front matter of a session guide (`sessions/*.md`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SessionDoc {
    /// The session's title.
    pub title: String,
    pub kind: SessionKind,
    /// The week of the program, 1 to 104 (or give `date`).
    #[serde(default)]
    #[schemars(range(min = 1, max = 104))]
    pub week: Option<u32>,
    /// The day of the session (YYYY-MM-DD).
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Minutes, at most 1440.
    #[serde(default)]
    #[schemars(range(max = 1440))]
    pub duration: Option<u32>,
    /// A grouping on the curriculum.
    #[serde(default)]
    pub module: Option<String>,
    /// Ids of the competencies it builds.
    #[serde(default)]
    pub competencies: Vec<String>,
    /// Ids of the actions it practises.
    #[serde(default)]
    pub actions: Vec<String>,
    /// Ids of the practice scenarios it uses.
    #[serde(default)]
    pub practices: Vec<String>,
    /// Ids of the metrics it collects.
    #[serde(default)]
    pub metrics: Vec<String>,
    /// Ids of sessions that must come first.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Who the session is for: `everyone` (default) or `facilitator` (left
    /// out of the participant edition).
    #[serde(default)]
    pub audience: Option<Audience>,
    /// What the session is for, in a sentence or two (markdown); the
    /// participant workbook opens the session with it.
    #[serde(default)]
    pub purpose: Option<String>,
}

/// The front matter of a program's session that starts from a library
/// guide (`from: library:<id>`, FORMAT.md v1.2): every key of
/// [`SessionDoc`] may be given, and overrides the library guide's.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SessionFromDoc {
    /// `library:` and the id of a guide in `library/sessions/`.
    #[schemars(regex(pattern = r"^library:[a-z0-9]+(-[a-z0-9]+)*$"))]
    pub from: String,
    pub title: Option<String>,
    pub kind: Option<SessionKind>,
    #[schemars(range(min = 1, max = 104))]
    pub week: Option<u32>,
    pub date: Option<NaiveDate>,
    #[schemars(range(max = 1440))]
    pub duration: Option<u32>,
    pub module: Option<String>,
    pub competencies: Option<Vec<String>>,
    pub actions: Option<Vec<String>>,
    pub practices: Option<Vec<String>>,
    pub metrics: Option<Vec<String>>,
    pub requires: Option<Vec<String>>,
    pub audience: Option<Audience>,
    pub purpose: Option<String>,
}

impl SessionFromDoc {
    /// The keys it gives, which override the library guide's.
    pub(crate) fn keys(&self) -> Vec<&'static str> {
        let given = [
            ("title", self.title.is_some()),
            ("kind", self.kind.is_some()),
            ("week", self.week.is_some()),
            ("date", self.date.is_some()),
            ("duration", self.duration.is_some()),
            ("module", self.module.is_some()),
            ("competencies", self.competencies.is_some()),
            ("actions", self.actions.is_some()),
            ("practices", self.practices.is_some()),
            ("metrics", self.metrics.is_some()),
            ("requires", self.requires.is_some()),
            ("audience", self.audience.is_some()),
            ("purpose", self.purpose.is_some()),
        ];
        given.iter().filter(|(_, g)| *g).map(|(k, _)| *k).collect()
    }

    /// The library guide's front matter `base` with this one's keys over it.
    pub(crate) fn over(self, base: &SessionDoc) -> SessionDoc {
        let b = base.clone();
        SessionDoc {
            title: self.title.unwrap_or(b.title),
            kind: self.kind.unwrap_or(b.kind),
            week: self.week.or(b.week),
            date: self.date.or(b.date),
            duration: self.duration.or(b.duration),
            module: self.module.or(b.module),
            competencies: self.competencies.unwrap_or(b.competencies),
            actions: self.actions.unwrap_or(b.actions),
            practices: self.practices.unwrap_or(b.practices),
            metrics: self.metrics.unwrap_or(b.metrics),
            requires: self.requires.unwrap_or(b.requires),
            audience: self.audience.or(b.audience),
            purpose: self.purpose.or(b.purpose),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("delegation"));
        assert!(is_valid_id("01-kickoff"));
        assert!(!is_valid_id("Delegation"));
        assert!(!is_valid_id("team_ownership"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("-x"));
        assert_eq!(suggest_id("Team Ownership!"), "team-ownership");
    }
}
