//! Behaviour evidence (FORMAT.md v1.2): per survey item, the change from
//! a retrospective `then` to `post` and from `pre` and `post` to the
//! follow-up; others' figures by rater kind and phase beside self —
//! withheld below `min_raters` distinct raters (a manager's need one) —
//! and the self/others gap flagged as a blind spot or a hidden strength;
//! per scale, Cronbach's α, the paired statistics of scale scores and
//! the Jacobson–Truax reliable change of each participant, as counts.
//!
//! Scores are exact decimals ([`super::exact`]); α, SD and RC are f64
//! from them at the end. No participant or rater is ever named: only
//! means and counts leave this module.

use std::collections::{BTreeMap, HashMap};

use crate::graph::{ItemDef, Participant, Program, Scale, SurveyItem, DEFAULT_ITEM_RANGE};
use crate::model::{Better, Phase, RaterChoice, RaterKind};

use super::exact::{self, to_f64, Decimal};
use super::stats::{self, Paired};

/// The rater kinds that are not self, in the order pages show them.
pub(crate) const OTHERS: [RaterKind; 4] = [
    RaterKind::Manager,
    RaterKind::Peer,
    RaterKind::Report,
    RaterKind::Other,
];

/// One figure: a rater kind's mean for an item (or scale) in a phase.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Figure {
    pub rater: RaterKind,
    pub phase: Phase,
    /// Participants rated.
    pub n: usize,
    /// The mean of their scores; None when withheld.
    pub mean: Option<Decimal>,
    /// Fewer distinct raters than the anonymity rule needs.
    pub withheld: bool,
}

/// Whether self sees themselves higher or lower than others do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GapFlag {
    /// Self higher than others by more than a third of the range.
    BlindSpot,
    /// Self lower than others by more than a third of the range.
    HiddenStrength,
}

impl GapFlag {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            GapFlag::BlindSpot => "blind-spot",
            GapFlag::HiddenStrength => "hidden-strength",
        }
    }
    pub(crate) fn label(self) -> &'static str {
        match self {
            GapFlag::BlindSpot => "blind spot",
            GapFlag::HiddenStrength => "hidden strength",
        }
    }
}

/// The self/others gap of an item: mean self minus mean others over the
/// participants with both, in the latest phase that has both.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Gap {
    pub phase: Phase,
    pub n: usize,
    pub gap: Decimal,
    pub flag: Option<GapFlag>,
}

/// What the v1.2 phases and raters say about one survey item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ItemBehaviour {
    /// Index into `results.survey`.
    pub item: usize,
    pub then_post: Option<Paired>,
    pub pre_follow_up: Option<Paired>,
    pub post_follow_up: Option<Paired>,
    /// Self and others by phase: every rater kind and phase with answers.
    pub figures: Vec<Figure>,
    pub gap: Option<Gap>,
}

impl ItemBehaviour {
    /// Whether it holds anything beyond v1.1's self pre → post.
    pub(crate) fn any(&self) -> bool {
        self.then_post.is_some()
            || self.pre_follow_up.is_some()
            || self.post_follow_up.is_some()
            || self.figures.iter().any(|f| f.rater != RaterKind::Own)
    }
}

/// Reliable change counts (Jacobson & Truax 1991).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReliableChange {
    /// Participants with a scale score in both phases.
    pub n: usize,
    pub improved: usize,
    pub unchanged: usize,
    pub declined: usize,
    /// The SD of the `pre` scale scores and α behind the criterion, and
    /// the smallest change that is reliable: 1.96 · √2 · SD · √(1 − α).
    pub sd_pre: f64,
    pub criterion: f64,
}

/// What one scale's scores say.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScaleResult {
    /// Index into the program's `scales`.
    pub scale: usize,
    /// Cronbach's α and the phase and number of complete answers it
    /// comes from; None with fewer than two complete answers or no
    /// variance.
    pub alpha: Option<f64>,
    pub alpha_phase: Phase,
    pub alpha_n: usize,
    /// Self pre → post of scale scores.
    pub paired: Option<Paired>,
    pub reliable: Option<ReliableChange>,
    pub range: (f64, f64),
    pub better: Better,
}

/// Behaviour evidence of a program.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Behaviour {
    /// Items with anything beyond self pre → post, in survey order.
    pub items: Vec<ItemBehaviour>,
    pub scales: Vec<ScaleResult>,
}

impl Behaviour {
    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty() && self.scales.is_empty()
    }
}

/// The scores of rater kind `k` in `phase` about item `s`, by participant
/// (others' answers averaged per participant).
pub(crate) fn scores(s: &SurveyItem, k: RaterKind, phase: Phase) -> BTreeMap<Participant, Decimal> {
    match (k, phase) {
        (RaterKind::Own, Phase::Pre) => s.pre.clone(),
        (RaterKind::Own, Phase::Post) => s.post.clone(),
        _ => s
            .more
            .get(&(k, phase))
            .map(|a| a.scores())
            .unwrap_or_default(),
    }
}

/// How many distinct raters a figure of kind `k` needs.
pub(crate) fn needed(k: RaterKind, min_raters: u32) -> usize {
    match k {
        RaterKind::Own => 0,
        RaterKind::Manager => 1,
        _ => min_raters as usize,
    }
}

/// Whether the figure of kind `k` in `phase` about `s` may be shown.
pub(crate) fn shown(s: &SurveyItem, k: RaterKind, phase: Phase, min_raters: u32) -> bool {
    let raters = match k {
        RaterKind::Own => return true,
        _ => s.more.get(&(k, phase)).map_or(0, |a| a.rater_count()),
    };
    raters >= needed(k, min_raters)
}

/// The scores a metric's `rater` choice reads about item `s` in `phase`
/// — None when a figure behind them is withheld. `others` pools the
/// answers of every other kind whose own figure may be shown.
pub(crate) fn chosen(
    s: &SurveyItem,
    rater: RaterChoice,
    phase: Phase,
    min_raters: u32,
) -> Option<BTreeMap<Participant, Decimal>> {
    let kind = match rater {
        RaterChoice::Own => RaterKind::Own,
        RaterChoice::Manager => RaterKind::Manager,
        RaterChoice::Peer => RaterKind::Peer,
        RaterChoice::Report => RaterKind::Report,
        RaterChoice::Others => return others(s, phase, min_raters),
    };
    shown(s, kind, phase, min_raters).then(|| scores(s, kind, phase))
}

/// Everyone but self about `s` in `phase`: per participant, the mean of
/// every answer of the kinds whose figure may be shown (a withheld kind
/// stays out, or the pool would give it away); None when none may be.
fn others(s: &SurveyItem, phase: Phase, min_raters: u32) -> Option<BTreeMap<Participant, Decimal>> {
    let mut all: BTreeMap<Participant, Vec<Decimal>> = BTreeMap::new();
    let mut any = false;
    for k in OTHERS {
        let Some(a) = s.more.get(&(k, phase)) else {
            continue;
        };
        if !shown(s, k, phase, min_raters) {
            continue;
        }
        any = true;
        for (p, xs) in &a.by {
            all.entry(*p).or_default().extend(xs);
        }
    }
    any.then(|| {
        all.into_iter()
            .filter_map(|(p, xs)| Some((p, exact::mean(&xs)?)))
            .collect()
    })
}

/// Pairs of the participants in both maps, in participant order.
pub(crate) fn pairs(
    a: &BTreeMap<Participant, Decimal>,
    b: &BTreeMap<Participant, Decimal>,
) -> Vec<(Decimal, Decimal)> {
    a.iter()
        .filter_map(|(p, x)| b.get(p).map(|y| (*x, *y)))
        .collect()
}

/// The range and direction of item `id`: declared, else the default.
pub(crate) fn item_scale(p: &Program, id: &str) -> ((f64, f64), Better) {
    declared_or_default(p.survey_items.iter().find(|d| d.id == id))
}

/// The range and direction an item's definition `d` gives, or the default
/// ones of an item without one.
fn declared_or_default(d: Option<&ItemDef>) -> ((f64, f64), Better) {
    d.map_or((DEFAULT_ITEM_RANGE, Better::Higher), |d| {
        (d.range, d.better)
    })
}

pub(crate) fn of(p: &Program, min_raters: u32) -> Behaviour {
    let items = p
        .results
        .survey
        .iter()
        .enumerate()
        .map(|(i, s)| item(p, i, s, min_raters))
        .filter(ItemBehaviour::any)
        .collect();
    let scales = p
        .scales
        .iter()
        .enumerate()
        .map(|(i, sc)| scale(p, i, sc))
        // A scale nobody answered (a cohort that asked only self ratings
        // of other items) has nothing to show.
        .filter(|r| r.alpha_n > 0 || r.paired.is_some())
        .collect();
    Behaviour { items, scales }
}

fn item(p: &Program, i: usize, s: &SurveyItem, min_raters: u32) -> ItemBehaviour {
    let own = |phase| scores(s, RaterKind::Own, phase);
    let paired = |a: Phase, b: Phase| {
        let x = pairs(&own(a), &own(b));
        stats::paired(&x)
    };
    let has = |phase| !own(phase).is_empty();
    let mut figures = Vec::new();
    for k in std::iter::once(RaterKind::Own).chain(OTHERS) {
        for phase in Phase::ALL {
            let phase = *phase;
            let sc = scores(s, k, phase);
            if sc.is_empty() {
                continue;
            }
            let withheld = !shown(s, k, phase, min_raters);
            let values: Vec<Decimal> = sc.values().copied().collect();
            figures.push(Figure {
                rater: k,
                phase,
                n: sc.len(),
                mean: if withheld { None } else { exact::mean(&values) },
                withheld,
            });
        }
    }
    let (range, _) = item_scale(p, &s.item);
    let gap = Phase::ALL.iter().rev().find_map(|&phase| {
        let others = others(s, phase, min_raters)?;
        let both = pairs(&own(phase), &others);
        if both.is_empty() {
            return None;
        }
        let selfs: Vec<Decimal> = both.iter().map(|b| b.0).collect();
        let them: Vec<Decimal> = both.iter().map(|b| b.1).collect();
        let gap = exact::mean(&selfs)? - exact::mean(&them)?;
        let third = (range.1 - range.0) / 3.0;
        let flag = match to_f64(gap) {
            g if g > third => Some(GapFlag::BlindSpot),
            g if g < -third => Some(GapFlag::HiddenStrength),
            _ => None,
        };
        Some(Gap {
            phase,
            n: both.len(),
            gap,
            flag,
        })
    });
    ItemBehaviour {
        item: i,
        then_post: has(Phase::Then)
            .then(|| paired(Phase::Then, Phase::Post))
            .flatten(),
        pre_follow_up: has(Phase::FollowUp)
            .then(|| paired(Phase::Pre, Phase::FollowUp))
            .flatten(),
        post_follow_up: has(Phase::FollowUp)
            .then(|| paired(Phase::Post, Phase::FollowUp))
            .flatten(),
        figures,
        gap,
    }
}

/// Each participant's answers to the items of `sc` in one phase, by rater
/// choice, reversed items reversed: only participants with every item.
pub(crate) fn item_matrix(
    p: &Program,
    sc: &Scale,
    phase: Phase,
    rater: RaterChoice,
    min_raters: u32,
) -> Option<BTreeMap<Participant, Vec<Decimal>>> {
    // Each item's answers and definition, looked up once per item (a
    // scale of a thousand items must not scan a thousand for each).
    let mut answers: HashMap<&str, &SurveyItem> = HashMap::new();
    for s in &p.results.survey {
        answers.entry(s.item.as_str()).or_insert(s);
    }
    let mut defs: HashMap<&str, &ItemDef> = HashMap::new();
    for d in &p.survey_items {
        defs.entry(d.id.as_str()).or_insert(d);
    }
    let mut rows: Option<BTreeMap<Participant, Vec<Decimal>>> = None;
    for id in &sc.items {
        let scores = match answers.get(id.as_str()) {
            Some(s) => chosen(s, rater, phase, min_raters)?,
            None => BTreeMap::new(),
        };
        let ((lo, hi), _) = declared_or_default(defs.get(id.as_str()).copied());
        let flip = sc.reversed.contains(id);
        let (lo, hi) = (exact::of_f64(lo)?, exact::of_f64(hi)?);
        let value = |x: Decimal| if flip { lo + hi - x } else { x };
        rows = Some(match rows {
            None => scores.iter().map(|(p, x)| (*p, vec![value(*x)])).collect(),
            Some(mut r) => {
                r.retain(|p, _| scores.contains_key(p));
                for (p, xs) in r.iter_mut() {
                    xs.push(value(scores[p]));
                }
                r
            }
        });
    }
    rows
}

/// Scale scores: each complete participant's mean of the items.
pub(crate) fn scale_scores(
    matrix: &BTreeMap<Participant, Vec<Decimal>>,
) -> BTreeMap<Participant, Decimal> {
    matrix
        .iter()
        .filter_map(|(p, xs)| Some((*p, exact::mean(xs)?)))
        .collect()
}

/// Cronbach's α of complete answers (rows: people, columns: items),
/// with sample variances: k/(k−1) · (1 − Σ var(item) / var(total)).
pub(crate) fn cronbach_alpha(rows: &[Vec<f64>]) -> Option<f64> {
    let k = rows.first()?.len();
    if rows.len() < 2 || k < 2 {
        return None;
    }
    let var = |xs: &[f64]| {
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)
    };
    let items: f64 = (0..k)
        .map(|j| var(&rows.iter().map(|r| r[j]).collect::<Vec<_>>()))
        .sum();
    let totals: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
    let total = var(&totals);
    (total > 0.0).then(|| k as f64 / (k as f64 - 1.0) * (1.0 - items / total))
}

/// Jacobson–Truax reliable change of pairs (before, after) given the SD
/// of the baseline and the reliability α: RC = (after − before) /
/// (√2 · SD · √(1 − α)); |RC| > 1.96 is reliable. "Improved" is on the
/// side of `better`. None when α ≥ 1 or SD is 0.
pub(crate) fn reliable_change(
    pairs: &[(Decimal, Decimal)],
    sd_pre: f64,
    alpha: f64,
    better: Better,
) -> Option<ReliableChange> {
    let se_diff = std::f64::consts::SQRT_2 * sd_pre * (1.0 - alpha).sqrt();
    if se_diff.is_nan() || se_diff <= 0.0 || !se_diff.is_finite() {
        return None;
    }
    let (mut improved, mut unchanged, mut declined) = (0, 0, 0);
    for (a, b) in pairs {
        let rc = to_f64(*b - *a) / se_diff;
        let rc = if better == Better::Lower { -rc } else { rc };
        if rc > 1.96 {
            improved += 1;
        } else if rc < -1.96 {
            declined += 1;
        } else {
            unchanged += 1;
        }
    }
    Some(ReliableChange {
        n: pairs.len(),
        improved,
        unchanged,
        declined,
        sd_pre,
        criterion: 1.96 * se_diff,
    })
}

/// The sample SD of `xs` (two or more).
fn sd(xs: &[f64]) -> Option<f64> {
    let n = xs.len() as f64;
    if xs.len() < 2 {
        return None;
    }
    let m = xs.iter().sum::<f64>() / n;
    Some((xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt())
}

/// A scale's direction: that of its items not reversed.
fn scale_better(p: &Program, sc: &Scale) -> Better {
    sc.items
        .iter()
        .find(|i| !sc.reversed.contains(i))
        .map_or(Better::Higher, |i| item_scale(p, i).1)
}

/// α, the scale's self pre → post, and reliable change (self), of `sc`.
fn scale(p: &Program, i: usize, sc: &Scale) -> ScaleResult {
    let range = sc
        .items
        .first()
        .map_or(DEFAULT_ITEM_RANGE, |id| item_scale(p, id).0);
    let better = scale_better(p, sc);
    let matrix = |phase| item_matrix(p, sc, phase, RaterChoice::Own, 0).unwrap_or_default();
    let (pre, post) = (matrix(Phase::Pre), matrix(Phase::Post));
    let (alpha_phase, basis) = match pre.is_empty() {
        true => (Phase::Post, &post),
        false => (Phase::Pre, &pre),
    };
    let rows: Vec<Vec<f64>> = basis
        .values()
        .map(|r| r.iter().map(|x| to_f64(*x)).collect())
        .collect();
    let alpha = cronbach_alpha(&rows);
    let (pre_s, post_s) = (scale_scores(&pre), scale_scores(&post));
    let both = pairs(&pre_s, &post_s);
    let pre_values: Vec<f64> = pre_s.values().map(|x| to_f64(*x)).collect();
    let reliable = match (alpha, sd(&pre_values)) {
        (Some(a), Some(s)) if !both.is_empty() => reliable_change(&both, s, a, better),
        _ => None,
    };
    ScaleResult {
        scale: i,
        alpha,
        alpha_phase,
        alpha_n: rows.len(),
        paired: stats::paired(&both),
        reliable,
        range,
        better,
    }
}

/// The α and baseline SD a metric's reliable change uses, for scale `sc`
/// read by `rater` comparing `before` → `after`: α from the answers of
/// `before` (of `after` when there are none), SD of the `before` scale
/// scores. With the pairs.
pub(crate) fn reliable_for(
    p: &Program,
    sc: &Scale,
    rater: RaterChoice,
    (before, after): (Phase, Phase),
    min_raters: u32,
) -> Option<ReliableChange> {
    let a = item_matrix(p, sc, before, rater, min_raters)?;
    let b = item_matrix(p, sc, after, rater, min_raters)?;
    let basis = if a.is_empty() { &b } else { &a };
    let rows: Vec<Vec<f64>> = basis
        .values()
        .map(|r| r.iter().map(|x| to_f64(*x)).collect())
        .collect();
    let alpha = cronbach_alpha(&rows)?;
    let (sa, sb) = (scale_scores(&a), scale_scores(&b));
    let sd_pre = sd(&sa.values().map(|x| to_f64(*x)).collect::<Vec<_>>())?;
    reliable_change(&pairs(&sa, &sb), sd_pre, alpha, scale_better(p, sc))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRE: [[u8; 4]; 10] = [
        [3, 2, 3, 3],
        [2, 4, 2, 2],
        [4, 2, 4, 3],
        [3, 3, 3, 4],
        [2, 4, 2, 2],
        [3, 3, 3, 3],
        [4, 1, 4, 4],
        [2, 3, 3, 2],
        [3, 2, 3, 3],
        [3, 4, 2, 3],
    ];
    const POST: [[u8; 4]; 10] = [
        [4, 2, 4, 4],
        [4, 2, 4, 4],
        [4, 1, 5, 4],
        [3, 3, 3, 4],
        [3, 3, 3, 3],
        [5, 1, 5, 4],
        [4, 1, 4, 5],
        [3, 2, 4, 3],
        [4, 2, 4, 4],
        [3, 3, 3, 3],
    ];

    /// Item 2 (index 1) reversed on 1–5: 6 − x.
    fn reversed(rows: &[[u8; 4]]) -> Vec<Vec<f64>> {
        rows.iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .map(|(j, &x)| {
                        if j == 1 {
                            6.0 - f64::from(x)
                        } else {
                            f64::from(x)
                        }
                    })
                    .collect()
            })
            .collect()
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }

    /// pingouin 0.7.0: `pg.cronbach_alpha(pd.DataFrame(rev(PRE)))` with
    /// the second column reversed (6 − x) → 0.9120069354139574.
    #[test]
    fn cronbach_alpha_is_pingouins() {
        close(cronbach_alpha(&reversed(&PRE)).unwrap(), 0.9120069354139574);
        assert_eq!(cronbach_alpha(&[vec![1.0, 2.0]]), None, "one person");
        assert_eq!(
            cronbach_alpha(&[vec![3.0, 3.0], vec![3.0, 3.0]]),
            None,
            "no variance"
        );
    }

    /// numpy 1.x: scale scores are the row means of the reversed items;
    /// SD_pre = `s_pre.std(ddof=1)` = 0.7307720422797918; RC = (post − pre)
    /// / (√2 · SD_pre · √(1 − α)) (Jacobson & Truax 1991) =
    /// [2.446, 6.524, 2.446, 0, 3.262, 5.708, 0.815, 3.262, 2.446, 1.631]:
    /// 7 above 1.96, none below −1.96; the criterion 1.96 · √2 · SD · √(1 − α)
    /// = 0.6008654252486657.
    #[test]
    fn reliable_change_is_jacobson_truax() {
        let means = |rows: Vec<Vec<f64>>| -> Vec<Decimal> {
            rows.iter()
                .map(|r| {
                    let sum: f64 = r.iter().sum();
                    exact::ratio(Decimal::from(sum as i64), 4).unwrap()
                })
                .collect()
        };
        let (a, b) = (means(reversed(&PRE)), means(reversed(&POST)));
        let sd_pre = sd(&a.iter().map(|x| to_f64(*x)).collect::<Vec<_>>()).unwrap();
        close(sd_pre, 0.7307720422797918);
        let pairs: Vec<(Decimal, Decimal)> = a.into_iter().zip(b).collect();
        let rc = reliable_change(&pairs, sd_pre, 0.9120069354139574, Better::Higher).unwrap();
        assert_eq!(
            (rc.n, rc.improved, rc.unchanged, rc.declined),
            (10, 7, 3, 0)
        );
        close(rc.criterion, 0.6008654252486657);
        // Lower is better: the same changes are declines.
        let rc = reliable_change(&pairs, sd_pre, 0.9120069354139574, Better::Lower).unwrap();
        assert_eq!((rc.improved, rc.declined), (0, 7));
        assert_eq!(reliable_change(&pairs, sd_pre, 1.0, Better::Higher), None);
    }

    /// scipy 1.17: `ttest_rel(s_post, s_pre)` of the scale scores above →
    /// t = 4.497705837220253, p = 0.0014938683937589401.
    #[test]
    fn scale_scores_get_the_paired_statistics() {
        let mean4 =
            |r: &Vec<f64>| exact::ratio(Decimal::from(r.iter().sum::<f64>() as i64), 4).unwrap();
        let pairs: Vec<(Decimal, Decimal)> = reversed(&PRE)
            .iter()
            .zip(reversed(&POST).iter())
            .map(|(a, b)| (mean4(a), mean4(b)))
            .collect();
        let t = stats::paired(&pairs).unwrap().tests.unwrap();
        assert!((t.t - 4.497705837220253).abs() < 1e-9, "{}", t.t);
        assert!((t.p_t - 0.0014938683937589401).abs() < 1e-9, "{}", t.p_t);
    }
}
