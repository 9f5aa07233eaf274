//! Fences paired and events turned into [`Item`]s, in two streaming
//! passes over pulldown-cmark's events (so that nothing but the blocks is
//! kept in memory while a text is only analyzed):
//!
//! - [`pair`] reads where each marker stands: innermost block first, a
//!   closing fence at least as long as its opening one, both in the same
//!   list item, quote, footnote or alert. It reports what does not pair,
//!   and the markers pulldown-cmark did not read as an HTML block of their
//!   own (they fell into a code block, an HTML block, a paragraph or a link
//!   reference definition: those lines are not fences after all).
//! - [`Emit`] then hands on every event, a marker replaced by what its
//!   fence turned out to be, an alert's quote by a block of its name.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, Event, Tag, TagEnd};

use crate::diagnostics::code::Code;

use super::blocks::{kind, kind_of, unknown_hint, BlockInfo, BlockRef, Item};
use super::fences::{FenceLine, Prepared};
use super::types::Issue;

/// What a fence turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Text: it opens or closes nothing.
    Literal,
    Open(BlockRef),
    Close(BlockRef),
}

/// The fences of a text, paired.
#[derive(Debug, Default)]
pub(super) struct Pairing {
    fates: Vec<Fate>,
    /// Fenced blocks, in the order they open (alerts are added by [`Emit`]).
    pub blocks: Vec<BlockInfo>,
    pub issues: Vec<Issue>,
}

/// A block opened and not closed yet.
struct Open {
    block: usize,
    fence: usize,
    colons: usize,
    /// How many containers were open around it.
    depth: usize,
}

struct Pass<'p> {
    prep: &'p Prepared<'p>,
    out: Pairing,
    open: Vec<Open>,
    /// The containers around the current event, by name.
    containers: Vec<&'static str>,
    /// How often each marker was read as an HTML block of its own.
    seen: Vec<u32>,
}

/// The name a container has in messages, for the events that open and
/// close one.
fn container(ev: &Event) -> Option<&'static str> {
    match ev {
        Event::Start(Tag::Item) | Event::End(TagEnd::Item) => Some("list item"),
        Event::Start(Tag::BlockQuote(None)) | Event::End(TagEnd::BlockQuote(None)) => {
            Some("block quote")
        }
        Event::Start(Tag::BlockQuote(Some(_))) | Event::End(TagEnd::BlockQuote(Some(_))) => {
            Some("alert")
        }
        Event::Start(Tag::FootnoteDefinition(_)) | Event::End(TagEnd::FootnoteDefinition) => {
            Some("footnote")
        }
        _ => None,
    }
}

/// The events of an HTML block after its start, up to and with its end.
fn html_block<'e>(
    events: &mut impl Iterator<Item = (Event<'e>, Range<usize>)>,
) -> Vec<(Event<'e>, Range<usize>)> {
    let mut block = Vec::new();
    for (e, r) in events {
        let end = matches!(e, Event::End(TagEnd::HtmlBlock));
        block.push((e, r));
        if end {
            break;
        }
    }
    block
}

/// The fence whose marker an HTML block is (`block`: its events after the
/// start): the marker alone, with nothing but white space around it — the
/// indentation of a fence indented up to three spaces comes as text
/// before it, a CRLF's LF on its own after it.
fn block_marker(block: &[(Event, Range<usize>)], prep: &Prepared) -> Option<usize> {
    let mut found = None;
    for (e, _) in block {
        match e {
            Event::Html(h) | Event::Text(h) if h.trim().is_empty() => {}
            Event::Html(h) if found.is_none() => found = Some(prep.marker(h)?),
            Event::End(TagEnd::HtmlBlock) => {}
            _ => return None,
        }
    }
    found
}

/// Pair the fences of `events` (pulldown-cmark's, over `prep.text`); the
/// misread markers when there are any.
pub(super) fn pair<'e>(
    events: impl Iterator<Item = (Event<'e>, Range<usize>)>,
    prep: &Prepared,
) -> Result<Pairing, Vec<usize>> {
    let mut p = Pass {
        prep,
        out: Pairing {
            fates: vec![Fate::Literal; prep.fences.len()],
            ..Pairing::default()
        },
        open: Vec::new(),
        containers: Vec::new(),
        seen: vec![0; prep.fences.len()],
    };
    let mut events = events;
    while let Some((ev, _)) = events.next() {
        if let Event::Start(Tag::HtmlBlock) = ev {
            if let Some(k) = block_marker(&html_block(&mut events), prep) {
                p.seen[k] += 1;
                p.fence(k);
            }
            continue;
        }
        if let Some(name) = container(&ev) {
            if matches!(ev, Event::Start(_)) {
                p.containers.push(name);
            } else {
                p.leave();
            }
        }
    }
    let misread: Vec<usize> = (0..p.seen.len())
        .filter(|&k| prep.is_active(k) && p.seen[k] != 1)
        .collect();
    if !misread.is_empty() {
        return Err(misread);
    }
    for o in std::mem::take(&mut p.open) {
        let name = &p.out.blocks[o.block].name;
        p.out.issues.push(Issue::error(
            Code::UnclosedBlock,
            format!("block `{name}` is never closed"),
            closing_hint(o.colons),
            prep.fences[o.fence].range.clone(),
        ));
    }
    p.out.issues.sort_by_key(|i| i.range.start);
    Ok(p.out)
}

/// How to close a block opened with `colons` colons.
fn closing_hint(colons: usize) -> Cow<'static, str> {
    match colons {
        3 => "close it with a line of 3 colons: `:::`".into(),
        n => format!("close it with a line of {n} colons").into(),
    }
}

impl Pass<'_> {
    /// A fence line.
    fn fence(&mut self, k: usize) {
        let f = &self.prep.fences[k];
        let range = f.range.clone();
        match &f.line {
            FenceLine::Open {
                colons,
                name,
                classes,
            } => {
                self.open.push(Open {
                    block: self.out.blocks.len(),
                    fence: k,
                    colons: *colons,
                    depth: self.containers.len(),
                });
                let (kind, inferred) = kind_of(name, classes);
                self.out.blocks.push(BlockInfo {
                    name: name.clone(),
                    kind,
                    inferred,
                    classes: classes.clone(),
                    range,
                    alert: false,
                    ok: false,
                });
            }
            FenceLine::Close { colons } => match self.open.last() {
                None => self.stray(
                    range,
                    "this `:::` closes no block".into(),
                    "remove it, or open a block before it with `::: name`; it is shown as text"
                        .into(),
                ),
                Some(o) if o.depth < self.containers.len() => {
                    let o = self.open.pop().expect("an open block");
                    let inside = self.containers[o.depth];
                    let name = &self.out.blocks[o.block].name;
                    self.out.issues.push(Issue::error(
                        Code::UnclosedBlock,
                        format!("block `{name}` is closed inside a {inside} it does not open in"),
                        "a block opens and closes in the same list item, quote or footnote: move one of its fences",
                        self.prep.fences[o.fence].range.clone(),
                    ));
                }
                Some(o) if *colons < o.colons => {
                    let name = &self.out.blocks[o.block].name;
                    let message =
                        format!("this fence is shorter than the one that opens block `{name}`");
                    let hint = format!("close `{name}` with at least {} colons", o.colons);
                    self.stray(range, message, hint.into());
                }
                Some(_) => {
                    let o = self.open.pop().expect("an open block");
                    let b = &mut self.out.blocks[o.block];
                    b.ok = true;
                    b.range.end = range.end;
                    let r = b.reference(o.block);
                    self.out.fates[o.fence] = Fate::Open(r);
                    self.out.fates[k] = Fate::Close(r);
                    // Only a block that is one has a name that matters (an
                    // unclosed fence is text).
                    let at = self.prep.fences[o.fence].range.clone();
                    if b.kind.is_none() {
                        self.out.issues.push(Issue::warning(
                            Code::UnknownBlock,
                            format!("unknown block `{}`", b.name),
                            unknown_hint(&b.name),
                            at,
                        ));
                    } else if b.inferred {
                        self.out.issues.push(Issue::warning(
                            Code::UnknownBlock,
                            format!("block `{}` is taken for facilitator notes", b.name),
                            "write `::: facilitator` (or `::: instructor`); like one, it is left out of the participant edition",
                            at,
                        ));
                    }
                }
            },
        }
    }

    fn stray(&mut self, range: Range<usize>, message: String, hint: Cow<'static, str>) {
        self.out
            .issues
            .push(Issue::warning(Code::StrayFence, message, hint, range));
    }

    /// The innermost container ends: blocks opened inside it and still
    /// open are errors.
    fn leave(&mut self) {
        let Some(inside) = self.containers.pop() else {
            return;
        };
        while self
            .open
            .last()
            .is_some_and(|o| o.depth > self.containers.len())
        {
            let o = self.open.pop().expect("an open block");
            let name = &self.out.blocks[o.block].name;
            self.out.issues.push(Issue::error(
                Code::UnclosedBlock,
                format!("block `{name}` opens inside a {inside} and is not closed inside it"),
                format!("close it inside the {inside}, with `:::` indented like its opening fence"),
                self.prep.fences[o.fence].range.clone(),
            ));
        }
    }
}

fn alert_name(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}

/// The second pass: events handed on as items.
pub(super) struct Emit<'p> {
    prep: &'p Prepared<'p>,
    pub pairing: Pairing,
    /// The alerts around the current event.
    alerts: Vec<BlockRef>,
}

impl<'p> Emit<'p> {
    pub(super) fn new(prep: &'p Prepared<'p>, pairing: Pairing) -> Self {
        Emit {
            prep,
            pairing,
            alerts: Vec::new(),
        }
    }

    /// Hand every event of `events` (over `prep.text`, in which every
    /// active marker is an HTML block of its own) to `sink` as an item,
    /// with its range in the original text.
    pub(super) fn run<'a>(
        &mut self,
        events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
        sink: &mut dyn FnMut(Item<'a>, Range<usize>),
    ) {
        let prep = self.prep;
        let mut events = events;
        while let Some((ev, range)) = events.next() {
            let range = prep.original_range(&range);
            match ev {
                Event::Start(Tag::HtmlBlock) => {
                    let block = html_block(&mut events);
                    let Some(k) = block_marker(&block, prep) else {
                        sink(Item::Md(Event::Start(Tag::HtmlBlock)), range);
                        for (e, r) in block {
                            sink(Item::Md(e), prep.original_range(&r));
                        }
                        continue;
                    };
                    let range = prep.fences[k].range.clone();
                    sink(
                        match self.pairing.fates[k] {
                            Fate::Literal => Item::Literal,
                            Fate::Open(b) => Item::Open(b),
                            Fate::Close(b) => Item::Close(b),
                        },
                        range,
                    );
                }
                Event::Start(Tag::BlockQuote(Some(kind))) => {
                    let name = alert_name(kind);
                    let blocks = &mut self.pairing.blocks;
                    let info = BlockInfo {
                        name: name.to_string(),
                        kind: self::kind(name),
                        inferred: false,
                        classes: Vec::new(),
                        range: range.clone(),
                        alert: true,
                        ok: true,
                    };
                    let b = info.reference(blocks.len());
                    blocks.push(info);
                    self.alerts.push(b);
                    sink(Item::Open(b), range);
                }
                Event::End(TagEnd::BlockQuote(Some(_))) => {
                    if let Some(b) = self.alerts.pop() {
                        sink(Item::Close(b), range);
                    }
                }
                ev => sink(Item::Md(ev), range),
            }
        }
    }
}
