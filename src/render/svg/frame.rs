//! What every chart shares: its words ([`Caption`]), the opening `<svg>`
//! (`role="img"` with a title and a description, a view box
//! [`super::label::WIDTH`] units wide that fills its column), text
//! and lines written with their classes, and the sentence a page shows
//! instead of a chart when there is too little data to draw.

use std::fmt::Write;

use super::super::format::{shorten, xml_escape};
use super::label::{self, Anchor, FONT, WIDTH};

/// A chart's words: an id (unique on its page) for `aria-labelledby`,
/// the title, and a description of what it shows.
pub(crate) struct Caption<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

/// The opening of an accessible chart `height` units high: `role="img"`
/// with its title and description (the data is also a table beside it on
/// every page). Its width is its column's (the stylesheet's `.chart`).
pub(super) fn open(s: &mut String, c: &Caption, class: &str, height: f64) {
    let _ = write!(
        s,
        r#"<svg class="chart {class}" viewBox="0 0 {WIDTH} {height:.0}" width="100%" font-size="{FONT}" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        xml_escape(c.title),
        xml_escape(c.desc),
        id = c.id,
    );
}

/// A text at (`x`, `y`: its baseline).
pub(super) fn text(s: &mut String, class: &str, (x, y): (f64, f64), anchor: Anchor, content: &str) {
    let _ = write!(
        s,
        r#"<text class="{class}" x="{x:.1}" y="{y:.1}" text-anchor="{}">{}</text>"#,
        anchor.as_str(),
        xml_escape(content)
    );
}

/// A value axis's tick label at (`x`, `y`), with the tick's value (in the
/// unit shown) as `data-tick`, so that a check can read the ticks.
pub(super) fn tick(s: &mut String, (x, y): (f64, f64), anchor: Anchor, value: f64, label: &str) {
    let _ = write!(
        s,
        r#"<text class="tick" x="{x:.1}" y="{y:.1}" text-anchor="{}" data-tick="{}">{}</text>"#,
        anchor.as_str(),
        super::axis::number(value, 6)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .replace('\u{2212}', "-"),
        xml_escape(label)
    );
}

/// A line from (`x1`, `y1`) to (`x2`, `y2`).
pub(super) fn line(s: &mut String, class: &str, (x1, y1): (f64, f64), (x2, y2): (f64, f64)) {
    let _ = write!(
        s,
        r#"<line class="{class}" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}"/>"#
    );
}

/// The sentence a page shows instead of a chart with too little data to
/// draw: "One measurement so far: …".
pub(crate) fn instead(sentence: &str) -> String {
    format!(r#"<p class="chart-note">{}</p>"#, xml_escape(sentence))
}

/// `text`, cut at a word with `…` until it is at most `room` wide.
pub(super) fn fit(text: &str, room: f64) -> String {
    let mut max = text.chars().count();
    let mut t = text.to_string();
    while max > 8 && label::width(&t, FONT) > room {
        max -= 3;
        t = shorten(text, max);
    }
    t
}

/// `text` in at most two lines each at most `room` wide, broken at words;
/// a second line too long is cut with `…`, keeping a closing `(unit)`.
pub(super) fn wrap(text: &str, room: f64) -> Vec<String> {
    if label::width(text, FONT) <= room {
        return vec![text.to_string()];
    }
    let words: Vec<&str> = text.split(' ').collect();
    let mut first = String::new();
    let mut k = 0;
    while k < words.len() {
        let next = if first.is_empty() {
            words[k].to_string()
        } else {
            format!("{first} {}", words[k])
        };
        if label::width(&next, FONT) > room && !first.is_empty() {
            break;
        }
        first = next;
        k += 1;
    }
    let rest = words[k..].join(" ");
    if rest.is_empty() {
        return vec![fit(&first, room)];
    }
    let second = match rest.rfind(" (").filter(|_| rest.ends_with(')')) {
        Some(i) if label::width(&rest, FONT) > room => {
            let unit = &rest[i..];
            format!("{}{unit}", fit(&rest[..i], room - label::width(unit, FONT)))
        }
        _ => fit(&rest, room),
    };
    vec![fit(&first, room), second]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_are_cut_at_a_word_to_fit() {
        let long =
            "Share of participants applying at least three mapped actions at the 90-day follow-up";
        let t = fit(long, WIDTH - 8.0);
        assert!(
            t.ends_with('…') && label::width(&t, FONT) <= WIDTH - 8.0,
            "{t}"
        );
        assert!(t.len() > 40, "{t}");
        assert_eq!(fit("Delegation", 100.0), "Delegation");
    }

    #[test]
    fn long_axis_titles_take_two_lines_and_keep_their_unit() {
        assert_eq!(
            wrap("Escalations per project", WIDTH),
            ["Escalations per project"]
        );
        let long = "Share of participants applying at least three mapped actions at the 90-day follow-up (%)";
        let lines = wrap(long, WIDTH - 8.0);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines.iter().all(|l| label::width(l, FONT) <= WIDTH - 8.0),
            "{lines:?}"
        );
        assert!(lines[1].ends_with("(%)"), "{lines:?}");
        let longer = format!(
            "{} {}",
            long.trim_end_matches(" (%)"),
            "and again, at the 180-day follow-up, by the manager (%)"
        );
        let lines = wrap(&longer, WIDTH - 8.0);
        assert!(lines[1].ends_with("… (%)"), "{lines:?}");
    }
}
