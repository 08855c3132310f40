//! `stage-sim`: the engine on the command line.

use std::process::ExitCode;

/// A run allocates for every key, string and map of its objects; mimalloc serves those
/// small blocks faster than the system allocator.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    stage_engine::cli::main()
}
