//! The analysis of a text as its items stream by ([`Scan`]): links and
//! images with their places, headings with their anchors and levels,
//! blocks, and the problems only the whole text shows (fences read as
//! paragraph text, footnotes participants would cite but not see), with
//! offsets into the original text — whether the items come from a stream
//! or from a kept [`super::Document`].

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

use super::blocks::{kind_of, BlockInfo, Item};
use super::types::{level_num, link, Analysis, Block, Heading, Issue, Levels, Outline, Slugger};

/// How many `inline-fence` problems one text reports at most (a text of
/// such lines would otherwise give one per line).
const MAX_INLINE_FENCES: usize = 100;

/// The analysis of a text, made as its items stream by.
pub(super) struct Scan<'s> {
    source: &'s str,
    out: Analysis,
    slugs: Slugger,
    levels: Levels,
    heading: Option<(u8, String)>,
    /// The image being read: its index in the links, its alt text so far.
    image: Option<(usize, String)>,
    /// How many facilitator blocks are open.
    facilitator: usize,
    /// A line of a paragraph just started.
    line_start: bool,
    /// Footnotes: for each label (lowercase), whether every definition
    /// lies in a facilitator block; and every reference outside one.
    notes: HashMap<String, bool>,
    note_refs: Vec<(String, Range<usize>)>,
    /// Problems found here (fences that are not on lines of their own).
    issues: Vec<Issue>,
    /// How deep in markdown containers the events are; how many top-level
    /// paragraphs were seen, and whether anything else was.
    depth: usize,
    paragraphs: usize,
    not_paragraph: bool,
}

impl<'s> Scan<'s> {
    pub fn new(source: &'s str) -> Self {
        Scan {
            source,
            out: Analysis::default(),
            slugs: Slugger::default(),
            levels: Levels::new(Outline::Normalize(2)),
            heading: None,
            image: None,
            facilitator: 0,
            line_start: false,
            notes: HashMap::new(),
            note_refs: Vec::new(),
            issues: Vec::new(),
            depth: 0,
            paragraphs: 0,
            not_paragraph: false,
        }
    }

    /// A line of a paragraph that starts with `:::`: a fence read as text
    /// (a YAML `>` scalar folds a block's lines into one; a fence indented
    /// four spaces continues the paragraph before it), so its block is
    /// shown as text — an error when it is meant for facilitators.
    fn paragraph_line(&mut self, text: &str, range: &Range<usize>) {
        let Some(rest) = text.strip_prefix(":::") else {
            return;
        };
        if self.issues.len() >= MAX_INLINE_FENCES {
            return;
        }
        let name = rest
            .trim_start_matches(':')
            .trim_start()
            .trim_start_matches(['{', '.'])
            .split(|c: char| c.is_whitespace() || c == '}')
            .next()
            .unwrap_or("");
        // Colons alone open nothing (and past the fence limit are text).
        if name.is_empty() {
            return;
        }
        let hint = "a fence is a line of its own (`::: name`, later `:::`), indented at most three spaces; in a YAML field write the text with `|`, which keeps its lines (`>` folds them into one)";
        let issue = match kind_of(name, &[]) {
            (Some(k), _) if k.is_facilitator() => Issue::error(
                "inline-fence",
                format!("this `::: {name}` is read as part of a paragraph and opens no block: participants would see its text"),
                hint,
                range.clone(),
            ),
            _ => Issue::warning(
                "inline-fence",
                "this `:::` is read as part of a paragraph: it opens no block and is shown as text".into(),
                hint,
                range.clone(),
            ),
        };
        self.issues.push(issue);
    }

    pub fn feed(&mut self, item: &Item, range: &Range<usize>) {
        let ev = match item {
            Item::Md(ev) => ev,
            Item::Open(b) if b.facilitator => {
                self.facilitator += 1;
                return;
            }
            Item::Close(b) if b.facilitator => {
                self.facilitator -= 1;
                return;
            }
            // A fence shown as text is a paragraph of its own.
            Item::Literal if self.depth == 0 => {
                self.paragraphs += 1;
                return;
            }
            _ => return,
        };
        let facilitator = self.facilitator > 0;
        match ev {
            Event::Start(tag) => {
                if self.depth == 0 {
                    self.paragraphs += 1;
                    self.not_paragraph |= !matches!(tag, Tag::Paragraph);
                }
                self.depth += 1;
            }
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::Rule | Event::Html(_) if self.depth == 0 => self.not_paragraph = true,
            _ => {}
        }
        let line_start = std::mem::replace(&mut self.line_start, false);
        match ev {
            Event::Start(Tag::Paragraph) | Event::SoftBreak | Event::HardBreak => {
                self.line_start = true
            }
            Event::Text(t) if line_start && t.starts_with(":::") => self.paragraph_line(t, range),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let only = self.notes.entry(label.to_lowercase()).or_insert(true);
                *only &= facilitator;
            }
            Event::FootnoteReference(label) if !facilitator => {
                self.note_refs.push((label.to_lowercase(), range.clone()));
            }
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading = Some((self.levels.level(level_num(*level)), String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, t)) = self.heading.take() {
                    self.out.headings.push(Heading {
                        level,
                        text: t.trim().to_string(),
                        anchor: self.slugs.slug(&t),
                        facilitator,
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
                l.facilitator = facilitator;
                self.out.links.push(l);
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let mut l = link(self.source, range.clone(), dest_url, true);
                l.facilitator = facilitator;
                self.out.links.push(l);
                self.image = Some((self.out.links.len() - 1, String::new()));
            }
            Event::End(TagEnd::Image) => {
                if let Some((i, alt)) = self.image.take() {
                    self.out.links[i].has_alt = !alt.trim().is_empty();
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = self.heading.as_mut() {
                    h.push_str(t);
                }
                if let Some((_, alt)) = self.image.as_mut() {
                    alt.push_str(t);
                }
            }
            _ => {}
        }
    }

    pub fn finish(mut self, blocks: &[BlockInfo], issues: Vec<Issue>) -> Analysis {
        self.out.blocks = blocks
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
        self.out.blocks.sort_by_key(|b| b.range.start);
        self.out.one_paragraph =
            self.paragraphs <= 1 && !self.not_paragraph && self.out.blocks.is_empty();
        // Participants' text may not cite a note only facilitators see.
        for (label, range) in std::mem::take(&mut self.note_refs) {
            if self.notes.get(&label) == Some(&true) {
                self.issues.push(Issue::error(
                    "facilitator-only-link",
                    format!("footnote `{label}` is defined only inside a `facilitator` block"),
                    "participants would see the reference and not the note: define it outside the block, or move the reference into it",
                    range,
                ));
            }
        }
        // Fence lines past the limit are text on purpose.
        if let Some(limit) = issues.iter().find(|i| i.code == "too-many-fences") {
            let from = limit.range.start;
            self.issues.retain(|i| i.range.start < from);
        }
        self.out.issues = issues;
        if !self.issues.is_empty() {
            self.out.issues.append(&mut self.issues);
            self.out.issues.sort_by_key(|i| i.range.start);
        }
        self.out
    }
}
