//! What a reader of the site notices: counts that read as English, a
//! session's number the same in both editions, dated sessions in their
//! week, the workbook's text and contents, one scorecard table with
//! category rows, tables labelled for narrow screens, branding per client
//! (logo, accent colour, the organization's name) and the action map as a
//! diagram.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::build::*;
use crate::common::TempTree;

fn built(site: &Site, name: &str, extra: &[&str]) -> PathBuf {
    let out = site.scratch(name);
    site.build(&out, extra).assert_code(0);
    out
}

fn page(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

/// The text of `html` without its tags (nothing in their place), each
/// run of whitespace made one space.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ------------------------------------------------------------------ plurals

#[test]
fn counts_on_a_new_site_read_as_english() {
    let t = TempTree::new(None);
    run(&["new", "site", "--title", "Our programs"], t.path()).assert_code(0);
    let root = t.file("site");
    let out = t.scratch("out");
    run(
        &[
            "build",
            root.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
        &root,
    )
    .assert_code(0);
    let overview = text_of(&page(&out, "first-program/index.html"));
    for want in [
        "1 value, 1 competency",
        "1 action and 1 practice scenario toward",
        "1 success signal and 1 enabler",
        "1 metric collected with 1 instrument",
        "1 session",
    ] {
        assert!(overview.contains(want), "`{want}` in {overview}");
    }
    let plural_one = regex_lite(
        &[
            "values",
            "competencies",
            "actions",
            "practice scenarios",
            "success signals",
            "enablers",
            "metrics",
            "instruments",
            "sessions",
            "weeks",
            "participants",
            "contact hours",
        ],
        "1 ",
    );
    for (path, bytes) in read_tree(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let text = text_of(&String::from_utf8_lossy(&bytes));
        for bad in &plural_one {
            assert!(!text.contains(bad.as_str()), "{path} says `{bad}`: {text}");
        }
    }
}

/// `prefix` + each word, preceded by a space or the start (so that `11
/// sessions` is not `1 sessions`).
fn regex_lite(words: &[&str], prefix: &str) -> Vec<String> {
    words.iter().map(|w| format!(" {prefix}{w}")).collect()
}

// ---------------------------------------------------------------- numbering

const PREP_MD: &str = "\
---
title: Facilitators' briefing
kind: workshop
audience: facilitator
week: 1
duration: 30
competencies: [delegation]
---
## Run sheet

Who does what.
";

/// The session number on each page that shows one, by session id.
fn numbers(out: &Path, participant: bool) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for id in ["01-intro", "02-feedback", "03-review"] {
        let s = page(out, &format!("demo/sessions/{id}/index.html"));
        let n = s
            .split("<p class=\"eyebrow\">Session ")
            .nth(1)
            .and_then(|r| r.split([' ', '<']).next())
            .unwrap_or_else(|| panic!("no session number on {id}"));
        found.push((format!("{id} page"), n.to_string()));
        let curriculum = page(out, "demo/curriculum/index.html");
        // The list item's link (the timeline before it links there too).
        let at = curriculum
            .find(&format!("\"><a href=\"/demo/sessions/{id}/\">"))
            .unwrap();
        let li = curriculum[..at].rfind("<li value=\"").unwrap();
        let v = curriculum[li + 11..].split('"').next().unwrap();
        found.push((format!("{id} in the curriculum"), v.to_string()));
        let printable = if participant { "workbook" } else { "guide" };
        let doc = page(out, &format!("demo/{printable}/index.html"));
        let h = doc
            .split(&format!("<h2 id=\"{id}-title\">"))
            .nth(1)
            .unwrap();
        found.push((
            format!("{id} in the {printable}"),
            h.split('.').next().unwrap().to_string(),
        ));
    }
    found
}

#[test]
fn a_session_has_the_same_number_in_both_editions() {
    let site = Site::new();
    site.write("content/demo/sessions/00-prep.md", PREP_MD);
    let facilitator = numbers(&built(&site, "f", &[]), false);
    let participant = numbers(&built(&site, "p", &["--edition", "participant"]), true);
    // The briefing comes first: the others are 2, 3 and 4 in both.
    for (list, edition) in [(&facilitator, "facilitator"), (&participant, "participant")] {
        for (what, n) in list.iter() {
            let want = match &what[..2] {
                "01" => "2",
                "02" => "3",
                _ => "4",
            };
            assert_eq!(n, want, "{what} in the {edition} edition");
        }
    }
}

// -------------------------------------------------------- dated sessions

#[test]
fn a_dated_session_without_a_week_is_placed_in_the_week_of_its_date() {
    let site = Site::new();
    // The program starts on Mon 2026-01-05: the 14th is in week 2, the
    // 1st before week 1.
    site.write(
        "content/demo/sessions/02b-check-in.md",
        "---\ntitle: Check-in call\nkind: one-on-one\ndate: 2026-01-14\nmodule: Foundations\n---\nHow is it going?\n",
    );
    site.write(
        "content/demo/sessions/00-kickoff-call.md",
        "---\ntitle: Sponsor call\nkind: one-on-one\ndate: 2026-01-01\n---\nWhat do you expect?\n",
    );
    site.write(
        "content/demo/sessions/09-someday.md",
        "---\ntitle: Someday maybe\nkind: self-study\n---\nWhenever.\n",
    );
    let out = built(&site, "out", &[]);
    let c = page(&out, "demo/curriculum/index.html");
    let heading_before = |id: &str| {
        let at = c
            .find(&format!("\"><a href=\"/demo/sessions/{id}/\">"))
            .unwrap();
        let h = c[..at].rfind("<h3>").unwrap();
        c[h + 4..].split('<').next().unwrap().to_string()
    };
    assert_eq!(heading_before("02b-check-in"), "Week 2");
    assert_eq!(heading_before("02-feedback"), "Week 2");
    assert_eq!(heading_before("00-kickoff-call"), "Before week 1");
    assert_eq!(heading_before("09-someday"), "Unscheduled");
    // One "Week 2" heading, holding both sessions.
    assert_eq!(c.matches("<h3>Week 2</h3>").count(), 1, "{c}");
}

// ----------------------------------------------------------------- workbook

#[test]
fn the_workbook_has_no_space_before_punctuation_and_numbers_its_contents() {
    let site = Site::new();
    site.write("content/demo/sessions/00-prep.md", PREP_MD);
    let out = built(&site, "p", &["--edition", "participant"]);
    let wb = page(&out, "demo/workbook/index.html");
    for bad in [" ,", " .", "\n,", "\n."] {
        for (i, _) in wb.match_indices(bad) {
            let before = &wb[..i];
            // Only after an element or a word: a sentence's end.
            assert!(
                !before.ends_with("</a>") && !before.ends_with("</span>"),
                "space before punctuation: …{}…",
                &wb[i.saturating_sub(60)..(i + 10).min(wb.len())]
            );
        }
    }
    let text = text_of(&wb);
    assert!(
        text.contains("It builds Giving feedback, Delegating effectively, for Give specific feedback on the same day."),
        "{text}"
    );
    // The contents list gives each session its number.
    let toc = between(&wb, "<nav class=\"toc\"", "</nav>");
    assert!(toc.contains("<li value=\"2\">"), "{toc}");
}

// ---------------------------------------------------------------- scorecard

#[test]
fn the_scorecard_is_one_table_with_a_row_per_category() {
    let site = Site::new();
    let out = built(&site, "out", &[]);
    let metrics = page(&out, "demo/metrics/index.html");
    let scorecard = between(&metrics, "<h2>Scorecard</h2>", "<h2>The metrics</h2>");
    assert_eq!(scorecard.matches("<table").count(), 1, "{scorecard}");
    // A body per category, opened by a row naming it across every column.
    assert_eq!(scorecard.matches("<tbody").count(), 2, "{scorecard}");
    assert_eq!(
        scorecard
            .matches("<th colspan=\"6\" scope=\"rowgroup\"")
            .count(),
        2,
        "{scorecard}"
    );
    for label in ["Participation", "Application"] {
        assert!(
            scorecard.contains(&format!(">{label}</th>")),
            "{label}: {scorecard}"
        );
    }
    let defs = between(&metrics, "<h2>The metrics</h2>", "<h2>Instruments</h2>");
    assert_eq!(defs.matches("<table").count(), 1, "{defs}");
    assert_eq!(defs.matches("<tbody").count(), 2, "{defs}");
}

// ----------------------------------------------------------------- branding

const LOGO: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"80\" height=\"20\"><rect width=\"80\" height=\"20\" fill=\"#333\"/></svg>\n";

/// The build fixture with a site logo and accent, and the program's own.
fn branded_site() -> Site {
    let site = Site::new();
    site.write("static/brand/site-logo.svg", LOGO);
    site.write("static/client.svg", LOGO);
    site.write(
        "playbook.yaml",
        &format!("{PLAYBOOK_YAML}logo: static/brand/site-logo.svg\naccent: \"#8A1C7C\"\n"),
    );
    site.edit(
        "content/demo/program.yaml",
        "facilitators: [Ana Ruiz]\n",
        "facilitators: [Ana Ruiz]\nlogo: static/client.svg\naccent: \"#0b6e4f\"\n",
    );
    site
}

/// The `<style>` of a page's head that sets the accent colours.
fn accent_style(html: &str) -> &str {
    between(html, "<style>", "</style>")
}

#[test]
fn a_logo_and_an_accent_brand_the_site_and_each_program() {
    let site = branded_site();
    for (name, extra) in [("f", &[][..]), ("p", &["--edition", "participant"][..])] {
        let out = built(&site, name, extra);
        // The logos are published where the pages point.
        assert!(out.join("brand/site-logo.svg").is_file(), "{name}");
        assert!(out.join("client.svg").is_file(), "{name}");
        let home = page(&out, "index.html");
        assert!(
            home.contains("<img class=\"brand-logo\" src=\"/brand/site-logo.svg\""),
            "{home}"
        );
        let style = accent_style(&home);
        assert!(style.contains("--accent:#8a1c7c;"), "{style}");
        // In dark mode a lighter shade of it, readable on the dark page.
        let dark = between(style, "prefers-color-scheme: dark", "@media print");
        assert!(!dark.contains("#8a1c7c"), "{style}");
        for rel in [
            "demo/index.html",
            "demo/curriculum/index.html",
            "demo/metrics/index.html",
            "demo/sessions/01-intro/index.html",
        ] {
            let p = page(&out, rel);
            assert!(
                p.contains("<img class=\"brand-logo\" src=\"/client.svg\""),
                "{rel}: {p}"
            );
            assert!(accent_style(&p).contains("--accent:#0b6e4f;"), "{rel}");
            // The client's name in the header and the window title.
            let header = between(&p, "<header", "</header>");
            assert!(header.contains("Demo Co."), "{rel}: {header}");
            let title = between(&p, "<title>", "</title>");
            assert!(title.ends_with(" · Demo Co."), "{rel}: {title}");
        }
    }
}

#[test]
fn a_site_without_branding_has_no_logo_and_the_theme_colours() {
    let site = Site::new();
    let out = built(&site, "out", &[]);
    for rel in ["index.html", "demo/index.html"] {
        let p = page(&out, rel);
        assert!(!p.contains("brand-logo"), "{rel}");
        assert!(!p.contains("<style>"), "{rel}");
    }
}

mod branding_checks {
    use crate::common::{error, warning, Fixture, PROGRAM_YAML, PROGRAM_YAML_SRC};

    /// The check fixture with `extra` appended to playbook.yaml (line 4
    /// on) and `program` to program.yaml (line 8 on).
    fn fixture(extra: &str, program: &str) -> Fixture {
        let f = Fixture::new();
        f.write(
            "playbook.yaml",
            &format!("{}{extra}", crate::common::PLAYBOOK_YAML_SRC),
        );
        f.write(PROGRAM_YAML, &format!("{PROGRAM_YAML_SRC}{program}"));
        f
    }

    #[test]
    fn a_low_contrast_accent_is_a_warning_naming_its_ratio() {
        let f = fixture("accent: \"#ffcc00\"\n", "");
        f.check(&[]).assert_only(
            &warning("low-contrast")
                .at("playbook.yaml", 4, 9)
                .message_contains("1.51:1")
                .message_contains("4.5:1"),
        );
        let f = fixture("", "accent: \"#7fb6e0\"\n");
        f.check(&[]).assert_only(
            &warning("low-contrast")
                .at(PROGRAM_YAML, 8, 9)
                .message_contains("2.17:1"),
        );
        // Dark enough: no warning.
        fixture("accent: \"#1f5f8b\"\n", "accent: \"#000\"\n")
            .check(&[])
            .assert_clean();
    }

    #[test]
    fn a_colour_that_is_no_hex_colour_is_an_error_at_its_line() {
        for (value, col) in [("red", 9), ("\"#12345\"", 9), ("\"#ggg\"", 9)] {
            let f = fixture(&format!("accent: {value}\n"), "");
            f.check(&[]).assert_only(
                &error("invalid-value")
                    .at("playbook.yaml", 4, col)
                    .hint("#1f5f8b"),
            );
        }
        // Unquoted, `#` starts a YAML comment: the value is empty.
        let f = fixture("", "accent: #c0392b\n");
        f.check(&[]).assert_only(
            &error("invalid-value")
                .at(PROGRAM_YAML, 8, 1)
                .message_contains("empty")
                .hint("quotes"),
        );
    }

    #[test]
    fn a_logo_must_be_an_image_under_static() {
        let f = fixture("logo: static/missing.svg\n", "");
        f.check(&[]).assert_only(
            &error("missing-file")
                .at("playbook.yaml", 4, 7)
                .message_contains("static/missing.svg"),
        );
        for value in [
            "../logo.svg",
            "/etc/logo.svg",
            "content/demo/logo.svg",
            "logo.svg",
            "static/../x.svg",
            "static/notes.txt",
        ] {
            let f = fixture("", &format!("logo: {value}\n"));
            f.write("static/notes.txt", "not an image");
            f.check(&[])
                .assert_only(&error("invalid-value").at(PROGRAM_YAML, 8, 7));
        }
        // A logo added later is found by the next check.
        let f = fixture("", "logo: static/a/logo.png\n");
        f.check(&[])
            .assert_only(&error("missing-file").at(PROGRAM_YAML, 8, 7));
        f.write_bytes("static/a/logo.png", b"\x89PNG\r\n\x1a\n");
        f.check(&[]).assert_clean();
    }

    #[test]
    fn a_logo_linked_from_outside_the_site_is_refused() {
        let f = fixture("logo: static/logo.svg\n", "");
        let elsewhere = crate::common::TempTree::new(None);
        elsewhere.write("outside.svg", "<svg/>");
        f.symlink("static/logo.svg", &elsewhere.file("outside.svg"));
        let out = f.check(&[]);
        out.assert_has(&error("outside-site").at("playbook.yaml", 4, 7));
    }
}

// --------------------------------------------------------------- action map

/// The action map's figure on an action-map page: (actions, practices,
/// session links, gaps), after checking that it is labelled and that the
/// list it draws is on the page too.
fn map_counts(html: &str) -> (usize, usize, usize, usize) {
    let fig = between(html, "<figure class=\"amap\"", "</figure>");
    assert!(
        fig.starts_with(" aria-labelledby=\"amap-title\" aria-describedby=\"amap-desc\">"),
        "{fig}"
    );
    assert!(fig.contains("id=\"amap-title\"") && fig.contains("id=\"amap-desc\""));
    // Goal → actions → practices → sessions, as nested lists.
    assert!(fig.contains("class=\"amap-goal amap-node\""), "{fig}");
    let actions = fig
        .matches("<a class=\"amap-node amap-node-action\" href=")
        .count();
    let practices = fig
        .matches("<a class=\"amap-node amap-node-practice\" href=")
        .count();
    let sessions = fig
        .matches("<a class=\"amap-node amap-node-session\" href=")
        .count();
    let gaps = fig.matches("amap-gap").count();
    // The text alternative: the list of actions in words, each once.
    assert_eq!(html.matches("<li class=\"chain-action\">").count(), actions);
    (actions, practices, sessions, gaps)
}

#[test]
fn the_action_map_is_drawn_as_a_diagram_of_goal_actions_practices_and_sessions() {
    let site = Site::new();
    let out = built(&site, "out", &[]);
    let html = page(&out, "demo/action-map/index.html");
    // Two actions with a practice each, each practised in one session.
    assert_eq!(map_counts(&html), (2, 2, 2, 0));
    let fig = between(&html, "<figure class=\"amap\"", "</figure>");
    assert!(fig.contains("the 2 actions that reach it"), "{fig}");
    // In order: the action, its practice, the session that practises it.
    let a = fig.find("/demo/actions/delegate-outcomes/").unwrap();
    let p = fig.find("/demo/practices/venue-handover/").unwrap();
    let s = fig.find("/demo/sessions/01-intro/").unwrap();
    assert!(a < p && p < s, "{fig}");
}

#[test]
fn the_action_map_of_fifteen_actions_shows_every_one_and_its_gaps() {
    let t = TempTree::new(Some("site"));
    crate::common::copy_tree(&repo_root().join("tests/fixtures/action-map-15"), t.path());
    let out = t.scratch("out");
    run(
        &[
            "build",
            t.path().to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
        t.path(),
    )
    .assert_code(0);
    let html = page(&out, "wide/action-map/index.html");
    // 15 actions, 19 practices: two practised nowhere (shown as gaps).
    assert_eq!(map_counts(&html), (15, 19, 17, 2));
    assert!(html.contains("the 15 actions that reach it"));
}
