//! The participant edition fails closed: facilitators' text that reaches
//! participants by a side way — a footnote cited only from a facilitator
//! block, a file only facilitators' text (or raw HTML) refers to, a
//! heading anchor numbered after a hidden heading, a block whose name
//! says "facilitators" somewhere, feedback on a facilitator-only session —
//! is left out, and what the analysis cannot be sure of is an error
//! (a link reference defined in a block, a fence an HTML block or a
//! Unicode space hides, a code fence never closed). Also: raw HTML
//! comments are dropped whole, and raw HTML may not take the theme's ids.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::build::*;
use crate::common::{error, warning, Fixture, COMPETENCIES, COMPETENCIES_SRC, INTRO, INTRO_SRC};

/// Text only facilitators may see; no file of the participant edition may
/// hold any of it.
const SECRETS: [&str; 7] = [
    "SECRET-FOOTNOTE-OUTSIDE",
    "SECRET-FOR-FACILITATORS",
    "SECRET-NOTES-FOR-FACILITATORS",
    "SECRET-DOTTED",
    "SECRET-FEEDBACK",
    "SECRET-IN-COMMENT",
    "SECRET-COMMENT-LINE",
];

const PREP_MD: &str = "\
---
title: Facilitators' briefing
kind: workshop
audience: facilitator
week: 1
duration: 30
competencies: [delegation]
actions: [delegate-outcomes]
---
## Run sheet

Who does what.
";

/// Facilitators' text in the first session's body, each in a way that
/// once reached participants.
const LEAKY_BODY: &str = "\
::: facilitator
## Debrief notes

Groups usually sort two thirds as avoidable.[^sorted]

![The answer key](fig/answer-key.svg)

<img src=\"/demo/sessions/fig/raw-secret.svg\" alt=\"Raw answer key\">

- A step.

  ![Key in a list](fig/in-list.svg)
:::

## Debrief notes

What participants note.

![Public figure](fig/x.svg)

<picture><source srcset=\"/demo/sessions/fig/public-raw.svg 1x\"><img src=\"/demo/sessions/fig/x.svg\" alt=\"A raw figure for everyone\"></picture>

::: for-facilitators
SECRET-FOR-FACILITATORS
:::

::: notes-for-facilitators
SECRET-NOTES-FOR-FACILITATORS
:::

::: {.aside .notes_for_facilitators}
SECRET-DOTTED
:::

<!-- SECRET-IN-COMMENT
a second line SECRET-COMMENT-LINE -->

AFTER-THE-COMMENT stays.

[^sorted]: SECRET-FOOTNOTE-OUTSIDE

";

fn leaky_site() -> Site {
    let site = Site::new();
    site.write("content/demo/sessions/00-prep.md", PREP_MD);
    for f in [
        "answer-key.svg",
        "raw-secret.svg",
        "in-list.svg",
        "public-raw.svg",
    ] {
        site.write(&format!("content/demo/sessions/fig/{f}"), X_SVG);
    }
    site.write("content/demo/sessions/handouts/unlinked.txt", "Loose.\n");
    let intro = INTRO_MD.replace(
        "## Debrief questions",
        &format!("{LEAKY_BODY}## Debrief questions"),
    );
    site.write("content/demo/sessions/01-intro.md", &intro);
    site.write(
        "content/demo/results/feedback.csv",
        "participant,comment,session,competency,signal\n\
         p1,The briefing went well SECRET-FEEDBACK,00-prep,delegation,teams-take-ownership\n\
         p2,The handover drill changed how I brief my team.,01-intro,delegation,\n",
    );
    let config = fs::read_to_string(site.root().join("playbook.yaml")).unwrap();
    site.write(
        "playbook.yaml",
        &format!("{config}participant:\n  results: true\n"),
    );
    site
}

fn built(site: &Site, name: &str, extra: &[&str]) -> PathBuf {
    let out = site.scratch(name);
    site.build(&out, extra).assert_code(0);
    out
}

fn files(out: &Path) -> Vec<(String, String)> {
    read_tree(out)
        .into_iter()
        .map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned()))
        .collect()
}

#[test]
fn the_participant_edition_holds_no_facilitator_text_that_once_leaked() {
    let site = leaky_site();
    let out = built(&site, "participant", &["--edition", "participant"]);
    for (path, text) in files(&out) {
        for s in SECRETS {
            assert!(!text.contains(s), "{path} holds `{s}`");
        }
    }
    let set = file_set(&out);
    // Only files participants' text refers to are copied.
    for gone in [
        "demo/sessions/fig/answer-key.svg",
        "demo/sessions/fig/raw-secret.svg",
        "demo/sessions/fig/in-list.svg",
        "demo/sessions/handouts/unlinked.txt",
    ] {
        assert!(!set.contains(gone), "{gone} is in the participant edition");
    }
    for kept in [
        "demo/sessions/fig/x.svg",
        "demo/sessions/fig/public-raw.svg",
    ] {
        assert!(set.contains(kept), "{kept} is missing");
    }
    let intro = fs::read_to_string(out.join("demo/sessions/01-intro/index.html")).unwrap();
    // The participants' heading is not numbered after the hidden one.
    assert!(intro.contains("<h2 id=\"debrief-notes\">"), "{intro}");
    assert!(!intro.contains("debrief-notes-1"), "{intro}");
    // Nothing after the comment is lost, and none of it is shown.
    assert!(intro.contains("AFTER-THE-COMMENT stays."), "{intro}");
    assert!(intro.contains("Debrief questions"), "{intro}");
    assert!(!intro.contains("--&gt;"), "{intro}");
    // The feedback on the participants' session stays.
    let results = fs::read_to_string(out.join("demo/results/index.html")).unwrap();
    assert!(results.contains("The handover drill"), "{results}");
    assert_links_ok(&out, "/");
}

#[test]
fn the_facilitator_edition_keeps_all_of_it() {
    let site = leaky_site();
    let out = built(&site, "facilitator", &[]);
    let all: String = files(&out).into_iter().map(|(_, t)| t).collect();
    for s in [
        "SECRET-FOOTNOTE-OUTSIDE",
        "SECRET-FOR-FACILITATORS",
        "SECRET-NOTES-FOR-FACILITATORS",
        "SECRET-DOTTED",
        "SECRET-FEEDBACK",
    ] {
        assert!(
            all.contains(s),
            "`{s}` is missing from the facilitator edition"
        );
    }
    let set = file_set(&out);
    for kept in [
        "demo/sessions/fig/answer-key.svg",
        "demo/sessions/fig/raw-secret.svg",
        "demo/sessions/fig/in-list.svg",
        "demo/sessions/handouts/unlinked.txt",
    ] {
        assert!(set.contains(kept), "{kept} is missing");
    }
    let intro = fs::read_to_string(out.join("demo/sessions/01-intro/index.html")).unwrap();
    // The participants' heading has the same anchor in both editions.
    assert!(intro.contains("<h2 id=\"debrief-notes\">"), "{intro}");
    assert!(intro.contains("AFTER-THE-COMMENT stays."), "{intro}");
    assert!(!intro.contains("SECRET-IN-COMMENT"), "{intro}");
    assert!(!intro.contains("--&gt;"), "{intro}");
    assert_links_ok(&out, "/");
}

/// The example's own kickoff session cites a footnote only from its
/// facilitator notes.
#[test]
fn the_examples_facilitator_footnote_stays_out_of_its_participant_edition() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build_example(&out, &["--edition", "participant"]).assert_code(0);
    let note = "The sort is subjective on purpose";
    for (path, text) in files(&out) {
        assert!(
            !text.contains(note),
            "{path} holds the facilitators' footnote"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build_example(&out, &[]).assert_code(0);
    let kickoff =
        fs::read_to_string(out.join("leadership-accelerator/sessions/01-kickoff/index.html"))
            .unwrap();
    assert!(kickoff.contains(note), "{kickoff}");
}

/// `check` on the fixture with `extra` added to the first session's body.
fn check_with(extra: &str) -> (Fixture, crate::common::Output, usize) {
    let f = Fixture::new();
    let line = INTRO_SRC.lines().count() + 2;
    f.write(INTRO, &format!("{INTRO_SRC}\n{extra}"));
    let out = f.check(&[]);
    (f, out, line)
}

#[test]
fn participants_text_may_not_use_a_link_defined_in_a_facilitator_block() {
    let (_f, out, line) = check_with(
        "See [the key] and [the key][key] and ![the chart][key].\n\n\
         ::: facilitator\n[the key]: https://example.org/secret-key \"Secret title\"\n\
         [key]: https://example.org/secret-key\n:::\n",
    );
    out.assert_exit(1);
    assert_eq!(
        out.with_code("facilitator-only-link").len(),
        3,
        "{}",
        out.listing()
    );
    out.assert_has(
        &error("facilitator-only-link")
            .at(INTRO, line, 5)
            .message_contains("link `the key` is defined only inside a `facilitator` block"),
    );
    // Used inside the block too, or defined outside it: fine.
    let (_f, out, _) = check_with(
        "See [the key].\n\n[the key]: https://example.org/key\n\n::: facilitator\nAlso [key].\n\n[key]: https://example.org/k\n:::\n",
    );
    out.assert_exit(0);
}

#[test]
fn a_yaml_field_may_not_take_a_link_from_its_facilitator_block() {
    let f = Fixture::new();
    f.write(
        COMPETENCIES,
        &COMPETENCIES_SRC.replace(
            "    description: Hands over outcomes, not tasks.\n",
            "    description: |\n      Hands over outcomes, see [the rubric].\n\n      ::: facilitator\n      [the rubric]: https://example.org/secret\n      :::\n",
        ),
    );
    let out = f.check(&[]);
    out.assert_exit(1);
    let d = out.assert_has(
        &error("facilitator-only-link")
            .message_contains("link `the rubric` is defined only inside a `facilitator` block"),
    );
    assert_eq!(d.file.as_deref(), Some(COMPETENCIES), "{}", out.listing());
}

#[test]
fn a_facilitator_fence_an_html_block_or_a_unicode_space_hides_is_an_error() {
    for (extra, col) in [
        ("<details>\n::: facilitator\nSECRET\n:::\n</details>\n", 1),
        (
            "<div class=\"x\">\n::: instructor\nSECRET\n:::\n</div>\n",
            1,
        ),
        ("\u{a0}::: facilitator\nSECRET\n:::\n", 1),
        ("\u{2003}::: facilitator\nSECRET\n:::\n", 1),
        ("\u{3000}::: facilitator\nSECRET\n:::\n", 1),
        ("\u{feff}::: facilitator\nSECRET\n:::\n", 1),
        ("\u{ff1a}\u{ff1a}\u{ff1a} facilitator\nSECRET\n:::\n", 1),
        ("\t::: facilitator\n\tSECRET\n\t:::\n", 1),
        // Not a fence (a class may not hold a dot), but meant as one.
        ("::: {.aside .notes.for.facilitators}\nSECRET\n:::\n", 1),
    ] {
        let (_f, out, line) = check_with(extra);
        out.assert_exit(1);
        let line = line + usize::from(extra.starts_with('<'));
        let d = out
            .assert_has(&error("inline-fence").message_contains("participants would see its text"));
        assert_eq!(d.line, Some(line), "{extra:?}\n{}", out.listing());
        let _ = col;
    }
    // Another block behind an HTML line is a warning.
    let (_f, out, _) = check_with("<div>\n::: note\nText.\n:::\n</div>\n");
    out.assert_has(&warning("inline-fence"));
}

#[test]
fn a_code_fence_never_closed_above_a_facilitator_block_is_an_error() {
    for fence in ["```", "~~~~"] {
        let (_f, out, line) = check_with(&format!(
            "Intro.\n\n{fence}sh\nrun it\n\n::: facilitator\nSECRET\n:::\n"
        ));
        out.assert_exit(1);
        out.assert_has(
            &error("unclosed-code-fence")
                .at(INTRO, line + 2, 1)
                .message_contains("never closed"),
        );
    }
    // A closed one is fine, and so is a longer closing fence.
    let (_f, out, _) = check_with("```sh\nrun it\n`````\n\n::: facilitator\nx\n:::\n");
    out.assert_exit(0);
}

#[test]
fn raw_html_may_not_take_an_id_the_theme_uses() {
    let site = Site::new();
    let intro = INTRO_MD.replace(
        "## Debrief questions",
        "<div id=\"main\">Taken.</div>\n\n<h3 id=\"search-q\">Also</h3>\n\n<a name=\"title\">x</a>\n\n<div id=\"mine\">Kept.</div>\n\n## Debrief questions",
    );
    site.write("content/demo/sessions/01-intro.md", &intro);
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    run.assert_code(0);
    assert!(run.stderr.contains("reserved-id"), "{}", run.stderr);
    let page = fs::read_to_string(out.join("demo/sessions/01-intro/index.html")).unwrap();
    for id in ["main", "search-q", "title"] {
        assert!(
            page.matches(&format!("id=\"{id}\"")).count() <= 1
                && !page.contains(&format!("name=\"{id}\"")),
            "{id}: {page}"
        );
    }
    assert!(page.contains("id=\"mine\""), "{page}");
    assert!(page.contains("Taken."), "{page}");
}

/// The checks above read every quote, raw HTML line, footnote and
/// reference link of a text: hostile text of each costs linear time (a
/// quote read to the end of its line for each of 100,000 nested quotes
/// took minutes).
#[test]
fn the_fail_closed_checks_cost_linear_time_on_hostile_text() {
    use crate::common::{playbook, run_measured};
    let chain: String = (0..=20_000)
        .rev()
        .map(|i| format!("[^n{i}]: B[^n{}]\n\n", i + 1))
        .collect();
    for (name, body) in [
        (
            "nested quotes",
            format!("{}[!FACILITATOR]\n", "> ".repeat(100_000)),
        ),
        ("attributes", format!("<div {}>\n", "a=b ".repeat(200_000))),
        (
            "slashes",
            format!("<img alt=x src=\"{}\">\n", "/".repeat(900_000)),
        ),
        ("notes", format!("::: facilitator\nA[^n0]\n:::\n\n{chain}")),
        (
            "references",
            format!(
                "{}\n\n::: facilitator\n[k]: https://e.org/k\n:::\n",
                "[k] ".repeat(30_000)
            ),
        ),
    ] {
        let f = Fixture::new();
        let text = format!("{INTRO_SRC}\n{body}");
        assert!(text.len() <= 1 << 20, "{name}: over 1 MB");
        f.write(INTRO, &text);
        let mut cmd = playbook();
        cmd.args(["--color", "never", "check"]).arg(f.path());
        let cost = run_measured(cmd, std::time::Duration::from_secs(30), 200 << 20);
        println!("{name}: exit {}, {:.2} s", cost.code, cost.seconds);
        assert!(cost.seconds < 30.0, "{name}: {:.1} s", cost.seconds);
    }
}
