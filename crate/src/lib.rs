//! kwok v0.8's Stage engine.
//!
//! Stages are loaded from YAML ([`load`]), matched against objects, and played over a
//! virtual clock by a model of kwok's controllers; a run is a pure function of the Stages,
//! the objects, the controller config, the start time, the seed and the user's actions,
//! and its result is a timeline. Nothing here reads the platform's clock or randomness, and
//! nothing here knows about browsers.

pub mod chance;
#[cfg(feature = "cli")]
pub mod cli;
pub mod config;
pub mod delay;
pub mod diagnostic;
pub mod duration;
pub mod export;
pub mod finalizers;
pub mod funcs;
pub mod golden;
pub mod ippool;
pub mod load;
pub mod model;
pub mod render;
pub mod scenario;
pub mod select;
pub mod share;
pub mod sim;
pub mod steps;
pub mod testdata;
pub mod timeline;
pub mod weight;
