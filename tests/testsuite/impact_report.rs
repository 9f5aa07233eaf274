//! The impact report answers "was it worth it?" before any table: the
//! evaluation question, a verdict and one sentence from the data, the
//! headline outcome's chart, the date of the latest result, a print
//! button that only scripts reveal; statistics words in a methods note,
//! plain words in the body. And the results page says when a metric counts
//! only some of the sessions whose figure stands beside it.

use std::fs;
use std::path::Path;

use crate::common::build::{build_example, Site};
use crate::common::TempTree;

fn page(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The part of a page before its first table.
fn before_tables(html: &str) -> &str {
    &html[..html.find("<table").unwrap_or(html.len())]
}

#[test]
fn the_example_s_impact_report_answers_before_any_table() {
    let t = TempTree::new(Some("impact"));
    let out = t.scratch("out");
    build_example(&out, &[]).assert_code(0);
    let html = page(&out, "leadership-accelerator/impact/index.html");
    let top = before_tables(&html);
    // The question, then the verdict and its sentence from the data.
    assert!(
        top.contains("class=\"question\">Are Brightline's managers and producers running client projects on their own"),
        "{top}"
    );
    assert!(
        top.contains("<p class=\"verdict\"><strong>Largely yes:</strong> of its 6 success signals, 2 are met and 4 partly met; executive escalations per client project fell from 3.2 on 9 Jan 2026 to 1.4 on 5 Jun 2026 (target 1.5 or lower: met); 2 of 3 drivers in place.</p>"),
        "{top}"
    );
    // The headline's chart, and why it is the headline.
    assert!(
        top.contains("<svg class=\"chart"),
        "no chart before the tables"
    );
    assert!(top.contains(
        "Executive escalations per client project</a>, the program&#39;s first outcome metric"
    ));
    // The latest result's date (the 90-day follow-up), never the build's.
    assert!(
        top.contains("data as of <time datetime=\"2026-07-01\">Wed 1 Jul 2026</time>"),
        "{top}"
    );
    // A print button that only the script shows.
    assert!(top.contains(
        "<button type=\"button\" class=\"print-button\" data-print hidden>Print or save as PDF</button>"
    ));
    let js = page(&out, "search.js");
    assert!(js.contains("button[data-print]") && js.contains("window.print()"));
    let css = page(&out, "style.css");
    let print = &css[css
        .find("@media print {\n  :root")
        .expect("the print block")..];
    assert!(print.contains(".print-button { display: none; }"));
}

#[test]
fn statistics_words_stay_in_the_methods_note_and_the_body_speaks_plainly() {
    let t = TempTree::new(Some("impact"));
    let out = t.scratch("out");
    build_example(&out, &[]).assert_code(0);
    let html = page(&out, "leadership-accelerator/impact/index.html");
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    let methods_at = main
        .find("<section class=\"methods\"")
        .expect("a methods note");
    let (body, methods) = main.split_at(methods_at);
    for word in [
        "d<sub>z</sub>",
        "g<sub>z</sub>",
        "noncentral",
        "Wilcoxon",
        "Holm",
        "p =",
    ] {
        assert!(!body.contains(word), "{word:?} in the report's body");
    }
    assert!(methods.contains("noncentral t") && methods.contains("Wilcoxon"));
    // "a large, reliable improvement (5 people)" and the like.
    assert!(
        body.contains(", reliable improvement (") && body.contains(" people)</td>"),
        "{body}"
    );
}

/// The build fixture with ratings of two sessions, and a ratings metric
/// that only the first session lists.
fn rated_site() -> Site {
    let site = Site::new();
    site.edit(
        "content/demo/alignment/metrics.yaml",
        "instruments:\n",
        "  - id: rating\n    name: Mean workshop rating\n    category: feedback\n    instrument: attendance-log\n    target: 4.2\n    tier: 3\n    source: ratings\n    signals: [feedback-given]\ninstruments:\n",
    );
    site.edit(
        "content/demo/sessions/01-intro.md",
        "metrics: [attendance]\n",
        "metrics: [attendance, rating]\n",
    );
    let mut csv = String::from("session,participant,rating\n");
    for (s, rs) in [("01-intro", [4, 4, 4, 4]), ("02-feedback", [5, 5, 5, 5])] {
        for (p, r) in rs.iter().enumerate() {
            csv.push_str(&format!("{s},P-{p},{r}\n"));
        }
    }
    site.write("content/demo/results/ratings.csv", &csv);
    site
}

#[test]
fn the_results_page_says_when_a_metric_counts_only_some_sessions() {
    let site = rated_site();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let html = page(&out, "demo/results/index.html");
    // The figure of all sessions, and the metric's own, which differ.
    assert!(html.contains("<dt>Mean rating</dt><dd>4.50"), "{html}");
    assert!(
        html.contains("<dt>Mean workshop rating</dt><dd>4.00 against target 4.2: "),
        "{html}"
    );
    assert!(html.contains("(counts only the 1 of 2 rated sessions that list it)"));
}

#[test]
fn without_an_outcome_metric_the_highest_tier_measured_is_the_headline() {
    let site = rated_site();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let html = page(&out, "demo/impact/index.html");
    let top = before_tables(&html);
    assert!(
        top.contains("mean workshop rating is 4.00 (target 4.2 or higher: not met)"),
        "{top}"
    );
    assert!(top.contains("the measured metric of the highest LTEM tier"));
    // The date of the last rated session (week 2 from the start).
    assert!(
        top.contains("data as of <time datetime=\"2026-01-12\">"),
        "{top}"
    );
}

#[test]
fn with_no_results_it_is_too_early_to_tell() {
    let site = Site::new();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let html = page(&out, "demo/impact/index.html");
    let top = before_tables(&html);
    assert!(
        top.contains(
            "<strong>Too early to tell:</strong> of its 2 success signals, 2 are without data yet."
        ),
        "{top}"
    );
}

#[test]
fn the_n_column_says_what_it_counts() {
    let t = TempTree::new(Some("impact"));
    let out = t.scratch("out");
    build_example(&out, &[]).assert_code(0);
    for rel in [
        "leadership-accelerator/impact/index.html",
        "leadership-accelerator/results/index.html",
        "leadership-accelerator/metrics/index.html",
        "leadership-accelerator/signals/sessions-valued/index.html",
    ] {
        let html = page(&out, rel);
        assert!(
            !html.contains(">n</th>") && !html.contains("n = "),
            "{rel}: a bare n"
        );
    }
    let impact = page(&out, "leadership-accelerator/impact/index.html");
    for counted in [
        " places</td>",
        " ratings</td>",
        " answers</td>",
        "1 value on the latest date</td>",
    ] {
        assert!(impact.contains(counted), "the scorecard lacks {counted:?}");
    }
    let results = page(&out, "leadership-accelerator/results/index.html");
    assert!(results.contains("<th scope=\"col\" class=\"num\">People (paired)</th>"));
    assert!(results.contains("<th scope=\"col\" class=\"num\">Ratings</th>"));
}

#[test]
fn every_signal_with_data_met_is_yes_so_far_while_others_wait() {
    let t = TempTree::new(Some("impact"));
    let out = t.scratch("out");
    build_example(&out, &[]).assert_code(0);
    let html = page(
        &out,
        "new-manager-essentials/cohorts/autumn-2026/impact/index.html",
    );
    assert!(
        html.contains("<strong>Yes so far:</strong> of its 5 success signals, 1 is met and 4 without data yet;"),
        "{}",
        before_tables(&html)
    );
}
