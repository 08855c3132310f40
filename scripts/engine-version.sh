#!/usr/bin/env bash
# Trunk's post-build hook (Trunk.toml): writes the engine module's version, a digest of its
# two files, into the built page's <meta name="stage-engine-version">. Trunk gives a worker's
# files fixed names, so the page adds this version to their URLs (web/src/worker.rs): a new
# build is then never answered by an old engine kept in a browser's cache.
set -euo pipefail
staging="${TRUNK_STAGING_DIR:?run this as the post-build hook of Trunk, which sets TRUNK_STAGING_DIR}"
version="$(cat "$staging/stage-worker.js" "$staging/stage-worker_bg.wasm" | sha256sum | cut -c1-16)"
page="$staging/index.html"
if ! grep -q '<meta name="stage-engine-version" content="" />' "$page"; then
    echo "engine-version: $page has no empty <meta name=\"stage-engine-version\"> to fill" >&2
    exit 1
fi
sed -i "s|<meta name=\"stage-engine-version\" content=\"\" />|<meta name=\"stage-engine-version\" content=\"$version\" />|" "$page"
