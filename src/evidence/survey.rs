//! The pre/post survey, item by item: the paired analysis of each item
//! ([`super::stats::paired`]), participants left without a pair, Holm's
//! adjustment of the items' t-test p values across the program, and each
//! item's scale — its range ("on 1–5") and which direction is better.

use crate::graph::{Metric, Program};
use crate::model::{Better, Source};

use super::exact::Decimal;
use super::stats::{self, Paired};

/// The range of an item whose range is not declared, when every score
/// lies in it (FORMAT v1.2's default for `survey_items`).
pub const DEFAULT_RANGE: (i64, i64) = (1, 5);

/// How an item is scored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemScale {
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
pub struct ItemResult {
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
}

pub fn items(p: &Program) -> Vec<ItemResult> {
    let mut items: Vec<ItemResult> = p
        .results
        .survey
        .iter()
        .enumerate()
        .map(|(i, s)| ItemResult {
            item: i,
            paired: stats::paired(&s.pairs()),
            pre_only: s.pre.keys().filter(|k| !s.post.contains_key(k)).count(),
            post_only: s.post.keys().filter(|k| !s.pre.contains_key(k)).count(),
            p_holm: None,
            scale: scale(p, i),
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
pub fn reads(p: &Program, m: &Metric) -> Vec<usize> {
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
pub fn range(observed: Option<(Decimal, Decimal)>) -> Option<(Decimal, Decimal)> {
    let (lo, hi) = (
        Decimal::from(DEFAULT_RANGE.0),
        Decimal::from(DEFAULT_RANGE.1),
    );
    match observed {
        Some((a, b)) if a < lo || b > hi => None,
        _ => Some((lo, hi)),
    }
}

/// The scale of item `i`.
fn scale(p: &Program, i: usize) -> ItemScale {
    let s = &p.results.survey[i];
    let scores = s.pre.values().chain(s.post.values());
    let observed = scores.clone().min().copied().zip(scores.max().copied());
    let range = range(observed);
    let better: Vec<Better> = p
        .metrics
        .iter()
        .filter(|m| matches!(m.source, Some(Source::SurveyChange | Source::SurveyPost)))
        .filter(|m| reads(p, m).contains(&i))
        .map(|m| m.better)
        .collect();
    let lower = !better.is_empty() && better.iter().all(|b| *b == Better::Lower);
    ItemScale {
        range,
        observed,
        better: if lower { Better::Lower } else { Better::Higher },
    }
}
