//! Evidence: what a program's measured results say about its plan
//! (FORMAT.md v1.1). Owns each metric's actual, `n` and status (from its
//! `source`, over its scope), each success signal's status rolled up from
//! its metrics, the paired pre/post analysis of every survey item
//! ([`stats`]), and the summaries of attendance, ratings and observations.
//! Pure functions of the graph, computed once per program and read by
//! every output (pages, the impact report, the JSON and CSV exports).

pub mod stats;
pub mod welch;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::graph::{Ix, Metric, Program, Session, RATING_SCALE};
use crate::model::{Better, SessionKind, Source};

use stats::Paired;

/// Where a metric stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricStatus {
    Met,
    NotMet,
    /// A source, but no data for it.
    NoData,
    /// An actual, but no target to hold it against.
    NoTarget,
    /// No `source`: measured outside the site.
    NotMeasured,
}

impl MetricStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MetricStatus::Met => "met",
            MetricStatus::NotMet => "not-met",
            MetricStatus::NoData => "no-data",
            MetricStatus::NoTarget => "no-target",
            MetricStatus::NotMeasured => "not-measured",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            MetricStatus::Met => "met",
            MetricStatus::NotMet => "not met",
            MetricStatus::NoData => "no data",
            MetricStatus::NoTarget => "no target",
            MetricStatus::NotMeasured => "not measured here",
        }
    }
}

/// Where a success signal stands, from its metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalStatus {
    Met,
    PartlyMet,
    NotMet,
    NoData,
}

impl SignalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SignalStatus::Met => "met",
            SignalStatus::PartlyMet => "partly-met",
            SignalStatus::NotMet => "not-met",
            SignalStatus::NoData => "no-data",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            SignalStatus::Met => "met",
            SignalStatus::PartlyMet => "partly met",
            SignalStatus::NotMet => "not met",
            SignalStatus::NoData => "no data",
        }
    }
}

/// A metric's result.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricResult {
    pub actual: Option<f64>,
    /// How many data points the actual is made from.
    pub n: usize,
    pub status: MetricStatus,
}

/// The pre/post analysis of one survey item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemResult {
    /// Index into the program's `results.survey`.
    pub item: usize,
    /// Over the participants with both scores; None without a pair.
    pub paired: Option<Paired>,
    /// Participants with only a `pre` score, or only a `post` score.
    pub pre_only: usize,
    pub post_only: usize,
}

/// One session's attendance.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionAttendance {
    pub session: Ix<Session>,
    pub present: u32,
    pub total: u32,
    pub rate: f64,
}

/// Attendance over the program.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttendanceSummary {
    pub sessions: Vec<SessionAttendance>,
    /// The fewest and most participants present at a session.
    pub present_range: Option<(u32, u32)>,
    /// The mean of the sessions' rates.
    pub mean_rate: Option<f64>,
    /// Present rows ÷ all rows.
    pub pooled_rate: Option<f64>,
}

/// Ratings of one session, or of several.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingSummary {
    pub n: usize,
    pub mean: f64,
    /// How many ratings at each point of the scale, from the lowest
    /// (ratings are whole points: `results` refuses others).
    pub distribution: Vec<usize>,
    /// The share of ratings in the top two points of the scale.
    pub top_two: f64,
}

/// Ratings over the program.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RatingsSummary {
    pub sessions: Vec<(Ix<Session>, RatingSummary)>,
    pub overall: Option<RatingSummary>,
    /// Change of the session means per session (least squares over the
    /// curriculum position), with the number of sessions behind it.
    pub trend: Option<(f64, usize)>,
    pub by_kind: Vec<(SessionKind, RatingSummary)>,
}

/// An observed metric over time: the mean value of each date, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub metric: Ix<Metric>,
    pub points: Vec<(NaiveDate, f64)>,
}

/// Everything the results say, for one program.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// By metric index.
    pub metrics: Vec<MetricResult>,
    /// By signal index.
    pub signals: Vec<SignalStatus>,
    /// In the order of `results.survey`.
    pub items: Vec<ItemResult>,
    pub attendance: AttendanceSummary,
    pub ratings: RatingsSummary,
    /// One per metric with observations, in metric order.
    pub series: Vec<Series>,
    /// The highest LTEM tier of the program's metrics.
    pub top_tier: Option<u8>,
}

/// Two values are the same for a status when this close (an actual of
/// 17 ÷ 20 is its target of 0.85).
const EPSILON: f64 = 1e-9;

impl Evidence {
    pub fn of(p: &Program) -> Self {
        let metrics: Vec<MetricResult> = p.metrics.iter().map(|m| metric(p, m)).collect();
        let signals = p
            .signals
            .iter()
            .map(|s| {
                let statuses: Vec<MetricStatus> = s
                    .metrics
                    .iter()
                    .map(|m| metrics[m.index()].status)
                    .collect();
                roll_up(&statuses)
            })
            .collect();
        Evidence {
            signals,
            items: items(p),
            attendance: attendance(p),
            ratings: ratings(p),
            series: series(p),
            top_tier: p.metrics.iter().filter_map(|m| m.tier).max(),
            metrics,
        }
    }

    /// Whether no metric reaches past LTEM tier 3 (attendance, activity,
    /// learner perceptions): the plan measures opinions only.
    pub fn opinions_only(&self) -> bool {
        self.top_tier.is_none_or(|t| t <= 3)
    }
}

/// A signal's status from the statuses of its metrics: met when every one
/// with data is met (at least one has data), not met when none is, partly
/// met in between, no data when none has data.
pub fn roll_up(statuses: &[MetricStatus]) -> SignalStatus {
    let met = statuses.iter().filter(|s| **s == MetricStatus::Met).count();
    let not_met = statuses
        .iter()
        .filter(|s| **s == MetricStatus::NotMet)
        .count();
    match (met, not_met) {
        (0, 0) => SignalStatus::NoData,
        (_, 0) => SignalStatus::Met,
        (0, _) => SignalStatus::NotMet,
        _ => SignalStatus::PartlyMet,
    }
}

/// The sessions a metric is about: those that list it, or all.
fn scope(p: &Program, m: &Metric) -> Vec<Ix<Session>> {
    if m.sessions.is_empty() {
        p.each::<Session>().map(|(i, _)| i).collect()
    } else {
        m.sessions.clone()
    }
}

/// The survey items a metric reads.
fn reads(p: &Program, m: &Metric) -> Vec<usize> {
    p.results
        .survey
        .iter()
        .enumerate()
        .filter(|(_, s)| m.items.as_ref().is_none_or(|items| items.contains(&s.item)))
        .map(|(i, _)| i)
        .collect()
}

fn metric(p: &Program, m: &Metric) -> MetricResult {
    let res = &p.results;
    let (actual, n) = match m.source {
        None => (None, 0),
        Some(Source::Attendance) => {
            let (present, total) = scope(p, m)
                .iter()
                .filter_map(|s| res.attendance.get(s))
                .fold((0u32, 0u32), |(a, b), x| (a + x.present, b + x.total));
            (
                (total > 0).then(|| f64::from(present) / f64::from(total)),
                total as usize,
            )
        }
        Some(Source::Ratings) => {
            let all: Vec<f64> = scope(p, m)
                .iter()
                .filter_map(|s| res.ratings.get(s))
                .flatten()
                .copied()
                .collect();
            (stats::mean(&all), all.len())
        }
        Some(source @ (Source::SurveyChange | Source::SurveyPost)) => {
            let pairs: Vec<(f64, f64)> = reads(p, m)
                .into_iter()
                .flat_map(|i| res.survey[i].pairs())
                .collect();
            let values: Vec<f64> = pairs
                .iter()
                .map(|(a, b)| {
                    if source == Source::SurveyChange {
                        b - a
                    } else {
                        *b
                    }
                })
                .collect();
            (stats::mean(&values), values.len())
        }
        Some(Source::Observations) => {
            let mine = res.observations.iter().filter(|o| p[o.metric].id == m.id);
            match mine.clone().map(|o| o.date).max() {
                Some(last) => {
                    let values: Vec<f64> =
                        mine.filter(|o| o.date == last).map(|o| o.value).collect();
                    (stats::mean(&values), values.len())
                }
                None => (None, 0),
            }
        }
    };
    let status = match (m.source, actual, m.target) {
        (None, _, _) => MetricStatus::NotMeasured,
        (_, None, _) => MetricStatus::NoData,
        (_, Some(_), None) => MetricStatus::NoTarget,
        (_, Some(a), Some(t)) => {
            let met = match m.better {
                Better::Higher => a >= t - EPSILON,
                Better::Lower => a <= t + EPSILON,
            };
            if met {
                MetricStatus::Met
            } else {
                MetricStatus::NotMet
            }
        }
    };
    MetricResult { actual, n, status }
}

fn items(p: &Program) -> Vec<ItemResult> {
    p.results
        .survey
        .iter()
        .enumerate()
        .map(|(i, s)| ItemResult {
            item: i,
            paired: stats::paired(&s.pairs()),
            pre_only: s.pre.keys().filter(|k| !s.post.contains_key(k)).count(),
            post_only: s.post.keys().filter(|k| !s.pre.contains_key(k)).count(),
        })
        .collect()
}

fn attendance(p: &Program) -> AttendanceSummary {
    let sessions: Vec<SessionAttendance> = p
        .results
        .attendance
        .iter()
        .map(|(&session, a)| SessionAttendance {
            session,
            present: a.present,
            total: a.total,
            rate: f64::from(a.present) / f64::from(a.total.max(1)),
        })
        .collect();
    let present = sessions.iter().map(|s| s.present);
    let (all_present, all) = sessions
        .iter()
        .fold((0u32, 0u32), |(a, b), s| (a + s.present, b + s.total));
    let rates: Vec<f64> = sessions.iter().map(|s| s.rate).collect();
    AttendanceSummary {
        present_range: present.clone().min().zip(present.max()),
        mean_rate: stats::mean(&rates),
        pooled_rate: (all > 0).then(|| f64::from(all_present) / f64::from(all)),
        sessions,
    }
}

/// The summary of some ratings (None without one).
fn summarize(ratings: &[f64]) -> Option<RatingSummary> {
    let (lo, hi) = RATING_SCALE;
    let mut distribution = vec![0usize; usize::from(hi - lo) + 1];
    for r in ratings {
        let point = r.round().clamp(f64::from(lo), f64::from(hi)) as usize - usize::from(lo);
        distribution[point] += 1;
    }
    let top: usize = distribution.iter().rev().take(2).sum();
    Some(RatingSummary {
        n: ratings.len(),
        mean: stats::mean(ratings)?,
        top_two: top as f64 / ratings.len() as f64,
        distribution,
    })
}

fn ratings(p: &Program) -> RatingsSummary {
    let res = &p.results.ratings;
    let sessions: Vec<(Ix<Session>, RatingSummary)> = res
        .iter()
        .filter_map(|(&s, r)| summarize(r).map(|x| (s, x)))
        .collect();
    let all: Vec<f64> = res.values().flatten().copied().collect();
    let xs: Vec<f64> = sessions
        .iter()
        .map(|(s, _)| (s.index() + 1) as f64)
        .collect();
    let ys: Vec<f64> = sessions.iter().map(|(_, r)| r.mean).collect();
    let mut kinds: BTreeMap<SessionKind, Vec<f64>> = BTreeMap::new();
    for (s, r) in res {
        kinds.entry(p[*s].kind).or_default().extend(r);
    }
    RatingsSummary {
        trend: stats::slope(&xs, &ys).map(|s| (s, sessions.len())),
        overall: summarize(&all),
        by_kind: kinds
            .into_iter()
            .filter_map(|(k, r)| summarize(&r).map(|x| (k, x)))
            .collect(),
        sessions,
    }
}

fn series(p: &Program) -> Vec<Series> {
    let mut by_metric: BTreeMap<Ix<Metric>, BTreeMap<NaiveDate, Vec<f64>>> = BTreeMap::new();
    for o in &p.results.observations {
        by_metric
            .entry(o.metric)
            .or_default()
            .entry(o.date)
            .or_default()
            .push(o.value);
    }
    by_metric
        .into_iter()
        .map(|(metric, dates)| Series {
            metric,
            points: dates
                .into_iter()
                .filter_map(|(d, v)| stats::mean(&v).map(|m| (d, m)))
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_roll_up_from_metrics_with_data() {
        use MetricStatus::*;
        assert_eq!(roll_up(&[]), SignalStatus::NoData);
        assert_eq!(
            roll_up(&[NoData, NotMeasured, NoTarget]),
            SignalStatus::NoData
        );
        assert_eq!(roll_up(&[Met, NoData]), SignalStatus::Met);
        assert_eq!(roll_up(&[NotMet, NoData]), SignalStatus::NotMet);
        assert_eq!(roll_up(&[Met, NotMet, NoData]), SignalStatus::PartlyMet);
    }

    #[test]
    fn ratings_are_counted_per_scale_point() {
        let s = summarize(&[5.0, 4.0, 5.0, 2.0, 1.0, 3.0, 4.0]).unwrap();
        assert_eq!(s.distribution, [1, 1, 1, 2, 2]);
        assert!((s.top_two - 4.0 / 7.0).abs() < 1e-12);
        assert!((s.mean - 24.0 / 7.0).abs() < 1e-12);
        assert!(summarize(&[]).is_none());
    }
}
