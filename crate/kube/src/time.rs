//! Virtual time as the API server stores it: nanoseconds since the Unix epoch, UTC, and the
//! RFC 3339 forms Kubernetes reads and writes.

/// Nanoseconds since 1970-01-01T00:00:00Z.
pub type Nanos = i64;

/// Parses an RFC 3339 timestamp (fractions and offsets allowed).
pub fn parse_rfc3339(text: &str) -> Option<Nanos> {
    let _ = text;
    todo!()
}

/// `metav1.Time` as stored: UTC, whole seconds (`2024-01-01T00:00:10Z`).
pub fn format_seconds(t: Nanos) -> String {
    let _ = t;
    todo!()
}

/// Go's `time.RFC3339Nano` in UTC: up to 9 fraction digits, trailing zeros trimmed.
pub fn format_nanos(t: Nanos) -> String {
    let _ = t;
    todo!()
}
