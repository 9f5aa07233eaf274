//! Fenced blocks (`::: name` … `:::`), GitHub alerts and the outline of a
//! session page, end to end: real sites built and checked with the binary,
//! and the pages and diagnostics they produce — including a lesson episode
//! written as Carpentries Workbench episodes are (`tests/fixtures/carpentries`).

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::build::*;
use crate::common::{copy_tree, error, warning, Fixture, COMPETENCIES, INTRO, INTRO_SRC};

const INTRO_MD_PATH: &str = "content/demo/sessions/01-intro.md";

/// The 1-based line of the first `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in\n{text}"));
    text[..at].matches('\n').count() + 1
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The build fixture with `body` appended to the first session guide, built.
fn build_with_intro(body: &str, extra: &[&str]) -> (Site, PathBuf) {
    let site = Site::new();
    site.write(INTRO_MD_PATH, &format!("{INTRO_MD}\n{body}"));
    let out = site.scratch("out");
    site.build(&out, extra).assert_code(0);
    (site, out)
}

/// The rendered guide of a session page.
fn prose(page: &str) -> &str {
    between(page, "<div class=\"prose\">", "</article>")
}

/// The levels of the headings in `<main>`, in order.
fn heading_levels(page: &str) -> Vec<u8> {
    let main = between(page, "<main", "</main>");
    main.match_indices("<h")
        .filter_map(|(i, _)| {
            let b = main.as_bytes().get(i + 2)?;
            (b'1'..=b'6').contains(b).then(|| b - b'0')
        })
        .collect()
}

/// Each heading at most one level below the one before.
fn assert_no_skipped_level(levels: &[u8]) {
    for w in levels.windows(2) {
        assert!(w[1] <= w[0] + 1, "skipped level in {levels:?}");
    }
}

/// No `id` twice on a page.
fn assert_unique_ids(page: &str) {
    let ids = attr_values(page, "id");
    let mut seen = std::collections::BTreeSet::new();
    for id in &ids {
        assert!(seen.insert(id), "duplicate id `{id}`");
    }
}

const KNOWN: &[(&str, &str)] = &[
    ("callout", "Callout"),
    ("note", "Note"),
    ("tip", "Tip"),
    ("caution", "Caution"),
    ("important", "Important"),
    ("warning", "Warning"),
    ("discussion", "Discussion"),
    ("challenge", "Challenge"),
    ("objectives", "Objectives"),
    ("questions", "Questions"),
    ("keypoints", "Key points"),
    ("prereq", "Prerequisites"),
    ("checklist", "Checklist"),
    ("agenda", "Agenda"),
    ("testimonial", "Testimonial"),
];

#[test]
fn every_known_block_renders_with_its_label_on_the_page_and_in_the_guide() {
    let mut body = String::new();
    for (name, _) in KNOWN {
        body.push_str(&format!(
            "::: {name}\n### About {name}\n\nText of {name}.\n:::\n\n"
        ));
    }
    body.push_str("::: solution\nThe answer.\n:::\n\n::: instructor\nRun it twice.\n:::\n");
    let (_site, out) = build_with_intro(&body, &[]);
    let page = read(&out, "demo/sessions/01-intro/index.html");
    let guide = read(&out, "demo/guide/index.html");
    for html in [prose(&page), between(&guide, "<main", "</main>")] {
        for (name, label) in KNOWN {
            assert!(
                html.contains(&format!(
                    "<div class=\"block block-{name}\" role=\"{}\" aria-label=\"{label}\">\n\
                     <p class=\"block-title\">{label}</p>\n",
                    if [
                        "callout",
                        "note",
                        "tip",
                        "caution",
                        "important",
                        "warning",
                        "testimonial"
                    ]
                    .contains(name)
                    {
                        "note"
                    } else {
                        "group"
                    }
                )),
                "{name}:\n{html}"
            );
        }
        assert!(
            html.contains(
                "<details class=\"block block-solution\">\n<summary>Solution</summary>\n<p>The answer.</p>\n</details>"
            ),
            "{html}"
        );
        assert!(html.contains(
            "<div class=\"block block-facilitator\" role=\"note\" aria-label=\"Facilitator notes\">\n\
             <p class=\"block-title\">Facilitator notes <span class=\"block-audience\">For facilitators only</span></p>\n\
             <p>Run it twice.</p>\n</div>"
        ), "{html}");
        assert!(!html.contains(":::"), "{html}");
    }
    // Headings inside blocks take part in the outline; ids stay unique in
    // the guide, where every body is prefixed with its session's id.
    assert!(
        page.contains("<h3 id=\"about-note\">About note</h3>"),
        "{page}"
    );
    assert!(guide.contains("<h4 id=\"01-intro-about-note\">About note</h4>"));
    assert_unique_ids(&page);
    assert_unique_ids(&guide);
}

#[test]
fn a_challenge_holds_a_collapsed_solution() {
    let body = "::::::: challenge\n\n## Try it\n\nWhat happens?\n\n:::: solution\n\nIt works.\n\n::::\n\n:::::::\n";
    let (_site, out) = build_with_intro(body, &[]);
    let page = read(&out, "demo/sessions/01-intro/index.html");
    assert!(prose(&page).contains(
        "<div class=\"block block-challenge\" role=\"group\" aria-label=\"Challenge\">\n\
         <p class=\"block-title\">Challenge</p>\n<h2 id=\"try-it\">Try it</h2>\n<p>What happens?</p>\n\
         <details class=\"block block-solution\">\n<summary>Solution</summary>\n<p>It works.</p>\n</details>\n</div>"
    ), "{page}");
    assert!(!page.contains("<details open"));
}

#[test]
fn an_unknown_block_is_a_warning_at_its_line_and_a_plain_div() {
    let f = Fixture::new();
    let text = format!("{INTRO_SRC}\n::: sidebr\nAside.\n:::\n\n::: warnign\nCareful.\n:::\n");
    f.write(INTRO, &text);
    let out = f.check(&[]);
    assert_eq!(out.diagnostics.len(), 2, "{}", out.listing());
    out.assert_exit(0);
    let d = out.assert_has(
        &warning("unknown-block")
            .at(INTRO, 16, 1)
            .message("unknown block `sidebr`")
            .hint("known blocks: callout, note, tip"),
    );
    assert_eq!(line_of(&text, "::: sidebr"), 16);
    assert!(d.hint.as_deref().unwrap().contains("instructor"), "{d}");
    out.assert_has(
        &warning("unknown-block")
            .at(INTRO, line_of(&text, "::: warnign"), 1)
            .hint("did you mean `warning`?"),
    );
    // `--strict` makes it an error; a build shows a plain div.
    f.check(&["--strict"]).assert_exit(1);
    let (_site, out) = build_with_intro("::: sidebr\nAside.\n:::\n", &[]);
    let page = read(&out, "demo/sessions/01-intro/index.html");
    assert!(
        prose(&page).contains("<div class=\"sidebr\">\n<p>Aside.</p>\n</div>"),
        "{page}"
    );
}

#[test]
fn an_unclosed_block_is_an_error_at_its_line_and_nothing_is_built() {
    let f = Fixture::new();
    let text = format!("{INTRO_SRC}\n> Quoted\n\n::: {{.note}}\nNever closed.\n");
    f.write(INTRO, &text);
    let out = f.check(&[]);
    out.assert_only(
        &error("unclosed-block")
            .at(INTRO, 18, 1)
            .message("block `note` is never closed")
            .hint("close it with a line of 3 colons"),
    );
    assert_eq!(line_of(&text, "::: {.note}"), 18);

    let site = Site::new();
    site.write(INTRO_MD_PATH, &format!("{INTRO_MD}\n::: tip\nOpen.\n"));
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    run.assert_code(1);
    assert!(run.stderr.contains("unclosed-block"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn a_block_crossing_a_list_item_is_an_error_at_its_opening_line() {
    let f = Fixture::new();
    let text = format!("{INTRO_SRC}\n- Step one\n\n  ::: tip\n  Inside the item.\n\n:::\n");
    f.write(INTRO, &text);
    let out = f.check(&[]);
    out.assert_has(
        &error("unclosed-block")
            .at(INTRO, line_of(&text, "::: tip"), 3)
            .message_contains("opens inside a list item and is not closed inside it"),
    );
    out.assert_exit(1);
    // The reverse: opened outside a quote, closed inside it.
    let text = format!("{INTRO_SRC}\n::: tip\nOutside.\n\n> :::\n");
    f.write(INTRO, &text);
    f.check(&[]).assert_only(
        &error("unclosed-block")
            .at(INTRO, line_of(&text, "::: tip"), 1)
            .message_contains("closed inside a block quote"),
    );
}

#[test]
fn a_stray_fence_is_a_warning_and_shown_as_text() {
    let f = Fixture::new();
    let text = format!("{INTRO_SRC}\n:::\n");
    f.write(INTRO, &text);
    f.check(&[]).assert_only(
        &warning("stray-fence")
            .at(INTRO, 16, 1)
            .message("this `:::` closes no block"),
    );
    let (_site, out) = build_with_intro(":::\n", &[]);
    let page = read(&out, "demo/sessions/01-intro/index.html");
    assert!(prose(&page).contains("<p>:::</p>"), "{page}");
}

#[test]
fn fences_in_code_blocks_are_untouched() {
    let body =
        "```\n::: note\nIn a fenced block.\n:::\n```\n\n    ::: tip\n    Indented code.\n    :::\n";
    let f = Fixture::new();
    f.write(INTRO, &format!("{INTRO_SRC}\n{body}"));
    f.check(&[]).assert_clean();
    let (_site, out) = build_with_intro(body, &[]);
    let page = read(&out, "demo/sessions/01-intro/index.html");
    let prose = prose(&page);
    assert!(
        prose.contains("<pre><code>::: note\nIn a fenced block.\n:::\n</code></pre>"),
        "{prose}"
    );
    assert!(
        prose.contains("<pre><code>::: tip\nIndented code.\n:::\n</code></pre>"),
        "{prose}"
    );
    assert!(!prose.contains("class=\"block"), "{prose}");
}

#[test]
fn alerts_render_like_the_block_of_the_same_name() {
    let alerts =
        "> [!NOTE]\n> Read this.\n\n> [!TIP]\n> Try this.\n\n> [!IMPORTANT]\n> Keep this.\n\n\
                  > [!WARNING]\n> Mind this.\n\n> [!CAUTION]\n> Avoid this.\n";
    let fenced = "::: note\nRead this.\n:::\n\n::: tip\nTry this.\n:::\n\n::: important\nKeep this.\n:::\n\n\
                  ::: warning\nMind this.\n:::\n\n::: caution\nAvoid this.\n:::\n";
    let (_a, out_a) = build_with_intro(alerts, &[]);
    let (_f, out_f) = build_with_intro(fenced, &[]);
    let page_a = read(&out_a, "demo/sessions/01-intro/index.html");
    let page_f = read(&out_f, "demo/sessions/01-intro/index.html");
    assert_eq!(prose(&page_a), prose(&page_f));
    assert!(prose(&page_a)
        .contains("<div class=\"block block-caution\" role=\"note\" aria-label=\"Caution\">"));
    assert!(!page_a.contains("<blockquote"));
}

#[test]
fn a_block_in_a_yaml_field_renders_and_is_checked_at_the_field() {
    let site = Site::new();
    site.edit(
        "content/demo/alignment/competencies.yaml",
        "    description: Hands over outcomes, not tasks.\n",
        "    description: |\n      Hands over outcomes, not tasks.\n\n      ::: tip\n      Agree the outcome first.\n      :::\n",
    );
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let page = read(&out, "demo/competencies/delegation/index.html");
    assert!(
        page.contains(
            "<div class=\"block block-tip\" role=\"note\" aria-label=\"Tip\">\n\
         <p class=\"block-title\">Tip</p>\n<p>Agree the outcome first.</p>\n</div>"
        ),
        "{page}"
    );
    assert_no_block_in_phrasing(&out);

    // Paragraphs and blocks in every field a sentence usually fills; a
    // title (an action, a signal, an enabler) is flattened, with a warning.
    let site = Site::new();
    let map = "content/demo/alignment/action-map.yaml";
    let more = |key: &str, indent: &str, first: &str| {
        format!("{indent}{key}: |\n{indent}  {first}\n\n{indent}  Second paragraph.\n\n{indent}  ::: tip\n{indent}  A tip.\n{indent}  :::\n")
    };
    for (file, key, indent, first) in [
        (
            map,
            "statement",
            "  ",
            "Managers hand over work without daily executive involvement",
        ),
        (
            map,
            "measure",
            "  ",
            "Escalations per project halve within six months",
        ),
        (
            map,
            "remedy",
            "        ",
            "Executives route new work through the manager",
        ),
        (
            map,
            "scenario",
            "        ",
            "Hand the venue workstream to a new coordinator two weeks before the event.",
        ),
        (
            map,
            "action",
            "    ",
            "Hand over each workstream with an agreed outcome and deadline",
        ),
        (
            "content/demo/alignment/competencies.yaml",
            "description",
            "    ",
            "We finish what we start.",
        ),
    ] {
        site.edit(
            file,
            &format!("{indent}{key}: {first}\n"),
            &more(key, indent, first),
        );
    }
    let out = site.scratch("out");
    let run = site.build(&out, &[]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("warning[not-one-paragraph]"),
        "{}",
        run.stderr
    );
    assert_no_block_in_phrasing(&out);
    let action = read(&out, "demo/actions/delegate-outcomes/index.html");
    assert!(
        action.contains("<h1>Hand over each workstream with an agreed outcome and deadline<br />\nSecond paragraph.<br />\nA tip.</h1>"),
        "{action}"
    );
    let map = read(&out, "demo/action-map/index.html");
    assert!(
        map.contains("<div class=\"goal-statement text\"><p>Managers hand over work without daily executive involvement</p>\n<p>Second paragraph.</p>\n<div class=\"block block-tip\""),
        "{map}"
    );
    assert!(
        map.contains("<div class=\"remedy text\">Remedy: <p>Executives route"),
        "{map}"
    );

    // Links in titles and in the scenarios the theme shows as links: no
    // link ends up inside another.
    let site = Site::new();
    let linked = "[the delegation competency](competency:delegation)";
    for (from, to) in [
        ("    action: Hand over each workstream with an agreed outcome and deadline\n", format!("    action: Hand over each workstream, as in {linked}\n")),
        ("        scenario: Hand the venue workstream to a new coordinator two weeks before the event.\n", format!("        scenario: Hand the venue workstream over, see {linked}.\n")),
    ] {
        site.edit("content/demo/alignment/action-map.yaml", from, &to);
    }
    for (from, to) in [
        (
            "    signal: Team members take ownership of workstreams\n",
            format!("    signal: Team members take ownership, as in {linked}\n"),
        ),
        (
            "    enabler: Leaders set clear expectations\n",
            format!("    enabler: Leaders set expectations, as in {linked}\n"),
        ),
    ] {
        site.edit("content/demo/alignment/evaluation.yaml", from, &to);
    }
    let out = site.scratch("out");
    site.build(&out, &["--strict"]).assert_code(0);
    assert_no_block_in_phrasing(&out);

    // Problems point at the field.
    let f = Fixture::new();
    f.edit(
        COMPETENCIES,
        "    description: Hands over outcomes, not tasks.\n",
        "    description: |\n      Hands over outcomes, not tasks.\n\n      ::: aside\n      x\n      :::\n\n      ::: tip\n      y\n",
    );
    let out = f.check(&[]);
    // The field's value, a block scalar, starts on the line after its key.
    let text = f.read(COMPETENCIES);
    let at = line_of(&text, "      Hands over outcomes");
    assert_eq!(at, 13);
    out.assert_has(&warning("unknown-block").message("unknown block `aside`"));
    out.assert_has(&error("unclosed-block").message("block `tip` is never closed"));
    assert_eq!(out.diagnostics.len(), 2, "{}", out.listing());
    for d in &out.diagnostics {
        assert_eq!(d.file.as_deref(), Some(COMPETENCIES), "{d}");
        assert_eq!(d.line, Some(at), "{d}");
    }
}

#[test]
fn a_session_page_has_one_h1_and_no_skipped_heading_level() {
    let body = "# Title again\n\n#### Deep\n\n## Back\n\n### Sub\n\n###### Deepest\n";
    let (_site, out) = build_with_intro(body, &[]);
    let page = read(&out, "demo/sessions/01-intro/index.html");
    let levels = heading_levels(&page);
    assert_eq!(levels.iter().filter(|&&l| l == 1).count(), 1, "{levels:?}");
    assert_eq!(levels[0], 1);
    assert_no_skipped_level(&levels);
    let prose = prose(&page);
    for h in [
        "<h2 id=\"agenda\">Agenda</h2>",
        // A `#` in the body is the body's top level, an h2 …
        "<h2 id=\"title-again\">Title again</h2>",
        // … and what follows it nests under it, without gaps.
        "<h3 id=\"deep\">Deep</h3>",
        "<h3 id=\"back\">Back</h3>",
        "<h4 id=\"sub\">Sub</h4>",
        "<h5 id=\"deepest\">Deepest</h5>",
    ] {
        assert!(prose.contains(h), "{h} in\n{prose}");
    }
    // The one-page guide: the session is an h2, its body starts at h3.
    let guide = read(&out, "demo/guide/index.html");
    assert!(guide.contains("<h3 id=\"01-intro-title-again\">Title again</h3>"));
    assert!(guide.contains("<h4 id=\"01-intro-deep\">Deep</h4>"));
    assert!(guide.contains("<h6 id=\"01-intro-deepest\">Deepest</h6>"));
    assert_no_skipped_level(&heading_levels(&guide));
    assert_unique_ids(&guide);
}

#[test]
fn a_forged_marker_stays_what_it_was_written_as() {
    // What fence markers look like; the real ones use a token that occurs
    // nowhere in the text, so this is only a comment and some text.
    let body = "::: note\nReal.\n:::\n\n<!--pb-block-0000000000000000_0-->\n\npb-block-0000000000000000_1\n";
    let (_site, out) = build_with_intro(body, &[]);
    let page = read(&out, "demo/sessions/01-intro/index.html");
    assert_eq!(
        prose(&page).matches("class=\"block block-").count(),
        1,
        "{page}"
    );
    assert!(prose(&page).contains("<p>pb-block-0000000000000000_1</p>"));
    assert!(!prose(&page).contains("<!--"), "sanitized away: {page}");
    let site = Site::new();
    site.write(
        "playbook.yaml",
        &format!("{PLAYBOOK_YAML}markdown:\n  raw_html: allow\n"),
    );
    site.write(INTRO_MD_PATH, &format!("{INTRO_MD}\n{body}"));
    let out = site.scratch("out");
    site.build(&out, &[]).assert_code(0);
    let page = read(&out, "demo/sessions/01-intro/index.html");
    assert!(
        prose(&page).contains("<!--pb-block-0000000000000000_0-->"),
        "{page}"
    );
    assert_eq!(
        prose(&page).matches("class=\"block block-").count(),
        1,
        "{page}"
    );
}

#[test]
fn the_output_is_the_same_under_every_raw_html_mode() {
    let body =
        "::: challenge\nDo *this*.\n\n:::: solution\nDone.\n::::\n:::\n\n> [!TIP]\n> A tip.\n\n\
                ::: instructor\nTiming.\n:::\n";
    let mut trees = Vec::new();
    for mode in ["sanitize", "escape", "allow"] {
        let site = Site::new();
        site.write(
            "playbook.yaml",
            &format!("{PLAYBOOK_YAML}markdown:\n  raw_html: {mode}\n"),
        );
        site.write(INTRO_MD_PATH, &format!("{INTRO_MD}\n{body}"));
        let out = site.scratch("out");
        site.build(&out, &[]).assert_code(0);
        let page = read(&out, "demo/sessions/01-intro/index.html");
        assert!(
            page.contains("<details class=\"block block-solution\">"),
            "{mode}"
        );
        trees.push(read_tree(&out));
    }
    assert_same_tree(&trees[0], &trees[1]);
    assert_same_tree(&trees[0], &trees[2]);
}

/// The Carpentries-style fixture, copied into a temporary folder.
fn carpentries() -> crate::common::TempTree {
    let t = crate::common::TempTree::new(Some("site"));
    copy_tree(&repo_root().join("tests/fixtures/carpentries"), t.path());
    crate::common::keep_site("carpentries-fixture", t.path());
    t
}

#[test]
fn a_carpentries_episode_renders_every_block() {
    let site = carpentries();
    let check = crate::common::playbook()
        .args(["check", "--strict", "--format", "json"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let out = site.scratch("out");
    let run = run(
        &[
            "build".into(),
            site.path().display().to_string(),
            "--output".into(),
            out.display().to_string(),
        ],
        site.path(),
    );
    run.assert_code(0);
    assert_no_block_in_phrasing(&out);
    let page = read(&out, "handover-lesson/sessions/01-handing-over/index.html");
    let prose = prose(&page);
    for (class, label) in [
        ("questions", "Questions"),
        ("objectives", "Objectives"),
        ("callout", "Callout"),
        ("challenge", "Challenge"),
        ("facilitator", "Facilitator notes"),
        ("keypoints", "Key points"),
        // A GitHub alert, as lessons kept on GitHub write them.
        ("note", "Note"),
    ] {
        assert!(
            prose.contains(&format!("<div class=\"block block-{class}\""))
                && prose.contains(&format!("<p class=\"block-title\">{label}")),
            "{class} in\n{prose}"
        );
    }
    let challenge = between(
        prose,
        "<div class=\"block block-challenge\"",
        "<div class=\"block block-facilitator\"",
    );
    assert!(
        challenge.contains("<details class=\"block block-solution\">\n<summary>Solution</summary>"),
        "{challenge}"
    );
    assert!(
        challenge.contains("<h3 id=\"a-possible-answer\">"),
        "{challenge}"
    );
    assert!(prose.contains("<span class=\"block-audience\">For facilitators only</span>"));
    assert!(prose.contains(
        "<pre><code class=\"language-markdown\">::: note\nNot a block.\n:::\n</code></pre>"
    ));
    assert!(prose.contains("alt=\"Three steps of a handover: outcome, deadline, check-ins\""));
    // `## Introduction` then `#### Why outcomes first`: no level skipped.
    assert!(prose.contains("<h3 id=\"why-outcomes-first\">"), "{prose}");
    let levels = heading_levels(&page);
    assert_eq!(levels.iter().filter(|&&l| l == 1).count(), 1);
    assert_no_skipped_level(&levels);
    assert!(!prose.contains("::::"), "{prose}");
    // A block in a YAML field: the program summary.
    let overview = read(&out, "handover-lesson/index.html");
    assert!(
        overview.contains(
            "<div class=\"block block-prereq\" role=\"group\" aria-label=\"Prerequisites\">"
        ),
        "{overview}"
    );
    let guide = read(&out, "handover-lesson/guide/index.html");
    assert_unique_ids(&guide);
    assert_no_skipped_level(&heading_levels(&guide));
}

#[test]
fn a_megabyte_of_fences_is_checked_within_the_resource_bounds() {
    use crate::common::{playbook, run_measured};
    // Unclosed fences (an error each), stray ones (a warning each), blocks
    // of an unknown name (a warning each): a text's first 10,000 fence
    // lines are fences, the rest text, with one warning where that starts.
    for (line, code, n, problems) in [
        ("::: x\n", "unclosed-block", 170_000, 10_000),
        (":::\n", "stray-fence", 260_000, 10_000),
        ("::: x\n:::\n", "unknown-block", 100_000, 5_000),
    ] {
        let f = Fixture::new();
        let text = format!("{INTRO_SRC}{}", line.repeat(n));
        assert!(text.len() <= 1 << 20);
        f.write(INTRO, &text);
        let mut cmd = playbook();
        cmd.args(["check", "--format", "json"]).arg(f.path());
        let cost = run_measured(cmd, std::time::Duration::from_secs(120), 200 << 20);
        println!(
            "{code}: exit {}, {:.0} MiB, {:.2} s",
            cost.code, cost.peak_mib, cost.seconds
        );
        let report: serde_json::Value = serde_json::from_str(&cost.stdout).unwrap();
        let diags = report["diagnostics"].as_array().unwrap();
        let count = |c: &str| diags.iter().filter(|d| d["code"] == c).count();
        assert_eq!(count(code), problems);
        assert_eq!(count("too-many-fences"), 1);
        assert_eq!(diags.len(), problems + 1);
        // At the 10,001st fence line.
        let d = diags
            .iter()
            .find(|d| d["code"] == "too-many-fences")
            .unwrap();
        let at = line_of(&text, line)
            + 10_000 * line.matches('\n').count() / line.matches(":::").count();
        assert_eq!(d["line"], at, "{d}");
    }
}
