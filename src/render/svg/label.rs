//! Where a chart's text goes: the size of a label (estimated from its
//! characters, on the generous side), its box, and the placement of value
//! labels so that none crosses the target line — beside the bar's end,
//! inside the bar, or past the line; above or below a point.

/// The font size of every chart, in the chart's units (the stylesheet sets
/// the same; the chart's width of [`WIDTH`] units fills its column, so at a
/// phone's 390 px a unit is about a pixel).
pub(super) const FONT: f64 = 13.0;

/// The width of every chart, in its units.
pub(super) const WIDTH: f64 = 400.0;

/// How far a label keeps from the target line (which is 2 units wide).
pub(super) const CLEAR: f64 = 3.0;

/// A label's estimated width at `size`: its characters' widths in DejaVu
/// Sans Bold, the widest of the faces a reader's system-ui is likely to
/// be (Debian's; Segoe UI, San Francisco and Roboto are narrower), so that
/// an estimate errs on the side of room.
pub(super) fn width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| match c {
            '0'..='9' => 0.70,
            '%' | '—' => 1.0,
            '.' | ',' | '·' | ' ' | ':' | ';' => 0.40,
            'i' | 'l' | 'j' | 'I' | 'J' | '\'' | '|' => 0.38,
            'f' | 't' | 'r' | '(' | ')' | '-' | '–' => 0.50,
            'm' | 'w' | 'M' | 'W' => 1.1,
            'a'..='z' => 0.72,
            'A'..='Z' => 0.85,
            _ => 0.84,
        })
        .sum::<f64>()
        * size
}

/// An axis-aligned box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub(super) fn intersects(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// How a text is anchored at its `x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// The box of `text` at `size` with its baseline at `y`.
pub(super) fn text_box(text: &str, x: f64, y: f64, anchor: Anchor, size: f64) -> Rect {
    let w = width(text, size);
    let x0 = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    Rect {
        x0,
        y0: y - 0.8 * size,
        x1: x0 + w,
        y1: y + 0.25 * size,
    }
}

/// A value label's place: where its text is anchored, and whether it sits
/// inside its bar (drawn in the bar's text colour).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Placed {
    pub x: f64,
    pub anchor: Anchor,
    pub inside: bool,
}

/// The label of a horizontal bar from `start` to `end` (x), `w` wide: after
/// the bar's end; if that crosses the target line at `target` (x), inside
/// the bar's end; else past the line; else between the bar's end and the
/// line. Never beyond `limit`, the chart's right edge.
pub(super) fn beside_bar(start: f64, end: f64, w: f64, target: Option<f64>, limit: f64) -> Placed {
    let clear = |x0: f64, x1: f64| target.is_none_or(|t| x1 <= t - CLEAR || x0 >= t + CLEAR);
    let outside = (end + 4.0, end + 4.0 + w);
    if outside.1 <= limit && clear(outside.0, outside.1) {
        return Placed {
            x: outside.0,
            anchor: Anchor::Start,
            inside: false,
        };
    }
    let inside = (end - 4.0 - w, end - 4.0);
    if inside.0 >= start + 2.0 && clear(inside.0, inside.1) {
        return Placed {
            x: inside.1,
            anchor: Anchor::End,
            inside: true,
        };
    }
    if let Some(t) = target {
        let past = (t + CLEAR + 2.0, t + CLEAR + 2.0 + w);
        if past.1 <= limit {
            return Placed {
                x: past.0,
                anchor: Anchor::Start,
                inside: false,
            };
        }
        let before = (t - CLEAR - 2.0 - w, t - CLEAR - 2.0);
        if before.0 >= end + 2.0 {
            return Placed {
                x: before.1,
                anchor: Anchor::End,
                inside: false,
            };
        }
    }
    Placed {
        x: outside.0.min(limit - w),
        anchor: Anchor::Start,
        inside: false,
    }
}

/// The baseline of a point's label, centred on the point at (`x`, `y`):
/// above it, or below it when above would cross the target line at
/// `target` (y), leave the plot (`top`..`bottom`) or touch a label already
/// placed; None when neither is clear (a dense series labels the points it
/// has room for; its table has every value).
pub(super) fn beside_point(
    text: &str,
    (x, y): (f64, f64),
    target: Option<f64>,
    (top, bottom): (f64, f64),
    taken: &[Rect],
) -> Option<f64> {
    let above = y - 8.0;
    let below = y + 8.0 + 0.8 * FONT;
    let fits = |base: f64| {
        let b = text_box(text, x, base, Anchor::Middle, FONT);
        b.y0 >= top - 2.0
            && b.y1 <= bottom
            && target.is_none_or(|t| b.y1 <= t - CLEAR || b.y0 >= t + CLEAR)
            && !taken.iter().any(|o| o.intersects(&b))
    };
    [above, below].into_iter().find(|b| fits(*b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_label_goes_after_the_bar_unless_the_target_is_there() {
        // Far from the target: after the bar's end.
        let p = beside_bar(50.0, 200.0, 30.0, Some(300.0), 400.0);
        assert_eq!((p.x, p.anchor, p.inside), (204.0, Anchor::Start, false));
        // The target just past the bar's end: inside the bar.
        let p = beside_bar(50.0, 200.0, 30.0, Some(215.0), 400.0);
        assert_eq!((p.x, p.anchor, p.inside), (196.0, Anchor::End, true));
        // A short bar just before the target: past the line.
        let p = beside_bar(50.0, 60.0, 30.0, Some(70.0), 400.0);
        assert_eq!((p.x, p.anchor, p.inside), (75.0, Anchor::Start, false));
        // The target at the bar's very end: after it, clear of the line.
        let p = beside_bar(50.0, 350.0, 35.0, Some(350.0), 400.0);
        assert!(!p.inside && p.x >= 350.0 + CLEAR, "{p:?}");
        // The target at the end of a full bar: inside.
        let p = beside_bar(50.0, 370.0, 35.0, Some(370.0), 400.0);
        assert!(p.inside && p.x + CLEAR <= 370.0, "{p:?}");
        // No room after a full bar: inside.
        let p = beside_bar(50.0, 390.0, 35.0, None, 400.0);
        assert!(p.inside, "{p:?}");
        // Whatever the bar and the target, the label is clear of the line.
        for end in (50..=360).step_by(3) {
            for t in (50..=360).step_by(7) {
                let (end, t) = (f64::from(end), f64::from(t));
                let w = 35.0;
                let p = beside_bar(50.0, end, w, Some(t), 400.0);
                let x0 = match p.anchor {
                    Anchor::Start => p.x,
                    Anchor::End => p.x - w,
                    Anchor::Middle => p.x - w / 2.0,
                };
                assert!(
                    x0 + w <= t - CLEAR || x0 >= t + CLEAR,
                    "bar to {end}, target {t}: {p:?}"
                );
                assert!(x0 + w <= 400.0, "bar to {end}, target {t}: {p:?}");
            }
        }
    }

    #[test]
    fn a_point_label_goes_above_unless_the_target_or_a_label_is_there() {
        let plot = (20.0, 200.0);
        assert_eq!(
            beside_point("3.2", (100.0, 100.0), Some(150.0), plot, &[]),
            Some(92.0)
        );
        // The target line just above the point: below it.
        let y = beside_point("3.2", (100.0, 100.0), Some(94.0), plot, &[]).unwrap();
        assert!(y > 100.0, "{y}");
        let b = text_box("3.2", 100.0, y, Anchor::Middle, FONT);
        assert!(b.y0 >= 94.0 + CLEAR);
        // At the top of the plot: below.
        assert!(beside_point("3.2", (100.0, 22.0), None, plot, &[]).unwrap() > 22.0);
        // Another label above: below; labels above and below: none.
        let taken = [text_box("3.0", 110.0, 92.0, Anchor::Middle, FONT)];
        assert!(beside_point("3.2", (100.0, 100.0), None, plot, &taken).unwrap() > 100.0);
        let both = [
            taken[0],
            text_box("3.0", 110.0, 118.4, Anchor::Middle, FONT),
        ];
        assert_eq!(beside_point("3.2", (100.0, 100.0), None, plot, &both), None);
        // Every point and target: clear of the line, or no label.
        for y in (20..=200).step_by(3) {
            for t in (20..=200).step_by(5) {
                let (y, t) = (f64::from(y), f64::from(t));
                if let Some(base) = beside_point("86%", (100.0, y), Some(t), plot, &[]) {
                    let b = text_box("86%", 100.0, base, Anchor::Middle, FONT);
                    assert!(
                        b.y1 <= t - CLEAR || b.y0 >= t + CLEAR,
                        "point at {y}, target {t}"
                    );
                }
            }
        }
    }

    #[test]
    fn widths_are_generous_and_boxes_meet() {
        assert!(width("100%", FONT) > 30.0);
        assert!(width("4.2", FONT) < width("4.25", FONT));
        let a = text_box("80%", 100.0, 50.0, Anchor::Middle, FONT);
        let b = text_box("80%", 110.0, 52.0, Anchor::Start, FONT);
        assert!(a.intersects(&b));
        let c = text_box("80%", 100.0, 80.0, Anchor::Middle, FONT);
        assert!(!a.intersects(&c));
    }
}
