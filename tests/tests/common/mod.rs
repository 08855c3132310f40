//! Helpers the test files that run the built `stage-sim` share: the repository root and the
//! binary itself. Each test file is its own crate and uses only part of this module.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The repository root, from this package's manifest directory.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `stage-sim` binary in cargo's target directory, brought up to date once per test
/// run: `cargo test -p stage-tests` builds the engine's library, not its binary, and a stale
/// binary would answer for old code.
pub fn stage_sim() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let status = Command::new(env!("CARGO"))
                .args(["build", "-p", "stage-engine", "--bin", "stage-sim"])
                .current_dir(repo_root())
                .status()
                .unwrap();
            assert!(status.success(), "building stage-sim failed");
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| repo_root().join("target"));
            target.join("debug").join("stage-sim")
        })
        .clone()
}
