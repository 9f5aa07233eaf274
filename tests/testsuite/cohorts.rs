//! FORMAT.md v1.2, *Cohorts*: a program that runs more than once keeps one
//! curriculum and a folder per run, `cohorts/<cohort>/`. Every error rule
//! of the section as `check` reports it; and a site with two cohorts built
//! and read back: each cohort's results page, impact report, calendar
//! (UIDs stable and distinct per cohort), `program.json` section and
//! `results.csv`, and the program's results page comparing them.

use std::fs;

use crate::common::build::{read_tree, Site};
use crate::common::{error, Fixture, PROGRAM_YAML};

const SPRING: &str = "content/demo/cohorts/spring/cohort.yaml";
const SPRING_YAML: &str = "\
title: Spring 2026
start: 2026-03-02
cohort_size: 12
facilitators: [Ana Ruiz]
dates: {01-intro: 2026-03-03}
";

fn with_cohort(f: &Fixture) {
    f.write(SPRING, SPRING_YAML);
}

#[test]
fn a_clean_cohort_checks_clean() {
    let f = Fixture::new();
    with_cohort(&f);
    f.check(&["--strict"]).assert_clean();
}

#[test]
fn a_program_with_cohorts_may_not_also_have_results() {
    let f = Fixture::new();
    with_cohort(&f);
    f.write(
        "content/demo/results/ratings.csv",
        "session,participant,rating\n01-intro,p1,4\n",
    );
    let out = f.check(&[]);
    out.assert_only(
        &error("results-beside-cohorts")
            .in_file_no_position("content/demo/results")
            .message_contains("cohorts/")
            .hint("move the files of results/ into the results/ folder of a cohort (cohorts/<cohort>/results/)"),
    );
}

#[test]
fn a_cohort_needs_a_title_and_a_start() {
    for (key, line) in [
        ("title", "title: Spring 2026\n"),
        ("start", "start: 2026-03-02\n"),
    ] {
        let f = Fixture::new();
        f.write(SPRING, &SPRING_YAML.replace(line, ""));
        let out = f.check(&[]);
        let d = out.assert_only(&error("missing-key").message_contains(&format!("`{key}`")));
        assert_eq!(d.file.as_deref(), Some(SPRING), "{key}");
    }
}

#[test]
fn a_cohort_folder_without_cohort_yaml_is_an_error() {
    let f = Fixture::new();
    f.write(
        "content/demo/cohorts/autumn/results/ratings.csv",
        "session,participant,rating\n01-intro,p1,4\n",
    );
    f.check(&[]).assert_only(
        &error("missing-file")
            .in_file_no_position("content/demo/cohorts/autumn")
            .message_contains("cohort.yaml"),
    );
}

#[test]
fn a_cohort_id_follows_the_id_rules() {
    let f = Fixture::new();
    f.write("content/demo/cohorts/Spring_26/cohort.yaml", SPRING_YAML);
    f.check(&[]).assert_only(
        &error("invalid-id")
            .in_file_no_position("content/demo/cohorts/Spring_26")
            .message_contains("Spring_26"),
    );
}

#[test]
fn an_unknown_key_in_cohort_yaml_is_an_error_with_a_suggestion() {
    let f = Fixture::new();
    f.write(SPRING, &format!("{SPRING_YAML}facilitator: [Bo]\n"));
    f.check(&[]).assert_only(
        &error("unknown-key")
            .at(SPRING, 6, 1)
            .hint("did you mean `facilitators`?"),
    );
}

#[test]
fn dates_must_name_sessions_of_the_program() {
    let f = Fixture::new();
    f.write(SPRING, &SPRING_YAML.replace("01-intro:", "01-intr:"));
    f.check(&[]).assert_only(
        &error("unknown-reference")
            .at(SPRING, 5, 9)
            .message_contains("01-intr")
            .hint("did you mean `01-intro`?"),
    );
}

#[test]
fn a_cohort_results_row_is_checked_like_a_program_one() {
    let f = Fixture::new();
    with_cohort(&f);
    f.write(
        "content/demo/cohorts/spring/results/ratings.csv",
        "session,participant,rating\n01-intro,p1,4\n02-practise,p2,5\n",
    );
    f.check(&[]).assert_only(
        &error("unknown-reference")
            .at("content/demo/cohorts/spring/results/ratings.csv", 3, 1)
            .hint("did you mean `02-practice`?"),
    );
}

#[test]
fn a_program_with_cohorts_needs_no_start() {
    let f = Fixture::new();
    with_cohort(&f);
    let text = fs::read_to_string(f.file(PROGRAM_YAML)).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("start:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(text, without, "the fixture's program has a start");
    f.write(PROGRAM_YAML, &without);
    f.check(&["--strict"]).assert_clean();
}

/// The build fixture with two cohorts whose results differ.
pub(crate) fn two_cohorts() -> Site {
    let s = Site::new();
    let text = s.read("content/demo/program.yaml");
    s.write(
        "content/demo/program.yaml",
        &text.replace("start: 2026-01-05\n", ""),
    );
    s.edit(
        "content/demo/alignment/metrics.yaml",
        "    tier: 1\n",
        "    tier: 1\n    source: attendance\n",
    );
    s.write(
        "content/demo/cohorts/spring/cohort.yaml",
        "title: Spring 2026\nstart: 2026-03-02\ncohort_size: 4\ndates: {01-intro: 2026-03-03}\n",
    );
    s.write(
        "content/demo/cohorts/autumn/cohort.yaml",
        "title: Autumn 2026\nstart: 2026-09-07\ncohort_size: 4\n",
    );
    s.write(
        "content/demo/cohorts/spring/results/survey.csv",
        "participant,phase,item,score\n\
         s1,pre,delegation,2\ns1,post,delegation,3\n\
         s2,pre,delegation,3\ns2,post,delegation,3\n\
         s3,pre,delegation,2\ns3,post,delegation,4\n\
         s4,pre,delegation,3\ns4,post,delegation,3\n",
    );
    s.write(
        "content/demo/cohorts/autumn/results/survey.csv",
        "participant,phase,item,score\n\
         a1,pre,delegation,2\na1,post,delegation,4\n\
         a2,pre,delegation,2\na2,post,delegation,3\n\
         a3,pre,delegation,3\na3,post,delegation,5\n\
         a4,pre,delegation,2\na4,post,delegation,3\n\
         a5,pre,delegation,3\na5,post,delegation,5\n",
    );
    s.write(
        "content/demo/cohorts/spring/results/attendance.csv",
        "session,participant,present\n01-intro,s1,1\n01-intro,s2,1\n01-intro,s3,0\n01-intro,s4,1\n",
    );
    s.write(
        "content/demo/cohorts/autumn/results/attendance.csv",
        "session,participant,present\n01-intro,a1,1\n01-intro,a2,1\n01-intro,a3,1\n01-intro,a4,1\n",
    );
    s
}

#[test]
fn each_cohort_has_its_results_page_impact_report_calendar_and_csv() {
    let s = two_cohorts();
    let out = s.scratch("out");
    s.build(&out, &[]).assert_code(0);
    let tree = read_tree(&out);
    for c in ["spring", "autumn"] {
        for f in [
            "results/index.html",
            "impact/index.html",
            "calendar.ics",
            "results.csv",
        ] {
            let path = format!("demo/cohorts/{c}/{f}");
            assert!(tree.contains_key(&path), "{path} is missing");
        }
    }
    let text = |p: &str| String::from_utf8(tree[p].clone()).unwrap();
    // Week numbers count from each cohort's start; `dates:` overrides.
    let spring = text("demo/cohorts/spring/calendar.ics");
    let autumn = text("demo/cohorts/autumn/calendar.ics");
    assert!(spring.contains("DTSTART;VALUE=DATE:20260303"), "{spring}");
    assert!(
        spring.contains("DTSTART;VALUE=DATE:20260309"),
        "week 2: {spring}"
    );
    assert!(autumn.contains("DTSTART;VALUE=DATE:20260907"), "{autumn}");
    assert!(autumn.contains("DTSTART;VALUE=DATE:20260914"), "{autumn}");
    // UIDs are stable and distinct per cohort.
    let uids = |ics: &str| -> Vec<String> {
        ics.lines()
            .filter(|l| l.starts_with("UID:"))
            .map(str::to_string)
            .collect()
    };
    assert!(uids(&spring)
        .iter()
        .any(|u| u.starts_with("UID:demo/spring/01-intro@")));
    assert!(uids(&spring).iter().all(|u| !uids(&autumn).contains(u)));
    // Each cohort's results page shows its own numbers.
    let spring_results = text("demo/cohorts/spring/results/index.html");
    let autumn_results = text("demo/cohorts/autumn/results/index.html");
    assert!(
        spring_results.contains("Spring 2026"),
        "the cohort is named"
    );
    assert!(spring_results.contains("+0.75"), "spring's mean change");
    assert!(autumn_results.contains("+1.60"), "autumn's mean change");
    assert!(!autumn_results.contains("+0.75"));
    let impact = text("demo/cohorts/autumn/impact/index.html");
    assert!(impact.contains("Autumn 2026"));
    let csv = text("demo/cohorts/spring/results.csv");
    assert!(csv.contains("\"attendance\""), "{csv}");
    assert!(csv.contains(",0.75,"), "spring attendance 3 of 4: {csv}");
    // program.json has a section per cohort.
    let json: serde_json::Value = serde_json::from_slice(&tree["demo/program.json"]).unwrap();
    let cohorts = json["cohorts"].as_array().expect("cohorts");
    let ids: Vec<&str> = cohorts.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["spring", "autumn"], "by start");
    assert_eq!(cohorts[0]["start"], "2026-03-02");
    assert_eq!(cohorts[1]["results"]["survey"][0]["mean_change"], 1.6);
    // Pseudonyms never reach the output.
    for (path, bytes) in &tree {
        let t = String::from_utf8_lossy(bytes);
        for p in ["s1", "a1", "s4", "a5"] {
            assert!(
                !t.contains(&format!(">{p}<")) && !t.contains(&format!("\"{p}\"")),
                "{p} in {path}"
            );
        }
    }
}

#[test]
fn the_program_results_page_compares_the_cohorts() {
    let s = two_cohorts();
    let out = s.scratch("out");
    s.build(&out, &[]).assert_code(0);
    let page = fs::read_to_string(out.join("demo/results/index.html")).unwrap();
    let cmp = crate::common::build::between(&page, "<h1", "</main>");
    for want in [
        "Spring 2026",
        "Autumn 2026",
        // Attendance per cohort.
        "75%",
        "100%",
        // Each cohort's mean change with its interval.
        "+0.75",
        "+1.60",
        // Autumn minus spring, with its Welch interval.
        "+0.85",
        "[−0.58, 2.28]",
        "cohorts/spring/results/",
        "cohorts/autumn/results/",
    ] {
        assert!(
            cmp.contains(want),
            "`{want}` missing from the comparison:\n{cmp}"
        );
    }
    assert!(
        cmp.contains("<svg"),
        "a chart of each metric across cohorts"
    );
    // The curriculum shows each cohort's dates.
    let cur = fs::read_to_string(out.join("demo/curriculum/index.html")).unwrap();
    assert!(
        cur.contains("2026-03-03") || cur.contains("3 Mar 2026"),
        "{cur}"
    );
    assert!(cur.contains("Autumn 2026"));
}

#[test]
fn two_builds_with_cohorts_are_byte_identical() {
    let s = two_cohorts();
    let (a, b) = (s.scratch("a"), s.scratch("b"));
    s.build(&a, &[]).assert_code(0);
    s.build(&b, &[]).assert_code(0);
    assert!(read_tree(&a) == read_tree(&b));
}

#[test]
fn new_cohort_scaffolds_one_that_checks_clean_and_never_overwrites() {
    use crate::common::build::run;
    use crate::common::TempTree;
    let t = TempTree::new(None);
    run(&["new", "site", "--title", "Programs"], t.path()).assert_code(0);
    let root = t.file("site");
    let r = run(
        &[
            "new",
            "cohort",
            "first-program",
            "spring-2026",
            "--start",
            "2026-03-02",
        ],
        &root,
    );
    r.assert_code(0);
    let yaml =
        fs::read_to_string(root.join("content/first-program/cohorts/spring-2026/cohort.yaml"))
            .unwrap();
    assert!(yaml.contains("start: 2026-03-02"), "{yaml}");
    assert!(yaml.contains("# yaml-language-server: $schema=../../../../schemas/cohort.schema.json"));
    assert!(
        yaml.lines().filter(|l| l.contains('#')).count() >= 5,
        "commented: {yaml}"
    );
    run(&["check", root.to_str().unwrap(), "--strict"], &root).assert_code(0);
    let out = t.file("out");
    run(
        &[
            "build",
            root.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
        &root,
    )
    .assert_code(0);
    assert!(out
        .join("first-program/cohorts/spring-2026/results/index.html")
        .is_file());
    // Never twice, never a bad id, never beside results/ of the program.
    let again = run(
        &[
            "new",
            "cohort",
            "first-program",
            "spring-2026",
            "--start",
            "2026-03-02",
        ],
        &root,
    );
    again.assert_code(2);
    assert!(again.stderr.contains("exists already"), "{}", again.stderr);
    let bad = run(
        &[
            "new",
            "cohort",
            "first-program",
            "Spring 26",
            "--start",
            "2026-03-02",
        ],
        &root,
    );
    bad.assert_code(2);
    assert!(bad.stderr.contains("spring-26"), "{}", bad.stderr);
    let none = run(
        &["new", "cohort", "nope", "autumn", "--start", "2026-09-07"],
        &root,
    );
    none.assert_code(2);
    assert!(none.stderr.contains("no program `nope`"), "{}", none.stderr);
}

#[test]
fn check_reads_a_cohorts_import_yaml() {
    let f = Fixture::new();
    with_cohort(&f);
    f.write(
        "content/demo/cohorts/spring/results/import.yaml",
        "participant: [Email]\nquestions:\n  - match: I hand over\n    item: delegation\n    scale: agree9\n",
    );
    let out = f.check(&[]);
    let d = out.assert_only(&error("unknown-reference").message_contains("agree9"));
    assert_eq!(
        d.file.as_deref(),
        Some("content/demo/cohorts/spring/results/import.yaml")
    );
}

#[test]
fn the_home_page_gives_a_program_with_cohorts_its_dates_and_runs() {
    // New Manager Essentials runs twice (Spring 2026 from 13 April, its
    // last session 21 May; Autumn 2026 from 14 September, its last
    // session 22 October): the home page's card says so, as it gives a
    // program without cohorts its dates.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    crate::common::build::build_example(&out, &[]).assert_code(0);
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    let card = home
        .split("<li class=\"card\">")
        .find(|c| c.contains("New Manager Essentials"))
        .expect("a card for New Manager Essentials");
    assert!(
        card.contains("<dt>Dates</dt><dd>Mon 13 Apr 2026 – Thu 22 Oct 2026</dd>"),
        "{card}"
    );
    assert!(
        card.contains("<dt>Cohorts</dt><dd>2 (latest: Autumn 2026)</dd>"),
        "{card}"
    );
    let other = home
        .split("<li class=\"card\">")
        .find(|c| c.contains("Leadership Accelerator"))
        .unwrap();
    assert!(!other.contains("<dt>Cohorts</dt>"), "{other}");
}
