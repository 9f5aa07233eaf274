//! Statistics for small groups: the paired analysis of a pre/post survey
//! item — mean change and its t interval, the standardized change d_z with
//! an exact interval from the noncentral t distribution, Hedges' g_z (d_z
//! corrected for its small-sample bias) with that interval scaled alike,
//! the paired t-test and the Wilcoxon signed-rank test ([`mod@wilcoxon`]:
//! exact up to [`WILCOXON_EXACT_MAX`](wilcoxon::WILCOXON_EXACT_MAX) non-zero changes, the normal
//! approximation beyond) — and Holm's adjustment of a family of p values.
//!
//! Scores come in as exact decimals: changes, means, ties and the signs of
//! changes are exact ([`super::exact`]); the standard deviation, t, p and
//! the intervals are f64 computed from the exact changes. The
//! distributions are in [`dist`]. Every value is tested against SciPy's
//! (the inputs and the SciPy call are named in each test).

pub(crate) mod dist;
pub(crate) mod wilcoxon;

use super::exact::{self, Decimal};
use dist::{hedges_j, noncentrality_for, t_cdf, t_quantile};
pub(crate) use wilcoxon::{wilcoxon, Wilcoxon, WilcoxonMethod};

/// The paired analysis of one item: changes are post − pre.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Paired {
    pub n: usize,
    pub mean_pre: Decimal,
    pub mean_post: Decimal,
    pub mean_change: Decimal,
    pub improved: usize,
    pub unchanged: usize,
    pub declined: usize,
    /// From three pairs on, when the changes vary.
    pub tests: Option<Tests>,
    /// Every change is the same (sd 0): no t, no interval.
    pub all_equal: bool,
}

/// What a paired sample of at least three varying changes supports.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tests {
    pub sd_change: f64,
    /// The 95% interval of the mean change (t quantile).
    pub ci: (f64, f64),
    pub t: f64,
    pub df: f64,
    /// The paired t-test, two-sided.
    pub p_t: f64,
    /// Standardized change: mean change ÷ sd of the changes.
    pub d_z: f64,
    /// Its exact 95% interval (noncentral t).
    pub d_z_ci: (f64, f64),
    /// Hedges' g_z: d_z × J(df), J the exact small-sample correction
    /// ([`dist::hedges_j`]); about 9% below d_z at n = 10.
    pub g_z: f64,
    /// d_z's exact interval, both ends × J(df).
    pub g_z_ci: (f64, f64),
    /// The Wilcoxon signed-rank test, two-sided (zeros dropped; None when
    /// every change is zero).
    pub p_wilcoxon: Option<f64>,
    /// How its p was found.
    pub wilcoxon_method: WilcoxonMethod,
    /// How many changes were not zero.
    pub nonzero: usize,
}

impl Tests {
    /// The Wilcoxon test as run.
    pub(crate) fn wilcoxon(&self) -> Wilcoxon {
        Wilcoxon {
            p: self.p_wilcoxon,
            method: self.wilcoxon_method,
            nonzero: self.nonzero,
        }
    }
}

/// Analyse paired (pre, post) scores. None without a pair.
pub(crate) fn paired(pairs: &[(Decimal, Decimal)]) -> Option<Paired> {
    let n = pairs.len();
    let pre: Vec<Decimal> = pairs.iter().map(|p| p.0).collect();
    let post: Vec<Decimal> = pairs.iter().map(|p| p.1).collect();
    let d: Vec<Decimal> = pairs
        .iter()
        .map(|(a, b)| b.checked_sub(*a))
        .collect::<Option<_>>()?;
    let mean_change = exact::mean(&d)?;
    let count = |f: fn(&Decimal) -> bool| d.iter().filter(|x| f(x)).count();
    let all_equal = n >= 2 && d.iter().all(|x| *x == d[0]);
    let tests = (n >= 3 && !all_equal)
        .then(|| tests(&d, mean_change))
        .flatten();
    Some(Paired {
        n,
        mean_pre: exact::mean(&pre)?,
        mean_post: exact::mean(&post)?,
        mean_change,
        improved: count(|x| x.is_sign_positive() && !x.is_zero()),
        unchanged: count(|x| x.is_zero()),
        declined: count(|x| x.is_sign_negative() && !x.is_zero()),
        tests,
        all_equal,
    })
}

/// The tests of changes `d` (at least three, not all equal) whose exact
/// mean is `mean`.
fn tests(d: &[Decimal], mean: Decimal) -> Option<Tests> {
    let nf = d.len() as f64;
    let df = nf - 1.0;
    // Deviations from the mean are exact; their squares are summed in f64.
    let ss: f64 = d
        .iter()
        .map(|x| x.checked_sub(mean).map(|e| exact::to_f64(e).powi(2)))
        .sum::<Option<f64>>()?;
    let s = (ss / df).sqrt();
    if s.is_nan() || s <= 0.0 {
        return None;
    }
    let m = exact::to_f64(mean);
    let se = s / nf.sqrt();
    let t = m / se;
    let q = t_quantile(0.975, df);
    let (lo, hi) = (
        noncentrality_for(t, df, 0.975) / nf.sqrt(),
        noncentrality_for(t, df, 0.025) / nf.sqrt(),
    );
    let j = hedges_j(df);
    let w = wilcoxon(d);
    Some(Tests {
        sd_change: s,
        ci: (m - q * se, m + q * se),
        t,
        df,
        p_t: (2.0 * (1.0 - t_cdf(t.abs(), df))).min(1.0),
        d_z: m / s,
        d_z_ci: (lo, hi),
        g_z: j * m / s,
        g_z_ci: (j * lo, j * hi),
        p_wilcoxon: w.p,
        wilcoxon_method: w.method,
        nonzero: w.nonzero,
    })
}

/// Holm's step-down adjustment of the family `ps` (in their order): the
/// i-th smallest p becomes max over j ≤ i of min(1, (m − j + 1) · p_(j)).
/// It controls the chance of any false positive in the family at the
/// level read, whatever the dependence between the tests.
pub(crate) fn holm(ps: &[f64]) -> Vec<f64> {
    let m = ps.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| ps[a].total_cmp(&ps[b]));
    let mut out = vec![0.0; m];
    let mut running = 0.0f64;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((m - rank) as f64 * ps[i]).min(1.0));
        out[i] = running;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    macro_rules! assert_close {
        ($a:expr, $b:expr, $tol:expr) => {
            assert!(close($a, $b, $tol), "{} = {} ≠ {}", stringify!($a), $a, $b)
        };
    }

    fn pairs(pre: &[f64], post: &[f64]) -> Vec<(Decimal, Decimal)> {
        let d = |x: &f64| exact::of_f64(*x).unwrap();
        pre.iter().map(d).zip(post.iter().map(d)).collect()
    }

    fn f(x: Decimal) -> f64 {
        exact::to_f64(x)
    }

    /// The example, and SciPy 1.17.1 on it:
    /// `ttest_rel(post, pre)`, `t.ppf(0.975, 9)`,
    /// `brentq(lambda d: nct.cdf(t, 9, d) - 0.975 / 0.025)` / √10,
    /// `wilcoxon(post, pre, method='exact')`; g_z: `gamma(df/2) /
    /// (sqrt(df/2) * gamma((df-1)/2))` times d_z and its interval (d_z also
    /// pingouin 0.7.0 `compute_effsize(post, pre, paired=True,
    /// eftype='cohen_dz')`; pingouin's paired `'hedges'` corrects d_av, the
    /// difference over the mean of the two sds, so it is not g_z).
    #[test]
    fn ten_participants_match_scipy() {
        let pre = [3.0, 2.0, 4.0, 3.0, 2.0, 3.0, 3.0, 2.0, 4.0, 3.0];
        let post = [4.0, 4.0, 4.0, 3.0, 3.0, 5.0, 4.0, 3.0, 4.0, 4.0];
        let r = paired(&pairs(&pre, &post)).unwrap();
        let t = r.tests.as_ref().unwrap();
        assert_eq!((r.n, r.improved, r.unchanged, r.declined), (10, 7, 3, 0));
        assert_close!(f(r.mean_change), 0.9, 1e-12);
        assert_close!(t.sd_change, 0.7378647874, 1e-9);
        assert_close!(t.t, 3.8571428571, 1e-9);
        assert_close!(t.p_t, 0.003863897642, 1e-9);
        assert_close!(t.ci.0, 0.3721633287, 1e-8);
        assert_close!(t.ci.1, 1.4278366713, 1e-8);
        assert_close!(t.d_z, 1.2197356689, 1e-9);
        assert_close!(t.d_z_ci.0, 0.3697444442, 1e-7);
        assert_close!(t.d_z_ci.1, 2.0333330225, 1e-7);
        assert_close!(t.g_z, 1.1146858024516908, 1e-9);
        assert_close!(t.g_z_ci.0, 0.33790016397956757, 1e-7);
        assert_close!(t.g_z_ci.1, 1.8582119958852952, 1e-7);
        assert_close!(t.p_wilcoxon.unwrap(), 0.015625, 1e-12);
        assert_eq!(t.nonzero, 7);
    }

    /// Declines and ties; SciPy 1.17.1 as above on pre [4,4,3,5,2,3],
    /// post [3,4,2,4,3,1].
    #[test]
    fn a_decline_with_ties_matches_scipy() {
        let r = paired(&pairs(
            &[4.0, 4.0, 3.0, 5.0, 2.0, 3.0],
            &[3.0, 4.0, 2.0, 4.0, 3.0, 1.0],
        ))
        .unwrap();
        let t = r.tests.unwrap();
        assert_close!(f(r.mean_change), -0.6666666667, 1e-9);
        assert_close!(t.sd_change, 1.0327955590, 1e-9);
        assert_close!(t.t, -1.5811388301, 1e-9);
        assert_close!(t.p_t, 0.1746878143, 1e-9);
        assert_close!(t.ci.0, -1.7505191350, 1e-8);
        assert_close!(t.ci.1, 0.4171858017, 1e-8);
        assert_close!(t.d_z, -0.6454972244, 1e-9);
        assert_close!(t.d_z_ci.0, -1.5103420053, 1e-7);
        assert_close!(t.d_z_ci.1, 0.2691094231, 1e-7);
        assert_close!(t.g_z, -0.5427009409187006, 1e-9);
        assert_close!(t.g_z_ci.0, -1.269818051014565, 1e-7);
        assert_close!(t.g_z_ci.1, 0.2262533928923491, 1e-7);
        assert_close!(t.p_wilcoxon.unwrap(), 0.3125, 1e-12);
        assert_eq!((r.improved, r.unchanged, r.declined), (1, 1, 4));
    }

    /// Three pairs, the smallest sample that gets tests; and twenty with
    /// half points. SciPy 1.17.1 as above.
    #[test]
    fn three_and_twenty_pairs_match_scipy() {
        let t = paired(&pairs(&[2.0, 3.0, 4.0], &[3.0, 5.0, 4.0]))
            .unwrap()
            .tests
            .unwrap();
        assert_close!(t.p_t, 0.2254033308, 1e-9);
        assert_close!(t.ci.0, -1.4841377118, 1e-8);
        assert_close!(t.ci.1, 3.4841377118, 1e-8);
        assert_close!(t.d_z_ci.0, -0.5088762342, 1e-7);
        assert_close!(t.d_z_ci.1, 2.3921699278, 1e-7);
        assert_close!(t.g_z, 0.5641895835477563, 1e-9);
        assert_close!(t.g_z_ci.0, -0.2871026706724533, 1e-7);
        assert_close!(t.g_z_ci.1, 1.349637355351557, 1e-7);
        assert_close!(t.p_wilcoxon.unwrap(), 0.5, 1e-12);

        let pre = [
            3.5, 2.0, 4.0, 3.0, 2.5, 3.0, 3.0, 2.0, 4.0, 3.0, 2.0, 3.0, 4.0, 4.0, 3.0, 2.0, 3.0,
            5.0, 3.0, 2.0,
        ];
        let post = [
            4.0, 3.0, 4.0, 3.5, 3.0, 4.0, 3.0, 2.5, 5.0, 4.0, 2.0, 4.0, 4.0, 5.0, 4.0, 3.0, 3.0,
            5.0, 4.0, 3.0,
        ];
        let t = paired(&pairs(&pre, &post)).unwrap().tests.unwrap();
        assert_close!(t.t, 6.0, 1e-9);
        assert_close!(t.p_t, 8.979235472e-06, 1e-12);
        assert_close!(t.ci.0, 0.3906975946, 1e-8);
        assert_close!(t.d_z_ci.0, 0.7229891244, 1e-7);
        assert_close!(t.d_z_ci.1, 1.9418648174, 1e-7);
        assert_close!(t.p_wilcoxon.unwrap(), 0.0001220703125, 1e-12);
    }

    #[test]
    fn small_and_uniform_samples_get_no_tests() {
        let two = paired(&pairs(&[2.0, 3.0], &[3.0, 5.0])).unwrap();
        assert!(two.tests.is_none() && !two.all_equal);
        assert_close!(f(two.mean_change), 1.5, 1e-12);
        let same = paired(&pairs(&[2.0, 3.0, 1.0, 4.0], &[3.0, 4.0, 2.0, 5.0])).unwrap();
        assert!(same.tests.is_none() && same.all_equal);
        assert!(paired(&[]).is_none());
    }

    /// Decimal scores: pre 4.5 4.0 3.1 2.3 3.6 3.0 2.0, post 5.1 4.6 3.7
    /// 2.9 4.2 2.4 2.2. The exact changes are 0.6 (five), −0.6 and 0.2;
    /// SciPy 1.17.1 on them (`ttest_1samp(d, 0)`, g_z as above with df
    /// 6; Wilcoxon by sign flips, see `stats::wilcoxon`).
    #[test]
    fn decimal_scores_give_exact_changes() {
        let r = paired(&pairs(
            &[4.5, 4.0, 3.1, 2.3, 3.6, 3.0, 2.0],
            &[5.1, 4.6, 3.7, 2.9, 4.2, 2.4, 2.2],
        ))
        .unwrap();
        assert_eq!(r.mean_change, exact::ratio(Decimal::new(26, 1), 7).unwrap());
        assert_eq!((r.improved, r.unchanged, r.declined), (6, 0, 1));
        let t = r.tests.unwrap();
        assert_close!(t.sd_change, 0.4535573676110726, 1e-12);
        assert_close!(t.t, 2.166666666666667, 1e-9);
        assert_close!(t.p_t, 0.0733986563543627, 1e-9);
        assert_close!(t.g_z, 0.7113383946639509, 1e-9);
        assert_eq!(t.p_wilcoxon, Some(0.125));
        // Four changes of 0.6 from different scores are all equal.
        let same = paired(&pairs(&[4.5, 4.0, 3.1, 2.3], &[5.1, 4.6, 3.7, 2.9])).unwrap();
        assert!(same.all_equal && same.tests.is_none());
    }

    /// statsmodels 0.15.0 `multipletests(p, method='holm')[1]` and
    /// pingouin 0.7.0 `multicomp(p, method='holm')[1]` (equal) on the p
    /// of the t-tests above and 0.04: [0.003863897642326554,
    /// 0.17468781426411942, 0.22540333075851665, 0.04].
    #[test]
    fn holm_matches_statsmodels() {
        let adj = holm(&[
            0.003863897642326554,
            0.17468781426411942,
            0.22540333075851665,
            0.04,
        ]);
        let want = [
            0.015455590569306217,
            0.34937562852823884,
            0.34937562852823884,
            0.12,
        ];
        for (a, b) in adj.iter().zip(want) {
            assert_close!(*a, b, 1e-15);
        }
        assert!(holm(&[]).is_empty());
        assert_eq!(holm(&[0.3]), [0.3]);
    }
}
