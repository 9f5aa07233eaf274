//! The survey's answers as distributions, not only means (a mean hides a
//! split group): for each item whose answers are whole points on a scale
//! of two to seven points, how many of its *paired* participants (those
//! who answered it both before and after) gave each answer, before and
//! after — one diverging bar chart per scale, and the counts and shares as
//! a table beside it. Items that cannot be drawn are named in a sentence.

use crate::graph::{Program, SurveyItem};

use super::super::format;
use super::super::links::Links;
use super::super::svg::{self, Answers, Caption, Levels};
use super::{AnswerItem, AnswersView};

/// The most points a scale may have to be drawn as diverging bars (a
/// 0–100 slider is read by its means).
pub const MAX_POINTS: usize = 7;

/// The range of an item, FORMAT's default 1–5 when every score lies in it;
/// None otherwise (no range is declared).
fn range(item: &SurveyItem) -> Option<(f64, f64)> {
    let (lo, hi) = (1.0, 5.0);
    item.pre
        .values()
        .chain(item.post.values())
        .all(|v| (lo..=hi).contains(v))
        .then_some((lo, hi))
}

/// Each paired participant's answers, before and after.
type Pairs = Vec<(f64, f64)>;

/// Why an item is not drawn, or its scale and its paired answers.
fn drawable(item: &SurveyItem) -> Result<(Levels, Pairs), &'static str> {
    let pairs = item.pairs();
    if pairs.is_empty() {
        return Err("no participant answered it both before and after");
    }
    let whole = |x: f64| x.fract() == 0.0 && x.abs() < 1e9;
    let Some((lo, hi)) = range(item).filter(|(lo, hi)| whole(*lo) && whole(*hi) && lo < hi) else {
        return Err("its answers lie outside the default 1–5 and no range is declared");
    };
    let levels = Levels {
        lo: lo as i64,
        hi: hi as i64,
    };
    if levels.len() > MAX_POINTS {
        return Err("its scale has more than seven points");
    }
    if pairs.iter().any(|(a, b)| !whole(*a) || !whole(*b)) {
        return Err("some answers are not whole points");
    }
    Ok((levels, pairs))
}

/// How many answers fell on each point of `levels`.
fn counts(levels: Levels, answers: impl Iterator<Item = f64>) -> Vec<usize> {
    let mut c = vec![0; levels.len()];
    for a in answers {
        let k = (a as i64 - levels.lo) as usize;
        if let Some(slot) = c.get_mut(k) {
            *slot += 1;
        }
    }
    c
}

/// `2 (14%)` for each point.
fn cells(counts: &[usize], n: usize) -> Vec<String> {
    counts
        .iter()
        .map(|k| format!("{k} ({})", format::percent(*k as f64 / n.max(1) as f64)))
        .collect()
}

/// The answers to the survey items named in `only` (in its order), or to
/// every item: one view per scale, in the order the scales first appear,
/// and a sentence naming the items not drawn.
pub fn answers(
    p: &Program,
    links: &Links,
    only: Option<&[&str]>,
) -> (Vec<AnswersView>, Option<String>) {
    let items: Vec<&SurveyItem> = match only {
        None => p.results.survey.iter().collect(),
        Some(ids) => ids
            .iter()
            .filter_map(|id| p.results.survey.iter().find(|s| s.item == *id))
            .collect(),
    };
    let mut groups: Vec<(Levels, Vec<Answers>, Vec<AnswerItem>)> = Vec::new();
    let mut not_drawn: Vec<String> = Vec::new();
    for item in items {
        let link = item.competency.map(|c| links.one(c));
        let name = link.as_ref().map_or(item.item.clone(), |l| l.title.clone());
        let (levels, pairs) = match drawable(item) {
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
                    &|x| format::percent(x),
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
    use crate::graph::Participant;

    fn item(pre: &[f64], post: &[f64]) -> SurveyItem {
        SurveyItem {
            item: "delegation".into(),
            competency: None,
            pre: pre
                .iter()
                .enumerate()
                .map(|(i, v)| (Participant(i as u32), *v))
                .collect(),
            post: post
                .iter()
                .enumerate()
                .map(|(i, v)| (Participant(i as u32), *v))
                .collect(),
        }
    }

    #[test]
    fn answers_are_counted_over_paired_participants_on_their_scale() {
        // The third participant answered before only: left out.
        let i = item(&[1.0, 3.0, 5.0], &[2.0, 3.0]);
        let (levels, pairs) = drawable(&i).unwrap();
        assert_eq!(levels, Levels { lo: 1, hi: 5 });
        assert_eq!(counts(levels, pairs.iter().map(|x| x.0)), [1, 0, 1, 0, 0]);
        assert_eq!(counts(levels, pairs.iter().map(|x| x.1)), [0, 1, 1, 0, 0]);
        assert_eq!(
            cells(&[1, 0, 1, 0, 0], 2),
            ["1 (50%)", "0 (0%)", "1 (50%)", "0 (0%)", "0 (0%)"]
        );
    }

    #[test]
    fn items_off_a_short_scale_of_whole_points_are_not_drawn() {
        assert!(drawable(&item(&[2.5], &[3.0])).is_err());
        assert!(drawable(&item(&[0.0, 40.0], &[55.0, 95.0])).is_err());
        assert!(drawable(&item(&[3.0], &[])).is_err());
        assert!(drawable(&item(&[3.0], &[4.0])).is_ok());
    }
}
