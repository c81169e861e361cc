//! Fast hashes that stay equal for equal values from run to run of one bantin binary: `serve`
//! compares them across rebuilds to find what changed, and the manifest of a build keeps the
//! hash of each page for the next. Another binary may hash otherwise; a manifest then only
//! stops matching, and its files are compared byte for byte.

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
