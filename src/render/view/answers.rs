//! The survey's answers as distributions, not only means (a mean hides a
//! split group): for each item whose answers are whole points on a scale
//! of two to seven points, how many of its *paired* participants (those
//! who answered it both before and after) gave each answer, before and
//! after — one diverging bar chart per scale, and the counts and shares as
//! a table beside it. Items that cannot be drawn are named in a sentence.
//! Answers are exact decimals and each share is written from the exact
//! ratio of its counts.

use crate::evidence::exact::{self, Decimal};
use crate::evidence::{Evidence, ItemResult};
use crate::graph::{Program, SurveyItem};

use super::super::format;
use super::super::links::Links;
use super::super::svg::{self, Answers, Caption, Levels};
use super::{AnswerItem, AnswersView};

/// The most points a scale may have to be drawn as diverging bars (a
/// 0–100 slider is read by its means).
pub const MAX_POINTS: usize = 7;

/// Each paired participant's answers, before and after, as whole points.
type Pairs = Vec<(i64, i64)>;

/// A whole point of a scale, within reach of a chart.
fn whole(x: Decimal) -> Option<i64> {
    use rust_decimal::prelude::ToPrimitive;
    if !x.fract().is_zero() {
        return None;
    }
    x.to_i64().filter(|v| v.abs() < 1_000_000_000)
}

/// Why an item is not drawn, or its scale and its paired answers. Its
/// range is the evidence's ([`crate::evidence::ItemScale`]): FORMAT's
/// default 1–5 when every score lies in it.
fn drawable(item: &SurveyItem, r: &ItemResult) -> Result<(Levels, Pairs), &'static str> {
    let pairs = item.pairs();
    if pairs.is_empty() {
        return Err("no participant answered it both before and after");
    }
    let Some((lo, hi)) = r
        .scale
        .range
        .and_then(|(lo, hi)| Some((whole(lo)?, whole(hi)?)))
        .filter(|(lo, hi)| lo < hi)
    else {
        return Err("its answers lie outside the default 1–5 and no range is declared");
    };
    let levels = Levels { lo, hi };
    if levels.len() > MAX_POINTS {
        return Err("its scale has more than seven points");
    }
    let pairs: Option<Pairs> = pairs
        .iter()
        .map(|(a, b)| Some((whole(*a)?, whole(*b)?)))
        .collect();
    let Some(pairs) = pairs else {
        return Err("some answers are not whole points");
    };
    Ok((levels, pairs))
}

/// How many answers fell on each point of `levels`.
fn counts(levels: Levels, answers: impl Iterator<Item = i64>) -> Vec<usize> {
    let mut c = vec![0; levels.len()];
    for a in answers {
        if let Some(slot) = usize::try_from(a - levels.lo)
            .ok()
            .and_then(|k| c.get_mut(k))
        {
            *slot += 1;
        }
    }
    c
}

/// `k` of `n` as a whole percentage, from the exact ratio: `1 of 8` is
/// 12.5%, shown `13%` (half up).
fn share(k: usize, n: usize) -> String {
    format::percent(exact::ratio(k, n.max(1)).unwrap_or_default())
}

/// `2 (14%)` for each point.
fn cells(counts: &[usize], n: usize) -> Vec<String> {
    counts
        .iter()
        .map(|k| format!("{k} ({})", share(*k, n)))
        .collect()
}

/// The answers to the survey items named in `only` (in its order), or to
/// every item: one view per scale, in the order the scales first appear,
/// and a sentence naming the items not drawn.
pub fn answers(
    p: &Program,
    links: &Links,
    ev: &Evidence,
    only: Option<&[&str]>,
) -> (Vec<AnswersView>, Option<String>) {
    let item = |r: &&ItemResult| &p.results.survey[r.item];
    let items: Vec<&ItemResult> = match only {
        None => ev.items.iter().collect(),
        Some(ids) => ids
            .iter()
            .filter_map(|id| ev.items.iter().find(|r| item(r).item == *id))
            .collect(),
    };
    let mut groups: Vec<(Levels, Vec<Answers>, Vec<AnswerItem>)> = Vec::new();
    let mut not_drawn: Vec<String> = Vec::new();
    for r in items {
        let item = item(&r);
        let link = item.competency.map(|c| links.one(c));
        let name = link.as_ref().map_or(item.item.clone(), |l| l.title.clone());
        let (levels, pairs) = match drawable(item, r) {
            Ok(x) => x,
            Err(why) => {
                not_drawn.push(format!("{name} ({why})"));
                continue;
            }
        };
        let pre = counts(levels, pairs.iter().map(|x| x.0));
        let post = counts(levels, pairs.iter().map(|x| x.1));
        let n = pairs.len();
        let row = AnswerItem {
            item: item.item.clone(),
            link,
            n,
            pre: cells(&pre, n),
            post: cells(&post, n),
        };
        let drawn = Answers {
            label: format!("{name} ({})", format::plural(n, "person", "people")),
            pre,
            post,
        };
        match groups.iter_mut().find(|g| g.0 == levels) {
            Some(g) => {
                g.1.push(drawn);
                g.2.push(row);
            }
            None => groups.push((levels, vec![drawn], vec![row])),
        }
    }
    let views = groups
        .into_iter()
        .map(|(levels, drawn, items)| {
            let scale = format!("{}–{}", levels.lo, levels.hi);
            let id = format!("answers-{}-{}", levels.lo, levels.hi);
            let title = format!("Answers before and after, per item ({scale})");
            let middle = if levels.len() % 2 == 1 {
                format!(
                    "; the middle answer, {}, is split across the centre line",
                    (levels.lo + levels.hi) / 2
                )
            } else {
                String::new()
            };
            let desc = format!(
                "For each item, the share of its paired participants who gave each answer from {} to {}, before and after: answers below the middle extend left of the centre line, answers above it right{middle}. The table beside it has the counts.",
                levels.lo, levels.hi
            );
            AnswersView {
                svg: svg::diverging(
                    &Caption {
                        id: &id,
                        title: &title,
                        desc: &desc,
                    },
                    levels,
                    &drawn,
                    &share,
                ),
                scale,
                levels: (levels.lo..=levels.hi).collect(),
                items,
            }
        })
        .collect();
    let not_drawn = (!not_drawn.is_empty()).then(|| {
        format!(
            "Not drawn as answers: {}. Their means are in the table above.",
            not_drawn.join("; ")
        )
    });
    (views, not_drawn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::ItemScale;
    use crate::graph::Participant;
    use crate::model::Better;

    fn item(pre: &[&str], post: &[&str]) -> (SurveyItem, ItemResult) {
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
        };
        let all = item.pre.values().chain(item.post.values());
        let observed = all.clone().min().copied().zip(all.max().copied());
        let r = ItemResult {
            item: 0,
            paired: None,
            pre_only: 0,
            post_only: 0,
            p_holm: None,
            scale: ItemScale {
                range: crate::evidence::survey::range(observed),
                observed,
                better: Better::Higher,
            },
        };
        (item, r)
    }

    fn drawn(pre: &[&str], post: &[&str]) -> Result<(Levels, Pairs), &'static str> {
        let (i, r) = item(pre, post);
        drawable(&i, &r)
    }

    #[test]
    fn answers_are_counted_over_paired_participants_on_their_scale() {
        // The third participant answered before only: left out.
        let (levels, pairs) = drawn(&["1", "3", "5"], &["2", "3.0"]).unwrap();
        assert_eq!(levels, Levels { lo: 1, hi: 5 });
        assert_eq!(counts(levels, pairs.iter().map(|x| x.0)), [1, 0, 1, 0, 0]);
        assert_eq!(counts(levels, pairs.iter().map(|x| x.1)), [0, 1, 1, 0, 0]);
        assert_eq!(
            cells(&[1, 0, 1, 0, 0], 2),
            ["1 (50%)", "0 (0%)", "1 (50%)", "0 (0%)", "0 (0%)"]
        );
    }

    /// Shares from the exact ratio, half up: 1 of 8 is 12.5% → 13%, 1 of
    /// 40 is 2.5% → 3% (Python: `Decimal(1) / 8 * 100` quantized
    /// ROUND_HALF_UP); 2 of 3 is 67%.
    #[test]
    fn shares_round_half_up_from_the_exact_ratio() {
        assert_eq!(share(1, 8), "13%");
        assert_eq!(share(1, 40), "3%");
        assert_eq!(share(2, 3), "67%");
        assert_eq!(share(0, 0), "0%");
    }

    #[test]
    fn items_off_a_short_scale_of_whole_points_are_not_drawn() {
        assert!(drawn(&["2.5"], &["3"]).is_err());
        assert!(drawn(&["0", "40"], &["55", "95"]).is_err());
        assert!(drawn(&["3"], &[]).is_err());
        assert!(drawn(&["3"], &["4"]).is_ok());
    }
}
