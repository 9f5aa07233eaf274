//! Survey data of FORMAT.md v1.2 that the graph holds: declared survey
//! items and multi-item scales (metrics.yaml), and the answers of one
//! rater kind in one phase — by participant, with how many distinct
//! raters stand behind them (for anonymity) and, for follow-ups, the
//! latest date. Participants and raters are numbers: their pseudonyms
//! are never kept.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::model::Better;

/// A participant of the results files, numbered in order of first
/// appearance: the pseudonym itself is not kept, so no page can show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Participant(pub u32);

/// A declared survey item (`survey_items:` of metrics.yaml).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemDef {
    pub id: String,
    pub text: Option<String>,
    /// Lowest and highest possible score (checked: finite, low < high).
    pub range: (f64, f64),
    pub better: Better,
}

/// The range of an item that declares none.
pub(crate) const DEFAULT_ITEM_RANGE: (f64, f64) = (1.0, 5.0);

/// A multi-item scale (`scales:` of metrics.yaml), its items checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub id: String,
    pub name: String,
    pub items: Vec<String>,
    pub reversed: Vec<String>,
}

/// The answers of one rater kind in one phase about one item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answers {
    /// Each participant's answers, one per rater (a follow-up's from its
    /// latest date only).
    pub by: BTreeMap<Participant, Vec<Decimal>>,
    /// A follow-up's date per participant: the latest seen.
    pub dates: BTreeMap<Participant, NaiveDate>,
    /// The distinct raters behind each participant's answers (numbered).
    pub raters: BTreeMap<Participant, BTreeSet<u32>>,
}

impl Answers {
    /// Add `score` about `who` from rater `rater`, answered on `date`
    /// (follow-ups: an earlier date than one seen is left out, a later one
    /// replaces what was seen).
    pub fn add(&mut self, who: Participant, rater: u32, score: Decimal, date: Option<NaiveDate>) {
        if let Some(d) = date {
            match self.dates.get(&who) {
                Some(seen) if *seen > d => return,
                Some(seen) if *seen < d => {
                    self.by.remove(&who);
                    self.raters.remove(&who);
                }
                _ => {}
            }
            self.dates.insert(who, d);
        }
        self.by.entry(who).or_default().push(score);
        self.raters.entry(who).or_default().insert(rater);
    }

    /// Each participant's score: the mean of their raters' answers.
    pub fn scores(&self) -> BTreeMap<Participant, Decimal> {
        self.by
            .iter()
            .filter_map(|(p, xs)| {
                let sum = xs
                    .iter()
                    .try_fold(Decimal::ZERO, |a, x| a.checked_add(*x))?;
                Some((*p, sum.checked_div(Decimal::from(xs.len()))?))
            })
            .collect()
    }

    /// How many distinct raters stand behind the answers.
    pub fn rater_count(&self) -> usize {
        self.raters
            .values()
            .flatten()
            .collect::<BTreeSet<_>>()
            .len()
    }
}
