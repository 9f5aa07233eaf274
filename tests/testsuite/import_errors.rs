//! `playbook import` on bad input: every error rule of FORMAT.md's import
//! section and the list (a wrong kind of export, an item that does
//! not exist, an empty export, a missing header row, …). Each names the
//! export's row and column (or cell) or import.yaml's line, exits 1 (2 for
//! wrong options and unreadable paths), and writes nothing — not even the
//! key a first import would add.

use std::path::{Path, PathBuf};

use crate::common::build::read_tree;
use crate::import::{export, import, import_ok, site, IMPORT_YAML, IMPORT_YAML_PATH, SURVEY};

/// An export written into a folder of its own (outside the site).
struct Scratch(tempfile::TempDir);

impl Scratch {
    fn new() -> Self {
        Scratch(tempfile::tempdir().unwrap())
    }
    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

/// A fixture export with `from` replaced (once) by `to` on the line that
/// holds `on`.
fn edited(name: &str, on: &str, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(export(name)).unwrap();
    let mut done = false;
    text.split_inclusive('\n')
        .map(|l| {
            if !done && l.contains(on) && l.contains(from) {
                done = true;
                l.replacen(from, to, 1)
            } else {
                l.to_string()
            }
        })
        .collect()
}

/// Run an import that must fail with `code`, print every one of `wanted`,
/// and leave the site as it was.
fn fails(site: &Path, export: &Path, args: &[&str], code: i32, wanted: &[&str]) -> String {
    let before = read_tree(site);
    let (got, text) = import(site, export, args);
    assert_eq!(got, code, "{text}");
    for w in wanted {
        assert!(text.contains(w), "`{w}` not in:\n{text}");
    }
    assert!(!text.lines().any(|l| l.starts_with("imported ")), "{text}");
    assert_eq!(read_tree(site), before, "the site changed:\n{text}");
    text
}

const SURVEY_PRE: &[&str] = &["--as", "survey", "--phase", "pre"];

#[test]
fn an_answer_word_missing_from_its_scale_is_named_at_its_row_and_column() {
    let f = site();
    let s = Scratch::new();
    let csv = edited(
        "plain-pre.csv",
        "chiara",
        "Agree,Neither",
        "Agree strongly,Neither",
    );
    fails(
        f.path(),
        &s.file("pre.csv", csv),
        SURVEY_PRE,
        1,
        &[
            "error[unknown-answer]: row 4, column `I agree the outcome, not the method`: the answer `Agree strongly` is not a word of the scale `agree5`",
            "the scale has: Strongly disagree = 1, Disagree = 2",
        ],
    );
    // In a workbook: the cell.
    f.write(
        IMPORT_YAML_PATH,
        &IMPORT_YAML.replace("{Strongly disagree: 1, ", "{"),
    );
    fails(
        f.path(),
        &export("microsoft-forms-pre.xlsx"),
        SURVEY_PRE,
        1,
        &[
            // Row 3 is P2's first response, dropped for the later one.
            "error[unknown-answer]: cell H6 (column `I check in on delegated work only at the agreed points`): the answer `Strongly disagree` is not a word",
        ],
    );
}

#[test]
fn a_number_answer_without_a_scale_and_a_rating_out_of_range_are_named() {
    let f = site();
    f.write(
        IMPORT_YAML_PATH,
        &IMPORT_YAML.replacen(
            "    item: deleg-1\n    scale: agree5\n",
            "    item: deleg-1\n",
            1,
        ),
    );
    fails(
        f.path(),
        &export("google-forms-pre.csv"),
        SURVEY_PRE,
        1,
        &["error[malformed-number]: row 2, column `How much do you agree with each statement? [I hand over whole workstreams]`: the answer `Disagree` is not a number"],
    );
    let f = site();
    let s = Scratch::new();
    let csv = edited("plain-pre.csv", "dmitri", ",4,,5", ",4,,6");
    fails(
        f.path(),
        &s.file("ratings.csv", csv),
        &["--as", "ratings", "--session", "01-intro"],
        1,
        &["error[out-of-range]: row 5, column `How useful was this session?`: the rating 6 is not a whole point from 1 to 5"],
    );
}

#[test]
fn a_match_that_finds_no_column_or_several_is_named_in_import_yaml() {
    let f = site();
    f.write(
        IMPORT_YAML_PATH,
        &IMPORT_YAML.replace(
            "match: I hand over whole workstreams",
            "match: I hand over all workstreams",
        ),
    );
    fails(
        f.path(),
        &export("google-forms-pre.csv"),
        SURVEY_PRE,
        1,
        &[
            "error[unmatched-question]: no column of the export matches `match: I hand over all workstreams` (item `deleg-1`)",
            "content/demo/results/import.yaml:6:12",
            "did you mean `i hand over whole workstreams`?",
        ],
    );
    // Only the items the export asks: --items.
    import_ok(
        f.path(),
        &export("google-forms-pre.csv"),
        &[
            "--as",
            "survey",
            "--phase",
            "pre",
            "--items",
            "deleg-2,delegation",
        ],
    );
    let f = site();
    f.write(
        IMPORT_YAML_PATH,
        &IMPORT_YAML.replace("match: I hand over whole workstreams", "match: I"),
    );
    fails(
        f.path(),
        &export("typeform-pre.csv"),
        SURVEY_PRE,
        1,
        &[
            "error[ambiguous-question]: `match: I` (item `deleg-1`) matches 4 columns of the export: `I hand over whole workstreams`, `I agree the outcome, not the method`",
            "content/demo/results/import.yaml:6:12",
        ],
    );
    fails(
        f.path(),
        &export("typeform-pre.csv"),
        &["--as", "survey", "--phase", "pre", "--items", "deleg-9"],
        1,
        &["error[unknown-reference]: --items names `deleg-9`, which no question of import.yaml maps to"],
    );
}

#[test]
fn an_export_of_the_wrong_kind_is_refused_with_the_right_as() {
    let f = site();
    let s = Scratch::new();
    let ratings = s.file(
        "ratings.csv",
        "Email,How useful was this session?\namara.okafor@example.org,4\n",
    );
    fails(
        f.path(),
        &ratings,
        SURVEY_PRE,
        1,
        &["error[wrong-export]: this export is not a survey export: no column matches a survey item of import.yaml, but its columns match questions for --as ratings"],
    );
    let sign_in = s.file("sign-in.csv", "Email,Name\namara.okafor@example.org,A\n");
    fails(
        f.path(),
        &sign_in,
        &["--as", "ratings", "--session", "01-intro"],
        1,
        &["error[unmatched-question]: no column of this export matches the rating of import.yaml"],
    );
}

#[test]
fn an_item_that_is_no_competency_but_nearly_one_is_an_error_for_import_and_check() {
    let f = site();
    f.write(
        IMPORT_YAML_PATH,
        &IMPORT_YAML.replace("item: delegation", "item: delegaton"),
    );
    fails(
        f.path(),
        &export("google-forms-pre.csv"),
        SURVEY_PRE,
        1,
        &[
            "error[unknown-reference]: survey item `delegaton` is no competency of `demo`, but nearly the competency `delegation`",
            "import.yaml:19:11",
            "did you mean `delegation`?",
        ],
    );
    let out = f.check(&[]);
    assert_eq!(out.code, 1);
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.code == "unknown-reference")
        .unwrap();
    assert_eq!(
        (d.file.as_deref(), d.line, d.column),
        (Some(IMPORT_YAML_PATH), Some(19), Some(11))
    );
}

#[test]
fn an_empty_export_or_one_without_responses_is_an_error() {
    let f = site();
    let s = Scratch::new();
    fails(
        f.path(),
        &s.file("empty.csv", ""),
        SURVEY_PRE,
        1,
        &["error[empty-export]: the export is empty: it has no rows"],
    );
    fails(
        f.path(),
        &s.file("blank.csv", ",,,\n,,,\n"),
        SURVEY_PRE,
        1,
        &["error[empty-export]"],
    );
    let header = std::fs::read_to_string(export("google-forms-pre.csv")).unwrap();
    let header = header.lines().next().unwrap();
    fails(
        f.path(),
        &s.file("header.csv", format!("{header}\n")),
        SURVEY_PRE,
        1,
        &["error[empty-export]: the export has its header but no responses"],
    );
}

#[test]
fn an_export_without_its_header_row_is_an_error_at_row_1() {
    let f = site();
    let s = Scratch::new();
    let text = std::fs::read_to_string(export("plain-pre.csv")).unwrap();
    let rows: String = text.split_inclusive('\n').skip(1).collect();
    fails(
        f.path(),
        &s.file("no-header.csv", rows),
        SURVEY_PRE,
        1,
        &["error[missing-header]: row 1, column 1: the header row is missing: the first row holds an e-mail address"],
    );
    // SurveyMonkey without its second header row: the matrix rows are gone.
    let text = std::fs::read_to_string(export("surveymonkey-pre.csv")).unwrap();
    let rows: String = text
        .split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, l)| l)
        .collect();
    fails(
        f.path(),
        &s.file("sm.csv", rows),
        SURVEY_PRE,
        1,
        &["error[missing-header]: row 1, column 11: a column has no question text and there is no second header row"],
    );
}

#[test]
fn a_survey_roster_or_attendance_needs_a_participant_in_every_response() {
    let f = site();
    let s = Scratch::new();
    let text = std::fs::read_to_string(export("plain-pre.csv")).unwrap();
    let without: String = text
        .lines()
        .map(|l| format!("{}\n", l.split_once(',').unwrap().1))
        .collect();
    for args in [SURVEY_PRE, &["--as", "roster"][..]] {
        fails(
            f.path(),
            &s.file("anonymous.csv", &without),
            args,
            1,
            &["error[missing-participant]: no participant column: the export has none of `Email Address`, `Email`, `RecipientEmail`, `email`"],
        );
    }
    let csv = text.replacen("dmitri.volkov@example.org", "", 1);
    fails(
        f.path(),
        &s.file("gap.csv", csv),
        SURVEY_PRE,
        1,
        &["error[missing-participant]: row 5, column `Email`: this response has no participant"],
    );
    import_ok(f.path(), &export("plain-pre.csv"), &["--as", "roster"]);
    fails(
        f.path(),
        &s.file("anonymous.csv", &without),
        &["--as", "attendance", "--session", "01-intro"],
        1,
        &["error[missing-participant]"],
    );
}

#[test]
fn attendance_without_a_roster_is_an_error() {
    let f = site();
    fails(
        f.path(),
        &export("google-forms-post.csv"),
        &["--as", "attendance", "--session", "01-intro"],
        1,
        &[
            "error[no-roster]: content/demo/results/roster.csv has no participants",
            "import the roster first",
        ],
    );
}

#[test]
fn unreadable_exports_are_errors_that_say_why() {
    let f = site();
    let s = Scratch::new();
    fails(
        f.path(),
        &s.file(
            "quote.csv",
            "Email,How useful was this session?\n\"a@b.org,4\nc@d.org,5\n",
        ),
        &["--as", "ratings", "--session", "01-intro"],
        1,
        &[
            "error[unreadable-export]: a quote opened on line",
            "is never closed",
        ],
    );
    let utf16: Vec<u8> = "Email,X\na@b.org,1\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    fails(
        f.path(),
        &s.file("utf16.csv", utf16),
        SURVEY_PRE,
        1,
        &[
            "error[unreadable-export]: the file looks like UTF-16 text without a byte-order mark",
            "CSV UTF-8",
        ],
    );
    fails(
        f.path(),
        &s.file("broken.xlsx", b"PK\x03\x04 not really a workbook"),
        SURVEY_PRE,
        1,
        &["error[unreadable-export]: the workbook cannot be read"],
    );
}

#[test]
fn wrong_options_and_paths_exit_2() {
    let f = site();
    let pre = export("google-forms-pre.csv");
    let cases: &[(&Path, &[&str], &str)] = &[
        (&pre, &["--as", "survey"], "--as survey needs --phase"),
        (&pre, &["--as", "ratings"], "--as ratings needs --session"),
        (
            &pre,
            &["--as", "roster", "--phase", "pre"],
            "--phase is for --as survey only",
        ),
        (
            &pre,
            &["--as", "survey", "--phase", "pre", "--date", "4 March"],
            "--date 4 March is not a date",
        ),
        (
            &pre,
            &["--as", "ratings", "--session", "01-intr"],
            "`01-intr` is no session of `demo`",
        ),
        (
            &pre,
            &["--as", "roster", "--sheet", "Pre"],
            "the export is a CSV file, which has no sheets",
        ),
        (
            &export("plain-two-sheets.xlsx"),
            &["--as", "roster"],
            "the workbook has 2 sheets with responses: `Pre`, `Post`",
        ),
        (
            &export("plain-two-sheets.xlsx"),
            &["--as", "roster", "--sheet", "Pst"],
            "did you mean `Post`?",
        ),
        (
            Path::new("/nonexistent/export.csv"),
            &["--as", "roster"],
            "cannot read the export",
        ),
    ];
    for (export, args, wanted) in cases {
        fails(f.path(), export, args, 2, &[wanted]);
    }
    let before = read_tree(f.path());
    let out = crate::common::playbook()
        .args(["import", "dem", "x.csv", "--as", "roster", "--site"])
        .arg(f.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(text.contains("`dem` is no program of this site"), "{text}");
    assert!(text.contains("did you mean `demo`?"), "{text}");
    assert_eq!(read_tree(f.path()), before);
}

#[test]
fn a_row_written_by_hand_with_the_same_key_is_a_conflict() {
    let f = site();
    import_ok(f.path(), &export("google-forms-pre.csv"), SURVEY_PRE);
    let survey = f.read(SURVEY);
    let row = survey
        .lines()
        .nth(3)
        .unwrap()
        .replace(",survey pre self", ",");
    f.write(SURVEY, &format!("{survey}{row}\n"));
    fails(
        f.path(),
        &export("google-forms-pre.csv"),
        SURVEY_PRE,
        1,
        &["error[import-conflict]: content/demo/results/survey.csv line 32 has a row for the same participant, phase `pre`, item `deleg-3` (written by hand): importing would make two"],
    );
}

#[test]
fn check_reports_import_yaml_problems_where_they_are() {
    let f = site();
    f.write(
        IMPORT_YAML_PATH,
        &format!(
            "key: 12zz\n{}",
            IMPORT_YAML
                .replace("participant:", "participants:")
                .replace(
                    "    item: deleg-2\n    scale: agree5",
                    "    item: deleg-2\n    scale: agree7"
                )
        ),
    );
    let out = f.check(&[]);
    let got: Vec<(&str, Option<usize>)> = out
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.line))
        .collect();
    assert_eq!(got, [("unknown-key", Some(3))], "{:?}", out.diagnostics);
    assert_eq!(
        out.diagnostics[0].hint.as_deref(),
        Some("did you mean `participant`?")
    );
    f.write(
        IMPORT_YAML_PATH,
        &format!(
            "key: 12zz\n{}",
            IMPORT_YAML.replace(
                "    item: deleg-2\n    scale: agree5",
                "    item: deleg-2\n    scale: agree7\n    comment: true"
            )
        ),
    );
    let out = f.check(&[]);
    let got: Vec<(&str, Option<usize>)> = out
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.line))
        .collect();
    assert_eq!(
        got,
        [
            ("invalid-value", Some(1)),
            ("invalid-value", Some(10)),
            ("invalid-value", Some(12)),
        ],
        "{:?}",
        out.diagnostics
    );
}

#[test]
fn imported_rows_without_their_key_are_refused_instead_of_given_new_pseudonyms() {
    let f = site();
    import_ok(f.path(), &export("google-forms-pre.csv"), SURVEY_PRE);
    // The key was kept outside, and is not set now.
    f.write(IMPORT_YAML_PATH, IMPORT_YAML);
    fails(
        f.path(),
        &export("google-forms-post.csv"),
        &["--as", "survey", "--phase", "post"],
        2,
        &[
            "error[usage]: content/demo/results/survey.csv holds imported rows, but there is no key",
            "set PLAYBOOK_IMPORT_KEY to the key those rows were made with",
        ],
    );
}

#[cfg(unix)]
#[test]
fn a_results_folder_linked_outside_the_site_is_refused() {
    // A repository's results/ linked to a folder elsewhere: an import
    // would read import.yaml from there and write the results files there.
    let f = site();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(
        elsewhere.path().join("import.yaml"),
        f.read(IMPORT_YAML_PATH),
    )
    .unwrap();
    f.remove("content/demo/results");
    f.symlink("content/demo/results", elsewhere.path());
    let s = Scratch::new();
    let text = fails(
        f.path(),
        &s.file("pre.csv", std::fs::read(export("plain-pre.csv")).unwrap()),
        SURVEY_PRE,
        2,
        &["content/demo/results", "outside the site"],
    );
    assert_eq!(
        read_tree(elsewhere.path()).len(),
        1,
        "nothing written there: {text}"
    );
}
