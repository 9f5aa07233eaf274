//! Hostile and careless data in and out: authored text with control
//! characters reaches `calendar.ics` cleaned and escaped (RFC 5545),
//! `results.csv` cells cannot start a spreadsheet formula (OWASP CSV
//! injection), and results that the statistics would silently bend — a
//! half-point rating, a survey item that misses a competency id by its case
//! or one letter — are reported at their cell.

use std::fs;

use crate::common::build::Site;
use crate::common::{error, warning, Fixture};

const RATINGS: &str = "content/demo/results/ratings.csv";
const SURVEY: &str = "content/demo/results/survey.csv";
const ATTENDANCE: &str = "content/demo/results/attendance.csv";

// ------------------------------------------------------------ calendar.ics

/// A long module name: folded over several lines, with multi-byte
/// characters at every position a fold could fall on.
fn long_module() -> String {
    "Grundlagen; für Führungskräfte, Teil 1 \\ 🎉 ".repeat(6)
}

/// RFC 5545 §3.1: unfold (a CRLF followed by one space or tab is removed).
fn unfold(ics: &str) -> String {
    ics.replace("\r\n ", "").replace("\r\n\t", "")
}

/// RFC 5545 §3.3.11: the TEXT escapes undone.
fn unescape(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(c @ ('\\' | ';' | ',')) => out.push(c),
            other => panic!("a bad escape `\\{other:?}` in {v:?}"),
        }
    }
    out
}

/// The unescaped value of property `name` in the component of an unfolded
/// calendar that holds the line `line`.
fn property(unfolded: &str, line: &str, name: &str) -> String {
    let block = unfolded
        .split("BEGIN:")
        .find(|b| b.split("\r\n").any(|l| l.starts_with(line)))
        .unwrap_or_else(|| panic!("no {line}"));
    let found = block
        .split("\r\n")
        .find(|l| l.starts_with(&format!("{name}:")))
        .unwrap_or_else(|| panic!("no {name} beside {line}:\n{unfolded}"));
    unescape(&found[name.len() + 1..])
}

#[test]
fn calendar_text_is_cleaned_of_control_characters_and_escaped() {
    let site = Site::new();
    let p = "content/demo";
    // YAML double-quoted escapes: CR, NUL, VT, FF, DEL, NEL (a C1 control).
    site.edit(
        &format!("{p}/program.yaml"),
        "title: Demo Program",
        r#"title: "Demo\r\nProgram\0; a, b \\ c\v\f\x7f\x85 🎉 end""#,
    );
    site.edit(
        &format!("{p}/program.yaml"),
        "organization: Demo Co.",
        r#"organization: "Demo\0 Co.;\r\v""#,
    );
    site.edit(
        &format!("{p}/program.yaml"),
        "facilitators: [Ana Ruiz]",
        r#"facilitators: ["Ana\v Ruiz, \\PhD\r"]"#,
    );
    site.edit(
        &format!("{p}/sessions/01-intro.md"),
        "title: Handing over work",
        r#"title: "Hand\rover\0 work; now, \\ then\u0008\u001b 🎉""#,
    );
    site.edit(
        &format!("{p}/sessions/01-intro.md"),
        "module: Foundations",
        &format!("module: \"{}\\f\"", long_module().replace('\\', "\\\\")),
    );
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let bytes = fs::read(out.join("demo/calendar.ics")).unwrap();
    let ics = String::from_utf8(bytes.clone()).expect("calendar.ics is UTF-8");

    // No raw control character: CR only before LF, LF only after CR.
    for (i, c) in ics.char_indices() {
        let ok = match c {
            '\r' => ics[i..].starts_with("\r\n"),
            '\n' => ics[..i].ends_with('\r'),
            c => !c.is_control(),
        };
        assert!(ok, "a raw {c:?} at byte {i} of calendar.ics:\n{ics:?}");
    }
    // Content lines of at most 75 octets (folds never split a character:
    // the file is UTF-8 as a whole, and so is each line).
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }

    // Round trip: the cleaned values, unescaped, are the authored ones
    // without their control characters (a CR LF is a line break).
    let program = "Demo\nProgram; a, b \\ c 🎉 end";
    let session = "Handover work; now, \\ then 🎉";
    let u = unfold(&ics);
    assert_eq!(property(&u, "VCALENDAR", "X-WR-CALNAME"), program);
    assert_eq!(property(&u, "VCALENDAR", "NAME"), program);
    let first = "UID:demo/01-intro@";
    assert_eq!(property(&u, first, "SUMMARY"), session);
    let description = property(&u, first, "DESCRIPTION");
    assert!(
        description.starts_with(&format!("Session 1 of {program}. Workshop, 1 h 30 min, ")),
        "{description:?}"
    );
    assert!(
        description.contains(long_module().as_str()),
        "{description:?}"
    );

    // An independent parser (the `ical` crate) reads it: one calendar,
    // three events, each with its summary.
    let cals: Vec<_> = ical::IcalParser::new(std::io::BufReader::new(&bytes[..]))
        .collect::<Result<_, _>>()
        .expect("calendar.ics parses");
    assert_eq!(cals.len(), 1);
    assert_eq!(cals[0].events.len(), 3);
    let summary = cals[0].events[0]
        .properties
        .iter()
        .find(|p| p.name == "SUMMARY")
        .and_then(|p| p.value.clone())
        .unwrap();
    assert_eq!(unescape(&summary), session);
    let parsed = cals[0].events[0]
        .properties
        .iter()
        .find(|p| p.name == "DESCRIPTION")
        .and_then(|p| p.value.clone())
        .unwrap();
    assert_eq!(unescape(&parsed), description, "white space lost at a fold");
}

#[test]
fn a_calendar_url_from_a_base_url_with_control_characters_stays_one_line() {
    let site = Site::new();
    site.edit(
        "playbook.yaml",
        "base_url: /",
        r#"base_url: "https://demo\r\nX-INJECTED:1.example.org/a b\u0000/""#,
    );
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let ics = fs::read_to_string(out.join("demo/calendar.ics")).unwrap();
    let u = unfold(&ics);
    assert!(!u.contains("\r\nX-INJECTED"), "{ics}");
    assert!(!ics.contains('\0'), "{ics:?}");
    for line in u.split("\r\n").filter(|l| l.starts_with("URL:")) {
        assert!(
            !line.contains([' ', '\r', '\n']),
            "a URL with white space: {line:?}"
        );
    }
}

// ------------------------------------------------------------ results.csv

/// A metric `name` for each character OWASP lists as starting a formula.
const FORMULAS: [&str; 6] = [
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\tindented",
    "\rreturned",
];

#[test]
fn results_csv_text_cannot_start_a_formula_and_numbers_stay_numbers() {
    let site = Site::new();
    let m = "content/demo/alignment/metrics.yaml";
    site.edit(
        m,
        "    name: Session attendance\n",
        "    name: \"=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")\"\n",
    );
    site.edit(
        m,
        "    target: 0.75\n    tier: 7\n",
        "    target: -0.4\n    tier: 7\n    better: lower\n    source: observations\n",
    );
    site.edit(
        m,
        "    name: Share of workstreams handed over with an agreed outcome\n",
        "    name: \"+1+cmd|' /C calc'!A0\"\n",
    );
    let extra = [
        ("minus", "-2+3"),
        ("at", "@SUM(1+1)*cmd|' /C calc'!A0"),
        ("tab", "\\tindented"),
        ("cr", "\\rreturned"),
    ];
    let mut more = String::new();
    for (id, name) in extra {
        more.push_str(&format!(
            "  - id: {id}\n    name: \"{name}\"\n    category: outcome\n    instrument: observation\n    target: -1.5\n    signals: [feedback-given]\n"
        ));
    }
    site.edit(m, "instruments:\n", &format!("{more}instruments:\n"));
    site.write(
        "content/demo/results/observations.csv",
        "metric,date,value\nownership-rate,2026-01-05,-0.5\n",
    );
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let text = fs::read_to_string(out.join("demo/results.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let names: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
    let want: Vec<String> = FORMULAS.iter().map(|f| format!("'{f}")).collect();
    assert_eq!(names, want, "{text}");
    // Every cell that starts with a formula character is a number.
    for r in &rows {
        for cell in r.iter() {
            if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                assert!(cell.parse::<f64>().is_ok(), "{cell:?} in {text}");
            }
        }
    }
    // Negative numbers stay numbers, written as they are, unquoted.
    let row = |id: &str| rows.iter().find(|r| &r[0] == id).unwrap().clone();
    assert_eq!(&row("ownership-rate")[6], "-0.4");
    assert_eq!(&row("ownership-rate")[7], "-0.5");
    assert_eq!(&row("minus")[6], "-1.5");
    assert!(text.contains(",-0.4,-0.5,1,"), "{text}");
    // Text cells are quoted.
    assert!(text.contains("\"'-2+3\""), "{text}");
}

// ------------------------------------------------------------ ratings

#[test]
fn a_rating_between_whole_points_is_an_error_at_its_cell() {
    let f = Fixture::new();
    f.write(
        RATINGS,
        "session,participant,rating\n01-intro,p1,4\n01-intro,p2,4.5\n01-intro,p3,5.0\n",
    );
    let out = f.check(&[]);
    out.assert_only(
        &error("invalid-value")
            .at(RATINGS, 3, 13)
            .message("rating 4.5 is not a whole point")
            .hint("ratings are whole points from 1 to 5"),
    );
}

#[test]
fn attendance_takes_no_fractions_either() {
    let f = Fixture::new();
    f.write(
        ATTENDANCE,
        "session,participant,present\n01-intro,p1,1\n01-intro,p2,0.5\n",
    );
    f.check(&[])
        .assert_only(&error("invalid-value").at(ATTENDANCE, 3, 13));
}

// ------------------------------------------------------------ survey items

#[test]
fn a_survey_item_that_misses_a_competency_id_by_case_is_warned_once() {
    let f = Fixture::new();
    let mut survey = String::from("participant,phase,item,score\n");
    for p in 1..=5 {
        survey.push_str(&format!("p{p},pre,delegation,2\np{p},post,Delegation,4\n"));
    }
    f.write(SURVEY, &survey);
    let out = f.check(&[]);
    let d = out.assert_only(
        &warning("similar-item")
            .at(SURVEY, 3, 9)
            .message(
                "the survey item `Delegation` is not the competency `delegation`: \
                 its 5 rows count as an item of their own",
            )
            .hint("did you mean `delegation`?"),
    );
    assert_eq!(d.label.as_deref(), Some("column `item`"));
    // `--strict` makes it an error.
    f.check(&["--strict"]).assert_exit(1);
}

#[test]
fn survey_items_one_slip_from_an_id_or_from_each_other_are_warned() {
    let f = Fixture::new();
    f.write(
        SURVEY,
        "participant,phase,item,score\n\
         p1,pre,delegaton,2\n\
         p1,post,delegation,3\n\
         p1,pre,Trust in the team,2\n\
         p1,post,trust in the team,3\n\
         p1,pre,FEED_BACK,1\n",
    );
    let out = f.check(&[]);
    out.assert_has(
        &warning("similar-item")
            .at(SURVEY, 2, 8)
            .hint("did you mean `delegation`?"),
    );
    out.assert_has(
        &warning("similar-item")
            .at(SURVEY, 5, 9)
            .message_contains(
                "the survey item `trust in the team` differs from `Trust in the team` (line 4)",
            )
            .hint("did you mean `Trust in the team`?"),
    );
    out.assert_has(
        &warning("similar-item")
            .at(SURVEY, 6, 8)
            .hint("did you mean `feedback`?"),
    );
    assert_eq!(out.diagnostics.len(), 3, "{}", out.listing());
}

#[test]
fn free_text_survey_items_near_an_id_by_meaning_are_left_alone() {
    let f = Fixture::new();
    f.write(
        SURVEY,
        "participant,phase,item,score\n\
         p1,pre,delegation-confidence,2\n\
         p1,pre,feedback-quality,2\n\
         p1,pre,q1,2\n\
         p1,pre,q2,2\n\
         p1,pre,delegation,2\n",
    );
    f.check(&["--strict"]).assert_clean();
}

#[test]
fn an_empty_survey_item_is_an_error() {
    let f = Fixture::new();
    f.write(
        SURVEY,
        "participant,phase,item,score\np1,pre,delegation,2\np1,post,,3\n",
    );
    f.check(&[]).assert_only(
        &error("invalid-value")
            .at(SURVEY, 3, 1)
            .message("the survey item is empty"),
    );
}

/// The other columns that name ids take no slip either: an unknown id is
/// an error there, with the same "did you mean".
#[test]
fn ids_in_other_results_columns_that_differ_in_case_are_errors() {
    let f = Fixture::new();
    f.write(
        "content/demo/results/feedback.csv",
        "participant,comment,session,competency,signal\n\
         p1,Clear,01-Intro,Delegation,Owners-Deliver\n",
    );
    f.write(ATTENDANCE, "session,participant,present\n01-INTRO,p1,1\n");
    let out = f.check(&[]);
    let feedback = "content/demo/results/feedback.csv";
    for (file, column, hint) in [
        (feedback, 10, "did you mean `01-intro`?"),
        (feedback, 19, "did you mean `delegation`?"),
        (feedback, 30, "did you mean `owners-deliver`?"),
        (ATTENDANCE, 1, "did you mean `01-intro`?"),
    ] {
        out.assert_has(&error("unknown-reference").at(file, 2, column).hint(hint));
    }
    assert_eq!(out.diagnostics.len(), 4, "{}", out.listing());
}
