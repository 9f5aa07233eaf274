//! Cohorts (FORMAT.md v1.2) beyond their own pages: the sitemap and the
//! program's search list each cohort's pages; a program with cohorts
//! shows on its own results, metric and evaluation pages and impact report
//! the latest cohort's figures, with a line saying so; `playbook new
//! cohort` on a program's first cohort moves its results/ only when that
//! holds nothing but import.yaml.

use std::fs;

use crate::cohorts::two_cohorts;
use crate::common::build::sitemap_locs;

#[test]
fn the_sitemap_and_search_list_each_cohorts_pages() {
    let s = two_cohorts();
    let out = s.scratch("out");
    s.build(&out, &[]).assert_code(0);
    let xml = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let locs = sitemap_locs(&xml);
    let search: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("demo/search.json")).unwrap()).unwrap();
    let urls: Vec<&str> = search["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["url"].as_str().unwrap())
        .collect();
    for c in ["spring", "autumn"] {
        for page in ["results", "impact"] {
            let url = format!("/demo/cohorts/{c}/{page}/");
            let loc = format!("https://demo.example.org{url}");
            assert!(locs.contains(&loc), "{loc} not in the sitemap: {locs:?}");
            assert!(urls.contains(&url.as_str()), "{url} not in search.json");
        }
    }
    let autumn = search["docs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["url"] == "/demo/cohorts/autumn/results/")
        .unwrap();
    assert_eq!(autumn["kind"], "Cohort");
    assert_eq!(autumn["title"], "Measured results: Autumn 2026");
    // Every page the sitemap lists exists.
    for loc in &locs {
        let rel = loc.trim_start_matches("https://demo.example.org/");
        let path = out.join(rel).join("index.html");
        assert!(
            path.exists() || out.join(rel).is_file(),
            "{loc} has no page"
        );
    }
}

#[test]
fn the_programs_own_pages_show_the_latest_cohorts_figures_and_say_so() {
    let s = two_cohorts();
    let out = s.scratch("out");
    s.build(&out, &[]).assert_code(0);
    let page = |p: &str| fs::read_to_string(out.join(p)).unwrap();
    let line =
        "Figures from the Autumn 2026 cohort — <a href=\"/demo/results/\">compare all cohorts</a>";
    for p in [
        "demo/results/index.html",
        "demo/metrics/attendance/index.html",
        "demo/evaluation/index.html",
        "demo/impact/index.html",
    ] {
        assert!(page(p).contains(line), "{p} does not say whose figures");
    }
    // The metric page has autumn's actual (4 of 4), not spring's (3 of 4)
    // and not nothing.
    let metric = page("demo/metrics/attendance/index.html");
    let actual = crate::common::build::between(&metric, "<dt>Actual</dt>", "</dd>");
    assert!(actual.contains("100.0%"), "{actual}");
    // The results page: the comparison, then autumn's own figures.
    let results = page("demo/results/index.html");
    assert!(!results.contains("No results recorded yet"), "{results}");
    assert!(results.contains("<h2>Scorecard</h2>"));
    let impact = page("demo/impact/index.html");
    assert!(!impact.contains("No data yet"), "{impact}");
    // A cohort's own pages say nothing of the kind.
    let spring = page("demo/cohorts/spring/results/index.html");
    assert!(!spring.contains("Figures from the"), "{spring}");
}

/// A new site's program (whose results/ holds only import.yaml), at `root`.
fn new_site() -> (crate::common::TempTree, std::path::PathBuf) {
    use crate::common::build::run;
    let t = crate::common::TempTree::new(None);
    run(&["new", "site", "--title", "Programs"], t.path()).assert_code(0);
    let root = t.file("site");
    (t, root)
}

fn new_cohort(root: &std::path::Path, id: &str) -> crate::common::build::Run {
    crate::common::build::run(
        &[
            "new",
            "cohort",
            "first-program",
            id,
            "--start",
            "2026-03-02",
        ],
        root,
    )
}

#[test]
fn the_first_cohort_takes_a_results_folder_holding_only_import_yaml() {
    let (_t, root) = new_site();
    let p = root.join("content/first-program");
    assert!(p.join("results/import.yaml").is_file());
    let r = new_cohort(&root, "spring-2026");
    r.assert_code(0);
    assert!(
        r.stderr.contains(
            "moved content/first-program/results/ (import.yaml) to content/first-program/cohorts/spring-2026/results/"
        ),
        "{}",
        r.stderr
    );
    assert!(!p.join("results").exists());
    assert!(p.join("cohorts/spring-2026/results/import.yaml").is_file());
}

#[test]
fn the_first_cohort_refuses_a_results_folder_holding_results() {
    let (_t, root) = new_site();
    let p = root.join("content/first-program");
    fs::write(
        p.join("results/attendance.csv"),
        "session,participant,present\n",
    )
    .unwrap();
    let before = crate::common::build::read_tree(&root);
    let r = new_cohort(&root, "spring-2026");
    r.assert_code(2);
    for want in [
        "content/first-program/results/ holds results (attendance.csv)",
        "mkdir -p content/first-program/cohorts/spring-2026 && mv content/first-program/results content/first-program/cohorts/spring-2026/",
    ] {
        assert!(r.stderr.contains(want), "`{want}` missing: {}", r.stderr);
    }
    // Nothing written, nothing moved.
    assert!(crate::common::build::read_tree(&root) == before);
    // Doing what it says, then running it again, works and checks clean.
    fs::create_dir_all(p.join("cohorts/spring-2026")).unwrap();
    fs::rename(p.join("results"), p.join("cohorts/spring-2026/results")).unwrap();
    new_cohort(&root, "spring-2026").assert_code(0);
    assert!(p.join("cohorts/spring-2026/cohort.yaml").is_file());
    assert!(p
        .join("cohorts/spring-2026/results/attendance.csv")
        .is_file());
    crate::common::build::run(&["check", root.to_str().unwrap(), "--strict"], &root).assert_code(0);
}
