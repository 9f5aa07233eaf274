//! Fingerprints: 128-bit hashes of what a page or a program's views are
//! made from, so that a render can tell what changed since the last one.
//! xxh3-128 (the `xxhash-rust` crate): fast enough to hash every page's
//! context on each rebuild, wide enough that two different inputs do not
//! meet by chance. Values are fed to it by `feed`, field by field.

mod feed;

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

/// A 128-bit fingerprint of everything fed to it.
pub(crate) struct Fingerprint(Xxh3);

impl Default for Fingerprint {
    fn default() -> Self {
        Self::new()
    }
}

impl Fingerprint {
    pub(crate) fn new() -> Self {
        Fingerprint(Xxh3::new())
    }

    /// Add what `x` holds.
    pub(crate) fn of<T: Serialize + ?Sized>(mut self, x: &T) -> Self {
        let mut feed = feed::Feed::new(&mut self.0);
        // Feeding a hasher cannot fail.
        let _ = x.serialize(&mut feed);
        feed.finish();
        self
    }

    pub(crate) fn of_bytes(mut self, b: &[u8]) -> Self {
        // The length first: `ab` then `c` differs from `a` then `bc`.
        self.0.update(&(b.len() as u64).to_le_bytes());
        self.0.update(b);
        self
    }

    pub(crate) fn of_u128(mut self, x: u128) -> Self {
        self.0.update(&x.to_le_bytes());
        self
    }

    pub(crate) fn finish(&self) -> u128 {
        self.0.digest128()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_inputs_give_equal_fingerprints_and_order_matters() {
        let a = Fingerprint::new().of(&[1, 2]).of_u128(7).finish();
        let b = Fingerprint::new().of(&[1, 2]).of_u128(7).finish();
        let c = Fingerprint::new().of_u128(7).of(&[1, 2]).finish();
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

    #[test]
    fn different_values_feed_different_bytes() {
        #[derive(serde::Serialize)]
        struct Inner {
            a: String,
        }
        #[derive(serde::Serialize)]
        struct Outer {
            #[serde(flatten)]
            inner: Inner,
            b: Option<u32>,
            c: Vec<f64>,
        }
        let fp = |a: &str, b: Option<u32>, c: Vec<f64>| {
            Fingerprint::new()
                .of(&Outer {
                    inner: Inner { a: a.into() },
                    b,
                    c,
                })
                .finish()
        };
        let base = fp("x", Some(1), vec![1.0, 2.0]);
        assert_eq!(base, fp("x", Some(1), vec![1.0, 2.0]));
        for other in [
            fp("y", Some(1), vec![1.0, 2.0]),
            fp("x", None, vec![1.0, 2.0]),
            fp("x", Some(2), vec![1.0, 2.0]),
            fp("x", Some(1), vec![1.0]),
            fp("x", Some(1), vec![2.0, 1.0]),
            fp("x", Some(1), vec![]),
        ] {
            assert_ne!(base, other);
        }
        // Where one string ends and the next begins matters.
        assert_ne!(
            Fingerprint::new().of(&("ab", "c")).finish(),
            Fingerprint::new().of(&("a", "bc")).finish()
        );
        // Nesting matters.
        assert_ne!(
            Fingerprint::new().of(&vec![vec![1], vec![2]]).finish(),
            Fingerprint::new().of(&vec![vec![1, 2]]).finish()
        );
    }
}
