// A JS exception that unwinds through the wasm skips the epilogue of every wasm frame it crosses:
// their shadow-stack space (1 MiB in all) is never given back, and after a few thousand such
// calls every call fails with "memory access out of bounds". Each hostile behaviour below runs
// thousands of times; afterwards the shadow-stack pointer is exactly where it was, and the module
// still parses a redirect and exchanges a code with the stand-in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertAuthError, standin, usePackage, wasm } from './common.mjs';

const realFetch = globalThis.fetch;
const NETWORK = new Set(['network']);
const GRANT_BODY = JSON.stringify({
  code: 0, message: 'OK', request_id: 'r1',
  data: { access_token: 'T0KENunwind', advertiser_ids: ['7000000000000000001'], scope: [4] },
});
const OPTIONS = { appId: '7000000000000000001', secret: 'S3KRETunwind', authCode: 'C0DEunwind', apiBase: 'http://127.0.0.1:9/open_api/v1.3' };
const SECRETS = ['S3KRETunwind', 'C0DEunwind', 'T0KENunwind'];

usePackage({ standin: true });

/**
 * The shadow-stack pointer, where the build exports a way to read it (every build that returns
 * values through memory does); a frame left behind by an unwinding exception moves it for good.
 */
const stackPointer = () => wasm.__wbindgen_add_to_stack_pointer?.(0);

/** Runs `body`, then checks that the stack is where it was and that the module still works. */
async function leavesTheModuleWorking(body) {
  const stack = stackPointer();
  const table = wasm.__wbindgen_externrefs?.length;
  await body();
  assert.equal(stackPointer(), stack, 'the shadow-stack pointer moved: an exception unwound through the wasm');
  assert.equal(wasm.__wbindgen_externrefs?.length, table, 'the externref table grew');
  const redirect = api.parseRedirect('https://me.example/cb?auth_code=c0de&state=s');
  assert.deepEqual([redirect.authCode, redirect.state], ['c0de', 's']);
  const scenario = `unwind${Math.floor(Math.random() * 1e9)}`;
  const authCode = standin.issueCode({ appId: '7000000000000000001', scenario });
  const grant = await api.exchangeAuthCode({
    appId: '7000000000000000001', secret: 'S3KRETunwind', authCode,
    apiBase: `${standin.url}/s/${scenario}/ok/open_api/v1.3`,
  });
  assert.deepEqual(grant.advertiserIds, ['7000000000000000001', '7000000000000000002']);
}

test('8 000 exchanges through a fetch whose thenables call both callbacks leave the module working', async () => {
  // A broken fetch wrapper: its `then` calls the success callback, then the failure callback,
  // then the success callback again — synchronously, or later from a microtask.
  const sync = (value) => ({
    then(onValue, onError) {
      onValue(value);
      onError(new Error('late failure'));
      onValue(value);
    },
  });
  const late = (value) => ({
    then(onValue, onError) {
      return Promise.resolve().then(() => {
        const result = onValue(value);
        onError(new Error('late failure'));
        onValue(value);
        return result;
      });
    },
  });
  let granted = 0;
  let refused = 0;
  await leavesTheModuleWorking(async () => {
    try {
      for (let i = 0; i < 8000; i++) {
        const both = i % 2 ? sync : late;
        globalThis.fetch = () => both({ status: 200, text: () => both(GRANT_BODY) });
        let promise;
        assert.doesNotThrow(() => { promise = api.exchangeAuthCode(OPTIONS); }, `exchange #${i} threw`);
        assert.ok(promise instanceof Promise, `exchange #${i}`);
        try {
          // The grant comes through when the callbacks' results reach the chain…
          const grant = await promise;
          assert.equal(grant.accessToken, 'T0KENunwind', `exchange #${i}`);
          granted++;
        } catch (e) {
          // …and a wrapper that swallows them is a network error, never anything else.
          assertAuthError(api, e, NETWORK, SECRETS, `exchange #${i}`);
          assert.match(e.message, /could not be handed over/);
          refused++;
        }
      }
    } finally {
      globalThis.fetch = realFetch;
    }
  });
  assert.deepEqual([granted, refused], [4000, 4000]);
});

test('a throwing Function.prototype.bind rejects each call as network, and the module survives', async () => {
  globalThis.fetch = () => Promise.resolve({ status: 200, text: () => Promise.resolve(GRANT_BODY) });
  const bind = Function.prototype.bind;
  const calls = [];
  const thrown = [];
  await leavesTheModuleWorking(async () => {
    // Broken only while the calls are made (they bind their callbacks synchronously): the test
    // runner needs a working `bind` itself.
    Function.prototype.bind = function () { throw new Error('bind is broken on this page'); };
    try {
      for (let i = 0; i < 8000; i++) {
        try { calls.push(api.exchangeAuthCode(OPTIONS)); } catch (e) { thrown.push(e); }
      }
    } finally {
      Function.prototype.bind = bind;
      globalThis.fetch = realFetch;
    }
    assert.equal(thrown.length, 0, `calls threw synchronously: ${thrown[0]}`);
    for (const [i, call] of calls.entries()) {
      await assert.rejects(call, (e) => { assertAuthError(api, e, NETWORK, SECRETS, `call #${i}`); return true; });
    }
  });
});

test('a spying Function.prototype.bind sees no object of the wasm: 10 000 forged steps do nothing, and the module still works', async () => {
  globalThis.fetch = () => Promise.resolve({ status: 200, text: () => Promise.resolve(GRANT_BODY) });
  const bind = Function.prototype.bind;
  const push = Array.prototype.push;
  const seen = [];
  let grants;
  try {
    // A page that sees every bind: the function bound, and what it is bound to.
    Function.prototype.bind = function (...args) { seen.push({ step: this, args }); return bind.apply(this, args); };
    const calls = [api.exchangeAuthCode(OPTIONS), api.exchangeAuthCode(OPTIONS)];
    Function.prototype.bind = bind;
    grants = await Promise.all(calls);
  } finally {
    Function.prototype.bind = bind;
    globalThis.fetch = realFetch;
  }
  assert.deepEqual(grants.map((g) => g.accessToken), ['T0KENunwind', 'T0KENunwind']);
  // Nothing bound is an object of the wasm (a wasm-bindgen wrapper, or anything whose class
  // could make one from a number); what the steps into the wasm are bound to is a number.
  const ofTheWasm = (v) => v !== null && (typeof v === 'object' || typeof v === 'function') &&
    ('__wbg_ptr' in v || typeof v.constructor?.__wrap === 'function' || typeof v.__wrap === 'function');
  for (const { step, args } of seen) {
    for (const v of [step, ...args]) assert.ok(!ofTheWasm(v), `a bind was handed an object of the wasm: ${Object.prototype.toString.call(v)}`);
  }
  // The only way back into the wasm: its raw export, bound once per call so far.
  const steps = seen.filter(({ step }) => step === wasm.__tiktok_ads_auth_step);
  assert.equal(steps.length, 2, 'one step into the wasm bound per call so far');
  for (const { args } of steps) {
    assert.equal(args[0], null);
    assert.equal(typeof args[1], 'number');
  }
  const fake = { status: 200, text: () => Promise.resolve(GRANT_BODY) };
  const results = [];
  const before = wasm.memory.buffer.byteLength;
  await leavesTheModuleWorking(async () => {
    const ours = seen.filter(({ step }) => step === push || steps.some((s) => s.step === step));
    for (let i = 0; i < 10_000; i++) {
      const { step, args } = ours[i % ours.length];
      if (step === push) {
        // The arrays a call's callbacks push into: junk in them after the call ends changes nothing.
        step.call(args[0], args[1], fake);
        continue;
      }
      const captured = args[1];
      // What a forger can make of it: the same handle again, numbers near it and far, objects
      // shaped like a wasm-bindgen wrapper, the export itself with any number.
      const forged = [captured, captured + 1 + (i % 7), i, -i, i / 3, 2 ** 32 + i, { __wbg_ptr: i * 8 }, args];
      for (const handle of forged) {
        results.push(step(handle, fake));
        results.push(wasm.__tiktok_ads_auth_step?.(handle, fake));
      }
    }
  });
  assert.ok(wasm.memory.buffer.byteLength - before <= 65_536, `the wasm memory grew by ${wasm.memory.buffer.byteLength - before} bytes`);
  assert.ok(results.length >= 40_000);
  assert.ok(results.every((r) => r === undefined), 'a forged step did something');
});

test('a throwing Error.prototype.name setter still gives TikTokAuthErrors, and the module survives', async () => {
  const name = Object.getOwnPropertyDescriptor(Error.prototype, 'name');
  const errors = [];
  await leavesTheModuleWorking(async () => {
    Object.defineProperty(Error.prototype, 'name', {
      get() { return 'Error'; },
      set() { throw new Error('name is not writable on this page'); },
      configurable: true,
    });
    try {
      for (let i = 0; i < 8000; i++) {
        try { api.parseRedirect('https://me.example/cb?state=s'); } catch (e) { errors.push(e); }
      }
    } finally {
      Object.defineProperty(Error.prototype, 'name', name);
    }
  });
  assert.equal(errors.length, 8000);
  for (const e of errors.slice(0, 10)) assertAuthError(api, e, new Set(['missing_auth_code']), [], 'parseRedirect');
  assert.ok(errors.every((e) => Object.hasOwn(e, 'name') && e.name === 'TikTokAuthError'));
});

test('without AbortSignal.timeout (Safari < 16, Chrome < 103) calls still work and still time out', async () => {
  const timeout = Object.getOwnPropertyDescriptor(AbortSignal, 'timeout');
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  await leavesTheModuleWorking(async () => {
    delete AbortSignal.timeout;
    try {
      const scenario = `notimeout${Math.floor(Math.random() * 1e9)}`;
      const base = (behaviour) => `${standin.url}/s/${scenario}/${behaviour}/open_api/v1.3`;
      const authCode = standin.issueCode({ appId: '7000000000000000001', scenario });
      const timersBefore = timers();
      const grant = await api.exchangeAuthCode({ ...OPTIONS, authCode, apiBase: base('ok'), timeoutMs: 600_000 });
      assert.match(grant.accessToken, /^[0-9a-f]{40}$/);
      // The stand-in timer (AbortController + setTimeout) is cleared with the call: a Node
      // script does not wait ten minutes to exit.
      assert.ok(timers() <= timersBefore, `a timer outlives the call (${timersBefore} → ${timers()})`);
      const started = performance.now();
      await assert.rejects(api.exchangeAuthCode({ ...OPTIONS, apiBase: base('hang'), timeoutMs: 300 }), (e) => {
        assertAuthError(api, e, new Set(['timeout']), SECRETS, 'hang');
        return true;
      });
      assert.ok(performance.now() - started < 5000);
      // Real connections, so a few hundred: enough to see anything kept per call.
      for (let i = 0; i < 300; i++) {
        await assert.rejects(api.exchangeAuthCode({ ...OPTIONS, apiBase: base('drop') }), (e) => e.kind === 'network');
      }
    } finally {
      Object.defineProperty(AbortSignal, 'timeout', timeout);
    }
  });
});
