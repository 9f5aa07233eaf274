//! One mistake, one error: a single mutation of the example site (a typo in
//! front matter, in each alignment file, in `program.yaml`, in each results
//! file) is reported once, where it was made, and nothing that depends on
//! the mistaken entity echoes it (no "unknown session" on every CSV row
//! that names a session whose front matter has a typo, no coverage warning
//! because an entity vanished).

use std::path::Path;

use crate::common::*;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const P: &str = "content/leadership-accelerator";

/// One mutation: in `file` (under the program folder), replace the first
/// `from` with `to`; exactly one diagnostic, an error with `code`, must
/// follow, in `file`, on the line where `to` starts (unless `anywhere`).
struct Case {
    file: &'static str,
    from: &'static str,
    to: &'static str,
    code: &'static str,
    /// The error's line is not the mutated line (a missing key is reported
    /// at the mapping that lacks it).
    anywhere: bool,
    /// The hint must contain this.
    hint: Option<&'static str>,
}

const fn case(
    file: &'static str,
    from: &'static str,
    to: &'static str,
    code: &'static str,
) -> Case {
    Case {
        file,
        from,
        to,
        code,
        anywhere: false,
        hint: None,
    }
}

const S02: &str = "sessions/02-goal-setting-one-on-one.md";
const COMP: &str = "alignment/competencies.yaml";
const MAP: &str = "alignment/action-map.yaml";
const EVAL: &str = "alignment/evaluation.yaml";
const METRICS: &str = "alignment/metrics.yaml";

fn cases() -> Vec<Case> {
    let mut v = vec![
        // Session front matter: the session keeps its id (its file name) and
        // what could be read, so the CSV rows that name it still resolve.
        case(S02, "duration: 45", "duraton: 45", "unknown-key"),
        case(S02, "kind: one-on-one", "kind: coaching", "invalid-value"),
        case(S02, "week: 1\n", "week: two\n", "wrong-type"),
        case(
            S02,
            "requires: [01-kickoff]",
            "requires: [01-kickoff",
            "yaml-syntax",
        ),
        case(
            S02,
            "competencies: [delegation, asking-for-help]",
            "competencies: [delegaton, asking-for-help]",
            "unknown-reference",
        ),
        case(S02, "duration: 45", "duration: forty-five", "wrong-type"),
        // Step 1.
        case(
            COMP,
            "    behaviors:\n      - Agrees the outcome",
            "    behaviours:\n      - Agrees the outcome",
            "unknown-key",
        ),
        case(
            COMP,
            "values: [ownership, shared-load]",
            "values: [ownershp, shared-load]",
            "unknown-reference",
        ),
        case(
            COMP,
            "    name: Delegating effectively\n",
            "    nmae: Delegating effectively\n",
            "unknown-key",
        ),
        // Step 2.
        case(
            MAP,
            "      - kind: skill\n",
            "      - kind: skils\n",
            "invalid-value",
        ),
        case(
            MAP,
            "    competencies: [delegation]\n",
            "    competences: [delegation]\n",
            "unknown-key",
        ),
        // Step 3.
        case(
            EVAL,
            "    level: behavior\n",
            "    level: behaviour\n",
            "invalid-value",
        ),
        case(
            EVAL,
            "    competencies: [asking-for-help]\n",
            "    competencies: [asking-for-hlp]\n",
            "unknown-reference",
        ),
        // Step 4.
        case(
            METRICS,
            "category: participation",
            "category: participaton",
            "invalid-value",
        ),
        case(METRICS, "target: 0.85", "target: high", "wrong-type"),
        case(
            METRICS,
            "    kind: log\n",
            "    kind: logg\n",
            "invalid-value",
        ),
        case(METRICS, "    tier: 1\n", "    tier: 9\n", "out-of-range"),
        // The program.
        case(
            "program.yaml",
            "organization: Brightline Events",
            "organisation: Brightline Events",
            "unknown-key",
        ),
        case(
            "program.yaml",
            "start: 2026-01-12",
            "start: 2026-13-12",
            "invalid-value",
        ),
        case(
            "program.yaml",
            "cohort_size: 14",
            "cohort_size: fourteen",
            "wrong-type",
        ),
        // Each results file.
        case(
            "results/attendance.csv",
            "01-kickoff,p01,1",
            "01-kickoff,p01,maybe",
            "invalid-value",
        ),
        case(
            "results/ratings.csv",
            "01-kickoff,p01,5",
            "01-kickoff,p01,7",
            "out-of-range",
        ),
        case(
            "results/ratings.csv",
            "01-kickoff,p01,5",
            "01-kikoff,p01,5",
            "unknown-reference",
        ),
        case(
            "results/survey.csv",
            "p01,pre,delegation,3",
            "p01,pre,delegation,abc",
            "malformed-number",
        ),
        case(
            "results/observations.csv",
            "2026-02-06,3.0",
            "2026-02-31,3.0",
            "invalid-value",
        ),
        case(
            "results/feedback.csv",
            "07-delegation-workshop,delegation,teams",
            "07-delegation-workshop,delegaton,teams",
            "unknown-reference",
        ),
    ];
    // A missing required key is reported at the mapping that lacks it.
    v.push(Case {
        anywhere: true,
        ..case(S02, "title: Goal-setting one-on-one\n", "", "missing-key")
    });
    v.push(Case {
        anywhere: true,
        ..case(
            COMP,
            "    name: Delegating effectively\n",
            "",
            "missing-key",
        )
    });
    // A file that does not parse at all hides its entities, and references
    // to them are not reported again.
    v.push(case(
        COMP,
        "    name: Delegating effectively\n",
        "    name: \"Delegating effectively\n",
        "yaml-syntax",
    ));
    v.push(Case {
        anywhere: true,
        ..case(
            S02,
            "---\ntitle: Goal-setting",
            "title: Goal-setting",
            "missing-front-matter",
        )
    });
    v
}

fn example_copy() -> Fixture {
    let f = Fixture::empty();
    std::fs::copy(
        Path::new(ROOT).join("playbook.yaml"),
        f.file("playbook.yaml"),
    )
    .unwrap();
    copy_tree(&Path::new(ROOT).join("content"), &f.file("content"));
    copy_tree(&Path::new(ROOT).join("static"), &f.file("static"));
    copy_tree(&Path::new(ROOT).join("library"), &f.file("library"));
    f
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

#[test]
fn each_single_mistake_in_the_example_is_one_error() {
    let cases = cases();
    assert!(cases.len() >= 20);
    let mut failures = Vec::new();
    for c in &cases {
        let f = example_copy();
        let rel = format!("{P}/{}", c.file);
        let text = f.read(&rel);
        let at = text
            .find(c.from)
            .unwrap_or_else(|| panic!("{rel}: `{}` not found", c.from));
        f.write(&rel, &text.replacen(c.from, c.to, 1));
        // The line where the change starts (its first non-blank line).
        let skip = c.to.len() - c.to.trim_start_matches('\n').len();
        let line = line_of(&f.read(&rel), at + skip);
        let out = f.check(&[]);
        let mut want = error(c.code);
        want.file = Some(rel.clone());
        if !c.anywhere {
            want.line = Some(line);
        }
        if let Some(h) = c.hint {
            want = want.hint(h);
        }
        let ok = out.diagnostics.len() == 1 && want.matches(&out.diagnostics[0]) && out.code == 1;
        if !ok {
            failures.push(format!(
                "{rel}: `{}` → `{}`: want exactly {want}, got (exit {}):\n{}",
                c.from.escape_debug(),
                c.to.escape_debug(),
                out.code,
                out.listing()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} mutations did not give exactly one error:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn a_metric_written_under_instruments_is_one_error_that_names_the_right_list() {
    let f = example_copy();
    let rel = format!("{P}/{METRICS}");
    let text = f.read(&rel);
    // Move the first metric entry to the end of `instruments:`.
    let start = text.find("  - id: attendance\n").unwrap();
    let end = start
        + text[start..]
            .find("  - id: practice-participation")
            .unwrap_or(0);
    assert!(end > start, "the example's first two metrics moved");
    let entry = &text[start..end];
    let mut moved = format!("{}{}", &text[..start], &text[end..]);
    if !moved.ends_with('\n') {
        moved.push('\n');
    }
    let line = moved.matches('\n').count() + 1;
    moved.push_str(entry);
    f.write(&rel, &moved);
    let out = f.check(&[]);
    let mut want = error("unknown-key").hint("metrics:");
    want.file = Some(rel);
    want.line = Some(line + 2);
    out.assert_only(&want);
}

#[test]
fn a_quoted_csv_cell_is_underlined_alone() {
    let f = example_copy();
    let rel = format!("{P}/results/feedback.csv");
    f.edit(
        &rel,
        "07-delegation-workshop,delegation,teams",
        "07-delegation-workshop,delegaton,teams",
    );
    let out = f.check(&[]);
    let d = out.assert_only(&error("unknown-reference"));
    let row = f.read(&rel).lines().nth(1).unwrap().to_string();
    let col = row.find("delegaton").unwrap() + 1;
    assert_eq!(
        (d.line, d.column, d.end_line, d.end_column),
        (Some(2), Some(col), Some(2), Some(col + "delegaton".len())),
        "{d}"
    );
}

/// A file with a mistake in every entry: each repair re-reads the file, so
/// recovery is bounded (yaml/recover.rs) — the mistakes found within the
/// bound are reported, in bounded time and memory, and the file's entities
/// are then hidden without echoes; a file past the size recovery repairs
/// gets the strict parse's one error.
#[test]
fn a_mistake_in_every_entry_is_recovered_within_bounds() {
    let entries = |n: usize| -> String {
        let body: String = (0..n)
            .map(|i| format!("  - id: m{i}\n    name: M\n    category: outcome\n    bogus: 1\n"))
            .collect();
        format!("metrics:\n{body}")
    };
    for (text, min_errors) in [(entries(2_000), 5), (entries(17_000), 1)] {
        let f = example_copy();
        let rel = format!("{P}/{METRICS}");
        f.write(&rel, &text);
        let mut cmd = playbook();
        cmd.args(["check", "--format", "json"]).arg(f.path());
        let cost = run_measured(cmd, std::time::Duration::from_secs(120), 200 << 20);
        assert_eq!(cost.code, 1, "{}", cost.stderr);
        let errors = cost.stdout.matches("\"severity\": \"error\"").count();
        let unknown_keys = cost.stdout.matches("\"code\": \"unknown-key\"").count();
        assert_eq!(errors, unknown_keys, "only the mistakes:\n{}", cost.stdout);
        assert!(
            (min_errors..=200).contains(&errors),
            "{} bytes: {errors} errors",
            text.len()
        );
    }
}

/// A session whose `week` cannot be read has no known place in the
/// curriculum: no `requires` order is checked against it — but every other
/// session's order still is.
#[test]
fn an_unreadable_week_hides_only_the_order_it_decides() {
    let f = Fixture::new();
    f.edit(INTRO, "week: 1\n", "week: one\n");
    f.edit(
        REVIEW,
        "requires: [01-intro, 02-practice]",
        "requires: [01-intro]",
    );
    f.edit(
        PRACTICE,
        "requires: [01-intro]",
        "requires: [01-intro, 03-review]",
    );
    let out = f.check(&[]);
    out.assert_has(&error("wrong-type").at(INTRO, 4, 7));
    out.assert_has(&error("requires-order").at(PRACTICE, 9, 22));
    assert_eq!(out.diagnostics.len(), 2, "{}", out.listing());
}

/// A results file naming an entity of a file that could not be read at
/// all: that file's error is the one error.
#[test]
fn results_rows_do_not_echo_an_unreadable_file() {
    let f = example_copy();
    let rel = format!("{P}/{EVAL}");
    f.edit(&rel, "signals:\n", "signals: [\n");
    let out = f.check(&[]);
    let mut want = error("yaml-syntax");
    want.file = Some(rel);
    out.assert_only(&want);
}
