//! YAML: the one module that knows which YAML libraries we use.
//!
//! Typed documents are read with `serde_yaml` (the only place it is named, so
//! swapping it for a maintained fork is a change to this file alone). Its
//! errors are classified into stable diagnostic codes with a byte offset and a
//! "did you mean" hint for unknown keys and values.
//!
//! `serde_yaml` does not expose where a successfully parsed value came from,
//! so positions of values that later fail a semantic check (an unknown id, a
//! duplicate) are found lazily by [`SpanIndex`], which replays the document
//! through `yaml-rust2`'s event parser and records the byte span of every node
//! by its path. That second parse only happens for files with diagnostics.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::suggest::hint;

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path to a node, e.g. `actions[2].competencies[0]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct YamlPath(pub Vec<Seg>);

impl YamlPath {
    pub fn root() -> Self {
        YamlPath(Vec::new())
    }
    pub fn key(&self, k: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
}

impl fmt::Display for YamlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A YAML document that could not be read into its typed form.
#[derive(Debug, Clone)]
pub struct YamlError {
    /// Stable diagnostic code (`yaml-syntax`, `unknown-key`, `wrong-type`, ...).
    pub code: &'static str,
    pub message: String,
    /// Byte offset in the document, when the parser knows it.
    pub offset: Option<usize>,
    pub hint: Option<String>,
}

/// Parse `src` into `T`. `src` must not start with a byte-order mark.
pub fn from_str<T: DeserializeOwned>(src: &str) -> Result<T, YamlError> {
    if src.trim().is_empty() {
        return Err(YamlError {
            code: "empty-file",
            message: "the document is empty".into(),
            offset: None,
            hint: Some("write the keys this file needs (see FORMAT.md)".into()),
        });
    }
    if let Some(at) = too_deep(src) {
        return Err(YamlError {
            code: "yaml-syntax",
            message: format!("collections nested more than {MAX_FLOW_DEPTH} levels deep"),
            offset: Some(at),
            hint: Some("flatten the structure; playbook files need at most a few levels".into()),
        });
    }
    if let Some(e) = expansion_error(src) {
        return Err(e);
    }
    serde_yaml::from_str(src).map_err(|e| classify(&e, src))
}

/// Aliases (`*name`) may make a document at most this many nodes…
pub const MAX_EXPANDED_NODES: u64 = 500_000;
/// … and this many bytes of scalar text, once expanded.
pub const MAX_EXPANDED_BYTES: u64 = 8 << 20;

/// An alias that makes the document expand past the bounds above: the
/// "billion laughs" and one long string repeated through aliases would
/// otherwise cost gigabytes before the parser gives up. Counted on
/// yaml-rust2's event stream, which does not expand aliases.
fn expansion_error(src: &str) -> Option<YamlError> {
    // Without an alias there is nothing to expand.
    if !src.contains('*') {
        return None;
    }
    let mut counter = Expansion::default();
    let mut parser = yaml_rust2::parser::Parser::new_from_str(src);
    let _ = parser.load(&mut counter, true);
    let char_index = counter.over?;
    let offset = src
        .char_indices()
        .nth(char_index)
        .map_or(src.len(), |(b, _)| b);
    Some(YamlError {
        code: "alias-limit",
        message: format!(
            "this alias makes the document expand beyond {} nodes or {} MiB",
            MAX_EXPANDED_NODES,
            MAX_EXPANDED_BYTES >> 20
        ),
        offset: Some(offset),
        hint: Some(
            "write the values out instead of repeating them through anchors (&name) and aliases (*name)"
                .into(),
        ),
    })
}

/// Nodes and scalar bytes of a document with its aliases expanded.
#[derive(Default)]
struct Expansion {
    nodes: u64,
    bytes: u64,
    /// Anchor id → size of its node, expanded.
    anchors: HashMap<usize, (u64, u64)>,
    /// Open collections: anchor id and the totals when they started.
    open: Vec<(usize, u64, u64)>,
    /// The char index of the alias that crossed a bound.
    over: Option<usize>,
}

impl yaml_rust2::parser::MarkedEventReceiver for Expansion {
    fn on_event(&mut self, ev: yaml_rust2::Event, mark: yaml_rust2::scanner::Marker) {
        use yaml_rust2::Event;
        if self.over.is_some() {
            return;
        }
        match ev {
            Event::Scalar(value, _, anchor, _) => {
                self.nodes += 1;
                self.bytes += value.len() as u64;
                if anchor > 0 {
                    self.anchors.insert(anchor, (1, value.len() as u64));
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.nodes += 1;
                self.open.push((anchor, self.nodes - 1, self.bytes));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, nodes, bytes)) = self.open.pop() {
                    if anchor > 0 {
                        self.anchors
                            .insert(anchor, (self.nodes - nodes, self.bytes - bytes));
                    }
                }
            }
            Event::Alias(anchor) => {
                let (n, b) = self.anchors.get(&anchor).copied().unwrap_or((0, 0));
                self.nodes = self.nodes.saturating_add(n);
                self.bytes = self.bytes.saturating_add(b);
                if self.nodes > MAX_EXPANDED_NODES || self.bytes > MAX_EXPANDED_BYTES {
                    self.over = Some(mark.index());
                }
            }
            _ => {}
        }
    }
}

fn classify(e: &serde_yaml::Error, src: &str) -> YamlError {
    let offset = e.location().map(|l| l.index().min(src.len()));
    // serde_yaml writes " at line L column C" (counted in this document, not
    // in the file); positions are reported by the caller instead.
    let message = strip_positions(&e.to_string());
    let (code, hint) = if is_date_error(&message) {
        (
            "invalid-value",
            Some("write dates as YYYY-MM-DD, e.g. 2026-01-12, and check the day exists".into()),
        )
    } else if let Some(rest) = after(&message, "unknown field `") {
        let (word, expected) = split_expected(rest);
        let hint = hint(&word, expected.iter().map(String::as_str)).or_else(|| {
            (!expected.is_empty()).then(|| format!("allowed keys: {}", expected.join(", ")))
        });
        ("unknown-key", hint)
    } else if let Some(rest) = after(&message, "unknown variant `") {
        let (word, expected) = split_expected(rest);
        let hint = hint(&word, expected.iter().map(String::as_str))
            .or_else(|| Some(format!("use one of: {}", expected.join(", "))));
        ("invalid-value", hint)
    } else if message.contains("invalid type") || message.contains("invalid value") {
        ("wrong-type", None)
    } else if message.contains("missing field") {
        (
            "missing-key",
            Some("add the key; see FORMAT.md for this file".into()),
        )
    } else if message.contains("duplicate entry") {
        (
            "duplicate-key",
            Some("remove one of the two entries".into()),
        )
    } else {
        let tab = offset
            .and_then(|o| src.get(o..))
            .is_some_and(|s| s.starts_with('\t'))
            || (message.contains("cannot start any token") && src.contains('\t'));
        let hint = if tab {
            Some("YAML does not allow tabs for indentation; indent with spaces".into())
        } else {
            Some("check indentation, colons and quotes around this point".into())
        };
        ("yaml-syntax", hint)
    };
    YamlError {
        code,
        message,
        offset,
        hint,
    }
}

/// chrono's messages for a string that is not a valid date.
fn is_date_error(m: &str) -> bool {
    [
        "input is out of range",
        "input contains invalid characters",
        "premature end of input",
        "trailing input",
        "input is not enough for unique date",
        "no possible date and time matching input",
    ]
    .iter()
    .any(|p| m.contains(p))
}

/// Remove every " at line N column M" from a parser message.
fn strip_positions(m: &str) -> String {
    let mut out = String::with_capacity(m.len());
    let mut rest = m;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + " at line ".len()..];
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        let after_line = &tail[digits..];
        match after_line.strip_prefix(" column ") {
            Some(c) if digits > 0 => {
                let d = c.chars().take_while(char::is_ascii_digit).count();
                rest = &c[d..];
            }
            _ => {
                out.push_str(" at line ");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Flow collections nested deeper than this are refused before parsing
/// (the parser slows down quadratically on pathological nesting).
const MAX_FLOW_DEPTH: usize = 64;

/// Offset of the first `[` or `{` that nests deeper than [`MAX_FLOW_DEPTH`].
fn too_deep(src: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    // A quote only opens a scalar at the start of a token (not in "don't").
    let mut prev = '\n';
    for (i, c) in src.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if matches!(prev, '[' | '{' | ',' | ':' | '-' | '\n' | ' ') => {
                quote = Some(c)
            }
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(i);
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        if c == '\n' {
            quote = None;
        }
        prev = c;
    }
    None
}

fn after<'a>(s: &'a str, pat: &str) -> Option<&'a str> {
    s.find(pat).map(|i| &s[i + pat.len()..])
}

/// From "word`, expected one of `a`, `b`" get ("word", [a, b]).
fn split_expected(rest: &str) -> (String, Vec<String>) {
    let word = rest.split('`').next().unwrap_or_default().to_string();
    let tail = rest.split_once("expected").map(|x| x.1).unwrap_or("");
    let expected = tail
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    (word, expected)
}

/// Byte spans of every node of a YAML document, by path.
#[derive(Debug, Default)]
pub struct SpanIndex {
    spans: HashMap<YamlPath, Range<usize>>,
}

impl SpanIndex {
    /// Parse `src` with the event parser and record node spans. A document
    /// that does not parse yields the spans seen up to the error.
    pub fn build(src: &str) -> Self {
        let mut rec = Recorder::new(src);
        let mut parser = yaml_rust2::parser::Parser::new_from_str(src);
        let _ = parser.load(&mut rec, false);
        SpanIndex { spans: rec.spans }
    }

    /// The span of the node at `path`, or of its nearest recorded ancestor.
    pub fn locate(&self, path: &YamlPath) -> Option<Range<usize>> {
        let mut p = path.clone();
        loop {
            if let Some(r) = self.spans.get(&p) {
                return Some(r.clone());
            }
            p.0.pop()?;
        }
    }
}

enum Frame {
    Map { key: Option<String>, pushed: bool },
    Seq { index: usize, pushed: bool },
}

struct Recorder<'s> {
    src: &'s str,
    frames: Vec<Frame>,
    path: Vec<Seg>,
    spans: HashMap<YamlPath, Range<usize>>,
    /// Running char index → byte offset cursor (events arrive in order).
    cursor: (usize, usize),
    /// Byte offsets of every line break, for [`Recorder::line_end`].
    breaks: Vec<usize>,
}

impl<'s> Recorder<'s> {
    fn new(src: &'s str) -> Self {
        Recorder {
            src,
            frames: Vec::new(),
            path: Vec::new(),
            spans: HashMap::new(),
            cursor: (0, 0),
            breaks: src.match_indices(['\n', '\r']).map(|(i, _)| i).collect(),
        }
    }

    fn byte_of(&mut self, char_index: usize) -> usize {
        let (mut ci, mut bi) = self.cursor;
        if char_index < ci {
            ci = 0;
            bi = 0;
        }
        for ch in self.src[bi..].chars() {
            if ci == char_index {
                break;
            }
            ci += 1;
            bi += ch.len_utf8();
        }
        self.cursor = (ci, bi);
        bi
    }

    /// Path of a node starting now, or None when the scalar is a mapping key.
    fn node_path(&mut self, is_scalar: bool, value: &str) -> Option<YamlPath> {
        match self.frames.last_mut() {
            None => Some(YamlPath(self.path.clone())),
            Some(Frame::Map { key, .. }) => match key.take() {
                None if is_scalar => {
                    *key = Some(value.to_string());
                    None
                }
                None => None, // complex key: not supported, not located
                Some(k) => {
                    let mut p = self.path.clone();
                    p.push(Seg::Key(k));
                    Some(YamlPath(p))
                }
            },
            Some(Frame::Seq { index, .. }) => {
                let mut p = self.path.clone();
                p.push(Seg::Index(*index));
                *index += 1;
                Some(YamlPath(p))
            }
        }
    }

    /// The end of the line `from` is on (a search, not a scan: a thousand
    /// nodes on one long line must not cost a thousand scans of it).
    fn line_end(&self, from: usize) -> usize {
        let i = self.breaks.partition_point(|&b| b < from);
        self.breaks.get(i).copied().unwrap_or(self.src.len())
    }

    fn scalar_end(&self, start: usize, value: &str) -> usize {
        let rest = &self.src[start..];
        let line_end = self.line_end(start);
        match rest.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let mut escaped = false;
                for (i, c) in rest.char_indices().skip(1) {
                    if q == '"' && c == '\\' && !escaped {
                        escaped = true;
                        continue;
                    }
                    if c == q && !escaped {
                        return start + i + 1;
                    }
                    escaped = false;
                }
                line_end
            }
            Some('|' | '>') => line_end,
            _ => (start + value.len()).min(line_end).max(start),
        }
    }
}

impl yaml_rust2::parser::MarkedEventReceiver for Recorder<'_> {
    fn on_event(&mut self, ev: yaml_rust2::Event, mark: yaml_rust2::scanner::Marker) {
        use yaml_rust2::Event;
        match ev {
            Event::Scalar(value, ..) => {
                if let Some(p) = self.node_path(true, &value) {
                    let start = self.byte_of(mark.index());
                    let end = self.scalar_end(start, &value);
                    self.spans.insert(p, start..end);
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.node_path(false, "") {
                    let start = self.byte_of(mark.index());
                    let end = self.line_end(start);
                    self.spans.insert(p, start..end);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let p = self.node_path(false, "");
                if let Some(p) = &p {
                    let start = self.byte_of(mark.index());
                    let end = self.line_end(start).max(start);
                    self.spans.entry(p.clone()).or_insert(start..end);
                }
                // Descend: the path of children is this node's path.
                let pushed = match p {
                    Some(p) if p.0.len() > self.path.len() => {
                        self.path = p.0;
                        true
                    }
                    _ => false,
                };
                self.frames.push(if matches!(ev, Event::MappingStart(..)) {
                    Frame::Map { key: None, pushed }
                } else {
                    Frame::Seq { index: 0, pushed }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(Frame::Map { pushed: true, .. } | Frame::Seq { pushed: true, .. }) =
                    self.frames.pop()
                {
                    self.path.pop();
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_block_and_flow_nodes() {
        let src = "actions:\n  - id: one\n    competencies: [alpha, \"beta\"]\n  - id: two\n";
        let idx = SpanIndex::build(src);
        let p = YamlPath::root().key("actions").index(0).key("competencies");
        assert_eq!(&src[idx.locate(&p.index(1)).unwrap()], "\"beta\"");
        assert_eq!(&src[idx.locate(&p.index(0)).unwrap()], "alpha");
        let id2 = YamlPath::root().key("actions").index(1).key("id");
        assert_eq!(&src[idx.locate(&id2).unwrap()], "two");
    }

    #[test]
    fn missing_node_falls_back_to_parent() {
        let src = "a:\n  b: 1\n";
        let idx = SpanIndex::build(src);
        let p = YamlPath::root().key("a").key("b").index(3);
        assert_eq!(&src[idx.locate(&p).unwrap()], "1");
    }

    #[test]
    fn positions_are_stripped_from_messages() {
        assert_eq!(
            strip_positions("did not find expected key at line 3 column 1, while parsing a block mapping at line 2 column 1"),
            "did not find expected key, while parsing a block mapping"
        );
        assert_eq!(strip_positions("at line end"), "at line end");
    }

    #[test]
    fn aliases_are_counted_expanded() {
        let ok = "a: &x [1, 2, 3]\nb: [*x, *x]\n";
        assert!(expansion_error(ok).is_none());
        // 10 × 10 × … : the sixth level passes 500,000 nodes.
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            let prev = format!("*a{}", i - 1);
            bomb.push_str(&format!(
                "a{i}: &a{i} [{}]\n",
                [prev.as_str(); 10].join(", ")
            ));
        }
        let e = expansion_error(&bomb).expect("a bomb");
        assert_eq!(e.code, "alias-limit");
        let line = bomb[..e.offset.unwrap()].matches('\n').count() + 1;
        assert_eq!(line, 6, "{}", &bomb[e.offset.unwrap()..][..10]);
        // A long string: bytes, not nodes.
        let long = format!(
            "s: &s \"{}\"\nl: [{}]\n",
            "a".repeat(1 << 20),
            ["*s"; 9].join(", ")
        );
        assert_eq!(expansion_error(&long).unwrap().code, "alias-limit");
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let src = format!("a: {}", "[".repeat(100_000));
        let e = from_str::<serde_yaml::Value>(&src).unwrap_err();
        assert_eq!(e.code, "yaml-syntax");
        assert_eq!(e.offset, Some(3 + MAX_FLOW_DEPTH));
    }

    #[test]
    fn unknown_field_gets_suggestion() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            title: String,
        }
        let e = from_str::<T>("titel: x\n").unwrap_err();
        assert_eq!(e.code, "unknown-key");
        assert_eq!(e.hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(e.offset, Some(0));
    }
}
