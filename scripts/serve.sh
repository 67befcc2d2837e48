#!/usr/bin/env bash
# Builds the wasm package and the redirect page, then serves the page on http://localhost:8080
# with the local TikTok stand-in (portal + API) on port 8081, so the whole flow runs without a
# TikTok app. Ctrl-C stops both.
#   scripts/serve.sh               demo: page wired to the stand-in
#   scripts/serve.sh --production  build dist/www for real hosting (talks only to TikTok) and exit
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-wasm.sh

if [ "${1:-}" = "--production" ]; then
  node scripts/build-page.mjs --out dist/www
  echo "Production page built in dist/www: upload that folder to your static host."
  exit 0
fi

PAGE_PORT=${PAGE_PORT:-8080}
STANDIN_PORT=${STANDIN_PORT:-8081}
node scripts/build-page.mjs --out dist/demo --standin "http://127.0.0.1:$STANDIN_PORT"
exec node tests/standin/server.mjs --port "$STANDIN_PORT" --static dist/demo --static-port "$PAGE_PORT"
