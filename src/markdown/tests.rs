//! Unit tests of the markdown dialect as a whole: front matter, slugs,
//! links, and what fenced blocks, alerts, outlines and editions render to.

use super::types::{slugify, Slugger};
use super::*;
use crate::diagnostics::code::Code;

#[test]
fn front_matter_lf_and_crlf() {
    let t = "---\ntitle: A\n---\nBody\n";
    let s = split_front_matter(t).unwrap();
    assert_eq!(&t[s.yaml.0..s.yaml.1], "title: A\n");
    assert_eq!(&t[s.body..], "Body\n");
    let t = "---\r\ntitle: A\r\n---\r\nBody\r\n";
    let s = split_front_matter(t).unwrap();
    assert_eq!(&t[s.yaml.0..s.yaml.1], "title: A\r\n");
    assert_eq!(&t[s.body..], "Body\r\n");
    assert_eq!(split_front_matter("# No"), Err(FrontMatterError::Missing));
    assert_eq!(split_front_matter(""), Err(FrontMatterError::Missing));
    assert_eq!(
        split_front_matter("---\ntitle: A\n"),
        Err(FrontMatterError::Unclosed)
    );
}

#[test]
fn github_slugs() {
    assert_eq!(slugify("Debrief questions"), "debrief-questions");
    assert_eq!(slugify("What's next? (Part 2)"), "whats-next-part-2");
    let mut s = Slugger::default();
    assert_eq!(s.slug("Notes"), "notes");
    assert_eq!(s.slug("Notes"), "notes-1");
}

#[test]
fn links_and_images_with_positions() {
    let t = "See [d](competency:delegation) and ![](fig/a.png) ![Map](m.png)\n\n## Agenda `x`\n";
    let a = analyze(t);
    assert_eq!(a.links.len(), 3);
    assert_eq!(&t[a.links[0].range.clone()], "competency:delegation");
    assert!(a.links[1].is_image && !a.links[1].has_alt);
    assert!(a.links[2].has_alt);
    assert_eq!(a.headings[0].anchor, "agenda-x");
}

#[test]
fn task_list_items_are_labelled_marks() {
    let html = to_html(
        "- [x] Book the room\n- [ ] Send the agenda\n",
        &HtmlOptions::default(),
        &mut |_, d| d.to_string(),
    );
    assert!(
        html.contains(
            "<span class=\"task done\" role=\"img\" aria-label=\"Done\"></span>\nBook the room"
        ),
        "{html}"
    );
    assert!(
        html.contains(
            "<span class=\"task\" role=\"img\" aria-label=\"To do\"></span>\nSend the agenda"
        ),
        "{html}"
    );
    assert!(!html.contains("<input"), "{html}");
}

#[test]
fn html_rewrites_links_and_escapes_html() {
    let t = "## Plan\n\n[d](competency:delegation) <script>x</script>\n";
    let opts = HtmlOptions {
        raw: RawHtml::Escape,
        ..HtmlOptions::default()
    };
    let html = to_html(t, &opts, &mut |_, d| format!("/c/{d}"));
    assert!(html.contains("<h2 id=\"plan\">Plan</h2>"), "{html}");
    assert!(html.contains("href=\"/c/competency:delegation\""));
    assert!(html.contains("&lt;script&gt;"));
}

fn html(t: &str) -> String {
    to_html(t, &HtmlOptions::default(), &mut |_, d| d.to_string())
}

fn page(t: &str, edition: Edition) -> String {
    let opts = HtmlOptions {
        edition,
        ..HtmlOptions::session_page(RawHtml::Sanitize)
    };
    to_html(t, &opts, &mut |_, d| d.to_string())
}

/// The line (1-based) and text of a byte range.
fn line_of(t: &str, r: &Range<usize>) -> (usize, String) {
    (
        t[..r.start].matches('\n').count() + 1,
        t[r.clone()].to_string(),
    )
}

#[test]
fn every_known_block_renders_with_its_label() {
    let labels = [
        ("callout", "Callout", "note"),
        ("note", "Note", "note"),
        ("tip", "Tip", "note"),
        ("caution", "Caution", "note"),
        ("important", "Important", "note"),
        ("warning", "Warning", "note"),
        ("discussion", "Discussion", "group"),
        ("challenge", "Challenge", "group"),
        ("objectives", "Objectives", "group"),
        ("questions", "Questions", "group"),
        ("keypoints", "Key points", "group"),
        ("prereq", "Prerequisites", "group"),
        ("checklist", "Checklist", "group"),
        ("agenda", "Agenda", "group"),
        ("testimonial", "Testimonial", "note"),
    ];
    for (name, label, role) in labels {
        let h = html(&format!("::: {name}\nBody *text*.\n:::\n"));
        assert_eq!(
            h,
            format!(
                "<div class=\"block block-{name}\" role=\"{role}\" aria-label=\"{label}\">\n\
                 <p class=\"block-title\">{label}</p>\n<p>Body <em>text</em>.</p>\n</div>\n"
            )
        );
        let a = analyze(&format!("::: {{.{name}}}\nBody\n:::\n"));
        assert!(a.issues.is_empty() && a.blocks[0].known, "{name}");
    }
    for name in ["facilitator", "instructor"] {
        let h = html(&format!("::: {name}\nRun it twice.\n:::\n"));
        assert!(h.starts_with(
            "<div class=\"block block-facilitator\" role=\"note\" aria-label=\"Facilitator notes\">\n\
             <p class=\"block-title\">Facilitator notes <span class=\"block-audience\">For facilitators only</span></p>\n"
        ), "{h}");
    }
}

#[test]
fn a_solution_is_collapsed_inside_its_challenge() {
    let t = "::::::::: challenge\n\n## Try it\n\nWhat happens?\n\n\
             :::::: solution\n\nIt works.\n\n::::::\n:::::::::\n";
    let h = page(t, Edition::Facilitator);
    assert_eq!(
        h,
        "<div class=\"block block-challenge\" role=\"group\" aria-label=\"Challenge\">\n\
         <p class=\"block-title\">Challenge</p>\n<h2 id=\"try-it\">Try it</h2>\n<p>What happens?</p>\n\
         <details class=\"block block-solution\">\n<summary>Solution</summary>\n<p>It works.</p>\n\
         </details>\n</div>\n"
    );
    let a = analyze(t);
    let names: Vec<&str> = a.blocks.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["challenge", "solution"]);
    assert_eq!(
        &t[a.blocks[1].range.clone()],
        &t[t.find(":::::: solution").unwrap()..t.len() - 11]
    );
    // A closing fence shorter than its opening one closes nothing.
    let a = analyze("::::: note\nx\n:::\n:::::\n");
    assert_eq!(a.blocks.len(), 1);
    assert_eq!(a.issues.len(), 1);
    assert_eq!(a.issues[0].code, Code::StrayFence);
}

#[test]
fn an_unknown_block_is_a_plain_div_and_a_warning() {
    let t = "Intro\n\n::: {.sidebar .wide #s1}\nAside\n:::\n";
    assert_eq!(
        html(t),
        "<p>Intro</p>\n<div class=\"sidebar wide\">\n<p>Aside</p>\n</div>\n"
    );
    let a = analyze(t);
    assert!(!a.blocks[0].known);
    let i = &a.issues[0];
    assert_eq!((i.error, i.code), (false, Code::UnknownBlock));
    assert_eq!(line_of(t, &i.range), (3, "::: {.sidebar .wide #s1}".into()));
    assert!(i.hint.contains("known blocks: callout"));
    let a = analyze("::: warnign\nx\n:::\n");
    assert!(a.issues[0].hint.starts_with("did you mean `warning`?"));
}

#[test]
fn unclosed_stray_and_crossing_fences_are_reported_at_their_line() {
    let t = "# T\n\n::: note\nOpen\n";
    let a = analyze(t);
    assert_eq!(a.issues.len(), 1);
    let i = &a.issues[0];
    assert_eq!((i.error, i.code), (true, Code::UnclosedBlock));
    assert_eq!(line_of(t, &i.range), (3, "::: note".into()));
    assert!(a.blocks.is_empty());
    // Shown as text when it opens nothing.
    assert_eq!(
        html(t),
        "<h1 id=\"t\">T</h1>\n<p>::: note</p>\n<p>Open</p>\n"
    );

    let t = "Text\n\n:::\n";
    let a = analyze(t);
    assert_eq!(
        (a.issues[0].error, a.issues[0].code),
        (false, Code::StrayFence)
    );
    assert_eq!(line_of(t, &a.issues[0].range), (3, ":::".into()));
    assert_eq!(html(t), "<p>Text</p>\n<p>:::</p>\n");

    // Opened in a list item, closed outside it.
    let t = "- item\n\n  ::: tip\n  Inside\n\n:::\n";
    let a = analyze(t);
    let e: Vec<_> = a.issues.iter().filter(|i| i.error).collect();
    assert_eq!(e.len(), 1, "{:?}", a.issues);
    assert_eq!(e[0].code, Code::UnclosedBlock);
    assert!(
        e[0].message.contains("inside a list item"),
        "{}",
        e[0].message
    );
    assert_eq!(line_of(t, &e[0].range), (3, "::: tip".into()));
    // Opened outside a quote, closed inside it.
    let t = "::: tip\n\n> :::\n";
    let a = analyze(t);
    assert_eq!(a.issues.len(), 1, "{:?}", a.issues);
    assert_eq!(a.issues[0].code, Code::UnclosedBlock);
    assert!(a.issues[0].message.contains("inside a block quote"));
    assert_eq!(line_of(t, &a.issues[0].range), (1, "::: tip".into()));
}

#[test]
fn blocks_nest_in_lists_and_quotes() {
    let t = "- Step\n\n  ::: tip\n  Inside\n  :::\n\n> ::: note\n> Quoted\n> :::\n";
    let a = analyze(t);
    assert!(a.issues.is_empty(), "{:?}", a.issues);
    assert_eq!(a.blocks.len(), 2);
    let h = html(t);
    assert!(
        h.contains("<li>\n<p>Step</p>\n<div class=\"block block-tip\""),
        "{h}"
    );
    assert!(
        h.contains("<blockquote>\n<div class=\"block block-note\""),
        "{h}"
    );
    // A fence right after a list item ends the list, as in Pandoc.
    let t = "::: note\n- a\n- b\n:::\n";
    let a = analyze(t);
    assert!(a.issues.is_empty(), "{:?}", a.issues);
    assert!(html(t).ends_with("</ul>\n</div>\n"));
}

#[test]
fn fences_in_code_and_html_are_left_alone() {
    let t =
        "```\n::: note\n:::\n```\n\n    ::: tip\n    :::\n\n<div>\n::: tip\n</div>\n\n## ::: x\n";
    let a = analyze(t);
    // The fence the HTML block takes in is text: a warning.
    let i = &a.issues;
    assert!(a.blocks.is_empty() && i.len() == 1 && !i[0].error, "{a:?}");
    assert_eq!(&t[i[0].range.clone()], "::: tip");
    let h = html(t);
    assert!(h.contains("<pre><code>::: note\n:::\n</code></pre>"), "{h}");
    assert!(h.contains("<pre><code>::: tip\n:::\n</code></pre>"), "{h}");
    assert!(h.contains("<div>\n::: tip\n</div>"), "{h}");
    assert!(h.contains("<h2 id=\"-x\">::: x</h2>"), "{h}");
}

#[test]
fn alerts_render_as_the_block_of_the_same_name() {
    for (alert, name) in [
        ("NOTE", "note"),
        ("TIP", "tip"),
        ("IMPORTANT", "important"),
        ("WARNING", "warning"),
        ("CAUTION", "caution"),
    ] {
        let a = html(&format!("> [!{alert}]\n> Mind the **gap**.\n"));
        let f = html(&format!("::: {name}\nMind the **gap**.\n:::\n"));
        assert_eq!(a, f);
        let b = &analyze(&format!("> [!{alert}]\n> x\n")).blocks[0];
        assert!(b.alert && b.known && b.name == name);
    }
    assert!(html("> [!NOTE] not alone\n").starts_with("<blockquote>"));
}

#[test]
fn the_outline_starts_at_the_base_without_gaps() {
    let t = "## A\n\n#### B\n\n## C\n\n### D\n\n# E\n";
    let h = page(t, Edition::Facilitator);
    let levels: Vec<&str> = h.match_indices("<h").map(|(i, _)| &h[i..i + 3]).collect();
    assert_eq!(levels, ["<h2", "<h3", "<h2", "<h3", "<h2"]);
    assert!(h.contains("<h3 id=\"b\">B</h3>"), "{h}");
    let a = analyze(t);
    let levels: Vec<u8> = a.headings.iter().map(|h| h.level).collect();
    assert_eq!(levels, [2, 3, 2, 3, 2]);
    let guide = to_html(
        t,
        &HtmlOptions::guide(RawHtml::Sanitize, "s-"),
        &mut |_, d| d.into(),
    );
    assert!(
        guide.starts_with("<h3 id=\"s-a\">A</h3>\n<h4 id=\"s-b\">B</h4>"),
        "{guide}"
    );
}

#[test]
fn offsets_are_those_of_the_original_text() {
    let t = "::: note\r\nSee [a](session:x).\r\n:::\r\n\r\n## After\r\n\r\n[b](value:y)\r\n";
    let a = analyze(t);
    assert_eq!(&t[a.links[0].range.clone()], "session:x");
    assert_eq!(&t[a.links[1].range.clone()], "value:y");
    assert_eq!(
        &t[a.blocks[0].range.clone()],
        "::: note\r\nSee [a](session:x).\r\n:::"
    );
    assert_eq!(a.headings[0].anchor, "after");
}

#[test]
fn a_forged_marker_stays_what_it_is() {
    let base = "::: note\nx\n:::\n";
    // The token `base` would get, written by the author.
    let token = fences::unused_token(base);
    let t = format!("{base}\n<!--{token}_0-->\n\n<!--{token}_1-->\n\n{token}_0\n");
    let allow = to_html(
        &t,
        &HtmlOptions {
            raw: RawHtml::Allow,
            ..HtmlOptions::default()
        },
        &mut |_, d| d.into(),
    );
    assert_eq!(allow.matches("<div").count(), 1, "{allow}");
    assert!(
        allow.contains(&format!("<!--{token}_0-->\n<!--{token}_1-->")),
        "{allow}"
    );
    assert!(allow.contains(&format!("<p>{token}_0</p>")), "{allow}");
    assert_eq!(analyze(&t).blocks.len(), 1);
}

#[test]
fn blocks_are_the_same_whatever_raw_html_is() {
    let t = "::: challenge\nDo *this*.\n\n:::: solution\nDone.\n::::\n:::\n\n> [!TIP]\n> Tip.\n";
    let outs: Vec<String> = [RawHtml::Sanitize, RawHtml::Escape, RawHtml::Allow]
        .into_iter()
        .map(|raw| {
            to_html(
                t,
                &HtmlOptions {
                    raw,
                    ..HtmlOptions::default()
                },
                &mut |_, d| d.into(),
            )
        })
        .collect();
    assert_eq!(outs[0], outs[1]);
    assert_eq!(outs[0], outs[2]);
    // Raw HTML sends the page through the sanitizer: the blocks survive.
    let with_raw = format!("{t}\n<kbd>Ctrl</kbd> <script>x</script>\n");
    let s = to_html(&with_raw, &HtmlOptions::default(), &mut |_, d| d.into());
    assert!(
        s.starts_with(
            "<div class=\"block block-challenge\" role=\"group\" aria-label=\"Challenge\">\n\
         <p class=\"block-title\">Challenge</p>"
        ),
        "{s}"
    );
    assert!(
        s.contains("<details class=\"block block-solution\">\n<summary>Solution</summary>"),
        "{s}"
    );
    assert!(
        s.contains("<kbd>Ctrl</kbd>") && !s.contains("script"),
        "{s}"
    );
}

#[test]
fn facilitator_blocks_are_flagged_and_dropped_for_participants() {
    let t = "## Plan\n\n[a](value:a)\n\n::: instructor\n### Timing\n\nSee [b](value:b) and ![c](c.png).\n:::\n\n\
             ### Plan\n\n[d](value:d)\n";
    let a = analyze(t);
    let flags: Vec<bool> = a.links.iter().map(|l| l.facilitator).collect();
    assert_eq!(flags, [false, true, true, false]);
    let heads: Vec<(&str, bool)> = a
        .headings
        .iter()
        .map(|h| (h.anchor.as_str(), h.facilitator))
        .collect();
    assert_eq!(
        heads,
        [("plan", false), ("timing", true), ("plan-1", false)]
    );
    assert!(a.blocks[0].facilitator);

    let mut seen = Vec::new();
    let opts = HtmlOptions {
        edition: Edition::Participant,
        ..HtmlOptions::session_page(RawHtml::Sanitize)
    };
    let p = to_html(t, &opts, &mut |i, d| {
        seen.push(i);
        format!("/{i}/{d}")
    });
    assert_eq!(seen, [0, 3]);
    assert_eq!(
        p,
        "<h2 id=\"plan\">Plan</h2>\n<p><a href=\"/0/value:a\">a</a></p>\n\
         <h3 id=\"plan-1\">Plan</h3>\n<p><a href=\"/3/value:d\">d</a></p>\n"
    );
    let f = page(t, Edition::Facilitator);
    assert!(
        f.contains("Facilitator notes") && f.contains("<h3 id=\"timing\">Timing</h3>"),
        "{f}"
    );
}

#[test]
fn plain_text_leaves_block_labels_out() {
    assert_eq!(
        to_plain("::: note\nMind the gap.\n:::\n", RawHtml::Sanitize),
        "Mind the gap."
    );
    assert_eq!(to_plain(":::\nx\n", RawHtml::Sanitize), "::: x");
}

#[test]
fn fences_where_pulldown_cmark_sees_text_of_other_blocks() {
    // A tight list item (no paragraph events), the text of a setext
    // heading, a row a table took in: all fences, as in Pandoc.
    let t = "::: note\n- a\n- b\n:::\n\n::: tip\n---\n:::\n\n| a |\n|---|\n| 1 |\n::: keypoints\nk\n:::\n";
    let a = analyze(t);
    assert!(a.issues.is_empty(), "{:?}", a.issues);
    let names: Vec<&str> = a.blocks.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["note", "tip", "keypoints"]);
    let h = html(t);
    assert!(h.contains("</ul>\n</div>"), "{h}");
    assert!(
        h.contains("<p class=\"block-title\">Tip</p>\n<hr />\n</div>"),
        "{h}"
    );
    assert!(
        h.contains("</table>\n<div class=\"block block-keypoints\""),
        "{h}"
    );
}

#[test]
fn an_unclosed_fence_of_an_unknown_name_is_only_unclosed() {
    let a = analyze("::: sidebar\ntext\n");
    let codes: Vec<Code> = a.issues.iter().map(|i| i.code).collect();
    assert_eq!(codes, [Code::UnclosedBlock]);
}

#[test]
fn the_streamed_and_the_kept_analysis_agree() {
    let t = "# A\n\n::: instructor\n## B [x](value:x)\n:::\n\n> [!TIP]\n> ![i](i.png)\n\n::: y\n:::\n\n:::\n";
    let streamed = analyze(t);
    let kept = Document::parse(t).analysis();
    assert_eq!(streamed.links, kept.links);
    assert_eq!(streamed.headings, kept.headings);
    assert_eq!(streamed.blocks, kept.blocks);
    assert_eq!(streamed.issues, kept.issues);
    assert_eq!(streamed.blocks.len(), 3);
    assert_eq!(streamed.issues.len(), 2);
    assert_eq!(
        to_plain(t, RawHtml::Sanitize),
        Document::parse(t).plain(RawHtml::Sanitize, false)
    );
}

#[test]
fn fence_lines_past_the_limit_are_text() {
    let t = ":::\n\n".repeat(fences::MAX_FENCES + 2);
    let a = analyze(&t);
    assert_eq!(a.issues.len(), fences::MAX_FENCES + 1);
    let last = a.issues.last().unwrap();
    assert_eq!(last.code, Code::TooManyFences);
    assert_eq!(last.range.start, 5 * fences::MAX_FENCES);
}

/// Texts made of pieces that meet fences in every way the author can
/// write them (lists, quotes, code, HTML, tables, headings, CRLF):
/// nothing panics, no marker ever shows, the offsets are the
/// original's, and every block that opens is rendered.
#[test]
fn pieces_of_markdown_in_any_order_keep_the_invariants() {
    const PIECES: &[&str] = &[
        "::: note\n",
        ":::\n",
        "::::: challenge\n",
        ":::::\n",
        "::: {.tip .x}\n",
        "::: instructor\n",
        "::: sidebar\n",
        "- item\n",
        "  ::: tip\n",
        "  :::\n",
        "> ::: note\n",
        "> :::\n",
        "> [!WARNING]\n",
        "```\n",
        "    ::: code\n",
        "<div>\n",
        "text [l](value:x) ![i](i.png)\n",
        "## Head\n",
        "#### Deep\n",
        "| a |\n|---|\n",
        "\n",
        "\r\n",
        "[x]:\n",
        "---\n",
        "1. one\n",
        "<!-- c -->\n",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3000 {
        let n = 1 + (next() % 14) as usize;
        let t: String = (0..n)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let a = analyze(&t);
        let doc = Document::parse(&t);
        let kept = doc.analysis();
        assert_eq!(a.links, kept.links, "{t:?}");
        assert_eq!(a.blocks, kept.blocks, "{t:?}");
        assert_eq!(a.issues, kept.issues, "{t:?}");
        for l in &a.links {
            // The destination, or (a reference link) the whole link.
            let at = &t[l.range.clone()];
            assert!(at.contains(&l.dest) || at.starts_with('['), "{t:?}");
        }
        for i in &a.issues {
            let at = &t[i.range.clone()];
            assert!(at.starts_with(":::") || at == "```", "{t:?} {i:?}");
        }
        for raw in [RawHtml::Sanitize, RawHtml::Escape, RawHtml::Allow] {
            for edition in [Edition::Facilitator, Edition::Participant] {
                let opts = HtmlOptions {
                    raw,
                    edition,
                    ..HtmlOptions::session_page(raw)
                };
                let mut indices = Vec::new();
                let h = doc.to_html(&opts, &mut |i, d| {
                    indices.push(i);
                    d.to_string()
                });
                assert!(!h.contains("pb-block-"), "{t:?}\n{h}");
                assert!(indices.windows(2).all(|w| w[0] < w[1]), "{t:?}");
                let shown = h.matches("class=\"block block-").count();
                if edition == Edition::Facilitator {
                    let known = a.blocks.iter().filter(|b| b.known).count();
                    assert_eq!(shown, known, "{t:?}\n{h}");
                    assert_eq!(indices.len(), a.links.len());
                } else {
                    assert!(!h.contains("Facilitator notes"), "{t:?}\n{h}");
                }
            }
        }
    }
}

#[test]
fn one_paragraph_is_what_a_title_can_show() {
    for t in [
        "",
        "One.",
        "A *b* [c](d) `e`",
        "A\nB",
        "A  \nB",
        "<abbr>A</abbr> b",
    ] {
        assert!(analyze(t).one_paragraph, "{t:?}");
    }
    for t in [
        "A\n\nB",
        "::: tip\nx\n:::\n",
        "A.\n\n::: facilitator\nx\n:::\n",
        "- a\n- b",
        "# h",
        "> q",
        "---",
        "```\ncode\n```",
        "<div>x</div>",
        "| a |\n|---|\n| b |",
        // A stray fence is shown as a paragraph of its own.
        "A\n\n:::\n",
    ] {
        assert!(!analyze(t).one_paragraph, "{t:?}");
    }
}

#[test]
fn phrasing_flattens_blocks_into_lines() {
    let render = |t: &str, edition| {
        let opts = HtmlOptions {
            phrasing: true,
            edition,
            ..HtmlOptions::default()
        };
        to_html(t, &opts, &mut |_, d| d.to_string())
    };
    let f = Edition::Facilitator;
    assert_eq!(
        render("A *b* [c](d) ![e](f.png)", f),
        "A <em>b</em> c <img src=\"f.png\" alt=\"e\" />",
        "links show as their text: a title may stand inside a link"
    );
    assert_eq!(render("A\n\nB", f), "A<br />\nB");
    assert_eq!(render("- a\n- b\n\n# H", f), "a<br />\nb<br />\nH");
    assert_eq!(render("A.\n\n::: tip\nMore.\n:::\n", f), "A.<br />\nMore.");
    assert_eq!(render("<div>x</div>", f), "&lt;div&gt;x&lt;/div&gt;");
    // Inline HTML keeps phrasing tags only, in every mode that lets HTML
    // through; no link, no block.
    for raw in [RawHtml::Sanitize, RawHtml::Allow] {
        let opts = HtmlOptions {
            phrasing: true,
            raw,
            ..HtmlOptions::default()
        };
        let title = to_html(
            "A <a href=\"https://example.org\">b</a> <abbr title=\"c\">C</abbr> <div>d</div> <h2>e</h2>",
            &opts,
            &mut |_, d| d.to_string(),
        );
        assert_eq!(title, "A b <abbr title=\"c\">C</abbr> d e", "{raw:?}");
    }
    // Footnotes: neither the reference (a link) nor the definition.
    assert_eq!(
        render("Hands over[^d]\n\n[^d]: A deadline.", f),
        "Hands over"
    );
    // The participant edition still leaves facilitator blocks out.
    assert_eq!(
        render("A.\n\n::: facilitator\nSECRET\n:::\n", Edition::Participant),
        "A."
    );
}
