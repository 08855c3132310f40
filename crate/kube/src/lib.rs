//! The Kubernetes API-server behaviour that kwok's Stages rely on, in memory.
//!
//! kwok only sends requests; what an object looks like afterwards is the API server's
//! doing. This crate owns that part: the typed encoding of Pods and Nodes (as Go's structs
//! encode them), JSON patch, JSON merge patch and strategic merge patch, the status
//! subresource, deletion with finalizers and grace periods, resource versions, and the
//! watch events a write produces. It knows nothing about Stages.

mod field;
pub mod hash;
mod pack;
pub mod patch;
pub mod quantity;
pub mod schema;
pub mod store;
mod strategic;
pub mod time;
pub mod typed;

pub use field::field;
pub use patch::{PatchError, PatchType};
pub use store::{
    ApiError, DeleteOutcome, ObjectKey, Packed, Patched, Prepared, SharedEvent, Store, StoreConfig,
    WatchEvent, WatchEventType,
};
