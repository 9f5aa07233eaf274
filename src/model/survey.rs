//! The v1.2 survey vocabulary and keys (FORMAT.md v1.2, "Survey: raters,
//! phases, dates" and "Survey items and scales"): who rated, in which
//! phase, which phases a metric compares, and the `survey_items` and
//! `scales` of metrics.yaml; and which side is better, of a metric's
//! target or a survey item's range.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

vocabulary!(
    /// Which side of its target a metric (or of its range a survey item) should be on.
    Better {
        Higher = "higher" / "Higher is better",
        Lower = "lower" / "Lower is better",
    }
);

vocabulary!(
    /// Who answered a survey row about the participant (`rater` of
    /// survey.csv, FORMAT.md v1.2).
    RaterKind {
        Own = "self" / "Self",
        Manager = "manager" / "Manager",
        Peer = "peer" / "Peers",
        Report = "report" / "Direct reports",
        Other = "other" / "Others",
    }
);

vocabulary!(
    /// Whose answers a survey metric reads (`rater` of a metric).
    RaterChoice {
        Own = "self" / "Self",
        Manager = "manager" / "Manager",
        Peer = "peer" / "Peers",
        Report = "report" / "Direct reports",
        Others = "others" / "Everyone but self",
    }
);

vocabulary!(
    /// The phases of a survey (`phase` of survey.csv).
    Phase {
        Pre = "pre" / "Before",
        Then = "then" / "Then (asked after)",
        Post = "post" / "After",
        FollowUp = "follow-up" / "Follow-up",
    }
);

vocabulary!(
    /// Which two phases a survey-change metric compares.
    Compare {
        PrePost = "pre-post" / "before → after",
        ThenPost = "then-post" / "then → after",
        PreFollowUp = "pre-follow-up" / "before → follow-up",
        PostFollowUp = "post-follow-up" / "after → follow-up",
    }
);

impl Compare {
    /// The phase before and the phase after.
    pub fn phases(self) -> (Phase, Phase) {
        match self {
            Compare::PrePost => (Phase::Pre, Phase::Post),
            Compare::ThenPost => (Phase::Then, Phase::Post),
            Compare::PreFollowUp => (Phase::Pre, Phase::FollowUp),
            Compare::PostFollowUp => (Phase::Post, Phase::FollowUp),
        }
    }
}

/// v1.2: how a survey item reads and scores.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SurveyItemDoc {
    /// The item as survey.csv names it (an id).
    pub id: String,
    /// The question or statement, as asked.
    #[serde(default)]
    pub text: Option<String>,
    /// The lowest and highest possible score, default [1, 5].
    #[serde(default)]
    pub range: Option<Vec<f64>>,
    /// Which end of the range is good (default higher).
    #[serde(default)]
    pub better: Option<Better>,
}

/// v1.2: a multi-item scale; a participant's score is the mean of its
/// items in one phase.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScaleDoc {
    /// Unique among the program's survey items and scales.
    pub id: String,
    /// The scale's name.
    pub name: String,
    /// Its survey items (two or more).
    pub items: Vec<String>,
    /// Items scored as min + max − score inside the scale.
    #[serde(default)]
    pub reversed: Vec<String>,
}
