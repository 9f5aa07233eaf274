//! FORMAT.md v1.2, survey.csv with raters, phases and dates: every error
//! rule as `check` reports it (file, line, column, what to do).

use crate::common::{error, Fixture};

const SURVEY: &str = "content/demo/results/survey.csv";
const HEADER: &str = "participant,phase,item,score,rater,rater_id,date\n";

#[test]
fn every_rater_and_phase_error_rule_names_its_cell() {
    // (name, rows after the header, line, column label, message, hint)
    let cases: [(&str, &str, usize, &str, &str, &str); 7] = [
        (
            "an unknown phase",
            "p1,pre,delegation,3,self,,\np1,later,delegation,4,self,,\n",
            3,
            "column `phase`",
            "phase must be `pre`, `post`, `then` or `follow-up`, found `later`",
            "pre, post, then or follow-up",
        ),
        (
            "an unknown rater",
            "p1,pre,delegation,3,boss,m1,\n",
            2,
            "column `rater`",
            "rater must be `self`, `manager`, `peer`, `report` or `other`, found `boss`",
            "self, manager, peer, report or other",
        ),
        (
            "a peer without a rater id",
            "p1,pre,delegation,3,peer,,\n",
            2,
            "column `rater_id`",
            "a `peer` row needs a `rater_id`",
            "pseudonym",
        ),
        (
            "a direct report without a rater id",
            "p1,pre,delegation,3,report,,\n",
            2,
            "column `rater_id`",
            "a `report` row needs a `rater_id`",
            "pseudonym",
        ),
        (
            "a follow-up without a date",
            "p1,follow-up,delegation,3,self,,\n",
            2,
            "column `date`",
            "a `follow-up` row needs a `date`",
            "YYYY-MM-DD",
        ),
        (
            "a date that is no date",
            "p1,post,delegation,3,self,,31/03/2026\n",
            2,
            "column `date`",
            "`31/03/2026` is not a date",
            "YYYY-MM-DD",
        ),
        (
            "two answers of one rater about one participant",
            "p1,pre,delegation,3,report,r1,\np1,pre,delegation,4,report,r1,\n",
            3,
            "same key as line 2",
            "a second row for participant `p1`, phase `pre`, item `delegation`, rater `report`, rater_id `r1` (the first is on line 2)",
            "keep one",
        ),
    ];
    for (name, rows, line, label, message, hint) in cases {
        println!("case: {name}");
        let f = Fixture::new();
        f.write(SURVEY, &format!("{HEADER}{rows}"));
        let out = f.check(&[]);
        let d = out.assert_only(
            &error(if name.starts_with("two") {
                "duplicate-row"
            } else {
                "invalid-value"
            })
            .message(message)
            .hint(hint),
        );
        assert_eq!(
            (d.file.as_deref(), d.line, d.label.as_deref()),
            (Some(SURVEY), Some(line), Some(label)),
            "{name}"
        );
    }
}

#[test]
fn rater_columns_may_be_missing_and_rows_of_several_raters_are_fine() {
    let f = Fixture::new();
    // No rater column: every row is self. A follow-up needs its date
    // column, though.
    f.write(
        SURVEY,
        "participant,phase,item,score\np1,pre,delegation,3\np1,then,delegation,2\np1,post,delegation,4\n",
    );
    f.check(&["--strict"]).assert_clean();
    f.write(
        SURVEY,
        "participant,phase,item,score\np1,follow-up,delegation,3\n",
    );
    let out = f.check(&[]);
    let d = out.assert_only(&error("invalid-value").message("a `follow-up` row needs a `date`"));
    assert_eq!(d.label.as_deref(), Some("column `phase`"));
    // Peers, reports and a manager about one participant; a manager needs
    // no rater id; two follow-ups on two dates are two rows.
    f.write(
        SURVEY,
        &format!(
            "{HEADER}p1,pre,delegation,3,self,,\np1,pre,delegation,2,manager,,\np1,pre,delegation,3,report,r1,\np1,pre,delegation,4,report,r2,\np1,pre,delegation,4,peer,r1,\np1,follow-up,delegation,4,self,,2026-06-01\np1,follow-up,delegation,5,self,,2026-09-01\n"
        ),
    );
    f.check(&["--strict"]).assert_clean();
}

/// `min_raters` of playbook.yaml is a whole number of at least 1: 0 would
/// show one rater's answers as a group's, a negative or fractional one
/// means nothing. Each is an error at its line, saying what to write.
#[test]
fn min_raters_below_one_or_not_whole_is_an_error_at_its_line() {
    for (value, found) in [("0", "0"), ("-2", "-2"), ("2.5", "2.5"), ("three", "three")] {
        let f = Fixture::new();
        f.edit(
            "playbook.yaml",
            "base_url: /\n",
            &format!("base_url: /\nmin_raters: {value}\n"),
        );
        let out = f.check(&[]);
        out.assert_exit(1);
        let d = out.assert_only(
            &error(if value == "0" || value == "-2" {
                "out-of-range"
            } else {
                "invalid-value"
            })
            .at("playbook.yaml", 3, 13)
            .message_contains("min_raters")
            .hint("write a whole number of at least 1, e.g. `min_raters: 3` (the default)"),
        );
        assert!(d.message.contains(found), "{}", d.message);
    }
}
