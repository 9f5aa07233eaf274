//! Raw HTML in markdown: what `markdown.raw_html` of `playbook.yaml` lets
//! through. `sanitize` (the default) keeps what documents need — `details`
//! and `summary`, images, tables, `span`/`div` with classes (and the roles
//! and labels of fenced blocks and task-list marks), heading ids —
//! and removes comments, scripts, event handlers, `style` and dangerous
//! URLs, using the `ammonia` sanitizer (html5ever underneath) on the whole
//! rendered text; a tag it does not know (`<owner>`, a placeholder) is
//! shown as written rather than silently dropped. `escape` shows every tag
//! as text; `allow` passes HTML through unchanged, for trusted sites.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

mod nesting;

use serde::{Deserialize, Serialize};

/// What happens to raw HTML written in markdown.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    #[default]
    Sanitize,
    Escape,
    Allow,
}

/// Tags a sanitized document keeps.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Tags that are HTML but never kept: the sanitizer removes them (scripts
/// and styles with their content).
const REMOVED: &[&str] = &[
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "option",
    "link",
    "meta",
    "base",
    "svg",
    "math",
    "video",
    "audio",
    "source",
    "track",
    "canvas",
    "noscript",
    "template",
    "html",
    "head",
    "body",
    "title",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
    "marquee",
    "dialog",
    "portal",
];

/// Tags a title keeps (it stands in a heading or inside a link): phrasing
/// content that is neither a link nor interactive.
const PHRASING_TAGS: &[&str] = &[
    "abbr", "b", "br", "cite", "code", "del", "dfn", "em", "i", "img", "ins", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// Where a link in sanitized HTML may lead (relative URLs pass too).
const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// The roles a `div` may have: those of fenced blocks.
const DIV_ROLES: &[&str] = &["note", "group"];

/// The sanitizer, configured once.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| builder(TAGS));

/// The sanitizer of titles: the tags of [`PHRASING_TAGS`] only (others
/// are removed, their text kept).
static PHRASING: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| builder(PHRASING_TAGS));

fn builder(tags: &[&'static str]) -> ammonia::Builder<'static> {
    let mut attrs: HashMap<&'static str, HashSet<&'static str>> = HashMap::new();
    let mut allow = |tags: &[&'static str], names: &[&'static str]| {
        for t in tags {
            attrs.entry(t).or_default().extend(names.iter().copied());
        }
    };
    allow(&["a"], &["href", "name"]);
    allow(&["img"], &["src", "alt", "width", "height"]);
    allow(
        &["h1", "h2", "h3", "h4", "h5", "h6", "div", "sup", "li"],
        &["id"],
    );
    let classed = [
        "span", "div", "code", "pre", "sup", "p", "table", "figure", "ol", "ul", "li", "details",
    ];
    allow(&classed, &["class"]);
    // Task-list marks (`role="img"`) and the markup of fenced blocks
    // (`role="note"` or `"group"`, see markdown's `blocks`), which must
    // survive when a page's raw HTML sends it through here.
    allow(&["span", "div"], &["role", "aria-label"]);
    allow(&["th", "td"], &["colspan", "rowspan", "scope", "style"]);
    allow(&["col", "colgroup"], &["span"]);
    allow(&["ol"], &["start", "reversed"]);
    allow(&["li"], &["value"]);
    allow(&["time"], &["datetime"]);
    allow(&["details"], &["open"]);
    let mut b = ammonia::Builder::empty();
    b.tags(tags.iter().copied().collect())
        .clean_content_tags(["script", "style"].into_iter().collect())
        .tag_attributes(attrs)
        .generic_attributes(["title", "lang", "dir"].into_iter().collect())
        // Table alignment, as pulldown-cmark writes it; no other style.
        .filter_style_properties(["text-align"].into_iter().collect())
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("div", "role") if !DIV_ROLES.contains(&value) => None,
            _ => Some(value.into()),
        })
        .link_rel(None)
        .strip_comments(true);
    b
}

/// Sanitize rendered HTML.
pub(crate) fn sanitize(html: &str) -> String {
    SANITIZER.clean(&nesting::bounded(html)).to_string()
}

/// Sanitize a rendered title: phrasing content only, no link (it stands
/// in headings and inside links).
pub(crate) fn sanitize_phrasing(html: &str) -> String {
    PHRASING.clean(&nesting::bounded(html)).to_string()
}

/// Ids the default theme's pages give their own elements: the main
/// landmark, the search form's parts, a page's or session's title, the
/// action map's goal, and the prefixes and ends of those made from ids
/// (`a-{action}`, `c-{competency}`, `level-{n}`, `module-{n}`,
/// `{session}-title`, footnotes' `fn-{label}`).
const THEME_IDS: &[&str] = &["main", "title", "goal"];
const THEME_ID_PREFIXES: &[&str] = &["search-", "fn-", "a-", "c-", "level-", "module-"];
const THEME_ID_ENDS: &[&str] = &["-title"];

/// Whether raw HTML may not give an element the id (or `<a name>`) `id`:
/// the theme's pages use it (the ids and prefixes listed above), and a page would hold it
/// twice.
pub(crate) fn is_theme_id(id: &str) -> bool {
    let id = id.trim().to_ascii_lowercase();
    THEME_IDS.contains(&id.as_str())
        || THEME_ID_PREFIXES.iter().any(|p| id.starts_with(p))
        || THEME_ID_ENDS.iter().any(|e| id.ends_with(e))
}

/// The ids (and `<a name>`s) a piece of raw HTML gives that the theme's
/// pages use ([`is_theme_id`]).
pub(crate) fn theme_ids(html: &str) -> Vec<&str> {
    attributes(html)
        .filter(|a| (a.name == "id" || a.name == "name") && is_theme_id(a.value))
        .map(|a| a.value)
        .collect()
}

/// Attributes whose values are URLs of files a page loads or links to.
const URL_ATTRIBUTES: &[&str] = &["src", "href", "srcset", "poster", "data", "xlink:href"];

/// One `name=value` attribute of a piece of raw HTML.
pub(crate) struct Attribute<'h> {
    /// In lowercase.
    pub name: String,
    /// As written, without its quotes.
    pub value: &'h str,
    /// From the white space before the name to the end of the value (its
    /// closing quote included).
    pub span: std::ops::Range<usize>,
}

/// The `name=value` attributes of a piece of raw HTML (a tag, or a line of
/// an HTML block, which may hold part of one): those inside a tag, or
/// where the piece shows no tag boundary before them (a tag's later line).
pub(crate) fn attributes(html: &str) -> impl Iterator<Item = Attribute<'_>> + '_ {
    let bytes = html.as_bytes();
    let mut at = 0;
    // The last `<` and `>` before `scanned` (kept as the scan goes, so
    // that a line of many attributes costs linear time).
    let (mut scanned, mut lt, mut gt) = (0, None, None);
    std::iter::from_fn(move || {
        while let Some(i) = html[at..].find('=').map(|i| at + i) {
            at = i + 1;
            let name_end = html[..i].trim_end().len();
            let name_start = html[..name_end]
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':')))
                .map_or(0, |j| j + 1);
            // A name stands after white space (or at the start of a line),
            // inside a tag.
            let space_start = html[..name_start].trim_end().len();
            let spaced = name_start == 0 || space_start < name_start;
            for (k, &b) in bytes.iter().enumerate().take(name_start).skip(scanned) {
                match b {
                    b'<' => lt = Some(k),
                    b'>' => gt = Some(k),
                    _ => {}
                }
            }
            scanned = scanned.max(name_start);
            let outside = match (lt, gt) {
                (lt, Some(gt)) => lt.is_none_or(|lt| gt > lt),
                _ => false,
            };
            if name_start == name_end || !spaced || outside {
                continue;
            }
            let value_start = i + 1 + (html[i + 1..].len() - html[i + 1..].trim_start().len());
            let (value, end) = match bytes.get(value_start) {
                Some(&q @ (b'"' | b'\'')) => {
                    let rest = &html[value_start + 1..];
                    match rest.find(q as char) {
                        Some(len) => (&rest[..len], value_start + len + 2),
                        None => (rest, html.len()),
                    }
                }
                _ => {
                    let rest = &html[value_start..];
                    let len = rest
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(rest.len());
                    (&rest[..len], value_start + len)
                }
            };
            at = end.max(at);
            return Some(Attribute {
                name: html[name_start..name_end].to_ascii_lowercase(),
                value,
                span: space_start..end,
            });
        }
        None
    })
}

/// A piece of raw HTML without the ids (and `<a name>`s) the theme's
/// pages use ([`is_theme_id`]); None when it gives none.
pub(crate) fn without_theme_ids(html: &str) -> Option<String> {
    let mut out = String::new();
    let mut at = 0;
    for a in attributes(html) {
        if (a.name == "id" || a.name == "name") && is_theme_id(a.value) {
            out.push_str(&html[at..a.span.start]);
            at = a.span.end;
        }
    }
    if at == 0 {
        return None;
    }
    out.push_str(&html[at..]);
    Some(out)
}

/// The URLs a piece of raw HTML refers to: `src`, `href`, `poster`,
/// `data` and each candidate of a `srcset`, as written.
pub(crate) fn urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for Attribute { name, value, .. } in attributes(html) {
        if !URL_ATTRIBUTES.contains(&name.as_str()) {
            continue;
        }
        if name == "srcset" {
            for candidate in value.split(',') {
                out.extend(candidate.split_whitespace().next().map(str::to_string));
            }
        } else if !value.trim().is_empty() {
            out.push(value.trim().to_string());
        }
    }
    out
}

/// A stream of raw HTML pieces — the lines of an HTML block, one after
/// the other, or an inline tag — with their comments taken out, each
/// whole however many pieces it spans. Handing the sanitizer a piece with
/// only the start of a comment would make it drop everything after it,
/// and the piece with the end would be shown as text.
#[derive(Debug, Default)]
pub(crate) struct Comments {
    /// Inside a comment begun in an earlier piece.
    open: bool,
}

/// A piece of raw HTML with its comments taken out.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Stripped {
    /// It held no comment.
    Same,
    /// What is left.
    Left(String),
    /// Nothing is left.
    Gone,
}

impl Comments {
    /// `piece`, the next piece of the stream, without comments.
    pub(crate) fn strip(&mut self, piece: &str) -> Stripped {
        if !self.open && !piece.contains("<!--") {
            return Stripped::Same;
        }
        let mut left = String::new();
        let mut rest = piece;
        loop {
            if self.open {
                let Some(end) = rest.find("-->") else {
                    break;
                };
                rest = &rest[end + 3..];
                self.open = false;
            }
            let Some(start) = rest.find("<!--") else {
                left.push_str(rest);
                break;
            };
            left.push_str(&rest[..start]);
            rest = &rest[start + 4..];
            // `<!-->` and `<!--->` are comments, closed at once.
            match rest.strip_prefix('>').or_else(|| rest.strip_prefix("->")) {
                Some(r) => rest = r,
                None => self.open = true,
            }
        }
        if left.trim().is_empty() {
            Stripped::Gone
        } else {
            Stripped::Left(left)
        }
    }

    /// The stream ends (an HTML block does): a comment never closed ends
    /// with it.
    pub(crate) fn reset(&mut self) {
        self.open = false;
    }
}

/// What a raw HTML fragment of markdown is, for `sanitize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fragment {
    /// A tag the sanitizer knows (kept or removed by it), a comment, a
    /// declaration: handed to the sanitizer.
    Html,
    /// A tag that opens a script or style, whose content goes with it.
    RemovedWithContent,
    /// Something that only looks like a tag (`<owner>`): shown as text.
    Text,
}

/// Classify a raw HTML fragment by its first tag.
pub(crate) fn fragment(raw: &str) -> Fragment {
    let s = raw.trim_start();
    if s.starts_with("<!") || s.starts_with("<?") {
        return Fragment::Html;
    }
    let Some(rest) = s.strip_prefix('<') else {
        return Fragment::Text;
    };
    let closing = rest.starts_with('/');
    let name: String = rest
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    if !closing && matches!(name.as_str(), "script" | "style") {
        Fragment::RemovedWithContent
    } else if TAGS.contains(&name.as_str()) || REMOVED.contains(&name.as_str()) {
        Fragment::Html
    } else {
        Fragment::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_urls_raw_html_refers_to() {
        assert_eq!(
            urls("<img class=x src=\"fig/a.png\" alt='b'>"),
            ["fig/a.png"]
        );
        assert_eq!(
            urls("<picture><source srcset=\"a.webp 1x, b.webp 2x\"><img src=c.png></picture>"),
            ["a.webp", "b.webp", "c.png"]
        );
        assert_eq!(urls("  href = 'h/a.pdf'>"), ["h/a.pdf"]);
        assert_eq!(
            urls("<video poster=p.jpg><source src=\"v.mp4\"></video><object data=d.svg>"),
            ["p.jpg", "v.mp4", "d.svg"]
        );
        assert!(urls("a=b <b title=\"src=x.png\">text</b> x=src src=y.png").is_empty());
    }

    #[test]
    fn raw_html_may_not_give_the_themes_ids() {
        assert_eq!(
            theme_ids("<div id=\"main\"><a name=search-q>x</a><p id=mine ID='Title'>"),
            ["main", "search-q", "Title"]
        );
        assert_eq!(
            without_theme_ids("<div id=\"main\" class=x>").as_deref(),
            Some("<div class=x>")
        );
        assert_eq!(without_theme_ids("  ID='s1-title'>").as_deref(), Some(">"));
        assert_eq!(without_theme_ids("<div id=mine>"), None);
        // Text, not a tag.
        assert_eq!(without_theme_ids("<b>x</b> id=main"), None);
    }

    #[test]
    fn comments_are_taken_out_whole_across_pieces() {
        let mut c = Comments::default();
        assert_eq!(c.strip("<div>\n"), Stripped::Same);
        assert_eq!(c.strip("<!-- TODO\n"), Stripped::Gone);
        assert_eq!(c.strip("more\n"), Stripped::Gone);
        assert_eq!(
            c.strip("end --> <b>kept</b>\n"),
            Stripped::Left(" <b>kept</b>\n".into())
        );
        assert_eq!(
            c.strip("a<!-- x -->b<!---->c<!-->d<!--->e\n"),
            Stripped::Left("abcde\n".into())
        );
        assert_eq!(c.strip("<!-- open\n"), Stripped::Gone);
        c.reset();
        assert_eq!(c.strip("after\n"), Stripped::Same);
    }

    #[test]
    fn fragments_are_classified_by_their_first_tag() {
        assert_eq!(fragment("<details>"), Fragment::Html);
        assert_eq!(fragment("</SPAN>"), Fragment::Html);
        assert_eq!(fragment("<!-- note -->"), Fragment::Html);
        assert_eq!(fragment("<iframe src=x>"), Fragment::Html);
        assert_eq!(fragment("<script>"), Fragment::RemovedWithContent);
        assert_eq!(fragment("</script>"), Fragment::Html);
        assert_eq!(fragment("<owner>"), Fragment::Text);
        assert_eq!(fragment("<first-name>"), Fragment::Text);
    }

    #[test]
    fn the_sanitizer_keeps_documents_and_removes_attacks() {
        let kept =
            "<details><summary>Hint</summary><p>Text <span class=\"x\">y</span></p></details>";
        assert_eq!(sanitize(kept), kept);
        assert_eq!(
            sanitize("<a href=\"javascript:alert(1)\" onclick=\"x()\">a</a>"),
            "<a>a</a>"
        );
        assert_eq!(
            sanitize("<p style=\"color:red\">a<!-- c --></p>"),
            "<p>a</p>"
        );
        assert_eq!(sanitize("x<script>alert(1)</script>y"), "xy");
        let block = "<div class=\"block block-note\" role=\"note\" aria-label=\"Note\">\
                     <p class=\"block-title\">Note</p></div>\
                     <details class=\"block block-solution\"><summary>Solution</summary></details>";
        assert_eq!(sanitize(block), block);
        assert_eq!(
            sanitize("<div role=\"button\" aria-label=\"x\">a</div>"),
            "<div aria-label=\"x\">a</div>"
        );
        assert_eq!(
            sanitize("<table><tr><th style=\"text-align: left; color: red\">a</th></tr></table>"),
            "<table><tbody><tr><th style=\"text-align:left\">a</th></tr></tbody></table>"
        );
        assert_eq!(
            sanitize("<a href=\"/a/b/#c\">l</a><img src=\"fig/a.png\" alt=\"A\">"),
            "<a href=\"/a/b/#c\">l</a><img src=\"fig/a.png\" alt=\"A\">"
        );
    }
}
