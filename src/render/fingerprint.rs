//! Fingerprints: 128-bit hashes of what a page or a program's views are
//! made from, so that a render can tell what changed since the last one.

use std::hash::{DefaultHasher, Hasher};

use serde::Serialize;

/// A 128-bit fingerprint of everything written into it (two SipHash
/// streams with different starting states); `io::Write`, so that a context
/// can be serialised straight into it.
pub struct Fingerprint(DefaultHasher, DefaultHasher);

impl Default for Fingerprint {
    fn default() -> Self {
        Self::new()
    }
}

impl Fingerprint {
    pub fn new() -> Self {
        let mut second = DefaultHasher::new();
        second.write_u8(0xa5);
        Fingerprint(DefaultHasher::new(), second)
    }

    /// Add the JSON form of `x`.
    pub fn of_json<T: Serialize + ?Sized>(mut self, x: &T) -> Self {
        // Writing into a hasher cannot fail; serialising our views does not.
        let _ = serde_json::to_writer(&mut self, x);
        self
    }

    /// Add the `Debug` form of `x`: for resolved graph types, whose
    /// derived `Debug` shows every field.
    pub fn of_debug<T: std::fmt::Debug + ?Sized>(mut self, x: &T) -> Self {
        use std::io::Write;
        let _ = write!(self, "{x:?}");
        self
    }

    pub fn of_bytes(mut self, b: &[u8]) -> Self {
        self.0.write(b);
        self.1.write(b);
        self
    }

    pub fn of_u128(mut self, x: u128) -> Self {
        self.0.write_u128(x);
        self.1.write_u128(x);
        self
    }

    pub fn finish(&self) -> u128 {
        (u128::from(self.0.finish()) << 64) | u128::from(self.1.finish())
    }
}

impl std::io::Write for Fingerprint {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        self.1.write(buf);
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
        // The two halves differ: not one hash repeated.
        let f = Fingerprint::new().of_bytes(b"x").finish();
        assert_ne!(f >> 64, f & u128::from(u64::MAX));
    }
}
