//! The page's entry point: mounts the page. The engine runs in a module of its own
//! (`web/glue`'s `stage-worker`), which the page's worker loads.

fn main() {
    stage_web::start();
}
