//! Records the engine's answer to the first visit's run for web/src/first_visit.rs: the
//! answer to the default scenario's request, as the page sends it.

use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let request = serde_json::to_string(&stage_web_glue::presets::default_scenario())
        .expect("a request is plain data");
    let answer = stage_web_glue::answer(&request);
    let path = out.join("first-visit-answer.json");
    if let Err(error) = std::fs::write(&path, answer) {
        panic!("cannot write {}: {error}", path.display());
    }
    // The engine, the glue and the presets are build dependencies: a change to any of them
    // runs this again. The page's own sources do not change the answer.
    println!("cargo::rerun-if-changed=build.rs");
}
