//! FORMAT.md v1.2, *A session library*: guides shared by programs in
//! `library/sessions/*.md`, a program's session starting from one with
//! `from: library:<id>`. Every error rule as `check` reports it (the
//! library file's line, naming the program), and a site whose two
//! programs draw on the library built and read back: the merged front
//! matter and body, the `/library/` page, the note on each session page,
//! the participant edition (facilitator blocks of a library guide stay
//! out), `program.json`, `search.json` and the sitemap.

use std::fs;

use crate::common::build::{run, Site};
use crate::common::{error, playbook, Fixture, Output};

const GUIDE: &str = "library/sessions/delegation-workshop.md";
const GUIDE_SRC: &str = "\
---
title: Delegating whole workstreams
kind: workshop
duration: 90
competencies: [delegation]
purpose: Hand over [outcomes](competency:delegation), not tasks.
---
## Agenda

Practise a handover with the LIBRARY-BODY-MARK checklist.

::: facilitator
LIBRARY-SECRET-NOTE
:::
";
//  1 ---
//  2 title: Delegating whole workstreams
//  3 kind: workshop
//  4 duration: 90
//  5 competencies: [delegation]
//  6 purpose: ...
//  7 ---
//  8 ## Agenda
//  9
// 10 Practise ...

const USE: &str = "content/demo/sessions/04-delegation.md";
const USE_SRC: &str = "\
---
from: library:delegation-workshop
week: 3
---
";

fn with_library(f: &Fixture) {
    f.write(GUIDE, GUIDE_SRC);
    f.write(USE, USE_SRC);
}

#[test]
fn a_session_from_the_library_checks_clean() {
    let f = Fixture::new();
    with_library(&f);
    let out = f.check(&["--strict"]);
    out.assert_clean();
    assert_eq!(
        out.summary().sessions,
        4,
        "the library guide is no session itself"
    );
}

#[test]
fn from_must_name_a_library_guide() {
    let f = Fixture::new();
    with_library(&f);
    f.edit(
        USE,
        "library:delegation-workshop",
        "library:delegation-worksop",
    );
    f.check(&[]).assert_only(
        &error("unknown-reference")
            .at(USE, 2, 7)
            .message_contains("`delegation-worksop`")
            .hint("delegation-workshop"),
    );
}

#[test]
fn from_must_start_with_library() {
    let f = Fixture::new();
    with_library(&f);
    f.edit(USE, "library:delegation-workshop", "delegation-workshop");
    f.check(&[]).assert_only(
        &error("invalid-value")
            .at(USE, 2, 7)
            .hint("from: library:delegation-workshop"),
    );
}

#[test]
fn a_session_from_the_library_has_only_session_keys() {
    let f = Fixture::new();
    with_library(&f);
    f.edit(USE, "week: 3", "weak: 3");
    f.check(&[])
        .assert_only(&error("unknown-key").at(USE, 3, 1).hint("week"));
}

#[test]
fn an_unknown_reference_in_a_library_guide_is_at_its_line_naming_the_program() {
    let f = Fixture::new();
    with_library(&f);
    f.edit(GUIDE, "[delegation]", "[delegation, coaching]");
    f.check(&[]).assert_only(
        &error("unknown-reference")
            .at(GUIDE, 5, 28)
            .message_contains("program `demo`"),
    );
}

#[test]
fn an_unknown_link_in_a_library_body_is_at_its_line_naming_the_program() {
    let f = Fixture::new();
    with_library(&f);
    f.edit(GUIDE, "LIBRARY-BODY-MARK", "[coach](competency:coaching)");
    let out = f.check(&[]);
    let d = out.assert_only(&error("unknown-link").message_contains("program `demo`"));
    assert_eq!((d.file.as_deref(), d.line), (Some(GUIDE), Some(10)));
}

#[test]
fn a_reference_overridden_by_the_program_is_not_checked_in_the_library() {
    let f = Fixture::new();
    with_library(&f);
    f.edit(GUIDE, "[delegation]", "[coaching]");
    f.edit(USE, "week: 3", "week: 3\ncompetencies: [delegation]");
    f.check(&["--strict"]).assert_clean();
}

#[test]
fn a_library_guide_is_checked_like_a_session_guide() {
    let f = Fixture::new();
    with_library(&f);
    f.edit(GUIDE, "duration: 90", "duraton: 90");
    f.check(&[])
        .assert_only(&error("unknown-key").at(GUIDE, 4, 1).hint("duration"));
    let f = Fixture::new();
    f.write("library/sessions/Delegation.md", GUIDE_SRC);
    f.check(&[])
        .assert_only(&error("invalid-id").in_file_no_position("library/sessions/Delegation.md"));
}

#[test]
fn a_library_guide_does_not_start_from_another() {
    let f = Fixture::new();
    with_library(&f);
    f.edit(
        GUIDE,
        "title: Delegating",
        "from: library:other\ntitle: Delegating",
    );
    f.check(&[])
        .assert_only(&error("unknown-key").at(GUIDE, 2, 1));
}

#[test]
fn an_unused_library_guide_is_no_warning() {
    let f = Fixture::new();
    f.write(GUIDE, GUIDE_SRC);
    f.check(&["--strict"]).assert_clean();
}

/// The build fixture with the library guide used by two programs: `demo`
/// with the library's body, `other` with a title and body of its own.
fn two_programs() -> Site {
    let s = Site::new();
    s.add_program("other", "");
    s.write(GUIDE, GUIDE_SRC);
    s.write("content/demo/sessions/04-delegation.md", USE_SRC);
    s.write(
        "content/other/sessions/04-handover.md",
        "---\nfrom: library:delegation-workshop\ntitle: Handing over the venue\nweek: 3\n---\n## Our own agenda\n\nOTHER-BODY-MARK\n",
    );
    s
}

#[test]
fn two_programs_draw_on_one_guide() {
    let s = two_programs();
    let out = s.scratch("out");
    s.build(&out, &["--strict"]).assert_code(0);
    let demo = fs::read_to_string(out.join("demo/sessions/04-delegation/index.html")).unwrap();
    assert!(demo.contains("Delegating whole workstreams"));
    assert!(
        demo.contains("LIBRARY-BODY-MARK"),
        "an empty body takes the library's"
    );
    assert!(demo.contains("LIBRARY-SECRET-NOTE"), "facilitator edition");
    assert!(
        demo.contains("href=\"/library/#delegation-workshop\""),
        "the page says it comes from the library and links there"
    );
    let other = fs::read_to_string(out.join("other/sessions/04-handover/index.html")).unwrap();
    assert!(other.contains("Handing over the venue"), "title overridden");
    assert!(other.contains("OTHER-BODY-MARK"));
    assert!(
        !other.contains("LIBRARY-BODY-MARK"),
        "a body of its own replaces the library's"
    );
    assert!(other.contains("href=\"/library/#delegation-workshop\""));
    let library = fs::read_to_string(out.join("library/index.html")).unwrap();
    assert!(library.contains("id=\"delegation-workshop\""));
    assert!(library.contains("Delegating whole workstreams"));
    assert!(library.contains("href=\"/demo/sessions/04-delegation/\""));
    assert!(library.contains("href=\"/other/sessions/04-handover/\""));
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/library/</loc>"), "{sitemap}");
    let json = fs::read_to_string(out.join("demo/program.json")).unwrap();
    assert!(
        json.contains("\"library\": \"delegation-workshop\""),
        "{json}"
    );
    let search = fs::read_to_string(out.join("demo/search.json")).unwrap();
    assert!(search.contains("LIBRARY-BODY-MARK"));
}

#[test]
fn an_error_in_a_library_guide_names_each_program_using_it() {
    let s = two_programs();
    s.edit(GUIDE, "LIBRARY-BODY-MARK", "[coach](competency:coaching)");
    // `other` has a body of its own: only `demo` reads the library's.
    s.write(
        "content/other/sessions/04-handover.md",
        "---\nfrom: library:delegation-workshop\nweek: 3\n---\n",
    );
    let mut cmd = playbook();
    cmd.arg("check").arg(s.root()).args(["--format", "json"]);
    let out = Output::from_json_run(cmd);
    let links = out.with_code("unknown-link");
    assert_eq!(links.len(), 2, "{}", out.listing());
    for (d, p) in links.iter().zip(["demo", "other"]) {
        assert_eq!(d.file.as_deref(), Some(GUIDE));
        assert!(
            d.message.contains(&format!("program `{p}`")),
            "{}",
            d.message
        );
    }
}

#[test]
fn the_participant_edition_never_holds_a_library_guides_facilitator_blocks() {
    let s = two_programs();
    let out = s.scratch("participant");
    s.build(&out, &["--edition", "participant", "--strict"])
        .assert_code(0);
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = fs::read(entry.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("LIBRARY-SECRET-NOTE"),
            "{} holds a facilitator block of the library",
            entry.path().display()
        );
        if text.contains("LIBRARY-BODY-MARK") {
            seen += 1;
        }
    }
    assert!(
        seen >= 3,
        "the session page, search.json and the workbook hold the body"
    );
    let search = fs::read_to_string(out.join("demo/search.json")).unwrap();
    assert!(search.contains("LIBRARY-BODY-MARK"));
    let workbook = fs::read_to_string(out.join("demo/workbook/index.html")).unwrap();
    assert!(workbook.contains("LIBRARY-BODY-MARK"));
}

#[test]
fn new_session_from_the_library() {
    let f = Fixture::new();
    f.write(GUIDE, GUIDE_SRC);
    let r = run(
        &[
            "new",
            "session",
            "demo",
            "04-delegation",
            "--from",
            "library:delegation-workshop",
        ],
        f.path(),
    );
    r.assert_code(0);
    let text = f.read(USE);
    assert!(text.contains("from: library:delegation-workshop"), "{text}");
    f.check(&["--strict"]).assert_clean();
    let r = run(
        &["new", "session", "demo", "05-x", "--from", "library:nope"],
        f.path(),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("delegation-workshop"), "{}", r.stderr);
    assert!(!f.file("content/demo/sessions/05-x.md").exists());
}

#[test]
fn a_program_may_not_be_named_library() {
    // The session library's page is /library/: a program folder of that
    // name would publish its overview over it.
    let f = Fixture::new();
    crate::common::copy_tree(&f.file("content/demo"), &f.file("content/library"));
    f.check(&[]).assert_only(
        &error("invalid-id")
            .in_file_no_position("content/library")
            .message_contains("reserved")
            .hint("rename the folder"),
    );
    let g = Fixture::new();
    let r = run(
        &["new", "program", "library", "--title", "Library"],
        g.path(),
    );
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("reserved"), "{}", r.stderr);
    assert!(!g.file("content/library").exists(), "nothing written");
}
