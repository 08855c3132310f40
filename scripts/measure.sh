#!/usr/bin/env bash
# Prints the playground's size and speed figures against its targets; it never fails on a
# target. The figures: every file a first visit loads (raw, gzip, brotli) and the share of
# each large crate in the wasm module; in headless Chromium, the time from navigation to the
# first drawn timeline, the page's simulation of 10,000 pods through pod general, and the
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

# The crate shares need function names, which the release module drops. The same cargo
# output is put through wasm-bindgen and wasm-opt again with the release's optimisation
# but keeping the name section, so the shares are those of the code that ships.
named=""
cargo_wasm="$target/wasm32-unknown-unknown/wasm-release/stage-web.wasm"
if [[ ! -f "$cargo_wasm" ]]; then
    echo "measure: no $cargo_wasm (the build's cargo output); crate shares skipped"
elif ! command -v wasm-bindgen >/dev/null || ! command -v wasm-opt >/dev/null; then
    echo "measure: wasm-bindgen or wasm-opt is missing (scripts/setup.sh installs them); crate shares skipped"
else
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    wasm-bindgen --target web --out-dir "$scratch" "$cargo_wasm"
    # The flags of the release build (the rust link in index.html).
    level="$(sed -n 's/.*data-wasm-opt="\([^"]*\)".*/\1/p' index.html | head -n 1)"
    params="$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html | head -n 1)"
    # shellcheck disable=SC2086 # the params are a list of flags
    wasm-opt "-O${level:-z}" $params --debuginfo "$scratch/stage-web_bg.wasm" \
        -o "$scratch/named.wasm"
    named="$scratch/named.wasm"
fi

DIST="$dist" NAMED_WASM="$named" node tests/e2e/measure.js
