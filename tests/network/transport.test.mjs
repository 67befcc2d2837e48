// The package's JavaScript transport (npm/net.js) against hostile and odd fetches: the caller's
// `fetch` and `signal`, one timer, the 1 MiB cap on answers, and fetches that throw, reject with
// anything, never answer or answer twice. Each call ends once, with its result or a
// TikTokAuthError, and the module keeps working after each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, api, assertAuthError, standin, usePackage } from '../soak/common.mjs';

usePackage({ standin: true });

const realFetch = globalThis.fetch;
const APP_ID = '7000000000000000001';
const SECRETS = ['S3KRETnet', 'T0KENnet', 'C0DEnet'];
const GRANT_BODY = JSON.stringify({
  code: 0, message: 'OK', request_id: 'r1',
  data: { access_token: 'T0KENnet', advertiser_ids: ['7000000000000000001'], scope: [4] },
});
const OPTIONS = { appId: APP_ID, secret: 'S3KRETnet', authCode: 'C0DEnet', apiBase: 'http://127.0.0.1:9/open_api/v1.3' };
const MIB = 1 << 20;

const scenario = (name) => `${name}${Math.floor(Math.random() * 1e9)}`;
const base = (s, behaviour) => `${standin.url}/s/${s}/${behaviour}/open_api/v1.3`;
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

/** The call's rejection, checked as a TikTokAuthError of `kind` that leaks no credential. */
async function rejected(promise, kind, context = kind) {
  let error;
  await assert.rejects(promise, (e) => { error = e; return true; });
  assertAuthError(api, error, new Set([kind]), SECRETS, context);
  return error;
}

/** `promise`'s outcome, or 'pending' when it has not settled within `ms`. */
function within(promise, ms) {
  let timer;
  return Promise.race([
    promise.then((v) => ({ value: v }), (e) => ({ error: e })),
    new Promise((resolve) => { timer = setTimeout(() => resolve('pending'), ms); }),
  ]).finally(() => clearTimeout(timer));
}

/** The module still parses a redirect and exchanges a code with the stand-in through the global fetch. */
async function stillWorks() {
  globalThis.fetch = realFetch;
  assert.equal(api.parseRedirect('https://me.example/cb?auth_code=c0de&state=s').authCode, 'c0de');
  const s = scenario('works');
  const authCode = standin.issueCode({ appId: APP_ID, scenario: s });
  const grant = await api.exchangeAuthCode({ ...OPTIONS, authCode, apiBase: base(s, 'ok') });
  assert.deepEqual(grant.advertiserIds, ['7000000000000000001', '7000000000000000002']);
}

test('the caller\'s fetch sends exactly one request per call, and the global fetch none', async () => {
  const s = scenario('ownfetch');
  const seen = [];
  const global = [];
  globalThis.fetch = (...args) => { global.push(args); return Promise.reject(new Error('the global fetch was used')); };
  const fetch = (url, init) => { seen.push({ url, init }); return realFetch(url, init); };
  try {
    const authCode = standin.issueCode({ appId: APP_ID, scenario: s });
    const grant = await api.exchangeAuthCode({ ...OPTIONS, authCode, apiBase: base(s, 'ok'), fetch });
    const token = { appId: APP_ID, secret: 'S3KRETnet', accessToken: grant.accessToken, apiBase: base(s, 'ok'), fetch };
    assert.equal((await api.getAdvertisers(token)).length, 2);
    assert.equal((await api.revokeToken(token)).length, 2);
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.equal(global.length, 0, 'the global fetch was called');
  assert.deepEqual(seen.map(({ url }) => new URL(url).pathname.split('/oauth2/')[1]),
    ['access_token/', 'advertiser/get/', 'revoke_token/']);
  assert.equal(standin.records(s).length, 3, 'one request per call');
  for (const { init } of seen) {
    // Every field its own, on an init without a prototype: nothing inherited is read.
    assert.equal(Object.getPrototypeOf(init), null);
    assert.equal(init.redirect, 'error');
    assert.equal(init.credentials, 'omit');
    assert.equal(init.cache, 'no-store');
    assert.equal(init.referrerPolicy, 'no-referrer');
    assert.equal(init.referrer, '');
    assert.equal(init.integrity, '');
    assert.equal(init.keepalive, false);
    assert.equal(init.mode, 'cors');
    assert.ok(init.signal instanceof AbortSignal);
    assert.equal(Object.getPrototypeOf(init.headers), null);
  }
  assert.equal(seen[0].init.method, 'POST');
  assert.equal(JSON.parse(seen[0].init.body).secret, 'S3KRETnet');
  assert.equal(seen[1].init.method, 'GET');
  assert.equal(seen[1].init.body, null);
  await stillWorks();
});

test('an aborted signal sends nothing; aborting during a call ends it at once, and its fetch sees the abort', async () => {
  const calls = [];
  const silent = (url, init) => { calls.push(init.signal); return new Promise(() => {}); };
  // Already aborted: nothing is sent.
  const e = await rejected(api.exchangeAuthCode({ ...OPTIONS, fetch: silent, signal: AbortSignal.abort() }), 'timeout');
  assert.match(e.message, /127\.0\.0\.1:9 was cancelled \(its signal was aborted\)/);
  assert.match(e.hint, /may still have reached TikTok/);
  assert.equal(calls.length, 0, 'a request was sent for an aborted signal');
  // Aborted during the call, with a fetch that ignores its own signal and never answers.
  const controller = new AbortController();
  const timersBefore = timers();
  const call = api.exchangeAuthCode({ ...OPTIONS, fetch: silent, signal: controller.signal, timeoutMs: 600_000 });
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(calls.length, 1);
  assert.equal(calls[0].aborted, false);
  const started = performance.now();
  controller.abort();
  const outcome = await within(call, 200);
  assert.notEqual(outcome, 'pending', 'the call did not end when its signal was aborted');
  assertAuthError(api, outcome.error, new Set(['timeout']), SECRETS, 'aborted during');
  assert.ok(performance.now() - started < 200);
  assert.equal(calls[0].aborted, true, 'the fetch\'s signal was not aborted');
  assert.ok(timers() <= timersBefore, 'the call\'s timer outlives it');
  // With the real fetch and a server that never answers, too.
  const s = scenario('abortreal');
  const real = new AbortController();
  const hanging = api.exchangeAuthCode({ ...OPTIONS, apiBase: base(s, 'hang'), signal: real.signal });
  setTimeout(() => real.abort(), 100);
  await rejected(hanging, 'timeout', 'aborted real fetch');
  // A signal that cannot be read is refused by name, without sending.
  const hostile = new Proxy({}, { get() { throw new Error('trap'); } });
  const bad = await rejected(api.exchangeAuthCode({ ...OPTIONS, fetch: silent, signal: hostile }), 'invalid_input');
  assert.match(bad.message, /`signal`/);
  assert.equal(calls.length, 1);
  await stillWorks();
});

test('a signal that calls back from addEventListener itself: nothing is sent and no timer is left', async () => {
  const calls = [];
  const fetch = (url, init) => { calls.push(init); return new Promise(() => {}); };
  // Not aborted when asked, then calling its listener at once: the call ends there.
  const eager = { aborted: false, addEventListener(type, listener) { listener(); }, removeEventListener() {} };
  const timersBefore = timers();
  await rejected(api.exchangeAuthCode({ ...OPTIONS, fetch, signal: eager, timeoutMs: 600_000 }), 'timeout', 'eager signal');
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(calls.length, 0, 'a request was sent after the call had ended');
  assert.ok(timers() <= timersBefore, `the call's timer outlives it (${timersBefore} → ${timers()})`);
  await stillWorks();
});

test('a call that ends first stops reading the answer, even where its fetch ignores the signal', async () => {
  let pulled = 0;
  let cancelled = false;
  const trickle = new ReadableStream({
    async pull(controller) {
      pulled++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.enqueue(new Uint8Array(16).fill(0x20));
    },
    cancel() { cancelled = true; },
  });
  // The fetch answers at once and ignores its signal; the body trickles in slower than the limit.
  const fetch = async () => new Response(trickle, { status: 200 });
  await rejected(api.exchangeAuthCode({ ...OPTIONS, fetch, timeoutMs: 100 }), 'timeout', 'trickle');
  await new Promise((resolve) => setTimeout(resolve, 100));
  const atEnd = pulled;
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.ok(cancelled, 'the answer was not cancelled when the call ended');
  assert.ok(pulled <= atEnd + 1, `the answer was still read after the call ended (${atEnd} → ${pulled} chunks)`);
  await stillWorks();
});

test('sink and pipe fields on a polluted Object.prototype change nothing the answer is read with', async () => {
  const polluted = { start: () => { throw new Error('polluted start'); }, type: 'bytes', highWaterMark: -1, preventCancel: true, signal: 'not a signal' };
  const fetch = async () => new Response(new ReadableStream({
    start(controller) { controller.enqueue(new TextEncoder().encode(GRANT_BODY)); controller.close(); },
  }), { status: 200 });
  let grant;
  try {
    for (const [key, value] of Object.entries(polluted)) {
      Object.defineProperty(Object.prototype, key, { value, configurable: true, writable: true });
    }
    grant = await api.exchangeAuthCode({ ...OPTIONS, fetch });
  } finally {
    for (const key of Object.keys(polluted)) delete Object.prototype[key];
  }
  assert.deepEqual(grant.advertiserIds, ['7000000000000000001']);
  assert.equal(grant.accessToken, 'T0KENnet');
  await stillWorks();
});

test('timeoutMs ends a call whose fetch ignores its signal and never answers; its one timer is cleared', async () => {
  const signals = [];
  const silent = (url, init) => { signals.push(init.signal); return new Promise(() => {}); };
  const started = performance.now();
  const outcome = await within(api.exchangeAuthCode({ ...OPTIONS, fetch: silent, timeoutMs: 150 }), 3000);
  assert.notEqual(outcome, 'pending', 'a call whose fetch never answers did not end');
  const e = await rejected(Promise.reject(outcome.error), 'timeout');
  assert.match(e.message, /150 ms/);
  assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`);
  assert.equal(signals.length, 1);
  assert.equal(signals[0].aborted, true, 'the fetch was not told');
  // A ten-minute limit does not keep Node running once the call has ended.
  const timersBefore = timers();
  const s = scenario('timer');
  const authCode = standin.issueCode({ appId: APP_ID, scenario: s });
  await api.exchangeAuthCode({ ...OPTIONS, authCode, apiBase: base(s, 'ok'), timeoutMs: 600_000 });
  assert.ok(timers() <= timersBefore, `a timer outlives the call (${timersBefore} → ${timers()})`);
  // And the stand-in's silence.
  await rejected(api.exchangeAuthCode({ ...OPTIONS, apiBase: base(s, 'hang'), timeoutMs: 200 }), 'timeout', 'hang');
  await stillWorks();
});

test('an answer over 1 MiB is invalid_response, a stream that never ends too, and the rest is not read', async () => {
  const RESPONSE = new Set(['invalid_response']);
  for (const body of [`{"code":0,"x":"${'a'.repeat(2 * MIB)}"}`, 'é'.repeat(MIB / 2 + 1)]) {
    const fetch = async () => new Response(body, { status: 200 });
    await rejected(api.exchangeAuthCode({ ...OPTIONS, fetch }), 'invalid_response');
  }
  // Exactly 1 MiB is read (and is then not TikTok's envelope); one byte more is not.
  const exact = (n) => async () => new Response(new Uint8Array(n).fill(0x20), { status: 200 });
  const read = await rejected(api.exchangeAuthCode({ ...OPTIONS, fetch: exact(MIB) }), 'invalid_response');
  assert.doesNotMatch(read.message, /1 MiB/);
  const over = await rejected(api.exchangeAuthCode({ ...OPTIONS, fetch: exact(MIB + 1) }), 'invalid_response');
  assert.match(over.message, /over 1 MiB/);
  // A stream that never ends: read until the cap, then cancelled.
  let pulled = 0;
  let cancelled = false;
  const endless = new ReadableStream({
    pull(controller) { pulled++; controller.enqueue(new Uint8Array(64 * 1024).fill(0x61)); },
    cancel() { cancelled = true; },
  });
  const started = performance.now();
  const e = await rejected(api.exchangeAuthCode({ ...OPTIONS, timeoutMs: 60_000, fetch: async () => new Response(endless) }), 'invalid_response');
  assert.match(e.message, /over 1 MiB/);
  assert.ok(performance.now() - started < 2000);
  assert.ok(pulled <= 24, `read ${pulled} chunks of 64 KiB`);
  assert.ok(cancelled, 'the stream was not cancelled');
  assertAuthError(api, e, RESPONSE, SECRETS, 'endless');
  await stillWorks();
});

test('a fetch that throws, rejects with anything or answers nonsense ends the call as network', async () => {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const trap = new Proxy({}, { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } });
  const fetches = [
    () => { throw new TypeError('sync throw'); },
    () => { throw trap; },
    ...[undefined, null, 0, 'no', Symbol('no'), trap, revoked.proxy, { then: 1 }].map((v) => () => Promise.reject(v)),
    () => undefined,
    () => 42,
    () => trap,
    () => revoked.proxy,
    () => ({ then() { throw new Error('then throws'); } }),
    () => ({ then(ok, fail) { fail(trap); ok(new Response(GRANT_BODY)); } }),
    async () => ({ status: 'two hundred', text: async () => GRANT_BODY }),
    async () => ({ status: 200.5, text: async () => GRANT_BODY }),
    async () => ({ status: 200 }),
    async () => ({ status: 200, text: async () => 42 }),
    async () => trap,
  ];
  const uncaught = [];
  const onUncaught = (e) => uncaught.push(e);
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  try {
    for (const [i, fetch] of fetches.entries()) {
      for (const viaGlobal of [false, true]) {
        if (viaGlobal) globalThis.fetch = fetch;
        let call;
        assert.doesNotThrow(() => { call = api.exchangeAuthCode({ ...OPTIONS, ...(viaGlobal ? {} : { fetch }), timeoutMs: 2000 }); });
        await rejected(call, 'network', `fetch #${i}${viaGlobal ? ' (global)' : ''}`);
        globalThis.fetch = realFetch;
      }
    }
    // No fetch at all.
    globalThis.fetch = undefined;
    await rejected(api.exchangeAuthCode(OPTIONS), 'network', 'no fetch');
  } finally {
    globalThis.fetch = realFetch;
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  }
  assert.deepEqual(uncaught, []);
  await stillWorks();
});

test('8 000 calls through thenables that call both callbacks, at once or later, each settle once', async () => {
  // A broken fetch wrapper: its `then` calls the success callback, then the failure callback,
  // then the success callback again — synchronously, or later from a microtask.
  const sync = (value) => ({ then(ok, fail) { ok(value); fail(new Error('late failure')); ok(value); } });
  const late = (value) => ({
    then(ok, fail) { queueMicrotask(() => { ok(value); fail(new Error('late failure')); ok(value); }); },
  });
  const failFirst = (value) => ({ then(ok, fail) { fail(new Error('failure')); ok(value); } });
  const outcomes = { granted: 0, network: 0 };
  for (let i = 0; i < 8000; i++) {
    const both = [sync, late, failFirst][i % 3];
    const fetch = () => both({ status: 200, text: () => both(GRANT_BODY) });
    let settled = 0;
    const call = api.exchangeAuthCode({ ...OPTIONS, fetch });
    call.then(() => settled++, () => settled++);
    try {
      assert.equal((await call).accessToken, 'T0KENnet');
      outcomes.granted++;
    } catch (e) {
      assertAuthError(api, e, new Set(['network']), SECRETS, `call #${i}`);
      outcomes.network++;
    }
    assert.equal(settled, 1);
  }
  assert.deepEqual(outcomes, { granted: 5334, network: 2666 });
  await stillWorks();
});

test('RequestInit fields on Object.prototype change nothing the caller\'s fetch or Node\'s sends', async () => {
  const s = scenario('initpollution');
  const fields = {
    integrity: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', referrer: 'http://evil.example/leak',
    mode: 'no-cors', keepalive: true, priority: 'high', redirect: 'follow', credentials: 'include',
    cache: 'force-cache', referrerPolicy: 'unsafe-url',
  };
  const seen = [];
  const fetch = (url, init) => { seen.push({ ...init }); return realFetch(url, init); };
  for (const [k, v] of Object.entries(fields)) Object.prototype[k] = v;
  let grants;
  try {
    grants = [];
    for (const own of [fetch, undefined]) {
      const authCode = standin.issueCode({ appId: APP_ID, scenario: s });
      grants.push(await api.exchangeAuthCode({ ...OPTIONS, authCode, apiBase: base(s, 'ok'), ...(own ? { fetch: own } : {}) }));
    }
  } finally {
    for (const k of Object.keys(fields)) delete Object.prototype[k];
  }
  assert.equal(grants.length, 2);
  const recs = standin.records(s);
  assert.equal(recs.length, 2);
  for (const r of recs) {
    assert.equal(r.method, 'POST');
    assert.equal(r.headers.referer, undefined, 'a polluted referrer was sent');
    assert.equal(r.headers['content-type'], 'application/json');
  }
  assert.equal(seen[0].redirect, 'error');
  assert.equal(seen[0].credentials, 'omit');
  await stillWorks();
});

test('with Object.prototype.then polluted, a streamed answer (the token) is never handed to it', () => {
  // Read with a reader, each chunk would be resolved as `{ value, done }`, and so first handed to
  // an inherited `then`; the answer must reach the wasm only. In a Node of its own: the pollution
  // breaks the test runner's own streams.
  const dir = process.env.SOAK_PKG ? resolve(ROOT, process.env.SOAK_PKG) : join(ROOT, 'pkg');
  const script = `
    import { readFileSync } from 'node:fs';
    const glue = await import(${JSON.stringify(pathToFileURL(join(dir, 'tiktok_ads_auth.js')).href)});
    glue.initSync({ module: readFileSync(${JSON.stringify(join(dir, 'tiktok_ads_auth_bg.wasm'))}) });
    const { network } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'npm/net.js')).href)});
    const api = network(glue.__prepare, glue.__read, glue.__fail);
    const fetch = () => {
      const response = new Response(${JSON.stringify(GRANT_BODY)});
      // The fetch's own Promise resolves with the Response: the fetch's business, not under test.
      Object.defineProperty(response, 'then', { value: undefined });
      return Promise.resolve(response);
    };
    const seen = [];
    Object.defineProperty(Object.prototype, 'then', {
      value(onValue) { seen.push(this); onValue(Object.assign(Object.create(null), this)); },
      writable: true, configurable: true,
    });
    const grant = await api.exchangeAuthCode(${JSON.stringify(OPTIONS)} && { ...${JSON.stringify(OPTIONS)}, fetch });
    delete Object.prototype.then;
    const holds = (v) => [v, v?.value, v?.text].some((x) => (typeof x === 'string' && x.includes('T0KENnet')) ||
      (x instanceof Uint8Array && Buffer.from(x).toString().includes('T0KENnet')));
    console.log(JSON.stringify({ token: grant.accessToken, handed: seen.filter(holds).length }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), { token: 'T0KENnet', handed: 0 }, 'an inherited then was handed the answer');
});
