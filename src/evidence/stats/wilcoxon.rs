//! The Wilcoxon signed-rank test of paired changes, two-sided: zeros
//! dropped (Wilcoxon's method), equal absolute changes given their mean
//! rank (mid-ranks). Up to [`WILCOXON_EXACT_MAX`] non-zero changes the p
//! value is exact — from the distribution of the sum of positive ranks
//! over all 2^n sign patterns, ties included, counted by dynamic
//! programming over doubled ranks so that mid-ranks stay integers; beyond,
//! it comes from the normal approximation with tie and continuity
//! correction. The changes are exact decimals, so that five changes of 0.6
//! made from different scores are five ties.

use super::super::exact::Decimal;
use super::dist::normal_cdf;

/// Up to this many non-zero changes the Wilcoxon test's p is exact (its
/// cost grows with the cube of the number); beyond, the normal
/// approximation is close, and SciPy switches at the same number.
pub(crate) const WILCOXON_EXACT_MAX: usize = 50;

/// How a Wilcoxon signed-rank p was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WilcoxonMethod {
    /// From the exact distribution of the signed-rank sum, ties included.
    Exact,
    /// From the normal approximation with tie and continuity correction.
    Normal,
}

impl WilcoxonMethod {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            WilcoxonMethod::Exact => "exact",
            WilcoxonMethod::Normal => "normal",
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            WilcoxonMethod::Exact => "exact",
            WilcoxonMethod::Normal => "normal approximation with continuity and tie correction",
        }
    }
}

/// A Wilcoxon signed-rank test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Wilcoxon {
    /// Two-sided; None when every change is zero.
    pub p: Option<f64>,
    pub method: WilcoxonMethod,
    /// How many changes were not zero (the test's n).
    pub nonzero: usize,
}

impl Wilcoxon {
    /// The smallest two-sided p any pattern of signs of `nonzero` changes
    /// can give: 2 ÷ 2^n, every change on one side (ties or not, that
    /// pattern is the only one at the extreme). Below six non-zero
    /// changes it is above 0.05 (five give 0.0625).
    pub(crate) fn smallest_p(&self) -> f64 {
        let n = i32::try_from(self.nonzero).unwrap_or(i32::MAX);
        (2.0f64).powi(1 - n).min(1.0)
    }

    /// Whether no outcome could reach p < 0.05.
    pub(crate) fn cannot_reach_05(&self) -> bool {
        self.nonzero > 0 && self.smallest_p() >= 0.05
    }
}

/// Doubled mid-ranks of the absolute values of `nz` (sorted by absolute
/// value): a tie group at 1-based positions i..=j gets i + j each.
fn doubled_ranks(nz: &[Decimal]) -> Vec<usize> {
    let n = nz.len();
    let mut ranks2 = vec![0usize; n];
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && nz[j + 1].abs() == nz[i].abs() {
            j += 1;
        }
        for r in &mut ranks2[i..=j] {
            *r = (i + 1) + (j + 1);
        }
        i = j + 1;
    }
    ranks2
}

/// The two-sided Wilcoxon signed-rank test of the changes `d`, zeros
/// dropped and ties given mid-ranks: exact up to [`WILCOXON_EXACT_MAX`]
/// non-zero changes; beyond, the normal approximation with tie and
/// continuity correction, as SciPy's `wilcoxon(d, method='approx',
/// correction=True, zero_method='wilcox')`.
pub(crate) fn wilcoxon(d: &[Decimal]) -> Wilcoxon {
    let mut nz: Vec<Decimal> = d.iter().copied().filter(|x| !x.is_zero()).collect();
    let n = nz.len();
    let method = if n <= WILCOXON_EXACT_MAX {
        WilcoxonMethod::Exact
    } else {
        WilcoxonMethod::Normal
    };
    if n == 0 {
        return Wilcoxon {
            p: None,
            method,
            nonzero: 0,
        };
    }
    nz.sort_by_key(|x| x.abs());
    let ranks2 = doubled_ranks(&nz);
    let w_obs: usize = nz
        .iter()
        .zip(&ranks2)
        .filter(|(x, _)| x.is_sign_positive())
        .map(|(_, r)| r)
        .sum();
    let p = match method {
        WilcoxonMethod::Exact => exact_p(&ranks2, w_obs),
        WilcoxonMethod::Normal => normal_p(&ranks2, w_obs),
    };
    Wilcoxon {
        p: Some(p),
        method,
        nonzero: n,
    }
}

/// The exact two-sided p of a doubled signed-rank sum `w_obs` over doubled
/// ranks `ranks2`.
fn exact_p(ranks2: &[usize], w_obs: usize) -> f64 {
    let total: usize = ranks2.iter().sum();
    // dist[w]: probability that W+ (doubled) is w under the null.
    let mut dist = vec![0.0f64; total + 1];
    dist[0] = 1.0;
    let mut reach = 0;
    for &r in ranks2 {
        for w in (0..=reach).rev() {
            let p = dist[w] / 2.0;
            dist[w] = p;
            dist[w + r] += p;
        }
        reach += r;
    }
    let below: f64 = dist[..=w_obs].iter().sum();
    let above: f64 = dist[w_obs..].iter().sum();
    (2.0 * below.min(above)).min(1.0)
}

/// The two-sided p of a doubled signed-rank sum `w_obs` over doubled ranks
/// `ranks2` (sorted, tie groups together) from the normal approximation:
/// the variance less Σ (t³ − t) / 48 over tie groups of size t, and half a
/// rank of continuity towards the mean.
fn normal_p(ranks2: &[usize], w_obs: usize) -> f64 {
    let nf = ranks2.len() as f64;
    let mut ties = 0.0;
    for group in ranks2.chunk_by(|a, b| a == b) {
        let t = group.len() as f64;
        ties += t * t * t - t;
    }
    let w = w_obs as f64 / 2.0;
    let mean = nf * (nf + 1.0) / 4.0;
    let se = ((nf * (nf + 1.0) * (2.0 * nf + 1.0) - ties / 2.0) / 24.0).sqrt();
    let z = (w - mean) / se;
    // Continuity: half a rank towards the mean (numpy's sign: none at 0).
    let z = if z == 0.0 {
        z
    } else {
        z - z.signum() * 0.5 / se
    };
    (2.0 * normal_cdf(-z.abs())).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decimals(xs: &[&str]) -> Vec<Decimal> {
        xs.iter().map(|s| s.parse().unwrap()).collect()
    }

    /// The exact conditional p with mid-ranks, from SciPy 1.17.1's
    /// exhaustive sign-flip test (SciPy's `wilcoxon(method='exact')`
    /// ignores ties in its null distribution, so it is not the
    /// reference):
    /// `permutation_test((d,), lambda d: rankdata(abs(d))[d > 0].sum(),
    /// permutation_type='samples', n_resamples=inf)` — see
    /// `fn exact_p_with_ties_matches_scipy_sign_flips`.
    fn p(xs: &[&str]) -> f64 {
        wilcoxon(&decimals(xs)).p.unwrap()
    }

    /// Five changes of exactly 0.6, made from scores whose f64 differences
    /// are 0.5999999999999996 or 0.6000000000000001, one of −0.6 and one of
    /// 0.2: pre 4.5 4.0 3.1 2.3 3.6 3.0 2.0, post 5.1 4.6 3.7 2.9 4.2 2.4
    /// 2.2. With exact changes the six 0.6s tie: p = 0.125 (SciPy 1.17.1
    /// sign flips as above on d = [0.6]*5 + [-0.6, 0.2]); with f64 changes
    /// they would not, and p would be 0.171875.
    #[test]
    fn decimal_changes_tie_exactly() {
        let pre = decimals(&["4.5", "4.0", "3.1", "2.3", "3.6", "3.0", "2.0"]);
        let post = decimals(&["5.1", "4.6", "3.7", "2.9", "4.2", "2.4", "2.2"]);
        let d: Vec<Decimal> = pre.iter().zip(&post).map(|(a, b)| b - a).collect();
        let w = wilcoxon(&d);
        assert_eq!(w.nonzero, 7);
        assert!((w.p.unwrap() - 0.125).abs() < 1e-12, "{w:?}");
    }

    /// SciPy 1.17.1 sign flips (as in [`p`]) on each list of changes.
    #[test]
    fn exact_p_with_ties_matches_scipy_sign_flips() {
        // No ties: also `wilcoxon(d, method='exact')`.
        assert!((p(&["1", "2", "0", "0", "1", "2", "1", "1", "0", "1"]) - 0.015625).abs() < 1e-12);
        assert!((p(&["-1", "0", "-1", "-1", "1", "-2"]) - 0.3125).abs() < 1e-12);
        assert!((p(&["0.5", "0.5", "-0.5", "1", "1.5", "-1", "2"]) - 0.265625).abs() < 1e-12);
        assert!((p(&["0.6", "0.6", "0.6", "0.6", "0.6", "-0.3"]) - 0.0625).abs() < 1e-12);
    }

    #[test]
    fn zeros_are_dropped_and_small_samples_cannot_reach_05() {
        let w = wilcoxon(&decimals(&["0", "0"]));
        assert_eq!((w.p, w.nonzero), (None, 0));
        assert!(!w.cannot_reach_05());
        // Five non-zero changes all up: the smallest p there is, 0.0625.
        let w = wilcoxon(&decimals(&["1", "2", "0", "1", "3", "2"]));
        assert_eq!(w.nonzero, 5);
        assert_eq!(w.p, Some(0.0625));
        assert_eq!(w.smallest_p(), 0.0625);
        assert!(w.cannot_reach_05());
        // Six can: 0.03125.
        let w = wilcoxon(&decimals(&["1", "2", "4", "1", "3", "2"]));
        assert_eq!(w.p, Some(0.03125));
        assert!(!w.cannot_reach_05());
    }

    /// SciPy 1.17.1 (NumPy 2.4.6), `wilcoxon(d, method='approx',
    /// correction=True, zero_method='wilcox').pvalue` beyond 50 non-zero
    /// changes, `wilcoxon(d, method='exact')` at 50; d as built below:
    /// 60 changes with zeros and ties (55 not zero); 51 and 50 untied ones;
    /// 3,000 (2,668 not zero).
    #[test]
    fn exact_up_to_fifty_changes_then_normal_as_scipy() {
        let close = |a: f64, b: f64, tol: f64| assert!((a - b).abs() <= tol, "{a} ≠ {b}");
        let int = |x: i64| Decimal::from(x);
        let d: Vec<Decimal> = (0..60).map(|i| int((i * 7) % 11 - 4)).collect();
        let w = wilcoxon(&d);
        assert_eq!((w.nonzero, w.method), (55, WilcoxonMethod::Normal));
        close(w.p.unwrap(), 0.020921122942308305, 1e-9);

        let signed = |n: i64| -> Vec<Decimal> {
            (0..n)
                .map(|i| int((i + 1) * if (i * 5) % 7 < 4 { 1 } else { -1 }))
                .collect()
        };
        let w = wilcoxon(&signed(51));
        assert_eq!((w.nonzero, w.method), (51, WilcoxonMethod::Normal));
        close(w.p.unwrap(), 0.4561564949640121, 1e-9);
        let w = wilcoxon(&signed(50));
        assert_eq!((w.nonzero, w.method), (50, WilcoxonMethod::Exact));
        close(w.p.unwrap(), 0.31366564109611517, 1e-12);

        let d: Vec<Decimal> = (0..3000)
            .map(|i| int((i * 7) % 9 - 4 + if i % 5 == 0 { 1 } else { 0 }))
            .collect();
        let w = wilcoxon(&d);
        assert_eq!((w.nonzero, w.method), (2668, WilcoxonMethod::Normal));
        close(w.p.unwrap() / 3.162196767343182e-05, 1.0, 1e-6);
    }
}
