//! Resource bounds of `playbook build` on hostile input: what `check`
//! reads quickly can still cost the render — the HTML parser under the
//! sanitizer, headings held as template values, a matrix of every
//! competency and session, an exact test whose cost grows with the cube of
//! the sample, a title repeated on every page. Each test builds a smaller
//! version of a bomb of `scripts/load/hostile-inputs.py` (the debug binary
//! is slower than the release one the script holds to 2 s and 300 MB) and
//! holds it to processor time (steady on a busy machine) and memory (the
//! process cannot allocate more).

use std::fs;
use std::path::PathBuf;

use crate::common::{playbook, run_measured, Cost, Fixture, COMPETENCIES};

/// A session guide added to the check fixture for the bombs.
const BOMB: &str = "content/demo/sessions/04-bomb.md";

/// `body` as the markdown of a session guide.
fn session(body: &str) -> String {
    format!("---\ntitle: Bomb\nkind: workshop\nweek: 4\n---\n{body}")
}

/// The check fixture with `files` written, built (human output, into a
/// fresh folder) with at most `mib` MiB of memory; it must succeed within
/// `cpu` seconds of processor time.
fn build_measured(files: &[(&str, String)], cpu: f64, mib: u64) -> (Fixture, PathBuf, Cost) {
    let f = Fixture::new();
    let mut total = 0;
    for (path, text) in files {
        f.write(path, text);
        total += text.len();
    }
    assert!(total <= 1 << 20, "{total} bytes: over 1 MB");
    let out = f.scratch("out");
    let mut cmd = playbook();
    cmd.args(["--color", "never", "build"])
        .arg(f.path())
        .arg("--output")
        .arg(&out);
    let cost = run_measured(cmd, std::time::Duration::from_secs(300), mib << 20);
    println!(
        "exit {}, {:.0} MiB, {:.2} s ({:.2} s of processor time)",
        cost.code, cost.peak_mib, cost.seconds, cost.cpu_seconds
    );
    assert_eq!(cost.code, 0, "{}", cost.stderr);
    assert!(
        cost.cpu_seconds <= cpu,
        "{:.1} s of processor time (at most {cpu} s)",
        cost.cpu_seconds
    );
    (f, out, cost)
}

fn page(out: &std::path::Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap()
}

// ------------------------------------------------------------- raw HTML

/// 40,000 `<a href=x><b>` (the HTML parser's adoption of misnested links
/// and its scans of its stacks: quadratic) build in linear time: the
/// sanitizer reads them closed, and at most 256 deep.
#[test]
fn nested_links_in_raw_html_build_in_linear_time() {
    let (_f, out, _) = build_measured(
        &[(BOMB, session(&"<a href=x><b>".repeat(40_000)))],
        15.0,
        300,
    );
    let html = page(&out, "demo/sessions/04-bomb/index.html");
    assert!(
        html.contains("<a href=\"x\"><b></b></a>"),
        "{}",
        &html[..2000]
    );
}

/// 30,000 nested `<div>`s: the parser scans its whole stack for each.
#[test]
fn deeply_nested_raw_html_builds_in_linear_time_keeping_its_text() {
    let (_f, out, _) = build_measured(
        &[(
            BOMB,
            session(&format!("{}deep text", "<div>".repeat(30_000))),
        )],
        15.0,
        300,
    );
    let html = page(&out, "demo/sessions/04-bomb/index.html");
    assert!(html.contains("deep text"));
    assert!(html.matches("<div>").count() <= 256, "nested beyond 256");
}

// ------------------------------------------------------------- headings

/// 250,000 empty headings (500 KB): each was a template value three times
/// over (1 GB at this size), now a bounded number are.
#[test]
fn many_headings_build_within_memory() {
    let (_f, out, _) = build_measured(&[(BOMB, session(&"#\n".repeat(250_000)))], 60.0, 400);
    let html = page(&out, "demo/sessions/04-bomb/index.html");
    assert!(html.contains("id=\"section-249999\""));
}

/// A heading written `x-1` and the second `x` (which GitHub's rule makes
/// `x-1`) get different ids.
#[test]
fn headings_never_share_an_id() {
    let (_f, out, _) = build_measured(
        &[(BOMB, session("# x-1\n\n# x\n\n# x\n\n# x-2\n"))],
        30.0,
        300,
    );
    let html = page(&out, "demo/sessions/04-bomb/index.html");
    for id in ["x-1", "x", "x-2", "x-2-1"] {
        assert_eq!(html.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
    }
}

// ------------------------------------------------------------- traceability

/// The check fixture with `competencies` more competencies and `sessions`
/// more sessions, the i-th of which builds the i-th new competency.
fn wide_program(competencies: usize, sessions: usize) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut yaml = crate::common::COMPETENCIES_SRC.to_string();
    for i in 0..competencies {
        yaml.push_str(&format!("  - id: c{i}\n    name: C{i}\n"));
    }
    files.push((COMPETENCIES.to_string(), yaml));
    for i in 0..sessions {
        let covers = if i < competencies {
            format!("competencies: [c{i}]\n")
        } else {
            String::new()
        };
        files.push((
            format!("content/demo/sessions/s{i:05}.md"),
            format!("---\ntitle: S{i}\nkind: workshop\nweek: 5\n{covers}---\n"),
        ));
    }
    files
}

fn build_wide(competencies: usize, sessions: usize, cpu: f64, mib: u64) -> String {
    let files = wide_program(competencies, sessions);
    let files: Vec<(&str, String)> = files.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
    let (_f, out, _) = build_measured(&files, cpu, mib);
    page(&out, "demo/traceability/index.html")
}

/// 2,000 competencies × 2,000 sessions: four million cells, a page of
/// hundreds of MB and more in memory; past 10,000 cells each competency
/// lists its sessions instead.
#[test]
fn a_large_traceability_matrix_becomes_a_list() {
    let html = build_wide(2_000, 2_000, 60.0, 300);
    assert!(html.len() < 2_000_000, "{} bytes", html.len());
    assert!(!html.contains("class=\"matrix\""));
    assert!(html.contains("Too many competencies and sessions for a matrix (2002 × 2003)"));
    assert!(html.contains(
        "<a href=\"/demo/competencies/c7/\">C7</a>: <a href=\"/demo/sessions/s00007/\" title=\"S7\">"
    ));
}

/// Up to 10,000 cells the page is a matrix, as on a small site; one more
/// competency and it is a list.
#[test]
fn the_matrix_stays_up_to_ten_thousand_cells() {
    // The fixture has 2 competencies and 3 sessions: 100 × 100.
    let html = build_wide(98, 97, 60.0, 300);
    assert!(html.contains("<table class=\"matrix\">"));
    assert!(!html.contains("trace-list"));
    let html = build_wide(99, 97, 60.0, 300);
    assert!(!html.contains("<table class=\"matrix\">"));
    assert!(html.contains("<ul class=\"trace-list\">"));
}

// ------------------------------------------------------------- survey

fn survey(pairs: usize) -> String {
    let mut csv = String::from("participant,phase,item,score\n");
    for i in 0..pairs {
        let pre = 1 + (i * 7) % 4;
        let post = (pre + (i * 5) % 4).saturating_sub(1).clamp(1, 5);
        csv.push_str(&format!(
            "p{i},pre,delegation,{pre}\np{i},post,delegation,{post}\n"
        ));
    }
    csv
}

/// 3,000 paired answers: the exact Wilcoxon count grows with the cube of
/// the sample (over a minute here); beyond 50 changes the normal
/// approximation is used, and the results page and program.json say so.
#[test]
fn a_large_survey_uses_the_normal_approximation_and_says_so() {
    let (_f, out, _) = build_measured(
        &[("content/demo/results/survey.csv", survey(3_000))],
        20.0,
        300,
    );
    let results = page(&out, "demo/results/index.html");
    assert!(
        results.contains("(normal approximation with continuity and tie correction)"),
        "{results}"
    );
    let json = page(&out, "demo/program.json");
    assert!(json.contains("\"wilcoxon_method\": \"normal\""));
}

#[test]
fn a_small_survey_uses_the_exact_test_and_says_so() {
    let (_f, out, _) = build_measured(
        &[("content/demo/results/survey.csv", survey(12))],
        20.0,
        300,
    );
    let results = page(&out, "demo/results/index.html");
    assert!(
        results.contains("<span class=\"meta\">(exact)</span>"),
        "{results}"
    );
    assert!(!results.contains("normal approximation with continuity and tie correction)"));
    let json = page(&out, "demo/program.json");
    assert!(json.contains("\"wilcoxon_method\": \"exact\""));
}

// ------------------------------------------------------------- programs

/// 3,000 programs of a line each (940 KB with their titles): the variables
/// every page has (`programs`, a link to each program) were copied into
/// each program's contexts, which cost the square of the number of
/// programs (this test's build: 53 s of processor time in a debug build,
/// now 16–25 s; 2,000 programs in a release build: 4.6 s, now 1.9 s).
#[test]
fn many_programs_build_in_linear_time() {
    let title = "Leading teams through change ".repeat(6);
    let mut files = Vec::new();
    for i in 0..3000 {
        let p = format!("content/p{i}");
        files.push((
            format!("{p}/program.yaml"),
            format!("title: \"{title}{i}\"\n"),
        ));
        files.push((
            format!("{p}/alignment/competencies.yaml"),
            "competencies: []\n".into(),
        ));
        files.push((
            format!("{p}/alignment/action-map.yaml"),
            "goal: {statement: G, measure: M}\nactions: []\n".into(),
        ));
        files.push((
            format!("{p}/alignment/evaluation.yaml"),
            "signals: []\n".into(),
        ));
        files.push((
            format!("{p}/alignment/metrics.yaml"),
            "metrics: []\n".into(),
        ));
    }
    let files: Vec<(&str, String)> = files.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
    let (_f, out, _) = build_measured(&files, 40.0, 300);
    let html = page(&out, "p2999/index.html");
    assert!(
        html.contains("Leading teams through change"),
        "{}",
        &html[..2000]
    );
    assert!(out.join("p0/competencies/index.html").is_file());
}

// ------------------------------------------------------------- scales

/// 1,000 metrics on one scale of 300 items: each metric made the scale's
/// matrix again, looking each item up in every survey item, and each item
/// looked for itself in every metric (this test: 7.4 s of processor time
/// in a debug build, now 1.4 s; 3,000 metrics on 1,000 items: 12.3 s in a
/// release build, now 0.6 s).
#[test]
fn many_metrics_on_one_scale_read_its_matrix_once() {
    use crate::common::{METRICS, METRICS_SRC};
    let items: Vec<String> = (0..300).map(|j| format!("i{j}")).collect();
    let metrics: String = std::iter::once(
        "  - id: big-gain\n    name: G\n    category: outcome\n    source: reliable-change\n    items: [big]\n".to_string(),
    )
    .chain((0..1000).map(|k| {
        format!("  - id: m{k}\n    name: M\n    category: outcome\n    source: survey-change\n    items: [big]\n")
    }))
    .collect();
    let yaml = format!(
        "{}scales:\n  - id: big\n    name: Big\n    items: [{}]\n",
        METRICS_SRC.replace("instruments:\n", &format!("{metrics}instruments:\n")),
        items.join(", ")
    );
    let mut survey = String::from("participant,phase,item,score\n");
    for p in 0..8 {
        for (j, item) in items.iter().enumerate() {
            survey.push_str(&format!("p{p},pre,{item},{}\n", 1 + (p + j) % 4));
            survey.push_str(&format!("p{p},post,{item},{}\n", 2 + (p + j) % 4));
        }
    }
    let (_f, out, cost) = build_measured(
        &[(METRICS, yaml), ("content/demo/results/survey.csv", survey)],
        4.0,
        300,
    );
    println!("{:.2} s of processor time", cost.cpu_seconds);
    assert!(page(&out, "demo/metrics/m999/index.html").contains("M"));
}

// ------------------------------------------------------------- titles

/// A program title of 500,000 characters was written into every page two
/// or three times (60 MB of site); names longer than 200 characters are
/// shortened where pages repeat them.
#[test]
fn a_huge_title_is_not_repeated_on_every_page() {
    let title = "word ".repeat(100_000);
    let program = crate::common::PROGRAM_YAML_SRC.replace(
        "title: Demo Program",
        &format!("title: \"{}\"", title.trim_end()),
    );
    let (_f, out, _) = build_measured(&[(crate::common::PROGRAM_YAML, program)], 60.0, 300);
    let mut total = 0;
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            total += e.metadata().unwrap().len();
        }
    }
    assert!(total < 8_000_000, "{total} bytes of site");
    let html = page(&out, "demo/competencies/index.html");
    assert!(html.contains("word word…</a>"), "{}", &html[..3000]);
}

/// Every link of every page starts with `base_url`: 100 KB of it made
/// 130 MB of site. Over 200 characters it is an error, and nothing is
/// written.
#[test]
fn a_long_base_url_is_an_error() {
    let f = Fixture::new();
    let url = format!("/{}/", "a".repeat(100_000));
    f.write(
        "playbook.yaml",
        &crate::common::PLAYBOOK_YAML_SRC.replace("base_url: /", &format!("base_url: {url}")),
    );
    let out = f.scratch("out");
    let mut cmd = playbook();
    cmd.args(["--color", "never", "build"])
        .arg(f.path())
        .arg("--output")
        .arg(&out);
    let cost = run_measured(cmd, std::time::Duration::from_secs(60), 300 << 20);
    assert_eq!(cost.code, 1);
    assert!(
        cost.stderr
            .contains("error[invalid-value]: `base_url` is 100002 characters long: at most 200"),
        "{}",
        &cost.stderr[..cost.stderr.len().min(2000)]
    );
    assert!(!out.exists());
}

// ------------------------------------------------------------- cohorts

/// 400 cohorts: each cohort's results page and impact report lists its
/// neighbours by start (five either side), not every cohort (which made
/// the pages grow with the square of the cohorts: 3,000 of them took over
/// 30 s); the program's results page still lists them all.
#[test]
fn a_cohort_switcher_lists_its_neighbours_not_every_cohort() {
    let mut files = Vec::new();
    for i in 0..400 {
        files.push((
            format!("content/demo/cohorts/c{i:03}/cohort.yaml"),
            format!("title: Run {i:03}\nstart: 2026-03-02\n"),
        ));
    }
    let files: Vec<(&str, String)> = files.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
    let (_f, out, _) = build_measured(&files, 5.0, 300);
    let cohort = page(&out, "demo/cohorts/c200/results/index.html");
    let runs = |html: &str| html.matches("\">Run ").count();
    assert_eq!(runs(&cohort), 11, "{cohort}");
    for i in 195..=205 {
        assert!(cohort.contains(&format!(">Run {i:03}</a>")), "{i}");
    }
    assert!(cohort.contains("All cohorts compared"));
    let first = page(&out, "demo/cohorts/c000/impact/index.html");
    assert_eq!(runs(&first), 6);
    let program = page(&out, "demo/results/index.html");
    assert!(program.contains(">Run 399</a>") && program.contains(">Run 000</a>"));
}
