//! Parser errors in the words of the format: `serde_yaml`'s errors
//! classified into stable diagnostic codes, with a byte offset, a message
//! that names what authors write (not our Rust types) and a hint ("did you
//! mean" for unknown keys and values).

use crate::diagnostics::code::Code;
use crate::suggest::hint;

use super::types::YamlError;

pub(super) fn classify(e: &serde_yaml::Error, src: &str) -> YamlError {
    let raw = e.to_string();
    let mut offset = e.location().map(|l| l.index().min(src.len()));
    // Stopped at the end of the document by something never closed (a
    // quote, a `[`): where it opened is where the mistake is.
    if offset.is_some_and(|o| src.get(o..).is_some_and(|rest| rest.trim().is_empty())) {
        if let Some(o) = context_offset(&raw, src) {
            offset = Some(o);
        }
    }
    // serde_yaml writes " at line L column C" (counted in this document, not
    // in the file); positions are reported by the caller instead.
    let message = for_authors(&strip_positions(&raw));
    let (code, hint) = if is_date_error(&message) {
        (
            Code::InvalidValue,
            Some("write dates as YYYY-MM-DD, e.g. 2026-01-12, and check the day exists".into()),
        )
    } else if let Some(rest) = after(&message, "unknown field `") {
        let (word, expected) = split_expected(rest);
        let hint = hint(&word, expected.iter().map(String::as_str)).or_else(|| {
            (!expected.is_empty()).then(|| format!("allowed keys: {}", expected.join(", ")))
        });
        (Code::UnknownKey, hint)
    } else if let Some(rest) = after(&message, "unknown variant `") {
        let (word, expected) = split_expected(rest);
        let hint = hint(&word, expected.iter().map(String::as_str))
            .or_else(|| Some(format!("use one of: {}", expected.join(", "))));
        (Code::InvalidValue, hint)
    } else if message.contains("invalid type") || message.contains("invalid value") {
        (Code::WrongType, None)
    } else if message.contains("missing field") {
        (
            Code::MissingKey,
            Some("add the key; see FORMAT.md for this file".into()),
        )
    } else if message.contains("duplicate entry") {
        (
            Code::DuplicateKey,
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
        (Code::YamlSyntax, hint)
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

/// Where the construct a parser message is "while scanning" or "while
/// parsing" started (its second " at line L column C", counted from 1 in
/// characters), as a byte offset in `src`.
fn context_offset(raw: &str, src: &str) -> Option<usize> {
    let context = &raw[raw.find(", while ")?..];
    let at = &context[context.find(" at line ")? + " at line ".len()..];
    let (line, rest) = at.split_once(" column ")?;
    let line: usize = line.parse().ok()?;
    let column: usize = rest
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()?;
    let start = if line <= 1 {
        0
    } else {
        src.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let offset = src[start..]
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map(|(i, _)| start + i)?;
    Some(offset)
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
pub(super) fn split_expected(rest: &str) -> (String, Vec<String>) {
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
    fn the_context_of_a_message_is_found_in_the_document() {
        let src = "a: 1\nbé: \"x\n";
        let raw = "found unexpected end of stream at line 3 column 1, while scanning a quoted scalar at line 2 column 5";
        assert_eq!(context_offset(raw, src), Some(src.find('"').unwrap()));
        assert_eq!(context_offset("no context at line 1 column 1", src), None);
    }
}
