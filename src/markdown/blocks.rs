//! Fenced blocks and GitHub alerts, resolved: the block names playbook
//! knows and their markup, and the pass over pulldown-cmark's events that
//! pairs opening and closing fences (innermost first, a closing fence at
//! least as long as its opening one, both in the same list item, quote or
//! footnote) and reports what does not pair.
//!
//! Markup, and why:
//!
//! - Asides (callout, note, tip, caution, important, warning, testimonial,
//!   facilitator) are `<div role="note">`, ARIA's "parenthetic or ancillary"
//!   content — not `<aside>`: a complementary landmark inside `<main>`
//!   fails axe's landmark rules, and one landmark per block would clutter a
//!   screen reader's landmark list.
//! - Lesson parts (objectives, questions, keypoints, prereq, checklist,
//!   agenda, discussion, challenge) belong to the main flow: `<div
//!   role="group">`.
//! - Each is named by `aria-label` with its label, and shows the label as a
//!   `<p class="block-title">`. No `id` and no `aria-labelledby`: the same
//!   guide can appear twice on one page under different id prefixes (the
//!   one-page guide), and ids the author never wrote would collide. Not a
//!   heading either: it would enter the outline the page normalizes and
//!   take a heading anchor.
//! - `solution` is a collapsed `<details>` whose `<summary>` says
//!   "Solution": a native disclosure, keyboard-operable, named by its
//!   summary.
//! - An unknown name is a plain `<div class="NAME">` (names are only
//!   letters, digits, `-` and `_`).
//!
//! The attributes used here are the ones `raw_html`'s sanitizer lets
//! through, so the markup survives when a document's raw HTML sends the
//! whole page through it.

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, Event, Tag, TagEnd};

use super::fences::{FenceLine, Prepared};
use super::types::Issue;
use crate::suggest::suggest;

/// How a known block is marked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Markup {
    /// `<div role="note">`.
    Note,
    /// `<div role="group">`.
    Group,
    /// A collapsed `<details>`.
    Details,
    /// `<div role="note">`, marked for facilitators only.
    Facilitator,
}

/// A block name playbook knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Kind {
    /// Its name, also its class (`block-NAME`).
    pub name: &'static str,
    /// The visible label.
    pub label: &'static str,
    markup: Markup,
}

const fn k(name: &'static str, label: &'static str, markup: Markup) -> Kind {
    Kind {
        name,
        label,
        markup,
    }
}

/// Every known block, in the order hints list them.
const KINDS: &[Kind] = &[
    k("callout", "Callout", Markup::Note),
    k("note", "Note", Markup::Note),
    k("tip", "Tip", Markup::Note),
    k("caution", "Caution", Markup::Note),
    k("important", "Important", Markup::Note),
    k("warning", "Warning", Markup::Note),
    k("discussion", "Discussion", Markup::Group),
    k("challenge", "Challenge", Markup::Group),
    k("solution", "Solution", Markup::Details),
    k("objectives", "Objectives", Markup::Group),
    k("questions", "Questions", Markup::Group),
    k("keypoints", "Key points", Markup::Group),
    k("prereq", "Prerequisites", Markup::Group),
    k("checklist", "Checklist", Markup::Group),
    k("agenda", "Agenda", Markup::Group),
    k("testimonial", "Testimonial", Markup::Note),
    k("facilitator", "Facilitator notes", Markup::Facilitator),
];

/// Other names of known blocks (Carpentries lessons say `instructor`).
const ALIASES: &[(&str, &str)] = &[("instructor", "facilitator")];

/// The known block called `name`.
pub(super) fn kind(name: &str) -> Option<&'static Kind> {
    let name = ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name, |(_, to)| to);
    KINDS.iter().find(|k| k.name == name)
}

/// Every known name, aliases included.
pub(super) fn known_names() -> impl Iterator<Item = &'static str> {
    KINDS
        .iter()
        .map(|k| k.name)
        .chain(ALIASES.iter().map(|(a, _)| *a))
}

impl Kind {
    pub fn is_facilitator(&self) -> bool {
        self.markup == Markup::Facilitator
    }
}

/// One block of a document: a fenced block (opened and closed, or not) or
/// an alert.
#[derive(Debug, Clone)]
pub(super) struct BlockInfo {
    /// The name as written (`instructor`), or the alert's (`note`).
    pub name: String,
    pub kind: Option<&'static Kind>,
    /// Further classes of `{.name .other}`.
    pub classes: Vec<String>,
    /// From the opening fence to the closing one, in the original text.
    pub range: Range<usize>,
    pub alert: bool,
    /// Opened and closed: rendered as a block.
    pub ok: bool,
}

impl BlockInfo {
    pub fn is_facilitator(&self) -> bool {
        self.kind.is_some_and(Kind::is_facilitator)
    }

    /// The HTML that opens the block.
    pub fn open_html(&self) -> String {
        let extra: String = self.classes.iter().map(|c| format!(" {c}")).collect();
        let Some(k) = self.kind else {
            return format!("<div class=\"{}{extra}\">\n", self.name);
        };
        let (name, label) = (k.name, k.label);
        match k.markup {
            Markup::Details => {
                format!("<details class=\"block block-{name}{extra}\">\n<summary>{label}</summary>\n")
            }
            Markup::Note | Markup::Group => {
                let role = if k.markup == Markup::Note { "note" } else { "group" };
                format!(
                    "<div class=\"block block-{name}{extra}\" role=\"{role}\" aria-label=\"{label}\">\n\
                     <p class=\"block-title\">{label}</p>\n"
                )
            }
            Markup::Facilitator => format!(
                "<div class=\"block block-{name}{extra}\" role=\"note\" aria-label=\"{label}\">\n\
                 <p class=\"block-title\">{label} <span class=\"block-audience\">For facilitators only</span></p>\n"
            ),
        }
    }

    /// The HTML that closes the block.
    pub fn close_html(&self) -> &'static str {
        match self.kind {
            Some(k) if k.markup == Markup::Details => "</details>\n",
            _ => "</div>\n",
        }
    }
}

/// An event, or a block boundary in its place.
#[derive(Debug, Clone)]
pub(super) enum Item<'a> {
    Md(Event<'a>),
    /// Block `b` opens here.
    Open(usize),
    /// Block `b` closes here.
    Close(usize),
    /// Fence `k` that opens or closes nothing: shown as the text it is.
    Literal(usize),
}

/// A document's events with its blocks resolved.
pub(super) struct Resolved<'a> {
    /// Ranges are in the original text.
    pub items: Vec<(Item<'a>, Range<usize>)>,
    pub blocks: Vec<BlockInfo>,
    pub issues: Vec<Issue>,
}

/// A block opened and not closed yet.
struct Open {
    block: usize,
    fence: usize,
    /// Where its `Item::Literal` stands until it is closed.
    item: usize,
    colons: usize,
    /// How many containers were open around it.
    depth: usize,
}

struct Pass<'p, 'a> {
    prep: &'p Prepared<'p>,
    out: Resolved<'a>,
    open: Vec<Open>,
    /// The containers around the current event, by name.
    containers: Vec<&'static str>,
    /// The alerts around the current event.
    alerts: Vec<usize>,
}

/// Pair the fences of `events` (pulldown-cmark's, over `prep.text`) and
/// turn alerts into blocks. Every active marker of `prep` must be an HTML
/// block of its own in `events`.
pub(super) fn resolve<'a>(events: Vec<(Event<'a>, Range<usize>)>, prep: &Prepared) -> Resolved<'a> {
    let mut p = Pass {
        prep,
        out: Resolved {
            items: Vec::with_capacity(events.len()),
            blocks: Vec::new(),
            issues: Vec::new(),
        },
        open: Vec::new(),
        containers: Vec::new(),
        alerts: Vec::new(),
    };
    let mut events = events.into_iter().peekable();
    while let Some((ev, range)) = events.next() {
        let range = prep.original_range(&range);
        match ev {
            Event::Start(Tag::HtmlBlock) => {
                let marker = match events.peek() {
                    Some((Event::Html(h), _)) => prep.marker(h),
                    _ => None,
                };
                match marker {
                    Some(k) => {
                        // The marker, any line break after it, the end.
                        for (e, _) in events.by_ref() {
                            if matches!(e, Event::End(TagEnd::HtmlBlock)) {
                                break;
                            }
                        }
                        p.fence(k);
                    }
                    None => p.push(Item::Md(Event::Start(Tag::HtmlBlock)), range),
                }
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let name = alert_name(kind);
                let b = p.out.blocks.len();
                p.out.blocks.push(BlockInfo {
                    name: name.to_string(),
                    kind: self::kind(name),
                    classes: Vec::new(),
                    range: range.clone(),
                    alert: true,
                    ok: true,
                });
                p.push(Item::Open(b), range);
                p.alerts.push(b);
                p.containers.push("alert");
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                p.leave();
                if let Some(b) = p.alerts.pop() {
                    p.push(Item::Close(b), range);
                }
            }
            Event::Start(
                ref t @ (Tag::Item | Tag::BlockQuote(None) | Tag::FootnoteDefinition(_)),
            ) => {
                p.containers.push(match t {
                    Tag::Item => "list item",
                    Tag::BlockQuote(_) => "block quote",
                    _ => "footnote",
                });
                p.push(Item::Md(ev), range);
            }
            Event::End(TagEnd::Item | TagEnd::BlockQuote(None) | TagEnd::FootnoteDefinition) => {
                p.leave();
                p.push(Item::Md(ev), range);
            }
            ev => p.push(Item::Md(ev), range),
        }
    }
    for o in std::mem::take(&mut p.open) {
        let f = &prep.fences[o.fence];
        let name = &p.out.blocks[o.block].name;
        p.out.issues.push(Issue::error(
            "unclosed-block",
            format!("block `{name}` is never closed"),
            Some(format!(
                "close it with a line of {} colons: `{}`",
                o.colons,
                ":".repeat(o.colons)
            )),
            f.range.clone(),
        ));
    }
    p.out
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

impl<'a> Pass<'_, 'a> {
    fn push(&mut self, item: Item<'a>, range: Range<usize>) {
        self.out.items.push((item, range));
    }

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
                let kind = kind(name);
                if kind.is_none() {
                    self.out.issues.push(Issue::warning(
                        "unknown-block",
                        format!("unknown block `{name}`"),
                        Some(unknown_hint(name)),
                        range.clone(),
                    ));
                }
                self.open.push(Open {
                    block: self.out.blocks.len(),
                    fence: k,
                    item: self.out.items.len(),
                    colons: *colons,
                    depth: self.containers.len(),
                });
                self.out.blocks.push(BlockInfo {
                    name: name.clone(),
                    kind,
                    classes: classes.clone(),
                    range: range.clone(),
                    alert: false,
                    ok: false,
                });
                self.push(Item::Literal(k), range);
            }
            FenceLine::Close { colons } => {
                let colons = *colons;
                match self.open.last() {
                    None => {
                        self.stray(range.clone(), "this `:::` closes no block".into(), None);
                    }
                    Some(o) if o.depth < self.containers.len() => {
                        let o = self.open.pop().expect("an open block");
                        let inside = self.containers[o.depth];
                        let name = &self.out.blocks[o.block].name;
                        self.out.issues.push(Issue::error(
                            "unclosed-block",
                            format!("block `{name}` is closed inside a {inside} it does not open in"),
                            Some(
                                "a block opens and closes in the same list item, quote or footnote: move one of its fences"
                                    .into(),
                            ),
                            self.prep.fences[o.fence].range.clone(),
                        ));
                    }
                    Some(o) if colons < o.colons => {
                        let name = self.out.blocks[o.block].name.clone();
                        let want = o.colons;
                        self.stray(
                            range.clone(),
                            format!("this fence is shorter than the one that opens block `{name}`"),
                            Some(format!("close `{name}` with at least {want} colons")),
                        );
                    }
                    Some(_) => {
                        let o = self.open.pop().expect("an open block");
                        let b = &mut self.out.blocks[o.block];
                        b.ok = true;
                        b.range.end = range.end;
                        self.out.items[o.item].0 = Item::Open(o.block);
                        self.push(Item::Close(o.block), range);
                        return;
                    }
                }
                self.push(Item::Literal(k), range);
            }
        }
    }

    fn stray(&mut self, range: Range<usize>, message: String, hint: Option<String>) {
        let hint = hint.unwrap_or_else(|| {
            "remove it, or open a block before it with `::: name`; it is shown as text".into()
        });
        self.out
            .issues
            .push(Issue::warning("stray-fence", message, Some(hint), range));
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
                "unclosed-block",
                format!("block `{name}` opens inside a {inside} and is not closed inside it"),
                Some(format!(
                    "close it inside the {inside}, with `:::` indented like its opening fence"
                )),
                self.prep.fences[o.fence].range.clone(),
            ));
        }
    }
}

/// "did you mean" and the known names.
fn unknown_hint(name: &str) -> String {
    let all: Vec<&str> = known_names().collect();
    let list = all.join(", ");
    let lower = name.to_ascii_lowercase();
    let close = if kind(&lower).is_some() {
        Some(lower)
    } else {
        suggest(name, all.iter().copied())
    };
    match close {
        Some(s) => format!("did you mean `{s}`? Known blocks: {list}"),
        None => {
            format!("known blocks: {list}; another name is shown as a plain <div class=\"{name}\">")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_and_the_alias() {
        assert_eq!(kind("instructor"), kind("facilitator"));
        assert!(kind("instructor").unwrap().is_facilitator());
        assert_eq!(kind("keypoints").unwrap().label, "Key points");
        assert_eq!(kind("prereq").unwrap().label, "Prerequisites");
        assert_eq!(kind("Note"), None);
        assert_eq!(known_names().count(), KINDS.len() + 1);
    }

    #[test]
    fn hints_suggest_the_closest_name() {
        assert!(unknown_hint("warnign").starts_with("did you mean `warning`?"));
        assert!(unknown_hint("Note").starts_with("did you mean `note`?"));
        let h = unknown_hint("sidebar");
        assert!(h.starts_with("known blocks: callout, note,"), "{h}");
        assert!(h.contains("instructor"), "{h}");
    }

    #[test]
    fn markup_of_each_kind() {
        let b = |name: &str| BlockInfo {
            name: name.into(),
            kind: kind(name),
            classes: vec!["extra".into()],
            range: 0..0,
            alert: false,
            ok: true,
        };
        assert_eq!(
            b("tip").open_html(),
            "<div class=\"block block-tip extra\" role=\"note\" aria-label=\"Tip\">\n\
             <p class=\"block-title\">Tip</p>\n"
        );
        assert!(b("agenda").open_html().contains("role=\"group\""));
        assert_eq!(
            b("solution").open_html(),
            "<details class=\"block block-solution extra\">\n<summary>Solution</summary>\n"
        );
        assert_eq!(b("solution").close_html(), "</details>\n");
        assert!(b("instructor")
            .open_html()
            .contains("class=\"block block-facilitator extra\""));
        assert_eq!(b("my-box").open_html(), "<div class=\"my-box extra\">\n");
    }
}
