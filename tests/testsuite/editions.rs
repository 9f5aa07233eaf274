//! Two editions from one source: the facilitator edition (everything, the
//! facilitator's parts marked) and the participant edition (`--edition
//! participant`: no `facilitator` block, no facilitator-only session, no
//! file only those link to, no facilitator guide, a participant workbook,
//! results only when `playbook.yaml` opts in), and `check`'s errors for
//! participants' text that links to what their edition leaves out.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::build::*;
use crate::common::{
    error, Fixture, COMPETENCIES, COMPETENCIES_SRC, INTRO, INTRO_SRC, PRACTICE, PRACTICE_SRC,
};

/// Text only facilitators may see; no file of the participant edition may
/// hold any of it.
const SECRETS: [&str; 12] = [
    "SECRET-PREP-SESSION",
    "SECRET-BLOCK-IN-BODY",
    "SECRET-BLOCK-IN-YAML",
    "SECRET-ANSWER-HEADING",
    "SECRET-PURPOSE-OF-PREP",
    // Fences indented up to three spaces, at the top and in a list item.
    "SECRET-INDENTED-TOP",
    "SECRET-INDENTED-ITEM",
    // Names that are not `facilitator` but plainly mean it: the block is
    // taken for one (fail closed).
    "SECRET-CAPITALIZED",
    "SECRET-PLURAL",
    "SECRET-AS-CLASS",
    // Blocks in fields program.json exports as markdown.
    "SECRET-BEHAVIOR",
    "SECRET-SCENARIO",
];

/// Participants' text around facilitator blocks that are easy to get
/// slightly wrong.
const TRICKY_BLOCKS: &str = "\
 ::: facilitator
 SECRET-INDENTED-TOP
 :::

- Agree the outcome.

   ::: facilitator
   SECRET-INDENTED-ITEM
   :::

::: Facilitator
SECRET-CAPITALIZED
:::

::: facilitators
SECRET-PLURAL
:::

::: {.note .facilitator}
SECRET-AS-CLASS
:::

";

const PREP_MD: &str = "\
---
title: Facilitators' briefing SECRET-PREP-SESSION
kind: workshop
audience: facilitator
week: 1
duration: 30
competencies: [delegation]
actions: [delegate-outcomes]
purpose: Agree who runs which exercise (SECRET-PURPOSE-OF-PREP).
---
## Run sheet

Who does what. See also [the answer key](handouts/answers.txt).
";

/// The build fixture with a facilitator-only session, a `facilitator`
/// block in a session body (a heading and a file link inside it) and one
/// in a competency's description, and a purpose for the first session.
fn two_edition_site() -> Site {
    let site = Site::new();
    site.write("content/demo/sessions/00-prep.md", PREP_MD);
    site.write(
        "content/demo/sessions/handouts/answers.txt",
        "The answers: SECRET-ANSWER-HEADING\n",
    );
    site.write(
        "content/demo/sessions/handouts/worksheet.txt",
        "For everyone.\n",
    );
    let intro = INTRO_MD
        .replace(
            "module: Foundations\n",
            "module: Foundations\npurpose: Hand over outcomes, not tasks.\n",
        )
        .replace(
            "## Debrief questions",
            &format!("::: facilitator\n### Model answers SECRET-ANSWER-HEADING\n\nListen for SECRET-BLOCK-IN-BODY. [Key](handouts/answers.txt), [prep](00-prep.md).\n:::\n\nTake [the worksheet](handouts/worksheet.txt).\n\n{TRICKY_BLOCKS}## Debrief questions"),
        );
    site.write("content/demo/sessions/01-intro.md", &intro);
    let competencies = fs::read_to_string(site.root().join("content/demo/alignment/competencies.yaml"))
        .unwrap()
        .replace(
            "    description: Hands over outcomes, not tasks.\n",
            "    description: |\n      Hands over outcomes, not tasks.\n\n      ::: facilitator\n      Watch for SECRET-BLOCK-IN-YAML.\n      :::\n",
        );
    let competencies = competencies.replace(
        "      - Lets the owner choose the method\n",
        "      - |\n        Lets the owner choose the method.\n\n        ::: facilitator\n        SECRET-BEHAVIOR\n        :::\n",
    );
    site.write("content/demo/alignment/competencies.yaml", &competencies);
    let map = fs::read_to_string(site.root().join("content/demo/alignment/action-map.yaml"))
        .unwrap()
        .replace(
            "        scenario: Hand the venue workstream to a new coordinator two weeks before the event.\n",
            "        scenario: |\n          Hand the venue workstream to a new coordinator two weeks before the event.\n\n          ::: instructor\n          SECRET-SCENARIO\n          :::\n",
        );
    site.write("content/demo/alignment/action-map.yaml", &map);
    site
}

/// Every file under `out`, as text (lossy), by path.
fn files(out: &Path) -> Vec<(String, String)> {
    read_tree(out)
        .into_iter()
        .map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned()))
        .collect()
}

fn built(site: &Site, name: &str, extra: &[&str]) -> PathBuf {
    let out = site.scratch(name);
    site.build(&out, extra).assert_code(0);
    out
}

#[test]
fn the_participant_edition_holds_no_facilitator_text_anywhere() {
    let site = two_edition_site();
    let out = built(&site, "participant", &["--edition", "participant"]);
    for (path, text) in files(&out) {
        for s in SECRETS {
            assert!(!text.contains(s), "{path} holds `{s}`");
        }
    }
    let set = file_set(&out);
    for gone in [
        "demo/sessions/00-prep/index.html",
        "demo/sessions/handouts/answers.txt",
        "demo/guide/index.html",
        "demo/traceability/index.html",
        "demo/results/index.html",
        "demo/impact/index.html",
        "demo/results.csv",
    ] {
        assert!(!set.contains(gone), "{gone} is in the participant edition");
    }
    for kept in [
        "demo/workbook/index.html",
        "demo/sessions/01-intro/index.html",
        "demo/sessions/handouts/worksheet.txt",
        "demo/calendar.ics",
        "demo/program.json",
    ] {
        assert!(set.contains(kept), "{kept} is missing");
    }
    // The others keep their numbers: the session left out was the first.
    let intro = fs::read_to_string(out.join("demo/sessions/01-intro/index.html")).unwrap();
    assert!(intro.contains("Session 2 · Foundations"), "{intro}");
    assert!(!intro.contains("block-facilitator"), "{intro}");
    assert!(intro.contains("Hand over outcomes, not tasks."), "{intro}");
    // Nothing links to what is left out, and every page links right.
    assert_links_ok(&out, "/");
    let nav = fs::read_to_string(out.join("demo/index.html")).unwrap();
    assert!(nav.contains(">Workbook</a>"), "{nav}");
    assert!(!nav.contains("Facilitator guide"), "{nav}");
}

#[test]
fn a_theme_listing_a_sessions_headings_lists_no_facilitator_heading() {
    let site = two_edition_site();
    site.write(
        "templates/session.html",
        "<!DOCTYPE html><title>{{ page.title }}</title><ol>{% for h in session.headings %}<li>{{ h.text }}</li>{% endfor %}</ol>\n",
    );
    let out = built(&site, "participant", &["--edition", "participant"]);
    let intro = fs::read_to_string(out.join("demo/sessions/01-intro/index.html")).unwrap();
    assert!(intro.contains("<li>Agenda</li>"), "{intro}");
    assert!(!intro.contains("SECRET"), "{intro}");
    let out = built(&site, "facilitator", &[]);
    let intro = fs::read_to_string(out.join("demo/sessions/01-intro/index.html")).unwrap();
    assert!(
        intro.contains("<li>Model answers SECRET-ANSWER-HEADING</li>"),
        "{intro}"
    );
}

#[test]
fn the_facilitator_edition_shows_and_marks_the_facilitators_parts() {
    let site = two_edition_site();
    let out = built(&site, "facilitator", &[]);
    let all: String = files(&out).into_iter().map(|(_, t)| t).collect();
    for s in SECRETS {
        assert!(
            all.contains(s),
            "`{s}` is missing from the facilitator edition"
        );
    }
    let intro = fs::read_to_string(out.join("demo/sessions/02-feedback/index.html")).unwrap();
    assert!(
        intro.contains("Session 3"),
        "renumbered in the facilitator edition"
    );
    let prep = fs::read_to_string(out.join("demo/sessions/00-prep/index.html")).unwrap();
    assert!(prep.contains("Facilitators only"), "{prep}");
    let intro = fs::read_to_string(out.join("demo/sessions/01-intro/index.html")).unwrap();
    assert!(intro.contains("block-facilitator"), "{intro}");
    assert!(intro.contains("Facilitator notes"), "{intro}");
    assert!(!file_set(&out).contains("demo/workbook/index.html"));
    assert_links_ok(&out, "/");
}

#[test]
fn the_workbook_holds_every_participant_session_with_purpose_scenarios_and_room_for_notes() {
    let site = two_edition_site();
    let out = built(&site, "participant", &["--edition", "participant"]);
    let wb = fs::read_to_string(out.join("demo/workbook/index.html")).unwrap();
    let titles = [
        "Handing over work",
        "Same-day feedback",
        "Review with your coach",
    ];
    let mut at = 0;
    for t in titles {
        let i = wb[at..]
            .find(&format!(". {t}</h2>"))
            .unwrap_or_else(|| panic!("`{t}` missing or out of order in the workbook"));
        at += i;
    }
    // The first session's purpose; the others say what they build.
    assert!(wb.contains("Hand over outcomes, not tasks."), "{wb}");
    let feedback = between(&wb, "id=\"02-feedback\"", "</section>");
    assert!(feedback.contains("It builds"), "{feedback}");
    assert!(
        feedback.contains("href=\"/demo/competencies/feedback/\""),
        "{feedback}"
    );
    // The practice scenarios of the sessions that use them, and notes.
    let intro = between(&wb, "id=\"01-intro\"", "</section>");
    assert!(
        intro.contains(
            "<h3>Practice scenarios</h3>\n  <ul class=\"scenarios\"><li>Hand the venue workstream"
        ),
        "{wb}"
    );
    assert_eq!(wb.matches("class=\"notes\"").count(), 3, "{wb}");
    assert!(!wb.contains("Facilitators' briefing"), "{wb}");
}

#[test]
fn results_are_in_the_participant_edition_only_when_playbook_yaml_says_so() {
    let site = two_edition_site();
    site.write(
        "content/demo/results/attendance.csv",
        "session,participant,present\n01-intro,p1,1\n01-intro,p2,0\n",
    );
    let out = built(&site, "without", &["--edition", "participant"]);
    let metric = fs::read_to_string(out.join("demo/metrics/attendance/index.html")).unwrap();
    assert!(!metric.contains("<dt>Status</dt>"), "{metric}");
    assert!(!metric.contains("<dt>Actual</dt>"), "{metric}");
    let config = fs::read_to_string(site.root().join("playbook.yaml")).unwrap();
    site.write(
        "playbook.yaml",
        &format!("{config}participant:\n  results: true\n"),
    );
    let out = built(&site, "with", &["--edition", "participant"]);
    let set = file_set(&out);
    for page in [
        "demo/results/index.html",
        "demo/impact/index.html",
        "demo/results.csv",
    ] {
        assert!(set.contains(page), "{page}");
    }
    let metric = fs::read_to_string(out.join("demo/metrics/attendance/index.html")).unwrap();
    assert!(metric.contains("<dt>Status</dt>"), "{metric}");
    assert_links_ok(&out, "/");
}

#[test]
fn participants_text_may_not_link_to_what_their_edition_leaves_out() {
    let f = Fixture::new();
    f.write(
        "content/demo/sessions/00-prep.md",
        "---\ntitle: Briefing\nkind: workshop\naudience: facilitator\nweek: 1\ncompetencies: [delegation]\nactions: [hand-over-outcomes]\n---\n## Run sheet\n",
    );
    // A link to the facilitators' session and one to a heading inside a
    // `facilitator` block, in participants' text; the same links inside
    // a block are fine.
    let intro = format!(
        "{INTRO_SRC}\nSee [the briefing](session:00-prep) and [the answers](02-practice.md#answers).\n\n::: facilitator\nSee [the briefing](00-prep.md) and [the answers](02-practice.md#answers).\n:::\n"
    );
    f.write(INTRO, &intro);
    let practice = format!("{PRACTICE_SRC}\n::: facilitator\n## Answers\n\nThe key.\n:::\n");
    f.write(PRACTICE, &practice);
    let out = f.check(&[]);
    out.assert_exit(1);
    assert_eq!(
        out.with_code("facilitator-only-link").len(),
        2,
        "{}",
        out.listing()
    );
    let line = INTRO_SRC.lines().count() + 2;
    out.assert_has(
        &error("facilitator-only-link")
            .at(INTRO, line, 20)
            .message_contains("session `00-prep`, which is for facilitators only"),
    );
    out.assert_has(
        &error("facilitator-only-link")
            .at(INTRO, line, 55)
            .message_contains(
                "`#answers` of session `02-practice`, a heading inside a `facilitator` block",
            ),
    );
    // A participants' session may not require the facilitators' one.
    f.write(INTRO, INTRO_SRC);
    f.write(
        PRACTICE,
        &PRACTICE_SRC.replace("requires: [01-intro]", "requires: [01-intro, 00-prep]"),
    );
    let out = f.check(&[]);
    out.assert_has(
        &error("facilitator-only-link")
            .at(PRACTICE, 9, 22)
            .message_contains("requires `00-prep`, which is for facilitators only"),
    );
}

#[test]
fn a_facilitator_block_folded_by_yaml_is_an_error_where_it_is_written() {
    let f = Fixture::new();
    // `>-` folds the block's lines into one: it would be shown as text.
    f.write(
        COMPETENCIES,
        &COMPETENCIES_SRC.replace(
            "    description: Hands over outcomes, not tasks.\n",
            "    description: >-\n      Hands over outcomes, not tasks.\n\n      ::: facilitator\n      Watch for SECRET-FOLDED.\n      :::\n",
        ),
    );
    let out = f.check(&[]);
    out.assert_exit(1);
    // A folded scalar's offsets do not map back line by line: the
    // diagnostic points at the start of its text.
    let d = out.assert_has(
        &error("inline-fence")
            .at(COMPETENCIES, 13, 7)
            .message_contains("participants would see its text"),
    );
    assert!(
        d.hint.as_deref().unwrap_or("").contains("`|`"),
        "{}",
        out.listing()
    );
}
