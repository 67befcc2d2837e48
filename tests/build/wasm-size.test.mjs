// The release wasm's size has a ceiling: growing past it is a decision (raise the ceiling here,
// saying why in the commit), not something a change does unnoticed. Run after the release build
// (scripts/test.sh builds pkg/ first; SOAK_PKG names another package directory).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const PKG = resolve(ROOT, process.env.SOAK_PKG || 'pkg');

// Bytes of `pkg/*_bg.wasm` after gzip -9 (node's zlib, level 9): the size measured when the
// ceiling was set, plus about 2%. Two builds exist (scripts/build-wasm.sh): the nightly one that
// is shipped, and the stable fallback, which carries panic messages and is about 8 KB larger.
// Measured with scripts/build-wasm.sh (the stable one with TIKTOK_ADS_AUTH_STABLE=1).
const CEILING = {
  // 2026-12-01: 30709 before this release's security round; 31118 with advertisersRequestCurl and
  // the sandbox refusal; 33576 with the separator-blind redaction, the grant's shape warnings, the
  // RequestInit fields set explicitly and the UTF-8 cap on text copied in. 2026-12-02: 32520 with
  // one scan for both redaction rules (and the credentials' checks in one table); 33219 with the
  // transport's own deadline (a fetch that never answers), random handles and a call that fails
  // where Promise.reject throws (+699 B: the price of those fixes, kept as small as found).
  nightly: { measured: 33219, ceiling: 33880 },
  // Measured 38887 before the redaction round; raised by the nightly build's growth since
  // (+3157 B), not re-measured.
  stable: { measured: 42044, ceiling: 42890 },
};

test('the release wasm stays under its gzip ceiling', () => {
  const files = readdirSync(PKG).filter((f) => f.endsWith('_bg.wasm'));
  assert.equal(files.length, 1, `one *_bg.wasm in ${PKG}, found: ${files.join(', ') || 'none'}`);
  const wasm = readFileSync(join(PKG, files[0]));
  // Only the stable build keeps the standard library's panic locations (`library/core/…`): the
  // nightly one is built with -Zlocation-detail=none.
  const build = wasm.includes('library/') ? 'stable' : 'nightly';
  const size = gzipSync(wasm, { level: 9 }).length;
  const { measured, ceiling } = CEILING[build];
  console.log(`${files[0]} (${build} build): ${wasm.length} B raw, ${size} B gzip -9; ceiling ${ceiling} B (measured ${measured} B)`);
  assert.ok(size <= ceiling,
    `the ${build} wasm is ${size} B gzip, over its ceiling of ${ceiling} B (set at ${measured} B + ~2%): ` +
    'make it smaller, or raise the ceiling in tests/build/wasm-size.test.mjs and say why');
});
