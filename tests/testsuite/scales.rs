//! FORMAT.md v1.2, survey items and scales (`survey_items`, `scales` in
//! metrics.yaml) and the metric keys `rater`, `compare` and `source:
//! reliable-change`: every error rule, as `check` reports it.

use crate::common::{error, Fixture, METRICS};

const SURVEY: &str = "content/demo/results/survey.csv";

/// Declared items and a scale, appended to the fixture's metrics.yaml.
const SCALES: &str = "\
survey_items:
  - id: deleg-1
    text: I agree the outcome and deadline when I hand over work
  - id: deleg-2
    text: I redo work my team has done
    better: lower
  - id: deleg-3
    text: I check in only at the agreed points
    range: [1, 5]
scales:
  - id: delegation-scale
    name: Delegation
    items: [deleg-1, deleg-2, deleg-3]
    reversed: [deleg-2]
";

/// A metric appended to the fixture's metrics (before `instruments:`).
fn metric(keys: &str) -> String {
    format!("  - id: delegation-gain\n    name: Delegation gain\n    category: application\n    instrument: pulse-survey\n{keys}instruments:\n")
}

struct Case {
    name: &'static str,
    /// Edits of metrics.yaml after the scales were appended.
    edits: Vec<(&'static str, String)>,
    survey: Option<&'static str>,
    code: &'static str,
    file: &'static str,
    /// The line holding this text (of the file after the edits).
    at: &'static str,
    message: &'static str,
    hint: &'static str,
}

fn case(name: &'static str, from: &'static str, to: &str) -> Case {
    Case {
        name,
        edits: vec![(from, to.to_string())],
        survey: None,
        code: "invalid-value",
        file: METRICS,
        at: "",
        message: "",
        hint: "",
    }
}

#[test]
fn every_scale_error_rule_names_file_line_and_what_to_do() {
    let cases = [
        Case {
            at: "range: [5, 1]",
            message: "the range [5, 1] does not go from low to high",
            hint: "[lowest, highest]",
            ..case("a range from high to low", "range: [1, 5]", "range: [5, 1]")
        },
        Case {
            at: "range: [1]",
            message: "a range is two numbers",
            hint: "[lowest, highest]",
            ..case("a range of one number", "range: [1, 5]", "range: [1]")
        },
        Case {
            code: "invalid-id",
            at: "id: Deleg-3",
            message: "`Deleg-3` is not a valid survey item id",
            hint: "`deleg-3`",
            edits: vec![
                ("id: deleg-3", "id: Deleg-3".into()),
                ("deleg-2, deleg-3]", "deleg-2, Deleg-3]".into()),
            ],
            ..case("an item id that is no id", "", "")
        },
        Case {
            code: "duplicate-id",
            at: "id: deleg-1\n    name",
            message: "duplicate survey item or scale id `deleg-1`",
            hint: "unique",
            ..case("a scale with an item's id", "id: delegation-scale", "id: deleg-1")
        },
        Case {
            code: "unknown-reference",
            at: "items: [deleg-1, deleg-2, deleg-4]",
            message: "`deleg-4` is no survey item",
            hint: "did you mean `deleg-1`?",
            ..case(
                "a scale item that is no survey item",
                "items: [deleg-1, deleg-2, deleg-3]",
                "items: [deleg-1, deleg-2, deleg-4]",
            )
        },
        Case {
            at: "items: [deleg-1]",
            message: "the scale `delegation-scale` has one item: a scale needs two or more",
            hint: "add its other items",
            ..case(
                "a scale of one item",
                "items: [deleg-1, deleg-2, deleg-3]\n    reversed: [deleg-2]",
                "items: [deleg-1]",
            )
        },
        Case {
            at: "reversed: [deleg-3, deleg-9]",
            message: "`deleg-9` is not an item of the scale `delegation-scale`",
            hint: "deleg-1, deleg-2, deleg-3",
            ..case("a reversed item outside the scale", "reversed: [deleg-2]", "reversed: [deleg-3, deleg-9]")
        },
        Case {
            at: "items: [deleg-1, deleg-2, deleg-3]",
            message: "the items of the scale `delegation-scale` have different ranges: `deleg-3` is on 0–10, `deleg-1` on 1–5",
            hint: "one range",
            ..case("items on different ranges", "range: [1, 5]", "range: [0, 10]")
        },
        Case {
            code: "out-of-range",
            file: SURVEY,
            at: "p1,pre,deleg-3,7",
            message: "score 7 is outside the range of `deleg-3` (1–5)",
            hint: "range",
            survey: Some("participant,phase,item,score\np1,pre,deleg-1,3\np1,pre,deleg-3,7\n"),
            ..case("a score outside its item's range", "", "")
        },
        Case {
            at: "rater: manager",
            message: "`rater` goes with `source: survey-change`, `survey-post` or `reliable-change`",
            hint: "survey source",
            ..case(
                "rater with a source that reads no survey",
                "instruments:\n",
                &metric("    source: ratings\n    rater: manager\n"),
            )
        },
        Case {
            at: "compare: then-post",
            message: "`compare` goes with `source: survey-change` or `source: reliable-change`",
            hint: "survey-change",
            ..case(
                "compare with survey-post",
                "instruments:\n",
                &metric("    source: survey-post\n    compare: then-post\n"),
            )
        },
        Case {
            at: "compare: pre-then",
            message: "unknown variant `pre-then`",
            hint: "did you mean `pre-post`?",
            ..case(
                "an unknown compare",
                "instruments:\n",
                &metric("    source: survey-change\n    compare: pre-then\n"),
            )
        },
        Case {
            at: "rater: reports",
            message: "unknown variant `reports`",
            hint: "did you mean `report`?",
            ..case(
                "an unknown rater",
                "instruments:\n",
                &metric("    source: survey-change\n    rater: reports\n"),
            )
        },
        Case {
            at: "source: reliable-change",
            message: "`source: reliable-change` needs `items` naming a scale",
            hint: "items: [delegation-scale]",
            ..case(
                "reliable change without items",
                "instruments:\n",
                &metric("    source: reliable-change\n"),
            )
        },
        Case {
            at: "items: [deleg-1]\n",
            message: "`deleg-1` is no scale: reliable change is counted on scales",
            hint: "delegation-scale",
            ..case(
                "reliable change on an item",
                "instruments:\n",
                &metric("    source: reliable-change\n    items: [deleg-1]\n"),
            )
        },
        Case {
            code: "unknown-reference",
            at: "items: [delegation-scal]",
            message: "`delegation-scal` is neither a survey item nor a competency",
            hint: "did you mean `delegation-scale`?",
            ..case(
                "a metric naming an unknown scale",
                "instruments:\n",
                &metric("    source: survey-change\n    items: [delegation-scal]\n"),
            )
        },
    ];
    for case in cases {
        println!("case: {}", case.name);
        let f = Fixture::new();
        let text = format!("{}{SCALES}", f.read(METRICS));
        f.write(METRICS, &text);
        for (from, to) in &case.edits {
            if !from.is_empty() {
                f.edit(METRICS, from, to);
            }
        }
        if let Some(s) = case.survey {
            f.write(SURVEY, s);
        }
        let file = f.read(case.file);
        let line = file
            .find(case.at)
            .map(|at| file[..at].matches('\n').count() + 1)
            .unwrap_or_else(|| panic!("{}: `{}` not in {}", case.name, case.at, case.file));
        let out = f.check(&[]);
        let d = out.assert_only(
            &error(case.code)
                .message_contains(case.message)
                .hint(case.hint),
        );
        assert_eq!(
            (d.file.as_deref(), d.line),
            (Some(case.file), Some(line)),
            "{}",
            case.name
        );
    }
}

#[test]
fn declared_items_scales_and_the_new_metric_keys_check_clean() {
    let f = Fixture::new();
    let text = format!("{}{SCALES}", f.read(METRICS));
    f.write(METRICS, &text);
    f.edit(
        METRICS,
        "instruments:\n",
        &metric("    source: reliable-change\n    items: [delegation-scale]\n    rater: report\n    compare: pre-follow-up\n    target: 0.5\n    signals: [owners-deliver]\n"),
    );
    f.write(
        SURVEY,
        "participant,phase,item,score,rater,rater_id,date\np1,pre,deleg-1,3,self,,\np1,post,deleg-1,4,self,,\n",
    );
    f.check(&["--strict"]).assert_clean();
}
