//! The pre/post survey, item by item: the paired analysis of each item
//! ([`super::stats::paired`]), participants left without a pair, Holm's
//! adjustment of the items' t-test p values across the program, each
//! item's scale — its range ("on 1–5") and which direction is better — and
//! how many paired participants gave each answer of a short scale, before
//! and after (the answers' distribution).

use rust_decimal::prelude::ToPrimitive;

use crate::graph::{Metric, Program, SurveyItem};
use crate::model::{Better, Source};

use super::exact::Decimal;
use super::stats::{self, Paired};

/// The range of an item whose range is not declared, when every score
/// lies in it (FORMAT v1.2's default for `survey_items`).
pub(crate) const DEFAULT_RANGE: (i64, i64) = (1, 5);

/// How an item is scored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ItemScale {
    /// Its lowest and highest possible score: the default
    /// [`DEFAULT_RANGE`] when every score lies in it; None when some
    /// score does not and no range is declared.
    pub range: Option<(Decimal, Decimal)>,
    /// The lowest and highest score given (None without scores).
    pub observed: Option<(Decimal, Decimal)>,
    /// Lower when every metric with a survey source that reads the item
    /// (at least one) has `better: lower`; else higher.
    pub better: Better,
}

/// The pre/post analysis of one survey item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ItemResult {
    /// Index into the program's `results.survey`.
    pub item: usize,
    /// Over the participants with both scores; None without a pair.
    pub paired: Option<Paired>,
    /// Participants with only a `pre` score, or only a `post` score.
    pub pre_only: usize,
    pub post_only: usize,
    /// The paired t-test's p, Holm-adjusted over the program's items that
    /// have a t-test (None for the others).
    pub p_holm: Option<f64>,
    pub scale: ItemScale,
    /// How its paired participants answered, point by point; or why that
    /// is not counted.
    pub answers: Result<AnswerCounts, &'static str>,
}

/// The most points a scale may have for its answers to be counted point by
/// point (a 0–100 slider is read by its means).
pub(crate) const MAX_POINTS: usize = 7;

/// How many of an item's paired participants gave each whole point of its
/// range, before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AnswerCounts {
    /// The lowest and highest point.
    pub lo: i64,
    pub hi: i64,
    /// From the lowest point up.
    pub pre: Vec<usize>,
    pub post: Vec<usize>,
}

impl AnswerCounts {
    /// How many paired participants.
    pub(crate) fn n(&self) -> usize {
        self.pre.iter().sum()
    }
}

/// A whole point, within reach of a scale.
fn whole(x: Decimal) -> Option<i64> {
    if !x.fract().is_zero() {
        return None;
    }
    x.to_i64().filter(|v| v.abs() < 1_000_000_000)
}

/// The answers of `item`'s paired participants on `scale`, counted point by
/// point; or why not: no pair, no whole range, more than [`MAX_POINTS`]
/// points, or an answer that is not a whole point.
pub(crate) fn answer_counts(
    item: &SurveyItem,
    scale: &ItemScale,
) -> Result<AnswerCounts, &'static str> {
    let pairs = item.pairs();
    if pairs.is_empty() {
        return Err("no participant answered it both before and after");
    }
    let Some((lo, hi)) = scale
        .range
        .and_then(|(lo, hi)| Some((whole(lo)?, whole(hi)?)))
        .filter(|(lo, hi)| lo < hi)
    else {
        return Err("its answers lie outside the default 1–5 and no range is declared");
    };
    let points = usize::try_from(hi - lo + 1).unwrap_or(usize::MAX);
    if points > MAX_POINTS {
        return Err("its scale has more than seven points");
    }
    let mut pre = vec![0; points];
    let mut post = vec![0; points];
    for (a, b) in pairs {
        let (Some(a), Some(b)) = (whole(a), whole(b)) else {
            return Err("some answers are not whole points");
        };
        // Within the range: the range holds every score.
        for (counts, x) in [(&mut pre, a), (&mut post, b)] {
            if let Some(slot) = usize::try_from(x - lo).ok().and_then(|k| counts.get_mut(k)) {
                *slot += 1;
            }
        }
    }
    Ok(AnswerCounts { lo, hi, pre, post })
}

pub(crate) fn items(p: &Program) -> Vec<ItemResult> {
    // Which way each item is better, by the survey metrics that read it:
    // found once, metric by metric (not once per item).
    let mut betters: Vec<Vec<Better>> = vec![Vec::new(); p.results.survey.len()];
    for m in p
        .metrics
        .iter()
        .filter(|m| matches!(m.source, Some(Source::SurveyChange | Source::SurveyPost)))
    {
        for i in reads(p, m) {
            betters[i].push(m.better);
        }
    }
    let mut items: Vec<ItemResult> = p
        .results
        .survey
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let scale = scale(s, &betters[i]);
            ItemResult {
                item: i,
                paired: stats::paired(&s.pairs()),
                pre_only: s.pre.keys().filter(|k| !s.post.contains_key(k)).count(),
                post_only: s.post.keys().filter(|k| !s.pre.contains_key(k)).count(),
                p_holm: None,
                answers: answer_counts(s, &scale),
                scale,
            }
        })
        .collect();
    let tested: Vec<(usize, f64)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((i, r.paired.as_ref()?.tests.as_ref()?.p_t)))
        .collect();
    let ps: Vec<f64> = tested.iter().map(|(_, p)| *p).collect();
    for ((i, _), adjusted) in tested.iter().zip(stats::holm(&ps)) {
        items[*i].p_holm = Some(adjusted);
    }
    items
}

/// The survey items a metric reads.
pub(crate) fn reads(p: &Program, m: &Metric) -> Vec<usize> {
    p.results
        .survey
        .iter()
        .enumerate()
        .filter(|(_, s)| m.items.as_ref().is_none_or(|items| items.contains(&s.item)))
        .map(|(i, _)| i)
        .collect()
}

/// The range of an item whose scores lie from `observed`'s low to its
/// high: [`DEFAULT_RANGE`] when they lie in it (or there are none), else
/// None (no range is declared).
pub(crate) fn range(observed: Option<(Decimal, Decimal)>) -> Option<(Decimal, Decimal)> {
    let (lo, hi) = (
        Decimal::from(DEFAULT_RANGE.0),
        Decimal::from(DEFAULT_RANGE.1),
    );
    match observed {
        Some((a, b)) if a < lo || b > hi => None,
        _ => Some((lo, hi)),
    }
}

/// The scale of item `s`, which the survey metrics whose `better` is
/// `better` read.
fn scale(s: &SurveyItem, better: &[Better]) -> ItemScale {
    let scores = s.pre.values().chain(s.post.values());
    let observed = scores.clone().min().copied().zip(scores.max().copied());
    let range = range(observed);
    let lower = !better.is_empty() && better.iter().all(|b| *b == Better::Lower);
    ItemScale {
        range,
        observed,
        better: if lower { Better::Lower } else { Better::Higher },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Participant;

    fn counted(pre: &[&str], post: &[&str]) -> Result<AnswerCounts, &'static str> {
        let scores = |xs: &[&str]| {
            xs.iter()
                .enumerate()
                .map(|(i, v)| (Participant(i as u32), v.parse().unwrap()))
                .collect()
        };
        let item = SurveyItem {
            item: "delegation".into(),
            competency: None,
            pre: scores(pre),
            post: scores(post),
            ..SurveyItem::default()
        };
        let all = item.pre.values().chain(item.post.values());
        let observed = all.clone().min().copied().zip(all.max().copied());
        let scale = ItemScale {
            range: range(observed),
            observed,
            better: Better::Higher,
        };
        answer_counts(&item, &scale)
    }

    #[test]
    fn answers_are_counted_over_paired_participants_on_their_scale() {
        // The third participant answered before only: left out; 3.0 is 3.
        let c = counted(&["1", "3", "5"], &["2", "3.0"]).unwrap();
        assert_eq!((c.lo, c.hi, c.n()), (1, 5, 2));
        assert_eq!(c.pre, [1, 0, 1, 0, 0]);
        assert_eq!(c.post, [0, 1, 1, 0, 0]);
    }

    #[test]
    fn answers_off_a_short_scale_of_whole_points_are_not_counted() {
        assert!(counted(&["2.5"], &["3"]).is_err());
        assert!(counted(&["0", "40"], &["55", "95"]).is_err());
        assert!(counted(&["3"], &[]).is_err());
        assert!(counted(&["3"], &["4"]).is_ok());
    }
}
