//! The template context of the results page and the impact report: a
//! metric as evidence, comments, the survey's items and answers,
//! attendance, ratings, observed series and what the impact report adds — the types only, made by [`super::results`]
//! and [`super::answers`], re-exported by [`super`] (docs/themes.md lists
//! their fields).

use serde::Serialize;

use super::impact;
use super::link::LinkView;

/// A metric as evidence: its link, status, actual and target.
#[derive(Serialize, Clone)]
pub(crate) struct MetricStatusView {
    pub link: LinkView,
    /// When its actual counts only some of the sessions with data (those
    /// that list it): `counts the 3 of 8 rated sessions that list it`, so
    /// that it is not read against the figure of all sessions beside it.
    pub scope: Option<String>,
    pub status: &'static str,
    pub status_label: &'static str,
    pub actual_display: Option<String>,
    pub target_display: Option<String>,
    pub n: usize,
    /// As a metric's: `120 places`, `10 people, 17 answers`.
    pub n_display: String,
}

/// A participant's comment (never who said it).
#[derive(Serialize, Clone)]
pub(crate) struct FeedbackView {
    pub comment: String,
    pub session: Option<LinkView>,
    pub competency: Option<LinkView>,
    pub signal: Option<LinkView>,
}

/// The answers to the items on one scale, before and after: diverging
/// bars and their table.
#[derive(Serialize, Clone)]
pub(crate) struct AnswersView {
    /// `1–5`.
    pub scale: String,
    /// The scale's points, from the lowest.
    pub levels: Vec<i64>,
    pub items: Vec<AnswerItem>,
    pub svg: String,
}

/// One item's answers over its paired participants: `2 (14%)` per point
/// of the scale, before and after.
#[derive(Serialize, Clone)]
pub(crate) struct AnswerItem {
    pub item: String,
    pub link: Option<LinkView>,
    pub n: usize,
    pub pre: Vec<String>,
    pub post: Vec<String>,
}

/// One pre/post survey item, analysed over paired respondents.
#[derive(Serialize, Clone)]
pub(crate) struct SurveyView {
    pub item: String,
    /// The competency it names.
    pub link: Option<LinkView>,
    /// Its range, and its direction when lower is better: `on 1–5`,
    /// `on 1–5, lower is better`; `no range declared (scores from 0 to 95)` when
    /// scores fall outside the default 1–5.
    pub scale: String,
    pub lower_is_better: bool,
    /// Participants with both scores.
    pub n: usize,
    pub pre_only: usize,
    pub post_only: usize,
    /// The change in plain words: `a large, reliable improvement (14
    /// people)`.
    pub plain: String,
    pub mean_pre: Option<String>,
    pub mean_post: Option<String>,
    pub mean_change: Option<String>,
    pub improved: usize,
    pub unchanged: usize,
    pub declined: usize,
    /// Fewer than three pairs: means and counts only.
    pub too_few: bool,
    /// Fewer than ten pairs.
    pub small: bool,
    /// Every change is the same: no interval, no test.
    pub all_equal: bool,
    pub ci: Option<String>,
    pub d_z: Option<String>,
    pub d_z_ci: Option<String>,
    /// Hedges' g_z and its interval.
    pub g_z: Option<String>,
    pub g_z_ci: Option<String>,
    pub p_t: Option<String>,
    /// The t-test's p, Holm-adjusted across the program's items.
    pub p_holm: Option<String>,
    pub p_wilcoxon: Option<String>,
    /// How the Wilcoxon p was found: `exact`, or `normal approximation
    /// with continuity and tie correction`.
    pub wilcoxon_method: Option<&'static str>,
    /// How many changes were not zero: the Wilcoxon test's n.
    pub nonzero: Option<usize>,
    /// Fewer than six non-zero changes: no outcome of the Wilcoxon test
    /// could reach p < 0.05.
    pub wilcoxon_cannot_reach: bool,
    /// |g_z|, for ranking the largest changes.
    #[serde(skip)]
    pub standardized: Option<f64>,
}

/// Attendance of one session.
#[derive(Serialize, Clone)]
pub(crate) struct AttendanceRow {
    pub link: LinkView,
    pub number: usize,
    pub present: u32,
    pub total: u32,
    /// One decimal.
    pub percent: String,
}

#[derive(Serialize, Clone)]
pub(crate) struct AttendanceResults {
    pub sessions: Vec<AttendanceRow>,
    /// The fewest and most participants present at a session: `9–14`.
    pub present_range: Option<String>,
    pub mean_rate: Option<String>,
    pub pooled_rate: Option<String>,
    /// The metrics whose source is attendance.
    pub targets: Vec<MetricStatusView>,
    pub svg: String,
}

/// The ratings of one session, or of a group of sessions.
#[derive(Serialize, Clone)]
pub(crate) struct RatingRow {
    pub link: Option<LinkView>,
    pub number: Option<usize>,
    pub label: String,
    pub n: usize,
    pub mean: String,
    /// Count per scale point, from the lowest.
    pub distribution: Vec<usize>,
    pub top_two: String,
}

#[derive(Serialize, Clone)]
pub(crate) struct RatingsResults {
    pub sessions: Vec<RatingRow>,
    pub overall: RatingRow,
    /// The scale points, from the lowest.
    pub scale: Vec<u8>,
    /// `+0.15 per session over 5 sessions`.
    pub trend: Option<String>,
    pub by_kind: Vec<RatingRow>,
    pub targets: Vec<MetricStatusView>,
    pub svg: String,
}

/// A value of an observed metric.
#[derive(Serialize, Clone)]
pub(crate) struct PointView {
    pub date: String,
    pub date_iso: String,
    pub value: String,
}

/// An observed metric over time.
#[derive(Serialize, Clone)]
pub(crate) struct SeriesView {
    pub link: LinkView,
    pub points: Vec<PointView>,
    pub baseline: String,
    pub latest: String,
    pub target_display: Option<String>,
    pub svg: String,
}

#[derive(Serialize, Clone)]
pub(crate) struct ResultsView {
    pub has_any: bool,
    pub attendance: Option<AttendanceResults>,
    pub ratings: Option<RatingsResults>,
    pub survey: Vec<SurveyView>,
    /// The survey's answers, one chart per scale; and the items not drawn.
    pub answers: Vec<AnswersView>,
    pub answers_not_drawn: Option<String>,
    /// How the survey is analysed, in one sentence.
    pub survey_method: &'static str,
    pub observations: Vec<SeriesView>,
    pub feedback: Vec<FeedbackView>,
}

/// What the impact report adds to the program's views.
#[derive(Serialize, Clone)]
pub(crate) struct ImpactView {
    /// The survey items with the largest changes (with an interval).
    pub top_changes: Vec<SurveyView>,
    /// Their scale when they share it (`on 1–5`), said once instead of on
    /// each row.
    pub top_scale: Option<String>,
    /// Their answers, before and after.
    pub answers: Vec<AnswersView>,
    /// A few comments.
    pub comments: Vec<FeedbackView>,
    /// Signals met, partly met, not met, without data.
    pub met: usize,
    pub partly_met: usize,
    pub not_met: usize,
    pub no_data: usize,
    /// The evaluation question's answer, before any table.
    pub answer: impact::ImpactAnswer,
}
