//! Recovery: a document that is YAML but not its typed form (an unknown
//! key, a value of the wrong type, a missing key) is repaired mistake by
//! mistake, so that what the author did write can still be read and every
//! independent mistake is reported once.
//!
//! Only for documents that failed the strict parse: the document is read
//! as a `serde_yaml::Value`, and `T` is read from it again and again, with
//! `serde_path_to_error` naming the path of each failure, which is then
//! repaired in the value: an unknown key is removed; a value of the wrong
//! type is removed (a list entry is replaced by a placeholder, so that the
//! entries after it keep their positions); a required key that is missing
//! gets a placeholder (an empty text, the first word of a vocabulary, an
//! empty mapping or list, 0, tried in turn). A failure that our own repair
//! caused (a key missing because we removed its misspelt or mistyped
//! value, a placeholder of the wrong type) is not reported. A list entry
//! whose keys are those of a sibling list (a metric under `instruments:`)
//! is moved there, and its error says so.
//!
//! Each round re-reads the whole document, so the work is bounded: only a
//! document of at most [`MAX_DOCUMENT`] bytes is repaired, with at most
//! [`MAX_ROUNDS`] repairs and [`MAX_BYTES`] of text re-read; past that the
//! document is given up as unreadable, with the mistakes found so far.

use std::collections::{HashMap, HashSet};

use serde::de::DeserializeOwned;
use serde_yaml::{Mapping, Value};

use crate::diagnostics::code::Code;

use super::messages::{classify, split_expected};
use super::spans::SpanIndex;
use super::types::{Seg, YamlError, YamlPath};

/// Larger documents are not repaired (the example's largest is 10 kB).
pub(super) const MAX_DOCUMENT: usize = 128 << 10;
/// At most this many repairs in one document.
pub(super) const MAX_ROUNDS: usize = 200;
/// At most this much text re-read while repairing one document.
pub(super) const MAX_BYTES: usize = 1 << 20;

/// A document read with recovery.
#[derive(Debug)]
pub(crate) struct Recovered<T> {
    /// The document as far as it could be read: None when it is not YAML
    /// (or not a mapping of keys), or could not be repaired.
    pub value: Option<T>,
    /// Every mistake found, the strict parse's first; empty when the
    /// document is clean.
    pub errors: Vec<YamlError>,
    /// Where the value differs from what the author wrote.
    pub repairs: Repairs,
}

/// Where a recovered document differs from what its author wrote.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Repairs {
    /// Nodes that hold a placeholder, not the author's value: a required
    /// key that was missing or unreadable, a list entry that was not one.
    pub placeholders: Vec<YamlPath>,
    /// Nodes whose value the author wrote was removed, replaced or moved.
    pub dropped: Vec<YamlPath>,
}

impl Repairs {
    /// Nothing was repaired.
    pub(crate) fn is_empty(&self) -> bool {
        self.placeholders.is_empty() && self.dropped.is_empty()
    }

    /// Whether the node at `path` is a placeholder.
    pub(crate) fn is_placeholder(&self, path: &YamlPath) -> bool {
        self.placeholders.contains(path)
    }

    /// Whether anything under the top-level key `key` was repaired.
    pub(crate) fn touches(&self, key: &str) -> bool {
        self.placeholders
            .iter()
            .chain(&self.dropped)
            .any(|p| matches!(p.0.first(), Some(Seg::Key(k)) if k == key))
    }
}

/// Placeholders, tried in turn until one is of the right type.
fn candidate(i: usize) -> Option<Value> {
    Some(match i {
        0 => Value::String(String::new()),
        1 => Value::Mapping(Mapping::new()),
        2 => Value::Sequence(Vec::new()),
        3 => Value::Number(0.into()),
        4 => Value::Bool(false),
        _ => return None,
    })
}
/// The candidate index of a mapping placeholder.
const MAPPING: usize = 1;
/// The placeholder is the first word of a vocabulary.
const VARIANT: usize = usize::MAX;

/// What a repair reports: nothing (our own repair caused it), or the error
/// located at a key or at a node.
enum Report {
    Silent,
    AtKey(YamlPath, YamlError),
    AtNode(YamlPath, YamlError),
}

/// The repair could not be made: the document is unreadable.
struct GiveUp;

/// `src` failed the strict parse with `first`: repair it.
pub(super) fn recover<T: DeserializeOwned>(src: &str, first: YamlError) -> Recovered<T> {
    let unreadable = |errors| Recovered {
        value: None,
        errors,
        repairs: Repairs::default(),
    };
    if src.len() > MAX_DOCUMENT {
        return unreadable(vec![first]);
    }
    let mut value: Value = match serde_yaml::from_str(src) {
        Ok(v) => v,
        Err(e) => {
            // Not YAML: the strict parse stopped at the same place, or at
            // an earlier mistake of another kind, reported with it.
            let later = classify(&e, src);
            let mut errors = vec![first];
            if (later.code, &later.message, later.offset)
                != (errors[0].code, &errors[0].message, errors[0].offset)
            {
                errors.push(later);
            }
            return unreadable(errors);
        }
    };
    let mut r = Repairer {
        budget: MAX_BYTES,
        placeholders: HashMap::new(),
        dropped: Vec::new(),
        removed_keys: HashMap::new(),
        removed_values: HashSet::new(),
        with_unknown_keys: HashSet::new(),
        renamed: Vec::new(),
        _t: std::marker::PhantomData::<T>,
    };
    let mut spans: Option<SpanIndex> = None;
    let mut errors = vec![first];
    for round in 0..MAX_ROUNDS {
        let (path, err) = match r.read(&value) {
            Some(Ok(v)) => {
                let mut placeholders: Vec<YamlPath> = r.placeholders.into_keys().collect();
                placeholders.sort_by_key(ToString::to_string);
                return Recovered {
                    value: Some(v),
                    errors,
                    repairs: Repairs {
                        placeholders,
                        dropped: r.dropped,
                    },
                };
            }
            Some(Err(e)) => e,
            None => break,
        };
        let report = match r.repair(&mut value, path, err) {
            Ok(report) => report,
            Err(GiveUp) => break,
        };
        let (at, key, e) = match report {
            Report::Silent if round == 0 => break,
            Report::Silent => continue,
            Report::AtKey(p, e) => (p, true, e),
            Report::AtNode(p, e) => (p, false, e),
        };
        if round == 0 {
            // The strict parse's error, found again: keep its position.
            if (e.code, &e.message) != (errors[0].code, &errors[0].message) {
                break;
            }
            errors[0].hint = e.hint;
            continue;
        }
        let spans = spans.get_or_insert_with(|| SpanIndex::build(src));
        let at = r.as_written(at);
        let span = if key {
            spans.locate_key(&at)
        } else {
            spans.locate(&at)
        };
        errors.push(YamlError {
            offset: span.map(|s| s.start),
            ..e
        });
    }
    unreadable(errors)
}

struct Repairer<T> {
    /// Bytes that may still be re-read.
    budget: usize,
    /// Each placeholder and the candidate it holds.
    placeholders: HashMap<YamlPath, usize>,
    dropped: Vec<YamlPath>,
    /// Unknown keys removed from each mapping: the key each was taken for.
    removed_keys: HashMap<YamlPath, Vec<Option<String>>>,
    /// Values removed for their type.
    removed_values: HashSet<YamlPath>,
    /// Mappings in which an unknown key was found.
    with_unknown_keys: HashSet<YamlPath>,
    /// Keys read as the key they were taken for: the path they are read
    /// at, and the key as written, in the order they were renamed.
    renamed: Vec<(YamlPath, String)>,
    _t: std::marker::PhantomData<T>,
}

impl<T: DeserializeOwned> Repairer<T> {
    /// Read `T` from `value`: the document, or the path and error of its
    /// first failure; None when the budget is spent or the path is not one
    /// of keys and indices.
    fn read(&mut self, value: &Value) -> Option<Result<T, (YamlPath, YamlError)>> {
        let text = serde_yaml::to_string(value).ok()?;
        self.budget = self.budget.checked_sub(text.len())?;
        let de = serde_yaml::Deserializer::from_str(&text);
        match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(v) => Some(Ok(v)),
            Err(e) => {
                let mut path = YamlPath::root();
                for s in e.path() {
                    path.0.push(match s {
                        serde_path_to_error::Segment::Seq { index } => Seg::Index(*index),
                        serde_path_to_error::Segment::Map { key } => Seg::Key(key.clone()),
                        _ => return None,
                    });
                }
                let err = classify(e.inner(), &text);
                Some(Err((path, err)))
            }
        }
    }

    /// The path, in the document as written, of the node at `path` of the
    /// repaired document (renamed keys have their written names).
    fn as_written(&self, mut path: YamlPath) -> YamlPath {
        for (to, from) in self.renamed.iter().rev() {
            if path.0.starts_with(&to.0) {
                path.0[to.0.len() - 1] = Seg::Key(from.clone());
            }
        }
        path
    }

    /// Whether `path` is a placeholder or lies inside one.
    fn in_placeholder(&self, path: &YamlPath) -> bool {
        self.placeholders.keys().any(|p| path.0.starts_with(&p.0))
    }

    /// Repair the failure `err` at `path`, and say what to report.
    fn repair(
        &mut self,
        value: &mut Value,
        path: YamlPath,
        err: YamlError,
    ) -> Result<Report, GiveUp> {
        match err.code {
            Code::MissingKey => {
                let field = err
                    .message
                    .split("missing field `")
                    .nth(1)
                    .and_then(|s| s.split('`').next())
                    .ok_or(GiveUp)?
                    .to_string();
                let at = path.key(&field);
                let ours = self.in_placeholder(&path)
                    || self.removed_values.contains(&at)
                    || self
                        .removed_keys
                        .get(&path)
                        .is_some_and(|ks| ks.iter().any(|k| k.as_deref() == Some(&field)));
                let Some(Value::Mapping(m)) = node(value, &path) else {
                    return Err(GiveUp);
                };
                m.insert(Value::String(field), candidate(0).ok_or(GiveUp)?);
                self.placeholders.insert(at, 0);
                Ok(if ours {
                    Report::Silent
                } else {
                    Report::AtNode(path, err)
                })
            }
            Code::UnknownKey => {
                let Some((Seg::Key(key), parent)) = path.0.split_last() else {
                    return Err(GiveUp);
                };
                let (key, parent) = (key.clone(), YamlPath(parent.to_vec()));
                let ours = self.in_placeholder(&parent);
                if self.with_unknown_keys.insert(parent.clone()) {
                    if let Some(list) = self.other_list(value, &parent) {
                        self.move_entry(value, &parent, &list)?;
                        let hint = format!(
                            "this looks like an entry of `{list}:`; move it under `{list}:`"
                        );
                        return Ok(Report::AtKey(
                            path,
                            YamlError {
                                hint: Some(hint),
                                ..err
                            },
                        ));
                    }
                }
                let (_, expected) = split_expected(
                    err.message
                        .split("unknown field `")
                        .nth(1)
                        .unwrap_or_default(),
                );
                let meant = crate::suggest::suggest(&key, expected.iter().map(String::as_str));
                let Some(Value::Mapping(m)) = node(value, &parent) else {
                    return Err(GiveUp);
                };
                match meant.clone().filter(|f| !m.keys().any(|k| key_is(k, f))) {
                    Some(f) => {
                        // A misspelling of a key not written: read as it.
                        let entries = std::mem::take(m).into_iter().map(|(k, v)| {
                            let k = if key_is(&k, &key) {
                                Value::String(f.clone())
                            } else {
                                k
                            };
                            (k, v)
                        });
                        *m = Mapping::from_iter(entries);
                        self.dropped.push(parent.key(&f));
                        self.renamed.push((parent.key(&f), key));
                    }
                    None => {
                        let before = m.len();
                        m.retain(|k, _| !key_is(k, &key));
                        if m.len() == before {
                            return Err(GiveUp);
                        }
                        self.removed_keys.entry(parent).or_default().push(meant);
                        self.dropped.push(path.clone());
                    }
                }
                Ok(if ours {
                    Report::Silent
                } else {
                    Report::AtKey(path, err)
                })
            }
            _ => {
                if let Some(&c) = self.placeholders.get(&path) {
                    // Our placeholder is of the wrong type: the next one.
                    let variant = err
                        .message
                        .split("unknown variant `")
                        .nth(1)
                        .map(|rest| split_expected(rest).1)
                        .and_then(|words| words.into_iter().next());
                    let (next, v) = match variant {
                        Some(word) if c != VARIANT => (VARIANT, Value::String(word)),
                        _ if c == VARIANT => return Err(GiveUp),
                        _ => (c + 1, candidate(c + 1).ok_or(GiveUp)?),
                    };
                    *node(value, &path).ok_or(GiveUp)? = v;
                    self.placeholders.insert(path, next);
                    return Ok(Report::Silent);
                }
                let ours = self.in_placeholder(&path);
                let Some((last, parent)) = path.0.split_last() else {
                    return Err(GiveUp);
                };
                let parent = YamlPath(parent.to_vec());
                match (last, node(value, &parent)) {
                    (Seg::Key(key), Some(Value::Mapping(m))) => {
                        let before = m.len();
                        m.retain(|k, _| !key_is(k, key));
                        if m.len() == before {
                            return Err(GiveUp);
                        }
                        self.removed_values.insert(path.clone());
                    }
                    (Seg::Index(i), Some(Value::Sequence(s))) => {
                        *s.get_mut(*i).ok_or(GiveUp)? = candidate(0).ok_or(GiveUp)?;
                        self.placeholders.insert(path.clone(), 0);
                    }
                    _ => return Err(GiveUp),
                }
                self.dropped.push(path.clone());
                Ok(if ours {
                    Report::Silent
                } else {
                    Report::AtNode(path, err)
                })
            }
        }
    }

    /// The sibling list the entry at `entry` (`…list[i]`, a mapping with an
    /// unknown key) belongs to: one whose entries read it without error.
    fn other_list(&mut self, value: &Value, entry: &YamlPath) -> Option<String> {
        let [parent @ .., Seg::Key(own), Seg::Index(_)] = entry.0.as_slice() else {
            return None;
        };
        let parent = YamlPath(parent.to_vec());
        let item = node_ref(value, entry)?.clone();
        if !item.is_mapping() {
            return None;
        }
        // The keys the parent may have: those written, and those a probe
        // key's error lists.
        let Value::Mapping(written) = node_ref(value, &parent)? else {
            return None;
        };
        let mut lists: Vec<String> = written
            .iter()
            .filter(|(_, v)| v.is_sequence())
            .filter_map(|(k, _)| k.as_str().map(str::to_string))
            .collect();
        let probe = "\u{1}";
        let doc = pruned(
            value,
            &parent.0,
            Value::Mapping(Mapping::from_iter([(
                Value::String(probe.into()),
                Value::Null,
            )])),
        )?;
        if let Some(Err((p, e))) = self.read(&doc) {
            if p == parent.key(probe) && e.code == Code::UnknownKey {
                let rest = e.message.split("unknown field `").nth(1).unwrap_or("");
                lists.extend(split_expected(rest).1);
            }
        }
        let mut seen = HashSet::new();
        for list in lists {
            if list == *own || !seen.insert(list.clone()) {
                continue;
            }
            let doc = pruned(
                value,
                &parent.0,
                Value::Mapping(Mapping::from_iter([(
                    Value::String(list.clone()),
                    Value::Sequence(vec![item.clone()]),
                )])),
            )?;
            let fits = match self.read(&doc)? {
                Ok(_) => true,
                Err((p, _)) => !p.0.starts_with(&parent.key(&list).0),
            };
            if fits {
                return Some(list);
            }
        }
        None
    }

    /// Move the entry at `entry` to the end of the sibling list `list`,
    /// leaving a placeholder in its place (the entries after it keep
    /// their positions).
    fn move_entry(
        &mut self,
        value: &mut Value,
        entry: &YamlPath,
        list: &str,
    ) -> Result<(), GiveUp> {
        let parent = YamlPath(entry.0[..entry.0.len() - 2].to_vec());
        let slot = node(value, entry).ok_or(GiveUp)?;
        let item = std::mem::replace(slot, candidate(MAPPING).ok_or(GiveUp)?);
        let Some(Value::Mapping(m)) = node(value, &parent) else {
            return Err(GiveUp);
        };
        let to = m
            .entry(Value::String(list.to_string()))
            .or_insert_with(|| Value::Sequence(Vec::new()));
        let Value::Sequence(s) = to else {
            return Err(GiveUp);
        };
        s.push(item);
        self.placeholders.insert(entry.clone(), MAPPING);
        self.dropped.push(entry.clone());
        Ok(())
    }
}

/// `value` with the node at `path` replaced by `with`, and only what leads
/// to it kept: the keys on the path, the list entries up to it (which
/// precede it, so read without error). Reading it reads `with` where it
/// would be read in the document, cheaply.
fn pruned(value: &Value, path: &[Seg], with: Value) -> Option<Value> {
    let Some((first, rest)) = path.split_first() else {
        return Some(with);
    };
    let value = match value {
        Value::Tagged(t) => &t.value,
        v => v,
    };
    Some(match (first, value) {
        (Seg::Key(k), Value::Mapping(m)) => {
            let (key, child) = m.iter().find(|(key, _)| key_is(key, k))?;
            Value::Mapping(Mapping::from_iter([(
                key.clone(),
                pruned(child, rest, with)?,
            )]))
        }
        (Seg::Index(i), Value::Sequence(s)) => {
            let mut out: Vec<Value> = s.get(..*i)?.to_vec();
            out.push(pruned(s.get(*i)?, rest, with)?);
            Value::Sequence(out)
        }
        _ => return None,
    })
}

/// Whether mapping key `k` is the key `name` (as the path names it).
fn key_is(k: &Value, name: &str) -> bool {
    match k {
        Value::String(s) => s == name,
        Value::Number(n) => n.to_string() == name,
        Value::Bool(b) => b.to_string() == name,
        _ => false,
    }
}

/// The node at `path`.
fn node<'v>(mut v: &'v mut Value, path: &YamlPath) -> Option<&'v mut Value> {
    for seg in &path.0 {
        if let Value::Tagged(t) = v {
            v = &mut t.value;
        }
        v = match (seg, v) {
            (Seg::Key(k), Value::Mapping(m)) => m
                .iter_mut()
                .find(|(key, _)| key_is(key, k))
                .map(|(_, v)| v)?,
            (Seg::Index(i), Value::Sequence(s)) => s.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

fn node_ref<'v>(mut v: &'v Value, path: &YamlPath) -> Option<&'v Value> {
    for seg in &path.0 {
        if let Value::Tagged(t) = v {
            v = &t.value;
        }
        v = match (seg, v) {
            (Seg::Key(k), Value::Mapping(m)) => {
                m.iter().find(|(key, _)| key_is(key, k)).map(|(_, v)| v)?
            }
            (Seg::Index(i), Value::Sequence(s)) => s.get(*i)?,
            _ => return None,
        };
    }
    Some(v)
}
