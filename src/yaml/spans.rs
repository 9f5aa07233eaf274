//! Where each node of a YAML document is: byte spans by path, recorded by
//! replaying the document through `yaml-rust2`'s event parser.

use std::collections::HashMap;
use std::ops::Range;

use super::types::{Seg, YamlPath};

/// Byte spans of every node of a YAML document, by path.
#[derive(Debug, Default)]
pub(crate) struct SpanIndex {
    spans: HashMap<YamlPath, Range<usize>>,
    /// The span of each mapping key, by the path of its value.
    keys: HashMap<YamlPath, Range<usize>>,
}

impl SpanIndex {
    /// Parse `src` with the event parser and record node spans. A document
    /// that does not parse yields the spans seen up to the error.
    pub(crate) fn build(src: &str) -> Self {
        let mut rec = Recorder::new(src);
        let mut parser = yaml_rust2::parser::Parser::new_from_str(src);
        let _ = parser.load(&mut rec, false);
        SpanIndex {
            spans: rec.spans,
            keys: rec.keys,
        }
    }

    /// The span of the key whose value is at `path` (`a.b` → the `b` of
    /// `b: …`), or else of the nearest node [`SpanIndex::locate`] finds.
    pub(crate) fn locate_key(&self, path: &YamlPath) -> Option<Range<usize>> {
        self.keys.get(path).cloned().or_else(|| self.locate(path))
    }

    /// The span of the node at `path`, or of its nearest recorded ancestor.
    pub(crate) fn locate(&self, path: &YamlPath) -> Option<Range<usize>> {
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
    keys: HashMap<YamlPath, Range<usize>>,
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
            keys: HashMap::new(),
            cursor: (0, 0),
            breaks: src.match_indices(['\n', '\r']).map(|(i, _)| i).collect(),
        }
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
            Event::Scalar(value, style, ..) => {
                let start = self.byte_of(mark.index());
                let end = self.scalar_end(start, &value);
                match self.node_path(true, &value) {
                    Some(p) => {
                        // A value left empty (`key:`) has no text of its
                        // own: the parser marks where the next token
                        // starts, often the next line. Its key stands for it.
                        let empty =
                            value.is_empty() && style == yaml_rust2::scanner::TScalarStyle::Plain;
                        let span = match self.keys.get(&p) {
                            Some(k) if empty => k.start..self.line_end(k.start),
                            _ => start..end,
                        };
                        self.spans.insert(p, span);
                    }
                    None => {
                        // A mapping key: recorded by the path of its value.
                        let mut p = self.path.clone();
                        p.push(Seg::Key(value));
                        self.keys.insert(YamlPath(p), start..end);
                    }
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
