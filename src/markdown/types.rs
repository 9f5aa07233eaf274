//! The markdown dialect and what is said about a text: the parser options,
//! what an analysis finds (links, headings, blocks, problems), heading
//! anchors, and how a rendering is made (outline, id prefix, edition).
//! Shared by the other markdown modules, which [`super`] re-exports.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{HeadingLevel, Options, Tag, TagEnd};

use crate::diagnostics::code::Code;
use crate::raw_html::RawHtml;

/// The markdown extensions playbook enables everywhere.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM
}

/// One link or image destination as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Link {
    pub dest: String,
    /// Byte range of the destination (or of the whole link) in the text.
    pub range: Range<usize>,
    pub is_image: bool,
    /// For images: whether alt text was given.
    pub has_alt: bool,
    /// An email autolink (`<a@b.org>`): its destination is an address,
    /// rendered as a `mailto:` link.
    pub is_email: bool,
    /// Inside a `facilitator` (`instructor`) block: not in the participant
    /// edition.
    pub facilitator: bool,
}

/// A heading with its anchor.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Heading {
    /// The level on a session page: the body's top level is 2 and no
    /// level is skipped ([`Outline::Normalize`]).
    pub level: u8,
    pub text: String,
    /// GitHub-style anchor, unique within the document.
    pub anchor: String,
    /// Inside a `facilitator` (`instructor`) block.
    pub facilitator: bool,
}

/// A fenced block (opened and closed) or a GitHub alert.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Block {
    /// The name as written (`instructor`), or the alert's (`note` for
    /// `[!NOTE]`).
    pub name: String,
    /// From the opening fence to the end of the closing one (the whole
    /// quote for an alert).
    pub range: Range<usize>,
    /// One of the names playbook styles; another is a plain `<div>`.
    pub known: bool,
    /// A `facilitator` (`instructor`) block.
    pub facilitator: bool,
    /// A GitHub alert (`> [!NOTE]`) rather than a fence.
    pub alert: bool,
}

/// A problem with a text's fenced blocks, for `resolve` to report.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Issue {
    /// An error; otherwise a warning.
    pub error: bool,
    /// `unknown-block`, `unclosed-block` or `stray-fence`.
    pub code: Code,
    pub message: String,
    /// Mostly one fixed text: a hostile text may have a problem on every
    /// line.
    pub hint: Cow<'static, str>,
    /// The fence line, in the text.
    pub range: Range<usize>,
}

impl Issue {
    pub(super) fn error(
        code: Code,
        message: String,
        hint: impl Into<Cow<'static, str>>,
        range: Range<usize>,
    ) -> Self {
        Issue {
            error: true,
            code,
            message,
            hint: hint.into(),
            range,
        }
    }

    pub(super) fn warning(
        code: Code,
        message: String,
        hint: impl Into<Cow<'static, str>>,
        range: Range<usize>,
    ) -> Self {
        Issue {
            error: false,
            ..Issue::error(code, message, hint, range)
        }
    }
}

/// What a markdown text contains that needs checking or linking. Every
/// range is a byte range of the text as written.
#[derive(Debug, Clone, Default)]
pub(crate) struct Analysis {
    pub links: Vec<Link>,
    pub headings: Vec<Heading>,
    /// Blocks in the order they open.
    pub blocks: Vec<Block>,
    pub issues: Vec<Issue>,
    /// URLs raw HTML refers to (`<img src>`, `<a href>`, `<source
    /// srcset>`, …) as written, each with whether it lies in a
    /// `facilitator` block.
    pub raw_urls: Vec<(String, bool)>,
    /// At most one paragraph and nothing else (no block, list, heading,
    /// quote, code or rule): text a heading or a link can show as it is.
    pub one_paragraph: bool,
}

pub(super) fn link(text: &str, range: Range<usize>, dest: &str, is_image: bool) -> Link {
    // Point at the destination itself when it is written literally.
    let whole = &text[range.clone()];
    let range = match whole.rfind(dest) {
        Some(i) if !dest.is_empty() => range.start + i..range.start + i + dest.len(),
        _ => range,
    };
    Link {
        dest: dest.to_string(),
        range,
        is_image,
        has_alt: false,
        is_email: false,
        facilitator: false,
    }
}

pub(super) fn level_num(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The first `n` of `all` headings, and the first `n` of those outside
/// facilitator blocks: what either edition lists of its first headings.
pub(crate) fn first_headings(all: &[Heading], n: usize) -> Vec<Heading> {
    let mut shown = 0;
    all.iter()
        .enumerate()
        .filter(|(i, h)| {
            let shown_before = shown;
            if !h.facilitator {
                shown += 1;
            }
            *i < n || (!h.facilitator && shown_before < n)
        })
        .map(|(_, h)| h.clone())
        .collect()
}

/// GitHub-style heading anchors, made unique with `-1`, `-2`, ... suffixes
/// (skipping a suffixed anchor another heading already has, as
/// github-slugger does).
pub(crate) struct Slugger {
    /// Each heading text's slug, with how many suffixes it has used: the
    /// anchors given are these slugs and, for each, its first suffixes
    /// (every one either given to it or skipped because taken), so a
    /// thousand headings of one text cost one entry.
    seen: std::collections::HashMap<String, usize>,
}

/// Ids the default theme's pages give their own elements (the main
/// landmark, the search form's parts, and `{session}-title` of a session's
/// heading in the guide and workbook, where the body's ids are
/// `{session}-{slug}`): a heading with that slug gets `-1`, so no page
/// holds an id twice.
pub(super) const RESERVED_IDS: [&str; 5] = [
    "main",
    "search-q",
    "search-status",
    "search-results",
    "title",
];

/// The anchor of a heading whose slug would be empty.
const EMPTY_SLUG: &str = "section";

impl Default for Slugger {
    fn default() -> Self {
        Slugger {
            seen: RESERVED_IDS.iter().map(|id| (id.to_string(), 0)).collect(),
        }
    }
}

impl Slugger {
    pub(crate) fn slug(&mut self, text: &str) -> String {
        let mut base = slugify(text);
        // A heading without letters or digits (`#`, `## ???`): an empty
        // id is no valid HTML, and `#` links to no heading.
        if base.is_empty() {
            base.push_str(EMPTY_SLUG);
        }
        let used = match self.seen.get(&base) {
            Some(&used) => used,
            None if !self.taken_as_suffix(&base) => {
                self.seen.insert(base.clone(), 0);
                return base;
            }
            None => 0,
        };
        // Each try moves the slug's counter on, so all headings together
        // try at most as many anchors as there are headings. `base-n`,
        // past the suffixes used so far, is taken only as a heading's own
        // slug.
        let mut n = used;
        let mut out = String::with_capacity(base.len() + 8);
        loop {
            n += 1;
            out.clear();
            out.push_str(&base);
            out.push('-');
            push_decimal(&mut out, n);
            if !self.seen.contains_key(&out) {
                break;
            }
        }
        match self.seen.get_mut(&base) {
            Some(c) => *c = n,
            None => {
                self.seen.insert(base, n);
            }
        }
        out
    }

    /// Whether `anchor`, not a slug seen, was given as a suffixed one.
    fn taken_as_suffix(&self, anchor: &str) -> bool {
        let Some((base, suffix)) = anchor.rsplit_once('-') else {
            return false;
        };
        let suffix_ok = !suffix.is_empty()
            && !suffix.starts_with('0')
            && suffix.bytes().all(|c| c.is_ascii_digit());
        suffix_ok
            && match (suffix.parse::<usize>(), self.seen.get(base)) {
                (Ok(k), Some(&used)) => k <= used,
                _ => false,
            }
    }
}

/// `n` in decimal, at the end of `out` (without the formatting machinery:
/// a text of many headings makes many anchors).
fn push_decimal(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|&d| d as char));
}

/// The anchors of a text's headings, given in order with whether each
/// lies in a `facilitator` block: the headings participants see take
/// their slugs first, in order, and the facilitators' ones after them, so
/// that a participants' heading never gets a `-1` because of one their
/// edition hides, and every heading has the same anchor in both editions
/// (links into it resolve in each).
pub(super) fn anchors<'t>(headings: impl Iterator<Item = (&'t str, bool)> + Clone) -> Vec<String> {
    let mut slugs = Slugger::default();
    let mut out: Vec<String> = headings
        .clone()
        .map(|(t, facilitator)| {
            if facilitator {
                String::new()
            } else {
                slugs.slug(t)
            }
        })
        .collect();
    for ((t, facilitator), anchor) in headings.zip(out.iter_mut()) {
        if facilitator {
            *anchor = slugs.slug(t);
        }
    }
    out
}

/// Lowercase, drop punctuation, spaces to hyphens (GitHub's rule).
pub(crate) fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// How heading levels are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outline {
    /// Each level `n` written becomes `n + shift` (at most 6): for YAML
    /// fields.
    Shift(u8),
    /// An outline without gaps from level `base`: a stack of the written
    /// levels is kept; each heading pops the entries at or below its own
    /// level (a number at least as large), is pushed, and gets `base +
    /// depth - 1` (at most 6). `##`, `####`, `##`, `###` become `h2`,
    /// `h3`, `h2`, `h3` with base 2; a `#` in a body becomes `h2`.
    Normalize(u8),
}

/// Which edition a rendering is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Edition {
    /// Everything; `facilitator` blocks shown, marked as such.
    #[default]
    Facilitator,
    /// `facilitator` blocks left out entirely, content and wrapper.
    Participant,
}

/// How one rendering of a markdown text is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HtmlOptions<'p> {
    pub outline: Outline,
    /// Put before every heading id (so several documents can share a page).
    pub id_prefix: &'p str,
    /// What raw HTML in the markdown becomes.
    pub raw: RawHtml,
    pub edition: Edition,
    /// Phrasing content only (for a title shown in a heading or a link):
    /// paragraphs and other blocks flattened, separated by line breaks;
    /// fenced blocks keep their content without their box.
    pub phrasing: bool,
}

impl Default for HtmlOptions<'_> {
    fn default() -> Self {
        HtmlOptions {
            outline: Outline::Shift(0),
            id_prefix: "",
            raw: RawHtml::default(),
            edition: Edition::default(),
            phrasing: false,
        }
    }
}

impl HtmlOptions<'_> {
    /// A session guide's body on its own page: the page's `h1` is the
    /// session title, the body's outline starts at `h2`.
    pub(crate) fn session_page(raw: RawHtml) -> Self {
        HtmlOptions {
            outline: Outline::Normalize(2),
            raw,
            ..HtmlOptions::default()
        }
    }

    /// A session guide's body in the one-page facilitator guide, under the
    /// session's `h2`: its outline starts at `h3`, heading ids get
    /// `id_prefix`.
    pub(crate) fn guide(raw: RawHtml, id_prefix: &str) -> HtmlOptions<'_> {
        HtmlOptions {
            outline: Outline::Normalize(3),
            id_prefix,
            raw,
            edition: Edition::Facilitator,
            phrasing: false,
        }
    }
}

/// Whether a tag is inline (inside a line of text) rather than a block.
pub(super) fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// Whether an end tag closes an inline tag ([`is_inline`]).
pub(super) fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

pub(super) fn heading_level(n: u8) -> HeadingLevel {
    match n {
        0 | 1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Heading levels as an [`Outline`] makes them.
pub(super) struct Levels {
    outline: Outline,
    /// The original levels of the enclosing headings.
    stack: Vec<u8>,
}

impl Levels {
    pub(super) fn new(outline: Outline) -> Self {
        Levels {
            outline,
            stack: Vec::new(),
        }
    }

    /// The level of the next heading, written at level `written`.
    pub(super) fn level(&mut self, written: u8) -> u8 {
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

    /// A suffixed anchor a heading already has is skipped, and a heading
    /// written with a suffix keeps its own: no two headings share an id
    /// (as github-slugger).
    #[test]
    fn the_first_headings_of_either_edition_are_kept() {
        let h = |anchor: &str, facilitator| Heading {
            level: 2,
            text: String::new(),
            anchor: anchor.into(),
            facilitator,
        };
        let all = [
            h("a", true),
            h("b", true),
            h("c", false),
            h("d", true),
            h("e", false),
            h("f", false),
        ];
        let kept: Vec<String> = first_headings(&all, 2)
            .into_iter()
            .map(|h| h.anchor)
            .collect();
        // Facilitators' first two, and participants' first two.
        assert_eq!(kept, ["a", "b", "c", "e"]);
        assert_eq!(first_headings(&all, 6), all);
    }

    #[test]
    fn a_heading_without_letters_gets_an_anchor_all_the_same() {
        // An empty id is no valid HTML, and `#` links nowhere.
        let mut s = Slugger::default();
        let got: Vec<String> = ["", "???", "Section"].iter().map(|t| s.slug(t)).collect();
        assert_eq!(got, ["section", "section-1", "section-2"]);
    }

    #[test]
    fn anchors_never_repeat() {
        let mut s = Slugger::default();
        let got: Vec<String> = ["x-1", "x", "x", "x", "x-2", "main", "x-3", "x-01"]
            .iter()
            .map(|t| s.slug(t))
            .collect();
        assert_eq!(
            got,
            ["x-1", "x", "x-2", "x-3", "x-2-1", "main-1", "x-3-1", "x-01"]
        );
    }

    #[test]
    fn many_colliding_headings_get_unique_anchors_in_linear_time() {
        let mut s = Slugger::default();
        let mut anchors = std::collections::HashSet::new();
        for i in 0..20_000 {
            anchors.insert(s.slug(&format!("x-{i}")));
            anchors.insert(s.slug("x"));
        }
        assert_eq!(anchors.len(), 40_000);
        // One entry per heading text, not per anchor.
        let mut s = Slugger::default();
        for _ in 0..1000 {
            s.slug("same");
        }
        assert_eq!(s.seen.len(), RESERVED_IDS.len() + 1);
    }
}
