//! The actuals of the v1.2 survey metrics: a survey source that reads
//! other raters (`rater`), other phases (`compare`) or a scale's score
//! (a scale in `items`), and `source: reliable-change` — the share of
//! paired participants who reliably improved. A figure withheld for
//! anonymity withholds the metric's actual.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use crate::graph::{Metric, Participant, Program, Scale, SurveyItem};
use crate::model::{Compare, Phase, RaterChoice};

use super::behaviour::{chosen, item_matrix, reliable_for, scale_scores};
use super::exact::{self, Decimal};

/// Why a survey metric has no actual although it has data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Withheld;

/// The values behind a survey metric that reads other raters, other
/// phases or scales (`rater`, `compare`, a scale in `items`): changes
/// (`survey-change`) or scores (`survey-post`) per participant and item
/// or scale, with the participants; Err when a figure behind it is
/// withheld.
pub(crate) fn metric_values<'p>(
    p: &'p Program,
    m: &Metric,
    change: bool,
    matrices: &Matrices<'p>,
) -> Result<(Vec<Decimal>, BTreeSet<Participant>), Withheld> {
    let (before, after) = if change {
        m.compare.phases()
    } else {
        (Phase::Post, Phase::Post)
    };
    let mut values = Vec::new();
    let mut who = BTreeSet::new();
    for (a, b) in units(p, m)
        .into_iter()
        .map(|u| u.read(m.rater, (before, after), matrices))
    {
        let (a, b) = (a.ok_or(Withheld)?, b.ok_or(Withheld)?);
        for (person, x) in &a {
            if let Some(y) = b.get(person) {
                who.insert(*person);
                values.push(if change { *y - *x } else { *y });
            }
        }
    }
    Ok((values, who))
}

/// What a metric's `items` name: a survey item or a scale.
enum Unit<'a> {
    Item(&'a SurveyItem),
    Scale(&'a Scale),
}

/// A participant's answers to a scale's items, by participant.
pub(crate) type Matrix = BTreeMap<Participant, Vec<Decimal>>;

/// Which matrix: the scale's id, the phase and whose answers.
type MatrixKey<'p> = (&'p str, Phase, RaterChoice);

/// The item matrices of one program's evidence, each made once: a
/// thousand metrics on one scale read its matrix a thousand times.
pub(crate) struct Matrices<'p> {
    p: &'p Program,
    min_raters: u32,
    made: RefCell<HashMap<MatrixKey<'p>, Option<Rc<Matrix>>>>,
}

impl<'p> Matrices<'p> {
    pub(crate) fn new(p: &'p Program, min_raters: u32) -> Self {
        Matrices {
            p,
            min_raters,
            made: RefCell::new(HashMap::new()),
        }
    }

    /// The smallest number of raters a figure is shown for.
    pub(crate) fn min_raters(&self) -> u32 {
        self.min_raters
    }

    /// [`item_matrix`] of `sc` (a scale of the program) in `phase`.
    pub(crate) fn of(&self, sc: &'p Scale, phase: Phase, rater: RaterChoice) -> Option<Rc<Matrix>> {
        let key = (sc.id.as_str(), phase, rater);
        if let Some(m) = self.made.borrow().get(&key) {
            return m.clone();
        }
        let m = item_matrix(self.p, sc, phase, rater, self.min_raters).map(Rc::new);
        self.made.borrow_mut().insert(key, m.clone());
        m
    }
}

type Scores = Option<BTreeMap<Participant, Decimal>>;

impl<'a> Unit<'a> {
    /// The scores of phases `a` and `b` by the chosen rater.
    fn read(
        &self,
        rater: RaterChoice,
        (a, b): (Phase, Phase),
        matrices: &Matrices<'a>,
    ) -> (Scores, Scores) {
        let get = |phase| match self {
            Unit::Item(s) => chosen(s, rater, phase, matrices.min_raters()),
            Unit::Scale(sc) => matrices.of(sc, phase, rater).map(|m| scale_scores(&m)),
        };
        (get(a), get(b))
    }
}

/// The items and scales a metric reads: its `items`, or every survey item.
fn units<'a>(p: &'a Program, m: &Metric) -> Vec<Unit<'a>> {
    match &m.items {
        None => p.results.survey.iter().map(Unit::Item).collect(),
        Some(names) => names
            .iter()
            .filter_map(|n| {
                if let Some(sc) = p.scales.iter().find(|s| &s.id == n) {
                    return Some(Unit::Scale(sc));
                }
                p.results
                    .survey
                    .iter()
                    .find(|s| &s.item == n)
                    .map(Unit::Item)
            })
            .collect(),
    }
}

/// Whether a survey metric reads only v1.1's self pre → post of items.
pub(crate) fn plain(p: &Program, m: &Metric) -> bool {
    m.rater == RaterChoice::Own
        && m.compare == Compare::PrePost
        && m.items
            .iter()
            .flatten()
            .all(|n| !p.scales.iter().any(|s| &s.id == n))
}

/// A reliable-change metric: the share of paired participants who
/// reliably improved, over the scales it names, and the pairs counted;
/// Err when a figure behind it is withheld.
pub(crate) fn reliable_share<'p>(
    p: &'p Program,
    m: &Metric,
    matrices: &Matrices<'p>,
) -> Result<(Option<Decimal>, usize), Withheld> {
    let min_raters = matrices.min_raters();
    let (mut improved, mut n) = (0usize, 0usize);
    for name in m.items.iter().flatten() {
        let Some(sc) = p.scales.iter().find(|s| &s.id == name) else {
            continue;
        };
        let phases = m.compare.phases();
        // A withheld figure reads as no matrix at all.
        if matrices.of(sc, phases.0, m.rater).is_none()
            || matrices.of(sc, phases.1, m.rater).is_none()
        {
            return Err(Withheld);
        }
        if let Some(rc) = reliable_for(p, sc, m.rater, phases, min_raters) {
            improved += rc.improved;
            n += rc.n;
        }
    }
    Ok((exact::ratio(improved, n), n))
}
