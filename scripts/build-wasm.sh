#!/usr/bin/env bash
# Builds the release wasm package into pkg/ (wasm-opt from node_modules/.bin).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
wasm-pack build --release --target web --out-dir pkg "$@"
