//! Model: the typed documents an author writes, before any id is resolved.
//!
//! One struct per file kind of FORMAT.md (`program.yaml`, the four alignment
//! files, session front matter), each denying unknown keys, plus the closed
//! vocabularies (session kinds, barrier kinds, signal levels, ...). Ids here
//! are still strings; `resolve` turns them into a checked graph.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Ids are lowercase `a-z0-9-`, starting with a letter or digit.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

/// An id made valid, for hints: `Team Ownership` → `team-ownership`.
pub fn suggest_id(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// What a document type is called in messages: serde names the Rust type
/// (`expected struct SessionDoc`), authors know the file.
pub fn doc_name(rust_name: &str) -> Option<&'static str> {
    Some(match rust_name {
        "ConfigDoc" => "the keys of playbook.yaml",
        "ProgramDoc" => "the keys of program.yaml",
        "CompetenciesDoc" => "the keys of competencies.yaml",
        "ActionMapDoc" => "the keys of action-map.yaml",
        "EvaluationDoc" => "the keys of evaluation.yaml",
        "MetricsDoc" => "the keys of metrics.yaml",
        "SessionDoc" => "the keys of a session guide's front matter",
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
        _ => return None,
    })
}

macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
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
    }
);

vocabulary!(
    /// Which side of its target a metric should be on.
    Better {
        Higher = "higher" / "Higher is better",
        Lower = "lower" / "Lower is better",
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

/// `program.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramDoc {
    pub title: String,
    #[serde(default)]
    pub organization: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub audience: Option<String>,
    #[serde(default)]
    pub cohort_size: Option<u32>,
    #[serde(default)]
    pub start: Option<NaiveDate>,
    #[serde(default)]
    pub facilitators: Vec<String>,
    #[serde(default)]
    pub draft: bool,
}

/// Step 1: `alignment/competencies.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompetenciesDoc {
    #[serde(default)]
    pub values: Vec<ValueDoc>,
    #[serde(default)]
    pub competencies: Vec<CompetencyDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueDoc {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompetencyDoc {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub behaviors: Vec<String>,
}

/// Step 2: `alignment/action-map.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionMapDoc {
    pub goal: GoalDoc,
    #[serde(default)]
    pub actions: Vec<ActionDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalDoc {
    pub statement: String,
    #[serde(default)]
    pub measure: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionDoc {
    pub id: String,
    pub action: String,
    #[serde(default)]
    pub competencies: Vec<String>,
    #[serde(default)]
    pub barriers: Vec<BarrierDoc>,
    #[serde(default)]
    pub practices: Vec<PracticeDoc>,
    #[serde(default)]
    pub information: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BarrierDoc {
    pub kind: BarrierKind,
    pub text: String,
    #[serde(default)]
    pub remedy: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeDoc {
    pub id: String,
    pub scenario: String,
}

/// Step 3: `alignment/evaluation.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationDoc {
    #[serde(default)]
    pub question: Option<String>,
    #[serde(default)]
    pub signals: Vec<SignalDoc>,
    #[serde(default)]
    pub enablers: Vec<EnablerDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalDoc {
    pub id: String,
    pub signal: String,
    pub level: Level,
    #[serde(default)]
    pub competencies: Vec<String>,
    #[serde(default)]
    pub actions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnablerDoc {
    pub id: String,
    pub enabler: String,
    #[serde(default)]
    pub owner: Option<String>,
}

/// Step 4: `alignment/metrics.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsDoc {
    #[serde(default)]
    pub metrics: Vec<MetricDoc>,
    #[serde(default)]
    pub instruments: Vec<InstrumentDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricDoc {
    pub id: String,
    pub name: String,
    pub category: MetricCategory,
    #[serde(default)]
    pub instrument: Option<String>,
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    pub tier: Option<u8>,
    #[serde(default)]
    pub signals: Vec<String>,
    /// v1.1: where the metric's actual comes from.
    #[serde(default)]
    pub source: Option<Source>,
    /// v1.1: the survey items a survey source reads (every item when omitted).
    #[serde(default)]
    pub items: Option<Vec<String>>,
    /// v1.1: which side of the target is good.
    #[serde(default)]
    pub better: Option<Better>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstrumentDoc {
    pub id: String,
    pub name: String,
    pub kind: InstrumentKind,
    #[serde(default)]
    pub when: Vec<When>,
}

/// The YAML front matter of a session guide.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionDoc {
    pub title: String,
    pub kind: SessionKind,
    #[serde(default)]
    pub week: Option<u32>,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub duration: Option<u32>,
    #[serde(default)]
    pub module: Option<String>,
    #[serde(default)]
    pub competencies: Vec<String>,
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default)]
    pub practices: Vec<String>,
    #[serde(default)]
    pub metrics: Vec<String>,
    #[serde(default)]
    pub requires: Vec<String>,
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
