//! A series over time: dates across, placed by date (a gap of two months
//! looks like two months), the value axis with nice ticks and its title
//! above it, a bounded scale on its own range (a rate from 0 to 100%), the
//! target a dashed line labelled at its right end, each value labelled
//! above or below its point, clear of the line. A page needs two points
//! for it; with one it says so in a sentence.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use super::axis::{Axis, Scale};
use super::bars::TargetLine;
use super::frame::{self, Caption};
use super::label::{self, Anchor, Rect, FONT, WIDTH};

/// One point: its date, value, and the value as written.
pub(crate) struct Point {
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

/// Where the plot sits: its value axis, its top and bottom, and its left
/// and right ends (room kept for the tick labels and the target's label).
struct Plot {
    axis: Axis,
    top: f64,
    bottom: f64,
    x0: f64,
    x1: f64,
}

/// A line through `points` (in date order) on `scale`, with an optional
/// target line.
pub(crate) fn line_chart(
    c: &Caption,
    points: &[Point],
    scale: &Scale,
    target: Option<&TargetLine>,
) -> String {
    let title = frame::wrap(scale.title, WIDTH - 8.0);
    let plot = plot(&title, points, scale, target);
    let mut s = String::new();
    frame::open(&mut s, c, "series", plot.bottom + 44.0);
    value_axis(&mut s, &plot, &title);
    let xy = date_axis(&mut s, &plot, points);
    let target_y = target.map(|t| plot.axis.at(t.value));
    if let (Some(t), Some(y)) = (target, target_y) {
        target_line(&mut s, &plot, t, y);
    }
    series(&mut s, &xy);
    values(&mut s, &plot, points, &xy, target_y);
    s.push_str("</svg>");
    s
}

/// The plot's place: below the value axis's title (`title`, its lines),
/// right of the widest tick label, left of the target's label.
fn plot(title: &[String], points: &[Point], scale: &Scale, target: Option<&TargetLine>) -> Plot {
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
    Plot {
        axis,
        top,
        bottom,
        x0,
        x1,
    }
}

/// The value axis: its title above it, a gridline and a label at each
/// tick, and the axis lines.
fn value_axis(s: &mut String, p: &Plot, title: &[String]) {
    for (i, line) in title.iter().enumerate() {
        frame::text(
            s,
            "axis-title",
            (4.0, 14.0 + TITLE_LINE * i as f64),
            Anchor::Start,
            line,
        );
    }
    for v in p.axis.ticks.values.clone() {
        let y = p.axis.tick_at(v);
        frame::line(s, "gridline", (p.x0, y), (p.x1, y));
        frame::tick(
            s,
            (p.x0 - 6.0, y + 0.35 * FONT),
            Anchor::End,
            v,
            &p.axis.label(v),
        );
    }
    frame::line(s, "axis-line", (p.x0, p.bottom), (p.x1, p.bottom));
    frame::line(s, "axis-line", (p.x0, p.top), (p.x0, p.bottom));
}

/// Dates across, by date: the date labels and the axis's title. Returns
/// each point's place.
fn date_axis(s: &mut String, p: &Plot, points: &[Point]) -> Vec<(f64, f64)> {
    let first = points.first().map(|p| p.date);
    let last = points.last().map(|p| p.date);
    let days = match (first, last) {
        (Some(a), Some(b)) => (b - a).num_days().max(0) as f64,
        _ => 0.0,
    };
    let (x0, x1) = (p.x0, p.x1);
    let x_of = |d: NaiveDate| match first {
        Some(a) if days > 0.0 => {
            x0 + INSET + (x1 - x0 - 2.0 * INSET) * ((d - a).num_days() as f64 / days)
        }
        _ => (x0 + x1) / 2.0,
    };
    let one_year = first.map(|d| d.year()) == last.map(|d| d.year());
    let xy: Vec<(f64, f64)> = points
        .iter()
        .map(|pt| (x_of(pt.date), p.axis.at(pt.value)))
        .collect();
    // Date labels, thinned where they would touch (the last always shown).
    let fmt = if one_year { "%-d %b" } else { "%b %Y" };
    let dates: Vec<(f64, String)> = points
        .iter()
        .zip(&xy)
        .map(|(pt, (x, _))| (*x, pt.date.format(fmt).to_string()))
        .collect();
    for i in shown_dates(&dates) {
        let (x, d) = &dates[i];
        frame::text(s, "date", (*x, p.bottom + 16.0), Anchor::Middle, d);
    }
    let title = match (one_year, first) {
        (true, Some(d)) => format!("Date ({})", d.year()),
        _ => "Date".to_string(),
    };
    frame::text(
        s,
        "axis-title",
        ((x0 + x1) / 2.0, p.bottom + 36.0),
        Anchor::Middle,
        &title,
    );
    xy
}

/// Which date labels to show: each clear of the one before it, and the
/// last always (in place of the one before it if those two would touch).
fn shown_dates(dates: &[(f64, String)]) -> Vec<usize> {
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
    shown
}

/// The target at `y`, labelled at its right end.
fn target_line(s: &mut String, p: &Plot, t: &TargetLine, y: f64) {
    frame::line(s, "target-line", (p.x0, y), (p.x1, y));
    frame::text(
        s,
        "target-label",
        (p.x1 + 6.0, y - 4.0),
        Anchor::Start,
        "target",
    );
    frame::text(
        s,
        "target-label",
        (p.x1 + 6.0, y + 4.0 + 0.8 * FONT),
        Anchor::Start,
        &t.shown,
    );
}

/// The series: a line through the points and a dot at each.
fn series(s: &mut String, xy: &[(f64, f64)]) {
    let path: Vec<String> = xy.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
    let _ = write!(
        s,
        r#"<polyline class="series" points="{}"/>"#,
        path.join(" ")
    );
    for (x, y) in xy {
        let _ = write!(
            s,
            r#"<circle class="point" cx="{x:.1}" cy="{y:.1}" r="4"/>"#
        );
    }
}

/// Values by their points: the last and the first before the others,
/// each where it is clear of the line and of those placed.
fn values(s: &mut String, p: &Plot, points: &[Point], xy: &[(f64, f64)], target_y: Option<f64>) {
    let mut order: Vec<usize> = (0..points.len()).collect();
    if let Some(last) = order.pop() {
        order.insert(0, last);
    }
    let mut taken: Vec<Rect> = Vec::new();
    let mut placed: Vec<(usize, f64)> = Vec::new();
    for i in order {
        let ((x, y), pt) = (xy[i], &points[i]);
        if let Some(base) =
            label::beside_point(&pt.shown, (x, y), target_y, (p.top, p.bottom), &taken)
        {
            taken.push(label::text_box(&pt.shown, x, base, Anchor::Middle, FONT));
            placed.push((i, base));
        }
    }
    placed.sort_by_key(|(i, _)| *i);
    for (i, base) in placed {
        frame::text(
            s,
            "value",
            (xy[i].0, base),
            Anchor::Middle,
            &points[i].shown,
        );
    }
}
