#!/usr/bin/env bash
# Runs every suite: format and lints, native unit and doc tests, the wasm API in Node and in
# headless Chromium against the TikTok stand-in, and the page end to end. Installs what is
# missing first. The release wasm is built once and reused by every suite that loads it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browsers
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

logs=$(mktemp -d)
standin_pid=""
cleanup() {
  [ -n "$standin_pid" ] && kill "$standin_pid" 2>/dev/null || true
  rm -rf "$logs"
}
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
  "$@" 2>&1 | tee "$log" || status=$?
  # cargo test / wasm-bindgen-test print "test result: ok. N passed; M failed";
  # node's runner prints "# pass N" / "# fail M".
  local passed failed
  passed=$(grep -aoE '(test result: [a-zA-Z]+\. [0-9]+ passed|^# pass [0-9]+)' "$log" | grep -oE '[0-9]+$|[0-9]+ passed' | awk '{ s += $1 } END { print s + 0 }' || true)
  failed=$(grep -aoE '([0-9]+ failed|^# fail [0-9]+)' "$log" | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }' || true)
  passed=${passed:-0}; failed=${failed:-0}
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  total_passed=$((total_passed + passed)); total_failed=$((total_failed + failed))
  summary+=("$(printf '%-28s %4s passed, %s failed' "$name" "$passed" "$failed")")
  if [ "$status" -ne 0 ]; then
    printf '\n\033[31m%s failed\033[0m\n' "$name" >&2
    finish 1
  fi
}
finish() {
  printf '\n\033[1m==> summary\033[0m\n'
  printf '%s\n' "${summary[@]}"
  echo "tests: $total_passed passed, $total_failed failed"
  exit "$1"
}

run "rustfmt" cargo fmt --check
run "clippy (native)" cargo clippy --all-targets -- -D warnings
run "clippy (wasm32)" cargo clippy --all-targets --all-features --target wasm32-unknown-unknown -- -D warnings
run "native unit + doc tests" cargo test
run "rustdoc (no warnings)" env RUSTDOCFLAGS="-D warnings" cargo doc --no-deps
run "release wasm build" bash scripts/build-wasm.sh
run "stand-in self-test" node --test tests/standin/
run "page logic (Node)" node --test tests/page/

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

run "wasm API in Node" wasm-pack test --node -- --features small-alloc --test node
run "wasm API in Chromium" wasm-pack test --headless --chrome -- --features small-alloc --test browser
kill "$standin_pid" 2>/dev/null || true
standin_pid=""

run "page end-to-end (Chromium)" node --test --test-concurrency=1 tests/e2e/
run "wasm API soak (Node)" node --test tests/soak/
run "fuzz (20 s per target)" bash scripts/fuzz.sh --if-available 20
# The npm package (from pkg/, no second wasm build), packed and installed into a Vite app, a Node
# script, a page with no build step and a TypeScript project.
run "npm package + consumers" node --test tests/consumers/ tests/types/
finish 0
