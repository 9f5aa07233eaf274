//! The survey's answers as distributions, not only means (a mean hides a
//! split group): for each item whose answers are whole points on a scale
//! of two to seven points, how many of its *paired* participants (those
//! who answered it both before and after) gave each answer, before and
//! after (counted by the evidence, [`crate::evidence::survey::AnswerCounts`]) —
//! one diverging bar chart per scale, and the counts and shares as a table
//! beside it. Items that cannot be drawn are named in a sentence. Each
//! share is written from the exact ratio of its counts.

use crate::evidence::exact;
use crate::evidence::{Evidence, ItemResult};
use crate::graph::Program;

use super::super::format;
use super::super::links::Links;
use super::super::svg::{self, Answers, Caption, Levels};
use super::{AnswerItem, AnswersView};

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
pub(crate) fn answers(
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
        let c = match &r.answers {
            Ok(c) => c,
            Err(why) => {
                not_drawn.push(format!("{name} ({why})"));
                continue;
            }
        };
        let levels = Levels { lo: c.lo, hi: c.hi };
        let (pre, post, n) = (c.pre.clone(), c.post.clone(), c.n());
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

    #[test]
    fn cells_count_and_share() {
        assert_eq!(
            cells(&[1, 0, 1, 0, 0], 2),
            ["1 (50%)", "0 (0%)", "1 (50%)", "0 (0%)", "0 (0%)"]
        );
    }

    /// Shares from the exact ratio, half up: 1 of 8 is 12.5% → 13%, 1 of
    /// 40 is 2.5% → 3% (Python: `(Decimal(1) / 8 * 100).quantize(
    /// Decimal(1), ROUND_HALF_UP)`); 2 of 3 is 67%.
    #[test]
    fn shares_round_half_up_from_the_exact_ratio() {
        assert_eq!(share(1, 8), "13%");
        assert_eq!(share(1, 40), "3%");
        assert_eq!(share(2, 3), "67%");
        assert_eq!(share(0, 0), "0%");
    }
}
