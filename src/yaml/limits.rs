//! Bounds on what a YAML document may cost before `serde_yaml` reads it:
//! flow collections nested too deep (the parser is quadratic on them) and
//! aliases that expand the document beyond a size (the "billion laughs",
//! one long string repeated), both refused where they are written.

use std::collections::HashMap;

use crate::diagnostics::code::Code;

use super::types::YamlError;

/// Aliases (`*name`) may make a document at most this many nodes…
pub(crate) const MAX_EXPANDED_NODES: u64 = 500_000;
/// … and this many bytes of scalar text, once expanded.
pub(crate) const MAX_EXPANDED_BYTES: u64 = 8 << 20;

/// An alias that makes the document expand past the bounds above: the
/// "billion laughs" and one long string repeated through aliases would
/// otherwise cost gigabytes before the parser gives up. Counted on
/// yaml-rust2's event stream, which does not expand aliases.
pub(crate) fn expansion_error(src: &str) -> Option<YamlError> {
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
        code: Code::AliasLimit,
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

/// Flow collections nested deeper than this are refused before parsing
/// (the parser slows down quadratically on pathological nesting).
pub(crate) const MAX_FLOW_DEPTH: usize = 64;

/// Offset of the first `[` or `{` that nests deeper than [`MAX_FLOW_DEPTH`].
pub(crate) fn too_deep(src: &str) -> Option<usize> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(e.code, Code::AliasLimit);
        let line = bomb[..e.offset.unwrap()].matches('\n').count() + 1;
        assert_eq!(line, 6, "{}", &bomb[e.offset.unwrap()..][..10]);
        // A long string: bytes, not nodes.
        let long = format!(
            "s: &s \"{}\"\nl: [{}]\n",
            "a".repeat(1 << 20),
            ["*s"; 9].join(", ")
        );
        assert_eq!(expansion_error(&long).unwrap().code, Code::AliasLimit);
    }
}
