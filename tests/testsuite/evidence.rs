//! FORMAT.md v1.1: measured results as evidence. Every error rule of the
//! section, as `check` reports it; and a fixture site with sources, survey
//! pairs, observations and comments built and read back: statuses, paired
//! statistics (the example, whose values SciPy confirms in
//! src/evidence/stats.rs), comments on their pages, and no participant id
//! anywhere in the output.

use std::fs;

use crate::common::build::{read_tree, Site};
use crate::common::{error, Fixture, METRICS, PRACTICE};

const ATTENDANCE: &str = "content/demo/results/attendance.csv";
const RATINGS: &str = "content/demo/results/ratings.csv";
const SURVEY: &str = "content/demo/results/survey.csv";
const OBSERVATIONS: &str = "content/demo/results/observations.csv";
const FEEDBACK: &str = "content/demo/results/feedback.csv";

/// One fixture file written or edited, and the one error `check` reports.
struct Case {
    name: &'static str,
    edits: &'static [(&'static str, &'static str, &'static str)],
    writes: &'static [(&'static str, &'static str)],
    code: &'static str,
    file: &'static str,
    line: usize,
    message: &'static str,
    hint: &'static str,
}

#[test]
fn every_v1_1_error_rule_names_file_line_and_what_to_do() {
    let cases = [
        Case {
            name: "an unknown source",
            edits: &[(METRICS, "    tier: 8\n", "    tier: 8\n    source: surveys\n")],
            writes: &[],
            code: "invalid-value",
            file: METRICS,
            line: 8,
            message: "unknown variant `surveys`",
            hint: "did you mean `survey-post`?",
        },
        Case {
            name: "better other than higher or lower",
            edits: &[(METRICS, "    tier: 8\n", "    tier: 8\n    better: less\n")],
            writes: &[],
            code: "invalid-value",
            file: METRICS,
            line: 8,
            message: "unknown variant `less`",
            hint: "higher, lower",
        },
        Case {
            name: "items with a source that reads no survey",
            edits: &[(
                METRICS,
                "    tier: 8\n",
                "    tier: 8\n    source: ratings\n    items: [delegation]\n",
            )],
            writes: &[],
            code: "invalid-value",
            file: METRICS,
            line: 9,
            message: "`items` goes with `source: survey-change`, `survey-post` or `reliable-change`",
            hint: "remove `items`",
        },
        Case {
            name: "items naming no survey item and no competency",
            edits: &[(
                METRICS,
                "    tier: 8\n",
                "    tier: 8\n    source: survey-change\n    items: [delegaton]\n",
            )],
            writes: &[],
            code: "unknown-reference",
            file: METRICS,
            line: 9,
            message: "`delegaton` is neither a survey item nor a competency",
            hint: "did you mean `delegation`?",
        },
        Case {
            name: "an observation of an unknown metric",
            edits: &[],
            writes: &[(OBSERVATIONS, "metric,date,value\non-time-rat,2026-02-01,0.5\n")],
            code: "unknown-reference",
            file: OBSERVATIONS,
            line: 2,
            message: "unknown metric `on-time-rat`",
            hint: "did you mean `on-time-rate`?",
        },
        Case {
            name: "an observation of a metric that is not observed",
            edits: &[],
            writes: &[(OBSERVATIONS, "metric,date,value\non-time-rate,2026-02-01,0.5\n")],
            code: "invalid-value",
            file: OBSERVATIONS,
            line: 2,
            message: "metric `on-time-rate` does not take observations: its source is none",
            hint: "`source: observations`",
        },
        Case {
            name: "an observation on no date",
            edits: &[(METRICS, "    tier: 8\n", "    tier: 8\n    source: observations\n")],
            writes: &[(OBSERVATIONS, "metric,date,value\non-time-rate,1 Feb,0.5\n")],
            code: "invalid-value",
            file: OBSERVATIONS,
            line: 2,
            message: "`1 Feb` is not a date",
            hint: "YYYY-MM-DD",
        },
        Case {
            name: "a comment on an unknown signal",
            edits: &[],
            writes: &[(
                FEEDBACK,
                "participant,comment,session,signal\np1,Useful,01-intro,owners-delivr\n",
            )],
            code: "unknown-reference",
            file: FEEDBACK,
            line: 2,
            message: "unknown signal `owners-delivr`",
            hint: "did you mean `owners-deliver`?",
        },
        Case {
            name: "a comment on an unknown session",
            edits: &[],
            writes: &[(FEEDBACK, "participant,comment,session\np1,\"Good, thanks\",01-intr\n")],
            code: "unknown-reference",
            file: FEEDBACK,
            line: 2,
            message: "unknown session `01-intr`",
            hint: "did you mean `01-intro`?",
        },
        Case {
            name: "two attendance rows with one key",
            edits: &[],
            writes: &[(
                ATTENDANCE,
                "session,participant,present\n01-intro,p1,1\n02-practice,p1,1\n01-intro,p1,0\n",
            )],
            code: "duplicate-row",
            file: ATTENDANCE,
            line: 4,
            message: "a second row for session `01-intro`, participant `p1` (the first is on line 2)",
            hint: "keep one of the two rows",
        },
        Case {
            name: "two ratings rows with one key",
            edits: &[],
            writes: &[(
                RATINGS,
                "session,participant,rating\n01-intro,p1,4\n01-intro,p1,5\n",
            )],
            code: "duplicate-row",
            file: RATINGS,
            line: 3,
            message: "a second row for session `01-intro`, participant `p1` (the first is on line 2)",
            hint: "keep one",
        },
        Case {
            name: "two survey rows with one key",
            edits: &[],
            writes: &[(
                SURVEY,
                "participant,phase,item,score\np1,pre,delegation,3\np1,post,delegation,4\np1,pre,delegation,2\n",
            )],
            code: "duplicate-row",
            file: SURVEY,
            line: 4,
            message: "a second row for participant `p1`, phase `pre`, item `delegation` (the first is on line 2)",
            hint: "keep one",
        },
        Case {
            name: "a row without a participant",
            edits: &[],
            writes: &[(SURVEY, "participant,phase,item,score\n,pre,delegation,3\n")],
            code: "invalid-value",
            file: SURVEY,
            line: 2,
            message: "the participant is empty",
            hint: "pseudonym",
        },
        Case {
            name: "a rating outside the scale",
            edits: &[],
            writes: &[(RATINGS, "session,participant,rating\n01-intro,p1,6\n")],
            code: "out-of-range",
            file: RATINGS,
            line: 2,
            message: "rating 6 is out of range",
            hint: "ratings are from 1 to 5",
        },
    ];
    for case in cases {
        println!("case: {}", case.name);
        let f = Fixture::new();
        for (file, from, to) in case.edits {
            f.edit(file, from, to);
        }
        for (file, text) in case.writes {
            f.write(file, text);
        }
        let out = f.check(&[]);
        let d = out.assert_only(
            &error(case.code)
                .message_contains(case.message)
                .hint(case.hint),
        );
        assert_eq!(
            (d.file.as_deref(), d.line),
            (Some(case.file), Some(case.line)),
            "{}",
            case.name
        );
    }
}

#[test]
fn cell_errors_name_their_column() {
    let f = Fixture::new();
    f.edit(
        METRICS,
        "    tier: 8\n",
        "    tier: 8\n    source: observations\n",
    );
    f.write(
        OBSERVATIONS,
        "value,date,metric\n0.5,1 Feb,on-time-rate\nmuch,2026-02-01,on-time-rate\n",
    );
    let out = f.check(&[]);
    type Seen = (String, Option<usize>, Option<usize>, Option<String>);
    let labels: Vec<Seen> = out
        .diagnostics
        .iter()
        .map(|d| (d.code.clone(), d.line, d.column, d.label.clone()))
        .collect();
    assert_eq!(
        labels,
        [
            (
                "invalid-value".into(),
                Some(2),
                Some(5),
                Some("column `date`".into())
            ),
            (
                "malformed-number".into(),
                Some(3),
                Some(1),
                Some("column `value`".into())
            ),
        ]
    );
}

#[test]
fn a_survey_with_only_pre_rows_and_empty_optional_cells_are_fine() {
    let f = Fixture::new();
    f.write(
        SURVEY,
        "participant,phase,item,score\np1,pre,delegation,3\np2,pre,delegation,2\n",
    );
    f.write(
        FEEDBACK,
        "participant,comment,session,competency,signal\np1,\"Clear, and kind\",,,\n",
    );
    f.edit(PRACTICE, "week: 2\n", "week: 2\n");
    f.check(&["--strict"]).assert_clean();
}

// ------------------------------------------------------------ a built site

/// The build fixture with v1.1 sources and results.
fn evidence_site() -> Site {
    let site = Site::new();
    let m = "content/demo/alignment/metrics.yaml";
    site.edit(
        m,
        "    target: 0.8\n    tier: 1\n",
        "    target: 0.8\n    tier: 1\n    source: attendance\n",
    );
    site.edit(
        m,
        "    target: 0.75\n    tier: 7\n",
        "    target: 0.75\n    tier: 7\n    source: observations\n",
    );
    site.edit(
        m,
        "instruments:\n",
        "  - id: confidence-gain\n    name: Confidence in delegating\n    category: knowledge\n    instrument: attendance-log\n    target: 0.8\n    tier: 4\n    source: survey-change\n    items: [delegation]\n    signals: [feedback-given]\n  - id: escalations\n    name: Escalations per project\n    category: outcome\n    instrument: observation\n    target: 2\n    better: lower\n    source: observations\n    signals: [teams-take-ownership]\ninstruments:\n",
    );
    let mut attendance = String::from("session,participant,present\n");
    for (s, present) in [("01-intro", 9), ("02-feedback", 8), ("03-review", 7)] {
        for p in 0..10 {
            attendance.push_str(&format!("{s},P-SECRET-{p},{}\n", u8::from(p < present)));
        }
    }
    site.write("content/demo/results/attendance.csv", &attendance);
    let pre = [3, 2, 4, 3, 2, 3, 3, 2, 4, 3];
    let post = [4, 4, 4, 3, 3, 5, 4, 3, 4, 4];
    let mut survey = String::from("participant,phase,item,score\n");
    for (i, (a, b)) in pre.iter().zip(post).enumerate() {
        survey.push_str(&format!(
            "P-SECRET-{i},pre,delegation,{a}\nP-SECRET-{i},post,delegation,{b}\n"
        ));
    }
    survey.push_str("P-SECRET-99,pre,delegation,1\n");
    site.write("content/demo/results/survey.csv", &survey);
    site.write(
        "content/demo/results/observations.csv",
        "metric,date,value,note\nownership-rate,2026-01-05,0.4,baseline\nownership-rate,2026-02-02,0.6,\nownership-rate,2026-03-02,0.7,\nescalations,2026-01-05,4,\nescalations,2026-03-02,1,\nescalations,2026-03-02,2,\n",
    );
    site.write(
        "content/demo/results/feedback.csv",
        "participant,comment,session,competency,signal\nP-SECRET-1,The handover drill changed how I brief my team.,01-intro,delegation,teams-take-ownership\nP-SECRET-2,\"Feedback on the same day felt odd, then normal.\",,feedback,\n",
    );
    site
}

fn page(out: &std::path::Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn statuses_statistics_and_comments_reach_their_pages() {
    let site = evidence_site();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);

    let metrics = page(&out, "demo/metrics/index.html");
    // The scope of `attendance` is the sessions that list it, 01 and 02:
    // 17 of 20 present, over the 0.8 target.
    assert!(
        metrics.contains("<td data-label=\"Target\">80%</td><td data-label=\"Actual\">85.0%</td><td class=\"num\" data-label=\"Based on\">20 places</td>"),
        "{metrics}"
    );
    let att = page(&out, "demo/metrics/attendance/index.html");
    assert!(att.contains("status-met"), "attendance status");
    // 0.7 is below the 0.75 target: a rate, shown as one (70.0%, 75%).
    let own = page(&out, "demo/metrics/ownership-rate/index.html");
    assert!(
        own.contains("status-not-met") && own.contains(">70.0%<"),
        "{own}"
    );
    // Lower is better: the latest date's mean, 1.5, is under 2.
    let esc = page(&out, "demo/metrics/escalations/index.html");
    assert!(
        esc.contains("status-met") && esc.contains(">1.5 <"),
        "{esc}"
    );
    // +0.90 against a target of +0.80.
    let conf = page(&out, "demo/metrics/confidence-gain/index.html");
    assert!(
        conf.contains("+0.90") && conf.contains("status-met"),
        "{conf}"
    );

    // Signals roll up: ownership has attendance (met), ownership-rate (not
    // met) and escalations (met): partly met.
    let sig = page(&out, "demo/signals/teams-take-ownership/index.html");
    assert!(sig.contains("status-partly-met"), "{sig}");
    let eval = page(&out, "demo/evaluation/index.html");
    assert_eq!(eval.matches("status-partly-met").count(), 2, "{eval}");

    // The paired statistics of the example.
    let results = page(&out, "demo/results/index.html");
    for want in [
        "+0.90 [0.37, 1.43]",
        "+1.22 [0.37, 2.03]",
        "0.004; 0.004",
        "0.016 (7)",
        "7 / 3 / 0",
        "(+1 unpaired)",
    ] {
        assert!(results.contains(want), "results page lacks {want}");
    }
    let comp = page(&out, "demo/competencies/delegation/index.html");
    assert!(
        comp.contains("95% CI [0.37, 1.43]") && comp.contains("1 before only"),
        "{comp}"
    );

    // Comments on their session, competency and signal pages, and on results.
    let said = "The handover drill changed how I brief my team.";
    for rel in [
        "demo/sessions/01-intro/index.html",
        "demo/competencies/delegation/index.html",
        "demo/signals/teams-take-ownership/index.html",
        "demo/results/index.html",
    ] {
        assert!(page(&out, rel).contains(said), "{rel} lacks the comment");
    }
    assert!(page(&out, "demo/competencies/feedback/index.html")
        .contains("Feedback on the same day felt odd, then normal."));

    // The impact report.
    let impact = page(&out, "demo/impact/index.html");
    assert!(
        impact.contains("of its 2 success signals, 2 are partly met"),
        "{impact}"
    );
    // The change in plain words; its interval on the results page.
    assert!(impact.contains("reliable improvement ("), "{impact}");
    assert!(page(&out, "demo/results/index.html").contains("+0.90 [0.37, 1.43]"));

    // Participant ids are pseudonyms for joining rows: never published.
    for (path, bytes) in read_tree(&out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("P-SECRET"),
            "{path} shows a participant id"
        );
    }
}

// ------------------------------------------------------------ exports

#[test]
fn the_calendar_parses_back_with_stable_uids_and_folded_lines() {
    let site = evidence_site();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let bytes = fs::read(out.join("demo/calendar.ics")).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    // RFC 5545: CRLF line ends, content lines of at most 75 octets.
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
    for line in text.split("\r\n") {
        assert!(!line.contains('\n'), "a bare LF in {line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    // Parsed by an independent parser (the `ical` crate).
    let reader = ical::IcalParser::new(std::io::BufReader::new(&bytes[..]));
    let cals: Vec<_> = reader
        .collect::<Result<_, _>>()
        .expect("calendar.ics parses");
    assert_eq!(cals.len(), 1);
    let events = &cals[0].events;
    assert_eq!(events.len(), 3, "one event per dated session");
    let prop = |e: &ical::parser::ical::component::IcalEvent, name: &str| -> String {
        e.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    let uids: Vec<String> = events.iter().map(|e| prop(e, "UID")).collect();
    assert_eq!(uids[0], "demo/01-intro@demo-playbooks.playbook");
    assert_eq!(prop(&events[0], "DTSTART"), "20260105");
    assert_eq!(prop(&events[0], "DTEND"), "20260106");
    assert_eq!(prop(&events[0], "SUMMARY"), "Handing over work");
    assert!(
        prop(&events[0], "DESCRIPTION").contains("Workshop"),
        "kind in the description"
    );
    assert!(
        prop(&events[0], "DESCRIPTION").contains("1 h 30 min"),
        "duration in the description"
    );
    assert!(!prop(&events[0], "DTSTAMP").is_empty());
    // The same UIDs after an edit: re-importing updates, not duplicates.
    site.edit(
        "content/demo/sessions/01-intro.md",
        "title: Handing over work",
        "title: Handing over work, revisited",
    );
    let out2 = site.scratch("out2");
    site.build(&out2, &[]).assert_code(0);
    let again = fs::read_to_string(out2.join("demo/calendar.ics")).unwrap();
    for uid in &uids {
        assert!(
            again.contains(&format!("UID:{uid}"))
                || again.replace("\r\n ", "").contains(&format!("UID:{uid}"))
        );
    }
    assert!(again
        .replace("\r\n ", "")
        .contains("SUMMARY:Handing over work\\, revisited"));
    let curriculum = fs::read_to_string(out.join("demo/curriculum/index.html")).unwrap();
    assert!(
        curriculum.contains("href=\"/demo/calendar.ics\""),
        "{curriculum}"
    );
}

/// The example's exports validate against the schema in the repository,
/// with an independent validator (the `jsonschema` crate).
#[test]
fn program_json_of_the_example_validates_against_its_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    crate::common::build::build_example(&out, &[]).assert_code(0);
    let schema_path = crate::common::build::repo_root().join("schemas/export.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    for program in ["leadership-accelerator", "new-manager-essentials"] {
        let text = fs::read_to_string(out.join(program).join("program.json")).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{program}: {errors:#?}");
        assert_eq!(json["version"], 1);
    }
    // A misspelt field fails: the schema refuses unknown keys.
    let text = fs::read_to_string(out.join("leadership-accelerator/program.json")).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["metrics"][0]["statsu"] = serde_json::json!("met");
    assert!(!validator.is_valid(&json));
    // Statuses are there; participants are not.
    assert!(text.contains("\"status\": \"met\""));
    for p in ["\"p01\"", "p07", "p13"] {
        assert!(!text.contains(p), "program.json shows participant {p}");
    }
}

#[test]
fn results_csv_has_one_row_per_metric() {
    let site = evidence_site();
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let text = fs::read_to_string(out.join("demo/results.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "metric", "name", "category", "tier", "source", "better", "target", "actual", "n",
            "people", "status"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    let row = |id: &str| rows.iter().find(|r| &r[0] == id).unwrap().clone();
    assert_eq!(&row("attendance")[7], "0.85");
    assert_eq!(&row("attendance")[10], "met");
    assert_eq!(&row("escalations")[5], "lower");
    assert_eq!(&row("escalations")[7], "1.5");
    assert_eq!(&row("ownership-rate")[10], "not-met");
    assert_eq!(&row("confidence-gain")[9], "10");
    assert_eq!(&row("attendance")[9], "");
}
