#!/usr/bin/env bash
# Builds the release wasm package into pkg/ (wasm-opt from node_modules/.bin).
#
# With the machine's nightly toolchain (plus rust-src), the standard library is rebuilt with
# panics that abort at once: the wasm then carries no panic-message formatting, about 14 KB raw
# (7.5 KB gzip) less for every visitor. Without it, the stable build is used and works the same.
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

# The nightly build's size, for the warning a stable fallback prints (measured with this script
# on both toolchains; update it when the crate's size changes much).
NIGHTLY_RAW=69482
NIGHTLY_GZ=30916
NIGHTLY_MEASURED=2026-12-06

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
  # A stable build asked for on purpose (TIKTOK_ADS_AUTH_STABLE=1, as the bench does to compare)
  # is quiet; one that happened because nightly is missing is what a host or npm would ship
  # unawares, so it says what it costs every visitor.
  if [ "${TIKTOK_ADS_AUTH_STABLE:-}" != 1 ]; then
    wasm="${WASM_OUT_DIR:-pkg}/tiktok_ads_auth_bg.wasm"
    raw=$(wc -c < "$wasm")
    gz=$(gzip -9c "$wasm" | wc -c)
    {
      printf '\n\033[1;33m'
      printf '%s\n' \
        '!!! build-wasm: WARNING: nightly Rust with rust-src and the wasm32 target was not found, so' \
        '!!! this is the STABLE build, bigger for every visitor of the page and every npm user:' \
        "!!!   this build:    $raw B raw, $gz B gzip -9" \
        "!!!   nightly build: $NIGHTLY_RAW B raw, $NIGHTLY_GZ B gzip -9 (measured $NIGHTLY_MEASURED)" \
        "!!!   cost:          +$((raw - NIGHTLY_RAW)) B raw, +$((gz - NIGHTLY_GZ)) B gzip" \
        '!!! Install it, then build again:' \
        '!!!   rustup toolchain install nightly --profile minimal --component rust-src --target wasm32-unknown-unknown' \
        '!!! Do not publish this build to a page or to npm.'
      printf '\033[0m\n'
    } >&2
  fi
fi
