// What the package costs every visitor has a ceiling: the release wasm plus its JavaScript (the
// wasm-bindgen glue and npm/net.js, minified by esbuild as a bundler or the page build does),
// each gzip -9. Growing past it is a decision (raise the ceiling here, saying why in the commit),
// not something a change does unnoticed. Run after the release build (scripts/test.sh builds pkg/
// first; SOAK_PKG names another package directory). The wasm's imports and exports are checked
// here too: it does no IO, so none of the network's built-ins is among them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const PKG = resolve(ROOT, process.env.SOAK_PKG || 'pkg');
const esbuild = createRequire(import.meta.url)(join(ROOT, 'node_modules/esbuild'));

// Bytes of `pkg/*_bg.wasm` plus the minified glue and npm/net.js, each after gzip -9 (node's
// zlib, level 9): the size measured when the ceiling was set, plus about 2%. Two builds exist
// (scripts/build-wasm.sh): the nightly one that is shipped, and the stable fallback, which
// carries panic messages and is about 8 KB larger. Measured with scripts/build-wasm.sh (the
// stable one with TIKTOK_ADS_AUTH_STABLE=1).
const CEILING = {
  // 2026-12-06: 36068 (33219 wasm + 2849 glue) while the wasm drove fetch itself; 33156
  // (30058 wasm + 3098 glue and net.js) with the wasm doing no IO and npm/net.js carrying the
  // requests (the RequestInit is the wasm's: 376 B more here, 132 B less on the page's first load).
  // 34045 with 0.2.0's hints for the codes users report (+~600 B) and the redaction of
  // byte-encoded echoes and the caps on id lists (+~650 B), after shorter texts and a wasm-opt
  // pass list took 402 B back: a decision, not drift (the 31232 B budget is not met; what could
  // reach it is in docs/performance.md). Ceiling at the measurement plus about 1%.
  nightly: { measured: 34045, ceiling: 34400 },
  // 2026-12-06: 42044 for the wasm alone while it drove fetch itself; 40907 (37818 wasm + 3089
  // glue and net.js) with the wasm doing no IO.
  stable: { measured: 40907, ceiling: 41720 },
};

function wasmFile() {
  const files = readdirSync(PKG).filter((f) => f.endsWith('_bg.wasm'));
  assert.equal(files.length, 1, `one *_bg.wasm in ${PKG}, found: ${files.join(', ') || 'none'}`);
  return join(PKG, files[0]);
}

/** The package's JavaScript as a bundler ships it: the glue and net.js, bundled and minified. */
function minifiedJs() {
  const glue = './' + relative(ROOT, join(PKG, 'tiktok_ads_auth.js'));
  const result = esbuild.buildSync({
    stdin: { contents: `export * from '${glue}'; export { network } from './npm/net.js';`, resolveDir: ROOT },
    bundle: true, format: 'esm', minify: true, legalComments: 'none', target: 'es2020', write: false, logLevel: 'warning',
  });
  return result.outputFiles[0].contents;
}

test('the release wasm and its JavaScript stay under their gzip ceiling', () => {
  const wasm = readFileSync(wasmFile());
  // Only the stable build keeps the standard library's panic locations (`library/core/…`): the
  // nightly one is built with -Zlocation-detail=none.
  const build = wasm.includes('library/') ? 'stable' : 'nightly';
  const wasmGz = gzipSync(wasm, { level: 9 }).length;
  const js = minifiedJs();
  const jsGz = gzipSync(js, { level: 9 }).length;
  const size = wasmGz + jsGz;
  const { measured, ceiling } = CEILING[build];
  console.log(`${build} build: wasm ${wasm.length} B raw, ${wasmGz} B gzip -9; glue + net.js minified ${js.length} B, ` +
    `${jsGz} B gzip -9; together ${size} B; ceiling ${ceiling} B (measured ${measured} B)`);
  assert.ok(size <= ceiling,
    `the ${build} wasm and its JavaScript are ${size} B gzip, over their ceiling of ${ceiling} B (set at ${measured} B + ~2%): ` +
    'make them smaller, or raise the ceiling in tests/build/wasm-size.test.mjs and say why');
});

test('the package\'s wasm does no IO: no fetch, Promise, timer, AbortController or bind among its imports, no step export', () => {
  const module = new WebAssembly.Module(readFileSync(wasmFile()));
  const glue = readFileSync(join(PKG, 'tiktok_ads_auth.js'), 'utf8');
  // wasm-bindgen names each import after what it calls (`__wbg_fetch_…`, `__wbg_then_…`), and the
  // glue's body of each import says what it calls.
  const imports = WebAssembly.Module.imports(module).map((i) => i.name);
  const exports = WebAssembly.Module.exports(module).map((e) => e.name);
  // `__wbg_fetch_0123456789abcdef` → `fetch`; wasm-bindgen's own intrinsics (`__wbindgen_…`) aside.
  const called = imports.map((name) => name.replace(/^__wbg_/, '').replace(/_[0-9a-f]{16}$/, ''))
    .filter((name) => !name.startsWith('__wbindgen'));
  const forbidden = /^(fetch|then|resolve|reject|setTimeout|clearTimeout|timeout|bind|apply)$|Request|Promise|Abort/i;
  assert.deepEqual(called.filter((name) => forbidden.test(name)), [], 'the wasm imports a network built-in');
  for (const name of imports) {
    // The glue's function for this import, up to the next one.
    const at = glue.indexOf(`${name}: function`);
    if (at < 0) continue;
    const body = glue.slice(at, glue.indexOf('\n        __', at + name.length));
    assert.doesNotMatch(body, /\bfetch\(|new Request|Promise|\.then\(|setTimeout|clearTimeout|AbortSignal|AbortController|\.bind\(/,
      `the glue's ${name} calls a network built-in: ${body}`);
  }
  assert.ok(imports.some((name) => /getRandomValues/.test(name)), 'crypto.getRandomValues (generate_state) is still imported');
  assert.deepEqual(exports.filter((name) => /step/i.test(name)), [], 'the wasm exports a step');
});
