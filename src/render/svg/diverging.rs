//! Answers before and after as diverging stacked bars (Heiberger &
//! Robbins): per item a row before and a row after, each the shares of its
//! answers at each point of the scale, the answers below the middle to the
//! left of a centre line and those above to the right, the middle answer
//! split half and half across it. Shades grow darker away from the middle;
//! the outermost answers are hatched too (one slant left, the other
//! right), and every segment wide enough carries its share, so that the
//! chart does not rest on colour alone; the legend names each point.

use std::fmt::Write;

use super::axis::{self, Axis};
use super::frame::{self, Caption};
use super::label::{self, Anchor, FONT, WIDTH};

/// The points of an answer scale: the whole numbers `lo..=hi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Levels {
    pub lo: i64,
    pub hi: i64,
}

impl Levels {
    pub(crate) fn len(self) -> usize {
        (self.hi - self.lo + 1).max(0) as usize
    }

    /// The class of level `v`: its side of the middle (`neg`, `mid`,
    /// `pos`) and its shade, 1 (near the middle) to 3 (the outermost).
    fn class(self, v: i64) -> (&'static str, u8) {
        // Twice the distance from the middle, in whole numbers.
        let d2 = 2 * v - (self.lo + self.hi);
        let side = match d2.signum() {
            -1 => "neg",
            0 => return ("mid", 0),
            _ => "pos",
        };
        // Steps from the middle: 1, 2, … on either side.
        let steps = (d2.abs() + 1) / 2;
        let most = (self.hi - self.lo + 1) / 2;
        let shade = (3 * steps + most - 1) / most.max(1);
        (side, shade.clamp(1, 3) as u8)
    }

    /// The class name of level `v`'s shade: `neg-3`, `mid`, `pos-2`.
    fn name(self, v: i64) -> String {
        match self.class(v) {
            (side, 0) => side.to_string(),
            (side, shade) => format!("{side}-{shade}"),
        }
    }
}

/// One item's answers: how many paired participants gave each point of
/// the scale (from the lowest), before and after.
pub(crate) struct Answers {
    pub label: String,
    pub pre: Vec<usize>,
    pub post: Vec<usize>,
}

/// Room above the first item, for the legend.
const TOP: f64 = 34.0;
/// An item's title line, and each of its rows.
const TITLE: f64 = 20.0;
const ROW: f64 = 20.0;
const BAR: f64 = 14.0;
/// Space after an item.
const GAP: f64 = 8.0;
/// Where the plot starts (left of it: `Before`, `After`).
const X0: f64 = 56.0;

/// Diverging stacked bars of `items` on the scale `levels`, each share
/// written by `share` from its count and the row's total (`43%`): the
/// shares are f64 for drawing only.
pub(crate) fn diverging(
    c: &Caption,
    levels: Levels,
    items: &[Answers],
    share: &dyn Fn(usize, usize) -> String,
) -> String {
    let axis = share_axis(levels, items);
    let block = TITLE + 2.0 * ROW + GAP;
    let axis_y = TOP + block * items.len() as f64;
    let height = axis_y + 62.0;
    let mut s = String::new();
    frame::open(&mut s, c, "diverging", height);
    hatching(&mut s, c.id);
    legend(&mut s, levels, c.id);
    grid(&mut s, &axis, axis_y);
    let bars = Bars {
        levels,
        id: c.id,
        centre: axis.at(0.0),
        unit: (axis.at(1.0) - axis.at(0.0)).max(0.0),
        share,
    };
    for (i, item) in items.iter().enumerate() {
        bars.item(&mut s, item, TOP + block * i as f64);
    }
    s.push_str("</svg>");
    s
}

/// The shares of a row's answers at each point (all 0 for no answers).
fn shares(counts: &[usize]) -> Vec<f64> {
    let n: usize = counts.iter().sum();
    counts
        .iter()
        .map(|k| if n == 0 { 0.0 } else { *k as f64 / n as f64 })
        .collect()
}

/// How far a row of shares reaches left and right of the middle.
fn reach(levels: Levels, s: &[f64]) -> (f64, f64) {
    let mut left = 0.0;
    let mut right = 0.0;
    for (i, x) in s.iter().enumerate() {
        match levels.class(levels.lo + i as i64).0 {
            "neg" => left += x,
            "pos" => right += x,
            _ => {
                left += x / 2.0;
                right += x / 2.0;
            }
        }
    }
    (left, right)
}

/// The axis of shares across: as far either way as the farthest-reaching
/// row (5% at least), with room at the right for the last tick's label.
fn share_axis(levels: Levels, items: &[Answers]) -> Axis {
    let most = items
        .iter()
        .flat_map(|a| {
            [
                reach(levels, &shares(&a.pre)),
                reach(levels, &shares(&a.post)),
            ]
        })
        .fold(0.0f64, |m, (l, r)| m.max(l).max(r))
        .max(0.05);
    let ticks = axis::fitted(-most * 100.0, most * 100.0, 6);
    // Room for the last tick's label, centred on the plot's end.
    let x1 = WIDTH
        - 4.0
        - label::width(
            &format!("{}%", axis::number(ticks.hi, axis::decimals(ticks.step))),
            FONT,
        ) / 2.0
        - 6.0;
    Axis {
        ticks,
        factor: 100.0,
        percent: true,
        from: X0,
        to: x1,
    }
}

/// Hatching: one slant for the lowest answers, the other for the highest.
fn hatching(s: &mut String, id: &str) {
    let _ = write!(
        s,
        r#"<defs><pattern id="{id}-neg" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect class="hatch" width="2" height="6"/></pattern><pattern id="{id}-pos" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(-45)"><rect class="hatch" width="2" height="6"/></pattern></defs>"#,
    );
}

/// A rectangle in level `v`'s shade, hatched too if it is outermost.
fn swatch(s: &mut String, levels: Levels, id: &str, v: i64, (x, y, w, h): (f64, f64, f64, f64)) {
    let (side, shade) = levels.class(v);
    let _ = write!(
        s,
        r#"<rect class="lk lk-{}" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}"/>"#,
        levels.name(v)
    );
    if shade == 3 {
        let _ = write!(
            s,
            r#"<rect fill="url(#{id}-{side})" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}"/>"#,
        );
    }
}

/// The legend: a swatch and the number of each point of the scale.
fn legend(s: &mut String, levels: Levels, id: &str) {
    frame::text(s, "axis-title", (4.0, 18.0), Anchor::Start, "Answer");
    let mut x = 4.0 + label::width("Answer", FONT) + 10.0;
    for v in levels.lo..=levels.hi {
        swatch(s, levels, id, v, (x, 6.0, 14.0, 14.0));
        let t = axis::number(v as f64, 0);
        frame::text(s, "legend", (x + 18.0, 18.0), Anchor::Start, &t);
        x += 18.0 + label::width(&t, FONT) + 12.0;
    }
}

/// Grid, the centre line, ticks and the axis's titles, down to `axis_y`.
fn grid(s: &mut String, axis: &Axis, axis_y: f64) {
    for v in &axis.ticks.values {
        let x = axis.tick_at(*v);
        let class = if v.abs() < 1e-9 {
            "centre-line"
        } else {
            "gridline"
        };
        frame::line(s, class, (x, TOP), (x, axis_y));
        frame::tick(
            s,
            (x, axis_y + 16.0),
            Anchor::Middle,
            *v,
            &axis.label(v.abs()),
        );
    }
    let x1 = axis.to;
    frame::text(
        s,
        "axis-title",
        (X0, axis_y + 34.0),
        Anchor::Start,
        "← lower answers",
    );
    frame::text(
        s,
        "axis-title",
        (x1, axis_y + 34.0),
        Anchor::End,
        "higher answers →",
    );
    frame::text(
        s,
        "axis-title",
        ((X0 + x1) / 2.0, axis_y + 54.0),
        Anchor::Middle,
        "% of paired participants",
    );
}

/// What drawing the items' bars needs: the scale, the chart's id (for
/// its hatching), where 0 is, the width of a share of 1, and how a share
/// is written.
struct Bars<'a> {
    levels: Levels,
    id: &'a str,
    centre: f64,
    unit: f64,
    share: &'a dyn Fn(usize, usize) -> String,
}

impl Bars<'_> {
    /// An item from `top`: its title, then its rows before and after.
    fn item(&self, s: &mut String, item: &Answers, top: f64) {
        frame::text(
            s,
            "item-label",
            (4.0, top + 14.0),
            Anchor::Start,
            &frame::fit(&item.label, WIDTH - 8.0),
        );
        for (r, (name, counts)) in [("Before", &item.pre), ("After", &item.post)]
            .into_iter()
            .enumerate()
        {
            let y = top + TITLE + ROW * r as f64 + (ROW - BAR) / 2.0;
            self.row(s, name, counts, y);
        }
    }

    /// A row at `y`: its name, then a segment per point of the scale,
    /// each carrying its share where it is wide enough.
    fn row(&self, s: &mut String, name: &str, counts: &[usize], y: f64) {
        let levels = self.levels;
        let base = y + BAR / 2.0 + 0.35 * FONT;
        frame::text(s, "row-label", (X0 - 6.0, base), Anchor::End, name);
        let sh = shares(counts);
        let total: usize = counts.iter().sum();
        let mut x = self.centre - reach(levels, &sh).0 * self.unit;
        for (k, f) in sh.iter().enumerate() {
            let w = f * self.unit;
            if w <= 0.0 {
                continue;
            }
            let v = levels.lo + k as i64;
            swatch(s, levels, self.id, v, (x, y, w, BAR));
            let t = (self.share)(counts[k], total);
            if label::width(&t, FONT) + 6.0 <= w {
                frame::text(
                    s,
                    &format!("seg seg-{}", levels.name(v)),
                    (x + w / 2.0, base),
                    Anchor::Middle,
                    &t,
                );
            }
            x += w;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_split_at_the_middle_and_darken_outwards() {
        let five = Levels { lo: 1, hi: 5 };
        let classes: Vec<_> = (1..=5).map(|v| five.class(v)).collect();
        assert_eq!(
            classes,
            [("neg", 3), ("neg", 2), ("mid", 0), ("pos", 2), ("pos", 3)]
        );
        let seven = Levels { lo: 1, hi: 7 };
        let classes: Vec<_> = (1..=7).map(|v| seven.class(v).1).collect();
        assert_eq!(classes, [3, 2, 1, 0, 1, 2, 3]);
        // An even scale has no middle answer.
        let four = Levels { lo: 1, hi: 4 };
        let classes: Vec<_> = (1..=4).map(|v| four.class(v)).collect();
        assert_eq!(classes, [("neg", 3), ("neg", 2), ("pos", 2), ("pos", 3)]);
        let zero = Levels { lo: 0, hi: 2 };
        assert_eq!(zero.class(0), ("neg", 3));
        assert_eq!(five.len(), 5);
    }

    fn item(pre: &[usize], post: &[usize]) -> Answers {
        Answers {
            label: "Delegating effectively".into(),
            pre: pre.to_vec(),
            post: post.to_vec(),
        }
    }

    fn rects(svg: &str) -> Vec<(String, f64, f64)> {
        svg.split("<rect class=\"lk ")
            .skip(1)
            .map(|r| {
                let attr = |name: &str| -> f64 {
                    let at = r.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                    r[at..].split('"').next().unwrap().parse().unwrap()
                };
                (
                    r.split('"').next().unwrap().to_string(),
                    attr("x"),
                    attr("width"),
                )
            })
            .collect()
    }

    #[test]
    fn the_middle_answer_straddles_the_centre_line() {
        let c = Caption {
            id: "lk",
            title: "t",
            desc: "d",
        };
        let svg = diverging(
            &c,
            Levels { lo: 1, hi: 5 },
            &[item(&[1, 1, 2, 0, 0], &[0, 0, 2, 1, 1])],
            &|k, n| format!("{}%", k * 100 / n.max(1)),
        );
        let centre: f64 = {
            let at = svg.find("class=\"centre-line\" x1=\"").unwrap() + 24;
            svg[at..].split('"').next().unwrap().parse().unwrap()
        };
        let r = rects(&svg);
        // The legend's five swatches, then the rows' segments.
        let rows = &r[5..];
        let mid: Vec<_> = rows.iter().filter(|x| x.0 == "lk-mid").collect();
        assert_eq!(mid.len(), 2);
        for m in mid {
            assert!(
                (m.1 + m.2 / 2.0 - centre).abs() < 0.2,
                "{m:?} about {centre}"
            );
        }
        // Before: half the answers below the middle, all left of it.
        let neg: Vec<_> = rows.iter().filter(|x| x.0.starts_with("lk-neg")).collect();
        assert_eq!(neg.len(), 2);
        assert!(neg.iter().all(|x| x.1 + x.2 <= centre + 0.2));
        let pos: Vec<_> = rows.iter().filter(|x| x.0.starts_with("lk-pos")).collect();
        assert!(pos.iter().all(|x| x.1 >= centre - 0.2));
        // The outermost answers are hatched, their shares written.
        assert_eq!(
            svg.matches("url(#lk-neg)").count(),
            2,
            "legend and one segment"
        );
        assert!(svg.contains(">50%</text>") && svg.contains(">25%</text>"));
        assert!(svg.contains(r#"role="img""#) && svg.contains("<desc id=\"lk-desc\">d</desc>"));
    }
}
