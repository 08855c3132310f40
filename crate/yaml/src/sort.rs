//! go-yaml v2's order of map keys.
