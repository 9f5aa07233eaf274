//! Welch's two-sample t: the difference between two groups' means (two
//! cohorts' mean changes per person), its 95% interval and test, without
//! assuming equal variances — the Welch–Satterthwaite degrees of freedom.
//! Tested against SciPy's `scipy.stats.ttest_ind(a, b, equal_var=False)`
//! and its `confidence_interval(0.95)` (the inputs are named in each test).

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::stats::{mean, sd};

/// The difference of `a`'s mean and `b`'s (a − b), with Welch's test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Welch {
    pub diff: f64,
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

/// Welch's test of `a` against `b`: None with fewer than two values in
/// either group, or when neither varies (no standard error).
pub fn welch(a: &[f64], b: &[f64]) -> Option<Welch> {
    let (ma, mb) = (mean(a)?, mean(b)?);
    let (sa, sb) = (sd(a)?, sd(b)?);
    let (va, vb) = (sa * sa / a.len() as f64, sb * sb / b.len() as f64);
    let se2 = va + vb;
    if se2 <= 0.0 || !se2.is_finite() {
        return None;
    }
    let se = se2.sqrt();
    let df = se2 * se2 / (va * va / (a.len() - 1) as f64 + vb * vb / (b.len() - 1) as f64);
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    let diff = ma - mb;
    let t = diff / se;
    let p = (2.0 * dist.cdf(-t.abs())).min(1.0);
    let q = dist.inverse_cdf(0.975);
    Some(Welch {
        diff,
        se,
        df,
        t,
        p,
        ci: (diff - q * se, diff + q * se),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let w = welch(&[2.0, 1.0, 2.0, 1.0, 2.0], &[1.0, 0.0, 2.0, 0.0]).unwrap();
        close(w.diff, 0.8500000000000001, "difference");
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
        let a = [0.5, 1.25, 2.0, -0.5, 1.0, 3.0, 0.0];
        let b = [1.0, 1.0, 1.5, 2.5, 0.25, -1.0];
        let w = welch(&a, &b).unwrap();
        close(w.diff, 0.1607142857142858, "difference");
        close(w.t, 0.24340924723085133, "t");
        close(w.p, 0.8122771854555162, "p");
        close(w.df, 10.734576627060994, "df");
        close(w.ci.0, -1.296912328619422, "ci low");
        close(w.ci.1, 1.6183409000479936, "ci high");
    }

    #[test]
    fn too_few_or_no_spread_has_no_test() {
        assert_eq!(welch(&[1.0], &[1.0, 2.0]), None);
        assert_eq!(welch(&[1.0, 1.0], &[2.0, 2.0]), None);
        // One group without spread still has a standard error.
        assert!(welch(&[1.0, 1.0], &[2.0, 3.0]).is_some());
    }
}
