//! Markdown as plain text on one line, for titles, descriptions and
//! search ([`Plain`]): block labels, facilitator blocks (unless kept) and
//! the footnotes only they cite left out, raw HTML as the sanitizer would
//! leave its text, comments taken out whole.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::blocks::Item;
use super::hidden::note_key;
use crate::raw_html::{self, Comments, Fragment, RawHtml, Stripped};

/// The plain text of a text, made as its items stream by.
pub(super) struct Plain<'s> {
    source: &'s str,
    raw: RawHtml,
    out: String,
    /// Inside a script or style, whose text the sanitizer removes.
    removed: bool,
    /// How many `facilitator` blocks are open: plain text for titles,
    /// summaries and descriptions leaves them out in every edition.
    facilitator: usize,
    /// Keep their text (the facilitator edition's search).
    pub keep_facilitator: bool,
    /// Footnotes only facilitators cite, left out with their blocks, and
    /// whether one is being read.
    pub hidden_notes: HashSet<String>,
    in_hidden_note: bool,
    /// Comments in raw HTML, left out whole.
    comments: Comments,
}

impl<'s> Plain<'s> {
    pub(super) fn new(source: &'s str, raw: RawHtml) -> Self {
        Plain {
            source,
            raw,
            out: String::with_capacity(source.len()),
            removed: false,
            facilitator: 0,
            keep_facilitator: false,
            hidden_notes: HashSet::new(),
            in_hidden_note: false,
            comments: Comments::default(),
        }
    }

    /// The text with every run of white space one space, trimmed.
    pub(super) fn finish(self) -> String {
        let mut out = String::with_capacity(self.out.len());
        for word in self.out.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        out
    }

    pub(super) fn feed(&mut self, item: &Item, range: &Range<usize>) {
        match item {
            Item::Open(b) if b.facilitator => self.facilitator += 1,
            Item::Close(b) if b.facilitator => self.facilitator -= 1,
            _ if self.facilitator > 0 && !self.keep_facilitator => return,
            Item::Md(Event::Start(Tag::FootnoteDefinition(l)))
                if !self.keep_facilitator && self.hidden_notes.contains(&note_key(l)) =>
            {
                self.in_hidden_note = true;
                return;
            }
            Item::Md(Event::End(TagEnd::FootnoteDefinition)) if self.in_hidden_note => {
                self.in_hidden_note = false;
                return;
            }
            _ if self.in_hidden_note => return,
            _ => {}
        }
        let ev = match item {
            Item::Md(ev) => ev,
            // A fence shown as text: its line.
            Item::Literal => {
                self.out.push(' ');
                self.out.push_str(&self.source[range.clone()]);
                self.out.push(' ');
                return;
            }
            Item::Open(_) | Item::Close(_) => {
                self.out.push(' ');
                return;
            }
        };
        let stripped;
        let ev = match ev {
            Event::Html(t) | Event::InlineHtml(t) if self.raw == RawHtml::Sanitize => {
                match self.comments.strip(t) {
                    Stripped::Same => ev,
                    Stripped::Left(s) => {
                        stripped = Event::Html(CowStr::from(s));
                        &stripped
                    }
                    Stripped::Gone => return,
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => ev,
            _ => {
                self.comments.reset();
                ev
            }
        };
        match ev {
            Event::Html(t) | Event::InlineHtml(t) => match (self.raw, raw_html::fragment(t)) {
                (RawHtml::Escape, _) | (RawHtml::Sanitize, Fragment::Text) => self.out.push_str(t),
                (RawHtml::Sanitize, Fragment::RemovedWithContent) => self.removed = true,
                (RawHtml::Sanitize, Fragment::Html) => {
                    let lower = t.to_ascii_lowercase();
                    if lower.contains("</script") || lower.contains("</style") {
                        self.removed = false;
                    }
                }
                (RawHtml::Allow, _) => {}
            },
            Event::Text(_) | Event::Code(_) if self.removed => {}
            Event::Text(t) | Event::Code(t) => self.out.push_str(t),
            // Where a block ends, a word ends.
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => self.out.push(' '),
            _ => {}
        }
    }
}
