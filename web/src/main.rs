//! The page's entry point. The same module also runs in the simulation worker, where
//! `main` does nothing and the worker calls [`stage_web::worker::run_request`].

fn main() {
    stage_web::start();
}
