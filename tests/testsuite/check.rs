//! Integration tests of `playbook check` against the authoring format
//! (FORMAT.md): one test per error rule, the file-level edge cases (encoding,
//! line endings, empty files, tabs), every coverage warning, and the behaviour
//! of a whole run (exit codes, sorting, site root discovery, summary, human
//! output, robustness against garbage).
//!

use std::time::{Duration, Instant};

use crate::common::*;

// ---------------------------------------------------------------------------
// The fixture itself
// ---------------------------------------------------------------------------

#[test]
fn fixture_checks_clean_under_strict() {
    let f = Fixture::new();
    let out = f.check(&["--strict"]);
    out.assert_clean();
    let s = out.summary();
    assert_eq!(
        (
            s.programs,
            s.sessions,
            s.competencies,
            s.actions,
            s.signals,
            s.metrics
        ),
        (1, 3, 2, 2, 2, 2)
    );
    assert_eq!((s.errors, s.warnings), (0, 0));
}

// ---------------------------------------------------------------------------
// One edit, one diagnostic: the rules whose tests all have this shape
// ---------------------------------------------------------------------------

/// A fixture file edited (`from` replaced by `to`), and the only
/// diagnostic `check` must then report.
struct Case {
    name: &'static str,
    edits: &'static [(&'static str, &'static str, &'static str)],
    expect: Expect,
}

#[test]
fn each_single_edit_gives_exactly_its_diagnostic() {
    let cases = [
        Case {
            name: "a colon in a plain value",
            edits: &[(
                COMPETENCIES,
                "    name: Candour\n",
                "    name: Candour: frank\n",
            )],
            expect: error("yaml-syntax")
                .at(COMPETENCIES, 6, 18)
                .message("mapping values are not allowed in this context")
                .hint("check indentation, colons and quotes around this point"),
        },
        Case {
            name: "a string where a list is expected",
            edits: &[(
                COMPETENCIES,
                "    values: [candour, ownership]\n",
                "    values: candour\n",
            )],
            expect: error("wrong-type")
                .at(COMPETENCIES, 17, 13)
                .message(
                    "competencies[1].values: invalid type: string \"candour\", expected a sequence",
                )
                .no_hint(),
        },
        Case {
            name: "a missing required key",
            edits: &[(COMPETENCIES, "    name: Candour\n", "")],
            expect: error("missing-key")
                .at(COMPETENCIES, 5, 5)
                .message("values[1]: missing field `name`")
                .hint("add the key"),
        },
        Case {
            // British spelling of a closed vocabulary word.
            name: "an unknown vocabulary word",
            edits: &[(
                EVALUATION,
                "    level: behavior\n    competencies: [delegation]",
                "    level: behaviour\n    competencies: [delegation]",
            )],
            expect: error("invalid-value")
                .at(EVALUATION, 5, 12)
                .message_contains("signals[0].level: unknown variant `behaviour`")
                .hint("did you mean `behavior`?"),
        },
        Case {
            name: "an unknown reference in front matter",
            edits: &[(
                PRACTICE,
                "competencies: [delegation, feedback]\n",
                "competencies: [delegation, feedbak]\n",
            )],
            expect: error("unknown-reference")
                .at(PRACTICE, 6, 28)
                .message("unknown competency `feedbak`")
                .hint("did you mean `feedback`?"),
        },
        Case {
            name: "an unknown reference without a close match",
            edits: &[(
                METRICS,
                "    instrument: pulse-survey\n",
                "    instrument: zzz\n",
            )],
            expect: error("unknown-reference")
                .at(METRICS, 12, 17)
                .message("unknown instrument `zzz`")
                .hint("define it in content/demo/alignment/metrics.yaml"),
        },
        Case {
            name: "an unknown required session",
            edits: &[(
                INTRO,
                "metrics: [on-time-rate]\n",
                "metrics: [on-time-rate]\nrequires: [02-practise]\n",
            )],
            expect: error("unknown-reference")
                .at(INTRO, 10, 12)
                .message("unknown session `02-practise`")
                .hint("did you mean `02-practice`?"),
        },
        Case {
            // 02-practice moves after 03-review (week 3 = 2026-01-19), which requires it.
            name: "a required session that comes later by date",
            edits: &[(PRACTICE, "week: 2\n", "date: 2026-02-02\n")],
            expect: error("requires-order").at(REVIEW, 9, 22).message(
                "session `03-review` requires `02-practice`, which comes later in the curriculum",
            ),
        },
        Case {
            name: "a session requiring itself",
            edits: &[(
                PRACTICE,
                "requires: [01-intro]\n",
                "requires: [01-intro, 02-practice]\n",
            )],
            expect: error("requires-order")
                .at(PRACTICE, 9, 22)
                .message("session `02-practice` requires itself"),
        },
        Case {
            name: "an unknown entity link on a later body line",
            edits: &[(REVIEW, "(metric:on-time-rate)", "(metric:on-time)")],
            expect: error("unknown-link")
                .at(REVIEW, 15, 16)
                .message("link to unknown metric `on-time`")
                .hint("did you mean `on-time-rate`?"),
        },
        Case {
            name: "an unknown entity link in a YAML text field",
            edits: &[(
                PROGRAM_YAML,
                "(competency:delegation)",
                "(competency:delegaton)",
            )],
            expect: error("unknown-link")
                .at(PROGRAM_YAML, 3, 10)
                .message("link to unknown competency `delegaton`")
                .hint("did you mean `delegation`?"),
        },
        Case {
            name: "an unknown link kind",
            edits: &[(INTRO, "(competency:delegation)", "(competence:delegation)")],
            expect: error("unknown-link")
                .at(INTRO, 13, 25)
                .message("unknown link kind `competence:`")
                .hint("did you mean `competency:delegation`?"),
        },
        Case {
            name: "a relative link to a missing file close to an asset",
            edits: &[(PRACTICE, "(fig/map.svg)", "(fig/mapp.svg)")],
            expect: error("missing-file")
                .at(PRACTICE, 16, 30)
                .message("link to `fig/mapp.svg`, which does not exist")
                .hint("did you mean `fig/map.svg`?"),
        },
        Case {
            name: "a relative link to a missing file",
            edits: &[(
                INTRO,
                "(02-practice.md#practice-plan)",
                "(handouts/list.pdf)",
            )],
            expect: error("missing-file")
                .at(INTRO, 14, 32)
                .message("link to `handouts/list.pdf`, which does not exist")
                .hint("put the file under content/demo/sessions/"),
        },
        Case {
            name: "a link to a missing heading of another session",
            edits: &[(INTRO, "#practice-plan", "#practise-plan")],
            expect: error("broken-anchor")
                .at(INTRO, 14, 32)
                .message("session `02-practice` has no heading with anchor `#practise-plan`")
                .hint("did you mean `practice-plan`?"),
        },
    ];
    for case in cases {
        println!("case: {}", case.name);
        let f = Fixture::new();
        for (file, from, to) in case.edits {
            f.edit(file, from, to);
        }
        f.check(&[]).assert_only(&case.expect);
    }
}

#[test]
fn a_folder_named_like_a_session_is_an_asset_conflict() {
    let f = Fixture::new();
    f.write("content/demo/sessions/01-intro/photo.svg", MAP_SVG_SRC);
    f.check(&[]).assert_only(
        &error("asset-conflict")
            .in_file_no_position("content/demo/sessions/01-intro/photo.svg")
            .message("the folder `sessions/01-intro/` has the name of session `01-intro`")
            .hint("its files would be published over the session's page: rename the folder"),
    );
}

// ---------------------------------------------------------------------------
// YAML syntax and types
// ---------------------------------------------------------------------------

#[test]
fn malformed_yaml_unclosed_flow_sequence() {
    let f = Fixture::new();
    f.edit(
        COMPETENCIES,
        "    values: [ownership]\n",
        "    values: [ownership\n",
    );
    // libyaml notices the missing `]` at the `:` of the next key (line 12).
    let out = f.check(&[]);
    out.assert_only(
        &error("yaml-syntax")
            .at(COMPETENCIES, 12, 16)
            .message_contains("did not find expected ',' or ']'")
            .hint("check indentation, colons and quotes around this point"),
    );
    // A file that does not parse defines nothing.
    assert_eq!(out.summary().competencies, 0);
}

#[test]
fn wrong_type_scalar() {
    let f = Fixture::new();
    f.edit(PROGRAM_YAML, "cohort_size: 6\n", "cohort_size: six\n");
    let out = f.check(&[]);
    let d =
        out.assert_only(&error("wrong-type").at(PROGRAM_YAML, 5, 14).message(
            "cohort_size: invalid type: string \"six\", expected a whole number (0 or more)",
        ));
    assert_eq!((d.end_line, d.end_column), (Some(5), Some(17)));
}

// ---------------------------------------------------------------------------
// Unknown keys
// ---------------------------------------------------------------------------

#[test]
fn unknown_key_in_alignment_file_suggests_closest() {
    let f = Fixture::new();
    f.edit(COMPETENCIES, "    name: Candour\n", "    nmae: Candour\n");
    let out = f.check(&[]);
    let d = out.assert_only(
        &error("unknown-key")
            .at(COMPETENCIES, 6, 5)
            .message_contains("values[1]: unknown field `nmae`")
            .hint("did you mean `name`?"),
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `name`?"));
    assert_eq!((d.end_line, d.end_column), (Some(6), Some(9)));
}

#[test]
fn unknown_key_in_session_front_matter_suggests_closest() {
    let f = Fixture::new();
    f.edit(PRACTICE, "duration: 90\n", "durration: 90\n");
    // Follow-on diagnostics of a session that fails to parse are covered by
    // `failed_session_front_matter_causes_no_follow_on_diagnostics`.
    let out = f.check(&[]);
    out.assert_exit(1);
    let d = out.assert_has(
        &error("unknown-key")
            .at(PRACTICE, 5, 1)
            .message_contains("unknown field `durration`")
            .hint("did you mean `duration`?"),
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `duration`?"));
}

#[test]
fn unknown_key_in_playbook_yaml_and_program_yaml() {
    let f = Fixture::new();
    f.edit("playbook.yaml", "base_url: /\n", "baseurl: /\n");
    f.edit(PROGRAM_YAML, "summary: ", "sumary: ");
    let out = f.check(&[]);
    out.assert_exit(1);
    assert_eq!(out.diagnostics.len(), 2, "{}", out.listing());
    out.assert_has(
        &error("unknown-key")
            .at("playbook.yaml", 2, 1)
            .message_contains("unknown field `baseurl`")
            .hint("did you mean `base_url`?"),
    );
    out.assert_has(
        &error("unknown-key")
            .at(PROGRAM_YAML, 3, 1)
            .message_contains("unknown field `sumary`")
            .hint("did you mean `summary`?"),
    );
}

#[test]
fn unknown_key_without_close_match_lists_allowed_keys() {
    let f = Fixture::new();
    f.edit(
        INTRO,
        "module: Getting started\n",
        "zzzzzz: Getting started\n",
    );
    let out = f.check(&[]);
    out.assert_has(
        &error("unknown-key")
            .at(INTRO, 6, 1)
            .message_contains("unknown field `zzzzzz`")
            .hint("allowed keys: title, kind, week, date, duration, module, competencies, actions, practices, metrics, requires"),
    );
}

#[test]
fn unknown_session_kind_suggests_closest() {
    let f = Fixture::new();
    f.edit(REVIEW, "kind: coaching-pod\n", "kind: coaching-pods\n");
    f.check(&[]).assert_has(
        &error("invalid-value")
            .at(REVIEW, 3, 7)
            .message_contains("kind: unknown variant `coaching-pods`")
            .hint("did you mean `coaching-pod`?"),
    );
}

// ---------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------

#[test]
fn duplicate_id() {
    let f = Fixture::new();
    f.edit(
        COMPETENCIES,
        "    description: We say what we see.\n",
        "    description: We say what we see.\n  - id: ownership\n    name: Ownership again\n",
    );
    let out = f.check(&[]);
    let d = out.assert_only(
        &error("duplicate-id")
            .at(COMPETENCIES, 8, 9)
            .message("duplicate value id `ownership`")
            .hint("value ids must be unique within a program; rename one of them"),
    );
    assert_eq!(d.label.as_deref(), Some("already defined above"));
}

#[test]
fn duplicate_id_across_actions() {
    let f = Fixture::new();
    f.write(
        ACTION_MAP,
        &format!(
            "{ACTION_MAP_SRC}  - id: extra-action\n    action: Runs a weekly check-in\n    practices:\n      - id: handover-drill\n        scenario: Another drill.\n      - id: check-in-drill\n        scenario: A check-in.\n"
        ),
    );
    f.edit(
        PRACTICE,
        "practices: [handover-drill, feedback-round]",
        "practices: [handover-drill, feedback-round, check-in-drill]",
    );
    f.check(&[]).assert_only(
        &error("duplicate-id")
            .at(ACTION_MAP, 28, 13)
            .message("duplicate practice id `handover-drill`")
            .hint("practice ids must be unique within a program"),
    );
}

#[test]
fn malformed_id() {
    let f = Fixture::new();
    f.edit(
        EVALUATION,
        "  - id: clear-expectations\n",
        "  - id: Clear_Expectations\n",
    );
    let out = f.check(&[]);
    let d = out.assert_only(
        &error("invalid-id")
            .at(EVALUATION, 14, 9)
            .message("`Clear_Expectations` is not a valid enabler id")
            .hint("write it as `clear-expectations`"),
    );
    assert_eq!(
        d.label.as_deref(),
        Some("ids use lowercase letters a-z, digits and `-`")
    );
}

#[test]
fn malformed_session_file_name() {
    let f = Fixture::new();
    f.write(
        "content/demo/sessions/04 Wrap Up.md",
        "---\ntitle: Wrap up\nkind: one-on-one\nweek: 4\nactions: [same-day-feedback]\n---\nBye.\n",
    );
    f.check(&[]).assert_only(
        &error("invalid-id")
            .in_file_no_position("content/demo/sessions/04 Wrap Up.md")
            .message("`04 Wrap Up` is not a valid session id")
            .hint("write it as `04-wrap-up`"),
    );
}

#[test]
fn malformed_program_folder_name() {
    let f = Fixture::new();
    for (path, text) in FILES {
        if let Some(rest) = path.strip_prefix("content/demo/") {
            f.write(&format!("content/Second_Program/{rest}"), text);
        }
    }
    let out = f.check(&[]);
    out.assert_only(
        &error("invalid-id")
            .in_file_no_position("content/Second_Program")
            .message("program folder name `Second_Program` is not a valid id")
            .hint("rename the folder"),
    );
    assert_eq!(out.summary().programs, 2);
}

// ---------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------

#[test]
fn unknown_reference_in_alignment_file_suggests_closest() {
    let f = Fixture::new();
    f.edit(
        EVALUATION,
        "    competencies: [delegation]\n",
        "    competencies: [delegaton]\n",
    );
    let out = f.check(&[]);
    let d = out.assert_only(
        &error("unknown-reference")
            .at(EVALUATION, 6, 20)
            .message("unknown competency `delegaton`")
            .hint("did you mean `delegation`?"),
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `delegation`?"));
    assert_eq!(
        d.label.as_deref(),
        Some("no competency with this id in this program")
    );
    assert_eq!((d.end_line, d.end_column), (Some(6), Some(29)));
}

// ---------------------------------------------------------------------------
// requires
// ---------------------------------------------------------------------------

#[test]
fn requires_cycle() {
    let f = Fixture::new();
    // 02 requires 03, and 03 already requires 02.
    f.edit(
        PRACTICE,
        "requires: [01-intro]\n",
        "requires: [01-intro, 03-review]\n",
    );
    let out = f.check(&[]);
    out.assert_exit(1);
    out.assert_has(
        &error("requires-cycle")
            .at(PRACTICE, 9, 22)
            .message(
                "sessions require each other in a cycle: 02-practice → 03-review → 02-practice",
            )
            .hint("remove one `requires` entry to break the cycle"),
    );
    // A cycle always has an edge pointing forward; that one is reported too.
    out.assert_has(&error("requires-order").at(PRACTICE, 9, 22).message(
        "session `02-practice` requires `03-review`, which comes later in the curriculum",
    ));
    assert_eq!(
        out.codes(),
        ["requires-cycle", "requires-order"],
        "{}",
        out.listing()
    );
}

#[test]
fn requires_pointing_later() {
    let f = Fixture::new();
    f.edit(
        REVIEW,
        "requires: [01-intro, 02-practice]\n",
        "requires: [01-intro]\n",
    );
    f.edit(
        PRACTICE,
        "requires: [01-intro]\n",
        "requires: [01-intro, 03-review]\n",
    );
    f.check(&[]).assert_only(
        &error("requires-order")
            .at(PRACTICE, 9, 22)
            .message("session `02-practice` requires `03-review`, which comes later in the curriculum")
            .hint("a required session must come first: give it an earlier week or date, or remove it from `requires`"),
    );
}

// ---------------------------------------------------------------------------
// Links in markdown
// ---------------------------------------------------------------------------

#[test]
fn unknown_entity_link_in_body_is_reported_where_written() {
    let f = Fixture::new();
    f.edit(INTRO, "(value:ownership)", "(value:ownershipp)");
    let out = f.check(&[]);
    let d = out.assert_only(
        &error("unknown-link")
            .at(INTRO, 13, 64)
            .message("link to unknown value `ownershipp`")
            .hint("did you mean `ownership`?"),
    );
    assert_eq!((d.end_line, d.end_column), (Some(13), Some(80)));
}

#[test]
fn relative_link_to_existing_asset_in_subfolder_is_fine() {
    let f = Fixture::new();
    f.write("content/demo/sessions/handouts/list.pdf", "%PDF-1.4\n");
    f.edit(
        INTRO,
        "(02-practice.md#practice-plan)",
        "(handouts/list.pdf)",
    );
    f.check(&["--strict"]).assert_clean();
}

#[test]
fn link_to_missing_heading_in_same_session() {
    let f = Fixture::new();
    f.write(REVIEW, &format!("{REVIEW_SRC}\nSee [above](#reveiw).\n"));
    f.check(&[]).assert_only(
        &error("broken-anchor")
            .at(REVIEW, 17, 13)
            .message("no heading with anchor `#reveiw` in this session")
            .hint("did you mean `review`?"),
    );
}

// ---------------------------------------------------------------------------
// Missing files and front matter
// ---------------------------------------------------------------------------

#[test]
fn missing_program_yaml() {
    let f = Fixture::new();
    f.remove(PROGRAM_YAML);
    let out = f.check(&[]);
    out.assert_only(
        &error("missing-file")
            .in_file_no_position(PROGRAM)
            .message("program folder `demo` has no program.yaml")
            .hint("create content/demo/program.yaml with at least a `title`"),
    );
    assert_eq!(out.summary().programs, 0);
}

#[test]
fn missing_alignment_file() {
    let files = [
        (COMPETENCIES, "competencies.yaml", 1),
        (ACTION_MAP, "action-map.yaml", 2),
        (EVALUATION, "evaluation.yaml", 3),
        (METRICS, "metrics.yaml", 4),
    ];
    for (path, name, step) in files {
        let f = Fixture::new();
        f.remove(path);
        let out = f.check(&[]);
        out.assert_exit(1);
        out.assert_has(
            &error("missing-file")
                .in_file_no_position(path)
                .message(&format!("program `demo` has no alignment/{name}"))
                .hint(&format!(
                    "create content/demo/alignment/{name} (step {step} of the alignment)"
                )),
        );
        // References to the kinds it defines are not reported again.
        assert_eq!(out.summary().errors, 1, "{name}:\n{}", out.listing());
    }
}

#[test]
fn missing_front_matter() {
    let f = Fixture::new();
    f.write(
        "content/demo/sessions/04-notes.md",
        "# Just a heading\n\nNo front matter here.\n",
    );
    let out = f.check(&[]);
    let d = out.assert_only(
        &error("missing-front-matter")
            .at("content/demo/sessions/04-notes.md", 1, 1)
            .message("session guide has no front matter")
            .hint("start the file with a `---` line, then `title:` and `kind:`, then a closing `---` line"),
    );
    assert_eq!((d.end_line, d.end_column), (Some(1), Some(17)));
}

#[test]
fn unclosed_front_matter() {
    let f = Fixture::new();
    f.write(
        "content/demo/sessions/04-notes.md",
        "---\ntitle: Notes\nkind: self-study\n\n## Body\n",
    );
    f.check(&[]).assert_only(
        &error("missing-front-matter")
            .at("content/demo/sessions/04-notes.md", 1, 1)
            .message("front matter is not closed")
            .hint("add a line with `---` after the front matter keys"),
    );
}

#[test]
fn empty_front_matter() {
    let f = Fixture::new();
    f.write("content/demo/sessions/04-notes.md", "---\n---\nText.\n");
    f.check(&[]).assert_only(
        &error("missing-key")
            .at("content/demo/sessions/04-notes.md", 1, 1)
            .message("front matter is empty")
            .hint("a session guide needs at least `title:` and `kind:`"),
    );
}

// ---------------------------------------------------------------------------
// Measured results
// ---------------------------------------------------------------------------

const RATINGS: &str = "content/demo/results/ratings.csv";
const ATTENDANCE: &str = "content/demo/results/attendance.csv";
const SURVEY: &str = "content/demo/results/survey.csv";

#[test]
fn valid_results_check_clean() {
    let f = Fixture::new();
    f.write(
        RATINGS,
        "session,participant,rating,comment\n01-intro,p1,4,good\n02-practice,p1,5.0,\n",
    );
    f.write(
        ATTENDANCE,
        "participant,present,session\np1,yes,01-intro\np2,0,01-intro\np1,1,03-review\n",
    );
    f.write(SURVEY, "participant,phase,item,score\np1,pre,delegation,2\np1,post,delegation,4\np1,pre,Free text item,3\n");
    f.check(&["--strict"]).assert_clean();
}

#[test]
fn results_ratings_rows() {
    let f = Fixture::new();
    f.write(
        RATINGS,
        "session,participant,rating\n01-intro,p1,4\n02-practise,p2,5\n03-review,p3,7\n03-review,p4,four\n",
    );
    let out = f.check(&[]);
    out.assert_exit(1);
    assert_eq!(out.diagnostics.len(), 3, "{}", out.listing());
    out.assert_has(
        &error("unknown-reference")
            .at(RATINGS, 3, 1)
            .message("unknown session `02-practise`")
            .hint("did you mean `02-practice`?"),
    );
    out.assert_has(
        &error("out-of-range")
            .at(RATINGS, 4, 14)
            .message("rating 7 is out of range")
            .hint("ratings are from 1 to 5"),
    );
    out.assert_has(
        &error("malformed-number")
            .at(RATINGS, 5, 14)
            .message("rating `four` is not a number"),
    );
}

#[test]
fn results_attendance_rows_with_columns_in_any_order() {
    let f = Fixture::new();
    f.write(
        ATTENDANCE,
        "participant,session,present\np1,01-intro,1\np2,01-intro,maybe\np3,04-missing,0\n",
    );
    let out = f.check(&[]);
    out.assert_exit(1);
    assert_eq!(out.diagnostics.len(), 2, "{}", out.listing());
    out.assert_has(
        &error("invalid-value")
            .at(ATTENDANCE, 3, 13)
            .message("`present` must be 1/0 or yes/no, found `maybe`"),
    );
    out.assert_has(
        &error("unknown-reference")
            .at(ATTENDANCE, 4, 4)
            .message("unknown session `04-missing`"),
    );
}

#[test]
fn results_survey_rows() {
    let f = Fixture::new();
    f.write(
        SURVEY,
        "participant,phase,item,score\np1,pre,delegation,3\np1,post,delegation,4.5\np2,during,delegation,3\np2,post,feedback,x1\n",
    );
    let out = f.check(&[]);
    out.assert_exit(1);
    assert_eq!(out.diagnostics.len(), 2, "{}", out.listing());
    out.assert_has(
        &error("invalid-value")
            .at(SURVEY, 4, 4)
            .message("phase must be `pre`, `post`, `then` or `follow-up`, found `during`"),
    );
    out.assert_has(
        &error("malformed-number")
            .at(SURVEY, 5, 18)
            .message("score `x1` is not a number"),
    );
}

#[test]
fn results_missing_column() {
    let f = Fixture::new();
    f.write(RATINGS, "session,participant\n01-intro,p1\n");
    f.check(&[]).assert_only(
        &error("missing-column")
            .at(RATINGS, 1, 1)
            .message("missing column `rating`")
            .hint("the header row must name: session, participant, rating"),
    );
}

#[test]
fn results_misspelt_column_hint_names_the_expected_column() {
    let f = Fixture::new();
    f.write(RATINGS, "session,participant,ratings\n01-intro,p1,4\n");
    let out = f.check(&[]);
    let d = out.assert_only(
        &error("missing-column")
            .at(RATINGS, 1, 1)
            .message("missing column `rating`"),
    );
    let hint = d.hint.as_deref().unwrap_or_default();
    assert!(
        !hint.contains("did you mean `ratings`"),
        "the hint proposes the wrong name: {hint}"
    );
    assert!(
        hint.contains("`rating`"),
        "the hint must name `rating`: {hint}"
    );
}

#[test]
fn results_error_column_points_at_the_right_cell() {
    let f = Fixture::new();
    f.write(
        RATINGS,
        "session,participant,rating\n01-intro,p7,7\n01-intro,p10,0\n",
    );
    let out = f.check(&[]);
    out.assert_exit(1);
    out.assert_has(
        &error("out-of-range")
            .at(RATINGS, 2, 13)
            .message("rating 7 is out of range"),
    );
    out.assert_has(
        &error("out-of-range")
            .at(RATINGS, 3, 14)
            .message("rating 0 is out of range"),
    );
}

// ---------------------------------------------------------------------------
// Encodings, line endings, empty files, tabs
// ---------------------------------------------------------------------------

#[test]
fn invalid_utf8_is_an_error() {
    let f = Fixture::new();
    f.write_bytes(
        "content/demo/sessions/04-cafe.md",
        b"---\ntitle: Caf\xe9\nkind: workshop\nactions: [same-day-feedback]\n---\nBody\n",
    );
    f.check(&[]).assert_only(
        &error("invalid-utf8")
            .at("content/demo/sessions/04-cafe.md", 2, 11)
            .message("file is not valid UTF-8 (first bad byte on line 2)")
            .hint("save the file with UTF-8 encoding"),
    );
}

#[test]
fn invalid_utf8_in_alignment_file() {
    let f = Fixture::new();
    let mut bytes = COMPETENCIES_SRC.as_bytes().to_vec();
    bytes.extend_from_slice(b"      - Gives \xff\xfe feedback\n");
    f.write_bytes(COMPETENCIES, &bytes);
    let out = f.check(&[]);
    out.assert_only(
        &error("invalid-utf8")
            .at(COMPETENCIES, 20, 15)
            .message("file is not valid UTF-8 (first bad byte on line 20)"),
    );
    // Not also reported as missing.
    assert!(out.with_code("missing-file").is_empty());
}

#[test]
fn invalid_utf8_reports_line_and_column() {
    let f = Fixture::new();
    f.write_bytes(
        "content/demo/sessions/04-cafe.md",
        b"---\ntitle: Caf\xe9\nkind: workshop\nactions: [same-day-feedback]\n---\nBody\n",
    );
    f.check(&[])
        .assert_only(&error("invalid-utf8").at("content/demo/sessions/04-cafe.md", 2, 11));
}

#[test]
fn invalid_utf8_program_yaml_still_checks_the_rest_of_the_program() {
    let f = Fixture::new();
    f.write_bytes(PROGRAM_YAML, b"title: Caf\xe9\n");
    f.edit(INTRO, "(value:ownership)", "(value:ownershipp)");
    let out = f.check(&[]);
    out.assert_has(&error("invalid-utf8").at(PROGRAM_YAML, 1, 11));
    out.assert_has(&error("unknown-link").at(INTRO, 13, 64));
}

#[test]
fn empty_yaml_file() {
    let f = Fixture::new();
    f.write(PROGRAM_YAML, "");
    f.check(&[]).assert_only(
        &error("empty-file")
            .in_file_no_position(PROGRAM_YAML)
            .message("the document is empty")
            .hint("write the keys this file needs"),
    );
    let f = Fixture::new();
    f.write(COMPETENCIES, "\n   \n");
    f.check(&[]).assert_only(
        &error("empty-file")
            .in_file_no_position(COMPETENCIES)
            .message("the document is empty"),
    );
}

#[test]
fn empty_session_file() {
    let f = Fixture::new();
    f.write("content/demo/sessions/04-empty.md", "");
    f.check(&[]).assert_only(
        &error("missing-front-matter")
            .at("content/demo/sessions/04-empty.md", 1, 1)
            .message("session guide is empty")
            .hint("start it with front matter"),
    );
}

/// Apply `f` to every text file of the fixture (and any results files).
fn rewrite_all(fx: &Fixture, extra: &[&str], f: impl Fn(&str) -> Vec<u8>) {
    let paths: Vec<&str> = FILES
        .iter()
        .map(|(p, _)| *p)
        .chain(extra.iter().copied())
        .collect();
    for p in paths {
        if p.ends_with(".svg") {
            continue;
        }
        let text = fx.read(p);
        fx.write_bytes(p, &f(&text));
    }
}

fn with_bom(text: &str) -> Vec<u8> {
    let mut v = b"\xef\xbb\xbf".to_vec();
    v.extend_from_slice(text.as_bytes());
    v
}

fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

#[test]
fn utf8_bom_checks_clean() {
    let f = Fixture::new();
    f.write(RATINGS, "session,participant,rating\n01-intro,p1,4\n");
    rewrite_all(&f, &[RATINGS], with_bom);
    assert!(std::fs::read(f.file(INTRO))
        .unwrap()
        .starts_with(b"\xef\xbb\xbf---\n"));
    let out = f.check(&["--strict"]);
    out.assert_clean();
    assert_eq!(out.summary().sessions, 3);
}

#[test]
fn utf8_bom_error_positions() {
    let f = Fixture::new();
    f.write("playbook.yaml", "baseurl: /\ntitle: Demo\n");
    rewrite_all(&f, &[], with_bom);
    // Columns count characters after the byte-order mark.
    f.check(&[]).assert_only(
        &error("unknown-key")
            .at("playbook.yaml", 1, 1)
            .hint("did you mean `base_url`?"),
    );
}

#[test]
fn crlf_line_endings_check_clean() {
    let f = Fixture::new();
    f.write(
        RATINGS,
        "session,participant,rating\n01-intro,p1,4\n03-review,p2,5\n",
    );
    rewrite_all(&f, &[RATINGS], |t| crlf(t).into_bytes());
    assert!(f.read(PRACTICE).contains("## Practice plan\r\n"));
    let out = f.check(&["--strict"]);
    out.assert_clean();
    assert_eq!(out.summary().sessions, 3);
}

#[test]
fn crlf_with_bom_checks_clean() {
    let f = Fixture::new();
    rewrite_all(&f, &[], |t| with_bom(&crlf(t)));
    f.check(&["--strict"]).assert_clean();
}

#[test]
fn crlf_error_positions() {
    let f = Fixture::new();
    f.edit(PROGRAM_YAML, "summary: ", "sumary: ");
    f.edit(
        INTRO,
        "competencies: [delegation]\n",
        "competencies: [delegaton]\n",
    );
    f.edit(INTRO, "(value:ownership)", "(value:ownershipp)");
    f.edit(
        EVALUATION,
        "    actions: [same-day-feedback]\n",
        "    actions: [same-day-feedbak]\n",
    );
    rewrite_all(&f, &[], |t| crlf(t).into_bytes());
    let out = f.check(&[]);
    out.assert_exit(1);
    assert_eq!(out.diagnostics.len(), 4, "{}", out.listing());
    out.assert_has(
        &error("unknown-key")
            .at(PROGRAM_YAML, 3, 1)
            .hint("did you mean `summary`?"),
    );
    out.assert_has(
        &error("unknown-reference")
            .at(EVALUATION, 12, 15)
            .message("unknown action `same-day-feedbak`"),
    );
    out.assert_has(
        &error("unknown-reference")
            .at(INTRO, 7, 16)
            .message("unknown competency `delegaton`"),
    );
    let d = out.assert_has(
        &error("unknown-link")
            .at(INTRO, 13, 64)
            .message("link to unknown value `ownershipp`"),
    );
    assert_eq!((d.end_line, d.end_column), (Some(13), Some(80)));
}

#[test]
fn crlf_yaml_syntax_error_position() {
    let f = Fixture::new();
    f.edit(
        COMPETENCIES,
        "    values: [ownership]\n",
        "    values: [ownership\n",
    );
    rewrite_all(&f, &[], |t| crlf(t).into_bytes());
    f.check(&[])
        .assert_only(&error("yaml-syntax").at(COMPETENCIES, 12, 16));
}

#[test]
fn crlf_results_error_positions() {
    let f = Fixture::new();
    f.write(
        RATINGS,
        "session,participant,rating\r\n02-practise,p1,4\r\n01-intro,p2,9\r\n",
    );
    let out = f.check(&[]);
    out.assert_exit(1);
    out.assert_has(
        &error("unknown-reference")
            .at(RATINGS, 2, 1)
            .message("unknown session `02-practise`"),
    );
    out.assert_has(
        &error("out-of-range")
            .at(RATINGS, 3, 13)
            .message("rating 9 is out of range"),
    );
}

#[test]
fn tab_indentation_in_yaml() {
    let f = Fixture::new();
    f.edit(COMPETENCIES, "    name: Candour\n", "\tname: Candour\n");
    f.check(&[]).assert_only(
        &error("yaml-syntax")
            .at(COMPETENCIES, 6, 1)
            .message_contains("tab")
            .hint("YAML does not allow tabs for indentation; indent with spaces"),
    );
}

#[test]
fn tab_indentation_in_front_matter() {
    let f = Fixture::new();
    f.edit(INTRO, "week: 1\n", "\tweek: 1\n");
    let out = f.check(&[]);
    out.assert_has(
        &error("yaml-syntax")
            .at(INTRO, 4, 1)
            .hint("YAML does not allow tabs for indentation; indent with spaces"),
    );
}

#[test]
fn front_matter_syntax_error_message_agrees_with_position() {
    let f = Fixture::new();
    f.edit(INTRO, "week: 1\n", "\tweek: 1\n");
    let out = f.check(&[]);
    let d = out.assert_has(&error("yaml-syntax").at(INTRO, 4, 1));
    if let Some(i) = d.message.find(" at line ") {
        let expected = format!(" at line {} column {}", d.line.unwrap(), d.column.unwrap());
        assert!(
            d.message[i..].starts_with(&expected),
            "message names another position than the diagnostic ({}:{}): {}",
            d.line.unwrap(),
            d.column.unwrap(),
            d.message
        );
    }
}

#[test]
fn impossible_date_is_not_a_syntax_error() {
    let f = Fixture::new();
    f.edit(PRACTICE, "week: 2\n", "date: 2026-02-30\n");
    let out = f.check(&[]);
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.file.as_deref() == Some(PRACTICE) && d.line == Some(4))
        .unwrap_or_else(|| panic!("no diagnostic at {PRACTICE}:4\n{}", out.listing()));
    assert_ne!(d.code, "yaml-syntax", "{d}");
    assert!(
        !d.hint
            .as_deref()
            .unwrap_or_default()
            .contains("indentation"),
        "{d}"
    );
}

// ---------------------------------------------------------------------------
// Coverage warnings: warnings (exit 0), errors under --strict (exit 1)
// ---------------------------------------------------------------------------

/// The fixture reports exactly `e` (a warning) and exits 0; with `--strict`
/// the same diagnostic is an error and the exit code is 1.
fn assert_warning_then_strict_error(f: &Fixture, e: Expect) {
    let out = f.check(&[]);
    out.assert_only(&e);
    assert_eq!((out.summary().errors, out.summary().warnings), (0, 1));
    let strict = f.check(&["--strict"]);
    let mut as_error = e.clone();
    as_error.severity = "error";
    strict.assert_only(&as_error);
    assert_eq!((strict.summary().errors, strict.summary().warnings), (1, 0));
}

#[test]
fn warning_uncovered_competency() {
    let f = Fixture::new();
    f.edit(
        PRACTICE,
        "competencies: [delegation, feedback]\n",
        "competencies: [delegation]\n",
    );
    f.edit(REVIEW, "competencies: [feedback]\n", "");
    assert_warning_then_strict_error(
        &f,
        warning("uncovered-competency")
            .at(COMPETENCIES, 15, 9)
            .message("competency `feedback` is covered by no session")
            .hint("add `feedback` to the `competencies` of a session that builds it"),
    );
}

#[test]
fn warning_action_without_practice() {
    let f = Fixture::new();
    f.edit(
        ACTION_MAP,
        "    practices:\n      - id: feedback-round\n        scenario: A server closed the bar early.\n",
        "",
    );
    f.edit(
        PRACTICE,
        "practices: [handover-drill, feedback-round]",
        "practices: [handover-drill]",
    );
    f.edit(
        PRACTICE,
        " and the\n[feedback round](practice:feedback-round).\n",
        ".\n",
    );
    assert_warning_then_strict_error(
        &f,
        warning("action-without-practice")
            .at(ACTION_MAP, 19, 9)
            .message("action `same-day-feedback` has no practice")
            .hint("add a realistic practice scenario under `practices`"),
    );
}

#[test]
fn warning_unpracticed_action() {
    let f = Fixture::new();
    f.edit(
        PRACTICE,
        "practices: [handover-drill, feedback-round]",
        "practices: [handover-drill]",
    );
    assert_warning_then_strict_error(
        &f,
        warning("unpracticed-action")
            .at(ACTION_MAP, 19, 9)
            .message("no session uses the practices of action `same-day-feedback`")
            .hint("list `feedback-round` in the `practices` of a session"),
    );
}

#[test]
fn warning_unevidenced_signal() {
    let f = Fixture::new();
    f.edit(METRICS, "    signals: [feedback-given]\n", "");
    assert_warning_then_strict_error(
        &f,
        warning("unevidenced-signal")
            .at(EVALUATION, 8, 9)
            .message("signal `feedback-given` is evidenced by no metric")
            .hint("add `feedback-given` to the `signals` of a metric"),
    );
}

#[test]
fn warning_uncollected_metric() {
    let f = Fixture::new();
    f.edit(METRICS, "    instrument: pulse-survey\n", "");
    f.edit(REVIEW, "metrics: [feedback-rate]\n", "");
    assert_warning_then_strict_error(
        &f,
        warning("uncollected-metric")
            .at(METRICS, 9, 9)
            .message("metric `feedback-rate` is collected by no session or instrument")
            .hint("give it an `instrument`, or list it in the `metrics` of a session"),
    );
}

#[test]
fn metric_collected_by_a_session_only_is_fine() {
    let f = Fixture::new();
    f.edit(METRICS, "    instrument: pulse-survey\n", "");
    f.check(&["--strict"]).assert_clean();
}

#[test]
fn warning_untied_session() {
    let f = Fixture::new();
    f.edit(REVIEW, "competencies: [feedback]\n", "");
    f.edit(REVIEW, "actions: [same-day-feedback]\n", "");
    assert_warning_then_strict_error(
        &f,
        warning("untied-session")
            .at(REVIEW, 2, 8)
            .message("session `03-review` is tied to no competency or action")
            .hint("list the `competencies` or `actions` this session builds"),
    );
}

#[test]
fn warning_environment_barrier_without_remedy() {
    let f = Fixture::new();
    f.edit(
        ACTION_MAP,
        "        remedy: Executives route requests through the manager\n",
        "",
    );
    assert_warning_then_strict_error(
        &f,
        warning("barrier-without-remedy")
            .at(ACTION_MAP, 11, 15)
            .message("environment barrier of action `hand-over-outcomes` has no remedy")
            .hint("training alone does not remove it"),
    );
}

#[test]
fn warning_motivation_barrier_without_remedy() {
    let f = Fixture::new();
    f.edit(
        ACTION_MAP,
        "      - kind: skill\n",
        "      - kind: motivation\n",
    );
    assert_warning_then_strict_error(
        &f,
        warning("barrier-without-remedy")
            .at(ACTION_MAP, 9, 15)
            .message("motivation barrier of action `hand-over-outcomes` has no remedy"),
    );
}

#[test]
fn skill_and_knowledge_barriers_need_no_remedy() {
    let f = Fixture::new();
    f.edit(
        ACTION_MAP,
        "    practices:\n      - id: feedback-round\n",
        "    barriers:\n      - kind: knowledge\n        text: Nobody has seen it done\n    practices:\n      - id: feedback-round\n",
    );
    f.check(&["--strict"]).assert_clean();
}

#[test]
fn warning_not_observable_behaviour() {
    let f = Fixture::new();
    f.edit(
        COMPETENCIES,
        "      - Gives specific feedback on the same day\n",
        "      - Understands why feedback matters\n",
    );
    assert_warning_then_strict_error(
        &f,
        warning("not-observable")
            .at(COMPETENCIES, 19, 9)
            .message("behaviour is not observable: it starts with \"understand\"")
            .hint("describe what someone would see the person do"),
    );
}

#[test]
fn warning_not_observable_action() {
    let f = Fixture::new();
    f.edit(
        ACTION_MAP,
        "    action: Gives feedback on the same shift\n",
        "    action: Knows the feedback model\n",
    );
    assert_warning_then_strict_error(
        &f,
        warning("not-observable")
            .at(ACTION_MAP, 20, 13)
            .message("action is not observable: it starts with \"know\""),
    );
}

#[test]
fn warning_not_observable_signal() {
    let f = Fixture::new();
    f.edit(
        EVALUATION,
        "    signal: Team members receive feedback every week\n",
        "    signal: Feels confident giving feedback\n",
    );
    assert_warning_then_strict_error(
        &f,
        warning("not-observable")
            .at(EVALUATION, 9, 13)
            .message("signal is not observable: it starts with \"feel\""),
    );
}

#[test]
fn warning_not_observable_every_listed_word() {
    for (text, word) in [
        ("Understand the model", "understand"),
        ("Know the steps", "know"),
        ("Learn the checklist", "learn"),
        ("Appreciates feedback", "appreciate"),
        ("Be aware of deadlines", "be aware"),
        ("feels ready", "feel"),
    ] {
        let f = Fixture::new();
        f.edit(
            COMPETENCIES,
            "      - Gives specific feedback on the same day\n",
            &format!("      - {text}\n"),
        );
        f.check(&[])
            .assert_only(
                &warning("not-observable")
                    .at(COMPETENCIES, 19, 9)
                    .message(&format!(
                        "behaviour is not observable: it starts with \"{word}\""
                    )),
            );
    }
}

#[test]
fn warning_missing_alt() {
    let f = Fixture::new();
    f.edit(PRACTICE, "![Team map with every owner]", "![]");
    assert_warning_then_strict_error(
        &f,
        warning("missing-alt")
            .at(PRACTICE, 16, 5)
            .message("image has no alt text")
            .hint("describe the image for readers who cannot see it"),
    );
}

#[test]
fn warning_unknown_yaml_file_in_alignment() {
    let f = Fixture::new();
    f.write("content/demo/alignment/metric.yaml", "metrics: []\n");
    assert_warning_then_strict_error(
        &f,
        warning("unknown-file")
            .in_file_no_position("content/demo/alignment/metric.yaml")
            .message("`metric.yaml` is not an alignment file and is ignored")
            .hint("did you mean `metrics.yaml`?"),
    );
}

#[test]
fn warning_unknown_yml_file_without_close_match() {
    let f = Fixture::new();
    f.write("content/demo/alignment/notes.yml", "x: 1\n");
    f.write("content/demo/alignment/readme.txt", "not yaml, ignored\n");
    f.check(&[]).assert_only(
        &warning("unknown-file")
            .in_file_no_position("content/demo/alignment/notes.yml")
            .message("`notes.yml` is not an alignment file and is ignored")
            .hint("alignment files are competencies.yaml, action-map.yaml, evaluation.yaml, metrics.yaml"),
    );
}

#[test]
fn ignored_files_and_subfolders_are_not_sessions() {
    let f = Fixture::new();
    f.write(
        "content/demo/sessions/drafts/old.md",
        "no front matter at all\n",
    );
    f.write("content/demo/sessions/notes.txt", "scratch\n");
    f.write("content/demo/README.md", "# About this program\n");
    f.write("content/demo/sessions/.02-practice.md.swp", "\0\0binary");
    let out = f.check(&["--strict"]);
    out.assert_clean();
    assert_eq!(out.summary().sessions, 3);
}

// ---------------------------------------------------------------------------
// Follow-on diagnostics after a file fails
// ---------------------------------------------------------------------------

#[test]
fn failed_session_front_matter_causes_no_follow_on_diagnostics() {
    let f = Fixture::new();
    f.edit(PRACTICE, "duration: 90\n", "durration: 90\n");
    let out = f.check(&[]);
    out.assert_only(&error("unknown-key").at(PRACTICE, 5, 1));
}

#[test]
fn missing_metrics_file_causes_no_coverage_warnings() {
    let f = Fixture::new();
    f.remove(METRICS);
    let out = f.check(&[]);
    out.assert_only(&error("missing-file").in_file_no_position(METRICS));
}

#[test]
fn failed_competencies_file_causes_no_untied_session_warning() {
    let f = Fixture::new();
    f.edit(
        COMPETENCIES,
        "    values: [ownership]\n",
        "    values: [ownership\n",
    );
    f.edit(REVIEW, "actions: [same-day-feedback]\n", "");
    let out = f.check(&[]);
    out.assert_only(&error("yaml-syntax").at(COMPETENCIES, 12, 16));
}

#[test]
fn errors_without_close_match_still_say_what_to_do() {
    let f = Fixture::new();
    f.edit(REVIEW, "(metric:on-time-rate)", "(metric:zzz)");
    f.edit(INTRO, "#practice-plan", "#zzz");
    let out = f.check(&[]);
    out.assert_exit(1);
    for d in &out.diagnostics {
        assert!(d.hint.is_some(), "no hint: {d}");
    }
    assert_eq!(out.diagnostics.len(), 2, "{}", out.listing());
}

// ---------------------------------------------------------------------------
// A whole run
// ---------------------------------------------------------------------------

#[test]
fn all_problems_are_reported_together_sorted_by_file_then_line() {
    let f = Fixture::new();
    f.edit("playbook.yaml", "base_url: /\n", "baseurl: /\n");
    f.edit(
        COMPETENCIES,
        "    values: [candour, ownership]\n",
        "    values: [candor, ownership]\n",
    );
    f.edit(
        COMPETENCIES,
        "    values: [ownership]\n",
        "    values: [ownershp]\n",
    );
    f.edit(
        EVALUATION,
        "    competencies: [feedback]\n",
        "    competencies: [feedbak]\n",
    );
    f.edit(
        ACTION_MAP,
        "        remedy: Executives route requests through the manager\n",
        "",
    );
    f.edit(REVIEW, "(signal:owners-deliver)", "(signal:owner-delivers)");
    f.edit(INTRO, "(value:ownership)", "(value:ownershipp)");
    f.edit(
        INTRO,
        "competencies: [delegation]\n",
        "competencies: [delegaton]\n",
    );
    f.write(RATINGS, "session,participant,rating\n01-intro,p1,6\n");
    let out = f.check(&[]);
    out.assert_exit(1);
    let got: Vec<(String, usize, usize, &str, &str)> = out
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.file.clone().unwrap_or_default(),
                d.line.unwrap_or(0),
                d.column.unwrap_or(0),
                d.severity.as_str(),
                d.code.as_str(),
            )
        })
        .collect();
    let want: Vec<(String, usize, usize, &str, &str)> = vec![
        (
            ACTION_MAP.into(),
            11,
            15,
            "warning",
            "barrier-without-remedy",
        ),
        (COMPETENCIES.into(), 11, 14, "error", "unknown-reference"),
        (COMPETENCIES.into(), 17, 14, "error", "unknown-reference"),
        (EVALUATION.into(), 11, 20, "error", "unknown-reference"),
        (RATINGS.into(), 2, 13, "error", "out-of-range"),
        (INTRO.into(), 7, 16, "error", "unknown-reference"),
        (INTRO.into(), 13, 64, "error", "unknown-link"),
        (REVIEW.into(), 14, 19, "error", "unknown-link"),
        ("playbook.yaml".into(), 2, 1, "error", "unknown-key"),
    ];
    assert_eq!(got, want, "\n{}", out.listing());
    let s = out.summary();
    assert_eq!((s.errors, s.warnings), (8, 1));
}

#[test]
fn exit_code_2_when_site_has_no_playbook_yaml() {
    let f = Fixture::new();
    f.remove("playbook.yaml");
    let out = f.check(&[]);
    out.assert_exit(2);
    assert!(out.stdout.trim().is_empty(), "stdout: {}", out.stdout);
    assert!(
        out.stderr.contains("holds no playbook.yaml"),
        "{}",
        out.stderr
    );
}

#[test]
fn exit_code_2_when_site_does_not_exist() {
    let f = Fixture::empty();
    let missing = f.path().join("nowhere");
    let mut cmd = playbook();
    cmd.arg("check").arg(&missing).args(["--format", "json"]);
    let out = Output::from_json_run(cmd);
    out.assert_exit(2);
    assert!(out.stderr.contains("does not exist"), "{}", out.stderr);
}

#[test]
fn exit_code_2_when_no_site_above_current_folder() {
    let f = Fixture::empty();
    std::fs::create_dir_all(f.file("a/b")).unwrap();
    let mut cmd = playbook();
    cmd.current_dir(f.file("a/b"))
        .args(["check", "--format", "json"]);
    let out = Output::from_json_run(cmd);
    out.assert_exit(2);
    assert!(out.stderr.contains("no playbook.yaml in"), "{}", out.stderr);
}

#[test]
fn exit_code_2_on_usage_error() {
    let out = playbook()
        .args(["check", "--format", "xml"])
        .output()
        .expect("run playbook");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn site_root_is_found_upward_from_a_subfolder() {
    let f = Fixture::new();
    f.edit(INTRO, "(value:ownership)", "(value:ownershipp)");
    let mut cmd = playbook();
    cmd.current_dir(f.file("content/demo/sessions"))
        .args(["check", "--format", "json"]);
    let out = Output::from_json_run(cmd);
    out.assert_only(
        &error("unknown-link")
            .at(INTRO, 13, 64)
            .hint("did you mean `ownership`?"),
    );
    let s = out.summary();
    assert_eq!((s.programs, s.sessions), (1, 3));
}

#[test]
fn summary_counts() {
    let f = Fixture::new();
    // A second program (a copy of the first) plus one untied session in it.
    for (path, text) in FILES {
        if let Some(rest) = path.strip_prefix("content/demo/") {
            f.write(&format!("content/second/{rest}"), text);
        }
    }
    f.write(
        "content/second/sessions/04-extra.md",
        "---\ntitle: Extra\nkind: self-study\nweek: 4\n---\nRead on.\n",
    );
    f.edit(INTRO, "(value:ownership)", "(value:ownershipp)");
    let out = f.check(&[]);
    out.assert_exit(1);
    let s = out.summary().clone();
    assert_eq!(
        (
            s.programs,
            s.sessions,
            s.competencies,
            s.actions,
            s.signals,
            s.metrics
        ),
        (2, 7, 4, 4, 4, 4)
    );
    assert_eq!((s.errors, s.warnings), (1, 1), "{}", out.listing());
    out.assert_has(&warning("untied-session").at("content/second/sessions/04-extra.md", 2, 8));

    let strict = f.check(&["--strict"]);
    strict.assert_exit(1);
    let s = strict.summary();
    assert_eq!((s.errors, s.warnings), (2, 0));
    assert!(strict.diagnostics.iter().all(|d| d.severity == "error"));
}

#[test]
fn human_output_has_location_snippet_code_and_help() {
    let f = Fixture::new();
    f.edit(INTRO, "(value:ownership)", "(value:ownershipp)");
    let (code, text) = f.check_human_full(&[]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("error[unknown-link]: link to unknown value `ownershipp`"),
        "{text}"
    );
    assert!(
        text.contains("content/demo/sessions/01-intro.md:13:64"),
        "{text}"
    );
    // The source line and the underline under the link target.
    let line = "Start with [delegation](competency:delegation) and [ownership](value:ownershipp).";
    assert!(text.contains(line), "{text}");
    let underline = text
        .lines()
        .find(|l| l.contains('^'))
        .unwrap_or_else(|| panic!("no underline:\n{text}"));
    let snippet = text.lines().find(|l| l.contains(line)).unwrap();
    let col = |s: &str, pat: &str| s.find(pat).unwrap();
    assert_eq!(
        col(underline, "^"),
        col(snippet, "value:ownershipp"),
        "{text}"
    );
    assert_eq!(
        underline.matches('^').count(),
        "value:ownershipp".len(),
        "{text}"
    );
    assert!(text.contains("help: did you mean `ownership`?"), "{text}");
    assert!(text.contains("1 program, 3 sessions, 2 competencies, 2 actions, 2 signals, 2 metrics — 1 error, 0 warnings in"), "{text}");
    // No colour codes were asked for.
    assert!(!text.contains('\u{1b}'), "{text}");
}

#[test]
fn human_output_for_unknown_reference_in_front_matter() {
    let f = Fixture::new();
    f.edit(
        INTRO,
        "competencies: [delegation]\n",
        "competencies: [delegaton]\n",
    );
    let text = f.check_human(&[]);
    assert!(
        text.contains("error[unknown-reference]: unknown competency `delegaton`"),
        "{text}"
    );
    assert!(
        text.contains("content/demo/sessions/01-intro.md:7:16"),
        "{text}"
    );
    let snippet = text
        .lines()
        .find(|l| l.contains("competencies: [delegaton]"))
        .unwrap_or_else(|| panic!("no snippet:\n{text}"));
    assert!(snippet.trim_start().starts_with("7 "), "{text}");
    let underline = text
        .lines()
        .find(|l| l.contains('^'))
        .unwrap_or_else(|| panic!("no underline:\n{text}"));
    assert_eq!(
        underline.find('^').unwrap(),
        snippet.find("delegaton").unwrap(),
        "{text}"
    );
    assert_eq!(underline.matches('^').count(), "delegaton".len(), "{text}");
    assert!(
        underline.contains("no competency with this id in this program"),
        "{text}"
    );
    assert!(text.contains("help: did you mean `delegation`?"), "{text}");
    assert!(text.contains("— 1 error, 0 warnings in"), "{text}");
}

#[test]
fn human_output_for_warnings_and_files_without_position() {
    let f = Fixture::new();
    f.write("content/demo/alignment/metric.yaml", "metrics: []\n");
    let (code, text) = f.check_human_full(&[]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(
            "warning[unknown-file]: `metric.yaml` is not an alignment file and is ignored"
        ),
        "{text}"
    );
    assert!(
        text.contains("in content/demo/alignment/metric.yaml"),
        "{text}"
    );
    assert!(
        text.contains("help: did you mean `metrics.yaml`?"),
        "{text}"
    );
    assert!(text.contains("— 0 errors, 1 warning in"), "{text}");

    let (code, text) = f.check_human_full(&["--strict"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("error[unknown-file]"), "{text}");
    assert!(text.contains("— 1 error, 0 warnings in"), "{text}");
}

#[test]
fn human_output_of_a_clean_site() {
    let f = Fixture::new();
    let (code, text) = f.check_human_full(&["--strict"]);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("error["), "{text}");
    assert!(!text.contains("warning["), "{text}");
    assert!(text.starts_with("checked "), "{text}");
    assert!(text.contains("— 0 errors, 0 warnings in"), "{text}");
}

#[test]
fn json_output_is_the_only_thing_on_stdout() {
    let f = Fixture::new();
    f.edit(INTRO, "(value:ownership)", "(value:ownershipp)");
    let out = f.check(&[]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let d = &v["diagnostics"][0];
    for key in [
        "severity",
        "code",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "label",
        "hint",
    ] {
        assert!(d.get(key).is_some(), "missing `{key}` in {d}");
    }
    for key in [
        "programs",
        "sessions",
        "competencies",
        "actions",
        "signals",
        "metrics",
        "errors",
        "warnings",
        "millis",
    ] {
        assert!(v["summary"].get(key).is_some(), "missing summary `{key}`");
    }
    assert!(
        !out.stderr.contains("error[unknown-link]"),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------
// Robustness: no input may panic the binary
// ---------------------------------------------------------------------------

/// Deterministic junk bytes (not valid UTF-8).
fn junk(n: usize) -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8 | 0x80
        })
        .collect()
}

#[test]
fn garbage_input_never_panics() {
    type Setup = Box<dyn Fn(&Fixture)>;
    let s = "content/demo/sessions/04-junk.md";
    let cases: Vec<(&str, Setup)> = vec![
        (
            "binary junk in a .md",
            Box::new(move |f| {
                f.write_bytes(s, &junk(4096));
            }),
        ),
        (
            "`---` only",
            Box::new(move |f| {
                f.write(s, "---");
            }),
        ),
        (
            "`---` twice",
            Box::new(move |f| {
                f.write(s, "---\n---\n");
            }),
        ),
        (
            "front matter is a scalar",
            Box::new(move |f| {
                f.write(s, "---\njust text\n---\n");
            }),
        ),
        (
            "front matter is a list",
            Box::new(move |f| {
                f.write(s, "---\n- a\n- b\n---\n");
            }),
        ),
        (
            "deeply nested flow YAML",
            Box::new(|f| {
                f.write(
                    COMPETENCIES,
                    &format!("values: {}{}\n", "[".repeat(3000), "]".repeat(3000)),
                );
            }),
        ),
        (
            "deeply nested unclosed flow YAML in front matter",
            Box::new(move |f| {
                f.write(s, &format!("---\ntitle: {}\n---\n", "{a: [".repeat(1000)));
            }),
        ),
        (
            "deeply nested block YAML",
            Box::new(|f| {
                let mut t = String::from("values:\n");
                for i in 1..2000 {
                    t.push_str(&" ".repeat(i));
                    t.push_str("a:\n");
                }
                f.write(COMPETENCIES, &t);
            }),
        ),
        (
            "list where a mapping is expected",
            Box::new(|f| {
                f.write(ACTION_MAP, "- a\n- b\n");
                f.write("playbook.yaml", "- title: x\n");
            }),
        ),
        (
            "mapping where a list is expected",
            Box::new(|f| {
                f.write(METRICS, "metrics:\n  id: x\ninstruments: {}\n");
            }),
        ),
        (
            "requires: 5",
            Box::new(|f| {
                f.edit(PRACTICE, "requires: [01-intro]\n", "requires: 5\n");
            }),
        ),
        (
            "requires with duplicates and nulls",
            Box::new(|f| {
                f.edit(
                    REVIEW,
                    "requires: [01-intro, 02-practice]\n",
                    "requires: [01-intro, 01-intro, ~, 04-nope]\n",
                );
            }),
        ),
        (
            "huge numbers",
            Box::new(|f| {
                f.edit(PRACTICE, "week: 2\n", "week: 99999999999999999999999\n");
                f.edit(PRACTICE, "duration: 90\n", "duration: -5\n");
                f.edit(METRICS, "    tier: 8\n", "    tier: 300\n");
                f.edit(METRICS, "    target: 0.8\n", "    target: 1e999\n");
                f.edit(
                    PROGRAM_YAML,
                    "cohort_size: 6\n",
                    "cohort_size: 4294967296\n",
                );
            }),
        ),
        (
            "week 0 and tier 9",
            Box::new(|f| {
                f.edit(PRACTICE, "week: 2\n", "week: 0\n");
                f.edit(METRICS, "    tier: 8\n", "    tier: 9\n");
            }),
        ),
        (
            "YAML aliases and tags",
            Box::new(|f| {
                f.write(
                    COMPETENCIES,
                    "values: *nothing\ncompetencies: !!binary abc\n",
                );
                f.write(EVALUATION, "a: &x [*x]\n");
            }),
        ),
        (
            "NUL bytes and very long line",
            Box::new(move |f| {
                f.write(
                    s,
                    &format!(
                        "---\ntitle: \0\0\nkind: workshop\n---\n{}\0[x](value:\0)\n",
                        "x".repeat(100_000)
                    ),
                );
            }),
        ),
        (
            "odd links",
            Box::new(move |f| {
                f.write(
                s,
                "---\ntitle: Odd\nkind: workshop\nactions: [same-day-feedback]\n---\n\
                 [a](competency:) [b](session:#) [c](%%%) ![](<>) [d](../../..) [e](02-practice.md#) \
                 [f](#) [g](:x) [h](value:ownership#x) [i](ses\u{e9}sion:\u{e9}) [j](.md) [k](/..)\n## ???\n## ???\n[l](#-1)\n",
            );
            }),
        ),
        (
            "broken CSV files",
            Box::new(|f| {
                f.write(
                    RATINGS,
                    "session,participant,rating\n\"01-intro,p1,4\n01-intro\n,,,,,\n",
                );
                f.write_bytes(SURVEY, &junk(100));
                f.write(ATTENDANCE, "");
            }),
        ),
        (
            "huge rating and score",
            Box::new(|f| {
                f.write(RATINGS, "session,participant,rating\n01-intro,p1,1e400\n01-intro,p2,-0\n01-intro,p3,NaN\n");
                f.write(
                    SURVEY,
                    "participant,phase,item,score\np1,pre,x,1e400\np1,post,x,inf\n",
                );
            }),
        ),
        (
            "empty every file",
            Box::new(|f| {
                for (path, _) in FILES {
                    f.write(path, "");
                }
                f.write("playbook.yaml", "title: x\n");
            }),
        ),
    ];
    for (name, setup) in cases {
        let f = Fixture::new();
        setup(&f);
        let out = f.check(&[]);
        assert_eq!(
            out.code,
            1,
            "case `{name}`: exit {}\n{}\nstderr:\n{}",
            out.code,
            out.listing(),
            out.stderr
        );
        assert!(out.summary().errors > 0, "case `{name}`");
        let (code, human) = f.check_human_full(&[]);
        assert_eq!(code, 1, "case `{name}` (human output)");
        assert!(!human.contains("panicked"), "case `{name}`:\n{human}");
    }
}

#[test]
fn huge_week_with_start_date_does_not_panic() {
    let f = Fixture::new();
    f.edit(PRACTICE, "week: 2\n", "week: 14000000\n");
    let out = playbook()
        .arg("check")
        .arg(f.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["file"], PRACTICE);
    assert_eq!(d["line"], 4);
}

#[test]
fn deep_flow_nesting_is_checked_quickly() {
    let f = Fixture::new();
    f.write(
        "content/demo/sessions/04-junk.md",
        &format!("---\ntitle: {}\n---\n", "[".repeat(64_000)),
    );
    let start = Instant::now();
    let out = f.check(&[]);
    let took = start.elapsed();
    out.assert_exit(1);
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn github_format_prints_one_workflow_command_per_diagnostic() {
    let f = Fixture::new();
    f.edit(INTRO, "#practice-plan", "#practise-plan");
    f.edit(
        COMPETENCIES,
        "    name: Candour\n",
        "    name: Candour\n    nmae: x\n",
    );
    let out = playbook()
        .args(["check", "--format", "github"])
        .arg(f.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(
        lines[0],
        "::error file=content/demo/alignment/competencies.yaml,line=7,col=5,endLine=7,endColumn=9,title=unknown-key::values[1]: unknown field `nmae`, expected one of `id`, `name`, `description`%0Ahelp: did you mean `name`?"
    );
    assert_eq!(
        lines[1],
        "::error file=content/demo/sessions/01-intro.md,line=14,col=32,endLine=14,endColumn=60,title=broken-anchor::session `02-practice` has no heading with anchor `#practise-plan`%0Ahelp: did you mean `practice-plan`?"
    );
    // The summary goes to stderr, as in human format.
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 errors"));
}

#[test]
fn warning_a_title_of_more_than_one_paragraph() {
    let f = Fixture::new();
    f.edit(
        ACTION_MAP,
        "    action: Gives feedback on the same shift\n",
        "    action: |\n      Gives feedback on the same shift.\n\n      Within the hour, in private.\n",
    );
    assert_warning_then_strict_error(
        &f,
        warning("not-one-paragraph")
            .at(ACTION_MAP, 21, 7)
            .message("`action` is a title, shown in headings and links: it should be one paragraph")
            .hint("keep `action` to a sentence"),
    );
}
