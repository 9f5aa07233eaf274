//! How values read on a page: dates, durations, hours, LTEM tiers, counts
//! with their noun (`1 value`, `2 values`), shortened titles, plain text
//! from HTML, and XML escaping; numbers —
//! rounding, signs, percentages, p values, a metric's actual beside its
//! target — are [`mod@number`]'s. Pure functions, one place, so that every
//! output shows a value the same way.

pub(crate) mod number;

pub(crate) use number::*;

use chrono::NaiveDate;

/// `Mon 5 Jan 2026`.
pub(crate) fn date(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// Minutes as hours, with at most one decimal: `1.5`, `2`, `0.3` (15
/// minutes: rounded half up).
pub(crate) fn hours(minutes: u32) -> String {
    let h = crate::evidence::exact::ratio(minutes, 60).unwrap_or_default();
    trimmed(h, 1)
}

/// `45 min`, `2 h`, `1 h 30 min`.
pub(crate) fn duration(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// The name of an LTEM tier (Thalheimer's Learning-Transfer Evaluation
/// Model), 1–8.
pub(crate) fn tier_label(t: u8) -> Option<&'static str> {
    Some(match t {
        1 => "Attendance",
        2 => "Activity",
        3 => "Learner perceptions",
        4 => "Knowledge",
        5 => "Decision-making competence",
        6 => "Task competence",
        7 => "Transfer",
        8 => "Effects of transfer",
        _ => return None,
    })
}

/// A count with its noun: `1 value`, `2 values`, `0 values`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    counted(&n.to_string(), one, many)
}

/// A count as shown (`1`, `12`, `1.5`) with its noun: singular only for
/// exactly one.
pub(crate) fn counted(shown: &str, one: &str, many: &str) -> String {
    format!("{shown} {}", if shown == "1" { one } else { many })
}

/// The most characters of a name or title where it names a link, a page
/// in navigation, or the site and program on every page: 1 MB of title
/// repeated on each of a program's pages, or in each link to an entity,
/// would be most of the site.
pub(crate) const MAX_TITLE: usize = 200;

/// `s` shortened to [`MAX_TITLE`] characters.
pub(crate) fn title(s: &str) -> String {
    shorten(s, MAX_TITLE)
}

/// At most `max` characters, cut at a word and marked with `…`.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |x| x.0);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

/// The text of rendered HTML: tags dropped, the entities our markdown
/// renderer writes decoded.
pub(crate) fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// Escape text for XML and HTML.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_durations_and_hours() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        assert_eq!(date(d), "Mon 5 Jan 2026");
        assert_eq!(duration(45), "45 min");
        assert_eq!(duration(120), "2 h");
        assert_eq!(duration(90), "1 h 30 min");
        assert_eq!(hours(90), "1.5");
        assert_eq!(hours(120), "2");
        assert_eq!(hours(0), "0");
        assert_eq!(hours(100), "1.7");
        assert_eq!(hours(15), "0.3");
    }

    #[test]
    fn counts_take_the_singular_only_for_one() {
        assert_eq!(plural(1, "value", "values"), "1 value");
        assert_eq!(plural(0, "value", "values"), "0 values");
        assert_eq!(plural(11, "competency", "competencies"), "11 competencies");
        assert_eq!(counted("1.5", "hour", "hours"), "1.5 hours");
        assert_eq!(counted("1", "hour", "hours"), "1 hour");
    }

    #[test]
    fn shorten_cuts_at_a_word() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("one two three four", 10), "one two…");
        assert_eq!(shorten("one, two, three", 9), "one…");
        assert_eq!(shorten("ééééé ééééé", 7), "ééééé…");
        assert_eq!(tier_label(1), Some("Attendance"));
        assert_eq!(tier_label(8), Some("Effects of transfer"));
        assert_eq!(tier_label(9), None);
    }

    #[test]
    fn tags_are_stripped_and_entities_decoded() {
        assert_eq!(
            strip_tags("<p>A &amp; <em>B</em> &lt;c&gt; &quot;d&quot; &#39;e&#39;</p>"),
            "A & B <c> \"d\" 'e'"
        );
        assert_eq!(
            xml_escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
