#!/usr/bin/env bash
# Installs everything the playground needs on a fresh Debian machine, as root: the wasm
# target, Trunk, wasm-bindgen-cli, wasm-opt (npm binaryen), Chromium and chromedriver, the
# end-to-end test's packages and the crates. Each step checks first, so a second run takes
# well under a second.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

step() { printf '==> setup: %s\n' "$*"; }
apt_install() {
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        --no-install-recommends "$@"
}

# System packages: the browser for both kinds of browser test, and node/npm and a C compiler
# where a minimal image lacks them.
packages=()
dpkg -s chromium chromium-driver >/dev/null 2>&1 || packages+=(chromium chromium-driver)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
command -v cc >/dev/null 2>&1 || packages+=(gcc libc6-dev)
if ((${#packages[@]})); then
    step "apt-get install ${packages[*]}"
    apt_install "${packages[@]}"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
fi

# Trunk 0.22 needs a newer rustc than ours. Its own release profile uses fat LTO with one
# codegen unit; turning that off saves minutes and changes nothing we rely on.
if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
    step "cargo install trunk $TRUNK_VERSION"
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
        nice -n 10 cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# Resolve and download the crates first: the lock file names the wasm-bindgen version, and
# Trunk builds offline.
step "cargo fetch"
cargo fetch --quiet

# The CLI must be the exact version of the crate. `--locked` fails here because the CLI's
# own lock file wants a crate version the registry does not have.
bindgen="$(lock_version wasm-bindgen)"
if [[ -z "$bindgen" ]]; then
    echo "setup: no wasm-bindgen in Cargo.lock" >&2
    exit 1
fi
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen" ]]; then
    step "cargo install wasm-bindgen-cli $bindgen"
    nice -n 10 cargo install wasm-bindgen-cli --version "$bindgen" --force
fi

# npm's lock files carry no registry URLs, so `npm ci` installs from whichever registry
# npm is set up to use.
if [[ ! -x tools/node_modules/.bin/wasm-opt ]]; then
    step "npm ci in tools/"
    (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi
if [[ ! -d tests/e2e/node_modules/playwright-core ]]; then
    step "npm ci in tests/e2e/"
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

step "done"
