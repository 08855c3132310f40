//! The hasher of the maps keyed by object keys (the store's objects, the loop's pending
//! jobs), which are looked up several times for every write and every play.
//!
//! The standard hasher resists inputs built to collide, which costs a few hundred
//! instructions for a key's four strings. These keys come from the run's own objects, so
//! a multiply-and-rotate hash over whole words does instead. Nothing iterates these maps
//! in an order that could reach a result: the store sorts what it lists.

use std::hash::{BuildHasherDefault, Hasher};

/// A map from keys to values, hashed with [`WordHasher`].
pub type FastMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<WordHasher>>;

/// Folds the input eight bytes at a time: rotate, mix in the word, multiply by an odd
/// constant with well-spread bits.
#[derive(Clone, Copy, Default)]
pub struct WordHasher {
    hash: u64,
}

const SPREAD: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SPREAD);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut eight = [0; 8];
            eight.copy_from_slice(word);
            self.add(u64::from_le_bytes(eight));
        }
        // The last word is padded with zeros, and the length tells the padding from
        // trailing zero bytes.
        let rest = words.remainder();
        let mut eight = [0; 8];
        eight[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(eight) ^ ((bytes.len() as u64) << 56));
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use std::hash::{BuildHasher, BuildHasherDefault};

    use crate::ObjectKey;

    use super::WordHasher;

    #[test]
    fn keys_that_differ_hash_apart() {
        let build = BuildHasherDefault::<WordHasher>::default();
        let hashes: Vec<u64> = ["pod-0", "pod-1", "pod-10", "pod-01", "pod-0\0"]
            .iter()
            .map(|name| build.hash_one(ObjectKey::new("v1", "Pod", "default", name)))
            .collect();
        for (i, a) in hashes.iter().enumerate() {
            for b in &hashes[i + 1..] {
                assert_ne!(a, b);
            }
        }
        let again = build.hash_one(ObjectKey::new("v1", "Pod", "default", "pod-0"));
        assert_eq!(again, hashes[0]);
    }
}
