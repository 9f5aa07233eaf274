//! Welch's two-sample t: the difference between two groups' means (two
//! cohorts' mean changes per person), its 95% interval and test, without
//! assuming equal variances — the Welch–Satterthwaite degrees of freedom.
//! Tested against SciPy's `scipy.stats.ttest_ind(a, b, equal_var=False)`
//! and its `confidence_interval(0.95)` (the inputs are named in each test).
//!
//! The values are exact decimals (changes of scores as written): the
//! difference of the means is exact ([`super::exact`]), the spreads, t, p
//! and the interval are f64 computed from the exact deviations.

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::exact::{self, Decimal};

/// The difference of `a`'s mean and `b`'s (a − b), with Welch's test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Welch {
    /// Exact.
    pub diff: Decimal,
    /// Its standard error.
    pub se: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    pub t: f64,
    /// Two-sided.
    pub p: f64,
    /// The 95% interval of the difference.
    pub ci: (f64, f64),
}

/// The exact mean of `xs` and their sample variance (n − 1, from the exact
/// deviations), for two values or more.
fn mean_var(xs: &[Decimal]) -> Option<(Decimal, f64)> {
    if xs.len() < 2 {
        return None;
    }
    let m = exact::mean(xs)?;
    let ss: f64 = xs
        .iter()
        .map(|x| x.checked_sub(m).map(|e| exact::to_f64(e).powi(2)))
        .sum::<Option<f64>>()?;
    Some((m, ss / (xs.len() - 1) as f64))
}

/// Welch's test of `a` against `b`: None with fewer than two values in
/// either group, or when neither varies (no standard error).
pub(crate) fn welch(a: &[Decimal], b: &[Decimal]) -> Option<Welch> {
    let ((ma, var_a), (mb, var_b)) = (mean_var(a)?, mean_var(b)?);
    let (va, vb) = (var_a / a.len() as f64, var_b / b.len() as f64);
    let se2 = va + vb;
    if se2 <= 0.0 || !se2.is_finite() {
        return None;
    }
    let se = se2.sqrt();
    let df = se2 * se2 / (va * va / (a.len() - 1) as f64 + vb * vb / (b.len() - 1) as f64);
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    let diff = ma.checked_sub(mb)?;
    let d = exact::to_f64(diff);
    let t = d / se;
    let p = (2.0 * dist.cdf(-t.abs())).min(1.0);
    let q = dist.inverse_cdf(0.975);
    Some(Welch {
        diff,
        se,
        df,
        t,
        p,
        ci: (d - q * se, d + q * se),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decimals(xs: &[&str]) -> Vec<Decimal> {
        xs.iter().map(|x| x.parse().unwrap()).collect()
    }

    fn close(a: f64, b: f64, what: &str) {
        assert!(
            (a - b).abs() < 1e-9 * b.abs().max(1.0),
            "{what}: {a} vs SciPy {b}"
        );
    }

    /// `stats.ttest_ind([2,1,2,1,2], [1,0,2,0], equal_var=False)` and its
    /// `.confidence_interval(0.95)`, SciPy 1.17.1: the changes of the test
    /// site's autumn cohort (`tests/testsuite/cohorts.rs`) against spring's.
    #[test]
    fn two_cohorts_changes_as_scipy_gives_them() {
        let w = welch(
            &decimals(&["2", "1", "2", "1", "2"]),
            &decimals(&["1", "0", "2", "0"]),
        )
        .unwrap();
        // SciPy's 0.8500000000000001 is 0.85 in binary; here it is exact.
        assert_eq!(w.diff, "0.85".parse::<Decimal>().unwrap());
        close(w.t, 1.5806831048030465, "t");
        close(w.p, 0.1805972525418458, "p");
        close(w.df, 4.542992969703068, "df");
        close(w.ci.0, -0.5752006556676867, "ci low");
        close(w.ci.1, 2.275200655667687, "ci high");
    }

    /// `stats.ttest_ind([0.5,1.25,2,-0.5,1,3,0], [1,1,1.5,2.5,0.25,-1],
    /// equal_var=False)` and `.confidence_interval(0.95)`, SciPy 1.17.1:
    /// unequal sizes, fractional and negative changes.
    #[test]
    fn unequal_groups_as_scipy_gives_them() {
        let a = decimals(&["0.5", "1.25", "2", "-0.5", "1", "3", "0"]);
        let b = decimals(&["1", "1", "1.5", "2.5", "0.25", "-1"]);
        let w = welch(&a, &b).unwrap();
        close(exact::to_f64(w.diff), 0.1607142857142858, "difference");
        close(w.t, 0.24340924723085133, "t");
        close(w.p, 0.8122771854555162, "p");
        close(w.df, 10.734576627060994, "df");
        close(w.ci.0, -1.296912328619422, "ci low");
        close(w.ci.1, 1.6183409000479936, "ci high");
    }

    #[test]
    fn too_few_or_no_spread_has_no_test() {
        let d = |xs: &[&str]| decimals(xs);
        assert_eq!(welch(&d(&["1"]), &d(&["1", "2"])), None);
        assert_eq!(welch(&d(&["1", "1"]), &d(&["2", "2"])), None);
        // One group without spread still has a standard error.
        assert!(welch(&d(&["1", "1"]), &d(&["2", "3"])).is_some());
    }
}
