//! A series over time: dates across, placed by date (a gap of two months
//! looks like two months), the value axis with nice ticks and its title
//! above it, a bounded scale on its own range (a rate from 0 to 100%), the
//! target a dashed line labelled at its right end, each value labelled
//! above or below its point, clear of the line. A page needs two points
//! for it; with one it says so in a sentence.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use super::axis::Scale;
use super::bars::TargetLine;
use super::frame::{self, Caption};
use super::label::{self, Anchor, Rect, FONT, WIDTH};

/// One point: its date, value, and the value as written.
pub struct Point {
    pub date: NaiveDate,
    pub value: f64,
    pub shown: String,
}

/// Room above the plot for a line of the value axis's title.
const TITLE_LINE: f64 = 17.0;
/// The plot's height.
const PLOT: f64 = 150.0;
/// How far the first and last points keep from the plot's sides.
const INSET: f64 = 20.0;

/// A line through `points` (in date order) on `scale`, with an optional
/// target line.
pub fn line_chart(
    c: &Caption,
    points: &[Point],
    scale: &Scale,
    target: Option<&TargetLine>,
) -> String {
    let title = frame::wrap(scale.title, WIDTH - 8.0);
    let top = 14.0 + TITLE_LINE * title.len() as f64;
    let bottom = top + PLOT;
    let axis = scale.axis(
        points
            .iter()
            .map(|p| p.value)
            .chain(target.map(|t| t.value)),
        (bottom, top),
        5,
    );
    let widest = axis
        .ticks
        .values
        .iter()
        .map(|v| label::width(&axis.label(*v), FONT))
        .fold(0.0, f64::max);
    let x0 = 6.0 + widest + 6.0;
    let target_w = target.map_or(0.0, |t| {
        label::width("target", FONT).max(label::width(&t.shown, FONT)) + 8.0
    });
    let x1 = WIDTH - 6.0 - target_w;
    let height = bottom + 44.0;
    let mut s = String::new();
    frame::open(&mut s, c, "series", height);
    for (i, line) in title.iter().enumerate() {
        frame::text(
            &mut s,
            "axis-title",
            (4.0, 14.0 + TITLE_LINE * i as f64),
            Anchor::Start,
            line,
        );
    }
    for v in axis.ticks.values.clone() {
        let y = axis.tick_at(v);
        frame::line(&mut s, "gridline", (x0, y), (x1, y));
        frame::tick(
            &mut s,
            (x0 - 6.0, y + 0.35 * FONT),
            Anchor::End,
            v,
            &axis.label(v),
        );
    }
    frame::line(&mut s, "axis-line", (x0, bottom), (x1, bottom));
    frame::line(&mut s, "axis-line", (x0, top), (x0, bottom));
    // Dates across, by date.
    let first = points.first().map(|p| p.date);
    let last = points.last().map(|p| p.date);
    let days = match (first, last) {
        (Some(a), Some(b)) => (b - a).num_days().max(0) as f64,
        _ => 0.0,
    };
    let x_of = |d: NaiveDate| match first {
        Some(a) if days > 0.0 => {
            x0 + INSET + (x1 - x0 - 2.0 * INSET) * ((d - a).num_days() as f64 / days)
        }
        _ => (x0 + x1) / 2.0,
    };
    let one_year = first.map(|d| d.year()) == last.map(|d| d.year());
    let xy: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (x_of(p.date), axis.at(p.value)))
        .collect();
    // Date labels, thinned where they would touch (the last always shown).
    let fmt = if one_year { "%-d %b" } else { "%b %Y" };
    let dates: Vec<(f64, String)> = points
        .iter()
        .zip(&xy)
        .map(|(p, (x, _))| (*x, p.date.format(fmt).to_string()))
        .collect();
    let mut shown: Vec<usize> = Vec::new();
    let clear = |a: &(f64, String), b: &(f64, String)| {
        (a.0 - b.0).abs() >= (label::width(&a.1, FONT) + label::width(&b.1, FONT)) / 2.0 + 6.0
    };
    for i in 0..dates.len() {
        if shown.last().is_none_or(|j| clear(&dates[*j], &dates[i])) {
            shown.push(i);
        }
    }
    if let (Some(&l), true) = (shown.last(), !dates.is_empty()) {
        let last = dates.len() - 1;
        if l != last {
            if shown.len() > 1 && !clear(&dates[l], &dates[last]) {
                shown.pop();
            }
            shown.push(last);
        }
    }
    for i in shown {
        let (x, d) = &dates[i];
        frame::text(&mut s, "date", (*x, bottom + 16.0), Anchor::Middle, d);
    }
    let title = match (one_year, first) {
        (true, Some(d)) => format!("Date ({})", d.year()),
        _ => "Date".to_string(),
    };
    frame::text(
        &mut s,
        "axis-title",
        ((x0 + x1) / 2.0, bottom + 36.0),
        Anchor::Middle,
        &title,
    );
    // The target, labelled at its right end.
    let target_y = target.map(|t| axis.at(t.value));
    if let (Some(t), Some(y)) = (target, target_y) {
        frame::line(&mut s, "target-line", (x0, y), (x1, y));
        frame::text(
            &mut s,
            "target-label",
            (x1 + 6.0, y - 4.0),
            Anchor::Start,
            "target",
        );
        frame::text(
            &mut s,
            "target-label",
            (x1 + 6.0, y + 4.0 + 0.8 * FONT),
            Anchor::Start,
            &t.shown,
        );
    }
    // The series, and each value by its point.
    let path: Vec<String> = xy.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
    let _ = write!(
        s,
        r#"<polyline class="series" points="{}"/>"#,
        path.join(" ")
    );
    for (x, y) in &xy {
        let _ = write!(
            s,
            r#"<circle class="point" cx="{x:.1}" cy="{y:.1}" r="4"/>"#
        );
    }
    // Values by their points: the last and the first before the others,
    // each where it is clear of the line and of those placed.
    let mut order: Vec<usize> = (0..points.len()).collect();
    if let Some(last) = order.pop() {
        order.insert(0, last);
    }
    let mut taken: Vec<Rect> = Vec::new();
    let mut placed: Vec<(usize, f64)> = Vec::new();
    for i in order {
        let ((x, y), p) = (xy[i], &points[i]);
        if let Some(base) = label::beside_point(&p.shown, (x, y), target_y, (top, bottom), &taken) {
            taken.push(label::text_box(&p.shown, x, base, Anchor::Middle, FONT));
            placed.push((i, base));
        }
    }
    placed.sort_by_key(|(i, _)| *i);
    for (i, base) in placed {
        frame::text(
            &mut s,
            "value",
            (xy[i].0, base),
            Anchor::Middle,
            &points[i].shown,
        );
    }
    s.push_str("</svg>");
    s
}
