//! Exact arithmetic on the numbers of the results files. Scores, ratings
//! and observed values are decimals as written; every figure made from
//! them by adding, subtracting and dividing — a change, a mean, a rate, a
//! slope — is a `rust_decimal` [`Decimal`] (a 96-bit integer and a power of
//! ten: 28 significant digits), so that 5.1 − 4.5 is 0.6, five changes of
//! 0.6 are five ties, and a mean of exactly 2.675 is 2.675 when it is
//! rounded for a page. Statistics that need floating point (a standard
//! deviation, t, p, intervals) take f64 from these values at the end
//! ([`to_f64`]).
//!
//! A quotient that does not end (2 ÷ 3) is cut at 28 significant digits;
//! a figure built from such quotients (the mean of session rates, the
//! ratings trend) is [`snap`]ped to [`SNAP_DP`] decimals, so that the
//! last-digit errors of its parts cannot move it off a value it equals.

pub(crate) use rust_decimal::Decimal;

use rust_decimal::prelude::ToPrimitive;

/// The decimals a figure made from cut quotients is rounded to: far more
/// than any page shows, far fewer than the 28 digits its parts carry.
pub(crate) const SNAP_DP: u32 = 20;

/// The nearest f64 to `x` (its decimal text, read by Rust's correctly
/// rounded parser: 1.45 is the f64 nearest 1.45, whose shortest form is
/// `1.45` again).
pub(crate) fn to_f64(x: Decimal) -> f64 {
    x.to_string()
        .parse()
        .unwrap_or_else(|_| x.to_f64().unwrap_or(f64::NAN))
}

/// The decimal an f64 stands for: its shortest decimal form, which for a
/// number read from YAML (a target of `3.125`) is the number as written.
/// None when it is not finite or beyond a decimal's range (about 7.9e28)
/// or precision.
pub(crate) fn of_f64(x: f64) -> Option<Decimal> {
    if !x.is_finite() {
        return None;
    }
    let s = format!("{x:e}");
    Decimal::from_scientific(&s).ok().or_else(|| s.parse().ok())
}

/// `a ÷ b`, None when `b` is zero.
pub(crate) fn ratio(a: impl Into<Decimal>, b: impl Into<Decimal>) -> Option<Decimal> {
    a.into().checked_div(b.into())
}

/// The sum of `xs` (None if it overflows a decimal, which values within
/// the results files' bounds cannot).
pub(crate) fn sum<'a>(xs: impl IntoIterator<Item = &'a Decimal>) -> Option<Decimal> {
    xs.into_iter()
        .try_fold(Decimal::ZERO, |acc, x| acc.checked_add(*x))
}

/// The mean of `xs` (None when empty).
pub(crate) fn mean(xs: &[Decimal]) -> Option<Decimal> {
    if xs.is_empty() {
        return None;
    }
    ratio(sum(xs)?, Decimal::from(xs.len()))
}

/// `x` rounded to [`SNAP_DP`] decimals (half away from zero).
pub(crate) fn snap(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(
        SNAP_DP,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    )
    .normalize()
}

/// The least-squares slope of `ys` over `xs` (two points or more, `xs`
/// not all equal), snapped.
pub(crate) fn slope(xs: &[Decimal], ys: &[Decimal]) -> Option<Decimal> {
    if xs.len() != ys.len() || xs.len() < 2 {
        return None;
    }
    let (mx, my) = (mean(xs)?, mean(ys)?);
    let mut sxx = Decimal::ZERO;
    let mut sxy = Decimal::ZERO;
    for (x, y) in xs.iter().zip(ys) {
        let dx = x.checked_sub(mx)?;
        sxx = sxx.checked_add(dx.checked_mul(dx)?)?;
        sxy = sxy.checked_add(dx.checked_mul(y.checked_sub(my)?)?)?;
    }
    if sxx.is_zero() {
        return None;
    }
    ratio(sxy, sxx).map(snap)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn differences_of_decimals_are_exact() {
        // In f64, 5.1 − 4.5 is 0.5999999999999996 and 4.6 − 4.0 is
        // 0.5999999999999996 but 3.7 − 3.1 is 0.6000000000000001.
        assert_ne!(5.1f64 - 4.5, 3.7f64 - 3.1);
        assert_eq!(d("5.1") - d("4.5"), d("0.6"));
        assert_eq!(d("3.7") - d("3.1"), d("0.6"));
        assert_eq!(to_f64(d("5.1") - d("4.5")), 0.6);
    }

    #[test]
    fn means_are_exact_and_read_back_shortest() {
        // (2.5 + 2.85) ÷ 2 = 2.675 exactly; no f64 is 2.675, and the
        // nearest, 2.67499999999999982…, rounds to 2.67.
        let m = mean(&[d("2.5"), d("2.85")]).unwrap();
        assert_eq!(m, d("2.675"));
        assert_eq!(format!("{:.2}", 107.0f64 / 40.0), "2.67");
        // 1.45 from exact input prints as 1.45, not 1.4500000000000002.
        let m = mean(&[d("1.2"), d("1.7")]).unwrap();
        assert_eq!(to_f64(m).to_string(), "1.45");
        assert_eq!(mean(&[]), None);
        assert_eq!(ratio(17, 20), Some(d("0.85")));
        assert_eq!(ratio(1, 0), None);
    }

    #[test]
    fn floats_from_yaml_are_the_decimals_written() {
        assert_eq!(of_f64(3.125), Some(d("3.125")));
        assert_eq!(of_f64(0.845), Some(d("0.845")));
        assert_eq!(of_f64(0.1), Some(d("0.1")));
        assert_eq!(of_f64(-2.0), Some(d("-2")));
        assert_eq!(of_f64(1e-7), Some(d("0.0000001")));
        assert_eq!(of_f64(f64::NAN), None);
        assert_eq!(of_f64(1e300), None);
    }

    /// NumPy 2.x: `polyfit([1, 2, 4, 5], [4.0, 4.2, 3.9, 4.5], 1)[0]`
    /// = 0.07 (a gap at position 3 keeps its place).
    #[test]
    fn slope_matches_numpy() {
        let xs: Vec<Decimal> = [1, 2, 4, 5].map(Decimal::from).to_vec();
        let ys = [d("4.0"), d("4.2"), d("3.9"), d("4.5")];
        assert_eq!(slope(&xs, &ys), Some(d("0.07")));
        assert_eq!(slope(&xs[..1], &ys[..1]), None);
        assert_eq!(slope(&[d("1"), d("1")], &[d("2"), d("3")]), None);
        // Means of thirds: the cut digits are snapped away.
        let thirds = [ratio(1, 3).unwrap(), ratio(2, 3).unwrap(), Decimal::ONE];
        let xs: Vec<Decimal> = [1, 2, 3].map(Decimal::from).to_vec();
        assert_eq!(slope(&xs, &thirds), ratio(1, 3).map(snap));
    }
}
