//! Fast hashes that stay equal for equal values during one run: `serve` compares them across
//! rebuilds to find what changed.

use std::hash::{BuildHasher, Hash, Hasher};

/// The hash of `value`.
pub fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = hasher();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A hasher with fixed keys, so equal values hash equal across rebuilds.
pub fn hasher() -> ahash::AHasher {
    ahash::RandomState::with_seeds(0x62616e74, 0x696e2d76, 0x69657420, 0x6e616d21).build_hasher()
}
