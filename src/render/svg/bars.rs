//! A bar chart: one horizontal bar per row (a session), so that fifteen
//! sessions fit a phone's width; the value axis below with nice ticks and
//! its title, a bounded scale drawn from its own start (a 1–5 rating from
//! 1); the target a dashed vertical line labelled above the plot; each
//! value labelled at its bar, never across the line.

use std::fmt::Write;

use super::axis::Scale;
use super::frame::{self, Caption};
use super::label::{self, Anchor, FONT, WIDTH};

/// One bar: its label beside the axis, value, and the value as written.
pub(crate) struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
}

/// A target drawn across a chart: its value and the value as written.
pub(crate) struct TargetLine {
    pub value: f64,
    pub shown: String,
}

/// Room above the plot, for the target's label and the rows' title.
const TOP: f64 = 30.0;
/// The height of a row and of its bar.
const ROW: f64 = 22.0;
const BAR: f64 = 14.0;
/// Where the bars start (left of it: the rows' labels).
const X0: f64 = 58.0;

/// Bars for `bars`, whose rows are `rows` (`Session`), on `scale`, with
/// an optional target line.
pub(crate) fn bar_chart(
    c: &Caption,
    rows: &str,
    bars: &[Bar],
    scale: &Scale,
    target: Option<&TargetLine>,
) -> String {
    let widest = bars
        .iter()
        .map(|b| label::width(&b.shown, FONT))
        .fold(0.0, f64::max);
    let x1 = WIDTH - 8.0 - widest - 4.0;
    let axis = scale.axis(
        bars.iter().map(|b| b.value).chain(target.map(|t| t.value)),
        (X0, x1),
        6,
    );
    let axis_y = TOP + ROW * bars.len() as f64 + 2.0;
    let height = axis_y + 44.0;
    let mut s = String::new();
    frame::open(&mut s, c, "bars", height);
    // Grid and ticks, the axis and its title.
    for v in &axis.ticks.values {
        let x = axis.tick_at(*v);
        frame::line(&mut s, "gridline", (x, TOP - 4.0), (x, axis_y));
        frame::tick(
            &mut s,
            (x, axis_y + 16.0),
            Anchor::Middle,
            *v,
            &axis.label(*v),
        );
    }
    frame::line(&mut s, "axis-line", (X0, axis_y), (x1, axis_y));
    frame::line(&mut s, "axis-line", (X0, TOP - 4.0), (X0, axis_y));
    frame::text(
        &mut s,
        "axis-title",
        ((X0 + x1) / 2.0, axis_y + 36.0),
        Anchor::Middle,
        scale.title,
    );
    frame::text(&mut s, "axis-title", (4.0, TOP - 12.0), Anchor::Start, rows);
    let target_x = target.map(|t| axis.at(t.value));
    let start = axis.from;
    for (n, b) in bars.iter().enumerate() {
        let y = TOP + ROW * n as f64 + (ROW - BAR) / 2.0;
        let end = axis.at(b.value);
        let _ = write!(
            s,
            r#"<rect class="bar" x="{start:.1}" y="{y:.1}" width="{:.1}" height="{BAR}"/>"#,
            (end - start).max(0.0)
        );
        let base = y + BAR / 2.0 + 0.35 * FONT;
        frame::text(&mut s, "row-label", (X0 - 8.0, base), Anchor::End, &b.label);
        let w = label::width(&b.shown, FONT);
        let p = label::beside_bar(start, end, w, target_x, WIDTH - 2.0);
        let class = if p.inside { "value inside" } else { "value" };
        frame::text(&mut s, class, (p.x, base), p.anchor, &b.shown);
    }
    if let (Some(t), Some(x)) = (target, target_x) {
        frame::line(&mut s, "target-line", (x, TOP - 4.0), (x, axis_y));
        let text = format!("target {}", t.shown);
        let half = label::width(&text, FONT) / 2.0;
        let at = x.clamp(X0 + 4.0 + half, WIDTH - 2.0 - half);
        frame::text(
            &mut s,
            "target-label",
            (at, TOP - 12.0),
            Anchor::Middle,
            &text,
        );
    }
    s.push_str("</svg>");
    s
}
