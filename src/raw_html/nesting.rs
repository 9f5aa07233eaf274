//! How deeply, and how badly, HTML may nest before the sanitizer parses
//! it. The HTML parser under the sanitizer (html5ever) scans its stack of
//! open elements and its list of formatting elements for most tags, and
//! has no limit on either: 40,000 nested `<a><b>`, 100,000 nested
//! `<div>`s, or `<p><b></p>` repeated with a new attribute each time take
//! it seconds to minutes. [`bounded`] reads the HTML once with a small
//! tokenizer and a stack of its own; HTML that nests at most [`MAX_DEPTH`]
//! deep with at most [`MAX_IRREGULAR`] tags out of place (implied or
//! missing end tags, stray ones) is handed on as it is, the rest is
//! rewritten so that the parser can only spend linear time on it: tags
//! beyond that depth are dropped (their text stays) with their end tags,
//! and every element is closed explicitly, in order.

use std::borrow::Cow;
use std::collections::HashMap;

/// How deeply elements may nest. Browsers stop nesting at 512; authored
/// documents stay far below this.
pub(super) const MAX_DEPTH: usize = 256;

/// How many tags may be out of place before the HTML is rewritten: each
/// lets the parser's stacks grow beyond what this module's stack sees.
pub(super) const MAX_IRREGULAR: usize = 64;

/// Elements without content or end tag.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose content is text up to their end tag (`noscript` too: the
/// sanitizer's parser runs with scripting on).
const RAW_TEXT: &[&str] = &[
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
];

/// Start tags that close an open `p` (in button scope).
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "listing",
    "form",
    "table",
    "hr",
    "li",
    "dd",
    "dt",
];

/// Where a search for an element to close implicitly stops.
const SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "button",
];

/// `html` as the sanitizer may parse it: as it is when it nests at most
/// [`MAX_DEPTH`] deep with at most [`MAX_IRREGULAR`] tags out of place,
/// otherwise rewritten (see the module's documentation).
pub(super) fn bounded(html: &str) -> Cow<'_, str> {
    let mut read = Nesting::new(html, None);
    read.run();
    if read.deepest <= MAX_DEPTH && read.irregular <= MAX_IRREGULAR {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    Nesting::new(html, Some(&mut out)).run();
    Cow::Owned(out)
}

/// One reading of a text: its open elements as the parser would mostly
/// see them, and (when rewriting) the text written so far.
struct Nesting<'h, 'o> {
    html: &'h str,
    out: Option<&'o mut String>,
    /// The open elements (lowercase names), innermost last.
    stack: Vec<String>,
    /// How many of each are open, so that a missing one costs no search.
    open: HashMap<String, usize>,
    /// Start tags dropped beyond [`MAX_DEPTH`], by name: the end tags
    /// that close them are dropped too.
    dropped: HashMap<String, usize>,
    /// How many `svg` or `math` elements are open: inside, `/>` closes.
    foreign: usize,
    deepest: usize,
    irregular: usize,
}

/// A tag as read: its name (lowercase), whether it ends, whether it
/// closes itself (`/>`).
struct Tag {
    name: String,
    end: bool,
    self_closing: bool,
}

impl<'h, 'o> Nesting<'h, 'o> {
    fn new(html: &'h str, out: Option<&'o mut String>) -> Self {
        Nesting {
            html,
            out,
            stack: Vec::new(),
            open: HashMap::new(),
            dropped: HashMap::new(),
            foreign: 0,
            deepest: 0,
            irregular: 0,
        }
    }

    fn write(&mut self, s: &str) {
        if let Some(out) = self.out.as_deref_mut() {
            out.push_str(s);
        }
    }

    fn run(&mut self) {
        let html = self.html;
        let b = html.as_bytes();
        let mut at = 0;
        while at < b.len() {
            let Some(lt) = memchr(b'<', &b[at..]).map(|i| at + i) else {
                self.write(&html[at..]);
                break;
            };
            self.write(&html[at..lt]);
            let (next, tag) = token(html, lt);
            match tag {
                Some(t) => self.tag(&html[lt..next], t),
                None => self.write(&html[lt..next]),
            }
            at = next;
        }
        if !self.stack.is_empty() {
            self.irregular += self.stack.len();
            self.close_from(0);
        }
    }

    fn tag(&mut self, text: &str, t: Tag) {
        if t.end {
            self.end_tag(text, &t.name);
            return;
        }
        let name = t.name;
        if VOID.contains(&name.as_str()) || (t.self_closing && self.foreign > 0) {
            self.write(text);
            return;
        }
        self.implied_ends(&name);
        if self.stack.len() >= MAX_DEPTH {
            // Dropped, with the content of a raw text element.
            self.irregular += 1;
            self.deepest = self.deepest.max(self.stack.len() + 1);
            *self.dropped.entry(name).or_default() += 1;
        } else {
            self.write(text);
            self.push(name);
        }
    }

    fn end_tag(&mut self, text: &str, name: &str) {
        if self.stack.last().is_some_and(|top| top == name) {
            self.pop();
            self.write(text);
            return;
        }
        self.irregular += 1;
        if let Some(n) = self.dropped.get_mut(name).filter(|n| **n > 0) {
            *n -= 1;
            return;
        }
        if self.open.get(name).is_some_and(|n| *n > 0) {
            // Close what is open inside it first.
            while let Some(top) = self.stack.pop() {
                self.closed(&top);
                if top == name {
                    break;
                }
                self.write_end(&top);
            }
        }
        self.write(text);
    }

    /// What the parser closes before a start tag `name` opens: an open
    /// `p` before a block, an open item, cell or row before the next one,
    /// a link before a link, a heading before a heading.
    fn implied_ends(&mut self, name: &str) {
        if is_heading(name) && self.stack.last().is_some_and(|top| is_heading(top)) {
            self.irregular += 1;
            self.close_from(self.stack.len() - 1);
        }
        let rule: Option<(&[&str], &[&str])> = match name {
            "li" => Some((&["li"], &["ul", "ol"])),
            "dd" | "dt" => Some((&["dd", "dt"], &["dl"])),
            "td" | "th" => Some((&["td", "th"], &["tr", "tbody", "thead", "tfoot"])),
            "tr" => Some((&["tr"], &["tbody", "thead", "tfoot"])),
            "a" => Some((&["a"], &[])),
            "nobr" => Some((&["nobr"], &[])),
            _ => None,
        };
        if let Some((targets, stops)) = rule {
            self.close_nearest(targets, stops);
        }
        if CLOSES_P.contains(&name) {
            self.close_nearest(&["p"], &[]);
        }
    }

    /// Close the innermost open element named in `targets` with what is
    /// open inside it, unless an element of `stops` or of [`SCOPE`] comes
    /// first.
    fn close_nearest(&mut self, targets: &[&str], stops: &[&str]) {
        if targets
            .iter()
            .all(|t| self.open.get(*t).is_none_or(|n| *n == 0))
        {
            return;
        }
        for i in (0..self.stack.len()).rev() {
            let e = self.stack[i].as_str();
            if targets.contains(&e) {
                self.irregular += 1;
                self.close_from(i);
                return;
            }
            if stops.contains(&e) || SCOPE.contains(&e) {
                return;
            }
        }
    }

    /// Close the open elements from the `i`th on, innermost first.
    fn close_from(&mut self, i: usize) {
        while self.stack.len() > i {
            let top = self.stack.pop().unwrap_or_default();
            self.closed(&top);
            self.write_end(&top);
        }
    }

    fn write_end(&mut self, name: &str) {
        if self.out.is_some() {
            self.write("</");
            self.write(name);
            self.write(">");
        }
    }

    fn push(&mut self, name: String) {
        if matches!(name.as_str(), "svg" | "math") {
            self.foreign += 1;
        }
        *self.open.entry(name.clone()).or_default() += 1;
        self.stack.push(name);
        self.deepest = self.deepest.max(self.stack.len());
    }

    fn pop(&mut self) {
        if let Some(name) = self.stack.pop() {
            self.closed(&name);
        }
    }

    /// Count `name`, just taken off the stack, as no longer open.
    fn closed(&mut self, name: &str) {
        if matches!(name, "svg" | "math") {
            self.foreign -= 1;
        }
        if let Some(n) = self.open.get_mut(name) {
            *n -= 1;
        }
    }
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == needle)
}

/// The token at `lt` (a `<`) as the HTML tokenizer reads it: where it
/// ends, and the tag it is (None for a comment, a declaration, or a `<`
/// that is text). A start tag of a raw text element takes its content up
/// to its end tag with it, as text.
fn token(html: &str, lt: usize) -> (usize, Option<Tag>) {
    let b = html.as_bytes();
    let rest = &html[lt..];
    let after = |pat: &str, from: usize| -> usize {
        html[from..]
            .find(pat)
            .map_or(html.len(), |i| from + i + pat.len())
    };
    if rest.starts_with("<!--") {
        // `<!-->` and `<!--->` are empty comments.
        let body = lt + 4;
        if html[body..].starts_with('>') {
            return (body + 1, None);
        }
        if html[body..].starts_with("->") {
            return (body + 2, None);
        }
        let end = [after("-->", body), after("--!>", body)]
            .into_iter()
            .min()
            .unwrap_or(html.len());
        return (end, None);
    }
    match b.get(lt + 1) {
        Some(b'!' | b'?') => return (after(">", lt + 1), None),
        Some(b'/') => match b.get(lt + 2) {
            Some(c) if c.is_ascii_alphabetic() => {}
            Some(b'>') => return (lt + 3, None),
            None => return (html.len(), None),
            _ => return (after(">", lt + 2), None),
        },
        Some(c) if c.is_ascii_alphabetic() => {}
        _ => return (lt + 1, None),
    }
    let end = b[lt + 1] == b'/';
    let start = lt + if end { 2 } else { 1 };
    let name_end = start
        + b[start..]
            .iter()
            .position(|c| c.is_ascii_whitespace() || *c == b'/' || *c == b'>')
            .unwrap_or(b.len() - start);
    let name = html[start..name_end].to_ascii_lowercase();
    let (next, self_closing) = attributes(b, name_end);
    if next > b.len() {
        // End of input inside the tag: the parser drops it.
        return (b.len(), None);
    }
    let mut next = next;
    if !end && RAW_TEXT.contains(&name.as_str()) {
        // Its content, up to `</name` followed by a space, `/` or `>`, is
        // text; the end tag is then read as the next token.
        next = raw_text_end(html, next, &name);
    }
    (
        next,
        Some(Tag {
            name,
            end,
            self_closing,
        }),
    )
}

/// Past a tag's attributes from `at`: the byte after its `>` (past the
/// end of `b` when there is none) and whether a `/` came right before it.
fn attributes(b: &[u8], mut at: usize) -> (usize, bool) {
    let mut slash = false;
    loop {
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        match b.get(at) {
            None => return (b.len() + 1, false),
            Some(b'>') => return (at + 1, slash),
            Some(b'/') => {
                slash = true;
                at += 1;
                continue;
            }
            _ => slash = false,
        }
        // A name: up to a space, `/`, `>` or `=` (a leading `=` is part
        // of it).
        at += 1;
        while at < b.len() && !matches!(b[at], b'/' | b'>' | b'=') && !b[at].is_ascii_whitespace() {
            at += 1;
        }
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        if b.get(at) != Some(&b'=') {
            continue;
        }
        at += 1;
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        match b.get(at) {
            Some(&q @ (b'"' | b'\'')) => {
                at = match b[at + 1..].iter().position(|c| *c == q) {
                    Some(i) => at + 1 + i + 1,
                    None => return (b.len() + 1, false),
                };
            }
            _ => {
                while at < b.len() && b[at] != b'>' && !b[at].is_ascii_whitespace() {
                    at += 1;
                }
            }
        }
    }
}

/// Where the text of a raw text element `name` that starts at `from`
/// ends: at its end tag, or at the end of the input.
fn raw_text_end(html: &str, from: usize, name: &str) -> usize {
    let b = html.as_bytes();
    let mut at = from;
    while let Some(i) = memchr(b'<', &b[at..]) {
        let lt = at + i;
        let tag = lt + 2;
        if b.get(lt + 1) == Some(&b'/')
            && b.len() >= tag + name.len()
            && b[tag..tag + name.len()].eq_ignore_ascii_case(name.as_bytes())
            && b.get(tag + name.len())
                .is_none_or(|c| c.is_ascii_whitespace() || *c == b'/' || *c == b'>')
        {
            return lt;
        }
        at = lt + 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sanitizer's parse of `html` as it is.
    fn parsed(html: &str) -> String {
        super::super::SANITIZER.clean(html).to_string()
    }

    #[test]
    fn regular_html_is_handed_on_as_it_is() {
        for html in [
            "<p>a <b>b</b> <a href=\"x\">c</a></p><ul><li>d</li></ul>",
            "<details><summary>Hint</summary>\n<p>x<br />y</p>\n</details>",
            "<table><thead><tr><th style=\"text-align: left\">a</th></tr></thead><tbody></tbody></table>",
            // What looks like tags inside comments, scripts, quoted values.
            "<!-- <div><div> --><script>if (a < b) { x = '<div>' }</script><span title=\"a > <b>\">x</span>",
            "<p>a<p>b<p>c",
            "a < b, c <3 d, </>",
            "<svg><path/><path/></svg>",
        ] {
            assert!(matches!(bounded(html), Cow::Borrowed(_)), "{html}");
        }
    }

    #[test]
    fn deep_nesting_is_cut_at_the_limit_keeping_the_text() {
        let n = MAX_DEPTH + 100;
        let html = format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n));
        let out = bounded(&html);
        assert_eq!(
            out,
            format!(
                "{}x{}",
                "<div>".repeat(MAX_DEPTH),
                "</div>".repeat(MAX_DEPTH)
            )
        );
        // Unclosed: closed at the end.
        let html = format!("{}x", "<span>".repeat(n));
        assert_eq!(
            bounded(&html),
            format!(
                "{}x{}",
                "<span>".repeat(MAX_DEPTH),
                "</span>".repeat(MAX_DEPTH)
            )
        );
        // Text between dropped tags stays, with the content of elements
        // kept inside the limit.
        let html = format!("{}y{}z", "<b>a".repeat(n), "</b>".repeat(n));
        let out = bounded(&html);
        assert_eq!(out.matches('a').count(), n);
        assert!(out.ends_with("y</b>z") || out.ends_with("</b>z"), "{out}");
        assert_eq!(out.matches("<b>").count(), MAX_DEPTH);
        assert_eq!(out.matches("</b>").count(), MAX_DEPTH);
    }

    #[test]
    fn many_misplaced_tags_are_closed_explicitly() {
        // Links in links, closed by the parser: closed here too.
        let html = "<a href=x><b>".repeat(MAX_IRREGULAR + 1);
        let out = bounded(&html);
        assert_eq!(
            out,
            "<a href=x><b></b></a>".repeat(MAX_IRREGULAR) + "<a href=x><b></b></a>"
        );
        // An end tag closes what is open inside it.
        let html = "<p><b title=1>x</p>".repeat(MAX_IRREGULAR + 1);
        assert_eq!(
            bounded(&html),
            "<p><b title=1>x</b></p>".repeat(MAX_IRREGULAR + 1)
        );
        // A dropped start tag takes its end tag with it.
        let html = format!(
            "{}{}{}",
            "<i>".repeat(MAX_DEPTH),
            "<u>x</u>",
            "</i>".repeat(MAX_DEPTH)
        );
        assert_eq!(
            bounded(&html),
            format!("{}x{}", "<i>".repeat(MAX_DEPTH), "</i>".repeat(MAX_DEPTH))
        );
    }

    /// Sloppy HTML the parser puts right (items, paragraphs, cells and
    /// rows left open), rewritten because there is much of it, still
    /// parses to the same document.
    #[test]
    fn rewriting_keeps_what_the_parser_made_of_common_sloppy_html() {
        let n = MAX_IRREGULAR + 10;
        for html in [
            format!("<ul>{}</ul>", "<li>item <b>b</b>".repeat(n)),
            format!("<div>{}</div>", "<p>para <i>i</i>".repeat(n)),
            format!("<dl>{}</dl>", "<dt>t<dd>d".repeat(n)),
            format!("<table>{}</table>", "<tr><td>a<td>b".repeat(n)),
            "<h2>a<h3>b</h3>".repeat(n),
            format!("{}x", "<details><summary>s</summary>".repeat(n)),
            format!("<p>{}</p>", "<a href=\"/x\">a".repeat(n)),
        ] {
            let out = bounded(&html);
            assert!(matches!(out, Cow::Owned(_)), "{html}");
            assert_eq!(parsed(&out), parsed(&html), "{html}");
        }
    }

    #[test]
    fn the_tokenizer_reads_tags_as_the_parser_does() {
        let html = "<A HREF='a>b'>x</a><br/><img src=x /><!-->y<!--->z<?pi>";
        let (next, t) = token(html, 0);
        let t = t.unwrap();
        assert_eq!(
            (&html[..next], t.name.as_str(), t.end),
            ("<A HREF='a>b'>", "a", false)
        );
        let (next2, t) = token(html, next + 1);
        assert_eq!((&html[next + 1..next2], t.unwrap().end), ("</a>", true));
        let (_, t) = token("<img src=x />", 0);
        assert!(t.unwrap().self_closing);
        assert_eq!(token("<!-->y", 0).0, 5);
        assert!(token("<!-->y", 0).1.is_none());
        assert_eq!(token("<!--->y", 0).0, 6);
        assert_eq!(token("<!-- a -- b --!>c", 0).0, 16);
        assert_eq!(token("<?pi>z", 0).0, 5);
        assert_eq!(token("< b", 0).0, 1);
        assert_eq!(token("<3", 0).0, 1);
        // A raw text element takes its content, up to its end tag.
        let html = "<script>a</b>'</script '>x";
        let (next, t) = token(html, 0);
        assert_eq!(
            (&html[..next], t.unwrap().name.as_str()),
            ("<script>a</b>'", "script")
        );
        // End of input inside a tag: nothing.
        let (next, t) = token("<a href=\"x", 0);
        assert!(next == 10 && t.is_none());
    }
}
