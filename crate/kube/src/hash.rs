//! The hasher of the maps keyed by object keys (the store's objects, the loop's pending
//! jobs), which are looked up several times for every write and every play.
//!
//! The standard hasher resists inputs built to collide, which costs a few hundred
//! instructions for a key's four strings. These keys come from the run's own objects, so
//! the compiler's own fast hash (`rustc-hash`) does instead. Nothing iterates these maps in
//! an order that could reach a result: the store sorts what it lists.

/// A map from keys to values with the fast hash.
pub type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;
