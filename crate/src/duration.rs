//! Go's `time.ParseDuration`, which kwok applies to delay strings read by jq.
//!
//! The parser lives in `stage_gotpl::duration`, where sprig's date functions use it too;
//! the rules about when a string is read as a duration live in `delay`.

pub use stage_gotpl::duration::{DurationError, Nanos, parse_go_duration};
