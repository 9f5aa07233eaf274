//! Fenced blocks, located: which lines of a markdown text are Pandoc-style
//! fences (`::: name` … `:::`), and the text pulldown-cmark then reads, in
//! which each fence line is replaced by a marker comment.
//!
//! Fences are looked for only where pulldown-cmark itself says a line is
//! paragraph text: a line of a paragraph, of a tight list item (which has
//! no paragraph events) or of a setext heading's text, or a row without a
//! pipe that a table took in. So a `:::` line in a fenced or indented code
//! block, an HTML block, a link reference definition or an ATX heading is
//! never a fence. Each fence line is then replaced — after its container prefix
//! (`> `, a list item's indentation), which stays — by an HTML comment
//! `<!--TOKEN_N-->`: a type 2 HTML block, which may interrupt a paragraph
//! and ends on its own line, so pulldown-cmark decides the structure
//! around it (a fence right after a list item ends the list, a fence
//! indented four spaces into a paragraph stays text, as Pandoc has it).
//! TOKEN occurs nowhere in the author's text, so no marker can be forged.
//! Offsets in the replaced text map back to the original text with
//! [`Prepared::original`].

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::types::{is_inline, is_inline_end};

/// What a fence line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum FenceLine {
    /// `::: name`, `::: {.name .other #id}`: opens a block.
    Open {
        colons: usize,
        /// The first class.
        name: String,
        /// The other classes.
        classes: Vec<String>,
    },
    /// A line of colons only.
    Close { colons: usize },
}

/// One fence line of the original text.
#[derive(Debug, Clone)]
pub(super) struct Fence {
    /// The line in the original text, without its container prefix,
    /// indentation and trailing spaces.
    pub range: Range<usize>,
    pub line: FenceLine,
}

/// Characters of a class or block name (safe in a `class` attribute).
fn is_class(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Read a fence line (without indentation): three or more colons, then a
/// name or `{…}` attributes and optionally more colons (an opening fence),
/// or nothing (a closing fence). None when the line is not a fence.
pub(super) fn parse_fence(line: &str) -> Option<FenceLine> {
    let line = line.trim_end();
    let colons = line.bytes().take_while(|&b| b == b':').count();
    if colons < 3 {
        return None;
    }
    let rest = line[colons..].trim_start();
    if rest.is_empty() {
        return Some(FenceLine::Close { colons });
    }
    let (classes, after) = if let Some(inner) = rest.strip_prefix('{') {
        let end = inner.find('}')?;
        (attribute_classes(&inner[..end])?, &inner[end + 1..])
    } else {
        let end = rest
            .find(|c: char| c.is_whitespace() || c == ':')
            .unwrap_or(rest.len());
        let word = &rest[..end];
        if !is_class(word) {
            return None;
        }
        (vec![word.to_string()], &rest[end..])
    };
    if !after.trim().bytes().all(|b| b == b':') {
        return None;
    }
    let mut classes = classes.into_iter();
    let name = classes.next()?;
    Some(FenceLine::Open {
        colons,
        name,
        classes: classes.collect(),
    })
}

/// The classes of Pandoc attributes (`.a .b #id key=value key="v w"`); None
/// when the attributes are malformed.
fn attribute_classes(attrs: &str) -> Option<Vec<String>> {
    let mut classes = Vec::new();
    let mut rest = attrs.trim_start();
    while !rest.is_empty() {
        let token_end = |s: &str| s.find(char::is_whitespace).unwrap_or(s.len());
        if let Some(c) = rest.strip_prefix('.') {
            let end = token_end(c);
            if !is_class(&c[..end]) {
                return None;
            }
            classes.push(c[..end].to_string());
            rest = &c[end..];
        } else if let Some(id) = rest.strip_prefix('#') {
            let end = token_end(id);
            if end == 0 {
                return None;
            }
            rest = &id[end..];
        } else {
            let eq = rest.find('=')?;
            if !is_class(&rest[..eq]) {
                return None;
            }
            let value = &rest[eq + 1..];
            rest = match value.strip_prefix('"') {
                Some(v) => &v[v.find('"')? + 1..],
                None => &value[token_end(value)..],
            };
        }
        rest = rest.trim_start();
    }
    Some(classes)
}

/// End of the line holding byte `at`, without its line terminator.
fn line_end(text: &str, at: usize) -> usize {
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if end > at && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// The text of one line of a paragraph, as pulldown-cmark's events show it.
#[derive(Default)]
struct Line {
    /// Start of the first and end of the last text event.
    span: Option<Range<usize>>,
    /// Something other than plain text at the paragraph's top level.
    spoiled: bool,
}

impl Line {
    fn add(&mut self, r: Range<usize>) {
        self.span = Some(match self.span.take() {
            Some(s) => s.start..r.end,
            None => r,
        });
    }

    /// The fence this line is, when its text covers the whole line.
    fn fence(self, text: &str) -> Option<Fence> {
        let span = self.span.filter(|_| !self.spoiled)?;
        let content = text[span.start..line_end(text, span.start)].trim_end();
        if span.end < span.start + content.len() {
            return None;
        }
        let line = parse_fence(content)?;
        Some(Fence {
            range: span.start..span.start + content.len(),
            line,
        })
    }
}

/// A block being read: one whose lines of text may be fences (a
/// paragraph, a setext heading, a tight list item, which has no paragraph
/// events) or another.
struct Frame {
    text: bool,
    line: Line,
    /// Inline tags open in the current line.
    depth: usize,
}

/// Every fence line of `text`, in document order.
fn find_fences(text: &str) -> Vec<Fence> {
    let mut out = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    // A table row: its range, and the start of its first text.
    let mut row: Option<(Range<usize>, Option<usize>)> = None;
    for (ev, r) in Parser::new_ext(text, super::types::options()).into_offset_iter() {
        match &ev {
            Event::Start(Tag::TableRow) => row = Some((r.clone(), None)),
            Event::Text(_) if row.as_ref().is_some_and(|x| x.1.is_none()) => {
                if let Some(x) = row.as_mut() {
                    x.1 = Some(r.start);
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some((range, Some(start))) = row.take() {
                    let content = text[start..line_end(text, start)].trim_end();
                    if !text[range].contains('|') {
                        out.extend(parse_fence(content).map(|line| Fence {
                            range: start..start + content.len(),
                            line,
                        }));
                    }
                }
            }
            _ => {}
        }
        let top = frames.last_mut();
        match ev {
            Event::Start(tag) if is_inline(&tag) => {
                if let Some(f) = top {
                    f.depth += 1;
                    f.line.spoiled = true;
                }
            }
            Event::End(tag) if is_inline_end(&tag) => {
                if let Some(f) = top {
                    f.depth = f.depth.saturating_sub(1);
                    f.line.spoiled = true;
                }
            }
            Event::Start(tag) => {
                // A block inside a tight list item ends its line of text.
                if let Some(f) = top.filter(|f| f.text) {
                    out.extend(std::mem::take(&mut f.line).fence(text));
                }
                let text_block = match tag {
                    Tag::Paragraph | Tag::Item => true,
                    // Setext headings only: `::: note` over a `---` line.
                    Tag::Heading { .. } => !text[r.start..].starts_with('#'),
                    _ => false,
                };
                frames.push(Frame {
                    text: text_block,
                    line: Line::default(),
                    depth: 0,
                });
            }
            Event::End(_) => {
                if let Some(f) = frames.pop().filter(|f| f.text) {
                    out.extend(f.line.fence(text));
                }
            }
            _ => {
                let Some(f) = top.filter(|f| f.text) else {
                    continue;
                };
                match ev {
                    Event::SoftBreak | Event::HardBreak => {
                        out.extend(std::mem::take(&mut f.line).fence(text));
                        f.line.spoiled = f.depth > 0;
                    }
                    Event::Text(_) if f.depth == 0 => f.line.add(r),
                    _ => f.line.spoiled = true,
                }
            }
        }
    }
    out.sort_by_key(|f| f.range.start);
    out
}

/// The most fence lines one text may have; those after are text. No
/// lesson comes near; a hostile text of a megabyte of `:::` lines would
/// otherwise cost a diagnostic every four bytes.
pub(super) const MAX_FENCES: usize = 10_000;

/// One marker: where it is in the replaced text and which original bytes
/// it stands for.
#[derive(Debug, Clone)]
struct Edit {
    new: Range<usize>,
    old: Range<usize>,
}

/// A markdown text with its fence lines replaced by markers.
pub(super) struct Prepared<'a> {
    pub original: &'a str,
    /// The text pulldown-cmark reads.
    pub text: Cow<'a, str>,
    pub fences: Vec<Fence>,
    /// The first fence line after [`MAX_FENCES`], left as text.
    pub overflow: Option<Range<usize>>,
    /// Which fences are replaced by a marker.
    active: Vec<bool>,
    token: String,
    edits: Vec<Edit>,
}

impl<'a> Prepared<'a> {
    /// Find the fences of `original` and replace each by its marker.
    pub(super) fn new(original: &'a str) -> Self {
        let mut fences = if original.contains(":::") {
            find_fences(original)
        } else {
            Vec::new()
        };
        let overflow = fences.get(MAX_FENCES).map(|f| f.range.clone());
        fences.truncate(MAX_FENCES);
        let mut p = Prepared {
            original,
            text: Cow::Borrowed(original),
            overflow,
            active: vec![true; fences.len()],
            token: if fences.is_empty() {
                String::new()
            } else {
                unused_token(original)
            },
            fences,
            edits: Vec::new(),
        };
        p.substitute();
        p
    }

    /// Whether any fence is replaced.
    pub(super) fn any_active(&self) -> bool {
        !self.edits.is_empty()
    }

    /// Whether fence `k` is replaced.
    pub(super) fn is_active(&self, k: usize) -> bool {
        self.active[k]
    }

    /// Put the original text back for these fences (they are not fences
    /// after all: pulldown-cmark read their markers as something else).
    pub(super) fn deactivate(&mut self, ks: impl IntoIterator<Item = usize>) {
        for k in ks {
            self.active[k] = false;
        }
        self.substitute();
    }

    fn substitute(&mut self) {
        self.edits.clear();
        if !self.active.iter().any(|&a| a) {
            self.text = Cow::Borrowed(self.original);
            return;
        }
        let mut s = String::with_capacity(self.original.len() + 32 * self.fences.len());
        let mut pos = 0;
        for (k, f) in self.fences.iter().enumerate() {
            if !self.active[k] {
                continue;
            }
            s.push_str(&self.original[pos..f.range.start]);
            let start = s.len();
            let _ = write!(s, "<!--{}_{k}-->", self.token);
            self.edits.push(Edit {
                new: start..s.len(),
                old: f.range.clone(),
            });
            pos = f.range.end;
        }
        s.push_str(&self.original[pos..]);
        self.text = Cow::Owned(s);
    }

    /// The fence whose marker `html` is (an HTML block's one line).
    pub(super) fn marker(&self, html: &str) -> Option<usize> {
        let inner = html
            .trim()
            .strip_prefix("<!--")?
            .strip_suffix("-->")?
            .strip_prefix(self.token.as_str())?
            .strip_prefix('_')?;
        let k: usize = inner.parse().ok()?;
        (k < self.fences.len() && inner == k.to_string()).then_some(k)
    }

    /// Byte offset `at` of the replaced text in the original text (the
    /// start of its fence for an offset inside a marker).
    pub(super) fn original(&self, at: usize) -> usize {
        let i = self.edits.partition_point(|e| e.new.start <= at);
        let Some(e) = i.checked_sub(1).map(|i| &self.edits[i]) else {
            return at;
        };
        if at >= e.new.end {
            at - e.new.end + e.old.end
        } else {
            e.old.start + (at - e.new.start).min(e.old.len())
        }
    }

    /// [`Prepared::original`] of a range.
    pub(super) fn original_range(&self, r: &Range<usize>) -> Range<usize> {
        self.original(r.start)..self.original(r.end)
    }
}

/// A marker token that occurs nowhere in `text`: derived from the text's
/// hash (so builds stay reproducible), changed until it is unused.
pub(super) fn unused_token(text: &str) -> String {
    // FNV-1a.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    loop {
        let token = format!("pb-block-{h:016x}");
        if !text.contains(token.as_str()) {
            return token;
        }
        h = h.wrapping_mul(0x9e37_79b9_7f4a_7c15).wrapping_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(colons: usize, name: &str, classes: &[&str]) -> Option<FenceLine> {
        Some(FenceLine::Open {
            colons,
            name: name.into(),
            classes: classes.iter().map(|s| s.to_string()).collect(),
        })
    }

    #[test]
    fn fence_lines_in_pandoc_forms() {
        assert_eq!(parse_fence("::: note"), open(3, "note", &[]));
        assert_eq!(parse_fence("::::: {.tip}"), open(5, "tip", &[]));
        assert_eq!(
            parse_fence(":::{.challenge .hard #c1 level=\"two words\"} :::"),
            open(3, "challenge", &["hard"])
        );
        assert_eq!(
            parse_fence("::: keypoints ::::::"),
            open(3, "keypoints", &[])
        );
        assert_eq!(
            parse_fence("::::::::   "),
            Some(FenceLine::Close { colons: 8 })
        );
        assert_eq!(parse_fence(":: note"), None);
        assert_eq!(parse_fence("::: two words"), None);
        assert_eq!(parse_fence("::: {#only-an-id}"), None);
        assert_eq!(parse_fence("::: {.note"), None);
        assert_eq!(parse_fence("::: <b>"), None);
        assert_eq!(parse_fence("::: {.a\"b}"), None);
    }

    #[test]
    fn fences_are_found_only_in_paragraph_text() {
        let t = "::: note\nText\n:::\n\n```\n::: tip\n```\n\n    ::: tip\n\n## ::: tip\n\n\
                 Para\n    ::: tip\n\n> ::: tip\n> :::\n";
        let p = Prepared::new(t);
        let found: Vec<&str> = p.fences.iter().map(|f| &t[f.range.clone()]).collect();
        assert_eq!(found, ["::: note", ":::", "::: tip", "::: tip", ":::"]);
        // The indented one inside a paragraph is found here; the second
        // parse reads its marker as inline HTML, and it is let go.
        assert_eq!(
            p.fences[2].range.start,
            t.find("    ::: tip\n\n>").unwrap() + 4
        );
    }

    #[test]
    fn markers_map_back_to_the_original_offsets() {
        let t = "::: note\n[a](b)\n:::\n";
        let p = Prepared::new(t);
        assert_eq!(p.fences.len(), 2);
        let link = p.text.find("[a]").unwrap();
        assert_eq!(p.original(link), t.find("[a]").unwrap());
        assert_eq!(p.original(p.text.len()), t.len());
        assert_eq!(p.original(3), 3);
        let m = p.text.lines().next().unwrap();
        assert_eq!(p.marker(m), Some(0));
        assert_eq!(p.marker("<!--x_0-->"), None);
    }

    #[test]
    fn the_token_never_occurs_in_the_text() {
        let t0 = "::: note\nx\n:::\n";
        let first = unused_token(t0);
        let t = format!("{t0}<!--{first}_0-->\n");
        let p = Prepared::new(&t);
        assert!(!t.contains(p.token.as_str()));
        assert_ne!(p.marker(&format!("<!--{first}_0-->")), Some(0));
    }
}
