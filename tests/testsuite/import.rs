//! `playbook import`: each survey tool's export layout, imported from the
//! synthetic fixtures of `tests/fixtures/exports/` (their layouts and
//! sources are in `docs/import-layouts.md`; the expected scores in the
//! fixtures' README), then built: the site shows the right paired figures,
//! and no name or address of the fixtures reaches the site folder, the
//! output or what import prints. Re-imports change nothing, corrected
//! exports replace what they wrote, `--dry-run` writes nothing. The bad
//! inputs are in `import_errors.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::build::{read_tree, repo_root};
use crate::common::{assert_no_panic, playbook, Fixture};

/// The demo program's import.yaml: the delegation survey of the fixtures
/// (four agreement statements, a 1–5 confidence question on the
/// `delegation` competency, a rating and a comment).
pub const IMPORT_YAML: &str = "\
# yaml-language-server: $schema=../../../schemas/import.schema.json
participant: [Email Address, Email, RecipientEmail, email]
scales:
  agree5: {Strongly disagree: 1, Disagree: 2, Neither agree nor disagree: 3, Agree: 4, Strongly agree: 5}
questions:
  - match: I hand over whole workstreams
    item: deleg-1
    scale: agree5
  - match: I agree the outcome, not the method
    item: deleg-2
    scale: agree5
  - match: I check in on delegated work only at the agreed points
    item: deleg-3
    scale: agree5
  - match: I let my team make decisions without me
    item: deleg-4
    scale: agree5
  - match: How confident are you delegating work you care about
    item: delegation
  - match: How useful was this session
    rating: true
  - match: What will you do differently
    comment: true
";

pub const IMPORT_YAML_PATH: &str = "content/demo/results/import.yaml";
pub const SURVEY: &str = "content/demo/results/survey.csv";

/// The items in the order of import.yaml.
const ITEMS: [&str; 5] = ["deleg-1", "deleg-2", "deleg-3", "deleg-4", "delegation"];

/// The fixtures' README: each person's scores (four statements, then
/// confidence), pre (P2's later response) and post (P4 did not answer).
const PRE: [[f64; 5]; 6] = [
    [2., 3., 2., 3., 2.],
    [2., 2., 3., 2., 2.],
    [3., 4., 3., 3., 3.],
    [4., 3., 4., 4., 4.],
    [2., 2., 1., 2., 2.],
    [3., 3., 2., 3., 3.],
];
const POST: [Option<[f64; 5]>; 6] = [
    Some([4., 4., 3., 4., 4.]),
    Some([3., 4., 4., 3., 3.]),
    Some([4., 5., 4., 4., 4.]),
    None,
    Some([3., 4., 2., 3., 3.]),
    Some([4., 3., 3., 4., 4.]),
];

/// Every invented name, address and id of the fixtures (the doc's list):
/// none may appear in anything import writes or prints.
pub const PERSONAL: &[&str] = &[
    "amara.okafor@example.org",
    "bruno.lindqvist@example.org",
    "chiara.bellucci@example.org",
    "dmitri.volkov@example.org",
    "elodie.brunet@example.org",
    "soren.hojgaard@example.org",
    "Amara",
    "Okafor",
    "Bruno",
    "Lindqvist",
    "Chiara",
    "Bellucci",
    "Dmitri",
    "Volkov",
    "Élodie",
    "Elodie",
    "Brunet",
    "Søren",
    "Soren",
    "Højgaard",
    "Hojgaard",
    "R_2xKq8TfW3mNpLa1",
    "R_2hYu6IoP3lAsJ9o",
    "R_1qWe8RtY6uIoP0w",
    "118112199553",
    "118112203208",
    "k3v9x1m2q8w7e6r5t4y3u2i1o0p9a8s7",
    "t1y2u3i4o5p6a7s8d9f0g1h2j3k4l5z6",
    "192.0.2.",
    "198.51.100.",
    "3a5f9c21d0",
];

/// A fixture export.
pub fn export(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures/exports").join(name)
}

/// The demo site with the survey's import.yaml.
pub fn site() -> Fixture {
    let f = Fixture::new();
    f.write(IMPORT_YAML_PATH, IMPORT_YAML);
    f
}

/// `playbook import demo EXPORT ARGS --site SITE` (no key in the
/// environment): exit code and everything printed.
pub fn import(site: &Path, export: &Path, args: &[&str]) -> (i32, String) {
    let out = playbook()
        .args(["--color", "never", "import", "demo"])
        .arg(export)
        .args(args)
        .arg("--site")
        .arg(site)
        .env_remove("PLAYBOOK_IMPORT_KEY")
        .output()
        .expect("run playbook");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_no_panic(&text);
    (out.status.code().expect("exit code"), text)
}

/// [`import`], which must succeed.
pub fn import_ok(site: &Path, export: &Path, args: &[&str]) -> String {
    let (code, text) = import(site, export, args);
    assert_eq!(code, 0, "import {} {args:?}:\n{text}", export.display());
    text
}

/// Build the site into `out`; the program's `program.json` and results page.
fn build(site: &Path, out: &Path) -> (serde_json::Value, String) {
    let run = playbook()
        .arg("build")
        .arg(site)
        .arg("--output")
        .arg(out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "build failed:\n{stderr}");
    let json = std::fs::read_to_string(out.join("demo/program.json")).unwrap();
    let page = std::fs::read_to_string(out.join("demo/results/index.html")).unwrap();
    (serde_json::from_str(&json).unwrap(), page)
}

/// A page's text without tags, white space made single spaces.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for c in html.chars() {
        match c {
            '<' => tag = true,
            '>' => {
                tag = false;
                out.push(' ');
            }
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Import `pre` and `post` (with `args` each) into a fresh site, build it,
/// and check every item's paired figures against the fixtures' README,
/// on the results page and in program.json. Returns what import printed.
fn pre_post(pre: (&str, &[&str]), post: (&str, &[&str]), tools: [&str; 2]) -> String {
    let f = site();
    let mut printed = String::new();
    for (((name, extra), phase), tool) in [(pre, "pre"), (post, "post")].into_iter().zip(tools) {
        let mut args = vec!["--as", "survey", "--phase", phase];
        args.extend_from_slice(extra);
        let text = import_ok(f.path(), &export(name), &args);
        assert!(
            text.contains(&format!("imported {tool} export")),
            "{name} was not read as {tool}:\n{text}"
        );
        printed.push_str(&text);
    }
    assert!(
        printed.contains("5 of 5 people paired with `pre` answers"),
        "{printed}"
    );
    let (json, page) = build(f.path(), &f.scratch("out"));
    let page = text_of(&page);
    let survey = json["results"]["survey"].as_array().unwrap();
    for (i, item) in ITEMS.iter().enumerate() {
        let pairs: Vec<(f64, f64)> = (0..6)
            .filter_map(|p| POST[p].map(|post| (PRE[p][i], post[i])))
            .collect();
        let n = pairs.len() as f64;
        let mean_pre = pairs.iter().map(|p| p.0).sum::<f64>() / n;
        let mean_post = pairs.iter().map(|p| p.1).sum::<f64>() / n;
        let got = survey
            .iter()
            .find(|s| s["item"] == *item)
            .unwrap_or_else(|| panic!("no item {item} in {survey:?}"));
        assert_eq!(got["n"], 5, "{item}");
        assert_eq!(got["pre_only"], 1, "{item}: P4 answered only before");
        let close = |v: &serde_json::Value, x: f64| (v.as_f64().unwrap() - x).abs() < 1e-9;
        assert!(close(&got["mean_pre"], mean_pre), "{item}: {got}");
        assert!(close(&got["mean_post"], mean_post), "{item}: {got}");
        assert!(
            close(&got["mean_change"], mean_post - mean_pre),
            "{item}: {got}"
        );
        // The page shows the same: n, before, after and the change.
        let shown = format!(
            "5 (+1 unpaired) small sample {mean_pre:.2} {mean_post:.2} +{:.2}",
            mean_post - mean_pre
        );
        assert!(page.contains(&shown), "{item}: `{shown}` not on the page");
    }
    printed
}

// Google Forms "Download responses (.csv)": advent-of-code-surveys
// CONTRIBUTING.md (Timestamp, Email Address, all fields quoted),
// google-sheet-format-form-grid-responses DEMONSTRATION.md (grid columns
// `Question [Row]`); `Email address` spelling: index #60859892641.
#[test]
fn google_forms_csv_pre_and_post_pair_on_the_site() {
    let printed = pre_post(
        ("google-forms-pre.csv", &[]),
        ("google-forms-post.csv", &[]),
        ["google-forms", "google-forms"],
    );
    // P2 answered twice; the later response counts, and the summary says so.
    assert!(
        printed.contains("1 duplicate: row 7 kept over row 3"),
        "{printed}"
    );
    assert!(printed.contains("warning[duplicate-response]"), "{printed}");
    assert!(
        printed.contains(
            "columns not used: What will you do differently?, How useful was this session? (and 1 metadata column)"
        ),
        "{printed}"
    );
}

// Microsoft Forms "Open results in Excel": mattbriggs/KWIC stoplist.py (ID,
// Start time, Completion time, Email, Name), the Tech Community thread
// "Export Likert Question Text with Statements" (statements as bare
// headers), index #26448509257 (Last modified time), #37044990132 (line
// breaks in headers).
#[test]
fn microsoft_forms_xlsx_pre_and_post_pair_on_the_site() {
    pre_post(
        ("microsoft-forms-pre.xlsx", &[]),
        ("microsoft-forms-post.xlsx", &[]),
        ["microsoft-forms", "microsoft-forms"],
    );
}

// Qualtrics "Export data → CSV", three header rows: the Qualtrics support
// page "Understanding your dataset", ropensci/qualtRics inst/extdata/
// sample.csv, tutorial-preserving-survey 54-qualtrics-data.md; with
// choice text and with numeric values.
#[test]
fn qualtrics_csv_pre_and_post_pair_on_the_site() {
    pre_post(
        ("qualtrics-pre.csv", &[]),
        ("qualtrics-post.csv", &[]),
        ["qualtrics", "qualtrics"],
    );
    pre_post(
        ("qualtrics-pre-numeric.csv", &[]),
        ("qualtrics-post-numeric.csv", &[]),
        ["qualtrics", "qualtrics"],
    );
}

// SurveyMonkey "All individual responses", two header rows (matrix text
// over its first column, statements in row 2): ajturner/dc-elections
// assets/2022_anc.csv and src/utils/response.ts. The fixtures hold the
// pre survey only; the post answers come from plain sheets.
#[test]
fn surveymonkey_csv_and_xlsx_pair_on_the_site() {
    let f = site();
    import_ok(
        f.path(),
        &export("surveymonkey-pre.csv"),
        &["--as", "survey", "--phase", "pre"],
    );
    let from_csv = f.read(SURVEY);
    // The XLSX layout gives the same rows as the CSV.
    let text = import_ok(
        f.path(),
        &export("surveymonkey-pre.xlsx"),
        &["--as", "survey", "--phase", "pre"],
    );
    assert!(text.contains("imported surveymonkey export"), "{text}");
    assert!(text.contains("unchanged (30 rows)"), "{text}");
    assert_eq!(f.read(SURVEY), from_csv);
    pre_post(
        ("surveymonkey-pre.csv", &[]),
        ("plain-multiline-headers.csv", &[]),
        ["surveymonkey", "plain"],
    );
}

// Typeform "Download all responses": the older layout (`#`, questions,
// Start/Submit Date (UTC), Network ID; index #16232976517) before, the
// 2023+ layout (Response Type, Stage Date, Tags; index #51932371547)
// after, with the address as a hidden field `email`.
#[test]
fn typeform_csv_pre_and_post_pair_on_the_site() {
    pre_post(
        ("typeform-pre.csv", &[]),
        ("typeform-post.csv", &[]),
        ["typeform", "typeform"],
    );
}

// Plain sheets as Excel saves them (`docs/import-layouts.md` §7): a CSV,
// an XLSX of several sheets (`--sheet`), serial dates and empty trailing
// cells.
#[test]
fn plain_csv_and_xlsx_pair_on_the_site() {
    pre_post(
        ("plain-pre.csv", &[]),
        ("plain-serial-dates-trailing.csv", &[]),
        ["plain", "plain"],
    );
    pre_post(
        ("plain-two-sheets.xlsx", &["--sheet", "Pre"]),
        ("plain-two-sheets.xlsx", &["--sheet", "Post"]),
        ["plain", "plain"],
    );
    pre_post(
        ("plain-pre.xlsx", &[]),
        ("plain-serial-dates-trailing.xlsx", &[]),
        ["plain", "plain"],
    );
}

/// The survey.csv that importing `name` as `pre` writes into a fresh site
/// with a fixed key, and what import printed.
fn survey_of(name: &str) -> (String, String) {
    let f = site();
    f.write(
        IMPORT_YAML_PATH,
        &format!("key: {}\n{IMPORT_YAML}", "ab".repeat(32)),
    );
    let text = import_ok(
        f.path(),
        &export(name),
        &["--as", "survey", "--phase", "pre"],
    );
    (f.read(SURVEY), text)
}

// Excel's encodings: "CSV UTF-8" (BOM; donatstudios.com), "CSV (Comma
// delimited)" on Western Windows (Windows-1252) and in a `;` locale
// (primidi.com), "Unicode Text" (UTF-16LE with BOM, tabs; herongyang.com).
#[test]
fn every_encoding_and_delimiter_gives_the_same_rows() {
    let (plain, _) = survey_of("plain-pre.csv");
    assert_eq!(plain.lines().count(), 31, "{plain}");
    assert!(plain.contains(",2025-03-04,survey pre self\n"), "{plain}");
    for name in [
        "plain-utf8-bom.csv",
        "plain-cp1252.csv",
        "plain-semicolon-cp1252.csv",
        "plain-utf16le-bom.txt",
        "plain-pre.xlsx",
    ] {
        let (rows, text) = survey_of(name);
        assert_eq!(rows, plain, "{name}");
        let said = text.contains("read as Windows-1252");
        assert_eq!(said, name.contains("cp1252"), "{name}: {text}");
    }
}

#[test]
fn pseudonyms_pair_across_tools_clones_and_machines_but_not_programs_or_keys() {
    let f = site();
    import_ok(
        f.path(),
        &export("google-forms-pre.csv"),
        &["--as", "survey", "--phase", "pre"],
    );
    // The same key (import.yaml, committed) in another clone of the site.
    let clone = Fixture::new();
    clone.write(IMPORT_YAML_PATH, &f.read(IMPORT_YAML_PATH));
    import_ok(
        clone.path(),
        &export("qualtrics-pre.csv"),
        &["--as", "survey", "--phase", "pre"],
    );
    let google = f.read(SURVEY);
    assert_eq!(clone.read(SURVEY), google);
    let key_line = f
        .read(IMPORT_YAML_PATH)
        .lines()
        .find(|l| l.starts_with("key: "))
        .unwrap()
        .to_string();
    assert_eq!(key_line.split_whitespace().nth(1).unwrap().len(), 64);
    // A key in the environment is used instead, and not written.
    let other = site();
    let run = |site: &Fixture| {
        let out = playbook()
            .args(["import", "demo"])
            .arg(export("google-forms-pre.csv"))
            .args(["--as", "survey", "--phase", "pre", "--site"])
            .arg(site.path())
            .env("PLAYBOOK_IMPORT_KEY", "0123456789abcdef".repeat(4))
            .output()
            .unwrap();
        assert!(out.status.success());
        site.read(SURVEY)
    };
    let with_env = run(&other);
    assert_eq!(other.read(IMPORT_YAML_PATH), IMPORT_YAML, "no key written");
    assert_ne!(with_env, google);
    assert_eq!(run(&other), with_env);
}

#[test]
fn the_same_export_again_changes_no_byte_and_files_keep_their_order() {
    let f = site();
    let steps: [(&str, &[&str]); 4] = [
        (
            "google-forms-pre.csv",
            &["--as", "survey", "--phase", "pre"],
        ),
        (
            "google-forms-pre.csv",
            &["--as", "ratings", "--session", "01-intro"],
        ),
        (
            "google-forms-post.csv",
            &["--as", "survey", "--phase", "post"],
        ),
        (
            "google-forms-pre.csv",
            &["--as", "feedback", "--session", "01-intro"],
        ),
    ];
    for (name, args) in steps {
        import_ok(f.path(), &export(name), args);
    }
    let before = read_tree(&f.file("content"));
    for (name, args) in steps {
        let text = import_ok(f.path(), &export(name), args);
        assert!(text.contains("unchanged ("), "{text}");
    }
    // The pre survey again, after the post one: its rows go back where
    // they were.
    import_ok(f.path(), &export(steps[0].0), steps[0].1);
    assert_eq!(read_tree(&f.file("content")), before);
}

/// The Google Forms pre export, corrected: P1's second statement changed,
/// P6's response removed.
fn corrected_pre() -> String {
    let text = std::fs::read_to_string(export("google-forms-pre.csv")).unwrap();
    text.split_inclusive('\n')
        .filter(|l| !l.contains("soren.hojgaard"))
        .map(|l| {
            if l.contains("amara.okafor") {
                l.replacen("\"Neither agree nor disagree\"", "\"Strongly agree\"", 1)
            } else {
                l.to_string()
            }
        })
        .collect()
}

#[test]
fn a_corrected_export_replaces_the_rows_it_wrote_and_keeps_the_others() {
    let f = site();
    import_ok(
        f.path(),
        &export("google-forms-pre.csv"),
        &["--as", "survey", "--phase", "pre"],
    );
    import_ok(
        f.path(),
        &export("google-forms-post.csv"),
        &["--as", "survey", "--phase", "post"],
    );
    // A row written by hand (empty `import` cell) stays.
    let hand = "someone,pre,deleg-1,3,,,,\n";
    let survey = f.read(SURVEY);
    f.write(SURVEY, &format!("{survey}{hand}"));
    let elsewhere = tempfile::tempdir().unwrap();
    let corrected = elsewhere.path().join("pre-corrected.csv");
    std::fs::write(&corrected, corrected_pre()).unwrap();
    let text = import_ok(f.path(), &corrected, &["--as", "survey", "--phase", "pre"]);
    assert!(
        text.contains("content/demo/results/survey.csv: 1 row changed, 5 rows removed"),
        "{text}"
    );
    let after = f.read(SURVEY);
    assert!(after.ends_with(hand), "{after}");
    let count = |s: &str, what: &str| s.lines().filter(|l| l.contains(what)).count();
    assert_eq!(count(&after, "survey pre self"), 25);
    assert_eq!(count(&after, "survey post self"), 25);
    assert_eq!(count(&after, ",5,self,"), count(&survey, ",5,self,") + 1);
}

#[test]
fn dry_run_prints_the_change_and_writes_nothing() {
    let f = site();
    let before = read_tree(f.path());
    let (code, text) = import(
        f.path(),
        &export("google-forms-pre.csv"),
        &["--as", "survey", "--phase", "pre", "--dry-run"],
    );
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("dry run: would import google-forms export"),
        "{text}"
    );
    assert!(
        text.contains("content/demo/results/survey.csv: would have 30 rows added"),
        "{text}"
    );
    assert!(text.contains("would write a new pseudonym key"), "{text}");
    assert!(text.contains("nothing written (--dry-run)"), "{text}");
    assert_eq!(read_tree(f.path()), before);
    import_ok(
        f.path(),
        &export("google-forms-pre.csv"),
        &["--as", "survey", "--phase", "pre"],
    );
    let imported = read_tree(f.path());
    let elsewhere = tempfile::tempdir().unwrap();
    let corrected = elsewhere.path().join("pre-corrected.csv");
    std::fs::write(&corrected, corrected_pre()).unwrap();
    let (_, text) = import(
        f.path(),
        &corrected,
        &["--as", "survey", "--phase", "pre", "--dry-run"],
    );
    assert!(
        text.contains("survey.csv: would have 1 row changed, 5 rows removed"),
        "{text}"
    );
    assert_eq!(read_tree(f.path()), imported);
}

#[test]
fn a_roster_then_attendance_marks_everyone_enrolled_present_or_absent() {
    let f = site();
    import_ok(f.path(), &export("plain-pre.csv"), &["--as", "roster"]);
    let roster = f.read("content/demo/results/roster.csv");
    assert_eq!(roster.lines().count(), 7, "6 people, P2 once:\n{roster}");
    // The post survey's respondents were present at the review (P4 not).
    let text = import_ok(
        f.path(),
        &export("google-forms-post.csv"),
        &["--as", "attendance", "--session", "03-review"],
    );
    assert!(text.contains("5 of 6 rostered people present"), "{text}");
    let attendance = f.read("content/demo/results/attendance.csv");
    assert_eq!(attendance.lines().count(), 7, "{attendance}");
    assert_eq!(attendance.matches(",1,attendance 03-review").count(), 5);
    assert_eq!(attendance.matches(",0,attendance 03-review").count(), 1);
    let (json, _) = build(f.path(), &f.scratch("out"));
    let a = &json["results"]["attendance"][0];
    assert_eq!(
        (a["present"].as_u64(), a["total"].as_u64()),
        (Some(5), Some(6))
    );
    // Someone not on the roster is added to it, with a warning.
    let elsewhere = tempfile::tempdir().unwrap();
    let small = elsewhere.path().join("roster-small.csv");
    std::fs::write(
        &small,
        "Email\namara.okafor@example.org\nbruno.lindqvist@example.org\n",
    )
    .unwrap();
    import_ok(f.path(), &small, &["--as", "roster"]);
    let text = import_ok(
        f.path(),
        &export("google-forms-post.csv"),
        &["--as", "attendance", "--session", "03-review"],
    );
    assert!(
        text.contains("warning[not-on-roster]: 3 people in the export are not on the roster"),
        "{text}"
    );
    let roster = f.read("content/demo/results/roster.csv");
    assert_eq!(
        roster.matches(",attendance 03-review").count(),
        3,
        "{roster}"
    );
    // The full roster again takes them onto the roster proper.
    import_ok(f.path(), &export("plain-pre.csv"), &["--as", "roster"]);
    let roster = f.read("content/demo/results/roster.csv");
    assert_eq!(roster.lines().count(), 7, "{roster}");
    assert!(!roster.contains("attendance"), "{roster}");
}

#[test]
fn ratings_and_feedback_need_no_participant_and_reimport_the_same() {
    let f = site();
    let elsewhere = tempfile::tempdir().unwrap();
    let anonymous = elsewhere.path().join("ratings.csv");
    std::fs::write(
        &anonymous,
        "How useful was this session?,What will you do differently?\n4,Ask first\n5,\n4,Ask first\n",
    )
    .unwrap();
    for what in ["ratings", "feedback"] {
        let args = ["--as", what, "--session", "02-practice"];
        import_ok(f.path(), &anonymous, &args);
        let file = format!("content/demo/results/{what}.csv");
        let first = f.read(&file);
        import_ok(f.path(), &anonymous, &args);
        assert_eq!(f.read(&file), first);
    }
    let ratings = f.read("content/demo/results/ratings.csv");
    assert_eq!(
        ratings.lines().count(),
        4,
        "each response its own row:\n{ratings}"
    );
    let feedback = f.read("content/demo/results/feedback.csv");
    assert_eq!(feedback.matches("Ask first").count(), 2, "{feedback}");
    let (json, _) = build(f.path(), &f.scratch("out"));
    assert_eq!(json["results"]["ratings"][0]["n"], 3);
}

#[test]
fn others_ratings_then_and_follow_up_are_written_with_rater_and_date() {
    let f = site();
    import_ok(
        f.path(),
        &export("qualtrics-post.csv"),
        &[
            "--as",
            "survey",
            "--phase",
            "follow-up",
            "--date",
            "2025-09-01",
        ],
    );
    import_ok(
        f.path(),
        &export("qualtrics-pre.csv"),
        &["--as", "survey", "--phase", "then", "--rater", "peer"],
    );
    let survey = f.read(SURVEY);
    let rows: Vec<Vec<&str>> = survey
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(
        survey.lines().next(),
        Some("participant,phase,item,score,rater,rater_id,date,import")
    );
    let follow: Vec<_> = rows.iter().filter(|r| r[1] == "follow-up").collect();
    assert_eq!(follow.len(), 25);
    assert!(follow
        .iter()
        .all(|r| r[4] == "self" && r[5].is_empty() && r[6] == "2025-09-01"));
    assert!(follow
        .iter()
        .all(|r| r[7] == "survey follow-up self 2025-09-01"));
    // Each peer response is a rater of its own, pseudonymised; P2's two
    // responses are two raters, so none is dropped.
    let peer: Vec<_> = rows.iter().filter(|r| r[1] == "then").collect();
    assert_eq!(peer.len(), 35);
    let raters: std::collections::BTreeSet<&str> = peer.iter().map(|r| r[5]).collect();
    assert_eq!(raters.len(), 7);
    assert!(raters.iter().all(|r| r.starts_with("p-") && r.len() == 14));
    assert!(peer.iter().all(|r| r[4] == "peer" && r[6] == "2025-03-04"));
}

#[test]
fn a_cohort_has_its_own_results_and_pseudonyms() {
    let f = site();
    import_ok(f.path(), &export("plain-pre.csv"), &["--as", "roster"]);
    let (code, text) = import(
        f.path(),
        &export("plain-pre.csv"),
        &["--as", "roster", "--cohort", "spring"],
    );
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("`spring` is no cohort of `demo`"), "{text}");
    f.write(
        "content/demo/cohorts/spring/cohort.yaml",
        "title: Spring 2026\nstart: 2026-03-02\n",
    );
    import_ok(
        f.path(),
        &export("plain-pre.csv"),
        &["--as", "roster", "--cohort", "spring"],
    );
    let program: Vec<String> = f
        .read("content/demo/results/roster.csv")
        .lines()
        .map(|l| l[..14].to_string())
        .collect();
    let cohort = f.read("content/demo/cohorts/spring/results/roster.csv");
    assert_eq!(cohort.lines().count(), 7);
    assert!(
        cohort
            .lines()
            .skip(1)
            .all(|l| !program.contains(&l[..14].to_string())),
        "pseudonyms are per cohort:\n{cohort}"
    );
    assert!(f
        .read("content/demo/cohorts/spring/results/import.yaml")
        .contains("key: "));
}

/// Every file under `dir`, as text.
fn texts(dir: &Path) -> BTreeMap<String, String> {
    read_tree(dir)
        .into_iter()
        .map(|(k, v)| (k, String::from_utf8_lossy(&v).into_owned()))
        .collect()
}

#[test]
fn no_name_address_or_tool_id_of_the_fixtures_reaches_the_site_or_the_output() {
    let f = site();
    let mut printed = String::new();
    let imports: &[(&str, &[&str])] = &[
        ("plain-pre.xlsx", &["--as", "roster"]),
        (
            "google-forms-pre.csv",
            &["--as", "attendance", "--session", "01-intro"],
        ),
        (
            "google-forms-pre.csv",
            &["--as", "survey", "--phase", "pre"],
        ),
        ("typeform-post.csv", &["--as", "survey", "--phase", "post"]),
        (
            "qualtrics-pre.csv",
            &["--as", "ratings", "--session", "01-intro"],
        ),
        (
            "surveymonkey-pre.csv",
            &["--as", "feedback", "--session", "01-intro"],
        ),
        (
            "microsoft-forms-post.xlsx",
            &["--as", "survey", "--phase", "then", "--rater", "manager"],
        ),
        (
            "qualtrics-post.csv",
            &["--as", "ratings", "--session", "02-practice"],
        ),
        ("typeform-pre.csv", &["--as", "feedback"]),
        (
            "surveymonkey-pre.xlsx",
            &[
                "--as",
                "attendance",
                "--session",
                "02-practice",
                "--dry-run",
            ],
        ),
    ];
    for (name, args) in imports {
        printed.push_str(&import_ok(f.path(), &export(name), args));
    }
    // An error about a participant cell does not show it either.
    let elsewhere = tempfile::tempdir().unwrap();
    let broken = elsewhere.path().join("broken.csv");
    std::fs::write(
        &broken,
        "Email,How useful was this session?\nbruno.lindqvist@example.org,x\n",
    )
    .unwrap();
    printed.push_str(
        &import(
            f.path(),
            &broken,
            &["--as", "ratings", "--session", "01-intro"],
        )
        .1,
    );
    let out = f.scratch("out");
    // Then: a then-test row is not readable yet, so build the site
    // without it.
    let survey = f.read(SURVEY);
    let kept: String = survey
        .split_inclusive('\n')
        .filter(|l| !l.contains(",then,"))
        .collect();
    f.write(SURVEY, &kept);
    let (_, _) = build(f.path(), &out);
    let mut files = texts(f.path());
    files.extend(
        texts(&out)
            .into_iter()
            .map(|(k, v)| (format!("out/{k}"), v)),
    );
    files.insert("(what import printed)".into(), printed.clone());
    for (file, text) in &files {
        let lower = text.to_lowercase();
        for s in PERSONAL {
            assert!(!lower.contains(&s.to_lowercase()), "`{s}` is in {file}");
        }
    }
    // Pseudonyms stay out of the built site.
    let pseudonyms: Vec<&str> = kept.lines().skip(1).map(|l| &l[..14]).collect();
    for (file, text) in texts(&out) {
        for p in &pseudonyms {
            assert!(!text.contains(p), "the pseudonym {p} is in {file}");
        }
    }
    assert!(printed.contains("survey.csv: 30 rows added"), "{printed}");
}
