#!/usr/bin/env bash
# Prints the playground's size and speed figures against its targets; it never fails on a
# target. The figures: every file a first visit loads (raw, gzip, brotli), the engine's
# module that the first edit loads, and the share of each large crate in both wasm modules;
# in headless Chromium, the time from navigation to the first drawn timeline, from the first
# edit to its answer, the page's simulation of 10,000 pods through pod general, and the
# frame times while playing 1,000 objects. tests/e2e/measure.js takes them.
#
#   bash scripts/measure.sh            measure dist/, building it first if it is missing
#   bash scripts/measure.sh --build    build dist/ again first
#
# DIST (default dist/), CARGO_TARGET_DIR, RUNS and PARTS (see measure.js) are read from the
# environment. Nothing is downloaded: a missing tool skips its part and says so.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

dist="${DIST:-$ROOT/dist}"
target="${CARGO_TARGET_DIR:-$ROOT/target}"
build=false
for argument in "$@"; do
    case "$argument" in
        --build) build=true ;;
        *)
            echo "measure: unknown argument $argument (only --build)" >&2
            exit 2
            ;;
    esac
done

if $build || [[ ! -f "$dist/index.html" ]]; then
    echo "==> measure: trunk build --release --dist $dist"
    trunk build --release --dist "$dist"
fi

# The crate shares need function names, which the release modules drop. The same cargo
# output is put through wasm-bindgen and wasm-opt again with the release's optimisation
# but keeping the name section, so the shares are those of the code that ships. Each
# module's cargo profile and wasm-opt flags are read from its rust link in index.html.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# The value of attribute $2 in the rust link of binary $1 in index.html.
link_attribute() {
    perl -0777 -ne 'while (/<link\b[^>]*?data-bin="\Q'"$1"'\E"[^>]*>/gs) { my $l = $&; print $1 if $l =~ /\s\Q'"$2"'\E="([^"]*)"/ }' index.html
}

# Prints the path of the named build of the cargo binary $1, or nothing if it cannot be made.
named_build() {
    local binary="$1" profile level params cargo_wasm
    profile="$(link_attribute "$binary" data-cargo-profile-release)"
    level="$(link_attribute "$binary" data-wasm-opt)"
    params="$(link_attribute "$binary" data-wasm-opt-params)"
    cargo_wasm="$target/wasm32-unknown-unknown/${profile:-release}/$binary.wasm"
    if [[ ! -f "$cargo_wasm" ]]; then
        echo "measure: no $cargo_wasm (the build's cargo output); its crate shares are skipped" >&2
        return
    fi
    if ! command -v wasm-bindgen >/dev/null || ! command -v wasm-opt >/dev/null; then
        echo "measure: wasm-bindgen or wasm-opt is missing (scripts/setup.sh installs them); crate shares skipped" >&2
        return
    fi
    wasm-bindgen --target web --out-dir "$scratch/$binary" "$cargo_wasm" >&2
    # shellcheck disable=SC2086 # the params are a list of flags
    wasm-opt "-O${level:-z}" $params --debuginfo "$scratch/$binary/${binary}_bg.wasm" \
        -o "$scratch/$binary.wasm" >&2
    echo "$scratch/$binary.wasm"
}

DIST="$dist" NAMED_WASM="$(named_build stage-web)" NAMED_ENGINE_WASM="$(named_build stage-worker)" \
    node tests/e2e/measure.js
