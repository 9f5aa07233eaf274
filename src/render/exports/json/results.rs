//! The `results` part of `program.json`: every figure the results page and
//! the impact report show, as numbers — per-session attendance and
//! ratings and their program-wide summaries (pooled and mean attendance,
//! overall ratings, ratings by kind of session, the trend), each survey
//! item's paired statistics and answers point by point, observations and
//! comments. Exact figures (rates, means, changes) are written as the f64
//! nearest them, which JSON prints as the shortest number that reads back
//! as that f64: a mean of 1.45 is `1.45`, never `1.4500000000000002`.

use schemars::JsonSchema;
use serde::Serialize;

use crate::evidence::exact::{self, Decimal};
use crate::evidence::stats::Tests;
use crate::evidence::{AttendanceSummary, Evidence, ItemResult, RatingSummary, RatingsSummary};
use crate::graph::{Entity, Ix, Program};

fn id<T: Entity>(p: &Program, ix: Option<Ix<T>>) -> Option<String> {
    ix.map(|i| p[i].id().to_string())
}

fn num(x: Decimal) -> f64 {
    exact::to_f64(x)
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct ResultsExport {
    pub attendance: Vec<AttendanceExport>,
    /// Over every session with attendance (null without any).
    pub attendance_summary: Option<AttendanceSummaryExport>,
    pub ratings: Vec<RatingsExport>,
    /// Over every rated session (null without ratings).
    pub ratings_summary: Option<RatingsSummaryExport>,
    pub survey: Vec<SurveyExport>,
    pub observations: Vec<ObservationExport>,
    pub feedback: Vec<FeedbackExport>,
    /// v1.2 behaviour evidence (null when the pages show none).
    pub behaviour: Option<super::behaviour::BehaviourExport>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct AttendanceExport {
    pub session: String,
    pub present: u32,
    pub total: u32,
    pub rate: f64,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct AttendanceSummaryExport {
    /// The fewest and the most participants present at a session.
    pub present_min: u32,
    pub present_max: u32,
    /// The mean of the sessions' rates.
    pub mean_rate: f64,
    /// Present rows ÷ all rows.
    pub pooled_rate: f64,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RatingsExport {
    pub session: String,
    pub n: usize,
    pub mean: f64,
    /// How many ratings at each point of the scale, from the lowest.
    pub distribution: Vec<usize>,
    /// The share in the top two points.
    pub top_two: f64,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RatingsSummaryExport {
    /// Every rating of every session.
    pub overall: RatingStatsExport,
    /// By kind of session (`workshop`, …).
    pub by_kind: Vec<KindRatingsExport>,
    /// Null with fewer than two rated sessions.
    pub trend: Option<TrendExport>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RatingStatsExport {
    pub n: usize,
    pub mean: f64,
    pub distribution: Vec<usize>,
    pub top_two: f64,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct KindRatingsExport {
    pub kind: String,
    pub n: usize,
    pub mean: f64,
    pub distribution: Vec<usize>,
    pub top_two: f64,
}

/// How session ratings move through the curriculum.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct TrendExport {
    /// Change of the mean rating per session of the curriculum: the
    /// least-squares slope of the rated sessions' mean ratings over their
    /// session numbers (an unrated session keeps its number).
    pub slope: f64,
    /// How many rated sessions it is fitted to.
    pub sessions: usize,
}

/// A survey item over paired participants.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct SurveyExport {
    pub item: String,
    pub competency: Option<String>,
    /// Its lowest and highest possible score (null when scores fall
    /// outside the default 1–5 and no range is declared).
    pub range: Option<[f64; 2]>,
    /// `higher` or `lower`: which direction is better.
    pub better: String,
    /// Participants with both scores.
    pub n: usize,
    pub pre_only: usize,
    pub post_only: usize,
    pub mean_pre: Option<f64>,
    pub mean_post: Option<f64>,
    pub mean_change: Option<f64>,
    pub improved: usize,
    pub unchanged: usize,
    pub declined: usize,
    /// From three pairs whose changes vary: the interval, tests and d_z.
    pub tests: Option<TestsExport>,
    /// How the paired participants answered, point by point (null when the
    /// answers are not whole points of a range of at most seven).
    pub answers: Option<AnswersExport>,
}

/// The counts behind the answers' chart and table.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct AnswersExport {
    /// The lowest and highest point.
    pub range: [i64; 2],
    /// How many gave each point, from the lowest, before and after.
    pub pre: Vec<usize>,
    pub post: Vec<usize>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct TestsExport {
    pub sd_change: f64,
    /// The 95% t interval of the mean change.
    pub ci: [f64; 2],
    pub t: f64,
    pub df: f64,
    pub p_t: f64,
    /// `p_t`, Holm-adjusted across the program's items with a t-test.
    pub p_t_holm: Option<f64>,
    pub d_z: f64,
    /// Its exact 95% interval (noncentral t).
    pub d_z_ci: [f64; 2],
    /// Hedges' g_z: d_z × J(df), J = Γ(df/2) ÷ (√(df/2) · Γ((df − 1)/2)).
    pub g_z: f64,
    /// d_z's interval × J(df).
    pub g_z_ci: [f64; 2],
    /// Wilcoxon signed-rank p (null when every change is zero): zeros
    /// dropped, ties given mid-ranks.
    pub p_wilcoxon: Option<f64>,
    /// How it was found: `exact` (up to 50 changes that are not zero) or
    /// `normal` (the normal approximation with continuity and tie
    /// correction).
    #[schemars(extend("enum" = ["exact", "normal"]))]
    pub wilcoxon_method: &'static str,
    /// How many changes were not zero: the Wilcoxon test's n.
    pub nonzero: usize,
    /// The smallest p the Wilcoxon test could give with `nonzero` changes
    /// (2 ÷ 2^n: above 0.05 below six).
    pub wilcoxon_smallest_p: f64,
}

#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct ObservationExport {
    pub metric: String,
    pub date: String,
    pub value: f64,
    pub note: Option<String>,
}

/// A participant's comment, without who said it.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct FeedbackExport {
    pub comment: String,
    pub session: Option<String>,
    pub competency: Option<String>,
    pub signal: Option<String>,
}

fn stats(r: &RatingSummary) -> RatingStatsExport {
    RatingStatsExport {
        n: r.n,
        mean: num(r.mean),
        distribution: r.distribution.clone(),
        top_two: num(r.top_two),
    }
}

impl ResultsExport {
    pub(crate) fn of(p: &Program, ev: &Evidence) -> Self {
        ResultsExport {
            attendance: attendance(p, &ev.attendance),
            attendance_summary: attendance_summary(&ev.attendance),
            ratings: ratings(p, &ev.ratings),
            ratings_summary: ratings_summary(&ev.ratings),
            survey: ev.items.iter().map(|r| SurveyExport::of(p, r)).collect(),
            observations: observations(p),
            feedback: feedback(p),
            behaviour: super::behaviour::of(p, &ev.behaviour, ev.min_raters),
        }
    }
}

/// Each session's attendance.
fn attendance(p: &Program, a: &AttendanceSummary) -> Vec<AttendanceExport> {
    a.sessions
        .iter()
        .map(|a| AttendanceExport {
            session: p[a.session].id.clone(),
            present: a.present,
            total: a.total,
            rate: num(a.rate),
        })
        .collect()
}

/// Attendance over every session (None without any).
fn attendance_summary(a: &AttendanceSummary) -> Option<AttendanceSummaryExport> {
    match (a.present_range, a.mean_rate, a.pooled_rate) {
        (Some((lo, hi)), Some(mean), Some(pooled)) => Some(AttendanceSummaryExport {
            present_min: lo,
            present_max: hi,
            mean_rate: num(mean),
            pooled_rate: num(pooled),
        }),
        _ => None,
    }
}

/// Each rated session's ratings.
fn ratings(p: &Program, g: &RatingsSummary) -> Vec<RatingsExport> {
    g.sessions
        .iter()
        .map(|(s, r)| RatingsExport {
            session: p[*s].id.clone(),
            n: r.n,
            mean: num(r.mean),
            distribution: r.distribution.clone(),
            top_two: num(r.top_two),
        })
        .collect()
}

/// Ratings over every rated session, by kind of session and their trend
/// (None without ratings).
fn ratings_summary(g: &RatingsSummary) -> Option<RatingsSummaryExport> {
    g.overall.as_ref().map(|o| RatingsSummaryExport {
        overall: stats(o),
        by_kind: g
            .by_kind
            .iter()
            .map(|(k, r)| {
                let s = stats(r);
                KindRatingsExport {
                    kind: k.as_str().into(),
                    n: s.n,
                    mean: s.mean,
                    distribution: s.distribution,
                    top_two: s.top_two,
                }
            })
            .collect(),
        trend: g.trend.map(|t| TrendExport {
            slope: num(t.slope),
            sessions: t.sessions,
        }),
    })
}

impl SurveyExport {
    /// A survey item's paired statistics and answers point by point.
    fn of(p: &Program, r: &ItemResult) -> Self {
        let item = &p.results.survey[r.item];
        let x = r.paired.as_ref();
        SurveyExport {
            item: item.item.clone(),
            competency: id(p, item.competency),
            range: r.scale.range.map(|(lo, hi)| [num(lo), num(hi)]),
            better: r.scale.better.as_str().into(),
            n: x.map_or(0, |x| x.n),
            pre_only: r.pre_only,
            post_only: r.post_only,
            mean_pre: x.map(|x| num(x.mean_pre)),
            mean_post: x.map(|x| num(x.mean_post)),
            mean_change: x.map(|x| num(x.mean_change)),
            improved: x.map_or(0, |x| x.improved),
            unchanged: x.map_or(0, |x| x.unchanged),
            declined: x.map_or(0, |x| x.declined),
            tests: x
                .and_then(|x| x.tests.as_ref())
                .map(|t| TestsExport::of(t, r.p_holm)),
            answers: r.answers.as_ref().ok().map(|c| AnswersExport {
                range: [c.lo, c.hi],
                pre: c.pre.clone(),
                post: c.post.clone(),
            }),
        }
    }
}

impl TestsExport {
    /// An item's tests, with its Holm-adjusted p.
    fn of(t: &Tests, p_holm: Option<f64>) -> Self {
        TestsExport {
            sd_change: t.sd_change,
            ci: [t.ci.0, t.ci.1],
            t: t.t,
            df: t.df,
            p_t: t.p_t,
            p_t_holm: p_holm,
            d_z: t.d_z,
            d_z_ci: [t.d_z_ci.0, t.d_z_ci.1],
            g_z: t.g_z,
            g_z_ci: [t.g_z_ci.0, t.g_z_ci.1],
            p_wilcoxon: t.p_wilcoxon,
            wilcoxon_method: t.wilcoxon_method.as_str(),
            nonzero: t.nonzero,
            wilcoxon_smallest_p: t.wilcoxon().smallest_p(),
        }
    }
}

/// Each observation of a metric.
fn observations(p: &Program) -> Vec<ObservationExport> {
    p.results
        .observations
        .iter()
        .map(|o| ObservationExport {
            metric: p[o.metric].id.clone(),
            date: o.date.to_string(),
            value: num(o.value),
            note: o.note.clone(),
        })
        .collect()
}

/// Each comment, with what it is about.
fn feedback(p: &Program) -> Vec<FeedbackExport> {
    p.results
        .feedback
        .iter()
        .map(|f| FeedbackExport {
            comment: f.comment.clone(),
            session: id(p, f.session),
            competency: id(p, f.competency),
            signal: id(p, f.signal),
        })
        .collect()
}
