#!/usr/bin/env bash
# Builds the release wasm package into pkg/ (wasm-opt from node_modules/.bin).
#
# With the machine's nightly toolchain (plus rust-src), the standard library is rebuilt with
# panics that abort at once: the wasm then carries no panic-message formatting, about 20 KB
# less for every visitor. Without it, the stable build is used and works the same.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

nightly_ready() {
  rustup run nightly rustc --version >/dev/null 2>&1 &&
    rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src' &&
    rustup target list --toolchain nightly --installed 2>/dev/null | grep -qx wasm32-unknown-unknown
}

# JS values live in wasm-bindgen's JS-side heap rather than an externref
# table: 0.6 KB gzip smaller, and wasm-bindgen (0.2.130) keeps one table slot for every JS
# exception a `catch` import catches, while the heap frees them all.
NO_EXTERNREF="-Ctarget-feature=-reference-types,-multivalue"

if [ "${TIKTOK_ADS_AUTH_STABLE:-}" != 1 ] && nightly_ready; then
  echo "build-wasm: nightly, std rebuilt with panic=immediate-abort" >&2
  RUSTUP_TOOLCHAIN=nightly \
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none $NO_EXTERNREF" \
    wasm-pack build --release --target web --out-dir "${WASM_OUT_DIR:-pkg}" "$@" . --features small-alloc -Z build-std=std,panic_abort
else
  echo "build-wasm: stable toolchain" >&2
  # std comes prebuilt with reference types, and its objects would mark the whole module as using
  # them: stripping the target-features section (strip=symbols) keeps wasm-bindgen on its JS heap
  # here too, so no build keeps a table slot per caught exception.
  CARGO_PROFILE_RELEASE_STRIP=symbols RUSTFLAGS="$NO_EXTERNREF" \
    wasm-pack build --release --target web --out-dir "${WASM_OUT_DIR:-pkg}" "$@" . --features small-alloc
fi
