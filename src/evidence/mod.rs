//! Evidence: what a program's measured results say about its plan
//! (FORMAT.md v1.1). Owns each metric's actual, `n` and status (from its
//! `source`, over its scope), each success signal's status rolled up from
//! its metrics, the paired pre/post analysis of every survey item
//! ([`survey`], with [`stats`]), and the summaries of attendance, ratings
//! and observations ([`summaries`]). Every figure made from the data by
//! adding and dividing is exact ([`exact`]); pure functions of the graph,
//! computed once per program and read by every output (pages, the impact
//! report, the JSON and CSV exports).

pub(crate) mod behaviour;
pub(crate) mod exact;
pub(crate) mod raters;
pub(crate) mod stats;
pub(crate) mod summaries;
pub(crate) mod survey;
pub(crate) mod welch;

use std::cmp::Ordering;
use std::collections::BTreeSet;

use crate::graph::{Ix, Metric, Program, Session};
use crate::model::{Better, Source};

use exact::Decimal;
pub(crate) use summaries::{AttendanceSummary, RatingSummary, RatingsSummary, Series};
pub(crate) use survey::{ItemResult, ItemScale};

/// Where a metric stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetricStatus {
    Met,
    NotMet,
    /// A source, but no data for it.
    NoData,
    /// An actual, but no target to hold it against.
    NoTarget,
    /// No `source`: measured outside the site.
    NotMeasured,
    /// Others' answers behind it come from too few raters to show.
    Withheld,
}

impl MetricStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            MetricStatus::Met => "met",
            MetricStatus::NotMet => "not-met",
            MetricStatus::NoData => "no-data",
            MetricStatus::NoTarget => "no-target",
            MetricStatus::NotMeasured => "not-measured",
            MetricStatus::Withheld => "withheld",
        }
    }
    pub(crate) fn label(self) -> &'static str {
        match self {
            MetricStatus::Met => "met",
            MetricStatus::NotMet => "not met",
            MetricStatus::NoData => "no data",
            MetricStatus::NoTarget => "no target",
            MetricStatus::NotMeasured => "not measured here",
            MetricStatus::Withheld => "withheld: too few raters",
        }
    }
}

/// Where a success signal stands, from its metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignalStatus {
    Met,
    PartlyMet,
    NotMet,
    NoData,
}

impl SignalStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SignalStatus::Met => "met",
            SignalStatus::PartlyMet => "partly-met",
            SignalStatus::NotMet => "not-met",
            SignalStatus::NoData => "no-data",
        }
    }
    pub(crate) fn label(self) -> &'static str {
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
pub(crate) struct MetricResult {
    /// Exact: a rate, a mean or a mean change of the values as written.
    pub actual: Option<Decimal>,
    /// How many data points the actual is made from: attendance rows,
    /// ratings, (participant, item) pairs, observations.
    pub n: usize,
    /// For a survey source: how many participants those pairs come from
    /// (fewer than `n` when the metric reads several items).
    pub people: Option<usize>,
    pub status: MetricStatus,
}

/// Everything the results say, for one program.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Evidence {
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
    /// v1.2: phases, others' ratings, scales.
    pub behaviour: behaviour::Behaviour,
    /// The anonymity rule `behaviour` was found with.
    pub min_raters: u32,
}

impl Evidence {
    /// The evidence of `p`; others' figures from fewer than `min_raters`
    /// distinct raters are withheld.
    pub(crate) fn of(p: &Program, min_raters: u32) -> Self {
        let matrices = raters::Matrices::new(p, min_raters);
        let metrics: Vec<MetricResult> =
            p.metrics.iter().map(|m| metric(p, m, &matrices)).collect();
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
            items: survey::items(p),
            attendance: summaries::attendance(p),
            ratings: summaries::ratings(p),
            series: summaries::series(p),
            top_tier: p.metrics.iter().filter_map(|m| m.tier).max(),
            behaviour: behaviour::of(p, min_raters),
            min_raters,
            metrics,
        }
    }

    /// Whether no metric reaches past LTEM tier 3 (attendance, activity,
    /// learner perceptions): the plan measures opinions only.
    pub(crate) fn opinions_only(&self) -> bool {
        self.top_tier.is_none_or(|t| t <= 3)
    }
}

/// A signal's status from the statuses of its metrics. FORMAT's "a metric
/// with data" is, for the roll-up, a metric with a status — met or not
/// met. A metric without a target has an actual but no status, so it
/// counts like one without data, as do metrics measured outside the site.
/// Then: met when every metric with a status is met (at least one has
/// one), not met when none is, partly met in between, no data when no
/// metric has a status.
pub(crate) fn roll_up(statuses: &[MetricStatus]) -> SignalStatus {
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

/// A metric's target as the exact decimal written in metrics.yaml.
pub(crate) fn target(m: &Metric) -> Option<Decimal> {
    m.target.and_then(exact::of_f64)
}

/// Whether `actual` reaches `target` on the `better` side (equal is met),
/// compared exactly.
pub(crate) fn reaches(actual: Decimal, target: Decimal, better: Better) -> bool {
    matches!(
        (actual.cmp(&target), better),
        (Ordering::Equal, _)
            | (Ordering::Greater, Better::Higher)
            | (Ordering::Less, Better::Lower)
    )
}

/// The sessions a metric is about: those that list it, or all.
fn scope(p: &Program, m: &Metric) -> Vec<Ix<Session>> {
    if m.sessions.is_empty() {
        p.each::<Session>().map(|(i, _)| i).collect()
    } else {
        m.sessions.clone()
    }
}

fn metric<'p>(p: &'p Program, m: &Metric, matrices: &raters::Matrices<'p>) -> MetricResult {
    let res = &p.results;
    let mut people = None;
    let mut withheld = false;
    let (actual, n) = match m.source {
        None => (None, 0),
        Some(Source::Attendance) => {
            let (present, total) = scope(p, m)
                .iter()
                .filter_map(|s| res.attendance.get(s))
                .fold((0u32, 0u32), |(a, b), x| (a + x.present, b + x.total));
            (exact::ratio(present, total), total as usize)
        }
        Some(Source::Ratings) => {
            let all: Vec<Decimal> = scope(p, m)
                .iter()
                .filter_map(|s| res.ratings.get(s))
                .flatten()
                .copied()
                .collect();
            (exact::mean(&all), all.len())
        }
        Some(source @ (Source::SurveyChange | Source::SurveyPost)) if !raters::plain(p, m) => {
            let change = source == Source::SurveyChange;
            match raters::metric_values(p, m, change, matrices) {
                Ok((values, who)) => {
                    people = Some(who.len());
                    (exact::mean(&values), values.len())
                }
                Err(_) => {
                    withheld = true;
                    (None, 0)
                }
            }
        }
        Some(source @ (Source::SurveyChange | Source::SurveyPost)) => {
            let mut who = BTreeSet::new();
            let values: Vec<Decimal> = survey::reads(p, m)
                .into_iter()
                .flat_map(|i| res.survey[i].paired())
                .filter_map(|(person, a, b)| {
                    who.insert(person);
                    if source == Source::SurveyChange {
                        b.checked_sub(a)
                    } else {
                        Some(b)
                    }
                })
                .collect();
            people = Some(who.len());
            (exact::mean(&values), values.len())
        }
        Some(Source::ReliableChange) => match raters::reliable_share(p, m, matrices) {
            Ok((share, n)) => (share, n),
            Err(_) => {
                withheld = true;
                (None, 0)
            }
        },
        Some(Source::Observations) => {
            let mine = res.observations.iter().filter(|o| p[o.metric].id == m.id);
            match mine.clone().map(|o| o.date).max() {
                Some(last) => {
                    let values: Vec<Decimal> =
                        mine.filter(|o| o.date == last).map(|o| o.value).collect();
                    (exact::mean(&values), values.len())
                }
                None => (None, 0),
            }
        }
    };
    let status = match (m.source, actual, m.target) {
        _ if withheld => MetricStatus::Withheld,
        (None, _, _) => MetricStatus::NotMeasured,
        (_, None, _) => MetricStatus::NoData,
        (_, Some(_), None) => MetricStatus::NoTarget,
        (_, Some(a), Some(t)) => {
            // A target beyond a decimal's range is compared as a float.
            let met = match target(m) {
                Some(t) => reaches(a, t, m.better),
                None => match m.better {
                    Better::Higher => exact::to_f64(a) >= t,
                    Better::Lower => exact::to_f64(a) <= t,
                },
            };
            if met {
                MetricStatus::Met
            } else {
                MetricStatus::NotMet
            }
        }
    };
    MetricResult {
        actual,
        n,
        people,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_roll_up_from_metrics_with_a_status() {
        use MetricStatus::*;
        assert_eq!(roll_up(&[]), SignalStatus::NoData);
        assert_eq!(
            roll_up(&[NoData, NotMeasured, NoTarget]),
            SignalStatus::NoData
        );
        assert_eq!(roll_up(&[Met, NoData]), SignalStatus::Met);
        // A metric without a target does not count, either way.
        assert_eq!(roll_up(&[Met, NoTarget]), SignalStatus::Met);
        assert_eq!(roll_up(&[NotMet, NoTarget]), SignalStatus::NotMet);
        assert_eq!(roll_up(&[NotMet, NoData]), SignalStatus::NotMet);
        assert_eq!(roll_up(&[Met, NotMet, NoData]), SignalStatus::PartlyMet);
    }

    #[test]
    fn targets_are_compared_exactly() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        // 17 ÷ 20 is its target of 0.85, with no tolerance needed.
        assert!(reaches(
            exact::ratio(17, 20).unwrap(),
            d("0.85"),
            Better::Higher
        ));
        assert!(!reaches(d("3.1249"), d("3.125"), Better::Higher));
        assert!(reaches(d("3.125"), d("3.125"), Better::Lower));
        assert!(!reaches(d("1.51"), d("1.5"), Better::Lower));
        // 2 ÷ 3 is below 0.6667 and above 0.6666.
        let two_thirds = exact::ratio(2, 3).unwrap();
        assert!(!reaches(two_thirds, d("0.6667"), Better::Higher));
        assert!(reaches(two_thirds, d("0.6666"), Better::Higher));
    }
}
