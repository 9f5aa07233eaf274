//! Fenced blocks and GitHub alerts: the block names playbook knows, what a
//! document's blocks are, and their markup.
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

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::Event;

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
    pub(super) fn is_facilitator(&self) -> bool {
        self.markup == Markup::Facilitator
    }
}

/// The kind of a block named `name` with the further `classes`, and
/// whether it was inferred. A class `facilitator` (`instructor`) makes a
/// facilitator block, and so does a name or class that is neither but
/// plainly means one — another case, a plural, a slip of the keyboard
/// (`Facilitator`, `facilitators`, `instructor-notes`, `facilitaor`): the
/// participant edition fails closed, and leaves the block out.
pub(super) fn kind_of(name: &str, classes: &[String]) -> (Option<&'static Kind>, bool) {
    let facilitator = kind("facilitator");
    if classes
        .iter()
        .any(|c| kind(c).is_some_and(Kind::is_facilitator))
    {
        return (facilitator, false);
    }
    if classes.iter().any(|c| means_facilitator(c)) {
        return (facilitator, true);
    }
    match kind(name) {
        Some(k) => (Some(k), false),
        None if means_facilitator(name) => (facilitator, true),
        None => (None, false),
    }
}

/// Whether a block name or class that is not a known one plainly means
/// facilitator notes: "facilitat…" or "instructor" anywhere in it
/// (`for-facilitators`, `notesForInstructors`), or the whole name, or one
/// of its words (split at `-`, `_`, `.` and spaces), a slip of the
/// keyboard from one (`facilitaor`, `notes-for-instrucor`).
pub(super) fn means_facilitator(name: &str) -> bool {
    const WORDS: [&str; 2] = ["facilitator", "instructor"];
    let n = name.to_lowercase();
    if n.contains("facilitat") || n.contains("instructor") {
        return true;
    }
    let close = |w: &str, within: usize| {
        WORDS
            .iter()
            .any(|f| strsim::damerau_levenshtein(w, f) <= within)
    };
    close(&n, 2)
        || n.split(['-', '_', '.', ' '])
            .any(|w| w.chars().count() >= 6 && close(w, 1))
}

/// One block of a document: a fenced block (opened and closed, or not) or
/// an alert.
#[derive(Debug, Clone)]
pub(super) struct BlockInfo {
    /// The name as written (`instructor`), or the alert's (`note`).
    pub name: String,
    pub kind: Option<&'static Kind>,
    /// `kind` was inferred from a name or class that is not its own
    /// ([`kind_of`]).
    pub inferred: bool,
    /// Further classes of `{.name .other}`.
    pub classes: Vec<String>,
    /// From the opening fence to the closing one, in the original text.
    pub range: Range<usize>,
    pub alert: bool,
    /// Opened and closed: rendered as a block.
    pub ok: bool,
}

impl BlockInfo {
    pub(super) fn is_facilitator(&self) -> bool {
        self.kind.is_some_and(Kind::is_facilitator)
    }

    /// How items name this block, the `index`th of its document.
    pub(super) fn reference(&self, index: usize) -> BlockRef {
        BlockRef {
            index,
            facilitator: self.is_facilitator(),
        }
    }

    /// The HTML that opens the block.
    pub(super) fn open_html(&self) -> String {
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
    pub(super) fn close_html(&self) -> &'static str {
        match self.kind {
            Some(k) if k.markup == Markup::Details => "</details>\n",
            _ => "</div>\n",
        }
    }
}

/// A block, as the items that open and close it name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BlockRef {
    /// Its index among the document's blocks.
    pub index: usize,
    pub facilitator: bool,
}

/// An event, or a block boundary in its place.
#[derive(Debug, Clone)]
pub(super) enum Item<'a> {
    Md(Event<'a>),
    Open(BlockRef),
    Close(BlockRef),
    /// A fence that opens or closes nothing: shown as the line it is (the
    /// item's range).
    Literal,
}

/// Every known name, for hints.
static KNOWN_LIST: LazyLock<String> =
    LazyLock::new(|| known_names().collect::<Vec<_>>().join(", "));

/// The hint for an unknown name, fixed unless a known name is close.
static UNKNOWN_HINT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "known blocks: {}; another name is shown as a plain <div> with that class",
        *KNOWN_LIST
    )
});

/// "did you mean" and the known names.
pub(super) fn unknown_hint(name: &str) -> Cow<'static, str> {
    let lower = name.to_ascii_lowercase();
    let close = if kind(&lower).is_some() {
        Some(lower)
    } else {
        suggest(name, known_names())
    };
    match close {
        Some(s) => format!("did you mean `{s}`? Known blocks: {}", *KNOWN_LIST).into(),
        None => Cow::Borrowed(UNKNOWN_HINT.as_str()),
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
    fn names_that_mean_facilitator_make_facilitator_blocks() {
        let f = kind("facilitator");
        let none: &[String] = &[];
        for name in [
            "Facilitator",
            "facilitators",
            "FACILITATOR",
            "facilitator-notes",
            "instructors",
            "Instructor",
            "facilitaor",
            "instrucor",
            "for-facilitators",
            "notes-for-facilitators",
            "notes.for.instructors",
            "notesForFacilitators",
            "tips_for_the_facilitaor",
            "Kursleiter-facilitation",
        ] {
            assert_eq!(kind_of(name, none), (f, true), "{name}");
        }
        assert_eq!(kind_of("note", &["facilitator".into()]), (f, false));
        assert_eq!(kind_of("note", &["Instructor".into()]), (f, true));
        assert_eq!(kind_of("instructor", none), (f, false));
        for name in ["facts", "factor", "instruction-set", "notes", "sidebar"] {
            let (k, _) = kind_of(name, none);
            assert!(!k.is_some_and(Kind::is_facilitator), "{name}");
        }
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
            inferred: false,
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
