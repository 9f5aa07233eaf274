//! The summaries of attendance, session ratings and observed metrics:
//! per-session rates and means, the program's pooled and mean rates, the
//! distribution of ratings over the scale, the ratings trend, and each
//! observed metric's values by date. Every figure is exact
//! ([`super::exact`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;

use crate::graph::{Ix, Metric, Program, Session, RATING_SCALE};
use crate::model::SessionKind;

use super::exact::{self, Decimal};

/// One session's attendance.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SessionAttendance {
    pub session: Ix<Session>,
    pub present: u32,
    pub total: u32,
    pub rate: Decimal,
}

/// Attendance over the program.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct AttendanceSummary {
    pub sessions: Vec<SessionAttendance>,
    /// The fewest and most participants present at a session.
    pub present_range: Option<(u32, u32)>,
    /// The mean of the sessions' rates (snapped: [`exact::snap`]).
    pub mean_rate: Option<Decimal>,
    /// Present rows ÷ all rows.
    pub pooled_rate: Option<Decimal>,
}

/// Ratings of one session, or of several.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RatingSummary {
    pub n: usize,
    pub mean: Decimal,
    /// How many ratings at each point of the scale, from the lowest
    /// (ratings are whole points: `results` refuses others).
    pub distribution: Vec<usize>,
    /// The share of ratings in the top two points of the scale.
    pub top_two: Decimal,
}

/// How session ratings move through the curriculum: the least-squares
/// slope of the rated sessions' mean ratings over their session numbers
/// ([`Session::number`]: their places in the facilitators' curriculum, 1,
/// 2, …, as the charts number them; a session without ratings, or left
/// out of the participant edition, keeps its number, so the slope is per
/// session of the curriculum in both editions).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Trend {
    /// Change of the mean rating per session (snapped).
    pub slope: Decimal,
    /// How many rated sessions it is fitted to (two or more).
    pub sessions: usize,
}

/// Ratings over the program.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RatingsSummary {
    pub sessions: Vec<(Ix<Session>, RatingSummary)>,
    pub overall: Option<RatingSummary>,
    pub trend: Option<Trend>,
    pub by_kind: Vec<(SessionKind, RatingSummary)>,
}

/// An observed metric over time: the mean value of each date, in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Series {
    pub metric: Ix<Metric>,
    pub points: Vec<(NaiveDate, Decimal)>,
}

pub(crate) fn attendance(p: &Program) -> AttendanceSummary {
    let sessions: Vec<SessionAttendance> = p
        .results
        .attendance
        .iter()
        .map(|(&session, a)| SessionAttendance {
            session,
            present: a.present,
            total: a.total,
            rate: exact::ratio(a.present, a.total.max(1)).unwrap_or_default(),
        })
        .collect();
    let present = sessions.iter().map(|s| s.present);
    let (all_present, all) = sessions
        .iter()
        .fold((0u32, 0u32), |(a, b), s| (a + s.present, b + s.total));
    let rates: Vec<Decimal> = sessions.iter().map(|s| s.rate).collect();
    AttendanceSummary {
        present_range: present.clone().min().zip(present.max()),
        mean_rate: exact::mean(&rates).map(exact::snap),
        pooled_rate: exact::ratio(all_present, all),
        sessions,
    }
}

/// The summary of some ratings (None without one).
pub(crate) fn summarize(ratings: &[Decimal]) -> Option<RatingSummary> {
    let (lo, hi) = RATING_SCALE;
    let points = usize::from(hi - lo) + 1;
    let mut distribution = vec![0usize; points];
    for r in ratings {
        let point = r
            .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .clamp(Decimal::from(lo), Decimal::from(hi));
        let i = point
            .to_usize()
            .unwrap_or(0)
            .saturating_sub(usize::from(lo));
        distribution[i.min(points - 1)] += 1;
    }
    let top: usize = distribution.iter().rev().take(2).sum();
    Some(RatingSummary {
        n: ratings.len(),
        mean: exact::mean(ratings)?,
        top_two: exact::ratio(top, ratings.len())?,
        distribution,
    })
}

pub(crate) fn ratings(p: &Program) -> RatingsSummary {
    let res = &p.results.ratings;
    let sessions: Vec<(Ix<Session>, RatingSummary)> = res
        .iter()
        .filter_map(|(&s, r)| summarize(r).map(|x| (s, x)))
        .collect();
    let all: Vec<Decimal> = res.values().flatten().copied().collect();
    let xs: Vec<Decimal> = sessions
        .iter()
        .map(|(s, _)| Decimal::from(p[*s].number))
        .collect();
    let ys: Vec<Decimal> = sessions.iter().map(|(_, r)| r.mean).collect();
    let mut kinds: BTreeMap<SessionKind, Vec<Decimal>> = BTreeMap::new();
    for (s, r) in res {
        kinds.entry(p[*s].kind).or_default().extend(r);
    }
    RatingsSummary {
        trend: exact::slope(&xs, &ys).map(|slope| Trend {
            slope,
            sessions: sessions.len(),
        }),
        overall: summarize(&all),
        by_kind: kinds
            .into_iter()
            .filter_map(|(k, r)| summarize(&r).map(|x| (k, x)))
            .collect(),
        sessions,
    }
}

pub(crate) fn series(p: &Program) -> Vec<Series> {
    let mut by_metric: BTreeMap<Ix<Metric>, BTreeMap<NaiveDate, Vec<Decimal>>> = BTreeMap::new();
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
                .filter_map(|(d, v)| exact::mean(&v).map(|m| (d, m)))
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(xs: &[i64]) -> Vec<Decimal> {
        xs.iter().map(|x| Decimal::from(*x)).collect()
    }

    #[test]
    fn ratings_are_counted_per_scale_point() {
        let s = summarize(&d(&[5, 4, 5, 2, 1, 3, 4])).unwrap();
        assert_eq!(s.distribution, [1, 1, 1, 2, 2]);
        assert_eq!(s.top_two, exact::ratio(4, 7).unwrap());
        assert_eq!(s.mean, exact::ratio(24, 7).unwrap());
        assert!(summarize(&[]).is_none());
    }

    /// A mean that is exactly 2.675 (the f64 mean of these is
    /// 2.67499999…): ratings 2, 3, 3, 3 … summing to 107 over 40.
    #[test]
    fn rating_means_are_exact() {
        let mut r = vec![3i64; 27];
        r.extend([2; 13]);
        assert_eq!(r.iter().sum::<i64>(), 107);
        let s = summarize(&d(&r)).unwrap();
        assert_eq!(s.mean.to_string(), "2.675");
    }
}
