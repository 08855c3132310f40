# Sourced by the other scripts. Sets ROOT and puts the project's tools first on PATH:
# npm's binaryen 132 must win over any Debian wasm-opt (108 breaks the module in the browser),
# and Trunk picks tools from PATH by version.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export PATH="$ROOT/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# The browser unit tests' runner reads the Chromium binary and flags from here.
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/webdriver.json"
export TRUNK_VERSION="0.21.14"

# The version of a package in Cargo.lock, e.g. `lock_version wasm-bindgen`.
lock_version() {
    awk -v name="\"$1\"" '$1 == "name" && $3 == name { getline; gsub(/"/, "", $3); print $3; exit }' \
        "$ROOT/Cargo.lock"
}
