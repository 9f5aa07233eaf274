//! SVG pictures generated at build time: the curriculum timeline and the
//! results charts. Plain inline SVG, no scripts; every shape that carries
//! meaning has a text alternative. A picture whose shapes link to pages is
//! a `role="group"` (`role="img"` would hide the links from assistive
//! technology while keeping them focusable: axe "nested-interactive").

use std::fmt::Write;

use crate::graph::{Ix, Program, Session};
use crate::model::SessionKind;

use super::format::xml_escape;
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
        r#"<svg class="timeline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="group" aria-labelledby="timeline-title"><title id="timeline-title">Program timeline: {} sessions over {weeks} weeks, by kind</title>"#,
        p.sessions.len()
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

/// Bars of attendance rate per session, or None without data.
pub fn attendance(p: &Program, links: &Links) -> Option<String> {
    let rows: Vec<(Ix<Session>, f64)> = p
        .results
        .attendance
        .iter()
        .map(|(&i, a)| (i, f64::from(a.present) / f64::from(a.total.max(1))))
        .collect();
    bars(
        &rows,
        links,
        "attendance-title",
        "Attendance rate per session",
        1.0,
        |v| format!("{:.0}%", v * 100.0),
    )
}

/// Bars of mean rating per session, or None without data.
pub fn ratings(p: &Program, links: &Links) -> Option<String> {
    let rows: Vec<(Ix<Session>, f64)> = p
        .results
        .ratings
        .iter()
        .filter_map(|(&i, r)| r.mean().map(|m| (i, m)))
        .collect();
    bars(
        &rows,
        links,
        "ratings-title",
        "Mean workshop rating per session (1–5)",
        5.0,
        |v| format!("{v:.2}"),
    )
}

fn bars(
    rows: &[(Ix<Session>, f64)],
    links: &Links,
    id: &str,
    title: &str,
    max: f64,
    label: impl Fn(f64) -> String,
) -> Option<String> {
    if rows.is_empty() {
        return None;
    }
    let (bw, gap, h, top, bottom) = (28u32, 8u32, 140u32, 20u32, 24u32);
    let width = (bw + gap) * rows.len() as u32 + gap;
    let height = top + h + bottom;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="group" aria-labelledby="{id}"><title id="{id}">{}</title>"#,
        xml_escape(title)
    );
    for (n, (i, v)) in rows.iter().enumerate() {
        let bh = ((v / max).clamp(0.0, 1.0) * f64::from(h)).round() as u32;
        let x = gap + (bw + gap) * n as u32;
        let y = top + h - bh;
        let l = links.get(*i);
        let _ = write!(
            s,
            r#"<a href="{}"><rect class="bar" x="{x}" y="{y}" width="{bw}" height="{bh}"><title>{}: {}</title></rect></a><text class="bar-label" x="{}" y="{}" text-anchor="middle">{}</text>"#,
            xml_escape(&l.url),
            xml_escape(&l.title),
            label(*v),
            x + bw / 2,
            top + h + 16,
            i.index() + 1
        );
    }
    s.push_str("</svg>");
    Some(s)
}
