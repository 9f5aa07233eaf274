//! YAML: the one module that knows which YAML libraries we use.
//!
//! Typed documents are read with `serde_yaml` (named only here, so swapping
//! it for a maintained fork is a change to this folder alone). Before it
//! sees a document, [`limits`] refuses what would cost it unbounded time or
//! memory (deep nesting, alias bombs). Its errors are classified into stable
//! diagnostic codes with a byte offset, a message in the words of the format
//! and a "did you mean" hint for unknown keys and values (`messages.rs`).
//! A document that is YAML but has mistakes can be read with recovery
//! ([`from_str_recovering`], `recover.rs`): every independent mistake is
//! reported, and the document comes back with what its author did write.
//!
//! `serde_yaml` does not expose where a successfully parsed value came from,
//! so positions of values that later fail a semantic check (an unknown id, a
//! duplicate) are found lazily by [`SpanIndex`] ([`spans`]), which replays
//! the document through `yaml-rust2`'s event parser and records the byte
//! span of every node by its path. That second parse only happens for files
//! with diagnostics.

pub(crate) mod limits;
mod messages;
mod recover;
pub(crate) mod spans;
mod types;

use serde::de::DeserializeOwned;

use messages::classify;

use crate::diagnostics::code::Code;
pub(crate) use recover::{Recovered, Repairs};
pub(crate) use spans::SpanIndex;
pub(crate) use types::{YamlError, YamlPath};

/// Parse `src` into `T`. `src` must not start with a byte-order mark.
pub(crate) fn from_str<T: DeserializeOwned>(src: &str) -> Result<T, YamlError> {
    bounded(src)?;
    serde_yaml::from_str(src).map_err(|e| classify(&e, src))
}

/// Parse `src` into `T`, and when that fails, read what can be read: every
/// independent mistake is reported, the value holds what the author wrote
/// where it could be read, and [`Repairs`] says where it does not (see
/// `recover.rs`). A document that is clean costs the strict parse alone.
pub(crate) fn from_str_recovering<T: DeserializeOwned>(src: &str) -> Recovered<T> {
    let failed = |e: YamlError| Recovered {
        value: None,
        errors: vec![e],
        repairs: Repairs::default(),
    };
    if let Err(e) = bounded(src) {
        return failed(e);
    }
    match serde_yaml::from_str(src) {
        Ok(v) => Recovered {
            value: Some(v),
            errors: Vec::new(),
            repairs: Repairs::default(),
        },
        Err(e) => recover::recover(src, classify(&e, src)),
    }
}

/// An empty document, or one that would cost the parser unbounded time or
/// memory.
fn bounded(src: &str) -> Result<(), YamlError> {
    if src.trim().is_empty() {
        return Err(YamlError {
            code: Code::EmptyFile,
            message: "the document is empty".into(),
            offset: None,
            hint: Some("write the keys this file needs (see FORMAT.md)".into()),
        });
    }
    if let Some(at) = limits::too_deep(src) {
        return Err(YamlError {
            code: Code::YamlSyntax,
            message: format!(
                "collections nested more than {} levels deep",
                limits::MAX_FLOW_DEPTH
            ),
            offset: Some(at),
            hint: Some("flatten the structure; playbook files need at most a few levels".into()),
        });
    }
    match limits::expansion_error(src) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

#[cfg(test)]
mod recover_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let src = format!("a: {}", "[".repeat(100_000));
        let e = from_str::<serde_yaml::Value>(&src).unwrap_err();
        assert_eq!(e.code, Code::YamlSyntax);
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
        assert_eq!(e.code, Code::UnknownKey);
        assert_eq!(e.hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(e.offset, Some(0));
    }

    #[test]
    fn what_is_never_closed_is_reported_where_it_opens() {
        let src = "a: [1, 2\n";
        let e = from_str::<serde_yaml::Value>(src).unwrap_err();
        assert_eq!((e.code, e.offset), (Code::YamlSyntax, Some(3)), "{e:?}");
        let src = "a: 1\nb: \"never closed\nc: 2\n";
        let e = from_str::<serde_yaml::Value>(src).unwrap_err();
        assert_eq!(e.offset, Some(src.find('"').unwrap()), "{e:?}");
        // Noticed before the end: where the parser noticed it.
        let src = "a: [1, 2\nb: 3\n";
        let e = from_str::<serde_yaml::Value>(src).unwrap_err();
        assert_ne!(e.offset, Some(3), "{e:?}");
    }
}
