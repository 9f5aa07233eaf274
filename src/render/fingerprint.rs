//! Fingerprints: 128-bit hashes of what a page or a program's views are
//! made from, so that a render can tell what changed since the last one.
//! xxh3-128 (the `xxhash-rust` crate): fast enough to hash every page's
//! context on each rebuild, wide enough that two different inputs do not
//! meet by chance.

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

/// A 128-bit fingerprint of everything written into it; `io::Write`, so
/// that a context can be serialised straight into it.
pub struct Fingerprint(Xxh3);

impl Default for Fingerprint {
    fn default() -> Self {
        Self::new()
    }
}

impl Fingerprint {
    pub fn new() -> Self {
        Fingerprint(Xxh3::new())
    }

    /// Add the JSON form of `x`.
    pub fn of_json<T: Serialize + ?Sized>(mut self, x: &T) -> Self {
        // Writing into a hasher cannot fail; serialising our views does not.
        let _ = serde_json::to_writer(&mut self, x);
        self
    }

    pub fn of_bytes(mut self, b: &[u8]) -> Self {
        // The length first: `ab` then `c` differs from `a` then `bc`.
        self.0.update(&(b.len() as u64).to_le_bytes());
        self.0.update(b);
        self
    }

    pub fn of_u128(mut self, x: u128) -> Self {
        self.0.update(&x.to_le_bytes());
        self
    }

    pub fn finish(&self) -> u128 {
        self.0.digest128()
    }
}

impl std::io::Write for Fingerprint {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_inputs_give_equal_fingerprints_and_order_matters() {
        let a = Fingerprint::new().of_json(&[1, 2]).of_u128(7).finish();
        let b = Fingerprint::new().of_json(&[1, 2]).of_u128(7).finish();
        let c = Fingerprint::new().of_u128(7).of_json(&[1, 2]).finish();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(
            Fingerprint::new().of_bytes(b"ab").finish(),
            Fingerprint::new().of_bytes(b"ba").finish()
        );
        assert_ne!(
            Fingerprint::new().of_bytes(b"ab").of_bytes(b"c").finish(),
            Fingerprint::new().of_bytes(b"a").of_bytes(b"bc").finish()
        );
        // The two halves differ: not one hash repeated.
        let f = Fingerprint::new().of_bytes(b"x").finish();
        assert_ne!(f >> 64, f & u128::from(u64::MAX));
    }
}
