//! The results charts as a reader gets them, read back from built fixture
//! sites: nice ticks on every value axis, bounded scales on their own
//! range (a 1–5 rating from 1, a rate from 0 to 100%), rates in percent on
//! the axis, the target and the labels alike, no value label across the
//! target line (boxes computed from the generated SVG), a chart as wide as
//! its column, a sentence instead of a chart with too little data, and the
//! survey's answers as diverging bars with their table.

use std::fs;
use std::path::Path;

use crate::common::build::{repo_root, run, Site};
use crate::common::{copy_tree, TempTree};

const METRICS: &str = "content/demo/alignment/metrics.yaml";

/// The build fixture with attendance, ratings and observation sources; a
/// ratings target of 4 and rates whose values sit on their targets.
fn charts_site() -> Site {
    let site = Site::new();
    site.edit(
        METRICS,
        "    target: 0.8\n    tier: 1\n",
        "    target: 0.8\n    tier: 1\n    source: attendance\n",
    );
    site.edit(
        METRICS,
        "    target: 0.75\n    tier: 7\n",
        "    target: 0.75\n    tier: 7\n    source: observations\n",
    );
    site.edit(
        METRICS,
        "instruments:\n",
        "  - id: rating\n    name: Mean session rating\n    category: feedback\n    instrument: attendance-log\n    target: 4\n    tier: 3\n    source: ratings\n    signals: [feedback-given]\n  - id: escalations\n    name: Escalations per project\n    category: outcome\n    instrument: observation\n    target: 2\n    better: lower\n    source: observations\n    signals: [teams-take-ownership]\ninstruments:\n",
    );
    site
}

/// `results/attendance.csv` with `present` of ten at each session.
fn attendance(site: &Site, sessions: &[(&str, usize)]) {
    let mut csv = String::from("session,participant,present\n");
    for (s, present) in sessions {
        for p in 0..10 {
            csv.push_str(&format!("{s},P-{p},{}\n", u8::from(p < *present)));
        }
    }
    site.write("content/demo/results/attendance.csv", &csv);
}

fn ratings(site: &Site, sessions: &[(&str, &[u8])]) {
    let mut csv = String::from("session,participant,rating\n");
    for (s, rs) in sessions {
        for (p, r) in rs.iter().enumerate() {
            csv.push_str(&format!("{s},P-{p},{r}\n"));
        }
    }
    site.write("content/demo/results/ratings.csv", &csv);
}

fn built(site: &Site) -> std::path::PathBuf {
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    out
}

fn page(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

// ------------------------------------------------ reading the SVG back

/// Every chart of a page: the text of each `<svg class="chart …">`.
fn charts(html: &str) -> Vec<&str> {
    html.match_indices("<svg class=\"chart")
        .map(|(i, _)| {
            let end = html[i..].find("</svg>").expect("a closed svg") + i + 6;
            &html[i..end]
        })
        .collect()
}

/// The value of attribute `name` in the tag starting `tag`.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let head = &tag[..tag.find('>').unwrap_or(tag.len())];
    let at = head.find(&format!(" {name}=\""))? + name.len() + 3;
    head[at..].split('"').next()
}

fn num(tag: &str, name: &str) -> f64 {
    attr(tag, name)
        .unwrap_or_else(|| panic!("no {name} in {tag}"))
        .parse()
        .unwrap()
}

/// The tags that start with `open` (`<text class="value`), each with the
/// text it holds.
fn tags<'a>(svg: &'a str, open: &str) -> Vec<(&'a str, &'a str)> {
    svg.match_indices(open)
        .map(|(i, _)| {
            let tag = &svg[i..];
            let gt = tag.find('>').unwrap();
            let content = tag[gt + 1..].split('<').next().unwrap();
            (tag, content)
        })
        .collect()
}

/// The value axis's ticks (`data-tick`), in order.
fn ticks(svg: &str) -> Vec<f64> {
    let mut t: Vec<f64> = tags(svg, "<text class=\"tick\"")
        .iter()
        .map(|(tag, _)| num(tag, "data-tick"))
        .collect();
    t.sort_by(f64::total_cmp);
    t
}

fn tick_labels(svg: &str) -> Vec<String> {
    tags(svg, "<text class=\"tick\"")
        .iter()
        .map(|(_, t)| t.to_string())
        .collect()
}

/// Whether `step` is 1, 2, 2.5 or 5 × 10ⁿ.
fn nice(step: f64) -> bool {
    let e = step.log10().floor();
    let m = step / 10f64.powf(e);
    [1.0, 2.0, 2.5, 5.0].iter().any(|n| (m - n).abs() < 1e-6)
}

/// A label's box, generously: 0.75 em a character (DejaVu Sans Bold's
/// digits are 0.70 em, `%` 1 em), from 0.8 em above the baseline to 0.25
/// em below.
fn label_box(tag: &str, text: &str) -> (f64, f64, f64, f64) {
    let size = 13.0;
    let w: f64 = text
        .chars()
        .map(|c| if c == '%' { 1.0 } else { 0.75 })
        .sum::<f64>()
        * size;
    let (x, y) = (num(tag, "x"), num(tag, "y"));
    let x0 = match attr(tag, "text-anchor") {
        Some("end") => x - w,
        Some("middle") => x - w / 2.0,
        _ => x,
    };
    (x0, y - 0.8 * size, x0 + w, y + 0.25 * size)
}

/// Every value label of `svg` is clear of its target line (2 units wide).
fn assert_labels_clear_of_target(svg: &str) {
    for (line, _) in tags(svg, "<line class=\"target-line\"") {
        let (x1, y1, x2, y2) = (
            num(line, "x1"),
            num(line, "y1"),
            num(line, "x2"),
            num(line, "y2"),
        );
        let l = (
            x1.min(x2) - 1.0,
            y1.min(y2) - 1.0,
            x1.max(x2) + 1.0,
            y1.max(y2) + 1.0,
        );
        for (tag, text) in tags(svg, "<text class=\"value") {
            let b = label_box(tag, text);
            let crosses = b.0 < l.2 && l.0 < b.2 && b.1 < l.3 && l.1 < b.3;
            assert!(
                !crosses,
                "the label {text:?} ({b:?}) crosses the target line {l:?} in\n{svg}"
            );
        }
    }
}

/// Ticks evenly spaced by a nice step, each a multiple of it.
fn assert_nice_ticks(svg: &str) {
    let t = ticks(svg);
    assert!(t.len() >= 2, "fewer than two ticks in\n{svg}");
    let step = t[1] - t[0];
    assert!(nice(step), "step {step} in {t:?}");
    for w in t.windows(2) {
        assert!((w[1] - w[0] - step).abs() < 1e-6, "uneven ticks {t:?}");
    }
    for v in &t {
        let k = v / step;
        assert!((k - k.round()).abs() < 1e-6, "{v} is no multiple of {step}");
    }
}

fn chart_with<'a>(html: &'a str, title: &str) -> &'a str {
    charts(html)
        .into_iter()
        .find(|c| c.contains(title))
        .unwrap_or_else(|| panic!("no chart titled {title}"))
}

// --------------------------------------------------------------- tests

#[test]
fn every_chart_has_nice_ticks_bounded_scales_and_labels_clear_of_its_target() {
    let site = charts_site();
    // 01-intro's rate sits on the 80% target; ratings around the target 4.
    attendance(
        &site,
        &[("01-intro", 8), ("02-feedback", 7), ("03-review", 9)],
    );
    ratings(
        &site,
        &[
            ("01-intro", &[4, 4, 4, 3]),
            ("02-feedback", &[4, 4, 4, 4]),
            ("03-review", &[5, 4, 4, 4]),
        ],
    );
    site.write(
        "content/demo/results/observations.csv",
        "metric,date,value,note\nownership-rate,2026-01-05,0.74,\nownership-rate,2026-02-02,0.75,\nownership-rate,2026-03-02,0.76,\nescalations,2026-01-05,4,\nescalations,2026-02-02,2.1,\nescalations,2026-04-06,1.9,\n",
    );
    let out = built(&site);
    let results = page(&out, "demo/results/index.html");
    let all = charts(&results);
    assert_eq!(all.len(), 4, "attendance, ratings and two series");
    for svg in &all {
        assert_nice_ticks(svg);
        assert_labels_clear_of_target(svg);
        // As wide as its column: a view box, no fixed width.
        assert!(
            svg.contains(" viewBox=\"0 0 400 ") && svg.contains(" width=\"100%\""),
            "{svg}"
        );
        assert!(
            svg.contains("role=\"img\"") && svg.contains("<desc id="),
            "{svg}"
        );
    }

    // Attendance: a rate, on 0–100%, in percent on the axis, the target
    // and the labels; the sessions by their curriculum number.
    let att = chart_with(&results, "Attendance rate per session");
    assert_eq!(ticks(att), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    assert_eq!(tick_labels(att), ["0%", "20%", "40%", "60%", "80%", "100%"]);
    assert!(att.contains(">target 80%</text>"), "{att}");
    assert!(
        att.contains(">80%</text>") && att.contains(">90%</text>"),
        "{att}"
    );
    assert!(
        att.contains(">Present (% of participants)</text>"),
        "an axis title: {att}"
    );
    assert!(!att.contains(">0.8<"), "{att}");

    // Ratings: the 1–5 scale from 1, not 0.
    let rat = chart_with(&results, "Mean rating per session");
    assert_eq!(ticks(rat), [1.0, 2.0, 3.0, 4.0, 5.0]);
    assert!(rat.contains(">target 4</text>"), "{rat}");
    assert!(
        rat.contains(">Mean rating (1 = lowest, 5 = highest)</text>"),
        "{rat}"
    );

    // An observed rate: 0–100%, its points and target in percent, the
    // values by date in percent too.
    let own = chart_with(
        &results,
        "Share of workstreams handed over with an agreed outcome over time",
    );
    assert_eq!(ticks(own), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    for want in [
        ">74%</text>",
        ">75%</text>",
        ">76%</text>",
        ">target</text>",
        "(%)</text>",
    ] {
        assert!(own.contains(want), "{want} in {own}");
    }
    assert!(
        results.contains("data-label=\"Value\">74.0%</td>"),
        "the table in percent"
    );
    // A plain series: fitted from zero, dates placed by date (the gap of
    // two months twice the gap of one).
    let esc = chart_with(&results, "Escalations per project over time");
    assert_eq!(ticks(esc), [0.0, 1.0, 2.0, 3.0, 4.0]);
    let xs: Vec<f64> = tags(esc, "<circle class=\"point\"")
        .iter()
        .map(|(t, _)| num(t, "cx"))
        .collect();
    let (a, b) = (xs[1] - xs[0], xs[2] - xs[1]);
    assert!((b / a - 63.0 / 28.0).abs() < 0.01, "{xs:?}");

    // The metric page draws the same series.
    let metric = page(&out, "demo/metrics/ownership-rate/index.html");
    assert_eq!(charts(&metric).len(), 1);
}

#[test]
fn too_little_data_is_a_sentence_not_a_chart() {
    let site = charts_site();
    attendance(&site, &[("02-feedback", 7)]);
    ratings(&site, &[("01-intro", &[4, 5, 3])]);
    site.write(
        "content/demo/results/observations.csv",
        "metric,date,value,note\nownership-rate,2026-04-02,0.83,\n",
    );
    let out = built(&site);
    let results = page(&out, "demo/results/index.html");
    assert!(charts(&results).is_empty(), "{results}");
    for want in [
        "<p class=\"chart-note\">One session with attendance so far: 7 of 10 present (70%).</p>",
        "<p class=\"chart-note\">One rated session so far: a mean of 4.00 from 3 ratings.</p>",
        "<p class=\"chart-note\">One measurement so far: 83.0% on Thu 2 Apr 2026 (target 75%).</p>",
    ] {
        assert!(results.contains(want), "{want} in\n{results}");
    }
    // The data stays as a table.
    assert!(
        results.contains("data-label=\"Value\">83.0%</td>"),
        "{results}"
    );
    let metric = page(&out, "demo/metrics/ownership-rate/index.html");
    assert!(metric.contains("One measurement so far: 83.0%"), "{metric}");
}

#[test]
fn survey_answers_are_diverging_bars_with_their_table() {
    let site = charts_site();
    // Seven paired participants on `delegation` (1–5), one before only;
    // `confidence` on 0–100 is not drawn.
    let pairs = [(2, 4), (3, 4), (3, 3), (1, 5), (4, 5), (2, 2), (3, 4)];
    let mut csv = String::from("participant,phase,item,score\n");
    for (i, (a, b)) in pairs.iter().enumerate() {
        csv.push_str(&format!(
            "P-{i},pre,delegation,{a}\nP-{i},post,delegation,{b}\n"
        ));
    }
    csv.push_str("P-99,pre,delegation,5\n");
    csv.push_str("P-0,pre,confidence,40\nP-0,post,confidence,70\nP-1,pre,confidence,55\nP-1,post,confidence,80\n");
    site.write("content/demo/results/survey.csv", &csv);
    let out = built(&site);
    let results = page(&out, "demo/results/index.html");

    let svg = chart_with(&results, "Answers before and after, per item (1–5)");
    assert!(svg.starts_with("<svg class=\"chart diverging\""), "{svg}");
    assert!(
        svg.contains("role=\"img\"") && svg.contains("<desc id=\"answers-1-5-desc\">"),
        "{svg}"
    );
    assert_nice_ticks(svg);
    // Left of the centre line as far as right of it: ticks symmetric.
    let t = ticks(svg);
    assert_eq!(t.first().map(|x| -x), t.last().copied(), "{t:?}");
    assert!(
        svg.contains(">Delegating effectively (7 people)</text>"),
        "{svg}"
    );
    // Five levels in the legend and hatching, not colour alone.
    assert_eq!(svg.matches("<text class=\"legend\"").count(), 5, "{svg}");
    assert!(svg.contains("url(#answers-1-5-neg)") && svg.contains("url(#answers-1-5-pos)"));
    // Shares on the segments: 3 of 7 answered 3 before, 3 of 7 answered 4 after.
    assert!(svg.contains(">43%</text>"), "{svg}");

    // The table beside it: counts and shares of the seven paired
    // participants (the one who answered before only is left out).
    let table = &results[results
        .find("<table class=\"answers reflow\">")
        .expect("the answers table")..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(
        table.contains("<tr class=\"group-row\"><th colspan=\"6\" scope=\"rowgroup\">"),
        "{table}"
    );
    let row = |when: &str| -> Vec<&str> {
        let r = &table[table
            .find(&format!("<th scope=\"row\">{when}</th>"))
            .unwrap()..];
        let r = &r[..r.find("</tr>").unwrap()];
        tags(r, "<td ").into_iter().map(|(_, t)| t).collect()
    };
    assert_eq!(
        row("Before"),
        ["1 (14%)", "2 (29%)", "3 (43%)", "1 (14%)", "0 (0%)"]
    );
    assert_eq!(
        row("After"),
        ["0 (0%)", "1 (14%)", "1 (14%)", "3 (43%)", "2 (29%)"]
    );
    assert!(table.contains("data-label=\"Answered 5\""), "{table}");
    assert!(
        results.contains("Not drawn as answers: confidence (its answers lie outside the default 1–5 and no range is declared)."),
        "{results}"
    );

    // The impact report draws the answers of its largest changes.
    let impact = page(&out, "demo/impact/index.html");
    let svg = chart_with(&impact, "Answers before and after");
    assert!(
        svg.contains(">Delegating effectively (7 people)</text>"),
        "{svg}"
    );
}

#[test]
fn the_charts_fixture_keeps_every_label_clear_and_every_tick_nice() {
    // tests/fixtures/charts: rates on their targets, means beside theirs,
    // ten dates across a year's end, a one-point series, a split group
    // (scripts/browser/charts.mjs measures the same site in Chromium).
    let t = TempTree::new(Some("site"));
    copy_tree(&repo_root().join("tests/fixtures/charts"), t.path());
    let out = t.scratch("out");
    let (site, to) = (t.path().to_str().unwrap(), out.to_str().unwrap());
    run(&["build", site, "--output", to], t.path()).assert_code(0);
    let results = page(&out, "wide/results/index.html");
    let all = charts(&results);
    assert_eq!(all.len(), 5, "attendance, ratings, answers and two series");
    for svg in &all {
        assert_nice_ticks(svg);
        assert_labels_clear_of_target(svg);
        // No two value labels meet.
        let boxes: Vec<_> = tags(svg, "<text class=\"value")
            .iter()
            .map(|(tag, text)| (text.to_string(), label_box(tag, text)))
            .collect();
        for (i, (a, x)) in boxes.iter().enumerate() {
            for (b, y) in &boxes[i + 1..] {
                let meet = x.0 < y.2 && y.0 < x.2 && x.1 < y.3 && y.1 < x.3;
                assert!(!meet, "{a:?} and {b:?} meet in\n{svg}");
            }
        }
    }
    // The dense series labels what it has room for, the last point first.
    let dense = chart_with(&results, "Manager interventions per shift over time");
    let labels = tags(dense, "<text class=\"value");
    assert!(labels.len() >= 5 && labels.len() < 10, "{dense}");
    assert_eq!(labels.last().map(|l| l.1), Some("1"), "{dense}");
    assert!(results.contains("One measurement so far: 80.0% on Tue 20 Oct 2026 (target 75%)."));
}
