//! Unit tests of the markdown layer for editions and ids: what the
//! participant edition leaves out however a block is written, fences read
//! as text, footnotes, and ids no heading may take.

use super::*;
use crate::diagnostics::code::Code;

#[test]
fn the_participant_source_has_no_facilitator_block() {
    let t = "Before.\n\n::: facilitator\nSecret.\n\n::: tip\nNested.\n:::\n:::\n\n::: tip\nKept.\n:::\n\n ::: Instructor\n Also secret.\n :::\nAfter.\n";
    assert_eq!(source_in(t, Edition::Facilitator), t);
    let p = source_in(t, Edition::Participant);
    assert_eq!(p, "Before.\n\n\n\n::: tip\nKept.\n:::\n\n \nAfter.\n");
    assert_eq!(source_in("No blocks.", Edition::Participant), "No blocks.");
}

#[test]
fn facilitator_blocks_are_left_out_however_they_are_indented_or_nested() {
    let participant = HtmlOptions {
        edition: Edition::Participant,
        ..HtmlOptions::session_page(RawHtml::Sanitize)
    };
    for indent in ["", " ", "  ", "   "] {
        let block = format!("{indent}::: facilitator\n{indent}SECRET\n{indent}:::\n");
        let item = |marker: &str, pad: &str| {
            format!("{marker}Agree the outcome.\n\n{pad}{indent}::: facilitator\n{pad}{indent}SECRET\n{pad}{indent}:::\n")
        };
        let quoted: String = block.lines().map(|l| format!("> {l}\n")).collect();
        for text in [
            format!("Before.\n\n{block}\nAfter.\n"),
            item("- ", "  "),
            item("1. ", "   "),
            format!("> Quoted.\n>\n{quoted}"),
        ] {
            let html = to_html(&text, &participant, &mut |_, d| d.to_string());
            assert!(!html.contains("SECRET"), "{text:?}\n{html}");
            assert!(!html.contains(":::"), "{text:?}\n{html}");
            assert!(
                !to_plain(&text, RawHtml::Sanitize).contains("SECRET"),
                "{text:?}"
            );
            let a = analyze(&text);
            assert!(a.issues.is_empty(), "{text:?}: {:?}", a.issues);
            assert_eq!(
                a.blocks.iter().filter(|b| b.facilitator).count(),
                1,
                "{text:?}"
            );
        }
    }
}

#[test]
fn a_fence_folded_into_a_paragraph_is_reported() {
    // A YAML `>` scalar turns a block's lines into one.
    let folded = "Hands over outcomes.\n::: facilitator Watch for the owner's doubt. :::\n";
    let a = analyze(folded);
    assert_eq!(a.issues.len(), 1, "{:?}", a.issues);
    let i = &a.issues[0];
    assert!(i.error && i.code == Code::InlineFence, "{i:?}");
    assert_eq!(
        &folded[i.range.clone()],
        "::: facilitator Watch for the owner's doubt. :::"
    );
    let tip = analyze("::: {.tip} Try it. :::\n");
    assert_eq!(tip.issues.len(), 1);
    assert!(!tip.issues[0].error && tip.issues[0].code == Code::InlineFence);
    // Not at the start of a paragraph, or in code: nothing to say.
    // A hundred at most.
    let many = analyze(&"::: facilitator x :::\n\n".repeat(150));
    assert_eq!(many.issues.len(), 100);
    let indented = analyze("Text\n    ::: note\nx\n");
    assert_eq!(indented.issues.len(), 1, "{:?}", indented.issues);
    for fine in [
        "Ratio 3:::2.\n",
        "```\n::: facilitator x :::\n```\n",
        "Text ::: facilitator\n",
    ] {
        assert!(analyze(fine).issues.is_empty(), "{fine:?}");
    }
}

#[test]
fn footnote_ids_are_prefixed_and_never_those_of_a_heading() {
    let t = "## Main\n\nSee the note.[^main]\n\n[^main]: The note.\n";
    let page = to_html(
        t,
        &HtmlOptions::session_page(RawHtml::Sanitize),
        &mut |_, d| d.into(),
    );
    assert!(page.contains("<h2 id=\"main-1\">"), "{page}");
    assert!(page.contains("href=\"#fn-main\""), "{page}");
    assert!(page.contains("id=\"fn-main\""), "{page}");
    let guide = to_html(
        t,
        &HtmlOptions::guide(RawHtml::Sanitize, "s1-"),
        &mut |_, d| d.into(),
    );
    assert!(guide.contains("href=\"#s1-fn-main\""), "{guide}");
    assert!(guide.contains("id=\"s1-fn-main\""), "{guide}");
    let spaced = to_html(
        "A.[^my note]\n\n[^my note]: B.\n",
        &HtmlOptions::default(),
        &mut |_, d| d.into(),
    );
    assert!(spaced.contains("id=\"fn-my-note\""), "{spaced}");
    assert!(spaced.contains("href=\"#fn-my-note\""), "{spaced}");
}

#[test]
fn a_footnote_participants_read_may_not_be_defined_for_facilitators_only() {
    let t = "Public claim.[^src]\n\n::: facilitator\n[^src]: The source, for facilitators.\n:::\n";
    let a = analyze(t);
    assert_eq!(a.issues.len(), 1, "{:?}", a.issues);
    let i = &a.issues[0];
    assert!(i.error && i.code == Code::FacilitatorOnlyLink, "{i:?}");
    assert_eq!(&t[i.range.clone()], "[^src]");
    // Referenced from inside the block too, or defined outside: fine.
    for fine in [
        "::: facilitator\nClaim.[^src]\n\n[^src]: Source.\n:::\n",
        "Claim.[^src]\n\n[^src]: Source.\n\n::: facilitator\nAlso.[^src]\n:::\n",
    ] {
        assert!(
            analyze(fine).issues.is_empty(),
            "{fine:?}: {:?}",
            analyze(fine).issues
        );
    }
}

#[test]
fn headings_never_take_an_id_the_page_gives_its_own_elements() {
    let t = "## Main\n\n## Search results\n\n## Title\n\n## Other\n";
    let a = analyze(t);
    let anchors: Vec<&str> = a.headings.iter().map(|h| h.anchor.as_str()).collect();
    assert_eq!(anchors, ["main-1", "search-results-1", "title-1", "other"]);
    let html = to_html(
        t,
        &HtmlOptions::guide(RawHtml::Sanitize, "s1-"),
        &mut |_, d| d.into(),
    );
    assert!(html.contains("id=\"s1-title-1\""), "{html}");
}

#[test]
fn raw_html_never_takes_an_id_a_heading_may_not_take() {
    for id in crate::markdown::types::RESERVED_IDS {
        assert!(crate::raw_html::is_theme_id(id), "{id}");
    }
    let a = analyze("<div id=\"main\">x</div>\n\nText <span id=search-q>y</span>.\n");
    let codes: Vec<Code> = a.issues.iter().map(|i| i.code).collect();
    assert_eq!(
        codes,
        [Code::ReservedId, Code::ReservedId],
        "{:?}",
        a.issues
    );
}

#[test]
fn a_quote_or_list_item_holding_only_a_facilitator_block_goes_with_it() {
    let participant = HtmlOptions {
        edition: Edition::Participant,
        ..HtmlOptions::session_page(RawHtml::Sanitize)
    };
    let html = |t: &str| to_html(t, &participant, &mut |_, d| d.to_string());
    // A quote of only a facilitator block, nested in another.
    let quoted = "Before.\n\n> > ::: facilitator\n> > SECRET\n> > :::\n\nAfter.\n";
    assert_eq!(html(quoted), "<p>Before.</p>\n<p>After.</p>\n");
    // A list item of only a facilitator block; the others stay.
    let list = "- Agree the outcome.\n- ::: facilitator\n  SECRET\n  :::\n- Check in.\n";
    let h = html(list);
    assert_eq!(h.matches("<li>").count(), 2, "{h}");
    assert!(
        !h.contains("<li></li>") && !h.contains("<li>\n</li>"),
        "{h}"
    );
    // A list of nothing but facilitator items goes too.
    let only = "Intro.\n\n1. ::: facilitator\n   SECRET\n   :::\n\nAfter.\n";
    assert_eq!(html(only), "<p>Intro.</p>\n<p>After.</p>\n");
    // A block, or an alert, that held only a facilitator block goes too.
    for t in [
        "Before.\n\n::: tip\n::: facilitator\nSECRET\n:::\n:::\n\nAfter.\n",
        "Before.\n\n> [!NOTE]\n> ::: facilitator\n> SECRET\n> :::\n\nAfter.\n",
        "Before.\n\n> > [!TIP]\n> > ::: facilitator\n> > SECRET\n> > :::\n\nAfter.\n",
    ] {
        assert_eq!(html(t), "<p>Before.</p>\n<p>After.</p>\n", "{t:?}");
    }
    let tip = html("::: tip\nKept.\n\n::: facilitator\nSECRET\n:::\n:::\n");
    assert!(tip.contains("block-tip") && tip.contains("Kept."), "{tip}");
    // A quote that keeps other text keeps its quote.
    let kept = "> Quoted.\n>\n> ::: facilitator\n> SECRET\n> :::\n";
    assert_eq!(html(kept), "<blockquote>\n<p>Quoted.</p>\n</blockquote>\n");
    // The facilitator edition keeps everything.
    let all = to_html(
        list,
        &HtmlOptions::session_page(RawHtml::Sanitize),
        &mut |_, d| d.to_string(),
    );
    assert_eq!(all.matches("<li>").count(), 3, "{all}");
}

fn participant_html(t: &str) -> String {
    let participant = HtmlOptions {
        edition: Edition::Participant,
        ..HtmlOptions::session_page(RawHtml::Sanitize)
    };
    to_html(t, &participant, &mut |_, d| d.to_string())
}

#[test]
fn a_footnote_only_facilitators_cite_is_theirs() {
    // Defined outside the block, cited only inside it (and from a note
    // only it cites); another cited by participants stays.
    let t = "Open.[^open]\n\n::: facilitator\nSorted.[^sort]\n:::\n\n[^sort]: SECRET-NOTE[^deep]\n\n[^deep]: SECRET-DEEP\n\n[^open]: Shown note.\n\n[^loose]: Cited by none.\n";
    let p = participant_html(t);
    assert!(!p.contains("SECRET") && !p.contains("fn-sort"), "{p}");
    assert!(
        p.contains("Shown note.") && p.contains("Cited by none."),
        "{p}"
    );
    assert!(!to_plain(t, RawHtml::Sanitize).contains("SECRET"));
    assert!(!to_plain_in(t, RawHtml::Sanitize, Edition::Participant).contains("SECRET"));
    assert!(to_plain_in(t, RawHtml::Sanitize, Edition::Facilitator).contains("SECRET-NOTE"));
    let src = source_in(t, Edition::Participant);
    assert!(
        !src.contains("SECRET") && src.contains("[^open]: Shown note."),
        "{src}"
    );
    let all = to_html(
        t,
        &HtmlOptions::session_page(RawHtml::Sanitize),
        &mut |_, d| d.into(),
    );
    assert!(
        all.contains("SECRET-NOTE") && all.contains("SECRET-DEEP"),
        "{all}"
    );
    assert!(analyze(t).issues.is_empty(), "{:?}", analyze(t).issues);
}

#[test]
fn what_a_note_only_facilitators_cite_holds_is_theirs() {
    let t =
        "::: facilitator\nSee.[^n]\n:::\n\n[^n]: ![Key](fig/key.png)\n\n    ## Notes\n\n## Notes\n";
    let a = analyze(t);
    assert!(a.links[0].facilitator, "{:?}", a.links);
    let h: Vec<(&str, bool)> = a
        .headings
        .iter()
        .map(|h| (h.anchor.as_str(), h.facilitator))
        .collect();
    assert_eq!(h, [("notes-1", true), ("notes", false)]);
    let d = Document::parse(t);
    assert_eq!(d.analysis().headings, a.headings);
    assert!(
        participant_html(t).contains("<h2 id=\"notes\">"),
        "{}",
        participant_html(t)
    );
}

#[test]
fn a_link_defined_in_a_facilitator_block_is_not_participants() {
    let t = "See [the key], [it][key] and ![chart][key]; [inline](https://example.org/open).\n\n::: facilitator\n[the key]: https://example.org/SECRET-URL \"SECRET-TITLE\"\n[key]: https://example.org/SECRET-URL\n:::\n";
    let a = analyze(t);
    let found: Vec<(Code, &str)> = a
        .issues
        .iter()
        .map(|i| (i.code, &t[i.range.clone()]))
        .collect();
    assert_eq!(
        found,
        [
            (Code::FacilitatorOnlyLink, "[the key]"),
            (Code::FacilitatorOnlyLink, "[it][key]"),
            (Code::FacilitatorOnlyLink, "![chart][key]"),
        ],
        "{:?}",
        a.issues
    );
    assert!(a.links[..3].iter().all(|l| l.facilitator));
    assert!(!a.links[3].facilitator);
    let p = participant_html(t);
    assert!(!p.contains("SECRET"), "{p}");
    assert!(p.contains("See the key, it and chart;"), "{p}");
    assert!(p.contains("href=\"https://example.org/open\""), "{p}");
    let all = to_html(
        t,
        &HtmlOptions::session_page(RawHtml::Sanitize),
        &mut |_, d| d.into(),
    );
    assert!(all.contains("SECRET-URL"), "{all}");
    // Defined outside the block (the first definition wins): fine.
    let fine =
        "[k]\n\n[k]: https://example.org/a\n\n::: facilitator\n[k]: https://example.org/b\n:::\n";
    assert!(
        analyze(fine).issues.is_empty(),
        "{:?}",
        analyze(fine).issues
    );
}

#[test]
fn participants_headings_take_their_anchors_before_hidden_ones() {
    let t = "::: facilitator\n## Notes\n:::\n\n## Notes\n\n::: facilitator\n## Notes\n:::\n";
    let a = analyze(t);
    let anchors: Vec<(&str, bool)> = a
        .headings
        .iter()
        .map(|h| (h.anchor.as_str(), h.facilitator))
        .collect();
    assert_eq!(
        anchors,
        [("notes-1", true), ("notes", false), ("notes-2", true)]
    );
    assert_eq!(participant_html(t), "<h2 id=\"notes\">Notes</h2>\n");
    let all = to_html(
        t,
        &HtmlOptions::session_page(RawHtml::Sanitize),
        &mut |_, d| d.into(),
    );
    assert!(
        all.contains("<h2 id=\"notes-1\">") && all.contains("<h2 id=\"notes-2\">"),
        "{all}"
    );
}

#[test]
fn fences_an_html_block_or_a_unicode_space_hides_are_reported() {
    for t in [
        "<details>\n::: facilitator\nSECRET\n:::\n</details>\n",
        "\u{a0}::: facilitator\nSECRET\n:::\n",
        "\u{2009}::: {.note .for-facilitators}\nSECRET\n:::\n",
        "\u{feff}::: instructor\nSECRET\n:::\n",
        "- \u{3000}::: facilitator\n",
        "\u{ff1a}\u{ff1a}\u{ff1a} facilitator\nSECRET\n:::\n",
        "Before.\n\n\t::: facilitator\n\tSECRET\n\t:::\n",
    ] {
        let a = analyze(t);
        assert!(
            a.issues
                .iter()
                .any(|i| i.error && i.code == Code::InlineFence),
            "{t:?}: {:?}",
            a.issues
        );
    }
    let other = analyze("<div>\n::: note\n:::\n</div>\n");
    assert!(other.issues.iter().all(|i| !i.error), "{:?}", other.issues);
    for fine in [
        "    ::: note\n",
        "Ratio 1\u{ff1a}2.\n",
        "> [!NOTE]\n> x\n",
        "> [!aside]\n",
    ] {
        assert!(
            analyze(fine).issues.is_empty(),
            "{fine:?}: {:?}",
            analyze(fine).issues
        );
    }
}

#[test]
fn raw_html_classed_for_facilitators_is_an_error_outside_their_blocks() {
    let t = "<div class=\"box facilitator-notes\">\nSECRET\n</div>\n\nText <span class='instructor'>x</span>.\n";
    let a = analyze(t);
    let codes: Vec<(Code, bool)> = a.issues.iter().map(|i| (i.code, i.error)).collect();
    assert_eq!(
        codes,
        [(Code::UnknownBlock, true), (Code::UnknownBlock, true)],
        "{:?}",
        a.issues
    );
    let inside = "::: facilitator\n<span class=\"facilitator-tip\">x</span>\n:::\n";
    assert!(
        analyze(inside).issues.is_empty(),
        "{:?}",
        analyze(inside).issues
    );
}

#[test]
fn a_quote_written_as_a_facilitator_alert_is_an_error() {
    let t = "> [!FACILITATOR]\n> SECRET\n";
    let a = analyze(t);
    assert_eq!(a.issues.len(), 1, "{:?}", a.issues);
    assert!(a.issues[0].error && a.issues[0].code == Code::UnknownBlock);
    assert_eq!(&t[a.issues[0].range.clone()], "[!FACILITATOR]");
}

#[test]
fn a_code_fence_never_closed_is_reported_at_its_opening() {
    let t = "Intro.\n\n~~~~\nrun\n\n::: facilitator\nSECRET\n:::\n";
    let a = analyze(t);
    assert_eq!(a.issues.len(), 1, "{:?}", a.issues);
    assert!(a.issues[0].error && a.issues[0].code == Code::UnclosedCodeFence);
    assert_eq!(&t[a.issues[0].range.clone()], "~~~~");
    let w = analyze("Intro.\n\n```sh\nrun\n");
    assert!(!w.issues[0].error && w.issues[0].code == Code::UnclosedCodeFence);
    for fine in [
        "```sh\nrun\n`````\n\n::: facilitator\nx\n:::\n",
        "> ```\n> code\n> ```\n",
        "- ```\n  code\n  ```\n- b\n",
        // Ended by its list item: the block after it is read as one.
        "- ```\n  code\n\n::: facilitator\nx\n:::\n",
    ] {
        assert!(
            analyze(fine).issues.is_empty(),
            "{fine:?}: {:?}",
            analyze(fine).issues
        );
    }
}

#[test]
fn a_comment_of_several_lines_is_dropped_whole_and_nothing_after_it_is_lost() {
    for t in [
        "Before.\n\n<!-- TODO\nSECRET second line\nSECRET third -->\n\nAfter the comment.\n\n## Later\n",
        "Before.\n\n<div>\n<!-- TODO\nSECRET -->\n<b>Kept</b>\n</div>\n\nAfter the comment.\n\n## Later\n",
    ] {
        for edition in [Edition::Facilitator, Edition::Participant] {
            let opts = HtmlOptions {
                edition,
                ..HtmlOptions::session_page(RawHtml::Sanitize)
            };
            let h = to_html(t, &opts, &mut |_, d| d.into());
            assert!(!h.contains("SECRET") && !h.contains("--&gt;"), "{h}");
            assert!(h.contains("<p>After the comment.</p>"), "{h}");
            assert!(h.contains("<h2 id=\"later\">Later</h2>"), "{h}");
            let plain = to_plain_in(t, RawHtml::Sanitize, edition);
            assert!(!plain.contains("SECRET") && plain.contains("After the comment."), "{plain}");
        }
    }
    // Nor is it in the markdown the participant edition exports.
    let src = source_in(
        "A <!-- x -->b.\n\n<!-- TODO\nSECRET -->\nAfter.\n",
        Edition::Participant,
    );
    assert_eq!(src, "A b.\n\n\nAfter.\n");
    // Escaped, the whole comment is shown as text; allowed, it is kept.
    let t = "<!-- a\nb -->\n\nAfter.\n";
    let esc = to_html(
        t,
        &HtmlOptions {
            raw: RawHtml::Escape,
            ..HtmlOptions::default()
        },
        &mut |_, d| d.into(),
    );
    assert!(
        esc.contains("&lt;!-- a\nb --&gt;") && esc.contains("After."),
        "{esc}"
    );
    let allow = to_html(
        t,
        &HtmlOptions {
            raw: RawHtml::Allow,
            ..HtmlOptions::default()
        },
        &mut |_, d| d.into(),
    );
    assert!(
        allow.contains("<!-- a\nb -->") && allow.contains("After."),
        "{allow}"
    );
}
