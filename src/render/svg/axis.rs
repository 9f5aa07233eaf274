//! A chart's value axis: nice ticks — steps of 1, 2, 2.5 or 5 × 10ⁿ, and
//! nothing else — over a range fitted to the data, or over a bounded
//! scale's own range (a 1–5 rating from 1 to 5, a rate from 0 to 100%);
//! the mapping from a value to a coordinate; and the tick labels, in the
//! unit the chart's caption and value labels use (a rate in percent).

/// Ticks of an axis, in the unit shown (a rate's are percentages).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ticks {
    /// Where the axis starts and ends.
    pub lo: f64,
    pub hi: f64,
    /// The distance between two ticks.
    pub step: f64,
    /// Every tick, from `lo` up: multiples of `step`.
    pub values: Vec<f64>,
}

/// The mantissas of a nice step.
const MANTISSAS: [f64; 4] = [1.0, 2.0, 2.5, 5.0];

/// Slack for comparing multiples in floating point.
const EPS: f64 = 1e-9;

/// Nice steps in increasing order, from well below `span / max`.
fn steps(span: f64, max: usize) -> impl Iterator<Item = f64> {
    let raw = (span / max.max(1) as f64).abs().max(f64::MIN_POSITIVE);
    let first = raw.log10().floor() as i32 - 1;
    (first..first + 5).flat_map(|e| {
        MANTISSAS.iter().map(move |m| {
            // m / 10ⁿ rather than m × 10⁻ⁿ: 2.5 / 10 is exactly 0.25.
            if e < 0 {
                m / 10f64.powi(-e)
            } else {
                m * 10f64.powi(e)
            }
        })
    })
}

/// The multiples of `step` in `[lo, hi]`, as (first, last) multipliers.
fn multiples(lo: f64, hi: f64, step: f64) -> (i64, i64) {
    (
        (lo / step - EPS).ceil() as i64,
        (hi / step + EPS).floor() as i64,
    )
}

fn ticks_of(lo: f64, hi: f64, step: f64, (a, b): (i64, i64)) -> Ticks {
    Ticks {
        lo,
        hi,
        step,
        values: (a..=b).map(|k| k as f64 * step).collect(),
    }
}

/// Nice ticks for data from `lo` to `hi`: the axis widened to the nearest
/// multiples of the smallest nice step that needs at most `max` intervals.
pub(super) fn fitted(lo: f64, hi: f64, max: usize) -> Ticks {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 1.0)
    };
    let hi = if hi - lo < EPS {
        hi + lo.abs().max(1.0)
    } else {
        hi
    };
    for step in steps(hi - lo, max) {
        let a = (lo / step + EPS).floor() as i64;
        let b = (hi / step - EPS).ceil() as i64;
        if b - a <= max as i64 {
            return ticks_of(a as f64 * step, b as f64 * step, step, (a, b));
        }
    }
    ticks_of(lo, hi, hi - lo, (0, 1))
}

/// Nice ticks on a bounded scale, drawn from `lo` to `hi` exactly: the
/// smallest nice step with at most `max` intervals whose multiples include
/// both ends (1–5 → 1, 2, 3, 4, 5); when no step does, the smallest whose
/// multiples inside the range are at most `max + 1` ticks.
pub(super) fn bounded(lo: f64, hi: f64, max: usize) -> Ticks {
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    if hi - lo < EPS {
        return fitted(lo, hi, max);
    }
    let on = |x: f64, step: f64| ((x / step) - (x / step).round()).abs() < 1e-6;
    for step in steps(hi - lo, max) {
        let (a, b) = multiples(lo, hi, step);
        if on(lo, step) && on(hi, step) && b - a <= max as i64 {
            return ticks_of(lo, hi, step, (a, b));
        }
        if step > hi - lo {
            break;
        }
    }
    for step in steps(hi - lo, max) {
        let (a, b) = multiples(lo, hi, step);
        if b - a <= max as i64 {
            return ticks_of(lo, hi, step, (a, b));
        }
    }
    ticks_of(lo, hi, hi - lo, (0, 1))
}

/// The decimals a tick label needs at this step: 0 for 1, 2, 5, 10…; 1 for
/// 0.5 and 2.5; 2 for 0.25.
pub(super) fn decimals(step: f64) -> usize {
    (0..=8)
        .find(|d| {
            let x = step * 10f64.powi(*d as i32);
            (x - x.round()).abs() < 1e-6
        })
        .unwrap_or(8)
}

/// A number at `d` decimals as every page writes numbers
/// ([`crate::render::format::fixed`]: rounded half up from its shortest
/// decimal form, a real minus sign, never `−0`).
pub(super) fn number(x: f64, d: usize) -> String {
    super::super::format::fixed(x, d)
}

/// A value axis: values in data units (a rate as a fraction) mapped to
/// coordinates from `from` (at the low end) to `to` (at the high end).
#[derive(Debug, Clone)]
pub(crate) struct Axis {
    pub ticks: Ticks,
    /// Data units → the unit shown: 100 for a percentage, else 1.
    pub factor: f64,
    pub percent: bool,
    pub from: f64,
    pub to: f64,
}

impl Axis {
    /// The coordinate of `v` (data units), held inside the axis.
    pub(crate) fn at(&self, v: f64) -> f64 {
        let t = &self.ticks;
        let f = ((v * self.factor - t.lo) / (t.hi - t.lo)).clamp(0.0, 1.0);
        self.from + (self.to - self.from) * f
    }

    /// The coordinate of a tick (already in the unit shown).
    pub(crate) fn tick_at(&self, shown: f64) -> f64 {
        self.at(shown / self.factor)
    }

    /// A tick's label: `80%`, `2.5`, `−1`.
    pub(crate) fn label(&self, shown: f64) -> String {
        let s = number(shown, decimals(self.ticks.step));
        if self.percent {
            format!("{s}%")
        } else {
            s
        }
    }
}

/// What a chart's value axis measures: its title (what, and the unit),
/// its range when the scale is bounded (a rating's 1–5, a rate's 0–1), and
/// whether values are rates shown in percent.
pub(crate) struct Scale<'a> {
    pub title: &'a str,
    pub bounds: Option<(f64, f64)>,
    pub percent: bool,
}

impl Scale<'_> {
    /// The axis for `values` (data units) from `from` to `to`: a bounded
    /// scale on its own range, else fitted to the values and zero, with at
    /// most `max` intervals.
    pub(crate) fn axis(
        &self,
        values: impl Iterator<Item = f64>,
        (from, to): (f64, f64),
        max: usize,
    ) -> Axis {
        let factor = if self.percent { 100.0 } else { 1.0 };
        let ticks = match self.bounds {
            Some((lo, hi)) => bounded(lo * factor, hi * factor, max),
            None => {
                let (lo, hi) = values
                    .filter(|v| v.is_finite())
                    .fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
                fitted(lo * factor, hi * factor, max)
            }
        };
        Axis {
            ticks,
            factor,
            percent: self.percent,
            from,
            to,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `step` is 1, 2, 2.5 or 5 × 10ⁿ.
    fn nice(step: f64) -> bool {
        let e = step.log10().floor();
        let m = step / 10f64.powf(e);
        MANTISSAS.iter().any(|n| (m - n).abs() < 1e-9)
    }

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9)
    }

    #[test]
    fn a_fitted_axis_widens_to_nice_multiples() {
        // The example: a share up to 0.85 is not stepped by 0.68.
        let t = fitted(0.0, 0.85, 5);
        assert_eq!((t.lo, t.hi, t.step), (0.0, 1.0, 0.2));
        assert!(close(&t.values, &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]), "{t:?}");
        // With four intervals at most, 0.25 steps.
        let t = fitted(0.0, 0.85, 4);
        assert!(close(&t.values, &[0.0, 0.25, 0.5, 0.75, 1.0]), "{t:?}");
        let t = fitted(0.0, 3.2, 5);
        assert!(close(&t.values, &[0.0, 1.0, 2.0, 3.0, 4.0]), "{t:?}");
        let t = fitted(0.0, 100.0, 5);
        assert!(
            close(&t.values, &[0.0, 20.0, 40.0, 60.0, 80.0, 100.0]),
            "{t:?}"
        );
        let t = fitted(0.0, 100.0, 4);
        assert!(close(&t.values, &[0.0, 25.0, 50.0, 75.0, 100.0]), "{t:?}");
        // Negative ranges and a symmetric one.
        let t = fitted(-93.0, 93.0, 6);
        assert!(
            close(&t.values, &[-100.0, -50.0, 0.0, 50.0, 100.0]),
            "{t:?}"
        );
        let t = fitted(-0.3, 0.45, 5);
        assert!(close(&t.values, &[-0.4, -0.2, 0.0, 0.2, 0.4, 0.6]), "{t:?}");
        // One value: a range around it.
        let t = fitted(4.0, 4.0, 5);
        assert!(t.lo <= 4.0 && t.hi > 4.0 && nice(t.step), "{t:?}");
        let t = fitted(0.0, 0.0, 5);
        assert!(close(&t.values, &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]), "{t:?}");
    }

    #[test]
    fn a_bounded_axis_is_drawn_on_its_own_range() {
        // A 1–5 rating starts at 1, not 0.
        let t = bounded(1.0, 5.0, 6);
        assert_eq!((t.lo, t.hi, t.step), (1.0, 5.0, 1.0));
        assert!(close(&t.values, &[1.0, 2.0, 3.0, 4.0, 5.0]), "{t:?}");
        let t = bounded(0.0, 100.0, 6);
        assert!(
            close(&t.values, &[0.0, 20.0, 40.0, 60.0, 80.0, 100.0]),
            "{t:?}"
        );
        let t = bounded(0.0, 100.0, 4);
        assert!(close(&t.values, &[0.0, 25.0, 50.0, 75.0, 100.0]), "{t:?}");
        let t = bounded(1.0, 7.0, 6);
        assert!(
            close(&t.values, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]),
            "{t:?}"
        );
        let t = bounded(0.0, 10.0, 6);
        assert!(close(&t.values, &[0.0, 2.0, 4.0, 6.0, 8.0, 10.0]), "{t:?}");
        // No nice step lands on both ends of 1–10: the axis still runs
        // from 1 to 10, its ticks the multiples of 2 inside.
        let t = bounded(1.0, 10.0, 6);
        assert_eq!((t.lo, t.hi), (1.0, 10.0));
        assert!(close(&t.values, &[2.0, 4.0, 6.0, 8.0, 10.0]), "{t:?}");
    }

    #[test]
    fn every_step_is_one_two_two_and_a_half_or_five_times_a_power_of_ten() {
        let mut spans = vec![];
        for lo in [-7.3, -1.0, 0.0, 0.013, 1.0, 3.0, 250.0] {
            for w in [0.004, 0.07, 0.85, 1.0, 3.3, 9.99, 17.0, 640.0, 12345.0] {
                spans.push((lo, lo + w));
            }
        }
        for (lo, hi) in spans {
            for max in [4, 5, 6] {
                for t in [fitted(lo, hi, max), bounded(lo, hi, max)] {
                    assert!(nice(t.step), "{lo}..{hi}: step {}", t.step);
                    assert!(
                        t.values.len() >= 2 && t.values.len() <= max + 1,
                        "{lo}..{hi}: {t:?}"
                    );
                    assert!(t.lo <= lo + 1e-9 && t.hi >= hi - 1e-9, "{lo}..{hi}: {t:?}");
                    for v in &t.values {
                        let k = v / t.step;
                        assert!(
                            (k - k.round()).abs() < 1e-6,
                            "{v} is no multiple of {}",
                            t.step
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn tick_labels_read_in_the_unit_shown() {
        let axis = |ticks, percent| Axis {
            ticks,
            factor: if percent { 100.0 } else { 1.0 },
            percent,
            from: 0.0,
            to: 100.0,
        };
        let a = axis(bounded(0.0, 100.0, 6), true);
        let labels: Vec<String> = a.ticks.values.iter().map(|v| a.label(*v)).collect();
        assert_eq!(labels, ["0%", "20%", "40%", "60%", "80%", "100%"]);
        // A target of 0.8 sits at the 80% tick.
        assert!((a.at(0.8) - a.tick_at(80.0)).abs() < 1e-9);
        let a = axis(fitted(0.0, 0.85, 4), false);
        let labels: Vec<String> = a.ticks.values.iter().map(|v| a.label(*v)).collect();
        assert_eq!(labels, ["0.00", "0.25", "0.50", "0.75", "1.00"]);
        let a = axis(fitted(-2.0, 5.0, 5), false);
        assert_eq!(a.label(a.ticks.values[0]), "\u{2212}2");
        assert_eq!(a.label(3.0), "3", "whole steps show whole numbers");
        assert_eq!(decimals(2.5), 1);
        assert_eq!(decimals(0.2), 1);
        assert_eq!(number(-0.0001, 2), "0.00");
        // Tick labels take the pages' rounding: half up from the decimal
        // (`format!("{:.1}", 0.25)` would write 0.2), and a multiple of a
        // step reads as its decimal (3 × 0.1 is 0.30000000000000004).
        assert_eq!(number(0.25, 1), "0.3");
        assert_eq!(number(3.0 * 0.1, 2), "0.30");
        assert_eq!(number(-2.5, 0), "\u{2212}3");
        // Values beyond the axis are held at its ends.
        assert_eq!(a.at(-100.0), 0.0);
        assert_eq!(a.at(100.0), 100.0);
    }
}
