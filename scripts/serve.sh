#!/usr/bin/env bash
# Builds the wasm package and the redirect page, then serves the page on http://localhost:8080.
#   scripts/serve.sh               demo: the page wired to a local TikTok stand-in (portal + API on
#                                  port 8081), so the whole flow runs without a TikTok app; no real token
#   scripts/serve.sh --tiktok      the real page (dist/www), its calls going through this computer to
#                                  TikTok (the package's relay): register the printed redirect URL for
#                                  your app and get a real token; add --no-relay to call TikTok directly
#   scripts/serve.sh --production  only build dist/www for real hosting (talks only to TikTok) and exit
# --port N (or PAGE_PORT=N) serves the page on another port; STANDIN_PORT moves the demo's stand-in.
# --no-build skips the setup and the wasm build, reusing pkg/ from the last run (the page itself is
# still built). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=demo
build=1
relay=()
PAGE_PORT=${PAGE_PORT:-8080}
while [ $# -gt 0 ]; do
  case "$1" in
    --tiktok) mode=tiktok ;;
    --production) mode=production ;;
    --no-build) build=0 ;;
    --no-relay) relay=(--no-relay) ;;
    --port) [ $# -ge 2 ] || { echo "serve.sh: --port needs a value" >&2; exit 2; }; PAGE_PORT=$2; shift ;;
    --port=*) PAGE_PORT=${1#--port=} ;;
    -h|--help) sed -n '2,11s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "serve.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$PAGE_PORT" in
  ''|*[!0-9]*) echo "serve.sh: the port must be a number, got '$PAGE_PORT'" >&2; exit 2 ;;
esac

if [ "$build" = 1 ]; then
  bash scripts/setup.sh
  bash scripts/build-wasm.sh
fi

if [ "$mode" = production ]; then
  node scripts/build-page.mjs --out dist/www
  echo "Production page built in dist/www: upload that folder to your static host."
  exit 0
fi

if [ "$mode" = tiktok ]; then
  node scripts/build-page.mjs --out dist/www
  # The package's own server: only this computer, the page's files only, the right headers.
  exec node npm/bin/tiktok-ads-auth.mjs serve --dir dist/www --port "$PAGE_PORT" "${relay[@]}"
fi

STANDIN_PORT=${STANDIN_PORT:-8081}
node scripts/build-page.mjs --out dist/demo --standin "http://127.0.0.1:$STANDIN_PORT"
echo "Demo: the page talks to a local TikTok stand-in, not to TikTok. For a real token: scripts/serve.sh --tiktok"
exec node tests/standin/server.mjs --port "$STANDIN_PORT" --static dist/demo --static-port "$PAGE_PORT"
