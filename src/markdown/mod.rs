//! Markdown: front matter, link and heading analysis, and HTML rendering.
//!
//! Owns the markdown dialect (CommonMark plus tables, footnotes, task lists
//! and strikethrough), splitting a session guide into front matter and body,
//! finding every link and image with its position (so that `resolve` can
//! check it and report it where it is written), GitHub-style heading anchors,
//! and turning markdown into HTML with link destinations rewritten.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

pub use crate::raw_html::RawHtml;
use crate::raw_html::{self, Fragment};

/// The markdown extensions playbook enables everywhere.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
}

/// A session guide split at its front matter fences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the YAML between the fences.
    pub yaml: (usize, usize),
    /// Byte offset where the markdown body starts.
    pub body: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontMatterError {
    /// The file does not start with a `---` line.
    Missing,
    /// The opening `---` has no closing `---`.
    Unclosed,
}

/// Find the `---` fenced YAML front matter at the very start of `text`.
pub fn split_front_matter(text: &str) -> Result<Split, FrontMatterError> {
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

/// One link or image destination as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub dest: String,
    /// Byte range of the destination (or of the whole link) in the text.
    pub range: Range<usize>,
    pub is_image: bool,
    /// For images: whether alt text was given.
    pub has_alt: bool,
    /// An email autolink (`<a@b.org>`): its destination is an address,
    /// rendered as a `mailto:` link.
    pub is_email: bool,
}

/// A heading with its anchor.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    /// GitHub-style anchor, unique within the document.
    pub anchor: String,
}

/// What a markdown text contains that needs checking or linking.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub links: Vec<Link>,
    pub headings: Vec<Heading>,
}

/// Find links, images and headings, in document order.
pub fn analyze(text: &str) -> Analysis {
    let mut out = Analysis::default();
    let mut slugs = Slugger::default();
    let mut heading: Option<(u8, String)> = None;
    let mut image: Option<(usize, String)> = None; // (index in links, alt so far)
    for (ev, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level_num(level), String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, t)) = heading.take() {
                    let anchor = slugs.slug(&t);
                    out.headings.push(Heading {
                        level,
                        text: t.trim().to_string(),
                        anchor,
                    });
                }
            }
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            }) => {
                let mut l = link(text, range, &dest_url, false);
                l.is_email = link_type == pulldown_cmark::LinkType::Email;
                out.links.push(l);
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                out.links.push(link(text, range, &dest_url, true));
                image = Some((out.links.len() - 1, String::new()));
            }
            Event::End(TagEnd::Image) => {
                if let Some((i, alt)) = image.take() {
                    out.links[i].has_alt = !alt.trim().is_empty();
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
                if let Some((_, alt)) = image.as_mut() {
                    alt.push_str(&t);
                }
            }
            _ => {}
        }
    }
    out
}

fn link(text: &str, range: Range<usize>, dest: &str, is_image: bool) -> Link {
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
    }
}

fn level_num(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// GitHub-style heading anchors, made unique with `-1`, `-2`, ... suffixes.
#[derive(Default)]
pub struct Slugger {
    seen: std::collections::HashMap<String, usize>,
}

impl Slugger {
    pub fn slug(&mut self, text: &str) -> String {
        let base = slugify(text);
        let n = self.seen.entry(base.clone()).or_insert(0);
        let out = if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        *n += 1;
        out
    }
}

/// Lowercase, drop punctuation, spaces to hyphens (GitHub's rule).
pub fn slugify(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c.to_lowercase().collect::<String>())
            } else if c == ' ' {
                Some("-".to_string())
            } else {
                None
            }
        })
        .collect()
}

/// Render markdown to HTML. `rewrite` receives the index of each link or
/// image (in the order of [`analyze`]) and its destination, and returns the
/// destination to emit. Headings get the anchors of [`analyze`]; heading
/// levels are shifted down by `shift` (so a guide's `##` can sit under a
/// page's `h1`), and heading ids get `id_prefix` (so several documents can
/// share one page).
pub fn to_html(
    text: &str,
    shift: u8,
    id_prefix: &str,
    raw: RawHtml,
    rewrite: &mut dyn FnMut(usize, &str) -> String,
) -> String {
    let mut slugs = Slugger::default();
    // Whether the sanitizer must read the result.
    let mut sanitize = false;
    let mut link_index = 0usize;
    let events: Vec<Event> = Parser::new_ext(text, options()).collect();
    // Heading anchors need the heading text, which follows the start event.
    let mut out_events: Vec<Event> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let mut t = String::new();
                for e in &events[i + 1..] {
                    match e {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(s) | Event::Code(s) => t.push_str(s),
                        _ => {}
                    }
                }
                let anchor = format!("{id_prefix}{}", slugs.slug(&t));
                out_events.push(Event::Start(Tag::Heading {
                    level: shift_level(*level, shift),
                    id: Some(CowStr::from(anchor)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                out_events.push(Event::End(TagEnd::Heading(shift_level(*level, shift))));
            }
            Event::Start(tag @ (Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })) => {
                let dest = CowStr::from(rewrite(link_index, dest_url));
                link_index += 1;
                let mut tag = tag.clone();
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                    *dest_url = dest;
                }
                out_events.push(Event::Start(tag));
            }
            // Raw HTML, as `markdown.raw_html` says.
            Event::Html(h) | Event::InlineHtml(h) => out_events.push(match raw {
                RawHtml::Escape => Event::Text(h.clone()),
                RawHtml::Allow => events[i].clone(),
                RawHtml::Sanitize => match raw_html::fragment(h) {
                    Fragment::Text => Event::Text(h.clone()),
                    Fragment::Html | Fragment::RemovedWithContent => {
                        sanitize = true;
                        events[i].clone()
                    }
                },
            }),
            // A task-list checkbox becomes a labelled, non-interactive mark:
            // a disabled <input> without a label fails WCAG (axe "label").
            Event::TaskListMarker(done) => {
                out_events.push(Event::InlineHtml(CowStr::from(if *done {
                    "<span class=\"task done\" role=\"img\" aria-label=\"Done\"></span>\n"
                } else {
                    "<span class=\"task\" role=\"img\" aria-label=\"To do\"></span>\n"
                })))
            }
            e => out_events.push(e.clone()),
        }
        i += 1;
    }
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out_events.into_iter());
    if sanitize {
        raw_html::sanitize(&html)
    } else {
        html
    }
}

/// The text of markdown without formatting, on one line (for titles and
/// descriptions).
pub fn to_plain(text: &str, raw: RawHtml) -> String {
    let mut out = String::with_capacity(text.len());
    // Inside a script or style, whose text the sanitizer removes.
    let mut removed = false;
    for ev in Parser::new_ext(text, options()) {
        match ev {
            Event::Html(t) | Event::InlineHtml(t) => match (raw, raw_html::fragment(&t)) {
                (RawHtml::Escape, _) | (RawHtml::Sanitize, Fragment::Text) => out.push_str(&t),
                (RawHtml::Sanitize, Fragment::RemovedWithContent) => removed = true,
                (RawHtml::Sanitize, Fragment::Html) => {
                    let lower = t.to_ascii_lowercase();
                    if lower.contains("</script") || lower.contains("</style") {
                        removed = false;
                    }
                }
                (RawHtml::Allow, _) => {}
            },
            Event::Text(_) | Event::Code(_) if removed => {}
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shift_level(l: HeadingLevel, shift: u8) -> HeadingLevel {
    let n = (level_num(l) + shift).min(6);
    match n {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_lf_and_crlf() {
        let t = "---\ntitle: A\n---\nBody\n";
        let s = split_front_matter(t).unwrap();
        assert_eq!(&t[s.yaml.0..s.yaml.1], "title: A\n");
        assert_eq!(&t[s.body..], "Body\n");
        let t = "---\r\ntitle: A\r\n---\r\nBody\r\n";
        let s = split_front_matter(t).unwrap();
        assert_eq!(&t[s.yaml.0..s.yaml.1], "title: A\r\n");
        assert_eq!(&t[s.body..], "Body\r\n");
        assert_eq!(split_front_matter("# No"), Err(FrontMatterError::Missing));
        assert_eq!(split_front_matter(""), Err(FrontMatterError::Missing));
        assert_eq!(
            split_front_matter("---\ntitle: A\n"),
            Err(FrontMatterError::Unclosed)
        );
    }

    #[test]
    fn github_slugs() {
        assert_eq!(slugify("Debrief questions"), "debrief-questions");
        assert_eq!(slugify("What's next? (Part 2)"), "whats-next-part-2");
        let mut s = Slugger::default();
        assert_eq!(s.slug("Notes"), "notes");
        assert_eq!(s.slug("Notes"), "notes-1");
    }

    #[test]
    fn links_and_images_with_positions() {
        let t =
            "See [d](competency:delegation) and ![](fig/a.png) ![Map](m.png)\n\n## Agenda `x`\n";
        let a = analyze(t);
        assert_eq!(a.links.len(), 3);
        assert_eq!(&t[a.links[0].range.clone()], "competency:delegation");
        assert!(a.links[1].is_image && !a.links[1].has_alt);
        assert!(a.links[2].has_alt);
        assert_eq!(a.headings[0].anchor, "agenda-x");
    }

    #[test]
    fn task_list_items_are_labelled_marks() {
        let html = to_html(
            "- [x] Book the room\n- [ ] Send the agenda\n",
            0,
            "",
            RawHtml::Sanitize,
            &mut |_, d| d.to_string(),
        );
        assert!(
            html.contains(
                "<span class=\"task done\" role=\"img\" aria-label=\"Done\"></span>\nBook the room"
            ),
            "{html}"
        );
        assert!(
            html.contains(
                "<span class=\"task\" role=\"img\" aria-label=\"To do\"></span>\nSend the agenda"
            ),
            "{html}"
        );
        assert!(!html.contains("<input"), "{html}");
    }

    #[test]
    fn html_rewrites_links_and_escapes_html() {
        let t = "## Plan\n\n[d](competency:delegation) <script>x</script>\n";
        let html = to_html(t, 0, "", RawHtml::Escape, &mut |_, d| format!("/c/{d}"));
        assert!(html.contains("<h2 id=\"plan\">Plan</h2>"), "{html}");
        assert!(html.contains("href=\"/c/competency:delegation\""));
        assert!(html.contains("&lt;script&gt;"));
    }
}
