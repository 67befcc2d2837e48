// The Rust API on gloo-net (feature `fetch`) and serde-wasm-bindgen are for Rust users' own
// wasm, never the npm package's: gloo-net there would cost every visitor about 4.6 KB gzip.
// Checked two ways: the package build never turns the features on (and serde-wasm-bindgen is
// only ever a dev-dependency), and the built wasm imports none of the JS functions that the
// Rust API cannot run without. Run after the release build (scripts/test.sh builds pkg/ first;
// SOAK_PKG names another package directory).
//
// The release build strips the name section, so names of Rust functions cannot tell; what a
// wasm calls in JS stays in its import section, each import named by wasm-bindgen after the JS
// function (`__wbg_getReader_<hash>`). serde-wasm-bindgen imports nothing the package does not
// already import (its `to_value` uses js-sys's `Object`, `Reflect.set`, `Array`), so it is held
// out by Cargo.toml: cargo never links a dev-dependency into a library's build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const PKG = resolve(ROOT, process.env.SOAK_PKG || 'pkg');
const RUST_API_FEATURES = ['fetch', 'serde'];

// JS functions that only the Rust API imports, and why it needs them (measured on a wasm that
// exports a function awaiting `exchange_auth_code`: gloo-net, the body stream, the futures
// executor, closures). The JS API's transport sets its `fetch` init through `Reflect` and
// chains plain Promise callbacks, with no Rust closure and no executor.
const RUST_API_IMPORTS = {
  getReader: 'the answer read as a stream, a chunk at a time (src/calls.rs)',
  read: 'the answer read as a stream (src/calls.rs)',
  set_method: "gloo-net's RequestBuilder (RequestInit setters)",
  set_signal: "gloo-net's RequestBuilder (RequestInit setters)",
  set_redirect: "gloo-net's RequestBuilder (RequestInit setters)",
  set_headers: "gloo-net's RequestBuilder (RequestInit setters)",
  set_search: "gloo-net's request URL (web_sys::Url)",
  queueMicrotask: "wasm-bindgen-futures' executor (JsFuture)",
  _wbg_cb_unref: 'a Rust closure handed to JS (the call\'s timer)',
};

/// The JS function names a wasm imports: `__wbg_NAME_0123456789abcdef` gives NAME.
function importedFunctions(wasm) {
  return WebAssembly.Module.imports(new WebAssembly.Module(wasm)).map(({ name }) =>
    name.replace(/^__wbg_/, '').replace(/_[0-9a-f]{16}$/, ''),
  );
}

test('the package wasm imports none of the JS functions the Rust API on gloo-net needs', () => {
  const files = readdirSync(PKG).filter((f) => f.endsWith('_bg.wasm'));
  assert.equal(files.length, 1, `one *_bg.wasm in ${PKG}, found: ${files.join(', ') || 'none'}`);
  const imported = importedFunctions(readFileSync(join(PKG, files[0])));
  // The reading works: a wasm-bindgen package imports at least its JSON parse and `fetch`
  // (or, without a transport, some function of its own glue).
  assert.ok(imported.length > 0, `${files[0]} imports nothing: not a wasm-bindgen build?`);
  const found = imported.filter((name) => Object.hasOwn(RUST_API_IMPORTS, name));
  assert.deepEqual(
    found.map((name) => `${name}: ${RUST_API_IMPORTS[name]}`),
    [],
    `${files[0]} links the Rust API on gloo-net (feature fetch), which the package must not carry`,
  );
});

/// Every `--features A,B` list in a shell script.
function featureLists(script) {
  return [...script.matchAll(/--features[ =]+["']?([A-Za-z0-9_,-]+)/g)].map((m) => m[1].split(','));
}

test("the npm build leaves the Rust API's features off", () => {
  const lists = featureLists(readFileSync(join(ROOT, 'scripts/build-wasm.sh'), 'utf8'));
  assert.ok(lists.length > 0, 'scripts/build-wasm.sh passes no --features: has it moved?');
  for (const features of lists) {
    for (const feature of RUST_API_FEATURES) {
      assert.ok(!features.includes(feature), `scripts/build-wasm.sh builds the package with --features ${features}`);
    }
  }
  // The check reads what the script really passes: with `fetch` added it fails.
  assert.deepEqual(featureLists('wasm-pack build . --features small-alloc,fetch -Z x'), [['small-alloc', 'fetch']]);
});

/// Cargo.toml's tables, each with the lines under it.
function tables(toml) {
  const result = [];
  for (const line of toml.split('\n')) {
    const header = line.match(/^\[([^\]]+)\]\s*$/);
    if (header) result.push({ name: header[1], lines: [] });
    else if (result.length > 0) result[result.length - 1].lines.push(line);
  }
  return result;
}

test('gloo-net is an optional dependency of feature fetch; serde-wasm-bindgen a dev-dependency only', () => {
  const manifest = tables(readFileSync(join(ROOT, 'Cargo.toml'), 'utf8'));
  const declaring = (crate) =>
    manifest.flatMap(({ name, lines }) =>
      lines.filter((l) => l.startsWith(`${crate} `) || l.startsWith(`${crate}=`)).map((line) => ({ name, line })),
    );
  const swb = declaring('serde-wasm-bindgen');
  assert.ok(swb.length > 0, 'serde-wasm-bindgen is not declared: the wasm serde test needs it');
  for (const { name } of swb) assert.match(name, /dev-dependencies$/, `serde-wasm-bindgen under [${name}]`);
  for (const { name, line } of declaring('gloo-net')) {
    if (!/dev-dependencies$/.test(name)) assert.match(line, /optional\s*=\s*true/, `gloo-net under [${name}]: ${line}`);
  }
  const features = manifest.find(({ name }) => name === 'features').lines.join('\n');
  const enabling = [...features.matchAll(/^([A-Za-z0-9_-]+)\s*=\s*\[([^\]]*)\]/gm)]
    .filter(([, , list]) => list.includes('dep:gloo-net'))
    .map(([, feature]) => feature);
  assert.deepEqual(enabling, ['fetch'], 'the features that link gloo-net');
});
