//! YAML: the one module that knows which YAML libraries we use.
//!
//! Typed documents are read with `serde_yaml` (named only here, so swapping
//! it for a maintained fork is a change to this folder alone). Before it
//! sees a document, [`limits`] refuses what would cost it unbounded time or
//! memory (deep nesting, alias bombs). Its errors are classified into stable
//! diagnostic codes with a byte offset, a message in the words of the format
//! and a "did you mean" hint for unknown keys and values.
//!
//! `serde_yaml` does not expose where a successfully parsed value came from,
//! so positions of values that later fail a semantic check (an unknown id, a
//! duplicate) are found lazily by [`SpanIndex`] ([`spans`]), which replays
//! the document through `yaml-rust2`'s event parser and records the byte
//! span of every node by its path. That second parse only happens for files
//! with diagnostics.

pub mod limits;
pub mod spans;
mod types;

use serde::de::DeserializeOwned;

use crate::suggest::hint;

pub use spans::SpanIndex;
pub use types::{Seg, YamlError, YamlPath};

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
    if let Some(at) = limits::too_deep(src) {
        return Err(YamlError {
            code: "yaml-syntax",
            message: format!(
                "collections nested more than {} levels deep",
                limits::MAX_FLOW_DEPTH
            ),
            offset: Some(at),
            hint: Some("flatten the structure; playbook files need at most a few levels".into()),
        });
    }
    if let Some(e) = limits::expansion_error(src) {
        return Err(e);
    }
    serde_yaml::from_str(src).map_err(|e| classify(&e, src))
}

fn classify(e: &serde_yaml::Error, src: &str) -> YamlError {
    let offset = e.location().map(|l| l.index().min(src.len()));
    // serde_yaml writes " at line L column C" (counted in this document, not
    // in the file); positions are reported by the caller instead.
    let message = for_authors(&strip_positions(&e.to_string()));
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

/// A parser message in the words of the format: Rust type names replaced
/// by what authors write, and long quoted values shortened (a paste of a
/// whole document must not come back as its own message).
fn for_authors(m: &str) -> String {
    let mut out = String::with_capacity(m.len().min(400));
    let mut rest = m;
    while let Some(i) = rest.find('"') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find('"') {
            Some(j) => {
                let quoted = &after[..j];
                out.push('"');
                if quoted.chars().count() > 60 {
                    out.extend(quoted.chars().take(57));
                    out.push('…');
                } else {
                    out.push_str(quoted);
                }
                out.push('"');
                rest = &after[j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    let mut words: Vec<String> = Vec::new();
    let mut tokens = out.split(' ').peekable();
    while let Some(t) = tokens.next() {
        let (word, tail) = split_punct(t);
        let replaced = match word {
            "struct" => match tokens.peek().map(|n| split_punct(n)) {
                Some((name, tail)) if crate::model::doc_name(name).is_some() => {
                    tokens.next();
                    Some(format!(
                        "{}{tail}",
                        crate::model::doc_name(name).unwrap_or(name)
                    ))
                }
                _ => None,
            },
            "u8" | "u16" | "u32" | "u64" | "usize" => {
                Some(format!("a whole number (0 or more){tail}"))
            }
            "i8" | "i16" | "i32" | "i64" => Some(format!("a whole number{tail}")),
            "f32" | "f64" => Some(format!("a number{tail}")),
            _ => None,
        };
        words.push(replaced.unwrap_or_else(|| t.to_string()));
    }
    words.join(" ")
}

/// A word and the punctuation after it: `u32,` → (`u32`, `,`).
fn split_punct(t: &str) -> (&str, &str) {
    let end = t.trim_end_matches([',', '.', ';', ')']).len();
    t.split_at(end)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_speak_of_the_format() {
        assert_eq!(
            for_authors("invalid type: sequence, expected struct SessionDoc"),
            "invalid type: sequence, expected the keys of a session guide's front matter"
        );
        assert_eq!(
            for_authors("cohort_size: invalid type: string \"six\", expected u32"),
            "cohort_size: invalid type: string \"six\", expected a whole number (0 or more)"
        );
        let long = format!("invalid type: string \"{}\", expected f64", "x".repeat(500));
        let m = for_authors(&long);
        assert!(m.ends_with("…\", expected a number"), "{m}");
        assert!(m.len() < 120);
        // Other words, and unknown structs, are left alone.
        assert_eq!(for_authors("struct Foo u32x"), "struct Foo u32x");
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
    fn deep_nesting_is_refused_quickly() {
        let src = format!("a: {}", "[".repeat(100_000));
        let e = from_str::<serde_yaml::Value>(&src).unwrap_err();
        assert_eq!(e.code, "yaml-syntax");
        assert_eq!(e.offset, Some(3 + limits::MAX_FLOW_DEPTH));
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
