#!/usr/bin/env bash
# Serves the playground with the release build on http://127.0.0.1:8080/ and rebuilds on
# change. The page opens with the default scenario.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
exec trunk serve --release --address 127.0.0.1 --port 8080
