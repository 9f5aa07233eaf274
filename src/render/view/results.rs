//! The views of a program's evidence: metric and signal statuses, the
//! pre/post survey, attendance, ratings, observed series, comments and the
//! impact report — each number formatted once, each chart drawn with its
//! data beside it.

use crate::evidence::exact::{self, Decimal};
use crate::evidence::stats::Paired;
use crate::evidence::{Evidence, ItemResult, ItemScale, MetricResult, RatingSummary, Series};
use crate::graph::{Competency, Feedback, Ix, Metric, Program, Session, Signal, RATING_SCALE};
use crate::model::{Better, Source};

use super::super::format;
use super::super::links::Links;
use super::super::svg::{self, Bar, Caption, Point, Scale, TargetLine};
use super::*;

/// How the survey is analysed, as the results page says it.
pub(crate) const SURVEY_METHOD: &str = "Each item is compared over the participants who answered it both before and after (paired). The mean change has a 95% t interval. The standardized change d_z (mean change ÷ sd of the changes) has an exact 95% interval from the noncentral t distribution; Hedges' g_z is d_z corrected for its small-sample bias (×J: about 9% with ten people), its interval d_z's ×J. p comes from the paired t-test, with Holm's adjustment across this program's items (p Holm), and, as a check, from the Wilcoxon signed-rank test: zero changes are dropped (its count is of the non-zero changes), tied changes get mid-ranks, and with fewer than six non-zero changes it cannot reach 0.05; its p is exact up to 50 non-zero changes, beyond from the normal approximation with continuity and tie correction (each p says which). Means are exact and rounded half up.";

/// An item's range and direction: `on 1–5`, `on 1–5, lower is better`.
pub(crate) fn scale(s: &ItemScale) -> String {
    let range = match (s.range, s.observed) {
        (Some((lo, hi)), _) => format!("on {}–{}", format::written(lo), format::written(hi)),
        (None, Some((lo, hi))) => format!(
            "no range declared (scores from {} to {})",
            format::written(lo),
            format::written(hi)
        ),
        (None, None) => "no range declared".into(),
    };
    match s.better {
        Better::Lower => format!("{range}, lower is better"),
        Better::Higher => range,
    }
}

/// A metric's status, actual and target, behind a signal or a chart.
pub(crate) fn metric_status(
    p: &Program,
    links: &Links,
    ev: &Evidence,
    m: Ix<Metric>,
) -> MetricStatusView {
    let r = &ev.metrics[m.index()];
    MetricStatusView {
        link: links.one(m),
        scope: scope(p, m),
        status: r.status.as_str(),
        status_label: r.status.label(),
        actual_display: r.actual.map(|a| format::actual(&p[m], a)),
        target_display: format::target(&p[m]),
        n: r.n,
        n_display: n_display(&p[m], r),
    }
}

/// A metric's `n` with what it counts, by its source: places (a person at
/// a session), ratings, values (of the latest date observed); a survey
/// source counts people and, when it pools several items, their (person,
/// item) answers too: `10 people`, `14 people, 28 answers`.
pub(crate) fn n_display(m: &Metric, r: &MetricResult) -> String {
    let n = r.n;
    let (one, many) = match m.source {
        Some(Source::Attendance) => ("place", "places"),
        Some(Source::Ratings) => ("rating", "ratings"),
        Some(Source::SurveyChange | Source::SurveyPost) => {
            let people = format::plural(r.people.unwrap_or(n), "person", "people");
            return if r.people.is_none_or(|p| p == n) {
                people
            } else {
                format!("{people}, {}", format::plural(n, "answer", "answers"))
            };
        }
        Some(Source::Observations) => ("value on the latest date", "values on the latest date"),
        Some(Source::ReliableChange) => ("person", "people"),
        None => return "—".into(),
    };
    format::plural(n, one, many)
}

/// Which sessions a session-based metric counts, when not all those with
/// data (see [`MetricStatusView::scope`]).
fn scope(p: &Program, m: Ix<Metric>) -> Option<String> {
    let res = &p.results;
    let (with_data, what): (Vec<_>, &str) = match p[m].source? {
        Source::Ratings => (res.ratings.keys().copied().collect(), "rated"),
        Source::Attendance => (res.attendance.keys().copied().collect(), "recorded"),
        _ => return None,
    };
    let listed = p[m].sessions.as_slice();
    if listed.is_empty() {
        return None;
    }
    let counted = with_data.iter().filter(|s| listed.contains(s)).count();
    (counted < with_data.len()).then(|| {
        format!(
            "counts only the {counted} of {} {what} sessions that list it",
            with_data.len()
        )
    })
}

/// How many comments a session's, competency's or signal's view lists
/// (its first), and the results page: each is four template values, and
/// 1 MB of `feedback.csv` is 100,000 comments. The exports have them all.
pub(crate) const MAX_ENTITY_COMMENTS: usize = 20;
pub(crate) const MAX_RESULTS_COMMENTS: usize = 1_000;

fn comment(links: &Links, f: &Feedback) -> FeedbackView {
    FeedbackView {
        comment: f.comment.clone(),
        session: f.session.map(|s| links.one(s)),
        competency: f.competency.map(|c| links.one(c)),
        signal: f.signal.map(|s| links.one(s)),
    }
}

/// The first [`MAX_RESULTS_COMMENTS`] comments.
pub(crate) fn feedback(p: &Program, links: &Links) -> Vec<FeedbackView> {
    p.results
        .feedback
        .iter()
        .take(MAX_RESULTS_COMMENTS)
        .map(|f| comment(links, f))
        .collect()
}

/// Each session's, competency's and signal's comments (indices in the
/// program's), found in one pass.
pub(crate) struct Comments {
    session: Vec<Vec<usize>>,
    competency: Vec<Vec<usize>>,
    signal: Vec<Vec<usize>>,
}

impl Comments {
    pub(crate) fn new(p: &Program) -> Self {
        let mut c = Comments {
            session: vec![Vec::new(); p.sessions.len()],
            competency: vec![Vec::new(); p.competencies.len()],
            signal: vec![Vec::new(); p.signals.len()],
        };
        for (i, f) in p.results.feedback.iter().enumerate() {
            let add = |by: &mut Vec<Vec<usize>>, at: Option<usize>| {
                if let Some(list) = at.and_then(|at| by.get_mut(at)) {
                    list.push(i);
                }
            };
            add(&mut c.session, f.session.map(|x| x.index()));
            add(&mut c.competency, f.competency.map(|x| x.index()));
            add(&mut c.signal, f.signal.map(|x| x.index()));
        }
        c
    }

    fn views(p: &Program, links: &Links, of: &[usize]) -> Vec<FeedbackView> {
        of.iter()
            .take(MAX_ENTITY_COMMENTS)
            .map(|&i| comment(links, &p.results.feedback[i]))
            .collect()
    }

    pub(crate) fn session(&self, p: &Program, links: &Links, s: Ix<Session>) -> Vec<FeedbackView> {
        Self::views(p, links, &self.session[s.index()])
    }

    pub(crate) fn competency(
        &self,
        p: &Program,
        links: &Links,
        c: Ix<Competency>,
    ) -> Vec<FeedbackView> {
        Self::views(p, links, &self.competency[c.index()])
    }

    pub(crate) fn signal(&self, p: &Program, links: &Links, s: Ix<Signal>) -> Vec<FeedbackView> {
        Self::views(p, links, &self.signal[s.index()])
    }
}

/// One survey item's view.
pub(crate) fn survey_item(p: &Program, links: &Links, r: &ItemResult) -> SurveyView {
    let item = &p.results.survey[r.item];
    let paired: Option<&Paired> = r.paired.as_ref();
    let tests = paired.and_then(|x| x.tests.as_ref());
    let n = paired.map_or(0, |x| x.n);
    let wilcoxon = tests.map(|t| t.wilcoxon());
    SurveyView {
        item: item.item.clone(),
        link: item.competency.map(|c| links.one(c)),
        scale: scale(&r.scale),
        lower_is_better: r.scale.better == Better::Lower,
        n,
        pre_only: r.pre_only,
        post_only: r.post_only,
        plain: super::plain::plain_change(paired, r.scale.better),
        mean_pre: paired.map(|x| format::fixed(x.mean_pre, 2)),
        mean_post: paired.map(|x| format::fixed(x.mean_post, 2)),
        mean_change: paired.map(|x| format::signed(x.mean_change, 2)),
        improved: paired.map_or(0, |x| x.improved),
        unchanged: paired.map_or(0, |x| x.unchanged),
        declined: paired.map_or(0, |x| x.declined),
        too_few: n < 3,
        small: n < 10,
        all_equal: paired.is_some_and(|x| x.all_equal),
        ci: tests.map(|t| format::interval(t.ci.0, t.ci.1, 2)),
        d_z: tests.map(|t| format::signed(t.d_z, 2)),
        d_z_ci: tests.map(|t| format::interval(t.d_z_ci.0, t.d_z_ci.1, 2)),
        g_z: tests.map(|t| format::signed(t.g_z, 2)),
        g_z_ci: tests.map(|t| format::interval(t.g_z_ci.0, t.g_z_ci.1, 2)),
        p_t: tests.map(|t| format::p_value(t.p_t)),
        p_holm: r.p_holm.map(format::p_value),
        p_wilcoxon: tests.and_then(|t| t.p_wilcoxon).map(format::p_value),
        wilcoxon_method: tests
            .filter(|t| t.p_wilcoxon.is_some())
            .map(|t| t.wilcoxon_method.label()),
        nonzero: wilcoxon.map(|w| w.nonzero),
        wilcoxon_cannot_reach: wilcoxon.is_some_and(|w| w.cannot_reach_05()),
        standardized: tests.map(|t| t.g_z.abs()),
    }
}

/// The metrics whose source is `source`.
fn targets(p: &Program, links: &Links, ev: &Evidence, source: Source) -> Vec<MetricStatusView> {
    p.each::<Metric>()
        .filter(|(_, m)| m.source == Some(source))
        .map(|(i, _)| metric_status(p, links, ev, i))
        .collect()
}

/// The first metric of `source` with a target: its target is a chart's
/// line, and the chart's labels are written beside it
/// ([`format::beside_target`]).
fn target_metric(p: &Program, source: Source) -> Option<&Metric> {
    p.metrics
        .iter()
        .find(|m| m.source == Some(source) && format::target(m).is_some())
}

/// A metric's target as a chart's line (in the metric's unit, as the
/// scorecard writes it).
fn target_line(m: &Metric) -> Option<TargetLine> {
    Some(TargetLine {
        value: m.target?,
        shown: format::target(m)?,
    })
}

fn rating_row(label: String, r: &RatingSummary) -> RatingRow {
    RatingRow {
        link: None,
        number: None,
        label,
        n: r.n,
        mean: format::fixed(r.mean, 2),
        distribution: r.distribution.clone(),
        top_two: format::percent(r.top_two),
    }
}

fn attendance(p: &Program, links: &Links, ev: &Evidence) -> Option<AttendanceResults> {
    let a = &ev.attendance;
    if a.sessions.is_empty() {
        return None;
    }
    let rows: Vec<AttendanceRow> = a
        .sessions
        .iter()
        .map(|s| AttendanceRow {
            link: links.one(s.session),
            number: p[s.session].number,
            present: s.present,
            total: s.total,
            percent: format::percent1(s.rate),
        })
        .collect();
    let against = target_metric(p, Source::Attendance);
    let bars: Vec<Bar> = a
        .sessions
        .iter()
        .map(|s| Bar {
            label: p[s.session].number.to_string(),
            value: exact::to_f64(s.rate),
            shown: against.map_or_else(
                || format::percent(s.rate),
                |m| format::beside_target(m, s.rate, 0),
            ),
        })
        .collect();
    let target = against.and_then(target_line);
    let svg = match a.sessions.as_slice() {
        [one] => svg::instead(&format!(
            "One session with attendance so far: {} of {} present ({}).",
            one.present,
            one.total,
            format::percent(one.rate)
        )),
        _ => svg::bar_chart(
            &Caption {
                id: "attendance-chart",
                title: "Attendance rate per session",
                desc: &format!(
                    "One bar per session with attendance recorded, numbered as in the curriculum{}.",
                    if target.is_some() { "; the dashed line is the attendance target" } else { "" }
                ),
            },
            "Session",
            &bars,
            &Scale {
                title: "Present (% of participants)",
                bounds: Some((0.0, 1.0)),
                percent: true,
            },
            target.as_ref(),
        ),
    };
    Some(AttendanceResults {
        sessions: rows,
        present_range: a.present_range.map(|(lo, hi)| {
            if lo == hi {
                lo.to_string()
            } else {
                format!("{lo}–{hi}")
            }
        }),
        mean_rate: a.mean_rate.map(format::percent1),
        pooled_rate: a.pooled_rate.map(format::percent1),
        targets: targets(p, links, ev, Source::Attendance),
        svg,
    })
}

fn ratings(p: &Program, links: &Links, ev: &Evidence) -> Option<RatingsResults> {
    let r = &ev.ratings;
    let overall = r.overall.as_ref()?;
    let (lo, hi) = RATING_SCALE;
    let sessions: Vec<RatingRow> = r
        .sessions
        .iter()
        .map(|(s, x)| RatingRow {
            link: Some(links.one(*s)),
            number: Some(p[*s].number),
            label: p[*s].kind.label().to_string(),
            ..rating_row(String::new(), x)
        })
        .collect();
    let against = target_metric(p, Source::Ratings);
    let bars: Vec<Bar> = r
        .sessions
        .iter()
        .map(|(s, x)| Bar {
            label: p[*s].number.to_string(),
            value: exact::to_f64(x.mean),
            shown: against.map_or_else(
                || format::fixed(x.mean, 1),
                |m| format::beside_target(m, x.mean, 1),
            ),
        })
        .collect();
    let target = against.and_then(target_line);
    let svg = match r.sessions.as_slice() {
        [(_, one)] => svg::instead(&format!(
            "One rated session so far: a mean of {} from {}.",
            format::fixed(one.mean, 2),
            format::plural(one.n, "rating", "ratings")
        )),
        _ => svg::bar_chart(
            &Caption {
                id: "ratings-chart",
                title: &format!("Mean rating per session ({lo}–{hi})"),
                desc: &format!(
                    "One bar per rated session, numbered as in the curriculum, on the rating scale{}.",
                    if target.is_some() { "; the dashed line is the ratings target" } else { "" }
                ),
            },
            "Session",
            &bars,
            &Scale {
                title: &format!("Mean rating ({lo} = lowest, {hi} = highest)"),
                bounds: Some((f64::from(lo), f64::from(hi))),
                percent: false,
            },
            target.as_ref(),
        ),
    };
    Some(RatingsResults {
        sessions,
        overall: rating_row("All sessions".into(), overall),
        scale: (lo..=hi).collect(),
        trend: r.trend.map(|t| {
            format!(
                "{} per session, over {} rated sessions",
                format::signed(t.slope, 2),
                t.sessions
            )
        }),
        by_kind: r
            .by_kind
            .iter()
            .map(|(k, x)| rating_row(k.label().to_string(), x))
            .collect(),
        targets: targets(p, links, ev, Source::Ratings),
        svg,
    })
}

/// An observed metric's view: its values in its unit (a rate in percent),
/// drawn over time from two points on; one point is a sentence.
pub(crate) fn series(p: &Program, links: &Links, s: &Series) -> SeriesView {
    let m = &p[s.metric];
    let rate = format::is_rate(m);
    // A rate in percent: with a decimal in the table, whole on the chart;
    // either with more where fewer would read as the other side of the
    // target.
    let label = |v: Decimal| format::beside_target(m, v, if rate { 0 } else { 2 });
    let points: Vec<PointView> = s
        .points
        .iter()
        .map(|(d, v)| PointView {
            date: format::date(*d),
            date_iso: d.to_string(),
            value: format::actual(m, *v),
        })
        .collect();
    let target = target_line(m);
    let against = target
        .as_ref()
        .map_or(String::new(), |t| format!(" (target {})", t.shown));
    let svg = match points.as_slice() {
        [] => String::new(),
        [one] => svg::instead(&format!(
            "One measurement so far: {} on {}{against}.",
            one.value, one.date
        )),
        _ => {
            let id = format!("series-{}", m.id);
            let title = format!("{} over time", m.name);
            let desc = format!(
                "{} measurements from {} to {}{}.",
                points.len(),
                points.first().map_or("", |x| x.date.as_str()),
                points.last().map_or("", |x| x.date.as_str()),
                if target.is_some() {
                    "; the dashed line is the target"
                } else {
                    ""
                }
            );
            let drawn: Vec<Point> = s
                .points
                .iter()
                .map(|(d, v)| Point {
                    date: *d,
                    value: exact::to_f64(*v),
                    shown: label(*v),
                })
                .collect();
            let axis_title = if rate {
                format!("{} (%)", m.name)
            } else {
                m.name.clone()
            };
            svg::line_chart(
                &Caption {
                    id: &id,
                    title: &title,
                    desc: &desc,
                },
                &drawn,
                &Scale {
                    title: &axis_title,
                    bounds: rate.then_some((0.0, 1.0)),
                    percent: rate,
                },
                target.as_ref(),
            )
        }
    };
    SeriesView {
        link: links.one(s.metric),
        baseline: points.first().map(|x| x.value.clone()).unwrap_or_default(),
        // The metric's actual: at the precision that shows how it stands
        // against the target, as every point.
        latest: points.last().map(|x| x.value.clone()).unwrap_or_default(),
        target_display: format::target(m),
        svg,
        points,
    }
}

/// The results page's view.
pub(crate) fn results(p: &Program, links: &Links, ev: &Evidence) -> ResultsView {
    let (answers, answers_not_drawn) = super::answers::answers(p, links, ev, None);
    ResultsView {
        has_any: !p.results.is_empty(),
        attendance: attendance(p, links, ev),
        ratings: ratings(p, links, ev),
        survey: ev.items.iter().map(|r| survey_item(p, links, r)).collect(),
        answers,
        answers_not_drawn,
        survey_method: SURVEY_METHOD,
        observations: ev.series.iter().map(|s| series(p, links, s)).collect(),
        feedback: feedback(p, links),
    }
}

/// What the impact report adds. The largest changes are the three items
/// with the largest standardized change |g_z| — items on different scales
/// (a 1–5 self-rating, a 0–100 slider) compare only standardized.
pub(crate) fn impact(results: &ResultsView, ev: &Evidence) -> ImpactView {
    let mut top: Vec<SurveyView> = results
        .survey
        .iter()
        .filter(|s| s.standardized.is_some())
        .cloned()
        .collect();
    top.sort_by(|a, b| {
        b.standardized
            .unwrap_or(0.0)
            .total_cmp(&a.standardized.unwrap_or(0.0))
    });
    top.truncate(3);
    let count = |s: crate::evidence::SignalStatus| ev.signals.iter().filter(|x| **x == s).count();
    use crate::evidence::SignalStatus::*;
    let top_scale = top
        .first()
        .map(|s| s.scale.clone())
        .filter(|first| top.iter().all(|s| s.scale == *first));
    ImpactView {
        top_scale,
        top_changes: top,
        answers: Vec::new(),
        comments: results.feedback.iter().take(3).cloned().collect(),
        met: count(Met),
        partly_met: count(PartlyMet),
        not_met: count(NotMet),
        no_data: count(NoData),
        answer: Default::default(),
    }
}
