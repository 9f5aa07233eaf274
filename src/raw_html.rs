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
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Sanitize a rendered title: phrasing content only, no link (it stands
/// in headings and inside links).
pub fn sanitize_phrasing(html: &str) -> String {
    PHRASING.clean(html).to_string()
}

/// What a raw HTML fragment of markdown is, for `sanitize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fragment {
    /// A tag the sanitizer knows (kept or removed by it), a comment, a
    /// declaration: handed to the sanitizer.
    Html,
    /// A tag that opens a script or style, whose content goes with it.
    RemovedWithContent,
    /// Something that only looks like a tag (`<owner>`): shown as text.
    Text,
}

/// Classify a raw HTML fragment by its first tag.
pub fn fragment(raw: &str) -> Fragment {
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
