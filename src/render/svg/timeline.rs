//! The curriculum timeline: weeks across, one row per session kind, each
//! session a block linking to its page. A `role="group"`, not `role="img"`:
//! an image role would hide the links from assistive technology while
//! keeping them focusable (axe "nested-interactive").

use std::fmt::Write;

use crate::graph::{Program, Session};
use crate::model::SessionKind;

use super::super::format::{plural, xml_escape};
use super::super::links::Links;

/// CSS class of a session kind (colours live in the theme's stylesheet).
fn kind_class(k: SessionKind) -> &'static str {
    k.as_str()
}

/// Weeks across, one row per session kind; each session a linked block.
pub(crate) fn timeline(p: &Program, links: &Links) -> String {
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
