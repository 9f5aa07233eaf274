//! SVG pictures generated at build time — the curriculum timeline and every
//! results chart (bars, series), in this one module. Plain inline SVG, no
//! scripts, coloured by the theme's stylesheet (so dark mode and print
//! follow it). A chart is `role="img"` with a title and a description, its
//! axes and values labelled, a target as a line; pages show its data as a
//! table too. The timeline, whose blocks link to sessions, is a
//! `role="group"` (`role="img"` would hide the links from assistive
//! technology while keeping them focusable: axe "nested-interactive").

use std::fmt::Write;

use crate::graph::{Program, Session};
use crate::model::SessionKind;

use super::format::{plural, xml_escape};
use super::links::Links;

/// CSS class of a session kind (colours live in the theme's stylesheet).
fn kind_class(k: SessionKind) -> &'static str {
    k.as_str()
}

/// Weeks across, one row per session kind; each session a linked block.
pub fn timeline(p: &Program, links: &Links) -> String {
    let weeks = p
        .sessions
        .iter()
        .filter_map(|s| s.week.or_else(|| week_of(p, s.date)))
        .max()
        .unwrap_or(1)
        .max(1);
    let kinds: Vec<SessionKind> = SessionKind::ALL
        .iter()
        .copied()
        .filter(|k| p.sessions.iter().any(|s| s.kind == *k))
        .collect();
    let (left, top, col, row) = (150u32, 28u32, 44u32, 34u32);
    let width = left + col * weeks + 10;
    let height = top + row * kinds.len().max(1) as u32 + 10;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="timeline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="group" aria-labelledby="timeline-title"><title id="timeline-title">Program timeline: {} over {}, by kind</title>"#,
        plural(p.sessions.len(), "session", "sessions"),
        plural(weeks as usize, "week", "weeks")
    );
    for w in 1..=weeks {
        let x = left + col * (w - 1);
        let _ = write!(
            s,
            r#"<text class="tl-week" x="{}" y="18" text-anchor="middle">W{w}</text><line class="tl-grid" x1="{x}" y1="{top}" x2="{x}" y2="{}"/>"#,
            x + col / 2,
            height - 10
        );
    }
    for (r, k) in kinds.iter().enumerate() {
        let y = top + row * r as u32;
        let _ = write!(
            s,
            r#"<text class="tl-kind" x="{}" y="{}" text-anchor="end">{}</text>"#,
            left - 8,
            y + row / 2 + 4,
            xml_escape(k.label())
        );
        // Stack sessions of the same week and kind side by side.
        let mut used: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
        for (i, sess) in p.each::<Session>().filter(|(_, s)| s.kind == *k) {
            let Some(w) = sess.week.or_else(|| week_of(p, sess.date)) else {
                continue;
            };
            let n = used.entry(w).or_insert(0);
            let x = left + col * (w.clamp(1, weeks) - 1) + 4 + *n * 8;
            *n += 1;
            let l = links.get(i);
            let _ = write!(
                s,
                r#"<a href="{}"><rect class="tl-session {}" x="{x}" y="{}" width="{}" height="{}" rx="4"><title>{} (week {w})</title></rect></a>"#,
                xml_escape(&l.url),
                kind_class(*k),
                y + 6,
                (col - 8).saturating_sub(*n * 8 - 8).max(8),
                row - 12,
                xml_escape(&l.title),
            );
        }
    }
    s.push_str("</svg>");
    s
}

fn week_of(p: &Program, date: Option<chrono::NaiveDate>) -> Option<u32> {
    let (start, d) = (p.start?, date?);
    let days = d.signed_duration_since(start).num_days();
    (days >= 0).then(|| (days / 7) as u32 + 1)
}

/// A chart's words: an id (unique on its page) for `aria-labelledby`,
/// the title, and a description of what it shows.
pub struct Caption<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

/// One bar: its label under the axis, value, and the value as written.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
}

/// A horizontal target line across a chart.
pub struct TargetLine {
    pub value: f64,
    pub shown: String,
}

/// The opening of an accessible chart: `role="img"` with its title and
/// description (the data is also a table beside it on every page).
fn open(s: &mut String, c: &Caption, width: u32, height: u32) {
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        xml_escape(c.title),
        xml_escape(c.desc),
        id = c.id,
    );
}

const LEFT: u32 = 44;
const TOP: u32 = 16;
const PLOT_H: u32 = 150;
const BOTTOM: u32 = 28;

/// The y axis from `lo` to `hi` with `ticks` labelled steps.
fn y_axis(
    s: &mut String,
    plot_end: u32,
    lo: f64,
    hi: f64,
    ticks: u32,
    label: &dyn Fn(f64) -> String,
) {
    for k in 0..=ticks {
        let v = lo + (hi - lo) * f64::from(k) / f64::from(ticks);
        let y = y_of(v, lo, hi);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{LEFT}" y1="{y:.1}" x2="{plot_end}" y2="{y:.1}"/><text class="axis" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            LEFT - 6,
            y + 4.0,
            xml_escape(&label(v))
        );
    }
    let _ = write!(
        s,
        r#"<line class="axis-line" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{}"/>"#,
        TOP + PLOT_H
    );
}

fn y_of(v: f64, lo: f64, hi: f64) -> f64 {
    let f = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
    f64::from(TOP) + f64::from(PLOT_H) * (1.0 - f)
}

/// Room right of the plot for the target's label.
const LABEL_W: u32 = 84;

/// The target as a dashed line across the plot (which ends at `plot_end`),
/// labelled to its right.
fn target_line(s: &mut String, plot_end: u32, t: &TargetLine, lo: f64, hi: f64) {
    let y = y_of(t.value, lo, hi);
    let _ = write!(
        s,
        r#"<line class="target-line" x1="{LEFT}" y1="{y:.1}" x2="{plot_end}" y2="{y:.1}"/><text class="target-label" x="{}" y="{:.1}">target {}</text>"#,
        plot_end + 4,
        y + 4.0,
        xml_escape(&t.shown)
    );
}

/// Bars from `lo` to `hi`, each labelled with its value, with an optional
/// target line.
pub fn bar_chart(
    c: &Caption,
    bars: &[Bar],
    (lo, hi): (f64, f64),
    target: Option<&TargetLine>,
    axis: &dyn Fn(f64) -> String,
) -> String {
    let (bw, gap) = (30u32, 10u32);
    let plot_end = LEFT + (bw + gap) * bars.len() as u32 + gap;
    let width = plot_end + if target.is_some() { LABEL_W } else { 8 };
    let height = TOP + PLOT_H + BOTTOM;
    let mut s = String::new();
    open(&mut s, c, width, height);
    y_axis(&mut s, plot_end, lo, hi, 4, axis);
    for (n, b) in bars.iter().enumerate() {
        let x = LEFT + gap + (bw + gap) * n as u32;
        let y = y_of(b.value, lo, hi);
        let h = f64::from(TOP + PLOT_H) - y;
        let _ = write!(
            s,
            r#"<rect class="bar" x="{x}" y="{y:.1}" width="{bw}" height="{h:.1}"/><text class="value" x="{}" y="{:.1}" text-anchor="middle">{}</text><text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>"#,
            x + bw / 2,
            (y - 3.0).max(10.0),
            xml_escape(&b.shown),
            x + bw / 2,
            TOP + PLOT_H + 16,
            xml_escape(&b.label),
        );
    }
    if let Some(t) = target {
        target_line(&mut s, plot_end, t, lo, hi);
    }
    s.push_str("</svg>");
    s
}

/// A line through `points` (label under the axis, value, value as written),
/// scaled to include the target, with an optional target line.
pub fn line_chart(c: &Caption, points: &[Bar], target: Option<&TargetLine>) -> String {
    let step = 56u32;
    let plot_end = LEFT + step * points.len().max(1) as u32 + 8;
    let width = plot_end + if target.is_some() { LABEL_W } else { 16 };
    let height = TOP + PLOT_H + BOTTOM;
    let values = points
        .iter()
        .map(|p| p.value)
        .chain(target.map(|t| t.value));
    let (mut lo, mut hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    // Start at zero for positive data, and leave room above the top.
    if lo > 0.0 {
        lo = 0.0;
    }
    if hi <= lo {
        hi = lo + 1.0;
    }
    hi += (hi - lo) * 0.1;
    let mut s = String::new();
    open(&mut s, c, width, height);
    y_axis(&mut s, plot_end, lo, hi, 4, &|v| super::format::number(v));
    let xy: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                f64::from(LEFT + step / 2 + step * i as u32),
                y_of(p.value, lo, hi),
            )
        })
        .collect();
    let path: Vec<String> = xy.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
    let _ = write!(
        s,
        r#"<polyline class="series" points="{}"/>"#,
        path.join(" ")
    );
    for ((x, y), p) in xy.iter().zip(points) {
        let _ = write!(
            s,
            r#"<circle class="point" cx="{x:.1}" cy="{y:.1}" r="3.5"/><text class="value" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text><text class="axis" x="{x:.1}" y="{}" text-anchor="middle">{}</text>"#,
            (y - 7.0).max(10.0),
            xml_escape(&p.shown),
            TOP + PLOT_H + 16,
            xml_escape(&p.label),
        );
    }
    if let Some(t) = target {
        target_line(&mut s, plot_end, t, lo, hi);
    }
    s.push_str("</svg>");
    s
}
