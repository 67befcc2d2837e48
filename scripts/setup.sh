#!/usr/bin/env bash
# Installs what the build and the tests need, skipping whatever is already there.
# Usage: scripts/setup.sh [--browsers]   (--browsers adds Chromium + ChromeDriver for the tests)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

export PATH="$HOME/.cargo/bin:$PATH"

have cargo || { echo "Rust is required: install it from rustup (https://rustup.rs) first." >&2; exit 1; }
have node && have npm || { echo "Node.js >= 18 with npm is required." >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The release build uses the nightly toolchain when the machine has one (smaller wasm, see
# scripts/build-wasm.sh); it needs rust-src and the wasm target. Failure here only means the
# stable build is used.
if rustup run nightly rustc --version >/dev/null 2>&1; then
  if ! rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
    say "adding rust-src to the nightly toolchain"
    rustup component add rust-src --toolchain nightly || true
  fi
  if ! rustup target list --toolchain nightly --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32 target to the nightly toolchain"
    rustup target add wasm32-unknown-unknown --toolchain nightly || true
  fi
fi

# Fuzzing (scripts/fuzz.sh, and a short run in scripts/test.sh) needs cargo-fuzz on nightly.
if rustup run nightly rustc --version >/dev/null 2>&1 && ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (builds from source, about a minute once)"
  cargo install --locked cargo-fuzz || true
fi

if ! have wasm-pack; then
  say "installing wasm-pack (builds from source, a few minutes once)"
  cargo install --locked wasm-pack
fi

# wasm-bindgen's CLI must match the wasm-bindgen crate in Cargo.lock exactly.
wbg_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wbg_version"; then
  say "installing wasm-bindgen-cli $wbg_version"
  # Its lock file can name a dependency version the registry mirror lacks; then resolve afresh.
  cargo install --locked wasm-bindgen-cli --version "$wbg_version" ||
    cargo install wasm-bindgen-cli --version "$wbg_version"
fi

# npm dev dependencies (a current wasm-opt from `binaryen`, playwright-core): reinstall only
# when package-lock.json changed since the last install.
stamp=node_modules/.setup-stamp
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  say "installing npm dev dependencies"
  npm ci --no-audit --no-fund
  echo "$lock_sum" > "$stamp"
fi

if [ "${1:-}" = "--browsers" ] && ! { have chromium && have chromedriver; }; then
  say "installing Chromium and ChromeDriver"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi
