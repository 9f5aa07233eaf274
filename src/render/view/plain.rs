//! A survey change in plain words, as the impact report and the results
//! page's "What changed" say it: its size from Hedges' g_z by Cohen's
//! thresholds, and whether its interval leaves out zero.

use crate::evidence::exact::Decimal;
use crate::evidence::stats::Paired;
use crate::model::Better;

use super::super::format;

/// A pre/post item's change in plain words: `a large, reliable
/// improvement (14 people)`, `a small improvement that may be chance (6
/// people)`, `too few people to tell (2 people)`. The size is the
/// standardized change's — Hedges' g_z, d_z without its small-sample bias,
/// as the impact report ranks changes — by Cohen's thresholds (under 0.2
/// no meaningful change, 0.5 small, 0.8 moderate, else large); reliable
/// when the 95%
/// interval of the mean change leaves out zero (docs/statistics.md). A
/// change towards `better` is an improvement, away from it a decline.
pub(crate) fn plain_change(paired: Option<&Paired>, better: Better) -> String {
    let people = |n: usize| format::plural(n, "person", "people");
    let Some(x) = paired.filter(|x| x.n > 0) else {
        return "no one answered both before and after".into();
    };
    let n = people(x.n);
    let way = |up: bool| if up { "improvement" } else { "decline" };
    if x.all_equal {
        return format!(
            "everyone changed by {} ({n})",
            format::signed(x.mean_change, 2)
        );
    }
    let Some(t) = x.tests.as_ref() else {
        return format!("too few people to tell ({n})");
    };
    let d = t.g_z.abs();
    let size = if d < 0.2 {
        return format!("no meaningful change ({n})");
    } else if d < 0.5 {
        "small"
    } else if d < 0.8 {
        "moderate"
    } else {
        "large"
    };
    let reliable = t.ci.0 > 0.0 || t.ci.1 < 0.0;
    let up = (x.mean_change > Decimal::ZERO) == (better == Better::Higher);
    if reliable {
        format!("a {size}, reliable {} ({n})", way(up))
    } else {
        format!("a {size} {} that may be chance ({n})", way(up))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::stats::paired;

    /// Changes −1, −1, 1, 2, 2, 2 (six people): d_z = 0.5661385170722979,
    /// g_z = 0.47598021231821674 (SciPy 1.17.1: `d.mean() / d.std(ddof=1)`
    /// × `gamma(2.5) / (sqrt(2.5) * gamma(2))`). The size is read from
    /// g_z, the standardized change the report ranks by: small, where
    /// d_z's bias would make it moderate.
    /// The same six changes on an item where lower is better: the scores
    /// rose, so it is a decline, not an improvement.
    #[test]
    fn a_rise_where_lower_is_better_is_a_decline() {
        let pairs: Vec<(Decimal, Decimal)> = [-1, -1, 1, 2, 2, 2]
            .iter()
            .map(|c| (Decimal::from(3), Decimal::from(3 + c)))
            .collect();
        let x = paired(&pairs).unwrap();
        assert_eq!(
            plain_change(Some(&x), Better::Lower),
            "a small decline that may be chance (6 people)"
        );
    }

    #[test]
    fn the_size_in_words_is_hedges_g_z() {
        let pairs: Vec<(Decimal, Decimal)> = [-1, -1, 1, 2, 2, 2]
            .iter()
            .map(|c| (Decimal::from(3), Decimal::from(3 + c)))
            .collect();
        let x = paired(&pairs).unwrap();
        let t = x.tests.as_ref().unwrap();
        assert!((t.d_z - 0.5661385170722979).abs() < 1e-12);
        assert!((t.g_z - 0.47598021231821674).abs() < 1e-9);
        assert_eq!(
            plain_change(Some(&x), Better::Higher),
            "a small improvement that may be chance (6 people)"
        );
    }
}
