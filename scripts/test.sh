#!/usr/bin/env bash
# Every check and every test: setup, the tool version guard, the map key order check, formatting,
# clippy, the native tests, the browser unit tests, the release build and the end-to-end tests
# against dist/.
# Every step runs even after a failure, so one report shows all of them; the exit status is
# non-zero when any step failed. The last lines are the test runners' own summaries.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

bash scripts/setup.sh || { echo "test: setup failed" >&2; exit 1; }

# The wasm-bindgen crate, its CLI, the browser test runner and Trunk's setting must be one
# version; so must wasm-opt and Trunk's setting. A mismatch fails late and obscurely
# otherwise (Trunk would try to download, the runner would reject the module).
guard() {
    local crate cli runner trunk_bindgen opt trunk_opt
    crate="$(lock_version wasm-bindgen)"
    cli="$(wasm-bindgen --version | awk '{ print $2 }')"
    runner="$(wasm-bindgen-test-runner --version | awk '{ print $2 }')"
    trunk_bindgen="$(sed -n 's/^wasm_bindgen *= *"\(.*\)"/\1/p' Trunk.toml)"
    opt="$(wasm-opt --version | awk '{ gsub(/[()]/, "", $4); print $4 }')"
    trunk_opt="$(sed -n 's/^wasm_opt *= *"\(.*\)"/\1/p' Trunk.toml)"
    echo "versions: wasm-bindgen crate $crate, cli $cli, test runner $runner, Trunk.toml $trunk_bindgen;" \
        "wasm-opt $opt, Trunk.toml $trunk_opt; $(trunk --version)"
    if [[ "$crate" != "$cli" || "$crate" != "$runner" || "$crate" != "$trunk_bindgen" ]]; then
        echo "test: the wasm-bindgen versions differ" >&2
        return 1
    fi
    if [[ "$opt" != "$trunk_opt" ]]; then
        echo "test: wasm-opt on PATH ($(command -v wasm-opt)) is $opt, Trunk.toml wants $trunk_opt" >&2
        return 1
    fi
}
guard || exit 1

# A full run compiles the workspace four ways (native tests, native web, wasm tests, wasm
# release); incremental caches would double that on disk for no gain in a one-shot run.
export CARGO_INCREMENTAL=0
df -h "$ROOT" | awk 'NR == 2 { print "disk: " $4 " free before the run" }'

failed=()
run() {
    local name="$1"
    shift
    printf '\n==> %s: %s\n' "$name" "$*"
    if ! "$@"; then
        failed+=("$name")
        printf '==> %s FAILED\n' "$name"
    fi
}

# Go prints a map's keys in byte order, and the engine relies on serde_json's maps iterating
# in that order; its preserve_order feature, turned on by any dependency, would change that
# silently in the build it is on, with every other test still green.
key_order() {
    if cargo tree -e features -i serde_json --workspace --target all | grep -q 'serde_json feature "preserve_order"'; then
        echo "test: serde_json's preserve_order feature is on; the engine needs its maps in key order" >&2
        return 1
    fi
}

run key-order key_order
run fmt cargo fmt --all --check
# The engine crates natively; the web app only exists for wasm32, so it is linted there.
run clippy cargo clippy --workspace --exclude stage-web --all-targets -- -D warnings
run clippy-web cargo clippy -p stage-web --target wasm32-unknown-unknown --all-targets -- -D warnings
# The default members: the engine crates and the cross-crate tests.
run test cargo test
# The app's pure parts (playback, highlighting, view model) natively, and the wasm entry
# points in headless Chromium through wasm-bindgen-test-runner.
run test-web cargo test -p stage-web --lib
run test-browser cargo test -p stage-web --target wasm32-unknown-unknown --test browser
run build trunk build --release
run e2e bash -c "cd tests/e2e && node --test --test-reporter=tap ./*.test.js"

du -sh "${CARGO_TARGET_DIR:-$ROOT/target}" 2>/dev/null | awk '{ print "disk: the build tree is " $1 }'

if ((${#failed[@]})); then
    printf '\ntest: failed steps: %s\n' "${failed[*]}" >&2
    exit 1
fi
