//! How numbers read on a page. One rule for rounding: the exact decimal
//! value is rounded half away from zero ("half up": 2.675 → 2.68,
//! 2.665 → 2.67, −0.125 → −0.13), as a spreadsheet's ROUND does, so that a
//! reader who checks a figure gets the same digits. Exact figures
//! ([`Decimal`]: means, rates, changes) are rounded as they are; a
//! statistic computed in floating point (t, p, an interval) is rounded
//! from its shortest decimal form, never from the binary fraction behind
//! it. One minus sign, U+2212 (`−`), in every number shown, and no sign on
//! a value that rounds to zero: never `−0.00`.
//!
//! A metric's actual is shown beside its target at a precision at which
//! the comparison that decided its status can be seen ([`actual`]).

use rust_decimal::RoundingStrategy;

use crate::evidence::exact::{self, Decimal};
use crate::evidence::{self as ev};
use crate::graph::Metric;
use crate::model::{MetricCategory, Source};

/// The minus sign of every number shown.
pub(crate) const MINUS: char = '\u{2212}';

/// A number to show: an exact decimal, or a float (taken at its shortest
/// decimal form).
pub(crate) trait Num: Copy {
    /// The decimal to round; None for a float that is not finite or beyond
    /// a decimal's range.
    fn exact(self) -> Option<Decimal>;
    fn float(self) -> f64;
}

impl Num for Decimal {
    fn exact(self) -> Option<Decimal> {
        Some(self)
    }
    fn float(self) -> f64 {
        exact::to_f64(self)
    }
}

impl Num for f64 {
    fn exact(self) -> Option<Decimal> {
        exact::of_f64(self)
    }
    fn float(self) -> f64 {
        self
    }
}

/// `x` rounded half away from zero to `d` decimals, with exactly `d`.
pub(crate) fn round(x: Decimal, d: u32) -> Decimal {
    let mut r = x.round_dp_with_strategy(d, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(d);
    r
}

/// The digits of `x` at `d` decimals, and whether they are negative (a
/// value that rounds to zero is not).
fn digits(x: impl Num, d: usize) -> (String, bool) {
    match x.exact() {
        Some(x) => {
            let r = round(x, d as u32);
            (r.abs().to_string(), r.is_sign_negative() && !r.is_zero())
        }
        None => {
            let f = x.float();
            let s = format!("{:.d$}", f.abs());
            let zero = s.bytes().all(|b| b == b'0' || b == b'.');
            (s, f < 0.0 && !zero)
        }
    }
}

fn with_sign((s, negative): (String, bool), plus: bool) -> String {
    if negative {
        format!("{MINUS}{s}")
    } else if plus && s.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        format!("+{s}")
    } else {
        s
    }
}

/// `x` with `d` decimals: `2.68`, `−0.25`, `0.00` (never `−0.00`).
pub(crate) fn fixed(x: impl Num, d: usize) -> String {
    with_sign(digits(x, d), false)
}

/// `x` with `d` decimals and its sign: `+0.90`, `−0.25`; `0.00` unsigned.
pub(crate) fn signed(x: impl Num, d: usize) -> String {
    with_sign(digits(x, d), true)
}

/// An interval: `[0.37, 1.43]` (signs only where negative).
pub(crate) fn interval(lo: impl Num, hi: impl Num, d: usize) -> String {
    format!("[{}, {}]", fixed(lo, d), fixed(hi, d))
}

/// A fraction as a percentage with `d` decimals: `0.8571` → `85.7%`.
pub(crate) fn percent_dp(x: impl Num, d: usize) -> String {
    match x.exact() {
        Some(x) => format!("{}%", fixed(x * Decimal::ONE_HUNDRED, d)),
        None => format!("{}%", fixed(x.float() * 100.0, d)),
    }
}

/// A fraction as a whole percentage: `0.856` → `86%`, `0.845` → `85%`.
pub(crate) fn percent(x: impl Num) -> String {
    percent_dp(x, 0)
}

/// A fraction as a percentage with one decimal: `0.8571` → `85.7%`.
pub(crate) fn percent1(x: impl Num) -> String {
    percent_dp(x, 1)
}

/// A p value as papers print it: three decimals, `< 0.001` below.
pub(crate) fn p_value(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".into()
    } else {
        fixed(p, 3)
    }
}

/// `x` with at most `d` decimals and no trailing zeros: `1.5`, `2`.
pub(crate) fn trimmed(x: impl Num, d: usize) -> String {
    let (s, negative) = digits(x, d);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    with_sign((s, negative), false)
}

/// A plain number, with at most two decimals and no trailing zeros.
#[cfg(test)]
pub(crate) fn number(x: impl Num) -> String {
    trimmed(x, 2)
}

/// An exact decimal with every digit it has, as written: `−0.004`, `75`.
pub(crate) fn written(x: Decimal) -> String {
    let s = x.normalize().abs().to_string();
    with_sign((s, x.is_sign_negative() && !x.is_zero()), false)
}

/// How a metric's values read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// A rate, as a percentage (one decimal).
    Percent,
    /// A mean rating or post score: two decimals.
    Mean,
    /// A mean change: two decimals and a sign.
    Change,
    /// Anything else: at most two decimals, trailing zeros dropped.
    Plain,
}

impl Unit {
    fn of(m: &Metric) -> Unit {
        match m.source {
            _ if is_rate(m) => Unit::Percent,
            Some(Source::Ratings | Source::SurveyPost) => Unit::Mean,
            Some(Source::SurveyChange) => Unit::Change,
            _ => Unit::Plain,
        }
    }

    /// The value in the unit shown (a rate × 100).
    fn scaled(self, x: Decimal) -> Decimal {
        match self {
            Unit::Percent => x * Decimal::ONE_HUNDRED,
            _ => x,
        }
    }

    /// Decimals shown by default.
    fn decimals(self) -> u32 {
        match self {
            Unit::Percent => 1,
            _ => 2,
        }
    }

    /// `x` (already scaled) with `d` decimals.
    fn show(self, x: Decimal, d: u32) -> String {
        let d = d as usize;
        match self {
            Unit::Percent => format!("{}%", fixed(x, d)),
            Unit::Mean => fixed(x, d),
            Unit::Change => signed(x, d),
            Unit::Plain => trimmed(x, d),
        }
    }
}

/// Whether a metric is a rate, shown as a percentage: attendance always;
/// a metric measured elsewhere or observed when its target is a fraction
/// (feedback scores stay numbers).
pub(crate) fn is_rate(m: &Metric) -> bool {
    match m.source {
        Some(Source::Attendance) => true,
        None | Some(Source::Observations) => m
            .target
            .is_some_and(|t| t > 0.0 && t <= 1.0 && m.category != MetricCategory::Feedback),
        Some(_) => false,
    }
}

/// The decimals of `x` as written (trailing zeros aside).
fn written_decimals(x: Decimal) -> u32 {
    x.normalize().scale()
}

/// A metric's target as written in metrics.yaml, in the metric's unit: a
/// rate as a percentage with every decimal written (`0.845` → `84.5%`,
/// never rounded to `85%`), a change with its sign and at least two
/// decimals (`+0.80`), anything else as written (`4.2`, `1.5`).
pub(crate) fn target(m: &Metric) -> Option<String> {
    let unit = Unit::of(m);
    let Some(t) = ev::target(m) else {
        return m.target.map(|t| format!("{t}").replace('-', "−"));
    };
    let t = unit.scaled(t);
    let d = written_decimals(t);
    Some(match unit {
        Unit::Change => unit.show(t, d.max(unit.decimals())),
        _ => unit.show(t, d),
    })
}

/// A metric's actual, in its unit (a rate as a percentage, a rating as a
/// mean, a survey change with its sign), at a precision at which its
/// comparison with the target can be seen: the unit's usual decimals, and
/// more while the rounded actual would read as being on the other side of
/// the target ([`target`], as written) than the exact actual is — equal
/// reading as met. Against a target of 3.127 an actual of 3.126 shows
/// `3.126`, not `3.13`; against 84.5% an actual of 84.499% shows
/// `84.499%`, not `84.5%`.
pub(crate) fn actual(m: &Metric, a: Decimal) -> String {
    beside_target(m, a, Unit::of(m).decimals())
}

/// A value of metric `m` in its unit as a chart labels it beside the
/// target line: `d` decimals (a rate's bar `84%`, a rating's `3.1`), and
/// more while the label would read as being on the other side of the
/// target than the value is, as [`actual`] does: against a target of 84%
/// a rate of 83.6% is `83.6%`, never `84%`; against 3.125 a mean of 3.13
/// is `3.13`, never `3.1`.
pub(crate) fn beside_target(m: &Metric, a: Decimal, d: u32) -> String {
    let unit = Unit::of(m);
    let x = unit.scaled(a);
    let Some(t) = ev::target(m).map(|t| unit.scaled(t)) else {
        return unit.show(x, d);
    };
    let decided = ev::reaches(x, t, m.better);
    let mut d = d;
    while d < 28 && ev::reaches(round(x, d), t, m.better) != decided {
        d += 1;
    }
    unit.show(x, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Better;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn metric(category: MetricCategory, source: Option<Source>, target: Option<f64>) -> Metric {
        Metric {
            id: "m".into(),
            name: "M".into(),
            category,
            instrument: None,
            target,
            tier: None,
            signals: vec![],
            sessions: vec![],
            source,
            items: None,
            better: Better::Higher,
            rater: crate::model::RaterChoice::Own,
            compare: crate::model::Compare::PrePost,
        }
    }

    /// Half away from zero, of the exact decimal; Python's
    /// `Decimal('2.675').quantize(Decimal('0.01'), ROUND_HALF_UP)` is
    /// 2.68 and `Decimal('2.665')…` 2.67 (half-even would give 2.68 and
    /// 2.66). Rust's `format!("{:.2}", 2.675)` gives 2.67: the f64 is
    /// 2.67499999….
    #[test]
    fn exact_decimals_round_half_up() {
        assert_eq!(format!("{:.2}", 2.675f64), "2.67");
        assert_eq!(fixed(d("2.675"), 2), "2.68");
        assert_eq!(fixed(d("2.665"), 2), "2.67");
        assert_eq!(fixed(d("-0.125"), 2), "−0.13");
        assert_eq!(fixed(exact::ratio(107, 40).unwrap(), 2), "2.68");
        // A float is rounded from its shortest form: 0.0625 → 0.063.
        assert_eq!(fixed(0.0625, 3), "0.063");
        assert_eq!(fixed(2.675f64, 2), "2.68");
        assert_eq!(fixed(1e300, 1), format!("{:.1}", 1e300));
    }

    #[test]
    fn one_minus_sign_and_no_negative_zero() {
        assert_eq!(fixed(-0.001, 2), "0.00");
        assert_eq!(fixed(d("-0.004"), 2), "0.00");
        assert_eq!(fixed(-0.0f64, 2), "0.00");
        assert_eq!(fixed(-1.5, 1), "−1.5");
        assert_eq!(signed(0.9, 2), "+0.90");
        assert_eq!(signed(-0.25, 2), "−0.25");
        assert_eq!(signed(-0.001, 2), "0.00");
        assert_eq!(signed(0.004, 2), "0.00");
        assert_eq!(interval(0.3721, 1.4278, 2), "[0.37, 1.43]");
        assert_eq!(interval(-1.75, 0.417, 2), "[−1.75, 0.42]");
        assert_eq!(interval(-0.001, 0.5, 2), "[0.00, 0.50]");
        assert_eq!(number(1.5), "1.5");
        assert_eq!(number(2.0), "2");
        assert_eq!(number(-0.004), "0");
        assert_eq!(number(-3.25), "−3.25");
        assert_eq!(number(d("10")), "10");
        assert_eq!(trimmed(d("-0.0001"), 2), "0");
        assert_eq!(written(d("-0.0040")), "−0.004");
        assert_eq!(written(d("75.0")), "75");
        assert_eq!(written(d("-0")), "0");
        for s in [fixed(-2.0, 0), signed(-2.0, 0), percent(-0.5), number(-7.0)] {
            assert!(!s.contains('-') && s.contains(MINUS), "{s}");
        }
    }

    #[test]
    fn percentages_and_p_values() {
        assert_eq!(percent(0.8), "80%");
        assert_eq!(percent(0.856), "86%");
        assert_eq!(percent(d("0.845")), "85%");
        assert_eq!(percent(2.0 / 3.0), "67%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent1(exact::ratio(6, 7).unwrap()), "85.7%");
        assert_eq!(percent1(d("0.8455")), "84.6%");
        assert_eq!(p_value(0.003864), "0.004");
        assert_eq!(p_value(0.0000089), "< 0.001");
        assert_eq!(p_value(0.0625), "0.063");
    }

    #[test]
    fn targets_read_as_written() {
        let m = |c, s, t| target(&metric(c, s, t));
        use MetricCategory::*;
        assert_eq!(m(Participation, None, Some(0.85)).as_deref(), Some("85%"));
        // Never rounded: 0.845 is 84.5%, not 85%.
        assert_eq!(
            m(Participation, Some(Source::Attendance), Some(0.845)).as_deref(),
            Some("84.5%")
        );
        assert_eq!(m(Feedback, None, Some(0.9)).as_deref(), Some("0.9"));
        assert_eq!(m(Outcome, None, Some(1.5)).as_deref(), Some("1.5"));
        assert_eq!(m(Outcome, None, Some(-2.0)).as_deref(), Some("−2"));
        assert_eq!(
            m(Knowledge, Some(Source::SurveyChange), Some(0.8)).as_deref(),
            Some("+0.80")
        );
        assert_eq!(
            m(Feedback, Some(Source::Ratings), Some(3.125)).as_deref(),
            Some("3.125")
        );
        assert_eq!(
            m(Feedback, Some(Source::Ratings), Some(4.2)).as_deref(),
            Some("4.2")
        );
        assert_eq!(m(Outcome, None, None), None);
    }

    /// The two contradictions, "actual 3.12, target 3.125: met"
    /// and "target 84%, actual 84.2%: not met", and the cases where the
    /// usual precision would contradict the status.
    #[test]
    fn actual_and_target_never_contradict_the_status() {
        let ratings = |t| metric(MetricCategory::Feedback, Some(Source::Ratings), Some(t));
        // 3.125 against 3.125 is met, and reads so: 3.13 (half up).
        assert_eq!(actual(&ratings(3.125), d("3.125")), "3.13");
        assert_eq!(target(&ratings(3.125)).as_deref(), Some("3.125"));
        assert_eq!(actual(&ratings(3.125), d("3.1249")), "3.12");
        // 3.1211 meets 3.121, but 3.12 would read as below it.
        assert_eq!(actual(&ratings(3.121), d("3.1211")), "3.121");
        // 3.126 misses 3.127, but 3.13 would read as above it.
        assert_eq!(actual(&ratings(3.127), d("3.126")), "3.126");
        assert_eq!(actual(&ratings(3.127), d("4.2")), "4.20");

        let rate = metric(
            MetricCategory::Participation,
            Some(Source::Attendance),
            Some(0.845),
        );
        assert_eq!(target(&rate).as_deref(), Some("84.5%"));
        assert_eq!(actual(&rate, d("0.842")), "84.2%");
        // 84.499% rounds to 84.5% at one decimal and 84.50% at two.
        assert_eq!(actual(&rate, d("0.84499")), "84.499%");
        assert_eq!(actual(&rate, exact::ratio(2, 3).unwrap()), "66.7%");

        // Lower is better: 1.5 against 1.5 is met; 1.501 is not.
        let mut lower = metric(
            MetricCategory::Outcome,
            Some(Source::Observations),
            Some(1.5),
        );
        lower.better = Better::Lower;
        assert_eq!(actual(&lower, d("1.5")), "1.5");
        assert_eq!(actual(&lower, d("1.501")), "1.501");
        assert_eq!(actual(&lower, d("1.504")), "1.504");
        // No target: the unit's precision.
        let change = metric(MetricCategory::Knowledge, Some(Source::SurveyChange), None);
        assert_eq!(actual(&change, d("0.9")), "+0.90");

        // A chart's label beside the target line: whole percent unless it
        // would read as the other side of the target.
        assert_eq!(beside_target(&rate, d("0.5"), 0), "50%");
        assert_eq!(beside_target(&rate, d("0.8452"), 0), "85%");
        assert_eq!(beside_target(&rate, d("0.8449"), 0), "84%");
        assert_eq!(beside_target(&rate, d("0.84499"), 0), "84%");
        let whole = metric(
            MetricCategory::Participation,
            Some(Source::Attendance),
            Some(0.84),
        );
        assert_eq!(beside_target(&whole, d("0.836"), 0), "83.6%");
        assert_eq!(beside_target(&whole, d("0.84"), 0), "84%");
        assert_eq!(beside_target(&ratings(3.125), d("3.13"), 1), "3.13");
        assert_eq!(beside_target(&ratings(3.125), d("3.2"), 1), "3.2");
        assert_eq!(beside_target(&change, d("0.9"), 1), "+0.9");
    }
}
