//! A markdown text parsed once: its fences located ([`super::fences`]) and
//! paired ([`super::blocks`]), then read any number of ways from the same
//! events — its analysis (links, headings, blocks, problems, with offsets
//! into the original text) and its HTML under any [`HtmlOptions`]
//! (outline, id prefix, edition), so a session guide's page and its part
//! of the one-page guide come from one pulldown-cmark parse.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

use super::blocks::{resolve, BlockInfo, Item};
use super::fences::Prepared;
use super::types::{
    heading_level, level_num, link, options, Analysis, Block, Edition, Heading, HtmlOptions, Issue,
    Outline, Slugger,
};
use crate::raw_html::{self, Fragment, RawHtml};

/// A parsed markdown text.
pub struct Document<'a> {
    source: &'a str,
    /// Events and block boundaries; ranges in `source`.
    items: Vec<(Item<'a>, Range<usize>)>,
    blocks: Vec<BlockInfo>,
    issues: Vec<Issue>,
    /// The text of each fence line, for fences shown as text.
    fences: Vec<&'a str>,
}

/// How many times markers read as something else are put back before the
/// document is read without fenced blocks at all.
const MAX_ROUNDS: usize = 4;

impl<'a> Document<'a> {
    /// Parse `source`.
    pub fn parse(source: &'a str) -> Self {
        let mut prep = Prepared::new(source);
        let fences = prep
            .fences
            .iter()
            .map(|f| &source[f.range.clone()])
            .collect();
        let mut rounds = 0;
        let resolved = loop {
            if !prep.any_active() {
                let events = Parser::new_ext(source, options())
                    .into_offset_iter()
                    .collect();
                break resolve(events, &prep);
            }
            let events: Vec<_> = Parser::new_ext(&prep.text, options())
                .into_offset_iter()
                .collect();
            let misread = misread(&events, &prep);
            if misread.is_empty() {
                let events = events
                    .into_iter()
                    .map(|(e, r)| (e.into_static(), r))
                    .collect();
                break resolve(events, &prep);
            }
            rounds += 1;
            if rounds > MAX_ROUNDS {
                let all = 0..prep.fences.len();
                prep.deactivate(all);
            } else {
                prep.deactivate(misread);
            }
        };
        Document {
            source,
            items: resolved.items,
            blocks: resolved.blocks,
            issues: resolved.issues,
            fences,
        }
    }

    /// Links, images, headings and blocks in document order, and the
    /// problems of its fences. Heading levels are those of a session page
    /// (from `h2`, normalized).
    pub fn analysis(&self) -> Analysis {
        let mut out = Analysis::default();
        let mut slugs = Slugger::default();
        let mut levels = Levels::new(Outline::Normalize(2));
        let mut heading: Option<(u8, String)> = None;
        let mut image: Option<(usize, String)> = None; // (index in links, alt so far)
        let mut facilitator = 0usize;
        for (item, range) in &self.items {
            let ev = match item {
                Item::Md(ev) => ev,
                Item::Open(b) if self.blocks[*b].is_facilitator() => {
                    facilitator += 1;
                    continue;
                }
                Item::Close(b) if self.blocks[*b].is_facilitator() => {
                    facilitator -= 1;
                    continue;
                }
                _ => continue,
            };
            match ev {
                Event::Start(Tag::Heading { level, .. }) => {
                    heading = Some((levels.level(level_num(*level)), String::new()))
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, t)) = heading.take() {
                        out.headings.push(Heading {
                            level,
                            text: t.trim().to_string(),
                            anchor: slugs.slug(&t),
                            facilitator: facilitator > 0,
                        });
                    }
                }
                Event::Start(Tag::Link {
                    dest_url,
                    link_type,
                    ..
                }) => {
                    let mut l = link(self.source, range.clone(), dest_url, false);
                    l.is_email = *link_type == LinkType::Email;
                    l.facilitator = facilitator > 0;
                    out.links.push(l);
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    let mut l = link(self.source, range.clone(), dest_url, true);
                    l.facilitator = facilitator > 0;
                    out.links.push(l);
                    image = Some((out.links.len() - 1, String::new()));
                }
                Event::End(TagEnd::Image) => {
                    if let Some((i, alt)) = image.take() {
                        out.links[i].has_alt = !alt.trim().is_empty();
                    }
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some((_, h)) = heading.as_mut() {
                        h.push_str(t);
                    }
                    if let Some((_, alt)) = image.as_mut() {
                        alt.push_str(t);
                    }
                }
                _ => {}
            }
        }
        out.blocks = self
            .blocks
            .iter()
            .filter(|b| b.ok)
            .map(|b| Block {
                name: b.name.clone(),
                range: b.range.clone(),
                known: b.kind.is_some(),
                facilitator: b.is_facilitator(),
                alert: b.alert,
            })
            .collect();
        out.issues = self.issues.clone();
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
    /// link or image (in the order of [`Document::analysis`], also when a
    /// dropped block skips some) and its destination, and returns the
    /// destination to emit. Headings get the anchors of the analysis, with
    /// `opts.id_prefix`.
    pub fn to_html(
        &self,
        opts: &HtmlOptions,
        rewrite: &mut dyn FnMut(usize, &str) -> String,
    ) -> String {
        let mut slugs = Slugger::default();
        let mut levels = Levels::new(opts.outline);
        // The level the open heading got.
        let mut heading = 1;
        // Whether the sanitizer must read the result.
        let mut sanitize = false;
        let mut link_index = 0usize;
        // The facilitator block being left out.
        let mut dropped: Option<usize> = None;
        let mut out: Vec<Event> = Vec::with_capacity(self.items.len());
        for (i, (item, _)) in self.items.iter().enumerate() {
            if let Some(b) = dropped {
                // Keep counting links and heading anchors as the analysis does.
                match item {
                    Item::Close(c) if *c == b => dropped = None,
                    Item::Md(Event::Start(Tag::Link { .. } | Tag::Image { .. })) => link_index += 1,
                    Item::Md(Event::Start(Tag::Heading { .. })) => {
                        slugs.slug(&self.heading_text(i));
                    }
                    _ => {}
                }
                continue;
            }
            let ev = match item {
                Item::Open(b) => {
                    let block = &self.blocks[*b];
                    if opts.edition == Edition::Participant && block.is_facilitator() {
                        dropped = Some(*b);
                    } else {
                        out.push(Event::Html(CowStr::from(block.open_html())));
                    }
                    continue;
                }
                Item::Close(b) => {
                    out.push(Event::Html(CowStr::Borrowed(self.blocks[*b].close_html())));
                    continue;
                }
                Item::Literal(k) => {
                    out.push(Event::Start(Tag::Paragraph));
                    out.push(Event::Text(CowStr::Borrowed(self.fences[*k])));
                    out.push(Event::End(TagEnd::Paragraph));
                    continue;
                }
                Item::Md(ev) => ev,
            };
            match ev {
                Event::Start(Tag::Heading {
                    level,
                    classes,
                    attrs,
                    ..
                }) => {
                    let anchor = format!("{}{}", opts.id_prefix, slugs.slug(&self.heading_text(i)));
                    heading = levels.level(level_num(*level));
                    out.push(Event::Start(Tag::Heading {
                        level: heading_level(heading),
                        id: Some(CowStr::from(anchor)),
                        classes: classes.clone(),
                        attrs: attrs.clone(),
                    }));
                }
                Event::End(TagEnd::Heading(_)) => {
                    out.push(Event::End(TagEnd::Heading(heading_level(heading))));
                }
                Event::Start(tag @ (Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })) => {
                    let dest = CowStr::from(rewrite(link_index, dest_url));
                    link_index += 1;
                    let mut tag = tag.clone();
                    if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                        *dest_url = dest;
                    }
                    out.push(Event::Start(tag));
                }
                // Raw HTML, as `markdown.raw_html` says.
                Event::Html(h) | Event::InlineHtml(h) => out.push(match opts.raw {
                    RawHtml::Escape => Event::Text(h.clone()),
                    RawHtml::Allow => ev.clone(),
                    RawHtml::Sanitize => match raw_html::fragment(h) {
                        Fragment::Text => Event::Text(h.clone()),
                        Fragment::Html | Fragment::RemovedWithContent => {
                            sanitize = true;
                            ev.clone()
                        }
                    },
                }),
                // A task-list checkbox becomes a labelled, non-interactive
                // mark: a disabled <input> without a label fails WCAG (axe
                // "label").
                Event::TaskListMarker(done) => {
                    out.push(Event::InlineHtml(CowStr::from(if *done {
                        "<span class=\"task done\" role=\"img\" aria-label=\"Done\"></span>\n"
                    } else {
                        "<span class=\"task\" role=\"img\" aria-label=\"To do\"></span>\n"
                    })))
                }
                e => out.push(e.clone()),
            }
        }
        let mut html = String::with_capacity(self.source.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, out.into_iter());
        if sanitize {
            raw_html::sanitize(&html)
        } else {
            html
        }
    }

    /// The text without formatting, on one line; block labels left out.
    pub fn plain(&self, raw: RawHtml) -> String {
        let mut out = String::with_capacity(self.source.len());
        // Inside a script or style, whose text the sanitizer removes.
        let mut removed = false;
        for (item, _) in &self.items {
            let ev = match item {
                Item::Md(ev) => ev,
                Item::Literal(k) => {
                    out.push_str(self.fences[*k]);
                    out.push(' ');
                    continue;
                }
                Item::Open(_) | Item::Close(_) => {
                    out.push(' ');
                    continue;
                }
            };
            match ev {
                Event::Html(t) | Event::InlineHtml(t) => match (raw, raw_html::fragment(t)) {
                    (RawHtml::Escape, _) | (RawHtml::Sanitize, Fragment::Text) => out.push_str(t),
                    (RawHtml::Sanitize, Fragment::RemovedWithContent) => removed = true,
                    (RawHtml::Sanitize, Fragment::Html) => {
                        let lower = t.to_ascii_lowercase();
                        if lower.contains("</script") || lower.contains("</style") {
                            removed = false;
                        }
                    }
                    (RawHtml::Allow, _) => {}
                },
                Event::Text(_) | Event::Code(_) if removed => {}
                Event::Text(t) | Event::Code(t) => out.push_str(t),
                Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                    out.push(' ')
                }
                _ => {}
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Active markers that pulldown-cmark did not read as an HTML block of
/// their own (they fell into a code block, an HTML block, a paragraph, a
/// link reference definition): those lines are not fences.
fn misread(events: &[(Event, Range<usize>)], prep: &Prepared) -> Vec<usize> {
    let mut seen = vec![0u32; prep.fences.len()];
    for (i, (ev, _)) in events.iter().enumerate() {
        if !matches!(ev, Event::Start(Tag::HtmlBlock)) {
            continue;
        }
        if let Some(k) = marker_block(&events[i + 1..], prep) {
            seen[k] += 1;
        }
    }
    (0..seen.len())
        .filter(|&k| prep.is_active(k) && seen[k] != 1)
        .collect()
}

/// The fence whose marker is the HTML block whose events follow: the
/// marker, then nothing but line breaks (a CRLF's LF comes on its own).
fn marker_block(block: &[(Event, Range<usize>)], prep: &Prepared) -> Option<usize> {
    let mut events = block.iter().map(|(e, _)| e);
    let k = match events.next() {
        Some(Event::Html(h)) => prep.marker(h)?,
        _ => return None,
    };
    for e in events {
        match e {
            Event::End(TagEnd::HtmlBlock) => return Some(k),
            Event::Html(h) if h.trim().is_empty() => {}
            _ => return None,
        }
    }
    None
}

/// Heading levels as an [`Outline`] makes them.
struct Levels {
    outline: Outline,
    /// The original levels of the enclosing headings.
    stack: Vec<u8>,
}

impl Levels {
    fn new(outline: Outline) -> Self {
        Levels {
            outline,
            stack: Vec::new(),
        }
    }

    /// The level of the next heading, written at level `written`.
    fn level(&mut self, written: u8) -> u8 {
        match self.outline {
            Outline::Shift(s) => written.saturating_add(s).min(6),
            Outline::Normalize(base) => {
                while self.stack.last().is_some_and(|&top| top >= written) {
                    self.stack.pop();
                }
                self.stack.push(written);
                let depth = self.stack.len() as u8;
                (base + depth - 1).clamp(1, 6)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
