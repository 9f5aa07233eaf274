//! Identity: who a response is from, turned into a pseudonym.
//!
//! A participant's identity (the value of a participant column, such as an
//! e-mail address) is normalised — trimmed, lower case, inner white space
//! made one space — and replaced by `p-` and the first 12 hex digits of
//! HMAC-SHA256(key, `<program>/<cohort>/<identity>`). The key is 32 random
//! bytes kept as `key:` in `results/import.yaml` (or given in
//! `PLAYBOOK_IMPORT_KEY`), so every import of the same program (and cohort)
//! on every machine and clone gives a person the same pseudonym, pre and
//! post pair up, and the identity itself is written nowhere.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The environment variable that overrides the key of `import.yaml`.
pub(crate) const KEY_ENV: &str = "PLAYBOOK_IMPORT_KEY";

/// Bytes in a new key.
pub(crate) const KEY_BYTES: usize = 32;

/// An identity as it is compared: trimmed, lower case, white space runs
/// made one space.
pub(crate) fn normalise(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether a participant cell names nobody: empty, or the word Microsoft
/// Forms writes for an anonymous response.
pub(crate) fn is_nobody(value: &str) -> bool {
    let v = value.trim();
    v.is_empty() || v.eq_ignore_ascii_case("anonymous")
}

/// A key as hex digits.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex digits as bytes: at least 32 digits (16 bytes), an even count.
pub(crate) fn from_hex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if s.len() < 32 || !s.len().is_multiple_of(2) || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

/// A new random key, from the operating system's generator.
pub(crate) fn new_key() -> std::io::Result<Vec<u8>> {
    let mut key = vec![0u8; KEY_BYTES];
    getrandom::fill(&mut key).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(key)
}

/// Makes pseudonyms for one program (and cohort) with one key.
#[derive(Clone)]
pub(crate) struct Pseudonyms {
    mac: Hmac<Sha256>,
    /// `<program>/<cohort>/`, before every identity.
    context: String,
}

impl Pseudonyms {
    pub(crate) fn new(key: &[u8], program: &str, cohort: Option<&str>) -> Self {
        // HMAC takes keys of any length.
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
        Pseudonyms {
            mac,
            context: format!("{program}/{}/", cohort.unwrap_or("")),
        }
    }

    /// The pseudonym of a participant's identity (normalised here).
    pub(crate) fn participant(&self, identity: &str) -> String {
        self.of(&normalise(identity))
    }

    /// The pseudonym of something that is not a person's identity: a
    /// response id, or a response's row and content (`what` keeps these
    /// apart from identities).
    pub(crate) fn response(&self, what: &str, value: &str) -> String {
        self.of(&format!("\u{1}{what}\u{1}{value}"))
    }

    fn of(&self, text: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(self.context.as_bytes());
        mac.update(text.as_bytes());
        let digest = mac.finalize().into_bytes();
        format!("p-{}", to_hex(&digest[..6]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_are_normalised_before_they_are_keyed() {
        let p = Pseudonyms::new(&[7; 32], "demo", None);
        let a = p.participant("bruno.lindqvist@example.org");
        assert_eq!(a, p.participant(" Bruno.Lindqvist@example.org "));
        assert_eq!(a.len(), 14);
        assert!(a.starts_with("p-"));
        assert_ne!(a, p.participant("amara.okafor@example.org"));
        // Another program, cohort or key gives another pseudonym.
        assert_ne!(
            a,
            Pseudonyms::new(&[7; 32], "other", None).participant("bruno.lindqvist@example.org")
        );
        assert_ne!(
            a,
            Pseudonyms::new(&[7; 32], "demo", Some("spring"))
                .participant("bruno.lindqvist@example.org")
        );
        assert_ne!(
            a,
            Pseudonyms::new(&[8; 32], "demo", None).participant("bruno.lindqvist@example.org")
        );
        // A response id never collides with an identity of the same text.
        assert_ne!(p.response("id", "r_1"), p.participant("r_1"));
    }

    #[test]
    fn the_pseudonym_is_hmac_sha256_of_context_and_identity() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let p = Pseudonyms {
            mac: <Hmac<Sha256> as KeyInit>::new_from_slice(b"Jefe").unwrap(),
            context: "what do ya ".into(),
        };
        assert_eq!(p.of("want for nothing?"), "p-5bdcc146bf60");
    }

    #[test]
    fn keys_read_back_from_hex() {
        let k = new_key().unwrap();
        assert_eq!(from_hex(&to_hex(&k)).unwrap(), k);
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex(&"zz".repeat(16)), None);
        assert!(is_nobody(" Anonymous ") && is_nobody("") && !is_nobody("a@b"));
    }
}
