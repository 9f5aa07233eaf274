//! The analysis of a text as its items stream by ([`Scan`]): links and
//! images with their places, headings with their anchors and levels,
//! blocks, and the problems only the whole text shows (fences read as
//! paragraph text, footnotes participants would cite but not see), with
//! offsets into the original text — whether the items come from a stream
//! or from a kept [`super::Document`].

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Tag, TagEnd};

use crate::diagnostics::code::Code;

use super::blocks::{kind_of, BlockInfo, Item};
use super::hidden::NoteUse;
use super::types::{anchors, level_num, link, Analysis, Block, Heading, Issue, Levels, Outline};

/// How many `inline-fence` problems one text reports at most (a text of
/// such lines would otherwise give one per line).
const MAX_INLINE_FENCES: usize = 100;

/// The analysis of a text, made as its items stream by.
pub(super) struct Scan<'s> {
    source: &'s str,
    out: Analysis,
    levels: Levels,
    heading: Option<(u8, String)>,
    /// The image being read: its index in the links, its alt text so far.
    image: Option<(usize, String)>,
    /// How many facilitator blocks are open.
    facilitator: usize,
    /// A line of a paragraph just started.
    line_start: bool,
    /// A quote just started.
    quote_start: bool,
    /// Footnotes: for each label (lowercase), whether every definition
    /// lies in a facilitator block; and every reference outside one.
    notes: HashMap<String, bool>,
    note_refs: Vec<(String, Range<usize>)>,
    /// Which notes only facilitators cite; the headings (`true`) and links
    /// (by index) in a note's definition, with its key.
    note_use: NoteUse,
    in_notes: Vec<(bool, usize, String)>,
    /// Problems found here (fences that are not on lines of their own).
    issues: Vec<Issue>,
    /// How deep in markdown containers the events are; how many top-level
    /// paragraphs were seen, and whether anything else was.
    depth: usize,
    paragraphs: usize,
    not_paragraph: bool,
}

impl<'s> Scan<'s> {
    pub(super) fn new(source: &'s str) -> Self {
        Scan {
            source,
            out: Analysis::default(),
            levels: Levels::new(Outline::Normalize(2)),
            heading: None,
            image: None,
            facilitator: 0,
            line_start: false,
            quote_start: false,
            notes: HashMap::new(),
            note_refs: Vec::new(),
            note_use: NoteUse::default(),
            in_notes: Vec::new(),
            issues: Vec::new(),
            depth: 0,
            paragraphs: 0,
            not_paragraph: false,
        }
    }

    /// A line of a paragraph, or of an HTML block, that starts with
    /// `:::` (after any white space): a fence read as text (a YAML `>`
    /// scalar folds a block's lines into one; a fence indented four spaces
    /// continues the paragraph before it; an HTML line before it without a
    /// blank line takes it into its HTML block; a no-break or other
    /// Unicode space before it makes it text), so its block is shown as
    /// text — an error when it is meant for facilitators.
    fn fence_as_text(&mut self, text: &str, range: &Range<usize>, in_html: bool) {
        let Some((name, facilitator)) = would_open(text) else {
            return;
        };
        if self.issues.len() >= MAX_INLINE_FENCES {
            return;
        }
        // The line from its `:::`.
        let from = text.find(":::").unwrap_or(0);
        let range = &(range.start + from..range.start + text.trim_end().len().max(from));
        let hint = if in_html {
            "a fence after an HTML line is part of that HTML block, which runs to the next blank line: put a blank line between them"
        } else if text.starts_with(|c: char| !c.is_ascii()) {
            "a no-break space or another Unicode space stands before this `:::`: a fence starts the line, or is indented with at most three ordinary spaces"
        } else {
            "a fence is a line of its own (`::: name`, later `:::`), indented at most three spaces; in a YAML field write the text with `|`, which keeps its lines (`>` folds them into one)"
        };
        let what = if in_html {
            "an HTML block"
        } else {
            "a paragraph"
        };
        let issue = if facilitator {
            Issue::error(
                Code::InlineFence,
                format!("this `::: {name}` is read as part of {what} and opens no block: participants would see its text"),
                hint,
                range.clone(),
            )
        } else {
            Issue::warning(
                Code::InlineFence,
                format!(
                    "this `:::` is read as part of {what}: it opens no block and is shown as text"
                ),
                hint,
                range.clone(),
            )
        };
        self.issues.push(issue);
    }

    /// The link (or heading) just added lies in the definition of a
    /// footnote: it is the facilitators' if the note turns out to be.
    fn in_note(&mut self, heading: bool) {
        if let Some(key) = self.note_use.in_note() {
            let at = if heading {
                self.out.headings.len()
            } else {
                self.out.links.len()
            } - 1;
            self.in_notes.push((heading, at, key.to_string()));
        }
    }

    /// A piece of raw HTML: the URLs it refers to, and the theme's ids it
    /// would take.
    fn raw_html(&mut self, html: &str, range: &Range<usize>, facilitator: bool) {
        if !html.contains('=') {
            return;
        }
        let urls = crate::raw_html::urls(html).into_iter();
        self.out.raw_urls.extend(urls.map(|u| (u, facilitator)));
        // `<div class="facilitator">` is meant as a facilitator block and
        // is none: participants would see it.
        if !facilitator && self.issues.len() < MAX_INLINE_FENCES {
            let meant = crate::raw_html::attributes(html)
                .filter(|a| a.name == "class")
                .flat_map(|a| a.value.split_whitespace())
                .find(|c| super::blocks::means_facilitator(c));
            if let Some(class) = meant {
                self.issues.push(Issue::error(
                    Code::UnknownBlock,
                    format!("raw HTML with the class `{class}` is not a facilitator block: participants would see its text"),
                    "write facilitators' notes as a `::: facilitator` block",
                    range.clone(),
                ));
            }
        }
        for id in crate::raw_html::theme_ids(html) {
            if self.issues.len() >= MAX_INLINE_FENCES {
                break;
            }
            self.issues.push(Issue::warning(
                Code::ReservedId,
                format!("raw HTML gives the id `{id}`, which the theme's pages use for their own elements: it is left out"),
                "choose another id: `main`, `title`, `goal` and ids that start with `search-`, `fn-`, `a-`, `c-`, `level-` or `module-` or end with `-title` are the theme's",
                range.clone(),
            ));
        }
    }

    /// An indented code block that starts with a facilitator fence: a
    /// fence indented four spaces (or a tab) after a blank line, shown as
    /// code, to participants too.
    fn indented_code(&mut self, range: &Range<usize>) {
        let first = self.source[range.clone()].lines().next().unwrap_or("");
        let Some((name, true)) = would_open(first) else {
            return;
        };
        let from = range.start + first.find(|c: char| !c.is_whitespace()).unwrap_or(0);
        self.issues.push(Issue::error(
            Code::InlineFence,
            format!("this `::: {name}` is indented four spaces or more and read as code: participants would see its text"),
            "indent a fence at most three spaces (a tab counts as four)",
            from..range.start + first.trim_end().len(),
        ));
    }

    /// The first paragraph of a quote (`range`) that starts with
    /// `[!NAME]` with a facilitator name: not an alert (GitHub's are NOTE,
    /// TIP, IMPORTANT, WARNING and CAUTION), so a quote shown as it is, to
    /// participants too.
    fn quote(&mut self, range: &Range<usize>) {
        let Some(rest) = self.source[range.start..].strip_prefix("[!") else {
            return;
        };
        let Some(name) = rest
            .get(..rest.len().min(64))
            .and_then(|r| r.split(']').next())
        else {
            return;
        };
        if name.len() == rest.len().min(64) || !super::blocks::means_facilitator(name) {
            return;
        }
        self.issues.push(Issue::error(
            Code::UnknownBlock,
            format!(
                "`[!{name}]` is not an alert: the quote is shown as written, to participants too"
            ),
            "write facilitators' notes as a `::: facilitator` block",
            range.start..range.start + name.len() + 3,
        ));
    }

    /// A fenced code block (`range`: from its opening fence to its end):
    /// one never closed runs to the end of its list item, quote or text,
    /// and shows what it swallows as code — an error when that holds a
    /// facilitator block, a warning when it runs to the end of the text.
    fn code_fence(&mut self, range: &Range<usize>) {
        let text = &self.source[range.clone()];
        let mut lines = text.lines();
        let Some(first) = lines.next() else {
            return;
        };
        let Some(at) = first.find(['`', '~']) else {
            return;
        };
        let c = first[at..].chars().next().unwrap_or('`');
        let n = first[at..].chars().take_while(|&x| x == c).count();
        let rest: Vec<&str> = lines.collect();
        let closing = |l: &&str| {
            let l = l.trim_start_matches([' ', '\t', '>']).trim_end();
            l.len() >= n && l.chars().all(|x| x == c)
        };
        if rest
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .is_some_and(closing)
        {
            return;
        }
        let swallowed = rest.iter().find_map(|l| {
            let l = l.trim_start_matches([' ', '\t', '>']);
            would_open(l).filter(|(_, f)| *f).map(|(name, _)| name)
        });
        let fence = &first[at..at + n * c.len_utf8()];
        let at = range.start + at..range.start + first.len();
        let issue = match swallowed {
            Some(name) => Issue::error(
                Code::UnclosedCodeFence,
                format!("this code fence `{fence}` is never closed: it shows the `::: {name}` block after it as code, to participants too"),
                format!("close the code with a line of `{fence}`"),
                at,
            ),
            None if self.source[range.end..].trim_start().is_empty() => Issue::warning(
                Code::UnclosedCodeFence,
                format!("this code fence `{fence}` is never closed: the rest of the text is shown as code"),
                format!("close the code with a line of `{fence}`"),
                at,
            ),
            None => return,
        };
        self.issues.push(issue);
    }

    pub(super) fn feed(&mut self, item: &Item, range: &Range<usize>) {
        self.note_use.see(item);
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
        let quote_start = std::mem::replace(
            &mut self.quote_start,
            matches!(ev, Event::Start(Tag::BlockQuote(None))),
        );
        match ev {
            Event::Start(Tag::Paragraph | Tag::Item) | Event::SoftBreak | Event::HardBreak => {
                self.line_start = true;
                if quote_start && matches!(ev, Event::Start(Tag::Paragraph)) {
                    self.quote(range);
                }
            }
            Event::Text(t) if line_start => self.fence_as_text(t, range, false),
            Event::Html(t) => {
                self.fence_as_text(t, range, true);
                self.raw_html(t, range, facilitator);
            }
            Event::InlineHtml(t) => self.raw_html(t, range, facilitator),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => self.code_fence(range),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => self.indented_code(range),
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
                    // Its anchor once every heading is known.
                    self.out.headings.push(Heading {
                        level,
                        text: t.trim().to_string(),
                        anchor: String::new(),
                        facilitator,
                    });
                    self.in_note(true);
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
                self.in_note(false);
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let mut l = link(self.source, range.clone(), dest_url, true);
                l.facilitator = facilitator;
                self.out.links.push(l);
                self.in_note(false);
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

    /// The analysis, once every item is fed: `blocks` and `issues` of
    /// the reading, `facilitator_defs` the links and images whose
    /// reference definitions lie in `facilitator` blocks (their indices
    /// and labels).
    pub(super) fn finish(
        mut self,
        blocks: &[BlockInfo],
        issues: Vec<Issue>,
        facilitator_defs: &[(usize, String)],
    ) -> Analysis {
        // What lies in a footnote only facilitators cite is theirs.
        let hidden = std::mem::take(&mut self.note_use).hidden();
        for (heading, at, key) in std::mem::take(&mut self.in_notes) {
            if hidden.contains(&key) {
                match heading {
                    true => self.out.headings[at].facilitator = true,
                    false => self.out.links[at].facilitator = true,
                }
            }
        }
        let anchors = anchors(
            self.out
                .headings
                .iter()
                .map(|h| (h.text.as_str(), h.facilitator)),
        );
        for (h, a) in self.out.headings.iter_mut().zip(anchors) {
            h.anchor = a;
        }
        // Participants' text may not take a link from facilitators' text;
        // the participant edition shows its text without the link.
        for (i, label) in facilitator_defs {
            let Some(l) = self.out.links.get_mut(*i) else {
                continue;
            };
            if !l.facilitator {
                let what = if l.is_image { "image" } else { "link" };
                self.issues.push(Issue::error(
                    Code::FacilitatorOnlyLink,
                    format!("{what} `{label}` is defined only inside a `facilitator` block"),
                    "participants would see its text without its destination: define it outside the block, or move the reference into it",
                    l.range.clone(),
                ));
                l.facilitator = true;
            }
        }
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
                    Code::FacilitatorOnlyLink,
                    format!("footnote `{label}` is defined only inside a `facilitator` block"),
                    "participants would see the reference and not the note: define it outside the block, or move the reference into it",
                    range,
                ));
            }
        }
        // Fence lines past the limit are text on purpose.
        if let Some(limit) = issues.iter().find(|i| i.code == Code::TooManyFences) {
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

/// Characters that show as nothing or as a space and that markdown does
/// not take for indentation: before `:::` they make a fence text.
const INVISIBLE: [char; 6] = [
    '\u{feff}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{180e}',
];

/// The colon, and characters that look like one (fullwidth, ratio,
/// modifier letter, presentation forms): `：：： facilitator` is meant as
/// a fence.
const COLONS: [char; 6] = [
    ':', '\u{ff1a}', '\u{2236}', '\u{a789}', '\u{fe13}', '\u{fe55}',
];

/// What a line starting with `:::` (after white space, Unicode spaces
/// included) would open: the name written first, and whether the name or
/// any class or attribute in `{…}` means facilitator notes. None for a
/// line that does not start with `:::` or holds only colons.
pub(super) fn would_open(line: &str) -> Option<(String, bool)> {
    let line = line.trim_start_matches(|c: char| c.is_whitespace() || INVISIBLE.contains(&c));
    let rest = line.trim_start_matches(COLONS);
    if line.len() - rest.len() < 3 || line.chars().take(3).any(|c| !COLONS.contains(&c)) {
        return None;
    }
    let rest = rest.trim_start();
    let words: Vec<&str> = match rest.strip_prefix('{') {
        Some(attrs) => attrs
            .split('}')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .map(|w| w.trim_start_matches('.'))
            .filter(|w| !w.is_empty())
            .collect(),
        None => rest
            .split(|c: char| c.is_whitespace() || c == '}')
            .next()
            .into_iter()
            .filter(|w| !w.is_empty())
            .collect(),
    };
    let (name, classes) = words.split_first()?;
    let classes: Vec<String> = classes.iter().map(|c| c.to_string()).collect();
    let facilitator = kind_of(name, &classes)
        .0
        .is_some_and(|k| k.is_facilitator());
    Some((name.to_string(), facilitator))
}
