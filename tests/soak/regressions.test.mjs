// Hostile values and environments the soak found breaking the module, kept as regressions: a
// JS exception must never unwind through the wasm frames, and every link must be openable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertAuthError, usePackage } from './common.mjs';

usePackage();

const good = () => api.authorizationUrl({ appId: '1', redirectUri: 'https://a/', state: 's' }).url;
const GOOD_URL = 'https://business-api.tiktok.com/portal/auth?app_id=1&state=s&redirect_uri=https%3A%2F%2Fa%2F';
const INPUT = new Set(['invalid_input']);

test('a revoked Proxy as options is invalid_input, and 10 000 of them leave the module alive', async () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  for (const name of ['authorizationUrl', 'stateVerdict', 'tokenRequestCurl']) {
    assert.throws(() => api[name](proxy), (e) => { assertAuthError(api, e, INPUT, [], name); return true; });
  }
  for (const name of ['exchangeAuthCode', 'getAdvertisers', 'revokeToken']) {
    let promise;
    assert.doesNotThrow(() => { promise = api[name](proxy); }, `${name} must reject, not throw`);
    await assert.rejects(promise, (e) => { assertAuthError(api, e, INPUT, [], name); return true; });
  }
  for (let i = 0; i < 10_000; i++) {
    try { api.authorizationUrl(proxy); } catch { /* checked above */ }
  }
  assert.equal(good(), GOOD_URL);
});

test('a fetch that throws synchronously (or no fetch at all) rejects with network', async () => {
  const realFetch = globalThis.fetch;
  const uncaught = [];
  const onUncaught = (e) => uncaught.push(e);
  process.on('uncaughtException', onUncaught);
  try {
    for (const replacement of [() => { throw new TypeError('instrumented fetch failed'); }, undefined]) {
      globalThis.fetch = replacement;
      const settled = await Promise.race([
        api.exchangeAuthCode({ appId: '1', secret: 'S3KRETsync', authCode: 'c', apiBase: 'http://127.0.0.1:9/x', timeoutMs: 200 })
          .then(() => 'resolved', (e) => e),
        new Promise((resolve) => setTimeout(() => resolve('never settled'), 1000)),
      ]);
      assert.ok(settled instanceof Error, `exchangeAuthCode ${settled} with fetch = ${replacement}`);
      assertAuthError(api, settled, new Set(['network']), ['S3KRETsync'], 'sync fetch');
    }
  } finally {
    globalThis.fetch = realFetch;
    process.off('uncaughtException', onUncaught);
  }
  assert.deepEqual(uncaught, []);
  assert.equal(good(), GOOD_URL);
});

test('without a working crypto.getRandomValues a state is refused by name, and a given state still works', () => {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  const replacements = [
    undefined,
    {},
    { getRandomValues: 'not a function' },
    { getRandomValues() { throw new Error('instrumented CSPRNG failure'); } },
    { getRandomValues(bytes) { return bytes; } }, // fills nothing: every state would be the same
  ];
  try {
    for (const replacement of replacements) {
      Object.defineProperty(globalThis, 'crypto', { value: replacement, configurable: true, writable: true });
      assert.throws(() => api.authorizationUrl({ appId: '1', redirectUri: 'https://a/' }), (e) => {
        assertAuthError(api, e, INPUT, [], 'no CSPRNG');
        assert.match(e.message, /\bstate\b.*crypto\.getRandomValues/);
        return true;
      }, `crypto = ${JSON.stringify(replacement)}`);
      assert.equal(good(), GOOD_URL);
    }
  } finally {
    Object.defineProperty(globalThis, 'crypto', descriptor);
  }
  assert.match(api.authorizationUrl({ appId: '1', redirectUri: 'https://a/' }).state, /^[A-Za-z0-9_-]{43}$/);
});

test('an authBase a browser cannot parse is refused, not turned into a broken link', () => {
  for (const authBase of ['http://;\ud800', 'https://\u{F848A}\u9D08', 'https://\ufffd/', 'https://a\u00ad/']) {
    let url;
    try {
      url = api.authorizationUrl({ appId: '1', redirectUri: 'https://a/', state: 's', authBase }).url;
    } catch (e) {
      assertAuthError(api, e, INPUT, [], authBase);
      continue;
    }
    assert.doesNotThrow(() => new URL(url), `${JSON.stringify(authBase)} gave ${url}`);
  }
});
