//! The Stage Playground page: two editors (Stages, objects), the controller settings, a Run
//! button, and a timeline of every Stage played, with a cursor that can play, pause, step
//! and scrub, and an inspector for the selected play.
//!
//! The page knows no Stage rules. It sends the editors' text to the engine through
//! [`glue`] (in a Web Worker, see [`worker`]) and draws the timeline the engine returns.
//! The drawing is split into pure parts that are tested natively ([`lanes`], [`playback`],
//! [`highlight`]) and Leptos components that only arrange them ([`app`] and its children).
//! The page's state is one struct of signals, [`page::Page`]; [`run::Engine`] sends it to
//! the engine and takes the answer back.

pub mod actions;
pub mod app;
pub mod config_panel;
pub mod confirm;
pub mod details;
pub mod diff;
pub mod editor;
pub mod embed;
pub mod events;
pub mod file_engine;
pub mod files;
pub mod first_visit;
pub mod gallery;
pub mod highlight;
pub mod inspector;
pub mod lanes;
pub mod page;
pub mod playback;
pub mod run;
pub mod share_ui;
pub mod sharing;
pub mod storage;
pub mod theme;
pub mod timeline_view;
pub mod toolbar;
pub mod transfer;
pub mod worker;

pub use stage_web_glue as glue;
pub use stage_web_glue::presets;

use leptos::prelude::*;

/// Mounts the page on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    mount_to_body(app::App);
}
