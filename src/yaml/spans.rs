//! Where each node of a YAML document is: byte spans by path, recorded by
//! replaying the document through `yaml-rust2`'s event parser.

use std::collections::HashMap;
use std::ops::Range;

use super::types::{Seg, YamlPath};

/// Byte spans of every node of a YAML document, by path: a tree of the
/// document's nodes (each node once, a key's text moved in rather than
/// copied into every path below it), so that recording a large document
/// costs one entry per node.
#[derive(Debug)]
pub(crate) struct SpanIndex {
    /// The node each step leads to from its parent node (the root is 0).
    children: HashMap<(Node, Seg), Node>,
    /// The span of each node, once its value is seen.
    spans: Vec<Option<Range<usize>>>,
    /// The span of the key each node is the value of.
    keys: Vec<Option<Range<usize>>>,
}

/// A node of a [`SpanIndex`].
type Node = u32;

impl Default for SpanIndex {
    fn default() -> Self {
        SpanIndex {
            children: HashMap::new(),
            spans: vec![None],
            keys: vec![None],
        }
    }
}

impl SpanIndex {
    /// Parse `src` with the event parser and record node spans. A document
    /// that does not parse yields the spans seen up to the error.
    pub(crate) fn build(src: &str) -> Self {
        let mut rec = Recorder::new(src);
        let mut parser = yaml_rust2::parser::Parser::new_from_str(src);
        let _ = parser.load(&mut rec, false);
        rec.index
    }

    /// The span of the key whose value is at `path` (`a.b` → the `b` of
    /// `b: …`), or else of the nearest node [`SpanIndex::locate`] finds.
    pub(crate) fn locate_key(&self, path: &YamlPath) -> Option<Range<usize>> {
        let (node, whole) = self.walk(path);
        whole
            .then(|| self.keys[node as usize].clone())
            .flatten()
            .or_else(|| self.locate(path))
    }

    /// The span of the node at `path`, or of its nearest recorded ancestor.
    pub(crate) fn locate(&self, path: &YamlPath) -> Option<Range<usize>> {
        let mut found = self.spans[0].clone();
        let mut node = 0;
        for seg in &path.0 {
            match self.children.get(&(node, seg.clone())) {
                Some(&n) => node = n,
                None => break,
            }
            if let Some(r) = &self.spans[node as usize] {
                found = Some(r.clone());
            }
        }
        found
    }

    /// The deepest node on `path`, and whether it is all of it.
    fn walk(&self, path: &YamlPath) -> (Node, bool) {
        let mut node = 0;
        for seg in &path.0 {
            match self.children.get(&(node, seg.clone())) {
                Some(&n) => node = n,
                None => return (node, false),
            }
        }
        (node, true)
    }

    /// The node `seg` leads to from `parent`, made if new.
    fn child(&mut self, parent: Node, seg: Seg) -> Node {
        let next = self.spans.len() as Node;
        let n = *self.children.entry((parent, seg)).or_insert(next);
        if n == next {
            self.spans.push(None);
            self.keys.push(None);
        }
        n
    }
}

enum Frame {
    /// A mapping, with the node of the key just read (its value's node).
    Map {
        key: Option<Node>,
        pushed: bool,
    },
    Seq {
        index: usize,
        pushed: bool,
    },
}

struct Recorder<'s> {
    src: &'s str,
    frames: Vec<Frame>,
    /// The nodes of the open collections, the root first.
    path: Vec<Node>,
    index: SpanIndex,
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
            path: vec![0],
            index: SpanIndex::default(),
            cursor: (0, 0),
            breaks: src.match_indices(['\n', '\r']).map(|(i, _)| i).collect(),
        }
    }

    /// The open collection's node.
    fn here(&self) -> Node {
        self.path.last().copied().unwrap_or(0)
    }

    fn byte_of(&mut self, char_index: usize) -> usize {
        let (mut ci, mut bi) = self.cursor;
        // Events come nearly in order: a mapping starts after its first
        // key (at the `:`), so a key is a step back, never far.
        for ch in self.src[..bi].chars().rev() {
            if ci <= char_index {
                break;
            }
            ci -= 1;
            bi -= ch.len_utf8();
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

    /// The node of a value starting now, or None when the scalar is a
    /// mapping key (then its node is made and its span recorded).
    fn node(&mut self, key_span: Option<Range<usize>>, value: &str) -> Option<Node> {
        let here = self.here();
        match self.frames.last_mut() {
            None => return Some(here),
            Some(Frame::Map { key, .. }) => {
                if let Some(k) = key.take() {
                    return Some(k);
                }
            }
            Some(Frame::Seq { index, .. }) => {
                let i = *index;
                *index += 1;
                return Some(self.index.child(here, Seg::Index(i)));
            }
        }
        // A mapping key: a scalar (a complex key is not located).
        let span = key_span?;
        let k = self.index.child(here, Seg::Key(value.to_string()));
        self.index.keys[k as usize] = Some(span);
        if let Some(Frame::Map { key, .. }) = self.frames.last_mut() {
            *key = Some(k);
        }
        None
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
            Event::Scalar(value, style, ..) => {
                let start = self.byte_of(mark.index());
                let end = self.scalar_end(start, &value);
                if let Some(n) = self.node(Some(start..end), &value) {
                    // A value left empty (`key:`) has no text of its
                    // own: the parser marks where the next token
                    // starts, often the next line. Its key stands for it.
                    let empty =
                        value.is_empty() && style == yaml_rust2::scanner::TScalarStyle::Plain;
                    let span = match &self.index.keys[n as usize] {
                        Some(k) if empty => k.start..self.line_end(k.start),
                        _ => start..end,
                    };
                    self.index.spans[n as usize] = Some(span);
                }
            }
            Event::Alias(_) => {
                if let Some(n) = self.node(None, "") {
                    let start = self.byte_of(mark.index());
                    let end = self.line_end(start);
                    self.index.spans[n as usize] = Some(start..end);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let n = self.node(None, "");
                if let Some(n) = n {
                    let start = self.byte_of(mark.index());
                    let end = self.line_end(start).max(start);
                    self.index.spans[n as usize].get_or_insert(start..end);
                }
                // Descend: the children's parent is this node.
                let pushed = match n {
                    Some(n) if n != self.here() => {
                        self.path.push(n);
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
        assert_eq!(&src[idx.locate_key(&id2).unwrap()], "id");
        let c = YamlPath::root().key("actions").index(0).key("competencies");
        assert_eq!(src[idx.locate_key(&c).unwrap()].len(), "competencies".len());
        assert_eq!(idx.locate_key(&c).unwrap().start, 25);
    }

    #[test]
    fn an_empty_value_is_located_at_its_key() {
        let src = "a: 1\nb:\nc: # a comment\nd: 2\n";
        let idx = SpanIndex::build(src);
        assert_eq!(&src[idx.locate(&YamlPath::root().key("b")).unwrap()], "b:");
        assert_eq!(
            &src[idx.locate(&YamlPath::root().key("c")).unwrap()],
            "c: # a comment"
        );
        assert_eq!(&src[idx.locate(&YamlPath::root().key("d")).unwrap()], "2");
    }

    #[test]
    fn missing_node_falls_back_to_parent() {
        let src = "a:\n  b: 1\n";
        let idx = SpanIndex::build(src);
        let p = YamlPath::root().key("a").key("b").index(3);
        assert_eq!(&src[idx.locate(&p).unwrap()], "1");
    }
}
