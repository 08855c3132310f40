//! Records the engine's answer to the first visit's run for [`first_visit`](src/first_visit.rs):
//! the default scenario's request, as the page sends it, and the engine's answer to it.

use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let request = serde_json::to_string(&stage_web_glue::presets::default_scenario())
        .expect("a request is plain data");
    let answer = stage_web_glue::answer(&request);
    for (name, text) in [
        ("first-visit-request.json", &request),
        ("first-visit-answer.json", &answer),
    ] {
        let path = out.join(name);
        if let Err(error) = std::fs::write(&path, text) {
            panic!("cannot write {}: {error}", path.display());
        }
    }
    // The engine, the glue and the presets are build dependencies: a change to any of them
    // runs this again. The page's own sources do not change the answer.
    println!("cargo::rerun-if-changed=build.rs");
}
