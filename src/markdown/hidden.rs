//! What the participant edition leaves out besides `facilitator` blocks
//! themselves, because only facilitators' text uses it: a footnote
//! defined outside the blocks but cited only from inside them (or from
//! other such notes), and the links and images whose reference definition
//! (`[label]: url "title"`) lies inside a block — participants' text that
//! uses one would show the facilitators' URL and title.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::blocks::{BlockInfo, Item};
use super::fences::Prepared;

/// A footnote label as pulldown-cmark matches it (without regard to case).
pub(super) fn note_key(label: &str) -> String {
    label.to_lowercase()
}

/// Where a footnote reference stands.
enum Cited {
    /// In participants' text.
    Open,
    /// Inside a `facilitator` block.
    Facilitator,
    /// Inside the definition of another note (outside any block).
    InNote(String),
}

/// The footnotes defined outside `facilitator` blocks that the
/// participant edition leaves out: cited, and only from facilitator
/// blocks or from notes that are left out themselves. A note no text
/// cites stays (its text is participants' text, where the author put it).
pub(super) fn hidden_notes<'i, 'a: 'i>(
    items: impl Iterator<Item = &'i Item<'a>>,
) -> HashSet<String> {
    let mut notes = NoteUse::default();
    for item in items {
        notes.see(item);
    }
    notes.hidden()
}

/// Where footnotes are defined and cited, as a text's items stream by.
#[derive(Default)]
pub(super) struct NoteUse {
    defined: HashSet<String>,
    cited: Vec<(String, Cited)>,
    facilitator: usize,
    /// The note being defined (outside any block).
    note: Option<String>,
}

impl NoteUse {
    /// The next item.
    pub(super) fn see(&mut self, item: &Item) {
        match item {
            Item::Open(b) if b.facilitator => self.facilitator += 1,
            Item::Close(b) if b.facilitator => {
                self.facilitator = self.facilitator.saturating_sub(1)
            }
            Item::Md(Event::Start(Tag::FootnoteDefinition(l))) if self.facilitator == 0 => {
                let key = note_key(l);
                self.defined.insert(key.clone());
                self.note = Some(key);
            }
            Item::Md(Event::End(TagEnd::FootnoteDefinition)) => self.note = None,
            Item::Md(Event::FootnoteReference(l)) => {
                let at = match (&self.note, self.facilitator) {
                    (_, 1..) => Cited::Facilitator,
                    (Some(n), 0) => Cited::InNote(n.clone()),
                    (None, 0) => Cited::Open,
                };
                self.cited.push((note_key(l), at));
            }
            _ => {}
        }
    }

    /// The note (its key) whose definition the last item is in, outside
    /// `facilitator` blocks.
    pub(super) fn in_note(&self) -> Option<&str> {
        self.note.as_deref().filter(|_| self.facilitator == 0)
    }

    /// Whether the last item is in a `facilitator` block.
    pub(super) fn in_block(&self) -> bool {
        self.facilitator > 0
    }

    /// The notes left out, once every item is seen.
    pub(super) fn hidden(self) -> HashSet<String> {
        let NoteUse { defined, cited, .. } = self;
        if cited.is_empty() {
            return HashSet::new();
        }
        let all_cited: HashSet<&str> = cited.iter().map(|(l, _)| l.as_str()).collect();
        // Shown: cited by participants' text, or by a shown note, or by
        // none; found from those, following what each shown note cites.
        let mut by_note: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut todo: Vec<&str> = defined
            .iter()
            .map(String::as_str)
            .filter(|d| !all_cited.contains(d))
            .collect();
        for (l, at) in &cited {
            match at {
                Cited::Open => todo.push(l),
                Cited::InNote(n) => by_note.entry(n.as_str()).or_default().push(l),
                Cited::Facilitator => {}
            }
        }
        let mut shown: HashSet<&str> = HashSet::new();
        while let Some(n) = todo.pop() {
            if defined.contains(n) && shown.insert(n) {
                todo.extend(by_note.get(n).into_iter().flatten());
            }
        }
        defined
            .iter()
            .filter(|d| !shown.contains(d.as_str()))
            .cloned()
            .collect()
    }
}

/// Links and images that take their destination from a reference
/// definition inside a `facilitator` block: their indices among the
/// text's links and images (in document order), with their labels.
pub(super) struct FacilitatorDefs<'p> {
    /// A parse of the text for its definitions, kept only when one of
    /// them lies in a block.
    lookup: Option<Parser<'p>>,
    prep: &'p Prepared<'p>,
    blocks: Vec<Range<usize>>,
    next: usize,
    pub found: Vec<(usize, String)>,
}

impl<'p> FacilitatorDefs<'p> {
    /// For the text `prep.text`, whose blocks are `blocks`.
    pub(super) fn new(prep: &'p Prepared<'p>, blocks: &[BlockInfo]) -> Self {
        let blocks: Vec<Range<usize>> = blocks
            .iter()
            .filter(|b| b.ok && b.is_facilitator())
            .map(|b| b.range.clone())
            .collect();
        let mut lookup = None;
        if !blocks.is_empty() && prep.text.contains("]:") {
            let parser = Parser::new_ext(&prep.text, super::types::options());
            let inside = parser
                .reference_definitions()
                .iter()
                .any(|(_, d)| inside(&blocks, &prep.original_range(&d.span)));
            if inside {
                lookup = Some(parser);
            }
        }
        FacilitatorDefs {
            lookup,
            prep,
            blocks,
            next: 0,
            found: Vec::new(),
        }
    }

    /// The next item of the text.
    pub(super) fn see(&mut self, item: &Item) {
        let Some(parser) = &self.lookup else {
            return;
        };
        let (Item::Md(Event::Start(Tag::Link { link_type, id, .. }))
        | Item::Md(Event::Start(Tag::Image { link_type, id, .. }))) = item
        else {
            return;
        };
        let index = self.next;
        self.next += 1;
        let by_reference = matches!(
            link_type,
            LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
        );
        if !by_reference {
            return;
        }
        let Some(def) = parser.reference_definitions().get(id) else {
            return;
        };
        if inside(&self.blocks, &self.prep.original_range(&def.span)) {
            self.found.push((index, id.to_string()));
        }
    }
}

/// Whether `r` lies inside one of `blocks`.
fn inside(blocks: &[Range<usize>], r: &Range<usize>) -> bool {
    blocks.iter().any(|b| b.start <= r.start && r.end <= b.end)
}
