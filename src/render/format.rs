//! How values read on a page: dates, durations, hours, percentages, LTEM
//! tiers and targets, counts with their noun (`1 value`, `2 values`),
//! shortened titles, plain text from HTML, and XML escaping. Pure functions, one place, so that every output shows a value
//! the same way.

use chrono::NaiveDate;

use crate::graph::Metric;
use crate::model::{MetricCategory, Source};

/// `Mon 5 Jan 2026`.
pub fn date(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// Minutes as hours: `1.5`, `2`.
pub fn hours(minutes: u32) -> String {
    let h = f64::from(minutes) / 60.0;
    if (h - h.round()).abs() < 1e-9 {
        format!("{h:.0}")
    } else {
        format!("{h:.1}")
    }
}

/// `45 min`, `2 h`, `1 h 30 min`.
pub fn duration(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// A fraction as a whole percentage: `0.856` → `86%`.
pub fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// A fraction as a percentage with one decimal: `0.8571` → `85.7%`.
pub fn percent1(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// `x` with `d` decimals.
pub fn fixed(x: f64, d: usize) -> String {
    format!("{x:.d$}")
}

/// `x` with `d` decimals and its sign: `+0.90`, `−0.25` (a real minus).
pub fn signed(x: f64, d: usize) -> String {
    let s = format!("{:.d$}", x.abs());
    if s.trim_start_matches(['0', '.']).is_empty() {
        s
    } else if x < 0.0 {
        format!("−{s}")
    } else {
        format!("+{s}")
    }
}

/// An interval: `[0.37, 1.43]` (signs only where negative).
pub fn interval(lo: f64, hi: f64, d: usize) -> String {
    let n = |x: f64| {
        let s = format!("{:.d$}", x.abs());
        if x < 0.0 && !s.trim_start_matches(['0', '.']).is_empty() {
            format!("−{s}")
        } else {
            s
        }
    };
    format!("[{}, {}]", n(lo), n(hi))
}

/// A p value as papers print it: `0.004`, `< 0.001`.
pub fn p_value(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".into()
    } else {
        format!("{p:.3}")
    }
}

/// A plain number, with at most two decimals and no trailing zeros.
pub fn number(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.replace('-', "−")
    }
}

/// Whether a metric is a rate, shown as a percentage: attendance always;
/// a metric measured elsewhere or observed when its target is a fraction
/// (feedback scores stay numbers).
pub fn is_rate(m: &Metric) -> bool {
    match m.source {
        Some(Source::Attendance) => true,
        None | Some(Source::Observations) => m
            .target
            .is_some_and(|t| t > 0.0 && t <= 1.0 && m.category != MetricCategory::Feedback),
        Some(_) => false,
    }
}

/// A metric's actual as its source gives it: a rate as a percentage, a
/// rating as a mean, a survey change with its sign.
pub fn actual(m: &Metric, a: f64) -> String {
    match m.source {
        _ if is_rate(m) => percent1(a),
        Some(Source::Ratings | Source::SurveyPost) => fixed(a, 2),
        Some(Source::SurveyChange) => signed(a, 2),
        _ => number(a),
    }
}

/// The name of an LTEM tier (Thalheimer's Learning-Transfer Evaluation
/// Model), 1–8.
pub fn tier_label(t: u8) -> Option<&'static str> {
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

/// A metric's target as written on pages: a rate as a percentage, a
/// change with its sign, anything else as written.
pub fn target(m: &Metric) -> Option<String> {
    m.target.map(|t| {
        if is_rate(m) {
            percent(t)
        } else if m.source == Some(Source::SurveyChange) {
            signed(t, 2)
        } else {
            format!("{t}")
        }
    })
}

/// A count with its noun: `1 value`, `2 values`, `0 values`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    counted(&n.to_string(), one, many)
}

/// A count as shown (`1`, `12`, `1.5`) with its noun: singular only for
/// exactly one.
pub fn counted(shown: &str, one: &str, many: &str) -> String {
    format!("{shown} {}", if shown == "1" { one } else { many })
}

/// The most characters of a name or title where it names a link, a page
/// in navigation, or the site and program on every page: 1 MB of title
/// repeated on each of a program's pages, or in each link to an entity,
/// would be most of the site.
pub const MAX_TITLE: usize = 200;

/// `s` shortened to [`MAX_TITLE`] characters.
pub fn title(s: &str) -> String {
    shorten(s, MAX_TITLE)
}

/// At most `max` characters, cut at a word and marked with `…`.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |x| x.0);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

/// The text of rendered HTML: tags dropped, the entities our markdown
/// renderer writes decoded.
pub fn strip_tags(html: &str) -> String {
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
pub fn xml_escape(s: &str) -> String {
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
    }

    #[test]
    fn percentages_are_whole() {
        assert_eq!(percent(0.8), "80%");
        assert_eq!(percent(0.856), "86%");
        assert_eq!(percent(2.0 / 3.0), "67%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.0), "0%");
    }

    #[test]
    fn targets_of_rates_are_percentages() {
        let m = |category, target| Metric {
            id: "m".into(),
            name: "M".into(),
            category,
            instrument: None,
            target,
            tier: None,
            signals: vec![],
            sessions: vec![],
            source: None,
            items: None,
            better: crate::model::Better::Higher,
        };
        assert_eq!(
            target(&m(MetricCategory::Participation, Some(0.85))).as_deref(),
            Some("85%")
        );
        assert_eq!(
            target(&m(MetricCategory::Feedback, Some(0.9))).as_deref(),
            Some("0.9")
        );
        assert_eq!(
            target(&m(MetricCategory::Outcome, Some(1.5))).as_deref(),
            Some("1.5")
        );
        assert_eq!(target(&m(MetricCategory::Outcome, None)), None);
        assert_eq!(tier_label(1), Some("Attendance"));
        assert_eq!(tier_label(8), Some("Effects of transfer"));
        assert_eq!(tier_label(9), None);
    }

    #[test]
    fn statistics_read_as_papers_print_them() {
        assert_eq!(signed(0.9, 2), "+0.90");
        assert_eq!(signed(-0.25, 2), "−0.25");
        assert_eq!(signed(-0.001, 2), "0.00");
        assert_eq!(interval(0.3721, 1.4278, 2), "[0.37, 1.43]");
        assert_eq!(interval(-1.75, 0.417, 2), "[−1.75, 0.42]");
        assert_eq!(p_value(0.003864), "0.004");
        assert_eq!(p_value(0.0000089), "< 0.001");
        assert_eq!(percent1(6.0 / 7.0), "85.7%");
        assert_eq!(number(1.5), "1.5");
        assert_eq!(number(2.0), "2");
        assert_eq!(number(-0.004), "0");
        assert_eq!(number(-3.25), "−3.25");
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
