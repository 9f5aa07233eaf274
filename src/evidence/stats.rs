//! Statistics for small groups: the paired analysis of a pre/post survey
//! item (mean change and its t interval, the standardized change d_z with
//! an exact interval from the noncentral t distribution, the paired t-test
//! and the Wilcoxon signed-rank test — exact up to
//! [`WILCOXON_EXACT_MAX`] non-zero changes, the normal approximation
//! beyond) and a least-squares slope.
//!
//! The t distribution is `statrs`'s; `statrs` has no noncentral t, so its
//! CDF is computed here (Lenth's algorithm AS 243, with `statrs`'s
//! regularized incomplete beta), in one small tested function. Every value
//! is tested against SciPy's (the inputs and the SciPy call are named in
//! each test).

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};
use statrs::function::beta::beta_reg;
use statrs::function::gamma::ln_gamma;

/// The mean of `xs` (None when empty).
pub fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// The sample standard deviation (n − 1), for two values or more.
pub fn sd(xs: &[f64]) -> Option<f64> {
    let m = mean(xs)?;
    (xs.len() >= 2)
        .then(|| (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt())
}

/// The `p` quantile of Student's t with `df` degrees of freedom.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df)
        .map(|t| t.inverse_cdf(p))
        .unwrap_or(f64::NAN)
}

/// P(T ≤ t) for Student's t with `df` degrees of freedom.
fn t_cdf(t: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df)
        .map(|d| d.cdf(t))
        .unwrap_or(f64::NAN)
}

fn normal_cdf(x: f64) -> f64 {
    Normal::new(0.0, 1.0).map(|n| n.cdf(x)).unwrap_or(f64::NAN)
}

/// P(T ≤ t) for the noncentral t distribution with `df` degrees of freedom
/// and noncentrality `delta` (Lenth 1989, AS 243). Beyond |delta| = 37 the
/// series' first term underflows; there the normal approximation of
/// Johnson, Kotz and Balakrishnan is used, which is then far closer than
/// any figure shown.
pub fn noncentral_t_cdf(t: f64, df: f64, delta: f64) -> f64 {
    if t < 0.0 {
        return 1.0 - noncentral_t_cdf(-t, df, -delta);
    }
    if delta.abs() > 37.0 {
        let z = (t * (1.0 - 1.0 / (4.0 * df)) - delta) / (1.0 + t * t / (2.0 * df)).sqrt();
        return normal_cdf(z);
    }
    let x = t * t / (t * t + df);
    let mut tnc = 0.0;
    if x > 0.0 {
        let lambda = delta * delta;
        let mut p = 0.5 * (-0.5 * lambda).exp();
        let mut q = (2.0 / std::f64::consts::PI).sqrt() * p * delta;
        let mut s = 0.5 - p;
        let mut a = 0.5;
        let b = 0.5 * df;
        let rxb = (1.0 - x).powf(b);
        let albeta = 0.5 * std::f64::consts::PI.ln() + ln_gamma(b) - ln_gamma(0.5 + b);
        let mut xodd = beta_reg(a, b, x);
        let mut godd = 2.0 * rxb * (a * x.ln() - albeta).exp();
        let mut xeven = 1.0 - rxb;
        let mut geven = b * x * rxb;
        tnc = p * xodd + q * xeven;
        let mut en = 1.0;
        while en <= 1000.0 {
            a += 1.0;
            xodd -= godd;
            xeven -= geven;
            godd *= x * (a + b - 1.0) / a;
            geven *= x * (a + b - 0.5) / (a + 0.5);
            p *= lambda / (2.0 * en);
            q *= lambda / (2.0 * en + 1.0);
            s -= p;
            en += 1.0;
            tnc += p * xodd + q * xeven;
            if 2.0 * s * (xodd - godd) <= 1e-12 {
                break;
            }
        }
    }
    (tnc + normal_cdf(-delta)).clamp(0.0, 1.0)
}

/// The noncentrality δ at which P(T ≤ t) = `p` (df fixed): P falls as δ
/// rises, so bisection on a bracket that grows until it holds the root.
fn noncentrality_for(t: f64, df: f64, p: f64) -> f64 {
    let f = |d: f64| noncentral_t_cdf(t, df, d) - p;
    let (mut lo, mut hi) = (t - 2.0, t + 2.0);
    while f(lo) < 0.0 && lo > -1e3 {
        lo -= 2.0 * (hi - lo);
    }
    while f(hi) > 0.0 && hi < 1e3 {
        hi += 2.0 * (hi - lo);
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if f(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-12 {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// The paired analysis of one item: changes are post − pre.
#[derive(Debug, Clone, PartialEq)]
pub struct Paired {
    pub n: usize,
    pub mean_pre: f64,
    pub mean_post: f64,
    pub mean_change: f64,
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
pub struct Tests {
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
    /// The Wilcoxon signed-rank test, two-sided (zeros dropped; None when
    /// every change is zero).
    pub p_wilcoxon: Option<f64>,
    /// How its p was found.
    pub wilcoxon_method: WilcoxonMethod,
    /// How many changes were not zero.
    pub nonzero: usize,
}

/// Analyse paired (pre, post) scores. None without a pair.
pub fn paired(pairs: &[(f64, f64)]) -> Option<Paired> {
    let n = pairs.len();
    let pre: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let post: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let d: Vec<f64> = pairs.iter().map(|(a, b)| b - a).collect();
    let mean_change = mean(&d)?;
    let count = |f: fn(f64) -> bool| d.iter().filter(|&&x| f(x)).count();
    let sd_change = sd(&d);
    let all_equal = n >= 2 && d.iter().all(|&x| x == d[0]);
    let tests = match sd_change {
        Some(s) if n >= 3 && !all_equal && s > 0.0 => {
            let nf = n as f64;
            let df = nf - 1.0;
            let se = s / nf.sqrt();
            let t = mean_change / se;
            let q = t_quantile(0.975, df);
            let (lo, hi) = (
                noncentrality_for(t, df, 0.975),
                noncentrality_for(t, df, 0.025),
            );
            let w = wilcoxon(&d);
            Some(Tests {
                sd_change: s,
                ci: (mean_change - q * se, mean_change + q * se),
                t,
                df,
                p_t: (2.0 * (1.0 - t_cdf(t.abs(), df))).min(1.0),
                d_z: mean_change / s,
                d_z_ci: (lo / nf.sqrt(), hi / nf.sqrt()),
                p_wilcoxon: w.p,
                wilcoxon_method: w.method,
                nonzero: w.nonzero,
            })
        }
        _ => None,
    };
    Some(Paired {
        n,
        mean_pre: mean(&pre)?,
        mean_post: mean(&post)?,
        mean_change,
        improved: count(|x| x > 0.0),
        unchanged: count(|x| x == 0.0),
        declined: count(|x| x < 0.0),
        tests,
        all_equal,
    })
}

/// Up to this many non-zero changes the Wilcoxon test's p is exact (its
/// cost grows with the cube of the number); beyond, the normal
/// approximation is close, and SciPy switches at the same number.
pub const WILCOXON_EXACT_MAX: usize = 50;

/// How a Wilcoxon signed-rank p was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WilcoxonMethod {
    /// From the exact distribution of the signed-rank sum, ties included.
    Exact,
    /// From the normal approximation with tie and continuity correction.
    Normal,
}

impl WilcoxonMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            WilcoxonMethod::Exact => "exact",
            WilcoxonMethod::Normal => "normal",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WilcoxonMethod::Exact => "exact",
            WilcoxonMethod::Normal => "normal approximation with continuity and tie correction",
        }
    }
}

/// A Wilcoxon signed-rank test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wilcoxon {
    /// Two-sided; None when every change is zero.
    pub p: Option<f64>,
    pub method: WilcoxonMethod,
    /// How many changes were not zero.
    pub nonzero: usize,
}

/// The two-sided Wilcoxon signed-rank test of `d`, zeros dropped and ties
/// given mid-ranks: exact up to [`WILCOXON_EXACT_MAX`] non-zero changes,
/// from the distribution of W+ over all 2^n sign patterns (counted by
/// dynamic programming over doubled ranks, so ties stay integers);
/// beyond, from the normal approximation with tie and continuity
/// correction, as SciPy's `wilcoxon(d, method='approx', correction=True,
/// zero_method='wilcox')`.
pub fn wilcoxon(d: &[f64]) -> Wilcoxon {
    let mut nz: Vec<f64> = d.iter().copied().filter(|x| *x != 0.0).collect();
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
    nz.sort_by(|a, b| a.abs().total_cmp(&b.abs()));
    // Doubled mid-ranks: a tie group at 1-based positions i..=j gets i + j;
    // and Σ (t³ − t) over tie groups of size t, for the normal variance.
    let mut ranks2 = vec![0usize; n];
    let mut ties = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && nz[j + 1].abs() == nz[i].abs() {
            j += 1;
        }
        for r in &mut ranks2[i..=j] {
            *r = (i + 1) + (j + 1);
        }
        let t = (j - i + 1) as f64;
        ties += t * t * t - t;
        i = j + 1;
    }
    let w_obs: usize = nz
        .iter()
        .zip(&ranks2)
        .filter(|(x, _)| **x > 0.0)
        .map(|(_, r)| r)
        .sum();
    let p = match method {
        WilcoxonMethod::Exact => wilcoxon_exact_p(&ranks2, w_obs),
        WilcoxonMethod::Normal => {
            let nf = n as f64;
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
    };
    Wilcoxon {
        p: Some(p),
        method,
        nonzero: n,
    }
}

/// The exact two-sided p of a doubled signed-rank sum `w_obs` over doubled
/// ranks `ranks2`.
fn wilcoxon_exact_p(ranks2: &[usize], w_obs: usize) -> f64 {
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

/// The least-squares slope of `ys` over `xs` (two points or more, `xs` not
/// all equal).
pub fn slope(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let mx = mean(xs)?;
    let my = mean(ys)?;
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let sxy: f64 = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    (xs.len() >= 2 && sxx > 0.0).then(|| sxy / sxx)
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

    fn pairs(pre: &[f64], post: &[f64]) -> Vec<(f64, f64)> {
        pre.iter().copied().zip(post.iter().copied()).collect()
    }

    /// The example, and SciPy 1.17.1 on it:
    /// `ttest_rel(post, pre)`, `t.ppf(0.975, 9)`,
    /// `brentq(lambda d: nct.cdf(t, 9, d) - 0.975 / 0.025)` / √10,
    /// `wilcoxon(post, pre, method='exact')`.
    #[test]
    fn ten_participants_match_scipy() {
        let pre = [3.0, 2.0, 4.0, 3.0, 2.0, 3.0, 3.0, 2.0, 4.0, 3.0];
        let post = [4.0, 4.0, 4.0, 3.0, 3.0, 5.0, 4.0, 3.0, 4.0, 4.0];
        let r = paired(&pairs(&pre, &post)).unwrap();
        let t = r.tests.as_ref().unwrap();
        assert_eq!((r.n, r.improved, r.unchanged, r.declined), (10, 7, 3, 0));
        assert_close!(r.mean_change, 0.9, 1e-12);
        assert_close!(t.sd_change, 0.7378647874, 1e-9);
        assert_close!(t.t, 3.8571428571, 1e-9);
        assert_close!(t.p_t, 0.003863897642, 1e-9);
        assert_close!(t.ci.0, 0.3721633287, 1e-8);
        assert_close!(t.ci.1, 1.4278366713, 1e-8);
        assert_close!(t.d_z, 1.2197356689, 1e-9);
        assert_close!(t.d_z_ci.0, 0.3697444442, 1e-7);
        assert_close!(t.d_z_ci.1, 2.0333330225, 1e-7);
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
        assert_close!(r.mean_change, -0.6666666667, 1e-9);
        assert_close!(t.sd_change, 1.0327955590, 1e-9);
        assert_close!(t.t, -1.5811388301, 1e-9);
        assert_close!(t.p_t, 0.1746878143, 1e-9);
        assert_close!(t.ci.0, -1.7505191350, 1e-8);
        assert_close!(t.ci.1, 0.4171858017, 1e-8);
        assert_close!(t.d_z, -0.6454972244, 1e-9);
        assert_close!(t.d_z_ci.0, -1.5103420053, 1e-7);
        assert_close!(t.d_z_ci.1, 0.2691094231, 1e-7);
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

    /// SciPy 1.17.1: `nct.cdf(2.0, 5, 1.0)`, `nct.cdf(-1.5, 12, 0.5)`,
    /// `nct.cdf(10, 30, 8)`, `nct.cdf(0.3, 2, -1.2)`; `t.ppf(0.975, 9)`.
    #[test]
    fn noncentral_t_matches_scipy() {
        assert_close!(noncentral_t_cdf(2.0, 5.0, 1.0), 0.7780746626162148, 1e-10);
        assert_close!(
            noncentral_t_cdf(-1.5, 12.0, 0.5),
            0.02959284223995602,
            1e-10
        );
        assert_close!(noncentral_t_cdf(10.0, 30.0, 8.0), 0.8812134923778832, 1e-9);
        assert_close!(noncentral_t_cdf(0.3, 2.0, -1.2), 0.9267802589141304, 1e-10);
        // Central t, and the normal limit for a large noncentrality.
        assert_close!(noncentral_t_cdf(1.3, 7.0, 0.0), t_cdf(1.3, 7.0), 1e-12);
        assert_close!(noncentral_t_cdf(50.0, 1e6, 50.0), 0.5, 1e-3);
        assert_close!(t_quantile(0.975, 9.0), 2.262157162798205, 1e-10);
    }

    #[test]
    fn small_and_uniform_samples_get_no_tests() {
        let two = paired(&[(2.0, 3.0), (3.0, 5.0)]).unwrap();
        assert!(two.tests.is_none() && !two.all_equal);
        assert_close!(two.mean_change, 1.5, 1e-12);
        let same = paired(&[(2.0, 3.0), (3.0, 4.0), (1.0, 2.0), (4.0, 5.0)]).unwrap();
        assert!(same.tests.is_none() && same.all_equal);
        assert!(paired(&[]).is_none());
        let w = wilcoxon(&[0.0, 0.0]);
        assert_eq!((w.p, w.nonzero), (None, 0));
    }

    /// SciPy 1.17.1 (NumPy 2.4.6), `wilcoxon(d, method='approx',
    /// correction=True, zero_method='wilcox').pvalue` beyond 50 non-zero
    /// changes, `wilcoxon(d, method='exact')` at 50; d as built below:
    /// 60 changes with zeros and ties (55 not zero); 51 and 50 untied ones;
    /// 3,000 (2,668 not zero).
    #[test]
    fn wilcoxon_is_exact_up_to_fifty_changes_then_normal_as_scipy() {
        let d: Vec<f64> = (0..60).map(|i| ((i * 7) % 11) as f64 - 4.0).collect();
        let w = wilcoxon(&d);
        assert_eq!((w.nonzero, w.method), (55, WilcoxonMethod::Normal));
        assert_close!(w.p.unwrap(), 0.020921122942308305, 1e-9);

        let signed = |n: usize| -> Vec<f64> {
            (0..n)
                .map(|i| (i + 1) as f64 * if (i * 5) % 7 < 4 { 1.0 } else { -1.0 })
                .collect()
        };
        let w = wilcoxon(&signed(51));
        assert_eq!((w.nonzero, w.method), (51, WilcoxonMethod::Normal));
        assert_close!(w.p.unwrap(), 0.4561564949640121, 1e-9);
        let w = wilcoxon(&signed(50));
        assert_eq!((w.nonzero, w.method), (50, WilcoxonMethod::Exact));
        assert_close!(w.p.unwrap(), 0.31366564109611517, 1e-12);

        let d: Vec<f64> = (0..3000)
            .map(|i| ((i * 7) % 9) as f64 - 4.0 + if i % 5 == 0 { 1.0 } else { 0.0 })
            .collect();
        let w = wilcoxon(&d);
        assert_eq!((w.nonzero, w.method), (2668, WilcoxonMethod::Normal));
        assert_close!(w.p.unwrap() / 3.162196767343182e-05, 1.0, 1e-6);
    }

    /// NumPy 2.x: `polyfit([1,2,3,4,5], [4.0,4.2,3.9,4.5,4.6], 1)[0]`.
    #[test]
    fn slope_matches_numpy() {
        let s = slope(&[1.0, 2.0, 3.0, 4.0, 5.0], &[4.0, 4.2, 3.9, 4.5, 4.6]).unwrap();
        assert_close!(s, 0.15, 1e-12);
        assert_eq!(slope(&[1.0], &[2.0]), None);
        assert_eq!(slope(&[1.0, 1.0], &[2.0, 3.0]), None);
    }
}
