//! The statistics of measured results, built and read back: exact decimal
//! arithmetic (ties among decimal changes, a mean of exactly 2.675),
//! rounding half up, one minus sign and no `−0.00`, an actual shown beside
//! its target at the precision that decides the status, the largest
//! changes ranked by the standardized change, each item's range and
//! direction, Hedges' g_z, Holm-adjusted p, the Wilcoxon test's n, people
//! and answers of a pooled survey metric, the ratings trend per session of
//! the curriculum, and exports whose numbers read back exactly.
//!
//! Every expected statistic was computed independently with SciPy 1.17.1
//! and statsmodels 0.15.0 on the fixture's exact changes (post − pre as
//! Python `Decimal`s, then float):
//! `ttest_1samp(d, 0)`; g_z = `gamma(df/2) / (sqrt(df/2) *
//! gamma((df-1)/2))` × d_z and × the ends of d_z's interval, which is
//! `brentq(lambda x: nct.cdf(t, df, x) - 0.975 / 0.025)` / √n; the
//! Wilcoxon p by exhaustive sign flips, `permutation_test((d,), lambda d:
//! rankdata(abs(d))[d > 0].sum(), permutation_type='samples',
//! n_resamples=inf)` (zeros dropped first); Holm by `multipletests(p,
//! method='holm')` over the six items' t-test p values. Rounding half up
//! is Python's `Decimal.quantize(…, ROUND_HALF_UP)`.

use std::fs;
use std::path::Path;

use crate::common::build::Site;

const METRICS: &str = "content/demo/alignment/metrics.yaml";

/// Survey items: (item, pre scores, post scores), participants numbered
/// from 1 in each.
const SURVEY: &[(&str, &str, &str)] = &[
    // The example: t p 0.003863897642326554, g_z 1.1146858024516908
    // [0.3379001639795677, 1.858211995885295], Wilcoxon 0.015625 (7),
    // Holm 0.023183385853959324.
    ("delegation", "3 2 4 3 2 3 3 2 4 3", "4 4 4 3 3 5 4 3 4 4"),
    // Changes 0.6 (five, whose f64 differences are not all equal), −0.6,
    // 0.2: mean 2.6/7; t p 0.0733986563543627, g_z 0.7113383946639508
    // [-0.06341626314770135, 1.4448398029201575], Wilcoxon 0.125 (7;
    // with f64 changes it would be 0.171875), Holm 0.2935946254174508.
    (
        "feedback",
        "4.5 4.0 3.1 2.3 3.6 3.0 2.0",
        "5.1 4.6 3.7 2.9 4.2 2.4 2.2",
    ),
    // Lower is better (a metric says so); five non-zero changes: t p
    // 0.004104715980053323, g_z -1.716171061619567, Wilcoxon 0.0625,
    // Holm 0.023183385853959324.
    ("stress", "4 4 3 5 4 3", "3 4 2 4 3 2"),
    // A 0–100 slider: the largest raw change (+10), a small standardized
    // one: g_z 0.5005498929723736, t p 0.11730680301423817.
    (
        "slider",
        "20 35 50 40 60 30 45 55 25 50",
        "50 25 75 45 45 70 45 75 20 60",
    ),
    // Changes 1.45, 0.45, 2.45: mean exactly 1.45 (1.4500000000000002 in
    // f64); g_z 0.8180748961442466, t p 0.12864835661604074.
    ("exact-145", "2.05 1.35 2.2", "3.5 1.8 4.65"),
    // A mean before of −0.001 (−0.00 in f64 formatting).
    ("near-zero", "-0.004 0 0.001", "0 0 0"),
];

const METRICS_YAML: &str = "\
metrics:
  - id: attendance
    name: Session attendance
    category: participation
    instrument: attendance-log
    target: 0.845
    tier: 1
    source: attendance
    signals: [teams-take-ownership]
  - id: ownership-rate
    name: Share of workstreams handed over with an agreed outcome
    category: application
    instrument: observation
    target: 0.845
    tier: 7
    source: observations
    signals: [teams-take-ownership, feedback-given]
  - id: workshop-rating
    name: Mean session rating
    category: feedback
    instrument: attendance-log
    target: 3.125
    tier: 3
    source: ratings
    signals: [feedback-given]
  - id: confidence-gain
    name: Gain in confidence
    category: knowledge
    instrument: attendance-log
    target: 0.5
    tier: 4
    source: survey-change
    items: [delegation, feedback]
    signals: [feedback-given]
  - id: stress-drop
    name: Drop in stress
    category: outcome
    instrument: attendance-log
    target: -0.5
    better: lower
    tier: 4
    source: survey-change
    items: [stress]
    signals: [teams-take-ownership]
instruments:
  - id: attendance-log
    name: Attendance log
    kind: log
    when: [each-session]
  - id: observation
    name: Manager observation
    kind: observation
    when: [follow-up]
";

/// The build fixture with the results above.
fn stats_site() -> Site {
    let site = Site::new();
    site.write(METRICS, METRICS_YAML);
    // 01: 14 of 16 present, 02: 13 of 16; pooled 27/32 = 84.375%, below
    // the target of 84.5%.
    let mut attendance = String::from("session,participant,present\n");
    for (s, present) in [("01-intro", 14), ("02-feedback", 13)] {
        for p in 0..16 {
            attendance.push_str(&format!("{s},P-{p},{}\n", u8::from(p < present)));
        }
    }
    site.write("content/demo/results/attendance.csv", &attendance);
    // Session 1: 27 threes and 13 twos, mean 107/40 = 2.675 exactly.
    // Session 3: 21 fours and 3 threes, mean 3.875. Overall 200/64 =
    // 3.125, the target exactly. Trend over session numbers 1 and 3:
    // (3.875 − 2.675) / 2 = +0.6 per session.
    let mut ratings = String::from("session,participant,rating\n");
    for p in 0..40 {
        ratings.push_str(&format!("01-intro,R-{p},{}\n", if p < 27 { 3 } else { 2 }));
    }
    for p in 0..24 {
        ratings.push_str(&format!("03-review,R-{p},{}\n", if p < 21 { 4 } else { 3 }));
    }
    site.write("content/demo/results/ratings.csv", &ratings);
    let mut survey = String::from("participant,phase,item,score\n");
    for (item, pre, post) in SURVEY {
        for (i, (a, b)) in pre.split(' ').zip(post.split(' ')).enumerate() {
            survey.push_str(&format!("P-{i},pre,{item},{a}\nP-{i},post,{item},{b}\n"));
        }
    }
    site.write("content/demo/results/survey.csv", &survey);
    // The latest value, 0.84499, misses the 0.845 target.
    site.write(
        "content/demo/results/observations.csv",
        "metric,date,value\nownership-rate,2026-01-05,0.5\nownership-rate,2026-03-02,0.84499\n",
    );
    site
}

fn page(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The row of the survey table (or the scorecard) that starts with `name`.
fn row<'a>(html: &'a str, name: &str) -> &'a str {
    let at = html
        .find(&format!(">{name}<"))
        .or_else(|| html.find(&format!(">{name} <")))
        .unwrap_or_else(|| panic!("no row for {name}"));
    let end = html[at..].find("</tr>").map_or(html.len(), |e| at + e);
    &html[at..end]
}

fn built() -> (Site, std::path::PathBuf) {
    let site = stats_site();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    (site, out)
}

#[test]
fn decimal_scores_are_exact_and_round_half_up() {
    let (_site, out) = built();
    let results = page(&out, "demo/results/index.html");
    // Decimal changes tie: Wilcoxon 0.125 over 7 non-zero changes (0.172
    // with f64 changes); mean change 2.6/7.
    let feedback = row(&results, "Giving feedback");
    for want in ["+0.37", "+0.71 [−0.06, 1.44]", "0.073; 0.294", "0.125 (7)"] {
        assert!(
            feedback.contains(want),
            "feedback row lacks {want}: {feedback}"
        );
    }
    // A session mean of exactly 2.675 is 2.68 (2.67 from the f64).
    let ratings = between(&results, "Ratings per session", "</table>");
    assert!(ratings.contains(">2.68<"), "{ratings}");
    assert!(!ratings.contains(">2.67<"), "{ratings}");
    let session = page(&out, "demo/sessions/01-intro/index.html");
    assert!(session.contains("2.68"), "the session page's rating");
}

#[test]
fn one_minus_sign_and_never_a_negative_zero() {
    let (_site, out) = built();
    let results = page(&out, "demo/results/index.html");
    let near = row(&results, "near-zero");
    assert!(near.contains(">0.00<"), "{near}");
    assert!(near.contains("scores from −0.004 to 0"), "{near}");
    let stress = row(&results, "stress");
    assert!(stress.contains("−0.83"), "{stress}");
    for (path, text) in [
        ("results", results.as_str()),
        ("impact", &page(&out, "demo/impact/index.html")),
        ("metrics", &page(&out, "demo/metrics/index.html")),
    ] {
        let text = crate::common::build::decode_entities(text);
        // −0.00 (or −0.0, −0) as a whole number, not the start of −0.004.
        for (i, _) in text.match_indices(['−', '-']) {
            let num: String = text[i..]
                .chars()
                .skip(1)
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            let zero = !num.is_empty() && num.chars().all(|c| c == '0' || c == '.');
            assert!(
                !zero,
                "{path} shows a negative zero: …{}…",
                &text[i.saturating_sub(120)..i + 8]
            );
        }
        // An ASCII hyphen before a digit in text, not inside a word (an
        // item called `exact-145`), markup or ids.
        let shown = strip_markup(&text);
        if let Some(w) = shown
            .as_bytes()
            .windows(3)
            .position(|w| !w[0].is_ascii_alphanumeric() && w[1] == b'-' && w[2].is_ascii_digit())
        {
            panic!(
                "{path} shows a number with an ASCII minus: …{}…",
                &shown[w.saturating_sub(120)..w + 8]
            );
        }
    }
}

#[test]
fn actual_and_target_are_shown_at_the_precision_that_decides() {
    let (_site, out) = built();
    let metrics = page(&out, "demo/metrics/index.html");
    // Target, actual and status as the scorecard shows them.
    let shown = |name: &str| {
        let c = cells(row(&metrics, name));
        (c[1].clone(), c[2].clone(), c[4].clone())
    };
    let s = |t: &str, a: &str, status: &str| (t.to_string(), a.to_string(), status.to_string());
    // Attendance: 84.4% against 84.5% (not against a rounded 84%).
    assert_eq!(
        shown("Session attendance"),
        s("84.5%", "84.4%", "✗ not met")
    );
    // Ratings: exactly the target, 3.125, met; shown 3.13 (never 3.12).
    assert_eq!(shown("Mean session rating"), s("3.125", "3.13", "✓ met"));
    // Observed 84.499% misses 84.5%: one decimal (84.5%) would hide it.
    assert_eq!(
        shown("Share of workstreams handed over with an agreed outcome"),
        s("84.5%", "84.499%", "✗ not met")
    );
    let own_page = page(&out, "demo/metrics/ownership-rate/index.html");
    assert!(own_page.contains("latest 84.499%"), "{own_page}");
}

#[test]
fn largest_changes_are_ranked_by_the_standardized_change() {
    let (_site, out) = built();
    let impact = page(&out, "demo/impact/index.html");
    let table = between(&impact, "Largest changes", "</table>");
    // |g_z|: stress 1.72, delegation 1.11, exact-145 0.82 — not the
    // slider's raw +10 (g_z 0.50).
    let order: Vec<usize> = ["stress", "Delegating effectively", "exact-145"]
        .iter()
        .map(|n| {
            table
                .find(&format!(">{n} <"))
                .unwrap_or_else(|| panic!("{n}: {table}"))
        })
        .collect();
    assert!(order[0] < order[1] && order[1] < order[2], "{table}");
    assert!(!table.contains("slider"), "{table}");
    // The range and direction beside each item.
    assert!(table.contains("on 1–5, lower is better"), "{table}");
}

#[test]
fn each_item_shows_its_range_and_direction() {
    let (_site, out) = built();
    let results = page(&out, "demo/results/index.html");
    assert!(row(&results, "Delegating effectively").contains("on 1–5<"));
    assert!(row(&results, "stress").contains("on 1–5, lower is better"));
    assert!(row(&results, "slider").contains("no range declared (scores from 20 to 75)"));
    let comp = page(&out, "demo/competencies/delegation/index.html");
    assert!(comp.contains("on 1–5"), "{comp}");
}

#[test]
fn hedges_holm_and_the_wilcoxon_n_are_shown() {
    let (_site, out) = built();
    let results = page(&out, "demo/results/index.html");
    let d = row(&results, "Delegating effectively");
    for want in [
        "+1.11 [0.34, 1.86]",
        "+1.22 [0.37, 2.03]",
        "0.004; 0.023",
        "0.016 (7)",
    ] {
        assert!(d.contains(want), "delegation lacks {want}: {d}");
    }
    // Five non-zero changes: the smallest p there is, 0.0625, is shown
    // half up, and said to be above 0.05.
    let stress = row(&results, "stress");
    assert!(
        stress.contains("0.063 (5)") && stress.contains("cannot reach 0.05"),
        "{stress}"
    );
    assert!(!d.contains("cannot reach"));
    assert!(results.contains("zero changes are dropped"));
    assert!(results.contains("tied changes get mid-ranks"));
    let comp = page(&out, "demo/competencies/delegation/index.html");
    assert!(
        comp.contains("7 non-zero changes: zeros dropped, ties given mid-ranks"),
        "{comp}"
    );
}

#[test]
fn pooled_survey_metrics_count_people_and_answers() {
    let (_site, out) = built();
    // delegation (10 people) and feedback (7 of them): 17 answers.
    let metrics = page(&out, "demo/metrics/index.html");
    assert!(
        row(&metrics, "Gain in confidence").contains("10 people, 17 answers"),
        "{metrics}"
    );
    assert!(row(&metrics, "Drop in stress").contains("6 people"));
    let signal = page(&out, "demo/signals/feedback-given/index.html");
    assert!(signal.contains("10 people, 17 answers"), "{signal}");
    let m = page(&out, "demo/metrics/confidence-gain/index.html");
    assert!(m.contains("(10 people, 17 answers)"), "{m}");
}

#[test]
fn the_trend_is_per_session_of_the_curriculum() {
    let (_site, out) = built();
    let results = page(&out, "demo/results/index.html");
    // Sessions 1 and 3 are rated: (3.875 − 2.675) ÷ 2.
    assert!(
        results.contains("+0.60 per session, over 2 rated sessions"),
        "{results}"
    );
    let json: serde_json::Value = serde_json::from_str(&page(&out, "demo/program.json")).unwrap();
    let trend = &json["results"]["ratings_summary"]["trend"];
    assert_eq!(trend["slope"].as_f64(), Some(0.6));
    assert_eq!(trend["sessions"].as_u64(), Some(2));
}

#[test]
fn exports_hold_every_figure_and_read_back_exactly() {
    let (_site, out) = built();
    let text = page(&out, "demo/program.json");
    // The exact mean change, not 1.4500000000000002.
    assert!(text.contains("\"mean_change\": 1.45,"), "{text}");
    assert!(!text.contains("00000000000"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let r = &json["results"];
    let item = |name: &str| {
        r["survey"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["item"] == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    assert_eq!(item("exact-145")["mean_change"].as_f64(), Some(1.45));
    assert_eq!(item("near-zero")["mean_pre"].as_f64(), Some(-0.001));
    let d = &item("delegation")["tests"];
    let close = |v: &serde_json::Value, want: f64| {
        let got = v.as_f64().unwrap_or(f64::NAN);
        assert!((got - want).abs() < 1e-9, "{got} ≠ {want}");
    };
    close(&d["t"], 3.857142857142857);
    assert_eq!(d["df"].as_f64(), Some(9.0));
    close(&d["sd_change"], 0.7378647873726218);
    close(&d["g_z"], 1.1146858024516908);
    close(&d["g_z_ci"][0], 0.3379001639795677);
    close(&d["g_z_ci"][1], 1.858211995885295);
    close(&d["p_t_holm"], 0.023183385853959324);
    assert_eq!(d["nonzero"].as_u64(), Some(7));
    assert_eq!(d["p_wilcoxon"].as_f64(), Some(0.015625));
    assert_eq!(
        item("feedback")["tests"]["p_wilcoxon"].as_f64(),
        Some(0.125)
    );
    assert_eq!(
        item("stress")["tests"]["wilcoxon_smallest_p"].as_f64(),
        Some(0.0625)
    );
    assert_eq!(item("stress")["better"], "lower");
    assert_eq!(item("slider")["range"], serde_json::Value::Null);
    assert_eq!(item("delegation")["range"], serde_json::json!([1.0, 5.0]));
    let a = &r["attendance_summary"];
    assert_eq!(a["pooled_rate"].as_f64(), Some(0.84375));
    assert_eq!(a["mean_rate"].as_f64(), Some(0.84375));
    assert_eq!(
        (a["present_min"].as_u64(), a["present_max"].as_u64()),
        (Some(13), Some(14))
    );
    let o = &r["ratings_summary"]["overall"];
    assert_eq!(
        (o["n"].as_u64(), o["mean"].as_f64()),
        (Some(64), Some(3.125))
    );
    assert_eq!(r["ratings"][0]["mean"].as_f64(), Some(2.675));
    let metric = |id: &str| {
        json["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(metric("attendance")["actual"].as_f64(), Some(0.84375));
    assert_eq!(metric("attendance")["target"].as_f64(), Some(0.845));
    assert_eq!(metric("confidence-gain")["people"].as_u64(), Some(10));
    assert_eq!(metric("confidence-gain")["n"].as_u64(), Some(17));

    // results.csv: the same numbers, and the people behind a survey metric.
    let csv_text = page(&out, "demo/results.csv");
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let csv_row = |id: &str| rows.iter().find(|r| &r[0] == id).unwrap().clone();
    assert_eq!(&csv_row("attendance")[7], "0.84375");
    assert_eq!(&csv_row("workshop-rating")[7], "3.125");
    assert_eq!(&csv_row("confidence-gain")[8], "17");
    assert_eq!(&csv_row("confidence-gain")[9], "10");
    assert_eq!(&csv_row("ownership-rate")[7], "0.84499");
}

/// The text between the first `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    crate::common::build::between(html, start, end)
}

/// The text of each `<td>` cell of a table row.
fn cells(row: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = row;
    while let Some(i) = rest.find("<td") {
        let open = rest[i..].find('>').map_or(rest.len(), |j| i + j + 1);
        let close = rest[open..].find("</td>").map_or(rest.len(), |j| open + j);
        out.push(strip_markup(&rest[open..close]).trim().to_string());
        rest = &rest[close..];
    }
    out
}

/// `html` without tags, attributes and SVG (whose coordinates may be
/// negative).
fn strip_markup(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("</svg>").map_or("", |e| &rest[i + e..]);
    }
    out.push_str(rest);
    let mut text = String::new();
    let mut in_tag = false;
    for c in out.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}
