//! A markdown text read: its fences located ([`super::fences`]) and paired
//! ([`super::pairing`]), then either analyzed as it streams by (links,
//! headings, blocks, problems, with offsets into the original text:
//! [`super::scan`]) or kept as a [`Document`] and rendered any number of
//! ways from the same events under any [`HtmlOptions`] (outline, id
//! prefix, edition), so a session guide's page and its part of the
//! one-page guide come from one pulldown-cmark parse.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

use super::blocks::{BlockInfo, BlockRef, Item};
use super::fences::{Prepared, MAX_FENCES};
use super::hidden::{hidden_notes, note_key, FacilitatorDefs, NoteUse};
use super::pairing::{pair, Emit, Pairing};
use super::plain::Plain;
use super::scan::Scan;
use super::types::{
    anchors, heading_level, is_inline, is_inline_end, level_num, options, Analysis, Edition,
    HtmlOptions, Issue, Levels,
};
use crate::diagnostics::code::Code;
use crate::raw_html::{self, Comments, Fragment, RawHtml, Stripped};

/// How many times markers read as something else are put back before the
/// text is read without fenced blocks at all.
const MAX_ROUNDS: usize = 4;

/// `events` as phrasing content that may stand inside a link: the tags of
/// blocks (paragraphs, headings, lists, quotes, code, tables) and of links
/// left out, a line break between one block's text and the next's, raw
/// HTML blocks as text, footnotes (references and definitions) left out.
fn phrasing(events: Vec<Event>) -> Vec<Event> {
    let mut out = Vec::with_capacity(events.len());
    // Whether text was written since the last block boundary.
    let mut text = false;
    let mut boundary = false;
    // Inside a footnote definition, which a title leaves out (with the
    // references to it: no link, and nothing to lead to).
    let mut note = 0usize;
    for ev in events {
        match &ev {
            Event::Start(Tag::FootnoteDefinition(_)) => note += 1,
            Event::End(TagEnd::FootnoteDefinition) => {
                note -= 1;
                continue;
            }
            _ => {}
        }
        if note > 0 {
            continue;
        }
        let block = match &ev {
            Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link) => continue,
            Event::FootnoteReference(_) => continue,
            Event::Start(t) => !is_inline(t),
            Event::End(t) => !is_inline_end(t),
            Event::Rule => true,
            _ => false,
        };
        if block {
            boundary |= text;
            text = false;
            continue;
        }
        if std::mem::take(&mut boundary) {
            out.push(Event::HardBreak);
        }
        text = true;
        out.push(match ev {
            Event::Html(h) => Event::Text(h),
            e => e,
        });
    }
    out
}

/// An event of a rendering. Most are the parsed ones as they are, held by
/// reference: a large text has a million events, and a rendering holding
/// each (80 bytes) again beside the parsed ones costs more than the rest
/// of a build.
enum Out<'d, 'a> {
    Same(&'d Event<'a>),
    /// The start of the `index`th heading, at `level`.
    Heading {
        of: &'d Event<'a>,
        level: HeadingLevel,
        index: usize,
    },
    HeadingEnd(HeadingLevel),
    New(Box<Event<'a>>),
}

impl<'a> Out<'_, 'a> {
    fn new(ev: Event<'a>) -> Self {
        Out::New(Box::new(ev))
    }

    /// The event, when it is not a heading's.
    fn peek(&self) -> Option<&Event<'a>> {
        match self {
            Out::Same(e) => Some(e),
            Out::New(e) => Some(e),
            Out::Heading { .. } | Out::HeadingEnd(_) => None,
        }
    }

    /// The event to write: a heading's with its id, `anchors` of the
    /// text under `prefix`.
    fn event(self, anchors: &[String], prefix: &str) -> Event<'a> {
        match self {
            Out::Same(e) => e.clone(),
            Out::New(e) => *e,
            Out::Heading { of, level, index } => match of {
                Event::Start(Tag::Heading { classes, attrs, .. }) => {
                    let slug = anchors.get(index).map_or("", String::as_str);
                    Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(format!("{prefix}{slug}"))),
                        classes: classes.clone(),
                        attrs: attrs.clone(),
                    })
                }
                e => e.clone(),
            },
            Out::HeadingEnd(level) => Event::End(TagEnd::Heading(level)),
        }
    }
}

/// Whether `ev` ends the quote, list item or list that `out` last started
/// (nothing inside it was emitted).
fn closes_last(out: &[Out], ev: &Event) -> bool {
    matches!(
        (out.last().and_then(Out::peek), ev),
        (
            Some(Event::Start(Tag::BlockQuote(_))),
            Event::End(TagEnd::BlockQuote(_))
        ) | (Some(Event::Start(Tag::Item)), Event::End(TagEnd::Item))
            | (
                Some(Event::Start(Tag::List(_))),
                Event::End(TagEnd::List(_))
            )
    )
}

/// An HTML event like `ev` (a block's or an inline one) with the HTML `h`.
fn raw_event<'e>(ev: &Event, h: CowStr<'e>) -> Event<'e> {
    match ev {
        Event::Html(_) => Event::Html(h),
        _ => Event::InlineHtml(h),
    }
}

/// The id of the footnote `label`: under the prefix and `fn-`, white
/// space made `-` (an id has none).
fn note_id<'e>(prefix: &str, label: &str) -> CowStr<'e> {
    let label: Vec<&str> = label.split_whitespace().collect();
    format!("{prefix}fn-{}", label.join("-")).into()
}

/// What reading a text leaves besides its items.
struct Read {
    blocks: Vec<BlockInfo>,
    issues: Vec<Issue>,
    /// The links and images whose reference definition lies in a
    /// `facilitator` block (their indices, and labels).
    facilitator_defs: Vec<(usize, String)>,
}

/// Read `source` and hand each of its items to `sink`, in order.
///
/// A text without fences is parsed once, streaming. With fences, its
/// markers are paired in a first streaming pass (repeated, with the misread
/// markers put back, until every marker reads as an HTML block of its own),
/// then the events of a last parse are handed on, owned (they come from the
/// text with markers, not from `source`).
fn read<'s>(source: &'s str, sink: &mut dyn FnMut(Item<'s>, Range<usize>)) -> Read {
    let mut prep = Prepared::new(source);
    let mut rounds = 0;
    let pairing = loop {
        if !prep.any_active() {
            break Pairing::default();
        }
        match pair(
            Parser::new_ext(&prep.text, options()).into_offset_iter(),
            &prep,
        ) {
            Ok(p) => break p,
            Err(misread) => {
                rounds += 1;
                if rounds > MAX_ROUNDS {
                    let all = 0..prep.fences.len();
                    prep.deactivate(all);
                } else {
                    prep.deactivate(misread);
                }
            }
        }
    };
    let mut emit = Emit::new(&prep, pairing);
    let mut defs = FacilitatorDefs::new(&prep, &emit.pairing.blocks);
    let sink = &mut |item: Item<'s>, range| {
        defs.see(&item);
        sink(item, range)
    };
    if prep.any_active() {
        let events = Parser::new_ext(&prep.text, options())
            .into_offset_iter()
            .map(|(e, r)| -> (Event<'s>, Range<usize>) { (e.into_static(), r) });
        emit.run(events, sink);
    } else {
        emit.run(Parser::new_ext(source, options()).into_offset_iter(), sink);
    }
    let facilitator_defs = std::mem::take(&mut defs.found);
    let mut issues = emit.pairing.issues;
    if let Some(range) = prep.overflow.clone() {
        issues.push(Issue::warning(
            Code::TooManyFences,
            format!(
                "more than {MAX_FENCES} `:::` fence lines in one text: this one and the ones after it are shown as text"
            ),
            "split the guide into several sessions",
            range,
        ));
    }
    Read {
        blocks: emit.pairing.blocks,
        issues,
        facilitator_defs,
    }
}

/// Links, images, headings and blocks of `source` in document order, and
/// the problems of its fences, without keeping its events.
pub(super) fn analyze(source: &str) -> Analysis {
    let mut scan = Scan::new(source);
    let read = read(source, &mut |item, range| scan.feed(&item, &range));
    scan.finish(&read.blocks, read.issues, &read.facilitator_defs)
}

/// The text of `source` without formatting, on one line; the text of
/// `facilitator` blocks only `with_facilitator`.
pub(super) fn plain(source: &str, raw: RawHtml, with_facilitator: bool) -> String {
    // Which footnotes only facilitators cite is known once all is read.
    if !with_facilitator && source.contains("[^") && source.contains(":::") {
        return Document::parse(source).plain(raw, with_facilitator);
    }
    let mut p = Plain::new(source, raw);
    p.keep_facilitator = with_facilitator;
    read(source, &mut |item, range| p.feed(&item, &range));
    p.finish()
}

/// A parsed markdown text, kept for rendering.
pub(crate) struct Document<'a> {
    source: &'a str,
    /// Events and block boundaries; ranges in `source`.
    items: Vec<(Item<'a>, Range<usize>)>,
    blocks: Vec<BlockInfo>,
    /// The problems of its fences (kept for [`Self::analysis`]).
    #[cfg(test)]
    issues: Vec<Issue>,
    /// Links and images whose reference definition lies in a
    /// `facilitator` block (indices and labels).
    facilitator_defs: Vec<(usize, String)>,
    /// Footnotes (by [`note_key`]) only facilitators' text cites.
    hidden_notes: HashSet<String>,
    /// The anchor of each heading, in order.
    anchors: Vec<String>,
}

impl<'a> Document<'a> {
    /// Parse `source`.
    pub(crate) fn parse(source: &'a str) -> Self {
        let mut items = Vec::new();
        let read = read(source, &mut |item, range| items.push((item, range)));
        // A large text's events are most of what a build holds: without
        // the room left by doubling.
        items.shrink_to_fit();
        let hidden_notes = hidden_notes(items.iter().map(|(i, _)| i));
        let mut d = Document {
            source,
            items,
            blocks: read.blocks,
            #[cfg(test)]
            issues: read.issues,
            facilitator_defs: read.facilitator_defs,
            hidden_notes,
            anchors: Vec::new(),
        };
        // Each heading's text, and whether the participant edition hides
        // it (in a facilitator block or a note only those cite).
        let mut headings = Vec::new();
        let mut notes = NoteUse::default();
        for (i, (item, _)) in d.items.iter().enumerate() {
            notes.see(item);
            if let Item::Md(Event::Start(Tag::Heading { .. })) = item {
                let shown = notes.in_note().is_none_or(|n| !d.hidden_notes.contains(n));
                headings.push((d.heading_text(i), !shown || notes.in_block()));
            }
        }
        d.anchors = anchors(headings.iter().map(|(t, f)| (t.as_str(), *f)));
        d
    }

    /// Links, images, headings and blocks in document order, and the
    /// problems of its fences (as [`super::analyze`] finds them).
    #[cfg(test)]
    pub(crate) fn analysis(&self) -> Analysis {
        let mut scan = Scan::new(self.source);
        for (item, range) in &self.items {
            scan.feed(item, range);
        }
        scan.finish(&self.blocks, self.issues.clone(), &self.facilitator_defs)
    }

    /// Ranges of the source the participant edition leaves out: its
    /// `facilitator` blocks, the footnotes only they cite, and raw HTML
    /// comments (never shown), in order.
    pub(crate) fn hidden_ranges(&self) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = self
            .blocks
            .iter()
            .filter(|b| b.ok && b.is_facilitator())
            .map(|b| b.range.clone())
            .collect();
        for (item, range) in &self.items {
            match item {
                Item::Md(Event::Start(Tag::FootnoteDefinition(l)))
                    if self.hidden_notes.contains(&note_key(l)) =>
                {
                    out.push(range.clone())
                }
                Item::Md(Event::Start(Tag::HtmlBlock)) | Item::Md(Event::InlineHtml(_)) => {
                    let html = &self.source[range.clone()];
                    let mut at = 0;
                    while let Some(start) = html[at..].find("<!--").map(|i| at + i) {
                        let end = html[start + 4..]
                            .find("-->")
                            .map_or(html.len(), |i| start + 4 + i + 3);
                        out.push(range.start + start..range.start + end);
                        at = end;
                    }
                }
                _ => {}
            }
        }
        out.sort_by_key(|r| r.start);
        out
    }

    /// The text of the heading that starts at item `i`.
    fn heading_text(&self, i: usize) -> String {
        let mut t = String::new();
        for (item, _) in &self.items[i + 1..] {
            match item {
                Item::Md(Event::End(TagEnd::Heading(_))) => break,
                Item::Md(Event::Text(s) | Event::Code(s)) => t.push_str(s),
                _ => {}
            }
        }
        t
    }

    /// Render to HTML as `opts` says. `rewrite` receives the index of each
    /// link or image (in the order of [`super::analyze`], also when a
    /// dropped block skips some) and its destination, and returns the
    /// destination to emit. Headings get the anchors of the analysis, with
    /// `opts.id_prefix`.
    pub(crate) fn to_html(
        &self,
        opts: &HtmlOptions,
        rewrite: &mut dyn FnMut(usize, &str) -> String,
    ) -> String {
        let participant = opts.edition == Edition::Participant;
        // The next heading's index.
        let mut heading_index = 0usize;
        let mut levels = Levels::new(opts.outline);
        // The level the open heading got.
        let mut heading = 1;
        // Whether the sanitizer must read the result.
        let mut sanitize = false;
        let mut link_index = 0usize;
        // The facilitator block being left out.
        let mut dropped: Option<BlockRef> = None;
        // Inside a footnote only facilitators cite, left out.
        let mut note_dropped = false;
        // For each open link or image, whether its tag is left out (its
        // destination is the facilitators').
        let mut unlinked: Vec<bool> = Vec::new();
        let mut comments = Comments::default();
        // `out`'s length when the last left-out block began: a quote, list
        // item or list it emptied goes too.
        let mut emptied: Option<usize> = None;
        // Where each open (and shown) block's opening markup is in `out`.
        let mut opened: Vec<usize> = Vec::new();
        let mut out: Vec<Out> = Vec::with_capacity(self.items.len());
        for (item, range) in &self.items {
            if dropped.is_some() || note_dropped {
                // Keep counting links and headings as the analysis does.
                match item {
                    Item::Close(c) if Some(*c) == dropped => dropped = None,
                    Item::Md(Event::End(TagEnd::FootnoteDefinition)) if dropped.is_none() => {
                        note_dropped = false
                    }
                    Item::Md(Event::Start(Tag::Link { .. } | Tag::Image { .. })) => link_index += 1,
                    Item::Md(Event::Start(Tag::Heading { .. })) => heading_index += 1,
                    _ => {}
                }
                continue;
            }
            let ev = match item {
                Item::Open(b) => {
                    if participant && b.facilitator {
                        dropped = Some(*b);
                        emptied = Some(out.len());
                    } else if !opts.phrasing {
                        let html = self.blocks[b.index].open_html();
                        opened.push(out.len());
                        out.push(Out::new(Event::Html(CowStr::from(html))));
                    }
                    continue;
                }
                Item::Close(b) => {
                    if !opts.phrasing {
                        let at = opened.pop();
                        // A block that held only a left-out block goes too.
                        if emptied == Some(out.len()) && at.is_some_and(|at| at + 1 == out.len()) {
                            out.pop();
                            emptied = Some(out.len());
                        } else {
                            let html = self.blocks[b.index].close_html();
                            out.push(Out::new(Event::Html(CowStr::Borrowed(html))));
                        }
                    }
                    continue;
                }
                // A fence shown as text: its line, as a paragraph.
                Item::Literal => {
                    out.push(Out::new(Event::Start(Tag::Paragraph)));
                    out.push(Out::new(Event::Text(CowStr::Borrowed(
                        &self.source[range.clone()],
                    ))));
                    out.push(Out::new(Event::End(TagEnd::Paragraph)));
                    continue;
                }
                Item::Md(ev) => ev,
            };
            if !matches!(ev, Event::Html(_) | Event::InlineHtml(_)) {
                comments.reset();
            }
            if emptied == Some(out.len()) && closes_last(&out, ev) {
                out.pop();
                emptied = Some(out.len());
                continue;
            }
            match ev {
                Event::Start(Tag::Heading { level, .. }) => {
                    heading = levels.level(level_num(*level));
                    out.push(Out::Heading {
                        of: ev,
                        level: heading_level(heading),
                        index: heading_index,
                    });
                    heading_index += 1;
                }
                Event::End(TagEnd::Heading(_)) => {
                    out.push(Out::HeadingEnd(heading_level(heading)));
                }
                // Footnote ids (the label) under the prefix and `fn-`, so
                // they never meet a heading's, the page's, or another
                // session's in the one-page guide.
                Event::FootnoteReference(label) => out.push(Out::new(Event::FootnoteReference(
                    note_id(opts.id_prefix, label),
                ))),
                Event::Start(Tag::FootnoteDefinition(label))
                    if participant && self.hidden_notes.contains(&note_key(label)) =>
                {
                    note_dropped = true;
                    emptied = Some(out.len());
                }
                Event::Start(Tag::FootnoteDefinition(label)) => out.push(Out::new(Event::Start(
                    Tag::FootnoteDefinition(note_id(opts.id_prefix, label)),
                ))),
                // A link whose definition is the facilitators': its text
                // without it (`check` reports it).
                Event::Start(Tag::Link { .. } | Tag::Image { .. })
                    if participant
                        && self
                            .facilitator_defs
                            .binary_search_by_key(&link_index, |(k, _)| *k)
                            .is_ok() =>
                {
                    link_index += 1;
                    unlinked.push(true);
                }
                Event::End(TagEnd::Link | TagEnd::Image) => {
                    if !unlinked.pop().unwrap_or(false) {
                        out.push(Out::Same(ev));
                    }
                }
                Event::Start(tag @ (Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })) => {
                    unlinked.push(false);
                    let dest = CowStr::from(rewrite(link_index, dest_url));
                    link_index += 1;
                    let mut tag = tag.clone();
                    if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                        *dest_url = dest;
                    }
                    out.push(Out::new(Event::Start(tag)));
                }
                // Raw HTML, as `markdown.raw_html` says.
                Event::Html(h) | Event::InlineHtml(h) => out.push(match opts.raw {
                    RawHtml::Escape => Out::new(Event::Text(h.clone())),
                    // Never an id the theme's pages use.
                    RawHtml::Allow if !opts.phrasing => match raw_html::without_theme_ids(h) {
                        Some(h) => Out::new(raw_event(ev, CowStr::from(h))),
                        None => Out::Same(ev),
                    },
                    // A title's raw HTML goes through the phrasing
                    // sanitizer whatever the mode lets through: it stands
                    // inside headings and links. Without its comments,
                    // each taken out whole.
                    RawHtml::Allow | RawHtml::Sanitize => {
                        let h = match comments.strip(h) {
                            Stripped::Same => h.clone(),
                            Stripped::Left(s) => CowStr::from(s),
                            Stripped::Gone => continue,
                        };
                        let h = match raw_html::without_theme_ids(&h) {
                            Some(h) => CowStr::from(h),
                            None => h,
                        };
                        Out::new(match raw_html::fragment(&h) {
                            Fragment::Text => Event::Text(h),
                            Fragment::Html | Fragment::RemovedWithContent => {
                                sanitize = true;
                                raw_event(ev, h)
                            }
                        })
                    }
                }),
                // A task-list checkbox becomes a labelled, non-interactive
                // mark: a disabled <input> without a label fails WCAG (axe
                // "label").
                Event::TaskListMarker(done) => {
                    out.push(Out::new(Event::InlineHtml(CowStr::from(if *done {
                        "<span class=\"task done\" role=\"img\" aria-label=\"Done\"></span>\n"
                    } else {
                        "<span class=\"task\" role=\"img\" aria-label=\"To do\"></span>\n"
                    }))))
                }
                e => out.push(Out::Same(e)),
            }
        }
        let mut html = String::with_capacity(self.source.len() * 3 / 2);
        let events = out
            .into_iter()
            .map(|o| o.event(&self.anchors, opts.id_prefix));
        if opts.phrasing {
            pulldown_cmark::html::push_html(&mut html, phrasing(events.collect()).into_iter());
        } else {
            pulldown_cmark::html::push_html(&mut html, events);
        }
        match (sanitize, opts.phrasing) {
            (false, _) => html,
            (true, false) => raw_html::sanitize(&html),
            (true, true) => raw_html::sanitize_phrasing(&html),
        }
    }

    /// The text without formatting, on one line; block labels left out,
    /// and `facilitator` blocks unless `with_facilitator`.
    pub(crate) fn plain(&self, raw: RawHtml, with_facilitator: bool) -> String {
        let mut p = Plain::new(self.source, raw);
        p.keep_facilitator = with_facilitator;
        p.hidden_notes = self.hidden_notes.clone();
        for (item, range) in &self.items {
            p.feed(item, range);
        }
        p.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Outline;

    #[test]
    fn outlines_shift_or_normalize() {
        let levels = |o: Outline, written: &[u8]| -> Vec<u8> {
            let mut l = Levels::new(o);
            written.iter().map(|&w| l.level(w)).collect()
        };
        assert_eq!(levels(Outline::Normalize(2), &[2, 4, 2, 3]), [2, 3, 2, 3]);
        assert_eq!(levels(Outline::Normalize(2), &[1, 3, 6, 2]), [2, 3, 4, 3]);
        assert_eq!(levels(Outline::Normalize(3), &[2, 4, 2, 3]), [3, 4, 3, 4]);
        assert_eq!(
            levels(Outline::Normalize(3), &[1, 2, 3, 4, 5, 6]),
            [3, 4, 5, 6, 6, 6]
        );
        assert_eq!(levels(Outline::Shift(1), &[2, 4, 6]), [3, 5, 6]);
        assert_eq!(levels(Outline::Shift(0), &[1, 3]), [1, 3]);
    }

    #[test]
    fn a_marker_in_a_code_block_made_by_the_fence_is_let_go() {
        // `::: note` ends the paragraph, so the indented lines after it are
        // a code block (as in Pandoc), and the `:::` inside is code.
        let t = "Text\n::: note\n    code\n    :::\n\nmore\n:::\n";
        let d = Document::parse(t);
        let a = d.analysis();
        assert!(a.issues.is_empty(), "{:?}", a.issues);
        assert_eq!(a.blocks.len(), 1);
        assert_eq!(&t[a.blocks[0].range.clone()], &t[5..t.len() - 1]);
        let html = d.to_html(&HtmlOptions::default(), &mut |_, d| d.to_string());
        assert!(
            html.contains("<pre><code>code\n:::\n</code></pre>"),
            "{html}"
        );
        assert!(!html.contains("pb-block-"), "{html}");
    }

    #[test]
    fn a_marker_read_as_a_link_definition_is_let_go() {
        let t = "[x]:\n::: note\n\n[x]\n";
        let html = Document::parse(t).to_html(&HtmlOptions::default(), &mut |_, d| d.into());
        assert!(!html.contains("pb-block-"), "{html}");
        assert!(html.contains("::: note"), "{html}");
    }
}
