//! Figures built from exact decimals wherever a page or a chart writes
//! them: the issue's Wilcoxon case end to end, chart labels that never
//! read as the other side of the target line, tick labels and shares
//! written as every page writes numbers (one minus sign, never a negative
//! zero, half up from the decimal), the ratings trend on the curriculum's
//! session numbers in both editions, the answers' counts in program.json,
//! and the impact report's largest changes with their range.
//!
//! Reference values: SciPy 1.17.1 (`scipy.stats.wilcoxon`) and Python's
//! `decimal` (`quantize(…, ROUND_HALF_UP)`), as named in each test.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::build::{decode_entities, Site, METRICS_YAML};

const METRICS: &str = "content/demo/alignment/metrics.yaml";

fn page(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn built(site: &Site, name: &str, extra: &[&str]) -> PathBuf {
    let out = site.scratch(name);
    site.build(&out, extra).assert_code(0);
    out
}

/// `metrics.yaml` of the fixture with `more` metrics added.
fn with_metrics(site: &Site, more: &str) {
    site.write(
        METRICS,
        &METRICS_YAML.replace("instruments:\n", &format!("{more}instruments:\n")),
    );
}

/// A survey.csv of one item: pre and post scores of participants P-0, P-1…
fn survey(item: &str, pre: &str, post: &str) -> String {
    let mut csv = String::from("participant,phase,item,score\n");
    for (i, (a, b)) in pre.split(' ').zip(post.split(' ')).enumerate() {
        csv.push_str(&format!("P-{i},pre,{item},{a}\nP-{i},post,{item},{b}\n"));
    }
    csv
}

/// The text of every `<text>` of every chart of `html`.
fn chart_texts(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for svg in html.split("<svg").skip(1) {
        let svg = svg.split("</svg>").next().unwrap_or("");
        for t in svg.split("<text").skip(1) {
            let body = t.split_once('>').map_or("", |x| x.1);
            let body = body.split("</text>").next().unwrap_or("");
            out.push(decode_entities(body));
        }
    }
    out
}

/// Twelve participants whose changes are five of exactly 0.6 (made from
/// scores whose f64 differences are 0.5999999999999996 and
/// 0.6000000000000001), 0.1, −0.2, −0.6, 0.4, 0.1, 0.5 and −0.1. SciPy
/// 1.17.1: `wilcoxon([0.6]*5 + [0.1, -0.2, -0.6, 0.4, 0.1, 0.5, -0.1])`
/// = 0.06787109375 (the exact conditional p, by its permutation method);
/// `wilcoxon(post, pre)` on the float64 scores = 0.09228515625, the figure
/// binary changes gave.
#[test]
fn the_issues_wilcoxon_case_ties_its_decimal_changes() {
    let site = Site::new();
    site.write(
        "content/demo/results/survey.csv",
        &survey(
            "delegation",
            "4.0 3.7 3.7 1.7 2.0 1.7 4.9 4.0 2.4 1.0 4.1 2.4",
            "4.6 4.3 4.3 2.3 2.6 1.8 4.7 3.4 2.8 1.1 4.6 2.3",
        ),
    );
    let out = built(&site, "out", &[]);
    let results = page(&out, "demo/results/index.html");
    assert!(results.contains("0.068 (12)"), "{results}");
    assert!(!results.contains("0.092"), "{results}");
    let json: serde_json::Value = serde_json::from_str(&page(&out, "demo/program.json")).unwrap();
    let t = &json["results"]["survey"][0]["tests"];
    assert_eq!(t["p_wilcoxon"].as_f64(), Some(0.06787109375));
    assert_eq!(t["nonzero"].as_u64(), Some(12));
    assert_eq!(t["wilcoxon_method"], "exact");
}

/// The impact report's largest changes say their range once when they
/// share it, in the heading, and on each row when they do not.
#[test]
fn the_largest_changes_say_their_shared_range_once() {
    let site = Site::new();
    let mut csv = survey("delegation", "1 2 2 3 3", "2 3 4 3 5");
    csv.push_str(&survey("feedback", "2 2 3 3 4", "3 4 3 5 4").replacen(
        "participant,phase,item,score\n",
        "",
        1,
    ));
    site.write("content/demo/results/survey.csv", &csv);
    let out = built(&site, "shared", &[]);
    let impact = page(&out, "demo/impact/index.html");
    assert!(
        impact.contains(
            "Largest changes, before and after <span class=\"meta\">(on 1–5)</span></h2>"
        ),
        "{impact}"
    );
    let table = crate::common::build::between(&impact, "Largest changes", "</table>");
    assert_eq!(table.matches("on 1–5").count(), 1, "{table}");

    csv.push_str("P-0,pre,slider,20\nP-0,post,slider,70\nP-1,pre,slider,40\nP-1,post,slider,45\nP-2,pre,slider,30\nP-2,post,slider,90\n");
    site.write("content/demo/results/survey.csv", &csv);
    let out = built(&site, "mixed", &[]);
    let impact = page(&out, "demo/impact/index.html");
    let table = crate::common::build::between(&impact, "Largest changes", "</table>");
    assert!(table.contains("before and after</h2>"), "{table}");
    assert!(
        table.contains("no range declared (scores from 20 to 90)"),
        "{table}"
    );
    assert_eq!(table.matches("on 1–5").count(), 2, "{table}");
}

/// Attendance 46 of 55 (83.6%) and 21 of 25 (84%) against a target of
/// 84%: a whole-percent label would write both as `84%`. A session mean of
/// exactly 3.125 (seven 3s and a 4) against 3.125 is met: `3.1` would read
/// below the line. An observed 84.499% misses 84.5%: its table row is not
/// `84.5%`.
#[test]
fn chart_labels_and_points_never_read_as_the_other_side_of_the_target() {
    let site = Site::new();
    with_metrics(
        &site,
        "  - id: present
    name: Attendance rate
    category: participation
    instrument: attendance-log
    target: 0.84
    source: attendance
    signals: [teams-take-ownership]
  - id: rating
    name: Rating
    category: feedback
    instrument: attendance-log
    target: 3.125
    source: ratings
    signals: [feedback-given]
  - id: handover
    name: Handover rate
    category: application
    instrument: attendance-log
    target: 0.845
    source: observations
    signals: [teams-take-ownership]
",
    );
    let mut attendance = String::from("session,participant,present\n");
    for (s, present, total) in [("01-intro", 46, 55), ("02-feedback", 21, 25)] {
        for p in 0..total {
            attendance.push_str(&format!("{s},P-{p},{}\n", u8::from(p < present)));
        }
    }
    site.write("content/demo/results/attendance.csv", &attendance);
    let mut ratings = String::from("session,participant,rating\n");
    for p in 0..8 {
        ratings.push_str(&format!("01-intro,R-{p},{}\n", if p < 7 { 3 } else { 4 }));
        ratings.push_str(&format!("02-feedback,R-{p},4\n"));
    }
    site.write("content/demo/results/ratings.csv", &ratings);
    site.write(
        "content/demo/results/observations.csv",
        "metric,date,value\nhandover,2026-01-05,0.5\nhandover,2026-03-02,0.84499\n",
    );
    let out = built(&site, "out", &[]);
    let results = page(&out, "demo/results/index.html");
    let texts = chart_texts(&results);
    for want in ["83.6%", "84%", "3.13", "4.0", "target 84%", "target 3.125"] {
        assert!(
            texts.iter().any(|t| t == want),
            "no label {want}: {texts:?}"
        );
    }
    assert!(!texts.iter().any(|t| t == "3.1"), "{texts:?}");
    let metric = page(&out, "demo/metrics/handover/index.html");
    assert!(metric.contains("\"Value\">84.499%<"), "{metric}");
    assert!(!metric.contains("\"Value\">84.5%<"), "{metric}");
}

/// Every number a chart writes — ticks, value labels, the legend, shares —
/// has the one minus sign and is never a negative zero; shares are the
/// exact ratio half up: 5 of 8 is 62.5%, `63%` (Python:
/// `(Decimal(5) / 8 * 100).quantize(Decimal(1), ROUND_HALF_UP)`), where
/// the f64 formatted half-even gave `62%`.
#[test]
fn chart_numbers_are_written_as_pages_write_numbers() {
    let site = Site::new();
    with_metrics(
        &site,
        "  - id: drift
    name: Drift
    category: outcome
    instrument: attendance-log
    source: observations
    signals: [teams-take-ownership]
",
    );
    site.write(
        "content/demo/results/observations.csv",
        "metric,date,value\ndrift,2026-01-05,-0.004\ndrift,2026-02-02,-1.25\ndrift,2026-03-02,0.5\n",
    );
    site.write(
        "content/demo/results/survey.csv",
        &survey("delegation", "1 2 2 2 2 2 4 4", "2 3 3 4 4 4 5 5"),
    );
    let out = built(&site, "out", &[]);
    let results = page(&out, "demo/results/index.html");
    let texts = chart_texts(&results);
    assert!(!texts.is_empty());
    for t in &texts {
        assert!(
            !t.contains('-') || !t.chars().any(|c| c.is_ascii_digit()) || t.contains(" – "),
            "an ASCII minus in a chart: {t:?} of {texts:?}"
        );
        let negative_zero = t.split('−').skip(1).any(|rest| {
            let num: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            !num.is_empty() && num.chars().all(|c| c == '0' || c == '.')
        });
        assert!(!negative_zero, "a negative zero in a chart: {t:?}");
    }
    assert!(texts.iter().any(|t| t == "−1.25"), "{texts:?}");
    assert!(
        texts.iter().any(|t| t == "0"),
        "−0.004 is written 0: {texts:?}"
    );
    // Five participants of eight answered 2 before: 63%, in the chart and
    // in its table; one of eight answered 1: 13%.
    assert!(texts.iter().any(|t| t == "63%"), "{texts:?}");
    assert!(results.contains("5 (63%)"), "{results}");
    assert!(results.contains("1 (13%)"), "{results}");
    assert!(!results.contains("(62%)") && !results.contains("(12%)"));
}

/// Sessions 1 and 3 of the curriculum are rated 3.0 and 4.0; session 2 is
/// for facilitators only, so the participant edition leaves it out. The
/// trend is +0.50 per session in both editions: the sessions keep their
/// numbers (index + 1 in the participant edition gave +1.00).
#[test]
fn the_trend_is_per_session_of_the_curriculum_in_both_editions() {
    let site = Site::new();
    let config = fs::read_to_string(site.root().join("playbook.yaml")).unwrap();
    site.write(
        "playbook.yaml",
        &format!("{config}participant:\n  results: true\n"),
    );
    site.write(
        "content/demo/sessions/01b-briefing.md",
        "---\ntitle: Briefing\nkind: workshop\naudience: facilitator\nweek: 1\ncompetencies: [delegation]\nactions: [delegate-outcomes]\n---\n## Run sheet\n",
    );
    let mut ratings = String::from("session,participant,rating\n");
    for p in 0..4 {
        ratings.push_str(&format!("01-intro,R-{p},3\n02-feedback,R-{p},4\n"));
    }
    site.write("content/demo/results/ratings.csv", &ratings);
    for (name, extra) in [
        ("facilitator", &[][..]),
        ("participant", &["--edition", "participant"][..]),
    ] {
        let out = built(&site, name, extra);
        let results = page(&out, "demo/results/index.html");
        assert!(
            results.contains("+0.50 per session, over 2 rated sessions"),
            "{name}: {results}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&page(&out, "demo/program.json")).unwrap();
        assert_eq!(
            json["results"]["ratings_summary"]["trend"]["slope"].as_f64(),
            Some(0.5),
            "{name}"
        );
    }
}

/// The answers' table is in program.json as counts: the item's range and
/// how many gave each point, before and after; an item off a short scale
/// has none.
#[test]
fn program_json_holds_the_answers_counts() {
    let site = Site::new();
    let mut csv = survey("delegation", "1 2 2 3", "2 3 3 5");
    csv.push_str("P-0,pre,slider,20\nP-0,post,slider,70\n");
    site.write("content/demo/results/survey.csv", &csv);
    let out = built(&site, "out", &[]);
    let json: serde_json::Value = serde_json::from_str(&page(&out, "demo/program.json")).unwrap();
    let item = |name: &str| {
        json["results"]["survey"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["item"] == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    assert_eq!(
        item("delegation")["answers"],
        serde_json::json!({"range": [1, 5], "pre": [1, 2, 1, 0, 0], "post": [0, 1, 2, 0, 1]})
    );
    assert_eq!(item("slider")["answers"], serde_json::Value::Null);
}
