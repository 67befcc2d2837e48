// Shared by the soak tests: loading the release package in Node, a seeded random source,
// hostile values, and the TikTokAuthError contract.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startStandin } from '../standin/server.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The `wasm-pack build --target web` package in pkg/ (or in `SOAK_PKG`, e.g. a stable-toolchain
 * build: `TIKTOK_ADS_AUTH_STABLE=1 WASM_OUT_DIR=pkg-stable bash scripts/build-wasm.sh`),
 * instantiated synchronously, with the network calls of npm/net.js: the package's API.
 */
export async function loadPackage() {
  const dir = resolve(ROOT, process.env.SOAK_PKG || 'pkg');
  const glue = await import(join(dir, 'tiktok_ads_auth.js'));
  const wasm = glue.initSync({ module: readFileSync(join(dir, 'tiktok_ads_auth_bg.wasm')) });
  // The network calls, as the package's entries make them: npm/net.js carrying the wasm's steps.
  const { network } = await import(join(ROOT, 'npm/net.js'));
  const api = { ...glue, ...network(glue.__prepare, glue.__read, glue.__fail) };
  return { api, wasm };
}

/**
 * The setup a soak file shares: the release package (`api`, and `wasm`, its exports) loaded
 * before the file's tests and, with `{ standin: true }`, the TikTok stand-in started (`standin`);
 * after them the stand-in is closed and the real `fetch` put back. `api`, `wasm` and `standin`
 * are live bindings: read them inside tests and hooks.
 */
export let api;
export let wasm;
export let standin;
export function usePackage({ standin: withStandin = false } = {}) {
  const realFetch = globalThis.fetch;
  before(async () => {
    ({ api, wasm } = await loadPackage());
    if (withStandin) standin = await startStandin({ port: 0 });
  });
  after(async () => {
    globalThis.fetch = realFetch;
    await standin?.close();
  });
}

export const KINDS = new Set([
  'invalid_input', 'missing_auth_code', 'authorization_denied', 'state_mismatch',
  'network', 'timeout', 'http_status', 'api_error', 'invalid_response',
]);

/** A seeded generator (mulberry32): `SOAK_SEED=N` reproduces a run. */
export function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chance = (p) => next() < p;
  return { next, int, pick, chance };
}

// Fragments that have broken URL, query, JSON and shell handling before.
export const PIECES = [
  '', ' ', '  ', '\t', '\n', '\r\n', '\0', '\x7f', '\u0085', '\u00a0', '\u2028', '\u2029', '\ufeff', '\u202e',
  '\ud800', '\udfff', '\ud83d', '\ude00', '\uffff', '😀', 'é', 'ß', '\u0301',
  '%', '%%', '%0', '%zz', '%00', '%0A', '%20', '%FF', '%E0%A4%A', '%C0%AF', '%5F', '%2F', '%23', '+', '&', '=', '?', '#', ';',
  'auth_code=', 'code=', 'state=', 'error=', 'error_description=', 'auth%5Fcode=',
  'https://', 'http://', 'HTTPS://', 'http://[::1', 'http://[::1]:8080', 'https://u:p@h/', ':99999', ':0', '//',
  'javascript:alert(1)', 'data:,x', 'file:///etc/passwd', '127.0.0.1', 'localhost', 'business-api.tiktok.com',
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"', "'", '`', '\\', '$(id)', '${IFS}', '!!', '*',
  '{', '}', '[', ']', ':', ',', 'null', 'true', '"code":', '"data":', '"access_token":', '"advertiser_ids":',
  '0', '-0', '1e999', '-1', '1.5', 'NaN', '40110', '9007199254740993', '7123456789012345678', '18446744073709551616',
  '/open_api/v1.3', '/oauth2/access_token/', '/portal/auth', '__proto__', 'constructor', 'toString',
];

export function hostileString(r) {
  const char = () => {
    const x = r.next();
    if (x < 0.35) return String.fromCharCode(r.int(0, 0x7f));
    if (x < 0.6) return String.fromCharCode(r.int(0x80, 0xffff)); // lone surrogates included
    return String.fromCodePoint(r.int(0x10000, 0x10ffff));
  };
  let s = '';
  for (let i = r.int(0, 8); i > 0; i--) s += r.chance(0.7) ? r.pick(PIECES) : char();
  if (r.chance(0.003)) s = (s || 'a').repeat(r.int(1000, Math.max(1000, Math.floor(2_000_000 / Math.max(1, s.length)))));
  return s;
}

/** Values of every JS type, including objects whose every access throws. */
export function hostileValue(r, depth = 0, { traps = true } = {}) {
  const x = r.int(0, 40);
  // Without traps, the objects whose every access throws become plain ones (same random draws).
  if (!traps && x >= 14 && x <= 16) return {};
  switch (x) {
    case 0: return undefined;
    case 1: return null;
    case 2: return r.chance(0.5);
    case 3: return r.pick([0, -0, NaN, Infinity, -Infinity, 1e21, 2 ** 53 + 1, 1.5, -1, 7123456789012345678, 600000, 600001]);
    case 4: return BigInt(r.int(0, 1e9)) * 10n ** 10n;
    case 5: return Symbol('hostile');
    case 6: return [];
    case 7: return [hostileString(r), hostileString(r)];
    case 8: return {};
    case 9: return Object.create(null);
    case 10: return new Date(r.int(0, 2e12));
    case 11: return /a|b/g;
    case 12: return new Uint8Array(r.int(0, 8));
    case 13: return () => 'a function';
    case 14: return new Proxy({}, { get() { throw new Error('get trap'); }, has() { throw new Error('has trap'); } });
    case 15: return Object.defineProperty({}, 'appId', { get() { throw new Error('getter'); }, enumerable: true });
    case 16: return { toString() { throw new Error('toString'); }, valueOf() { throw new Error('valueOf'); } };
    case 17: return new String('7123456789012345678');
    case 18: return Promise.resolve('x');
    case 19: return new Error('an error');
    case 20: return Object.assign(new Error('fake'), { name: 'TikTokAuthError', kind: 'network' });
    case 21: return Object.freeze({ appId: '1' });
    case 22: return depth < 2 ? { nested: hostileValue(r, depth + 1, { traps }) } : 'deep';
    case 23: return globalThis;
    case 24: return new Map([['appId', '1']]);
    case 25: return { length: 3, 0: 'a' };
    default: return hostileString(r);
  }
}

/** Asserts `e` honours the TikTokAuthError contract and shows none of `secrets`. */
export function assertAuthError(api, e, allowed, secrets, context) {
  const where = () => `${context}: ${e && e.stack}`;
  assert.ok(e instanceof Error, `not an Error: ${String(e)} (${context})`);
  assert.equal(e.name, 'TikTokAuthError', where());
  assert.ok(KINDS.has(e.kind), `unknown kind ${e.kind} (${context})`);
  assert.ok(allowed.has(e.kind), `kind ${e.kind} from ${context}: ${e.message}`);
  assert.ok(api.isTikTokAuthError(e), where());
  for (const key of ['kind', 'message']) assert.ok(Object.hasOwn(e, key), `${key} is not own (${context})`);
  assert.equal(typeof e.message, 'string');
  assert.ok(e.message.length > 10, where());
  if ('hint' in e) assert.equal(typeof e.hint, 'string');
  if ('code' in e) assert.ok(Number.isInteger(e.code) && e.kind === 'api_error', where());
  if ('status' in e) assert.ok(Number.isInteger(e.status) && e.kind === 'http_status', where());
  if ('requestId' in e) assert.equal(typeof e.requestId, 'string');
  const shown = [e.message, e.hint, e.requestId, e.stack, String(e), JSON.stringify(e)].join('\n');
  for (const s of secrets) {
    assert.ok(!shown.includes(s), `a credential (${s.slice(0, 8)}…) is shown by ${context}: ${shown}`);
  }
}
