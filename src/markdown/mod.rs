//! Markdown: front matter, link, heading and block analysis, and HTML
//! rendering.
//!
//! Owns the markdown dialect (CommonMark plus tables, footnotes, task
//! lists, strikethrough, GitHub alerts and Pandoc-style fenced blocks),
//! splitting a session guide into front matter and body, finding every
//! link and image with its position (so that `resolve` can check it and
//! report it where it is written), GitHub-style heading anchors, the
//! outline of a page, and turning markdown into HTML with link
//! destinations rewritten — for the facilitator or the participant
//! edition. [`Document`] parses a text once for any number of renderings;
//! `fences` locates `:::` lines, `blocks` pairs them and owns their markup.

use std::ops::Range;

pub(crate) use crate::raw_html::RawHtml;

mod blocks;
mod document;
mod fences;
mod hidden;
mod pairing;
mod plain;
mod scan;
mod types;

pub(crate) use document::Document;
pub use types::options;
pub(crate) use types::{first_headings, Analysis, Edition, Heading, HtmlOptions, Outline};

/// A session guide split at its front matter fences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split {
    /// Byte range of the YAML between the fences.
    pub yaml: (usize, usize),
    /// Byte offset where the markdown body starts.
    pub body: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FrontMatterError {
    /// The file does not start with a `---` line.
    Missing,
    /// The opening `---` has no closing `---`.
    Unclosed,
}

/// Find the `---` fenced YAML front matter at the very start of `text`.
pub(crate) fn split_front_matter(text: &str) -> Result<Split, FrontMatterError> {
    let mut lines = line_spans(text);
    let first = lines.next().ok_or(FrontMatterError::Missing)?;
    if text[first.clone()].trim_end() != "---" {
        return Err(FrontMatterError::Missing);
    }
    let yaml_start = first.end.min(text.len());
    let yaml_start = skip_newline(text, yaml_start);
    for l in lines {
        let line = text[l.clone()].trim_end();
        if line == "---" || line == "..." {
            return Ok(Split {
                yaml: (yaml_start, l.start),
                body: skip_newline(text, l.end),
            });
        }
    }
    Err(FrontMatterError::Unclosed)
}

fn skip_newline(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    if rest.starts_with("\r\n") {
        at + 2
    } else if rest.starts_with('\n') {
        at + 1
    } else {
        at
    }
}

/// Byte ranges of lines, without their line terminators.
fn line_spans(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        pos = end + 1;
        let content_end = if end > start && text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        Some(start..content_end)
    })
}

/// Find links, images, headings and blocks, in document order.
pub(crate) fn analyze(text: &str) -> Analysis {
    document::analyze(text)
}

/// `text` as markdown, as `edition` shows it: in the participant edition
/// without its `facilitator` blocks (fences and all), the footnotes only
/// they cite and raw HTML comments, for exports that hand the markdown on.
pub(crate) fn source_in(text: &str, edition: Edition) -> std::borrow::Cow<'_, str> {
    if edition == Edition::Facilitator || !(text.contains(":::") || text.contains("<!--")) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in Document::parse(text).hidden_ranges() {
        // A block inside one already left out is gone with it.
        if r.start < at {
            continue;
        }
        out.push_str(&text[at..r.start]);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out.into()
}

/// Render markdown to HTML (one rendering; for several of the same text,
/// parse once with [`Document::parse`]). `rewrite` receives the index of
/// each link or image (in the order of [`analyze`]) and its destination,
/// and returns the destination to emit. Headings get the anchors of
/// [`analyze`], prefixed with `opts.id_prefix`.
#[cfg(test)]
pub(crate) fn to_html(
    text: &str,
    opts: &HtmlOptions,
    rewrite: &mut dyn FnMut(usize, &str) -> String,
) -> String {
    Document::parse(text).to_html(opts, rewrite)
}

/// The text of markdown without formatting, on one line (for titles and
/// descriptions): `facilitator` blocks left out.
pub(crate) fn to_plain(text: &str, raw: RawHtml) -> String {
    document::plain(text, raw, false)
}

/// The text of markdown without formatting, on one line, as an edition
/// shows it: with the text of `facilitator` blocks in the facilitator
/// edition (for its search), without in the participant edition.
pub(crate) fn to_plain_in(text: &str, raw: RawHtml, edition: Edition) -> String {
    document::plain(text, raw, edition == Edition::Facilitator)
}

#[cfg(test)]
mod edition_tests;
#[cfg(test)]
mod tests;
